//! `cargo snapshot coverage`: how much of each service the snapshots cover, what was left out
//! and why, and what the round trips lost, per service and in total.
//!
//! Three sources are read, none of them built or run, so the command is instant:
//!
//! * the **snapshot files** under the snapshot directory: what is committed is what counts as
//!   covered (`<crate>/requests/<Operation>.snap`, `responses/<Operation>.snap`,
//!   `errors/<ErrorShape>.snap`); pending `.snap.new` files are counted separately;
//! * the **models**: every operation and error shape that should have a snapshot. One without a
//!   snapshot is *excluded* when a `[[skip]]` or the last run gives a reason, and *missing*
//!   otherwise. Snapshot files naming no operation or error shape are *stale*;
//! * the **last run's report** (`<target>/cargo-snapshot/last-run.json`, written by `write` and
//!   `compare`): exclusions with the stage and reason, lost members, endpoint overrides, build
//!   failures. The report is cross-checked against the files: a report from another snapshot
//!   directory, one older than the snapshots, one from a run limited by `--service` or
//!   `--operation`, or one whose snapshot lists disagree with the files gets a warning.
//!
//! When parity tests have written metrics (`$SNAPSHOT_PARITY_METRICS_DIR`, else
//! `<target>/snapshot-parity/metrics/<package>/<test file>.json`), each service also gets the
//! operations its parity tests exercised against a live endpoint and their results.
//!
//! # JSON schema (`--format json`), version 1
//!
//! The schema is stable: fields are only ever added; a removal or change of meaning raises
//! `schema_version`. Names are `snake_case`; enumerated values are `kebab-case` strings.
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "config": "<path of snapshot.toml>",
//!   "snapshot_dir": "<path>",               // both relative to the config's directory when inside it
//!   "last_run": null | {
//!     "path": "<path of last-run.json>",
//!     "mode": "write" | "compare",
//!     "finished_unix_seconds": <int> | null,  // the report file's modification time
//!     "services": ["<name>", ...],            // the services the run covered
//!     "operation_filter": ["<Operation>", ...]
//!   },
//!   "services": [{
//!     "name": "sts", "crate": "aws-sdk-sts", "protocol": "awsQuery",
//!     "sdk_id": "STS" | null,
//!     "operations": <int>,                                   // in the model
//!     "requests":  {"snapshots": n, "excluded": n, "missing": ["<Operation>", ...]},
//!     "responses": {"snapshots": n, "excluded": n, "missing": [...]},
//!     "errors": {
//!       "shapes": n,                                         // distinct modeled error shapes
//!       "snapshots": n, "excluded": n, "missing": ["<ErrorShape>", ...],
//!       "generic": ["_front_end", "_unmodeled"]              // snapshots of the two generic errors present
//!     },
//!     "exclusions": [{"subject": "...", "scope": "operation" | "request" | "response" | "error",
//!                     "stage": "config" | "values" | "wire" | "codegen" | "compile" | "run",
//!                     "reason": "..."}],
//!     "lost_members": [{"subject": "...", "case": "min" | "max" | "error", "path": "..."}],
//!     "endpoint_overrides": ["<Operation>", ...],
//!     "stale_snapshots": ["requests/<Name>", ...],           // files naming nothing in the model
//!     "pending_snapshots": n,                                // .snap.new files awaiting review
//!     "last_run": "included" | "build-failed" | "not-run" | "no-report",
//!     "build_failure": null | "<cargo's words>",
//!     "parity": null | {
//!       "operations": n,                                     // model operations the tests called
//!       "calls": n, "recorded": n, "passed": n, "passed_with_skips": n, "failed": n,
//!       "not_matched": n,
//!       "per_operation": [{"operation": "...", "in_model": bool, "calls": n, "recorded": n,
//!                          "passed": n, "passed_with_skips": n, "failed": n,
//!                          "not_matched": n, "tests": ["<test>", ...]}]
//!     }
//!   }],
//!   "total": {"services": n, "operations": n, "requests": n, "responses": n,
//!             "error_shapes": n, "errors": n, "excluded": n, "lost_members": n,
//!             "missing": n, "stale_snapshots": n, "pending_snapshots": n},
//!   "parity_files": ["<path>", ...],
//!   "warnings": [{"kind": "<kind>", "service": "<name>" | null, "message": "..."}]
//! }
//! ```
//!
//! For every service `requests.snapshots + requests.excluded + len(requests.missing) ==
//! operations` (the same for responses), and `errors.snapshots + errors.excluded +
//! len(errors.missing) == errors.shapes`. `total.excluded` counts exclusion entries;
//! `total.missing` counts missing requests, responses and errors together.
//!
//! Warning kinds: `no-report`, `unreadable-report`, `other-config`, `partial-run`,
//! `not-in-last-run`, `build-failed`, `model-changed`, `snapshots-newer`, `report-disagrees`,
//! `missing`, `stale-snapshots`, `pending`, `unreadable-parity`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use snapshot_model::ServiceIndex;
use snapshot_runner::report::{
    ExclusionScope, ReplayCase, RunReport, ServiceReport, Stage, REPORT_FILE,
};
use snapshot_runner::{RunMode, FRONT_END_ERROR_SNAPSHOT, UNMODELED_ERROR_SNAPSHOT};

use crate::config::Config;
use crate::errors::CliError;
use crate::services::LoadedService;

/// The version of the JSON output; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Environment variable naming the parity metrics directory (as the snapshot-parity crate reads it).
pub const PARITY_METRICS_DIR_ENV: &str = "SNAPSHOT_PARITY_METRICS_DIR";

/// The parity metrics file layout this command reads.
const PARITY_FORMAT_VERSION: u32 = 1;

/// How `coverage` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// Aligned columns and lists for people.
    Table,
    /// GitHub-flavoured Markdown, for CI summaries and pull requests.
    Markdown,
    /// One JSON object with a stable schema (see the module documentation).
    Json,
}

