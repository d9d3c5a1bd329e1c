//! The per-test session: collects values under keys, transforms them together, and records
//! or verifies them against the test file's snapshot file.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use aws_smithy_types::date_time::{DateTime, Format};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::diff::{compare_entries, Comparison, SkipPath, SkippedDifference};
use crate::errors::ParityError;
use crate::file::{self, RecordedTest};
use crate::metrics::{
    self, CallMetrics, CallResult, KeyStatus, Mode, SkippedPathMetrics, TestMetrics, TestStatus,
};
use crate::placeholders::Placeholders;
use crate::recorder::{CapturedResponse, OperationRef, WireRecorder, DEFAULT_HEADERS};
use crate::report::{write_skipped, MismatchReport};
use crate::target::Target;
use crate::transform::{Transformer, Transformers};

/// Where a test lives: its package, source file and id. The [`crate::snapshot!`] macro fills
/// it in from the calling test function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestLocation {
    /// The package (`CARGO_PKG_NAME` of the test crate).
    pub package: String,
    /// The package directory (`CARGO_MANIFEST_DIR`).
    pub manifest_dir: PathBuf,
    /// The test source file (absolute).
    pub source_file: PathBuf,
    /// The test id within the file: the test function's path without the crate name, e.g.
    /// `queue_lifecycle` or `errors::deleted_queue`.
    pub test_id: String,
}

impl TestLocation {
    /// Resolves `file!()` (relative to the workspace root in a workspace, to the package
    /// otherwise) and turns a function's type name into a test id.
    pub fn new(
        package: &str,
        manifest_dir: &str,
        source_file: &str,
        function_type_name: &str,
    ) -> Self {
        let manifest_dir = PathBuf::from(manifest_dir);
        Self {
            package: package.to_owned(),
            source_file: resolve_source(&manifest_dir, Path::new(source_file)),
            manifest_dir,
            test_id: test_id_from_type_name(function_type_name),
        }
    }

    /// The snapshot file of the test file.
    pub fn snapshot_file(&self) -> PathBuf {
        file::snapshot_file_for(&self.source_file)
    }

    /// The test file relative to the package, for reports and metrics.
    pub fn relative_source(&self) -> String {
        self.source_file
            .strip_prefix(&self.manifest_dir)
            .unwrap_or(&self.source_file)
            .to_string_lossy()
            .into_owned()
    }
}

fn resolve_source(manifest_dir: &Path, file: &Path) -> PathBuf {
    if file.is_absolute() {
        return file.to_owned();
    }
    manifest_dir
        .ancestors()
        .map(|dir| dir.join(file))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| manifest_dir.join(file))
}

/// `sqs::queue_lifecycle::{{closure}}::f` → `queue_lifecycle`.
fn test_id_from_type_name(name: &str) -> String {
    let mut parts: Vec<&str> = name
        .split("::")
        .filter(|part| *part != "{{closure}}")
        .collect();
    if parts.last() == Some(&"__snapshot_parity_marker") {
        parts.pop();
    }
    if parts.len() > 1 {
        parts.remove(0);
    }
    parts.join("::")
}

/// Creates a [`Snapshot`] session for the calling test function, with the mode from
/// `SNAPSHOT_UPDATE` and the snapshot file next to the test file.
#[macro_export]
macro_rules! snapshot {
    () => {{
        fn __snapshot_parity_marker() {}
        fn __type_name_of<T>(_: T) -> &'static str {
            ::std::any::type_name::<T>()
        }
        $crate::Snapshot::new($crate::TestLocation::new(
            env!("CARGO_PKG_NAME"),
            env!("CARGO_MANIFEST_DIR"),
            file!(),
            __type_name_of(__snapshot_parity_marker),
        ))
    }};
}

#[derive(Debug, Clone)]
struct Call {
    operation: OperationRef,
    key: Option<String>,
}

