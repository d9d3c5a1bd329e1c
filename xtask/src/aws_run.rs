//! `cargo xtask corpus ... --run P`: `cargo snapshot write` over the generated config in `P`
//! partitions (`count:K/P`), one after the other so each is measured alone: wall time, CPU
//! time and peak memory of its process tree, and its run report.
//!
//! Each partition's result is recorded in `<out>/partitions/<P>/<K>.json` as soon as it ends,
//! so a run that is cut short keeps what it did: `--run P` again runs only the partitions not
//! recorded yet for the same config (`--fresh` forgets the records), and `--report-only`
//! writes the summary ([`crate::aws_summary`]) from the records without running anything.
//!
//! With `P` equal to the number of services each partition is one service, and its cost is
//! that service's own; the first partition also builds the dependencies every client shares.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use snapshot_codegen::{ClientCrate, ClientSource};
use snapshot_runner::partition::Strategy;
use snapshot_runner::{Partition, RunReport};

use crate::aws_corpus::{CorpusArgs, Manifest, ModelEntry};
use crate::aws_summary;
use crate::corpus::workspace_root;
use crate::process::{build_tool, measure};

/// What one partition's `write` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartitionRun {
    /// The partition (`count:K/P`).
    pub partition: String,
    /// SHA-256 of the config it ran, so records of another selection are not reused.
    pub config_sha256: String,
    /// The commit of this workspace that built cargo-snapshot (`+` when the tree had
    /// uncommitted changes).
    #[serde(default)]
    pub tool_commit: String,
    /// The exit code of `cargo snapshot write` (`None`: ended by a signal).
    pub exit_code: Option<i32>,
    /// Wall time, seconds.
    pub wall_seconds: f64,
    /// CPU time of the whole process tree (cargo, rustc, harnesses), seconds.
    pub cpu_seconds: f64,
    /// Peak resident memory of the largest process of the tree, KiB.
    pub peak_kib: u64,
    /// The run report it saved, if it got that far.
    pub report: Option<RunReport>,
    /// The last lines of its output, for a run that stopped early.
    pub log_tail: String,
}

impl PartitionRun {
    /// The partition, read back.
    pub fn partition(&self) -> Option<Partition> {
        self.partition.parse().ok()
    }
}

/// Where the records of a `P`-partition run over the config in `out` live.
fn records_dir(out: &Path, partitions: u64) -> PathBuf {
    out.join("partitions").join(partitions.to_string())
}

