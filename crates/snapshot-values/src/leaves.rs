//! Leaf values: the max-mode value of every simple type and enum, and how an override value
//! becomes a leaf value.

use serde_json::json;
use snapshot_model::{Shape, SimpleType};

use crate::generator::{Generator, Leaf, BIG_DECIMAL, BIG_INTEGER, BLOB, TIMESTAMP_MILLIS};
use crate::{OverrideValue, Value};

impl Generator<'_> {
    pub(crate) fn default_leaf(&self, shape: &Shape, leaf: Leaf, name: &str) -> Value {
        match leaf {
            Leaf::Enum => self.enum_value(shape, placeholder(name)),
            Leaf::IntEnum => self.int_enum_value(shape, 0),
            Leaf::Simple(simple) => match simple {
                SimpleType::String => Value::String(placeholder(name)),
                SimpleType::Blob if shape.traits.is_streaming() => {
                    Value::StreamingBlob(BLOB.to_vec())
                }
                SimpleType::Blob => Value::Blob(BLOB.to_vec()),
                SimpleType::Boolean => Value::Boolean(false),
                SimpleType::Byte => Value::Byte(0),
                SimpleType::Short => Value::Short(0),
                SimpleType::Integer => Value::Integer(0),
                SimpleType::Long => Value::Long(0),
                SimpleType::Float => Value::Float(0.0),
                SimpleType::Double => Value::Double(0.0),
                SimpleType::BigInteger => Value::BigInteger(BIG_INTEGER.to_owned()),
                SimpleType::BigDecimal => Value::BigDecimal(BIG_DECIMAL.to_owned()),
                SimpleType::Timestamp => Value::Timestamp(TIMESTAMP_MILLIS),
                SimpleType::Document => Value::Document(document(name)),
            },
        }
    }

    /// The value an override sets on a leaf of `shape`, or why it cannot.
    pub(crate) fn converted(
        &self,
        shape: &Shape,
        leaf: Leaf,
        value: &OverrideValue,
    ) -> Result<Value, String> {
        let mismatch = || format!("it takes {}, not {}", accepted(leaf), value.kind());
        match (leaf, value) {
            (Leaf::Enum, OverrideValue::String(text)) => Ok(self.enum_value(shape, text.clone())),
            (Leaf::IntEnum, OverrideValue::Integer(number)) => i32::try_from(*number)
                .map(|number| self.int_enum_value(shape, number))
                .map_err(|_| out_of_range(*number, "an intEnum (32-bit)")),
            (Leaf::Simple(simple), _) => match (simple, value) {
                (SimpleType::String, OverrideValue::String(text)) => {
                    Ok(Value::String(text.clone()))
                }
                (SimpleType::Blob, OverrideValue::String(text)) if shape.traits.is_streaming() => {
                    Ok(Value::StreamingBlob(text.as_bytes().to_vec()))
                }
                (SimpleType::Blob, OverrideValue::String(text)) => {
                    Ok(Value::Blob(text.as_bytes().to_vec()))
                }
                (SimpleType::Boolean, OverrideValue::Boolean(flag)) => Ok(Value::Boolean(*flag)),
                (SimpleType::Byte, OverrideValue::Integer(number)) => i8::try_from(*number)
                    .map(Value::Byte)
                    .map_err(|_| out_of_range(*number, "a byte")),
                (SimpleType::Short, OverrideValue::Integer(number)) => i16::try_from(*number)
                    .map(Value::Short)
                    .map_err(|_| out_of_range(*number, "a short")),
                (SimpleType::Integer, OverrideValue::Integer(number)) => i32::try_from(*number)
                    .map(Value::Integer)
                    .map_err(|_| out_of_range(*number, "an integer (32-bit)")),
                (SimpleType::Long, OverrideValue::Integer(number)) => Ok(Value::Long(*number)),
                // Integers become the nearest float, as they would in a TOML-to-float assignment.
                (SimpleType::Float, OverrideValue::Integer(number)) => {
                    Ok(Value::Float(*number as f32))
                }
                (SimpleType::Float, OverrideValue::Float(number)) => {
                    let narrowed = *number as f32;
                    if narrowed.is_finite() {
                        Ok(Value::Float(narrowed))
                    } else {
                        Err(format!("{number} is out of range for a float (32-bit)"))
                    }
                }
                (SimpleType::Double, OverrideValue::Integer(number)) => {
                    Ok(Value::Double(*number as f64))
                }
                (SimpleType::Double, OverrideValue::Float(number)) => Ok(Value::Double(*number)),
                (SimpleType::BigInteger, OverrideValue::Integer(number)) => {
                    Ok(Value::BigInteger(number.to_string()))
                }
                (SimpleType::BigInteger, OverrideValue::String(text)) if is_integer_text(text) => {
                    Ok(Value::BigInteger(text.clone()))
                }
                (SimpleType::BigDecimal, OverrideValue::Integer(number)) => {
                    Ok(Value::BigDecimal(number.to_string()))
                }
                (SimpleType::BigDecimal, OverrideValue::Float(number)) => {
                    Ok(Value::BigDecimal(format!("{number:?}")))
                }
                (SimpleType::BigDecimal, OverrideValue::String(text)) if is_decimal_text(text) => {
                    Ok(Value::BigDecimal(text.clone()))
                }
                (SimpleType::BigInteger | SimpleType::BigDecimal, OverrideValue::String(text)) => {
                    Err(format!("{text:?} is not a decimal number"))
                }
                (SimpleType::Timestamp, OverrideValue::Integer(millis)) => {
                    Ok(Value::Timestamp(*millis))
                }
                (SimpleType::Document, _) => document_scalar(value).map(Value::Document),
                _ => Err(mismatch()),
            },
            _ => Err(mismatch()),
        }
    }
}

