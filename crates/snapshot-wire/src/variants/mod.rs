//! Response variants: besides the canonical `min` and `max` responses, the other responses a
//! conforming server may send (and a few it must not), each with what the client is expected
//! to make of it.
//!
//! A [`ResponseVariant`] is built from the value of one generated mode ([`ResponseVariant::base`])
//! in two steps: the value may be changed (collections emptied, strings emptied, timestamps cut
//! to whole seconds), and the writers may spell it differently (unknown members, nulls,
//! indefinite lengths, long fractions, a broken body). Which variants a protocol offers, and
//! why, is in each protocol module ([`crate::ResponseSerializer::response_variants`]); a variant
//! whose response would be byte-identical to the base response (no union to replace, no
//! timestamp to cut) does not apply to that operation and gives `None`.
//!
//! [`ErrorForm`]s are the other ways a protocol lets a server name an error; the protocol's
//! own form is what [`crate::error_response`] sends.
//!
//! Names ([`ResponseVariant::name`], [`ErrorForm::name`]) are stable: snapshot sections and
//! reports are keyed by them.

mod targets;
mod values;

pub(crate) use targets::CUT_MEMBER;
pub use targets::{targeted_responses, TargetedResponse, VariantTarget, NULL_ENTRY_KEY};

use snapshot_model::{OperationRef, ServiceIndex, ShapeId, ShapeKind};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Mode, Value};

use snapshot_values::ValuePath;

use crate::context::{ResponseStyle, WireNotes};
use crate::{readback, serializer, ModeledError, OperationContext, Replay, WireError};

/// A response other than the canonical `min`/`max` ones, replayed as its own case. Serialized
/// by its [`name`](ResponseVariant::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResponseVariant {
    /// Every structure in the body carries a member the model does not have (JSON key, XML
    /// element and attribute, CBOR key) and the response an unknown header: clients must
    /// ignore them (forward compatibility). Base: `max`.
    UnknownMembers,
    /// JSON and CBOR: every member the `min` value leaves unset is sent as `null`, which the
    /// clients read as absent. Base: `min`.
    NullMembers,
    /// JSON: every union object also names its other members with `null`, which the clients
    /// skip. Base: `max`.
    NullUnionSiblings,
    /// Every union in the body sets a member the model does not have; the clients give their
    /// `Unknown` variant. Base: `max`.
    UnknownUnionMembers,
    /// Every list and map in the body is empty. Base: `max`.
    EmptyCollections,
    /// XML: every string in the body is empty, an empty element. Base: `max`.
    EmptyStrings,
    /// Every timestamp is a whole second, so no format writes a fraction. Base: `max`.
    TimestampsWholeSeconds,
    /// Timestamps written as text carry nine fractional digits (`.999000000`), and
    /// http-dates their milliseconds, which the formatters of canonical responses drop. Base:
    /// `max`.
    TimestampsLongFractions,
    /// CBOR: every map and array has indefinite length (ended by a break). Base: `max`.
    IndefiniteLengths,
    /// JSON: no body at all where the canonical response sends an empty document (`{}`); the
    /// clients read an empty body as one. Base: `min`.
    EmptyBody,
    /// JSON and CBOR: structure members whose target is an aggregate (structure, union, list,
    /// map) sent as `null`, which the clients read as absent (each aggregate shape's null
    /// arm). Targeted: each shape once per service, see [`targeted_responses`]. Base: `max`.
    NullNestedMembers,
    /// JSON and CBOR: every `@sparse` list gets a `null` element and every `@sparse` map a
    /// `null` entry, which the clients keep. Targeted: each shape once per service. Base:
    /// `max`.
    NullSparseEntries,
    /// S3: status 200 with an `<Error>` body, which S3 sends when an operation fails after it
    /// started answering; the S3 client checks the body of every operation whose response it
    /// does not stream. Base: `max` (the value is not sent).
    ErrorWithStatus200,
    /// A body the client must reject: the snapshot shows the error it reports, never a panic.
    /// Base: `max`.
    Malformed(Malformation),
}

