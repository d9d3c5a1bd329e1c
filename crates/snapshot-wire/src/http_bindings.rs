//! HTTP bindings shared by the REST protocols (restJson1, restXml): which members of an
//! output or error go to the status line, headers, prefix headers, the payload, or the body
//! document, and how bound values are written into headers.
//!
//! Header rules, as the clients' header readers (`aws_smithy_http::header`) parse them:
//! * scalar strings are read whole (`one_or_none`, trimmed, no splitting), so they are sent
//!   as they are; `@mediaType` strings and blobs are base64;
//! * lists are comma-joined; list strings containing a comma, quote or parenthesis, or with
//!   surrounding whitespace, are quoted with `\"` and `\\` escapes, which the list reader
//!   unquotes;
//! * timestamps default to http-date; a list of http-dates is joined with commas too, since
//!   the date reader knows the comma inside an http-date (date-time and epoch-seconds lists
//!   are joined without the space, which that reader does not skip);
//! * `@httpPrefixHeaders` maps become one header per entry, prefix + key, except entries
//!   naming a header another member binds (sent once, as that member's);
//! * a member bound to `Content-Type` replaces the protocol's content type, and one bound to
//!   `Content-Length` is sent as the real body length, as any server would (HEAD responses,
//!   which have no body, send the member's value).

use snapshot_model::traits::TimestampFormat;
use snapshot_model::{Member, Model, Shape, ShapeKind, SimpleType};
use snapshot_records::{Body, Header, HeaderFault, HttpResponse, RejectedHeader, TypedValue};
use snapshot_values::{rejected_header_value, Value, ValuePath};

use crate::context::WireNote;
use crate::shaped::{self, Field, Scalar, Shaped};
use crate::{event_stream, timestamps, OperationContext, WireError};

/// The members of a structure value sorted by where they go (by default, none: the
/// unmodeled error binds nothing).
#[derive(Debug, Default)]
pub(crate) struct Bindings<'m, 'v> {
    /// From an `@httpResponseCode` member.
    pub status: Option<u16>,
    /// From `@httpHeader` and `@httpPrefixHeaders` members, in model order.
    pub headers: Vec<Header>,
    /// The `@httpPayload` member, set or not.
    pub payload: Option<Payload<'m, 'v>>,
    /// Set members that belong in the body document.
    pub body: Vec<Field<'m, 'v>>,
    /// The shape's body members in model order, set or not: when there are any, the body
    /// is a document (`{}` or an empty element when nothing is set).
    pub body_members: Vec<&'m Member>,
    /// The value of a member bound to `Content-Length` and its path; only a HEAD response
    /// sends the value as it is (other responses send the real body length).
    content_length: Option<(String, ValuePath)>,
}

/// The `@httpPayload` member of a structure and its value, if set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Payload<'m, 'v> {
    pub member: &'m Member,
    pub value: Option<&'v Value>,
}

/// What an `@httpPayload` member puts in the body.
pub(crate) enum PayloadContent<'m, 'v> {
    /// The member is not set: no body.
    Absent,
    /// A blob, string or enum sent as it is.
    Raw { data: Vec<u8>, content_type: String },
    /// A structure, union or document, written by the protocol.
    Document {
        member: &'m Member,
        value: &'v Value,
    },
    /// An event stream (empty when the member is not set).
    EventStream(Vec<Field<'m, 'v>>),
}