/// What could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// A snapshot directory exists but cannot be listed.
    #[error("cannot read the snapshot directory `{}`: {source}; check its permissions or `snapshot_dir` in snapshot.toml", path.display())]
    SnapshotDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// `--operation` was given; coverage is about whole services.
    #[error("`cargo snapshot coverage` reports whole services and takes no `--operation`; filter with `--service`")]
    OperationFilter,
    /// A model has no usable service (loading checked it once already).
    #[error(transparent)]
    Model(#[from] snapshot_model::ModelError),
}

/// The coverage of the selected services: the document `--format json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The config file.
    pub config: String,
    /// The snapshot directory.
    pub snapshot_dir: String,
    /// The last run's report, when there is one.
    pub last_run: Option<LastRun>,
    /// One entry per selected service, in config order.
    pub services: Vec<ServiceCoverage>,
    /// Sums over the services.
    pub total: Totals,
    /// The parity metrics files read.
    pub parity_files: Vec<String>,
    /// Everything that makes the figures doubtful or incomplete.
    pub warnings: Vec<Warning>,
}

/// Which run the figures for exclusions and lost members come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastRun {
    /// The report file.
    pub path: String,
    /// `write` or `compare`.
    pub mode: RunMode,
    /// When the report was written (its modification time), in seconds since the epoch.
    pub finished_unix_seconds: Option<u64>,
    /// The services the run covered.
    pub services: Vec<String>,
    /// The run's `--operation` filter.
    pub operation_filter: Vec<String>,
}

/// Coverage of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceCoverage {
    /// Short name.
    pub name: String,
    /// Client crate (also the snapshot folder).
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The protocol smithy-rs generates.
    pub protocol: String,
    /// The `aws.api#service` SDK id, which parity metrics are keyed by.
    pub sdk_id: Option<String>,
    /// Operations in the model.
    pub operations: usize,
    /// Request snapshots.
    pub requests: KindCoverage,
    /// Response snapshots.
    pub responses: KindCoverage,
    /// Error snapshots.
    pub errors: ErrorCoverage,
    /// What was left out, with the stage and reason.
    pub exclusions: Vec<ExclusionEntry>,
    /// Members the client did not give back (last run).
    pub lost_members: Vec<LostMemberEntry>,
    /// Operations whose request needed the explicit endpoint override (last run).
    pub endpoint_overrides: Vec<String>,
    /// Snapshot files naming no operation or error shape of the model (`<kind>/<name>`).
    pub stale_snapshots: Vec<String>,
    /// Pending `.snap.new` files.
    pub pending_snapshots: usize,
    /// Whether the last run included the service.
    pub last_run: LastRunStatus,
    /// Why the harness did not build, when it did not.
    pub build_failure: Option<String>,
    /// Parity test results, when metrics exist for the service.
    pub parity: Option<ParityCoverage>,
}

/// Coverage of one kind of per-operation snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindCoverage {
    /// Operations with a snapshot file.
    pub snapshots: usize,
    /// Operations without one, for a reason given by `[[skip]]` or the last run.
    pub excluded: usize,
    /// Operations without one and without a reason.
    pub missing: Vec<String>,
}

/// Coverage of error snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorCoverage {
    /// Distinct modeled error shapes.
    pub shapes: usize,
    /// Shapes with a snapshot file.
    pub snapshots: usize,
    /// Shapes without one, for a known reason.
    pub excluded: usize,
    /// Shapes without one and without a reason.
    pub missing: Vec<String>,
    /// The generic error snapshots present (unmodeled error, front-end error).
    pub generic: Vec<String>,
}

/// Something without a snapshot, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExclusionEntry {
    /// Operation or error shape.
    pub subject: String,
    /// What it lost: `operation` (all its snapshots), `request`, `response` or `error`.
    pub scope: ExclusionScope,
    /// Which stage left it out.
    pub stage: Stage,
    /// The reason.
    pub reason: String,
}

/// A member a round trip lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LostMemberEntry {
    /// Operation or error shape.
    pub subject: String,
    /// Which replay lost it (`min`, `max`, ... or `error`).
    pub case: ReplayCase,
    /// The value path.
    pub path: String,
}

/// Whether the last run's report covers a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LastRunStatus {
    /// The last run included it.
    Included,
    /// The last run included it, but its harness did not build.
    BuildFailed,
    /// There is a report, but its run did not include this service.
    NotRun,
    /// There is no readable report.
    NoReport,
}

/// What the parity tests did with one service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParityCoverage {
    /// Operations of the model the tests called.
    pub operations: usize,
    /// Calls made.
    pub calls: u32,
    /// Calls recorded as new ground truth.
    pub recorded: u32,
    /// Calls that matched the recording.
    pub passed: u32,
    /// Calls that matched except for accepted differences.
    pub passed_with_skips: u32,
    /// Calls that differed.
    pub failed: u32,
    /// Calls whose response was not snapshotted.
    pub not_matched: u32,
    /// Per operation, sorted by name.
    pub per_operation: Vec<ParityOperation>,
}

/// What the parity tests did with one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParityOperation {
    /// The operation.
    pub operation: String,
    /// Whether the model has it.
    pub in_model: bool,
    /// Calls made.
    pub calls: u32,
    /// Calls recorded.
    pub recorded: u32,
    /// Calls that matched.
    pub passed: u32,
    /// Calls that matched with accepted differences.
    pub passed_with_skips: u32,
    /// Calls that differed.
    pub failed: u32,
    /// Calls not snapshotted.
    pub not_matched: u32,
    /// The tests that made them.
    pub tests: BTreeSet<String>,
}