/// How a [`ResponseVariant::Malformed`] body is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Malformation {
    /// XML: a root element of another name; JSON and CBOR: the document inside an array.
    WrongRoot,
    /// Scalars of the wrong type: JSON and CBOR strings as numbers and other scalars as
    /// strings; XML numbers, booleans, timestamps and blobs as text none of them accepts.
    WrongType,
    /// The body cut after half its bytes.
    Truncated,
    /// JSON and CBOR: a null element in one list (or entry in one map) that is not
    /// `@sparse`, which the clients must reject ("dense list cannot contain null values").
    /// Targeted: one collection shape per case.
    NullInDense,
    /// One nested aggregate value (structure, union, list, map) sent as a string, which the
    /// shape's parser must reject ("expected start object or null"). Targeted: one shape per
    /// case.
    NestedWrongType,
    /// JSON: the body ends right after a complete value inside one object (a structure,
    /// union or map, the output's own included), where its parser expects a key or the end
    /// of the object. Targeted: one shape per case.
    CutInside,
    /// JSON: a second document after the body, which the clients must reject ("found more
    /// JSON tokens after completing parsing").
    TrailingTokens,
}

impl ResponseVariant {
    /// Every variant, in the order snapshots list them.
    pub const ALL: [ResponseVariant; 20] = [
        ResponseVariant::UnknownMembers,
        ResponseVariant::NullMembers,
        ResponseVariant::NullUnionSiblings,
        ResponseVariant::UnknownUnionMembers,
        ResponseVariant::EmptyCollections,
        ResponseVariant::EmptyStrings,
        ResponseVariant::TimestampsWholeSeconds,
        ResponseVariant::TimestampsLongFractions,
        ResponseVariant::IndefiniteLengths,
        ResponseVariant::EmptyBody,
        ResponseVariant::NullNestedMembers,
        ResponseVariant::NullSparseEntries,
        ResponseVariant::ErrorWithStatus200,
        ResponseVariant::Malformed(Malformation::WrongRoot),
        ResponseVariant::Malformed(Malformation::WrongType),
        ResponseVariant::Malformed(Malformation::Truncated),
        ResponseVariant::Malformed(Malformation::TrailingTokens),
        ResponseVariant::Malformed(Malformation::NullInDense),
        ResponseVariant::Malformed(Malformation::NestedWrongType),
        ResponseVariant::Malformed(Malformation::CutInside),
    ];

