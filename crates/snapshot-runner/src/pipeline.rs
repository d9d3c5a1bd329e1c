//! The run: model → values → responses → harness code → build → run → render → store.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use snapshot_codegen::{
    generate_harness, workspace_files, ClientFacts, GeneratedHarness, HarnessOperation,
};
use snapshot_model::{Model, OperationRef, ServiceIndex, ShapeId};
use snapshot_records::{Case, CaseRecord, HttpResponse, Outcome, PlannedCase};
use snapshot_store::{CompareReport, Kind, Scope, Snapshot, SnapshotKey, Store, WriteSummary};
use snapshot_values::{Generator, Mode, Value};

use crate::build::{build, BuildUnit};
use crate::compose::{replay_file, request_file, ReplayedCase};
use crate::execute::{run_plan, PlanRun};
use crate::harness_dir::sync;
use crate::live::{self, LiveRun, LIVE_REPORT_FILE};
use crate::report::{Exclusion, LostMember, RunReport, ServiceReport, REPORT_FILE};
use crate::{Progress, RunError, RunMode, RunOptions, ServiceTarget};

/// Name of the error snapshot for an error code the model does not declare.
pub const UNMODELED_ERROR_SNAPSHOT: &str = "_unmodeled";
/// Name of the error snapshot for a non-protocol front-end failure.
pub const FRONT_END_ERROR_SNAPSHOT: &str = "_front_end";
/// Attempts at building after excluding operations that did not compile.
const BUILD_ATTEMPTS: usize = 4;

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

/// A generated output or error and the response that carries it.
struct Replay {
    case: Case,
    title: String,
    value: Option<Value>,
    root: String,
    response: HttpResponse,
    /// The exception event that ends the replayed event stream, if the case adds one.
    exception: Option<String>,
}

struct PlannedOperation<'m> {
    operation: OperationRef<'m>,
    input: Value,
    responses: Vec<Replay>,
    errors: Vec<(String, Replay)>,
}

