//! Bodies: an annotation line (`[json]`, `[no body]`, ...) and the formatted content.
//!
//! Each wire format lives in its own module. A body that does not parse as the format its
//! content type announces is never an error: it is shown as text (or base64 when it is not
//! text) under an annotation that names the problem.

mod cbor;
mod chunked;
mod event_stream;
pub(crate) mod form;
mod json;
mod xml;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use snapshot_normalize::MediaType;
use snapshot_records::{Body, Frame, Header};

use crate::errors::RenderError;
use crate::headers::{header_value, header_values, is_signature_extension, redact_trailer};

/// Base64 lines are wrapped at this width (as in MIME).
const BASE64_WIDTH: usize = 76;

/// A formatted payload: its annotation (`[json]`) and its text.
pub(crate) struct Formatted {
    pub(crate) annotation: String,
    pub(crate) text: String,
    /// The text shows map entries in canonical order, so the bytes as sent (and anything
    /// computed from them, like a CRC) may differ between runs while the text does not.
    pub(crate) canonicalized: bool,
}

/// Formats `bytes` according to `content_type`.
pub(crate) fn format_payload(content_type: Option<&str>, bytes: &[u8]) -> Formatted {
    if bytes.is_empty() {
        return Formatted {
            annotation: "[no body]".to_owned(),
            text: String::new(),
            canonicalized: false,
        };
    }
    let parsed = match MediaType::of(content_type) {
        MediaType::Json => Some(("json", json::format(bytes))),
        MediaType::Xml => Some(("xml", xml::format(bytes))),
        MediaType::Form => Some(("form", form::format(bytes))),
        MediaType::Cbor => Some((
            "cbor",
            cbor::format(bytes).map(|cbor| {
                format!(
                    "{}\n[cbor bytes: as sent, map entries in canonical order]\n{}",
                    cbor.diagnostic, cbor.hex
                )
            }),
        )),
        MediaType::EventStream => {
            let text = event_stream::render(bytes);
            // The event-stream renderer writes its own annotation line.
            let (annotation, text) = text.split_once('\n').unwrap_or((&text, ""));
            return Formatted {
                annotation: annotation.to_owned(),
                text: text.to_owned(),
                canonicalized: true,
            };
        }
        MediaType::Other => None,
    };
    match parsed {
        Some((name, Ok(text))) => Formatted {
            annotation: format!("[{name}]"),
            text,
            canonicalized: true,
        },
        Some((name, Err(error))) => {
            let raw = raw(bytes);
            Formatted {
                annotation: malformed(name, &error, &raw),
                text: raw.text,
                canonicalized: false,
            }
        }
        None => raw(bytes),
    }
}

/// `[json, malformed at byte 9: expected a value; shown as text]`
fn malformed(format: &str, error: &RenderError, raw: &Formatted) -> String {
    let shown = raw.annotation.trim_matches(['[', ']']);
    match error {
        RenderError::Body { offset, reason, .. } => {
            format!("[{format}, malformed at byte {offset}: {reason}; shown as {shown}]")
        }
        other => format!("[{format}, malformed: {other}; shown as {shown}]"),
    }
}

/// Printable UTF-8 as text, anything else as base64.
fn raw(bytes: &[u8]) -> Formatted {
    match std::str::from_utf8(bytes) {
        Ok(text) if is_printable(text) => Formatted {
            annotation: "[text]".to_owned(),
            text: text.to_owned(),
            canonicalized: false,
        },
        _ => binary(bytes, ""),
    }
}

fn binary(bytes: &[u8], qualifier: &str) -> Formatted {
    Formatted {
        annotation: format!("[binary{qualifier}: {} bytes, base64]", bytes.len()),
        text: base64_lines(bytes),
        canonicalized: false,
    }
}

fn is_printable(text: &str) -> bool {
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
}

/// Standard base64, wrapped at 76 columns.
pub(crate) fn base64_lines(bytes: &[u8]) -> String {
    let encoded = STANDARD.encode(bytes);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(BASE64_WIDTH)
        // Base64 output is ASCII, so every chunk is valid UTF-8.
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    lines.join("\n")
}

