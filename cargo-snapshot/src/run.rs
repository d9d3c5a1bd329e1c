//! The `write` and `compare` commands: configuration → pipeline → report and exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use snapshot_codegen::{ClientCrate, ClientSource};
use snapshot_runner::report::{InputVariant, ServiceReport};
use snapshot_runner::{
    LiveEndpoint, LockMode, LockOptions, Partition, Progress, RunCoverage, RunMode, RunOptions,
    RunOutcome, ServiceTarget, Skip,
};
use snapshot_store::{ArtifactChange, InstaSearch};

use crate::config::{Config, CrateSource, ServiceConfig};
use crate::errors::{CliError, ExitStatus};
use crate::services::LoadedService;

/// Options of `write` and `compare` beyond the global filters.
#[derive(Debug, Clone)]
pub struct RunArgs {
    /// Record or compare.
    pub mode: RunMode,
    /// Honour, record or refresh the committed lock.
    pub lock: LockMode,
    /// Services to run (names or crates); all when empty.
    pub services: Vec<String>,
    /// Only this partition of those services.
    pub partition: Option<Partition>,
    /// Where to write the JUnit XML report, if anywhere.
    pub junit: Option<PathBuf>,
    /// GitHub Actions annotations and step summary.
    pub github: bool,
    /// Operations to run; all when empty.
    pub operations: Vec<String>,
    /// Per-case time limit in the harness.
    pub case_timeout: Duration,
    /// No progress output.
    pub quiet: bool,
    /// Live run: the endpoint every request goes to.
    pub endpoint: Option<LiveEndpoint>,
}

/// Runs `write` or `compare` for the configured services.
pub fn run(
    config: &Config,
    args: &RunArgs,
    loaded: Vec<LoadedService>,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    if let Some(path) = &args.junit {
        crate::junit::check_writable(path)?;
    }
    let selected = config.select_partition(&args.services, args.partition.as_ref())?;
    if let (Some(partition), false) = (&args.partition, args.quiet) {
        announce_partition(partition, &selected);
    }
    let cargo = CargoWorkspace::locate(&config.root);
    let services = service_targets(config, &selected, &cargo)?;
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let options = RunOptions {
        workspace_root: config.root.clone(),
        snapshot_dir: config.snapshot_dir.clone(),
        work_dir: cargo.target_dir.join("cargo-snapshot"),
        build_target_dir: std::env::var_os("CARGO_SNAPSHOT_TARGET_DIR").map_or_else(
            || cargo.target_dir.join("cargo-snapshot").join("target"),
            PathBuf::from,
        ),
        services,
        operations: args.operations.clone(),
        overrides: config.overrides.clone(),
        mode: args.mode,
        case_timeout: args.case_timeout,
        endpoint: args.endpoint.clone(),
        partition: args.partition,
        lock: lock_options(config, args.lock, &selected, &cargo),
    };
    std::fs::create_dir_all(&options.work_dir).map_err(|error| CliError::WorkDir {
        path: options.work_dir.clone(),
        error,
    })?;
    let _work_dir_lock = lock_work_dir(&options.work_dir, args.quiet)?;
    let progress = Progress::new(args.quiet);
    let models = run_models(&options, loaded)?;
    let outcome =
        snapshot_runner::run_with_models(&options, models, &progress).map_err(CliError::Run)?;
    print_outcome(&outcome, color, stdout).map_err(CliError::Output)?;
    if let Some(path) = &args.junit {
        crate::junit::write(&outcome, path)?;
    }
    if args.github {
        crate::github::annotate(&outcome, stdout).map_err(CliError::Output)?;
        crate::github::append_step_summary(&outcome)?;
    }
    // Pending snapshots are useless if `cargo insta review` will not find them: say so.
    match InstaSearch::load(&config.root) {
        Ok(search) => {
            if let Err(undiscoverable) = search.check(&config.snapshot_dir) {
                eprintln!("warning: {undiscoverable}");
            }
        }
        Err(error) => eprintln!(
            "warning: `cargo insta review` will not find pending snapshots under {}: {error}; \
             it reviews only the packages of a cargo workspace, so put `snapshot.toml` and its \
             snapshot directory inside one (README, \"Quick start\")",
            config.snapshot_dir.display()
        ),
    }
    let failures = outcome.build_failures();
    if let Some((service, details)) = failures.first() {
        return Err(CliError::BuildFailed {
            service: (*service).to_owned(),
            details: (*details).to_owned(),
            others: failures.len() - 1,
            built: outcome.report.services.len() - failures.len(),
        });
    }
    match &outcome.compare {
        Some(report) if !report.is_success() => Ok(ExitStatus::Differences),
        _ => Ok(ExitStatus::Ok),
    }
}

