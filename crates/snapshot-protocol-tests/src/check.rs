//! A captured request checked against an `httpRequestTests` case: method, path, query
//! parameters (given, required, forbidden), headers (given, required, forbidden), the resolved
//! host, and the body by media type; and a response checked against the wire form of an
//! `httpResponseTests` case.
//!
//! Query parameters are compared as the encoded `name=value` pieces of the query string, the
//! way the test writes them; header names case-insensitively, with repeated headers joined by
//! `, ` as HTTP folds them.

use snapshot_records::{Header, HttpRequest, HttpResponse};

use crate::body::{self, BodyKind};
use crate::cases::{HttpRequestTest, HttpResponseTest};

/// One way a request differs from its test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The request's URI does not parse.
    Uri(String),
    /// Another status code.
    Status {
        /// The test's.
        expected: u16,
        /// The response's.
        actual: u16,
    },
    /// Another method.
    Method {
        /// The test's.
        expected: String,
        /// The request's.
        actual: String,
    },
    /// Another path.
    Path {
        /// The test's.
        expected: String,
        /// The request's.
        actual: String,
    },
    /// Another host than `resolvedHost`.
    Host {
        /// The test's.
        expected: String,
        /// The request's.
        actual: String,
    },
    /// A `queryParams` entry is not in the query string.
    MissingQueryParam(String),
    /// A `requireQueryParams` name is not in the query string.
    RequiredQueryParam(String),
    /// A `forbidQueryParams` name is in the query string.
    ForbiddenQueryParam(String),
    /// A `headers` entry has another value, or is missing (`actual: None`).
    Header {
        /// The header name as the test writes it.
        name: String,
        /// The test's value.
        expected: String,
        /// The request's.
        actual: Option<String>,
    },
    /// A `requireHeaders` name is missing.
    RequiredHeader(String),
    /// A `forbidHeaders` name is present.
    ForbiddenHeader(String),
    /// The body differs in meaning.
    Body(String),
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::Uri(uri) => write!(f, "the request URI `{uri}` does not parse"),
            Mismatch::Status { expected, actual } => {
                write!(f, "status: expected {expected}, got {actual}")
            }
            Mismatch::Method { expected, actual } => {
                write!(f, "method: expected {expected}, got {actual}")
            }
            Mismatch::Path { expected, actual } => {
                write!(f, "path: expected `{expected}`, got `{actual}`")
            }
            Mismatch::Host { expected, actual } => {
                write!(f, "host: expected `{expected}`, got `{actual}`")
            }
            Mismatch::MissingQueryParam(param) => write!(f, "query: `{param}` missing"),
            Mismatch::RequiredQueryParam(name) => write!(f, "query: required `{name}` missing"),
            Mismatch::ForbiddenQueryParam(name) => write!(f, "query: forbidden `{name}` present"),
            Mismatch::Header {
                name,
                expected,
                actual: Some(actual),
            } => {
                write!(f, "header {name}: expected `{expected}`, got `{actual}`")
            }
            Mismatch::Header {
                name,
                expected,
                actual: None,
            } => {
                write!(f, "header {name}: expected `{expected}`, missing")
            }
            Mismatch::RequiredHeader(name) => write!(f, "header {name}: required, missing"),
            Mismatch::ForbiddenHeader(name) => write!(f, "header {name}: forbidden, present"),
            Mismatch::Body(difference) => write!(f, "body: {difference}"),
        }
    }
}

/// Every way `request` differs from `test` (empty: the request passes).
pub fn check_request(test: &HttpRequestTest, request: &HttpRequest) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    let uri: http::Uri = match request.uri.parse() {
        Ok(uri) => uri,
        Err(_) => return vec![Mismatch::Uri(request.uri.clone())],
    };
    if !request.method.eq_ignore_ascii_case(&test.method) {
        mismatches.push(Mismatch::Method {
            expected: test.method.clone(),
            actual: request.method.clone(),
        });
    }
    if uri.path() != test.uri {
        mismatches.push(Mismatch::Path {
            expected: test.uri.clone(),
            actual: uri.path().to_owned(),
        });
    }
    if let (Some(expected), Some(actual)) = (&test.resolved_host, uri.host()) {
        if expected != actual {
            mismatches.push(Mismatch::Host {
                expected: expected.clone(),
                actual: actual.to_owned(),
            });
        }
    }
    let pieces: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .collect();
    let names: Vec<&str> = pieces
        .iter()
        .map(|piece| piece.split('=').next().unwrap_or_default())
        .collect();
    for param in &test.query_params {
        if !pieces.contains(&param.as_str()) {
            mismatches.push(Mismatch::MissingQueryParam(param.clone()));
        }
    }
    for name in &test.require_query_params {
        if !names.contains(&name.as_str()) {
            mismatches.push(Mismatch::RequiredQueryParam(name.clone()));
        }
    }
    for name in &test.forbid_query_params {
        if names.contains(&name.as_str()) {
            mismatches.push(Mismatch::ForbiddenQueryParam(name.clone()));
        }
    }
    check_headers(
        &request.headers,
        &test.headers,
        &test.require_headers,
        &test.forbid_headers,
        &mut mismatches,
    );
    if let Some(expected) = &test.body {
        let kind = BodyKind::of(test.body_media_type.as_deref());
        if let Err(difference) = body::compare(kind, expected, &request.body.data()) {
            mismatches.push(Mismatch::Body(difference));
        }
    }
    mismatches
}

