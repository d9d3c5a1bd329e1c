//! Headers: lower-cased, sorted, and the values that depend on time or credentials normalized.
//!
//! SigV4/SigV4a knowledge lives here: the `authorization` header, its credential scope,
//! `x-amz-date`, chunk and trailer signatures, and the presigning query parameters.
//! A value is replaced only when it has the expected shape, so that a format regression
//! (say, a date in another format) still shows up as a difference.

use snapshot_records::Header;

use crate::digest;
use crate::user_agent;
use snapshot_normalize::uuid::FIXED_IDEMPOTENCY_TOKEN;

const SIGV4: &str = "AWS4-HMAC-SHA256";
const SIGV4A: &str = "AWS4-ECDSA-P256-SHA256";

/// The first value of header `name` (case-insensitive).
/// Every value of a header that may repeat, in order (`content-encoding: gzip` and
/// `content-encoding: aws-chunked` sent as two fields).
pub(crate) fn header_values<'a>(
    headers: &'a [Header],
    name: &'a str,
) -> impl Iterator<Item = &'a str> {
    headers
        .iter()
        .filter(move |(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

pub(crate) fn header_value<'a>(headers: &'a [Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Lower-cased names, sorted by name (duplicates keep their order), values normalized;
/// digests of `body` are verified (see [`crate::digest`]).
pub(crate) fn normalize(headers: &[Header], body: &[u8]) -> Vec<(String, String)> {
    let mut normalized: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            let value = match digest::verified(&name, value, body) {
                Some(placeholder) => placeholder.to_owned(),
                None => normalize_value(&name, value),
            };
            (name, value)
        })
        .collect();
    // `sort_by` is stable: repeated headers keep the order the client set them in.
    normalized.sort_by(|(a, _), (b, _)| a.cmp(b));
    normalized
}

fn normalize_value(name: &str, value: &str) -> String {
    match name {
        "authorization" => authorization(value),
        "x-amz-date" => amz_date(value),
        "user-agent" | "x-amz-user-agent" => user_agent::normalize(value),
        _ if is_token_header(name) && value != FIXED_IDEMPOTENCY_TOKEN => "<token>".to_owned(),
        _ => value.to_owned(),
    }
}

/// Security tokens and other `*-token` headers (`x-amz-security-token`,
/// `x-amz-s3session-token`, `x-amz-sso_bearer_token`, ...).
fn is_token_header(name: &str) -> bool {
    name.ends_with("-token") || name.ends_with("_token")
}

fn is_basic_date_time(value: &str) -> bool {
    // yyyymmddThhmmssZ
    let bytes = value.as_bytes();
    bytes.len() == 16
        && bytes[8] == b'T'
        && bytes[15] == b'Z'
        && bytes[..8]
            .iter()
            .chain(&bytes[9..15])
            .all(u8::is_ascii_digit)
}

fn amz_date(value: &str) -> String {
    if is_basic_date_time(value) {
        "<date-time>".to_owned()
    } else {
        value.to_owned()
    }
}

/// `AKID/20240101/us-east-1/sts/aws4_request` → `<access-key>/<date>/us-east-1/sts/aws4_request`.
fn credential(value: &str, separator: &str) -> String {
    let mut parts: Vec<String> = value.split(separator).map(str::to_owned).collect();
    if let Some(access_key) = parts.first_mut() {
        *access_key = "<access-key>".to_owned();
    }
    if let Some(date) = parts.get_mut(1) {
        if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
            *date = "<date>".to_owned();
        }
    }
    parts.join(separator)
}

fn authorization(value: &str) -> String {
    let Some((scheme, parameters)) = value.split_once(' ') else {
        return "<redacted>".to_owned();
    };
    match scheme {
        SIGV4 | SIGV4A => {
            let parameters: Vec<String> = parameters
                .split(',')
                .map(|parameter| {
                    let parameter = parameter.trim();
                    match parameter.split_once('=') {
                        Some(("Credential", scope)) => {
                            format!("Credential={}", credential(scope, "/"))
                        }
                        Some(("Signature", _)) => "Signature=<signature>".to_owned(),
                        _ => parameter.to_owned(),
                    }
                })
                .collect();
            format!("{scheme} {}", parameters.join(", "))
        }
        "Bearer" => "Bearer <token>".to_owned(),
        other => format!("{other} <redacted>"),
    }
}

