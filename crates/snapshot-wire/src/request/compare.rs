//! The comparison of the generated input with the value read from the wire.

use std::collections::BTreeSet;

use snapshot_model::{Member, Shape, ShapeKind};
use snapshot_values::{Value, ValuePath};

use super::exceptions::{classify, shadowed};
use super::parts::RequestParts;
use super::ExceptionKind;
use super::{Finding, FindingKind, RequestCheck};
use crate::read::members_of;
use crate::OperationContext;

/// Compares the members of `input` (a structure of `shape`) with those read from the wire.
pub(super) fn compare(
    cx: &OperationContext<'_, '_>,
    parts: &RequestParts,
    coarse: &BTreeSet<ValuePath>,
    shape: &Shape,
    input: &Value,
    on_wire: &[(String, Value)],
    path: &ValuePath,
) -> RequestCheck {
    let mut comparer = Comparer {
        cx,
        parts,
        coarse,
        check: RequestCheck::default(),
    };
    if let Value::Structure { members, .. } = input {
        comparer.members(shape, members, on_wire, path);
    }
    comparer.check
}

struct Comparer<'c, 'a, 'm> {
    cx: &'c OperationContext<'a, 'm>,
    parts: &'c RequestParts,
    coarse: &'c BTreeSet<ValuePath>,
    check: RequestCheck,
}

impl<'m> Comparer<'_, '_, 'm> {
    fn members(
        &mut self,
        shape: &'m Shape,
        sent: &[(String, Value)],
        on_wire: &[(String, Value)],
        path: &ValuePath,
    ) {
        for (name, value) in sent {
            let Some(member) = members_of(shape).iter().find(|member| member.name == *name) else {
                continue;
            };
            let member_path = path.member(name);
            match on_wire.iter().find(|(wire_name, _)| wire_name == name) {
                Some((_, wire)) => self.value(
                    Some((member, shape)),
                    self.cx.target(member),
                    value,
                    wire,
                    &member_path,
                ),
                None => {
                    let kind = classify(self.cx, self.parts, member, value, true)
                        .map_or(FindingKind::Lost, FindingKind::Excepted);
                    self.check.findings.push(Finding {
                        path: member_path,
                        kind,
                    });
                }
            }
        }
    }

    /// Compares one value; `member` is the structure member holding it (with its structure),
    /// if it is one.
    fn value(
        &mut self,
        member: Option<(&'m Member, &'m Shape)>,
        shape: &'m Shape,
        sent: &Value,
        on_wire: &Value,
        path: &ValuePath,
    ) {
        let cx = self.cx;
        match (sent, on_wire, &shape.kind) {
            (Value::Structure { members, .. }, Value::Structure { members: wire, .. }, _) => {
                self.members(shape, members, wire, path);
            }
            (
                Value::Union {
                    member: name,
                    value,
                    ..
                },
                Value::Union {
                    member: wire_name,
                    value: wire,
                    ..
                },
                _,
            ) if name == wire_name => {
                if let Some(union_member) = members_of(shape).iter().find(|m| m.name == *name) {
                    self.value(
                        Some((union_member, shape)),
                        cx.target(union_member),
                        value,
                        wire,
                        &path.member(name),
                    );
                }
            }
            (
                Value::List(items),
                Value::List(wire),
                ShapeKind::List(item) | ShapeKind::Set(item),
            ) if items.len() == wire.len() => {
                if items.is_empty() {
                    self.check.matched += 1;
                }
                for (index, (sent, wire)) in items.iter().zip(wire).enumerate() {
                    self.value(None, cx.target(item), sent, wire, &path.index(index));
                }
            }
            (Value::Map(entries), Value::Map(wire), ShapeKind::Map { value, .. }) => {
                if entries.is_empty() && wire.is_empty() {
                    self.check.matched += 1;
                }
                for (key, sent) in entries {
                    let entry_path = path.key(key);
                    let shadowed =
                        member.is_some_and(|(member, holder)| shadowed(member, holder, key));
                    match wire.iter().find(|(wire_key, _)| wire_key == key) {
                        Some((_, wire)) if !shadowed => {
                            self.value(None, cx.target(value), sent, wire, &entry_path)
                        }
                        Some((_, wire)) if same_value(sent, wire) => self.check.matched += 1,
                        found => self.check.findings.push(Finding {
                            path: entry_path,
                            kind: if shadowed {
                                FindingKind::Excepted(ExceptionKind::ShadowedByBinding)
                            } else if found.is_none() {
                                FindingKind::Lost
                            } else {
                                FindingKind::Changed {
                                    sent: sent.clone(),
                                    on_wire: found
                                        .map(|(_, wire)| wire.clone())
                                        .unwrap_or(Value::Null),
                                }
                            },
                        }),
                    }
                }
            }
            (Value::EventStream { events, .. }, Value::EventStream { events: wire, .. }, _) => {
                for (index, (name, sent)) in events.iter().enumerate() {
                    let event_path = path.member(name);
                    let event_member = members_of(shape).iter().find(|m| m.name == *name);
                    match (wire.get(index), event_member) {
                        (Some((wire_name, wire)), Some(event_member)) if wire_name == name => {
                            self.value(None, cx.target(event_member), sent, wire, &event_path);
                        }
                        _ => self.check.findings.push(Finding {
                            path: event_path,
                            kind: FindingKind::Lost,
                        }),
                    }
                }
            }
            (sent, wire, _) if same_scalar(sent, wire, self.coarse.contains(path)) => {
                self.check.matched += 1;
            }
            (sent, wire, _) => {
                let excepted =
                    member.and_then(|(member, _)| classify(cx, self.parts, member, sent, false));
                self.check.findings.push(Finding {
                    path: path.clone(),
                    kind: excepted.map_or_else(
                        || FindingKind::Changed {
                            sent: sent.clone(),
                            on_wire: wire.clone(),
                        },
                        FindingKind::Excepted,
                    ),
                });
            }
        }
    }
}

