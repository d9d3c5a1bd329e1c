//! Coverage: how much of each service the snapshots cover, what was left out and why, and what
//! the round trips lost, per service and in total (`cargo snapshot coverage`).
//!
//! This crate owns the computation and its report; the CLI keeps the arguments and the choice
//! of format. Three sources are read through their owners' types, none of them built or run, so
//! the computation is instant (`sources.rs`):
//!
//! * the **snapshot files** ([`snapshot_store::Store`] listings): what is committed is what
//!   counts as covered (`<crate>/requests/<Operation>.snap`, `responses/<Operation>.snap`,
//!   `errors/<ErrorShape>.snap`); pending `.snap.new` files are counted separately;
//! * the **models**: every operation and error shape that should have a snapshot. One without
//!   a snapshot is *excluded* when a `[[skip]]` or the last run gives a reason, and *missing*
//!   otherwise. Snapshot files naming no operation or error shape are *stale*
//!   (`classify.rs`);
//! * the **last run's report** ([`snapshot_runner::RunReport`], `<target>/cargo-snapshot/last-run.json`,
//!   written by `write` and `compare`): exclusions with the stage and reason, lost members,
//!   endpoint overrides, build failures, the request sections of input variants, the
//!   request-side check of every request case and the verdict of every response variant. The
//!   report is cross-checked against the files: a report from another snapshot directory, one
//!   older than the snapshots, one from a run limited by `--service` or `--operation`, or one
//!   whose snapshot lists disagree with the files gets a warning (`checks.rs`).
//!
//! When parity tests have written metrics ([`snapshot_parity::ParityMetrics`];
//! `$SNAPSHOT_PARITY_METRICS_DIR`, else `<target>/snapshot-parity/metrics/<package>/<test
//! file>.json`), each service also gets the operations its parity tests exercised against a
//! live endpoint and their results. The report renders as JSON, a table or Markdown
//! ([`render`]).
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
//!       "generic": ["_front_end", "_unmodeled"],             // snapshots of the two generic errors present
//!       "cases": {                                           // (operation, declared error) pairs
//!         "declared": n, "snapshots": n, "excluded": n,      // lines of errors/by-operation/<Operation>.snap
//!         "missing": ["<Operation>", ...]                    // operations without that file or a reason
//!       }
//!     },
//!     "exclusions": [{"subject": "...", "scope": "operation" | "request" | "response" | "error"
//!                                                  | "error-case",
//!                     "stage": "config" | "values" | "wire" | "codegen" | "compile" | "run",
//!                     "reason": "...",
//!                     "operation": "<Operation>"}],             // error-case only: the operation
//!     "lost_members": [{"subject": "...", "case": "min" | "max" | "<variant>" | "error"
//!                                              | "error <ErrorShape>", "path": "..."}],
//!     "endpoint_overrides": ["<Operation>" | "<Operation> (<variant>)", ...],
//!     "request_variants": {"min": n, "edge": n, "rejected_headers": n, "rejected_headers_unexpected": n}, // request sections besides max, rejected-header cases (last run)
//!     "request_checks": {                                    // the request-side check (last run)
//!       "cases": n,                                          // request cases checked
//!       "on_wire": n,                                        // input values on the wire as set
//!       "lost": n, "changed": n,                             // members absent, or with another value
//!       "failed": n,                                         // requests the bindings could not read back
//!       "excepted": n,                                       // members excused, all kinds
//!       "excepted_by_kind": {"default_value": n, ...}        // kinds with none left out
//!     },
//!     "response_variants": {"replayed": n, "unexpected": n}, // response variants (last run)
//!     "error_forms": {"replayed": n, "unexpected": n},       // error forms (last run)
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
//!   "total": {"services": n, "operations": n, "requests": n,
//!             "request_variants": {"min": n, "edge": n, "rejected_headers": n, "rejected_headers_unexpected": n},
//!             "request_checks": {...},                      // as per service, summed
//!             "responses": n,
//!             "response_variants": {"replayed": n, "unexpected": n},
//!             "error_forms": {"replayed": n, "unexpected": n},
//!             "error_shapes": n, "errors": n, "error_cases_declared": n, "error_cases": n,
//!             "excluded": n, "lost_members": n, "missing": n, "stale_snapshots": n,
//!             "pending_snapshots": n},
//!   "parity_files": ["<path>", ...],
//!   "warnings": [{"kind": "<kind>", "service": "<name>" | null, "message": "..."}]
//! }
//! ```
//!
//! For every service `requests.snapshots + requests.excluded + len(requests.missing) ==
//! operations` (the same for responses), and `errors.snapshots + errors.excluded +
//! len(errors.missing) == errors.shapes`; `errors.cases.snapshots + errors.cases.excluded`
//! plus the pairs of the operations in `errors.cases.missing` is `errors.cases.declared`.
//! `total.excluded` counts exclusion entries; `total.missing` counts missing requests,
//! responses, errors and compact error snapshots together.
//!
//! `request_variants`, `request_checks`, `response_variants` and `error_forms` are counted from the run
//! report's typed entries (never from snapshot text); the table and Markdown show `-` for a
//! service whose `last_run` is not `included`. `request_checks.excepted` is the sum of
//! `excepted_by_kind`; `response_variants.unexpected` counts the verdicts whose outcome is not
//! the one expected ([`snapshot_runner::report::VariantResult::as_expected`]).
//!
//! Warning kinds: `no-report`, `unreadable-report`, `other-config`, `partial-run`,
//! `not-in-last-run`, `build-failed`, `model-changed`, `snapshots-newer`, `report-disagrees`,
//! `missing`, `stale-snapshots`, `pending`, `unreadable-parity`.

