//! `cargo xtask mutants`: how many mutations of a client crate's serializers and deserializers
//! `cargo snapshot compare` catches (SPEC §4a's second measure).
//!
//! The client crate's source (the registry copy of the version `snapshot.toml` pins) is copied
//! into `<target>/xtask-mutants/<service>/client`, and a scratch `snapshot.toml` points the
//! service at that copy as a path crate. Snapshots are written once from the unmutated copy
//! (and compared once, to prove the run is deterministic). cargo-mutants (installed by this
//! task, pinned) lists the mutations of `src/protocol_serde/**` with their spans; a seeded
//! sample of them is applied one at a time, each followed by `cargo snapshot compare` of the
//! service, and the file is restored. `compare`'s exit code tells the outcome: 1 killed (a
//! snapshot changed), 0 survived, 3 unviable (the mutated crate does not build); a compare
//! that outlives `--timeout` timed out. Every compare shares one harness target directory, with
//! incremental compilation forced on (the mutated crate is a path crate, so only the changed
//! code is recompiled) and the harness profile's `debug = 0`.

mod catalog;
mod kinds;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use snapshot_model::Model;

use crate::client_source::ClientSource;
use crate::corpus;
use crate::process::{build_tool, cargo, measure};
use crate::scratch::{reset, work_dir};
use catalog::{parse_list, sample, Mutant};
use kinds::{classify, SurvivorKind};

/// The cargo-mutants release this task installs and reads the output of.
const CARGO_MUTANTS_VERSION: &str = "27.1.0";

/// Options of `cargo xtask mutants`.
#[derive(Debug, clap::Args)]
pub struct MutantsArgs {
    /// The corpus service whose client crate is mutated
    #[arg(long)]
    service: String,
    /// Test this many mutants, drawn with --seed [default: all]
    #[arg(long, value_name = "N")]
    sample: Option<usize>,
    /// Seed of the sample: the same list, --sample and --seed always give the same mutants
    #[arg(long, value_name = "K", default_value_t = 7)]
    seed: u64,
    /// Time limit of one mutant's build and compare, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    timeout: u64,
    /// Only print the sample, test nothing
    #[arg(long)]
    list: bool,
    /// Working directory [default: <target dir>/xtask-mutants/<service>]
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Also write every outcome as JSON to this file
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// What `compare` made of one mutant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A snapshot changed: `compare` exited 1.
    Killed,
    /// No snapshot changed: `compare` exited 0.
    Survived,
    /// The mutated crate does not build: `compare` exited 3.
    Unviable,
    /// The build and compare outlived the time limit.
    TimedOut,
    /// `compare` failed otherwise (exit 2: a problem of the run, not of the mutant).
    Failed,
}

impl Outcome {
    fn of(status: Option<ExitStatus>) -> Outcome {
        match status.map(|status| status.code()) {
            None => Outcome::TimedOut,
            Some(Some(0)) => Outcome::Survived,
            Some(Some(1)) => Outcome::Killed,
            Some(Some(3)) => Outcome::Unviable,
            Some(_) => Outcome::Failed,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::Killed => "killed",
            Outcome::Survived => "survived",
            Outcome::Unviable => "unviable",
            Outcome::TimedOut => "timed out",
            Outcome::Failed => "failed",
        }
    }
}

/// One tested mutant.
#[derive(Debug, Clone, Serialize)]
pub struct Tested {
    /// The mutant.
    pub mutant: Mutant,
    /// What compare made of it.
    pub outcome: Outcome,
    /// Build and compare, in seconds.
    pub seconds: f64,
    /// Why it survived (survivors only).
    pub kind: Option<SurvivorKind>,
    /// The compare's log.
    pub log: PathBuf,
}

/// The whole measurement.
#[derive(Debug, Serialize)]
pub struct Measurement {
    /// Short service name.
    pub service: String,
    /// `aws-sdk-sts 1.124.0`.
    pub client: String,
    /// Mutants cargo-mutants lists for `src/protocol_serde/**`.
    pub listed: usize,
    /// The sample's seed.
    pub seed: u64,
    /// The tested mutants, in list order.
    pub tested: Vec<Tested>,
}

