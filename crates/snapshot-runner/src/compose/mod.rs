//! The compose stage: case records → snapshots and the service report's rows.
//!
//! Per operation: the request snapshot with a section per input variant (min, max, edge),
//! one response snapshot with a section per output replay (min, max, exception endings), and
//! its error snapshots ([`errors`]: the full snapshot of each error it carries, and one line
//! per error it declares). Each replay section ends with the round trip the harness checked;
//! its lost and changed members also go to the report ([`crate::verify`]). A case the harness
//! could not finish is an exclusion with its reason.

mod errors;
mod malformed_headers;
mod rejected_headers;
mod request_check;
mod variants;

use std::collections::BTreeMap;

use snapshot_records::{Case, CaseRecord, InputVariant, Outcome, ResponseMode};
use snapshot_render::{render_replay_case, render_request_case, Placeholders};
use snapshot_store::{Kind, Scope, Snapshot, SnapshotKey};

use crate::plan::{PlannedOperation, Replay, ServicePlan};
use crate::report::{
    first_lines, DriftCase, Exclusion, ExclusionScope, ReplayCase, RequestVariant, Stage,
};
use crate::verify::file_findings;

/// The snapshots of one service from its records; fills the report's rows.
pub(crate) fn compose_service(plan: &mut ServicePlan<'_>, records: &[CaseRecord]) -> Vec<Snapshot> {
    let mut by_operation: BTreeMap<&str, Vec<&CaseRecord>> = BTreeMap::new();
    for record in records {
        by_operation
            .entry(record.operation.as_str())
            .or_default()
            .push(record);
    }
    let composer = Composer::new(plan);
    let operations = std::mem::take(&mut plan.operations);
    let mut snapshots = Vec::new();
    for planned in &operations {
        let records = by_operation
            .get(planned.name())
            .map(Vec::as_slice)
            .unwrap_or_default();
        plan.report
            .case_micros
            .extend(records.iter().map(|record| record.micros));
        if !records.is_empty() {
            plan.report
                .operation_micros
                .push(records.iter().map(|record| record.micros).sum());
        }
        let cases = OperationRecords { records };
        snapshots.extend(composer.request(plan, planned, &cases));
        snapshots.extend(composer.responses(plan, planned, &cases));
        snapshots.extend(composer.errors(plan, planned, &cases));
    }
    plan.operations = operations;
    snapshots
}

/// The records of one operation.
struct OperationRecords<'r> {
    records: &'r [&'r CaseRecord],
}

impl<'r> OperationRecords<'r> {
    fn find(&self, case: &Case) -> Option<&'r CaseRecord> {
        self.records
            .iter()
            .copied()
            .find(|record| &record.case == case)
    }

    /// The record of a one-line case (a rejected or malformed header), unless the harness
    /// panicked or timed out on it: that case is then excluded from the operation's `scope`,
    /// named by `label` (`GetObject (malformed header Expires)`), and `None` returned, as when
    /// the case has no record.
    fn replayed(
        &self,
        plan: &mut ServicePlan<'_>,
        case: &Case,
        label: impl FnOnce() -> String,
        scope: ExclusionScope,
    ) -> Option<&'r CaseRecord> {
        let record = self.find(case)?;
        match harness_failure(&record.outcome) {
            Some(failure) => {
                plan.exclude(Exclusion::new(&label(), scope, Stage::Run, &failure));
                None
            }
            None => Some(record),
        }
    }
}

/// A snapshot section of one line per case (`==== title ====`), or nothing without lines.
fn line_section(title: &str, lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    format!("\n\n==== {title} ====\n{}", lines.join("\n"))
}

/// Makes the snapshots of one crate, with its `source:` header.
struct Composer {
    crate_name: String,
    source: String,
}

impl Composer {
    fn new(plan: &ServicePlan<'_>) -> Self {
        let model_file = plan
            .target
            .model
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        Composer {
            crate_name: plan.target.client.package.clone(),
            source: format!("cargo-snapshot: {model_file}"),
        }
    }