#![warn(missing_docs)]

mod checks;
mod classify;
mod errors;
pub mod render;
mod report;
mod sources;

use std::path::Path;
use std::time::SystemTime;

use snapshot_model::{Model, ServiceIndex};
use snapshot_runner::report::ServiceReport;
use snapshot_runner::Skip;
use snapshot_store::{Kind, Store};

pub use errors::CoverageError;
pub use report::{
    CoverageReport, ErrorCoverage, ExclusionEntry, KindCoverage, LastRun, LastRunStatus,
    LostMemberEntry, ParityCoverage, ParityOperation, RequestCheckCounts, ResponseVariantCounts,
    ServiceCoverage, Totals, VariantCounts, Warning, WarningKind, SCHEMA_VERSION,
};
pub use sources::CoverageInputs;

use crate::classify::ModelSubjects;
use crate::sources::{display, LoadedReport, ParityByService, SnapshotFiles};

/// The configuration coverage is computed for.
#[derive(Debug, Clone, Copy)]
pub struct CoverageConfig<'a> {
    /// The config file (`snapshot.toml`), named in reports.
    pub path: &'a Path,
    /// Its directory: paths in reports are relative to it when inside it.
    pub root: &'a Path,
    /// The snapshot directory.
    pub store: &'a Store,
    /// Every configured service, selected or not, so that a report from a run of other
    /// crates is noticed.
    pub services: &'a [ConfiguredService],
}

/// A configured service: its short name and client crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredService {
    /// The short name (`sts`).
    pub name: String,
    /// The client crate (`aws-sdk-sts`), also its snapshot folder.
    pub crate_name: String,
}

/// A service whose coverage is computed.
#[derive(Debug, Clone, Copy)]
pub struct CoveredService<'a> {
    /// The short name (`sts`).
    pub name: &'a str,
    /// The client crate (`aws-sdk-sts`), also its snapshot folder.
    pub crate_name: &'a str,
    /// Its loaded model.
    pub model: &'a Model,
    /// The service shape within the model.
    pub service_shape: &'a str,
    /// The operations the configuration skips, with their reasons.
    pub skips: &'a [Skip],
}