impl Measurement {
    fn count(&self, outcome: Outcome) -> usize {
        self.tested.iter().filter(|t| t.outcome == outcome).count()
    }

    /// Killed out of the viable mutants (killed, survived and timed out), in percent.
    pub fn score(&self) -> f64 {
        let killed = self.count(Outcome::Killed);
        let viable = killed + self.count(Outcome::Survived) + self.count(Outcome::TimedOut);
        if viable == 0 {
            0.0
        } else {
            killed as f64 * 100.0 / viable as f64
        }
    }
}

struct Layout {
    dir: PathBuf,
    client: PathBuf,
}

impl Layout {
    fn config(&self) -> PathBuf {
        self.dir.join("snapshot.toml")
    }
    fn logs(&self) -> PathBuf {
        self.dir.join("logs")
    }
}

/// Runs the measurement and prints the outcomes.
pub fn run(args: &MutantsArgs) -> Result<ExitCode> {
    let config = corpus::load_config()?;
    corpus::crate_of(&config, &args.service)?;
    let (tool, source, layout) = prepare(args, &config)?;
    let all = list_mutants(&install_cargo_mutants()?, &layout)?;
    let chosen = match args.sample {
        Some(count) => sample(&all, count, args.seed),
        None => all.clone(),
    };
    eprintln!(
        "mutants: {} mutants of {} {} src/protocol_serde/, testing {} (seed {})",
        all.len(),
        source.crate_name,
        source.version,
        chosen.len(),
        args.seed
    );
    if args.list {
        for mutant in &chosen {
            println!("{}", mutant.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    baseline(&tool, &layout, &args.service)?;
    let (model_path, service_shape) = corpus::model_of(&config, &args.service)?;
    let model = Model::load(&model_path)?;
    let service = model.service_index(service_shape.as_deref())?;
    let run = MutantRun {
        tool: &tool,
        layout: &layout,
        service: &args.service,
        timeout: Duration::from_secs(args.timeout),
    };
    let measurement = Measurement {
        service: args.service.clone(),
        client: format!("{} {}", source.crate_name, source.version),
        listed: all.len(),
        seed: args.seed,
        tested: run.test_each(chosen, &service)?,
    };
    print!("{}", render(&measurement));
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&measurement)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The tool (a private copy), the client's registry source, and the scratch layout with the
/// crate copied and the scratch config written.
fn prepare(args: &MutantsArgs, config: &toml::Table) -> Result<(PathBuf, ClientSource, Layout)> {
    let dir = work_dir(
        args.dir.as_deref(),
        &format!("xtask-mutants/{}", args.service),
    )?;
    std::fs::create_dir_all(&dir)?;
    // A copy, so that rebuilding the workspace during a long measurement cannot change the
    // tool between mutants.
    let tool = dir.join(format!("cargo-snapshot{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(build_tool(false)?, &tool)
        .with_context(|| format!("copying cargo-snapshot to {}", tool.display()))?;
    let source = match ClientSource::of(config, &args.service) {
        Ok(source) => source,
        Err(_) => {
            fetch_client(&tool, &dir, config, &args.service)?;
            ClientSource::of(config, &args.service)?
        }
    };
    let layout = Layout {
        client: dir
            .join("client")
            .join(format!("{}-{}", source.crate_name, source.version)),
        dir,
    };
    reset(&layout.logs())?;
    copy_crate(&source.dir, &layout.client)?;
    let mut scratch = corpus::reduced(config, &[&args.service], &layout.dir.join("snapshots"))?;
    corpus::use_path_crate(&mut scratch, &args.service, &layout.client)?;
    std::fs::write(layout.config(), toml::to_string(&scratch)?)?;
    Ok((tool, source, layout))
}

/// What testing one mutant needs.
struct MutantRun<'a> {
    tool: &'a Path,
    layout: &'a Layout,
    service: &'a str,
    timeout: Duration,
}

impl MutantRun<'_> {
    /// Applies, compares and restores each mutant in turn.
    fn test_each(
        &self,
        mutants: Vec<Mutant>,
        service: &snapshot_model::ServiceIndex<'_>,
    ) -> Result<Vec<Tested>> {
        let count = mutants.len();
        let mut tested = Vec::with_capacity(count);
        for (number, mutant) in mutants.into_iter().enumerate() {
            let log = self
                .layout
                .logs()
                .join(format!("mutant-{:03}.log", number + 1));
            let original = mutant.write_into(&self.layout.client)?;
            let started = Instant::now();
            let status = compare(self.tool, self.layout, self.service, &log, self.timeout);
            mutant.restore(&self.layout.client, &original)?;
            let outcome = Outcome::of(status?);
            let seconds = started.elapsed().as_secs_f64();
            let kind =
                (outcome == Outcome::Survived).then(|| classify(&mutant, &original, service));
            eprintln!(
                "[{}/{count}] {:<9} {:>5.1} min  {}",
                number + 1,
                outcome.label(),
                seconds / 60.0,
                mutant.name
            );
            tested.push(Tested {
                mutant,
                outcome,
                seconds,
                kind,
                log,
            });
        }
        Ok(tested)
    }
}

/// cargo-mutants at [`CARGO_MUTANTS_VERSION`], installed under `<target>/xtask-tools` when it
/// is not there yet.
fn install_cargo_mutants() -> Result<PathBuf> {
    let root = work_dir(None, "xtask-tools")?;
    let bin = root
        .join("bin")
        .join(format!("cargo-mutants{}", std::env::consts::EXE_SUFFIX));
    let installed = Command::new(&bin)
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|output| {
            String::from_utf8_lossy(&output.stdout).contains(CARGO_MUTANTS_VERSION)
        });
    if installed {
        return Ok(bin);
    }
    eprintln!(
        "mutants: installing cargo-mutants {CARGO_MUTANTS_VERSION} into {}",
        root.display()
    );
    let status = cargo()
        .args([
            "install",
            "cargo-mutants",
            "--locked",
            "--version",
            CARGO_MUTANTS_VERSION,
            "--root",
        ])
        .arg(&root)
        .status()
        .context("running cargo install")?;
    if !status.success() {
        bail!(
            "installing cargo-mutants failed ({status}); run `cargo install cargo-mutants --locked \
             --version {CARGO_MUTANTS_VERSION} --root {}` and try again",
            root.display()
        );
    }
    Ok(bin)
}

/// Brings the pinned client crate into the cargo registry: a `cargo snapshot write` of the
/// service in a scratch directory makes cargo download and unpack it.
fn fetch_client(tool: &Path, dir: &Path, config: &toml::Table, service: &str) -> Result<()> {
    let fetch = dir.join("fetch");
    std::fs::create_dir_all(&fetch)?;
    let scratch = fetch.join("snapshot.toml");
    std::fs::write(
        &scratch,
        corpus::reduced_config(config, &[service], &fetch.join("snapshots"))?,
    )?;
    eprintln!(
        "mutants: fetching the client crate with a `cargo snapshot write --service {service}`"
    );
    let log = fetch.join("write.log");
    let measured = measure(
        Command::new(tool)
            .current_dir(&fetch)
            .env("CARGO_TARGET_DIR", fetch.join("work"))
            .args(["write", "--quiet", "--config"])
            .arg(&scratch),
        &log,
    )?;
    if !measured.status.success() {
        bail!("fetching the client crate failed; see {}", log.display());
    }
    Ok(())
}

/// Copies the crate at `from` to an empty `to`, as its own workspace (it lies inside this
/// one's target directory).
fn copy_crate(from: &Path, to: &Path) -> Result<()> {
    reset(to)?;
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let relative = entry.path().strip_prefix(from)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    let manifest = to.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text)?;
    Ok(())
}

/// `cargo mutants --list --json --diff` restricted to `src/protocol_serde/`.
fn list_mutants(bin: &Path, layout: &Layout) -> Result<Vec<Mutant>> {
    let output = Command::new(bin)
        .current_dir(&layout.client)
        .args([
            "mutants",
            "--list",
            "--json",
            "--diff",
            "--file",
            "src/protocol_serde/**",
        ])
        .stderr(Stdio::piped())
        .output()
        .context("running cargo mutants --list")?;
    if !output.status.success() {
        bail!(
            "cargo mutants --list failed in {} ({}): {}",
            layout.client.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    std::fs::write(layout.dir.join("mutants.json"), &output.stdout)?;
    parse_list(&output.stdout)
}

/// `write` from the unmutated copy, then a `compare` that must pass.
fn baseline(tool: &Path, layout: &Layout, service: &str) -> Result<()> {
    eprintln!("mutants: writing the snapshots of the unmutated crate");
    let log = layout.logs().join("baseline-write.log");
    let write = measure(&mut snapshot(tool, layout, "write", service), &log)?;
    if !write.status.success() {
        bail!(
            "`cargo snapshot write` of the unmutated crate failed; see {}",
            log.display()
        );
    }
    let log = layout.logs().join("baseline-compare.log");
    let compare = measure(&mut snapshot(tool, layout, "compare", service), &log)?;
    if !compare.status.success() {
        bail!(
            "`cargo snapshot compare` of the unmutated crate does not pass, so no mutant could \
             survive; see {}",
            log.display()
        );
    }
    eprintln!(
        "mutants: baseline written; an unchanged compare takes {:.1} s",
        compare.wall.as_secs_f64()
    );
    Ok(())
}

fn snapshot(tool: &Path, layout: &Layout, subcommand: &str, service: &str) -> Command {
    let mut command = Command::new(tool);
    command
        .current_dir(&layout.dir)
        .env("CARGO_TARGET_DIR", layout.dir.join("work"))
        .env(
            "CARGO_SNAPSHOT_TARGET_DIR",
            layout.dir.join("harness-target"),
        )
        // The mutated crate is a path crate: incremental builds recompile only what changed.
        .env("CARGO_INCREMENTAL", "1")
        .args([subcommand, "--quiet", "--config"])
        .arg(layout.config())
        .args(["--service", service]);
    command
}

/// `compare` with a time limit; `None` when it was stopped.
fn compare(
    tool: &Path,
    layout: &Layout,
    service: &str,
    log: &Path,
    timeout: Duration,
) -> Result<Option<ExitStatus>> {
    let out = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let mut command = snapshot(tool, layout, "compare", service);
    command
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out);
    crate::process::run_with_timeout(&mut command, timeout)
}

/// The summary, then the survivors grouped by kind with their diffs.
fn render(measurement: &Measurement) -> String {
    let mut out = String::new();
    let tested = &measurement.tested;
    let minutes: Vec<f64> = tested.iter().map(|t| t.seconds / 60.0).collect();
    let total: f64 = minutes.iter().sum();
    let _ = writeln!(
        out,
        "\n{} ({}): {} mutants of src/protocol_serde/, {} tested (seed {})",
        measurement.service,
        measurement.client,
        measurement.listed,
        tested.len(),
        measurement.seed
    );
    let _ = writeln!(
        out,
        "  killed {}, survived {}, unviable {}, timed out {}, failed {}: {:.1}% of viable mutants caught",
        measurement.count(Outcome::Killed),
        measurement.count(Outcome::Survived),
        measurement.count(Outcome::Unviable),
        measurement.count(Outcome::TimedOut),
        measurement.count(Outcome::Failed),
        measurement.score()
    );
    if !tested.is_empty() {
        let _ = writeln!(
            out,
            "  {:.2} min per mutant on average, {:.1} min in all",
            total / tested.len() as f64,
            total
        );
    }
    for failed in tested.iter().filter(|t| t.outcome == Outcome::Failed) {
        let _ = writeln!(
            out,
            "  failed: {} (see {})",
            failed.mutant.name,
            failed.log.display()
        );
    }
    for heading in SurvivorKind::HEADINGS {
        let survivors: Vec<(&Tested, &SurvivorKind)> = tested
            .iter()
            .filter_map(|t| t.kind.as_ref().map(|kind| (t, kind)))
            .filter(|(_, kind)| kind.heading() == heading)
            .collect();
        if survivors.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nsurvivors: {heading} ({})", survivors.len());
        for (survivor, kind) in survivors {
            let _ = writeln!(out, "  {}", survivor.mutant.name);
            let _ = writeln!(out, "    why: {kind}");
            out.push_str(&diff_excerpt(&survivor.mutant.diff, 12));
        }
    }
    out
}

/// The changed lines of a unified diff, at most `max` of them, indented.
fn diff_excerpt(diff: &str, max: usize) -> String {
    let changed: Vec<&str> = diff
        .lines()
        .filter(|line| !line.starts_with("---") && !line.starts_with("+++"))
        .filter(|line| line.starts_with(['-', '+']))
        .collect();
    let mut out = String::new();
    for line in changed.iter().take(max) {
        let _ = writeln!(out, "      {line}");
    }
    if changed.len() > max {
        let _ = writeln!(out, "      ... {} more changed lines", changed.len() - max);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tested(outcome: Outcome, kind: Option<SurvivorKind>) -> Tested {
        let recorded = parse_list(include_bytes!("../testdata/mutants-list.json")).unwrap();
        Tested {
            mutant: recorded[2].clone(),
            outcome,
            seconds: 30.0,
            kind,
            log: PathBuf::from("mutant.log"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn compare_exit_codes_give_the_outcome() {
        use std::os::unix::process::ExitStatusExt;
        let exit = |code: i32| Some(ExitStatus::from_raw(code << 8));
        assert_eq!(Outcome::of(exit(0)), Outcome::Survived);
        assert_eq!(Outcome::of(exit(1)), Outcome::Killed);
        assert_eq!(Outcome::of(exit(3)), Outcome::Unviable);
        assert_eq!(Outcome::of(exit(2)), Outcome::Failed);
        assert_eq!(Outcome::of(None), Outcome::TimedOut);
    }

    #[test]
    fn the_score_counts_killed_of_viable_and_survivors_are_grouped_by_kind() {
        let measurement = Measurement {
            service: "sts".to_owned(),
            client: "aws-sdk-sts 1.124.0".to_owned(),
            listed: 275,
            seed: 7,
            tested: vec![
                tested(Outcome::Killed, None),
                tested(Outcome::Killed, None),
                tested(Outcome::Unviable, None),
                tested(Outcome::TimedOut, None),
                tested(Outcome::Survived, Some(SurvivorKind::Other)),
                tested(
                    Outcome::Survived,
                    Some(SurvivorKind::ErrorDispatch {
                        function: "de_assume_role_http_error".to_owned(),
                    }),
                ),
            ],
        };
        assert_eq!(measurement.score(), 40.0, "2 killed of 5 viable");
        let text = render(&measurement);
        assert!(
            text.contains("killed 2, survived 2, unviable 1, timed out 1, failed 0: 40.0%"),
            "{text}"
        );
        assert!(text.contains("0.50 min per mutant"), "{text}");
        let dispatch = text
            .find("survivors: error arm only reached through another operation (1)")
            .expect(&text);
        let other = text.find("survivors: other (1)").expect(&text);
        assert!(
            dispatch < other,
            "kinds are listed in a fixed order:\n{text}"
        );
        assert!(
            text.contains(
                "why: error arm only reached through another operation (de_assume_role_http_error)"
            ),
            "{text}"
        );
        assert!(
            text.contains("      -"),
            "each survivor shows its diff:\n{text}"
        );
    }

    #[test]
    fn diff_excerpts_keep_changed_lines_and_say_how_many_were_cut() {
        let diff = "--- a\n+++ b\n@@ -1,3 +1,1 @@\n context\n-one\n-two\n-three\n+four\n";
        assert_eq!(
            diff_excerpt(diff, 2),
            "      -one\n      -two\n      ... 2 more changed lines\n"
        );
    }
}
