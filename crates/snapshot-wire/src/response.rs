//! Response pieces several protocols share: the layout of the responses of the protocols
//! without HTTP bindings, the request id header, the awsQueryCompatible header and the error
//! entries of the protocols that name the error in a JSON or CBOR body. What only one
//! protocol does stays in that protocol's module; the REST layout is
//! [`crate::http_bindings::assemble`].

use snapshot_model::traits::ErrorFault;
use snapshot_model::Member;
use snapshot_records::{Body, Header, HttpResponse};

use crate::context::query_type;
use crate::shaped::Field;
use crate::variants::{ErrorForm, ERROR_TYPE_URI, METADATA_MESSAGE};
use crate::{ModeledError, OperationContext, UNMODELED_ERROR_CODE};

/// The request id header every AWS protocol but S3's sends (the clients read
/// `x-amzn-requestid`, then `x-amz-request-id`).
pub(crate) fn amzn_request_id() -> Header {
    ("x-amzn-requestid".to_owned(), crate::REQUEST_ID.to_owned())
}

/// A response of a protocol without HTTP bindings (awsJson, rpcv2Cbor, awsQuery, ec2Query):
/// `content_type` when there is a body, then the protocol's own headers, then the request id.
pub(crate) fn rpc_response(
    status: u16,
    content_type: Option<&str>,
    protocol_headers: Vec<Header>,
    body: Body,
) -> HttpResponse {
    let mut headers = Vec::new();
    if let Some(content_type) = content_type {
        headers.push(("content-type".to_owned(), content_type.to_owned()));
    }
    headers.extend(protocol_headers);
    headers.push(amzn_request_id());
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// For `@awsQueryCompatible` services, the `x-amzn-query-error: <code>;<Sender|Receiver>`
/// header: the client takes the error code from it instead of the body, so query-era codes
/// keep working. Nothing for other services.
pub(crate) fn query_compatible_headers(
    cx: &OperationContext<'_, '_>,
    code: &str,
    fault: ErrorFault,
) -> Vec<Header> {
    let without = cx.style().error_form == Some(ErrorForm::WithoutQueryErrorHeader);
    if cx.index().is_query_compatible() && !without {
        vec![(
            "x-amzn-query-error".to_owned(),
            format!("{code};{}", query_type(fault)),
        )]
    } else {
        Vec::new()
    }
}

/// Whether `response` has a body of media type `media_type` (the protocol's documents).
pub(crate) fn has_document(response: &HttpResponse, media_type: &str) -> bool {
    let content_type = response
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str());
    matches!(&response.body, Body::Bytes { data } if !data.is_empty())
        && content_type == Some(media_type)
}

/// The `message` entry of a JSON or CBOR error document whose shape models no message
/// ([`ModeledError::wire_message`]).
pub(crate) fn message_entry(error: &ModeledError<'_>) -> Option<(&'static str, &'static str)> {
    error.wire_message().map(|text| ("message", text))
}

/// The keys the JSON and CBOR error metadata parsers of smithy-rs read a message from (the
/// generated `json_errors::parse_error_body`, `cbor_errors::error_code_and_message`): the
/// last one in the document wins.
const METADATA_MESSAGE_KEYS: [&str; 3] = ["errorMessage", "Message", "message"];

/// Where a modeled error's code goes in the protocols that name errors with a type string
/// (awsJson, restJson1, rpcv2Cbor): the entries that lead the body document and the
/// headers, for the style's [`ErrorForm`] or else the protocol's `default` one. The body also
/// carries the fallback message ([`message_entry`]), and for [`ErrorForm::MessageMember`]
/// the metadata's message after every member.
pub(crate) struct TypedError {
    /// Entries leading the body document (`__type` or `code`, `message`).
    pub body: Vec<(&'static str, String)>,
    /// Entries ending the body document.
    pub trailing: Vec<(&'static str, String)>,
    /// `x-amzn-errortype` when the form puts the code there.
    pub headers: Vec<Header>,
}

impl TypedError {
    pub(crate) fn new(
        cx: &OperationContext<'_, '_>,
        error: &ModeledError<'_>,
        default: ErrorForm,
    ) -> Self {
        let name = error.name();
        let with_uri = format!("{name}:{ERROR_TYPE_URI}");
        let form = cx.style().error_form.filter(|form| form.names_error());
        let (mut body, headers) = match form.unwrap_or(default) {
            ErrorForm::TypeWithNamespace | ErrorForm::WithoutQueryErrorHeader => (
                vec![("__type", error.shape().id.as_str().to_owned())],
                Vec::new(),
            ),
            ErrorForm::TypeBare => (vec![("__type", name.to_owned())], Vec::new()),
            ErrorForm::TypeWithUri => (vec![("__type", with_uri)], Vec::new()),
            ErrorForm::CodeMember => (vec![("code", name.to_owned())], Vec::new()),
            ErrorForm::ErrorTypeHeader => (Vec::new(), vec![error_type_header(name)]),
            ErrorForm::ErrorTypeHeaderWithUri => (Vec::new(), vec![error_type_header(&with_uri)]),
            ErrorForm::MessageMember | ErrorForm::UnknownMember => (Vec::new(), Vec::new()),
        };
        body.extend(message_entry(error).map(|(key, text)| (key, text.to_owned())));
        TypedError {
            body,
            trailing: Vec::new(),
            headers,
        }
    }

    /// For [`ErrorForm::MessageMember`], ends the body with [`METADATA_MESSAGE`] under a key
    /// the error metadata reads and the shape's parser does not (`key` is the message
    /// member's key in the protocol), so the member keeps the generated text and the
    /// metadata has another. Nothing when the error models no message or `fields` leave it
    /// unset: the dispatch would then show the metadata's text as the member's.
    pub(crate) fn with_metadata_message(
        mut self,
        cx: &OperationContext<'_, '_>,
        error: &ModeledError<'_>,
        fields: &[Field<'_, '_>],
        key: impl Fn(&Member) -> &str,
    ) -> Self {
        if cx.style().error_form != Some(ErrorForm::MessageMember) {
            return self;
        }
        let Some(member) = error.message_member() else {
            return self;
        };
        if !fields.iter().any(|field| field.member.name == member.name) {
            return self;
        }
        let own = key(member);
        if let Some(alias) = METADATA_MESSAGE_KEYS
            .into_iter()
            .find(|alias| *alias != own)
        {
            self.trailing.push((alias, METADATA_MESSAGE.to_owned()));
        }
        self
    }

    /// The body entries in the shape the format writers take.
    pub(crate) fn body_entries(&self) -> Vec<(&str, &str)> {
        entries(&self.body)
    }

    /// The trailing entries in the shape the format writers take.
    pub(crate) fn trailing_entries(&self) -> Vec<(&str, &str)> {
        entries(&self.trailing)
    }
}

fn entries<'e>(entries: &'e [(&'static str, String)]) -> Vec<(&'static str, &'e str)> {
    entries
        .iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

/// The header JSON clients read the error code from before looking at the body.
pub(crate) fn error_type_header(code: &str) -> Header {
    ("x-amzn-errortype".to_owned(), code.to_owned())
}

/// The `__type` of the unmodeled error in awsJson and rpcv2Cbor: [`UNMODELED_ERROR_CODE`] in
/// the service's namespace, the form modeled errors have.
pub(crate) fn unmodeled_error_type(cx: &OperationContext<'_, '_>) -> String {
    format!("{}#{UNMODELED_ERROR_CODE}", cx.index().id().namespace())
}
