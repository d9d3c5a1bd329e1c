//! Command-line parsing and dispatch.
//!
//! cargo runs a subcommand `cargo snapshot <args>` as `cargo-snapshot snapshot <args>`; the
//! extra `snapshot` is dropped so `cargo-snapshot <args>` works the same way.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::coverage::{self, CoverageFormat};
use crate::errors::{CliError, ConfigError, ExitStatus};
use crate::init::{self, InitOptions};
use crate::list::{self, Format, ListOptions};
use crate::run::RunArgs;
use crate::services;
use snapshot_runner::{LiveEndpoint, LockMode, Partition, RunMode, RunReport};

/// Deterministic wire snapshots for every operation of a Smithy-generated Rust SDK.
#[derive(Debug, Parser)]
#[command(name = "cargo-snapshot", bin_name = "cargo snapshot", version)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The config file [default: snapshot.toml in the current directory or a parent, up to the
    /// workspace root]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Only this service (its name or crate); repeat for several
    #[arg(
        id = "service",
        long = "service",
        global = true,
        value_name = "SERVICE"
    )]
    pub services: Vec<String>,
    /// Only this operation; repeat for several
    #[arg(
        id = "operation",
        long = "operation",
        global = true,
        value_name = "OPERATION"
    )]
    pub operations: Vec<String>,
    /// More output: -v shows progress and details, -vv debug logs ($CARGO_SNAPSHOT_LOG overrides)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List services, their protocols and operations, from the models
    List(ListArgs),
    /// Record request, response and error snapshots of every operation (after code generation)
    Write(WriteArgs),
    /// Compare with the recorded snapshots; exit 1 on any difference, leaving pending
    /// snapshots for `cargo insta review`
    Compare(RunCommandArgs),
    /// Per service and in total: operations with request, response and error snapshots,
    /// exclusions with reasons, lost members (from the snapshot files, the models and the last
    /// run)
    Coverage(CoverageArgs),
    /// Write snapshot.toml for a workspace of smithy-rs-generated crates, matching every
    /// model's service to its crate (`--config` names another file)
    Init(InitArgs),
}

/// Options of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The Smithy JSON AST models the crates were generated from: a file, or every *.json in
    /// a directory [default: models/ at the workspace root]
    #[arg(long, value_name = "DIR_OR_FILE")]
    pub models: Option<PathBuf>,
    /// Replace an existing config file
    #[arg(long)]
    pub force: bool,
}

/// Options of `coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Output format [default: table on a terminal, markdown otherwise]
    #[arg(long, value_enum)]
    pub format: Option<CoverageFormat>,
    /// The run reports (`last-run.json`) of the N partitions of one `--partition K/N` run:
    /// merged into the last run's report first, so coverage is that of the whole run
    #[arg(long = "report", value_name = "PATH")]
    pub reports: Vec<PathBuf>,
}

/// Options of `write`.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// The options `compare` takes too.
    #[command(flatten)]
    pub run: RunCommandArgs,
    /// Resolve the harness's dependencies afresh (the newest compatible versions) and record
    /// them in `<snapshot_dir>/harness.lock`, instead of keeping the versions locked there
    #[arg(long)]
    pub update_lock: bool,
}

/// Options of `write` and `compare`.
#[derive(Debug, Args)]
pub struct RunCommandArgs {
    /// Time limit for one case inside the harness, in whole seconds, 1 to 86400 (a day; the
    /// run's own watchdog multiplies it by the number of cases)
    #[arg(long, value_name = "SECONDS", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub case_timeout: u64,
    /// No progress output
    #[arg(long, short)]
    pub quiet: bool,
    /// Send each operation's generated request to this live endpoint (plain http://, e.g. a
    /// moto server) and snapshot its real answers in `live/` instead of replaying responses
    #[arg(long, value_name = "URL", value_parser = parse_endpoint)]
    pub endpoint: Option<LiveEndpoint>,
    /// Run only one partition of the selected services, for CI matrices: `count:K/N` (sorted
    /// by name, dealt out in turn) or `hash:K/N` (by a stable hash of the name)
    #[arg(long, value_name = "STRATEGY:K/N")]
    pub partition: Option<Partition>,
    /// Also write the results as JUnit XML to this file: one test case per snapshot, the diff
    /// as failure text, exclusions as skipped cases
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// GitHub Actions output: an annotation per failed snapshot, and a summary with the diffs
    /// appended to $GITHUB_STEP_SUMMARY
    #[arg(long)]
    pub github: bool,
}

fn parse_endpoint(value: &str) -> Result<LiveEndpoint, String> {
    LiveEndpoint::parse(value).map_err(|error| error.to_string())
}

/// Options of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Read models from this Smithy JSON AST file, or every *.json in this directory, instead
    /// of snapshot.toml
    #[arg(long, value_name = "DIR_OR_FILE")]
    pub models: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Print every operation with its input, output and error shapes (also with -v)
    #[arg(long)]
    pub operations: bool,
}

