//! JSON documents for restJson1 and awsJson1_0/1_1 bodies and event payloads, written with
//! `aws-smithy-json`'s writer (the one smithy-rs servers use), so numbers, escapes and
//! non-finite floats are spelled as the clients' token reader expects.

use aws_smithy_json::serialize::{JsonObjectWriter, JsonValueWriter};
use aws_smithy_types::Number;
use snapshot_model::traits::TimestampFormat;
use snapshot_model::{Member, Protocol, Shape, Traits};
use snapshot_values::{Value, ValuePath};

use crate::event_stream::EventCodec;
use crate::shaped::{self, member_path, Field, Scalar, Shaped};
use crate::variants::{Malformation, CUT_MEMBER, UNKNOWN_MEMBER, UNKNOWN_VALUE, WRONG_TYPE_TEXT};
use crate::{timestamps, OperationContext, WireError};

/// The media type of JSON documents (bodies of restJson1, and event payloads of every JSON
/// protocol: the clients' JSON codecs declare `application/json` for events).
pub(crate) const MEDIA_TYPE: &str = "application/json";

/// Writes JSON for one operation of a JSON protocol.
pub(crate) struct JsonWriter<'c, 'a, 'm> {
    cx: &'c OperationContext<'a, 'm>,
    protocol: Protocol,
    /// restJson1 honours `@jsonName`; the awsJson protocols ignore it.
    use_json_name: bool,
}

impl<'c, 'a, 'm> JsonWriter<'c, 'a, 'm> {
    pub(crate) fn new(
        cx: &'c OperationContext<'a, 'm>,
        protocol: Protocol,
        use_json_name: bool,
    ) -> Self {
        JsonWriter {
            cx,
            protocol,
            use_json_name,
        }
    }

    /// A structure's fields as one JSON object; `leading` entries (such as `__type`) come
    /// first. `members` are the members the object stands for, set or not (for the
    /// [`ResponseStyle`](crate::context::ResponseStyle) knobs that name unset members).
    pub(crate) fn object(
        &self,
        leading: &[(&str, &str)],
        members: &[&'m Member],
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.object_between(leading, &[], members, fields, path)
    }

    /// As [`Self::object`], with string entries `trailing` after the members (an error's
    /// metadata message, [`crate::ErrorForm::MessageMember`]).
    pub(crate) fn object_between(
        &self,
        leading: &[(&str, &str)],
        trailing: &[(&str, &str)],
        members: &[&'m Member],
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        let mut out = String::new();
        let mut object = JsonObjectWriter::new(&mut out);
        for (key, value) in leading {
            object.key(key).string(value);
        }
        self.write_fields(&mut object, members, fields, path)?;
        for (key, value) in trailing {
            object.key(key).string(value);
        }
        object.finish();
        Ok(self.top_level(out))
    }

    /// A value of `member`'s target as a whole document (an `@httpPayload` or
    /// `@eventPayload` structure, union or document).
    pub(crate) fn document(
        &self,
        member: &Member,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        let mut out = String::new();
        let traits = self.cx.model().effective_traits(member);
        self.write(
            JsonValueWriter::new(&mut out),
            &traits,
            self.cx.target(member),
            value,
            path,
        )?;
        Ok(self.top_level(out))
    }

    /// The bytes of a whole document; a [`Malformation::WrongRoot`] one sits inside an array,
    /// a [`Malformation::TrailingTokens`] one is followed by another.
    fn top_level(&self, document: String) -> Vec<u8> {
        match self.cx.style().malformation {
            Some(Malformation::WrongRoot) => format!("[{document}]").into_bytes(),
            Some(Malformation::TrailingTokens) => format!("{document} {{}}").into_bytes(),
            _ => document.into_bytes(),
        }
    }

    fn key<'k>(&self, member: &'k Member) -> &'k str {
        let renamed = if self.use_json_name {
            member.traits.json_name()
        } else {
            None
        };
        renamed.unwrap_or(&member.name)
    }

