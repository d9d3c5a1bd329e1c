//! Transformers: rules that replace volatile values in a snapshot tree before it is stored or
//! compared.
//!
//! A transformer selects values (by member name, by path, by regular expression over strings,
//! or by literal value) and says what replaces them ([`Replacement`]). [`Transformers::apply`]
//! runs in two passes so that identity holds across a whole test:
//!
//! 1. selection, in a fixed order of kinds: list sorting and JSON-string parsing, then
//!    member-name and path transformers, then literal values, then regular expressions; within a kind, in the order
//!    added. Objects are walked in member-name order, so numbering is the same on every run.
//!    References are registered in a shared [`Placeholders`] (the first registration of a value
//!    decides its placeholder); fixed replacements are written in place.
//! 2. substitution: every mention of every registered value is replaced, wherever it occurs.

use std::cmp::Ordering;

use regex::Regex;
use serde_json::Value;

use crate::errors::RuleError;
use crate::path::{JsonPath, PathPattern};
use crate::placeholders::Placeholders;

/// What a selected value becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replacement {
    /// `<scope:N>`, numbered per distinct value; every mention of the value anywhere in the
    /// test becomes the same placeholder.
    Reference(String),
    /// This literal text, for the value and every mention of it (the account id, the region).
    Named(String),
    /// This literal text in place of the selected occurrence only (timestamps, secrets).
    Fixed(String),
}

impl Replacement {
    /// A numbered reference in `scope`, e.g. `reference("queue-url")` gives `<queue-url:1>`.
    pub fn reference(scope: impl Into<String>) -> Self {
        Self::Reference(scope.into())
    }

    /// A literal name replacing the value everywhere.
    pub fn named(text: impl Into<String>) -> Self {
        Self::Named(text.into())
    }

    /// A literal text replacing the selected occurrence only.
    pub fn fixed(text: impl Into<String>) -> Self {
        Self::Fixed(text.into())
    }
}

#[derive(Debug, Clone)]
enum Selector {
    Key(String),
    Path(PathPattern),
    Value(Value),
    Regex(Regex),
}

/// Rules that reshape the tree before any value is replaced.
#[derive(Debug, Clone)]
enum Normalizer {
    Sort {
        pattern: PathPattern,
        by: Option<String>,
    },
    ParseJson(PathPattern),
}

#[derive(Debug, Clone)]
enum Rule {
    Normalize(Normalizer),
    Replace {
        selector: Selector,
        replacement: Replacement,
    },
}

impl Rule {
    fn phase(&self) -> u8 {
        match self {
            Rule::Normalize(_) => 0,
            Rule::Replace { selector, .. } => match selector {
                Selector::Key(_) | Selector::Path(_) => 1,
                Selector::Value(_) => 2,
                Selector::Regex(_) => 3,
            },
        }
    }
}

/// One rule. Build with [`Transformer::key`], [`Transformer::path`], [`Transformer::regex`],
/// [`Transformer::value`], [`Transformer::sort`] or [`Transformer::parse_json`].
#[derive(Debug, Clone)]
pub struct Transformer {
    rule: Rule,
}

impl Transformer {
    fn replace(selector: Selector, replacement: Replacement) -> Self {
        Self {
            rule: Rule::Replace {
                selector,
                replacement,
            },
        }
    }

    /// Every scalar at or under an object member named `key` (at any depth).
    pub fn key(key: impl Into<String>, replacement: Replacement) -> Self {
        Self::replace(Selector::Key(key.into()), replacement)
    }

    /// Every scalar at or under a location matched by `pattern` (see [`crate::path`]).
    pub fn path(pattern: &str, replacement: Replacement) -> Result<Self, RuleError> {
        Ok(Self::replace(
            Selector::Path(PathPattern::parse(pattern)?),
            replacement,
        ))
    }

    /// Every match of `regex` inside string values. When the expression has a capture group,
    /// only the text of group 1 is replaced (e.g. the account id inside an ARN); a match whose
    /// group did not take part is left alone.
    pub fn regex(regex: &str, replacement: Replacement) -> Result<Self, RuleError> {
        let compiled = Regex::new(regex).map_err(|source| RuleError::InvalidRegex {
            pattern: regex.to_owned(),
            source,
        })?;
        Ok(Self::replace(Selector::Regex(compiled), replacement))
    }