    /// The stable name used for snapshot sections and reports (`unknown_members`).
    pub fn name(self) -> &'static str {
        match self {
            ResponseVariant::UnknownMembers => "unknown_members",
            ResponseVariant::NullMembers => "null_members",
            ResponseVariant::NullUnionSiblings => "null_union_siblings",
            ResponseVariant::UnknownUnionMembers => "unknown_union_members",
            ResponseVariant::EmptyCollections => "empty_collections",
            ResponseVariant::EmptyStrings => "empty_strings",
            ResponseVariant::TimestampsWholeSeconds => "timestamps_whole_seconds",
            ResponseVariant::TimestampsLongFractions => "timestamps_long_fractions",
            ResponseVariant::IndefiniteLengths => "indefinite_lengths",
            ResponseVariant::EmptyBody => "empty_body",
            ResponseVariant::NullNestedMembers => "null_nested_members",
            ResponseVariant::NullSparseEntries => "null_sparse_entries",
            ResponseVariant::ErrorWithStatus200 => "error_with_status_200",
            ResponseVariant::Malformed(Malformation::WrongRoot) => "malformed_wrong_root",
            ResponseVariant::Malformed(Malformation::WrongType) => "malformed_wrong_type",
            ResponseVariant::Malformed(Malformation::Truncated) => "malformed_truncated",
            ResponseVariant::Malformed(Malformation::TrailingTokens) => "malformed_trailing_tokens",
            ResponseVariant::Malformed(Malformation::NullInDense) => "malformed_null_in_dense",
            ResponseVariant::Malformed(Malformation::NestedWrongType) => {
                "malformed_nested_wrong_type"
            }
            ResponseVariant::Malformed(Malformation::CutInside) => "malformed_cut_inside",
        }
    }

    /// The variant with this [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|variant| variant.name() == name)
    }

    /// The generated mode whose output value the variant starts from.
    pub fn base(self) -> Mode {
        match self {
            ResponseVariant::NullMembers | ResponseVariant::EmptyBody => Mode::Min,
            _ => Mode::Max,
        }
    }

    /// Whether the variant breaks chosen values of nested shapes, each shape once per
    /// service ([`targeted_responses`]), rather than the whole response
    /// ([`variant_response`]).
    pub fn is_targeted(self) -> bool {
        matches!(
            self,
            ResponseVariant::NullNestedMembers
                | ResponseVariant::NullSparseEntries
                | ResponseVariant::Malformed(
                    Malformation::NullInDense
                        | Malformation::NestedWrongType
                        | Malformation::CutInside
                )
        )
    }

    fn style(self) -> ResponseStyle {
        let mut style = ResponseStyle::default();
        match self {
            ResponseVariant::UnknownMembers => style.unknown_members = true,
            ResponseVariant::NullMembers | ResponseVariant::NullNestedMembers => {
                style.null_members = true
            }
            ResponseVariant::NullUnionSiblings => style.null_union_siblings = true,
            ResponseVariant::UnknownUnionMembers => style.unknown_union_members = true,
            ResponseVariant::TimestampsLongFractions => style.long_fractions = true,
            ResponseVariant::IndefiniteLengths => style.indefinite_lengths = true,
            ResponseVariant::EmptyBody => style.omit_empty_body = true,
            ResponseVariant::ErrorWithStatus200 => style.error_with_status_200 = true,
            ResponseVariant::Malformed(malformation) => style.malformation = Some(malformation),
            ResponseVariant::EmptyCollections
            | ResponseVariant::NullSparseEntries
            | ResponseVariant::EmptyStrings
            | ResponseVariant::TimestampsWholeSeconds => {}
        }
        style
    }
}

impl serde::Serialize for ResponseVariant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for ResponseVariant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        ResponseVariant::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!("`{name}` is no response variant name"))
        })
    }
}

/// Another way a server may send a modeled error, replayed once per error shape. Two kinds:
///
/// * Where the response names its error, in the protocols that name errors with a type string
///   (awsJson1_0/1_1, restJson1, rpcv2Cbor; the clients strip a `namespace#` prefix and a
///   `:`-suffix from it, and for awsQuery-compatible services prefer `x-amzn-query-error`).
///   The XML protocols have one envelope each, the one their clients require, so they offer
///   none of these.
/// * What the error body carries besides the code, in every protocol:
///   [`ErrorForm::MessageMember`] and [`ErrorForm::UnknownMember`], which make the message
///   fallback of the generated error dispatch observable (the dispatch fills a message the
///   shape's parser did not read from the error metadata's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorForm {
    /// `"__type": "<namespace>#<Name>"` in the body (the awsJson and rpcv2Cbor default).
    TypeWithNamespace,
    /// `"__type": "<Name>"` in the body.
    TypeBare,
    /// `"__type": "<Name>:<URI>"` in the body, the form older services send.
    TypeWithUri,
    /// `"code": "<Name>"` in the body, which JSON clients read before `__type`.
    CodeMember,
    /// `x-amzn-errortype: <Name>` (the restJson1 default), which JSON clients read before
    /// the body.
    ErrorTypeHeader,
    /// `x-amzn-errortype: <Name>:<URI>`.
    ErrorTypeHeaderWithUri,
    /// An `@awsQueryCompatible` service's error without `x-amzn-query-error`: the client
    /// falls back to `__type`, so errors whose `@awsQueryError` code differs from the shape
    /// name are no longer matched.
    WithoutQueryErrorHeader,
    /// The shape's message member under its own wire name (the XML element or JSON/CBOR key
    /// its shape parser reads) carries the generated text, and the field the error metadata
    /// reads the message from (`<Message>`; the last of `message`, `Message`, `errorMessage`)
    /// carries [`METADATA_MESSAGE`]. The modeled member's value wins: the smithy-rs dispatch
    /// fills the member from the metadata only when the shape's parser left it unset. Only
    /// for errors modeling a message member whose wire name the metadata does not read first.
    MessageMember,
    /// The error body carries, after the message and every member, an element or key the
    /// model does not name ([`UNKNOWN_MEMBER`]), which the client must skip (forward
    /// compatibility).
    UnknownMember,
}

