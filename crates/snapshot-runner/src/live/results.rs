//! The result table of a live run: one row per operation with what the endpoint answered
//! and, for `compare`, how that compares with the recorded answer.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use snapshot_records::LiveCredentials;
use snapshot_store::{CompareReport, Kind, Snapshot, SnapshotKey};

use super::tree::READING_ORDER;
use super::LiveEndpoint;

/// A live run: what each operation's request got from the endpoint and, for `compare`, how
/// that compares with the recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveRun {
    /// The endpoint URL.
    pub endpoint: String,
    /// Which credentials signed.
    pub credentials: LiveCredentials,
    /// One entry per service, in run order.
    pub services: Vec<LiveService>,
}

/// The operations of one service in a live run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveService {
    /// Short name (`sqs`).
    pub name: String,
    /// Client crate (`aws-sdk-sqs`).
    pub crate_name: String,
    /// One row per operation, by name.
    pub operations: Vec<LiveOperation>,
}

/// One operation of a live run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveOperation {
    /// The operation name.
    pub name: String,
    /// What the endpoint answered, in short: `200 output`, `400 QueueDoesNotExist`,
    /// `DispatchFailure` (no response), or why the operation was left out.
    pub answer: String,
    /// How it compares.
    pub result: LiveResult,
}

/// How one operation's live answer compares with the recorded one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum LiveResult {
    /// `write`: recorded.
    Recorded,
    /// Same as recorded.
    Match,
    /// Different from the recorded answer; the new one waits for `cargo insta review`.
    Differs {
        /// The first differing JSON path, e.g. `$.response.body.QueueUrl`.
        path: String,
        /// How many paths differ.
        differences: usize,
    },
    /// Nothing recorded for this operation.
    New,
    /// Recorded, but this run produced no answer for it.
    Missing,
    /// Left out of this run (the reason is the answer).
    Excluded,
}

impl LiveResult {
    /// A short label for tables.
    pub fn label(&self) -> String {
        match self {
            LiveResult::Recorded => "recorded".to_owned(),
            LiveResult::Match => "match".to_owned(),
            LiveResult::Differs { path, differences } => match differences {
                1 => format!("differs at {path}"),
                n => format!("differs at {path} (+{} more)", n - 1),
            },
            LiveResult::New => "new".to_owned(),
            LiveResult::Missing => "missing".to_owned(),
            LiveResult::Excluded => "excluded".to_owned(),
        }
    }
}

/// Tallies of a live run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LiveCounts {
    /// Operations listed.
    pub operations: usize,
    /// Recorded (`write`).
    pub recorded: usize,
    /// Same as recorded.
    pub matched: usize,
    /// Different from recorded.
    pub differs: usize,
    /// Not recorded before.
    pub new: usize,
    /// Recorded, not produced now.
    pub missing: usize,
    /// Left out.
    pub excluded: usize,
}

impl LiveCounts {
    fn add(&mut self, result: &LiveResult) {
        self.operations += 1;
        match result {
            LiveResult::Recorded => self.recorded += 1,
            LiveResult::Match => self.matched += 1,
            LiveResult::Differs { .. } => self.differs += 1,
            LiveResult::New => self.new += 1,
            LiveResult::Missing => self.missing += 1,
            LiveResult::Excluded => self.excluded += 1,
        }
    }
}

impl fmt::Display for LiveCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} operations", self.operations)?;
        let parts = [
            (self.recorded, "recorded"),
            (self.matched, "match"),
            (self.differs, "differ"),
            (self.new, "new"),
            (self.missing, "missing"),
            (self.excluded, "excluded"),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, label)| format!("{count} {label}"))
            .collect();
        if !shown.is_empty() {
            write!(f, ": {}", shown.join(", "))?;
        }
        Ok(())
    }
}

impl LiveService {
    /// Tallies of this service.
    pub fn counts(&self) -> LiveCounts {
        let mut counts = LiveCounts::default();
        for operation in &self.operations {
            counts.add(&operation.result);
        }
        counts
    }
}

