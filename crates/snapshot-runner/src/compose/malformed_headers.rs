//! The `malformed headers` section of a response snapshot: one line per malformed-header case
//! (SPEC §7a), the member, its header, the fault and the error the client reported. The client
//! must report an error; an output is an UNEXPECTED finding, a panic an exclusion.

use snapshot_records::{Case, Outcome, ResponseHeaderFault};

use super::{line_section, OperationRecords};
use crate::plan::{PlannedOperation, ServicePlan};
use crate::report::{ExclusionScope, MalformedHeaderResult};

/// The section for `planned`'s malformed-header cases (empty when it has none), filing each
/// verdict in the report.
pub(super) fn section(
    plan: &mut ServicePlan<'_>,
    planned: &PlannedOperation<'_>,
    cases: &OperationRecords<'_>,
) -> String {
    let name = planned.name();
    let mut lines = Vec::new();
    for case in &planned.malformed_headers {
        let malformed = &case.malformed;
        let Some(record) = cases.replayed(
            plan,
            &Case::MalformedHeader {
                malformed: malformed.clone(),
            },
            || format!("{name} (malformed header {})", malformed.member),
            ExclusionScope::Response,
        ) else {
            continue;
        };
        let what = match malformed.fault {
            ResponseHeaderFault::WrongType => {
                format!(
                    "`{}` for a typed value",
                    snapshot_wire::WRONG_TYPE_HEADER_VALUE
                )
            }
            ResponseHeaderFault::Repeated => "sent twice".to_owned(),
        };
        let (rejected, got) = outcome_line(&record.outcome);
        lines.push(format!(
            "{} ({}, {what}): {got}",
            malformed.member, case.header
        ));
        plan.report.malformed_headers.push(MalformedHeaderResult {
            operation: name.to_owned(),
            member: malformed.member.clone(),
            fault: malformed.fault,
            rejected,
        });
    }
    line_section("malformed headers", &lines)
}

/// Whether the client reported an error, and what it reported on one line: the error variant
/// and message it exposes, or the client error's kind and text.
fn outcome_line(outcome: &Outcome) -> (bool, String) {
    match outcome {
        Outcome::ServiceError { code, message, .. } => (
            true,
            format!(
                "rejected: service error, code {}, message {}",
                code.as_deref().unwrap_or("none"),
                message.as_deref().map_or("none".to_owned(), one_line)
            ),
        ),
        Outcome::ClientError { kind, display } => {
            (true, format!("rejected: {kind}: {}", one_line(display)))
        }
        Outcome::Output { .. } => (false, "UNEXPECTED: the client gave an output".to_owned()),
        Outcome::Panicked { .. } | Outcome::TimedOut { .. } => {
            (false, "UNEXPECTED: the case did not finish".to_owned())
        }
    }
}

fn one_line(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\r', "\\r")
        .replace('\n', "\\n")
}
