//! Live runs: `write|compare --endpoint URL`.
//!
//! Each operation's generated request is sent to a live endpoint (an emulator, another
//! implementation, another version) instead of getting a replayed response, and what the
//! endpoint really answered is stored as `snapshots/<crate>/live/<Operation>.snap`: the
//! request line, the response (status, chosen headers, body decoded by content type) and a
//! summary of what the client made of it, as one JSON tree with the volatile values (request
//! ids, UUIDs, account ids, dates, the endpoint's host and port, service-specific ids) replaced
//! by `snapshot-normalize` placeholders. Recording against one endpoint and comparing against
//! another then gives a per-operation table of matches and differences ([`LiveRun`]).
//!
//! Live snapshots have their own store kind ([`snapshot_store::Kind::Live`]): a live run never covers, and so
//! never deletes or reports, the replay snapshots, and a replay run never touches live ones.

mod compose;
mod endpoint;
mod results;
mod tree;

pub(crate) use compose::{compose_service, extend_scope, request_cases};
pub use endpoint::{EndpointError, LiveEndpoint};
pub(crate) use results::finish;
pub use results::{LiveCounts, LiveOperation, LiveResult, LiveRun, LiveService};
pub use tree::{
    live_tree, pretty, transformers, ENDPOINT_PLACEHOLDER, LIVE_HEADERS, MAP_KEY_PATTERN,
};

/// File name of the saved report of the last live run, next to the replay one (so a live run
/// does not replace what `cargo snapshot coverage` reads).
pub const LIVE_REPORT_FILE: &str = "last-live-run.json";

/// A record of one live request case, for the tests of the live modules.
#[cfg(test)]
fn test_record(
    outcome: snapshot_records::Outcome,
    response: Option<snapshot_records::HttpResponse>,
) -> snapshot_records::CaseRecord {
    use snapshot_records::{Body, Case, CaseRecord, HttpRequest, InputVariant};
    CaseRecord {
        operation: "CreateQueue".into(),
        case: Case::Request {
            variant: InputVariant::Max,
        },
        endpoint_override: false,
        request: Some(HttpRequest {
            method: "POST".into(),
            uri: "http://127.0.0.1:50123/".into(),
            headers: Vec::new(),
            body: Body::Empty,
        }),
        response,
        outcome,
        round_trip: None,
        micros: 1,
    }
}