/// Gathers the coverage of `services` (in the order given) from the snapshot files, the
/// models, the last run's report and the parity metrics under `inputs`.
///
/// Errors: a snapshot directory that cannot be listed, or a model whose service index cannot
/// be rebuilt. Everything else that makes the figures doubtful is a [`Warning`] in the report.
pub fn collect(
    config: &CoverageConfig<'_>,
    services: &[CoveredService<'_>],
    inputs: &CoverageInputs,
) -> Result<CoverageReport, CoverageError> {
    let mut warnings = Vec::new();
    let last = sources::load_report(&inputs.report, config.root, &mut warnings).filter(|last| {
        checks::check_report_origin(
            config.root,
            config.store,
            config.services,
            last,
            &mut warnings,
        )
    });
    let (parity, parity_files) =
        sources::load_parity(&inputs.parity_dir, config.root, &mut warnings);
    let mut covered = Vec::with_capacity(services.len());
    for service in services {
        let index = service.model.service_index(Some(service.service_shape))?;
        let files = SnapshotFiles::list(config.store, service.crate_name)?;
        let report = last.as_ref().and_then(|last| {
            last.report.services.iter().find(|report| {
                report.name == service.name && report.crate_name == service.crate_name
            })
        });
        let coverage = service_coverage(service, &index, last.as_ref(), report, &files, &parity);
        checks::check_service(&coverage, last.as_ref(), report, &files, &mut warnings);
        covered.push(coverage);
    }
    Ok(CoverageReport {
        schema_version: SCHEMA_VERSION,
        config: display(config.path, config.root),
        snapshot_dir: display(config.store.snapshot_dir(), config.root),
        last_run: last.as_ref().map(last_run),
        total: classify::totals(&covered),
        services: covered,
        parity_files: parity_files
            .iter()
            .map(|path| display(path, config.root))
            .collect(),
        warnings,
    })
}

fn last_run(last: &LoadedReport) -> LastRun {
    LastRun {
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
    }
}

/// The coverage of one service, before warnings.
fn service_coverage(
    service: &CoveredService<'_>,
    index: &ServiceIndex<'_>,
    last: Option<&LoadedReport>,
    report: Option<&ServiceReport>,
    files: &SnapshotFiles,
    parity: &ParityByService,
) -> ServiceCoverage {
    let subjects = ModelSubjects::of(index);
    let exclusions = classify::exclusions(service.skips, report);
    let sdk_id = index.aws_service().map(|aws| aws.sdk_id);
    let parity = sdk_id
        .as_deref()
        .and_then(|sdk_id| {
            parity
                .iter()
                .find(|(key, _)| classify::same_sdk_id(key, sdk_id))
        })
        .map(|(_, per_operation)| classify::parity_coverage(per_operation, &subjects));
    ServiceCoverage {
        name: service.name.to_owned(),
        crate_name: service.crate_name.to_owned(),
        protocol: index.protocol().name().to_owned(),
        sdk_id,
        operations: subjects.operations.len(),
        requests: classify::classify_operations(&subjects, files, &exclusions, Kind::Requests),
        responses: classify::classify_operations(&subjects, files, &exclusions, Kind::Responses),
        errors: classify::classify_errors(&subjects, files, &exclusions),
        stale_snapshots: classify::stale_snapshots(&subjects, files),
        exclusions,
        lost_members: report
            .map(|report| {
                report
                    .lost_members
                    .iter()
                    .map(LostMemberEntry::from)
                    .collect()
            })
            .unwrap_or_default(),
        endpoint_overrides: report
            .map(|report| report.endpoint_overrides.clone())
            .unwrap_or_default(),
        request_variants: report
            .map(|report| VariantCounts::of(&report.request_variants, &report.rejected_headers))
            .unwrap_or_default(),
        request_checks: report
            .map(|report| RequestCheckCounts::of(&report.request_checks))
            .unwrap_or_default(),
        response_variants: report
            .map(|report| {
                ResponseVariantCounts::of(&report.response_variants, &report.malformed_headers)
            })
            .unwrap_or_default(),
        error_forms: report
            .map(|report| ResponseVariantCounts::of_forms(&report.error_forms))
            .unwrap_or_default(),
        pending_snapshots: files.pending,
        last_run: match (last, report) {
            (None, _) => LastRunStatus::NoReport,
            (Some(_), None) => LastRunStatus::NotRun,
            (Some(_), Some(report)) if report.build_failure.is_some() => LastRunStatus::BuildFailed,
            (Some(_), Some(_)) => LastRunStatus::Included,
        },
        build_failure: report.and_then(|report| report.build_failure.clone()),
        parity,
    }
}