/// `__<MemberName>__`.
fn placeholder(name: &str) -> String {
    format!("__{name}__")
}

/// The document every `document` member gets.
fn document(name: &str) -> serde_json::Value {
    // Keys in sorted order, so the value reads the same whether or not serde_json's
    // `preserve_order` feature is enabled somewhere in the build.
    json!({
        "nested": { "flag": true },
        "numbers": [1, 2, 3],
        "string": placeholder(name),
    })
}

fn document_scalar(value: &OverrideValue) -> Result<serde_json::Value, String> {
    Ok(match value {
        OverrideValue::String(text) => serde_json::Value::String(text.clone()),
        OverrideValue::Integer(number) => serde_json::Value::from(*number),
        OverrideValue::Float(number) => serde_json::Number::from_f64(*number)
            .map(serde_json::Value::Number)
            .ok_or_else(|| format!("{number} is not a finite number"))?,
        OverrideValue::Boolean(flag) => serde_json::Value::Bool(*flag),
    })
}

fn out_of_range(number: i64, type_name: &str) -> String {
    format!("{number} is out of range for {type_name}")
}

pub(crate) fn leaf_type_name(leaf: Leaf) -> &'static str {
    match leaf {
        Leaf::Simple(simple) => simple.name(),
        Leaf::Enum => "enum",
        Leaf::IntEnum => "intEnum",
    }
}

/// The override kinds a leaf accepts, for messages.
fn accepted(leaf: Leaf) -> &'static str {
    match leaf {
        Leaf::Enum => "a string",
        Leaf::IntEnum => "an integer",
        Leaf::Simple(simple) => match simple {
            SimpleType::String => "a string",
            SimpleType::Blob => "a string (its UTF-8 bytes)",
            SimpleType::Boolean => "a boolean",
            SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long => {
                "an integer"
            }
            SimpleType::Float | SimpleType::Double => "an integer or a float",
            SimpleType::BigInteger => "an integer or a string of digits",
            SimpleType::BigDecimal => "an integer, a float or a string holding a decimal number",
            SimpleType::Timestamp => "an integer (milliseconds since the Unix epoch)",
            SimpleType::Document => "a string, an integer, a float or a boolean",
        },
    }
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

fn unsigned(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

/// `[+-]digits`.
fn is_integer_text(text: &str) -> bool {
    digits(unsigned(text))
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`.
fn is_decimal_text(text: &str) -> bool {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (text, None),
    };
    let mantissa_ok = match unsigned(mantissa).split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned(mantissa)),
    };
    mantissa_ok && exponent.is_none_or(is_integer_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_number_text() {
        for good in ["0", "-12", "+7", "123456789012345678901234567890"] {
            assert!(is_integer_text(good), "{good}");
            assert!(is_decimal_text(good), "{good}");
        }
        for good in ["1.5", "-0.25", "9876543210.0123456789", "1e10", "2.5E-3"] {
            assert!(is_decimal_text(good), "{good}");
            assert!(!is_integer_text(good), "{good}");
        }
        for bad in [
            "", "-", "1.", ".5", "1e", "inf", "NaN", "1_000", "0x10", "1.2.3",
        ] {
            assert!(!is_decimal_text(bad), "{bad}");
            assert!(!is_integer_text(bad), "{bad}");
        }
    }

    #[test]
    fn document_has_a_string_a_number_list_and_a_nested_object() {
        assert_eq!(
            document("Doc"),
            json!({"string": "__Doc__", "numbers": [1, 2, 3], "nested": {"flag": true}})
        );
    }
}