struct ServicePlan<'m> {
    target: &'m ServiceTarget,
    index: ServiceIndex<'m>,
    operations: Vec<PlannedOperation<'m>>,
    report: ServiceReport,
    harness: Option<GeneratedHarness>,
    /// What the client crate's source says (learnt before the first build).
    facts: ClientFacts,
    /// Error snapshot names covered, for the store scope.
    error_names: BTreeSet<String>,
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
    for model in &mut models {
        model.apply_client_customizations();
    }
    let mut plans = Vec::new();
    for (target, model) in options.services.iter().zip(&models) {
        progress.tick(format!("planning {}", target.name));
        plans.push(plan_service(options, target, model)?);
    }
    let mut report = RunReport {
        mode: match options.mode {
            RunMode::Write => "write".to_owned(),
            RunMode::Compare => "compare".to_owned(),
        },
        operation_filter: options.operations.clone(),
        snapshot_dir: Some(options.snapshot_dir.clone()),
        partition: options.partition,
        ..RunReport::default()
    };
    report.timings.plan_millis = millis(started);

    let build_started = Instant::now();
    build_harnesses(options, &mut plans, progress)?;
    report.timings.build_millis = millis(build_started);

    let run_started = Instant::now();
    let (records, harness_peak_kib) = run_harnesses(options, &plans, progress)?;
    report.timings.run_millis = millis(run_started);
    report.timings.harness_peak_kib = harness_peak_kib;

    let store_started = Instant::now();
    progress.stage("rendering snapshots");
    let mut snapshots = Vec::new();
    let mut scope = Scope::new();
    let mut live_services = Vec::new();
    for (plan, records) in plans.iter_mut().zip(records) {
        if plan.report.build_failure.is_some() {
            continue;
        }
        if let Some(endpoint) = &options.endpoint {
            let names: Vec<String> = plan
                .operations
                .iter()
                .map(|planned| planned.operation.name().to_owned())
                .collect();
            let (produced, service) =
                live::compose_service(endpoint, plan.target, &names, &records, &plan.report);
            snapshots.extend(produced);
            live_services.push(service);
            let filtered = !options.operations.is_empty();
            scope = live::extend_scope(scope, &plan.target.client.package, &names, filtered);
            continue;
        }
        snapshots.extend(compose_service(plan, &records));
        scope = extend_scope(scope, plan, !options.operations.is_empty());
    }
    let live_produced = match options.endpoint {
        Some(_) => snapshots.clone(),
        None => Vec::new(),
    };
    let store = Store::new(&options.snapshot_dir, &options.workspace_root);
    let (compare, write) = match options.mode {
        RunMode::Write => {
            progress.stage(format!("writing {} snapshots", snapshots.len()));
            (None, Some(store.write(&scope, snapshots)?))
        }
        RunMode::Compare => {
            progress.stage(format!("comparing {} snapshots", snapshots.len()));
            (Some(store.compare(&scope, snapshots)?), None)
        }
    };
    report.timings.store_millis = millis(store_started);
    let live = options
        .endpoint
        .as_ref()
        .map(|endpoint| live::finish(endpoint, live_services, compare.as_ref(), &live_produced));
    report.services = plans.into_iter().map(|plan| plan.report).collect();
    report.timings.tool_peak_kib = crate::rusage::self_peak_kib();
    let report_path = options.work_dir.join(match options.endpoint {
        Some(_) => LIVE_REPORT_FILE,
        None => REPORT_FILE,
    });
    report
        .save(&report_path)
        .map_err(|source| RunError::HarnessIo {
            path: report_path,
            source,
        })?;
    progress.finish();
    Ok(RunOutcome {
        report,
        compare,
        write,
        live,
    })
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn plan_service<'m>(
    options: &RunOptions,
    target: &'m ServiceTarget,
    model: &'m Model,
) -> Result<ServicePlan<'m>, RunError> {
    let index = model.service_index(target.service_shape.as_deref())?;
    let generator = Generator::new(model, &options.overrides).with_endpoint_rules(index.shape());
    let values_error = |source| RunError::Values {
        service: target.name.clone(),
        source,
    };
    let mut report = ServiceReport {
        name: target.name.clone(),
        crate_name: target.client.package.clone(),
        protocol: index.protocol().name().to_owned(),
        operations_total: index.operations().len(),
        error_shapes_total: index.error_shapes().len(),
        ..ServiceReport::default()
    };
    let in_filter = |name: &str| {
        options.operations.is_empty() || options.operations.iter().any(|wanted| wanted == name)
    };
    let mut operations = Vec::new();
    for operation in index
        .operations()
        .iter()
        .copied()
        .filter(|op| in_filter(op.name()))
    {
        report.operations_in_scope += 1;
        if let Some(skip) = target
            .skips
            .iter()
            .find(|skip| skip.operation == operation.name())
        {
            report.exclusions.push(exclusion(
                operation.name(),
                "operation",
                "config",
                &format!("skipped in snapshot.toml: {}", skip.reason),
            ));
            continue;
        }
        let input = match generator.generate_input(operation.shape, Mode::Max) {
            Ok(input) => input,
            Err(
                error @ (snapshot_values::ValueError::OverrideMismatch { .. }
                | snapshot_values::ValueError::OverrideOnAggregate { .. }),
            ) => return Err(values_error(error)),
            Err(error) => {
                report.exclusions.push(exclusion(
                    operation.name(),
                    "operation",
                    "values",
                    &error.to_string(),
                ));
                continue;
            }
        };
        let mut responses = Vec::new();
        for mode in [Mode::Min, Mode::Max] {
            let output = generator
                .generate(&operation.operation.output, mode)
                .map_err(values_error)?;
            match snapshot_wire::output_response(&index, operation, &output) {
                Ok(response) => responses.push(Replay {
                    case: Case::Response {
                        mode: mode.name().to_owned(),
                    },
                    title: mode.name().to_owned(),
                    root: operation.operation.output.name().to_owned(),
                    value: Some(output),
                    response,
                    exception: None,
                }),
                Err(error) => {
                    report.exclusions.push(exclusion(
                        operation.name(),
                        "response",
                        "wire",
                        &error.to_string(),
                    ));
                    responses.clear();
                    break;
                }
            }
        }
        if responses.len() == 2 {
            match exception_replays(&index, &generator, operation, &responses[1]) {
                Ok(replays) => responses.extend(replays),
                Err(reason) => {
                    report
                        .exclusions
                        .push(exclusion(operation.name(), "response", "wire", &reason))
                }
            }
        }
        operations.push(PlannedOperation {
            operation,
            input,
            responses,
            errors: Vec::new(),
        });
    }
    let mut error_names = BTreeSet::new();
    // Each error shape is replayed once, through the first operation (by name) declaring it.
    let mut assigned: BTreeSet<ShapeId> = BTreeSet::new();
    for planned in &mut operations {
        for error_shape in index.operation_errors(&planned.operation) {
            if !assigned.insert(error_shape.clone()) {
                continue;
            }
            let name = index.name(&error_shape).to_owned();
            error_names.insert(name.clone());
            let value = generator
                .generate(&error_shape, Mode::Max)
                .map_err(values_error)?;
            match snapshot_wire::error_response(&index, planned.operation, &error_shape, &value) {
                Ok(response) => planned.errors.push((
                    name.clone(),
                    Replay {
                        case: Case::Error {
                            shape: name.clone(),
                        },
                        title: name.clone(),
                        root: error_shape.name().to_owned(),
                        value: Some(value),
                        response,
                        exception: None,
                    },
                )),
                Err(error) => {
                    report
                        .exclusions
                        .push(exclusion(&name, "error", "wire", &error.to_string()))
                }
            }
        }
    }
    if let Some(first) = operations.first_mut() {
        let via = first.operation;
        for (name, case, response) in [
            (
                UNMODELED_ERROR_SNAPSHOT,
                Case::UnmodeledError,
                snapshot_wire::unmodeled_error_response(&index, via),
            ),
            (
                FRONT_END_ERROR_SNAPSHOT,
                Case::FrontEndError,
                snapshot_wire::front_end_error_response(),
            ),
        ] {
            error_names.insert(name.to_owned());
            first.errors.push((
                name.to_owned(),
                Replay {
                    case,
                    title: name.trim_start_matches('_').replace('_', " "),
                    root: String::new(),
                    value: None,
                    response,
                    exception: None,
                },
            ));
        }
    }
    let mut plan = ServicePlan {
        target,
        index,
        operations,
        report,
        harness: None,
        facts: ClientFacts::unknown(),
        error_names,
    };
    regenerate(&mut plan)?;
    Ok(plan)
}

