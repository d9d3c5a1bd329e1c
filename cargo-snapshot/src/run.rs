//! The `write` and `compare` commands: configuration → pipeline → report and exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use snapshot_codegen::{ClientCrate, ClientSource};
use snapshot_runner::report::{InputVariant, ServiceReport};
use snapshot_runner::{
    LiveEndpoint, Partition, Progress, RunMode, RunOptions, RunOutcome, ServiceTarget, Skip,
};
use snapshot_store::InstaSearch;

use crate::config::{Config, CrateSource, ServiceConfig};
use crate::errors::{CliError, ExitStatus};
use crate::services::LoadedService;

/// Options of `write` and `compare` beyond the global filters.
#[derive(Debug, Clone)]
pub struct RunArgs {
    /// Record or compare.
    pub mode: RunMode,
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
    };
    std::fs::create_dir_all(&options.work_dir).map_err(|error| CliError::WorkDir {
        path: options.work_dir.clone(),
        error,
    })?;
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
        Err(error) => tracing::debug!("cannot check where cargo-insta looks: {error}"),
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
        "{} ({}, {}): {}/{} requests{}, {}/{} responses, {} errors of {} shapes, {} error cases{}{}{}",
        service.name,
        service.crate_name,
        service.protocol,
        service.requests.len(),
        service.operations_in_scope,
        variant_counts(service),
        service.responses.len(),
        service.operations_in_scope,
        service.errors.len(),
        service.error_shapes_total,
        service.error_cases,
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
    )?;
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
    for changed in &service.changed_members {
        writeln!(
            out,
            "  changed value {} ({}): {}: sent {}, received {}",
            changed.subject, changed.case, changed.path, changed.sent, changed.received
        )?;
    }
    Ok(())
}

/// ` (+N min, +N edge)`: the request sections of input variants other than max.
fn variant_counts(service: &ServiceReport) -> String {
    let counts: Vec<String> = [InputVariant::Min, InputVariant::Edge]
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

/// The cargo workspace the config lives in: its target directory and members.
struct CargoWorkspace {
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
                target_dir: std::env::var_os("CARGO_TARGET_DIR")
                    .map_or_else(|| root.join("target"), PathBuf::from),
                members: Vec::new(),
            },
        }
    }

    fn member_dir(&self, crate_name: &str) -> Option<PathBuf> {
        self.members
            .iter()
            .find(|(name, _)| name == crate_name)
            .map(|(_, dir)| dir.clone())
    }
}
