//! HTTP messages: request line, path and query, headers, body.

use snapshot_records::{Header, HttpRequest, HttpResponse};

use crate::body::{form, render_body};
use crate::headers::{normalize, normalize_query_value};
use snapshot_normalize::Placeholders;

/// Renders a request the client sent (SPEC §6):
///
/// ```text
/// POST https://sts.us-east-1.amazonaws.com
/// /path
/// ?first=1
/// &second=2
///
/// header-name: value
///
/// [json]
/// { ... }
/// ```
///
/// The path and the query parameters each get their own line, values as sent
/// (percent-encoded). Query parameters are sorted by name, repeated names keeping their
/// order: the client fills `@httpQueryParams` maps from a `HashMap`, and the order of distinct
/// names carries no meaning on the wire (SigV4 sorts them too), while the order of repeated
/// names (a list) does.
pub fn render_http_request(request: &HttpRequest, placeholders: &mut Placeholders) -> String {
    let target = Target::parse(&request.uri);
    let mut out = format!("{} {}\n{}", request.method, target.origin, target.path);
    if let Some(query) = target.query {
        let mut params = form::parse(query);
        params.sort_by(|a, b| a.name.cmp(&b.name));
        for (i, param) in params.iter().enumerate() {
            out.push('\n');
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&param.name);
            if let Some(value) = &param.value {
                out.push('=');
                out.push_str(&normalize_query_value(&param.name, value));
            }
        }
    }
    out.push_str("\n\n");
    push_headers_and_body(&request.headers, &request.body, &mut out);
    placeholders.replace_uuids(&out)
}

/// Renders a response replayed to the client: status line, headers, body.
pub fn render_http_response(response: &HttpResponse, placeholders: &mut Placeholders) -> String {
    let mut out = format!("HTTP {}", response.status);
    if let Some(reason) = http::StatusCode::from_u16(response.status)
        .ok()
        .and_then(|status| status.canonical_reason())
    {
        out.push(' ');
        out.push_str(reason);
    }
    out.push_str("\n\n");
    push_headers_and_body(&response.headers, &response.body, &mut out);
    placeholders.replace_uuids(&out)
}

fn push_headers_and_body(headers: &[Header], body: &snapshot_records::Body, out: &mut String) {
    let normalized = normalize(headers, &body.data());
    if normalized.is_empty() {
        out.push_str("[no headers]\n");
    }
    for (name, value) in &normalized {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&render_body(headers, body));
}

/// A request URI split for display.
struct Target<'a> {
    /// `scheme://authority`, or empty for a relative URI.
    origin: &'a str,
    /// The path, `/` when empty.
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> Target<'a> {
    fn parse(uri: &'a str) -> Self {
        let authority_start = uri.find("://").map_or(0, |index| index + 3);
        let path_start = uri[authority_start..]
            .find(['/', '?'])
            .map_or(uri.len(), |index| authority_start + index);
        let origin = &uri[..path_start];
        let rest = &uri[path_start..];
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query).filter(|query| !query.is_empty())),
            None => (rest, None),
        };
        Target {
            origin,
            path: if path.is_empty() { "/" } else { path },
            query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_uris() {
        let target = Target::parse(
            "https://bucket.s3.us-east-1.amazonaws.com/key/a%2Fb?tagging&x-id=PutObject",
        );
        assert_eq!(target.origin, "https://bucket.s3.us-east-1.amazonaws.com");
        assert_eq!(target.path, "/key/a%2Fb");
        assert_eq!(target.query, Some("tagging&x-id=PutObject"));
        let target = Target::parse("https://sts.amazonaws.com");
        assert_eq!((target.path, target.query), ("/", None));
        let target = Target::parse("https://h?a=1");
        assert_eq!(
            (target.origin, target.path, target.query),
            ("https://h", "/", Some("a=1"))
        );
        let target = Target::parse("/relative?");
        assert_eq!(
            (target.origin, target.path, target.query),
            ("", "/relative", None)
        );
    }
}
