//! The round trip (SPEC §7a): what a client must give back from a replayed response
//! ([`Expected`]), what it gave ([`TypedValue`], read through its typed accessors in the
//! harness), and where the two differ ([`RoundTrip`], [`Finding`]).
//!
//! [`TypedValue`] is neutral: neither the generator's value type nor the client's Rust types,
//! so that the CLI can write the expected side into the plan and the harness can read the
//! client's side into the same form and compare them in its own process.
//!
//! Value paths in findings use the generator's format: the root (the output or error shape's
//! name), `.Member` for structure, union and event-stream members (model member names, never
//! Rust field names), `[i]` for list elements and `{key}` for map entries.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A value as plain data: generated values and what a client read back, in one form.
///
/// Scalars are typed as far as comparison needs: every Smithy integer type and `intEnum` is
/// an [`TypedValue::Integer`], `float` and `double` a [`TypedValue::Float`] (an `f32` widened
/// to `f64` exactly), enum values their wire string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypedValue {
    /// A null entry of a `@sparse` list or map, or a document null.
    Null,
    /// `boolean`
    Boolean(bool),
    /// `byte`, `short`, `integer`, `long`, `intEnum`.
    Integer(i64),
    /// `float` and `double`, compared by bits (so `NaN` equals the same `NaN`).
    Float(#[serde(with = "float_bits")] f64),
    /// `bigInteger` and `bigDecimal`, as decimal text.
    BigNumber(String),
    /// `string`, and the wire value of an `enum` (the client's `as_str()`).
    String(String),
    /// `blob`, streaming or not.
    Blob(#[serde(with = "crate::base64_bytes")] Vec<u8>),
    /// `timestamp`.
    Timestamp(Timestamp),
    /// A `document`; inside it, numbers compare by value whatever their type.
    Document(Box<TypedValue>),
    /// `list` and `set` elements, in order.
    List(Vec<TypedValue>),
    /// `map` entries (keys as text; enum keys their wire value).
    Map(Vec<(String, TypedValue)>),
    /// A structure's members that are set, by model member name.
    Structure(Vec<(String, TypedValue)>),
    /// A union with its one set member (model member name); a unit member holds an empty
    /// structure. Also a modeled error inside an operation's error enum (the member is the
    /// error shape's name in the service).
    Union {
        /// Model member name (or error shape name).
        member: String,
        /// Its value.
        value: Box<TypedValue>,
    },
    /// An event stream: the events (each a [`TypedValue::Union`]) and, when the stream ended
    /// with an error, that error (a [`TypedValue::Union`] of the exception event, or
    /// [`TypedValue::Unknown`]).
    EventStream {
        /// Events in order.
        events: Vec<TypedValue>,
        /// The error the stream ended with.
        error: Option<Box<TypedValue>>,
    },
    /// Something the client holds but cannot name as a modeled value: a union's `Unknown`
    /// variant, an error it did not match to a modeled variant, a body stream that failed.
    Unknown(String),
}

/// A point in time and the precision it is compared at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// Whole seconds since the Unix epoch (floor).
    pub seconds: i64,
    /// Nanoseconds past `seconds` (`0..1_000_000_000`).
    pub nanos: u32,
    /// On an expected value, the precision the wire format carries (an http-date has whole
    /// seconds); a value a client read has [`Precision::Nanos`].
    pub precision: Precision,
}

/// How much of a timestamp a wire format carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Whole seconds (http-date).
    Seconds,
    /// Milliseconds (date-time and epoch-seconds as servers write them, event headers).
    Millis,
    /// Everything the value holds.
    Nanos,
}

impl Precision {
    /// Nanoseconds per unit of this precision.
    pub fn unit_nanos(self) -> u32 {
        match self {
            Precision::Seconds => 1_000_000_000,
            Precision::Millis => 1_000_000,
            Precision::Nanos => 1,
        }
    }
}

impl Timestamp {
    /// A timestamp from milliseconds since the epoch, at `precision` (truncated to it).
    pub fn from_millis(millis: i64, precision: Precision) -> Timestamp {
        let seconds = millis.div_euclid(1000);
        // rem_euclid is in 0..1000, so the product fits in u32.
        let nanos = u32::try_from(millis.rem_euclid(1000)).unwrap_or(0) * 1_000_000;
        Timestamp {
            seconds,
            nanos,
            precision,
        }
        .truncated(precision)
    }

