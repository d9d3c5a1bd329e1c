//! One `cargo build` of the harness workspace, with compiler errors traced back to operations.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::{CompilerMessage, Message};

use crate::{Progress, RunError};

/// What a harness package is made of, for attributing errors.
#[derive(Debug, Clone)]
pub(crate) struct BuildUnit {
    /// The harness package.
    pub package: String,
    /// The client crate it depends on.
    pub client_package: String,
    /// Operation by source file (relative to the workspace root).
    pub operation_files: BTreeMap<PathBuf, String>,
}

/// The result of one cargo build.
#[derive(Debug, Default)]
pub(crate) struct BuildResult {
    /// Operations whose code did not compile, by harness package, with the first error.
    pub operation_errors: BTreeMap<String, BTreeMap<String, String>>,
    /// Harness packages that failed for reasons outside any operation, with cargo's words.
    pub package_errors: BTreeMap<String, String>,
    /// Whether cargo reported success.
    pub success: bool,
}

/// Runs `cargo build` for `units` in `workspace` with the given target directory, counting
/// the crates built on `progress`. cargo inherits this process's environment: `RUSTFLAGS`,
/// `CARGO_INCREMENTAL` and `LLVM_PROFILE_FILE` set for cargo-snapshot reach the harness build
/// and run only (`cargo xtask serde-coverage` and `cargo xtask mutants` rely on it).
pub(crate) fn build(
    workspace: &Path,
    target_dir: &Path,
    units: &[BuildUnit],
    progress: &Progress,
) -> Result<BuildResult, RunError> {
    progress.crates_to_build(0);
    // The count is only for the progress line; learning it takes a `cargo metadata` of its
    // own (about a third of a warm run's build stage), so it runs beside the build.
    std::thread::scope(|scope| {
        scope.spawn(|| {
            if let Some(total) = crates_needed(workspace, units) {
                progress.crates_needed(total);
            }
        });
        run_cargo_build(workspace, target_dir, units, progress)
    })
}

fn run_cargo_build(
    workspace: &Path,
    target_dir: &Path,
    units: &[BuildUnit],
    progress: &Progress,
) -> Result<BuildResult, RunError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir)
        .args([
            "build",
            "--message-format=json-diagnostic-short",
            "--keep-going",
        ]);
    for unit in units {
        command.args(["-p", &unit.package]);
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(RunError::CargoMissing)?;
    // Drain stderr on a thread so a chatty cargo cannot block on a full pipe.
    let stderr = child.stderr.take();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut stderr) = stderr {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });
    let mut diagnostics = Diagnostics::new(units);
    let mut success = false;
    if let Some(stdout) = child.stdout.take() {
        for message in Message::parse_stream(BufReader::new(stdout)).flatten() {
            match message {
                Message::CompilerMessage(compiler) => diagnostics.add(&compiler),
                Message::CompilerArtifact(artifact) if !artifact.target.is_custom_build() => {
                    progress.crate_built(&artifact.target.name);
                }
                Message::BuildFinished(finished) => success = finished.success,
                _ => {}
            }
        }
    }
    let status = child.wait().map_err(RunError::CargoMissing)?;
    let stderr = stderr_reader.join().unwrap_or_default();
    Ok(diagnostics.finish(success && status.success(), &stderr))
}

/// Compiler errors of one build, sorted by the operation or package they belong to.
struct Diagnostics<'u> {
    units: &'u [BuildUnit],
    result: BuildResult,
    /// Errors no operation explains, by harness package.
    unattributed: BTreeMap<String, Vec<String>>,
}

impl<'u> Diagnostics<'u> {
    fn new(units: &'u [BuildUnit]) -> Self {
        Diagnostics {
            units,
            result: BuildResult::default(),
            unattributed: BTreeMap::new(),
        }
    }

