//! The round-trip check (SPEC §7a): the client's value, read through its typed accessors
//! ([`crate::read`]), against the value the replayed response carried ([`Expected`]).
//!
//! Every value set in the expected tree must be in the client's: absent is [`Finding::Lost`],
//! different is [`Finding::Changed`]. Values the client has beyond the expected ones are
//! ignored where a client may hold them without reading them (structure members the client
//! fills with defaults), and are a change where they cannot come from the response (extra
//! list elements, map entries or events).
//!
//! Comparison rules: floats by bits (`NaN` equals the same `NaN`, `-0.0` differs from `0.0`);
//! timestamps at the expected value's precision (both sides truncated to it, so a client
//! that reads `.999` as `.998` differs); big numbers by their text; numbers inside documents
//! by value (a document number has no Smithy type).

use snapshot_records::{Expected, Finding, RoundTrip, TypedValue};

/// Compares what the client gave back (`None`: no value at all, e.g. a client error) with
/// what the response carried.
pub fn check(expected: &Expected, received: Option<&TypedValue>) -> RoundTrip {
    let mut check = Check::default();
    let root = expected.root.as_str();
    match (received, &expected.error) {
        (None, _) => check.lost(root.to_owned()),
        (Some(received), None) => check.value(&expected.value, received, root, false),
        (Some(TypedValue::Union { member, value }), Some(variant)) if member == variant => {
            check.result.equal += 1;
            check.value(&expected.value, value, root, false);
        }
        (Some(received), Some(variant)) => check.changed(
            root.to_owned(),
            &TypedValue::Union {
                member: variant.clone(),
                value: Box::new(expected.value.clone()),
            },
            received,
        ),
    }
    check.result
}

#[derive(Default)]
struct Check {
    result: RoundTrip,
}

fn member_path(path: &str, member: &str) -> String {
    format!("{path}.{member}")
}

impl Check {
    fn lost(&mut self, path: String) {
        self.result.findings.push(Finding::Lost { path });
    }

    fn changed(&mut self, path: String, sent: &TypedValue, received: &TypedValue) {
        self.result.findings.push(Finding::Changed {
            path,
            sent: sent.clone(),
            received: received.clone(),
        });
    }

    fn value(&mut self, sent: &TypedValue, received: &TypedValue, path: &str, document: bool) {
        match (sent, received) {
            (TypedValue::Structure(sent_members), TypedValue::Structure(received_members)) => {
                for (name, sent_member) in sent_members {
                    let path = member_path(path, name);
                    match find(received_members, name) {
                        Some(received_member) => {
                            self.value(sent_member, received_member, &path, document)
                        }
                        None => self.lost(path),
                    }
                }
            }
            (TypedValue::List(sent_items), TypedValue::List(received_items)) => {
                for (index, sent_item) in sent_items.iter().enumerate() {
                    let item_path = format!("{path}[{index}]");
                    match received_items.get(index) {
                        Some(received_item) => {
                            self.value(sent_item, received_item, &item_path, document)
                        }
                        None => self.lost(item_path),
                    }
                }
                if received_items.len() > sent_items.len() {
                    self.changed(path.to_owned(), sent, received);
                }
            }
            (TypedValue::Map(sent_entries), TypedValue::Map(received_entries)) => {
                for (key, sent_entry) in sent_entries {
                    let entry_path = format!("{path}{{{key}}}");
                    match find(received_entries, key) {
                        Some(received_entry) => {
                            self.value(sent_entry, received_entry, &entry_path, document)
                        }
                        None => self.lost(entry_path),
                    }
                }
                let extra = received_entries
                    .iter()
                    .any(|(key, _)| find(sent_entries, key).is_none());
                if extra {
                    self.changed(path.to_owned(), sent, received);
                }
            }
            (
                TypedValue::Union {
                    member: sent_member,
                    value: sent_value,
                },
                TypedValue::Union {
                    member: received_member,
                    value: received_value,
                },
            ) if sent_member == received_member => {
                self.result.equal += 1;
                let path = member_path(path, sent_member);
                self.value(sent_value, received_value, &path, document);
            }
            (
                TypedValue::EventStream {
                    events: sent_events,
                    error: sent_error,
                },
                TypedValue::EventStream {
                    events: received_events,
                    error: received_error,
                },
            ) => {
                self.events(sent_events, received_events, path);
                let extra = received_events.len() > sent_events.len();
                if extra || (sent_error.is_none() && received_error.is_some()) {
                    self.changed(path.to_owned(), sent, received);
                }
                if let Some(sent_error) = sent_error {
                    self.event(sent_error, received_error.as_deref(), path);
                }
            }
            (TypedValue::Document(sent_inner), TypedValue::Document(received_inner)) => {
                self.value(sent_inner, received_inner, path, true)
            }
            (sent_scalar, received_scalar)
                if scalar_equal(sent_scalar, received_scalar, document) =>
            {
                self.result.equal += 1
            }
            _ => self.changed(path.to_owned(), sent, received),
        }
    }

