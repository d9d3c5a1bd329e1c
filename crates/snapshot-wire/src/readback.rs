//! What a correct client reads back from a response this crate wrote: the generated value
//! as a [`TypedValue`], adjusted by what the serializer noted while writing it (SPEC §7a).
//!
//! * a timestamp is compared at the precision its format keeps: whole seconds for an
//!   http-date, milliseconds for date-time, epoch-seconds, CBOR and event headers;
//! * a member bound to `Content-Length` carries the real body length, or nothing when the
//!   body is streamed;
//! * the exception event that ends an output event stream is the stream's error, not an
//!   event;
//! * enums are their wire values, every integer type one integer, floats widened exactly.

use snapshot_model::{Model, ShapeId};
use snapshot_records::{Expected, HttpResponse, Precision, Timestamp, TypedValue};
use snapshot_values::{Value, ValuePath};

use crate::context::{WireNote, WireNotes};

/// A response together with what a correct client reads back from it.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The response to replay.
    pub response: HttpResponse,
    /// What the client must give back, for the harness's round-trip check.
    pub expected: Expected,
}

/// The expected value of `value`, written at root `root`, with the serializer's `notes`.
pub(crate) fn expected(
    model: &Model,
    value: &Value,
    root: &ValuePath,
    notes: &WireNotes,
    error: Option<String>,
) -> Expected {
    let reader = Readback { model, notes };
    Expected {
        root: root.to_string(),
        value: reader
            .value(value, root)
            .unwrap_or(TypedValue::Structure(Vec::new())),
        error,
    }
}

struct Readback<'a> {
    model: &'a Model,
    notes: &'a WireNotes,
}

impl Readback<'_> {
    /// `None` when the serializer did not write the value at all.
    fn value(&self, value: &Value, path: &ValuePath) -> Option<TypedValue> {
        match self.notes.get(path) {
            Some(WireNote::Omitted) => return None,
            Some(WireNote::Carried(carried)) => return Some(carried),
            Some(WireNote::Timestamp(_)) | None => {}
        }
        Some(match value {
            Value::Null => TypedValue::Null,
            Value::Boolean(flag) => TypedValue::Boolean(*flag),
            Value::Byte(number) => TypedValue::Integer(i64::from(*number)),
            Value::Short(number) => TypedValue::Integer(i64::from(*number)),
            Value::Integer(number) | Value::IntEnum { value: number, .. } => {
                TypedValue::Integer(i64::from(*number))
            }
            Value::Long(number) => TypedValue::Integer(*number),
            Value::Float(number) => TypedValue::Float(f64::from(*number)),
            Value::Double(number) => TypedValue::Float(*number),
            Value::BigInteger(text) | Value::BigDecimal(text) => {
                TypedValue::BigNumber(text.clone())
            }
            Value::String(text) | Value::Enum { value: text, .. } => {
                TypedValue::String(text.clone())
            }
            Value::Blob(bytes) | Value::StreamingBlob(bytes) => TypedValue::Blob(bytes.clone()),
            Value::Timestamp(millis) => {
                let precision = match self.notes.get(path) {
                    Some(WireNote::Timestamp(precision)) => precision,
                    _ => Precision::Millis,
                };
                TypedValue::Timestamp(Timestamp::from_millis(*millis, precision))
            }
            Value::Document(json) => TypedValue::Document(Box::new(document(json))),
            Value::List(items) => TypedValue::List(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| self.value(item, &path.index(index)))
                    .collect(),
            ),
            Value::Map(entries) => TypedValue::Map(self.entries(entries, |key| path.key(key))),
            Value::Structure { members, .. } => {
                TypedValue::Structure(self.entries(members, |name| path.member(name)))
            }
            Value::Union { member, value, .. } => TypedValue::Union {
                member: member.clone(),
                value: Box::new(
                    self.value(value, &path.member(member))
                        .unwrap_or(TypedValue::Structure(Vec::new())),
                ),
            },
            Value::EventStream { shape, events } => self.event_stream(shape, events, path),
        })
    }

    fn entries(
        &self,
        entries: &[(String, Value)],
        path: impl Fn(&str) -> ValuePath,
    ) -> Vec<(String, TypedValue)> {
        entries
            .iter()
            .filter_map(|(name, value)| {
                self.value(value, &path(name))
                    .map(|read| (name.clone(), read))
            })
            .collect()
    }

    /// Events in order; an exception event (a member targeting an `@error` structure) ends
    /// the stream as its error.
    fn event_stream(
        &self,
        shape: &ShapeId,
        events: &[(String, Value)],
        path: &ValuePath,
    ) -> TypedValue {
        let is_exception = |member: &str| {
            self.model.shape(shape).is_some_and(|union| {
                union.kind.members().iter().any(|candidate| {
                    candidate.name == member
                        && self.model.target(candidate).traits.error().is_some()
                })
            })
        };
        let mut read = Vec::new();
        let mut error = None;
        for (member, value) in events {
            let event = TypedValue::Union {
                member: member.clone(),
                value: Box::new(
                    self.value(value, &path.member(member))
                        .unwrap_or(TypedValue::Structure(Vec::new())),
                ),
            };
            if is_exception(member) {
                error = Some(Box::new(event));
            } else {
                read.push(event);
            }
        }
        TypedValue::EventStream {
            events: read,
            error,
        }
    }
}

/// A generated document (JSON) as the client's `Document` reads it.
fn document(json: &serde_json::Value) -> TypedValue {
    match json {
        serde_json::Value::Null => TypedValue::Null,
        serde_json::Value::Bool(flag) => TypedValue::Boolean(*flag),
        serde_json::Value::Number(number) => match (number.as_i64(), number.as_u64()) {
            (Some(signed), _) => TypedValue::Integer(signed),
            (None, Some(unsigned)) => TypedValue::BigNumber(unsigned.to_string()),
            (None, None) => TypedValue::Float(number.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(text) => TypedValue::String(text.clone()),
        serde_json::Value::Array(items) => TypedValue::List(items.iter().map(document).collect()),
        serde_json::Value::Object(entries) => TypedValue::Map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), document(value)))
                .collect(),
        ),
    }
}
