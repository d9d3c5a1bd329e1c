//! `cargo xtask corpus ... --run P`: `cargo snapshot write` over the generated config in `P`
//! partitions (`count:K/P`, one after the other, so each is measured alone: wall time, cold
//! harness build time, peak memory of the process tree), then the pair check and a summary
//! (`summary.md`, `summary.json`): per service its operations, snapshots, exclusions with
//! reasons, lost members, build time and peak memory; every failing service with its reason;
//! and a projection of the whole manifest's cost on parallel CI jobs.
//!
//! Time and memory are measured per partition; with `P` equal to the number of services they
//! are each service's own. The first partition also builds the dependencies all clients
//! share.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use snapshot_model::Model;
use snapshot_runner::RunReport;

use crate::aws_corpus::{
    crate_operation_modules, pair_difference, registry_source, CorpusArgs, Manifest, ModelEntry,
};
use crate::corpus::workspace_root;
use crate::process::{build_tool, measure};

/// The summary of a measured corpus run.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// The models' revision.
    pub models_commit: String,
    /// How the services were chosen.
    pub selection: String,
    /// Partitions run.
    pub partitions: u64,
    /// One row per selected service.
    pub services: Vec<ServiceRow>,
    /// Sums over the services.
    pub total: Total,
    /// The projected cost of every model of the manifest.
    pub projection: Projection,
}

/// One service of the run.
#[derive(Debug, Serialize)]
pub struct ServiceRow {
    /// Service name (the model's directory).
    pub name: String,
    /// `aws-sdk-x` and its pinned version.
    pub client: String,
    /// Protocol.
    pub protocol: String,
    /// Operations in the model.
    pub operations: usize,
    /// Request, response and error snapshots.
    pub requests: usize,
    /// Response snapshots.
    pub responses: usize,
    /// Error snapshots.
    pub errors: usize,
    /// Exclusions: `stage: reason (first line)` with how often.
    pub exclusions: Vec<(String, usize)>,
    /// Lost members.
    pub lost_members: usize,
    /// The partition that ran it.
    pub partition: u64,
    /// Wall time of that partition's `write`, seconds.
    pub wall_seconds: f64,
    /// Its partition's harness build time (cold; shared by the partition's services), seconds.
    pub build_seconds: f64,
    /// Peak memory of its partition's process tree (rustc included), MiB.
    pub peak_mib: u64,
    /// Why the service produced nothing, if it failed.
    pub failure: Option<String>,
    /// Operations in the model without a module in the crate, and the reverse.
    pub pair_mismatch: Option<(Vec<String>, Vec<String>)>,
}

/// Sums over the services.
#[derive(Debug, Default, Serialize)]
pub struct Total {
    /// Services run.
    pub services: usize,
    /// Services that failed.
    pub failed: usize,
    /// Operations.
    pub operations: usize,
    /// Snapshots of all kinds.
    pub snapshots: usize,
    /// Exclusions.
    pub exclusions: usize,
    /// Lost members.
    pub lost_members: usize,
    /// Pairs whose operations differ.
    pub pair_mismatches: usize,
    /// Sum of the partitions' wall times, seconds.
    pub wall_seconds: f64,
}

/// Build cost as `fixed + per_operation × operations` per client, fitted by least squares to
/// the measured partitions' cold build times (the first partition left out: it also builds
/// the dependencies every client shares).
#[derive(Debug, Default, Serialize)]
pub struct Projection {
    /// Seconds per client regardless of size.
    pub fixed_seconds: f64,
    /// Seconds per operation.
    pub per_operation_seconds: f64,
    /// What the first partition paid on top of its fitted cost: the shared dependencies.
    pub shared_seconds: f64,
    /// Models in the manifest, and their operations.
    pub all_models: usize,
    /// Operations of all models.
    pub all_operations: usize,
    /// Projected wall time of all models on N parallel 2-core jobs, seconds, for several N.
    pub jobs: Vec<(u64, f64)>,
}