    /// Events match by position; an event's path is the stream's path and its member name.
    fn events(&mut self, sent: &[TypedValue], received: &[TypedValue], path: &str) {
        for (index, sent_event) in sent.iter().enumerate() {
            self.event(sent_event, received.get(index), path);
        }
    }

    fn event(&mut self, sent: &TypedValue, received: Option<&TypedValue>, stream_path: &str) {
        let TypedValue::Union {
            member: sent_member,
            value: sent_value,
        } = sent
        else {
            return self.value(
                sent,
                received.unwrap_or(&TypedValue::Null),
                stream_path,
                false,
            );
        };
        let path = member_path(stream_path, sent_member);
        match received {
            None => self.lost(path),
            Some(TypedValue::Union { member, value }) if member == sent_member => {
                self.result.equal += 1;
                self.value(sent_value, value, &path, false);
            }
            Some(other) => self.changed(path, sent, other),
        }
    }
}

fn find<'v>(entries: &'v [(String, TypedValue)], name: &str) -> Option<&'v TypedValue> {
    entries
        .iter()
        .find(|(entry, _)| entry == name)
        .map(|(_, value)| value)
}

fn scalar_equal(sent: &TypedValue, received: &TypedValue, document: bool) -> bool {
    match (sent, received) {
        (TypedValue::Null, TypedValue::Null) => true,
        (TypedValue::Boolean(a), TypedValue::Boolean(b)) => a == b,
        (TypedValue::Integer(a), TypedValue::Integer(b)) => a == b,
        (TypedValue::Float(a), TypedValue::Float(b)) => a.to_bits() == b.to_bits(),
        (TypedValue::Integer(a), TypedValue::Float(b))
        | (TypedValue::Float(b), TypedValue::Integer(a))
            if document =>
        {
            // Document numbers have no Smithy type: 1 and 1.0 are the same number.
            i64_as_f64(*a) == *b
        }
        (TypedValue::BigNumber(a), TypedValue::BigNumber(b)) => a == b,
        (TypedValue::String(a), TypedValue::String(b)) => a == b,
        (TypedValue::Blob(a), TypedValue::Blob(b)) => a == b,
        (TypedValue::Timestamp(a), TypedValue::Timestamp(b)) => {
            let precision = a.precision;
            let (a, b) = (a.truncated(precision), b.truncated(precision));
            (a.seconds, a.nanos) == (b.seconds, b.nanos)
        }
        _ => false,
    }
}

#[allow(clippy::cast_precision_loss)]
fn i64_as_f64(value: i64) -> f64 {
    value as f64
}

#[cfg(test)]
mod tests {
    use snapshot_records::{Precision, Timestamp};

    use super::*;

    fn structure(members: Vec<(&str, TypedValue)>) -> TypedValue {
        TypedValue::Structure(
            members
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        )
    }

    fn string(text: &str) -> TypedValue {
        TypedValue::String(text.to_owned())
    }

    fn output(value: TypedValue) -> Expected {
        Expected {
            root: "GetOutput".into(),
            value,
            error: None,
        }
    }

    fn paths(round_trip: &RoundTrip) -> Vec<String> {
        round_trip
            .findings
            .iter()
            .map(|finding| match finding {
                Finding::Lost { path } => format!("lost {path}"),
                Finding::Changed {
                    path,
                    sent,
                    received,
                } => format!("changed {path}: {sent} -> {received}"),
            })
            .collect()
    }

    #[test]
    fn absent_members_elements_and_entries_are_lost() {
        let sent = structure(vec![
            ("Type", string("__Type__")),
            (
                "Tags",
                TypedValue::List(vec![structure(vec![("Key", string("k"))]); 2]),
            ),
            (
                "Attributes",
                TypedValue::Map(vec![
                    ("key1".into(), string("v")),
                    ("key2".into(), string("v")),
                ]),
            ),
        ]);
        let received = structure(vec![
            ("Tags", TypedValue::List(vec![structure(vec![])])),
            (
                "Attributes",
                TypedValue::Map(vec![("key2".into(), string("v"))]),
            ),
            ("Extra", TypedValue::Boolean(false)),
        ]);
        let result = check(&output(sent.clone()), Some(&received));
        assert_eq!(
            paths(&result),
            [
                "lost GetOutput.Type",
                "lost GetOutput.Tags[0].Key",
                "lost GetOutput.Tags[1]",
                "lost GetOutput.Attributes{key1}",
            ]
        );
        assert_eq!(result.equal, 1);
        let complete = check(&output(sent.clone()), Some(&sent));
        assert!(complete.findings.is_empty(), "{complete:?}");
        assert_eq!(complete.equal, 5);
    }

