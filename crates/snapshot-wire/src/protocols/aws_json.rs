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

use snapshot_model::{Protocol, ShapeKind};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{amzn_request_id, query_error_header, ResponseSerializer};
use crate::context::query_type;
use crate::event_stream;
use crate::http_bindings::is_event_stream;
use crate::json::{self, JsonWriter};
use crate::shaped::{self, Field, Shaped};
use crate::{
    ModeledError, OperationContext, WireError, UNMODELED_ERROR_CODE, UNMODELED_ERROR_MESSAGE,
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

impl AwsJson {
    fn response(
        &self,
        status: u16,
        extra: Vec<snapshot_records::Header>,
        content_type: &str,
        body: Body,
    ) -> HttpResponse {
        let mut headers = vec![("content-type".to_owned(), content_type.to_owned())];
        headers.extend(extra);
        headers.push(amzn_request_id());
        HttpResponse {
            status,
            headers,
            body,
        }
    }
}

impl ResponseSerializer for AwsJson {
    fn protocol(&self) -> Protocol {
        self.protocol
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        let shape = cx.output_shape()?;
        let path = ValuePath::root(shape.id.name());
        let fields = shaped::structure(cx, shape, output, &path)?;
        let writer = JsonWriter::new(cx, self.protocol, false);
        let stream_member = match &shape.kind {
            ShapeKind::Structure(members) => {
                members.iter().find(|member| is_event_stream(cx, member))
            }
            _ => None,
        };
        let Some(stream_member) = stream_member else {
            let body = writer.object(&[], &fields, &path)?;
            return Ok(self.response(
                200,
                Vec::new(),
                self.content_type,
                Body::Bytes { data: body },
            ));
        };
        let (stream, others): (Vec<Field<'_, '_>>, Vec<Field<'_, '_>>) = fields
            .iter()
            .partition(|field| field.member.name == stream_member.name);
        let initial = event_stream::initial_response(&writer, shape, &others, &path)?;
        let events = match stream.first() {
            Some(field) => {
                let stream_path = path.member(&field.member.name);
                match shaped::read(cx, cx.target(field.member), field.value, &stream_path)? {
                    Shaped::EventStream(events) => events,
                    _ => {
                        return Err(cx.mismatch(
                            &stream_path,
                            cx.target(field.member),
                            shaped::value_kind(field.value),
                        ))
                    }
                }
            }
            None => Vec::new(),
        };
        let body = event_stream::body(
            cx,
            &writer,
            Some(initial),
            &events,
            &path.member(&stream_member.name),
        )?;
        Ok(self.response(200, Vec::new(), event_stream::CONTENT_TYPE, body))
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
        let writer = JsonWriter::new(cx, self.protocol, false);
        let mut leading = vec![("__type", shape.id.as_str())];
        leading.extend(error.wire_message().map(|text| ("message", text)));
        let body = writer.object(&leading, &fields, &path)?;
        let extra = if cx.index().is_query_compatible() {
            vec![query_error_header(&error.query_code(), error.query_type())]
        } else {
            Vec::new()
        };
        Ok(self.response(
            error.http_status(),
            extra,
            self.content_type,
            Body::Bytes { data: body },
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let code = format!("{}#{UNMODELED_ERROR_CODE}", cx.index().id().namespace());
        let body = json::string_object(&[("__type", &code), ("message", UNMODELED_ERROR_MESSAGE)]);
        let extra = if cx.index().is_query_compatible() {
            vec![query_error_header(
                UNMODELED_ERROR_CODE,
                query_type(snapshot_model::traits::ErrorFault::Client),
            )]
        } else {
            Vec::new()
        };
        self.response(400, extra, self.content_type, Body::Bytes { data: body })
    }
}