/// Sorts the set `fields` of a structure value of `shape` into bindings.
pub(crate) fn bind<'m, 'v>(
    cx: &OperationContext<'_, 'm>,
    shape: &'m Shape,
    fields: &[Field<'m, 'v>],
    path: &ValuePath,
) -> Result<Bindings<'m, 'v>, WireError> {
    let members: &[Member] = match &shape.kind {
        ShapeKind::Structure(members) => members,
        _ => &[],
    };
    let mut bindings = Bindings::default();
    // Positions in `bindings.headers` of the headers that prefix-header maps produced.
    let mut from_prefix: Vec<usize> = Vec::new();
    for member in members {
        let field = fields.iter().find(|field| field.member.name == member.name);
        let field_path = path.member(&member.name);
        match Binding::of(member) {
            Binding::ResponseCode => {
                if let Some(field) = field {
                    bindings.status = Some(response_code(cx, field.value, &field_path)?);
                }
            }
            Binding::Header(name) if name.eq_ignore_ascii_case("content-length") => {
                if let Some(field) = field {
                    bindings.content_length = header_value(cx, field, name, &field_path)?
                        .map(|value| (value, field_path.clone()));
                }
            }
            Binding::Header(name) => {
                if let Some(field) = field {
                    if let Some(value) = header_value(cx, field, name, &field_path)? {
                        bindings.headers.push((name.to_owned(), value));
                    }
                }
            }
            Binding::PrefixHeaders(prefix) => {
                if let Some(field) = field {
                    let first = bindings.headers.len();
                    prefix_headers(cx, field, prefix, &field_path, &mut bindings.headers)?;
                    from_prefix.extend(first..bindings.headers.len());
                }
            }
            Binding::Payload => {
                bindings.payload = Some(Payload {
                    member,
                    value: field.map(|field| field.value),
                });
            }
            // Responses have no labels or queries: such members of an output (a model error)
            // go into the body, as they always did.
            Binding::Label | Binding::Query(_) | Binding::QueryParams | Binding::Body => {
                bindings.body_members.push(member);
                if let Some(field) = field {
                    bindings.body.push(*field);
                }
            }
        }
    }
    // A header that a member binds by name is sent once: a prefix-header entry of the same
    // name (an empty prefix collects every header) is that header seen again, not a second one
    // (the protocol tests' `HttpEmptyPrefixHeadersResponseClient` cases).
    let specific: Vec<String> = bindings
        .headers
        .iter()
        .enumerate()
        .filter(|(index, _)| !from_prefix.contains(index))
        .map(|(_, (name, _))| name.to_ascii_lowercase())
        .collect();
    let mut index = 0;
    bindings.headers.retain(|(name, _)| {
        let keep = !from_prefix.contains(&index) || !specific.contains(&name.to_ascii_lowercase());
        index += 1;
        keep
    });
    Ok(bindings)
}

/// Where a REST protocol puts a member of an input, output or error structure, by its HTTP
/// binding trait (the request-only and response-only bindings never meet: a model puts
/// labels and queries on inputs, response codes on outputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding<'t> {
    /// `@httpLabel`: a path segment of the URI pattern.
    Label,
    /// `@httpQuery(name)`.
    Query(&'t str),
    /// `@httpQueryParams`: the query parameters no other member binds.
    QueryParams,
    /// `@httpHeader(name)`.
    Header(&'t str),
    /// `@httpPrefixHeaders(prefix)`.
    PrefixHeaders(&'t str),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the status.
    ResponseCode,
    /// No binding: a member of the body document.
    Body,
}

impl<'t> Binding<'t> {
    /// The binding of `member`.
    pub(crate) fn of(member: &'t Member) -> Self {
        let traits = &member.traits;
        if traits.is_http_label() {
            Binding::Label
        } else if let Some(name) = traits.http_query() {
            Binding::Query(name)
        } else if traits.is_http_query_params() {
            Binding::QueryParams
        } else if let Some(name) = traits.http_header() {
            Binding::Header(name)
        } else if let Some(prefix) = traits.http_prefix_headers() {
            Binding::PrefixHeaders(prefix)
        } else if traits.is_http_payload() {
            Binding::Payload
        } else if traits.is_http_response_code() {
            Binding::ResponseCode
        } else {
            Binding::Body
        }
    }
}

/// One rejected-header request case: a header-bound input member and the value of it the
/// client must refuse to send ([`snapshot_values::rejected_header_value`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderRejection {
    /// The member and the fault.
    pub rejected: RejectedHeader,
    /// The header the member binds (`x-amz-acl`), or the prefix of a prefix-header map
    /// (`x-amz-meta-`).
    pub header: String,
    /// The value the case gives the member.
    pub value: Value,
    /// Why the client may send its own value of the member instead of refusing this one
    /// ([`crate::request::rewritten_by_client`]), if it may.
    pub rewritten: Option<crate::ExceptionKind>,
}

/// The rejected-header cases of an input structure under the REST protocols' HTTP bindings,
/// in model order: for each `@httpHeader` member whose value is header text (strings, enums
/// and lists of them; not `@mediaType` strings, which are base64) a line feed in the value,
/// and for each `@httpPrefixHeaders` map a line feed in an entry's value and a space in an
/// entry's key. smithy-rs serializes headers member by member and stops at the first value
/// `http` refuses, so each case sets one member.
pub(crate) fn rejected_headers(model: &Model, input: &Shape) -> Vec<HeaderRejection> {
    let ShapeKind::Structure(members) = &input.kind else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    for member in members {
        let (header, faults): (&str, &[HeaderFault]) = match Binding::of(member) {
            Binding::Header(name) => (name, &[HeaderFault::Value]),
            Binding::PrefixHeaders(prefix) => (prefix, &[HeaderFault::Value, HeaderFault::Name]),
            _ => continue,
        };
        for fault in faults {
            if let Some(value) = rejected_header_value(model, model.target(member), *fault) {
                cases.push(HeaderRejection {
                    rejected: RejectedHeader {
                        member: member.name.clone(),
                        fault: *fault,
                    },
                    header: header.to_owned(),
                    value,
                    rewritten: None,
                });
            }
        }
    }
    cases
}

/// Whether a member goes into the body document (it has no HTTP binding).
pub(crate) fn is_body_member(member: &Member) -> bool {
    Binding::of(member) == Binding::Body
}

impl Bindings<'_, '_> {
    /// Whether a member is bound to this header (case-insensitive).
    pub(crate) fn binds_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(bound, _)| bound.eq_ignore_ascii_case(name))
    }
}