/// Holds the work directory for this run: two runs writing the same harness workspace,
/// `last-run.json` and pending files at once would break each other, so a second run waits
/// (as cargo does for its build directory). The lock is released when the file is dropped,
/// also when the process dies.
fn lock_work_dir(work_dir: &Path, quiet: bool) -> Result<std::fs::File, CliError> {
    let path = work_dir.join(".run.lock");
    let unusable = |error| CliError::WorkDirLock {
        path: path.clone(),
        error,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(unusable)?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(error)) => return Err(unusable(error)),
    }
    if !quiet {
        eprintln!(
            "waiting for another cargo-snapshot run that uses {} (lock {})",
            work_dir.display(),
            path.display()
        );
    }
    file.lock().map_err(unusable)?;
    Ok(file)
}

/// How the run treats the harness's dependency versions: the mode, whether the run covers
/// every configured service, and the `Cargo.lock` of each workspace that a workspace-member or
/// path client crate belongs to (SPEC §8: the user's own lock decides what it locks).
fn lock_options(
    config: &Config,
    mode: LockMode,
    selected: &[&ServiceConfig],
    cargo: &CargoWorkspace,
) -> LockOptions {
    let coverage = match selected.len() == config.services.len() {
        true => RunCoverage::AllServices,
        false => RunCoverage::SomeServices,
    };
    let mut user_locks: Vec<PathBuf> = selected
        .iter()
        .filter_map(|service| match &service.source {
            CrateSource::Registry { .. } => None,
            CrateSource::WorkspaceMember => cargo.root.as_ref().map(|root| root.join("Cargo.lock")),
            CrateSource::Path { path } => cargo
                .lock_of_member(path)
                .or_else(|| CargoWorkspace::lock_of_crate(path)),
        })
        .collect();
    user_locks.sort();
    user_locks.dedup();
    LockOptions {
        mode,
        coverage,
        user_locks,
    }
}

/// Says which services the partition chose (on stderr, like progress).
fn announce_partition(partition: &Partition, selected: &[&ServiceConfig]) {
    let names: Vec<&str> = selected
        .iter()
        .map(|service| service.name.as_str())
        .collect();
    eprintln!(
        "cargo-snapshot: partition {partition}: {} service(s){}",
        selected.len(),
        if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", names.join(", "))
        }
    );
}

