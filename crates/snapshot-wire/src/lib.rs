//! Server-side wire knowledge for cargo-snapshot: what a server of each protocol sends and
//! reads.
//!
//! This crate owns turning a generated [`Value`] of an operation's output or error into the
//! [`HttpResponse`] a real server of the service's protocol would send, so the Rust client
//! under test can parse it: status line, headers, body, event-stream frames; the other
//! responses such a server may send ([`variants`]); and reading the request a client sent
//! back by the operation's bindings, to check every input member reached the wire
//! ([`check_request`]). It covers restJson1, restXml, awsJson1_0/1_1, awsQuery, ec2Query and
//! rpcv2Cbor, each in its own module behind [`ResponseSerializer`] (and a request decoder of
//! the same type), chosen by [`ServiceIndex::protocol`]. It knows nothing of value
//! generation, Rust code or snapshot files.
//!
//! Responses are deterministic: headers in a fixed order (content type, protocol headers,
//! bound members in model order, request ids), map entries in value order, a fixed request
//! id ([`REQUEST_ID`], and [`EXTENDED_REQUEST_ID`] for S3), no clocks, no randomness.
//!
//! [`output_replay`] and [`error_replay`] also say what a correct client reads back from the
//! response they write (the round trip's expected value, SPEC §7a): the serializers note
//! what they write differently from the value (timestamps at their format's precision,
//! `Content-Length`), so that knowledge stays with the protocol code.
//!
//! What callers should know:
//! * An output's `@streaming` union value becomes an event-stream body, one frame per
//!   event; events whose member targets an `@error` structure become exception messages, so
//!   appending `Generator::exception_events` ends a stream with one. The RPC protocols
//!   (awsJson, rpcv2Cbor) send an `initial-response` message first.
//! * A modeled error whose shape has no `message` member still gets [`ERROR_MESSAGE`] in the
//!   protocol's message field, as real services always send one.
//! * Besides the canonical responses, [`variants`] builds the other responses a server may
//!   send ([`ResponseVariant`]: unknown members, nulls, empty collections, timestamp forms,
//!   malformed bodies, ...) and the other forms of its errors ([`ErrorForm`]), each with the
//!   [`Expectation`] of what the client makes of it.
//! * An `@httpResponseCode` member must hold a 2xx status; a member bound to
//!   `Content-Length` is sent as the real body length (HEAD responses send its value).
//!
//! ```no_run
//! # fn demo(model: &snapshot_model::Model, output: &snapshot_values::Value) -> Result<(), Box<dyn std::error::Error>> {
//! let index = model.service_index(None)?;
//! let operation = index.operation("GetCallerIdentity").expect("operation exists");
//! let response = snapshot_wire::output_response(&index, operation, output)?;
//! assert_eq!(response.status, 200);
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod cbor;
mod context;
mod errors;
mod event_stream;
mod header_faults;
mod http_bindings;
mod http_request;
mod json;
mod protocols;
mod read;
mod readback;
pub mod request;
mod response;
mod shaped;
mod timestamps;
pub mod variants;
mod xml;

pub use context::{ModeledError, OperationContext};
pub use errors::WireError;
pub use header_faults::{HeaderMalformation, WRONG_TYPE_HEADER_VALUE};
pub use http_bindings::HeaderRejection;
pub use protocols::{serializer, ResponseSerializer};
pub use readback::Replay;
pub use request::{
    check_request, ExceptionKind, Finding, FindingKind, RequestCheck, RequestCheckError,
    RequestSite,
};
pub use variants::{
    error_form_replay, error_form_response, error_forms, response_variants, targeted_responses,
    variant_response, ErrorForm, Expectation, Malformation, ResponseVariant, TargetedResponse,
    VariantResponse, VariantTarget,
};

use snapshot_model::{OperationRef, ServiceIndex, ShapeId};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use crate::context::WireNotes;

/// The request id every response carries (headers, and bodies where the protocol has one).
pub const REQUEST_ID: &str = "snapshot-request-id";

/// The extended request id S3 sends in `x-amz-id-2` (and `<HostId>`).
pub const EXTENDED_REQUEST_ID: &str = "snapshot-extended-request-id";

/// The message of a modeled error response whose error shape has no `message` member (real
/// services always send one).
pub const ERROR_MESSAGE: &str = "error message sent by cargo-snapshot";

/// The error code of [`unmodeled_error_response`], which no model declares.
pub const UNMODELED_ERROR_CODE: &str = "UnmodeledSnapshotError";

/// The message of [`unmodeled_error_response`].
pub const UNMODELED_ERROR_MESSAGE: &str =
    "an error code the model does not declare, sent by cargo-snapshot";

/// The message of [`uncoded_error_response`].
pub const UNCODED_ERROR_MESSAGE: &str = "an error without a code, sent by cargo-snapshot";