/// Indents every non-empty line of `text` by `spaces`.
pub(crate) fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders a message body given the message's headers: annotation line, then content.
pub(crate) fn render_body(headers: &[Header], body: &Body) -> String {
    let content_type = header_value(headers, "content-type");
    let encodings: Vec<String> = header_values(headers, "content-encoding")
        .flat_map(|value| value.split(','))
        .map(|encoding| encoding.trim().to_ascii_lowercase())
        .filter(|encoding| !encoding.is_empty() && encoding != "identity")
        .collect();
    let aws_chunked = encodings.iter().any(|encoding| encoding == "aws-chunked");
    let other_encodings: Vec<&str> = encodings
        .iter()
        .map(String::as_str)
        .filter(|encoding| *encoding != "aws-chunked")
        .collect();
    let trailer_frames: Vec<&Vec<Header>> = match body {
        Body::Streamed { frames } => frames
            .iter()
            .filter_map(|frame| match frame {
                Frame::Trailers { headers } => Some(headers),
                Frame::Data { .. } => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let main = match body {
        Body::Empty => "[no body]".to_owned(),
        Body::Bytes { data } if data.is_empty() => "[no body]".to_owned(),
        _ if aws_chunked => render_aws_chunked(&body.data()),
        Body::Streamed { frames } if MediaType::of(content_type) != MediaType::EventStream => {
            // Trailer frames are part of the frame list here.
            return render_stream(frames);
        }
        _ if !other_encodings.is_empty() => {
            let formatted = binary(&body.data(), &format!(" ({})", other_encodings.join(", ")));
            join(&formatted.annotation, &formatted.text)
        }
        _ => {
            let formatted = format_payload(content_type, &body.data());
            join(&formatted.annotation, &formatted.text)
        }
    };
    let mut out = main;
    let data = body.data();
    for headers in trailer_frames {
        out.push_str("\n[http trailers]");
        for (name, value) in headers {
            out.push_str(&format!(
                "\n{}: {}",
                name.to_ascii_lowercase(),
                redact_trailer(name, value, &data)
            ));
        }
    }
    out
}

fn join(annotation: &str, text: &str) -> String {
    if text.is_empty() {
        annotation.to_owned()
    } else {
        format!("{annotation}\n{text}")
    }
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

fn render_stream(frames: &[Frame]) -> String {
    let data_count = frames
        .iter()
        .filter(|frame| matches!(frame, Frame::Data { .. }))
        .count();
    let mut out = format!("[stream: {}]", plural(data_count, "chunk"));
    let payload: Vec<u8> = frames
        .iter()
        .filter_map(|frame| match frame {
            Frame::Data { data } => Some(data.as_slice()),
            Frame::Trailers { .. } => None,
        })
        .flatten()
        .copied()
        .collect();
    let mut number = 0;
    for frame in frames {
        match frame {
            Frame::Data { data } => {
                number += 1;
                out.push_str(&format!("\nchunk {number}: {}", plural(data.len(), "byte")));
                if !data.is_empty() {
                    out.push('\n');
                    out.push_str(&indent(&base64_lines(data), 2));
                }
            }
            Frame::Trailers { headers } => {
                out.push_str("\ntrailers:");
                for (name, value) in headers {
                    out.push_str(&format!(
                        "\n  {}: {}",
                        name.to_ascii_lowercase(),
                        redact_trailer(name, value, &payload)
                    ));
                }
            }
        }
    }
    out
}

fn render_aws_chunked(bytes: &[u8]) -> String {
    let decoded = match chunked::decode(bytes) {
        Ok(decoded) => decoded,
        Err(error) => {
            let raw = raw(bytes);
            return join(&malformed("aws-chunked", &error, &raw), &raw.text);
        }
    };
    let data_chunks = decoded
        .chunks
        .iter()
        .filter(|chunk| !chunk.data.is_empty())
        .count();
    let mut out = format!(
        "[aws-chunked: {}, {}]",
        plural(data_chunks, "data chunk"),
        plural(decoded.trailers.len(), "trailer")
    );
    for (i, chunk) in decoded.chunks.iter().enumerate() {
        let mut line = format!(
            "\nchunk {}: size {} ({})",
            i + 1,
            chunk.size_field,
            plural(chunk.data.len(), "byte")
        );
        if chunk.data.is_empty() {
            line.push_str(", final");
        }
        for (name, value) in &chunk.extensions {
            let value = if is_signature_extension(name) {
                "<signature>"
            } else {
                value
            };
            line.push_str(&format!(", {name}={value}"));
        }
        out.push_str(&line);
        if !chunk.data.is_empty() {
            out.push('\n');
            out.push_str(&indent(&base64_lines(&chunk.data), 2));
        }
    }
    if decoded.missing_final_chunk {
        out.push_str("\n[no final zero-size chunk]");
    }
    if !decoded.trailers.is_empty() {
        let payload: Vec<u8> = decoded
            .chunks
            .iter()
            .flat_map(|chunk| chunk.data.iter().copied())
            .collect();
        out.push_str("\ntrailers:");
        for (name, value) in &decoded.trailers {
            out.push_str(&format!(
                "\n  {name}: {}",
                redact_trailer(name, value, &payload)
            ));
        }
    }
    out
}