/// What the payload member puts in the body.
pub(crate) fn payload_content<'m, 'v>(
    cx: &OperationContext<'_, 'm>,
    payload: &Payload<'m, 'v>,
    path: &ValuePath,
) -> Result<PayloadContent<'m, 'v>, WireError> {
    let member = payload.member;
    let target = cx.target(member);
    let field_path = path.member(&member.name);
    let Some(value) = payload.value else {
        return Ok(if event_stream::is_stream(target) {
            PayloadContent::EventStream(Vec::new())
        } else {
            PayloadContent::Absent
        });
    };
    let traits = cx.model().effective_traits(member);
    let raw = |data: &[u8], default_type: &str| PayloadContent::Raw {
        data: data.to_vec(),
        content_type: traits.media_type().unwrap_or(default_type).to_owned(),
    };
    Ok(match shaped::read(cx, target, value, &field_path)? {
        Shaped::EventStream(events) => PayloadContent::EventStream(events),
        Shaped::Structure(_) | Shaped::Union(_) | Shaped::Scalar(Scalar::Document(_)) => {
            PayloadContent::Document { member, value }
        }
        Shaped::Scalar(Scalar::Blob(bytes)) => raw(bytes, "application/octet-stream"),
        Shaped::Scalar(Scalar::String(text)) => raw(text.as_bytes(), "text/plain"),
        _ => {
            return Err(cx.unsupported(
                cx.index().protocol(),
                &field_path,
                "an @httpPayload that is not a blob, string, enum, structure, union, document or event stream",
            ))
        }
    })
}

