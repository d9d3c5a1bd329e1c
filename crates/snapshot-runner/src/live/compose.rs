//! The live snapshots of one service from its records, and the scope a live run covers.

use std::collections::BTreeMap;

use snapshot_normalize::Placeholders;
use snapshot_records::{CaseRecord, Outcome, PlannedCase};
use snapshot_store::{Kind, Scope, Snapshot, SnapshotKey};

use super::results::{LiveOperation, LiveResult, LiveService};
use super::tree::{live_tree, pretty, transformers};
use super::LiveEndpoint;
use crate::report::{ExclusionScope, ServiceReport, Stage};
use crate::ServiceTarget;

/// The request case of the max input, for a live case.
const LIVE_REQUEST: snapshot_records::Case = snapshot_records::Case::Request {
    variant: snapshot_records::InputVariant::Max,
};

/// Only the max input's request cases, without responses: a live run sends each operation's
/// generated input once and records what comes back.
pub(crate) fn request_cases(cases: Vec<PlannedCase>) -> Vec<PlannedCase> {
    cases
        .into_iter()
        .filter(|case| case.case == LIVE_REQUEST)
        .map(|case| PlannedCase {
            response: None,
            ..case
        })
        .collect()
}

/// The live snapshots of one service and its rows (results are filled in by [`finish`]).
pub(crate) fn compose_service(
    endpoint: &LiveEndpoint,
    target: &ServiceTarget,
    operations: &[String],
    records: &[CaseRecord],
    report: &ServiceReport,
) -> (Vec<Snapshot>, LiveService) {
    let crate_name = target.client.package.clone();
    let source = format!(
        "cargo-snapshot: {}",
        target
            .model
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let transformers = transformers(endpoint, &crate_name);
    let mut snapshots = Vec::new();
    let mut rows = BTreeMap::new();
    // Operations left out before running (config skips, values, codegen, compile errors).
    for exclusion in report
        .exclusions
        .iter()
        .filter(|exclusion| exclusion.scope == ExclusionScope::Operation)
    {
        rows.insert(
            exclusion.subject.clone(),
            excluded(&exclusion.subject, exclusion.stage, &exclusion.reason),
        );
    }
    for name in operations {
        let Some(record) = records
            .iter()
            .find(|record| &record.operation == name && record.case == LIVE_REQUEST)
        else {
            rows.insert(
                name.clone(),
                excluded(name, Stage::Run, "the harness produced no record"),
            );
            continue;
        };
        if let Some(reason) = failure(record) {
            rows.insert(name.clone(), excluded(name, Stage::Run, &reason));
            continue;
        }
        let mut tree = live_tree(record);
        transformers.apply(&mut tree, &mut Placeholders::new());
        let contents = pretty(&tree);
        snapshots.push(
            Snapshot::new(
                SnapshotKey::new(crate_name.clone(), Kind::Live, name.clone()),
                format!("{crate_name} {name} live"),
                contents,
            )
            .with_source(source.clone()),
        );
        rows.insert(
            name.clone(),
            LiveOperation {
                name: name.clone(),
                answer: answer(record),
                result: LiveResult::Recorded,
            },
        );
    }
    let service = LiveService {
        name: target.name.clone(),
        crate_name,
        operations: rows.into_values().collect(),
    };
    (snapshots, service)
}

/// Why a live case has no snapshot: the harness failed or the client sent nothing.
fn failure(record: &CaseRecord) -> Option<String> {
    match (&record.outcome, &record.request) {
        (Outcome::Panicked { message }, _) => Some(format!("the harness panicked: {message}")),
        (Outcome::TimedOut { millis }, _) => {
            Some(format!("the case did not finish within {millis} ms"))
        }
        (outcome, None) => Some(format!(
            "the client sent no request: {}",
            outcome_line(outcome)
        )),
        _ => None,
    }
}

fn excluded(name: &str, stage: Stage, reason: &str) -> LiveOperation {
    LiveOperation {
        name: name.to_owned(),
        answer: format!(
            "excluded ({stage}): {}",
            reason.lines().next().unwrap_or_default().trim()
        ),
        result: LiveResult::Excluded,
    }
}

/// The scope of a live run over one crate: its live snapshots only.
pub(crate) fn extend_scope(
    scope: Scope,
    crate_name: &str,
    operations: &[String],
    filtered: bool,
) -> Scope {
    if filtered {
        scope.include_names(crate_name, Kind::Live, operations.iter().cloned())
    } else {
        scope.include_kind(crate_name, Kind::Live)
    }
}

/// `200 output`, `400 QueueDoesNotExist`, `DispatchFailure`.
fn answer(record: &CaseRecord) -> String {
    let what = match &record.outcome {
        Outcome::Output { .. } => "output".to_owned(),
        Outcome::ServiceError { code, .. } => {
            code.clone().unwrap_or_else(|| "(no error code)".to_owned())
        }
        Outcome::ClientError { kind, .. } => kind.clone(),
        Outcome::Panicked { .. } => "panicked".to_owned(),
        Outcome::TimedOut { .. } => "timed out".to_owned(),
    };
    match &record.response {
        Some(response) => format!("{} {what}", response.status),
        None => what,
    }
}

fn outcome_line(outcome: &Outcome) -> String {
    match outcome {
        Outcome::ClientError { kind, display } => {
            format!("{kind}: {}", display.lines().next().unwrap_or_default())
        }
        Outcome::ServiceError { code, .. } => format!("service error {code:?}"),
        Outcome::Output { .. } => "the call succeeded without sending".to_owned(),
        Outcome::Panicked { message } => message.clone(),
        Outcome::TimedOut { millis } => format!("timed out after {millis} ms"),
    }
}

#[cfg(test)]
mod tests {
    use snapshot_records::HttpResponse;

    use super::super::test_record as record;
    use super::*;

    #[test]
    fn answers_are_the_status_and_what_the_client_made_of_it() {
        let error = Outcome::ServiceError {
            debug: String::new(),
            code: Some("QueueDoesNotExist".into()),
            message: None,
            request_id: None,
            retryable: None,
            cause: None,
        };
        assert_eq!(answer(&record(error.clone(), None)), "QueueDoesNotExist");
        let response = HttpResponse {
            status: 400,
            headers: Vec::new(),
            body: snapshot_records::Body::Empty,
        };
        assert_eq!(
            answer(&record(error, Some(response))),
            "400 QueueDoesNotExist"
        );
    }
}
