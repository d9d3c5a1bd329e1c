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

impl RunReport {
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