impl ErrorForm {
    /// Every form, in the order snapshots list them.
    pub const ALL: [ErrorForm; 9] = [
        ErrorForm::TypeWithNamespace,
        ErrorForm::TypeBare,
        ErrorForm::TypeWithUri,
        ErrorForm::CodeMember,
        ErrorForm::ErrorTypeHeader,
        ErrorForm::ErrorTypeHeaderWithUri,
        ErrorForm::WithoutQueryErrorHeader,
        ErrorForm::MessageMember,
        ErrorForm::UnknownMember,
    ];

    /// The form with this [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|form| form.name() == name)
    }

    /// The stable name used for snapshot sections and reports (`type_bare`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorForm::TypeWithNamespace => "type_with_namespace",
            ErrorForm::TypeBare => "type_bare",
            ErrorForm::TypeWithUri => "type_with_uri",
            ErrorForm::CodeMember => "code_member",
            ErrorForm::ErrorTypeHeader => "error_type_header",
            ErrorForm::ErrorTypeHeaderWithUri => "error_type_header_with_uri",
            ErrorForm::WithoutQueryErrorHeader => "without_query_error_header",
            ErrorForm::MessageMember => "message_member",
            ErrorForm::UnknownMember => "unknown_member",
        }
    }

    /// Whether the form is about where the code goes (the type-string forms), rather than
    /// what the body carries besides it.
    pub fn names_error(self) -> bool {
        !matches!(self, ErrorForm::MessageMember | ErrorForm::UnknownMember)
    }

    /// The forms every protocol offers: what an error body carries besides its code.
    pub const BODY: [ErrorForm; 2] = [ErrorForm::MessageMember, ErrorForm::UnknownMember];
}

impl serde::Serialize for ErrorForm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorForm {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        ErrorForm::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is no error form name")))
    }
}

/// The `:`-suffix of [`ErrorForm::TypeWithUri`] and [`ErrorForm::ErrorTypeHeaderWithUri`], in
/// the shape services send it.
pub const ERROR_TYPE_URI: &str = "http://internal.amazon.com/coral/com.amazon.coral.validate/";

/// The message [`ErrorForm::MessageMember`] puts where the error metadata reads it, differing
/// from every generated string.
pub const METADATA_MESSAGE: &str = "snapshot error metadata message";

/// The name of the member, element, attribute and union member the model never has.
pub const UNKNOWN_MEMBER: &str = "SnapshotUnknownMember";

/// The value of unknown members and headers: a string, which every format can skip.
pub const UNKNOWN_VALUE: &str = "unknown";

/// The header no model binds, sent by [`ResponseVariant::UnknownMembers`].
pub const UNKNOWN_HEADER: &str = "x-snapshot-unknown-header";

/// The root element of [`Malformation::WrongRoot`] XML bodies.
pub const WRONG_ROOT: &str = "SnapshotWrongRoot";

/// The text XML scalars carry in [`Malformation::WrongType`] bodies: not a number, boolean,
/// timestamp or base64.
pub const WRONG_TYPE_TEXT: &str = "snapshot-wrong-type!";