    /// A literal value known to the test (a generated resource name, the account id),
    /// replaced wherever it occurs. A [`Replacement::Fixed`] text acts as a name here.
    pub fn value(value: impl Into<Value>, replacement: Replacement) -> Self {
        Self::replace(Selector::Value(value.into()), replacement)
    }

    /// Sorts the arrays at `pattern` (by the member `by` of each element, or by the element
    /// itself), for services that return lists in no fixed order. Sorting runs before every
    /// replacement, so placeholder numbers follow the sorted order.
    pub fn sort(pattern: &str, by: Option<&str>) -> Result<Self, RuleError> {
        Ok(Self {
            rule: Rule::Normalize(Normalizer::Sort {
                pattern: PathPattern::parse(pattern)?,
                by: by.map(str::to_owned),
            }),
        })
    }

    /// Parses the strings at `pattern` that hold JSON (policies, redrive settings, ...) into
    /// trees, so differences inside them get their own paths and transformers reach into
    /// them. Strings that are not JSON stay as they are. Runs before every replacement.
    pub fn parse_json(pattern: &str) -> Result<Self, RuleError> {
        Ok(Self {
            rule: Rule::Normalize(Normalizer::ParseJson(PathPattern::parse(pattern)?)),
        })
    }

    /// What this transformer replaces selected values with (`None` for sorting and parsing).
    pub fn replacement(&self) -> Option<&Replacement> {
        match &self.rule {
            Rule::Replace { replacement, .. } => Some(replacement),
            Rule::Normalize(_) => None,
        }
    }

    fn run(&self, root: &JsonPath, tree: &mut Value, placeholders: &mut Placeholders) {
        match &self.rule {
            Rule::Normalize(Normalizer::Sort { pattern, by }) => {
                sort_at(pattern, by.as_deref(), root, tree)
            }
            Rule::Normalize(Normalizer::ParseJson(pattern)) => parse_json_at(pattern, root, tree),
            Rule::Replace {
                selector,
                replacement,
            } => select(selector, replacement, root, tree, placeholders),
        }
    }
}

fn select(
    selector: &Selector,
    replacement: &Replacement,
    root: &JsonPath,
    tree: &mut Value,
    placeholders: &mut Placeholders,
) {
    match selector {
        Selector::Key(key) => walk_members(tree, &mut |name, value| {
            if name == key {
                replace_scalars(value, replacement, placeholders);
                true
            } else {
                false
            }
        }),
        Selector::Path(pattern) => walk_paths(root, tree, &mut |path, value| {
            if pattern.matches(path) {
                replace_scalars(value, replacement, placeholders);
                true
            } else {
                false
            }
        }),
        Selector::Value(value) => match replacement {
            Replacement::Reference(scope) => {
                placeholders.reference(scope, value);
            }
            Replacement::Named(text) | Replacement::Fixed(text) => {
                placeholders.name(value, text);
            }
        },
        Selector::Regex(regex) => walk_strings(tree, &mut |text| {
            regex_replace(regex, text, replacement, placeholders)
        }),
    }
}

fn parse_json_at(pattern: &PathPattern, root: &JsonPath, tree: &mut Value) {
    walk_paths(root, tree, &mut |path, value| {
        if !pattern.matches(path) {
            return false;
        }
        if let Value::String(text) = value {
            if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                *value = parsed;
            }
        }
        // The parsed tree may hold further JSON strings the pattern matches (`$..Policy`).
        false
    });
}