/// The result of a finished session.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The test id.
    pub test: String,
    /// Record or verify.
    pub mode: Mode,
    /// Each key with its status, in call order.
    pub keys: Vec<(String, KeyStatus)>,
    /// Differences accepted by skip paths.
    pub skipped: Vec<SkippedDifference>,
    /// Skip paths that covered nothing.
    pub unused_skips: Vec<SkipPath>,
    /// The transformed values of this run, by key.
    pub content: IndexMap<String, Value>,
}

/// A parity snapshot session for one test: `match_` values (or captured responses) under
/// keys, then [`Snapshot::finish`] to record or verify them all at once. A session dropped
/// without `finish` records and verifies nothing and says so on stderr.
#[derive(Debug)]
pub struct Snapshot {
    location: TestLocation,
    file: PathBuf,
    mode: Mode,
    target: Option<Target>,
    transformers: Transformers,
    skips: Vec<SkipPath>,
    headers: BTreeSet<String>,
    recorder: WireRecorder,
    observed: IndexMap<String, Value>,
    calls: Vec<Call>,
    plain_values: u32,
    finished: bool,
}

impl Snapshot {
    /// A session for the test at `location`, mode from `SNAPSHOT_UPDATE`.
    pub fn new(location: TestLocation) -> Self {
        Self {
            file: location.snapshot_file(),
            location,
            mode: Mode::from_env(),
            target: None,
            transformers: Transformers::new(),
            skips: Vec::new(),
            headers: DEFAULT_HEADERS.iter().map(|h| (*h).to_owned()).collect(),
            recorder: WireRecorder::new(),
            observed: IndexMap::new(),
            calls: Vec::new(),
            plain_values: 0,
            finished: false,
        }
    }