/// Puts a REST response together: `content_type` unless a member binds `Content-Type`, then
/// the protocol's own headers, the bound headers, `Content-Length` if bound, and the request
/// id headers (protocol headers a member binds are left to the member). Responses to HEAD
/// lose their body.
pub(crate) fn assemble(
    cx: &OperationContext<'_, '_>,
    status: u16,
    content_type: Option<&str>,
    protocol_headers: Vec<Header>,
    bindings: &Bindings<'_, '_>,
    body: Body,
    request_id_headers: Vec<Header>,
) -> HttpResponse {
    let head = cx.is_head();
    let body = if head { Body::Empty } else { body };
    let mut headers = Vec::new();
    if let Some(content_type) = content_type {
        if !bindings.binds_header("content-type") && !matches!(body, Body::Empty) {
            headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
    }
    // A member bound to a header the protocol also sends wins: two values would make the
    // client's single-value header reader fail.
    let unbound = |(name, _): &Header| !bindings.binds_header(name);
    headers.extend(protocol_headers.into_iter().filter(unbound));
    headers.extend(bindings.headers.iter().cloned());
    // A HEAD response describes the body a GET would return; any other response's length
    // is its own body's, whatever the member says.
    match &bindings.content_length {
        Some((length, _)) if head => headers.push(("content-length".to_owned(), length.clone())),
        Some((_, path)) if !matches!(body, Body::Streamed { .. }) => {
            let length = body.data().len();
            cx.note(
                path,
                WireNote::Carried(TypedValue::Integer(
                    i64::try_from(length).unwrap_or(i64::MAX),
                )),
            );
            headers.push(("content-length".to_owned(), length.to_string()));
        }
        Some((_, path)) => cx.note(path, WireNote::Omitted),
        None => {}
    }
    headers.extend(request_id_headers.into_iter().filter(unbound));
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn response_code(
    cx: &OperationContext<'_, '_>,
    value: &Value,
    path: &ValuePath,
) -> Result<u16, WireError> {
    let code = match value {
        Value::Integer(code) => i64::from(*code),
        other => {
            return Err(WireError::ValueMismatch {
                operation: cx.name(),
                path: path.to_string(),
                shape: snapshot_model::ShapeId::new("smithy.api", "Integer"),
                expected: "integer",
                found: shaped::value_kind(other),
            })
        }
    };
    match u16::try_from(code) {
        Ok(status @ 200..=299) => Ok(status),
        _ => Err(WireError::InvalidResponseCode {
            operation: cx.name(),
            path: path.to_string(),
            value: code,
        }),
    }
}

fn header_value(
    cx: &OperationContext<'_, '_>,
    field: &Field<'_, '_>,
    header: &str,
    path: &ValuePath,
) -> Result<Option<String>, WireError> {
    let target = cx.target(field.member);
    let traits = cx.model().effective_traits(field.member);
    let invalid = |reason: &str| WireError::InvalidHeader {
        operation: cx.name(),
        path: path.to_string(),
        header: header.to_owned(),
        reason: reason.to_owned(),
    };
    let text = match shaped::read(cx, target, field.value, path)? {
        Shaped::Scalar(scalar) => {
            let media_type = traits.media_type().is_some();
            scalar_text(cx, &traits, scalar, media_type, path)?
                .ok_or_else(|| invalid("a document has no header form"))?
        }
        Shaped::List { member, items } => {
            let item_traits = cx.model().effective_traits(member);
            let mut parts = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let item_path = path.index(index);
                let scalar = match shaped::entry(cx, target, member, item, &item_path)? {
                    Some(Shaped::Scalar(scalar)) => scalar,
                    Some(_) => return Err(invalid("a list of aggregates has no header form")),
                    None => return Err(invalid("a null list entry has no header form")),
                };
                let media_type = item_traits.media_type().is_some();
                let text = scalar_text(cx, &item_traits, scalar, media_type, &item_path)?
                    .ok_or_else(|| invalid("a document has no header form"))?;
                parts.push(match scalar {
                    Scalar::String(_) => quote_list_item(&text),
                    _ => text,
                });
            }
            if parts.is_empty() {
                return Ok(None);
            }
            // Items are joined with ", " as in the Smithy protocol tests, except date-time and
            // epoch-seconds timestamps: the clients' date reader does not skip the space after
            // the delimiter (http-date parsing trims, the other two do not).
            let format = timestamps::format_for(&item_traits, TimestampFormat::HttpDate);
            let is_timestamp = matches!(
                cx.target(member).kind,
                ShapeKind::Simple(SimpleType::Timestamp)
            );
            if is_timestamp && format != aws_smithy_types::date_time::Format::HttpDate {
                parts.join(",")
            } else {
                parts.join(", ")
            }
        }
        _ => return Err(invalid("an aggregate value has no header form")),
    };
    check_header_value(&text).map_err(invalid)?;
    Ok(Some(text))
}

fn prefix_headers(
    cx: &OperationContext<'_, '_>,
    field: &Field<'_, '_>,
    prefix: &str,
    path: &ValuePath,
    headers: &mut Vec<Header>,
) -> Result<(), WireError> {
    let target = cx.target(field.member);
    let invalid = |header: &str, reason: &str| WireError::InvalidHeader {
        operation: cx.name(),
        path: path.to_string(),
        header: header.to_owned(),
        reason: reason.to_owned(),
    };
    let Shaped::Map { value, entries, .. } = shaped::read(cx, target, field.value, path)? else {
        return Err(invalid(prefix, "@httpPrefixHeaders needs a map of strings"));
    };
    let value_traits = cx.model().effective_traits(value);
    for (key, entry) in entries {
        let entry_path = path.key(key);
        let name = format!("{prefix}{key}");
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(invalid(
                &name,
                "the header name must be a non-empty HTTP token (letters, digits, !#$%&'*+-.^_`|~)",
            ));
        }
        let text = match shaped::entry(cx, target, value, entry, &entry_path)? {
            None => continue,
            Some(Shaped::Scalar(scalar)) => {
                scalar_text(cx, &value_traits, scalar, false, &entry_path)?
                    .ok_or_else(|| invalid(&name, "a document has no header form"))?
            }
            Some(_) => return Err(invalid(&name, "an aggregate value has no header form")),
        };
        check_header_value(&text).map_err(|reason| invalid(&name, reason))?;
        headers.push((name, text));
    }
    Ok(())
}

