//! Constructors generated code uses for values that need more than a literal.

use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::{Document, Number};
use bytes::Bytes;

/// A streaming body that yields `bytes` as one chunk from a stream, with an exact size hint,
/// so clients treat it as a real stream (e.g. S3 uses `aws-chunked` with checksum trailers).
pub fn byte_stream(bytes: Vec<u8>) -> ByteStream {
    let size = bytes.len() as u64;
    let frames = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(
        http_body::Frame::data(Bytes::from(bytes)),
    )]);
    let body = http_body_util::StreamBody::new(frames);
    ByteStream::new(SdkBody::from_body_1_x(SizedBody { inner: body, size }))
}

/// Wraps a stream body with the exact size the SDK needs for content-length headers.
struct SizedBody<B> {
    inner: B,
    size: u64,
}

impl<B: http_body::Body + Unpin> http_body::Body for SizedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.size)
    }
}

/// A document from JSON text produced by the value generator.
pub fn document(json: &str) -> Document {
    // The generator emits valid JSON; a parse failure would be a cargo-snapshot bug and is
    // reported as a panic of this case.
    let value: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|error| panic!("generated document is not JSON: {error}"));
    to_document(value)
}

fn to_document(value: serde_json::Value) -> Document {
    match value {
        serde_json::Value::Null => Document::Null,
        serde_json::Value::Bool(flag) => Document::Bool(flag),
        serde_json::Value::Number(number) => {
            Document::Number(if let Some(unsigned) = number.as_u64() {
                Number::PosInt(unsigned)
            } else if let Some(signed) = number.as_i64() {
                Number::NegInt(signed)
            } else {
                Number::Float(number.as_f64().unwrap_or_default())
            })
        }
        serde_json::Value::String(text) => Document::String(text),
        serde_json::Value::Array(items) => {
            Document::Array(items.into_iter().map(to_document).collect())
        }
        serde_json::Value::Object(entries) => Document::Object(
            entries
                .into_iter()
                .map(|(key, value)| (key, to_document(value)))
                .collect(),
        ),
    }
}

/// The input stream of an event-stream operation: every event, in order, then the end.
pub fn events<T, E>(
    events: Vec<T>,
) -> futures_util::stream::Iter<std::vec::IntoIter<Result<T, E>>> {
    futures_util::stream::iter(events.into_iter().map(Ok).collect::<Vec<_>>())
}

/// Unwraps a fallible builder; a failure means the generated value misses a required member
/// and is reported as a panic of this case, naming the type.
pub fn built<T, E: std::fmt::Display>(type_name: &str, result: Result<T, E>) -> T {
    result.unwrap_or_else(|error| panic!("cannot build {type_name}: {error}"))
}

/// A `bigInteger` from its decimal text.
pub fn big_integer(text: &str) -> aws_smithy_types::BigInteger {
    text.parse()
        .unwrap_or_else(|error| panic!("generated bigInteger `{text}` is invalid: {error:?}"))
}

/// A `bigDecimal` from its decimal text.
pub fn big_decimal(text: &str) -> aws_smithy_types::BigDecimal {
    text.parse()
        .unwrap_or_else(|error| panic!("generated bigDecimal `{text}` is invalid: {error:?}"))
}