/// Equality of simple values as the wire carries them: enums by wire value, floats by bits
/// (NaN equals NaN), big numbers by numeric value, timestamps read from a whole-second format
/// against the sent value cut to its second.
fn same_scalar(sent: &Value, on_wire: &Value, coarse: bool) -> bool {
    match (sent, on_wire) {
        (Value::Null, Value::Null) => true,
        (Value::Boolean(a), Value::Boolean(b)) => a == b,
        (Value::Byte(a), Value::Byte(b)) => a == b,
        (Value::Short(a), Value::Short(b)) => a == b,
        (
            Value::Integer(a) | Value::IntEnum { value: a, .. },
            Value::Integer(b) | Value::IntEnum { value: b, .. },
        ) => a == b,
        (Value::Long(a), Value::Long(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => {
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
        }
        (Value::Double(a), Value::Double(b)) => {
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
        }
        (Value::BigInteger(a), Value::BigInteger(b))
        | (Value::BigDecimal(a), Value::BigDecimal(b)) => {
            decimal(a).is_some() && decimal(a) == decimal(b)
        }
        (
            Value::String(a) | Value::Enum { value: a, .. },
            Value::String(b) | Value::Enum { value: b, .. },
        ) => a == b,
        (Value::Blob(a) | Value::StreamingBlob(a), Value::Blob(b) | Value::StreamingBlob(b)) => {
            a == b
        }
        (Value::Timestamp(a), Value::Timestamp(b)) => {
            a == b || (coarse && *b == a.div_euclid(1000) * 1000)
        }
        (Value::Document(a), Value::Document(b)) => same_document(a, b),
        _ => false,
    }
}

/// Equality of a whole value (lists and maps of simple values, as query parameters and
/// headers hold them).
fn same_value(sent: &Value, on_wire: &Value) -> bool {
    match (sent, on_wire) {
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_value(a, b))
        }
        (Value::Map(a), Value::Map(b)) => a.iter().all(|(key, value)| {
            b.iter()
                .any(|(other, wire)| other == key && same_value(value, wire))
        }),
        (a, b) => same_scalar(a, b, false),
    }
}

/// JSON documents equal, numbers by value whatever their spelling.
fn same_document(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(a), J::Number(b)) => {
            a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64())
        }
        (J::Array(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_document(a, b))
        }
        (J::Object(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| same_document(value, other)))
        }
        (a, b) => a == b,
    }
}

/// A decimal number's value as (negative, significant digits, exponent), so that `1.50`,
/// `15e-1` and `+1.5` compare equal; `None` for text that is not a number.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(index) => (
            &unsigned[..index],
            unsigned[index + 1..].parse::<i64>().ok()?,
        ),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !(whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit()))
        || (whole.is_empty() && fraction.is_empty())
    {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let mut exponent = exponent - i64::try_from(fraction.len()).ok()?;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some((false, String::new(), 0));
    }
    let trimmed = digits.trim_end_matches('0');
    exponent += i64::try_from(digits.len() - trimmed.len()).ok()?;
    Some((negative, trimmed.to_owned(), exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_by_value() {
        assert_eq!(decimal("1.50"), decimal("15e-1"));
        assert_eq!(decimal("+1.5"), decimal("1.5"));
        assert_eq!(
            decimal("9876543210.0123456789"),
            decimal("98765432100123456789e-10")
        );
        assert_ne!(decimal("-1"), decimal("1"));
        assert_eq!(decimal("0.00"), decimal("-0"));
        assert_eq!(decimal("abc"), None);
    }

    #[test]
    fn http_date_timestamps_compare_in_whole_seconds() {
        let sent = Value::Timestamp(946_702_799_999);
        assert!(same_scalar(&sent, &Value::Timestamp(946_702_799_000), true));
        assert!(!same_scalar(
            &sent,
            &Value::Timestamp(946_702_799_000),
            false
        ));
        assert!(same_scalar(
            &Value::Double(f64::NAN),
            &Value::Double(f64::NAN),
            false
        ));
        assert!(same_scalar(
            &Value::Enum {
                variant: Some("A".into()),
                value: "a".into()
            },
            &Value::String("a".into()),
            false
        ));
    }
}
