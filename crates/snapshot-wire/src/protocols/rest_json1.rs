//! `aws.protocols#restJson1`.
//!
//! * Outputs: HTTP bindings (status from `@http(code)` or `@httpResponseCode`, headers,
//!   prefix headers, payload); the other members form a JSON object (`@jsonName` honoured,
//!   timestamps epoch-seconds) sent as `application/json`.
//! * Errors: `x-amzn-errortype: <ShapeName>`, status from `@httpError` or the fault; the
//!   client reads the code from that header before looking at `code`/`__type` in the body, so
//!   the body is just the error's members (`message` among them when modeled).
//! * Request id: `x-amzn-requestid`.
//! * Requests: the HTTP bindings of [`crate::http_request`]; the other members form a JSON
//!   object (`@jsonName` honoured).
//!
//! Variants: the same JSON readers as awsJson (unknown keys skipped, `null` absent, `null`
//! union siblings skipped, unknown union keys `Unknown`, an empty body read as `{}`), so the
//! same variants; body variants change only members without HTTP bindings, and the unknown
//! header tests the header readers. Error forms: the same error parser as awsJson
//! (`x-amzn-errortype`, else `code`, else `__type`, sanitized), so the header with a
//! `:`-suffix and the body forms without the header.

use snapshot_model::{Member, Protocol, Shape};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{RequestDecoder, ResponseSerializer};
use crate::event_stream;
use crate::http_bindings::{self, Bindings, PayloadContent};
use crate::http_request::{self, MovedLabel};
use crate::json::{self, JsonWriter};
use crate::read::json::JsonReader;
use crate::read::{DecodeError, Decoding};
use crate::request::parts::RequestParts;
use crate::response::{amzn_request_id, error_type_header, has_document, TypedError};
use crate::shaped::Root;
use crate::variants::{ErrorForm, Malformation, ResponseVariant};
use crate::{
    ModeledError, OperationContext, WireError, UNCODED_ERROR_MESSAGE, UNMODELED_ERROR_CODE,
    UNMODELED_ERROR_MESSAGE,
};

pub(crate) struct RestJson1;

/// The entries an error document starts and ends with ([`TypedError`]).
type ErrorEntries<'a> = (Vec<(&'a str, &'a str)>, Vec<(&'a str, &'a str)>);

impl RestJson1 {
    /// The body and its content type: the payload member if the shape has one, else a JSON
    /// object of the body members. Errors always have an object, led by `error_entries`.
    fn body<'m>(
        cx: &OperationContext<'_, 'm>,
        bindings: &Bindings<'m, '_>,
        error_entries: Option<ErrorEntries<'_>>,
        path: &ValuePath,
    ) -> Result<(Body, Option<String>), WireError> {
        let writer = JsonWriter::new(cx, Protocol::RestJson1, true);
        if let Some(payload) = &bindings.payload {
            let payload_path = path.member(&payload.member.name);
            return Ok(match http_bindings::payload_content(cx, payload, path)? {
                PayloadContent::Absent => (Body::Empty, None),
                PayloadContent::Raw { data, content_type } => {
                    (Body::Bytes { data }, Some(content_type))
                }
                PayloadContent::Document { member, value } => (
                    Body::Bytes {
                        data: writer.document(member, value, &payload_path)?,
                    },
                    Some(json::MEDIA_TYPE.to_owned()),
                ),
                PayloadContent::EventStream(events) => (
                    event_stream::body(cx, &writer, None, &events, &payload_path)?,
                    Some(event_stream::CONTENT_TYPE.to_owned()),
                ),
            });
        }
        let omitted = bindings.body.is_empty() && cx.style().omit_empty_body;
        if (!bindings.body_members.is_empty() && !omitted) || error_entries.is_some() {
            return Ok((
                Body::Bytes {
                    data: writer.object_between(
                        error_entries
                            .as_ref()
                            .map_or(&[][..], |(leading, _)| leading),
                        error_entries
                            .as_ref()
                            .map_or(&[][..], |(_, trailing)| trailing),
                        &bindings.body_members,
                        &bindings.body,
                        path,
                    )?,
                },
                Some(json::MEDIA_TYPE.to_owned()),
            ));
        }
        Ok((Body::Empty, None))
    }
}

