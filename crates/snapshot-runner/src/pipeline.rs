//! The run, stage by stage: prepare → plan → generate → build → execute → compose (with
//! verify) → store.
//!
//! Each stage is a module of its own; this file only passes their results along, times them
//! for the report and saves the report.

use std::time::{Duration, Instant};

use snapshot_codegen::ClientFacts;
use snapshot_lock::{RunCoverage, Settled};
use snapshot_model::Model;
use snapshot_store::{CompareReport, Scope, Snapshot, Store, WriteSummary};

use crate::execute::{run_harnesses, run_pool, Executed};
use crate::generate::{generate, harness_root, GeneratedService};
use crate::live::{self, LiveRun, LIVE_REPORT_FILE};
use crate::lock::HarnessLock;
use crate::plan::plan_service;
use crate::prepare::{prepare, Prepared};
use crate::report::{RunReport, Timings, REPORT_FILE};
use crate::{build, compose, Progress, RunError, RunMode, RunOptions};

/// What a run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// Per-service results (also saved for `coverage`).
    pub report: RunReport,
    /// `compare` results.
    pub compare: Option<CompareReport>,
    /// `write` results.
    pub write: Option<WriteSummary>,
    /// Live runs (`--endpoint`): what the endpoint answered per operation, and how it compares.
    pub live: Option<LiveRun>,
    /// What became of the committed lock (`write`: what it records; `compare`: nothing).
    pub lock: Option<Settled>,
}

impl RunOutcome {
    /// Services whose harness could not be built, with cargo's explanation.
    pub fn build_failures(&self) -> Vec<(&str, &str)> {
        self.report
            .services
            .iter()
            .filter_map(|service| {
                service
                    .build_failure
                    .as_deref()
                    .map(|failure| (service.name.as_str(), failure))
            })
            .collect()
    }
}

/// Runs `write` or `compare` over the configured services.
pub fn run(options: &RunOptions, progress: &Progress) -> Result<RunOutcome, RunError> {
    progress.stage(format!("loading {} model(s)", options.services.len()));
    let models = options
        .services
        .iter()
        .map(|target| Model::load(&target.model))
        .collect::<Result<Vec<_>, _>>()?;
    run_with_models(options, models, progress)
}

/// [`run`] with the models of `options.services` already loaded (same order), as the CLI
/// has them after validating its arguments; smithy-rs's customizations are applied here.
pub fn run_with_models(
    options: &RunOptions,
    mut models: Vec<Model>,
    progress: &Progress,
) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    if let Some(endpoint) = &options.endpoint {
        endpoint
            .check_reachable(Duration::from_secs(5))
            .map_err(|reason| RunError::EndpointUnreachable {
                url: endpoint.url().to_owned(),
                reason,
            })?;
    }
    for model in &mut models {
        model.apply_client_customizations();
    }
    let Prepared {
        facts,
        mut lock,
        changed,
    } = prepare(options, &models, progress)?;
    let prepare_millis = millis(started);
    let plan_started = Instant::now();
    // Services are planned independently (value generation and wire serialization of every
    // case): one per CPU, in the services' order.
    let jobs = options.services.iter().zip(&models).map(Some).collect();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let planned = run_pool(jobs, workers, |(target, model)| {
        progress.tick(format!("planning {}", target.name));
        let api = facts.get(&target.client.package).and_then(ClientFacts::api);
        plan_service(options, target, model, api)
    });
    let mut plans = Vec::with_capacity(planned.len());
    for plan in planned.into_iter().flatten() {
        plans.push(plan?);
    }
    let mut report = RunReport {
        mode: options.mode,
        operation_filter: options.operations.clone(),
        snapshot_dir: Some(options.snapshot_dir.clone()),
        partition: options.partition,
        services: Vec::new(),
        timings: Timings::default(),
    };
    report.timings.plan_millis = millis(plan_started);

    let build_started = Instant::now();
    let (mut services, changed) = generate(options, plans, &facts, changed)?;
    build::build_harnesses(options, &mut services, changed, progress)?;
    settle_after_build(options, &services, &mut lock)?;
    report.timings.build_millis = prepare_millis + millis(build_started);

    let run_started = Instant::now();
    let executed = run_harnesses(options, &services, progress)?;
    report.timings.run_millis = millis(run_started);
    report.timings.harness_peak_kib = executed.peak_kib;

    let store_started = Instant::now();
    progress.stage("rendering snapshots");
    let composed = compose_all(options, &mut services, executed);
    let stored = store(options, composed, &lock, progress)?;
    report.timings.store_millis = millis(store_started);
    report.services = services
        .into_iter()
        .map(|service| service.plan.report)
        .collect();
    report.timings.tool_peak_kib = crate::rusage::self_peak_kib();
    save_report(options, &report)?;
    progress.finish();
    Ok(RunOutcome {
        report,
        compare: stored.compare,
        write: stored.write,
        live: stored.live,
        lock: lock.settled().cloned(),
    })
}

