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

use snapshot_model::traits::ErrorFault;
use snapshot_model::Protocol;
use snapshot_records::{Body, HttpResponse};
use snapshot_values::Value;

use super::ResponseSerializer;
use crate::event_stream;
use crate::json::{self, JsonWriter};
use crate::response::{
    query_compatible_headers, rpc_response, typed_error_entries, unmodeled_error_type,
};
use crate::shaped::Root;
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
        let data = writer.object(&[], &output.fields, &output.path)?;
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
        let data = JsonWriter::new(cx, self.protocol, false).object(
            &typed_error_entries(error),
            &root.fields,
            &root.path,
        )?;
        Ok(rpc_response(
            error.http_status(),
            Some(self.content_type),
            query_compatible_headers(cx, &error.query_code(), error.fault()),
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
}