/// For an output with an event stream: the max response again, once per modeled exception
/// event, with the stream ending in that exception (SPEC §7: modeled exception events).
fn exception_replays(
    index: &ServiceIndex<'_>,
    generator: &Generator<'_>,
    operation: OperationRef<'_>,
    max: &Replay,
) -> Result<Vec<Replay>, String> {
    let Some(Value::Structure { shape, members }) = &max.value else {
        return Ok(Vec::new());
    };
    let mut replays = Vec::new();
    for (position, (_, member_value)) in members.iter().enumerate() {
        let Value::EventStream { shape: stream, .. } = member_value else {
            continue;
        };
        let exceptions = generator
            .exception_events(stream, Mode::Max)
            .map_err(|error| error.to_string())?;
        for (exception, exception_value) in exceptions {
            let mut value_members = members.clone();
            if let Value::EventStream { events, .. } = &mut value_members[position].1 {
                events.push((exception.clone(), exception_value));
            }
            let value = Value::Structure {
                shape: shape.clone(),
                members: value_members,
            };
            let response = snapshot_wire::output_response(index, operation, &value)
                .map_err(|error| error.to_string())?;
            replays.push(Replay {
                case: Case::Response {
                    mode: format!("max+{exception}"),
                },
                title: format!("max, the stream ending with the exception {exception}"),
                root: max.root.clone(),
                value: Some(value),
                response,
                exception: Some(exception),
            });
        }
    }
    Ok(replays)
}

fn exclusion(subject: &str, scope: &str, stage: &str, reason: &str) -> Exclusion {
    Exclusion {
        subject: subject.to_owned(),
        scope: scope.to_owned(),
        stage: stage.to_owned(),
        reason: reason.trim().to_owned(),
    }
}

/// (Re)generates the harness code for the operations still planned, dropping those whose code
/// cannot be generated.
fn regenerate(plan: &mut ServicePlan<'_>) -> Result<(), RunError> {
    let harness_operations: Vec<HarnessOperation<'_>> = plan
        .operations
        .iter()
        .map(|planned| HarnessOperation {
            operation: planned.operation,
            input: planned.input.clone(),
        })
        .collect();
    let harness = generate_harness(
        &plan.index,
        &plan.target.client,
        &plan.facts,
        &harness_operations,
    )?;
    for (operation, error) in &harness.failed {
        plan.report.exclusions.push(exclusion(
            operation,
            "operation",
            "codegen",
            &error.to_string(),
        ));
    }
    let failed: BTreeSet<&String> = harness
        .failed
        .iter()
        .map(|(operation, _)| operation)
        .collect();
    drop_operations(plan, |name| failed.contains(&name.to_owned()));
    plan.harness = Some(harness);
    Ok(())
}

