//! Responses whose header-bound output members the client cannot read (the malformed-header
//! response cases, SPEC §7a: "responses the client must reject").
//!
//! smithy-rs reads each header-bound member with `aws_smithy_http::header`: strings with
//! `one_or_none` (a second value is an error), numbers and booleans with
//! `read_many_primitive`, timestamps with `many_dates` (text that does not parse is an error,
//! and so is more than one value for a member that holds one). A failure stops the output's
//! parsing at that member with "Failed to parse <Member> from header", so each case breaks one
//! member's header.

use snapshot_model::{Model, Shape, ShapeKind, SimpleType};
use snapshot_records::{Header, HttpResponse, MalformedHeader, ResponseHeaderFault};

use crate::http_bindings::Binding;

/// Text no number, boolean or timestamp reader accepts.
pub const WRONG_TYPE_HEADER_VALUE: &str = "not-a-value";

/// One malformed-header response case: the member, the fault and the response to replay.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMalformation {
    /// The member and the fault.
    pub malformed: MalformedHeader,
    /// The header the member binds, as the response names it.
    pub header: String,
    /// The base response with that header broken.
    pub response: HttpResponse,
}

/// The malformed-header cases of `output` (an operation's output structure) from `base`, the
/// response of its max output, in model order: for each `@httpHeader` member `base` carries,
/// its value replaced by [`WRONG_TYPE_HEADER_VALUE`] when the member is a number, boolean or
/// timestamp (or a list of them), and its header sent twice when it holds one value. Headers
/// the HTTP layer reads itself (`Content-Length`, `Content-Type`) are left alone, and so is
/// the wrong type of a header the client reads leniently ([`reads_leniently`]; `sdk_id` is the
/// service's `aws.api#service` sdkId).
pub(crate) fn malformed_headers(
    model: &Model,
    output: &Shape,
    base: &HttpResponse,
    sdk_id: Option<&str>,
) -> Vec<HeaderMalformation> {
    let ShapeKind::Structure(members) = &output.kind else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    for member in members {
        let Binding::Header(name) = Binding::of(member) else {
            continue;
        };
        if ["content-length", "content-type"]
            .iter()
            .any(|framing| name.eq_ignore_ascii_case(framing))
        {
            continue;
        }
        let Some(position) = base
            .headers
            .iter()
            .position(|(header, _)| header.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        let target = model.target(member);
        let (typed, list) = match &target.kind {
            ShapeKind::List(element) | ShapeKind::Set(element) => {
                (is_typed(model.target(element)), true)
            }
            _ => (is_typed(target), false),
        };
        let case = |fault, headers: Vec<Header>| HeaderMalformation {
            malformed: MalformedHeader {
                member: member.name.clone(),
                fault,
            },
            header: name.to_owned(),
            response: HttpResponse {
                headers,
                ..base.clone()
            },
        };
        if typed && !reads_leniently(sdk_id, name) {
            let mut headers = base.headers.clone();
            headers[position].1 = WRONG_TYPE_HEADER_VALUE.to_owned();
            cases.push(case(ResponseHeaderFault::WrongType, headers));
        }
        if !list {
            let mut headers = base.headers.clone();
            headers.insert(position + 1, headers[position].clone());
            cases.push(case(ResponseHeaderFault::Repeated, headers));
        }
    }
    cases
}

/// Whether the client reads header `name` without failing on text that does not parse: S3's
/// `Expires`, which aws-sdk-s3's `S3ExpiresInterceptor` (`src/s3_expires_interceptor.rs`)
/// copies to `ExpiresString` and removes when it is not an http-date, so `Expires` is `None`.
fn reads_leniently(sdk_id: Option<&str>, name: &str) -> bool {
    sdk_id == Some("S3") && name.eq_ignore_ascii_case("expires")
}

/// Whether a header of this shape is parsed from text into a typed value (so text of another
/// type fails), rather than taken as a string.
fn is_typed(shape: &Shape) -> bool {
    match &shape.kind {
        ShapeKind::Simple(simple) => !matches!(
            simple,
            SimpleType::String | SimpleType::Blob | SimpleType::Document
        ),
        ShapeKind::IntEnum(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use snapshot_records::Body;

    use super::*;

    fn header(name: &str, value: &str) -> Header {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn each_header_member_gets_a_wrong_type_case_when_typed_and_a_repeat_when_single() {
        let json = r#"{"smithy": "2.0", "shapes": {
            "example#Dates": {"type": "list", "member": {"target": "smithy.api#Timestamp"}},
            "example#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
            "example#Output": {"type": "structure", "members": {
                "Count": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpHeader": "x-count"}},
                "Tag": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "x-tag"}},
                "Dates": {"target": "example#Dates", "traits": {"smithy.api#httpHeader": "x-dates"}},
                "Names": {"target": "example#Names", "traits": {"smithy.api#httpHeader": "x-names"}},
                "Size": {"target": "smithy.api#Long", "traits": {"smithy.api#httpHeader": "Content-Length"}},
                "Unset": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpHeader": "x-unset"}}
            }}
        }}"#;
        let model = Model::from_json(json.as_bytes(), Path::new("headers.json")).unwrap();
        let output = model.shape(&"example#Output".parse().unwrap()).unwrap();
        let base = HttpResponse {
            status: 200,
            headers: vec![
                header("x-count", "0"),
                header("x-tag", "a"),
                header("x-dates", "Sat, 01 Jan 2000 04:59:59 GMT"),
                header("x-names", "a, b"),
                header("Content-Length", "0"),
            ],
            body: Body::Empty,
        };
        let cases = malformed_headers(&model, output, &base, None);
        let kinds: Vec<(&str, ResponseHeaderFault)> = cases
            .iter()
            .map(|case| (case.malformed.member.as_str(), case.malformed.fault))
            .collect();
        // Lists are joined, so a second header is more elements, not an error; string lists
        // accept any text; Content-Length belongs to the HTTP layer; unset members send none.
        assert_eq!(
            kinds,
            [
                ("Count", ResponseHeaderFault::WrongType),
                ("Count", ResponseHeaderFault::Repeated),
                ("Tag", ResponseHeaderFault::Repeated),
                ("Dates", ResponseHeaderFault::WrongType),
            ]
        );
        assert_eq!(
            cases[0].response.headers[0],
            header("x-count", WRONG_TYPE_HEADER_VALUE)
        );
        assert_eq!(
            &cases[1].response.headers[..2],
            [header("x-count", "0"), header("x-count", "0")]
        );
        assert_eq!(cases[1].response.headers.len(), base.headers.len() + 1);
    }

    #[test]
    fn s3_expires_is_read_leniently_so_only_its_repeat_is_a_case() {
        assert!(reads_leniently(Some("S3"), "Expires"));
        assert!(!reads_leniently(Some("S3"), "Last-Modified"));
        assert!(!reads_leniently(Some("Other"), "Expires"));
    }
}