/// Applies a replacement to a selected value: every scalar inside it for references and names,
/// the whole value for a fixed text.
fn replace_scalars(value: &mut Value, replacement: &Replacement, placeholders: &mut Placeholders) {
    match (replacement, &mut *value) {
        (_, Value::Null) => {}
        (Replacement::Fixed(text), _) => *value = Value::String(text.clone()),
        (_, Value::Array(items)) => items
            .iter_mut()
            .for_each(|item| replace_scalars(item, replacement, placeholders)),
        (_, Value::Object(members)) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort();
            let names: Vec<String> = names.into_iter().cloned().collect();
            for name in names {
                if let Some(member) = members.get_mut(&name) {
                    replace_scalars(member, replacement, placeholders);
                }
            }
        }
        (Replacement::Reference(scope), scalar) => {
            placeholders.reference(scope, scalar);
        }
        (Replacement::Named(text), scalar) => {
            placeholders.name(scalar, text);
        }
    }
}

fn regex_replace(
    regex: &Regex,
    text: &mut String,
    replacement: &Replacement,
    placeholders: &mut Placeholders,
) {
    let mut rebuilt = String::with_capacity(text.len());
    let mut last = 0;
    for captures in regex.captures_iter(text) {
        let selected = if captures.len() > 1 {
            captures.get(1)
        } else {
            captures.get(0)
        };
        let Some(selected) = selected else { continue };
        if selected.as_str().is_empty() {
            continue;
        }
        match replacement {
            Replacement::Reference(scope) => {
                placeholders.reference(scope, &Value::String(selected.as_str().to_owned()));
            }
            Replacement::Named(name) => {
                placeholders.name(&Value::String(selected.as_str().to_owned()), name);
            }
            Replacement::Fixed(fixed) => {
                rebuilt.push_str(&text[last..selected.start()]);
                rebuilt.push_str(fixed);
                last = selected.end();
            }
        }
    }
    if last > 0 {
        rebuilt.push_str(&text[last..]);
        *text = rebuilt;
    }
}

/// Visits object members in name order; `visit` returns true when it consumed the member
/// (its value is then not walked further).
fn walk_members(tree: &mut Value, visit: &mut dyn FnMut(&str, &mut Value) -> bool) {
    match tree {
        Value::Array(items) => items.iter_mut().for_each(|item| walk_members(item, visit)),
        Value::Object(members) => {
            let mut names: Vec<String> = members.keys().cloned().collect();
            names.sort();
            for name in names {
                if let Some(member) = members.get_mut(&name) {
                    if !visit(&name, member) {
                        walk_members(member, visit);
                    }
                }
            }
        }
        _ => {}
    }
}

fn walk_paths(
    path: &JsonPath,
    tree: &mut Value,
    visit: &mut dyn FnMut(&JsonPath, &mut Value) -> bool,
) {
    if visit(path, tree) {
        return;
    }
    match tree {
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk_paths(&path.index(index), item, visit);
            }
        }
        Value::Object(members) => {
            let mut names: Vec<String> = members.keys().cloned().collect();
            names.sort();
            for name in names {
                if let Some(member) = members.get_mut(&name) {
                    walk_paths(&path.key(&name), member, visit);
                }
            }
        }
        _ => {}
    }
}

fn walk_strings(tree: &mut Value, visit: &mut dyn FnMut(&mut String)) {
    match tree {
        Value::String(text) => visit(text),
        Value::Array(items) => items.iter_mut().for_each(|item| walk_strings(item, visit)),
        Value::Object(members) => {
            let mut names: Vec<String> = members.keys().cloned().collect();
            names.sort();
            for name in names {
                if let Some(member) = members.get_mut(&name) {
                    walk_strings(member, visit);
                }
            }
        }
        _ => {}
    }
}

fn sort_at(pattern: &PathPattern, by: Option<&str>, root: &JsonPath, tree: &mut Value) {
    walk_paths(root, tree, &mut |path, value| {
        if !pattern.matches(path) {
            return false;
        }
        if let Value::Array(items) = value {
            items.sort_by(|a, b| compare_for_sort(a, b, by));
        }
        // Lists inside the sorted elements may match the pattern too (`$..Tags`).
        false
    });
}

