//! `application/vnd.amazon.eventstream` bodies: every message decoded.
//!
//! A message is shown with its prelude (total length, headers length, prelude CRC), its typed
//! headers, its payload formatted by the `:content-type` header, and its message CRC.
//!
//! Signed envelopes: the client signs every event by wrapping the encoded event message in an
//! outer message with `:date` and `:chunk-signature` headers, and ends the stream with a signed
//! envelope whose payload is empty. The inner message is shown nested inside its envelope.
//! The signature and date are redacted; the envelope's message CRC covers them, so it is
//! redacted too (`<crc>`). Likewise the message CRC of a message whose payload is shown with
//! map entries in canonical order (JSON, XML, CBOR, form) covers the map order as sent, which
//! varies between runs, so it is redacted. Every CRC is still checked while decoding: a wrong
//! one makes the message undecodable, which the snapshot shows. Prelude CRCs cover only the
//! two lengths and are always shown.

use aws_smithy_eventstream::frame::read_message_from;
use aws_smithy_types::event_stream::{HeaderValue, Message};

use super::{base64_lines, format_payload, indent};
use crate::errors::RenderError;

const FORMAT: &str = "event-stream";
/// 4 bytes total length, 4 bytes headers length, 4 bytes prelude CRC.
const PRELUDE_LEN: usize = 12;
const CRC_LEN: usize = 4;
const CHUNK_SIGNATURE: &str = ":chunk-signature";
const DATE: &str = ":date";

/// A message with the framing fields the decoder checks but does not expose.
struct Decoded {
    total_len: u32,
    headers_len: u32,
    prelude_crc: u32,
    message_crc: u32,
    message: Message,
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let word: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(word))
}

/// Decodes the message at the start of `bytes`, returning it and its length.
fn decode_one(bytes: &[u8], offset: usize) -> Result<(Decoded, usize), RenderError> {
    let total_len = be_u32(bytes, 0)
        .filter(|_| bytes.len() >= PRELUDE_LEN + CRC_LEN)
        .ok_or_else(|| {
            RenderError::body(FORMAT, offset, "fewer bytes left than a message prelude")
        })?;
    let length = usize::try_from(total_len).unwrap_or(usize::MAX);
    if length < PRELUDE_LEN + CRC_LEN || length > bytes.len() {
        return Err(RenderError::body(
            FORMAT,
            offset,
            format!(
                "message length {total_len} does not fit the {} bytes left",
                bytes.len()
            ),
        ));
    }
    let frame = &bytes[..length];
    let message = read_message_from(frame)
        .map_err(|error| RenderError::body(FORMAT, offset, error.to_string()))?;
    let decoded = Decoded {
        total_len,
        headers_len: be_u32(frame, 4).unwrap_or_default(),
        prelude_crc: be_u32(frame, 8).unwrap_or_default(),
        message_crc: be_u32(frame, length - CRC_LEN).unwrap_or_default(),
        message,
    };
    Ok((decoded, length))
}

