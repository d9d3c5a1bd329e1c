//! `cargo xtask e2e`: `cargo snapshot compare` (or `write`) over the e2e corpus, then its
//! coverage. The corpus is the workspace's `snapshot.toml`; `--core` limits it to the core set.
//! `--check-partitions N` then compares again in `N` partitions and checks that the coverage
//! merged from their run reports (`coverage --report`) is the full run's.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

use crate::corpus::{self, CORE};
use crate::process::build_tool;

/// Options of `cargo xtask e2e`.
#[derive(Debug, clap::Args)]
pub struct E2eArgs {
    /// Record the snapshots (`write`) instead of comparing with them
    #[arg(long)]
    write: bool,
    /// Only the core set (sts, sso, sqs, dynamodb, kinesis, arcregionswitch, route53, s3,
    /// lambda, transcribestreaming)
    #[arg(long, conflicts_with = "service")]
    core: bool,
    /// Only this service; repeat for several
    #[arg(long)]
    service: Vec<String>,
    /// Coverage format: table, markdown or json
    #[arg(long, default_value = "table")]
    format: String,
    /// After the compare, compare again as N partitions (`count:K/N`) and check that the
    /// coverage merged from their reports equals the full run's
    #[arg(long, value_name = "N", conflicts_with = "write")]
    check_partitions: Option<u64>,
}

/// Runs the task; the exit code is `compare`'s (1 on differences, 3 on build failures).
pub fn run(args: &E2eArgs) -> Result<ExitCode> {
    let tool = build_tool(false)?;
    let mut filters: Vec<String> = Vec::new();
    let services: Vec<String> = if args.core {
        CORE.iter().map(|name| (*name).to_owned()).collect()
    } else {
        args.service.clone()
    };
    for service in &services {
        filters.extend(["--service".to_owned(), service.clone()]);
    }
    let config = corpus::config_path();
    let status = std::process::Command::new(&tool)
        .current_dir(corpus::workspace_root())
        .arg(if args.write { "write" } else { "compare" })
        .arg("--config")
        .arg(&config)
        .args(&filters)
        .status()
        .with_context(|| format!("running {}", tool.display()))?;
    println!();
    let coverage = std::process::Command::new(&tool)
        .current_dir(corpus::workspace_root())
        .args(["coverage", "--format", &args.format, "--config"])
        .arg(&config)
        .args(&filters)
        .status()
        .with_context(|| format!("running {} coverage", tool.display()))?;
    let code = match status.code() {
        Some(0) if !coverage.success() => 2,
        Some(code) => code,
        None => 2,
    };
    if let (0, Some(partitions)) = (code, args.check_partitions) {
        check_partitions(&tool, &config, &filters, partitions)?;
    }
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

/// Compares in `partitions` partitions and checks that the coverage merged from their reports
/// is the coverage of the full run just made (services, totals, warnings and last run alike;
/// only the report's time differs by nature).
fn check_partitions(tool: &Path, config: &Path, filters: &[String], partitions: u64) -> Result<()> {
    let root = corpus::workspace_root();
    let last_run = cargo_snapshot::run::cargo_target_dir(&root)
        .join("cargo-snapshot")
        .join(snapshot_runner::report::REPORT_FILE);
    let full = coverage_json(tool, config, filters, &[])?;
    let copies = root.join("target/xtask-e2e");
    std::fs::create_dir_all(&copies)?;
    let mut reports = Vec::new();
    for shard in 1..=partitions {
        let partition = format!("count:{shard}/{partitions}");
        let status = Command::new(tool)
            .current_dir(&root)
            .args(["compare", "--quiet", "--partition", &partition, "--config"])
            .arg(config)
            .args(filters)
            .status()
            .with_context(|| format!("running {} compare", tool.display()))?;
        if !status.success() {
            bail!("compare of partition {partition} failed ({status})");
        }
        let copy = copies.join(format!("partition-{shard}-of-{partitions}.json"));
        std::fs::copy(&last_run, &copy)
            .with_context(|| format!("copying {} to {}", last_run.display(), copy.display()))?;
        reports.push(copy);
    }
    let merged = coverage_json(tool, config, filters, &reports)?;
    let differing: Vec<&str> = ["services", "total", "warnings", "last_run"]
        .into_iter()
        .filter(|key| merged[key] != full[key])
        .collect();
    if !differing.is_empty() {
        bail!(
            "the coverage merged from {partitions} partitions differs from the full run's in: {}",
            differing.join(", ")
        );
    }
    println!(
        "partitions: the coverage merged from {partitions} partition reports equals the full \
         run's ({} services)",
        full["services"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}

/// `coverage --format json` (merging `reports` when given), without the report's time.
fn coverage_json(
    tool: &Path,
    config: &Path,
    filters: &[String],
    reports: &[PathBuf],
) -> Result<serde_json::Value> {
    let mut command = Command::new(tool);
    command
        .current_dir(corpus::workspace_root())
        .args(["coverage", "--format", "json", "--config"])
        .arg(config)
        .args(filters);
    for report in reports {
        command.arg("--report").arg(report);
    }
    let output = command
        .output()
        .with_context(|| format!("running {} coverage", tool.display()))?;
    if !output.status.success() {
        bail!(
            "coverage failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let mut json: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("reading coverage's JSON")?;
    json["last_run"]["finished_unix_seconds"] = serde_json::Value::Null;
    Ok(json)
}
