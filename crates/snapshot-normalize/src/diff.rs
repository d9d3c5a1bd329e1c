//! Structural comparison of a recorded tree with a current one, and skip paths for known,
//! accepted differences.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::errors::PathError;
use crate::path::{JsonPath, PathPattern};

/// One place where the current tree differs from the recorded one.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Where, e.g. `$.get-attributes.body.Attributes.VisibilityTimeout`.
    pub path: JsonPath,
    /// The recorded value, `None` when the current tree has a member or element the
    /// recording lacks.
    pub recorded: Option<Value>,
    /// The current value, `None` when it is missing from the current tree.
    pub current: Option<Value>,
}

impl Difference {
    /// What kind of difference this is.
    pub fn kind(&self) -> DifferenceKind {
        match (&self.recorded, &self.current) {
            (Some(_), None) => DifferenceKind::Missing,
            (None, Some(_)) => DifferenceKind::Added,
            _ => DifferenceKind::Changed,
        }
    }
}

/// The kind of a [`Difference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceKind {
    /// Both have a value at the path, and they differ.
    Changed,
    /// Recorded, but absent now.
    Missing,
    /// Absent from the recording, present now.
    Added,
}

/// A path whose differences are known and accepted, with the reason why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipPath {
    /// The pattern (see [`crate::path`]); it covers the locations it matches and everything
    /// inside them.
    #[serde(with = "pattern_as_string")]
    pub pattern: PathPattern,
    /// Why the difference is accepted (shown in reports and metrics).
    pub reason: String,
}

impl SkipPath {
    /// Parses `pattern` and pairs it with a reason.
    pub fn new(pattern: &str, reason: impl Into<String>) -> Result<Self, PathError> {
        Ok(Self {
            pattern: PathPattern::parse(pattern)?,
            reason: reason.into(),
        })
    }
}

mod pattern_as_string {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::path::PathPattern;

