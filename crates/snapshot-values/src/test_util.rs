//! Test support (feature `test-util`): short constructors of [`Value`]s for tests that write
//! a value by hand rather than generate it.

use snapshot_model::ShapeId;

use crate::Value;

/// The generator's timestamp (SPEC §4): 946702799999 ms, 2000-01-01T04:59:59.999Z.
pub const MILLIS: i64 = 946_702_799_999;

/// A shape id; panics when `text` is not one (tests write them as literals).
pub fn id(text: &str) -> ShapeId {
    text.parse()
        .unwrap_or_else(|error| panic!("`{text}` is not a shape id: {error}"))
}

/// A structure of shape `shape` with `members` in the given (model) order.
pub fn st(shape: &str, members: Vec<(&str, Value)>) -> Value {
    Value::Structure {
        shape: id(shape),
        members: members
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    }
}

/// A union of shape `shape` set to `member`.
pub fn un(shape: &str, member: &str, value: Value) -> Value {
    Value::Union {
        shape: id(shape),
        member: member.to_owned(),
        value: Box::new(value),
    }
}

/// An event stream of shape `shape` emitting `events` (member name, event) in order.
pub fn events(shape: &str, events: Vec<(&str, Value)>) -> Value {
    Value::EventStream {
        shape: id(shape),
        events: events
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    }
}

/// A string.
pub fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

/// An enum value that names no variant of the model (the wire writes the value as is).
pub fn en(text: &str) -> Value {
    Value::Enum {
        variant: None,
        value: text.to_owned(),
    }
}

/// A list.
pub fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

/// A map with `entries` in the given order.
pub fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

/// The generator's timestamp, [`MILLIS`].
pub fn ts() -> Value {
    Value::Timestamp(MILLIS)
}

/// The generator's blob, `[1, 0, 0, 1]`.
pub fn blob() -> Value {
    Value::Blob(vec![1, 0, 0, 1])
}

/// The unit structure (`smithy.api#Unit`).
pub fn unit() -> Value {
    st("smithy.api#Unit", vec![])
}