/// Sums over the services.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Services.
    pub services: usize,
    /// Operations.
    pub operations: usize,
    /// Request snapshots.
    pub requests: usize,
    /// Response snapshots.
    pub responses: usize,
    /// Modeled error shapes.
    pub error_shapes: usize,
    /// Error shapes with a snapshot.
    pub errors: usize,
    /// Exclusion entries.
    pub excluded: usize,
    /// Lost members.
    pub lost_members: usize,
    /// Missing requests, responses and errors.
    pub missing: usize,
    /// Stale snapshot files.
    pub stale_snapshots: usize,
    /// Pending snapshot files.
    pub pending_snapshots: usize,
}

/// Something that makes the figures doubtful or incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What kind of problem.
    pub kind: WarningKind,
    /// The service it concerns, if one.
    pub service: Option<String>,
    /// What it means and what to do.
    pub message: String,
}

/// The kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// No report: exclusions other than `[[skip]]` and lost members are unknown.
    NoReport,
    /// The report exists but cannot be read.
    UnreadableReport,
    /// The report comes from a run with another snapshot directory or other crates.
    OtherConfig,
    /// The run was limited by `--operation`.
    PartialRun,
    /// The run did not include the service.
    NotInLastRun,
    /// The service's harness did not build in the last run.
    BuildFailed,
    /// The model's operations differ from those the run saw.
    ModelChanged,
    /// Snapshot files changed after the report was written.
    SnapshotsNewer,
    /// The run produced other snapshots than those on disk.
    ReportDisagrees,
    /// Operations or error shapes without a snapshot and without a reason.
    Missing,
    /// Snapshot files naming nothing in the model.
    StaleSnapshots,
    /// Pending `.snap.new` files.
    Pending,
    /// A parity metrics file cannot be read.
    UnreadableParity,
}

/// Where `coverage` looks besides the config: the cargo target directory of the workspace.
#[derive(Debug, Clone)]
pub struct CoverageInputs {
    /// The run report (`<target>/cargo-snapshot/last-run.json`).
    pub report: PathBuf,
    /// The parity metrics directory.
    pub parity_dir: PathBuf,
}

impl CoverageInputs {
    /// The default locations under a cargo target directory; `$SNAPSHOT_PARITY_METRICS_DIR`
    /// overrides the parity directory.
    pub fn under_target_dir(target_dir: &Path) -> Self {
        let parity_dir = std::env::var_os(PARITY_METRICS_DIR_ENV)
            .filter(|dir| !dir.is_empty())
            .map_or_else(
                || target_dir.join("snapshot-parity").join("metrics"),
                PathBuf::from,
            );
        CoverageInputs {
            report: target_dir.join("cargo-snapshot").join(REPORT_FILE),
            parity_dir,
        }
    }
}

/// Runs `coverage` and prints in `format`.
pub fn run(
    config: &Config,
    services: &[LoadedService],
    inputs: &CoverageInputs,
    format: CoverageFormat,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let report = collect(config, services, inputs).map_err(CliError::Coverage)?;
    let written = match format {
        CoverageFormat::Json => serde_json::to_writer_pretty(&mut *out, &report)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out)),
        CoverageFormat::Table => write_table(&report, out),
        CoverageFormat::Markdown => write_markdown(&report, out),
    };
    match written {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(CliError::Output),
    }
}

/// Gathers the coverage of `services` from the snapshot files, the models, the last run's
/// report and the parity metrics.
pub fn collect(
    config: &Config,
    services: &[LoadedService],
    inputs: &CoverageInputs,
) -> Result<CoverageReport, CoverageError> {
    let mut warnings = Vec::new();
    let last = load_report(&inputs.report, &config.root, &mut warnings)
        .filter(|last| check_report_origin(config, last, &mut warnings));
    let (parity, parity_files) = load_parity(&inputs.parity_dir, &config.root, &mut warnings);
    let mut covered = Vec::with_capacity(services.len());
    for service in services {
        let index = service.index()?;
        let files = ServiceFiles::scan(&config.snapshot_dir.join(&service.crate_name))?;
        covered.push(service_coverage(
            config,
            service,
            &index,
            last.as_ref(),
            &files,
            &parity,
            &mut warnings,
        ));
    }
    let total = totals(&covered);
    Ok(CoverageReport {
        schema_version: SCHEMA_VERSION,
        config: display(&config.path, &config.root),
        snapshot_dir: display(&config.snapshot_dir, &config.root),
        last_run: last.as_ref().map(|last| LastRun {
            path: last.shown.clone(),
            mode: last.report.mode,
            finished_unix_seconds: last.modified.and_then(|time| {
                time.duration_since(SystemTime::UNIX_EPOCH)
                    .ok()
                    .map(|since| since.as_secs())
            }),
            services: last
                .report
                .services
                .iter()
                .map(|service| service.name.clone())
                .collect(),
            operation_filter: last.report.operation_filter.clone(),
        }),
        services: covered,
        total,
        parity_files: parity_files
            .iter()
            .map(|path| display(path, &config.root))
            .collect(),
        warnings,
    })
}