    pub fn serialize<S: Serializer>(pattern: &PathPattern, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(pattern.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathPattern, D::Error> {
        let text = String::deserialize(d)?;
        PathPattern::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A difference that a skip path accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedDifference {
    /// The difference.
    pub difference: Difference,
    /// The skip path that covers it.
    pub skip: SkipPath,
}

/// The result of comparing with skip paths applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    /// Differences no skip path covers: verification fails when this is not empty.
    pub failures: Vec<Difference>,
    /// Differences accepted by a skip path.
    pub skipped: Vec<SkippedDifference>,
    /// Skip paths that covered nothing (candidates for removal once the other side is fixed).
    pub unused_skips: Vec<SkipPath>,
}

impl Comparison {
    /// True when nothing failed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Every difference between `recorded` and `current`, paths starting at `$`.
pub fn diff(recorded: &Value, current: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    diff_into(&JsonPath::root(), recorded, current, &mut out);
    out
}

/// Compares two trees and sorts the differences into failures and skipped ones.
pub fn compare(recorded: &Value, current: &Value, skips: &[SkipPath]) -> Comparison {
    classify(diff(recorded, current), skips)
}

/// Compares the named values of a test (paths start at `$.<name>`), names in the order given
/// by `recorded` and then any new ones from `current`.
pub fn compare_entries<'a>(
    recorded: impl IntoIterator<Item = (&'a str, &'a Value)>,
    current: impl IntoIterator<Item = (&'a str, &'a Value)>,
    skips: &[SkipPath],
) -> Comparison {
    let recorded: Vec<(&str, &Value)> = recorded.into_iter().collect();
    let current: Vec<(&str, &Value)> = current.into_iter().collect();
    let mut out = Vec::new();
    for (name, recorded_value) in &recorded {
        let path = JsonPath::root().key(name);
        match current.iter().find(|(other, _)| other == name) {
            Some((_, current_value)) => diff_into(&path, recorded_value, current_value, &mut out),
            None => out.push(Difference {
                path,
                recorded: Some((*recorded_value).clone()),
                current: None,
            }),
        }
    }
    for (name, current_value) in &current {
        if !recorded.iter().any(|(other, _)| other == name) {
            out.push(Difference {
                path: JsonPath::root().key(name),
                recorded: None,
                current: Some((*current_value).clone()),
            });
        }
    }
    classify(out, skips)
}

fn classify(differences: Vec<Difference>, skips: &[SkipPath]) -> Comparison {
    let mut comparison = Comparison::default();
    let mut used = vec![false; skips.len()];
    for difference in differences {
        match skips
            .iter()
            .position(|skip| skip.pattern.covers(&difference.path))
        {
            Some(at) => {
                used[at] = true;
                comparison.skipped.push(SkippedDifference {
                    difference,
                    skip: skips[at].clone(),
                });
            }
            None => comparison.failures.push(difference),
        }
    }
    comparison.unused_skips = skips
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(skip, _)| skip.clone())
        .collect();
    comparison
}

fn diff_into(path: &JsonPath, recorded: &Value, current: &Value, out: &mut Vec<Difference>) {
    match (recorded, current) {
        (Value::Object(a), Value::Object(b)) => {
            let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
            names.sort();
            names.dedup();
            for name in names {
                let child = path.key(name);
                match (a.get(name), b.get(name)) {
                    (Some(x), Some(y)) => diff_into(&child, x, y, out),
                    (x, y) => out.push(Difference {
                        path: child,
                        recorded: x.cloned(),
                        current: y.cloned(),
                    }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for index in 0..a.len().max(b.len()) {
                let child = path.index(index);
                match (a.get(index), b.get(index)) {
                    (Some(x), Some(y)) => diff_into(&child, x, y, out),
                    (x, y) => out.push(Difference {
                        path: child,
                        recorded: x.cloned(),
                        current: y.cloned(),
                    }),
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Difference {
            path: path.clone(),
            recorded: Some(a.clone()),
            current: Some(b.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_changed_missing_and_added_with_paths() {
        let recorded = json!({"a": {"x": 1, "gone": true}, "list": [1, 2, 3], "same": "s"});
        let current = json!({"a": {"x": 2, "new": null}, "list": [1, 5], "same": "s"});
        let found: Vec<(String, DifferenceKind)> = diff(&recorded, &current)
            .into_iter()
            .map(|d| (d.path.to_string(), d.kind()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("$.a.gone".to_owned(), DifferenceKind::Missing),
                ("$.a.new".to_owned(), DifferenceKind::Added),
                ("$.a.x".to_owned(), DifferenceKind::Changed),
                ("$.list[1]".to_owned(), DifferenceKind::Changed),
                ("$.list[2]".to_owned(), DifferenceKind::Missing),
            ]
        );
        assert!(diff(&recorded, &recorded).is_empty());
    }

    #[test]
    fn skip_paths_move_differences_and_report_unused_ones() {
        let recorded = json!({"a": {"x": 1, "y": 1}, "b": 1});
        let current = json!({"a": {"x": 2, "y": 2}, "b": 2});
        let skips = vec![
            SkipPath::new("$.a", "moto rounds these").unwrap(),
            SkipPath::new("$..never", "stale").unwrap(),
        ];
        let comparison = compare(&recorded, &current, &skips);
        assert!(!comparison.passed());
        assert_eq!(comparison.failures.len(), 1);
        assert_eq!(comparison.failures[0].path.to_string(), "$.b");
        assert_eq!(comparison.skipped.len(), 2);
        assert!(comparison
            .skipped
            .iter()
            .all(|s| s.skip.reason == "moto rounds these"));
        assert_eq!(comparison.unused_skips, vec![skips[1].clone()]);
    }

    #[test]
    fn entries_compare_by_name_and_flag_missing_and_new_keys() {
        let (r1, r2) = (json!({"v": 1}), json!(2));
        let (c1, c3) = (json!({"v": 1}), json!(3));
        let comparison = compare_entries(
            [("first", &r1), ("second", &r2)],
            [("first", &c1), ("third", &c3)],
            &[],
        );
        let paths: Vec<String> = comparison
            .failures
            .iter()
            .map(|d| d.path.to_string())
            .collect();
        assert_eq!(paths, vec!["$.second", "$.third"]);
    }
}
