//! `cargo xtask serde-coverage`: how much of each client crate's wire code the snapshot cases
//! execute (SPEC §4a's measure), with LLVM source-based coverage.
//!
//! A normal `cargo snapshot write` of the chosen services (the core set by default) runs into a
//! scratch snapshot directory under `<target>/xtask-serde-coverage`, with
//! `RUSTFLAGS=-C instrument-coverage` and `LLVM_PROFILE_FILE` in its environment. The
//! cargo-snapshot binary is built first, without those flags; the harness build it starts
//! inherits them, into its own harness target directory (`CARGO_SNAPSHOT_TARGET_DIR`), so
//! neither the tool nor the normal harness cache is rebuilt instrumented. The raw profiles of
//! every harness process are merged with `llvm-profdata`, and `llvm-cov export` over each
//! service's harness binary, restricted to the client crate's `src/`, gives lines and regions
//! per file. Figures are shown for `src/protocol_serde/**` (the serializers and deserializers)
//! and for the whole `src/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use snapshot_codegen::{ClientCrate, ClientSource as HarnessSource};

use crate::client_source::ClientSource;
use crate::corpus::{self, CORE};
use crate::llvm::{files_from_export, Counts, FileCoverage, LlvmTools};
use crate::process::{build_tool, measure};
use crate::scratch::{reset, work_dir};
use crate::table::table;

/// Options of `cargo xtask serde-coverage`.
#[derive(Debug, clap::Args)]
pub struct SerdeCoverageArgs {
    /// Only this service; repeat for several [default: the core set]
    #[arg(long)]
    service: Vec<String>,
    /// Also print the missed lines of this file: a path under the client crate's `src/`
    /// (`protocol_serde/shape_assume_role.rs`) or any end of one; a directory under `src/`
    /// (`protocol_serde`) prints every file in it
    #[arg(long, value_name = "FILE")]
    show_missed: Option<String>,
    /// How many files with the most missed lines to list per service
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Report from the profiles of the last run instead of running the cases again
    #[arg(long)]
    report_only: bool,
    /// Working directory [default: <target dir>/xtask-serde-coverage]
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Also write the figures as JSON to this file
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// One service's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceCoverage {
    /// Short service name.
    pub service: String,
    /// Client crate and version (`aws-sdk-sts 1.124.0`).
    pub client: String,
    /// `src/protocol_serde/**`.
    pub serde: Figures,
    /// The whole `src/`.
    pub src: Figures,
    /// Every file of `src/`, path relative to `src/`, most missed lines first.
    pub files: Vec<FileFigures>,
}

/// Lines and regions of a set of files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Lines with code.
    pub lines: Counts,
    /// Code regions.
    pub regions: Counts,
}

/// One file's figures, with its missed lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileFigures {
    /// Path relative to the crate's `src/`.
    pub path: PathBuf,
    /// Lines and regions.
    pub figures: Figures,
    /// Lines with code that never ran.
    pub missed_lines: Vec<u32>,
}

impl ServiceCoverage {
    /// Sums the files under `src` (absolute paths as in the export); files elsewhere (the
    /// client's dependencies, the harness) are left out.
    pub fn of(service: &str, client: String, src: &Path, files: Vec<FileCoverage>) -> Self {
        let mut coverage = ServiceCoverage {
            service: service.to_owned(),
            client,
            serde: Figures::default(),
            src: Figures::default(),
            files: Vec::new(),
        };
        for file in files {
            let Ok(relative) = file.path.strip_prefix(src) else {
                continue;
            };
            let figures = Figures {
                lines: file.lines,
                regions: file.regions,
            };
            coverage.src.lines += figures.lines;
            coverage.src.regions += figures.regions;
            if relative.starts_with("protocol_serde") {
                coverage.serde.lines += figures.lines;
                coverage.serde.regions += figures.regions;
            }
            coverage.files.push(FileFigures {
                path: relative.to_owned(),
                figures,
                missed_lines: file.missed_lines,
            });
        }
        coverage.files.sort_by(|a, b| {
            b.figures
                .lines
                .missed()
                .cmp(&a.figures.lines.missed())
                .then_with(|| a.path.cmp(&b.path))
        });
        coverage
    }

    /// The `protocol_serde` files with the most missed lines, at most `n`.
    pub fn most_missed_serde_files(&self, n: usize) -> impl Iterator<Item = &FileFigures> {
        self.files
            .iter()
            .filter(|file| {
                file.path.starts_with("protocol_serde") && file.figures.lines.missed() > 0
            })
            .take(n)
    }

    /// Files whose path relative to `src/` ends with `wanted`, or lies under it when `wanted`
    /// is a directory of `src/` (`protocol_serde`).
    pub fn files_matching<'a>(&'a self, wanted: &'a Path) -> impl Iterator<Item = &'a FileFigures> {
        self.files
            .iter()
            .filter(move |file| file.path.ends_with(wanted) || file.path.starts_with(wanted))
    }
}

