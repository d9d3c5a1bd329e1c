//! HTTP bindings of requests in the REST protocols (restJson1, restXml), read back the way a
//! server routes a request: `@httpLabel` members from the path by the `@http` URI pattern
//! (greedy `{Label+}` labels keep their `/`), `@httpQuery` and `@httpQueryParams` from the
//! query string (the pattern's literal query left out), `@httpHeader` and
//! `@httpPrefixHeaders` from headers, `@httpPayload` from the body, the other members from
//! the body document.
//!
//! Header text follows the clients' header writers (the mirror of [`crate::http_bindings`]):
//! timestamps default to http-date, `@mediaType` strings and blobs are base64, lists are
//! comma-separated with quoted items (`"a,b"`), http-date lists split after every second
//! comma.

use aws_smithy_types::date_time::Format;
use snapshot_model::traits::TimestampFormat;
use snapshot_model::{Member, Shape, ShapeKind, SimpleType};
use snapshot_values::{Value, ValuePath};

use crate::http_bindings::{is_body_member, Binding};
use crate::read::{members_of, timestamp_format, DecodeError, Decoding, DocumentReader};
use crate::request::events;
use crate::request::parts::RequestParts;

/// Where a label's text comes from when a client customization moved it out of the path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MovedLabel<'m> {
    /// The label is where the URI pattern puts it.
    None,
    /// S3: the client drops `/{Bucket}` from every pattern and the endpoint rules put the
    /// bucket in the host (`bucket.s3.…`) or, path-style, as the first path segment.
    S3Bucket(&'m Member),
}

/// The members of the input structure `shape` read from a REST request.
pub(crate) fn members<'m>(
    decoding: &Decoding<'_, '_, 'm>,
    parts: &RequestParts,
    shape: &'m Shape,
    body: &dyn DocumentReader<'m>,
    moved: MovedLabel<'m>,
    path: &ValuePath,
) -> Result<Vec<(String, Value)>, DecodeError> {
    let cx = decoding.cx;
    let http = cx.operation().shape.traits.http();
    let pattern = http.as_ref().map_or("/", |http| http.uri.as_str());
    let (path_pattern, literal_query) = pattern.split_once('?').unwrap_or((pattern, ""));
    let mut request_path = parts.path.as_str();
    let mut read = Vec::new();
    if let MovedLabel::S3Bucket(bucket) = moved {
        let (value, rest) = s3_bucket(parts, request_path);
        request_path = rest;
        read.push((bucket.name.clone(), Value::String(value)));
    }
    let moved_name = match moved {
        MovedLabel::S3Bucket(bucket) => Some(bucket.name.as_str()),
        MovedLabel::None => None,
    };
    let path_pattern = match moved_name {
        Some(name) => path_pattern.replacen(&format!("/{{{name}}}"), "", 1),
        None => path_pattern.to_owned(),
    };
    let labels = match_labels(&path_pattern, request_path).ok_or_else(|| {
        DecodeError::new(
            path,
            format!(
                "the path `{}` does not match the URI pattern `{pattern}`",
                parts.path
            ),
        )
    })?;
    let literal: Vec<&str> = literal_query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| part.split_once('=').map_or(part, |(name, _)| name))
        .collect();
    let mut payload = None;
    for member in members_of(shape) {
        let member_path = path.member(&member.name);
        let target = cx.target(member);
        let traits = cx.model().effective_traits(member);
        let value = match Binding::of(member) {
            Binding::Label => {
                if moved_name == Some(member.name.as_str()) {
                    continue;
                }
                let Some((_, text)) = labels.iter().find(|(name, _)| name == &member.name) else {
                    continue;
                };
                let format = timestamp_format(&traits, TimestampFormat::DateTime);
                Some(decoding.scalar_text(target, text, format, &member_path)?)
            }
            Binding::Query(name) => {
                let texts: Vec<&str> = parts.query_values(name).collect();
                query_value(decoding, member, &texts, &member_path)?
            }
            // Every parameter but the pattern's literal ones: an entry named like a bound
            // query parameter is on the wire with that member's value (Smithy's precedence).
            Binding::QueryParams => {
                let params = parts
                    .query
                    .iter()
                    .filter(|(name, _)| !literal.contains(&name.as_str()));
                query_params(decoding, target, params, &member_path)?
            }
            Binding::Header(name) => {
                let texts = parts.header_values(name);
                header_value(decoding, member, &texts, &member_path)?
            }
            Binding::PrefixHeaders(prefix) => {
                prefix_headers(decoding, target, parts, prefix, &member_path)?
            }
            Binding::Payload => {
                payload = Some(member);
                continue;
            }
            Binding::ResponseCode | Binding::Body => continue,
        };
        if let Some(value) = value {
            read.push((member.name.clone(), value));
        }
    }
    if let Some(member) = payload {
        let member_path = path.member(&member.name);
        if let Some(value) = payload_value(decoding, parts, member, body, &member_path)? {
            read.push((member.name.clone(), value));
        }
    } else if !parts.body.is_empty() && members_of(shape).iter().any(is_body_member) {
        read.extend(body.members(&parts.body, shape, &is_body_member, path)?);
    }
    Ok(read)
}