/// A path relative to `root` when inside it, with `/` separators.
fn display(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

struct LoadedReport {
    /// The path as reports show it (relative to the config's directory when inside it).
    shown: String,
    modified: Option<SystemTime>,
    report: RunReport,
}

fn load_report(path: &Path, root: &Path, warnings: &mut Vec<Warning>) -> Option<LoadedReport> {
    let shown = display(path, root);
    let modified = match std::fs::metadata(path) {
        Ok(metadata) => metadata.modified().ok(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            warnings.push(Warning {
                kind: WarningKind::NoReport,
                service: None,
                message: format!(
                    "no run results at {shown}: exclusions other than [[skip]] and lost members are unknown; run `cargo snapshot compare` (or `write`) first",
                ),
            });
            return None;
        }
        Err(error) => {
            warnings.push(unreadable_report(&shown, &error));
            return None;
        }
    };
    match RunReport::load(path) {
        Ok(report) => Some(LoadedReport {
            shown,
            modified,
            report,
        }),
        Err(error) => {
            warnings.push(unreadable_report(&shown, &error));
            None
        }
    }
}

fn unreadable_report(shown: &str, error: &io::Error) -> Warning {
    Warning {
        kind: WarningKind::UnreadableReport,
        service: None,
        message: format!(
            "cannot read the last run's results {shown}: {error}; run `cargo snapshot compare` to write them again",
        ),
    }
}

/// Warns when the report comes from a run of another configuration or a filtered run;
/// false when it must not be used at all (it describes another snapshot directory).
fn check_report_origin(config: &Config, last: &LoadedReport, warnings: &mut Vec<Warning>) -> bool {
    let report = &last.report;
    let other_dir = report
        .snapshot_dir
        .as_ref()
        .filter(|dir| **dir != config.snapshot_dir);
    let other_crates: Vec<String> = report
        .services
        .iter()
        .filter(|service| {
            config
                .service(&service.name)
                .is_none_or(|configured| configured.crate_name != service.crate_name)
        })
        .map(|service| format!("{} ({})", service.name, service.crate_name))
        .collect();
    if let Some(dir) = other_dir {
        warnings.push(Warning {
            kind: WarningKind::OtherConfig,
            service: None,
            message: format!(
                "the last run ({}) stored snapshots in {}, not in {}: its results belong to another configuration and are not used; run `cargo snapshot compare` with this config",
                last.shown,
                display(dir, &config.root),
                display(&config.snapshot_dir, &config.root)
            ),
        });
        return false;
    }
    if !other_crates.is_empty() {
        warnings.push(Warning {
            kind: WarningKind::OtherConfig,
            service: None,
            message: format!(
                "the last run ({}) covered services this config does not have: {}; run `cargo snapshot compare` with this config",
                last.shown,
                other_crates.join(", ")
            ),
        });
    }
    if !report.operation_filter.is_empty() {
        warnings.push(Warning {
            kind: WarningKind::PartialRun,
            service: None,
            message: format!(
                "the last run was limited to the operations {}: exclusions and lost members of other operations are unknown; run `cargo snapshot compare` without `--operation`",
                report.operation_filter.join(", ")
            ),
        });
    }
    true
}

/// The snapshot files of one crate, per kind.
#[derive(Debug, Default)]
struct ServiceFiles {
    accepted: BTreeMap<&'static str, BTreeSet<String>>,
    pending: usize,
    newest: Option<SystemTime>,
}

const KINDS: [&str; 3] = ["requests", "responses", "errors"];
const SNAP: &str = ".snap";
const SNAP_NEW: &str = ".snap.new";

impl ServiceFiles {
    fn scan(crate_dir: &Path) -> Result<Self, CoverageError> {
        let mut files = ServiceFiles::default();
        for kind in KINDS {
            let dir = crate_dir.join(kind);
            let names = files.accepted.entry(kind).or_default();
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) =>
                {
                    continue
                }
                Err(source) => return Err(CoverageError::SnapshotDir { path: dir, source }),
            };
            for entry in entries {
                let entry = entry.map_err(|source| CoverageError::SnapshotDir {
                    path: dir.clone(),
                    source,
                })?;
                let Ok(metadata) = entry.metadata() else {
                    continue;
                };
                if !metadata.is_file() {
                    continue;
                }
                let file_name = entry.file_name();
                let Some(file_name) = file_name.to_str() else {
                    continue;
                };
                if file_name.ends_with(SNAP_NEW) {
                    files.pending += 1;
                } else if let Some(name) = file_name.strip_suffix(SNAP) {
                    names.insert(name.to_owned());
                    if let Ok(modified) = metadata.modified() {
                        files.newest = files.newest.max(Some(modified));
                    }
                }
            }
        }
        Ok(files)
    }

    fn names(&self, kind: &str) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        self.accepted.get(kind).unwrap_or(&EMPTY)
    }
}

