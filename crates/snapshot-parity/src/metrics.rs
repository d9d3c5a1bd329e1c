//! Parity metrics: per service, which operations the parity tests exercise and with what
//! result.
//!
//! Every finished session writes its test's results into one JSON file per test file:
//! `$SNAPSHOT_PARITY_METRICS_DIR/<package>/<test-file-stem>.json`, by default
//! `<cargo target dir>/snapshot-parity/metrics/<package>/<test-file-stem>.json` (for example
//! `target/snapshot-parity/metrics/snapshot-parity/sqs.json`). The file holds the latest run of
//! each test ([`ParityMetrics::tests`]) and a per-service, per-operation summary recomputed on
//! every write ([`ParityMetrics::services`]). In verify mode, tests that no longer exist in the
//! snapshot file are dropped. Read the files with [`ParityMetrics::load_dir`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::errors::ParityError;
use crate::file::update_locked;

/// Overrides where metrics files are written.
pub const SNAPSHOT_PARITY_METRICS_DIR: &str = "SNAPSHOT_PARITY_METRICS_DIR";

/// The version of the metrics file layout, raised on incompatible changes.
pub const METRICS_FORMAT_VERSION: u32 = 1;

/// Record or verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Store what the target returns as the new ground truth (`SNAPSHOT_UPDATE=1`).
    Record,
    /// Compare what the target returns with the recording.
    Verify,
}

impl Mode {
    /// `Record` when `SNAPSHOT_UPDATE` is `1`, `true` or `yes`; `Verify` otherwise.
    pub fn from_env() -> Self {
        Self::from_value(std::env::var("SNAPSHOT_UPDATE").ok().as_deref())
    }

    /// [`Mode::from_env`] on a given value.
    pub fn from_value(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if v == "1" || v == "true" || v == "yes" => Self::Record,
            _ => Self::Verify,
        }
    }
}

/// The result of one snapshotted value (one `match_` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyStatus {
    /// Recorded as new ground truth.
    Recorded,
    /// Equal to the recording.
    Passed,
    /// Equal except for differences accepted by skip paths.
    PassedWithSkips,
    /// Different from the recording.
    Failed,
}

/// The result of one call the recorder saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallResult {
    /// Its response was recorded as new ground truth.
    Recorded,
    /// Its response matched the recording.
    Passed,
    /// Its response matched except for differences accepted by skip paths.
    PassedWithSkips,
    /// Its response differed from the recording.
    Failed,
    /// The call was made but its response was not snapshotted.
    NotMatched,
}

impl From<KeyStatus> for CallResult {
    fn from(status: KeyStatus) -> Self {
        match status {
            KeyStatus::Recorded => Self::Recorded,
            KeyStatus::Passed => Self::Passed,
            KeyStatus::PassedWithSkips => Self::PassedWithSkips,
            KeyStatus::Failed => Self::Failed,
        }
    }
}

/// The overall result of a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TestStatus {
    /// Recorded.
    Recorded,
    /// Verified without unaccepted differences.
    Passed,
    /// Verification found differences.
    Failed,
}

/// One call of a test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallMetrics {
    /// The service (the SDK's service id).
    pub service: String,
    /// The operation.
    pub operation: String,
    /// The `match_` key its response was recorded under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What became of it.
    pub result: CallResult,
}

/// A difference accepted by a skip path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedPathMetrics {
    /// Where the difference was.
    pub path: String,
    /// The skip pattern that accepted it.
    pub skip: String,
    /// Why.
    pub reason: String,
}

/// The latest run of one test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestMetrics {
    /// Record or verify.
    pub mode: Mode,
    /// The target the run talked to (`moto`, `aws`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The result.
    pub status: TestStatus,
    /// When it ran (UTC, RFC 3339).
    pub run_date: String,
    /// Every call, in order.
    pub calls: Vec<CallMetrics>,
    /// Snapshotted values that came from no recorded call (plain values given to `match_`).
    #[serde(default)]
    pub plain_values: u32,
    /// Differences accepted by skip paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedPathMetrics>,
}