/// S3's bucket: the first host label when the host is virtual-hosted (anything but an
/// `s3.`/`s3-` host), else the first path segment; and the rest of the path.
fn s3_bucket<'p>(parts: &RequestParts, path: &'p str) -> (String, &'p str) {
    let virtual_hosted = !(parts.host.starts_with("s3.")
        || parts.host.starts_with("s3-")
        || parts.host.parse::<std::net::IpAddr>().is_ok()
        || parts.host == "localhost");
    if virtual_hosted {
        let label = parts.host.split('.').next().unwrap_or_default();
        return (label.to_owned(), path);
    }
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let (segment, rest) = match trimmed.find('/') {
        Some(index) => (&trimmed[..index], &trimmed[index..]),
        None => (trimmed, ""),
    };
    (
        percent_decode(segment),
        if rest.is_empty() { "/" } else { rest },
    )
}

/// The label texts of `path` by the URI path pattern, or `None` when it does not match.
fn match_labels(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let pattern: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut labels = Vec::new();
    let mut index = 0;
    for (position, part) in pattern.iter().enumerate() {
        if let Some(label) = part
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix("+}"))
        {
            let remaining = pattern.len() - position - 1;
            let end = segments.len().checked_sub(remaining)?;
            let taken = segments.get(index..end)?;
            labels.push((label.to_owned(), percent_decode(&taken.join("/"))));
            index = end;
        } else if let Some(label) = part
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            labels.push((label.to_owned(), percent_decode(segments.get(index)?)));
            index += 1;
        } else {
            if segments.get(index) != Some(part) {
                return None;
            }
            index += 1;
        }
    }
    (index == segments.len()).then_some(labels)
}

/// Percent-decoding of a path segment (`+` stays a plus, unlike in forms).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_value(
    decoding: &Decoding<'_, '_, '_>,
    member: &Member,
    texts: &[&str],
    path: &ValuePath,
) -> Result<Option<Value>, DecodeError> {
    let cx = decoding.cx;
    let target = cx.target(member);
    if let ShapeKind::List(item) | ShapeKind::Set(item) = &target.kind {
        if texts.is_empty() {
            return Ok(None);
        }
        let traits = cx.model().effective_traits(item);
        let format = timestamp_format(&traits, TimestampFormat::DateTime);
        let items = texts
            .iter()
            .enumerate()
            .map(|(index, text)| {
                decoding.scalar_text(cx.target(item), text, format, &path.index(index))
            })
            .collect::<Result<_, _>>()?;
        return Ok(Some(Value::List(items)));
    }
    let Some(text) = texts.first() else {
        return Ok(None);
    };
    let traits = cx.model().effective_traits(member);
    let format = timestamp_format(&traits, TimestampFormat::DateTime);
    decoding.scalar_text(target, text, format, path).map(Some)
}