    /// The same instant with the sub-second part cut down to `precision` (towards the past).
    pub fn truncated(self, precision: Precision) -> Timestamp {
        let unit = precision.unit_nanos();
        Timestamp {
            seconds: self.seconds,
            nanos: self.nanos - self.nanos % unit,
            precision,
        }
    }
}

/// What a replayed case must give back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    /// The root of value paths (the output or error shape's name).
    pub root: String,
    /// The value the response carries, as the client should read it.
    pub value: TypedValue,
    /// For a modeled error: the error shape's name in the service (renames applied), which
    /// must be the variant the client reports; `value` is then that error's structure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The result of a round-trip check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoundTrip {
    /// Values (scalars, and events and variants by name) that came back equal.
    pub equal: usize,
    /// Where the client's value differs from the expected one, in value order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

impl RoundTrip {
    /// The paths that came back absent.
    pub fn lost(&self) -> impl Iterator<Item = &str> {
        self.findings.iter().filter_map(|finding| match finding {
            Finding::Lost { path } => Some(path.as_str()),
            Finding::Changed { .. } => None,
        })
    }

    /// The values that came back different.
    pub fn changed(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| matches!(finding, Finding::Changed { .. }))
    }
}

/// One difference between what was sent and what the client gave back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// Set in the response, absent from the client's value (for the root path: the client
    /// returned no value at all).
    Lost {
        /// Value path.
        path: String,
    },
    /// Present but different: another value, type, union member or length.
    Changed {
        /// Value path.
        path: String,
        /// What the response carried.
        sent: TypedValue,
        /// What the client holds.
        received: TypedValue,
    },
}

impl Finding {
    /// The value path.
    pub fn path(&self) -> &str {
        match self {
            Finding::Lost { path } | Finding::Changed { path, .. } => path,
        }
    }
}

/// Aggregates nested deeper than this are summarized (`[3 items]`) in the text form.
const SHOWN_DEPTH: usize = 2;
/// Blob bytes shown before the rest is summarized.
const SHOWN_BYTES: usize = 16;

/// A short, stable text form: strings quoted with Rust escapes, floats in Smithy's
/// spelling of non-finite values, timestamps in RFC 3339 at their precision, blobs in hex,
/// aggregates with nested aggregates summarized.
impl fmt::Display for TypedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show(self, 0, f)
    }
}

fn show(value: &TypedValue, depth: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match value {
        TypedValue::Null => f.write_str("null"),
        TypedValue::Boolean(flag) => write!(f, "{flag}"),
        TypedValue::Integer(number) => write!(f, "{number}"),
        TypedValue::Float(number) if number.is_nan() => f.write_str("NaN"),
        TypedValue::Float(number) if number.is_infinite() => f.write_str(if *number > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }),
        TypedValue::Float(number) => write!(f, "{number:?}"),
        TypedValue::BigNumber(text) => f.write_str(text),
        TypedValue::String(text) => write!(f, "{text:?}"),
        TypedValue::Blob(bytes) => {
            f.write_str("blob")?;
            for byte in bytes.iter().take(SHOWN_BYTES) {
                write!(f, " {byte:02x}")?;
            }
            if bytes.len() > SHOWN_BYTES {
                write!(f, " … ({} bytes)", bytes.len())?;
            }
            Ok(())
        }
        TypedValue::Timestamp(timestamp) => write!(f, "{timestamp}"),
        TypedValue::Document(inner) => {
            f.write_str("document ")?;
            show(inner, depth, f)
        }
        TypedValue::List(items) if depth >= SHOWN_DEPTH => {
            write!(f, "[{}]", counted(items.len(), "item"))
        }
        TypedValue::List(items) => {
            f.write_str("[")?;
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    f.write_str(", ")?;
                }
                show(item, depth + 1, f)?;
            }
            f.write_str("]")
        }
        TypedValue::Map(entries) | TypedValue::Structure(entries) if depth >= SHOWN_DEPTH => {
            write!(f, "{{{}}}", counted(entries.len(), "entry"))
        }
        TypedValue::Map(entries) | TypedValue::Structure(entries) => {
            f.write_str("{")?;
            for (index, (key, item)) in entries.iter().enumerate() {
                if index > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{key}: ")?;
                show(item, depth + 1, f)?;
            }
            f.write_str("}")
        }
        TypedValue::Union { member, value } => {
            write!(f, "{member}(")?;
            show(value, depth + 1, f)?;
            f.write_str(")")
        }
        TypedValue::EventStream { events, error } => {
            write!(f, "event stream of {}", counted(events.len(), "event"))?;
            match error {
                Some(error) => {
                    f.write_str(", ending with ")?;
                    show(error, depth + 1, f)
                }
                None => f.write_str(", ending normally"),
            }
        }
        TypedValue::Unknown(what) => write!(f, "<{what}>"),
    }
}

