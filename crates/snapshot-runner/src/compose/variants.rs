//! Response variant sections (SPEC §7a): one per variant replayed, after the canonical
//! sections of the operation's response snapshot. A variant the client handled as expected
//! is one line (a variant that must give back its base's output says so, with the round
//! trip's count); its lost or changed values follow in the round trip's form. An unexpected
//! outcome (a panic, a timeout, an output where a rejection was expected, another error)
//! shows the whole replay: the response and what the client made of it.

use snapshot_records::{CaseRecord, RoundTrip};
use snapshot_render::{render_replay_case, render_round_trip, Placeholders};

use crate::plan::VariantReplay;
use crate::report::{Expect, Got, VariantResult};

/// The verdict of `variant`, replayed as `record`, for `operation`.
pub(super) fn verdict(
    operation: &str,
    variant: &VariantReplay,
    record: &CaseRecord,
) -> VariantResult {
    VariantResult {
        operation: operation.to_owned(),
        variant: variant.variant,
        targets: variant
            .targets
            .iter()
            .map(|target| target.path.to_string())
            .collect(),
        base: variant.base.clone(),
        expected: variant.expect.clone(),
        got: Got::of(&record.outcome, record.round_trip.as_ref()),
    }
}

/// Whether `record`'s round trip found what the base replay's did (a variant that must give
/// back its base's output, and whose differences are the base's own, e.g. a client that reads
/// every timestamp a millisecond early): the section then says so instead of repeating them,
/// and the report files them once, under the base.
pub(super) fn repeats_base(
    variant: &VariantReplay,
    record: &CaseRecord,
    base: Option<&CaseRecord>,
) -> bool {
    let findings = |record: &CaseRecord| {
        record
            .round_trip
            .as_ref()
            .map(|check| check.findings.clone())
    };
    variant.same_as_base
        && matches!(record.outcome, snapshot_records::Outcome::Output { .. })
        && base.is_some_and(|base| findings(base) == findings(record))
}

/// The section body of a replayed variant with its `result`; `repeats_base` from
/// [`repeats_base`].
pub(super) fn section(
    variant: &VariantReplay,
    record: &CaseRecord,
    result: &VariantResult,
    repeats_base: bool,
    placeholders: &mut Placeholders,
) -> String {
    if !result.as_expected() {
        return format!(
            "[UNEXPECTED: expected {}, the client gave {}]\n\n{}",
            result.expected,
            result.got,
            render_replay_case(record, placeholders)
        );
    }
    let line = match &result.got {
        Got::Output { equal, .. } if result.expected == Expect::OutputWithUnknownUnions => {
            format!("[as expected: an output ({equal} values came back equal; unions are the client's Unknown variant, not compared)]")
        }
        Got::Output { equal, findings } if repeats_base && *findings > 0 => {
            return format!(
                "[as expected: the output of {}, {equal} values came back equal; the same {findings} lost or changed as in {0}]",
                variant.base
            );
        }
        Got::Output { equal, .. } if variant.same_as_base => {
            format!(
                "[as expected: the output of {}, {equal} values came back equal]",
                variant.base
            )
        }
        Got::Output { equal, .. } => {
            format!("[as expected: an output, {equal} values came back equal]")
        }
        got @ Got::ServiceError { code: Some(_), .. } => format!("[as expected: {got}]"),
        got => format!("[as expected: rejected with {got}]"),
    };
    match record
        .round_trip
        .as_ref()
        .filter(|check| !check.findings.is_empty())
    {
        Some(check) => format!("{line}\n{}", findings(check, placeholders)),
        None => line,
    }
}

fn findings(check: &RoundTrip, placeholders: &mut Placeholders) -> String {
    placeholders.replace_uuids(&render_round_trip(check))
}

#[cfg(test)]
mod tests {
    use snapshot_records::test_util::{bytes, record, response};
    use snapshot_records::{Case, Finding, Outcome, ResponseMode, TypedValue, VariantName};
    use snapshot_wire::{Malformation, ResponseVariant};

