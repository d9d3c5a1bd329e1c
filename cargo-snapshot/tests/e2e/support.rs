//! Temporary workspaces, the `cargo-snapshot` command configured for them, and assertions on
//! snapshot trees.
//!
//! Every workspace is a fresh virtual cargo workspace in a temp directory with one member
//! package (`snaps`) that holds the snapshot directory, because cargo-insta only searches member
//! packages. Its `snapshot.toml` names the real models by absolute path. Harness builds of
//! all these workspaces share one cargo target directory (`<target>/e2e-harness`, via
//! `CARGO_SNAPSHOT_TARGET_DIR`) so the aws-sdk crates are compiled once per CI run; each
//! workspace keeps its own work directory (generated harness sources, plans, records) under its
//! own `target/`.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

/// Where snapshots live inside every test workspace (inside the member package).
pub const SNAPSHOT_DIR: &str = "snaps/snapshots";

/// A generous limit for one command: a cold build of the SDK crates on a busy 2-core machine
/// takes a few minutes; a hang must fail the test rather than block CI forever.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The real-model corpus ([`snapshot_corpus::models_dir`], which fails, never
/// skips, when it is missing) as an absolute path without `..`, as written into
/// `snapshot.toml`.
pub fn models_dir() -> PathBuf {
    snapshot_corpus::models_dir()
        .canonicalize()
        .expect("the models directory resolves")
}

