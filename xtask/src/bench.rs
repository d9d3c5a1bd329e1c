//! `cargo xtask bench`: what cargo-snapshot costs a CI run, measured in one run on this machine.
//!
//! * **Cold write ÷ plain build**: `cargo snapshot write --service S` with an empty harness
//!   target directory, against `cargo build` of a new crate that depends on the same client
//!   crate (default features, as a user adds it) with the harness's profile (dev, `debug = 0`,
//!   `incremental = false`) into an empty target directory. One run each: they take minutes.
//! * **Warm compare**: `cargo snapshot compare` with nothing changed, per core service and for
//!   the whole core set, after a `write` of the core set: one warm-up, then `--runs` counted
//!   runs; the median is quoted.
//! * **Harness time per operation** (the sum of its cases) and per case, median and p99, from
//!   the run report of the last counted core-set compare.
//! * **Peak memory**: of the cargo-snapshot process itself and of the harness processes (both
//!   from the run report), and of the largest process of the whole command (cargo, rustc).
//!
//! Everything happens under `<target>/xtask-bench` with a copy of the corpus config reduced to
//! the core set; the repository's snapshots are not touched.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use snapshot_runner::report::RunReport;

use crate::corpus::{self, CORE};
use crate::process::{build_tool, cargo, measure, Measured};
use crate::scratch::{reset, work_dir};
use crate::table::table;

/// Options of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Counted runs of each warm measurement (after one warm-up run)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    runs: u16,
    /// Services whose cold write is compared with a plain build; repeat for several
    #[arg(long = "cold", default_values_t = ["sts".to_owned(), "s3".to_owned()])]
    cold: Vec<String>,
    /// Leave out the cold measurements (several minutes each)
    #[arg(long)]
    no_cold: bool,
    /// Also build each cold service's client without default features (what the harness
    /// builds: no TLS stack), as a second baseline
    #[arg(long)]
    lean_baseline: bool,
    /// Working directory [default: <target dir>/xtask-bench]
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Also write the figures as JSON to this file
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// Median, minimum and maximum of repeated measurements, in seconds.
#[derive(Debug, Clone, Copy, Serialize)]
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

