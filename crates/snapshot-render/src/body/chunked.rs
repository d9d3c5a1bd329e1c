//! `content-encoding: aws-chunked` bodies: the chunk framing decoded, chunk data, trailers.
//!
//! Framing (see aws-runtime's `AwsChunkedBody`): every chunk is `<size in hex>[;chunk-signature=<sig>]\r\n<data>\r\n`,
//! the last chunk has size 0 and is followed by trailer lines `name:value\r\n` and an empty
//! line. Signed encodings carry a signature per chunk and an `x-amz-trailer-signature`
//! trailer; both depend on the signing time, so they are redacted. Checksum trailers are a
//! function of the body and are kept.

use crate::errors::RenderError;

const FORMAT: &str = "aws-chunked";
const CRLF: &[u8] = b"\r\n";

/// One decoded chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// The size field as sent (hex).
    pub(crate) size_field: String,
    /// Chunk extensions as sent after the size (`chunk-signature=...`), without the `;`.
    pub(crate) extensions: Vec<(String, String)>,
    pub(crate) data: Vec<u8>,
}

/// A decoded aws-chunked body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunked {
    /// Every chunk including the final zero-size chunk.
    pub(crate) chunks: Vec<Chunk>,
    /// Trailer lines after the final chunk, `(name, value)` as sent.
    pub(crate) trailers: Vec<(String, String)>,
    /// True when the body ended without the final zero-size chunk.
    pub(crate) missing_final_chunk: bool,
}

fn find_crlf(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(CRLF.len())
        .position(|window| window == CRLF)
        .map(|index| from + index)
}

fn line(bytes: &[u8], start: usize) -> Result<(String, usize), RenderError> {
    let end = find_crlf(bytes, start)
        .ok_or_else(|| RenderError::body(FORMAT, start, "line without CRLF"))?;
    let text = std::str::from_utf8(&bytes[start..end])
        .map_err(|_| RenderError::body(FORMAT, start, "line is not UTF-8"))?;
    Ok((text.to_owned(), end + CRLF.len()))
}

/// Decodes the aws-chunked framing of `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> Result<Chunked, RenderError> {
    let mut chunks = Vec::new();
    let mut position = 0;
    loop {
        if position == bytes.len() {
            return Ok(Chunked {
                chunks,
                trailers: Vec::new(),
                missing_final_chunk: true,
            });
        }
        let (header, next) = line(bytes, position)?;
        let mut parts = header.split(';');
        let size_field = parts.next().unwrap_or_default().to_owned();
        let size = usize::from_str_radix(&size_field, 16).map_err(|_| {
            RenderError::body(
                FORMAT,
                position,
                format!("chunk size {size_field:?} is not hexadecimal"),
            )
        })?;
        let extensions = parts
            .map(|extension| match extension.split_once('=') {
                Some((name, value)) => (name.to_owned(), value.to_owned()),
                None => (extension.to_owned(), String::new()),
            })
            .collect();
        position = next;
        if size == 0 {
            chunks.push(Chunk {
                size_field,
                extensions,
                data: Vec::new(),
            });
            break;
        }
        let data = bytes
            .get(position..position.saturating_add(size))
            .ok_or_else(|| {
                RenderError::body(
                    FORMAT,
                    position,
                    format!("chunk of {size} bytes is cut short"),
                )
            })?;
        position += size;
        if bytes.get(position..position + CRLF.len()) != Some(CRLF) {
            return Err(RenderError::body(
                FORMAT,
                position,
                "chunk data not followed by CRLF",
            ));
        }
        position += CRLF.len();
        chunks.push(Chunk {
            size_field,
            extensions,
            data: data.to_vec(),
        });
    }
    let mut trailers = Vec::new();
    // Trailers until the empty line; a body that simply ends after them is accepted.
    while position < bytes.len() {
        let (text, next) = line(bytes, position)?;
        position = next;
        if text.is_empty() {
            break;
        }
        let (name, value) = text.split_once(':').ok_or_else(|| {
            RenderError::body(
                FORMAT,
                position,
                format!("trailer line {text:?} has no ':'"),
            )
        })?;
        trailers.push((name.to_owned(), value.to_owned()));
    }
    if position != bytes.len() {
        return Err(RenderError::body(
            FORMAT,
            position,
            "data after the final chunk and trailers",
        ));
    }
    Ok(Chunked {
        chunks,
        trailers,
        missing_final_chunk: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_unsigned_chunks_and_trailers() {
        let body = b"4\r\n\x01\x00\x00\x01\r\n0\r\nx-amz-checksum-crc64nvme:AAAAAAAAAAA=\r\n\r\n";
        let decoded = decode(body).unwrap();
        assert_eq!(decoded.chunks.len(), 2);
        assert_eq!(decoded.chunks[0].data, [1, 0, 0, 1]);
        assert_eq!(decoded.chunks[1].size_field, "0");
        assert_eq!(
            decoded.trailers,
            [(
                "x-amz-checksum-crc64nvme".to_owned(),
                "AAAAAAAAAAA=".to_owned()
            )]
        );
        assert!(!decoded.missing_final_chunk);
    }

    #[test]
    fn decodes_signed_chunks() {
        let signature = "a".repeat(64);
        let body = format!(
            "A;chunk-signature={signature}\r\n0123456789\r\n0;chunk-signature={signature}\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:{signature}\r\n\r\n"
        );
        let decoded = decode(body.as_bytes()).unwrap();
        assert_eq!(decoded.chunks[0].data, b"0123456789");
        assert_eq!(
            decoded.chunks[0].extensions,
            [("chunk-signature".to_owned(), signature.clone())]
        );
        assert_eq!(decoded.trailers.len(), 2);
    }

    #[test]
    fn rejects_broken_framing() {
        assert!(decode(b"5\r\nabc\r\n").is_err());
        assert!(decode(b"zz\r\n").is_err());
        assert!(decode(b"3\r\nabcX0\r\n").is_err());
        assert!(decode(b"0\r\nno colon\r\n\r\n").is_err());
        assert!(decode(b"3\r\nabc\r\n").unwrap().missing_final_chunk);
    }
}