/// Runs the partitions not yet recorded, then writes the summary.
pub fn run(
    manifest: &Manifest,
    selected: &[ModelEntry],
    config: &Path,
    partitions: u64,
    args: &CorpusArgs,
) -> Result<ExitCode> {
    let out = config.parent().context("the config has a directory")?;
    let config_sha256 = crate::aws_corpus::sha256(
        &std::fs::read(config).with_context(|| format!("reading {}", config.display()))?,
    );
    let records = records_dir(out, partitions);
    if args.fresh && records.exists() {
        std::fs::remove_dir_all(&records)
            .with_context(|| format!("removing {}", records.display()))?;
    }
    std::fs::create_dir_all(&records)?;
    std::fs::create_dir_all(out.join("logs"))?;
    std::fs::create_dir_all(out.join("junit"))?;
    let tool = if args.report_only {
        None
    } else {
        Some((stable_copy(&build_tool(false)?, out)?, workspace_commit()))
    };
    let mut runs = Vec::new();
    for shard in 1..=partitions {
        let partition = Partition {
            strategy: Strategy::Count,
            shard,
            total: partitions,
        };
        let record = records.join(format!("{shard}.json"));
        let recorded = load_record(&record).filter(|run| run.config_sha256 == config_sha256);
        let run = match (recorded, &tool) {
            (Some(run), _) => run,
            (None, None) => continue,
            (None, Some((tool, commit))) => {
                let mut run = run_partition(tool, config, out, partition, &config_sha256)?;
                run.tool_commit.clone_from(commit);
                std::fs::write(&record, serde_json::to_string_pretty(&run)?)
                    .with_context(|| format!("writing {}", record.display()))?;
                if args.prune {
                    prune(out, partition, selected)?;
                }
                println!(
                    "partition {partition}: exit {:?}, {:.0} s wall, {:.0} s CPU, peak {} MiB",
                    run.exit_code,
                    run.wall_seconds,
                    run.cpu_seconds,
                    run.peak_kib / 1024
                );
                run
            }
        };
        runs.push(run);
        // Written after every partition, so a run cut short still leaves its summary.
        if tool.is_some() || shard == partitions {
            aws_summary::write(manifest, selected, args, partitions, &runs, out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A copy of the cargo-snapshot binary in `<out>/bin`, so every partition of a long run uses
/// the same one even when the workspace is rebuilt meanwhile.
fn stable_copy(tool: &Path, out: &Path) -> Result<PathBuf> {
    let dir = out.join("bin");
    std::fs::create_dir_all(&dir)?;
    let copy = dir.join(tool.file_name().context("the tool has a file name")?);
    std::fs::copy(tool, &copy)
        .with_context(|| format!("copying {} to {}", tool.display(), copy.display()))?;
    Ok(copy)
}

/// `HEAD` of this workspace, with `+` when it has uncommitted changes.
fn workspace_commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(workspace_root())
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let head = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_default();
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|status| !status.is_empty());
    if dirty {
        format!("{head}+")
    } else {
        head
    }
}

fn load_record(path: &Path) -> Option<PartitionRun> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// One `cargo snapshot write --partition`, measured.
fn run_partition(
    tool: &Path,
    config: &Path,
    out: &Path,
    partition: Partition,
    config_sha256: &str,
) -> Result<PartitionRun> {
    let shard = partition.shard;
    let report_path = out
        .join("target/cargo-snapshot")
        .join(snapshot_runner::report::REPORT_FILE);
    let _ = std::fs::remove_file(&report_path);
    let log = out.join(format!("logs/{shard}.log"));
    let _ = std::fs::remove_file(&log);
    let mut command = std::process::Command::new(tool);
    // The config sits inside this workspace, whose target directory would otherwise hold the
    // harnesses and the run report, shared with the corpus runs of `.ci/run`.
    command.env("CARGO_TARGET_DIR", out.join("target"));
    command.current_dir(out).args([
        "write",
        "--config",
        &config.display().to_string(),
        "--partition",
        &partition.to_string(),
        "--junit",
        &out.join(format!("junit/{shard}.xml")).display().to_string(),
    ]);
    let result = measure(&mut command, &log)?;
    let tail = std::fs::read_to_string(&log).unwrap_or_default();
    Ok(PartitionRun {
        partition: partition.to_string(),
        config_sha256: config_sha256.to_owned(),
        tool_commit: String::new(),
        exit_code: result.status.code(),
        wall_seconds: result.wall.as_secs_f64(),
        cpu_seconds: result.tree_cpu.as_secs_f64(),
        peak_kib: result.tree_peak_kib,
        report: RunReport::load(&report_path).ok(),
        log_tail: last_lines(&tail, 3),
    })
}

/// Removes the build artifacts of the partition's clients and their harnesses from the
/// harness target directory (the dependencies they share stay).
fn prune(out: &Path, partition: Partition, selected: &[ModelEntry]) -> Result<()> {
    let work = out.join("target/cargo-snapshot");
    let manifest = work.join("harness/Cargo.toml");
    if !manifest.is_file() {
        return Ok(());
    }
    let paired: Vec<&ModelEntry> = selected
        .iter()
        .filter(|model| model.version.is_some())
        .collect();
    let mut command = crate::process::cargo();
    command
        .arg("clean")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(work.join("target"));
    for model in partition.select(paired, |model| model.name.as_str()) {
        let version = model.version.clone().unwrap_or_default();
        let client = ClientCrate {
            package: model.crate_name.clone(),
            source: ClientSource::Registry {
                version: version.clone(),
            },
        };
        command.args([
            "-p",
            &format!("{}@{}", client.package, version.trim_start_matches('=')),
            "-p",
            &client.harness_package(),
        ]);
    }
    let output = command.output().context("running cargo clean")?;
    if !output.status.success() {
        // A partition whose harness was never generated has nothing to remove.
        eprintln!(
            "partition {partition}: cargo clean: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(count)..].join(" / ")
}