impl Spread {
    fn of(samples: &[Duration]) -> Spread {
        let mut seconds: Vec<f64> = samples.iter().map(Duration::as_secs_f64).collect();
        seconds.sort_by(f64::total_cmp);
        Spread {
            median: median(&seconds),
            min: seconds.first().copied().unwrap_or_default(),
            max: seconds.last().copied().unwrap_or_default(),
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Stage times of one run, from its report, in milliseconds.
#[derive(Debug, Clone, Serialize)]
struct Stages {
    plan: u64,
    build: u64,
    run: u64,
    store: u64,
}

impl Stages {
    fn of(report: &RunReport) -> Stages {
        Stages {
            plan: report.timings.plan_millis,
            build: report.timings.build_millis,
            run: report.timings.run_millis,
            store: report.timings.store_millis,
        }
    }
}

#[derive(Debug, Serialize)]
struct Cold {
    service: String,
    crate_name: String,
    write_seconds: f64,
    plain_build_seconds: f64,
    ratio: f64,
    lean_build_seconds: Option<f64>,
    write_stages: Stages,
    tool_peak_kib: u64,
    harness_peak_kib: u64,
    largest_process_kib: u64,
}

#[derive(Debug, Serialize)]
struct Warm {
    scope: String,
    operations: usize,
    seconds: Spread,
    stages: Stages,
    failed_runs: usize,
}

#[derive(Debug, Serialize)]
struct HarnessTimes {
    operations: usize,
    operation_median_ms: f64,
    operation_p99_ms: f64,
    cases: usize,
    case_median_ms: f64,
    case_p99_ms: f64,
}

#[derive(Debug, Serialize)]
struct Peaks {
    tool_compare_kib: u64,
    harness_kib: u64,
    largest_process_compare_kib: u64,
}

#[derive(Debug, Serialize)]
struct Figures {
    machine: String,
    runs: u16,
    prepare_write_seconds: f64,
    cold: Vec<Cold>,
    warm: Vec<Warm>,
    harness: HarnessTimes,
    peaks: Peaks,
}

/// Runs the benchmark and prints the table.
pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    let config = corpus::load_config()?;
    for name in &args.cold {
        corpus::crate_of(&config, name)?;
    }
    let dir = work_dir(args.dir.as_deref(), "xtask-bench")?;
    let logs = dir.join("logs");
    reset(&logs)?;
    eprintln!("bench: building cargo-snapshot (release)");
    let tool = build_tool(true)?;
    let workspace = dir.join("workspace");
    reset(&workspace)?;
    let bench_config = workspace.join("snapshot.toml");
    std::fs::write(
        &bench_config,
        corpus::reduced_config(&config, &CORE, &workspace.join("snapshots"))?,
    )?;
    let machine = machine_line();

    let mut cold = Vec::new();
    if !args.no_cold {
        for service in &args.cold {
            cold.push(cold_service(
                &tool,
                &bench_config,
                &config,
                service,
                &dir,
                args.lean_baseline,
            )?);
        }
    }

    // Warm: one shared work and harness target directory, as a CI cache would keep them.
    let warm_dir = dir.join("warm");
    std::fs::create_dir_all(&warm_dir)?;
    let snapshot = |subcommand: &str, services: &[&str]| {
        let mut command = Command::new(&tool);
        command
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", warm_dir.join("target"))
            .env("CARGO_SNAPSHOT_TARGET_DIR", warm_dir.join("harness"))
            .args([subcommand, "--quiet", "--config"])
            .arg(&bench_config);
        for service in services {
            command.args(["--service", service]);
        }
        command
    };
    let warm_report = || RunReport::load(&warm_dir.join("target/cargo-snapshot/last-run.json"));
    eprintln!("bench: write of the core set (builds the harnesses unless cached)");
    let prepared = measure(
        &mut snapshot("write", &CORE),
        &logs.join("prepare-write.log"),
    )?;
    if !prepared.status.success() {
        bail!(
            "`cargo snapshot write` of the core set failed ({}); see {}",
            prepared.status,
            logs.join("prepare-write.log").display()
        );
    }
    let mut warm = Vec::new();
    let mut core_compare: Option<(RunReport, Vec<Measured>)> = None;
    let scopes: Vec<(String, Vec<&str>)> = CORE
        .iter()
        .map(|service| ((*service).to_owned(), vec![*service]))
        .chain([("core set".to_owned(), CORE.to_vec())])
        .collect();
    for (scope, services) in scopes {
        eprintln!("bench: warm compare of {scope}");
        let log = logs.join(format!("compare-{}.log", scope.replace(' ', "-")));
        let mut samples = Vec::new();
        for attempt in 0..=args.runs {
            let measured = measure(&mut snapshot("compare", &services), &log)?;
            if attempt > 0 {
                samples.push(measured);
            }
        }
        let report = warm_report().context("reading the warm compare's report")?;
        warm.push(Warm {
            operations: report
                .services
                .iter()
                .map(|service| service.operations_total)
                .sum(),
            scope: scope.clone(),
            seconds: Spread::of(&samples.iter().map(|m| m.wall).collect::<Vec<_>>()),
            stages: Stages::of(&report),
            failed_runs: samples.iter().filter(|m| !m.status.success()).count(),
        });
        if services.len() > 1 {
            core_compare = Some((report, samples));
        }
    }
    let Some((core_report, core_samples)) = core_compare else {
        bail!("the core set was not measured");
    };
    let figures = Figures {
        machine,
        runs: args.runs,
        prepare_write_seconds: prepared.wall.as_secs_f64(),
        cold,
        warm,
        harness: harness_times(&core_report),
        peaks: Peaks {
            tool_compare_kib: core_report.timings.tool_peak_kib,
            harness_kib: core_report.timings.harness_peak_kib,
            largest_process_compare_kib: core_samples
                .iter()
                .map(|m| m.tree_peak_kib)
                .max()
                .unwrap_or_default(),
        },
    };
    print!("{}", render(&figures));
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&figures)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn cold_service(
    tool: &Path,
    bench_config: &Path,
    config: &toml::Table,
    service: &str,
    dir: &Path,
    lean_baseline: bool,
) -> Result<Cold> {
    let (crate_name, version) = corpus::crate_of(config, service)?;
    let logs = dir.join("logs");
    let cold = dir.join("cold");

    eprintln!("bench: cold `cargo snapshot write --service {service}`");
    let write_dir = cold.join(format!("write-{service}"));
    reset(&write_dir)?;
    let log = logs.join(format!("cold-write-{service}.log"));
    let write = measure(
        Command::new(tool)
            .current_dir(bench_config.parent().unwrap_or(Path::new(".")))
            .env("CARGO_TARGET_DIR", write_dir.join("target"))
            .env("CARGO_SNAPSHOT_TARGET_DIR", write_dir.join("harness"))
            .args(["write", "--quiet", "--config"])
            .arg(bench_config)
            .args(["--service", service]),
        &log,
    )?;
    if !write.status.success() {
        bail!(
            "cold write of {service} failed ({}); see {}",
            write.status,
            log.display()
        );
    }
    let report = RunReport::load(&write_dir.join("target/cargo-snapshot/last-run.json"))
        .context("reading the cold write's report")?;

    eprintln!("bench: plain `cargo build` of {crate_name} {version}");
    let plain = plain_build(&cold, &logs, service, &crate_name, &version, true)?;
    let lean = if lean_baseline {
        eprintln!("bench: plain `cargo build` of {crate_name} without default features");
        Some(plain_build(&cold, &logs, service, &crate_name, &version, false)?.as_secs_f64())
    } else {
        None
    };
    // The builds are large (s3: over a gigabyte); keep only the logs.
    let _ = std::fs::remove_dir_all(&cold);
    Ok(Cold {
        service: service.to_owned(),
        crate_name,
        write_seconds: write.wall.as_secs_f64(),
        plain_build_seconds: plain.as_secs_f64(),
        ratio: write.wall.as_secs_f64() / plain.as_secs_f64().max(f64::EPSILON),
        lean_build_seconds: lean,
        write_stages: Stages::of(&report),
        tool_peak_kib: report.timings.tool_peak_kib,
        harness_peak_kib: report.timings.harness_peak_kib,
        largest_process_kib: write.tree_peak_kib,
    })
}

/// `cargo build` of a new crate depending on the client, with the harness's dev profile.
fn plain_build(
    cold: &Path,
    logs: &Path,
    service: &str,
    crate_name: &str,
    version: &str,
    default_features: bool,
) -> Result<Duration> {
    let variant = if default_features { "plain" } else { "lean" };
    let crate_dir = cold.join(format!("{variant}-{service}"));
    reset(&crate_dir)?;
    std::fs::create_dir_all(crate_dir.join("src"))?;
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "{variant}-build-{service}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
{crate_name} = {{ version = "{version}", default-features = {default_features} }}

# The profile cargo-snapshot builds its harnesses with.
[profile.dev]
debug = 0
incremental = false

[workspace]
"#
        ),
    )?;
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        format!("pub use {};\n", crate_name.replace('-', "_")),
    )?;
    let log = logs.join(format!("{variant}-build-{service}.log"));
    let built = measure(
        cargo()
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", crate_dir.join("target"))
            .arg("build"),
        &log,
    )?;
    if !built.status.success() {
        bail!(
            "plain build of {crate_name} failed ({}); see {}",
            built.status,
            log.display()
        );
    }
    Ok(built.wall)
}