    fn snapshot(&self, kind: Kind, name: &str, what: &str, contents: String) -> Snapshot {
        Snapshot::new(
            SnapshotKey::new(self.crate_name.clone(), kind, name),
            format!("{} {name} {what}", self.crate_name),
            contents,
        )
        .with_source(self.source.clone())
    }

    /// The request snapshot: a section per input variant the client was given (max, and the
    /// planned min and edge inputs), in [`InputVariant::ALL`] order. Without a max request
    /// there is no snapshot; a variant whose case failed in the harness loses its section.
    fn request(
        &self,
        plan: &mut ServicePlan<'_>,
        planned: &PlannedOperation<'_>,
        cases: &OperationRecords<'_>,
    ) -> Option<Snapshot> {
        let name = planned.name();
        let mut sections = Vec::new();
        for variant in planned.input_variants() {
            match request_section(cases, variant) {
                Ok(record) => sections.push((variant, record)),
                Err(reason) => {
                    plan.exclude(Exclusion::new(
                        &variant_subject(name, variant),
                        ExclusionScope::Request,
                        Stage::Run,
                        &reason,
                    ));
                    if variant == InputVariant::Max {
                        return None;
                    }
                }
            }
        }
        for (variant, record) in &sections {
            if record.endpoint_override {
                plan.report
                    .endpoint_overrides
                    .push(variant_subject(name, *variant));
            }
            if *variant != InputVariant::Max {
                plan.report.request_variants.push(RequestVariant {
                    operation: name.to_owned(),
                    variant: *variant,
                });
            }
        }
        plan.report.requests.push(name.to_owned());
        sections.sort_by_key(|(variant, _)| *variant);
        let checked: Vec<RequestSection<'_>> = sections
            .into_iter()
            .map(|(variant, record)| {
                let check = request_check::check(plan, planned, variant, record);
                let text = check.as_ref().map(request_check::render);
                plan.report.request_checks.extend(check);
                RequestSection {
                    variant,
                    record,
                    check: text,
                }
            })
            .collect();
        let rejected = rejected_headers::section(plan, planned, cases);
        let contents =
            request_file(&checked) + &rejected + &dropped_note(plan, name, DriftCase::Request);
        Some(self.snapshot(Kind::Requests, name, "request", contents))
    }

    fn responses(
        &self,
        plan: &mut ServicePlan<'_>,
        planned: &PlannedOperation<'_>,
        cases: &OperationRecords<'_>,
    ) -> Option<Snapshot> {
        if planned.responses.is_empty() {
            return None;
        }
        let name = planned.name();
        let replayed: Vec<ReplayedCase<'_>> = planned
            .responses
            .iter()
            .filter_map(|replay| {
                cases
                    .find(&replay.case)
                    .map(|record| ReplayedCase::new(replay, record))
            })
            .collect();
        if let Some(failure) = replayed
            .iter()
            .find_map(|case| harness_failure(&case.record.outcome))
        {
            plan.exclude(Exclusion::new(
                name,
                ExclusionScope::Response,
                Stage::Run,
                &failure,
            ));
            return None;
        }
        if replayed.len() != planned.responses.len() {
            return None;
        }
        for case in &replayed {
            let replay_case = match case.case {
                Case::Response { mode } => ReplayCase::Response(mode.clone()),
                _ => ReplayCase::Error,
            };
            file_findings(&mut plan.report, name, &replay_case, case.record);
        }
        let mut placeholders = Placeholders::new();
        let mut contents = replay_file(&replayed, &mut placeholders);
        contents.push_str(&variant_sections(plan, planned, cases, &mut placeholders));
        contents.push_str(&malformed_headers::section(plan, planned, cases));
        plan.report.responses.push(name.to_owned());
        let contents = contents + &dropped_note(plan, name, DriftCase::Response);
        Some(self.snapshot(Kind::Responses, name, "responses", contents))
    }
}