    /// Overrides the mode (tests that record and verify within one run).
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Uses another snapshot file (the default is next to the test file).
    pub fn with_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = file.into();
        self
    }

    /// Names the target in the recording, the report and the metrics.
    pub fn with_target(mut self, target: &Target) -> Self {
        self.target = Some(target.clone());
        self
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The snapshot file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The test id.
    pub fn test_id(&self) -> &str {
        &self.location.test_id
    }

    /// The interceptor to add to every client of the test:
    /// `aws_sdk_sqs::config::Builder::from(&sdk_config).interceptor(snapshot.recorder())`.
    pub fn recorder(&self) -> WireRecorder {
        self.recorder.clone()
    }

    /// Also records this response header (name in any case; `content-type` and the request id
    /// headers are recorded by default).
    pub fn record_header(&mut self, name: &str) -> &mut Self {
        self.headers.insert(name.to_ascii_lowercase());
        self
    }

    /// Adds a transformer.
    pub fn add_transformer(&mut self, transformer: Transformer) -> &mut Self {
        self.transformers.push(transformer);
        self
    }

    /// Adds several transformers (e.g. [`crate::aws::common`]).
    pub fn add_transformers(
        &mut self,
        transformers: impl IntoIterator<Item = Transformer>,
    ) -> &mut Self {
        self.transformers.extend(transformers);
        self
    }

    /// Accepts differences at `path` (and inside it) when verifying, for the given reason.
    /// Recording is unaffected.
    pub fn skip(&mut self, path: &str, reason: &str) -> Result<&mut Self, ParityError> {
        self.skips.push(SkipPath::new(path, reason)?);
        Ok(self)
    }

    /// Snapshots a plain value under `key`.
    pub fn match_<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), ParityError> {
        let value = serde_json::to_value(value).map_err(|source| ParityError::Serialize {
            key: key.to_owned(),
            source,
        })?;
        self.insert(key, value)?;
        self.plain_values += 1;
        Ok(())
    }

    /// Snapshots the most recent response the recorder captured under `key`
    /// (`{"status", "headers", "body"}`, see [`CapturedResponse::to_tree`]).
    pub fn match_response(&mut self, key: &str) -> Result<(), ParityError> {
        let mut captured = self.recorder.drain();
        let Some(last) = captured.pop() else {
            return Err(ParityError::NoResponseCaptured {
                test: self.location.test_id.clone(),
                key: key.to_owned(),
            });
        };
        self.log_unmatched(captured);
        let tree = last.to_tree(&self.headers);
        self.insert(key, tree)?;
        if let Some(operation) = last.operation {
            self.calls.push(Call {
                operation,
                key: Some(key.to_owned()),
            });
        }
        Ok(())
    }

    fn insert(&mut self, key: &str, value: Value) -> Result<(), ParityError> {
        if self.observed.contains_key(key) {
            return Err(ParityError::DuplicateKey {
                test: self.location.test_id.clone(),
                key: key.to_owned(),
            });
        }
        self.observed.insert(key.to_owned(), value);
        Ok(())
    }

    fn log_unmatched(&mut self, responses: Vec<CapturedResponse>) {
        self.calls.extend(
            responses
                .into_iter()
                .filter_map(|response| response.operation)
                .map(|operation| Call {
                    operation,
                    key: None,
                }),
        );
    }

    /// Transforms everything matched, then records it (record mode) or compares it with the
    /// recording (verify mode), and writes the parity metrics. A verification with
    /// differences that no skip path covers returns [`ParityError::Mismatch`], whose message
    /// lists the path of each difference.
    pub fn finish(mut self) -> Result<Outcome, ParityError> {
        self.finished = true;
        let unmatched = self.recorder.drain();
        self.log_unmatched(unmatched);

        let mut content = std::mem::take(&mut self.observed);
        let mut placeholders = Placeholders::new();
        self.transformers.apply_entries(
            content.iter_mut().map(|(key, value)| (key.as_str(), value)),
            &mut placeholders,
        );
        let test = self.location.test_id.clone();
        let target_name = self.target.as_ref().map(|t| t.name().to_owned());
        let now = now_rfc3339();

        let (comparison, recorded, known_tests) = match self.mode {
            Mode::Record => {
                file::store(
                    &self.file,
                    &test,
                    RecordedTest {
                        recorded_date: now.clone(),
                        recorded_against: target_name.clone(),
                        recorded_content: content.clone(),
                    },
                )?;
                (Comparison::default(), None, None)
            }
            Mode::Verify => {
                let mut all = file::load(&self.file)?;
                // Only the test file's own snapshot file lists all of its tests.
                let known: Option<BTreeSet<String>> = (self.file == self.location.snapshot_file())
                    .then(|| all.keys().cloned().collect());
                let recorded = all.remove(&test).ok_or_else(|| ParityError::NotRecorded {
                    file: self.file.clone(),
                    test: test.clone(),
                })?;
                let comparison = compare_entries(
                    recorded
                        .recorded_content
                        .iter()
                        .map(|(k, v)| (k.as_str(), v)),
                    content.iter().map(|(k, v)| (k.as_str(), v)),
                    &self.skips,
                );
                (comparison, Some(recorded), known)
            }
        };

        let keys: Vec<(String, KeyStatus)> = content
            .keys()
            .map(|key| (key.clone(), key_status(self.mode, &comparison, key)))
            .collect();
        self.write_metrics(&keys, &comparison, &now, known_tests.as_ref())?;

        if !comparison.passed() {
            return Err(ParityError::Mismatch(Box::new(MismatchReport {
                test,
                // Relative to the package when inside it: shorter in CI logs.
                file: self
                    .file
                    .strip_prefix(&self.location.manifest_dir)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| self.file.clone()),
                recorded_date: recorded.as_ref().map(|r| r.recorded_date.clone()),
                recorded_against: recorded.and_then(|r| r.recorded_against),
                verified_against: self.target.as_ref().map(Target::describe),
                comparison,
            })));
        }
        if !comparison.skipped.is_empty() || !comparison.unused_skips.is_empty() {
            eprint!("{}", skipped_summary(&test, &comparison));
        }
        Ok(Outcome {
            test,
            mode: self.mode,
            keys,
            skipped: comparison.skipped,
            unused_skips: comparison.unused_skips,
            content,
        })
    }

    fn write_metrics(
        &self,
        keys: &[(String, KeyStatus)],
        comparison: &Comparison,
        now: &str,
        known_tests: Option<&BTreeSet<String>>,
    ) -> Result<(), ParityError> {
        let calls = self
            .calls
            .iter()
            .map(|call| CallMetrics {
                service: call.operation.service.clone(),
                operation: call.operation.operation.clone(),
                key: call.key.clone(),
                result: call
                    .key
                    .as_ref()
                    .and_then(|key| keys.iter().find(|(k, _)| k == key))
                    .map_or(CallResult::NotMatched, |(_, status)| (*status).into()),
            })
            .collect();
        let status = match self.mode {
            Mode::Record => TestStatus::Recorded,
            Mode::Verify if comparison.passed() => TestStatus::Passed,
            Mode::Verify => TestStatus::Failed,
        };
        let skipped = comparison
            .skipped
            .iter()
            .map(|s| SkippedPathMetrics {
                path: s.difference.path.to_string(),
                skip: s.skip.pattern.to_string(),
                reason: s.skip.reason.clone(),
            })
            .collect();
        let source = self.location.relative_source();
        let path = metrics::metrics_file(
            &self.location.manifest_dir,
            &self.location.package,
            Path::new(&source),
        );
        metrics::record_test(
            &path,
            &self.location.package,
            &source,
            &self.location.test_id,
            TestMetrics {
                mode: self.mode,
                target: self.target.as_ref().map(|t| t.name().to_owned()),
                status,
                run_date: now.to_owned(),
                calls,
                plain_values: self.plain_values,
                skipped,
            },
            known_tests,
        )
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        // Panicking here would hide the error of a test that returned early (`?` on a failed
        // call drops the session first); the warning is shown with that test's output.
        if !self.finished && !self.observed.is_empty() {
            eprintln!(
                "warning: the parity snapshot session of test `{}` matched {} value(s) but ended without `finish()`: nothing was recorded or verified{}",
                self.location.test_id,
                self.observed.len(),
                if std::thread::panicking() {
                    " (the test panicked)"
                } else {
                    "; end the test with `snapshot.finish()?`"
                }
            );
        }
    }
}

