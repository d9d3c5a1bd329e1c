//! Input event streams read back from their messages, by the rules the output side writes
//! them ([`crate::event_stream`]): `:event-type` names the union member, `@eventHeader`
//! members are typed headers named after the member, an `@eventPayload` blob or string is the
//! raw payload and a structure payload a protocol document, and without `@eventPayload` the
//! other members form one protocol document.

use aws_smithy_types::event_stream::{HeaderValue, Message};
use snapshot_model::{Member, Shape, ShapeKind, SimpleType};
use snapshot_values::{Value, ValuePath};

use super::parts::RequestParts;
use crate::read::{members_of, millis, structure_value, DecodeError, Decoding, DocumentReader};

/// The event type of the message that carries an RPC input's members besides its stream.
const INITIAL_REQUEST: &str = "initial-request";

/// The input members of an RPC protocol (awsJson, rpcv2Cbor): the body document, or, when the
/// input has an event stream, the `initial-request` message's document and the stream.
pub(crate) fn rpc_input<'m>(
    decoding: &Decoding<'_, '_, 'm>,
    parts: &RequestParts,
    input: &'m Shape,
    body: &dyn DocumentReader<'m>,
    path: &ValuePath,
) -> Result<Vec<(String, Value)>, DecodeError> {
    let cx = decoding.cx;
    let stream_member = members_of(input)
        .iter()
        .find(|member| crate::event_stream::is_stream(cx.target(member)));
    let Some(stream_member) = stream_member else {
        return body.members(&parts.body, input, &|_| true, path);
    };
    let initial = parts
        .messages
        .iter()
        .find(|message| string_header(message, ":event-type") == Some(INITIAL_REQUEST));
    let not_stream = |member: &Member| member.name != stream_member.name;
    let mut read = match initial {
        Some(message) => body.members(message.payload(), input, &not_stream, path)?,
        None => Vec::new(),
    };
    let stream_path = path.member(&stream_member.name);
    let value = stream(
        decoding,
        parts,
        cx.target(stream_member),
        body,
        &stream_path,
    )?;
    read.push((stream_member.name.clone(), value));
    Ok(read)
}

/// The event stream of the union `stream` sent in `parts`' messages.
pub(crate) fn stream<'m>(
    decoding: &Decoding<'_, '_, 'm>,
    parts: &RequestParts,
    stream: &'m Shape,
    body: &dyn DocumentReader<'m>,
    path: &ValuePath,
) -> Result<Value, DecodeError> {
    let mut events = Vec::new();
    for message in &parts.messages {
        let Some(event_type) = string_header(message, ":event-type") else {
            continue;
        };
        if event_type == INITIAL_REQUEST {
            continue;
        }
        let member = members_of(stream)
            .iter()
            .find(|member| member.name == event_type)
            .ok_or_else(|| {
                DecodeError::new(path, format!("an event of unknown type `{event_type}`"))
            })?;
        let event_path = path.member(&member.name);
        events.push((
            member.name.clone(),
            event(decoding, message, member, body, &event_path)?,
        ));
    }
    Ok(Value::EventStream {
        shape: stream.id.clone(),
        events,
    })
}

fn event<'m>(
    decoding: &Decoding<'_, '_, 'm>,
    message: &Message,
    member: &'m Member,
    body: &dyn DocumentReader<'m>,
    path: &ValuePath,
) -> Result<Value, DecodeError> {
    let cx = decoding.cx;
    let shape = cx.target(member);
    let members = members_of(shape);
    let mut read = Vec::new();
    for header_member in members
        .iter()
        .filter(|member| member.traits.is_event_header())
    {
        let Some(header) = message
            .headers()
            .iter()
            .find(|header| header.name().as_str() == header_member.name)
        else {
            continue;
        };
        let member_path = path.member(&header_member.name);
        read.push((
            header_member.name.clone(),
            header_value(header.value(), cx.target(header_member), &member_path)?,
        ));
    }
    let payload = message.payload().as_ref();
    match members
        .iter()
        .find(|member| member.traits.is_event_payload())
    {
        Some(payload_member) => {
            let member_path = path.member(&payload_member.name);
            let target = cx.target(payload_member);
            let value = match &target.kind {
                ShapeKind::Simple(SimpleType::Blob) => Some(Value::Blob(payload.to_vec())),
                ShapeKind::Simple(SimpleType::String) => {
                    Some(Value::String(String::from_utf8_lossy(payload).into_owned()))
                }
                _ if payload.is_empty() => None,
                _ => body.member(payload, payload_member, &member_path)?,
            };
            read.extend(value.map(|value| (payload_member.name.clone(), value)));
        }
        None if !payload.is_empty() => {
            read.extend(body.members(
                payload,
                shape,
                &|member: &Member| !member.traits.is_event_header(),
                path,
            )?);
        }
        None => {}
    }
    Ok(structure_value(shape, read))
}

fn string_header<'a>(message: &'a Message, name: &str) -> Option<&'a str> {
    message
        .headers()
        .iter()
        .find(|header| header.name().as_str() == name)
        .and_then(|header| header.value().as_string().ok())
        .map(|text| text.as_str())
}

/// The value of an `@eventHeader` member from its typed header.
fn header_value(
    value: &HeaderValue,
    target: &Shape,
    path: &ValuePath,
) -> Result<Value, DecodeError> {
    let mismatch = || {
        DecodeError::new(
            path,
            format!(
                "header {value:?} does not fit a {}",
                target.kind.type_name()
            ),
        )
    };
    Ok(match (value, &target.kind) {
        (HeaderValue::Bool(value), _) => Value::Boolean(*value),
        (HeaderValue::Byte(value), _) => Value::Byte(*value),
        (HeaderValue::Int16(value), _) => Value::Short(*value),
        (HeaderValue::Int32(value), ShapeKind::IntEnum(_)) => Value::IntEnum {
            variant: None,
            value: *value,
        },
        (HeaderValue::Int32(value), _) => Value::Integer(*value),
        (HeaderValue::Int64(value), _) => Value::Long(*value),
        (HeaderValue::ByteArray(bytes), _) => Value::Blob(bytes.to_vec()),
        (HeaderValue::String(text), ShapeKind::Enum(_)) => Value::Enum {
            variant: None,
            value: text.as_str().to_owned(),
        },
        (HeaderValue::String(text), _) => Value::String(text.as_str().to_owned()),
        (HeaderValue::Timestamp(time), _) => Value::Timestamp(millis(*time)),
        _ => return Err(mismatch()),
    })
}