/// The error code of [`ResponseVariant::ErrorWithStatus200`] (what S3 sends when a copy fails
/// after the 200 went out).
pub const STATUS_200_ERROR_CODE: &str = "InternalError";

/// What the client should make of a variant response.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The client returns this output: every member set in it must come back equal.
    Output(Value),
    /// As [`Expectation::Output`], except that every union in the value comes back as the
    /// client's `Unknown` variant, which a value cannot express.
    OutputWithUnknownUnions(Value),
    /// The client rejects the response: an error of its own (a response error), or the
    /// unhandled service error without a code that smithy-rs makes of a body its
    /// deserializer cannot read; never an output, never a panic.
    Rejected,
    /// The client returns the modeled error carrying this value.
    ModeledError(Value),
    /// The client returns an error it cannot match to a modeled one, with this code.
    UnmodeledError {
        /// The code the client reports.
        code: String,
    },
}

/// A variant's response and what the client should make of it.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantResponse {
    /// The response to replay.
    pub response: HttpResponse,
    /// The expected result.
    pub expectation: Expectation,
}

/// The response variants the service's protocol offers (for this service: some depend on its
/// customizations), in [`ResponseVariant::ALL`] order.
pub fn response_variants(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
) -> Vec<ResponseVariant> {
    let cx = OperationContext::new(index, operation);
    serializer(index.protocol()).response_variants(&cx)
}

/// The error forms the service's protocol offers besides its own.
pub fn error_forms(index: &ServiceIndex<'_>, operation: OperationRef<'_>) -> Vec<ErrorForm> {
    let cx = OperationContext::new(index, operation);
    serializer(index.protocol()).error_forms(&cx)
}

/// The response of `variant` for `operation`, built from `base` (the operation's output
/// generated in [`ResponseVariant::base`] mode), and its expectation; `None` when the
/// variant does not apply to this operation (its response would equal the base response, its
/// body is no document to break or one the client does not read, or the protocol does not
/// offer it).
pub fn variant_response(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    variant: ResponseVariant,
    base: &Value,
) -> Result<Option<VariantResponse>, WireError> {
    let plain = OperationContext::new(index, operation);
    let protocol = serializer(index.protocol());
    if variant.is_targeted() || !protocol.response_variants(&plain).contains(&variant) {
        return Ok(None);
    }
    let canonical = protocol.output(&plain, base)?;
    let cx = plain.with_style(variant.style());
    let (sent, expected) = match variant {
        ResponseVariant::EmptyCollections => {
            let (sent, expected) = values::empty_collections(&cx, protocol, base);
            (sent, Expectation::Output(expected))
        }
        ResponseVariant::EmptyStrings => {
            let sent = values::empty_strings(&cx, protocol, base);
            (sent.clone(), Expectation::Output(sent))
        }
        ResponseVariant::TimestampsWholeSeconds => {
            let sent = values::whole_seconds(base);
            (sent.clone(), Expectation::Output(sent))
        }
        ResponseVariant::UnknownUnionMembers => (
            base.clone(),
            Expectation::OutputWithUnknownUnions(base.clone()),
        ),
        ResponseVariant::ErrorWithStatus200 => (
            base.clone(),
            Expectation::UnmodeledError {
                code: STATUS_200_ERROR_CODE.to_owned(),
            },
        ),
        ResponseVariant::Malformed(_) => (base.clone(), Expectation::Rejected),
        _ => (base.clone(), Expectation::Output(base.clone())),
    };
    let mut response = protocol.output(&cx, &sent)?;
    if let ResponseVariant::Malformed(malformation) = variant {
        if !reads_body(&cx, protocol) || !protocol.is_document(&canonical) {
            return Ok(None);
        }
        if malformation == Malformation::Truncated {
            truncate(&mut response);
        }
    }
    if variant == ResponseVariant::UnknownMembers && !captures_header(&cx, UNKNOWN_HEADER) {
        response
            .headers
            .push((UNKNOWN_HEADER.to_owned(), UNKNOWN_VALUE.to_owned()));
    }
    if response == canonical {
        return Ok(None);
    }
    Ok(Some(VariantResponse {
        response,
        expectation: expected,
    }))
}