    /// Files an error under the operation whose source file it points into, else under the
    /// package it was reported for.
    fn add(&mut self, compiler: &CompilerMessage) {
        let diagnostic = &compiler.message;
        if !matches!(
            diagnostic.level,
            DiagnosticLevel::Error | DiagnosticLevel::Ice
        ) {
            return;
        }
        let text = diagnostic
            .rendered
            .clone()
            .unwrap_or_else(|| diagnostic.message.clone());
        let owner = self.units.iter().find(|unit| {
            unit.package == compiler.target.name.replace('_', "-")
                || unit.package == compiler.target.name
        });
        let operation = owner.and_then(|unit| {
            diagnostic
                .spans
                .iter()
                .find_map(|span| unit.operation_files.get(&PathBuf::from(&span.file_name)))
                .map(|operation| (unit, operation))
        });
        if let Some((unit, operation)) = operation {
            self.result
                .operation_errors
                .entry(unit.package.clone())
                .or_default()
                .entry(operation.clone())
                .or_insert(text);
            return;
        }
        let packages: Vec<String> = match owner {
            Some(unit) => vec![unit.package.clone()],
            // A dependency failed: blame the harnesses of that client, or all.
            None => affected_by(self.units, &compiler.package_id.repr),
        };
        for package in packages {
            self.unattributed
                .entry(package)
                .or_default()
                .push(text.clone());
        }
    }

    fn finish(mut self, success: bool, stderr: &str) -> BuildResult {
        self.result.success = success;
        if !success && self.result.operation_errors.is_empty() && self.unattributed.is_empty() {
            // cargo failed before compiling (resolution, download): find the clients it names.
            let named: Vec<&BuildUnit> = self
                .units
                .iter()
                .filter(|unit| stderr.contains(&unit.client_package))
                .collect();
            let culprits: Vec<&BuildUnit> = if named.is_empty() {
                self.units.iter().collect()
            } else {
                named
            };
            for unit in culprits {
                self.unattributed
                    .entry(unit.package.clone())
                    .or_default()
                    .push(cargo_errors(stderr));
            }
        }
        for (package, texts) in self.unattributed {
            let unique: BTreeSet<String> = texts.into_iter().collect();
            self.result.package_errors.insert(
                package,
                unique.into_iter().take(5).collect::<Vec<_>>().join("\n"),
            );
        }
        self.result
    }
}

/// How many crates building `units` compiles (or finds fresh): the harness packages and
/// everything they depend on for this host, normal and build dependencies, per
/// `cargo metadata`. `None` when cargo cannot tell (the build then says why).
fn crates_needed(workspace: &Path, units: &[BuildUnit]) -> Option<usize> {
    let host = host_triple()?;
    let metadata = cargo_metadata::MetadataCommand::new()
        .current_dir(workspace)
        .other_options(vec!["--filter-platform".to_owned(), host])
        .exec()
        .map_err(|error| tracing::debug!("cannot count the crates to build: {error}"))
        .ok()?;
    let resolve = metadata.resolve?;
    let nodes: BTreeMap<_, _> = resolve.nodes.iter().map(|node| (&node.id, node)).collect();
    let mut pending: Vec<_> = metadata
        .packages
        .iter()
        .filter(|package| {
            units
                .iter()
                .any(|unit| unit.package == package.name.as_str())
        })
        .map(|package| &package.id)
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(node) = nodes.get(id) else {
            continue;
        };
        pending.extend(
            node.deps
                .iter()
                .filter(|dep| {
                    dep.dep_kinds
                        .iter()
                        .any(|kind| kind.kind != cargo_metadata::DependencyKind::Development)
                })
                .map(|dep| &dep.pkg),
        );
    }
    Some(seen.len())
}

/// The host's target triple, from `rustc -vV` (its `host:` line).
fn host_triple() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).arg("-vV").output().ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
}

fn affected_by(units: &[BuildUnit], package_id: &str) -> Vec<String> {
    let matching: Vec<String> = units
        .iter()
        .filter(|unit| package_id.contains(&unit.client_package))
        .map(|unit| unit.package.clone())
        .collect();
    if matching.is_empty() {
        units.iter().map(|unit| unit.package.clone()).collect()
    } else {
        matching
    }
}

/// The `error:` lines of cargo's stderr and what follows them, without progress noise.
fn cargo_errors(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("error"))
        .take(20)
        .collect();
    if lines.is_empty() {
        stderr
            .lines()
            .rev()
            .take(10)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        lines.join("\n")
    }
}
