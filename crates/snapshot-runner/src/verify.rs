//! The verify stage: the round trip of a replayed case. Every member set in the generated
//! output or error must come back in the value the client parsed; the paths of those that did
//! not are the case's lost members.
//!
//! The check reads the client's `{:#?}` text ([`debug_tree`]) with smithy-rs's naming
//! ([`naming`]) to find each member; a typed round trip computed in the harness replaces it
//! (SPEC §7a). Values the client redacts (`@sensitive`) count as received.

use snapshot_codegen::naming;
use snapshot_records::Outcome;
use snapshot_render::{debug_tree, DebugValue};
use snapshot_values::{Value, ValuePath};

/// What custom `Debug` implementations print for `@sensitive` values.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The lost members of one replayed case: paths (rooted at `root`) of members set in `value`
/// that the client's `outcome` does not hold. An output event stream must yield every
/// generated event and, when the replay ends it with the exception event `exception`, end with
/// that modeled error.
pub(crate) fn lost_in_case(
    value: &Value,
    outcome: &Outcome,
    root: &str,
    exception: Option<&str>,
) -> Vec<String> {
    match outcome {
        Outcome::Output {
            debug,
            events,
            stream_error,
        } => {
            let mut lost = lost_members(value, debug, root);
            lost.extend(lost_events(
                value,
                events,
                stream_error.as_deref(),
                exception,
                root,
            ));
            lost
        }
        Outcome::ServiceError { debug, .. } => lost_members(value, debug, root),
        _ => vec![format!("{root} (the client did not return a value)")],
    }
}

/// Paths of members set in `value` that are absent (or `None`) in the client's `{:#?}` text.
fn lost_members(value: &Value, debug: &str, root: &str) -> Vec<String> {
    let Ok(tree) = debug_tree(debug) else {
        return vec![format!(
            "{root} (the client's value could not be parsed for the check)"
        )];
    };
    // Error variants wrap the error struct: `NotFound(NotFound { .. })`.
    let tree = match &tree {
        DebugValue::Tuple { name, items }
            if name != "Some" && items.len() == 1 && matches!(value, Value::Structure { .. }) =>
        {
            &items[0]
        }
        _ => &tree,
    };
    let mut lost = Vec::new();
    walk(value, tree, &ValuePath::root(root), &mut lost);
    lost
}

/// A map entry by key; enum keys print as `Unknown(UnknownVariantValue("key1"))`, so a key
/// whose rendering contains the quoted text also matches.
fn map_entry<'t>(tree: &'t DebugValue, key: &str) -> Option<&'t DebugValue> {
    if let Some(found) = tree.get(&format!("{{{key}}}")) {
        return Some(found);
    }
    let DebugValue::Map(entries) = tree else {
        return None;
    };
    let quoted = format!("{key:?}");
    entries
        .iter()
        .find(|(entry_key, _)| entry_key.render().contains(&quoted))
        .map(|(_, value)| value)
}

/// Paths of events (and event members) of an output event stream that did not come back: the
/// client must yield one event per generated event, in order, as `Variant(Event { .. })`.
/// A stream ending with the exception event `exception` must end the client's stream with
/// that modeled error (`stream_error`), not with an event.
fn lost_events(
    value: &Value,
    events: &[String],
    stream_error: Option<&str>,
    exception: Option<&str>,
    root: &str,
) -> Vec<String> {
    let Value::Structure { members, .. } = value else {
        return Vec::new();
    };
    let mut lost = Vec::new();
    for (stream_member, stream) in members {
        let Value::EventStream {
            events: generated, ..
        } = stream
        else {
            continue;
        };
        let stream_path = ValuePath::root(root).member(stream_member);
        for (index, (event_member, event_value)) in generated.iter().enumerate() {
            let event_path = stream_path.member(event_member);
            if index + 1 == generated.len() && exception == Some(event_member.as_str()) {
                let variant = naming::union_variant(event_member);
                let reported = stream_error.and_then(|text| debug_tree(text).ok());
                match reported {
                    Some(DebugValue::Tuple { name, items })
                        if name == variant.trim_start_matches("r#") =>
                    {
                        if let Some(inner) = items.first() {
                            walk(event_value, inner, &event_path, &mut lost);
                        }
                    }
                    _ => lost.push(format!(
                        "{event_path} (the exception did not end the stream as a modeled error)"
                    )),
                }
                continue;
            }
            let Some(tree) = events.get(index).and_then(|text| debug_tree(text).ok()) else {
                lost.push(format!("{event_path} (event {} not received)", index + 1));
                continue;
            };
            let variant = naming::union_variant(event_member);
            if is_redacted(&tree) {
                continue;
            }
            match &tree {
                DebugValue::Tuple { name, items } if name == variant.trim_start_matches("r#") => {
                    if let Some(inner) = items.first() {
                        walk(event_value, inner, &event_path, &mut lost);
                    }
                }
                _ => lost.push(format!(
                    "{event_path} (event {} arrived as another variant)",
                    index + 1
                )),
            }
        }
    }
    lost
}