/// Removes the planned operations `excluded` names. The error cases they carried move to the
/// first remaining operation that declares the same error (with the response serialized again
/// for that operation), so excluding one operation does not cost the service its error
/// snapshots.
fn drop_operations(plan: &mut ServicePlan<'_>, excluded: impl Fn(&str) -> bool) {
    let (dropped, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut plan.operations)
        .into_iter()
        .partition(|planned| excluded(planned.operation.name()));
    plan.operations = kept;
    for (name, replay) in dropped.into_iter().flat_map(|planned| planned.errors) {
        rehome_error(plan, name, replay);
    }
}

fn rehome_error(plan: &mut ServicePlan<'_>, name: String, mut replay: Replay) {
    let index = &plan.index;
    let carrier = match replay.case {
        Case::Error { .. } => plan.operations.iter().position(|planned| {
            index
                .operation_errors(&planned.operation)
                .iter()
                .any(|shape| index.name(shape) == name)
        }),
        _ => (!plan.operations.is_empty()).then_some(0),
    };
    let Some(carrier) = carrier else {
        plan.report.exclusions.push(exclusion(
            &name,
            "error",
            "compile",
            "every operation that declares it was excluded",
        ));
        return;
    };
    let via = plan.operations[carrier].operation;
    match &replay.case {
        Case::Error { .. } => {
            let shape = index
                .operation_errors(&via)
                .into_iter()
                .find(|shape| index.name(shape) == name);
            let response = match (shape, &replay.value) {
                (Some(shape), Some(value)) => {
                    snapshot_wire::error_response(index, via, &shape, value)
                        .map_err(|error| error.to_string())
                }
                _ => Err("the error shape has no generated value".to_owned()),
            };
            match response {
                Ok(response) => replay.response = response,
                Err(reason) => {
                    plan.report
                        .exclusions
                        .push(exclusion(&name, "error", "wire", &reason));
                    return;
                }
            }
        }
        Case::UnmodeledError => {
            replay.response = snapshot_wire::unmodeled_error_response(index, via);
        }
        _ => {}
    }
    plan.operations[carrier].errors.push((name, replay));
}

fn harness_root(options: &RunOptions) -> PathBuf {
    options.work_dir.join("harness")
}

fn target_dir(options: &RunOptions) -> PathBuf {
    options.build_target_dir.clone()
}