/// The cargo target directory shared by the harness builds of every test workspace.
pub fn harness_target_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp` of the build running these tests.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory")
        .join("e2e-harness")
}

static SERIAL: Mutex<()> = Mutex::new(());

/// Held by every test that runs the pipeline. The harness binary of a client crate has the
/// same path in the shared target directory for every workspace, so one test's build must not
/// replace the binary while another test runs it. (cargo's own lock only covers the build.)
pub fn serial() -> MutexGuard<'static, ()> {
    // A failed test poisons the lock; the next test still gets a consistent directory.
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One `[[service]]` of a test workspace's `snapshot.toml`.
#[derive(Debug, Clone)]
pub struct ServiceSpec {
    /// `model = ...`: a file name in the models directory, or an absolute path.
    pub model: String,
    /// `crate = ...`.
    pub crate_name: String,
    /// `version = ...`, or `path = ...` when [`ServiceSpec::path`] is set.
    pub version: String,
    /// `path = ...`: a crate on disk instead of the registry.
    pub path: Option<PathBuf>,
}

impl ServiceSpec {
    /// A registry crate.
    pub fn new(model: impl Into<String>, crate_name: &str, version: &str) -> Self {
        ServiceSpec {
            model: model.into(),
            crate_name: crate_name.to_owned(),
            version: version.to_owned(),
            path: None,
        }
    }

    /// A crate on disk at `path`.
    pub fn at_path(model: impl Into<String>, crate_name: &str, path: &Path) -> Self {
        ServiceSpec {
            path: Some(path.to_owned()),
            ..ServiceSpec::new(model, crate_name, "")
        }
    }

    /// `sso.json` ↔ aws-sdk-sso 1.119.0: newer than the corpus's model-matched pin (1.101.0);
    /// the e2e expectations are written against this release.
    pub fn sso() -> Self {
        ServiceSpec::new("sso.json", "aws-sdk-sso", "=1.119.0")
    }

    /// `sts.json` ↔ aws-sdk-sts 1.124.0: newer than the corpus's model-matched pin (1.106.0);
    /// the e2e expectations are written against this release.
    pub fn sts() -> Self {
        ServiceSpec::new("sts.json", "aws-sdk-sts", "=1.124.0")
    }
}

/// A temporary cargo workspace with a `snapshot.toml`.
pub struct TestWorkspace {
    // Kept for its Drop: the directory is deleted with the workspace.
    _temp: TempDir,
    root: PathBuf,
}

impl TestWorkspace {
    /// A workspace at the root of a new temp directory, configured for `services`.
    pub fn new(services: &[ServiceSpec]) -> Self {
        Self::nested("", services)
    }

    /// A workspace at `<temp dir>/<subdir>` (so two workspaces can differ in path length).
    pub fn nested(subdir: &str, services: &[ServiceSpec]) -> Self {
        let temp = tempfile::Builder::new()
            .prefix("cargo-snapshot-e2e-")
            .tempdir()
            .expect("create a temp directory");
        let root = temp.path().join(subdir);
        std::fs::create_dir_all(root.join("snaps/src")).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"snaps\"]\nresolver = \"2\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("snaps/Cargo.toml"),
            "[package]\nname = \"snaps\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n",
        )
        .unwrap();
        std::fs::write(root.join("snaps/src/lib.rs"), "").unwrap();
        let workspace = TestWorkspace { _temp: temp, root };
        workspace.configure(SNAPSHOT_DIR, services);
        workspace
    }

    /// The workspace root (where `snapshot.toml` is).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The snapshot directory.
    pub fn snapshot_dir(&self) -> PathBuf {
        self.root.join(SNAPSHOT_DIR)
    }

    /// The accepted snapshot `<crate>/<kind>/<name>.snap`.
    pub fn snap(&self, crate_name: &str, kind: &str, name: &str) -> PathBuf {
        self.snapshot_dir()
            .join(crate_name)
            .join(kind)
            .join(format!("{name}.snap"))
    }

    /// (Re)writes `snapshot.toml` with `snapshot_dir` and `services`.
    pub fn configure(&self, snapshot_dir: &str, services: &[ServiceSpec]) {
        let mut text = format!(
            "snapshot_dir = {}\nmodels_dir = {}\n",
            toml_string(snapshot_dir),
            toml_string(&models_dir().display().to_string()),
        );
        for service in services {
            let source = match &service.path {
                Some(path) => format!("path = {}", toml_string(&path.display().to_string())),
                None => format!("version = {}", toml_string(&service.version)),
            };
            text.push_str(&format!(
                "\n[[service]]\nmodel = {}\ncrate = {}\n{source}\n",
                toml_string(&service.model),
                toml_string(&service.crate_name),
            ));
        }
        std::fs::write(self.root.join("snapshot.toml"), text).unwrap();
    }

    /// `cargo-snapshot <args>` in this workspace, with an environment that does not depend on
    /// the caller's: no colour, no log filter, no insta settings, the workspace's own target
    /// directory (so the work directory is fresh) and the shared harness build directory.
    pub fn cli(&self, args: &[&str]) -> Command {
        self.cli_via(&[], args)
    }

    /// Like [`TestWorkspace::cli`], run through `wrapper` (`faketime <date>`).
    pub fn cli_via(&self, wrapper: &[&OsStr], args: &[&str]) -> Command {
        let binary = OsStr::new(env!("CARGO_BIN_EXE_cargo-snapshot"));
        let mut program = wrapper.iter().copied().chain([binary]);
        let mut command = std::process::Command::new(program.next().unwrap());
        command
            .args(program)
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env("CARGO_SNAPSHOT_TARGET_DIR", harness_target_dir());
        for variable in [
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET_DIR",
            "CARGO_SNAPSHOT_LOG",
            "SNAPSHOT_MODELS_DIR",
            "INSTA_UPDATE",
            "INSTA_FORCE_PASS",
            "INSTA_PENDING_DIR",
            "INSTA_WORKSPACE_ROOT",
            "INSTA_OUTPUT",
        ] {
            command.env_remove(variable);
        }
        let mut command = Command::from_std(command);
        command.timeout(COMMAND_TIMEOUT);
        command
    }

    /// Runs `cargo-snapshot <args>` (see [`TestWorkspace::cli`]).
    pub fn run(&self, args: &[&str]) -> Output {
        self.cli(args).output().unwrap()
    }

    /// `cargo insta <args>` (the real cargo-insta) from the workspace root.
    pub fn cargo_insta(&self, args: &[&str]) -> Output {
        let mut command = Command::new(cargo());
        command
            .current_dir(&self.root)
            .arg("insta")
            .args(args)
            .timeout(COMMAND_TIMEOUT);
        for variable in [
            "CARGO_TARGET_DIR",
            "INSTA_UPDATE",
            "INSTA_FORCE_PASS",
            "INSTA_PENDING_DIR",
            "INSTA_WORKSPACE_ROOT",
        ] {
            command.env_remove(variable);
        }
        command.output().unwrap()
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The cargo running these tests (`$CARGO`), or `cargo` from PATH.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Fails unless the real cargo-insta is installed (CI installs it in `.ci/run`).
pub fn require_cargo_insta() {
    let output = std::process::Command::new(cargo())
        .args(["insta", "--version"])
        .output();
    let installed = output.as_ref().is_ok_and(|output| output.status.success());
    assert!(
        installed,
        "cargo-insta is not installed (`cargo insta --version` failed: {}); install it with \
         `cargo install cargo-insta --locked` (.ci/run does this)",
        match &output {
            Ok(output) => String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            Err(error) => error.to_string(),
        }
    );
}

/// stdout and stderr of `output` as text.
pub fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts the exit code, showing everything the command printed when it differs; returns
/// (stdout, stderr).
pub fn expect_exit(output: &Output, code: i32, what: &str) -> (String, String) {
    let (stdout, stderr) = texts(output);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: expected exit code {code}, got {:?}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        output.status.code()
    );
    (stdout, stderr)
}

/// Every file under `dir`, by `/`-separated path relative to it, with its bytes. Hidden files
/// and leftovers (staging directories, `.snap.new`) are included on purpose.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(base, &path, files);
            } else {
                let relative = path.strip_prefix(base).unwrap();
                let key = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(key, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Every entry (file or directory) directly or indirectly under `dir` whose name starts with a
/// dot or ends in `.snap.new`: what an interrupted or failed write could leave behind.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with(".snap.new") {
                found.push(path.clone());
            }
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Asserts that two snapshot trees hold the same files with the same bytes, naming the first
/// difference.
pub fn assert_same_tree(
    expected: &BTreeMap<String, Vec<u8>>,
    actual: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let only_expected: Vec<&String> = expected
        .keys()
        .filter(|key| !actual.contains_key(*key))
        .collect();
    let only_actual: Vec<&String> = actual
        .keys()
        .filter(|key| !expected.contains_key(*key))
        .collect();
    assert!(
        only_expected.is_empty() && only_actual.is_empty(),
        "{what}: the trees hold different files\nonly in the first: {only_expected:?}\nonly in the second: {only_actual:?}"
    );
    for (path, bytes) in expected {
        let other = &actual[path];
        if bytes == other {
            continue;
        }
        let (left, right) = (
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(other),
        );
        let line = left
            .lines()
            .zip(right.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| left.lines().count().min(right.lines().count()));
        panic!(
            "{what}: `{path}` differs, first at line {}:\n  first:  {:?}\n  second: {:?}\n--- first ---\n{left}\n--- second ---\n{right}",
            line + 1,
            left.lines().nth(line).unwrap_or("<end of file>"),
            right.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

/// The accepted `.snap` files under `dir/<crate>/<kind>/`, as `<kind>/<Name>` sorted.
pub fn snapshot_names(dir: &Path, crate_name: &str) -> Vec<String> {
    tree(&dir.join(crate_name))
        .into_keys()
        .filter_map(|path| path.strip_suffix(".snap").map(str::to_owned))
        .collect()
}
