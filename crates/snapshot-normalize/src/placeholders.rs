//! Reference placeholders: volatile values replaced by names that keep identity.
//!
//! A snapshot must not change when a random value changes, but a reviewer still needs to see
//! that two occurrences of one value are equal. A value registered under a scope gets
//! `<scope:N>`, where `N` counts the distinct values of that scope in order of registration;
//! registering the same value again returns the same placeholder. One engine serves both
//! forms of snapshot:
//!
//! * text, rendered in file order: [`Placeholders::replace_uuids`] numbers every UUID by its
//!   first appearance in the file (`<uuid:1>`), sharing one registry across the sections;
//! * trees (live and parity snapshots): transformers register values, then
//!   [`Placeholders::substitute`] replaces every mention of every registered value: whole
//!   strings, text embedded in longer strings (an account id inside an ARN) and object member
//!   names.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use serde_json::Value;

use crate::uuid::{uuid_spans, FIXED_IDEMPOTENCY_TOKEN, UUID_KIND};

/// Registered strings shorter than this are only replaced where they are the whole string:
/// replacing a short value such as `"1"` inside every other string would garble the tree.
pub const MIN_EMBEDDED_LEN: usize = 6;

/// The placeholders of one snapshot file, or of one parity test (all its trees).
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    counters: HashMap<String, usize>,
    texts: Vec<(String, String)>,
    text_index: HashMap<String, usize>,
    // Non-string scalars (numbers, booleans) are compared as whole values.
    others: Vec<(Value, String)>,
}

impl Placeholders {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The placeholder of `value` in `scope`, allocating `<scope:N>` on first sight; `None`
    /// for values that carry no identity (null, `""`, arrays, objects).
    ///
    /// A value already registered (under any scope or name) keeps its first placeholder, so a
    /// queue URL seen by two transformers stays one identity.
    pub fn reference(&mut self, scope: &str, value: &Value) -> Option<String> {
        if let Some(existing) = self.lookup(value) {
            return Some(existing.to_owned());
        }
        // The number is taken before the identity check, so a value without identity offered
        // to a scope still uses up a number; recorded parity snapshots depend on this order.
        let placeholder = self.next(scope);
        self.insert(value, placeholder)
    }

    /// [`Placeholders::reference`] of a non-empty string.
    fn reference_text(&mut self, scope: &str, text: &str) -> String {
        if let Some(at) = self.text_index.get(text) {
            return self.texts[*at].1.clone();
        }
        let placeholder = self.next(scope);
        self.text_index.insert(text.to_owned(), self.texts.len());
        self.texts.push((text.to_owned(), placeholder.clone()));
        placeholder
    }

    fn next(&mut self, scope: &str) -> String {
        let counter = self.counters.entry(scope.to_owned()).or_insert(0);
        *counter += 1;
        format!("<{scope}:{counter}>")
    }

