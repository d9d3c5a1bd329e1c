//! Response pieces several protocols share: the layout of the responses of the protocols
//! without HTTP bindings, the request id header, the awsQueryCompatible header and the error
//! entries of the protocols that name the error in a JSON or CBOR body. What only one
//! protocol does stays in that protocol's module; the REST layout is
//! [`crate::http_bindings::assemble`].

use snapshot_model::traits::ErrorFault;
use snapshot_records::{Body, Header, HttpResponse};

use crate::context::query_type;
use crate::{ModeledError, OperationContext, UNMODELED_ERROR_CODE};

/// The request id header every AWS protocol but S3's sends (the clients read
/// `x-amzn-requestid`, then `x-amz-request-id`).
pub(crate) fn amzn_request_id() -> Header {
    ("x-amzn-requestid".to_owned(), crate::REQUEST_ID.to_owned())
}

/// A response of a protocol without HTTP bindings (awsJson, rpcv2Cbor, awsQuery, ec2Query):
/// `content_type` when there is a body, then the protocol's own headers, then the request id.
pub(crate) fn rpc_response(
    status: u16,
    content_type: Option<&str>,
    protocol_headers: Vec<Header>,
    body: Body,
) -> HttpResponse {
    let mut headers = Vec::new();
    if let Some(content_type) = content_type {
        headers.push(("content-type".to_owned(), content_type.to_owned()));
    }
    headers.extend(protocol_headers);
    headers.push(amzn_request_id());
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// For `@awsQueryCompatible` services, the `x-amzn-query-error: <code>;<Sender|Receiver>`
/// header: the client takes the error code from it instead of the body, so query-era codes
/// keep working. Nothing for other services.
pub(crate) fn query_compatible_headers(
    cx: &OperationContext<'_, '_>,
    code: &str,
    fault: ErrorFault,
) -> Vec<Header> {
    if cx.index().is_query_compatible() {
        vec![(
            "x-amzn-query-error".to_owned(),
            format!("{code};{}", query_type(fault)),
        )]
    } else {
        Vec::new()
    }
}

/// The `message` entry of a JSON or CBOR error document whose shape models no message
/// ([`ModeledError::wire_message`]).
pub(crate) fn message_entry(error: &ModeledError<'_>) -> Option<(&'static str, &'static str)> {
    error.wire_message().map(|text| ("message", text))
}

/// The entries that lead the error documents of awsJson and rpcv2Cbor, which name the error
/// in the body: `__type` with the fully qualified shape id (the client strips the
/// namespace), then the fallback message.
pub(crate) fn typed_error_entries<'m>(error: &ModeledError<'m>) -> Vec<(&'static str, &'m str)> {
    let mut entries = vec![("__type", error.shape().id.as_str())];
    entries.extend(message_entry(error));
    entries
}

/// The `__type` of the unmodeled error in awsJson and rpcv2Cbor: [`UNMODELED_ERROR_CODE`] in
/// the service's namespace, the form modeled errors have.
pub(crate) fn unmodeled_error_type(cx: &OperationContext<'_, '_>) -> String {
    format!("{}#{UNMODELED_ERROR_CODE}", cx.index().id().namespace())
}
