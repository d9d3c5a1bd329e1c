//! The coverage report: the document `cargo snapshot coverage --format json` prints (schema in
//! the crate documentation), which the table and Markdown renderers read too.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use snapshot_runner::report::{
    ErrorFormResult, ExceptionKind, ExclusionScope, InputVariant, LostMember,
    MalformedHeaderResult, RejectedHeaderResult, ReplayCase, RequestCheckResult, RequestVariant,
    Stage, VariantResult,
};
use snapshot_runner::RunMode;

/// The version of the JSON output; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// Request snapshot sections of input variants other than max (last run).
    pub request_variants: VariantCounts,
    /// The request-side check of the request cases, summed (last run).
    pub request_checks: RequestCheckCounts,
    /// Response variants replayed and those the client did not handle as expected (last run).
    pub response_variants: ResponseVariantCounts,
    /// Error forms replayed through the errors' carriers (last run), and those not handled
    /// as expected.
    pub error_forms: ResponseVariantCounts,
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

impl ServiceCoverage {
    /// Requests, responses, errors and compact error snapshots neither on disk nor excluded.
    pub fn missing(&self) -> usize {
        self.requests.missing.len()
            + self.responses.missing.len()
            + self.errors.missing.len()
            + self.errors.cases.missing.len()
    }
}

/// Request snapshot sections of the input variants other than max: how many operations have
/// a `min` and an `edge` section; and the rejected-header cases (lines of the request
/// snapshots' `rejected headers` sections), with those the client sent anyway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VariantCounts {
    /// Sections for the min input (required members only).
    pub min: usize,
    /// Sections for the edge input.
    pub edge: usize,
    /// Rejected-header cases.
    pub rejected_headers: usize,
    /// Rejected-header cases whose value the client did not refuse.
    pub rejected_headers_unexpected: usize,
}

impl VariantCounts {
    /// The counts in a run report's rows.
    pub fn of(rows: &[RequestVariant], rejected: &[RejectedHeaderResult]) -> Self {
        let count = |variant| rows.iter().filter(|row| row.variant == variant).count();
        VariantCounts {
            min: count(InputVariant::Min),
            edge: count(InputVariant::Edge),
            rejected_headers: rejected.len(),
            rejected_headers_unexpected: rejected.iter().filter(|row| !row.as_expected()).count(),
        }
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: VariantCounts) {
        self.min += other.min;
        self.edge += other.edge;
        self.rejected_headers += other.rejected_headers;
        self.rejected_headers_unexpected += other.rejected_headers_unexpected;
    }
}

/// The request-side check of a service's request cases (or of all), summed from the run
/// report's `request_checks`: the input values that reached the wire as set, and the members
/// that did not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestCheckCounts {
    /// Request cases checked (each input variant of each operation that sent a request).
    pub cases: usize,
    /// Input values that reached the wire equal.
    pub on_wire: usize,
    /// Members absent from the request.
    pub lost: usize,
    /// Members on the wire with another value.
    pub changed: usize,
    /// Requests the check could not read back by the operation's bindings.
    pub failed: usize,
    /// Members absent or different for a documented reason, all kinds.
    pub excepted: usize,
    /// The excepted members by kind (`default_value`, ...); kinds with none are left out.
    pub excepted_by_kind: BTreeMap<ExceptionKind, usize>,
}

impl RequestCheckCounts {
    /// The counts of a run report's checks.
    pub fn of(checks: &[RequestCheckResult]) -> Self {
        let mut counts = RequestCheckCounts::default();
        for check in checks {
            counts.cases += 1;
            counts.on_wire += check.matched;
            counts.lost += check.lost.len();
            counts.changed += check.changed.len();
            counts.failed += usize::from(check.failure.is_some());
            counts.excepted += check.excepted.len();
            for member in &check.excepted {
                *counts.excepted_by_kind.entry(member.kind).or_default() += 1;
            }
        }
        counts
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: &RequestCheckCounts) {
        self.cases += other.cases;
        self.on_wire += other.on_wire;
        self.lost += other.lost;
        self.changed += other.changed;
        self.failed += other.failed;
        self.excepted += other.excepted;
        for (kind, count) in &other.excepted_by_kind {
            *self.excepted_by_kind.entry(*kind).or_default() += count;
        }
    }
}

/// Response variants (or error forms) replayed through the client, and how many of them it
/// did not handle as expected (an outcome other than the expectation: a finding).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ResponseVariantCounts {
    /// Variant responses replayed, malformed-header cases included.
    pub replayed: usize,
    /// Those whose outcome was not the expected one.
    pub unexpected: usize,
}

impl ResponseVariantCounts {
    /// The counts of a run report's verdicts: response variants and malformed-header cases
    /// (unexpected: those the client gave an output for).
    pub fn of(results: &[VariantResult], malformed: &[MalformedHeaderResult]) -> Self {
        ResponseVariantCounts {
            replayed: results.len() + malformed.len(),
            unexpected: results
                .iter()
                .filter(|result| !result.as_expected())
                .count()
                + malformed.iter().filter(|result| !result.rejected).count(),
        }
    }

