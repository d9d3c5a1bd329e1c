//! `smithy.protocols#rpcv2Cbor`.
//!
//! * Every response carries `smithy-protocol: rpc-v2-cbor`.
//! * Outputs: status 200, the output as one CBOR map keyed by member name,
//!   `application/cbor`; no body at all when the operation has no output (the clients do
//!   not read one).
//! * Event streams: as for awsJson, an `initial-response` message with the output's other
//!   members comes first; payloads are CBOR (`application/cbor`).
//! * Errors: a CBOR map with `__type` = `<namespace>#<ShapeName>` (the client strips the
//!   namespace, as for JSON) and the error's members; status from `@httpError` or the fault;
//!   `x-amzn-query-error` for `@awsQueryCompatible` services.
//! * Request id: `x-amzn-requestid`.
//! * Requests: the whole input as one CBOR map (the clients write indefinite-length maps);
//!   with an input event stream, an `initial-request` message carries the other members.
//!
//! Variants: the clients' generated CBOR readers skip unknown keys, read `null` as absent
//! for optional members (`set_optional`), give `Unknown` for an unknown union key, and accept
//! maps and arrays of indefinite length (the `None => loop` arms). They reject a union map
//! with more than one entry, so there are no `null` union siblings, and every body must be a
//! map, so there is no empty body. Timestamps are tag 1 with a float, so there are no
//! textual forms; whole seconds still apply. Error forms: the error parser reads only
//! `__type` from the body (sanitized as for JSON), so its bare and `:`-suffixed forms, and
//! the form without `x-amzn-query-error` for query-compatible services.

use snapshot_model::traits::ErrorFault;
use snapshot_model::{Protocol, Shape};
use snapshot_records::{Body, Header, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{RequestDecoder, ResponseSerializer};
use crate::cbor::{self, CborWriter};
use crate::event_stream;
use crate::read::cbor::CborReader;
use crate::read::{DecodeError, Decoding};
use crate::request::events;
use crate::request::parts::RequestParts;
use crate::response::{
    has_document, query_compatible_headers, rpc_response, unmodeled_error_type, TypedError,
};
use crate::shaped::Root;
use crate::variants::{ErrorForm, Malformation, ResponseVariant};
use crate::{
    ModeledError, OperationContext, WireError, UNCODED_ERROR_MESSAGE, UNMODELED_ERROR_CODE,
    UNMODELED_ERROR_MESSAGE,
};

pub(crate) struct RpcV2Cbor;

/// Every response names the protocol in `smithy-protocol`, ahead of `extra` headers.
fn response(
    status: u16,
    content_type: Option<&str>,
    extra: Vec<Header>,
    body: Body,
) -> HttpResponse {
    let mut headers = vec![("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned())];
    headers.extend(extra);
    rpc_response(status, content_type, headers, body)
}

impl ResponseSerializer for RpcV2Cbor {
    fn protocol(&self) -> Protocol {
        Protocol::RpcV2Cbor
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        let output = Root::read(cx, cx.output_shape()?, output)?;
        if cx.has_unit_output() {
            return Ok(response(200, None, Vec::new(), Body::Empty));
        }
        let writer = CborWriter::new(cx);
        if let Some(body) = event_stream::rpc_output_body(cx, &writer, &output)? {
            return Ok(response(
                200,
                Some(event_stream::CONTENT_TYPE),
                Vec::new(),
                body,
            ));
        }
        let data = writer.map(
            &[],
            &output.shape.kind.members(),
            &output.fields,
            &output.path,
        )?;
        Ok(response(
            200,
            Some(cbor::MEDIA_TYPE),
            Vec::new(),
            Body::Bytes { data },
        ))
    }

    fn error<'m>(
        &self,
        cx: &OperationContext<'_, 'm>,
        error: &ModeledError<'m>,
        value: &Value,
    ) -> Result<HttpResponse, WireError> {
        let root = Root::read(cx, error.shape(), value)?;
        let typed = TypedError::new(cx, error, ErrorForm::TypeWithNamespace).with_metadata_message(
            cx,
            error,
            &root.fields,
            |member| &member.name,
        );
        let data = CborWriter::new(cx).map_between(
            &typed.body_entries(),
            &typed.trailing_entries(),
            &root.shape.kind.members(),
            &root.fields,
            &root.path,
        )?;
        Ok(response(
            error.http_status(),
            Some(cbor::MEDIA_TYPE),
            query_compatible_headers(cx, &error.query_code(), error.fault()),
            Body::Bytes { data },
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let code = unmodeled_error_type(cx);
        let data = cbor::string_map(&[("__type", &code), ("message", UNMODELED_ERROR_MESSAGE)]);
        response(
            400,
            Some(cbor::MEDIA_TYPE),
            query_compatible_headers(cx, UNMODELED_ERROR_CODE, ErrorFault::Client),
            Body::Bytes { data },
        )
    }

    fn uncoded_error(&self, _cx: &OperationContext<'_, '_>) -> Option<HttpResponse> {
        let data = cbor::string_map(&[("message", UNCODED_ERROR_MESSAGE)]);
        Some(response(
            400,
            Some(cbor::MEDIA_TYPE),
            Vec::new(),
            Body::Bytes { data },
        ))
    }

    fn response_variants(&self, _cx: &OperationContext<'_, '_>) -> Vec<ResponseVariant> {
        vec![
            ResponseVariant::UnknownMembers,
            ResponseVariant::NullMembers,
            ResponseVariant::UnknownUnionMembers,
            ResponseVariant::EmptyCollections,
            ResponseVariant::TimestampsWholeSeconds,
            ResponseVariant::IndefiniteLengths,
            ResponseVariant::Malformed(Malformation::WrongRoot),
            ResponseVariant::Malformed(Malformation::WrongType),
            ResponseVariant::Malformed(Malformation::Truncated),
        ]
    }

    fn error_forms(&self, cx: &OperationContext<'_, '_>) -> Vec<ErrorForm> {
        let mut forms = vec![ErrorForm::TypeBare, ErrorForm::TypeWithUri];
        if cx.index().is_query_compatible() {
            forms.push(ErrorForm::WithoutQueryErrorHeader);
        }
        forms.extend(ErrorForm::BODY);
        forms
    }

    fn is_document(&self, response: &HttpResponse) -> bool {
        has_document(response, cbor::MEDIA_TYPE)
    }
}

impl RequestDecoder for RpcV2Cbor {
    fn decode_request<'m>(
        &self,
        decoding: &Decoding<'_, '_, 'm>,
        parts: &RequestParts,
        input: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let reader = CborReader::new(decoding);
        events::rpc_input(decoding, parts, input, &reader, path)
    }
}