/// The run's services: each selected `[[service]]` with its client crate located and its
/// `[[skip]]`s.
fn service_targets(
    config: &Config,
    selected: &[&ServiceConfig],
    cargo: &CargoWorkspace,
) -> Result<Vec<ServiceTarget>, CliError> {
    selected
        .iter()
        .map(|service| {
            let source = match &service.source {
                CrateSource::Registry { version } => ClientSource::Registry {
                    version: version.clone(),
                },
                CrateSource::Path { path } => ClientSource::Path { path: path.clone() },
                CrateSource::WorkspaceMember => ClientSource::Path {
                    path: cargo.member_dir(&service.crate_name).ok_or_else(|| {
                        CliError::MemberNotFound {
                            config: config.path.clone(),
                            crate_name: service.crate_name.clone(),
                            workspace: config.root.clone(),
                        }
                    })?,
                },
            };
            Ok(ServiceTarget {
                name: service.name.clone(),
                model: service.model.clone(),
                service_shape: service.service_shape.as_ref().map(ToString::to_string),
                client: ClientCrate {
                    package: service.crate_name.clone(),
                    source,
                },
                skips: config
                    .skips
                    .iter()
                    .filter(|skip| skip.service == service.name)
                    .map(|skip| Skip {
                        operation: skip.operation.clone(),
                        reason: skip.reason.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The models of the run's services, in their order: the ones loaded to check the arguments
/// are reused, any other is loaded now.
fn run_models(
    options: &RunOptions,
    mut loaded: Vec<LoadedService>,
) -> Result<Vec<snapshot_model::Model>, CliError> {
    options
        .services
        .iter()
        .map(|target| {
            let position = loaded
                .iter()
                .position(|service| service.name == target.name);
            match position {
                Some(position) => Ok(loaded.swap_remove(position).model),
                None => snapshot_model::Model::load(&target.model).map_err(CliError::model),
            }
        })
        .collect()
}

fn print_outcome(outcome: &RunOutcome, color: bool, out: &mut dyn Write) -> std::io::Result<()> {
    match &outcome.live {
        // A live run's services are the table's rows (build failures are still listed here).
        Some(live) => {
            for service in &outcome.report.services {
                if service.build_failure.is_some() {
                    print_service(service, out)?;
                }
            }
            write!(out, "{}", live.render_table())?;
        }
        None => {
            for service in &outcome.report.services {
                print_service(service, out)?;
            }
        }
    }
    if let Some(summary) = &outcome.write {
        writeln!(out, "{summary}")?;
        print_lock(outcome, summary, out)?;
    }
    if let Some(report) = &outcome.compare {
        let rendered = report.render_failures(&snapshot_store::DiffOptions::with_color(color));
        if !rendered.is_empty() {
            writeln!(out, "{}", rendered.trim_end())?;
        }
        writeln!(out, "{}", report.counts())?;
        if report.has_pending() {
            writeln!(out, "to accept the changes, run `cargo insta review` (or `cargo insta accept`) from the workspace root")?;
        }
    }
    Ok(())
}

fn print_service(service: &ServiceReport, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(failure) = &service.build_failure {
        writeln!(
            out,
            "{}: harness build failed: {}",
            service.name,
            failure.lines().next().unwrap_or_default()
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}, {}): {}/{} requests{}, {}/{} responses{}, {} errors of {} shapes, {} error cases{}{}{}{}{}",
        service.name,
        service.crate_name,
        service.protocol,
        service.requests.len(),
        service.operations_in_scope,
        variant_counts(service),
        service.responses.len(),
        service.operations_in_scope,
        response_variant_counts(service),
        service.errors.len(),
        service.error_shapes_total,
        service.error_cases,
        error_form_counts(service),
        if service.exclusions.is_empty() {
            String::new()
        } else {
            format!(", {} excluded", service.exclusions.len())
        },
        if service.lost_members.is_empty() {
            String::new()
        } else {
            format!(", {} LOST MEMBERS", service.lost_members.len())
        },
        if service.changed_members.is_empty() {
            String::new()
        } else {
            format!(", {} CHANGED VALUES", service.changed_members.len())
        },
        request_check_counts(service),
    )?;
    print_findings(service, out)?;
    print_drift(service, out)
}

/// One line per exclusion, lost member, request-check finding, unexpected response variant
/// and changed value of `service`.
fn print_findings(service: &ServiceReport, out: &mut dyn Write) -> std::io::Result<()> {
    for exclusion in &service.exclusions {
        let reason = exclusion.reason.lines().next().unwrap_or_default();
        writeln!(
            out,
            "  excluded {} {} ({}): {reason}",
            exclusion.scope, exclusion.subject, exclusion.stage
        )?;
    }
    for lost in &service.lost_members {
        writeln!(
            out,
            "  lost member {} ({}): {}",
            lost.subject, lost.case, lost.path
        )?;
    }
    for check in &service.request_checks {
        let case = format!("{} ({})", check.operation, check.variant);
        if let Some(failure) = &check.failure {
            let reason = failure.lines().next().unwrap_or_default();
            writeln!(out, "  request check failed {case}: {reason}")?;
        }
        for path in &check.lost {
            writeln!(out, "  lost on the wire {case}: {path}")?;
        }
        for changed in &check.changed {
            writeln!(
                out,
                "  changed on the wire {case}: {}: sent {}, on the wire {}",
                changed.path, changed.sent, changed.on_wire
            )?;
        }
    }
    for result in service
        .error_forms
        .iter()
        .filter(|result| !result.as_expected())
    {
        writeln!(
            out,
            "  unexpected error form {} ({}, through {}): expected {}, the client gave {}",
            result.error,
            result.form.name(),
            result.operation,
            result.expected,
            result.got
        )?;
    }
    for result in service
        .response_variants
        .iter()
        .filter(|result| !result.as_expected())
    {
        writeln!(
            out,
            "  unexpected response variant {} ({}): expected {}, the client gave {}",
            result.operation,
            result.variant.name(),
            result.expected,
            result.got
        )?;
    }
    for result in service
        .rejected_headers
        .iter()
        .filter(|result| !result.as_expected())
    {
        writeln!(
            out,
            "  unexpected rejected header {} ({}, {}): the client did not refuse it ({:?})",
            result.operation, result.member, result.fault, result.verdict
        )?;
    }
    for result in service
        .malformed_headers
        .iter()
        .filter(|result| !result.rejected)
    {
        writeln!(
            out,
            "  unexpected malformed header {} ({}, {}): the client gave an output",
            result.operation, result.member, result.fault
        )?;
    }
    for changed in &service.changed_members {
        writeln!(
            out,
            "  changed value {} ({}): {}: sent {}, received {}",
            changed.subject, changed.case, changed.path, changed.sent, changed.received
        )?;
    }
    Ok(())
}

/// How many of the crate's operations the model lacks the summary names one by one.
const NAMED_UNMODELED_OPERATIONS: usize = 5;

/// Where the model and the crate disagree: every dropped member, and how much of the crate
/// the model does not reach (listed in `last-run.json`).
fn print_drift(service: &ServiceReport, out: &mut dyn Write) -> std::io::Result<()> {
    let drift = &service.drift;
    for dropped in &drift.dropped_members {
        writeln!(
            out,
            "  dropped member {} ({}): {}",
            dropped.path, dropped.case, dropped.reason
        )?;
    }
    let operations = &drift.unmodeled_operations;
    let members = drift.unexercised_members.len();
    if operations.is_empty() && members == 0 {
        return Ok(());
    }
    let mut parts = Vec::new();
    if !operations.is_empty() {
        // A trimmed model leaves most of a crate's operations out: name a few, count the rest
        // (the run report lists them all).
        let named = operations
            .iter()
            .take(NAMED_UNMODELED_OPERATIONS)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let more = match operations.len().saturating_sub(NAMED_UNMODELED_OPERATIONS) {
            0 => String::new(),
            rest => format!(", and {rest} more in last-run.json"),
        };
        parts.push(format!("{} operation(s) ({named}{more})", operations.len()));
    }
    if members > 0 {
        parts.push(format!("{members} member(s)"));
    }
    writeln!(
        out,
        "  never exercised (in the crate, not in the model): {}",
        parts.join(", ")
    )
}

/// What `write` did to the committed lock, when it changed.
fn print_lock(
    outcome: &RunOutcome,
    summary: &snapshot_store::WriteSummary,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let (Some(settled), Some(written)) = (&outcome.lock, summary.artifacts.first()) else {
        return Ok(());
    };
    let locked = settled.record.as_ref().map_or(0, |record| record.len());
    match written.change {
        ArtifactChange::Unchanged => Ok(()),
        ArtifactChange::Created => writeln!(
            out,
            "{} recorded: {locked} packages locked",
            written.file_name
        ),
        ArtifactChange::Updated => writeln!(
            out,
            "{} updated: {locked} packages locked ({} added, {} removed)",
            written.file_name,
            settled.added.len(),
            settled.removed.len()
        ),
    }
}

/// `, request check: N LOST, N CHANGED, N FAILED, N excepted`, the parts that are not zero
/// (nothing when every member of every request reached the wire).
fn request_check_counts(service: &ServiceReport) -> String {
    let checks = &service.request_checks;
    let lost: usize = checks.iter().map(|check| check.lost.len()).sum();
    let changed: usize = checks.iter().map(|check| check.changed.len()).sum();
    let failed = checks
        .iter()
        .filter(|check| check.failure.is_some())
        .count();
    let excepted: usize = checks.iter().map(|check| check.excepted.len()).sum();
    let parts: Vec<String> = [
        (lost, "LOST"),
        (changed, "CHANGED"),
        (failed, "FAILED"),
        (excepted, "excepted"),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, what)| format!("{count} {what}"))
    .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!(", request check: {}", parts.join(", "))
}

/// ` (+N variants[, +M malformed headers][, K UNEXPECTED])`: the response variants and
/// malformed-header cases replayed, and those the client did not handle as expected.
fn response_variant_counts(service: &ServiceReport) -> String {
    let replayed = service.response_variants.len();
    let malformed = service.malformed_headers.len();
    if replayed == 0 && malformed == 0 {
        return String::new();
    }
    let unexpected = service
        .response_variants
        .iter()
        .filter(|result| !result.as_expected())
        .count()
        + service
            .malformed_headers
            .iter()
            .filter(|result| !result.rejected)
            .count();
    let mut parts = vec![format!("+{replayed} variants")];
    if malformed > 0 {
        parts.push(format!("+{malformed} malformed headers"));
    }
    if unexpected > 0 {
        parts.push(format!("{unexpected} UNEXPECTED"));
    }
    format!(" ({})", parts.join(", "))
}

/// ` (+N forms)`: the error forms replayed through the errors' carriers, and how many the
/// client did not handle as expected.
fn error_form_counts(service: &ServiceReport) -> String {
    let replayed = service.error_forms.len();
    if replayed == 0 {
        return String::new();
    }
    let unexpected = service
        .error_forms
        .iter()
        .filter(|result| !result.as_expected())
        .count();
    match unexpected {
        0 => format!(" (+{replayed} forms)"),
        _ => format!(" (+{replayed} forms, {unexpected} UNEXPECTED)"),
    }
}

/// ` (+N min, +N edge, +N rejected headers[, K UNEXPECTED])`: the request sections of input
/// variants other than max, and the rejected-header cases with those the client sent anyway.
fn variant_counts(service: &ServiceReport) -> String {
    let mut counts: Vec<String> = [InputVariant::Min, InputVariant::Edge]
        .into_iter()
        .filter_map(|variant| {
            let count = service
                .request_variants
                .iter()
                .filter(|row| row.variant == variant)
                .count();
            (count > 0).then(|| format!("+{count} {variant}"))
        })
        .collect();
    let rejected = &service.rejected_headers;
    if !rejected.is_empty() {
        counts.push(format!("+{} rejected headers", rejected.len()));
        let unexpected = rejected.iter().filter(|row| !row.as_expected()).count();
        if unexpected > 0 {
            counts.push(format!("{unexpected} UNEXPECTED"));
        }
    }
    if counts.is_empty() {
        String::new()
    } else {
        format!(" ({})", counts.join(", "))
    }
}

/// The cargo target directory of the workspace at `root`, which holds the work directory
/// (`<target>/cargo-snapshot`) and the last run's report.
pub fn cargo_target_dir(root: &Path) -> PathBuf {
    CargoWorkspace::locate(root).target_dir
}

/// The cargo workspace the config lives in: its root, target directory and members.
struct CargoWorkspace {
    root: Option<PathBuf>,
    target_dir: PathBuf,
    members: Vec<(String, PathBuf)>,
}

impl CargoWorkspace {
    fn locate(root: &Path) -> CargoWorkspace {
        let metadata = cargo_metadata::MetadataCommand::new()
            .current_dir(root)
            .no_deps()
            .exec();
        match metadata {
            Ok(metadata) => CargoWorkspace {
                root: Some(metadata.workspace_root.clone().into_std_path_buf()),
                target_dir: metadata.target_directory.into_std_path_buf(),
                members: metadata
                    .packages
                    .iter()
                    .filter_map(|package| {
                        package.manifest_path.parent().map(|dir| {
                            (
                                package.name.to_string(),
                                dir.to_path_buf().into_std_path_buf(),
                            )
                        })
                    })
                    .collect(),
            },
            // Not a cargo workspace: keep the build next to the config.
            Err(_) => CargoWorkspace {
                root: None,
                target_dir: std::env::var_os("CARGO_TARGET_DIR")
                    .map_or_else(|| root.join("target"), PathBuf::from),
                members: Vec::new(),
            },
        }
    }

    /// This workspace's `Cargo.lock`, when the crate at `dir` is one of its members.
    fn lock_of_member(&self, dir: &Path) -> Option<PathBuf> {
        let dir = dir.canonicalize().ok()?;
        let member = self
            .members
            .iter()
            .any(|(_, member)| member.canonicalize().is_ok_and(|member| member == dir));
        member
            .then(|| self.root.as_ref().map(|root| root.join("Cargo.lock")))
            .flatten()
    }

    /// The `Cargo.lock` of the workspace the crate at `dir` belongs to, when cargo can tell.
    fn lock_of_crate(dir: &Path) -> Option<PathBuf> {
        let metadata = cargo_metadata::MetadataCommand::new()
            .manifest_path(dir.join("Cargo.toml"))
            .no_deps()
            .exec()
            .map_err(|error| tracing::debug!("no workspace lock for {}: {error}", dir.display()))
            .ok()?;
        Some(
            metadata
                .workspace_root
                .into_std_path_buf()
                .join("Cargo.lock"),
        )
    }

    fn member_dir(&self, crate_name: &str) -> Option<PathBuf> {
        self.members
            .iter()
            .find(|(name, _)| name == crate_name)
            .map(|(_, dir)| dir.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::lock_work_dir;

    #[test]
    fn a_second_run_waits_for_the_first_to_release_the_work_dir() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_work_dir(dir.path(), true).unwrap();
        let (sender, receiver) = mpsc::channel();
        let path = dir.path().to_owned();
        let second = std::thread::spawn(move || {
            let lock = lock_work_dir(&path, true);
            sender.send(()).unwrap();
            lock.map(drop)
        });
        assert!(
            receiver.recv_timeout(Duration::from_millis(300)).is_err(),
            "the second run took the lock while the first held it"
        );
        drop(first);
        receiver
            .recv_timeout(Duration::from_secs(10))
            .expect("the second run never got the lock after the first released it");
        second.join().unwrap().unwrap();
    }
}