fn compare_for_sort(a: &Value, b: &Value, by: Option<&str>) -> Ordering {
    let key = |value: &Value| -> String {
        let selected = match by {
            Some(member) => value.get(member).unwrap_or(&Value::Null),
            None => value,
        };
        match selected {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    };
    key(a).cmp(&key(b))
}

/// An ordered set of transformers, applied together with one [`Placeholders`] scope.
#[derive(Debug, Clone, Default)]
pub struct Transformers {
    items: Vec<Transformer>,
}

impl Transformers {
    /// No transformers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one transformer.
    pub fn push(&mut self, transformer: Transformer) {
        self.items.push(transformer);
    }

    /// Adds several.
    pub fn extend(&mut self, transformers: impl IntoIterator<Item = Transformer>) {
        self.items.extend(transformers);
    }

    /// The transformers in the order added.
    pub fn iter(&self) -> impl Iterator<Item = &Transformer> {
        self.items.iter()
    }

    /// Transforms one tree (paths start at `$`).
    pub fn apply(&self, tree: &mut Value, placeholders: &mut Placeholders) {
        let mut roots = [(JsonPath::root(), tree)];
        self.apply_roots(&mut roots, placeholders);
    }

    /// Transforms the named values of a test together, in the given order (paths start at
    /// `$.<name>`), so that numbering and identity span all of them.
    pub fn apply_entries<'a>(
        &self,
        entries: impl IntoIterator<Item = (&'a str, &'a mut Value)>,
        placeholders: &mut Placeholders,
    ) {
        let mut roots: Vec<(JsonPath, &mut Value)> = entries
            .into_iter()
            .map(|(name, value)| (JsonPath::root().key(name), value))
            .collect();
        self.apply_roots(&mut roots, placeholders);
    }

    fn apply_roots(&self, roots: &mut [(JsonPath, &mut Value)], placeholders: &mut Placeholders) {
        let mut ordered: Vec<&Transformer> = self.items.iter().collect();
        // Stable: within a kind, insertion order is kept.
        ordered.sort_by_key(|transformer| transformer.rule.phase());
        for transformer in ordered {
            for (path, tree) in roots.iter_mut() {
                transformer.run(path, tree, placeholders);
            }
        }
        let substitution = placeholders.substitution();
        for (_, tree) in roots.iter_mut() {
            substitution.apply(tree);
        }
    }
}

impl FromIterator<Transformer> for Transformers {
    fn from_iter<T: IntoIterator<Item = Transformer>>(iter: T) -> Self {
        Self {
            items: iter.into_iter().collect(),
        }
    }
}

impl Extend<Transformer> for Transformers {
    fn extend<T: IntoIterator<Item = Transformer>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(transformers: Vec<Transformer>, tree: &mut Value) -> Placeholders {
        let mut placeholders = Placeholders::new();
        Transformers::from_iter(transformers).apply(tree, &mut placeholders);
        placeholders
    }

    #[test]
    fn key_transformer_keeps_identity_across_mentions() {
        let mut tree = json!({
            "a": {"QueueUrl": "http://h/1/alpha-x"},
            "b": {"QueueUrl": "http://h/1/beta-y"},
            "list": {"QueueUrls": ["http://h/1/beta-y", "http://h/1/alpha-x"]},
            "note": "sent to http://h/1/alpha-x",
        });
        run(
            vec![Transformer::key(
                "QueueUrl",
                Replacement::reference("queue-url"),
            )],
            &mut tree,
        );
        assert_eq!(
            tree,
            json!({
                "a": {"QueueUrl": "<queue-url:1>"},
                "b": {"QueueUrl": "<queue-url:2>"},
                "list": {"QueueUrls": ["<queue-url:2>", "<queue-url:1>"]},
                "note": "sent to <queue-url:1>",
            })
        );
    }

    #[test]
    fn entries_number_in_the_given_order_not_alphabetically() {
        let mut first = json!({"Id": "zzz-111111"});
        let mut second = json!({"Id": "aaa-222222"});
        let transformers: Transformers = [Transformer::key("Id", Replacement::reference("id"))]
            .into_iter()
            .collect();
        let mut placeholders = Placeholders::new();
        transformers.apply_entries(
            [
                ("z-created-first", &mut first),
                ("a-created-second", &mut second),
            ],
            &mut placeholders,
        );
        assert_eq!(first, json!({"Id": "<id:1>"}));
        assert_eq!(second, json!({"Id": "<id:2>"}));
    }