/// Every way `response` differs from the wire form of response test `test`: status, the
/// test's headers (given, required, forbidden) and its body by media type. Headers the test
/// does not name may differ, and so may what a server chooses itself: request ids (headers
/// and query-protocol body elements), the awsQuery `ResponseMetadata` element, content-type
/// parameters. This checks a server-side serializer against the test (the
/// test's own purpose, checking the client's parse, needs the harness).
pub fn check_response(test: &HttpResponseTest, response: &HttpResponse) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    if response.status != test.code {
        mismatches.push(Mismatch::Status {
            expected: test.code,
            actual: response.status,
        });
    }
    // A server picks its own request id, and may add parameters to its content type.
    let headers: std::collections::BTreeMap<String, String> = test
        .headers
        .iter()
        .filter(|(name, _)| {
            !REQUEST_ID_HEADERS
                .iter()
                .any(|id| name.eq_ignore_ascii_case(id))
        })
        .map(|(name, value)| {
            let value = match (
                name.eq_ignore_ascii_case("content-type"),
                header(&response.headers, name),
            ) {
                (true, Some(actual)) if media_type(&actual) == media_type(value) => actual,
                _ => value.clone(),
            };
            (name.clone(), value)
        })
        .collect();
    check_headers(
        &response.headers,
        &headers,
        &test.require_headers,
        &test.forbid_headers,
        &mut mismatches,
    );
    if let Some(expected) = &test.body {
        let kind = BodyKind::of(test.body_media_type.as_deref());
        if let Err(difference) = body::compare_response(kind, expected, &response.body.data()) {
            mismatches.push(Mismatch::Body(difference));
        }
    }
    mismatches
}

/// Response headers carrying the request id, whose value is the server's.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-amzn-requestid", "x-amz-request-id", "x-amz-id-2"];

/// A media type without its parameters, lower-cased.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn check_headers(
    headers: &[Header],
    expected: &std::collections::BTreeMap<String, String>,
    required: &[String],
    forbidden: &[String],
    mismatches: &mut Vec<Mismatch>,
) {
    for (name, value) in expected {
        let actual = header(headers, name);
        if actual.as_deref() != Some(value.as_str()) {
            mismatches.push(Mismatch::Header {
                name: name.clone(),
                expected: value.clone(),
                actual,
            });
        }
    }
    for name in required {
        if header(headers, name).is_none() {
            mismatches.push(Mismatch::RequiredHeader(name.clone()));
        }
    }
    for name in forbidden {
        if header(headers, name).is_some() {
            mismatches.push(Mismatch::ForbiddenHeader(name.clone()));
        }
    }
}

/// The value of header `name` (any case), repeated headers joined with `, `.
fn header(headers: &[Header], name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

#[cfg(test)]
mod tests {
    use snapshot_records::Body;

    use super::*;

    fn test_case(json: serde_json::Value) -> HttpRequestTest {
        serde_json::from_value(json).unwrap()
    }

    fn request(uri: &str, headers: &[(&str, &str)], body: &str) -> HttpRequest {
        HttpRequest {
            method: "POST".to_owned(),
            uri: uri.to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: Body::Bytes {
                data: body.as_bytes().to_vec(),
            },
        }
    }

    #[test]
    fn a_matching_request_passes_and_each_difference_is_named() {
        let test = test_case(serde_json::json!({
            "id": "T", "protocol": "aws.protocols#restJson1", "method": "POST", "uri": "/a/b",
            "queryParams": ["x=1", "flag"], "forbidQueryParams": ["y"], "requireQueryParams": ["z"],
            "headers": {"Content-Type": "application/json", "X-List": "a, b"},
            "forbidHeaders": ["X-No"], "requireHeaders": ["X-Amz-Date"],
            "body": "{\"k\": 1}", "bodyMediaType": "application/json"
        }));
        let good = request(
            "https://h.example.com/a/b?flag&x=1&z=9",
            &[
                ("content-type", "application/json"),
                ("x-list", "a"),
                ("X-List", "b"),
                ("x-amz-date", "d"),
            ],
            "{\"k\":1}",
        );
        assert_eq!(check_request(&test, &good), []);

        let bad = request(
            "https://h.example.com/a/c?x=2&y=1",
            &[("content-type", "text/plain"), ("x-no", "1")],
            "{\"k\":2}",
        );
        let found: Vec<String> = check_request(&test, &bad)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "path: expected `/a/b`, got `/a/c`",
                "query: `x=1` missing",
                "query: `flag` missing",
                "query: required `z` missing",
                "query: forbidden `y` present",
                "header Content-Type: expected `application/json`, got `text/plain`",
                "header X-List: expected `a, b`, missing",
                "header X-Amz-Date: required, missing",
                "header X-No: forbidden, present",
                "body: expected `{\"k\":1}`, got `{\"k\":2}`",
            ]
        );
    }
}
