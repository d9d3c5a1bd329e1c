//! The verify stage: the round trip of a replayed case (SPEC §7a).
//!
//! The check itself runs in the harness, on typed values: the generated code reads the
//! client's value through its fields, and the harness compares it with the value the plan
//! says the response carries (`snapshot_wire::output_replay`/`error_replay`), recording per
//! path what was `lost` or `changed` in the case record. Nothing here parses the client's
//! `{:#?}` text. This stage files those findings in the service report; the snapshot shows
//! them after the case's outcome (`snapshot_render::render_round_trip`).

use snapshot_records::CaseRecord;

use crate::report::{ReplayCase, ServiceReport};

/// Files the round-trip findings of `record`, replay `case` of `subject` (an operation or an
/// error shape), in `report`: each lost path as a lost member, each changed value with what
/// was sent and what came back.
pub(crate) fn file_findings(
    report: &mut ServiceReport,
    subject: &str,
    case: &ReplayCase,
    record: &CaseRecord,
) {
    let Some(round_trip) = &record.round_trip else {
        return;
    };
    for finding in &round_trip.findings {
        report.add_finding(subject, case, finding.clone());
    }
}

#[cfg(test)]
mod tests {
    use snapshot_records::{
        Case, Finding, Outcome, ResponseMode, RoundTrip, TypedValue, VariantName,
    };

    use super::*;

    #[test]
    fn findings_go_to_the_report_by_kind() {
        let record = CaseRecord {
            operation: "GetThing".into(),
            case: Case::Response {
                mode: ResponseMode::new(VariantName::Max),
            },
            endpoint_override: false,
            request: None,
            response: None,
            outcome: Outcome::Output {
                debug: String::new(),
                events: Vec::new(),
                stream_error: None,
            },
            round_trip: Some(RoundTrip {
                equal: 3,
                findings: vec![
                    Finding::Lost {
                        path: "GetThingOutput.Name".into(),
                    },
                    Finding::Changed {
                        path: "GetThingOutput.Size".into(),
                        sent: TypedValue::Integer(0),
                        received: TypedValue::Integer(1),
                    },
                ],
            }),
            micros: 1,
        };
        let case = ReplayCase::Response(ResponseMode::new(VariantName::Max));
        let mut report = ServiceReport::default();
        file_findings(&mut report, "GetThing", &case, &record);
        assert_eq!(report.lost_members.len(), 1);
        assert_eq!(report.lost_members[0].path, "GetThingOutput.Name");
        assert_eq!(report.changed_members.len(), 1);
        assert_eq!(report.changed_members[0].case, case);
        assert_eq!(report.changed_members[0].received, TypedValue::Integer(1));
    }
}
