//! A value read against its model shape: the one place that checks that the generated
//! [`Value`] fits the model, so the format writers only match on what they may write.

use snapshot_model::{Member, Shape, ShapeKind, SimpleType};
use snapshot_values::{Value, ValuePath};

use crate::variants::Malformation;
use crate::{OperationContext, WireError};

/// A set member of a structure (or the set member of a union) with its value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'m, 'v> {
    pub member: &'m Member,
    pub value: &'v Value,
}

/// A value checked against its shape.
#[derive(Debug)]
pub(crate) enum Shaped<'m, 'v> {
    Structure(Vec<Field<'m, 'v>>),
    Union(Field<'m, 'v>),
    /// A `@streaming` union: events in order.
    EventStream(Vec<Field<'m, 'v>>),
    List {
        member: &'m Member,
        items: &'v [Value],
    },
    Map {
        key: &'m Member,
        value: &'m Member,
        entries: &'v [(String, Value)],
    },
    Scalar(Scalar<'v>),
}

/// A simple value, typed by what goes on the wire (enums are their wire value).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scalar<'v> {
    Boolean(bool),
    Byte(i8),
    Short(i16),
    /// `integer` and `intEnum`.
    Integer(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    BigInteger(&'v str),
    BigDecimal(&'v str),
    /// `string`, `enum` and Smithy 1.0 `@enum` strings.
    String(&'v str),
    /// `blob`, streaming or not.
    Blob(&'v [u8]),
    /// Milliseconds since the epoch.
    Timestamp(i64),
    Document(&'v serde_json::Value),
}

impl Scalar<'_> {
    /// The text of a simple value where a protocol writes values as text (XML and query
    /// bodies, headers): blobs in base64, timestamps in `format`, non-finite floats as Smithy
    /// spells them. `None` for documents, which have no text form.
    pub(crate) fn text(
        &self,
        cx: &OperationContext<'_, '_>,
        format: aws_smithy_types::date_time::Format,
        path: &ValuePath,
    ) -> Result<Option<String>, WireError> {
        Ok(Some(match *self {
            Scalar::Boolean(value) => value.to_string(),
            Scalar::Byte(value) => value.to_string(),
            Scalar::Short(value) => value.to_string(),
            Scalar::Integer(value) => value.to_string(),
            Scalar::Long(value) => value.to_string(),
            Scalar::Float(value) => float_text(f64::from(value), value.to_string()),
            Scalar::Double(value) => float_text(value, value.to_string()),
            Scalar::BigInteger(text) | Scalar::BigDecimal(text) | Scalar::String(text) => {
                text.to_owned()
            }
            Scalar::Blob(bytes) => aws_smithy_types::base64::encode(bytes),
            Scalar::Timestamp(millis) => crate::timestamps::text(cx, millis, format, path)?,
            Scalar::Document(_) => return Ok(None),
        }))
    }
}

/// Smithy spells the non-finite floats `NaN`, `Infinity` and `-Infinity` in every text format.
fn float_text(value: f64, finite: String) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        finite
    }
}

/// The kind of a value, for messages.
pub(crate) fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Boolean(_) => "boolean",
        Value::Byte(_) => "byte",
        Value::Short(_) => "short",
        Value::Integer(_) => "integer",
        Value::Long(_) => "long",
        Value::Float(_) => "float",
        Value::Double(_) => "double",
        Value::BigInteger(_) => "bigInteger",
        Value::BigDecimal(_) => "bigDecimal",
        Value::String(_) => "string",
        Value::Enum { .. } => "enum value",
        Value::IntEnum { .. } => "intEnum value",
        Value::Blob(_) => "blob",
        Value::StreamingBlob(_) => "streaming blob",
        Value::Timestamp(_) => "timestamp",
        Value::Document(_) => "document",
        Value::List(_) => "list",
        Value::Map(_) => "map",
        Value::Structure { .. } => "structure",
        Value::Union { .. } => "union",
        Value::EventStream { .. } => "event stream",
    }
}

/// Reads `value` as an instance of `shape`. A `Null` is never accepted here: collections
/// check `@sparse` before reading their entries.
pub(crate) fn read<'m, 'v>(
    cx: &OperationContext<'_, 'm>,
    shape: &'m Shape,
    value: &'v Value,
    path: &ValuePath,
) -> Result<Shaped<'m, 'v>, WireError> {
    let mismatch = || cx.mismatch(path, shape, value_kind(value));
    let malformation = cx.style().malformation;
    let shaped = match (&shape.kind, value) {
        // The one aggregate a nested-wrong-type response breaks is a string in the value.
        (
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::List(_)
            | ShapeKind::Set(_)
            | ShapeKind::Map { .. },
            Value::String(text),
        ) if malformation == Some(Malformation::NestedWrongType) => {
            Shaped::Scalar(Scalar::String(text))
        }
        (
            ShapeKind::Structure(members),
            Value::Structure {
                shape: id,
                members: set,
            },
        ) => {
            if *id != shape.id {
                return Err(mismatch());
            }
            Shaped::Structure(fields(cx, shape, members, set, path)?)
        }
        (
            ShapeKind::Union(members),
            Value::Union {
                shape: id,
                member,
                value,
            },
        ) => {
            if *id != shape.id {
                return Err(mismatch());
            }
            let member = find_member(cx, shape, members, member, path)?;
            Shaped::Union(Field { member, value })
        }
        (ShapeKind::Union(members), Value::EventStream { shape: id, events })
            if shape.traits.is_streaming() =>
        {
            if *id != shape.id {
                return Err(mismatch());
            }
            let events = events
                .iter()
                .map(|(name, value)| {
                    Ok(Field {
                        member: find_member(cx, shape, members, name, path)?,
                        value,
                    })
                })
                .collect::<Result<_, WireError>>()?;
            Shaped::EventStream(events)
        }
        (ShapeKind::List(member) | ShapeKind::Set(member), Value::List(items)) => {
            Shaped::List { member, items }
        }
        (
            ShapeKind::Map {
                key,
                value: value_member,
            },
            Value::Map(entries),
        ) => Shaped::Map {
            key,
            value: value_member,
            entries,
        },
        (ShapeKind::Enum(_), Value::Enum { value, .. } | Value::String(value)) => {
            Shaped::Scalar(Scalar::String(value))
        }
        (ShapeKind::IntEnum(_), Value::IntEnum { value, .. } | Value::Integer(value)) => {
            Shaped::Scalar(Scalar::Integer(*value))
        }
        (ShapeKind::Simple(simple), value) => {
            Shaped::Scalar(scalar(cx, *simple, value, path).ok_or_else(mismatch)??)
        }
        _ => return Err(mismatch()),
    };
    Ok(shaped)
}

/// `Some(Err)` for a value of the right kind whose content is invalid, `None` for a wrong kind.
fn scalar<'v>(
    cx: &OperationContext<'_, '_>,
    simple: SimpleType,
    value: &'v Value,
    path: &ValuePath,
) -> Option<Result<Scalar<'v>, WireError>> {
    let invalid = |kind: &'static str, text: &str| WireError::InvalidNumber {
        operation: cx.name(),
        path: path.to_string(),
        kind,
        text: text.to_owned(),
    };
    let scalar = match (simple, value) {
        (SimpleType::Boolean, Value::Boolean(value)) => Scalar::Boolean(*value),
        (SimpleType::Byte, Value::Byte(value)) => Scalar::Byte(*value),
        (SimpleType::Short, Value::Short(value)) => Scalar::Short(*value),
        (SimpleType::Integer, Value::Integer(value)) => Scalar::Integer(*value),
        (SimpleType::Long, Value::Long(value)) => Scalar::Long(*value),
        (SimpleType::Float, Value::Float(value)) => Scalar::Float(*value),
        (SimpleType::Double, Value::Double(value)) => Scalar::Double(*value),
        (SimpleType::BigInteger, Value::BigInteger(text)) => {
            if text.parse::<aws_smithy_types::BigInteger>().is_err() {
                return Some(Err(invalid("bigInteger", text)));
            }
            Scalar::BigInteger(text)
        }
        (SimpleType::BigDecimal, Value::BigDecimal(text)) => {
            if text.parse::<aws_smithy_types::BigDecimal>().is_err() {
                return Some(Err(invalid("bigDecimal", text)));
            }
            Scalar::BigDecimal(text)
        }
        (SimpleType::String, Value::String(text) | Value::Enum { value: text, .. }) => {
            Scalar::String(text)
        }
        (SimpleType::Blob, Value::Blob(bytes) | Value::StreamingBlob(bytes)) => Scalar::Blob(bytes),
        (SimpleType::Timestamp, Value::Timestamp(millis)) => Scalar::Timestamp(*millis),
        (SimpleType::Document, Value::Document(document)) => Scalar::Document(document),
        _ => return None,
    };
    Some(Ok(scalar))
}

