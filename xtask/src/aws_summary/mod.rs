//! The summary of a measured AWS corpus run (`summary.md`, `summary.json`): per service its
//! operations, snapshots, exclusions with reasons, lost members, outcome and cost; every
//! failing service with its reason; the pairs whose operations differ; and the projected wall
//! time of every model of the manifest on parallel 2-core CI jobs.
//!
//! Everything here is computed from the partitions' records ([`PartitionRun`]): their run
//! reports and measurements, never from printed output.

mod markdown;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use snapshot_runner::partition::Strategy;
use snapshot_runner::report::{ExclusionScope, LostMember, ServiceReport, Stage};
use snapshot_runner::Partition;

use crate::aws_corpus::{CorpusArgs, Manifest, ModelEntry};
use crate::aws_pairing::OperationDifference;
use crate::aws_run::PartitionRun;
use crate::corpus::workspace_root;

/// The job counts the projection is given for.
pub const PROJECTED_JOBS: [u64; 4] = [1, 8, 16, 32];

/// The summary of a measured corpus run.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// The models' revision.
    pub models_commit: String,
    /// How the services were chosen.
    pub selection: String,
    /// Partitions of the run.
    pub partitions: u64,
    /// Partitions recorded so far.
    pub partitions_recorded: usize,
    /// The cargo-snapshot commits that ran them.
    pub tool_commits: Vec<String>,
    /// One row per selected service.
    pub services: Vec<ServiceRow>,
    /// Sums over the services.
    pub total: Total,
    /// The projected cost of every model of the manifest.
    pub projection: Option<Projection>,
}

/// One service of the run.
#[derive(Debug, Serialize)]
pub struct ServiceRow {
    /// Service name (the model's directory).
    pub name: String,
    /// The client crate.
    pub crate_name: String,
    /// Its paired version.
    pub version: String,
    /// Protocol.
    pub protocol: String,
    /// Operations in the model.
    pub operations: usize,
    /// Operations with a request snapshot.
    pub requests: usize,
    /// Operations with a response snapshot.
    pub responses: usize,
    /// Error snapshots (error shapes, plus the unmodeled and front-end cases).
    pub errors: usize,
    /// Snapshot files written for it (every variant of every kind).
    pub snapshot_files: usize,
    /// Its exclusions, grouped by stage, scope and reason.
    pub exclusions: Vec<ExclusionGroup>,
    /// Members set in a generated output or error that the client did not give back.
    pub lost_members: Vec<LostMember>,
    /// The partition that ran it (1-based), and how many services it had.
    pub partition: u64,
    /// Services in that partition: the cost below is theirs together.
    pub partition_services: usize,
    /// The partition's cost, when it ran.
    pub cost: Option<Cost>,
    /// How it ended.
    pub outcome: Outcome,
    /// How the paired crate's operations differ from the model's (from the manifest).
    pub operations_differ: Option<OperationDifference>,
}

/// Exclusions of one service that share a stage, scope and reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExclusionGroup {
    /// The stage that excluded them.
    pub stage: Stage,
    /// Which snapshots they cost.
    pub scope: ExclusionScope,
    /// The reason's first line (at most 160 characters).
    pub reason: String,
    /// How many operations or error shapes.
    pub count: usize,
}

/// What a partition cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cost {
    /// Wall time of its `write`, seconds (inflated by other work on a shared machine).
    pub wall_seconds: f64,
    /// CPU time of its process tree, seconds.
    pub cpu_seconds: f64,
    /// Its build stage (client facts, harness code, cold `cargo build`), wall seconds.
    pub build_seconds: f64,
    /// Peak memory of the largest process of its tree (rustc, usually), MiB.
    pub peak_mib: u64,
}

/// How a service's run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Snapshots written.
    Written,
    /// The harness could not be built at all.
    BuildFailed {
        /// The first compiler error.
        error: String,
    },
    /// The run report lists it, but not a single snapshot was written.
    NothingWritten,
    /// Its partition ended without a run report.
    Stopped {
        /// The exit code (`None`: a signal).
        exit_code: Option<i32>,
        /// The last lines of the output.
        output: String,
    },
    /// Its partition has not run (yet).
    NotRun,
    /// No crate version is paired with the model.
    Unpaired {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// Whether the service counts as failing.
    pub fn is_failure(&self) -> bool {
        !matches!(self, Outcome::Written | Outcome::NotRun)
    }

    /// One line for the list of failing services.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Written => "snapshots written".to_owned(),
            Outcome::BuildFailed { error } => format!("harness build failed: {error}"),
            Outcome::NothingWritten => "every case was excluded".to_owned(),
            Outcome::Stopped { exit_code, output } => {
                format!("the run stopped (exit {exit_code:?}) without a report: {output}")
            }
            Outcome::NotRun => "not run yet".to_owned(),
            Outcome::Unpaired { reason } => format!("no crate paired: {reason}"),
        }
    }
}

