//! Output event streams: each event of a `@streaming` union becomes one event-stream message
//! (framed by `aws-smithy-eventstream`: prelude, headers, CRCs), and the body is the sequence
//! of messages, one [`Frame::Data`] each.
//!
//! What the clients' unmarshallers read (`aws_smithy_eventstream::smithy::parse_response_headers`
//! and the generated `*Unmarshaller`s):
//! * `:message-type` is `event` or `exception`;
//! * `:event-type` / `:exception-type` is the union member name;
//! * `@eventHeader` members are typed headers named after the member;
//! * an `@eventPayload` blob is the raw payload with `:content-type: application/octet-stream`
//!   (checked by the clients), a string payload is `text/plain`, a structure or union payload
//!   is a protocol document;
//! * without `@eventPayload`, the event's other members form one protocol document;
//! * exceptions carry the error structure as a protocol document.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use aws_smithy_types::DateTime;
use snapshot_model::{Member, Protocol, Shape, ShapeKind};
use snapshot_records::{Body, Frame};
use snapshot_values::{Value, ValuePath};

use crate::shaped::{self, member_path, Field, Root, Scalar, Shaped};
use crate::{OperationContext, WireError};

/// The HTTP content type of an event-stream response body.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// How a protocol writes the documents inside event messages.
pub(crate) trait EventCodec<'m> {
    /// The protocol that owns the codec.
    fn protocol(&self) -> Protocol;
    /// `:content-type` of document payloads.
    fn media_type(&self) -> &'static str;
    /// Members of `shape` as one document (events without `@eventPayload`, exceptions,
    /// initial responses).
    fn structure(
        &self,
        shape: &'m Shape,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError>;
    /// An empty document (`{}`, an empty map, an empty element), the payload of an event
    /// the model does not have.
    fn structure_of_nothing(&self) -> Vec<u8>;
    /// An `@eventPayload` structure or union as a document.
    fn member(
        &self,
        member: &'m Member,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError>;
}

/// The body of an event-stream response: `initial` (the RPC protocols' `initial-response`)
/// first, then one message per event; in the unknown-union-members style, the stream ends
/// with an event of a type the model does not have, which the clients' unmarshallers yield
/// as their `Unknown` event.
pub(crate) fn body<'m>(
    cx: &OperationContext<'_, 'm>,
    codec: &dyn EventCodec<'m>,
    initial: Option<Message>,
    events: &[Field<'m, '_>],
    path: &ValuePath,
) -> Result<Body, WireError> {
    let mut frames = Vec::with_capacity(events.len() + 1);
    if let Some(message) = initial {
        frames.push(frame(cx, &message, path)?);
    }
    for event in events {
        let event_path = member_path(path, event);
        let message = event_message(cx, codec, event, &event_path)?;
        frames.push(frame(cx, &message, &event_path)?);
    }
    if cx.style().unknown_union_members {
        let unknown = Message::new_from_parts(
            vec![
                string_header(":message-type", "event"),
                string_header(":event-type", crate::variants::UNKNOWN_MEMBER),
                string_header(":content-type", codec.media_type()),
            ],
            codec.structure_of_nothing(),
        );
        frames.push(frame(cx, &unknown, path)?);
    }
    Ok(Body::Streamed { frames })
}