fn query_params<'q>(
    decoding: &Decoding<'_, '_, '_>,
    target: &Shape,
    params: impl Iterator<Item = &'q (String, String)>,
    path: &ValuePath,
) -> Result<Option<Value>, DecodeError> {
    let ShapeKind::Map { value, .. } = &target.kind else {
        return Err(DecodeError::new(path, "@httpQueryParams needs a map"));
    };
    let cx = decoding.cx;
    let value_shape = cx.target(value);
    let mut entries: Vec<(String, Value)> = Vec::new();
    for (name, text) in params {
        let entry_path = path.key(name);
        match &value_shape.kind {
            ShapeKind::List(item) | ShapeKind::Set(item) => {
                let item =
                    decoding.scalar_text(cx.target(item), text, Format::DateTime, &entry_path)?;
                match entries.iter_mut().find(|(key, _)| key == name) {
                    Some((_, Value::List(items))) => items.push(item),
                    _ => entries.push((name.clone(), Value::List(vec![item]))),
                }
            }
            _ => entries.push((
                name.clone(),
                decoding.scalar_text(value_shape, text, Format::DateTime, &entry_path)?,
            )),
        }
    }
    Ok((!entries.is_empty()).then_some(Value::Map(entries)))
}

fn header_value(
    decoding: &Decoding<'_, '_, '_>,
    member: &Member,
    texts: &[String],
    path: &ValuePath,
) -> Result<Option<Value>, DecodeError> {
    if texts.is_empty() {
        return Ok(None);
    }
    let cx = decoding.cx;
    let target = cx.target(member);
    let joined = texts.join(", ");
    if let ShapeKind::List(item) | ShapeKind::Set(item) = &target.kind {
        // The clients send an empty list as an empty header.
        if joined.trim().is_empty() {
            return Ok(Some(Value::List(Vec::new())));
        }
        let traits = cx.model().effective_traits(item);
        let format = timestamp_format(&traits, TimestampFormat::HttpDate);
        let item_shape = cx.target(item);
        let is_timestamp = matches!(item_shape.kind, ShapeKind::Simple(SimpleType::Timestamp));
        let parts = if is_timestamp && format == Format::HttpDate {
            split_http_dates(&joined)
        } else {
            split_header_list(&joined)
        };
        let items = parts
            .iter()
            .enumerate()
            .map(|(index, text)| header_scalar(decoding, item, text, format, &path.index(index)))
            .collect::<Result<_, _>>()?;
        return Ok(Some(Value::List(items)));
    }
    let traits = cx.model().effective_traits(member);
    let format = timestamp_format(&traits, TimestampFormat::HttpDate);
    header_scalar(decoding, member, &joined, format, path).map(Some)
}

/// A header scalar: `@mediaType` strings are base64.
fn header_scalar(
    decoding: &Decoding<'_, '_, '_>,
    member: &Member,
    text: &str,
    format: Format,
    path: &ValuePath,
) -> Result<Value, DecodeError> {
    let cx = decoding.cx;
    let traits = cx.model().effective_traits(member);
    let target = cx.target(member);
    if traits.media_type().is_some() && matches!(target.kind, ShapeKind::Simple(SimpleType::String))
    {
        let bytes = aws_smithy_types::base64::decode(text.trim())
            .map_err(|error| DecodeError::new(path, format!("base64: {error}")))?;
        return Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    }
    decoding.scalar_text(target, text, format, path)
}