/// Sums over the services.
#[derive(Debug, Default, Serialize)]
pub struct Total {
    /// Services selected.
    pub services: usize,
    /// Services run.
    pub run: usize,
    /// Services that failed.
    pub failed: usize,
    /// Operations of the services run.
    pub operations: usize,
    /// Operations with a request snapshot.
    pub requests: usize,
    /// Operations with a response snapshot.
    pub responses: usize,
    /// Error snapshots.
    pub errors: usize,
    /// Snapshot files.
    pub snapshot_files: usize,
    /// Exclusions.
    pub exclusions: usize,
    /// Lost members.
    pub lost_members: usize,
    /// Pairs whose operations differ.
    pub pair_mismatches: usize,
    /// Sum of the partitions' wall times, seconds.
    pub wall_seconds: f64,
    /// Sum of the partitions' CPU times, seconds.
    pub cpu_seconds: f64,
    /// The largest peak of any partition, MiB.
    pub peak_mib: u64,
}

/// The cost of every model, projected from the measured partitions.
///
/// CPU time per client is fitted as `fixed × clients + per_operation × operations` (least
/// squares over the partitions whose services all wrote snapshots, the first left out: it also
/// builds the dependencies every client shares, whose CPU time is what it paid beyond its fit).
/// A job of the CI matrix runs its `count:K/N` share of all models; on a 2-core runner cargo
/// keeps both cores busy, so its wall time is about its CPU time / 2, but never less than its
/// largest client's CPU time (one crate's rustc, then its harness, run one after the other).
#[derive(Debug, Serialize)]
pub struct Projection {
    /// CPU seconds per client regardless of size.
    pub fixed_cpu_seconds: f64,
    /// CPU seconds per operation.
    pub per_operation_cpu_seconds: f64,
    /// CPU seconds of the shared dependencies (once per job with a cold cache).
    pub shared_cpu_seconds: f64,
    /// Partitions the fit used.
    pub fitted_partitions: usize,
    /// Models in the manifest.
    pub all_models: usize,
    /// Their operations.
    pub all_operations: usize,
    /// The model with the most operations, and its projected CPU seconds.
    pub largest: (String, usize, f64),
    /// Per job count.
    pub jobs: Vec<JobsProjection>,
}

/// All models on `jobs` parallel 2-core jobs, cold.
#[derive(Debug, Serialize)]
pub struct JobsProjection {
    /// Parallel jobs (`count:K/jobs` each).
    pub jobs: u64,
    /// The busiest job's projected wall time, seconds: the matrix's wall time.
    pub wall_seconds: f64,
    /// That job's models and operations.
    pub busiest: (usize, usize),
}

/// Summarizes the recorded partitions and writes `summary.json` and `summary.md` to
/// `--summary` (default `xtask/corpus/aws-run/`).
pub fn write(
    manifest: &Manifest,
    selected: &[ModelEntry],
    args: &CorpusArgs,
    partitions: u64,
    runs: &[PartitionRun],
    out: &Path,
) -> Result<()> {
    let snapshot_dir = out.join("snapshots");
    let files = |crate_name: &str| count_snapshot_files(&snapshot_dir.join(crate_name));
    let selection = match (args.all, args.smallest) {
        (true, _) => "every model of the manifest".to_owned(),
        (false, Some(count)) => {
            format!("the {count} models with the fewest operations (ties by name)")
        }
        _ => String::new(),
    };
    let summary = summarize(manifest, selected, selection, partitions, runs, &files);
    let dir = args
        .summary
        .clone()
        .unwrap_or_else(|| workspace_root().join("xtask/corpus/aws-run"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(
        dir.join("summary.json"),
        serde_json::to_string_pretty(&summary)? + "\n",
    )?;
    std::fs::write(dir.join("summary.md"), markdown::markdown(&summary))?;
    println!("summary: {}", dir.join("summary.md").display());
    Ok(())
}

fn count_snapshot_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "snap"))
        .count()
}

