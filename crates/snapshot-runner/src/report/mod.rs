//! The result of a run: what was snapshotted, what was left out and why, what the round trips
//! lost or got back changed. It is saved as JSON after every run so `cargo snapshot coverage`
//! can read it instantly; `changed_members` is written only when there are some, so reports
//! without them read and write as before.
//! Its JSON form is read back by `coverage` and by `coverage --report` merges: field names
//! and values keep their spelling (the typed fields serialize to the words they replaced).

mod drift;
mod exclusion;
mod rejected_headers;
mod request_check;
mod round_trip;
mod variants;

pub use drift::{DriftCase, DriftReport, DroppedMember, UnexercisedMember};
pub use exclusion::{Exclusion, ExclusionScope, Stage};
pub use rejected_headers::{HeaderVerdict, MalformedHeaderResult, RejectedHeaderResult};
pub use request_check::{ChangedOnWire, ExceptedMember, RequestCheckResult};
pub use round_trip::{ChangedMember, LostMember, ReplayCase};
/// The response modes lost members are reported by (from the harness records).
pub use snapshot_records::{InputVariant, ResponseMode, VariantName};
/// The response variants verdicts are about, and why the request-side check excused a member.
pub use snapshot_wire::{ExceptionKind, Malformation, ResponseVariant};
pub use variants::{ErrorFormResult, Expect, Got, VariantResult};

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Partition, RunMode};

/// File name of the saved report inside the work directory.
pub const REPORT_FILE: &str = "last-run.json";

/// Everything a run found out, per service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// `write` or `compare`.
    pub mode: RunMode,
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
    /// Generating values and responses (models are loaded before the run starts).
    pub plan_millis: u64,
    /// Learning the clients' facts, generating harness code and `cargo build` (all attempts).
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
    /// Operations with a compact error snapshot (`errors/by-operation/<Operation>.snap`).
    /// Absent from reports written before these snapshots existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operation_errors: Vec<String>,
    /// (operation, declared error) pairs replayed and checked: lines for declared errors in
    /// the compact error snapshots.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub error_cases: usize,
    /// Cases left out, each with its reason.
    pub exclusions: Vec<Exclusion>,
    /// Members set in a generated output or error that the client did not give back.
    pub lost_members: Vec<LostMember>,
    /// Values the client gave back different from what the response carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_members: Vec<ChangedMember>,
    /// Operations whose request needed the explicit endpoint override (`Name (edge)` for an
    /// input variant other than max).
    pub endpoint_overrides: Vec<String>,
    /// Input variants other than max with a section in their operation's request snapshot.
    #[serde(default)]
    pub request_variants: Vec<RequestVariant>,
    /// Where the model and the client crate disagree.
    #[serde(default, skip_serializing_if = "DriftReport::is_empty")]
    pub drift: DriftReport,
    /// The request-side check of every request case that sent a request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_checks: Vec<RequestCheckResult>,
    /// Response variants replayed through the client, each with its verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_variants: Vec<VariantResult>,
    /// Rejected-header request cases, each with its verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected_headers: Vec<RejectedHeaderResult>,
    /// Malformed-header response cases, each with its verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub malformed_headers: Vec<MalformedHeaderResult>,
    /// Modeled errors replayed in other forms through their carriers, each with its verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_forms: Vec<ErrorFormResult>,
    /// Set when the service's harness could not be built at all.
    pub build_failure: Option<String>,
    /// Harness time per case in microseconds (for benchmarks).
    pub case_micros: Vec<u64>,
    /// Harness time per operation (the sum of its cases) in microseconds (for benchmarks).
    #[serde(default)]
    pub operation_micros: Vec<u64>,
}

/// A section of a request snapshot for an input variant other than max.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVariant {
    /// The operation name.
    pub operation: String,
    /// The input variant (`min`, `edge`).
    pub variant: InputVariant,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// The first `count` lines of `text`: the gist of a compiler error or client message.
