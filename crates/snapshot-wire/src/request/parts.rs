//! A captured request taken apart before the protocol reads it: host, the path below the
//! endpoint's own path, decoded query parameters, headers, and the body's data with its
//! transfer framing undone (`aws-chunked` chunks joined, event-stream messages unwrapped
//! from their signed envelopes). What this undoes is HTTP and AWS framing, the same for
//! every protocol.

use aws_smithy_types::event_stream::Message;
use snapshot_records::{Body, Header, HttpRequest};

use crate::read::DecodeError;

/// The part of a request a protocol's bindings read.
#[derive(Debug)]
pub(crate) struct RequestParts {
    /// The host, without port.
    pub host: String,
    /// The path below the endpoint's own path, still percent-encoded.
    pub path: String,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers as sent, except the `aws-chunked` content coding the client adds.
    pub headers: Vec<Header>,
    /// The body's data (chunk framing removed).
    pub body: Vec<u8>,
    /// For an event-stream body, its event messages (signed envelopes opened).
    pub messages: Vec<Message>,
    /// The client compressed the body (`Content-Encoding: gzip`); `body` is then empty, as
    /// the check does not inflate it.
    pub compressed: bool,
}

const EVENT_STREAM: &str = "application/vnd.amazon.eventstream";

impl RequestParts {
    /// Takes `request` apart; `endpoint_path` is the path of the endpoint the client sent it
    /// to (empty for the resolved AWS endpoints), which is not the operation's; `compression`
    /// says whether the operation has `@requestCompression`, whose gzip coding the client
    /// appends to `Content-Encoding`.
    pub(crate) fn new(
        request: &HttpRequest,
        endpoint_path: &str,
        compression: bool,
    ) -> Result<Self, DecodeError> {
        let framing = |reason: String| DecodeError {
            path: "the request".to_owned(),
            reason,
        };
        let uri: http::Uri = request
            .uri
            .parse()
            .map_err(|error| framing(format!("URI `{}`: {error}", request.uri)))?;
        let host = uri.host().unwrap_or_default().to_owned();
        let full_path = uri.path();
        let endpoint_path = endpoint_path.trim_end_matches('/');
        let path = full_path
            .strip_prefix(endpoint_path)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(full_path);
        let path = if path.is_empty() { "/" } else { path }.to_owned();
        let query = uri
            .query()
            .map(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let raw_encodings = header_values(&request.headers, "content-encoding");
        let encodings: Vec<String> = raw_encodings
            .iter()
            .flat_map(|value| value.split(',').map(|coding| coding.trim().to_owned()))
            .filter(|coding| !coding.is_empty())
            .collect();
        let chunked = encodings.iter().any(|coding| coding == "aws-chunked");
        let compressed = compression && encodings.last().is_some_and(|coding| coding == "gzip");
        let mut headers: Vec<Header> = request
            .headers
            .iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("content-encoding"))
            .cloned()
            .collect();
        if let Some(member_value) = member_content_encoding(&raw_encodings, compressed) {
            headers.push(("content-encoding".to_owned(), member_value));
        }
        let data = request.body.data();
        let body = if compressed {
            Vec::new()
        } else if chunked {
            chunk_data(&data).map_err(framing)?
        } else {
            data
        };
        let is_stream = header_values(&request.headers, "content-type")
            .iter()
            .any(|value| value.starts_with(EVENT_STREAM));
        let messages = if is_stream && matches!(request.body, Body::Streamed { .. }) {
            event_messages(&body).map_err(framing)?
        } else {
            Vec::new()
        };
        Ok(RequestParts {
            host,
            path,
            query,
            headers,
            body,
            messages,
            compressed,
        })
    }

    /// The values of every header named `name` (case-insensitive), in order.
    pub(crate) fn header_values(&self, name: &str) -> Vec<String> {
        header_values(&self.headers, name)
    }

