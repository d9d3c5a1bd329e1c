//! `cargo xtask e2e`: `cargo snapshot compare` (or `write`) over the e2e corpus, then its
//! coverage. The corpus is the workspace's `snapshot.toml`; `--core` limits it to the core set.

use std::process::ExitCode;

use anyhow::{Context, Result};

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
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}