/// The sections of the response variants replayed for `planned` (each preceded by a blank
/// line), filing their verdicts and round-trip findings in the report. A variant without a
/// record (its harness run ended early) has no section.
fn variant_sections(
    plan: &mut ServicePlan<'_>,
    planned: &PlannedOperation<'_>,
    cases: &OperationRecords<'_>,
    placeholders: &mut Placeholders,
) -> String {
    let name = planned.name();
    let mut text = String::new();
    for variant in &planned.response_variants {
        let Some(record) = cases.find(&variant.replay.case) else {
            continue;
        };
        let base = cases.find(&Case::Response {
            mode: ResponseMode::new(variant.base.clone()),
        });
        let repeats_base = variants::repeats_base(variant, record, base);
        if let (Case::Response { mode }, false) = (&variant.replay.case, repeats_base) {
            file_findings(
                &mut plan.report,
                name,
                &ReplayCase::Response(mode.clone()),
                record,
            );
        }
        let result = variants::verdict(name, variant, record);
        let body = variants::section(variant, record, &result, repeats_base, placeholders);
        text.push_str(&format!("\n\n==== {} ====\n{body}", variant.replay.title));
        plan.report.response_variants.push(result);
    }
    text
}

/// What the store may replace or call removed after a replay run over `plan`'s crate: all of
/// it, or with `--operation` filters only the snapshots of the planned operations and errors.
pub(crate) fn extend_scope(scope: Scope, plan: &ServicePlan<'_>, filtered: bool) -> Scope {
    let crate_name = plan.target.client.package.clone();
    if !filtered {
        return scope.include_crate(crate_name);
    }
    let operations = plan.operation_names();
    scope
        .include_names(crate_name.clone(), Kind::Requests, operations.clone())
        .include_names(crate_name.clone(), Kind::Responses, operations.clone())
        .include_names(crate_name.clone(), Kind::OperationErrors, operations)
        .include_names(crate_name, Kind::Errors, plan.error_names.iter().cloned())
}

/// The record of the request case of `variant`, or why it has no section: the harness
/// produced none, panicked or timed out, or (for max only) the client sent no request. An
/// input the client refuses before sending is a section of its own for the other variants:
/// the client's validation error is what they show.
fn request_section<'r>(
    cases: &OperationRecords<'r>,
    variant: InputVariant,
) -> Result<&'r CaseRecord, String> {
    let record = cases
        .find(&Case::Request { variant })
        .ok_or_else(|| "the harness produced no record".to_owned())?;
    match (harness_failure(&record.outcome), &record.request) {
        (Some(failure), _) => Err(failure),
        (None, None) if variant == InputVariant::Max => Err(format!(
            "the client sent no request: {}",
            outcome_summary(&record.outcome)
        )),
        (None, _) => Ok(record),
    }
}

/// How reports name an operation's request case: `Name` for max, `Name (edge)` otherwise.
fn variant_subject(operation: &str, variant: InputVariant) -> String {
    match variant {
        InputVariant::Max => operation.to_owned(),
        other => format!("{operation} ({other})"),
    }
}

/// A request section: the request case of an input variant and its request-side check's
/// lines (none when the client sent no request).
struct RequestSection<'r> {
    variant: InputVariant,
    record: &'r CaseRecord,
    check: Option<String>,
}