    /// Replaces every UUID in `text` (8-4-4-4-12 hex digits, not glued to other letters or
    /// digits) except [`FIXED_IDEMPOTENCY_TOKEN`] by its `<uuid:N>` placeholder, numbering new
    /// ones in order of appearance (SPEC §6).
    pub fn replace_uuids(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in uuid_spans(text.as_bytes()) {
            let uuid = &text[start..end];
            // The fixed token shows that the client filled the token member: it stays.
            if uuid == FIXED_IDEMPOTENCY_TOKEN {
                continue;
            }
            out.push_str(&text[last..start]);
            let placeholder = self.reference_text(UUID_KIND, uuid);
            out.push_str(&placeholder);
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Registers `value` to be shown as the literal `text` wherever it occurs (for values that
    /// occur once per test, such as the account id or the region).
    pub fn name(&mut self, value: &Value, text: &str) -> Option<String> {
        if let Some(existing) = self.lookup(value) {
            return Some(existing.to_owned());
        }
        self.insert(value, text.to_owned())
    }

    fn insert(&mut self, value: &Value, placeholder: String) -> Option<String> {
        if !carries_identity(value) {
            return None;
        }
        match value {
            Value::String(text) => {
                self.text_index.insert(text.clone(), self.texts.len());
                self.texts.push((text.clone(), placeholder.clone()));
                Some(placeholder)
            }
            _ => {
                self.others.push((value.clone(), placeholder.clone()));
                Some(placeholder)
            }
        }
    }

    /// The placeholder already registered for `value`, if any.
    pub fn lookup(&self, value: &Value) -> Option<&str> {
        match value {
            Value::String(text) => self
                .text_index
                .get(text)
                .map(|at| self.texts[*at].1.as_str()),
            Value::Number(_) | Value::Bool(_) => self
                .others
                .iter()
                .find(|(known, _)| known == value)
                .map(|(_, placeholder)| placeholder.as_str()),
            _ => None,
        }
    }

    /// Every registered value with its placeholder, in registration order (strings first).
    pub fn registrations(&self) -> impl Iterator<Item = (Value, &str)> + '_ {
        self.texts
            .iter()
            .map(|(text, placeholder)| (Value::String(text.clone()), placeholder.as_str()))
            .chain(
                self.others
                    .iter()
                    .map(|(value, placeholder)| (value.clone(), placeholder.as_str())),
            )
    }

    /// Replaces every mention of every registered value in `tree`.
    pub fn substitute(&self, tree: &mut Value) {
        Substitution::new(self).apply(tree);
    }

    pub(crate) fn substitution(&self) -> Substitution<'_> {
        Substitution::new(self)
    }
}

/// Empty strings, null and containers carry no identity; replacing them would hit everything.
fn carries_identity(value: &Value) -> bool {
    match value {
        Value::Null | Value::Array(_) | Value::Object(_) => false,
        Value::String(text) => !text.is_empty(),
        Value::Number(_) | Value::Bool(_) => true,
    }
}

/// A compiled replacement pass over trees (built once, applied to every root of a session).
pub(crate) struct Substitution<'a> {
    placeholders: &'a Placeholders,
    embedded: Option<(AhoCorasick, Vec<&'a str>)>,
}

impl<'a> Substitution<'a> {
    fn new(placeholders: &'a Placeholders) -> Self {
        let long: Vec<&(String, String)> = placeholders
            .texts
            .iter()
            .filter(|(text, _)| text.chars().count() >= MIN_EMBEDDED_LEN)
            .collect();
        // Leftmost-longest: a queue URL wins over the queue name it contains, and one pass
        // never rewrites inside a placeholder it just inserted.
        let embedded = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(long.iter().map(|(text, _)| text.as_str()))
            .ok()
            .map(|automaton| {
                (
                    automaton,
                    long.iter()
                        .map(|(_, placeholder)| placeholder.as_str())
                        .collect(),
                )
            });
        Self {
            placeholders,
            embedded,
        }
    }

    fn replace_text(&self, text: &str) -> Option<String> {
        if let Some(at) = self.placeholders.text_index.get(text) {
            return Some(self.placeholders.texts[*at].1.clone());
        }
        let (automaton, replacements) = self.embedded.as_ref()?;
        if !automaton.is_match(text) {
            return None;
        }
        Some(automaton.replace_all(text, replacements))
    }