/// Presigning query parameters (`X-Amz-Signature`, ...), values as sent (percent-encoded).
pub(crate) fn normalize_query_value(name: &str, value: &str) -> String {
    match name {
        "X-Amz-Signature" => "<signature>".to_owned(),
        "X-Amz-Credential" => credential(value, if value.contains("%2F") { "%2F" } else { "/" }),
        "X-Amz-Date" => amz_date(value),
        "X-Amz-Security-Token" => "<token>".to_owned(),
        _ => value.to_owned(),
    }
}

/// `chunk-signature` extensions of aws-chunked chunks.
pub(crate) fn is_signature_extension(name: &str) -> bool {
    name.eq_ignore_ascii_case("chunk-signature")
}

/// Trailer values: the trailer signature is redacted, checksums of `body` (the payload the
/// trailer follows) are verified, other values are normalized like headers.
pub(crate) fn redact_trailer(name: &str, value: &str, body: &[u8]) -> String {
    let name = name.to_ascii_lowercase();
    if name == "x-amz-trailer-signature" {
        return "<signature>".to_owned();
    }
    match digest::verified(&name, value, body) {
        Some(placeholder) => placeholder.to_owned(),
        None => normalize_value(&name, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn sorts_lower_cased_names_keeping_duplicate_order() {
        let sent = headers(&[
            ("X-B", "1"),
            ("a", "2"),
            ("x-b", "0"),
            ("Content-Type", "t"),
        ]);
        assert_eq!(
            normalize(&sent, b""),
            [
                ("a", "2"),
                ("content-type", "t"),
                ("x-b", "1"),
                ("x-b", "0")
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn redacts_sigv4_but_keeps_scope_and_signed_headers() {
        let value = "AWS4-HMAC-SHA256 Credential=MOCK_ak/20000101/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
        assert_eq!(
            normalize_value("authorization", value),
            "AWS4-HMAC-SHA256 Credential=<access-key>/<date>/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=<signature>"
        );
        let sigv4a = "AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=3045022100abc";
        assert_eq!(
            normalize_value("authorization", sigv4a),
            "AWS4-ECDSA-P256-SHA256 Credential=<access-key>/<date>/s3/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=<signature>"
        );
        assert_eq!(
            normalize_value("authorization", "Bearer abc.def"),
            "Bearer <token>"
        );
        assert_eq!(normalize_value("authorization", "garbage"), "<redacted>");
    }

    #[test]
    fn dates_tokens_and_idempotency_tokens() {
        assert_eq!(
            normalize_value("x-amz-date", "20240101T123456Z"),
            "<date-time>"
        );
        // Another shape stays visible.
        assert_eq!(
            normalize_value("x-amz-date", "2024-01-01T12:34:56Z"),
            "2024-01-01T12:34:56Z"
        );
        assert_eq!(
            normalize_value("x-amz-security-token", "IQoJb3JpZ2lu"),
            "<token>"
        );
        assert_eq!(
            normalize_value("x-amz-sso_bearer_token", "__AccessToken__"),
            "<token>"
        );
        assert_eq!(
            normalize_value("x-amz-client-token", FIXED_IDEMPOTENCY_TOKEN),
            FIXED_IDEMPOTENCY_TOKEN
        );
        assert_eq!(
            normalize_value("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            "UNSIGNED-PAYLOAD"
        );
    }

    #[test]
    fn presigned_query_values() {
        assert_eq!(
            normalize_query_value(
                "X-Amz-Credential",
                "AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
            ),
            "<access-key>%2F<date>%2Fus-east-1%2Fs3%2Faws4_request"
        );
        assert_eq!(
            normalize_query_value("X-Amz-Signature", "abc"),
            "<signature>"
        );
        assert_eq!(
            normalize_query_value("X-Amz-Date", "20240101T000000Z"),
            "<date-time>"
        );
        assert_eq!(normalize_query_value("prefix", "a"), "a");
    }
}
