//! Test support: fixture loading, the responses of a fixture operation, a compact value
//! builder, and a readable rendering of responses (bodies decoded by content type,
//! event-stream messages unpacked) for golden snapshots.
#![allow(dead_code)]

use std::fmt::Write as _;

use aws_smithy_types::event_stream::{HeaderValue, Message};
use snapshot_model::test_util::Fixtures;
use snapshot_model::Model;
use snapshot_records::{Body, Frame, HttpResponse};
use snapshot_values::Value;
use snapshot_wire::WireError;

/// Loads `fixtures/wire/<name>`.
pub fn fixture(name: &str) -> Model {
    Fixtures::Wire.load(name)
}

// ---- responses of a model's operation ---------------------------------------------------

/// The successful response of `operation` carrying `value`, or why it cannot be sent.
pub fn try_output(
    model: &Model,
    operation: &str,
    value: &Value,
) -> Result<HttpResponse, WireError> {
    let index = model.service_index(None).unwrap();
    snapshot_wire::output_response(&index, index.operation(operation).unwrap(), value)
}

/// The successful response of `operation` carrying `value`.
pub fn output(model: &Model, operation: &str, value: &Value) -> HttpResponse {
    try_output(model, operation, value).unwrap()
}

/// The response of `operation` for its error `error` (an absolute shape id) with `value`.
pub fn error(model: &Model, operation: &str, error: &str, value: &Value) -> HttpResponse {
    let index = model.service_index(None).unwrap();
    snapshot_wire::error_response(
        &index,
        index.operation(operation).unwrap(),
        &id(error),
        value,
    )
    .unwrap()
}

/// The response of `operation` with an error code the model does not declare.
pub fn unmodeled_error(model: &Model, operation: &str) -> HttpResponse {
    let index = model.service_index(None).unwrap();
    snapshot_wire::unmodeled_error_response(&index, index.operation(operation).unwrap())
}

// ---- value builder -------------------------------------------------------------------------

// Each test file uses some of them.
#[allow(unused_imports)]
pub use snapshot_values::test_util::{
    blob, en, events, id, list, map, s, st, ts, un, unit, MILLIS,
};

// ---- rendering -----------------------------------------------------------------------------

/// Status, headers in the order sent, and the body decoded by content type.
pub fn render(response: &HttpResponse) -> String {
    let mut out = format!("HTTP {}\n", response.status);
    for (name, value) in &response.headers {
        writeln!(out, "{name}: {value}").unwrap();
    }
    out.push('\n');
    let content_type = header(response, "content-type").unwrap_or_default();
    match &response.body {
        Body::Empty => out.push_str("[no body]\n"),
        Body::Bytes { data } => out.push_str(&render_payload(content_type, data)),
        Body::Streamed { frames } => {
            for (index, frame) in frames.iter().enumerate() {
                match frame {
                    Frame::Data { data } => {
                        writeln!(out, "--- message {index} ({} bytes)", data.len()).unwrap();
                        out.push_str(&render_message(data));
                    }
                    Frame::Trailers { headers } => {
                        writeln!(out, "--- trailers {headers:?}").unwrap()
                    }
                }
            }
            if frames.is_empty() {
                out.push_str("[empty event stream]\n");
            }
        }
    }
    out
}

/// Several responses rendered one after another, for one golden snapshot.
pub fn render_all(responses: &[HttpResponse]) -> String {
    responses
        .iter()
        .map(render)
        .collect::<Vec<_>>()
        .join("\n=====\n")
}

