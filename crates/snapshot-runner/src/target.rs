//! What a run covers: the services (model ↔ client crate), filters and options.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use snapshot_codegen::ClientCrate;
use snapshot_lock::{LockMode, RunCoverage};
use snapshot_values::Overrides;

use crate::live::LiveEndpoint;
use crate::Partition;

/// One service to snapshot: a Smithy model and the client crate generated from it.
#[derive(Debug, Clone)]
pub struct ServiceTarget {
    /// Short name used by `--service` and in reports (`sts`).
    pub name: String,
    /// The Smithy JSON AST file.
    pub model: PathBuf,
    /// The service shape, when the model has several.
    pub service_shape: Option<String>,
    /// The client crate.
    pub client: ClientCrate,
    /// Operations deliberately left out, each with its reason.
    pub skips: Vec<Skip>,
}

/// An operation the configuration leaves out, with the reason it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// Operation name.
    pub operation: String,
    /// Why it is skipped.
    pub reason: String,
}

/// `write` records snapshots; `compare` checks them and leaves pending files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunMode {
    /// Record all snapshots of the covered scope.
    Write,
    /// Compare with the accepted snapshots; never edits them.
    Compare,
}

impl RunMode {
    /// The command's name (`write`, `compare`).
    pub fn as_str(self) -> &'static str {
        match self {
            RunMode::Write => "write",
            RunMode::Compare => "compare",
        }
    }
}

impl fmt::Display for RunMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The user's workspace root (where `cargo insta review` is run).
    pub workspace_root: PathBuf,
    /// Where snapshots live (`<workspace>/snapshots`).
    pub snapshot_dir: PathBuf,
    /// Scratch space for the generated harness, plans and records (`<target>/cargo-snapshot`).
    pub work_dir: PathBuf,
    /// cargo's target directory for building harnesses (`<work_dir>/target` unless shared,
    /// e.g. between test workspaces, with `CARGO_SNAPSHOT_TARGET_DIR`).
    pub build_target_dir: PathBuf,
    /// Services to run.
    pub services: Vec<ServiceTarget>,
    /// Only these operations, when not empty.
    pub operations: Vec<String>,
    /// Value overrides (built-in plus user).
    pub overrides: Overrides,
    /// Write or compare.
    pub mode: RunMode,
    /// Per-case time limit inside the harness.
    pub case_timeout: Duration,
    /// Live run (`--endpoint`): send each operation's generated request to this endpoint and
    /// snapshot its real answers (`live/<Operation>.snap`) instead of replaying responses.
    pub endpoint: Option<LiveEndpoint>,
    /// The partition `services` were chosen for (`--partition`), recorded in the report so
    /// that `coverage` can check that the reports it merges make up a whole.
    pub partition: Option<Partition>,
    /// Which dependency versions the harness builds with.
    pub lock: LockOptions,
}

/// Which dependency versions the harness workspace builds with (SPEC §8; the rules are
/// [`snapshot_lock::RunLock`]'s).
#[derive(Debug, Clone)]
pub struct LockOptions {
    /// Honour the committed lock (`compare`), record it (`write`) or refresh it
    /// (`write --update-lock`).
    pub mode: LockMode,
    /// Whether the run's services are every configured service: only then does a recorded
    /// lock hold exactly what the run resolved.
    pub coverage: RunCoverage,
    /// The `Cargo.lock` files of the workspaces of workspace-member and path client crates:
    /// they decide the versions of everything they lock.
    pub user_locks: Vec<PathBuf>,
}

impl LockOptions {
    /// The lock of a run in `mode` over every configured service, without user locks.
    pub fn new(mode: LockMode) -> Self {
        LockOptions {
            mode,
            coverage: RunCoverage::AllServices,
            user_locks: Vec::new(),
        }
    }
}

impl RunOptions {
    /// Whether the `--operation` filters (none: every operation) include `operation`.
    pub fn includes_operation(&self, operation: &str) -> bool {
        self.operations.is_empty() || self.operations.iter().any(|wanted| wanted == operation)
    }
}