    #[test]
    fn different_values_are_changed_with_both_sides() {
        let sent = structure(vec![
            ("Count", TypedValue::Integer(0)),
            ("Ratio", TypedValue::Float(f64::NAN)),
            ("Zero", TypedValue::Float(0.0)),
            ("Name", string("__Name__")),
        ]);
        let received = structure(vec![
            ("Count", TypedValue::Integer(1)),
            ("Ratio", TypedValue::Float(f64::NAN)),
            ("Zero", TypedValue::Float(-0.0)),
            ("Name", string("")),
        ]);
        assert_eq!(
            paths(&check(&output(sent), Some(&received))),
            [
                "changed GetOutput.Count: 0 -> 1",
                "changed GetOutput.Zero: 0.0 -> -0.0",
                "changed GetOutput.Name: \"__Name__\" -> \"\"",
            ]
        );
    }

    #[test]
    fn timestamps_compare_at_the_precision_the_wire_carries() {
        let millis = 946_702_799_999;
        let read = |nanos| {
            TypedValue::Timestamp(Timestamp {
                seconds: 946_702_799,
                nanos,
                precision: Precision::Nanos,
            })
        };
        let date_time = TypedValue::Timestamp(Timestamp::from_millis(millis, Precision::Millis));
        let http_date = TypedValue::Timestamp(Timestamp::from_millis(millis, Precision::Seconds));
        assert!(check(&output(date_time.clone()), Some(&read(999_000_000)))
            .findings
            .is_empty());
        assert!(check(&output(http_date), Some(&read(0)))
            .findings
            .is_empty());
        assert_eq!(
            paths(&check(&output(date_time), Some(&read(998_999_953)))),
            ["changed GetOutput: 2000-01-01T04:59:59.999Z -> 2000-01-01T04:59:59.998999953Z"]
        );
    }

    #[test]
    fn unions_documents_and_errors() {
        let union = |member: &str| TypedValue::Union {
            member: member.into(),
            value: Box::new(string("x")),
        };
        assert_eq!(
            paths(&check(
                &output(union("A")),
                Some(&TypedValue::Unknown("Unknown variant".into()))
            )),
            ["changed GetOutput: A(\"x\") -> <Unknown variant>"]
        );
        let document =
            |number| TypedValue::Document(Box::new(TypedValue::Map(vec![("n".into(), number)])));
        assert!(check(
            &output(document(TypedValue::Integer(1))),
            Some(&document(TypedValue::Float(1.0)))
        )
        .findings
        .is_empty());
        let error = Expected {
            root: "NotFound".into(),
            value: structure(vec![("Message", string("m"))]),
            error: Some("NotFound".into()),
        };
        let parsed = TypedValue::Union {
            member: "NotFound".into(),
            value: Box::new(structure(vec![])),
        };
        assert_eq!(
            paths(&check(&error, Some(&parsed))),
            ["lost NotFound.Message"]
        );
        let unhandled = TypedValue::Unknown("unhandled error".into());
        assert_eq!(
            paths(&check(&error, Some(&unhandled))),
            ["changed NotFound: NotFound({Message: \"m\"}) -> <unhandled error>"]
        );
        assert_eq!(paths(&check(&error, None)), ["lost NotFound"]);
    }

    #[test]
    fn event_streams_check_every_event_and_the_ending() {
        let event = |member: &str, role: &str| TypedValue::Union {
            member: member.into(),
            value: Box::new(structure(vec![("Role", string(role))])),
        };
        let stream = |events: Vec<TypedValue>, error: Option<TypedValue>| {
            structure(vec![(
                "Stream",
                TypedValue::EventStream {
                    events,
                    error: error.map(Box::new),
                },
            )])
        };
        let sent = stream(
            vec![event("Start", "r"), event("Stop", "r")],
            Some(event("Throttled", "e")),
        );
        let received = stream(vec![event("Start", "")], None);
        assert_eq!(
            paths(&check(&output(sent), Some(&received))),
            [
                "changed GetOutput.Stream.Start.Role: \"r\" -> \"\"",
                "lost GetOutput.Stream.Stop",
                "lost GetOutput.Stream.Throttled",
            ]
        );
        let unexpected_error = stream(vec![], Some(TypedValue::Unknown("unhandled".into())));
        assert_eq!(
            paths(&check(&output(stream(vec![], None)), Some(&unexpected_error))),
            ["changed GetOutput.Stream: event stream of 0 events, ending normally -> event stream of 0 events, ending with <unhandled>"]
        );
    }
}