fn is_redacted(tree: &DebugValue) -> bool {
    matches!(tree, DebugValue::Str(text) | DebugValue::Atom(text) if text.contains(REDACTED))
}

fn walk(value: &Value, tree: &DebugValue, path: &ValuePath, lost: &mut Vec<String>) {
    let tree = tree.peel_some();
    if is_redacted(tree) {
        return;
    }
    match value {
        Value::Structure { members, .. } => {
            for (name, member) in members {
                let field = naming::structure_member(name);
                let field = field.trim_start_matches("r#");
                let member_path = path.member(name);
                match tree.get(field) {
                    Some(found) if !found.is_none() || matches!(member, Value::Null) => {
                        walk(member, found, &member_path, lost)
                    }
                    _ => lost.push(member_path.to_string()),
                }
            }
        }
        Value::List(items) => {
            for (index, item) in items.iter().enumerate() {
                let item_path = path.index(index);
                match tree.get(&format!("[{index}]")) {
                    Some(found) if matches!(item, Value::Null) || !found.is_none() => {
                        walk(item, found, &item_path, lost)
                    }
                    _ => lost.push(item_path.to_string()),
                }
            }
        }
        Value::Map(entries) => {
            for (key, entry) in entries {
                let entry_path = path.key(key);
                match map_entry(tree, key) {
                    Some(found) if matches!(entry, Value::Null) || !found.is_none() => {
                        walk(entry, found, &entry_path, lost)
                    }
                    _ => lost.push(entry_path.to_string()),
                }
            }
        }
        Value::Union {
            member,
            value: inner,
            ..
        } => {
            let variant = naming::union_variant(member);
            let variant = variant.trim_start_matches("r#");
            match tree {
                DebugValue::Tuple { name, items } if name == variant => {
                    if let Some(found) = items.first() {
                        walk(inner, found, &path.member(member), lost);
                    }
                }
                DebugValue::Atom(name) if name == variant => {}
                _ => lost.push(path.member(member).to_string()),
            }
        }
        // Scalars are present when reached; event streams are checked through their events.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use snapshot_model::ShapeId;

    fn structure(members: Vec<(&str, Value)>) -> Value {
        Value::Structure {
            shape: ShapeId::new("example", "Out"),
            members: members
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    #[test]
    fn finds_members_the_client_dropped() {
        let value = structure(vec![
            ("UserId", Value::String("__UserId__".into())),
            (
                "Tags",
                Value::List(vec![structure(vec![(
                    "Key",
                    Value::String("__Key__".into()),
                )])]),
            ),
            ("Type", Value::String("__Type__".into())),
        ]);
        let debug = "GetOutput {\n    user_id: Some(\n        \"__UserId__\",\n    ),\n    tags: Some(\n        [\n            Tag {\n                key: None,\n            },\n        ],\n    ),\n    type: None,\n}";
        assert_eq!(
            lost_members(&value, debug, "GetOutput"),
            vec!["GetOutput.Tags[0].Key", "GetOutput.Type"]
        );
    }

    #[test]
    fn checks_every_event_of_an_output_stream() {
        let event = structure(vec![("Role", Value::String("__Role__".into()))]);
        let value = structure(vec![(
            "Stream",
            Value::EventStream {
                shape: ShapeId::new("example", "Events"),
                events: vec![
                    ("MessageStart".into(), event.clone()),
                    ("MessageStop".into(), event),
                ],
            },
        )]);
        let received = vec!["MessageStart(\n    Start {\n        role: Some(\n            \"__Role__\",\n        ),\n    },\n)".to_owned()];
        assert_eq!(
            lost_events(&value, &received, None, None, "Out"),
            vec!["Out.Stream.MessageStop (event 2 not received)"]
        );
        let dropped_member = vec![
            "MessageStart(Start { role: None })".to_owned(),
            "MessageStop(Stop { role: Some(\"__Role__\") })".to_owned(),
        ];
        assert_eq!(
            lost_events(&value, &dropped_member, None, None, "Out"),
            vec!["Out.Stream.MessageStart.Role"]
        );
    }

    #[test]
    fn accepts_a_complete_round_trip_and_redacted_values() {
        let value = structure(vec![
            ("UserId", Value::String("__UserId__".into())),
            ("Secret", Value::String("__Secret__".into())),
        ]);
        let debug = "GetOutput { user_id: Some(\"__UserId__\"), secret: \"*** Sensitive Data Redacted ***\" }";
        assert!(lost_members(&value, debug, "GetOutput").is_empty());
    }
}
