//! The result of a run: what was snapshotted, what was left out and why, what was lost.
//! It is saved as JSON after every run so `cargo snapshot coverage` can read it instantly.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Partition;

/// File name of the saved report inside the work directory.
pub const REPORT_FILE: &str = "last-run.json";

/// Everything a run found out, per service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// `write` or `compare`.
    pub mode: String,
    /// Operation filter of the run, if any.
    pub operation_filter: Vec<String>,
    /// The snapshot directory of the run, so a report from another configuration is noticed.
    #[serde(default)]
    pub snapshot_dir: Option<PathBuf>,
    /// The partition of the run (`--partition`), if it was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<Partition>,
    /// One entry per service run.
    pub services: Vec<ServiceReport>,
    /// Stage timings in milliseconds.
    pub timings: Timings,
}

/// Wall time of each stage, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Loading models, generating values and responses, generating code.
    pub plan_millis: u64,
    /// cargo build of the harnesses (all attempts).
    pub build_millis: u64,
    /// Running the harnesses.
    pub run_millis: u64,
    /// Rendering and storing snapshots.
    pub store_millis: u64,
    /// Peak resident memory of any harness process, in KiB (0 when unknown).
    pub harness_peak_kib: u64,
    /// Peak resident memory of the cargo-snapshot process itself (not cargo or rustc), in KiB
    /// (0 when unknown).
    #[serde(default)]
    pub tool_peak_kib: u64,
}

/// What happened to one service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceReport {
    /// Short name (`sts`).
    pub name: String,
    /// Client crate (`aws-sdk-sts`), also the snapshot folder.
    pub crate_name: String,
    /// Protocol smithy-rs generates for it.
    pub protocol: String,
    /// Operations in the model.
    pub operations_total: usize,
    /// Operations in the run (after `--operation` filters).
    pub operations_in_scope: usize,
    /// Distinct error shapes of the service.
    pub error_shapes_total: usize,
    /// Operations with a request snapshot.
    pub requests: Vec<String>,
    /// Operations with a response snapshot.
    pub responses: Vec<String>,
    /// Error snapshots written (error shape names, plus the unmodeled and front-end cases).
    pub errors: Vec<String>,
    /// Cases left out, each with its reason.
    pub exclusions: Vec<Exclusion>,
    /// Members set in a generated output or error that the client did not give back.
    pub lost_members: Vec<LostMember>,
    /// Operations whose request needed the explicit endpoint override.
    pub endpoint_overrides: Vec<String>,
    /// Set when the service's harness could not be built at all.
    pub build_failure: Option<String>,
    /// Harness time per case in microseconds (for benchmarks).
    pub case_micros: Vec<u64>,
    /// Harness time per operation (the sum of its cases) in microseconds (for benchmarks).
    #[serde(default)]
    pub operation_micros: Vec<u64>,
}

/// Something that did not get a snapshot, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Operation or error shape.
    pub subject: String,
    /// What was lost: `operation` (all its snapshots), `response`, `error`.
    pub scope: String,
    /// Which stage excluded it: `config`, `values`, `wire`, `codegen`, `compile`, `run`.
    pub stage: String,
    /// The reason, one or a few lines.
    pub reason: String,
}

impl Exclusion {
    /// An exclusion of `subject`; the reason is trimmed.
    pub fn new(subject: &str, scope: &str, stage: &str, reason: &str) -> Self {
        Exclusion {
            subject: subject.to_owned(),
            scope: scope.to_owned(),
            stage: stage.to_owned(),
            reason: reason.trim().to_owned(),
        }
    }
}

/// The first `count` lines of `text`: the gist of a compiler error or client message.
pub(crate) fn first_lines(text: &str, count: usize) -> String {
    text.lines().take(count).collect::<Vec<_>>().join("\n")
}

/// A member the round trip lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostMember {
    /// The operation (responses) or error shape (errors).
    pub subject: String,
    /// `min`, `max` or `error`.
    pub case: String,
    /// The value path of the lost member (`GetFooOutput.Items[0].Name`).
    pub path: String,
}

/// Why the reports of partitions do not make up one run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no run reports to merge")]
    Empty,
    /// A report is not a partition's.
    #[error("report {index} is not a partition's (run it with --partition K/N)")]
    NotAPartition {
        /// 1-based position among the reports given.
        index: usize,
    },
    /// The reports come from different splits, modes, filters or snapshot directories.
    #[error("the reports are not of one run: {0}; merge the reports of one `--partition K/N` run with the same command, filters and config")]
    Mismatch(String),
    /// A partition is missing or given twice.
    #[error("partition {partition} is {problem}; merge each of the N partitions exactly once")]
    Partitions {
        /// The partition.
        partition: Partition,
        /// `missing` or `given twice`.
        problem: &'static str,
    },
}

