//! Format readers for the request-side check: each turns the document a client wrote (JSON,
//! XML, CBOR, form parameters) back into a [`Value`] of the model shape it stands for, the
//! way a server of the protocol reads it. They are the mirror of the writers ([`crate::json`],
//! [`crate::xml`], [`crate::cbor`]); which reader reads what is the protocol module's choice.
//!
//! Readers are lenient where servers are (unknown members are skipped, `null` is absent) and
//! strict where the value would otherwise be guessed (a number that does not fit its type
//! is an error naming the path).

pub(crate) mod cbor;
pub(crate) mod form;
pub(crate) mod json;
pub(crate) mod xml;

use std::cell::RefCell;
use std::collections::BTreeSet;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use snapshot_model::{Member, Shape, ShapeKind, SimpleType, Traits};
use snapshot_values::{Value, ValuePath};

use crate::OperationContext;

/// Why a request could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError {
    /// Where in the input value (or the request part, for framing problems).
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

impl DecodeError {
    pub(crate) fn new(path: &ValuePath, reason: impl Into<String>) -> Self {
        DecodeError {
            path: path.to_string(),
            reason: reason.into(),
        }
    }
}

/// What reading a request collects besides the value: the timestamps read from a format that
/// carries whole seconds only (http-date), which the comparison checks at that precision.
#[derive(Debug)]
pub(crate) struct Decoding<'c, 'a, 'm> {
    pub cx: &'c OperationContext<'a, 'm>,
    coarse: RefCell<BTreeSet<ValuePath>>,
}

impl<'c, 'a, 'm> Decoding<'c, 'a, 'm> {
    pub(crate) fn new(cx: &'c OperationContext<'a, 'm>) -> Self {
        Decoding {
            cx,
            coarse: RefCell::default(),
        }
    }

    /// The paths of timestamps read in whole seconds.
    pub(crate) fn into_coarse(self) -> BTreeSet<ValuePath> {
        self.coarse.into_inner()
    }

    /// A timestamp from its text in `format`, noting whole-second formats.
    pub(crate) fn timestamp(
        &self,
        text: &str,
        format: Format,
        path: &ValuePath,
    ) -> Result<Value, DecodeError> {
        let time = DateTime::from_str(text.trim(), format)
            .map_err(|error| DecodeError::new(path, format!("timestamp `{text}`: {error}")))?;
        if format == Format::HttpDate && time.subsec_nanos() == 0 {
            self.coarse.borrow_mut().insert(path.clone());
        }
        Ok(Value::Timestamp(millis(time)))
    }

    /// The value of a simple shape (or enum) from its text form (XML, form parameters,
    /// headers, labels, query): numbers in decimal, booleans `true`/`false`, blobs base64
    /// (`base64_blobs`; raw otherwise), timestamps in `format`.
    pub(crate) fn scalar_text(
        &self,
        shape: &Shape,
        text: &str,
        format: Format,
        path: &ValuePath,
    ) -> Result<Value, DecodeError> {
        let number = |kind: &str| DecodeError::new(path, format!("`{text}` is not a {kind}"));
        Ok(match &shape.kind {
            ShapeKind::Enum(_) => Value::Enum {
                variant: None,
                value: text.to_owned(),
            },
            ShapeKind::IntEnum(_) => Value::IntEnum {
                variant: None,
                value: text.trim().parse().map_err(|_| number("intEnum"))?,
            },
            ShapeKind::Simple(simple) => match simple {
                SimpleType::String => Value::String(text.to_owned()),
                SimpleType::Boolean => match text.trim() {
                    "true" => Value::Boolean(true),
                    "false" => Value::Boolean(false),
                    _ => return Err(number("boolean")),
                },
                SimpleType::Byte => Value::Byte(text.trim().parse().map_err(|_| number("byte"))?),
                SimpleType::Short => {
                    Value::Short(text.trim().parse().map_err(|_| number("short"))?)
                }
                SimpleType::Integer => {
                    Value::Integer(text.trim().parse().map_err(|_| number("integer"))?)
                }
                SimpleType::Long => Value::Long(text.trim().parse().map_err(|_| number("long"))?),
                SimpleType::Float => {
                    Value::Float(float_text(text).ok_or_else(|| number("float"))? as f32)
                }
                SimpleType::Double => {
                    Value::Double(float_text(text).ok_or_else(|| number("double"))?)
                }
                SimpleType::BigInteger => Value::BigInteger(text.trim().to_owned()),
                SimpleType::BigDecimal => Value::BigDecimal(text.trim().to_owned()),
                SimpleType::Blob => Value::Blob(
                    aws_smithy_types::base64::decode(text.trim())
                        .map_err(|error| DecodeError::new(path, format!("base64: {error}")))?,
                ),
                SimpleType::Timestamp => self.timestamp(text, format, path)?,
                SimpleType::Document => {
                    return Err(DecodeError::new(path, "a document has no text form"))
                }
            },
            _ => {
                return Err(DecodeError::new(
                    path,
                    format!("a {} has no text form", shape.kind.type_name()),
                ))
            }
        })
    }
}

