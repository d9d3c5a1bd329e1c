//! The round trip of a replayed case (SPEC §7a): what the client's typed value lost or
//! changed against the value the response carried, checked in the harness.
//!
//! ```text
//! [round trip: 23 values came back equal]
//! ```
//!
//! (`[round trip: the client returned a value; no members were set]` when there was nothing
//! to compare but the value itself),
//!
//! or, when something differs, one line per lost path and three per changed value:
//!
//! ```text
//! [ROUND TRIP: 1 lost, 1 changed, 21 equal]
//! lost: GetThingOutput.Items[0].Name
//! changed: GetThingOutput.CreatedAt
//!   sent:     2000-01-01T04:59:59.999Z
//!   received: 2000-01-01T04:59:59.998999953Z
//! ```
//!
//! Values use [`snapshot_records::TypedValue`]'s text form; a path equal to the root means the
//! client gave back no value at all.

use snapshot_records::{Finding, RoundTrip};

/// Renders a round-trip result.
pub fn render_round_trip(round_trip: &RoundTrip) -> String {
    let lost = round_trip.lost().count();
    let changed = round_trip.changed().count();
    if lost + changed == 0 {
        return match round_trip.equal {
            0 => "[round trip: the client returned a value; no members were set]".to_owned(),
            equal => format!("[round trip: {} came back equal]", counted(equal, "value")),
        };
    }
    let mut lines = vec![format!(
        "[ROUND TRIP: {lost} lost, {changed} changed, {} equal]",
        round_trip.equal
    )];
    for finding in &round_trip.findings {
        match finding {
            Finding::Lost { path } => lines.push(format!("lost: {path}")),
            Finding::Changed {
                path,
                sent,
                received,
            } => {
                lines.push(format!("changed: {path}"));
                lines.push(format!("  sent:     {sent}"));
                lines.push(format!("  received: {received}"));
            }
        }
    }
    lines.join("\n")
}

/// A round-trip result on one line, for the compact per-operation error snapshots:
/// `round trip: 2 values came back equal`, or the findings (`ROUND TRIP: lost
/// NoSuchKey.Message; changed NoSuchKey.Code: sent "a", received "b"`).
pub fn render_round_trip_line(round_trip: &RoundTrip) -> String {
    if round_trip.findings.is_empty() {
        return match round_trip.equal {
            0 => "round trip: the client returned a value; no members were set".to_owned(),
            equal => format!("round trip: {} came back equal", counted(equal, "value")),
        };
    }
    let findings: Vec<String> = round_trip
        .findings
        .iter()
        .map(|finding| match finding {
            Finding::Lost { path } => format!("lost {path}"),
            Finding::Changed {
                path,
                sent,
                received,
            } => format!("changed {path}: sent {sent}, received {received}"),
        })
        .collect();
    format!("ROUND TRIP: {}", findings.join("; "))
}

/// `count` with `noun`, plural unless it is 1: `1 value`, `3 values` (the report lines of
/// every check count this way).
pub fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use snapshot_records::{Precision, Timestamp, TypedValue};

    use super::*;

    #[test]
    fn lists_every_finding_with_both_values() {
        let round_trip = RoundTrip {
            equal: 21,
            findings: vec![
                Finding::Lost {
                    path: "GetThingOutput.Items[0].Name".into(),
                },
                Finding::Changed {
                    path: "GetThingOutput.CreatedAt".into(),
                    sent: TypedValue::Timestamp(Timestamp::from_millis(
                        946_702_799_999,
                        Precision::Millis,
                    )),
                    received: TypedValue::Timestamp(Timestamp {
                        seconds: 946_702_799,
                        nanos: 998_999_953,
                        precision: Precision::Nanos,
                    }),
                },
            ],
        };
        assert_eq!(
            render_round_trip(&round_trip),
            "[ROUND TRIP: 1 lost, 1 changed, 21 equal]\n\
             lost: GetThingOutput.Items[0].Name\n\
             changed: GetThingOutput.CreatedAt\n  \
             sent:     2000-01-01T04:59:59.999Z\n  \
             received: 2000-01-01T04:59:59.998999953Z"
        );
        assert_eq!(
            render_round_trip(&RoundTrip {
                equal: 1,
                findings: Vec::new()
            }),
            "[round trip: 1 value came back equal]"
        );
    }

    #[test]
    fn one_line_for_the_compact_error_snapshots() {
        let round_trip = RoundTrip {
            equal: 1,
            findings: vec![
                Finding::Lost {
                    path: "NoSuchKey.Message".into(),
                },
                Finding::Changed {
                    path: "NoSuchKey.Size".into(),
                    sent: TypedValue::Integer(0),
                    received: TypedValue::Integer(1),
                },
            ],
        };
        assert_eq!(
            render_round_trip_line(&round_trip),
            "ROUND TRIP: lost NoSuchKey.Message; changed NoSuchKey.Size: sent 0, received 1"
        );
        let equal = RoundTrip {
            equal: 2,
            findings: Vec::new(),
        };
        assert_eq!(
            render_round_trip_line(&equal),
            "round trip: 2 values came back equal"
        );
    }
}