/// The error response of `operation` for its modeled error `error_shape` with value `error`,
/// in `form` (one of [`error_forms`]); `None` when the protocol does not offer the form or it
/// gives the same response as the protocol's own (e.g. [`ErrorForm::MessageMember`] for an
/// error without a message member).
pub fn error_form_response(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    error_shape: &ShapeId,
    error: &Value,
    form: ErrorForm,
) -> Result<Option<VariantResponse>, WireError> {
    Ok(
        error_form_replay(index, operation, error_shape, error, form)?.map(
            |(replay, expectation)| VariantResponse {
                response: replay.response,
                expectation,
            },
        ),
    )
}

/// As [`error_form_response`], with what the client must give back for the harness's round
/// trip (the error's members as [`crate::error_replay`] reads them back).
pub fn error_form_replay(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    error_shape: &ShapeId,
    error: &Value,
    form: ErrorForm,
) -> Result<Option<(Replay, Expectation)>, WireError> {
    let plain = OperationContext::new(index, operation);
    let protocol = serializer(index.protocol());
    if !protocol.error_forms(&plain).contains(&form) {
        return Ok(None);
    }
    let modeled = ModeledError::resolve(&plain, error_shape)?;
    if !protocol.error_form_applies(&plain, &modeled, form) {
        return Ok(None);
    }
    let canonical = protocol.error(&plain, &modeled, error)?;
    let notes = WireNotes::default();
    let cx = plain.noting(&notes).with_style(ResponseStyle {
        error_form: Some(form),
        unknown_members: form == ErrorForm::UnknownMember,
        ..ResponseStyle::default()
    });
    let response = protocol.error(&cx, &modeled, error)?;
    if response == canonical {
        return Ok(None);
    }
    let code = modeled.query_code();
    let expectation = if form == ErrorForm::WithoutQueryErrorHeader && code != modeled.name() {
        Expectation::UnmodeledError {
            code: modeled.name().to_owned(),
        }
    } else {
        Expectation::ModeledError(error.clone())
    };
    let root = ValuePath::root(error_shape.name());
    let variant = Some(index.name(error_shape).to_owned());
    let expected = readback::expected(index.model(), error, &root, &notes, variant);
    Ok(Some((Replay { response, expected }, expectation)))
}

/// Whether the client reads the output's body at all: an output without body members is not
/// parsed, so nothing in its body can be broken or nulled.
fn reads_body(cx: &OperationContext<'_, '_>, protocol: &dyn crate::ResponseSerializer) -> bool {
    cx.output_shape().is_ok_and(|output| {
        output
            .kind
            .members()
            .iter()
            .any(|member| protocol.binds_to_body(member))
    })
}

/// Keeps the first half of a one-piece body (a streamed body is left alone: only documents
/// are broken).
fn truncate(response: &mut HttpResponse) {
    if let Body::Bytes { data } = &mut response.body {
        data.truncate(data.len() / 2);
        for (name, value) in &mut response.headers {
            if name.eq_ignore_ascii_case("content-length") {
                *value = data.len().to_string();
            }
        }
    }
}

/// Whether a member of the operation's output collects `header` (an `@httpPrefixHeaders`
/// map whose prefix starts the name), so it would not be unknown.
fn captures_header(cx: &OperationContext<'_, '_>, header: &str) -> bool {
    let Ok(output) = cx.output_shape() else {
        return false;
    };
    let ShapeKind::Structure(members) = &output.kind else {
        return false;
    };
    members.iter().any(|member| {
        member.traits.http_prefix_headers().is_some_and(|prefix| {
            header
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        })
    })
}
