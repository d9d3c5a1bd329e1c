//! The value changes of the variants that send other values than their base: emptied
//! collections and strings, whole-second timestamps. Only members that go into the body are
//! changed ([`ResponseSerializer::binds_to_body`]): headers, payloads and the status keep
//! their base values, so each variant exercises one thing.

use snapshot_model::{Member, ShapeKind};
use snapshot_values::Value;

use crate::{OperationContext, ResponseSerializer};

/// Where a value sits: the answer to "can this value simply be left out?".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A structure member, which can be absent.
    StructureMember,
    /// Anything else (a union's member, an element, a map value).
    Other,
}

/// `base` with every list and map in the body empty (as sent), and the value the client reads
/// back: the same, except that structure members the protocol cannot send as an empty
/// collection ([`ResponseSerializer::keeps_empty_collection`]: XML's flattened ones) are
/// absent. Such collections inside a union stay as they are, since the union would be left
/// without a member.
pub(super) fn empty_collections(
    cx: &OperationContext<'_, '_>,
    protocol: &dyn ResponseSerializer,
    base: &Value,
) -> (Value, Value) {
    let walk = |expected: bool| {
        map_body(cx, protocol, base, &mut |member, place, value| {
            emptied(cx, protocol, member, place, value, expected)
        })
    };
    (walk(false), walk(true))
}

fn emptied(
    cx: &OperationContext<'_, '_>,
    protocol: &dyn ResponseSerializer,
    member: &Member,
    place: Place,
    value: &Value,
    expected: bool,
) -> Option<Value> {
    let kept = protocol.keeps_empty_collection(member);
    let empty = match value {
        Value::List(_) => Value::List(Vec::new()),
        Value::Map(_) => Value::Map(Vec::new()),
        other => {
            return Some(map_members(cx, other, &mut |member, place, value| {
                emptied(cx, protocol, member, place, value, expected)
            }))
        }
    };
    match (kept, place) {
        (true, _) => Some(empty),
        (false, Place::StructureMember) if expected => None,
        (false, Place::StructureMember) => Some(empty),
        (false, Place::Other) => Some(value.clone()),
    }
}

/// `base` with every string and enum value in the body empty (map keys keep their text).
pub(super) fn empty_strings(
    cx: &OperationContext<'_, '_>,
    protocol: &dyn ResponseSerializer,
    base: &Value,
) -> Value {
    fn empty(cx: &OperationContext<'_, '_>, value: &Value) -> Option<Value> {
        Some(match value {
            Value::String(_) => Value::String(String::new()),
            Value::Enum { .. } => Value::Enum {
                variant: None,
                value: String::new(),
            },
            Value::List(items) => {
                Value::List(items.iter().filter_map(|item| empty(cx, item)).collect())
            }
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .filter_map(|(key, value)| Some((key.clone(), empty(cx, value)?)))
                    .collect(),
            ),
            other => map_members(cx, other, &mut |_, _, value| empty(cx, value)),
        })
    }
    map_body(cx, protocol, base, &mut |_, _, value| empty(cx, value))
}

/// `value` with every timestamp cut to its whole second (rounding down, also before 1970).
pub(super) fn whole_seconds(value: &Value) -> Value {
    match value {
        Value::Timestamp(millis) => Value::Timestamp(millis.div_euclid(1000) * 1000),
        Value::List(items) => Value::List(items.iter().map(whole_seconds).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), whole_seconds(value)))
                .collect(),
        ),
        Value::Structure { shape, members } => Value::Structure {
            shape: shape.clone(),
            members: members
                .iter()
                .map(|(name, value)| (name.clone(), whole_seconds(value)))
                .collect(),
        },
        Value::Union {
            shape,
            member,
            value,
        } => Value::Union {
            shape: shape.clone(),
            member: member.clone(),
            value: Box::new(whole_seconds(value)),
        },
        Value::EventStream { shape, events } => Value::EventStream {
            shape: shape.clone(),
            events: events
                .iter()
                .map(|(name, value)| (name.clone(), whole_seconds(value)))
                .collect(),
        },
        other => other.clone(),
    }
}

/// Applies `change` to each top-level member of the structure `base` that the protocol puts
/// in the body; `None` from `change` drops the member.
fn map_body(
    cx: &OperationContext<'_, '_>,
    protocol: &dyn ResponseSerializer,
    base: &Value,
    change: &mut dyn FnMut(&Member, Place, &Value) -> Option<Value>,
) -> Value {
    map_members(cx, base, &mut |member, place, value| {
        if protocol.binds_to_body(member) {
            change(member, place, value)
        } else {
            Some(value.clone())
        }
    })
}

/// Applies `change` to the members of a structure or union value (the identity for other
/// values, and for members the model does not know); `None` drops a structure member.
fn map_members(
    cx: &OperationContext<'_, '_>,
    value: &Value,
    change: &mut dyn FnMut(&Member, Place, &Value) -> Option<Value>,
) -> Value {
    match value {
        Value::Structure { shape, members } => {
            let model_members = cx.model().shape(shape).map(|shape| &shape.kind);
            let Some(ShapeKind::Structure(model_members)) = model_members else {
                return value.clone();
            };
            let members = members
                .iter()
                .filter_map(|(name, value)| {
                    match model_members.iter().find(|member| member.name == *name) {
                        Some(member) => change(member, Place::StructureMember, value)
                            .map(|value| (name.clone(), value)),
                        None => Some((name.clone(), value.clone())),
                    }
                })
                .collect();
            Value::Structure {
                shape: shape.clone(),
                members,
            }
        }
        Value::Union {
            shape,
            member,
            value: inner,
        } => {
            let model_members = cx.model().shape(shape).map(|shape| &shape.kind);
            let Some(ShapeKind::Union(model_members)) = model_members else {
                return value.clone();
            };
            let changed = model_members
                .iter()
                .find(|model_member| model_member.name == *member)
                .and_then(|model_member| change(model_member, Place::Other, inner));
            Value::Union {
                shape: shape.clone(),
                member: member.clone(),
                value: Box::new(changed.unwrap_or_else(|| (**inner).clone())),
            }
        }
        other => other.clone(),
    }
}