impl RunReport {
    /// The report one run over all services would have given, from the reports of the `N`
    /// partitions of one split (`--partition K/N`, each exactly once, same mode, operation
    /// filter and snapshot directory): the services of all, sorted by name; stage times added
    /// up, peaks the largest.
    pub fn merge(reports: Vec<RunReport>) -> Result<RunReport, MergeError> {
        let first = reports.first().ok_or(MergeError::Empty)?;
        let split = first
            .partition
            .ok_or(MergeError::NotAPartition { index: 1 })?;
        let mut seen = std::collections::BTreeSet::new();
        for (index, report) in reports.iter().enumerate() {
            let partition = report
                .partition
                .ok_or(MergeError::NotAPartition { index: index + 1 })?;
            if partition.strategy != split.strategy || partition.total != split.total {
                return Err(MergeError::Mismatch(format!("{split} and {partition}")));
            }
            if report.mode != first.mode
                || report.operation_filter != first.operation_filter
                || report.snapshot_dir != first.snapshot_dir
            {
                return Err(MergeError::Mismatch(format!(
                    "partition {partition} differs in mode, operation filter or snapshot directory"
                )));
            }
            if !seen.insert(partition.shard) {
                return Err(MergeError::Partitions {
                    partition,
                    problem: "given twice",
                });
            }
        }
        if let Some(partition) = split
            .siblings()
            .find(|sibling| !seen.contains(&sibling.shard))
        {
            return Err(MergeError::Partitions {
                partition,
                problem: "missing",
            });
        }
        let mut merged = RunReport {
            mode: first.mode.clone(),
            operation_filter: first.operation_filter.clone(),
            snapshot_dir: first.snapshot_dir.clone(),
            partition: None,
            services: Vec::new(),
            timings: Timings::default(),
        };
        for report in reports {
            let timings = &report.timings;
            merged.timings.plan_millis += timings.plan_millis;
            merged.timings.build_millis += timings.build_millis;
            merged.timings.run_millis += timings.run_millis;
            merged.timings.store_millis += timings.store_millis;
            merged.timings.harness_peak_kib = merged
                .timings
                .harness_peak_kib
                .max(timings.harness_peak_kib);
            merged.timings.tool_peak_kib = merged.timings.tool_peak_kib.max(timings.tool_peak_kib);
            merged.services.extend(report.services);
        }
        merged.services.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(merged)
    }

    /// Saves the report as pretty JSON.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(path, json)
    }

    /// Loads a saved report.
    pub fn load(path: &Path) -> std::io::Result<RunReport> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partition_report(partition: &str, services: &[&str]) -> RunReport {
        RunReport {
            mode: "compare".to_owned(),
            partition: Some(partition.parse().unwrap()),
            services: services
                .iter()
                .map(|name| ServiceReport {
                    name: (*name).to_owned(),
                    ..ServiceReport::default()
                })
                .collect(),
            timings: Timings {
                build_millis: 10,
                harness_peak_kib: services.len() as u64,
                ..Timings::default()
            },
            ..RunReport::default()
        }
    }

    #[test]
    fn the_partitions_of_a_split_merge_into_one_run() {
        let merged = RunReport::merge(vec![
            partition_report("count:2/2", &["sts", "sqs"]),
            partition_report("count:1/2", &["s3"]),
        ])
        .unwrap();
        let names: Vec<&str> = merged.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["s3", "sqs", "sts"]);
        assert_eq!(merged.partition, None);
        assert_eq!(merged.timings.build_millis, 20);
        assert_eq!(merged.timings.harness_peak_kib, 2);
    }

    #[test]
    fn a_missing_twice_given_or_foreign_partition_is_refused() {
        let missing = RunReport::merge(vec![partition_report("count:1/3", &["a"])]).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "partition count:2/3 is missing; merge each of the N partitions exactly once"
        );
        let twice = RunReport::merge(vec![
            partition_report("count:1/1", &["a"]),
            partition_report("count:1/1", &["a"]),
        ]);
        assert!(matches!(
            twice,
            Err(MergeError::Partitions {
                problem: "given twice",
                ..
            })
        ));
        let foreign = RunReport::merge(vec![
            partition_report("count:1/2", &["a"]),
            partition_report("hash:2/2", &["b"]),
        ]);
        assert!(matches!(foreign, Err(MergeError::Mismatch(_))));
        let whole = RunReport::default();
        assert_eq!(
            RunReport::merge(vec![whole]).unwrap_err(),
            MergeError::NotAPartition { index: 1 }
        );
    }
}