/// Milliseconds since the epoch of `time` (sub-millisecond digits dropped, as the values
/// carry milliseconds).
pub(crate) fn millis(time: DateTime) -> i64 {
    time.secs() * 1000 + i64::from(time.subsec_nanos() / 1_000_000)
}

/// A float from text, with Smithy's spellings of the non-finite values.
pub(crate) fn float_text(text: &str) -> Option<f64> {
    match text.trim() {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        other => other.parse().ok(),
    }
}

/// The members of a structure or union shape (none for others).
pub(crate) fn members_of(shape: &Shape) -> &[Member] {
    match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => members,
        _ => &[],
    }
}

/// A structure value of `shape` from members read in any order, put in model order.
pub(crate) fn structure_value(shape: &Shape, mut read: Vec<(String, Value)>) -> Value {
    let mut members = Vec::with_capacity(read.len());
    for member in members_of(shape) {
        if let Some(index) = read.iter().position(|(name, _)| *name == member.name) {
            members.push(read.swap_remove(index));
        }
    }
    Value::Structure {
        shape: shape.id.clone(),
        members,
    }
}

/// The timestamp format of a member at a location whose protocol default is `default`.
pub(crate) fn timestamp_format(
    traits: &Traits,
    default: snapshot_model::traits::TimestampFormat,
) -> Format {
    crate::timestamps::format_for(traits, default)
}

/// A protocol's reader of the documents in a request: the body document, payloads and event
/// payloads.
pub(crate) trait DocumentReader<'m> {
    /// The members of `shape` a document holds (those `wanted`: the body members of a REST
    /// input, or the members of an event other than its headers), in model order.
    fn members(
        &self,
        bytes: &[u8],
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError>;

    /// A value of `member`'s target as a whole document (an `@httpPayload` or `@eventPayload`
    /// structure, union or document); `None` for a JSON or CBOR `null`.
    fn member(
        &self,
        bytes: &[u8],
        member: &'m Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError>;
}

impl<'m> DocumentReader<'m> for json::JsonReader<'_, '_, '_, 'm> {
    fn members(
        &self,
        bytes: &[u8],
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        json::JsonReader::members(self, bytes, shape, wanted, path)
    }

    fn member(
        &self,
        bytes: &[u8],
        member: &'m Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        self.document(bytes, member, path)
    }
}

/// XML documents are rooted at the structure's name, payloads at the payload root name, as
/// the writers root them.
impl<'m> DocumentReader<'m> for xml::XmlReader<'_, '_, '_, 'm> {
    fn members(
        &self,
        bytes: &[u8],
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let root = crate::xml::structure_root_name(shape);
        xml::XmlReader::members(self, bytes, root, shape, wanted, path)
    }

    fn member(
        &self,
        bytes: &[u8],
        member: &'m Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        let root = crate::xml::payload_root_name(member, self.target(member));
        self.document(bytes, root, member, path).map(Some)
    }
}

/// CBOR maps are keyed by member name; every member of an RPC input is in the body.
impl<'m> DocumentReader<'m> for cbor::CborReader<'_, '_, '_, 'm> {
    fn members(
        &self,
        bytes: &[u8],
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let mut read = cbor::CborReader::members(self, bytes, shape, path)?;
        read.retain(|(name, _)| {
            members_of(shape)
                .iter()
                .any(|member| member.name == *name && wanted(member))
        });
        Ok(read)
    }

    fn member(
        &self,
        bytes: &[u8],
        member: &'m Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        self.document(bytes, member, path)
    }
}