/// Writes the harness workspace for the services in `live`; returns how many files changed.
fn sync_live(root: &Path, plans: &[ServicePlan<'_>], live: &[usize]) -> Result<usize, RunError> {
    let harnesses: Vec<&GeneratedHarness> = live
        .iter()
        .filter_map(|&index| plans[index].harness.as_ref())
        .collect();
    let mut files = workspace_files(&harnesses)?;
    for harness in &harnesses {
        files.extend(harness.files.iter().cloned());
    }
    let managed: Vec<PathBuf> = harnesses
        .iter()
        .map(|harness| harness.dir.clone())
        .collect();
    sync(root, &files, &managed)
}

/// Writes only what `cargo metadata` needs (the manifests and the runtime crates), leaving
/// the generated harness code as it is.
fn sync_manifests(
    root: &Path,
    plans: &[ServicePlan<'_>],
    live: &[usize],
) -> Result<usize, RunError> {
    let harnesses: Vec<&GeneratedHarness> = live
        .iter()
        .filter_map(|&index| plans[index].harness.as_ref())
        .collect();
    let mut files = workspace_files(&harnesses)?;
    for harness in &harnesses {
        files.extend(
            harness
                .files
                .iter()
                .filter(|file| {
                    file.path
                        .file_name()
                        .is_some_and(|name| name == "Cargo.toml")
                })
                .cloned(),
        );
    }
    sync(root, &files, &[])
}

/// Reads what each client crate's source says about its config (cargo resolves, and if
/// needed downloads, the crates) and regenerates harnesses whose code depends on it.
/// Returns whether any harness changed, or `None` when cargo could not tell (the build then
/// reports why).
fn learn_client_facts(
    root: &Path,
    plans: &mut [ServicePlan<'_>],
    live: &[usize],
) -> Result<Option<bool>, RunError> {
    let metadata = match cargo_metadata::MetadataCommand::new()
        .current_dir(root)
        .exec()
    {
        Ok(metadata) => metadata,
        Err(error) => {
            tracing::debug!("cannot read the client crates' sources: {error}");
            return Ok(None);
        }
    };
    let mut changed = false;
    for &index in live {
        let plan = &mut plans[index];
        let Some(dir) = metadata
            .packages
            .iter()
            .find(|package| package.name.as_str() == plan.target.client.package)
            .and_then(|package| package.manifest_path.parent())
        else {
            continue;
        };
        let facts = ClientFacts::read(dir.as_std_path());
        if facts != plan.facts {
            plan.facts = facts;
            regenerate(plan)?;
            changed = true;
        }
    }
    Ok(Some(changed))
}

fn build_harnesses(
    options: &RunOptions,
    plans: &mut [ServicePlan<'_>],
    progress: &Progress,
) -> Result<(), RunError> {
    let root = harness_root(options);
    for attempt in 1..=BUILD_ATTEMPTS {
        let live: Vec<usize> = (0..plans.len())
            .filter(|&index| {
                plans[index].report.build_failure.is_none() && !plans[index].operations.is_empty()
            })
            .collect();
        if live.is_empty() {
            return Ok(());
        }
        let mut changed = 0;
        let mut facts_known = false;
        if attempt == 1 {
            // Learn the clients' facts before writing harness code: code written without them
            // and then rewritten would get new modification times, and cargo would rebuild
            // every harness on every run. `cargo metadata` needs the manifests only.
            changed += sync_manifests(&root, plans, &live)?;
            facts_known = learn_client_facts(&root, plans, &live)?.is_some();
        }
        changed += sync_live(&root, plans, &live)?;
        if attempt == 1 && !facts_known && learn_client_facts(&root, plans, &live)? == Some(true) {
            changed += sync_live(&root, plans, &live)?;
        }
        progress.stage(format!(
            "building harnesses for {} crate(s){}",
            live.len(),
            if attempt > 1 {
                format!(" (attempt {attempt}, after excluding operations that did not compile)")
            } else if changed == 0 {
                " (unchanged)".to_owned()
            } else {
                String::new()
            }
        ));
        let units: Vec<BuildUnit> = live
            .iter()
            .filter_map(|&index| {
                let plan = &plans[index];
                plan.harness.as_ref().map(|harness| BuildUnit {
                    package: harness.package.clone(),
                    client_package: plan.target.client.package.clone(),
                    operation_files: harness.operation_files.clone(),
                })
            })
            .collect();
        let result = build(&root, &target_dir(options), &units, progress)?;
        if result.success {
            return Ok(());
        }
        let mut progress_made = false;
        for &index in &live {
            let plan = &mut plans[index];
            let Some(package) = plan.harness.as_ref().map(|harness| harness.package.clone()) else {
                continue;
            };
            if let Some(errors) = result.operation_errors.get(&package) {
                for (operation, error) in errors {
                    plan.report.exclusions.push(exclusion(
                        operation,
                        "operation",
                        "compile",
                        &first_lines(error, 6),
                    ));
                }
                drop_operations(plan, |name| errors.contains_key(name));
                regenerate(plan)?;
                progress_made = true;
            } else if let Some(error) = result.package_errors.get(&package) {
                plan.report.build_failure = Some(error.clone());
                progress_made = true;
            }
        }
        if !progress_made {
            return Err(RunError::Build {
                packages: units
                    .iter()
                    .map(|unit| unit.client_package.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                details: result
                    .package_errors
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n"),
            });
        }
    }
    // Still failing after the last attempt: whatever remains is a build failure of its crate.
    for plan in plans.iter_mut() {
        if plan.report.build_failure.is_none() && !plan.operations.is_empty() {
            plan.report.build_failure = Some(format!(
                "still failing to compile after {BUILD_ATTEMPTS} attempts"
            ));
        }
    }
    Ok(())
}

fn first_lines(text: &str, count: usize) -> String {
    text.lines().take(count).collect::<Vec<_>>().join("\n")
}

/// One harness process to run: a built harness over its planned cases.
struct HarnessJob {
    name: String,
    binary: PathBuf,
    scratch: PathBuf,
    cases: Vec<PlannedCase>,
}

/// Runs every built harness; returns the records per plan and the harnesses' peak memory.
/// Harnesses of different services are independent processes and run side by side, one per
/// available CPU (one at a time against a live endpoint, whose state they would share).
fn run_harnesses(
    options: &RunOptions,
    plans: &[ServicePlan<'_>],
    progress: &Progress,
) -> Result<(Vec<Vec<CaseRecord>>, u64), RunError> {
    progress.stage("running harnesses");
    let live_target = options.endpoint.as_ref().map(|endpoint| endpoint.target());
    let mut jobs: Vec<Option<HarnessJob>> = Vec::with_capacity(plans.len());
    for plan in plans {
        let Some(harness) = plan
            .harness
            .as_ref()
            .filter(|_| plan.report.build_failure.is_none() && !plan.operations.is_empty())
        else {
            jobs.push(None);
            continue;
        };
        let mut cases = Vec::new();
        for planned in &plan.operations {
            let name = planned.operation.name().to_owned();
            cases.push(PlannedCase {
                operation: name.clone(),
                case: Case::Request,
                response: planned
                    .responses
                    .last()
                    .map(|replay| replay.response.clone()),
            });
            for replay in planned
                .responses
                .iter()
                .chain(planned.errors.iter().map(|(_, replay)| replay))
            {
                cases.push(PlannedCase {
                    operation: name.clone(),
                    case: replay.case.clone(),
                    response: Some(replay.response.clone()),
                });
            }
        }
        if live_target.is_some() {
            cases = live::request_cases(cases);
        }
        jobs.push(Some(HarnessJob {
            name: plan.target.name.clone(),
            binary: target_dir(options).join("debug").join(&harness.package),
            scratch: options.work_dir.join("runs").join(&harness.package),
            cases,
        }));
    }
    let workers = if live_target.is_some() {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    let count = jobs.len();
    progress.cases_to_run(jobs.iter().flatten().map(|job| job.cases.len()).sum());
    let jobs: Vec<Mutex<Option<HarnessJob>>> = jobs.into_iter().map(Mutex::new).collect();
    let results: Vec<Mutex<Option<Result<PlanRun, RunError>>>> =
        jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(count) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = jobs.get(index) else {
                    break;
                };
                let Some(job) = slot.lock().ok().and_then(|mut job| job.take()) else {
                    continue;
                };
                progress.tick(format!("running {}", job.name));
                let run = run_plan(
                    &job.binary,
                    &job.scratch,
                    job.cases,
                    options.case_timeout,
                    live_target.as_ref(),
                    &|finished| progress.cases_done(finished),
                );
                if let Ok(mut result) = results[index].lock() {
                    *result = Some(run);
                }
            });
        }
    });
    let mut all = Vec::with_capacity(count);
    let mut peak_kib = 0;
    for result in results {
        match result.into_inner().ok().flatten() {
            Some(run) => {
                let run = run?;
                peak_kib = peak_kib.max(run.peak_kib);
                all.push(run.records);
            }
            None => all.push(Vec::new()),
        }
    }
    Ok((all, peak_kib))
}

fn harness_failure(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Panicked { message } => Some(format!("the harness panicked: {message}")),
        Outcome::TimedOut { millis } => Some(format!("the case did not finish within {millis} ms")),
        _ => None,
    }
}

fn compose_service(plan: &mut ServicePlan<'_>, records: &[CaseRecord]) -> Vec<Snapshot> {
    let crate_name = plan.target.client.package.clone();
    let source = format!(
        "cargo-snapshot: {}",
        plan.target
            .model
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let mut by_operation: BTreeMap<&str, Vec<&CaseRecord>> = BTreeMap::new();
    for record in records {
        by_operation
            .entry(record.operation.as_str())
            .or_default()
            .push(record);
    }
    let mut snapshots = Vec::new();
    let snapshot = |kind: Kind, name: &str, what: &str, contents: String| {
        Snapshot::new(
            SnapshotKey::new(crate_name.clone(), kind, name),
            format!("{crate_name} {name} {what}"),
            contents,
        )
        .with_source(source.clone())
    };
    for planned in &plan.operations {
        let name = planned.operation.name();
        let records = by_operation.get(name).cloned().unwrap_or_default();
        let find = |case: &Case| records.iter().copied().find(|record| &record.case == case);
        match find(&Case::Request) {
            Some(record) => match (harness_failure(&record.outcome), &record.request) {
                (None, Some(_)) => {
                    if record.endpoint_override {
                        plan.report.endpoint_overrides.push(name.to_owned());
                    }
                    plan.report.requests.push(name.to_owned());
                    snapshots.push(snapshot(
                        Kind::Requests,
                        name,
                        "request",
                        request_file(record),
                    ));
                }
                (failure, _) => {
                    let reason = failure.unwrap_or_else(|| {
                        format!(
                            "the client sent no request: {}",
                            outcome_summary(&record.outcome)
                        )
                    });
                    plan.report
                        .exclusions
                        .push(exclusion(name, "request", "run", &reason));
                }
            },
            None => plan.report.exclusions.push(exclusion(
                name,
                "request",
                "run",
                "the harness produced no record",
            )),
        }
        plan.report
            .case_micros
            .extend(records.iter().map(|record| record.micros));
        if !records.is_empty() {
            plan.report
                .operation_micros
                .push(records.iter().map(|record| record.micros).sum());
        }
        if !planned.responses.is_empty() {
            let cases: Vec<ReplayedCase<'_>> = planned
                .responses
                .iter()
                .filter_map(|replay| {
                    find(&replay.case).map(|record| ReplayedCase {
                        title: replay.title.clone(),
                        record,
                        value: replay.value.as_ref(),
                        root: replay.root.clone(),
                        exception: replay.exception.clone(),
                    })
                })
                .collect();
            if let Some(failure) = cases
                .iter()
                .find_map(|case| harness_failure(&case.record.outcome))
            {
                plan.report
                    .exclusions
                    .push(exclusion(name, "response", "run", &failure));
            } else if cases.len() == planned.responses.len() {
                let (contents, lost) = replay_file(&cases, false);
                plan.report
                    .lost_members
                    .extend(lost.into_iter().map(|(case, path)| LostMember {
                        subject: name.to_owned(),
                        case,
                        path,
                    }));
                plan.report.responses.push(name.to_owned());
                snapshots.push(snapshot(Kind::Responses, name, "responses", contents));
            }
        }
        for (error_name, replay) in &planned.errors {
            let Some(record) = find(&replay.case) else {
                plan.report.exclusions.push(exclusion(
                    error_name,
                    "error",
                    "run",
                    "the harness produced no record",
                ));
                continue;
            };
            if let Some(failure) = harness_failure(&record.outcome) {
                plan.report
                    .exclusions
                    .push(exclusion(error_name, "error", "run", &failure));
                continue;
            }
            let case = ReplayedCase {
                title: replay.title.clone(),
                record,
                value: replay.value.as_ref(),
                root: replay.root.clone(),
                exception: None,
            };
            let (contents, lost) = replay_file(&[case], true);
            plan.report
                .lost_members
                .extend(lost.into_iter().map(|(_, path)| LostMember {
                    subject: error_name.clone(),
                    case: "error".to_owned(),
                    path,
                }));
            plan.report.errors.push(error_name.clone());
            snapshots.push(snapshot(Kind::Errors, error_name, "error", contents));
        }
    }
    snapshots
}

fn outcome_summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::ClientError { kind, display } => format!("{kind}: {}", first_lines(display, 3)),
        Outcome::ServiceError { code, message, .. } => {
            format!("service error {code:?}: {message:?}")
        }
        Outcome::Output { .. } => "the call succeeded without sending".to_owned(),
        Outcome::Panicked { message } => message.clone(),
        Outcome::TimedOut { millis } => format!("timed out after {millis} ms"),
    }
}

fn extend_scope(scope: Scope, plan: &ServicePlan<'_>, filtered: bool) -> Scope {
    let crate_name = plan.target.client.package.clone();
    if !filtered {
        return scope.include_crate(crate_name);
    }
    let operations: Vec<String> = plan
        .operations
        .iter()
        .map(|planned| planned.operation.name().to_owned())
        .collect();
    scope
        .include_names(crate_name.clone(), Kind::Requests, operations.clone())
        .include_names(crate_name.clone(), Kind::Responses, operations)
        .include_names(crate_name, Kind::Errors, plan.error_names.iter().cloned())
}
