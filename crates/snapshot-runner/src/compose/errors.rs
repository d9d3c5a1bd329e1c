//! The error snapshots of one operation: the full snapshot of each error it carries
//! (`errors/<Error>.snap`: the HTTP response and everything the client exposes), and one
//! compact snapshot of how it parses every error it replays
//! (`errors/by-operation/<Operation>.snap`), a line per error:
//!
//! ```text
//! NoSuchKey: variant NoSuchKey, code "NoSuchKey", message "__Message__", request id "<uuid:1>", retryable (none); round trip: 2 values came back equal
//! _unmodeled: variant Unhandled, code "UnmodeledSnapshotError", message "...", request id "<uuid:1>", retryable (none)
//! ```
//!
//! The carrier's full snapshot ends with a section `==== error forms ====`: a line per
//! [`snapshot_wire::ErrorForm`] replayed (SPEC §7a), its verdict, then the compact line of
//! what the client made of it:
//!
//! ```text
//! message_member: [as expected: the modeled error] variant NoSuchKey, code "NoSuchKey", message "snapshot error metadata message", ...; round trip: 2 values came back equal
//! ```
//!
//! A line per error keeps a changed dispatch arm a one-line diff. The round trip's findings
//! of a carrier are filed under the error, those of other replays under the operation
//! ([`ReplayCase::DeclaredError`]), so each is reported once.

use snapshot_records::CaseRecord;
use snapshot_render::{render_error_summary, render_round_trip_line, Placeholders};
use snapshot_store::{Kind, Snapshot};

use super::{dropped_note, harness_failure, replay_file, Composer, OperationRecords, ReplayedCase};
use crate::plan::{ErrorReplay, PlannedOperation, ServicePlan};
use crate::report::{
    DriftCase, ErrorFormResult, Exclusion, ExclusionScope, Got, ReplayCase, Stage,
};
use crate::verify::file_findings;

impl Composer {
    /// The full snapshots of the errors `planned` carries and its compact error snapshot.
    pub(super) fn errors(
        &self,
        plan: &mut ServicePlan<'_>,
        planned: &PlannedOperation<'_>,
        cases: &OperationRecords<'_>,
    ) -> Vec<Snapshot> {
        let operation = planned.name();
        let mut snapshots = Vec::new();
        let mut lines = Vec::new();
        let mut placeholders = Placeholders::new();
        for error in &planned.errors {
            let Some(record) = error_record(plan, operation, error, cases) else {
                continue;
            };
            lines.push(compact_line(&error.name, record, &mut placeholders));
            if error.replay.value.is_some() {
                // A declared error (the generic ones carry no value): one checked pair.
                plan.report.error_cases += 1;
            }
            if error.carrier {
                file_findings(&mut plan.report, &error.name, &ReplayCase::Error, record);
                let mut placeholders = Placeholders::new();
                let contents = replay_file(
                    &[ReplayedCase::new(&error.replay, record)],
                    &mut placeholders,
                ) + &form_section(plan, operation, error, cases, &mut placeholders)
                    + &dropped_note(plan, &error.name, DriftCase::Error);
                plan.report.errors.push(error.name.clone());
                snapshots.push(self.snapshot(Kind::Errors, &error.name, "error", contents));
            } else {
                let case = ReplayCase::DeclaredError(error.name.clone());
                file_findings(&mut plan.report, operation, &case, record);
            }
        }
        if !lines.is_empty() {
            plan.report.operation_errors.push(operation.to_owned());
            let contents = lines.join("\n");
            snapshots.push(self.snapshot(Kind::OperationErrors, operation, "errors", contents));
        }
        snapshots
    }
}

/// The record of one error replay, or `None` after excluding what it would have shown: the
/// operation's line for it and, for its carrier, the error's full snapshot.
fn error_record<'r>(
    plan: &mut ServicePlan<'_>,
    operation: &str,
    error: &ErrorReplay,
    cases: &OperationRecords<'r>,
) -> Option<&'r CaseRecord> {
    let reason = match cases.find(&error.replay.case) {
        Some(record) => match harness_failure(&record.outcome) {
            None => return Some(record),
            Some(failure) => failure,
        },
        None => "the harness produced no record".to_owned(),
    };
    if error.carrier {
        plan.exclude(Exclusion::new(
            &error.name,
            ExclusionScope::Error,
            Stage::Run,
            &reason,
        ));
    }
    plan.exclude(
        Exclusion::new(&error.name, ExclusionScope::ErrorCase, Stage::Run, &reason)
            .through(operation),
    );
    None
}

/// One line of the compact error snapshot: the error's name, what the client made of it and,
/// when the response carried a generated value, the round trip the harness checked.
fn compact_line(name: &str, record: &CaseRecord, placeholders: &mut Placeholders) -> String {
    format!("{name}: {}", compact_summary(record, placeholders))
}

/// What the client made of an error replay and the round trip the harness checked, on one
/// line.
fn compact_summary(record: &CaseRecord, placeholders: &mut Placeholders) -> String {
    let summary = render_error_summary(&record.outcome, placeholders);
    let check = record
        .round_trip
        .as_ref()
        .map(|round_trip| format!("; {}", render_round_trip_line(round_trip)))
        .unwrap_or_default();
    format!("{summary}{check}")
}

/// The `==== error forms ====` section of `error`'s full snapshot (preceded by a blank line;
/// empty when no form was replayed), filing each form's verdict and round-trip findings. A
/// form without a record (the harness run ended early) is excluded with the reason.
fn form_section(
    plan: &mut ServicePlan<'_>,
    operation: &str,
    error: &ErrorReplay,
    cases: &OperationRecords<'_>,
    placeholders: &mut Placeholders,
) -> String {
    let mut lines = Vec::new();
    for form in &error.forms {
        let subject = format!("{} ({})", error.name, form.form.name());
        let record = match cases.find(&form.replay.case) {
            Some(record) => match harness_failure(&record.outcome) {
                None => record,
                Some(failure) => {
                    exclude_form(plan, &subject, operation, &failure);
                    continue;
                }
            },
            None => {
                exclude_form(plan, &subject, operation, "the harness produced no record");
                continue;
            }
        };
        let result = ErrorFormResult {
            error: error.name.clone(),
            operation: operation.to_owned(),
            form: form.form,
            expected: form.expect.clone(),
            got: Got::of(&record.outcome, record.round_trip.as_ref()),
        };
        let verdict = if result.as_expected() {
            format!("[as expected: {}]", result.expected)
        } else {
            format!(
                "[UNEXPECTED: expected {}, the client gave {}]",
                result.expected, result.got
            )
        };
        let summary = compact_summary(record, placeholders);
        lines.push(format!("{}: {verdict} {summary}", form.form.name()));
        let case = ReplayCase::ErrorForm(form.form.name().to_owned());
        file_findings(&mut plan.report, &error.name, &case, record);
        plan.report.error_forms.push(result);
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("\n\n==== error forms ====\n{}", lines.join("\n"))
}

fn exclude_form(plan: &mut ServicePlan<'_>, subject: &str, operation: &str, reason: &str) {
    plan.exclude(
        Exclusion::new(subject, ExclusionScope::ErrorForm, Stage::Run, reason).through(operation),
    );
}