/// Renders every message of an event-stream body, with a leading annotation line.
pub(crate) fn render(bytes: &[u8]) -> String {
    let mut messages = Vec::new();
    let mut position = 0;
    let mut failure = None;
    while position < bytes.len() {
        match decode_one(&bytes[position..], position) {
            Ok((decoded, length)) => {
                messages.push(decoded);
                position += length;
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    let count = messages.len();
    let mut out = format!(
        "[event-stream: {count} message{}]",
        if count == 1 { "" } else { "s" }
    );
    for (i, decoded) in messages.iter().enumerate() {
        out.push('\n');
        out.push_str(&render_message(decoded, &format!("message {}", i + 1)));
    }
    if let Some(error) = failure {
        out.push_str(&format!(
            "\n[cannot decode the rest ({} bytes): {error}]\n{}",
            bytes.len() - position,
            base64_lines(&bytes[position..])
        ));
    }
    out
}

fn is_envelope(message: &Message) -> bool {
    message
        .headers()
        .iter()
        .any(|header| header.name().as_str() == CHUNK_SIGNATURE)
}

fn render_message(decoded: &Decoded, title: &str) -> String {
    let kind = match (
        is_envelope(&decoded.message),
        decoded.message.payload().is_empty(),
    ) {
        (true, true) => " (signed envelope, end of stream)",
        (true, false) => " (signed envelope)",
        (false, _) => "",
    };
    format!("{title}{kind}\n{}", render_message_body(decoded))
}

/// Prelude, headers, payload and CRC, each line indented by two spaces.
fn render_message_body(decoded: &Decoded) -> String {
    let message = &decoded.message;
    let envelope = is_envelope(message);
    let mut lines = Vec::new();
    lines.push(format!(
        "  prelude: total length {}, headers length {}, crc {:#010x}",
        decoded.total_len, decoded.headers_len, decoded.prelude_crc
    ));
    if message.headers().is_empty() {
        lines.push("  headers: none".to_owned());
    } else {
        lines.push("  headers:".to_owned());
        for header in message.headers() {
            let name = header.name().as_str();
            lines.push(format!("    {name} {}", header_value(name, header.value())));
        }
    }
    let (payload, canonicalized) = payload(message, envelope);
    lines.push(payload);
    let crc = if envelope {
        "<crc> (covers the signature)".to_owned()
    } else if canonicalized {
        "<crc> (covers the map order as sent)".to_owned()
    } else {
        format!("{:#010x}", decoded.message_crc)
    };
    lines.push(format!("  message crc: {crc}"));
    lines.join("\n")
}

/// The payload lines, and whether they show map entries reordered.
fn payload(message: &Message, envelope: bool) -> (String, bool) {
    let payload = message.payload();
    if payload.is_empty() {
        return ("  payload: empty".to_owned(), false);
    }
    if envelope {
        // The payload of a signed envelope is the encoded event message.
        let text = match decode_one(payload, 0) {
            Ok((inner, length)) if length == payload.len() => format!(
                "  payload: inner message\n{}",
                indent(&render_message_body(&inner), 2)
            ),
            Ok(_) => format!(
                "  payload [not a single message, {} bytes, base64]:\n{}",
                payload.len(),
                indent(&base64_lines(payload), 4)
            ),
            Err(error) => format!(
                "  payload [not a message: {error}; {} bytes, base64]:\n{}",
                payload.len(),
                indent(&base64_lines(payload), 4)
            ),
        };
        return (text, false);
    }
    let content_type = message.headers().iter().find_map(|header| {
        match (header.name().as_str(), header.value()) {
            (":content-type", HeaderValue::String(value)) => Some(value.as_str()),
            _ => None,
        }
    });
    let formatted = format_payload(content_type, payload);
    let text = format!(
        "  payload {}:\n{}",
        formatted.annotation,
        indent(&formatted.text, 4)
    );
    (text, formatted.canonicalized)
}

fn header_value(name: &str, value: &HeaderValue) -> String {
    match value {
        HeaderValue::Bool(value) => format!("(bool): {value}"),
        HeaderValue::Byte(value) => format!("(byte): {value}"),
        HeaderValue::Int16(value) => format!("(int16): {value}"),
        HeaderValue::Int32(value) => format!("(int32): {value}"),
        HeaderValue::Int64(value) => format!("(int64): {value}"),
        HeaderValue::ByteArray(_) if name == CHUNK_SIGNATURE => "(bytes): <signature>".to_owned(),
        HeaderValue::ByteArray(bytes) => {
            format!("(bytes): {}", base64_lines(bytes).replace('\n', ""))
        }
        HeaderValue::String(value) => format!("(string): {}", value.as_str()),
        HeaderValue::Timestamp(_) if name == DATE => "(timestamp): <date-time>".to_owned(),
        HeaderValue::Timestamp(value) => format!("(timestamp): {value}"),
        HeaderValue::Uuid(value) => {
            let hex = format!("{value:032x}");
            format!(
                "(uuid): {}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            )
        }
        other => format!("(unknown type): {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_eventstream::frame::write_message_to;
    use aws_smithy_types::event_stream::Header;

    fn encode(message: Message) -> Vec<u8> {
        let mut out = Vec::new();
        write_message_to(&message, &mut out).unwrap();
        out
    }

    #[test]
    fn renders_typed_headers_and_the_crc_of_a_binary_payload() {
        let message = Message::new(&b"\x01\x00"[..])
            .add_header(Header::new("flag", HeaderValue::Bool(true)))
            .add_header(Header::new("small", HeaderValue::Byte(-1)))
            .add_header(Header::new("count", HeaderValue::Int64(1 << 40)))
            .add_header(Header::new(
                "raw",
                HeaderValue::ByteArray(vec![1, 0, 0, 1].into()),
            ))
            .add_header(Header::new(
                "id",
                HeaderValue::Uuid(0x0123_4567_89ab_4cde_8f01_2345_6789_abcd),
            ));
        let text = render(&encode(message));
        assert_eq!(
            text,
            "[event-stream: 1 message]
message 1
  prelude: total length 78, headers length 60, crc 0xad8e45c6
  headers:
    flag (bool): true
    small (byte): -1
    count (int64): 1099511627776
    raw (bytes): AQAAAQ==
    id (uuid): 01234567-89ab-4cde-8f01-23456789abcd
  payload [binary: 2 bytes, base64]:
    AQA=
  message crc: 0x8947f0ac"
        );
    }

    #[test]
    fn a_corrupt_message_ends_decoding_with_a_note() {
        let good = encode(Message::new(&b"ok"[..]));
        let mut bad = encode(Message::new(&b"no"[..]));
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        let text = render(&[good, bad].concat());
        assert!(
            text.starts_with("[event-stream: 1 message]\nmessage 1\n"),
            "{text}"
        );
        assert!(
            text.contains("\n[cannot decode the rest (18 bytes): "),
            "{text}"
        );
        assert!(text.contains("message checksum"), "{text}");
    }
}
