//! Classification: every operation and error shape of a model is covered (an accepted
//! snapshot file), excluded (a `[[skip]]` or the last run gave a reason) or missing (neither);
//! every snapshot file naming nothing in the model is stale.

use std::collections::{BTreeMap, BTreeSet};

use snapshot_model::ServiceIndex;
use snapshot_runner::report::{ExclusionScope, ServiceReport, Stage};
use snapshot_runner::{
    Skip, FRONT_END_ERROR_SNAPSHOT, UNCODED_ERROR_SNAPSHOT, UNMODELED_ERROR_SNAPSHOT,
};
use snapshot_store::Kind;

use crate::report::{
    ErrorCaseCoverage, ErrorCoverage, ExclusionEntry, KindCoverage, ParityCoverage,
    ParityOperation, ServiceCoverage, Totals,
};
use crate::sources::SnapshotFiles;

/// The error snapshots a service gets besides its modeled error shapes (the uncoded one in
/// the JSON and CBOR protocols only).
const GENERIC_ERRORS: [&str; 3] = [
    FRONT_END_ERROR_SNAPSHOT,
    UNMODELED_ERROR_SNAPSHOT,
    UNCODED_ERROR_SNAPSHOT,
];

/// What a model says should have snapshots.
pub(crate) struct ModelSubjects<'m> {
    /// Operation names, in model order.
    pub(crate) operations: Vec<&'m str>,
    /// Each error shape with the operations that declare it (operation errors, then service
    /// errors).
    pub(crate) error_shapes: BTreeMap<String, Vec<&'m str>>,
    /// How many errors each operation declares (its own and the service's), in model order.
    pub(crate) declared_errors: Vec<(&'m str, usize)>,
}

impl<'m> ModelSubjects<'m> {
    pub(crate) fn of(index: &'m ServiceIndex<'m>) -> Self {
        let operations = index.operations().iter().map(|op| op.name()).collect();
        let mut error_shapes: BTreeMap<String, Vec<&str>> = index
            .error_shapes()
            .iter()
            .map(|shape| (index.name(shape).to_owned(), Vec::new()))
            .collect();
        let mut declared_errors = Vec::new();
        for op in index.operations() {
            let declared = index.operation_errors(op);
            declared_errors.push((op.name(), declared.len()));
            for shape in declared {
                if let Some(declared_by) = error_shapes.get_mut(index.name(&shape)) {
                    declared_by.push(op.name());
                }
            }
        }
        ModelSubjects {
            operations,
            error_shapes,
            declared_errors,
        }
    }

    fn knows_operation(&self, name: &str) -> bool {
        self.operations.contains(&name)
    }
}

/// `[[skip]]` entries as the config says now, every other exclusion as the last run found it.
pub(crate) fn exclusions(skips: &[Skip], report: Option<&ServiceReport>) -> Vec<ExclusionEntry> {
    let mut exclusions: Vec<ExclusionEntry> = skips
        .iter()
        .map(|skip| ExclusionEntry {
            subject: skip.operation.clone(),
            scope: ExclusionScope::Operation,
            stage: Stage::Config,
            reason: format!("skipped in snapshot.toml: {}", skip.reason),
            operation: None,
        })
        .collect();
    if let Some(report) = report {
        exclusions.extend(
            report
                .exclusions
                .iter()
                .filter(|exclusion| exclusion.stage != Stage::Config)
                .map(|exclusion| ExclusionEntry {
                    subject: exclusion.subject.clone(),
                    scope: exclusion.scope,
                    stage: exclusion.stage,
                    reason: exclusion.reason.clone(),
                    operation: exclusion.operation.clone(),
                }),
        );
    }
    exclusions.sort();
    exclusions.dedup();
    exclusions
}

/// The subjects excluded in one of `scopes`.
fn excluded_in<'e>(
    exclusions: &'e [ExclusionEntry],
    scopes: &[ExclusionScope],
) -> BTreeSet<&'e str> {
    exclusions
        .iter()
        .filter(|exclusion| scopes.contains(&exclusion.scope))
        .map(|exclusion| exclusion.subject.as_str())
        .collect()
}