impl LiveRun {
    /// Tallies over every service.
    pub fn counts(&self) -> LiveCounts {
        let mut counts = LiveCounts::default();
        for operation in self.services.iter().flat_map(|service| &service.operations) {
            counts.add(&operation.result);
        }
        counts
    }

    /// Whether every operation matched (for `compare`; excluded operations do not count).
    pub fn all_match(&self) -> bool {
        self.services
            .iter()
            .flat_map(|service| &service.operations)
            .all(|operation| {
                matches!(
                    operation.result,
                    LiveResult::Match | LiveResult::Recorded | LiveResult::Excluded
                )
            })
    }

    /// The per-operation table, a line per service with its tallies, and the totals.
    pub fn render_table(&self) -> String {
        let credentials = match self.credentials {
            LiveCredentials::Mock => "mock credentials",
            LiveCredentials::Environment => "credentials from AWS_ACCESS_KEY_ID",
        };
        let mut out = format!("live endpoint {} ({credentials})\n", self.endpoint);
        let header = ["SERVICE", "OPERATION", "ANSWER", "RESULT"];
        let rows: Vec<[String; 4]> = self
            .services
            .iter()
            .flat_map(|service| {
                service.operations.iter().map(|operation| {
                    [
                        service.name.clone(),
                        operation.name.clone(),
                        operation.answer.clone(),
                        operation.result.label(),
                    ]
                })
            })
            .collect();
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: [&str; 4]| {
            let mut text = String::new();
            for (index, cell) in cells.iter().enumerate() {
                if index == cells.len() - 1 {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<width$}  ", width = widths[index]));
                }
            }
            text.trim_end().to_owned() + "\n"
        };
        out.push_str(&line(header));
        for row in &rows {
            out.push_str(&line([&row[0], &row[1], &row[2], &row[3]]));
        }
        for service in &self.services {
            out.push_str(&format!(
                "{} ({}): {}\n",
                service.name,
                service.crate_name,
                service.counts()
            ));
        }
        out.push_str(&format!("live total: {}\n", self.counts()));
        out
    }
}