pub(crate) fn first_lines(text: &str, count: usize) -> String {
    text.lines().take(count).collect::<Vec<_>>().join("\n")
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
            mode: first.mode,
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

    fn report(partition: Option<&str>) -> RunReport {
        RunReport {
            mode: RunMode::Compare,
            operation_filter: Vec::new(),
            snapshot_dir: None,
            partition: partition.map(|partition| partition.parse().unwrap()),
            services: Vec::new(),
            timings: Timings::default(),
        }
    }

    fn partition_report(partition: &str, services: &[&str]) -> RunReport {
        RunReport {
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
            ..report(None)
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
        let whole = report(None);
        assert_eq!(
            RunReport::merge(vec![whole]).unwrap_err(),
            MergeError::NotAPartition { index: 1 }
        );
    }

    /// A report as runs before the typed fields saved it: the JSON form is unchanged.
    const SAVED: &str = r#"{
  "mode": "compare",
  "operation_filter": [],
  "snapshot_dir": null,
  "services": [
    {
      "name": "sts",
      "crate_name": "aws-sdk-sts",
      "protocol": "awsQuery",
      "operations_total": 2,
      "operations_in_scope": 2,
      "error_shapes_total": 1,
      "requests": [],
      "responses": [],
      "errors": [],
      "exclusions": [
        {
          "subject": "AssumeRole",
          "scope": "operation",
          "stage": "config",
          "reason": "skipped in snapshot.toml: why"
        },
        {
          "subject": "GetSessionToken",
          "scope": "response",
          "stage": "wire",
          "reason": "cannot bind"
        }
      ],
      "lost_members": [
        {
          "subject": "Converse",
          "case": "max, the stream ending with the exception ThrottlingException",
          "path": "ConverseOutput.stream"
        },
        {
          "subject": "Converse",
          "case": "min",
          "path": "ConverseOutput.output"
        },
        {
          "subject": "Boom",
          "case": "error",
          "path": "Boom.Message"
        },
        {
          "subject": "GetCity",
          "case": "error NoSuchCity",
          "path": "NoSuchCity.Message"
        }
      ],
      "endpoint_overrides": [],
      "request_variants": [
        {
          "operation": "GetSessionToken",
          "variant": "edge"
        }
      ],
      "build_failure": null,
      "case_micros": [],
      "operation_micros": []
    }
  ],
  "timings": {
    "plan_millis": 0,
    "build_millis": 0,
    "run_millis": 0,
    "store_millis": 0,
    "harness_peak_kib": 0,
    "tool_peak_kib": 0
  }
}"#;

    #[test]
    fn saved_reports_keep_their_json_form() {
        let report: RunReport = serde_json::from_str(SAVED).unwrap();
        assert_eq!(report.mode, RunMode::Compare);
        let service = &report.services[0];
        assert_eq!(
            service.exclusions[1],
            Exclusion::new(
                "GetSessionToken",
                ExclusionScope::Response,
                Stage::Wire,
                "cannot bind"
            )
        );
        assert_eq!(
            service.lost_members[0].case,
            ReplayCase::Response(
                ResponseMode::new(VariantName::Max).ending_with("ThrottlingException")
            )
        );
        assert_eq!(
            service.lost_members[1].case,
            ReplayCase::Response(ResponseMode::new(VariantName::Min))
        );
        assert_eq!(service.lost_members[2].case, ReplayCase::Error);
        assert_eq!(
            service.request_variants,
            [RequestVariant {
                operation: "GetSessionToken".into(),
                variant: InputVariant::Edge
            }]
        );
        assert_eq!(
            service.lost_members[3].case,
            ReplayCase::DeclaredError("NoSuchCity".to_owned())
        );
        assert_eq!(serde_json::to_string_pretty(&report).unwrap(), SAVED);
        // Reports saved before input variants still load.
        let older = SAVED.replace(
            r#""request_variants": [
        {
          "operation": "GetSessionToken",
          "variant": "edge"
        }
      ],
      "#,
            "",
        );
        assert_ne!(older, SAVED);
        let older: RunReport = serde_json::from_str(&older).unwrap();
        assert!(older.services[0].request_variants.is_empty());
    }
}
