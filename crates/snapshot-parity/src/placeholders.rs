//! Reference placeholders: volatile values replaced by names that keep identity.
//!
//! A value registered under a scope gets `<scope:N>`, where `N` counts the distinct values of
//! that scope in order of registration; registering the same value again returns the same
//! placeholder. After all transformers ran, [`Placeholders::substitute`] replaces every mention
//! of every registered value in the tree: whole strings, text embedded in longer strings (an
//! account id inside an ARN) and object member names.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use serde_json::Value;

/// Registered strings shorter than this are only replaced where they are the whole string:
/// replacing a short value such as `"1"` inside every other string would garble the tree.
pub const MIN_EMBEDDED_LEN: usize = 6;

/// The placeholders of one scope (a test, or one tree for a caller outside a session).
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

    /// The placeholder of `value` in `scope`, allocating `<scope:N>` on first sight.
    ///
    /// A value already registered (under any scope or name) keeps its first placeholder, so a
    /// queue URL seen by two transformers stays one identity.
    pub fn reference(&mut self, scope: &str, value: &Value) -> Option<String> {
        if let Some(existing) = self.lookup(value) {
            return Some(existing.to_owned());
        }
        let counter = self.counters.entry(scope.to_owned()).or_insert(0);
        *counter += 1;
        let placeholder = format!("<{scope}:{counter}>");
        self.insert(value, placeholder)
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
        match value {
            // Empty strings and null carry no identity; replacing them would hit everything.
            Value::Null | Value::Array(_) | Value::Object(_) => None,
            Value::String(text) if text.is_empty() => None,
            Value::String(text) => {
                self.text_index.insert(text.clone(), self.texts.len());
                self.texts.push((text.clone(), placeholder.clone()));
                Some(placeholder)
            }
            Value::Number(_) | Value::Bool(_) => {
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
}