    pub(crate) fn apply(&self, tree: &mut Value) {
        match tree {
            Value::String(text) => {
                if let Some(replaced) = self.replace_text(text) {
                    *text = replaced;
                }
            }
            Value::Number(_) | Value::Bool(_) => {
                if let Some(placeholder) = self.placeholders.lookup(tree) {
                    *tree = Value::String(placeholder.to_owned());
                }
            }
            Value::Null => {}
            Value::Array(items) => items.iter_mut().for_each(|item| self.apply(item)),
            Value::Object(members) => {
                let renamed: Vec<(String, String)> = members
                    .keys()
                    .filter_map(|key| self.replace_text(key).map(|new| (key.clone(), new)))
                    .collect();
                for (old, new) in renamed {
                    if let Some(value) = members.remove(&old) {
                        members.insert(new, value);
                    }
                }
                members.values_mut().for_each(|value| self.apply(value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_numbered_per_scope_and_stable() {
        let mut p = Placeholders::new();
        assert_eq!(
            p.reference("queue-url", &json!("http://q/a")).unwrap(),
            "<queue-url:1>"
        );
        assert_eq!(p.reference("uuid", &json!("u-1")).unwrap(), "<uuid:1>");
        assert_eq!(
            p.reference("queue-url", &json!("http://q/b")).unwrap(),
            "<queue-url:2>"
        );
        assert_eq!(
            p.reference("queue-url", &json!("http://q/a")).unwrap(),
            "<queue-url:1>"
        );
        // First registration wins across scopes.
        assert_eq!(
            p.reference("url", &json!("http://q/b")).unwrap(),
            "<queue-url:2>"
        );
        assert_eq!(p.reference("x", &json!("")), None);
        assert_eq!(p.reference("x", &json!(null)), None);
    }

    #[test]
    fn substitution_replaces_whole_embedded_and_member_names() {
        let mut p = Placeholders::new();
        p.reference(
            "queue-url",
            &json!("http://localhost:5000/123456789012/orders-17"),
        );
        p.reference("queue-name", &json!("orders-17"));
        p.name(&json!("123456789012"), "<account-id>");
        p.reference("short", &json!("abc"));
        p.reference("number", &json!(1700000000));
        let mut tree = json!({
            "url": "http://localhost:5000/123456789012/orders-17",
            "arn": "arn:aws:sqs:us-east-1:123456789012:orders-17",
            "orders-17": {"count": 1700000000, "other": 1},
            "short": "abc",
            "contains-short": "xabcx",
        });
        p.substitute(&mut tree);
        assert_eq!(
            tree,
            json!({
                "url": "<queue-url:1>",
                "arn": "arn:aws:sqs:us-east-1:<account-id>:<queue-name:1>",
                "<queue-name:1>": {"count": "<number:1>", "other": 1},
                "short": "<short:1>",
                "contains-short": "xabcx",
            })
        );
    }

    const A: &str = "5f1b3c3e-8d0a-4a4b-9c6e-2b7a0d9e1f23";
    const B: &str = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9";

    #[test]
    fn uuids_in_text_are_numbered_by_first_appearance_across_sections() {
        let mut placeholders = Placeholders::new();
        let text = format!("id: {A}\nother: {B}\nagain: {A}");
        assert_eq!(
            placeholders.replace_uuids(&text),
            "id: <uuid:1>\nother: <uuid:2>\nagain: <uuid:1>"
        );
        // Later sections of the same file continue the numbering.
        assert_eq!(
            placeholders.replace_uuids(&format!("\"{B}\"")),
            "\"<uuid:2>\""
        );
    }

    #[test]
    fn the_fixed_idempotency_token_stays_in_text() {
        let mut placeholders = Placeholders::new();
        let text = format!("token={FIXED_IDEMPOTENCY_TOKEN}&id={A}");
        assert_eq!(
            placeholders.replace_uuids(&text),
            format!("token={FIXED_IDEMPOTENCY_TOKEN}&id=<uuid:1>")
        );
    }

    #[test]
    fn hex_runs_glued_to_longer_tokens_are_not_uuids() {
        let mut placeholders = Placeholders::new();
        let glued = format!("x{A}");
        assert_eq!(placeholders.replace_uuids(&glued), glued);
        let long = format!("{A}0");
        assert_eq!(placeholders.replace_uuids(&long), long);
        assert_eq!(placeholders.replace_uuids("short-1234"), "short-1234");
    }

    #[test]
    fn a_uuid_seen_in_text_keeps_its_placeholder_in_trees() {
        let mut placeholders = Placeholders::new();
        assert_eq!(placeholders.replace_uuids(A), "<uuid:1>");
        let mut tree = json!({ "id": A, "note": format!("see {A}") });
        placeholders.substitute(&mut tree);
        assert_eq!(tree, json!({ "id": "<uuid:1>", "note": "see <uuid:1>" }));
        assert_eq!(
            placeholders.reference(UUID_KIND, &json!(B)).unwrap(),
            "<uuid:2>"
        );
    }
}