/// Runs the partitions, checks the pairs, writes the summary.
pub fn run(
    manifest: &Manifest,
    selected: &[ModelEntry],
    config: &Path,
    partitions: u64,
    args: &CorpusArgs,
) -> Result<ExitCode> {
    let out = config.parent().context("the config has a directory")?;
    let tool = build_tool(false)?;
    for dir in ["reports", "junit", "logs"] {
        std::fs::create_dir_all(out.join(dir))?;
    }
    let report_path = out.join("target/cargo-snapshot/last-run.json");
    let mut measured = Vec::new();
    for shard in 1..=partitions {
        let partition = format!("count:{shard}/{partitions}");
        let _ = std::fs::remove_file(&report_path);
        let log = out.join(format!("logs/{shard}.log"));
        let _ = std::fs::remove_file(&log);
        let mut command = std::process::Command::new(&tool);
        command.current_dir(out).args([
            "write",
            "--config",
            &config.display().to_string(),
            "--partition",
            &partition,
            "--junit",
            &out.join(format!("junit/{shard}.xml")).display().to_string(),
        ]);
        let result = measure(&mut command, &log)?;
        let report = RunReport::load(&report_path).ok();
        if report.is_some() {
            std::fs::copy(&report_path, out.join(format!("reports/{shard}.json")))?;
        }
        let tail = std::fs::read_to_string(&log).unwrap_or_default();
        println!(
            "partition {partition}: exit {:?}, {:.0} s, peak {} MiB",
            result.status.code(),
            result.wall.as_secs_f64(),
            result.tree_peak_kib / 1024
        );
        measured.push((shard, result, report, last_lines(&tail, 3)));
        // Written after every partition, so a run cut short still leaves its summary.
        write_summary(manifest, selected, args, partitions, &measured)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_summary(
    manifest: &Manifest,
    selected: &[ModelEntry],
    args: &CorpusArgs,
    partitions: u64,
    measured: &[Measurement],
) -> Result<()> {
    let summary = summarize(manifest, selected, args, partitions, measured)?;
    let summary_dir = args
        .summary
        .clone()
        .unwrap_or_else(|| workspace_root().join("xtask/corpus/aws-run"));
    std::fs::create_dir_all(&summary_dir)?;
    std::fs::write(
        summary_dir.join("summary.json"),
        serde_json::to_string_pretty(&summary)?,
    )?;
    std::fs::write(summary_dir.join("summary.md"), markdown(&summary))?;
    println!("summary: {}", summary_dir.join("summary.md").display());
    Ok(())
}

type Measurement = (u64, crate::process::Measured, Option<RunReport>, String);

fn summarize(
    manifest: &Manifest,
    selected: &[ModelEntry],
    args: &CorpusArgs,
    partitions: u64,
    measured: &[Measurement],
) -> Result<Summary> {
    let mut rows = Vec::new();
    let models_dir = args.models.clone().unwrap_or_default();
    for model in selected.iter().filter(|model| model.version.is_some()) {
        let version = model.version.clone().unwrap_or_default();
        let found = measured.iter().find_map(|(shard, result, report, tail)| {
            let report = report.as_ref();
            let service = report.and_then(|report| {
                report
                    .services
                    .iter()
                    .find(|service| service.name == model.name)
            });
            match (report, service) {
                (Some(report), Some(service)) => {
                    Some((*shard, result, Some((report, service)), tail))
                }
                (None, _) if partition_of(model, selected, partitions) == *shard => {
                    Some((*shard, result, None, tail))
                }
                _ => None,
            }
        });
        let Some((shard, result, ran, tail)) = found else {
            continue;
        };
        let mut exclusions: std::collections::BTreeMap<String, usize> = Default::default();
        let mut row = ServiceRow {
            name: model.name.clone(),
            client: format!("{} {}", model.crate_name, version.trim_start_matches('=')),
            protocol: model.protocol.clone(),
            operations: model.operations,
            requests: 0,
            responses: 0,
            errors: 0,
            exclusions: Vec::new(),
            lost_members: 0,
            partition: shard,
            wall_seconds: result.wall.as_secs_f64(),
            build_seconds: 0.0,
            peak_mib: result.tree_peak_kib / 1024,
            failure: None,
            pair_mismatch: None,
        };
        match ran {
            Some((report, service)) => {
                row.requests = service.requests.len();
                row.responses = service.responses.len();
                row.errors = service.errors.len();
                row.lost_members = service.lost_members.len();
                row.build_seconds = report.timings.build_millis as f64 / 1000.0;
                for exclusion in &service.exclusions {
                    let reason = exclusion.reason.lines().next().unwrap_or_default();
                    let reason: String = reason.chars().take(120).collect();
                    *exclusions
                        .entry(format!("{}: {reason}", exclusion.stage))
                        .or_default() += 1;
                }
                row.failure = service
                    .build_failure
                    .as_ref()
                    .map(|failure| format!("harness build failed: {}", first_error(failure)));
            }
            None => row.failure = Some(format!("the run stopped: {tail}")),
        }
        row.exclusions = exclusions.into_iter().collect();
        row.pair_mismatch = pair_check(&models_dir, model, &version);
        rows.push(row);
    }
    let mut total = Total::default();
    for row in &rows {
        total.services += 1;
        total.failed += usize::from(row.failure.is_some());
        total.operations += row.operations;
        total.snapshots += row.requests + row.responses + row.errors;
        total.exclusions += row.exclusions.iter().map(|(_, count)| count).sum::<usize>();
        total.lost_members += row.lost_members;
        total.pair_mismatches += usize::from(row.pair_mismatch.is_some());
    }
    total.wall_seconds = measured
        .iter()
        .map(|(_, result, ..)| result.wall.as_secs_f64())
        .sum();
    let projection = project(manifest, &rows);
    Ok(Summary {
        models_commit: manifest.source.commit.clone(),
        selection: match (args.all, args.smallest) {
            (true, _) => "all models".to_owned(),
            (false, Some(count)) => {
                format!("the {count} models with the fewest operations (ties by name)")
            }
            _ => String::new(),
        },
        partitions,
        services: rows,
        total,
        projection,
    })
}

/// The partition `count:K/P` puts `model` in: its position among the names, sorted, mod P.
fn partition_of(model: &ModelEntry, selected: &[ModelEntry], partitions: u64) -> u64 {
    let mut names: Vec<&str> = selected
        .iter()
        .filter(|entry| entry.version.is_some())
        .map(|entry| entry.name.as_str())
        .collect();
    names.sort_unstable();
    let position = names
        .iter()
        .position(|name| *name == model.name)
        .unwrap_or(0);
    position as u64 % partitions + 1
}

fn pair_check(
    models_dir: &Path,
    model: &ModelEntry,
    version: &str,
) -> Option<(Vec<String>, Vec<String>)> {
    let source = registry_source(&model.crate_name, version)?;
    let modules = crate_operation_modules(&source)?;
    let loaded = Model::load(&models_dir.join(&model.path)).ok()?;
    let index = loaded.service_index(Some(&model.service_shape)).ok()?;
    let operations: Vec<String> = index
        .operations()
        .iter()
        .map(|operation| operation.name().to_owned())
        .collect();
    let (only_model, only_crate) = pair_difference(&operations, &modules);
    (!only_model.is_empty() || !only_crate.is_empty()).then_some((only_model, only_crate))
}

fn project(manifest: &Manifest, rows: &[ServiceRow]) -> Projection {
    let mut projection = Projection {
        all_models: manifest.models.len(),
        all_operations: manifest.models.iter().map(|model| model.operations).sum(),
        ..Projection::default()
    };
    // Per partition: (clients, operations, build seconds); the first one is left out of the
    // fit because it also builds the shared dependencies.
    let mut partitions: std::collections::BTreeMap<u64, (f64, f64, f64)> = Default::default();
    for row in rows {
        let entry = partitions.entry(row.partition).or_default();
        entry.0 += 1.0;
        entry.1 += row.operations as f64;
        entry.2 = row.build_seconds;
    }
    let points: Vec<(f64, f64, f64)> = partitions
        .iter()
        .filter(|(shard, _)| **shard > 1)
        .map(|(_, point)| *point)
        .collect();
    // Least squares for build = fixed × clients + per_operation × operations.
    let (mut aa, mut ab, mut bb, mut ay, mut by) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (clients, operations, seconds) in &points {
        aa += clients * clients;
        ab += clients * operations;
        bb += operations * operations;
        ay += clients * seconds;
        by += operations * seconds;
    }
    let determinant = aa * bb - ab * ab;
    if points.len() < 2 || determinant.abs() < f64::EPSILON {
        return projection;
    }
    projection.fixed_seconds = (ay * bb - by * ab) / determinant;
    projection.per_operation_seconds = (aa * by - ab * ay) / determinant;
    let fitted = |clients: f64, operations: f64| {
        projection.fixed_seconds * clients + projection.per_operation_seconds * operations
    };
    if let Some((clients, operations, seconds)) = partitions.get(&1) {
        projection.shared_seconds = (seconds - fitted(*clients, *operations)).max(0.0);
    }
    let all = fitted(
        projection.all_models as f64,
        projection.all_operations as f64,
    );
    projection.jobs = [1, 4, 8, 16, 32, 64]
        .into_iter()
        .map(|jobs| (jobs, projection.shared_seconds + all / jobs as f64))
        .collect();
    projection
}

fn first_error(text: &str) -> String {
    text.lines()
        .find(|line| line.trim_start().starts_with("error"))
        .or_else(|| text.lines().next())
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(count)..].join(" / ")
}

/// The summary as Markdown.
pub fn markdown(summary: &Summary) -> String {
    let mut text = format!(
        "# AWS services run\n\nModels: aws/api-models-aws at `{}`; selection: {}; {} partitions, \
         run one after the other with `nice -n 19` on a shared 2-core machine.\n\n",
        summary.models_commit, summary.selection, summary.partitions
    );
    let total = &summary.total;
    text.push_str(&format!(
        "**Total**: {} services ({} failed), {} operations, {} snapshots, {} exclusions, \
         {} lost members, {} crate/model pairs whose operations differ; {:.0} s wall in all.\n\n",
        total.services,
        total.failed,
        total.operations,
        total.snapshots,
        total.exclusions,
        total.lost_members,
        total.pair_mismatches,
        total.wall_seconds
    ));
    text.push_str("Build s, wall s and peak MiB are those of the service's partition (its column `part`).\n\n");
    text.push_str("| service | client | protocol | ops | requests | responses | errors | excluded | lost | part | build s | wall s | peak MiB |\n");
    text.push_str("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in &summary.services {
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {:.1} | {} |\n",
            row.name,
            row.client,
            row.protocol,
            row.operations,
            row.requests,
            row.responses,
            row.errors,
            row.exclusions.iter().map(|(_, count)| count).sum::<usize>(),
            row.lost_members,
            row.partition,
            row.build_seconds,
            row.wall_seconds,
            row.peak_mib
        ));
    }
    text.push_str("\n## Failing services\n\n");
    let failing: Vec<&ServiceRow> = summary
        .services
        .iter()
        .filter(|row| row.failure.is_some())
        .collect();
    if failing.is_empty() {
        text.push_str("None.\n");
    }
    for row in failing {
        text.push_str(&format!(
            "- **{}** ({}): {}\n",
            row.name,
            row.client,
            row.failure
                .as_deref()
                .unwrap_or_default()
                .replace('|', "\\|")
        ));
    }
    text.push_str("\n## Exclusions\n\n");
    for row in summary
        .services
        .iter()
        .filter(|row| !row.exclusions.is_empty())
    {
        for (reason, count) in &row.exclusions {
            text.push_str(&format!(
                "- {} ({}×): {}\n",
                row.name,
                count,
                reason.replace('|', "\\|")
            ));
        }
    }
    text.push_str("\n## Crate/model pairs whose operations differ\n\n");
    let mismatched: Vec<&ServiceRow> = summary
        .services
        .iter()
        .filter(|row| row.pair_mismatch.is_some())
        .collect();
    if mismatched.is_empty() {
        text.push_str("None among the crates cargo unpacked.\n");
    }
    for row in mismatched {
        if let Some((only_model, only_crate)) = &row.pair_mismatch {
            text.push_str(&format!(
                "- {} ({}): only in the model: {}; only in the crate: {}\n",
                row.name,
                row.client,
                list(only_model),
                list(only_crate)
            ));
        }
    }
    let projection = &summary.projection;
    text.push_str(&format!(
        "\n## Projection for all {} models ({} operations)\n\n",
        projection.all_models, projection.all_operations
    ));
    if projection.jobs.is_empty() {
        text.push_str("Not enough one-service partitions to fit a per-client cost.\n");
        return text;
    }
    text.push_str(&format!(
        "Cold harness build per client, fitted to the measured services: {:.1} s + {:.3} s per \
         operation; the shared dependencies add {:.0} s once per job (nothing with a warm cache). \
         Measured on this shared machine, so an upper bound for a dedicated 2-core runner.\n\n\
         | parallel 2-core jobs | projected wall time |\n|---:|---:|\n",
        projection.fixed_seconds, projection.per_operation_seconds, projection.shared_seconds
    ));
    for (jobs, seconds) in &projection.jobs {
        text.push_str(&format!("| {jobs} | {:.0} min |\n", seconds / 60.0));
    }
    text
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}