/// Settles the lock after the build when cargo could not resolve before it: the build resolved
/// what it could, without the services whose harness failed to build.
fn settle_after_build(
    options: &RunOptions,
    services: &[GeneratedService<'_>],
    lock: &mut HarnessLock,
) -> Result<(), RunError> {
    if lock.is_settled() {
        return Ok(());
    }
    let coverage = match services
        .iter()
        .any(|s| s.plan.report.build_failure.is_some())
    {
        true => RunCoverage::SomeServices,
        false => options.lock.coverage,
    };
    lock.settle(&harness_root(options), coverage)?;
    Ok(())
}

/// Writes the run report (`last-run.json`, or the live run's) into the work directory.
fn save_report(options: &RunOptions, report: &RunReport) -> Result<(), RunError> {
    let report_path = options.work_dir.join(match options.endpoint {
        Some(_) => LIVE_REPORT_FILE,
        None => REPORT_FILE,
    });
    report
        .save(&report_path)
        .map_err(|source| RunError::HarnessIo {
            path: report_path,
            source,
        })
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The snapshots of every built service, the part of the store they cover, and in a live run
/// the rows of its table.
struct Composed {
    snapshots: Vec<Snapshot>,
    scope: Scope,
    live_services: Vec<live::LiveService>,
}

fn compose_all(
    options: &RunOptions,
    services: &mut [GeneratedService<'_>],
    executed: Executed,
) -> Composed {
    let filtered = !options.operations.is_empty();
    let mut composed = Composed {
        snapshots: Vec::new(),
        scope: Scope::new(),
        live_services: Vec::new(),
    };
    for (service, records) in services.iter_mut().zip(executed.records) {
        let plan = &mut service.plan;
        if plan.report.build_failure.is_some() {
            continue;
        }
        if let Some(endpoint) = &options.endpoint {
            let names = plan.operation_names();
            let (produced, rows) =
                live::compose_service(endpoint, plan.target, &names, &records, &plan.report);
            composed.snapshots.extend(produced);
            composed.live_services.push(rows);
            let crate_name = &plan.target.client.package;
            composed.scope = live::extend_scope(composed.scope, crate_name, &names, filtered);
            continue;
        }
        composed
            .snapshots
            .extend(compose::compose_service(plan, &records));
        composed.scope = compose::extend_scope(composed.scope, plan, filtered);
    }
    composed
}

/// What the store did with the run's snapshots.
struct Stored {
    compare: Option<CompareReport>,
    write: Option<WriteSummary>,
    live: Option<LiveRun>,
}

fn store(
    options: &RunOptions,
    composed: Composed,
    lock: &HarnessLock,
    progress: &Progress,
) -> Result<Stored, RunError> {
    let Composed {
        snapshots,
        scope,
        live_services,
    } = composed;
    let live_produced = match options.endpoint {
        Some(_) => snapshots.clone(),
        None => Vec::new(),
    };
    let store = Store::new(&options.snapshot_dir, &options.workspace_root);
    let (compare, write) = match options.mode {
        RunMode::Write => {
            progress.stage(format!("writing {} snapshots", snapshots.len()));
            let artifacts = lock.artifact()?.into_iter().collect();
            (
                None,
                Some(store.write_with_artifacts(&scope, snapshots, artifacts)?),
            )
        }
        RunMode::Compare => {
            progress.stage(format!("comparing {} snapshots", snapshots.len()));
            (Some(store.compare(&scope, snapshots)?), None)
        }
    };
    let live = options
        .endpoint
        .as_ref()
        .map(|endpoint| live::finish(endpoint, live_services, compare.as_ref(), &live_produced));
    Ok(Stored {
        compare,
        write,
        live,
    })
}