/// The scratch layout under the working directory.
struct Layout {
    dir: PathBuf,
}

impl Layout {
    fn config(&self) -> PathBuf {
        self.dir.join("snapshot.toml")
    }
    fn raw_profiles(&self) -> PathBuf {
        self.dir.join("profiles/raw")
    }
    fn merged_profile(&self) -> PathBuf {
        self.dir.join("profiles/merged.profdata")
    }
    fn harness_target(&self) -> PathBuf {
        self.dir.join("harness-target")
    }
    fn logs(&self) -> PathBuf {
        self.dir.join("logs")
    }
}

/// Runs the measurement and prints the figures.
pub fn run(args: &SerdeCoverageArgs) -> Result<ExitCode> {
    let config = corpus::load_config()?;
    let services: Vec<String> = if args.service.is_empty() {
        CORE.iter().map(|name| (*name).to_owned()).collect()
    } else {
        args.service.clone()
    };
    for service in &services {
        corpus::crate_of(&config, service)?;
    }
    let layout = Layout {
        dir: work_dir(args.dir.as_deref(), "xtask-serde-coverage")?,
    };
    std::fs::create_dir_all(layout.logs())?;
    let tools = LlvmTools::find_or_install(&layout.dir)?;
    if args.report_only {
        if !layout.merged_profile().is_file() {
            bail!(
                "{} does not exist: run `cargo xtask serde-coverage` without --report-only first",
                layout.merged_profile().display()
            );
        }
    } else {
        run_cases(&layout, &config, &services)?;
        eprintln!("serde-coverage: merging profiles");
        tools.merge(&layout.raw_profiles(), &layout.merged_profile())?;
    }
    let mut measured = Vec::new();
    for service in &services {
        let client = ClientSource::of(&config, service)?;
        let harness = ClientCrate {
            package: client.crate_name.clone(),
            source: HarnessSource::Registry {
                version: format!("={}", client.version),
            },
        }
        .harness_package();
        let object = layout
            .harness_target()
            .join("debug")
            .join(format!("{harness}{}", std::env::consts::EXE_SUFFIX));
        if !object.is_file() {
            bail!(
                "{} is missing: the instrumented harness of {service} was not built; run without --report-only",
                object.display()
            );
        }
        let json = tools.export(&layout.merged_profile(), &[object], &[client.src()])?;
        measured.push(ServiceCoverage::of(
            service,
            format!("{} {}", client.crate_name, client.version),
            &client.src(),
            files_from_export(&json)?,
        ));
    }
    print!("{}", render(&measured, args.top));
    if let Some(wanted) = &args.show_missed {
        print!("{}", show_missed(&measured, &config, Path::new(wanted))?);
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&measured)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo snapshot write` of `services`, instrumented, into the scratch snapshot directory.
fn run_cases(layout: &Layout, config: &toml::Table, services: &[String]) -> Result<()> {
    let names: Vec<&str> = services.iter().map(String::as_str).collect();
    std::fs::write(
        layout.config(),
        corpus::reduced_config(config, &names, &layout.dir.join("snapshots"))?,
    )?;
    eprintln!("serde-coverage: building cargo-snapshot");
    let tool = build_tool(false)?;
    reset(&layout.raw_profiles())?;
    let log = layout.logs().join("write.log");
    std::fs::write(&log, "")?;
    eprintln!(
        "serde-coverage: instrumented `cargo snapshot write` of {} (log: {})",
        names.join(", "),
        log.display()
    );
    let mut command = Command::new(&tool);
    command
        .current_dir(&layout.dir)
        .env("CARGO_TARGET_DIR", layout.dir.join("work"))
        .env("CARGO_SNAPSHOT_TARGET_DIR", layout.harness_target())
        // Reaches the harness build (cargo-snapshot passes its environment on), not the tool.
        .env("RUSTFLAGS", "-C instrument-coverage")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env(
            "LLVM_PROFILE_FILE",
            layout.raw_profiles().join("%p-%m.profraw"),
        )
        .args(["write", "--quiet", "--config"])
        .arg(layout.config());
    for service in &names {
        command.args(["--service", service]);
    }
    let measured = measure(&mut command, &log)?;
    if !measured.status.success() {
        bail!(
            "the instrumented `cargo snapshot write` failed ({}); see {}",
            measured.status,
            log.display()
        );
    }
    eprintln!(
        "serde-coverage: cases ran in {:.0} s",
        measured.wall.as_secs_f64()
    );
    Ok(())
}

fn percent(counts: Counts) -> String {
    format!(
        "{:.1}% ({}/{})",
        counts.percent(),
        counts.covered,
        counts.count
    )
}

/// The per-service table, then each service's files with the most missed lines.
pub fn render(measured: &[ServiceCoverage], top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nclient crate lines and regions executed by the snapshot cases"
    );
    let mut rows = vec![vec![
        "service".to_owned(),
        "client".to_owned(),
        "protocol_serde lines".to_owned(),
        "protocol_serde regions".to_owned(),
        "src lines".to_owned(),
        "src regions".to_owned(),
    ]];
    for service in measured {
        rows.push(vec![
            service.service.clone(),
            service.client.clone(),
            percent(service.serde.lines),
            percent(service.serde.regions),
            percent(service.src.lines),
            percent(service.src.regions),
        ]);
    }
    out.push_str(&table(&rows));
    if top == 0 {
        return out;
    }
    for service in measured {
        let files: Vec<&FileFigures> = service.most_missed_serde_files(top).collect();
        if files.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}: protocol_serde files with the most missed lines",
            service.service
        );
        let mut rows = vec![vec![
            "file".to_owned(),
            "missed lines".to_owned(),
            "lines".to_owned(),
        ]];
        for file in files {
            rows.push(vec![
                file.path.display().to_string(),
                file.figures.lines.missed().to_string(),
                percent(file.figures.lines),
            ]);
        }
        out.push_str(&table(&rows));
    }
    out
}

/// The missed lines of every file matching `wanted`, with their source text.
fn show_missed(
    measured: &[ServiceCoverage],
    config: &toml::Table,
    wanted: &Path,
) -> Result<String> {
    let mut out = String::new();
    let mut found = false;
    for service in measured {
        let client = ClientSource::of(config, &service.service)?;
        for file in service.files_matching(wanted) {
            found = true;
            if file.missed_lines.is_empty() {
                continue;
            }
            let path = client.src().join(&file.path);
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let lines: Vec<&str> = source.lines().collect();
            let _ = writeln!(
                out,
                "\n{} ({}): {} missed of {} lines",
                path.display(),
                service.service,
                file.figures.lines.missed(),
                file.figures.lines.count
            );
            let mut previous = 0;
            for &number in &file.missed_lines {
                if previous != 0 && number > previous + 1 {
                    let _ = writeln!(out, "      ...");
                }
                let text = lines.get(number as usize - 1).copied().unwrap_or_default();
                let _ = writeln!(out, "{number:>6} | {text}");
                previous = number;
            }
        }
    }
    if !found {
        bail!(
            "no file of the measured services' src/ ends with `{}`; name a path under src/, e.g. \
             `protocol_serde/shape_assume_role.rs`",
            wanted.display()
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded() -> ServiceCoverage {
        let json = include_bytes!("../testdata/llvm-cov-export.json");
        ServiceCoverage::of(
            "sts",
            "aws-sdk-sts 1.124.0".to_owned(),
            Path::new("/registry/aws-sdk-sts-1.124.0/src"),
            files_from_export(json).unwrap(),
        )
    }

    #[test]
    fn protocol_serde_and_src_are_summed_apart_and_dependencies_left_out() {
        let sts = recorded();
        assert_eq!(
            sts.serde.lines,
            Counts {
                covered: 45,
                count: 68
            }
        );
        assert_eq!(
            sts.serde.regions,
            Counts {
                covered: 83,
                count: 113
            }
        );
        // src/protocol_serde.rs is in src/ but not under src/protocol_serde/.
        assert_eq!(
            sts.src.lines,
            Counts {
                covered: 68,
                count: 91
            }
        );
        let paths: Vec<&Path> = sts.files.iter().map(|file| file.path.as_path()).collect();
        assert_eq!(
            paths,
            [
                Path::new("protocol_serde/shape_get_caller_identity.rs"),
                Path::new("protocol_serde.rs"),
            ],
            "most missed lines first; the dependency's file is not the client's"
        );
    }

    #[test]
    fn the_most_missed_list_and_file_lookup_use_paths_under_src() {
        let sts = recorded();
        let top: Vec<&FileFigures> = sts.most_missed_serde_files(5).collect();
        assert_eq!(top.len(), 1, "fully covered files are not listed");
        assert_eq!(top[0].missed_lines.len(), 23);
        let wanted = Path::new("shape_get_caller_identity.rs");
        assert_eq!(sts.files_matching(wanted).count(), 1);
        assert_eq!(
            sts.files_matching(Path::new("caller_identity.rs")).count(),
            0
        );
        // A directory under src/ names every file in it, and not the module file beside it.
        let in_dir: Vec<&Path> = sts
            .files_matching(Path::new("protocol_serde"))
            .map(|file| file.path.as_path())
            .collect();
        assert_eq!(
            in_dir,
            [Path::new("protocol_serde/shape_get_caller_identity.rs")]
        );
    }

    #[test]
    fn the_table_shows_both_scopes_per_service() {
        let text = render(&[recorded()], 5);
        assert!(text.contains("sts"), "{text}");
        assert!(text.contains("66.2% (45/68)"), "{text}");
        assert!(text.contains("74.7% (68/91)"), "{text}");
        assert!(
            text.contains("protocol_serde/shape_get_caller_identity.rs"),
            "{text}"
        );
    }
}