/// What the tests of one file did with one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationMetrics {
    /// Calls made.
    pub calls: u32,
    /// Calls whose response was recorded as new ground truth.
    pub recorded: u32,
    /// Calls whose response matched the recording.
    pub passed: u32,
    /// Calls whose response matched except for accepted differences.
    pub passed_with_skips: u32,
    /// Calls whose response differed.
    pub failed: u32,
    /// Calls whose response was not snapshotted.
    pub not_matched: u32,
    /// The tests that made these calls.
    pub tests: BTreeSet<String>,
}

/// The metrics file of one test file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParityMetrics {
    /// [`METRICS_FORMAT_VERSION`].
    pub format_version: u32,
    /// The package holding the tests.
    pub package: String,
    /// The test file, relative to the package.
    pub test_file: String,
    /// The latest run of each test, by test id.
    pub tests: BTreeMap<String, TestMetrics>,
    /// Service → operation → summary over all tests of the file.
    pub services: BTreeMap<String, BTreeMap<String, OperationMetrics>>,
}

impl ParityMetrics {
    /// Recomputes [`ParityMetrics::services`] from [`ParityMetrics::tests`].
    pub fn recompute(&mut self) {
        let mut services: BTreeMap<String, BTreeMap<String, OperationMetrics>> = BTreeMap::new();
        for (test, metrics) in &self.tests {
            for call in &metrics.calls {
                let entry = services
                    .entry(call.service.clone())
                    .or_default()
                    .entry(call.operation.clone())
                    .or_default();
                entry.calls += 1;
                entry.tests.insert(test.clone());
                match call.result {
                    CallResult::Recorded => entry.recorded += 1,
                    CallResult::Passed => entry.passed += 1,
                    CallResult::PassedWithSkips => entry.passed_with_skips += 1,
                    CallResult::Failed => entry.failed += 1,
                    CallResult::NotMatched => entry.not_matched += 1,
                }
            }
        }
        self.services = services;
    }

    /// Reads one metrics file.
    pub fn load(path: &Path) -> Result<Self, ParityError> {
        let text = std::fs::read_to_string(path).map_err(|source| ParityError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| ParityError::MalformedFile {
            path: path.to_owned(),
            source,
        })
    }

    /// Reads every metrics file under a metrics directory ([`metrics_files`]).
    pub fn load_dir(dir: &Path) -> Result<Vec<Self>, ParityError> {
        metrics_files(dir)?
            .iter()
            .map(|path| Self::load(path))
            .collect()
    }
}