fn key_status(mode: Mode, comparison: &Comparison, key: &str) -> KeyStatus {
    if mode == Mode::Record {
        return KeyStatus::Recorded;
    }
    let concerns = |path: &crate::path::JsonPath| path.first_key() == Some(key);
    if comparison.failures.iter().any(|d| concerns(&d.path)) {
        KeyStatus::Failed
    } else if comparison
        .skipped
        .iter()
        .any(|s| concerns(&s.difference.path))
    {
        KeyStatus::PassedWithSkips
    } else {
        KeyStatus::Passed
    }
}

fn skipped_summary(test: &str, comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = write!(out, "parity: test `{test}`: ");
    if !comparison.skipped.is_empty() {
        let _ = write_skipped(&mut out, &comparison.skipped);
    }
    for unused in &comparison.unused_skips {
        let _ = writeln!(
            out,
            "  skip path `{}` ({}) covered no difference; remove it once it is no longer needed",
            unused.pattern, unused.reason
        );
    }
    out
}

/// Whole seconds: sub-second precision only adds noise to recorded files.
fn now_rfc3339() -> String {
    DateTime::from_secs(DateTime::from(SystemTime::now()).secs())
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_ids_drop_crate_closures_and_marker() {
        assert_eq!(
            test_id_from_type_name("sqs::queue_lifecycle::{{closure}}::__snapshot_parity_marker"),
            "queue_lifecycle"
        );
        assert_eq!(
            test_id_from_type_name("sqs::errors::deleted::__snapshot_parity_marker"),
            "errors::deleted"
        );
    }

    #[test]
    fn source_files_resolve_from_the_workspace_root() {
        let here = env!("CARGO_MANIFEST_DIR");
        let location = TestLocation::new(
            "snapshot-parity",
            here,
            "crates/snapshot-parity/src/session.rs",
            "x::t::__snapshot_parity_marker",
        );
        assert!(location.source_file.is_file(), "{:?}", location.source_file);
        assert_eq!(location.relative_source(), "src/session.rs");
        assert!(location
            .snapshot_file()
            .ends_with("src/session.snapshot.json"));
    }
}