/// The body of an output of the RPC protocols (awsJson, rpcv2Cbor) that has an event-stream
/// member: an `initial-response` message with the output's other members (the fluent `send()`
/// reads it before handing out the stream), then one message per event. `None` when the
/// output has no event stream.
pub(crate) fn rpc_output_body<'m>(
    cx: &OperationContext<'_, 'm>,
    codec: &dyn EventCodec<'m>,
    output: &Root<'m, '_>,
) -> Result<Option<Body>, WireError> {
    let ShapeKind::Structure(members) = &output.shape.kind else {
        return Ok(None);
    };
    let Some(stream_member) = members.iter().find(|member| is_stream(cx.target(member))) else {
        return Ok(None);
    };
    let (stream, others): (Vec<Field<'_, '_>>, Vec<Field<'_, '_>>) = output
        .fields
        .iter()
        .partition(|field| field.member.name == stream_member.name);
    let initial = initial_response(codec, output.shape, &others, &output.path)?;
    let events = match stream.first() {
        Some(field) => {
            let stream_path = output.path.member(&field.member.name);
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
    body(
        cx,
        codec,
        Some(initial),
        &events,
        &output.path.member(&stream_member.name),
    )
    .map(Some)
}

/// Whether a shape is an event stream (a `@streaming` union).
pub(crate) fn is_stream(shape: &Shape) -> bool {
    matches!(shape.kind, ShapeKind::Union(_)) && shape.traits.is_streaming()
}

/// The `initial-response` message of the RPC protocols: the output's members other than the
/// stream, as one document.
fn initial_response<'m>(
    codec: &dyn EventCodec<'m>,
    output: &'m Shape,
    fields: &[Field<'m, '_>],
    path: &ValuePath,
) -> Result<Message, WireError> {
    let payload = codec.structure(output, fields, path)?;
    Ok(Message::new_from_parts(
        vec![
            string_header(":message-type", "event"),
            string_header(":event-type", "initial-response"),
            string_header(":content-type", codec.media_type()),
        ],
        payload,
    ))
}

fn frame(
    cx: &OperationContext<'_, '_>,
    message: &Message,
    path: &ValuePath,
) -> Result<Frame, WireError> {
    let mut data = Vec::new();
    write_message_to(message, &mut data).map_err(|source| WireError::EventFrame {
        operation: cx.name(),
        path: path.to_string(),
        source,
    })?;
    Ok(Frame::Data { data })
}

fn string_header(name: &'static str, value: &str) -> Header {
    Header::new(name, HeaderValue::String(value.to_owned().into()))
}

fn event_message<'m>(
    cx: &OperationContext<'_, 'm>,
    codec: &dyn EventCodec<'m>,
    event: &Field<'m, '_>,
    path: &ValuePath,
) -> Result<Message, WireError> {
    let shape = cx.target(event.member);
    let fields = shaped::structure(cx, shape, event.value, path)?;
    if shape.traits.error().is_some() {
        let payload = codec.structure(shape, &fields, path)?;
        return Ok(Message::new_from_parts(
            vec![
                string_header(":message-type", "exception"),
                string_header(":exception-type", &event.member.name),
                string_header(":content-type", codec.media_type()),
            ],
            payload,
        ));
    }
    let mut headers = vec![
        string_header(":message-type", "event"),
        string_header(":event-type", &event.member.name),
    ];
    let members = match &shape.kind {
        ShapeKind::Structure(members) => members.as_slice(),
        _ => &[],
    };
    let (payload, content_type) = match members
        .iter()
        .find(|member| member.traits.is_event_payload())
    {
        Some(payload_member) => {
            let value = fields
                .iter()
                .find(|field| field.member.name == payload_member.name);
            event_payload(cx, codec, payload_member, value, path)?
        }
        None => {
            let body: Vec<Field<'m, '_>> = fields
                .iter()
                .filter(|field| !field.member.traits.is_event_header())
                .copied()
                .collect();
            if members
                .iter()
                .any(|member| !member.traits.is_event_header())
            {
                (
                    codec.structure(shape, &body, path)?,
                    Some(codec.media_type()),
                )
            } else {
                // An event whose members are all headers (or that has none) has no payload.
                (Vec::new(), None)
            }
        }
    };
    if let Some(content_type) = content_type {
        headers.push(string_header(":content-type", content_type));
    }
    for field in fields
        .iter()
        .filter(|field| field.member.traits.is_event_header())
    {
        headers.push(event_header(
            cx,
            codec.protocol(),
            field,
            &member_path(path, field),
        )?);
    }
    Ok(Message::new_from_parts(headers, payload))
}

fn event_payload<'m>(
    cx: &OperationContext<'_, 'm>,
    codec: &dyn EventCodec<'m>,
    member: &'m Member,
    field: Option<&Field<'m, '_>>,
    path: &ValuePath,
) -> Result<(Vec<u8>, Option<&'static str>), WireError> {
    let target = cx.target(member);
    let document = matches!(target.kind, ShapeKind::Structure(_) | ShapeKind::Union(_));
    let Some(field) = field else {
        let content_type = if document {
            codec.media_type()
        } else {
            raw_content_type(target)
        };
        return Ok((Vec::new(), Some(content_type)));
    };
    let field_path = member_path(path, field);
    if document {
        return Ok((
            codec.member(member, field.value, &field_path)?,
            Some(codec.media_type()),
        ));
    }
    match shaped::read(cx, target, field.value, &field_path)? {
        Shaped::Scalar(Scalar::Blob(bytes)) => {
            Ok((bytes.to_vec(), Some("application/octet-stream")))
        }
        Shaped::Scalar(Scalar::String(text)) => Ok((text.as_bytes().to_vec(), Some("text/plain"))),
        _ => Err(cx.unsupported(
            codec.protocol(),
            &field_path,
            "an @eventPayload that is not a blob, string, structure or union",
        )),
    }
}

fn raw_content_type(target: &Shape) -> &'static str {
    match target.kind {
        ShapeKind::Simple(snapshot_model::SimpleType::Blob) => "application/octet-stream",
        _ => "text/plain",
    }
}

fn event_header(
    cx: &OperationContext<'_, '_>,
    protocol: Protocol,
    field: &Field<'_, '_>,
    path: &ValuePath,
) -> Result<Header, WireError> {
    let value = match shaped::read(cx, cx.target(field.member), field.value, path)? {
        Shaped::Scalar(scalar) => match scalar {
            Scalar::Boolean(value) => Some(HeaderValue::Bool(value)),
            Scalar::Byte(value) => Some(HeaderValue::Byte(value)),
            Scalar::Short(value) => Some(HeaderValue::Int16(value)),
            Scalar::Integer(value) => Some(HeaderValue::Int32(value)),
            Scalar::Long(value) => Some(HeaderValue::Int64(value)),
            Scalar::Blob(bytes) => Some(HeaderValue::ByteArray(bytes.to_vec().into())),
            Scalar::String(text) => Some(HeaderValue::String(text.to_owned().into())),
            Scalar::Timestamp(millis) => {
                Some(HeaderValue::Timestamp(DateTime::from_millis(millis)))
            }
            Scalar::Float(_)
            | Scalar::Double(_)
            | Scalar::BigInteger(_)
            | Scalar::BigDecimal(_)
            | Scalar::Document(_) => None,
        },
        _ => None,
    };
    let value = value.ok_or_else(|| {
        cx.unsupported(
            protocol,
            path,
            "this type in an @eventHeader (event headers hold booleans, integers, blobs, strings and timestamps)",
        )
    })?;
    Ok(Header::new(field.member.name.clone(), value))
}
