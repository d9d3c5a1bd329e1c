//! The JUnit XML report of a `write` or `compare` run (`--junit <PATH>`), for CI systems that
//! show test results (GitHub, GitLab, Jenkins, Buildkite all read JUnit).
//!
//! One `<testsuite>` per service, named after its client crate. One `<testcase>` per snapshot
//! file, named `<kind>/<name>` (`requests/AssumeRole`, `responses/AssumeRole`,
//! `errors/ExpiredTokenException`) with the crate as its class name; a response snapshot holds
//! all response variants of its operation (min, max, ...), so it is one case.
//!
//! * `compare`: a snapshot identical to the accepted one passes; a changed one fails with the
//!   unified diff as the failure text, a new one (no accepted version) and a removed one (no
//!   longer produced) fail with a message saying so. Passed + failed cases are exactly the
//!   `N passed, N failed` line.
//! * `write`: every snapshot written passes.
//! * Both: each exclusion (an operation, response or error left out, with its stage and
//!   reason) is a skipped case named `<scope>/<subject>`; a service whose harness did not build
//!   is one failed case `build` with cargo's explanation. Lost members go to the system-out of
//!   their response or error case.
//!
//! Written with `quick-junit` (the serializer cargo-nextest uses).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use snapshot_runner::report::{ReplayCase, ServiceReport};
use snapshot_runner::RunOutcome;
use snapshot_store::{DiffOptions, Kind, Outcome};

/// Writing the JUnit report failed.
#[derive(Debug, thiserror::Error)]
pub enum JunitError {
    /// The report could not be serialized.
    #[error("cannot serialize the JUnit report: {0}")]
    Serialize(#[from] quick_junit::SerializeError),
    /// The file could not be written.
    #[error("cannot write the JUnit report {}: {source}; check that its directory exists and is writable", path.display())]
    Write {
        /// The `--junit` path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Checks, before a run, that the report can be written to `path`: its directory exists and
/// takes a new file, and `path` is not a directory. A run can take minutes; finding out after
/// it that the report has nowhere to go would waste them.
///
/// # Errors
/// [`JunitError::Write`] naming `path`.
pub fn check_writable(path: &Path) -> Result<(), JunitError> {
    let unwritable = |source| JunitError::Write {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        return Err(unwritable(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // tempfile's error names its own random file; the user needs the directory.
    tempfile::NamedTempFile::new_in(dir)
        .map(drop)
        .map_err(|error| {
            unwritable(std::io::Error::new(
                error.kind(),
                format!("no new file can be created in {}", dir.display()),
            ))
        })
}

/// The JUnit report of `outcome`.
pub fn report(outcome: &RunOutcome) -> Report {
    let mut report = Report::new("cargo-snapshot");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for service in &outcome.report.services {
        suites.insert(service.crate_name.as_str(), service_suite(service));
    }
    if let Some(compare) = &outcome.compare {
        let diff_options = DiffOptions {
            max_lines: None,
            ..DiffOptions::with_color(false)
        };
        for result in &compare.results {
            let suite = suites
                .entry(result.key.crate_name.as_str())
                .or_insert_with(|| TestSuite::new(result.key.crate_name.as_str()));
            let status = match &result.outcome {
                Outcome::Passed => TestCaseStatus::success(),
                Outcome::Changed { diff, .. } => failure(
                    &format!("snapshot changed: {}", result.display_path),
                    "changed",
                    &diff.render(&diff_options),
                ),
                Outcome::New { .. } => failure(
                    &format!("new snapshot, no accepted version: {}", result.display_path),
                    "new",
                    "",
                ),
                Outcome::Removed => failure(&result.summary_line(), "removed", ""),
            };
            suite.add_test_case(case(
                &result.key.crate_name,
                result.key.kind,
                &result.key.name,
                status,
            ));
        }
    } else {
        for service in &outcome.report.services {
            let Some(suite) = suites.get_mut(service.crate_name.as_str()) else {
                continue;
            };
            for (kind, names) in [
                (Kind::Requests, &service.requests),
                (Kind::Responses, &service.responses),
                (Kind::Errors, &service.errors),
                (Kind::OperationErrors, &service.operation_errors),
            ] {
                for name in names {
                    suite.add_test_case(case(
                        &service.crate_name,
                        kind,
                        name,
                        TestCaseStatus::success(),
                    ));
                }
            }
        }
    }
    for service in &outcome.report.services {
        if let Some(suite) = suites.get_mut(service.crate_name.as_str()) {
            attach_lost_members(suite, service);
        }
    }
    report.add_test_suites(suites.into_values());
    report
}

/// Serializes `outcome`'s report to `path`.
pub fn write(outcome: &RunOutcome, path: &Path) -> Result<(), JunitError> {
    let text = report(outcome).to_string()?;
    std::fs::write(path, text).map_err(|source| JunitError::Write {
        path: path.to_owned(),
        source,
    })
}

/// A service's suite with its build failure and exclusions (the snapshot cases come later).
fn service_suite(service: &ServiceReport) -> TestSuite {
    let mut suite = TestSuite::new(service.crate_name.as_str());
    suite.add_property(("service", service.name.as_str()));
    suite.add_property(("protocol", service.protocol.as_str()));
    if let Some(failure_text) = &service.build_failure {
        let mut case = TestCase::new(
            "build",
            failure(
                &format!("the harness of {} did not build", service.crate_name),
                "build",
                failure_text,
            ),
        );
        case.set_classname(service.crate_name.as_str());
        suite.add_test_case(case);
    }
    for exclusion in &service.exclusions {
        let mut status = TestCaseStatus::skipped();
        status.set_message(format!(
            "excluded at stage {}: {}",
            exclusion.stage,
            exclusion.reason.lines().next().unwrap_or_default()
        ));
        status.set_description(exclusion.reason.as_str());
        let mut case = TestCase::new(format!("{}/{}", exclusion.scope, exclusion.subject), status);
        case.set_classname(service.crate_name.as_str());
        suite.add_test_case(case);
    }
    suite
}

fn case(crate_name: &str, kind: Kind, name: &str, status: TestCaseStatus) -> TestCase {
    let mut case = TestCase::new(format!("{}/{name}", kind.dir_name()), status);
    case.set_classname(crate_name);
    case
}

fn failure(message: &str, kind: &str, text: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status.set_message(message).set_type(kind);
    if !text.is_empty() {
        status.set_description(text);
    }
    status
}

/// Lost members of a response (`min`, `max`, ...) or error case, as system-out of its case.
fn attach_lost_members(suite: &mut TestSuite, service: &ServiceReport) {
    let mut by_case: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for lost in &service.lost_members {
        let kind = match lost.case {
            ReplayCase::Error | ReplayCase::ErrorForm(_) => Kind::Errors,
            ReplayCase::DeclaredError(_) => Kind::OperationErrors,
            ReplayCase::Response(_) => Kind::Responses,
        };
        by_case
            .entry(format!("{}/{}", kind.dir_name(), lost.subject))
            .or_default()
            .push(format!("LOST MEMBER ({}): {}", lost.case, lost.path));
    }
    for case in &mut suite.test_cases {
        if let Some(lines) = by_case.get(case.name.as_str()) {
            case.set_system_out(lines.join("\n"));
        }
    }
}