fn prefix_headers(
    decoding: &Decoding<'_, '_, '_>,
    target: &Shape,
    parts: &RequestParts,
    prefix: &str,
    path: &ValuePath,
) -> Result<Option<Value>, DecodeError> {
    let ShapeKind::Map { value, .. } = &target.kind else {
        return Err(DecodeError::new(path, "@httpPrefixHeaders needs a map"));
    };
    let mut entries = Vec::new();
    for (name, text) in &parts.headers {
        let Some(key) = name.get(prefix.len()..).filter(|_| {
            name.get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        }) else {
            continue;
        };
        let entry_path = path.key(key);
        entries.push((
            key.to_owned(),
            decoding.scalar_text(
                decoding.cx.target(value),
                text,
                Format::HttpDate,
                &entry_path,
            )?,
        ));
    }
    Ok((!entries.is_empty()).then_some(Value::Map(entries)))
}

fn payload_value<'m>(
    decoding: &Decoding<'_, '_, 'm>,
    parts: &RequestParts,
    member: &'m Member,
    body: &dyn DocumentReader<'m>,
    path: &ValuePath,
) -> Result<Option<Value>, DecodeError> {
    let cx = decoding.cx;
    let target = cx.target(member);
    if crate::event_stream::is_stream(target) {
        return events::stream(decoding, parts, target, body, path).map(Some);
    }
    if parts.body.is_empty() {
        return Ok(None);
    }
    Ok(match &target.kind {
        ShapeKind::Simple(SimpleType::Blob) if target.traits.is_streaming() => {
            Some(Value::StreamingBlob(parts.body.clone()))
        }
        ShapeKind::Simple(SimpleType::Blob) => Some(Value::Blob(parts.body.clone())),
        ShapeKind::Simple(SimpleType::String) => Some(Value::String(
            String::from_utf8_lossy(&parts.body).into_owned(),
        )),
        ShapeKind::Enum(_) => Some(Value::Enum {
            variant: None,
            value: String::from_utf8_lossy(&parts.body).into_owned(),
        }),
        _ => body.member(&parts.body, member, path)?,
    })
}

/// Items of a comma-separated header list; quoted items keep their commas and lose their
/// `\` escapes.
fn split_header_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_owned()),
            c => current.push(c),
        }
    }
    items.push(current.trim().to_owned());
    items
}

/// http-dates contain one comma each (`Sat, 01 Jan 2000 …`), so a list splits after every
/// second comma.
fn split_http_dates(text: &str) -> Vec<String> {
    let pieces: Vec<&str> = text.split(',').collect();
    pieces
        .chunks(2)
        .map(|pair| pair.join(",").trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_the_pattern_with_greedy_labels_keeping_slashes() {
        let labels = match_labels("/{Bucket}/{Key+}", "/b/a/b%20c").unwrap();
        assert_eq!(
            labels,
            vec![
                ("Bucket".to_owned(), "b".to_owned()),
                ("Key".to_owned(), "a/b c".to_owned())
            ]
        );
        assert_eq!(
            match_labels("/2013-04-01/tags/{Type}/{Id}", "/2013-04-01/tags/t/i")
                .unwrap()
                .len(),
            2
        );
        assert!(match_labels("/things/{Id}", "/other/1").is_none());
        assert!(match_labels("/things/{Id}", "/things/1/extra").is_none());
        let greedy_middle = match_labels("/{Key+}/end", "/a/b/end").unwrap();
        assert_eq!(greedy_middle, vec![("Key".to_owned(), "a/b".to_owned())]);
    }

    #[test]
    fn header_lists_split_like_the_clients_write_them() {
        assert_eq!(
            split_header_list("a, \"b,c\", \"say \\\"hi\\\"\""),
            vec!["a", "b,c", "say \"hi\""]
        );
        assert_eq!(
            split_http_dates("Sat, 01 Jan 2000 04:59:59 GMT, Sun, 02 Jan 2000 04:59:59 GMT"),
            vec![
                "Sat, 01 Jan 2000 04:59:59 GMT",
                "Sun, 02 Jan 2000 04:59:59 GMT"
            ]
        );
        assert_eq!(percent_decode("a%2Fb+c"), "a/b+c");
    }
}
