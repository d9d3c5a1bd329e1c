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

use snapshot_model::traits::ErrorFault;
use snapshot_model::{Member, Protocol, Shape, ShapeKind};
use snapshot_records::{Body, Header, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{amzn_request_id, query_error_header, ResponseSerializer};
use crate::cbor::CborWriter;
use crate::context::query_type;
use crate::event_stream::{self, EventCodec};
use crate::http_bindings::is_event_stream;
use crate::shaped::{self, Field, Shaped};
use crate::{
    ModeledError, OperationContext, WireError, UNMODELED_ERROR_CODE, UNMODELED_ERROR_MESSAGE,
};

const CONTENT_TYPE: &str = "application/cbor";

pub(crate) struct RpcV2Cbor;

fn response(
    status: u16,
    content_type: Option<&str>,
    extra: Vec<Header>,
    body: Body,
) -> HttpResponse {
    let mut headers = Vec::new();
    if let Some(content_type) = content_type {
        headers.push(("content-type".to_owned(), content_type.to_owned()));
    }
    headers.push(("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()));
    headers.extend(extra);
    headers.push(amzn_request_id());
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn query_compatible_header(
    cx: &OperationContext<'_, '_>,
    code: &str,
    fault: ErrorFault,
) -> Vec<Header> {
    if cx.index().is_query_compatible() {
        vec![query_error_header(code, query_type(fault))]
    } else {
        Vec::new()
    }
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
        let shape = cx.output_shape()?;
        let path = ValuePath::root(shape.id.name());
        let fields = shaped::structure(cx, shape, output, &path)?;
        if cx.has_unit_output() {
            return Ok(response(200, None, Vec::new(), Body::Empty));
        }
        let writer = CborWriter::new(cx);
        let stream_member = match &shape.kind {
            ShapeKind::Structure(members) => {
                members.iter().find(|member| is_event_stream(cx, member))
            }
            _ => None,
        };
        let Some(stream_member) = stream_member else {
            let data = writer.map(&[], &fields, &path)?;
            return Ok(response(
                200,
                Some(CONTENT_TYPE),
                Vec::new(),
                Body::Bytes { data },
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
        Ok(response(
            200,
            Some(event_stream::CONTENT_TYPE),
            Vec::new(),
            body,
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
        let mut leading = vec![("__type", shape.id.as_str())];
        leading.extend(error.wire_message().map(|text| ("message", text)));
        let data = CborWriter::new(cx).map(&leading, &fields, &path)?;
        Ok(response(
            error.http_status(),
            Some(CONTENT_TYPE),
            query_compatible_header(cx, &error.query_code(), error.fault()),
            Body::Bytes { data },
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let code = format!("{}#{UNMODELED_ERROR_CODE}", cx.index().id().namespace());
        let data =
            crate::cbor::string_map(&[("__type", &code), ("message", UNMODELED_ERROR_MESSAGE)]);
        response(
            400,
            Some(CONTENT_TYPE),
            query_compatible_header(cx, UNMODELED_ERROR_CODE, ErrorFault::Client),
            Body::Bytes { data },
        )
    }
}

impl<'m> EventCodec<'m> for CborWriter<'_, '_, 'm> {
    fn protocol(&self) -> Protocol {
        Protocol::RpcV2Cbor
    }

    fn media_type(&self) -> &'static str {
        CONTENT_TYPE
    }

    fn structure(
        &self,
        _shape: &'m Shape,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.map(&[], fields, path)
    }

    fn member(
        &self,
        member: &'m Member,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.document(self.target(member), value, path)
    }
}