/// Every operation is covered (a file of `kind`), excluded (a reason) or missing.
pub(crate) fn classify_operations(
    subjects: &ModelSubjects<'_>,
    files: &SnapshotFiles,
    exclusions: &[ExclusionEntry],
    kind: Kind,
) -> KindCoverage {
    let scope = match kind {
        Kind::Requests => ExclusionScope::Request,
        _ => ExclusionScope::Response,
    };
    let on_disk = files.names(kind);
    let excluded = excluded_in(exclusions, &[ExclusionScope::Operation, scope]);
    let mut coverage = KindCoverage::default();
    for &operation in &subjects.operations {
        if on_disk.contains(operation) {
            coverage.snapshots += 1;
        } else if excluded.contains(operation) {
            coverage.excluded += 1;
        } else {
            coverage.missing.push(operation.to_owned());
        }
    }
    coverage
}

/// Every modeled error shape is covered, excluded or missing. An error is replayed through an
/// operation that declares it, so one declared only by excluded operations is excluded too.
/// The (operation, declared error) pairs are classified with them ([`classify_error_cases`]).
pub(crate) fn classify_errors(
    subjects: &ModelSubjects<'_>,
    files: &SnapshotFiles,
    exclusions: &[ExclusionEntry],
) -> ErrorCoverage {
    let on_disk = files.names(Kind::Errors);
    let excluded = excluded_in(exclusions, &[ExclusionScope::Error]);
    let whole_operation = excluded_in(exclusions, &[ExclusionScope::Operation]);
    let mut coverage = ErrorCoverage {
        shapes: subjects.error_shapes.len(),
        generic: GENERIC_ERRORS
            .into_iter()
            .filter(|name| on_disk.contains(*name))
            .map(str::to_owned)
            .collect(),
        cases: classify_error_cases(subjects, files, exclusions),
        ..ErrorCoverage::default()
    };
    for (shape, declared_by) in &subjects.error_shapes {
        let unreachable =
            !declared_by.is_empty() && declared_by.iter().all(|op| whole_operation.contains(op));
        if on_disk.contains(shape) {
            coverage.snapshots += 1;
        } else if excluded.contains(shape.as_str()) || unreachable {
            coverage.excluded += 1;
        } else {
            coverage.missing.push(shape.clone());
        }
    }
    coverage
}

/// Every (operation, declared error) pair is in its operation's compact error snapshot,
/// excluded (the operation, or the pair, with a reason) or missing (listed by operation).
fn classify_error_cases(
    subjects: &ModelSubjects<'_>,
    files: &SnapshotFiles,
    exclusions: &[ExclusionEntry],
) -> ErrorCaseCoverage {
    let on_disk = files.names(Kind::OperationErrors);
    let whole_operation = excluded_in(exclusions, &[ExclusionScope::Operation]);
    let mut coverage = ErrorCaseCoverage::default();
    for &(operation, declared) in &subjects.declared_errors {
        coverage.declared += declared;
        if on_disk.contains(operation) {
            let excluded_pairs = exclusions
                .iter()
                .filter(|exclusion| {
                    exclusion.scope == ExclusionScope::ErrorCase
                        && exclusion.operation.as_deref() == Some(operation)
                        && !GENERIC_ERRORS.contains(&exclusion.subject.as_str())
                })
                .count()
                .min(declared);
            coverage.snapshots += declared - excluded_pairs;
            coverage.excluded += excluded_pairs;
        } else if whole_operation.contains(operation) {
            coverage.excluded += declared;
        } else if declared > 0 {
            coverage.missing.push(operation.to_owned());
        }
    }
    coverage
}

