//! Whole cases: the sections of one [`CaseRecord`], in the order a snapshot file shows them.

use snapshot_records::{Case, CaseRecord, Outcome};

use crate::http::{render_http_request, render_http_response};
use crate::outcome::render_outcome;
use crate::round_trip::render_round_trip;
use snapshot_normalize::Placeholders;

const ENDPOINT_OVERRIDE_NOTE: &str = "[endpoint override: endpoint resolution failed for the \
generated input, so the case was run with an explicit endpoint]";

/// Renders a case by its kind: [`render_request_case`] for [`Case::Request`],
/// [`render_replay_case`] for the response and error cases.
pub fn render_case(record: &CaseRecord, placeholders: &mut Placeholders) -> String {
    match record.case {
        Case::Request { .. } | Case::RejectedHeader { .. } => {
            render_request_case(record, placeholders)
        }
        Case::Response { .. }
        | Case::Error { .. }
        | Case::ErrorForm { .. }
        | Case::UnmodeledError
        | Case::UncodedError
        | Case::FrontEndError
        | Case::MalformedHeader { .. } => render_replay_case(record, placeholders),
    }
}

/// The request the client sent. When it sent none, or the case panicked or timed out, the
/// outcome follows and says why; otherwise the outcome belongs to the dummy response the
/// harness replays and is left out.
pub fn render_request_case(record: &CaseRecord, placeholders: &mut Placeholders) -> String {
    let mut sections = Vec::new();
    if record.endpoint_override {
        sections.push(ENDPOINT_OVERRIDE_NOTE.to_owned());
    }
    match &record.request {
        Some(request) => sections.push(render_http_request(request, placeholders)),
        None => sections.push("[no request sent]".to_owned()),
    }
    let harness_failure = matches!(
        record.outcome,
        Outcome::Panicked { .. } | Outcome::TimedOut { .. }
    );
    if record.request.is_none() || harness_failure {
        sections.push(render_outcome(&record.outcome, placeholders));
    }
    sections.join("\n\n")
}

/// A replayed response and what the client made of it: the output it deserialized (response
/// cases) or the error it exposes (error cases); both show the same parts, and end with the
/// round trip when the case was checked.
pub fn render_replay_case(record: &CaseRecord, placeholders: &mut Placeholders) -> String {
    let mut sections = Vec::new();
    if record.endpoint_override {
        sections.push(ENDPOINT_OVERRIDE_NOTE.to_owned());
    }
    match &record.response {
        Some(response) => sections.push(render_http_response(response, placeholders)),
        None => sections.push("[no response replayed]".to_owned()),
    }
    sections.push(render_outcome(&record.outcome, placeholders));
    if let Some(round_trip) = &record.round_trip {
        sections.push(placeholders.replace_uuids(&render_round_trip(round_trip)));
    }
    sections.join("\n\n")
}