fn find_member<'m>(
    cx: &OperationContext<'_, 'm>,
    shape: &Shape,
    members: &'m [Member],
    name: &str,
    path: &ValuePath,
) -> Result<&'m Member, WireError> {
    members
        .iter()
        .find(|member| member.name == name)
        .ok_or_else(|| WireError::UnknownMember {
            operation: cx.name(),
            path: path.to_string(),
            shape: shape.id.clone(),
            member: name.to_owned(),
        })
}

fn fields<'m, 'v>(
    cx: &OperationContext<'_, 'm>,
    shape: &Shape,
    members: &'m [Member],
    set: &'v [(String, Value)],
    path: &ValuePath,
) -> Result<Vec<Field<'m, 'v>>, WireError> {
    set.iter()
        .map(|(name, value)| {
            Ok(Field {
                member: find_member(cx, shape, members, name, path)?,
                value,
            })
        })
        .collect()
}

/// The top-level structure of a response (an output or an error) read against its shape;
/// value paths in messages start at the shape name.
#[derive(Debug)]
pub(crate) struct Root<'m, 'v> {
    pub shape: &'m Shape,
    pub path: ValuePath,
    pub fields: Vec<Field<'m, 'v>>,
}

impl<'m, 'v> Root<'m, 'v> {
    /// Reads `value`, which must be a structure value of `shape`.
    pub(crate) fn read(
        cx: &OperationContext<'_, 'm>,
        shape: &'m Shape,
        value: &'v Value,
    ) -> Result<Self, WireError> {
        let path = ValuePath::root(shape.id.name());
        let fields = structure(cx, shape, value, &path)?;
        Ok(Root {
            shape,
            path,
            fields,
        })
    }
}