/// The header text of a simple value (`None` for documents): timestamps default to
/// http-date, and `@mediaType` strings are base64.
fn scalar_text(
    cx: &OperationContext<'_, '_>,
    traits: &snapshot_model::Traits,
    scalar: Scalar<'_>,
    media_type: bool,
    path: &ValuePath,
) -> Result<Option<String>, WireError> {
    match scalar {
        Scalar::String(text) if media_type => {
            Ok(Some(aws_smithy_types::base64::encode(text.as_bytes())))
        }
        other => other.text(
            cx,
            timestamps::format_for(traits, TimestampFormat::HttpDate),
            path,
        ),
    }
}

/// Quotes a list item the way smithy-rs writes list headers, so the client's list reader
/// gives the item back unchanged.
fn quote_list_item(text: &str) -> String {
    let needs_quotes = text.trim().len() != text.len() || text.contains(['"', ',', '(', ')']);
    if needs_quotes {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text.to_owned()
    }
}

/// HTTP field values may hold visible characters, spaces and tabs, not control characters.
fn check_header_value(text: &str) -> Result<(), &'static str> {
    if text
        .bytes()
        .any(|byte| (byte < 0x20 && byte != b'\t') || byte == 0x7f)
    {
        Err("header values cannot contain control characters such as line breaks")
    } else {
        Ok(())
    }
}

fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use snapshot_model::test_util::Fixtures;
    use snapshot_records::HeaderFault;

    use super::quote_list_item;

    #[test]
    fn every_header_member_whose_value_is_header_text_gets_a_rejected_case() {
        // `fixtures/values/edge.json` (restJson1): PutObject binds a string, a string list, a
        // `@mediaType` string and a Content-Length long to headers, and a prefix-header map.
        let model = Fixtures::Values.load("edge.json");
        let index = model.service_index(None).unwrap();
        let operation = index.operation("PutObject").unwrap();
        let cases: Vec<(String, HeaderFault, String)> = crate::rejected_headers(&index, operation)
            .into_iter()
            .map(|case| (case.rejected.member, case.rejected.fault, case.header))
            .collect();
        let expected = [
            ("Tag", HeaderFault::Value, "x-tag"),
            ("Tags", HeaderFault::Value, "x-tags"),
            ("Meta", HeaderFault::Value, "x-meta-"),
            ("Meta", HeaderFault::Name, "x-meta-"),
        ];
        let expected: Vec<(String, HeaderFault, String)> = expected
            .into_iter()
            .map(|(member, fault, header)| (member.to_owned(), fault, header.to_owned()))
            .collect();
        // The base64 `Policy` and the numeric `ContentLength` always make valid header text.
        assert_eq!(cases, expected);
    }

    #[test]
    fn protocols_without_http_bindings_have_no_rejected_headers() {
        // awsJson1_0 ignores `@httpHeader`: the member goes into the JSON body.
        let json = r#"{"smithy": "2.0", "shapes": {
            "example#Queue": {"type": "service", "version": "1",
                "traits": {"aws.protocols#awsJson1_0": {}},
                "operations": [{"target": "example#Send"}]},
            "example#Send": {"type": "operation", "input": {"target": "example#SendInput"}},
            "example#SendInput": {"type": "structure", "members": {
                "Tag": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "x-tag"}}}}
        }}"#;
        let model =
            snapshot_model::Model::from_json(json.as_bytes(), std::path::Path::new("queue.json"))
                .unwrap();
        let index = model.service_index(None).unwrap();
        let operation = index.operation("Send").unwrap();
        assert!(crate::rejected_headers(&index, operation).is_empty());
    }

    #[test]
    fn list_items_are_quoted_only_when_the_reader_would_split_or_trim_them() {
        assert_eq!(quote_list_item("plain"), "plain");
        assert_eq!(quote_list_item("a,b"), "\"a,b\"");
        assert_eq!(quote_list_item("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quote_list_item(" padded"), "\" padded\"");
        assert_eq!(quote_list_item("back\\slash,"), "\"back\\\\slash,\"");
    }
}