/// The text of a request snapshot: one `==== <variant> ====` section per input variant, each
/// ending with its request-side check, with placeholders numbered across the whole file.
fn request_file(sections: &[RequestSection<'_>]) -> String {
    let mut placeholders = Placeholders::new();
    sections
        .iter()
        .map(|section| {
            let mut text = format!(
                "==== {} ====\n{}",
                section.variant,
                render_request_case(section.record, &mut placeholders)
            );
            if let Some(check) = &section.check {
                text.push_str("\n\n");
                text.push_str(check);
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// One replayed case.
struct ReplayedCase<'r> {
    /// The case (what the harness ran).
    case: &'r Case,
    /// Section title (`min`, `max`, or the error name).
    title: &'r str,
    /// The record.
    record: &'r CaseRecord,
}

impl<'r> ReplayedCase<'r> {
    fn new(replay: &'r Replay, record: &'r CaseRecord) -> Self {
        ReplayedCase {
            case: &replay.case,
            title: &replay.title,
            record,
        }
    }
}

/// The text of a response or error snapshot: one section per case, each ending with its
/// round trip; `placeholders` number the UUIDs of the whole file.
fn replay_file(cases: &[ReplayedCase<'_>], placeholders: &mut Placeholders) -> String {
    let mut sections = Vec::new();
    for case in cases {
        let body = render_replay_case(case.record, placeholders);
        sections.push(format!("==== {} ====\n{body}", case.title));
    }
    sections.join("\n\n")
}

/// The members dropped from the value behind a snapshot because the crate cannot hold them,
/// each with what the crate lacks; empty when none were.
fn dropped_note(plan: &ServicePlan<'_>, subject: &str, case: DriftCase) -> String {
    let lines: Vec<String> = plan
        .report
        .drift
        .dropped_in(subject, case)
        .map(|member| format!("{}: {}", member.path, member.reason))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let left_out = match case {
        DriftCase::Request => "not sent",
        DriftCase::Response | DriftCase::Error => "not in the response",
    };
    format!(
        "\n\n[DROPPED MEMBERS: in the model, not in {}; {left_out}]\n{}",
        plan.target.client.package,
        lines.join("\n")
    )
}

fn harness_failure(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Panicked { message } => Some(format!("the harness panicked: {message}")),
        Outcome::TimedOut { millis } => Some(format!("the case did not finish within {millis} ms")),
        _ => None,
    }
}

fn outcome_summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::ClientError { kind, display } => format!("{kind}: {}", first_lines(display, 3)),
        Outcome::ServiceError { code, message, .. } => {
            format!("service error {code:?}: {message:?}")
        }
        Outcome::Output { .. } => "the call succeeded without sending".to_owned(),
        Outcome::Panicked { message } => message.clone(),
        Outcome::TimedOut { millis } => format!("timed out after {millis} ms"),
    }
}

#[cfg(test)]
mod tests {
    use snapshot_records::{Body, HttpRequest};

    use super::*;

    fn record(variant: InputVariant, body: &str) -> CaseRecord {
        CaseRecord {
            operation: "PutThing".into(),
            case: Case::Request { variant },
            endpoint_override: false,
            request: Some(HttpRequest {
                method: "POST".into(),
                uri: "https://example.us-east-1.amazonaws.com/".into(),
                headers: vec![(
                    "amz-sdk-invocation-id".into(),
                    "00000000-0000-4000-8000-000000000001".into(),
                )],
                body: Body::Bytes {
                    data: body.as_bytes().to_vec(),
                },
            }),
            response: None,
            outcome: Outcome::Output {
                debug: String::new(),
                events: Vec::new(),
                stream_error: None,
            },
            round_trip: None,
            micros: 1,
        }
    }

    #[test]
    fn a_request_file_has_a_section_per_variant_with_shared_placeholders() {
        let (min, max, edge) = (
            record(InputVariant::Min, "a"),
            record(InputVariant::Max, "b"),
            record(InputVariant::Edge, "c"),
        );
        let section = |variant, record| RequestSection {
            variant,
            record,
            check: None,
        };
        let text = request_file(&[
            section(InputVariant::Min, &min),
            section(InputVariant::Max, &max),
            section(InputVariant::Edge, &edge),
        ]);
        let titles: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("===="))
            .collect();
        assert_eq!(titles, ["==== min ====", "==== max ====", "==== edge ===="]);
        // The same invocation id is the same placeholder in every section.
        assert_eq!(text.matches("<uuid:1>").count(), 3, "{text}");
        let max_only = request_file(&[section(InputVariant::Max, &max)]);
        assert!(max_only.starts_with("==== max ====\nPOST "), "{max_only}");
        let checked = request_file(&[RequestSection {
            check: Some("[request check: 3 values on the wire]".into()),
            ..section(InputVariant::Max, &max)
        }]);
        assert!(
            checked.ends_with("\n\n[request check: 3 values on the wire]"),
            "{checked}"
        );
    }

    #[test]
    fn reports_name_variant_cases_after_their_operation() {
        assert_eq!(variant_subject("PutThing", InputVariant::Max), "PutThing");
        assert_eq!(
            variant_subject("PutThing", InputVariant::Edge),
            "PutThing (edge)"
        );
    }
}