/// Every metrics file under a metrics directory (`<dir>/<package>/<file>.json`), sorted by
/// path; none when the directory does not exist.
pub fn metrics_files(dir: &Path) -> Result<Vec<PathBuf>, ParityError> {
    let read_dir = |path: &Path| {
        std::fs::read_dir(path).map_err(|source| ParityError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        })
    };
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for package in read_dir(dir)? {
        let package = package
            .map_err(|source| ParityError::Io {
                action: "read",
                path: dir.to_owned(),
                source,
            })?
            .path();
        if !package.is_dir() {
            continue;
        }
        for file in read_dir(&package)? {
            let file = file
                .map_err(|source| ParityError::Io {
                    action: "read",
                    path: package.clone(),
                    source,
                })?
                .path();
            if file.extension().is_some_and(|ext| ext == "json") && file.is_file() {
                paths.push(file);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// The metrics directory: `$SNAPSHOT_PARITY_METRICS_DIR`, else
/// `<target dir>/snapshot-parity/metrics` where the target dir is found from the running test
/// binary (`<target>/<profile>/deps/<test>`), else `<manifest dir>/target/...`.
pub fn metrics_dir(manifest_dir: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os(SNAPSHOT_PARITY_METRICS_DIR).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| target_dir_of(&exe))
        .unwrap_or_else(|| manifest_dir.join("target"));
    target.join("snapshot-parity").join("metrics")
}

/// Cargo marks the root of every target directory with `CACHEDIR.TAG`; the test binary sits
/// a few levels below it (`debug/deps`, or `<triple>/debug/deps`).
fn target_dir_of(exe: &Path) -> Option<PathBuf> {
    exe.ancestors()
        .skip(1)
        .take(4)
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
}

/// The metrics file of a test file.
pub fn metrics_file(manifest_dir: &Path, package: &str, test_file: &Path) -> PathBuf {
    let stem = test_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tests".to_owned());
    metrics_dir(manifest_dir)
        .join(package)
        .join(format!("{stem}.json"))
}

/// Stores one test's run in a metrics file and recomputes the summary. `known_tests`, when
/// given, drops entries of tests that no longer exist.
pub fn record_test(
    path: &Path,
    package: &str,
    test_file: &str,
    test: &str,
    metrics: TestMetrics,
    known_tests: Option<&BTreeSet<String>>,
) -> Result<(), ParityError> {
    update_locked(path, |file: &mut ParityMetrics| {
        file.format_version = METRICS_FORMAT_VERSION;
        file.package = package.to_owned();
        file.test_file = test_file.to_owned();
        file.tests.insert(test.to_owned(), metrics);
        if let Some(known) = known_tests {
            file.tests
                .retain(|name, _| name == test || known.contains(name));
        }
        file.recompute();
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(operation: &str, result: CallResult) -> CallMetrics {
        CallMetrics {
            service: "SQS".into(),
            operation: operation.into(),
            key: None,
            result,
        }
    }

    fn run(calls: Vec<CallMetrics>) -> TestMetrics {
        TestMetrics {
            mode: Mode::Verify,
            target: Some("moto".into()),
            status: TestStatus::Passed,
            run_date: "2026-01-01T00:00:00Z".into(),
            calls,
            plain_values: 0,
            skipped: Vec::new(),
        }
    }

    #[test]
    fn summary_counts_calls_per_operation_across_tests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pkg/sqs.json");
        record_test(
            &path,
            "pkg",
            "tests/sqs.rs",
            "a",
            run(vec![
                call("CreateQueue", CallResult::Passed),
                call("CreateQueue", CallResult::Failed),
                call("DeleteQueue", CallResult::NotMatched),
            ]),
            None,
        )
        .unwrap();
        record_test(
            &path,
            "pkg",
            "tests/sqs.rs",
            "b",
            run(vec![call("CreateQueue", CallResult::PassedWithSkips)]),
            None,
        )
        .unwrap();
        let metrics = ParityMetrics::load(&path).unwrap();
        let create = &metrics.services["SQS"]["CreateQueue"];
        assert_eq!(
            (
                create.calls,
                create.passed,
                create.failed,
                create.passed_with_skips
            ),
            (3, 1, 1, 1)
        );
        assert_eq!(create.tests.iter().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(metrics.services["SQS"]["DeleteQueue"].not_matched, 1);

        // A verify run that knows only `b` drops `a`.
        let known: BTreeSet<String> = ["b".to_owned()].into();
        record_test(&path, "pkg", "tests/sqs.rs", "b", run(vec![]), Some(&known)).unwrap();
        let metrics = ParityMetrics::load(&path).unwrap();
        assert_eq!(metrics.tests.keys().collect::<Vec<_>>(), vec!["b"]);
        assert!(metrics.services.is_empty());
        assert_eq!(ParityMetrics::load_dir(dir.path()).unwrap(), vec![metrics]);
    }

    #[test]
    fn update_flag_values() {
        assert_eq!(Mode::from_value(Some("1")), Mode::Record);
        assert_eq!(Mode::from_value(Some("TRUE")), Mode::Record);
        assert_eq!(Mode::from_value(Some("0")), Mode::Verify);
        assert_eq!(Mode::from_value(None), Mode::Verify);
    }

    #[test]
    fn the_target_dir_is_found_from_the_test_binary() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("debug/deps")).unwrap();
        std::fs::write(dir.path().join("CACHEDIR.TAG"), "").unwrap();
        assert_eq!(
            target_dir_of(&dir.path().join("debug/deps/sqs-0123")),
            Some(dir.path().to_path_buf())
        );
    }
}