/// Snapshot files naming no operation or error shape of the model, as `<kind>/<name>`.
pub(crate) fn stale_snapshots(subjects: &ModelSubjects<'_>, files: &SnapshotFiles) -> Vec<String> {
    let mut stale = Vec::new();
    for kind in Kind::ALL {
        for name in files.names(kind) {
            let known = match kind {
                Kind::Errors => {
                    subjects.error_shapes.contains_key(name)
                        || GENERIC_ERRORS.contains(&name.as_str())
                }
                _ => subjects.knows_operation(name),
            };
            if !known {
                stale.push(format!("{}/{name}", kind.dir_name()));
            }
        }
    }
    stale
}

/// SDK ids compare without case, spaces or dashes (`S3 Control` = `s3control`).
pub(crate) fn same_sdk_id(a: &str, b: &str) -> bool {
    let squash = |id: &str| -> String {
        id.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    squash(a) == squash(b)
}

/// The parity results of one service, each operation marked as in the model or not.
pub(crate) fn parity_coverage(
    per_operation: &BTreeMap<String, ParityOperation>,
    subjects: &ModelSubjects<'_>,
) -> ParityCoverage {
    let mut coverage = ParityCoverage::default();
    for (name, operation) in per_operation {
        let mut operation = operation.clone();
        operation.operation = name.clone();
        operation.in_model = subjects.knows_operation(name);
        if operation.in_model {
            coverage.operations += 1;
        }
        coverage.calls += operation.calls;
        coverage.recorded += operation.recorded;
        coverage.passed += operation.passed;
        coverage.passed_with_skips += operation.passed_with_skips;
        coverage.failed += operation.failed;
        coverage.not_matched += operation.not_matched;
        coverage.per_operation.push(operation);
    }
    coverage
}

/// Sums over the services.
pub(crate) fn totals(services: &[ServiceCoverage]) -> Totals {
    let mut total = Totals {
        services: services.len(),
        ..Totals::default()
    };
    for service in services {
        total.operations += service.operations;
        total.requests += service.requests.snapshots;
        total.request_variants.add(service.request_variants);
        total.request_checks.add(&service.request_checks);
        total.responses += service.responses.snapshots;
        total.response_variants.add(service.response_variants);
        total.error_forms.add(service.error_forms);
        total.error_shapes += service.errors.shapes;
        total.errors += service.errors.snapshots;
        total.error_cases_declared += service.errors.cases.declared;
        total.error_cases += service.errors.cases.snapshots;
        total.excluded += service.exclusions.len();
        total.lost_members += service.lost_members.len();
        total.missing += service.missing();
        total.stale_snapshots += service.stale_snapshots.len();
        total.pending_snapshots += service.pending_snapshots;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subjects() -> ModelSubjects<'static> {
        ModelSubjects {
            operations: vec!["GetCity", "ListCities", "DeleteCity"],
            error_shapes: BTreeMap::from([
                ("NoSuchCity".to_owned(), vec!["GetCity", "DeleteCity"]),
                ("Throttled".to_owned(), vec!["DeleteCity"]),
                ("Unused".to_owned(), vec![]),
            ]),
            declared_errors: vec![("GetCity", 1), ("ListCities", 0), ("DeleteCity", 2)],
        }
    }

    fn files(entries: &[(Kind, &str)]) -> SnapshotFiles {
        let mut files = SnapshotFiles::default();
        for (kind, name) in entries {
            files.insert(*kind, name);
        }
        files
    }

    fn excluded(subject: &str, scope: ExclusionScope, stage: Stage) -> ExclusionEntry {
        ExclusionEntry {
            subject: subject.to_owned(),
            scope,
            stage,
            reason: "why".to_owned(),
            operation: None,
        }
    }

    #[test]
    fn every_declared_error_of_every_operation_is_a_counted_pair() {
        let files = files(&[
            (Kind::OperationErrors, "GetCity"),
            (Kind::OperationErrors, "ListCities"),
        ]);
        let mut pair = excluded("NoSuchCity", ExclusionScope::ErrorCase, Stage::Run);
        pair.operation = Some("GetCity".to_owned());
        let cases = classify_error_cases(&subjects(), &files, &[pair.clone()]);
        // GetCity's one pair is excluded; DeleteCity's two have no file and no reason.
        assert_eq!(
            (
                cases.declared,
                cases.snapshots,
                cases.excluded,
                cases.missing
            ),
            (3, 0, 1, vec!["DeleteCity".to_owned()])
        );
        let whole = excluded("DeleteCity", ExclusionScope::Operation, Stage::Compile);
        let cases = classify_error_cases(&subjects(), &files, &[whole]);
        assert_eq!(
            (cases.snapshots, cases.excluded, cases.missing.len()),
            (1, 2, 0)
        );
    }

    #[test]
    fn every_operation_is_covered_excluded_or_missing() {
        let files = files(&[(Kind::Requests, "GetCity"), (Kind::Responses, "GetCity")]);
        let exclusions = [
            excluded("DeleteCity", ExclusionScope::Operation, Stage::Config),
            excluded("ListCities", ExclusionScope::Response, Stage::Wire),
        ];
        let requests = classify_operations(&subjects(), &files, &exclusions, Kind::Requests);
        assert_eq!(
            (requests.snapshots, requests.excluded, requests.missing),
            (1, 1, vec!["ListCities".to_owned()])
        );
        let responses = classify_operations(&subjects(), &files, &exclusions, Kind::Responses);
        assert_eq!(
            (responses.snapshots, responses.excluded, responses.missing),
            (1, 2, vec![])
        );
    }

    #[test]
    fn an_error_only_excluded_operations_declare_is_excluded_too() {
        let files = files(&[(Kind::Errors, "NoSuchCity"), (Kind::Errors, "_unmodeled")]);
        let exclusions = [excluded(
            "DeleteCity",
            ExclusionScope::Operation,
            Stage::Compile,
        )];
        let errors = classify_errors(&subjects(), &files, &exclusions);
        assert_eq!(errors.shapes, 3);
        assert_eq!(errors.snapshots, 1);
        // Throttled is declared by DeleteCity alone; Unused by nobody, so it is missing.
        assert_eq!(errors.excluded, 1);
        assert_eq!(errors.missing, ["Unused"]);
        assert_eq!(errors.generic, ["_unmodeled"]);
    }

    #[test]
    fn files_naming_nothing_in_the_model_are_stale() {
        let files = files(&[
            (Kind::Requests, "GetCity"),
            (Kind::Requests, "RenamedCity"),
            (Kind::Errors, "_front_end"),
            (Kind::Errors, "GoneException"),
        ]);
        assert_eq!(
            stale_snapshots(&subjects(), &files),
            ["requests/RenamedCity", "errors/GoneException"]
        );
    }

    #[test]
    fn skips_come_from_the_config_and_other_exclusions_from_the_run() {
        let skips = [Skip {
            operation: "DeleteCity".to_owned(),
            reason: "destructive".to_owned(),
        }];
        let report = ServiceReport {
            exclusions: vec![
                // The run's copy of a skip may be out of date: the config's wins.
                snapshot_runner::report::Exclusion::new(
                    "DeleteCity",
                    ExclusionScope::Operation,
                    Stage::Config,
                    "skipped in snapshot.toml: old reason",
                ),
                snapshot_runner::report::Exclusion::new(
                    "ListCities",
                    ExclusionScope::Response,
                    Stage::Wire,
                    "unsupported",
                ),
            ],
            ..ServiceReport::default()
        };
        let entries = exclusions(&skips, Some(&report));
        let shown: Vec<(&str, &str)> = entries
            .iter()
            .map(|entry| (entry.subject.as_str(), entry.reason.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("DeleteCity", "skipped in snapshot.toml: destructive"),
                ("ListCities", "unsupported"),
            ]
        );
    }

    #[test]
    fn sdk_ids_match_without_case_spaces_or_dashes() {
        assert!(same_sdk_id("S3 Control", "s3control"));
        assert!(same_sdk_id("Route 53", "route-53"));
        assert!(!same_sdk_id("S3", "S3 Control"));
    }
}
