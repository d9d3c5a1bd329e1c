//! `aws.protocols#restJson1`.
//!
//! * Outputs: HTTP bindings (status from `@http(code)` or `@httpResponseCode`, headers,
//!   prefix headers, payload); the other members form a JSON object (`@jsonName` honoured,
//!   timestamps epoch-seconds) sent as `application/json`.
//! * Errors: `x-amzn-errortype: <ShapeName>`, status from `@httpError` or the fault; the
//!   client reads the code from that header before looking at `code`/`__type` in the body, so
//!   the body is just the error's members (`message` among them when modeled).
//! * Request id: `x-amzn-requestid`.

use snapshot_model::Protocol;
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{amzn_request_id, ResponseSerializer};
use crate::event_stream;
use crate::http_bindings::{self, Bindings, PayloadContent};
use crate::json::{self, JsonWriter};
use crate::shaped;
use crate::{
    ModeledError, OperationContext, WireError, UNMODELED_ERROR_CODE, UNMODELED_ERROR_MESSAGE,
};

pub(crate) struct RestJson1;

impl RestJson1 {
    /// The body and its content type: the payload member if the shape has one, else a JSON
    /// object of the body members. Errors always have an object, led by `error_entries`.
    fn body<'m>(
        cx: &OperationContext<'_, 'm>,
        bindings: &Bindings<'m, '_>,
        error_entries: Option<&[(&str, &str)]>,
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
        if !bindings.body_members.is_empty() || error_entries.is_some() {
            return Ok((
                Body::Bytes {
                    data: writer.object(error_entries.unwrap_or_default(), &bindings.body, path)?,
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
        let shape = cx.output_shape()?;
        let path = ValuePath::root(shape.id.name());
        let fields = shaped::structure(cx, shape, output, &path)?;
        let bindings = http_bindings::bind(cx, shape, &fields, &path)?;
        let (body, content_type) = Self::body(cx, &bindings, None, &path)?;
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
        let shape = error.shape();
        let path = ValuePath::root(shape.id.name());
        let fields = shaped::structure(cx, shape, value, &path)?;
        let bindings = http_bindings::bind(cx, shape, &fields, &path)?;
        let message: Vec<(&str, &str)> = error
            .wire_message()
            .map(|text| ("message", text))
            .into_iter()
            .collect();
        let (body, content_type) = Self::body(cx, &bindings, Some(&message), &path)?;
        Ok(http_bindings::assemble(
            cx,
            error.http_status(),
            content_type.as_deref(),
            vec![("x-amzn-errortype".to_owned(), error.name().to_owned())],
            &bindings,
            body,
            vec![amzn_request_id()],
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let body = if cx.is_head() {
            Body::Empty
        } else {
            Body::Bytes {
                data: json::string_object(&[("message", UNMODELED_ERROR_MESSAGE)]),
            }
        };
        let mut headers = Vec::new();
        if !matches!(body, Body::Empty) {
            headers.push(("content-type".to_owned(), json::MEDIA_TYPE.to_owned()));
        }
        headers.push((
            "x-amzn-errortype".to_owned(),
            UNMODELED_ERROR_CODE.to_owned(),
        ));
        headers.push(amzn_request_id());
        HttpResponse {
            status: 400,
            headers,
            body,
        }
    }
}