    /// Writes the set `fields` of a structure whose members are `members`, then what the
    /// style adds: `null` for each unset member, an unknown member.
    fn write_fields(
        &self,
        object: &mut JsonObjectWriter<'_>,
        members: &[&'m Member],
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<(), WireError> {
        for field in fields {
            self.write_field(object, field, path)?;
        }
        let style = self.cx.style();
        if style.null_members {
            for member in members {
                if !fields.iter().any(|field| field.member.name == member.name) {
                    object.key(self.key(member)).null();
                }
            }
        }
        if style.unknown_members {
            object.key(UNKNOWN_MEMBER).string(UNKNOWN_VALUE);
        }
        self.cut_mark(object, path);
        Ok(())
    }

    /// The key a [`Malformation::CutInside`] response ends before, in the object it cuts.
    fn cut_mark(&self, object: &mut JsonObjectWriter<'_>, path: &ValuePath) {
        if self.cx.cuts_at(path) {
            object.key(CUT_MEMBER).string(UNKNOWN_VALUE);
        }
    }

    fn write_field(
        &self,
        object: &mut JsonObjectWriter<'_>,
        field: &Field<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let traits = self.cx.model().effective_traits(field.member);
        self.write(
            object.key(self.key(field.member)),
            &traits,
            self.cx.target(field.member),
            field.value,
            &member_path(path, field),
        )
    }

    /// A union object: its one member, or what the style puts there instead (an unknown
    /// member) or around it (`null` siblings).
    fn write_union(
        &self,
        object: &mut JsonObjectWriter<'_>,
        shape: &'m Shape,
        field: &Field<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let style = self.cx.style();
        if style.unknown_union_members {
            object.key(UNKNOWN_MEMBER).string(UNKNOWN_VALUE);
            return Ok(());
        }
        if !style.null_union_siblings {
            self.write_field(object, field, path)?;
            self.cut_mark(object, path);
            return Ok(());
        }
        for member in shape.kind.members() {
            if member.name == field.member.name {
                self.write_field(object, field, path)?;
            } else {
                object.key(self.key(member)).null();
            }
        }
        Ok(())
    }

    fn write(
        &self,
        writer: JsonValueWriter<'_>,
        traits: &Traits,
        shape: &'m Shape,
        value: &Value,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let shaped = shaped::read(self.cx, shape, value, path)?;
        self.write_shaped(writer, traits, shape, shaped, path)
    }

    fn write_shaped(
        &self,
        writer: JsonValueWriter<'_>,
        traits: &Traits,
        shape: &'m Shape,
        shaped: Shaped<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        match shaped {
            Shaped::Structure(fields) => {
                let mut object = writer.start_object();
                self.write_fields(&mut object, &shape.kind.members(), &fields, path)?;
                object.finish();
            }
            Shaped::Union(field) => {
                let mut object = writer.start_object();
                self.write_union(&mut object, shape, &field, path)?;
                object.finish();
            }
            Shaped::EventStream(_) => {
                return Err(self.unsupported(path, "an event stream inside a document"))
            }
            Shaped::List { member, items } => {
                let item_traits = self.cx.model().effective_traits(member);
                let target = self.cx.target(member);
                let mut array = writer.start_array();
                for (index, item) in items.iter().enumerate() {
                    let item_path = path.index(index);
                    match shaped::entry(self.cx, shape, member, item, &item_path)? {
                        None => array.value().null(),
                        Some(shaped) => self.write_shaped(
                            array.value(),
                            &item_traits,
                            target,
                            shaped,
                            &item_path,
                        )?,
                    }
                }
                array.finish();
            }
            Shaped::Map { value, entries, .. } => {
                let value_traits = self.cx.model().effective_traits(value);
                let target = self.cx.target(value);
                let mut object = writer.start_object();
                for (key, entry) in entries {
                    let entry_path = path.key(key);
                    match shaped::entry(self.cx, shape, value, entry, &entry_path)? {
                        None => object.key(key).null(),
                        Some(shaped) => self.write_shaped(
                            object.key(key),
                            &value_traits,
                            target,
                            shaped,
                            &entry_path,
                        )?,
                    }
                }
                self.cut_mark(&mut object, path);
                object.finish();
            }
            Shaped::Scalar(scalar) => self.write_scalar(writer, traits, scalar, path)?,
        }
        Ok(())
    }

    fn write_scalar(
        &self,
        writer: JsonValueWriter<'_>,
        traits: &Traits,
        scalar: Scalar<'_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        // Documents take any JSON value, so they have no wrong type.
        let wrong_type = self.cx.style().malformation == Some(Malformation::WrongType);
        if wrong_type && !matches!(scalar, Scalar::Document(_)) {
            match scalar {
                Scalar::String(_) | Scalar::Blob(_) => writer.number(Number::PosInt(0)),
                _ => writer.string(WRONG_TYPE_TEXT),
            }
            return Ok(());
        }
        match scalar {
            Scalar::Boolean(value) => writer.boolean(value),
            Scalar::Byte(value) => writer.number(integer(i64::from(value))),
            Scalar::Short(value) => writer.number(integer(i64::from(value))),
            Scalar::Integer(value) => writer.number(integer(i64::from(value))),
            Scalar::Long(value) => writer.number(integer(value)),
            // The shortest text that reads back as the same f32, rather than the widened f64's
            // digits (0.1f32 would otherwise go out as 0.10000000149011612).
            Scalar::Float(value) => writer.number(Number::Float(if value.is_finite() {
                value.to_string().parse().unwrap_or(f64::from(value))
            } else {
                f64::from(value)
            })),
            Scalar::Double(value) => writer.number(Number::Float(value)),
            Scalar::BigInteger(text) | Scalar::BigDecimal(text) => {
                writer.write_raw_value(&json_number(text))
            }
            Scalar::String(text) => writer.string(text),
            Scalar::Blob(bytes) => writer.string(&aws_smithy_types::base64::encode(bytes)),
            Scalar::Timestamp(millis) => {
                let format = timestamps::format_for(traits, TimestampFormat::EpochSeconds);
                let text = timestamps::text(self.cx, millis, format, path)?;
                match format {
                    aws_smithy_types::date_time::Format::EpochSeconds => {
                        writer.write_raw_value(&text)
                    }
                    _ => writer.string(&text),
                }
            }
            Scalar::Document(document) => write_document(writer, document),
        }
        Ok(())
    }

    fn unsupported(&self, path: &ValuePath, what: &'static str) -> WireError {
        self.cx.unsupported(self.protocol, path, what)
    }
}

impl<'m> EventCodec<'m> for JsonWriter<'_, '_, 'm> {
    fn structure_of_nothing(&self) -> Vec<u8> {
        b"{}".to_vec()
    }

    fn protocol(&self) -> Protocol {
        self.protocol
    }

    fn media_type(&self) -> &'static str {
        MEDIA_TYPE
    }