fn service_coverage(
    config: &Config,
    service: &LoadedService,
    index: &ServiceIndex<'_>,
    last: Option<&LoadedReport>,
    files: &ServiceFiles,
    parity: &ParityByService,
    warnings: &mut Vec<Warning>,
) -> ServiceCoverage {
    let operations: Vec<&str> = index.operations().iter().map(|op| op.name()).collect();
    // Each error shape with the operations that declare it (operation errors, then service errors).
    let mut error_shapes: BTreeMap<String, Vec<&str>> = index
        .error_shapes()
        .iter()
        .map(|shape| (index.name(shape).to_owned(), Vec::new()))
        .collect();
    for op in index.operations() {
        for shape in index.operation_errors(op) {
            if let Some(declared_by) = error_shapes.get_mut(index.name(&shape)) {
                declared_by.push(op.name());
            }
        }
    }
    let service_report: Option<&ServiceReport> = last.and_then(|last| {
        last.report
            .services
            .iter()
            .find(|report| report.name == service.name && report.crate_name == service.crate_name)
    });
    let status = match (last, service_report) {
        (None, _) => LastRunStatus::NoReport,
        (Some(_), None) => LastRunStatus::NotRun,
        (Some(_), Some(report)) if report.build_failure.is_some() => LastRunStatus::BuildFailed,
        (Some(_), Some(_)) => LastRunStatus::Included,
    };
    let exclusions = exclusions(config, &service.name, service_report);
    let requests = classify_operations(
        &operations,
        files.names("requests"),
        &exclusions,
        ExclusionScope::Request,
    );
    let responses = classify_operations(
        &operations,
        files.names("responses"),
        &exclusions,
        ExclusionScope::Response,
    );
    let errors = classify_errors(&error_shapes, files.names("errors"), &exclusions);
    let known_operations: BTreeSet<&str> = operations.iter().copied().collect();
    let stale_snapshots = stale_snapshots(files, &known_operations, &error_shapes);

    let mut warn = |kind: WarningKind, message: String| {
        warnings.push(Warning {
            kind,
            service: Some(service.name.clone()),
            message,
        });
    };
    match (last, service_report) {
        (Some(last), None) => warn(
            WarningKind::NotInLastRun,
            format!(
                "the last run ({}) did not include {name}: only [[skip]] reasons are known for it; run `cargo snapshot compare --service {name}`",
                last.shown,
                name = service.name,
            ),
        ),
        (Some(last), Some(report)) => {
            let files = ReportCheck {
                files,
                stale: &stale_snapshots,
            };
            check_against_report(&service.name, operations.len(), last, report, &files, &mut warn);
        }
        (None, _) => {}
    }
    let missing = requests.missing.len() + responses.missing.len() + errors.missing.len();
    if missing > 0 {
        warn(
            WarningKind::Missing,
            format!(
                "{name}: {missing} snapshot(s) neither on disk nor excluded with a reason; run `cargo snapshot write --service {name}` (if they stay missing, the run dropped them without saying why: please report it)",
                name = service.name,
            ),
        );
    }
    if !stale_snapshots.is_empty() {
        warn(
            WarningKind::StaleSnapshots,
            format!(
                "{name}: {} snapshot file(s) name no operation or error shape of the model ({}); `cargo snapshot write --service {name}` deletes them",
                stale_snapshots.len(),
                sample(&stale_snapshots.iter().map(String::as_str).collect::<Vec<_>>()),
                name = service.name,
            ),
        );
    }
    if files.pending > 0 {
        warn(
            WarningKind::Pending,
            format!(
                "{}: {} pending snapshot(s) (.snap.new) wait for `cargo insta review`",
                service.name, files.pending
            ),
        );
    }

    let sdk_id = index.aws_service().map(|aws| aws.sdk_id);
    let parity = sdk_id
        .as_deref()
        .and_then(|sdk_id| parity.iter().find(|(key, _)| same_sdk_id(key, sdk_id)))
        .map(|(_, per_operation)| parity_coverage(per_operation, &known_operations));
    ServiceCoverage {
        name: service.name.clone(),
        crate_name: service.crate_name.clone(),
        protocol: index.protocol().name().to_owned(),
        sdk_id,
        operations: operations.len(),
        requests,
        responses,
        errors,
        exclusions,
        lost_members: service_report
            .map(|report| {
                report
                    .lost_members
                    .iter()
                    .map(|lost| LostMemberEntry {
                        subject: lost.subject.clone(),
                        case: lost.case.clone(),
                        path: lost.path.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        endpoint_overrides: service_report
            .map(|report| report.endpoint_overrides.clone())
            .unwrap_or_default(),
        stale_snapshots,
        pending_snapshots: files.pending,
        last_run: status,
        build_failure: service_report.and_then(|report| report.build_failure.clone()),
        parity,
    }
}

/// `[[skip]]` entries as the config says now, every other exclusion as the last run found it.
fn exclusions(
    config: &Config,
    service: &str,
    report: Option<&ServiceReport>,
) -> Vec<ExclusionEntry> {
    let mut exclusions: Vec<ExclusionEntry> = config
        .skips
        .iter()
        .filter(|skip| skip.service == service)
        .map(|skip| ExclusionEntry {
            subject: skip.operation.clone(),
            scope: ExclusionScope::Operation,
            stage: Stage::Config,
            reason: format!("skipped in snapshot.toml: {}", skip.reason),
        })
        .collect();
    if let Some(report) = report {
        exclusions.extend(
            report
                .exclusions
                .iter()
                .filter(|exclusion| exclusion.stage != Stage::Config)
                .map(|exclusion| ExclusionEntry {
                    subject: exclusion.subject.clone(),
                    scope: exclusion.scope,
                    stage: exclusion.stage,
                    reason: exclusion.reason.clone(),
                }),
        );
    }
    exclusions.sort();
    exclusions.dedup();
    exclusions
}

/// The subjects excluded in one of `scopes`.
fn excluded_in<'e>(
    exclusions: &'e [ExclusionEntry],
    scopes: &[ExclusionScope],
) -> BTreeSet<&'e str> {
    exclusions
        .iter()
        .filter(|exclusion| scopes.contains(&exclusion.scope))
        .map(|exclusion| exclusion.subject.as_str())
        .collect()
}

/// Every operation is covered (a file), excluded (a reason) or missing.
fn classify_operations(
    operations: &[&str],
    on_disk: &BTreeSet<String>,
    exclusions: &[ExclusionEntry],
    scope: ExclusionScope,
) -> KindCoverage {
    let excluded = excluded_in(exclusions, &[ExclusionScope::Operation, scope]);
    let mut coverage = KindCoverage::default();
    for &operation in operations {
        if on_disk.contains(operation) {
            coverage.snapshots += 1;
        } else if excluded.contains(operation) {
            coverage.excluded += 1;
        } else {
            coverage.missing.push(operation.to_owned());
        }
    }
    coverage
}

/// Every modeled error shape is covered, excluded or missing. An error is replayed through an
/// operation that declares it, so one declared only by excluded operations is excluded too.
fn classify_errors(
    error_shapes: &BTreeMap<String, Vec<&str>>,
    on_disk: &BTreeSet<String>,
    exclusions: &[ExclusionEntry],
) -> ErrorCoverage {
    let excluded = excluded_in(exclusions, &[ExclusionScope::Error]);
    let whole_operation = excluded_in(exclusions, &[ExclusionScope::Operation]);
    let mut coverage = ErrorCoverage {
        shapes: error_shapes.len(),
        generic: [FRONT_END_ERROR_SNAPSHOT, UNMODELED_ERROR_SNAPSHOT]
            .into_iter()
            .filter(|name| on_disk.contains(*name))
            .map(str::to_owned)
            .collect(),
        ..ErrorCoverage::default()
    };
    for (shape, declared_by) in error_shapes {
        let unreachable =
            !declared_by.is_empty() && declared_by.iter().all(|op| whole_operation.contains(op));
        if on_disk.contains(shape) {
            coverage.snapshots += 1;
        } else if excluded.contains(shape.as_str()) || unreachable {
            coverage.excluded += 1;
        } else {
            coverage.missing.push(shape.clone());
        }
    }
    coverage
}

/// Snapshot files naming no operation or error shape of the model, as `<kind>/<name>`.
fn stale_snapshots(
    files: &ServiceFiles,
    operations: &BTreeSet<&str>,
    error_shapes: &BTreeMap<String, Vec<&str>>,
) -> Vec<String> {
    let mut stale = Vec::new();
    for kind in KINDS {
        for name in files.names(kind) {
            let known = match kind {
                "errors" => {
                    error_shapes.contains_key(name)
                        || name == FRONT_END_ERROR_SNAPSHOT
                        || name == UNMODELED_ERROR_SNAPSHOT
                }
                _ => operations.contains(name.as_str()),
            };
            if !known {
                stale.push(format!("{kind}/{name}"));
            }
        }
    }
    stale
}

/// The files a report is checked against: stale ones have their own warning.
struct ReportCheck<'a> {
    files: &'a ServiceFiles,
    stale: &'a [String],
}

/// Warns where the last run's report of a service disagrees with the model or the files.
fn check_against_report(
    name: &str,
    operations: usize,
    last: &LoadedReport,
    report: &ServiceReport,
    check: &ReportCheck<'_>,
    warn: &mut dyn FnMut(WarningKind, String),
) {
    let files = check.files;
    if let Some(failure) = &report.build_failure {
        warn(
            WarningKind::BuildFailed,
            format!(
                "the harness of {name} did not build in the last run: {}",
                failure.lines().next().unwrap_or_default()
            ),
        );
        return;
    }
    if report.operations_total != operations {
        warn(
            WarningKind::ModelChanged,
            format!(
                "the model of {name} has {operations} operations, the last run saw {}: run `cargo snapshot write --service {name}`",
                report.operations_total,
            ),
        );
    }
    if let (Some(newest), Some(finished)) = (files.newest, last.modified) {
        if newest > finished {
            warn(
                WarningKind::SnapshotsNewer,
                format!(
                    "snapshots of {name} changed after the last run (by `cargo insta accept`, a checkout or an edit): its exclusions and lost members may be out of date; run `cargo snapshot compare --service {name}`",
                ),
            );
        }
    }
    // A run limited to some operations produced only those.
    if !last.report.operation_filter.is_empty() {
        return;
    }
    for (kind, produced) in [
        ("requests", &report.requests),
        ("responses", &report.responses),
        ("errors", &report.errors),
    ] {
        let produced: BTreeSet<&str> = produced.iter().map(String::as_str).collect();
        let on_disk: BTreeSet<&str> = files
            .names(kind)
            .iter()
            .filter(|file| !check.stale.contains(&format!("{kind}/{file}")))
            .map(String::as_str)
            .collect();
        let not_on_disk: Vec<&str> = produced.difference(&on_disk).copied().collect();
        let not_produced: Vec<&str> = on_disk.difference(&produced).copied().collect();
        let mut parts = Vec::new();
        if !not_on_disk.is_empty() {
            parts.push(format!(
                "produced {} without an accepted file ({})",
                not_on_disk.len(),
                sample(&not_on_disk)
            ));
        }
        if !not_produced.is_empty() {
            parts.push(format!(
                "did not produce {} that are on disk ({})",
                not_produced.len(),
                sample(&not_produced)
            ));
        }
        if !parts.is_empty() {
            warn(
                WarningKind::ReportDisagrees,
                format!(
                    "{name} {kind}: the last run {}; review with `cargo insta review`, or run `cargo snapshot write --service {name}`",
                    parts.join(" and "),
                ),
            );
        }
    }
}

/// Up to five names, then how many more.
fn sample(names: &[&str]) -> String {
    let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match names.len() {
        0..=5 => shown,
        more => format!("{shown} and {} more", more - 5),
    }
}

/// SDK ids compare without case, spaces or dashes (`S3 Control` = `s3control`).
fn same_sdk_id(a: &str, b: &str) -> bool {
    let squash = |id: &str| -> String {
        id.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    squash(a) == squash(b)
}

fn parity_coverage(
    per_operation: &BTreeMap<String, ParityOperation>,
    known_operations: &BTreeSet<&str>,
) -> ParityCoverage {
    let mut coverage = ParityCoverage::default();
    for (name, operation) in per_operation {
        let mut operation = operation.clone();
        operation.operation = name.clone();
        operation.in_model = known_operations.contains(name.as_str());
        if operation.in_model {
            coverage.operations += 1;
        }
        coverage.calls += operation.calls;
        coverage.recorded += operation.recorded;
        coverage.passed += operation.passed;
        coverage.passed_with_skips += operation.passed_with_skips;
        coverage.failed += operation.failed;
        coverage.not_matched += operation.not_matched;
        coverage.per_operation.push(operation);
    }
    coverage
}

/// The part of a parity metrics file coverage reads (layout version 1 of the snapshot-parity
/// crate's `ParityMetrics`).
#[derive(Debug, Deserialize)]
struct ParityFile {
    format_version: u32,
    #[serde(default)]
    services: BTreeMap<String, BTreeMap<String, ParityFileOperation>>,
}

#[derive(Debug, Deserialize)]
struct ParityFileOperation {
    #[serde(default)]
    calls: u32,
    #[serde(default)]
    recorded: u32,
    #[serde(default)]
    passed: u32,
    #[serde(default)]
    passed_with_skips: u32,
    #[serde(default)]
    failed: u32,
    #[serde(default)]
    not_matched: u32,
    #[serde(default)]
    tests: BTreeSet<String>,
}

type ParityByService = BTreeMap<String, BTreeMap<String, ParityOperation>>;

/// Every `<dir>/<package>/<file>.json`, summed per service and operation.
fn load_parity(
    dir: &Path,
    root: &Path,
    warnings: &mut Vec<Warning>,
) -> (ParityByService, Vec<PathBuf>) {
    let mut merged = ParityByService::new();
    let mut files = Vec::new();
    let Ok(packages) = std::fs::read_dir(dir) else {
        return (merged, files);
    };
    let mut paths: Vec<PathBuf> = packages
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .filter_map(|package| std::fs::read_dir(package).ok())
        .flat_map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json") && path.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let parsed = std::fs::read_to_string(&path)
            .map_err(|error| error.to_string())
            .and_then(|text| {
                serde_json::from_str::<ParityFile>(&text).map_err(|error| error.to_string())
            })
            .and_then(|file| {
                if file.format_version == PARITY_FORMAT_VERSION {
                    Ok(file)
                } else {
                    Err(format!(
                        "layout version {} (this cargo-snapshot reads version {PARITY_FORMAT_VERSION})",
                        file.format_version
                    ))
                }
            });
        let file = match parsed {
            Ok(file) => file,
            Err(reason) => {
                warnings.push(Warning {
                    kind: WarningKind::UnreadableParity,
                    service: None,
                    message: format!(
                        "cannot read parity metrics {}: {reason}; run the parity tests again to rewrite it",
                        display(&path, root)
                    ),
                });
                continue;
            }
        };
        for (service, operations) in file.services {
            let service = merged.entry(service).or_default();
            for (name, counts) in operations {
                let entry = service.entry(name).or_default();
                entry.calls += counts.calls;
                entry.recorded += counts.recorded;
                entry.passed += counts.passed;
                entry.passed_with_skips += counts.passed_with_skips;
                entry.failed += counts.failed;
                entry.not_matched += counts.not_matched;
                entry.tests.extend(counts.tests);
            }
        }
        files.push(path);
    }
    (merged, files)
}

fn totals(services: &[ServiceCoverage]) -> Totals {
    let mut total = Totals {
        services: services.len(),
        ..Totals::default()
    };
    for service in services {
        total.operations += service.operations;
        total.requests += service.requests.snapshots;
        total.responses += service.responses.snapshots;
        total.error_shapes += service.errors.shapes;
        total.errors += service.errors.snapshots;
        total.excluded += service.exclusions.len();
        total.lost_members += service.lost_members.len();
        total.missing += service.requests.missing.len()
            + service.responses.missing.len()
            + service.errors.missing.len();
        total.stale_snapshots += service.stale_snapshots.len();
        total.pending_snapshots += service.pending_snapshots;
    }
    total
}

/// `part` of `whole` as a percentage with one decimal (`100%` when complete or empty).
fn percent(part: usize, whole: usize) -> String {
    if part == whole {
        return "100%".to_owned();
    }
    let value = part as f64 * 100.0 / whole as f64;
    format!("{value:.1}%")
}

/// The summary row of a service (or the total): the same cells in table and Markdown.
fn row_cells(
    name: &str,
    protocol: &str,
    operations: usize,
    requests: usize,
    responses: usize,
    (errors, shapes): (usize, usize),
    (excluded, lost, missing): (usize, usize, usize),
) -> [String; 9] {
    [
        name.to_owned(),
        protocol.to_owned(),
        operations.to_string(),
        format!("{requests} ({})", percent(requests, operations)),
        format!("{responses} ({})", percent(responses, operations)),
        format!("{errors}/{shapes} ({})", percent(errors, shapes)),
        excluded.to_string(),
        lost.to_string(),
        missing.to_string(),
    ]
}

const HEADER: [&str; 9] = [
    "SERVICE",
    "PROTOCOL",
    "OPERATIONS",
    "REQUESTS",
    "RESPONSES",
    "ERRORS",
    "EXCLUDED",
    "LOST",
    "MISSING",
];

fn rows(report: &CoverageReport) -> Vec<[String; 9]> {
    let mut rows: Vec<[String; 9]> = report
        .services
        .iter()
        .map(|service| {
            row_cells(
                &service.name,
                &service.protocol,
                service.operations,
                service.requests.snapshots,
                service.responses.snapshots,
                (service.errors.snapshots, service.errors.shapes),
                (
                    service.exclusions.len(),
                    service.lost_members.len(),
                    service.requests.missing.len()
                        + service.responses.missing.len()
                        + service.errors.missing.len(),
                ),
            )
        })
        .collect();
    let total = &report.total;
    rows.push(row_cells(
        "total",
        "",
        total.operations,
        total.requests,
        total.responses,
        (total.errors, total.error_shapes),
        (total.excluded, total.lost_members, total.missing),
    ));
    rows
}

/// Details listed after the summary, the same in table and Markdown.
struct Details {
    exclusions: Vec<String>,
    lost: Vec<String>,
    missing: Vec<String>,
    stale: Vec<String>,
    endpoint_overrides: Vec<String>,
}

fn details(report: &CoverageReport, code: fn(&str) -> String) -> Details {
    let mut details = Details {
        exclusions: Vec::new(),
        lost: Vec::new(),
        missing: Vec::new(),
        stale: Vec::new(),
        endpoint_overrides: Vec::new(),
    };
    for service in &report.services {
        for exclusion in &service.exclusions {
            details.exclusions.push(format!(
                "{} {} ({}, {}): {}",
                service.name,
                code(&exclusion.subject),
                exclusion.scope,
                exclusion.stage,
                exclusion.reason.lines().next().unwrap_or_default()
            ));
        }
        for lost in &service.lost_members {
            details.lost.push(format!(
                "{} {} ({}): {}",
                service.name,
                code(&lost.subject),
                lost.case,
                code(&lost.path)
            ));
        }
        for (kind, names) in [
            ("requests", &service.requests.missing),
            ("responses", &service.responses.missing),
            ("errors", &service.errors.missing),
        ] {
            if !names.is_empty() {
                details.missing.push(format!(
                    "{} {kind}: {}",
                    service.name,
                    names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        if !service.endpoint_overrides.is_empty() {
            details.endpoint_overrides.push(format!(
                "{}: {}",
                service.name,
                service
                    .endpoint_overrides
                    .iter()
                    .map(|n| code(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !service.stale_snapshots.is_empty() {
            details.stale.push(format!(
                "{}: {}",
                service.name,
                service
                    .stale_snapshots
                    .iter()
                    .map(|n| code(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    details
}

fn parity_rows(report: &CoverageReport) -> Vec<[String; 8]> {
    report
        .services
        .iter()
        .filter_map(|service| service.parity.as_ref().map(|parity| (service, parity)))
        .map(|(service, parity)| {
            [
                service.name.clone(),
                format!(
                    "{}/{} ({})",
                    parity.operations,
                    service.operations,
                    percent(parity.operations, service.operations)
                ),
                parity.calls.to_string(),
                parity.passed.to_string(),
                parity.passed_with_skips.to_string(),
                parity.failed.to_string(),
                parity.recorded.to_string(),
                parity.not_matched.to_string(),
            ]
        })
        .collect()
}

const PARITY_HEADER: [&str; 8] = [
    "SERVICE",
    "OPERATIONS",
    "CALLS",
    "PASSED",
    "WITH SKIPS",
    "FAILED",
    "RECORDED",
    "NOT MATCHED",
];

fn last_run_line(report: &CoverageReport) -> String {
    match &report.last_run {
        Some(last) => format!(
            "last run: `{}` of {} service(s){}, results in {}",
            last.mode,
            last.services.len(),
            if last.operation_filter.is_empty() {
                String::new()
            } else {
                format!(" limited to {} operation(s)", last.operation_filter.len())
            },
            last.path
        ),
        None => "last run: none found".to_owned(),
    }
}

/// Writes aligned columns: the first `text_columns` left-aligned, figures right-aligned.
fn write_aligned<const N: usize>(
    out: &mut dyn Write,
    (header, text_columns): ([&str; N], usize),
    rows: &[[String; N]],
    indent: &str,
) -> io::Result<()> {
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = |cells: [&str; N]| -> io::Result<()> {
        let mut text = indent.to_owned();
        for (column, cell) in cells.iter().enumerate() {
            if column > 0 {
                text.push_str("  ");
            }
            if column < text_columns {
                text.push_str(&format!("{cell:<width$}", width = widths[column]));
            } else {
                text.push_str(&format!("{cell:>width$}", width = widths[column]));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(header)?;
    for row in rows {
        line(row.each_ref().map(String::as_str))?;
    }
    Ok(())
}

fn write_table(report: &CoverageReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "snapshot coverage ({}, snapshots in {})",
        report.config, report.snapshot_dir
    )?;
    write_aligned(out, (HEADER, 2), &rows(report), "")?;
    let details = details(report, str::to_owned);
    for (title, lines) in [
        ("excluded, with the reason", &details.exclusions),
        (
            "lost members (set in a generated response, not given back by the client)",
            &details.lost,
        ),
        (
            "missing (no snapshot and no reason: run `cargo snapshot write`)",
            &details.missing,
        ),
        (
            "stale snapshots (naming nothing in the model: `cargo snapshot write` deletes them)",
            &details.stale,
        ),
        (
            "endpoint overrides (resolution failed for the generated input; the request used an explicit endpoint)",
            &details.endpoint_overrides,
        ),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{title}:")?;
        for line in lines {
            writeln!(out, "  {line}")?;
        }
    }
    let parity = parity_rows(report);
    if !parity.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "parity tests against live endpoints ({} metrics file(s)):",
            report.parity_files.len()
        )?;
        write_aligned(out, (PARITY_HEADER, 1), &parity, "  ")?;
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "warnings:")?;
        for warning in &report.warnings {
            writeln!(out, "  - {}", warning.message)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", last_run_line(report))
}

fn markdown_table<const N: usize>(
    out: &mut dyn Write,
    (header, text_columns): ([&str; N], usize),
    rows: &[[String; N]],
) -> io::Result<()> {
    let cell = |text: &str| text.replace('|', "\\|");
    let title = |text: &str| {
        let mut chars = text.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_string() + &chars.as_str().to_lowercase()
        })
    };
    writeln!(out, "| {} |", header.map(title).join(" | "))?;
    let alignment: Vec<&str> = (0..N)
        .map(|column| if column < text_columns { "---" } else { "--:" })
        .collect();
    writeln!(out, "| {} |", alignment.join(" | "))?;
    for row in rows {
        writeln!(
            out,
            "| {} |",
            row.iter()
                .map(|text| cell(text))
                .collect::<Vec<_>>()
                .join(" | ")
        )?;
    }
    Ok(())
}

fn write_markdown(report: &CoverageReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Snapshot coverage")?;
    writeln!(out)?;
    writeln!(
        out,
        "Config `{}`, snapshots in `{}`.",
        report.config, report.snapshot_dir
    )?;
    writeln!(out)?;
    let mut rows = rows(report);
    if let Some(total) = rows.last_mut() {
        total[0] = "**total**".to_owned();
    }
    markdown_table(out, (HEADER, 2), &rows)?;
    let code = |text: &str| format!("`{text}`");
    let details = details(report, code);
    for (title, lines) in [
        ("Excluded, with the reason", &details.exclusions),
        ("Lost members", &details.lost),
        ("Missing (no snapshot and no reason)", &details.missing),
        ("Stale snapshots", &details.stale),
        ("Endpoint overrides", &details.endpoint_overrides),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "### {title}")?;
        writeln!(out)?;
        for line in lines {
            writeln!(out, "- {line}")?;
        }
    }
    let parity = parity_rows(report);
    if !parity.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Parity tests against live endpoints")?;
        writeln!(out)?;
        markdown_table(out, (PARITY_HEADER, 1), &parity)?;
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Warnings")?;
        writeln!(out)?;
        for warning in &report.warnings {
            writeln!(out, "- {}", warning.message)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "_{}_", last_run_line(report))
}