/// A header by case-insensitive name.
pub fn header<'r>(response: &'r HttpResponse, name: &str) -> Option<&'r str> {
    response
        .headers
        .iter()
        .find(|(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

pub fn body_text(response: &HttpResponse) -> String {
    String::from_utf8(response.body.data()).unwrap()
}

/// Decodes one event-stream message (checking its CRCs) and renders it.
pub fn render_message(data: &[u8]) -> String {
    let message = decode_message(data);
    let mut out = String::new();
    let mut content_type = String::new();
    for header in message.headers() {
        let (kind, value) = match header.value() {
            HeaderValue::Bool(value) => ("bool", value.to_string()),
            HeaderValue::Byte(value) => ("byte", value.to_string()),
            HeaderValue::Int16(value) => ("int16", value.to_string()),
            HeaderValue::Int32(value) => ("int32", value.to_string()),
            HeaderValue::Int64(value) => ("int64", value.to_string()),
            HeaderValue::ByteArray(bytes) => ("bytes", aws_smithy_types::base64::encode(bytes)),
            HeaderValue::String(text) => ("string", text.as_str().to_owned()),
            HeaderValue::Timestamp(time) => (
                "timestamp",
                time.fmt(aws_smithy_types::date_time::Format::DateTime)
                    .unwrap(),
            ),
            HeaderValue::Uuid(uuid) => ("uuid", format!("{uuid:032x}")),
            _ => ("other", format!("{:?}", header.value())),
        };
        if header.name().as_str() == ":content-type" {
            content_type = value.clone();
        }
        writeln!(out, "  {} ({kind}): {value}", header.name().as_str()).unwrap();
    }
    let payload = message.payload();
    if payload.is_empty() {
        out.push_str("  [no payload]\n");
    } else {
        for line in render_payload(&content_type, payload).lines() {
            writeln!(out, "  {line}").unwrap();
        }
    }
    out
}

pub fn decode_message(data: &[u8]) -> Message {
    let mut buffer = data;
    let message = aws_smithy_eventstream::frame::read_message_from(&mut buffer).unwrap();
    assert!(buffer.is_empty(), "one frame holds exactly one message");
    message
}

pub fn render_payload(content_type: &str, data: &[u8]) -> String {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    // Text only when it is printable; anything else is shown as base64.
    let text = std::str::from_utf8(data).map_err(|_| ()).and_then(|text| {
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            Err(())
        } else {
            Ok(text)
        }
    });
    match (media, text) {
        (
            "application/json" | "application/x-amz-json-1.0" | "application/x-amz-json-1.1",
            Ok(text),
        ) => {
            format!("[json]\n{}\n", indent_brackets(text, '"'))
        }
        ("application/xml" | "text/xml", Ok(text)) => format!("[xml]\n{}", indent_xml(text)),
        ("application/cbor", _) => format!(
            "[cbor diag]\n{}\n[cbor hex] {}\n",
            indent_brackets(&minicbor::display(data).to_string(), '"'),
            hex(data)
        ),
        (_, Ok(text)) if media.starts_with("text/") || media.is_empty() => {
            format!("[text]\n{text}\n")
        }
        _ => format!(
            "[bytes base64] {}\n",
            aws_smithy_types::base64::encode(data)
        ),
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Pretty-prints JSON (or CBOR diagnostic notation) keeping the document's order: a line
/// break after `{`, `[` and `,`, and before `}`, `]`, outside string literals.
pub fn indent_brackets(text: &str, quote: char) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                in_string = false;
            }
            continue;
        }
        match c {
            c if c == quote => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if chars.peek() == Some(&'_') {
                    out.push(chars.next().unwrap());
                }
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    continue;
                }
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                if !matches!(out.chars().last(), Some('{') | Some('[') | Some('_')) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                newline(&mut out, depth);
            }
            ':' => {
                out.push(':');
                if chars.peek() != Some(&' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Indents XML one element per line, keeping text, attributes and escapes as sent.
pub fn indent_xml(text: &str) -> String {
    use xmlparser::{ElementEnd, Token};
    let tokens: Vec<Token> = xmlparser::Tokenizer::from(text)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|error| panic!("not well-formed XML ({error}):\n{text}"));
    let mut out = String::new();
    let mut depth = 0usize;
    let mut index = 0;
    while index < tokens.len() {
        match &tokens[index] {
            Token::ElementStart { prefix, local, .. } => {
                let name = if prefix.is_empty() {
                    local.as_str().to_owned()
                } else {
                    format!("{}:{}", prefix.as_str(), local.as_str())
                };
                let mut tag = format!("<{name}");
                index += 1;
                while let Token::Attribute { span, .. } = &tokens[index] {
                    write!(tag, " {}", span.as_str()).unwrap();
                    index += 1;
                }
                let pad = "  ".repeat(depth);
                match &tokens[index] {
                    Token::ElementEnd {
                        end: ElementEnd::Empty,
                        ..
                    } => writeln!(out, "{pad}{tag}/>").unwrap(),
                    _ => match (tokens.get(index + 1), tokens.get(index + 2)) {
                        (
                            Some(Token::Text { text }),
                            Some(Token::ElementEnd {
                                end: ElementEnd::Close(..),
                                ..
                            }),
                        ) => {
                            writeln!(out, "{pad}{tag}>{}</{name}>", text.as_str()).unwrap();
                            index += 2;
                        }
                        (
                            Some(Token::ElementEnd {
                                end: ElementEnd::Close(..),
                                ..
                            }),
                            _,
                        ) => {
                            writeln!(out, "{pad}{tag}></{name}>").unwrap();
                            index += 1;
                        }
                        _ => {
                            writeln!(out, "{pad}{tag}>").unwrap();
                            depth += 1;
                        }
                    },
                }
            }
            Token::ElementEnd {
                end: ElementEnd::Close(prefix, local),
                ..
            } => {
                depth = depth.saturating_sub(1);
                let name = if prefix.is_empty() {
                    local.as_str().to_owned()
                } else {
                    format!("{}:{}", prefix.as_str(), local.as_str())
                };
                writeln!(out, "{}</{name}>", "  ".repeat(depth)).unwrap();
            }
            Token::Text { text } if !text.as_str().trim().is_empty() => {
                writeln!(out, "{}{}", "  ".repeat(depth), text.as_str()).unwrap();
            }
            _ => {}
        }
        index += 1;
    }
    out
}