/// The summary of `runs` (the recorded partitions of a `partitions`-way run over `selected`).
pub fn summarize(
    manifest: &Manifest,
    selected: &[ModelEntry],
    selection: String,
    partitions: u64,
    runs: &[PartitionRun],
    snapshot_files: &dyn Fn(&str) -> usize,
) -> Summary {
    let paired: Vec<&ModelEntry> = selected
        .iter()
        .filter(|model| model.version.is_some())
        .collect();
    let mut services = Vec::new();
    for shard in 1..=partitions {
        let partition = Partition {
            strategy: Strategy::Count,
            shard,
            total: partitions,
        };
        let members = partition.select(paired.clone(), |model| model.name.as_str());
        let run = runs
            .iter()
            .find(|run| run.partition().is_some_and(|p| p.shard == shard));
        for model in &members {
            services.push(row(model, shard, members.len(), run, snapshot_files));
        }
    }
    for model in selected.iter().filter(|model| model.version.is_none()) {
        services.push(ServiceRow {
            outcome: Outcome::Unpaired {
                reason: model
                    .unpaired
                    .clone()
                    .unwrap_or_else(|| "not pinned (run --pin)".to_owned()),
            },
            ..blank_row(model, 0, 0)
        });
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let total = total(&services, runs);
    Summary {
        models_commit: manifest.source.commit.clone(),
        selection,
        partitions,
        partitions_recorded: runs.len(),
        tool_commits: runs
            .iter()
            .map(|run| run.tool_commit.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        projection: project(manifest, &services),
        services,
        total,
    }
}

fn blank_row(model: &ModelEntry, partition: u64, partition_services: usize) -> ServiceRow {
    ServiceRow {
        name: model.name.clone(),
        crate_name: model.crate_name.clone(),
        version: model
            .version
            .as_deref()
            .unwrap_or_default()
            .trim_start_matches('=')
            .to_owned(),
        protocol: model.protocol.clone(),
        operations: model.operations,
        requests: 0,
        responses: 0,
        errors: 0,
        snapshot_files: 0,
        exclusions: Vec::new(),
        lost_members: Vec::new(),
        partition,
        partition_services,
        cost: None,
        outcome: Outcome::NotRun,
        operations_differ: model.operations_differ.clone(),
    }
}

fn row(
    model: &ModelEntry,
    shard: u64,
    partition_services: usize,
    run: Option<&PartitionRun>,
    snapshot_files: &dyn Fn(&str) -> usize,
) -> ServiceRow {
    let mut row = blank_row(model, shard, partition_services);
    let Some(run) = run else {
        return row;
    };
    row.cost = Some(Cost {
        wall_seconds: run.wall_seconds,
        cpu_seconds: run.cpu_seconds,
        build_seconds: run
            .report
            .as_ref()
            .map_or(0.0, |report| report.timings.build_millis as f64 / 1000.0),
        peak_mib: run.peak_kib / 1024,
    });
    let service = run.report.as_ref().and_then(|report| {
        report
            .services
            .iter()
            .find(|service| service.name == model.name)
    });
    let Some(service) = service else {
        row.outcome = Outcome::Stopped {
            exit_code: run.exit_code,
            output: run.log_tail.clone(),
        };
        return row;
    };
    row.requests = service.requests.len();
    row.responses = service.responses.len();
    row.errors = service.errors.len();
    row.snapshot_files = snapshot_files(&model.crate_name);
    row.lost_members.clone_from(&service.lost_members);
    row.exclusions = group_exclusions(service);
    row.outcome = match &service.build_failure {
        Some(failure) => Outcome::BuildFailed {
            error: first_error(failure),
        },
        None if row.requests + row.responses + row.errors == 0 => Outcome::NothingWritten,
        None => Outcome::Written,
    };
    row
}

fn group_exclusions(service: &ServiceReport) -> Vec<ExclusionGroup> {
    let mut groups: BTreeMap<(Stage, ExclusionScope, String), usize> = BTreeMap::new();
    for exclusion in &service.exclusions {
        let reason: String = exclusion
            .reason
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(160)
            .collect();
        *groups
            .entry((exclusion.stage, exclusion.scope, reason))
            .or_default() += 1;
    }
    groups
        .into_iter()
        .map(|((stage, scope, reason), count)| ExclusionGroup {
            stage,
            scope,
            reason,
            count,
        })
        .collect()
}

fn total(services: &[ServiceRow], runs: &[PartitionRun]) -> Total {
    let mut total = Total {
        services: services.len(),
        wall_seconds: runs.iter().map(|run| run.wall_seconds).sum(),
        cpu_seconds: runs.iter().map(|run| run.cpu_seconds).sum(),
        peak_mib: runs
            .iter()
            .map(|run| run.peak_kib / 1024)
            .max()
            .unwrap_or(0),
        ..Total::default()
    };
    for row in services {
        total.failed += usize::from(row.outcome.is_failure());
        total.pair_mismatches += usize::from(row.operations_differ.is_some());
        if row.cost.is_none() {
            continue;
        }
        total.run += 1;
        total.operations += row.operations;
        total.requests += row.requests;
        total.responses += row.responses;
        total.errors += row.errors;
        total.snapshot_files += row.snapshot_files;
        total.exclusions += row
            .exclusions
            .iter()
            .map(|group| group.count)
            .sum::<usize>();
        total.lost_members += row.lost_members.len();
    }
    total
}

/// The first line that starts with `error` (rustc's), else the first line; 200 characters.
fn first_error(text: &str) -> String {
    text.lines()
        .find(|line| line.trim_start().starts_with("error"))
        .or_else(|| text.lines().next())
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}

/// Fits the per-client cost and projects every model of the manifest; `None` with fewer than
/// two usable partitions.
fn project(manifest: &Manifest, services: &[ServiceRow]) -> Option<Projection> {
    // Per partition: (clients, operations, CPU seconds, all written).
    let mut partitions: BTreeMap<u64, (f64, f64, f64, bool)> = BTreeMap::new();
    for row in services {
        let Some(cost) = row.cost else { continue };
        let entry = partitions
            .entry(row.partition)
            .or_insert((0.0, 0.0, cost.cpu_seconds, true));
        entry.0 += 1.0;
        entry.1 += row.operations as f64;
        entry.3 &= row.outcome == Outcome::Written;
    }
    let points: Vec<(f64, f64, f64)> = partitions
        .iter()
        .filter(|(shard, point)| **shard > 1 && point.3)
        .map(|(_, point)| (point.0, point.1, point.2))
        .collect();
    let (fixed, per_operation) = least_squares(&points)?;
    let fitted = |clients: f64, operations: f64| fixed * clients + per_operation * operations;
    let shared = partitions
        .get(&1)
        .map_or(0.0, |first| (first.2 - fitted(first.0, first.1)).max(0.0));
    let largest = manifest
        .models
        .iter()
        .max_by_key(|model| model.operations)
        .map(|model| {
            (
                model.name.clone(),
                model.operations,
                fitted(1.0, model.operations as f64),
            )
        })
        .unwrap_or_default();
    let jobs = PROJECTED_JOBS
        .into_iter()
        .map(|jobs| project_jobs(manifest, jobs, shared, &fitted))
        .collect();
    Some(Projection {
        fixed_cpu_seconds: fixed,
        per_operation_cpu_seconds: per_operation,
        shared_cpu_seconds: shared,
        fitted_partitions: points.len(),
        all_models: manifest.models.len(),
        all_operations: manifest.models.iter().map(|model| model.operations).sum(),
        largest,
        jobs,
    })
}

/// Every model of the manifest dealt out as `count:K/jobs`; the busiest job decides.
fn project_jobs(
    manifest: &Manifest,
    jobs: u64,
    shared: f64,
    fitted: &dyn Fn(f64, f64) -> f64,
) -> JobsProjection {
    let mut busiest = JobsProjection {
        jobs,
        wall_seconds: 0.0,
        busiest: (0, 0),
    };
    for shard in 1..=jobs {
        let partition = Partition {
            strategy: Strategy::Count,
            shard,
            total: jobs,
        };
        let models = partition.select(manifest.models.iter().collect(), |model| {
            model.name.as_str()
        });
        let costs: Vec<f64> = models
            .iter()
            .map(|model| fitted(1.0, model.operations as f64))
            .collect();
        let cpu = shared + costs.iter().sum::<f64>();
        let longest = costs.iter().copied().fold(0.0, f64::max);
        let wall = (cpu / 2.0).max(shared / 2.0 + longest);
        if wall > busiest.wall_seconds {
            busiest.wall_seconds = wall;
            busiest.busiest = (
                models.len(),
                models.iter().map(|model| model.operations).sum(),
            );
        }
    }
    busiest
}

/// Least squares for `y = a·x1 + b·x2` over `(x1, x2, y)`; `None` when under-determined.
fn least_squares(points: &[(f64, f64, f64)]) -> Option<(f64, f64)> {
    let (mut aa, mut ab, mut bb, mut ay, mut by) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (x1, x2, y) in points {
        aa += x1 * x1;
        ab += x1 * x2;
        bb += x2 * x2;
        ay += x1 * y;
        by += x2 * y;
    }
    let determinant = aa * bb - ab * ab;
    if points.len() < 2 || determinant.abs() < 1e-9 {
        return None;
    }
    Some((
        (ay * bb - by * ab) / determinant,
        (aa * by - ab * ay) / determinant,
    ))
}