    /// The counts of a run report's error form verdicts.
    pub fn of_forms(results: &[ErrorFormResult]) -> Self {
        ResponseVariantCounts {
            replayed: results.len(),
            unexpected: results
                .iter()
                .filter(|result| !result.as_expected())
                .count(),
        }
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: ResponseVariantCounts) {
        self.replayed += other.replayed;
        self.unexpected += other.unexpected;
    }
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
    /// (operation, declared error) pairs: how each operation parses each error it declares.
    pub cases: ErrorCaseCoverage,
}

/// Coverage of (operation, declared error) pairs, each a line of its operation's compact
/// error snapshot (`errors/by-operation/<Operation>.snap`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorCaseCoverage {
    /// Pairs the model declares: per operation, its errors and the service's.
    pub declared: usize,
    /// Pairs in a compact error snapshot.
    pub snapshots: usize,
    /// Pairs without one for a known reason (the operation, or the pair, is excluded).
    pub excluded: usize,
    /// Operations declaring errors without a compact error snapshot and without a reason.
    pub missing: Vec<String>,
}

/// Something without a snapshot, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExclusionEntry {
    /// Operation or error shape.
    pub subject: String,
    /// What it lost: `operation` (all its snapshots), `request`, `response`, `error` or
    /// `error-case` (one line of an operation's compact error snapshot).
    pub scope: ExclusionScope,
    /// Which stage left it out.
    pub stage: Stage,
    /// The reason.
    pub reason: String,
    /// For an `error-case`: the operation the error was replayed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
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

impl From<&LostMember> for LostMemberEntry {
    fn from(lost: &LostMember) -> Self {
        LostMemberEntry {
            subject: lost.subject.clone(),
            case: lost.case.clone(),
            path: lost.path.clone(),
        }
    }
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
    /// Request snapshot sections of input variants other than max.
    pub request_variants: VariantCounts,
    /// The request-side check of all request cases.
    pub request_checks: RequestCheckCounts,
    /// Response snapshots.
    pub responses: usize,
    /// Response variants replayed, and those not handled as expected.
    pub response_variants: ResponseVariantCounts,
    /// Error forms replayed, and those not handled as expected.
    pub error_forms: ResponseVariantCounts,
    /// Modeled error shapes.
    pub error_shapes: usize,
    /// Error shapes with a snapshot.
    pub errors: usize,
    /// (operation, declared error) pairs of the models.
    pub error_cases_declared: usize,
    /// Those in a compact error snapshot.
    pub error_cases: usize,
    /// Exclusion entries.
    pub excluded: usize,
    /// Lost members.
    pub lost_members: usize,
    /// Missing requests, responses, errors and compact error snapshots.
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

#[cfg(test)]
mod tests {
    use snapshot_runner::report::{ExceptedMember, Expect, Got, ResponseVariant, VariantName};

    use super::*;

    fn check(matched: usize, lost: &[&str], excepted: &[ExceptionKind]) -> RequestCheckResult {
        RequestCheckResult {
            operation: "PutThing".to_owned(),
            variant: InputVariant::Max,
            matched,
            lost: lost.iter().map(|path| (*path).to_owned()).collect(),
            changed: Vec::new(),
            excepted: excepted
                .iter()
                .map(|kind| ExceptedMember {
                    path: "PutThingInput.X".to_owned(),
                    kind: *kind,
                })
                .collect(),
            failure: None,
        }
    }

    #[test]
    fn request_checks_are_summed_per_service_and_across_services_by_kind() {
        let one = RequestCheckCounts::of(&[
            check(5, &["PutThingInput.Tags"], &[ExceptionKind::DefaultValue]),
            check(
                7,
                &[],
                &[ExceptionKind::Checksum, ExceptionKind::DefaultValue],
            ),
        ]);
        assert_eq!(
            (one.cases, one.on_wire, one.lost, one.excepted),
            (2, 12, 1, 3)
        );
        let mut total = one.clone();
        total.add(&RequestCheckCounts::of(&[
            check(1, &[], &[ExceptionKind::DefaultValue]),
            RequestCheckResult::failed("GetThing", InputVariant::Edge, "no".to_owned()),
        ]));
        assert_eq!((total.cases, total.on_wire, total.failed), (4, 13, 1));
        assert_eq!(
            total.excepted_by_kind,
            BTreeMap::from([
                (ExceptionKind::DefaultValue, 3),
                (ExceptionKind::Checksum, 1)
            ])
        );
        assert_eq!(
            total.excepted,
            total.excepted_by_kind.values().sum::<usize>()
        );
    }

    #[test]
    fn a_response_variant_is_unexpected_when_its_outcome_is_not_the_expected_one() {
        let result = |expected, got| VariantResult {
            operation: "GetThing".to_owned(),
            variant: ResponseVariant::UnknownMembers,
            targets: Vec::new(),
            base: VariantName::Max,
            expected,
            got,
        };
        let counts = ResponseVariantCounts::of(
            &[
                result(
                    Expect::Output,
                    Got::Output {
                        equal: 2,
                        findings: 0,
                    },
                ),
                result(
                    Expect::Rejected,
                    Got::Output {
                        equal: 2,
                        findings: 0,
                    },
                ),
                result(Expect::Rejected, Got::Panicked),
                result(
                    Expect::Rejected,
                    Got::ServiceError {
                        code: None,
                        cause: None,
                    },
                ),
            ],
            &[],
        );
        assert_eq!(
            counts,
            ResponseVariantCounts {
                replayed: 4,
                unexpected: 2
            }
        );
    }
}
