//! `aws.protocols#awsJson1_0` and `aws.protocols#awsJson1_1`, which differ only in their
//! content type.
//!
//! * Outputs: status 200, the whole output as one JSON object (no HTTP bindings, `@jsonName`
//!   ignored, timestamps epoch-seconds), `application/x-amz-json-1.x`; `{}` when there is
//!   no output.
//! * Event streams: the body is `application/vnd.amazon.eventstream`; the first message is
//!   an `initial-response` event carrying the output's other members (the fluent `send()`
//!   reads it with `try_recv_initial_response` before handing out the stream), then one
//!   message per event.
//! * Errors: `{"__type": "<namespace>#<ShapeName>", ...members}`, the fully qualified form
//!   services such as DynamoDB and SQS send; the client strips the namespace. Status from
//!   `@httpError` or the fault.
//! * `@awsQueryCompatible` services (SQS): `x-amzn-query-error: <code>;<Sender|Receiver>`,
//!   with the `@awsQueryError` code; the client takes the error code from that header, and its
//!   generated matchers expect the query code (`AWS.SimpleQueueService.NonExistentQueue`).
//! * Request id: `x-amzn-requestid`.
//! * Requests: the whole input as one JSON object (member names, `@jsonName` ignored); with an
//!   input event stream, an `initial-request` message carries the other members.
//!
//! Variants: the clients' generated JSON readers skip unknown keys (including inside unions,
//! where `__type` is skipped too), read `null` as absent (and skip `null` union members),
//! give `Unknown` for an unknown union key, and read an empty body as `{}`
//! (`or_empty_doc`); epoch-seconds are any JSON number. So: unknown members, null members
//! and union siblings, unknown union members, empty collections, whole-second and
//! long-fraction timestamps, an empty body, and the three malformations. Each aggregate shape has its own parser, which reads `null` as absent, rejects a `null` in a collection that is not `@sparse`, a string where its object or array must start, and an end of input where a key or the end of its object must come, and the top level rejects a second document: so the targeted nested nulls, sparse nulls, null-in-dense, nested wrong type and cut-inside cases, and trailing tokens. Error forms: the
//! error parser (`json_errors`) takes the code from `x-amzn-errortype`, else `code`, else
//! `__type`, and strips a `namespace#` prefix and a `:`-suffix, so every [`ErrorForm`] but
//! the query one applies; query-compatible services add the form without
//! `x-amzn-query-error`.

use snapshot_model::traits::ErrorFault;
use snapshot_model::{Protocol, Shape};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{RequestDecoder, ResponseSerializer};
use crate::event_stream;
use crate::json::{self, JsonWriter};
use crate::read::json::JsonReader;
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

pub(crate) struct AwsJson {
    protocol: Protocol,
    content_type: &'static str,
}

pub(crate) static AWS_JSON_1_0: AwsJson = AwsJson {
    protocol: Protocol::AwsJson1_0,
    content_type: "application/x-amz-json-1.0",
};

pub(crate) static AWS_JSON_1_1: AwsJson = AwsJson {
    protocol: Protocol::AwsJson1_1,
    content_type: "application/x-amz-json-1.1",
};