/// The fields of a structure value of `shape` (outputs, errors and events, whose values must
/// be structures).
pub(crate) fn structure<'m, 'v>(
    cx: &OperationContext<'_, 'm>,
    shape: &'m Shape,
    value: &'v Value,
    path: &ValuePath,
) -> Result<Vec<Field<'m, 'v>>, WireError> {
    match read(cx, shape, value, path)? {
        Shaped::Structure(fields) => Ok(fields),
        _ => Err(cx.mismatch(path, shape, value_kind(value))),
    }
}

/// Reads a collection entry, where `Null` is allowed only in `@sparse` collections.
pub(crate) fn entry<'m, 'v>(
    cx: &OperationContext<'_, 'm>,
    collection: &'m Shape,
    member: &'m Member,
    value: &'v Value,
    path: &ValuePath,
) -> Result<Option<Shaped<'m, 'v>>, WireError> {
    match value {
        // The one dense collection a null-in-dense response breaks holds a null.
        Value::Null
            if collection.traits.is_sparse()
                || cx.style().malformation == Some(Malformation::NullInDense) =>
        {
            Ok(None)
        }
        Value::Null => Err(cx.mismatch(
            path,
            cx.target(member),
            "null (the collection is not @sparse)",
        )),
        value => read(cx, cx.target(member), value, path).map(Some),
    }
}

/// The member path of a field.
pub(crate) fn member_path(path: &ValuePath, field: &Field<'_, '_>) -> ValuePath {
    path.member(&field.member.name)
}