    #[test]
    fn regex_group_fixed_and_path_transformers() {
        let mut tree = json!({
            "arn": "arn:aws:sqs:us-east-1:123456789012:q",
            "created": 1700000000.5,
            "nested": {"Items": [{"secret": "s1"}, {"secret": "s2"}]},
            "when": "at 2024-01-02T03:04:05Z and 2024-01-02T03:04:06Z",
        });
        run(
            vec![
                Transformer::regex(
                    r"arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):",
                    Replacement::named("<account-id>"),
                )
                .unwrap(),
                Transformer::key("created", Replacement::fixed("<timestamp>")),
                Transformer::path("$.nested.Items[*].secret", Replacement::fixed("<secret>"))
                    .unwrap(),
                Transformer::regex(
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                    Replacement::fixed("<datetime>"),
                )
                .unwrap(),
            ],
            &mut tree,
        );
        assert_eq!(
            tree,
            json!({
                "arn": "arn:aws:sqs:us-east-1:<account-id>:q",
                "created": "<timestamp>",
                "nested": {"Items": [{"secret": "<secret>"}, {"secret": "<secret>"}]},
                "when": "at <datetime> and <datetime>",
            })
        );
    }

    #[test]
    fn specific_transformers_win_over_generic_ones_whatever_the_order_added() {
        let id = "0b5d6e7c-1f2a-4b3c-8d9e-0f1a2b3c4d5e";
        let mut tree = json!({"MessageId": id, "echo": id});
        run(
            vec![
                Transformer::regex(
                    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                    Replacement::reference("uuid"),
                )
                .unwrap(),
                Transformer::key("MessageId", Replacement::reference("message-id")),
            ],
            &mut tree,
        );
        assert_eq!(
            tree,
            json!({"MessageId": "<message-id:1>", "echo": "<message-id:1>"})
        );
    }

    #[test]
    fn sorting_runs_first_so_numbering_is_independent_of_server_order() {
        let make = |order: [&str; 2]| json!({"Tables": [{"Name": order[0]}, {"Name": order[1]}]});
        let transformers = || {
            vec![
                Transformer::sort("$.Tables", Some("Name")).unwrap(),
                Transformer::key("Name", Replacement::reference("table")),
            ]
        };
        let mut one = make(["t-bbbbbb", "t-aaaaaa"]);
        let mut two = make(["t-aaaaaa", "t-bbbbbb"]);
        run(transformers(), &mut one);
        run(transformers(), &mut two);
        assert_eq!(one, two);
        assert_eq!(
            one,
            json!({"Tables": [{"Name": "<table:1>"}, {"Name": "<table:2>"}]})
        );
    }

    #[test]
    fn json_strings_are_parsed_before_replacement() {
        let mut tree = json!({
            "Attributes": {
                "Policy": "{\"Statement\":[{\"Resource\":\"arn:aws:sqs:us-east-1:123456789012:q\"}]}",
                "Name": "{not json",
            }
        });
        run(
            vec![
                Transformer::regex(
                    r"arn:aws:sqs:[a-z0-9-]+:(\d{12}):",
                    Replacement::named("<account-id>"),
                )
                .unwrap(),
                Transformer::parse_json("$..Attributes.*").unwrap(),
            ],
            &mut tree,
        );
        assert_eq!(
            tree,
            json!({"Attributes": {
                "Policy": {"Statement": [{"Resource": "arn:aws:sqs:us-east-1:<account-id>:q"}]},
                "Name": "{not json",
            }})
        );
    }

    #[test]
    fn invalid_inputs_are_reported() {
        let err = Transformer::regex("(", Replacement::fixed("x")).unwrap_err();
        assert!(
            err.to_string().contains("invalid regular expression `(`"),
            "{err}"
        );
        let err = Transformer::path("QueueUrl", Replacement::fixed("x")).unwrap_err();
        assert!(err.to_string().contains("starts with `$`"), "{err}");
    }
}
