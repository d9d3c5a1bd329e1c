//! Checks: where the sources disagree or the figures cannot be trusted, a [`Warning`] says
//! so and what to run: a report from another configuration or a filtered run, a report older
//! than the files or at odds with them, missing, stale and pending snapshots.

use std::collections::BTreeSet;

use snapshot_runner::report::ServiceReport;
use snapshot_store::{Kind, Store};

use crate::report::{ServiceCoverage, Warning, WarningKind};
use crate::sources::{display, LoadedReport, SnapshotFiles};
use crate::ConfiguredService;

/// Warns when the report comes from a run of another configuration or a filtered run;
/// false when it must not be used at all (it describes another snapshot directory).
pub(crate) fn check_report_origin(
    root: &std::path::Path,
    store: &Store,
    configured: &[ConfiguredService],
    last: &LoadedReport,
    warnings: &mut Vec<Warning>,
) -> bool {
    let report = &last.report;
    let mut warn = |kind, message| {
        warnings.push(Warning {
            kind,
            service: None,
            message,
        })
    };
    if let Some(dir) = report
        .snapshot_dir
        .as_ref()
        .filter(|dir| *dir != store.snapshot_dir())
    {
        warn(
            WarningKind::OtherConfig,
            format!(
                "the last run ({}) stored snapshots in {}, not in {}: its results belong to another configuration and are not used; run `cargo snapshot compare` with this config",
                last.shown,
                display(dir, root),
                display(store.snapshot_dir(), root)
            ),
        );
        return false;
    }
    let other_crates: Vec<String> = report
        .services
        .iter()
        .filter(|service| {
            configured
                .iter()
                .find(|known| known.name == service.name || known.crate_name == service.name)
                .is_none_or(|known| known.crate_name != service.crate_name)
        })
        .map(|service| format!("{} ({})", service.name, service.crate_name))
        .collect();
    if !other_crates.is_empty() {
        warn(
            WarningKind::OtherConfig,
            format!(
                "the last run ({}) covered services this config does not have: {}; run `cargo snapshot compare` with this config",
                last.shown,
                other_crates.join(", ")
            ),
        );
    }
    if !report.operation_filter.is_empty() {
        warn(
            WarningKind::PartialRun,
            format!(
                "the last run was limited to the operations {}: exclusions and lost members of other operations are unknown; run `cargo snapshot compare` without `--operation`",
                report.operation_filter.join(", ")
            ),
        );
    }
    true
}

/// The warnings about one service: the last run against the model and the files, then
/// missing, stale and pending snapshots.
pub(crate) fn check_service(
    coverage: &ServiceCoverage,
    last: Option<&LoadedReport>,
    report: Option<&ServiceReport>,
    files: &SnapshotFiles,
    warnings: &mut Vec<Warning>,
) {
    let name = coverage.name.as_str();
    let mut warn = |kind: WarningKind, message: String| {
        warnings.push(Warning {
            kind,
            service: Some(name.to_owned()),
            message,
        });
    };
    match (last, report) {
        (Some(last), None) => warn(
            WarningKind::NotInLastRun,
            format!(
                "the last run ({}) did not include {name}: only [[skip]] reasons are known for it; run `cargo snapshot compare --service {name}`",
                last.shown,
            ),
        ),
        (Some(last), Some(report)) => {
            check_against_report(coverage, last, report, files, &mut warn);
        }
        (None, _) => {}
    }
    let missing = coverage.missing();
    if missing > 0 {
        warn(
            WarningKind::Missing,
            format!(
                "{name}: {missing} snapshot(s) neither on disk nor excluded with a reason; run `cargo snapshot write --service {name}` (if they stay missing, the run dropped them without saying why: please report it)",
            ),
        );
    }
    let stale = &coverage.stale_snapshots;
    if !stale.is_empty() {
        warn(
            WarningKind::StaleSnapshots,
            format!(
                "{name}: {} snapshot file(s) name no operation or error shape of the model ({}); `cargo snapshot write --service {name}` deletes them",
                stale.len(),
                sample(&stale.iter().map(String::as_str).collect::<Vec<_>>()),
            ),
        );
    }
    if files.pending > 0 {
        warn(
            WarningKind::Pending,
            format!(
                "{name}: {} pending snapshot(s) (.snap.new) wait for `cargo insta review`",
                files.pending
            ),
        );
    }
}

/// Warns where the last run's report of a service disagrees with the model or the files.
fn check_against_report(
    coverage: &ServiceCoverage,
    last: &LoadedReport,
    report: &ServiceReport,
    files: &SnapshotFiles,
    warn: &mut dyn FnMut(WarningKind, String),
) {
    let name = coverage.name.as_str();
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
    let operations = coverage.operations;
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
        (Kind::Requests, &report.requests),
        (Kind::Responses, &report.responses),
        (Kind::Errors, &report.errors),
        (Kind::OperationErrors, &report.operation_errors),
    ] {
        if let Some(message) = disagreement(coverage, kind, produced, files) {
            warn(WarningKind::ReportDisagrees, message);
        }
    }
}

/// How the snapshots of `kind` a run produced differ from the (not stale) files on disk.
fn disagreement(
    coverage: &ServiceCoverage,
    kind: Kind,
    produced: &[String],
    files: &SnapshotFiles,
) -> Option<String> {
    let dir = kind.dir_name();
    let produced: BTreeSet<&str> = produced.iter().map(String::as_str).collect();
    let on_disk: BTreeSet<&str> = files
        .names(kind)
        .iter()
        .filter(|file| !coverage.stale_snapshots.contains(&format!("{dir}/{file}")))
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
    (!parts.is_empty()).then(|| {
        format!(
            "{name} {dir}: the last run {}; review with `cargo insta review`, or run `cargo snapshot write --service {name}`",
            parts.join(" and "),
            name = coverage.name,
        )
    })
}

/// Up to five names, then how many more.
fn sample(names: &[&str]) -> String {
    let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match names.len() {
        0..=5 => shown,
        more => format!("{shown} and {} more", more - 5),
    }
}
