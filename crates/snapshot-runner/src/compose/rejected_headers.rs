//! The `rejected headers` section of a request snapshot: one line per rejected-header case
//! (SPEC §4a), the member, the header it binds, what was invalid and what the client did.
//! A client must refuse the value before sending; one that sends it is an UNEXPECTED finding.

use snapshot_records::{Case, CaseRecord, HeaderFault, Outcome};

use super::{line_section, OperationRecords};
use crate::plan::{PlannedOperation, ServicePlan};
use crate::report::{ExclusionScope, HeaderVerdict, RejectedHeaderResult};
use snapshot_wire::ExceptionKind;

/// The section title in request snapshots.
pub(super) const TITLE: &str = "rejected headers";

/// The section for `planned`'s rejected-header cases (empty when it has none), filing each
/// verdict in the report; a case the harness could not finish is an exclusion instead.
pub(super) fn section(
    plan: &mut ServicePlan<'_>,
    planned: &PlannedOperation<'_>,
    cases: &OperationRecords<'_>,
) -> String {
    let name = planned.name();
    let mut lines = Vec::new();
    for rejection in &planned.rejected_headers {
        let rejected = &rejection.rejected;
        let Some(record) = cases.replayed(
            plan,
            &Case::RejectedHeader {
                rejected: rejected.clone(),
            },
            || format!("{name} (rejected header {})", rejected.member),
            ExclusionScope::Request,
        ) else {
            continue;
        };
        let verdict = verdict(record, rejection.rewritten);
        let what = match rejected.fault {
            HeaderFault::Value => "a line feed in the value",
            HeaderFault::Name => "a space in the name",
        };
        lines.push(format!(
            "{} ({}, {what}): {}",
            rejected.member,
            rejection.header,
            describe(&verdict, record, &rejection.header)
        ));
        plan.report.rejected_headers.push(RejectedHeaderResult {
            operation: name.to_owned(),
            member: rejected.member.clone(),
            fault: rejected.fault,
            verdict,
        });
    }
    line_section(TITLE, &lines)
}

/// A request sent for a member the client rewrites is its own value (the invalid one could not
/// have been sent: `http` refuses it).
fn verdict(record: &CaseRecord, rewritten: Option<ExceptionKind>) -> HeaderVerdict {
    match (&record.request, &record.outcome) {
        (Some(_), _) => match rewritten {
            Some(by) => HeaderVerdict::Rewritten { by },
            None => HeaderVerdict::SentAnyway,
        },
        (None, Outcome::ClientError { kind, .. }) => HeaderVerdict::Rejected { kind: kind.clone() },
        (None, _) => HeaderVerdict::NoError,
    }
}

/// What the client did, on one line: the error it raised (its text with line breaks shown as
/// `\n`), or the headers it sent anyway under the member's header name or prefix.
fn describe(verdict: &HeaderVerdict, record: &CaseRecord, header: &str) -> String {
    match verdict {
        HeaderVerdict::Rejected { kind } => {
            let display = match &record.outcome {
                Outcome::ClientError { display, .. } => one_line(display),
                _ => String::new(),
            };
            format!("rejected before sending: {kind}: {display}")
        }
        HeaderVerdict::Rewritten { by } => {
            format!(
                "rewritten by the client ({}): sent {}",
                by.name(),
                sent(record, header)
            )
        }
        HeaderVerdict::SentAnyway => format!("UNEXPECTED: sent {}", sent(record, header)),
        HeaderVerdict::NoError => "UNEXPECTED: sent nothing and raised no client error".to_owned(),
    }
}

/// The headers of the request named `header` or starting with it (a prefix), as sent.
fn sent(record: &CaseRecord, header: &str) -> String {
    let sent: Vec<String> = record
        .request
        .iter()
        .flat_map(|request| &request.headers)
        .filter(|(name, _)| {
            name.len() >= header.len() && name[..header.len()].eq_ignore_ascii_case(header)
        })
        .map(|(name, value)| format!("{}: {}", name.to_ascii_lowercase(), one_line(value)))
        .collect();
    match sent.is_empty() {
        true => "a request without the header".to_owned(),
        false => sent.join(", "),
    }
}

fn one_line(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\r', "\\r")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use snapshot_records::{Body, HttpRequest, RejectedHeader};

    use super::*;

    fn record(request: Option<HttpRequest>, outcome: Outcome) -> CaseRecord {
        CaseRecord {
            operation: "PutThing".into(),
            case: Case::RejectedHeader {
                rejected: RejectedHeader {
                    member: "Tag".into(),
                    fault: HeaderFault::Value,
                },
            },
            endpoint_override: false,
            request,
            response: None,
            outcome,
            round_trip: None,
            micros: 1,
        }
    }

    #[test]
    fn a_refused_value_is_the_expected_verdict_with_the_error_on_one_line() {
        let refused = record(
            None,
            Outcome::ClientError {
                kind: "ConstructionFailure".into(),
                display: "invalid field in input: tag (details: `line\nfeed` cannot be used)"
                    .into(),
            },
        );
        let verdict = verdict(&refused, None);
        assert_eq!(
            verdict,
            HeaderVerdict::Rejected {
                kind: "ConstructionFailure".into()
            }
        );
        assert_eq!(
            describe(&verdict, &refused, "x-tag"),
            "rejected before sending: ConstructionFailure: invalid field in input: tag \
             (details: `line\\nfeed` cannot be used)"
        );
    }

    #[test]
    fn a_value_sent_anyway_is_unexpected_and_shows_the_header() {
        let sent = record(
            Some(HttpRequest {
                method: "PUT".into(),
                uri: "https://example.com/".into(),
                headers: vec![
                    ("X-Tag".into(), "line feed".into()),
                    ("other".into(), "1".into()),
                ],
                body: Body::Empty,
            }),
            Outcome::Output {
                debug: String::new(),
                events: Vec::new(),
                stream_error: None,
            },
        );
        let unexpected = verdict(&sent, None);
        assert_eq!(unexpected, HeaderVerdict::SentAnyway);
        assert_eq!(
            describe(&unexpected, &sent, "x-tag"),
            "UNEXPECTED: sent x-tag: line feed"
        );
        // A member the client rewrites (a checksum mode) is sent with the client's value.
        let rewritten = verdict(&sent, Some(ExceptionKind::Checksum));
        assert_eq!(
            describe(&rewritten, &sent, "x-tag"),
            "rewritten by the client (checksum): sent x-tag: line feed"
        );
    }
}