/// `1 item`, `3 items`, `2 entries`.
fn counted(count: usize, noun: &str) -> String {
    match (count, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        (_, None) => format!("{count} {noun}s"),
    }
}

/// RFC 3339 in UTC, with as many fraction digits as the precision carries (none for whole
/// seconds; trailing zeros of nanoseconds dropped).
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let second_of_day = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            second_of_day / 3600,
            second_of_day % 3600 / 60,
            second_of_day % 60
        )?;
        match self.precision {
            Precision::Seconds => {}
            Precision::Millis => write!(f, ".{:03}", self.nanos / 1_000_000)?,
            Precision::Nanos => {
                let digits = format!("{:09}", self.nanos);
                let digits = digits.trim_end_matches('0');
                if !digits.is_empty() {
                    write!(f, ".{digits}")?;
                }
            }
        }
        f.write_str("Z")
    }
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01), by the well-known
/// era-based conversion (400-year cycles of 146 097 days).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // day is in 1..=31 and month in 1..=12 by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// Floats as their IEEE 754 bits, so every value (NaN payloads, -0.0, infinities) survives
/// JSON exactly.
mod float_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(value.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        u64::deserialize(deserializer).map(f64::from_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_json_exactly() {
        let value = TypedValue::Structure(vec![
            ("Nan".into(), TypedValue::Float(f64::NAN)),
            ("NegativeZero".into(), TypedValue::Float(-0.0)),
            ("Blob".into(), TypedValue::Blob(vec![1, 0, 0, 1])),
            (
                "When".into(),
                TypedValue::Timestamp(Timestamp::from_millis(946_702_799_999, Precision::Millis)),
            ),
            (
                "Choice".into(),
                TypedValue::Union {
                    member: "Unit".into(),
                    value: Box::new(TypedValue::Structure(Vec::new())),
                },
            ),
        ]);
        let json = serde_json::to_string(&value).unwrap();
        let back: TypedValue = serde_json::from_str(&json).unwrap();
        let TypedValue::Structure(members) = &back else {
            panic!("{back:?}")
        };
        let TypedValue::Float(nan) = members[0].1 else {
            panic!("{back:?}")
        };
        assert_eq!(nan.to_bits(), f64::NAN.to_bits());
        let TypedValue::Float(zero) = members[1].1 else {
            panic!("{back:?}")
        };
        assert_eq!(zero.to_bits(), (-0.0f64).to_bits());
        let TypedValue::Structure(sent) = &value else {
            panic!("{value:?}")
        };
        assert_eq!(members[2..], sent[2..]);
    }

    #[test]
    fn timestamps_print_at_their_precision() {
        let millis = 946_702_799_999;
        assert_eq!(
            Timestamp::from_millis(millis, Precision::Millis).to_string(),
            "2000-01-01T04:59:59.999Z"
        );
        assert_eq!(
            Timestamp::from_millis(millis, Precision::Seconds).to_string(),
            "2000-01-01T04:59:59Z"
        );
        let read = Timestamp {
            seconds: 946_702_799,
            nanos: 998_999_953,
            precision: Precision::Nanos,
        };
        assert_eq!(read.to_string(), "2000-01-01T04:59:59.998999953Z");
        assert_eq!(
            Timestamp::from_millis(-1, Precision::Millis).to_string(),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(
            Timestamp::from_millis(951_782_400_000, Precision::Seconds).to_string(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn aggregates_nested_deeply_are_summarized() {
        let value = TypedValue::Structure(vec![(
            "Tags".into(),
            TypedValue::List(vec![TypedValue::Structure(vec![(
                "Key".into(),
                TypedValue::String("k".into()),
            )])]),
        )]);
        assert_eq!(value.to_string(), "{Tags: [{1 entry}]}");
        assert_eq!(
            TypedValue::Blob(vec![1, 0, 0, 1]).to_string(),
            "blob 01 00 00 01"
        );
        assert_eq!(
            TypedValue::Float(f64::NEG_INFINITY).to_string(),
            "-Infinity"
        );
    }
}