/// The run's rows with `compare` results: match, differs (with the first differing path),
/// new, and missing for recorded operations this run did not answer.
pub(crate) fn finish(
    endpoint: &LiveEndpoint,
    mut services: Vec<LiveService>,
    compare: Option<&CompareReport>,
    produced: &[Snapshot],
) -> LiveRun {
    if let Some(report) = compare {
        let new_trees: BTreeMap<&SnapshotKey, &str> = produced
            .iter()
            .map(|snapshot| (&snapshot.key, snapshot.contents.as_str()))
            .collect();
        let mut results: BTreeMap<(&str, &str), LiveResult> = BTreeMap::new();
        for result in report
            .results
            .iter()
            .filter(|result| result.key.kind == Kind::Live)
        {
            let outcome = match &result.outcome {
                snapshot_store::Outcome::Passed => LiveResult::Match,
                snapshot_store::Outcome::New { .. } => LiveResult::New,
                snapshot_store::Outcome::Removed => LiveResult::Missing,
                snapshot_store::Outcome::Changed { diff, .. } => {
                    let new = new_trees.get(&result.key).copied().unwrap_or_default();
                    differs(diff.old(), new)
                }
            };
            results.insert(
                (result.key.crate_name.as_str(), result.key.name.as_str()),
                outcome,
            );
        }
        for service in &mut services {
            let mut seen = BTreeSet::new();
            for operation in &mut service.operations {
                seen.insert(operation.name.clone());
                // An operation excluded now and never recorded has no result: it stays excluded
                // (recorded before, it is `missing`, its answer saying why).
                if let Some(result) =
                    results.get(&(service.crate_name.as_str(), operation.name.as_str()))
                {
                    operation.result = result.clone();
                }
            }
            for ((crate_name, name), result) in &results {
                if *crate_name == service.crate_name
                    && *result == LiveResult::Missing
                    && !seen.contains(*name)
                {
                    service.operations.push(LiveOperation {
                        name: (*name).to_owned(),
                        answer: "not run".to_owned(),
                        result: LiveResult::Missing,
                    });
                }
            }
            service.operations.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    LiveRun {
        endpoint: endpoint.url().to_owned(),
        credentials: endpoint.credentials,
        services,
    }
}

/// The structural difference between an accepted live snapshot file and new contents.
fn differs(accepted_file: &str, new_contents: &str) -> LiveResult {
    let old = snapshot_store::format::parse(accepted_file)
        .ok()
        .and_then(|file| serde_json::from_str::<Value>(&file.contents).ok());
    let new = serde_json::from_str::<Value>(new_contents).ok();
    match (old, new) {
        (Some(old), Some(new)) => {
            let differences = snapshot_normalize::diff(&old, &new);
            // "First" in reading order: a response difference before the outcome it causes.
            let section = |difference: &&snapshot_normalize::Difference| {
                let first = difference.path.first_key().unwrap_or_default();
                READING_ORDER
                    .iter()
                    .position(|known| *known == first)
                    .unwrap_or(READING_ORDER.len())
            };
            match differences.iter().min_by_key(section) {
                Some(first) => LiveResult::Differs {
                    path: first.path.to_string(),
                    differences: differences.len(),
                },
                // Equal trees in different text (e.g. a hand-formatted file).
                None => LiveResult::Differs {
                    path: "$ (formatting only)".to_owned(),
                    differences: 1,
                },
            }
        }
        _ => LiveResult::Differs {
            path: "$ (not JSON)".to_owned(),
            differences: 1,
        },
    }
}

#[cfg(test)]
mod tests {
    use snapshot_store::Scope;

    use super::*;

    fn snapshot(name: &str, contents: &str) -> Snapshot {
        Snapshot::new(
            SnapshotKey::new("aws-sdk-sqs", Kind::Live, name),
            format!("aws-sdk-sqs {name} live"),
            contents,
        )
    }

    #[test]
    fn compare_results_become_rows_with_the_first_differing_path() {
        let dir = tempfile::tempdir().unwrap();
        let store = snapshot_store::Store::new(dir.path().join("snapshots"), dir.path());
        let scope = Scope::new().include_kind("aws-sdk-sqs", Kind::Live);
        store
            .write(
                &scope,
                vec![
                    snapshot("Same", r#"{"a": 1}"#),
                    snapshot(
                        "Changed",
                        r#"{"outcome": {"output": 1}, "response": {"status": 200, "body": {"x": 1, "y": 2}}}"#,
                    ),
                    snapshot("Gone", "{}"),
                ],
            )
            .unwrap();
        let produced = vec![
            snapshot("Same", r#"{"a": 1}"#),
            snapshot(
                "Changed",
                r#"{"outcome": {"output": 2}, "response": {"status": 400, "body": {"x": 2, "y": 2}}}"#,
            ),
            snapshot("Fresh", "{}"),
        ];
        let report = store.compare(&scope, produced.clone()).unwrap();
        let row = |name: &str| LiveOperation {
            name: name.to_owned(),
            answer: "200 output".to_owned(),
            result: LiveResult::Recorded,
        };
        let services = vec![LiveService {
            name: "sqs".into(),
            crate_name: "aws-sdk-sqs".into(),
            operations: vec![row("Changed"), row("Fresh"), row("Same")],
        }];
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:1").unwrap();
        let run = finish(&endpoint, services, Some(&report), &produced);
        let results: Vec<(&str, &LiveResult)> = run.services[0]
            .operations
            .iter()
            .map(|operation| (operation.name.as_str(), &operation.result))
            .collect();
        assert_eq!(
            results,
            vec![
                (
                    "Changed",
                    &LiveResult::Differs {
                        path: "$.response.body.x".into(),
                        differences: 3
                    }
                ),
                ("Fresh", &LiveResult::New),
                ("Gone", &LiveResult::Missing),
                ("Same", &LiveResult::Match),
            ]
        );
        assert!(!run.all_match());
        let table = run.render_table();
        assert!(
            table
                .contains("sqs      Changed    200 output  differs at $.response.body.x (+2 more)"),
            "{table}"
        );
        assert!(
            table.ends_with("live total: 4 operations: 1 match, 1 differ, 1 new, 1 missing\n"),
            "{table}"
        );
    }
}