/// An error response of `operation` that names no error at all (no `__type`, no `code`, no
/// `x-amzn-errortype` or `x-amzn-query-error` header), in the protocols that name errors with
/// a type string (awsJson, restJson1, rpcv2Cbor): their clients give the unhandled error
/// without a code (the `None` arm of every generated `de_<operation>_http_error`). `None` for
/// the XML protocols, whose envelopes always carry a `<Code>`.
pub fn uncoded_error_response(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
) -> Option<HttpResponse> {
    let cx = OperationContext::new(index, operation);
    serializer(index.protocol()).uncoded_error(&cx)
}

/// The successful response of `operation` carrying `output`, a value of its output shape.
pub fn output_response(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    output: &Value,
) -> Result<HttpResponse, WireError> {
    let cx = OperationContext::new(index, operation);
    serializer(index.protocol()).output(&cx, output)
}

/// The error response of `operation` for the modeled error `error_shape` with value `error`.
/// The operation (or its service) must declare the error.
pub fn error_response(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    error_shape: &ShapeId,
    error: &Value,
) -> Result<HttpResponse, WireError> {
    let cx = OperationContext::new(index, operation);
    let modeled = ModeledError::resolve(&cx, error_shape)?;
    serializer(index.protocol()).error(&cx, &modeled, error)
}

/// The rejected-header request cases of `operation` (SPEC §4a): one per header-bound input
/// member whose value the client must refuse to put in a header, in model order; none in the
/// protocols without HTTP bindings. See [`HeaderRejection`].
pub fn rejected_headers(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
) -> Vec<HeaderRejection> {
    let model = index.model();
    let Some(input) = model.shape(&operation.operation.input) else {
        return Vec::new();
    };
    let cx = OperationContext::new(index, operation);
    let mut cases = protocols::decoder(index.protocol()).rejected_headers(model, input);
    let members = input.kind.members();
    for case in &mut cases {
        let member = members
            .iter()
            .find(|member| member.name == case.rejected.member);
        case.rewritten = member.and_then(|member| request::rewritten_by_client(&cx, member));
    }
    cases
}

/// The malformed-header response cases of `operation` built from `base`, the response of its
/// max output: one per header-bound output member and fault, in model order; none in the
/// protocols without HTTP bindings. See [`HeaderMalformation`].
pub fn malformed_headers(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    base: &HttpResponse,
) -> Vec<HeaderMalformation> {
    let model = index.model();
    match model.shape(&operation.operation.output) {
        Some(output) if index.protocol().uses_http_bindings() => {
            let sdk_id = index.aws_service().map(|service| service.sdk_id);
            header_faults::malformed_headers(model, output, base, sdk_id.as_deref())
        }
        _ => Vec::new(),
    }
}

/// [`output_response`], and what a correct client reads back from it (see [`Replay`]): the
/// output as a `TypedValue` at the precision the response carries each timestamp, with the
/// members the serializer wrote differently (`Content-Length`) as written.
pub fn output_replay(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    output: &Value,
) -> Result<Replay, WireError> {
    let notes = WireNotes::default();
    let cx = OperationContext::new(index, operation).noting(&notes);
    let response = serializer(index.protocol()).output(&cx, output)?;
    let root = ValuePath::root(operation.operation.output.name());
    let expected = readback::expected(index.model(), output, &root, &notes, None);
    Ok(Replay { response, expected })
}

/// [`error_response`], and what a correct client reads back from it: the error's members, and
/// the error variant it must report (the error shape's name in the service).
pub fn error_replay(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    error_shape: &ShapeId,
    error: &Value,
) -> Result<Replay, WireError> {
    let notes = WireNotes::default();
    let cx = OperationContext::new(index, operation).noting(&notes);
    let modeled = ModeledError::resolve(&cx, error_shape)?;
    let response = serializer(index.protocol()).error(&cx, &modeled, error)?;
    let root = ValuePath::root(error_shape.name());
    let variant = Some(index.name(error_shape).to_owned());
    let expected = readback::expected(index.model(), error, &root, &notes, variant);
    Ok(Replay { response, expected })
}

/// An error response of `operation` in its protocol's format with [`UNMODELED_ERROR_CODE`],
/// a code the model does not declare (status 400).
pub fn unmodeled_error_response(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
) -> HttpResponse {
    let cx = OperationContext::new(index, operation);
    serializer(index.protocol()).unmodeled_error(&cx)
}

/// A failure from in front of the service (a load balancer or proxy): status 500 with an
/// HTML page, in no protocol's format.
pub fn front_end_error_response() -> HttpResponse {
    HttpResponse {
        status: 500,
        headers: vec![("content-type".to_owned(), "text/html".to_owned())],
        body: Body::Bytes {
            data: b"<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n<center><h1>500 Internal Server Error</h1></center>\n</body>\n</html>\n".to_vec(),
        },
    }
}