    /// The values of every query parameter named `name`, in order.
    pub(crate) fn query_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.query
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The value of a `Content-Encoding` member in the `Content-Encoding` headers `values` (in
/// order), without the codings the client adds: `aws-chunked` framing (smithy-rs appends it
/// as a header of its own) and, when the client `compressed` the body, the `gzip` it applied
/// last. A header holding none of those is the member's value as it is, commas and spaces
/// included; one holding them (a joined `x, aws-chunked`) keeps its other codings. `None`
/// when nothing is left.
fn member_content_encoding(values: &[String], compressed: bool) -> Option<String> {
    let last = values.len().saturating_sub(1);
    let kept: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(index, value)| {
            let codings: Vec<&str> = value.split(',').map(str::trim).collect();
            let last_coding = codings.len().saturating_sub(1);
            let added = |position: usize, coding: &str| {
                coding == "aws-chunked"
                    || (compressed && index == last && position == last_coding && coding == "gzip")
            };
            if !codings
                .iter()
                .enumerate()
                .any(|(position, coding)| added(position, coding))
            {
                return Some(value.clone());
            }
            let rest: Vec<&str> = codings
                .iter()
                .enumerate()
                .filter(|(position, coding)| !coding.is_empty() && !added(*position, coding))
                .map(|(_, coding)| *coding)
                .collect();
            (!rest.is_empty()).then(|| rest.join(", "))
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

fn header_values(headers: &[Header], name: &str) -> Vec<String> {
    headers
        .iter()
        .filter(|(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.clone())
        .collect()
}

/// The data of an `aws-chunked` body: `<hex size>[;extensions]\r\n<data>\r\n` chunks up to
/// the zero-size one (trailers after it are the client's checksums, not input members).
fn chunk_data(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    let mut position = 0;
    while position < bytes.len() {
        let line_end = bytes[position..]
            .windows(2)
            .position(|window| window == b"\r\n")
            .map(|offset| position + offset)
            .ok_or("an aws-chunked chunk header without CRLF")?;
        let header = std::str::from_utf8(&bytes[position..line_end])
            .map_err(|_| "a chunk header that is not UTF-8")?;
        let size_text = header.split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size_text.trim(), 16)
            .map_err(|_| format!("chunk size `{size_text}` is not hexadecimal"))?;
        if size == 0 {
            return Ok(data);
        }
        let start = line_end + 2;
        let chunk = bytes
            .get(start..start + size)
            .ok_or("an aws-chunked chunk cut short")?;
        data.extend_from_slice(chunk);
        position = start + size + 2;
    }
    Err("an aws-chunked body without its final chunk".to_owned())
}

/// The event messages of an event-stream body; a signed envelope (`:chunk-signature`) holds
/// its event as its payload, and the empty envelope ends the stream.
fn event_messages(mut bytes: &[u8]) -> Result<Vec<Message>, String> {
    let mut messages = Vec::new();
    while !bytes.is_empty() {
        let message = aws_smithy_eventstream::frame::read_message_from(&mut bytes)
            .map_err(|error| format!("event-stream message {}: {error}", messages.len() + 1))?;
        let signed = message
            .headers()
            .iter()
            .any(|header| header.name().as_str() == ":chunk-signature");
        if !signed {
            messages.push(message);
            continue;
        }
        let mut inner = message.payload().as_ref();
        if inner.is_empty() {
            continue;
        }
        let event =
            aws_smithy_eventstream::frame::read_message_from(&mut inner).map_err(|error| {
                format!("the event inside envelope {}: {error}", messages.len() + 1)
            })?;
        messages.push(event);
    }
    Ok(messages)
}

#[cfg(test)]
mod tests {
    use super::{chunk_data, member_content_encoding};

    fn values(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| (*value).to_owned()).collect()
    }

    #[test]
    fn a_content_encoding_the_client_added_nothing_to_is_the_member_value_as_sent() {
        // S3's edge values: commas and an empty string are the member's, not codings to split.
        let edge = "__ContentEncoding__ /?&=+%#\"'<>,";
        assert_eq!(
            member_content_encoding(&values(&[edge]), false).as_deref(),
            Some(edge)
        );
        assert_eq!(
            member_content_encoding(&values(&[""]), false).as_deref(),
            Some("")
        );
        // aws-chunked appended as a header of its own leaves the member's header whole.
        assert_eq!(
            member_content_encoding(&values(&["", "aws-chunked"]), false).as_deref(),
            Some("")
        );
        assert_eq!(
            member_content_encoding(&values(&[edge, "aws-chunked"]), false).as_deref(),
            Some(edge)
        );
    }

    #[test]
    fn codings_the_client_added_are_not_the_member_value() {
        assert_eq!(
            member_content_encoding(&values(&["aws-chunked"]), false),
            None
        );
        assert_eq!(
            member_content_encoding(&values(&["br, aws-chunked"]), false).as_deref(),
            Some("br")
        );
        // The gzip of `@requestCompression` is the last coding; an earlier one is the member's.
        assert_eq!(
            member_content_encoding(&values(&["gzip", "gzip"]), true).as_deref(),
            Some("gzip")
        );
        assert_eq!(member_content_encoding(&values(&["gzip"]), true), None);
        assert_eq!(
            member_content_encoding(&values(&["gzip"]), false).as_deref(),
            Some("gzip")
        );
    }

    #[test]
    fn aws_chunked_data_is_joined_without_framing_or_trailers() {
        let body = b"4;chunk-signature=abc\r\n\x01\x00\x00\x01\r\n2\r\nhi\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n";
        assert_eq!(chunk_data(body).unwrap(), b"\x01\x00\x00\x01hi");
        assert!(chunk_data(b"4\r\nab").is_err());
    }
}