impl ResponseSerializer for AwsJson {
    fn protocol(&self) -> Protocol {
        self.protocol
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        let output = Root::read(cx, cx.output_shape()?, output)?;
        let writer = JsonWriter::new(cx, self.protocol, false);
        if let Some(body) = event_stream::rpc_output_body(cx, &writer, &output)? {
            return Ok(rpc_response(
                200,
                Some(event_stream::CONTENT_TYPE),
                Vec::new(),
                body,
            ));
        }
        if output.fields.is_empty() && cx.style().omit_empty_body {
            return Ok(rpc_response(200, None, Vec::new(), Body::Empty));
        }
        let members = output.shape.kind.members();
        let data = writer.object(&[], &members, &output.fields, &output.path)?;
        Ok(rpc_response(
            200,
            Some(self.content_type),
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
        // awsJson keys members by their names (no `@jsonName`).
        let typed = TypedError::new(cx, error, ErrorForm::TypeWithNamespace).with_metadata_message(
            cx,
            error,
            &root.fields,
            |member| &member.name,
        );
        let data = JsonWriter::new(cx, self.protocol, false).object_between(
            &typed.body_entries(),
            &typed.trailing_entries(),
            &root.shape.kind.members(),
            &root.fields,
            &root.path,
        )?;
        let mut headers = typed.headers;
        headers.extend(query_compatible_headers(
            cx,
            &error.query_code(),
            error.fault(),
        ));
        Ok(rpc_response(
            error.http_status(),
            Some(self.content_type),
            headers,
            Body::Bytes { data },
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let code = unmodeled_error_type(cx);
        let data = json::string_object(&[("__type", &code), ("message", UNMODELED_ERROR_MESSAGE)]);
        rpc_response(
            400,
            Some(self.content_type),
            query_compatible_headers(cx, UNMODELED_ERROR_CODE, ErrorFault::Client),
            Body::Bytes { data },
        )
    }

    fn uncoded_error(&self, _cx: &OperationContext<'_, '_>) -> Option<HttpResponse> {
        let data = json::string_object(&[("message", UNCODED_ERROR_MESSAGE)]);
        Some(rpc_response(
            400,
            Some(self.content_type),
            Vec::new(),
            Body::Bytes { data },
        ))
    }

    fn response_variants(&self, _cx: &OperationContext<'_, '_>) -> Vec<ResponseVariant> {
        vec![
            ResponseVariant::UnknownMembers,
            ResponseVariant::NullMembers,
            ResponseVariant::NullUnionSiblings,
            ResponseVariant::UnknownUnionMembers,
            ResponseVariant::EmptyCollections,
            ResponseVariant::TimestampsWholeSeconds,
            ResponseVariant::TimestampsLongFractions,
            ResponseVariant::EmptyBody,
            ResponseVariant::NullNestedMembers,
            ResponseVariant::NullSparseEntries,
            ResponseVariant::Malformed(Malformation::WrongRoot),
            ResponseVariant::Malformed(Malformation::WrongType),
            ResponseVariant::Malformed(Malformation::Truncated),
            ResponseVariant::Malformed(Malformation::TrailingTokens),
            ResponseVariant::Malformed(Malformation::NullInDense),
            ResponseVariant::Malformed(Malformation::NestedWrongType),
            ResponseVariant::Malformed(Malformation::CutInside),
        ]
    }

    fn error_forms(&self, cx: &OperationContext<'_, '_>) -> Vec<ErrorForm> {
        let mut forms = vec![
            ErrorForm::TypeBare,
            ErrorForm::TypeWithUri,
            ErrorForm::CodeMember,
            ErrorForm::ErrorTypeHeader,
            ErrorForm::ErrorTypeHeaderWithUri,
        ];
        if cx.index().is_query_compatible() {
            forms.push(ErrorForm::WithoutQueryErrorHeader);
        }
        forms.extend(ErrorForm::BODY);
        forms
    }

    fn error_form_applies(
        &self,
        cx: &OperationContext<'_, '_>,
        error: &ModeledError<'_>,
        form: ErrorForm,
    ) -> bool {
        // awsJson keys members by their names (no `@jsonName`); every member is in the body.
        json::error_form_names_the_error(cx, error, form, |member| &member.name, |_| true)
    }

    fn is_document(&self, response: &HttpResponse) -> bool {
        has_document(response, self.content_type)
    }
}

impl RequestDecoder for AwsJson {
    fn decode_request<'m>(
        &self,
        decoding: &Decoding<'_, '_, 'm>,
        parts: &RequestParts,
        input: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let reader = JsonReader::new(decoding, false);
        events::rpc_input(decoding, parts, input, &reader, path)
    }
}