/// Parses `args` (as from [`std::env::args_os`]) and runs the command, writing its output to
/// `stdout`. Usage errors are printed by clap and end with [`ExitStatus::Usage`].
pub fn run<I, T>(args: I, stdout: &mut dyn Write) -> Result<ExitStatus, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if args.get(1).is_some_and(|arg| arg == "snapshot") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Printing can only fail if stderr is gone; nothing better to do then.
            let _ = error.print();
            return Ok(if error.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Ok
            });
        }
    };
    init_tracing(cli.global.verbose);
    match cli.command {
        Command::List(args) => run_list(&cli.global, args, stdout),
        Command::Write(args) => {
            let lock = match args.update_lock {
                true => LockMode::Refresh,
                false => LockMode::Record,
            };
            run_snapshots(&cli.global, &args.run, RunMode::Write, lock, stdout)
        }
        Command::Compare(args) => run_snapshots(
            &cli.global,
            &args,
            RunMode::Compare,
            LockMode::Honour,
            stdout,
        ),
        Command::Coverage(args) => run_coverage(&cli.global, &args, stdout),
        Command::Init(args) => run_init(&cli.global, args, stdout),
    }
}

fn run_init(
    global: &GlobalArgs,
    args: InitArgs,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    let start = std::env::current_dir().map_err(|error| ConfigError::Io {
        path: PathBuf::from("."),
        error,
    })?;
    let options = InitOptions {
        start,
        models: args.models,
        config: global.config.clone(),
        force: args.force,
    };
    init::run(&options, stdout)?;
    Ok(ExitStatus::Ok)
}

fn run_coverage(
    global: &GlobalArgs,
    args: &CoverageArgs,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    if !global.operations.is_empty() {
        return Err(CliError::CoverageOperationFilter);
    }
    let config = load_config(global, false)?;
    let loaded = services::from_config(&config, &global.services)?;
    let inputs = snapshot_coverage::CoverageInputs::under_target_dir(
        &crate::run::cargo_target_dir(&config.root),
    );
    if !args.reports.is_empty() {
        merge_reports(&args.reports, &inputs.report)?;
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        CoverageFormat::Table
    } else {
        CoverageFormat::Markdown
    });
    coverage::run(&config, &loaded, &inputs, format, stdout)?;
    Ok(ExitStatus::Ok)
}

/// Merges the partition reports at `paths` into the report at `into`.
fn merge_reports(paths: &[PathBuf], into: &std::path::Path) -> Result<(), CliError> {
    let reports = paths
        .iter()
        .map(|path| {
            RunReport::load(path).map_err(|error| CliError::ReadReport {
                path: path.clone(),
                error,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let merged = RunReport::merge(reports).map_err(CliError::MergeReports)?;
    if let Some(dir) = into.parent() {
        std::fs::create_dir_all(dir).map_err(|error| CliError::WorkDir {
            path: dir.to_owned(),
            error,
        })?;
    }
    merged.save(into).map_err(|error| CliError::WorkDir {
        path: into.to_owned(),
        error,
    })
}

fn run_snapshots(
    global: &GlobalArgs,
    args: &RunCommandArgs,
    mode: RunMode,
    lock: LockMode,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    let config = load_config(global, false)?;
    // Check `--operation` names against the models before building anything.
    let selected = config.select_partition(&global.services, args.partition.as_ref())?;
    let loaded = services::from_selection(&config, selected)?;
    list::listings(&loaded, Some(&config), &global.operations)?;
    let args = RunArgs {
        mode,
        lock,
        services: global.services.clone(),
        partition: args.partition,
        junit: args.junit.clone(),
        github: args.github,
        operations: global.operations.clone(),
        case_timeout: std::time::Duration::from_secs(args.case_timeout),
        quiet: args.quiet,
        endpoint: args
            .endpoint
            .clone()
            .map(LiveEndpoint::with_credentials_from_env),
    };
    crate::run::run(&config, &args, loaded, stdout)
}

fn run_list(
    global: &GlobalArgs,
    args: ListArgs,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    let options = ListOptions {
        format: args.format,
        operations: args.operations || global.verbose > 0,
        only_operations: global.operations.clone(),
    };
    match args.models {
        Some(models) => {
            let loaded = services::from_models(&models, &global.services)?;
            list::run(&loaded, None, &options, stdout)?;
        }
        None => {
            let config = load_config(global, true)?;
            let loaded = services::from_config(&config, &global.services)?;
            list::run(&loaded, Some(&config), &options, stdout)?;
        }
    }
    Ok(ExitStatus::Ok)
}

/// The config named by `--config`, or the one found from the current directory.
fn load_config(global: &GlobalArgs, models_flag: bool) -> Result<Config, ConfigError> {
    let path = match &global.config {
        Some(path) => path.clone(),
        None => {
            let cwd = std::env::current_dir().map_err(|error| ConfigError::Io {
                path: PathBuf::from("."),
                error,
            })?;
            Config::discover(&cwd).ok_or(ConfigError::NotFound {
                start: cwd,
                models_flag,
            })?
        }
    };
    tracing::debug!(config = %path.display(), "reading config");
    Config::load(&path)
}

fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CARGO_SNAPSHOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // Fails only when a subscriber is already set (several runs in one test process).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .try_init();
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn cargo_and_direct_invocations_parse_the_same() {
        let direct =
            Cli::try_parse_from(["cargo-snapshot", "list", "--service", "sts", "--operations"])
                .unwrap();
        let mut args: Vec<OsString> = [
            "cargo-snapshot",
            "snapshot",
            "list",
            "--service",
            "sts",
            "--operations",
        ]
        .map(OsString::from)
        .to_vec();
        args.remove(1);
        let via_cargo = Cli::try_parse_from(args).unwrap();
        assert_eq!(format!("{direct:?}"), format!("{via_cargo:?}"));
        let Command::List(list) = direct.command else {
            panic!("expected list");
        };
        assert!(list.operations);
        assert_eq!(direct.global.services, ["sts"]);
    }
}