impl ResponseSerializer for RestJson1 {
    fn protocol(&self) -> Protocol {
        Protocol::RestJson1
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        let output = Root::read(cx, cx.output_shape()?, output)?;
        let bindings = http_bindings::bind(cx, output.shape, &output.fields, &output.path)?;
        let (body, content_type) = Self::body(cx, &bindings, None, &output.path)?;
        let status = bindings.status.unwrap_or_else(|| cx.success_status());
        Ok(http_bindings::assemble(
            cx,
            status,
            content_type.as_deref(),
            Vec::new(),
            &bindings,
            body,
            vec![amzn_request_id()],
        ))
    }

    fn error<'m>(
        &self,
        cx: &OperationContext<'_, 'm>,
        error: &ModeledError<'m>,
        value: &Value,
    ) -> Result<HttpResponse, WireError> {
        let root = Root::read(cx, error.shape(), value)?;
        let bindings = http_bindings::bind(cx, root.shape, &root.fields, &root.path)?;
        let typed = TypedError::new(cx, error, ErrorForm::ErrorTypeHeader).with_metadata_message(
            cx,
            error,
            &bindings.body,
            |member| member.traits.json_name().unwrap_or(&member.name),
        );
        let entries = (typed.body_entries(), typed.trailing_entries());
        let (body, content_type) = Self::body(cx, &bindings, Some(entries), &root.path)?;
        Ok(http_bindings::assemble(
            cx,
            error.http_status(),
            content_type.as_deref(),
            typed.headers,
            &bindings,
            body,
            vec![amzn_request_id()],
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let data = json::string_object(&[("message", UNMODELED_ERROR_MESSAGE)]);
        http_bindings::assemble(
            cx,
            400,
            Some(json::MEDIA_TYPE),
            vec![error_type_header(UNMODELED_ERROR_CODE)],
            &Bindings::default(),
            Body::Bytes { data },
            vec![amzn_request_id()],
        )
    }

    fn uncoded_error(&self, cx: &OperationContext<'_, '_>) -> Option<HttpResponse> {
        let data = json::string_object(&[("message", UNCODED_ERROR_MESSAGE)]);
        Some(http_bindings::assemble(
            cx,
            400,
            Some(json::MEDIA_TYPE),
            Vec::new(),
            &Bindings::default(),
            Body::Bytes { data },
            vec![amzn_request_id()],
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

    fn error_forms(&self, _cx: &OperationContext<'_, '_>) -> Vec<ErrorForm> {
        vec![
            ErrorForm::TypeWithNamespace,
            ErrorForm::TypeBare,
            ErrorForm::TypeWithUri,
            ErrorForm::CodeMember,
            ErrorForm::ErrorTypeHeaderWithUri,
            ErrorForm::MessageMember,
            ErrorForm::UnknownMember,
        ]
    }

    fn error_form_applies(
        &self,
        cx: &OperationContext<'_, '_>,
        error: &ModeledError<'_>,
        form: ErrorForm,
    ) -> bool {
        json::error_form_names_the_error(
            cx,
            error,
            form,
            |member| member.traits.json_name().unwrap_or(&member.name),
            http_bindings::is_body_member,
        )
    }

    fn is_document(&self, response: &HttpResponse) -> bool {
        has_document(response, json::MEDIA_TYPE)
    }

    fn binds_to_body(&self, member: &Member) -> bool {
        http_bindings::is_body_member(member)
    }
}

impl RequestDecoder for RestJson1 {
    fn rejected_headers(
        &self,
        model: &snapshot_model::Model,
        input: &Shape,
    ) -> Vec<crate::http_bindings::HeaderRejection> {
        crate::http_bindings::rejected_headers(model, input)
    }

    fn decode_request<'m>(
        &self,
        decoding: &Decoding<'_, '_, 'm>,
        parts: &RequestParts,
        input: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let reader = JsonReader::new(decoding, true);
        http_request::members(decoding, parts, input, &reader, MovedLabel::None, path)
    }
}