fn harness_times(report: &RunReport) -> HarnessTimes {
    let mut operations: Vec<u64> = report
        .services
        .iter()
        .flat_map(|service| service.operation_micros.iter().copied())
        .collect();
    let mut cases: Vec<u64> = report
        .services
        .iter()
        .flat_map(|service| service.case_micros.iter().copied())
        .collect();
    operations.sort_unstable();
    cases.sort_unstable();
    let ms = |micros: u64| Duration::from_micros(micros).as_secs_f64() * 1000.0;
    let median_of = |values: &[u64]| {
        let as_ms: Vec<f64> = values.iter().map(|&v| ms(v)).collect();
        median(&as_ms)
    };
    HarnessTimes {
        operations: operations.len(),
        operation_median_ms: median_of(&operations),
        operation_p99_ms: ms(percentile(&operations, 99.0)),
        cases: cases.len(),
        case_median_ms: median_of(&cases),
        case_p99_ms: ms(percentile(&cases, 99.0)),
    }
}

fn machine_line() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc (unknown version)".to_owned());
    format!(
        "{} {}, {cpus} CPU(s), {rustc}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn render(figures: &Figures) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\ncargo xtask bench: {}", figures.machine);
    if !figures.cold.is_empty() {
        let _ = writeln!(
            out,
            "\ncold `cargo snapshot write --service S` / plain `cargo build` of the client crate (dev profile, debug = 0, incremental = false; one run each) [target <= 1.3]"
        );
        let mut rows = vec![vec![
            "service".to_owned(),
            "write".to_owned(),
            "plain build".to_owned(),
            "ratio".to_owned(),
            "lean build".to_owned(),
            "write: plan/build/run/store".to_owned(),
        ]];
        for cold in &figures.cold {
            rows.push(vec![
                format!("{} ({})", cold.service, cold.crate_name),
                format!("{:.1} s", cold.write_seconds),
                format!("{:.1} s", cold.plain_build_seconds),
                format!("{:.2}", cold.ratio),
                cold.lean_build_seconds
                    .map_or_else(|| "-".to_owned(), |s| format!("{s:.1} s")),
                format!(
                    "{}/{}/{}/{} ms",
                    cold.write_stages.plan,
                    cold.write_stages.build,
                    cold.write_stages.run,
                    cold.write_stages.store
                ),
            ]);
        }
        out.push_str(&table(&rows));
    }
    let _ = writeln!(
        out,
        "\nwarm `cargo snapshot compare`, nothing changed (median of {} runs after a warm-up; min-max) [target sts <= 2 s]",
        figures.runs
    );
    let mut rows = vec![vec![
        "scope".to_owned(),
        "operations".to_owned(),
        "median".to_owned(),
        "min-max".to_owned(),
        "plan/build/run/store (last run)".to_owned(),
        "failed".to_owned(),
    ]];
    for warm in &figures.warm {
        rows.push(vec![
            warm.scope.clone(),
            warm.operations.to_string(),
            format!("{:.2} s", warm.seconds.median),
            format!("{:.2}-{:.2} s", warm.seconds.min, warm.seconds.max),
            format!(
                "{}/{}/{}/{} ms",
                warm.stages.plan, warm.stages.build, warm.stages.run, warm.stages.store
            ),
            warm.failed_runs.to_string(),
        ]);
    }
    out.push_str(&table(&rows));
    let harness = &figures.harness;
    let _ = writeln!(
        out,
        "\nharness time (core set, last compare) [target median per operation <= 5 ms]"
    );
    out.push_str(&table(&[
        vec![
            "unit".to_owned(),
            "count".to_owned(),
            "median".to_owned(),
            "p99".to_owned(),
        ],
        vec![
            "per operation".to_owned(),
            harness.operations.to_string(),
            format!("{:.2} ms", harness.operation_median_ms),
            format!("{:.2} ms", harness.operation_p99_ms),
        ],
        vec![
            "per case".to_owned(),
            harness.cases.to_string(),
            format!("{:.2} ms", harness.case_median_ms),
            format!("{:.2} ms", harness.case_p99_ms),
        ],
    ]));
    let _ = writeln!(out, "\npeak resident memory");
    let mut rows = vec![
        vec![
            "cargo-snapshot process, warm compare of the core set".to_owned(),
            mib(figures.peaks.tool_compare_kib),
        ],
        vec![
            "harness processes (largest), core set".to_owned(),
            mib(figures.peaks.harness_kib),
        ],
        vec![
            "largest process of a warm compare (incl. cargo)".to_owned(),
            mib(figures.peaks.largest_process_compare_kib),
        ],
    ];
    for cold in &figures.cold {
        rows.push(vec![
            format!("cargo-snapshot process, cold write of {}", cold.service),
            mib(cold.tool_peak_kib),
        ]);
        rows.push(vec![
            format!(
                "largest process of the cold write of {} (rustc)",
                cold.service
            ),
            mib(cold.largest_process_kib),
        ]);
    }
    out.push_str(&table(&rows));
    let _ = writeln!(
        out,
        "\n(write of the core set before the warm runs: {:.1} s; logs in the bench directory)",
        figures.prepare_write_seconds
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_and_percentiles() {
        let spread = Spread::of(&[3, 1, 2, 10].map(Duration::from_secs));
        assert_eq!((spread.median, spread.min, spread.max), (2.5, 1.0, 10.0));
        let values: Vec<u64> = (1..=200).collect();
        assert_eq!(percentile(&values, 99.0), 198);
        assert_eq!(percentile(&values, 50.0), 100);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 99.0), 0);
    }

    #[test]
    fn memory_is_shown_in_mebibytes() {
        assert_eq!(mib(2048), "2 MiB");
        assert_eq!(mib(0), "0 MiB");
    }
}