    fn structure(
        &self,
        shape: &'m Shape,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.object(&[], &shape.kind.members(), fields, path)
    }

    fn member(
        &self,
        member: &'m Member,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.document(member, value, path)
    }
}

/// A flat object of string entries (the bodies of unmodeled errors).
pub(crate) fn string_object(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::new();
    let mut object = JsonObjectWriter::new(&mut out);
    for (key, value) in entries {
        object.key(key).string(value);
    }
    object.finish();
    out.into_bytes()
}

fn integer(value: i64) -> Number {
    match u64::try_from(value) {
        Ok(positive) => Number::PosInt(positive),
        Err(_) => Number::NegInt(value),
    }
}

/// A validated big number as a JSON number: JSON has no leading `+`, and needs a digit on both
/// sides of the decimal point, which Smithy's big-number text does not require.
fn json_number(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(index) => unsigned.split_at(index),
        None => (unsigned, ""),
    };
    let mantissa = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            let whole = if whole.is_empty() { "0" } else { whole };
            if fraction.is_empty() {
                whole.to_owned()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => mantissa.to_owned(),
    };
    let exponent = match exponent.get(1..) {
        Some(rest) => format!("e{}", rest.strip_prefix('+').unwrap_or(rest)),
        None => String::new(),
    };
    format!("{sign}{mantissa}{exponent}")
}

/// Documents keep the order of the generated JSON (serde_json's map is sorted by key).
fn write_document(writer: JsonValueWriter<'_>, document: &serde_json::Value) {
    match document {
        serde_json::Value::Null => writer.null(),
        serde_json::Value::Bool(value) => writer.boolean(*value),
        serde_json::Value::Number(number) => {
            if let Some(value) = number.as_u64() {
                writer.number(Number::PosInt(value))
            } else if let Some(value) = number.as_i64() {
                writer.number(Number::NegInt(value))
            } else {
                writer.number(Number::Float(number.as_f64().unwrap_or(f64::NAN)))
            }
        }
        serde_json::Value::String(text) => writer.string(text),
        serde_json::Value::Array(items) => {
            let mut array = writer.start_array();
            for item in items {
                write_document(array.value(), item);
            }
            array.finish();
        }
        serde_json::Value::Object(entries) => {
            let mut object = writer.start_object();
            for (key, value) in entries {
                write_document(object.key(key), value);
            }
            object.finish();
        }
    }
}

/// Whether `form` can name `error` in a JSON body. The clients read the error code from a
/// string `code` key before `__type` (aws-smithy-json's and the generated `json_errors.rs`
/// `parse_error_body`), so an error shape whose own body member is keyed `code` (Glacier's
/// string `code`, Machine Learning's integer `code`) takes that key: with a string member the
/// `__type` forms name the member's value instead of the error, and the `code` form would write
/// the key twice. Such a shape is sent in the protocol's own form only. `key` gives a member's
/// JSON key (restJson1 honours `@jsonName`, awsJson does not); `in_body` whether it is a body
/// member.
pub(crate) fn error_form_names_the_error(
    cx: &OperationContext<'_, '_>,
    error: &crate::ModeledError<'_>,
    form: crate::ErrorForm,
    key: impl Fn(&Member) -> &str,
    in_body: impl Fn(&Member) -> bool,
) -> bool {
    use crate::ErrorForm;
    let code_members: Vec<&Member> = error
        .shape()
        .kind
        .members()
        .into_iter()
        .filter(|member| in_body(member) && key(member) == "code")
        .collect();
    match form {
        ErrorForm::CodeMember => code_members.is_empty(),
        ErrorForm::TypeWithNamespace | ErrorForm::TypeBare | ErrorForm::TypeWithUri => {
            !code_members.iter().any(|member| {
                cx.shape(&member.target).is_ok_and(|target| {
                    matches!(
                        target.kind,
                        snapshot_model::ShapeKind::Simple(snapshot_model::SimpleType::String)
                            | snapshot_model::ShapeKind::Enum(_)
                    )
                })
            })
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::json_number;

    #[test]
    fn big_numbers_become_json_numbers() {
        assert_eq!(
            json_number("9876543210.0123456789"),
            "9876543210.0123456789"
        );
        assert_eq!(json_number("+5"), "5");
        assert_eq!(json_number(".5"), "0.5");
        assert_eq!(json_number("-.5"), "-0.5");
        assert_eq!(json_number("5."), "5");
        assert_eq!(json_number("1.5E+10"), "1.5e10");
        assert_eq!(json_number("-1000001"), "-1000001");
    }
}