    use super::*;
    use crate::plan::{Replay, VariantReplay};

    fn replay(variant: ResponseVariant, expect: Expect) -> VariantReplay {
        VariantReplay {
            replay: Replay {
                case: Case::Response {
                    mode: ResponseMode::new(VariantName::Named(variant.name().to_owned())),
                },
                title: variant.name().to_owned(),
                value: None,
                response: response(200, Vec::new(), bytes("{}")),
                expected: None,
            },
            variant,
            base: VariantName::Max,
            expect,
            same_as_base: true,
            targets: Vec::new(),
        }
    }

    fn output() -> Outcome {
        Outcome::Output {
            debug: "GetThingOutput { name: Some(\"x\") }".into(),
            events: Vec::new(),
            stream_error: None,
        }
    }

    fn changed() -> RoundTrip {
        RoundTrip {
            equal: 4,
            findings: vec![Finding::Changed {
                path: "GetThingOutput.At".into(),
                sent: TypedValue::Integer(1),
                received: TypedValue::Integer(2),
            }],
        }
    }

    fn text(variant: &VariantReplay, record: &CaseRecord, base: Option<&CaseRecord>) -> String {
        let result = verdict("GetThing", variant, record);
        let repeats = repeats_base(variant, record, base);
        section(variant, record, &result, repeats, &mut Placeholders::new())
    }

    #[test]
    fn an_unknown_member_ignored_by_the_client_is_one_line() {
        let variant = replay(ResponseVariant::UnknownMembers, Expect::Output);
        let record =
            record("GetThing", variant.replay.case.clone(), output()).with_round_trip(RoundTrip {
                equal: 4,
                findings: Vec::new(),
            });
        assert_eq!(
            text(&variant, &record, None),
            "[as expected: the output of max, 4 values came back equal]"
        );
    }

    #[test]
    fn the_base_s_own_findings_are_not_repeated_but_new_ones_are_shown() {
        let variant = replay(ResponseVariant::UnknownMembers, Expect::Output);
        let base = record(
            "GetThing",
            Case::Response {
                mode: ResponseMode::new(VariantName::Max),
            },
            output(),
        )
        .with_round_trip(changed());
        let same =
            record("GetThing", variant.replay.case.clone(), output()).with_round_trip(changed());
        assert!(repeats_base(&variant, &same, Some(&base)));
        assert_eq!(
            text(&variant, &same, Some(&base)),
            "[as expected: the output of max, 4 values came back equal; the same 1 lost or changed as in max]"
        );
        let clean_base = base.clone().with_round_trip(RoundTrip {
            equal: 5,
            findings: Vec::new(),
        });
        let shown = text(&variant, &same, Some(&clean_base));
        assert!(shown.contains("changed: GetThingOutput.At"), "{shown}");
    }

    #[test]
    fn an_output_where_a_rejection_was_expected_shows_the_whole_replay() {
        let variant = replay(
            ResponseVariant::Malformed(Malformation::Truncated),
            Expect::Rejected,
        );
        let accepted = record("GetThing", variant.replay.case.clone(), output())
            .with_response(response(200, Vec::new(), bytes("{\"na")));
        let shown = text(&variant, &accepted, None);
        assert!(
            shown.starts_with("[UNEXPECTED: expected a rejection"),
            "{shown}"
        );
        assert!(shown.contains("the client gave an output"), "{shown}");
        assert!(shown.contains("GetThingOutput"), "{shown}");
        let rejected = record(
            "GetThing",
            variant.replay.case.clone(),
            Outcome::ClientError {
                kind: "ResponseError".into(),
                display: "response error".into(),
            },
        );
        assert_eq!(
            text(&variant, &rejected, None),
            "[as expected: rejected with a ResponseError]"
        );
        let panicked = record(
            "GetThing",
            variant.replay.case.clone(),
            Outcome::Panicked {
                message: "index out of bounds".into(),
            },
        );
        assert!(text(&variant, &panicked, None).starts_with("[UNEXPECTED"));
    }
}
