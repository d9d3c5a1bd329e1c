//! The exchange format between `cargo-snapshot` and the harness it generates.
//!
//! The CLI writes [`HttpResponse`]s for the harness to replay; the harness writes one
//! [`CaseRecord`] per case (JSON lines) describing the request the client sent and what the
//! client made of the response. Bodies are bytes on both sides and base64 in JSON.
//! A replayed case also carries what the client must give back ([`Expected`]), and its record
//! the round trip's result ([`RoundTrip`]), in the neutral [`TypedValue`] form.
//! This crate has no dependency on the AWS runtime so that every stage can read it; the
//! harness embeds its source. With the `test-util` feature, `test_util` has short constructors
//! of records for tests.
#![warn(missing_docs)]

#[cfg(feature = "test-util")]
pub mod test_util;

use serde::{Deserialize, Serialize};

mod round_trip;

pub use round_trip::{Expected, Finding, Precision, RoundTrip, Timestamp, TypedValue};

/// One HTTP header, name as sent (the renderer lower-cases and sorts).
pub type Header = (String, String);

/// The body of an HTTP message as it crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// No body at all.
    #[default]
    Empty,
    /// A body sent in one piece.
    Bytes {
        /// The bytes.
        #[serde(with = "base64_bytes")]
        data: Vec<u8>,
    },
    /// A streamed body, frame by frame (data chunks and trailers, in order).
    Streamed {
        /// The frames as the client produced them.
        frames: Vec<Frame>,
    },
}

impl Body {
    /// All data bytes of the body, concatenated (trailers excluded).
    pub fn data(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Bytes { data } => data.clone(),
            Body::Streamed { frames } => frames
                .iter()
                .filter_map(|frame| match frame {
                    Frame::Data { data } => Some(data.as_slice()),
                    Frame::Trailers { .. } => None,
                })
                .flatten()
                .copied()
                .collect(),
        }
    }
}

/// One frame of a streamed body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "frame", rename_all = "snake_case")]
pub enum Frame {
    /// A chunk of data.
    Data {
        /// The chunk.
        #[serde(with = "base64_bytes")]
        data: Vec<u8>,
    },
    /// HTTP trailers.
    Trailers {
        /// The trailer fields.
        headers: Vec<Header>,
    },
}

/// A request as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// Method (`POST`).
    pub method: String,
    /// Absolute URI including the query string.
    pub uri: String,
    /// Headers in the order the client set them.
    pub headers: Vec<Header>,
    /// The body.
    pub body: Body,
}

/// A response for the harness to replay to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers in the order to send them.
    pub headers: Vec<Header>,
    /// The body; a `Streamed` body is replayed frame by frame (event streams, streaming blobs).
    pub body: Body,
}

/// Which generated input a request case sends (SPEC §4a). Input variants are a closed set,
/// unlike response variants ([`VariantName`]); the names are part of the snapshot contract
/// (section titles of request snapshots).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum InputVariant {
    /// Required members only.
    Min,
    /// Every member, with placeholder values.
    #[default]
    Max,
    /// Every member, with values that stress each binding.
    Edge,
}

impl InputVariant {
    /// Every input variant, in the order snapshots show them.
    pub const ALL: [InputVariant; 3] = [InputVariant::Min, InputVariant::Max, InputVariant::Edge];

    /// `min`, `max` or `edge`.
    pub fn name(self) -> &'static str {
        match self {
            InputVariant::Min => "min",
            InputVariant::Max => "max",
            InputVariant::Edge => "edge",
        }
    }
}

impl std::fmt::Display for InputVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The endpoint a harness configures when endpoint resolution fails for the generated input
/// ([`CaseRecord::endpoint_override`]); its path precedes the operation's own in the request.
pub const MOCK_ENDPOINT: &str = "https://localhost/mock-required-endpoint";

/// The path of [`MOCK_ENDPOINT`].
pub const MOCK_ENDPOINT_PATH: &str = "/mock-required-endpoint";

/// What a case exercises.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "case", rename_all = "snake_case")]
pub enum Case {
    /// Send the generated input of `variant` and capture the request.
    Request {
        /// Which input; `max` when absent (records of runs before input variants).
        #[serde(default)]
        variant: InputVariant,
    },
    /// Replay a successful response: a generated output variant, its event stream possibly
    /// ending with an exception event.
    Response {
        /// Which generated response.
        mode: ResponseMode,
    },
    /// Replay a modeled error response.
    Error {
        /// The error shape name.
        shape: String,
    },
    /// Replay a modeled error response in another form than the protocol's own (the
    /// error forms of SPEC §7a, named as `snapshot_wire::ErrorForm` names them).
    ErrorForm {
        /// The error shape name.
        shape: String,
        /// The form's stable name (`message_member`).
        form: String,
    },
    /// Replay an error with a code the model does not declare.
    UnmodeledError,
    /// Replay an error response that names no error at all (JSON and CBOR protocols).
    UncodedError,
    /// Replay a non-protocol front-end failure (HTML body, 500).
    FrontEndError,
    /// Send the max input with one header-bound member set to a value (or, for a prefix-header
    /// map, a key) the client must refuse to put in a header, and record what it raises.
    RejectedHeader {
        /// The member and what is wrong with it.
        rejected: RejectedHeader,
    },
    /// Replay the max response with one header-bound output member's header made unreadable,
    /// and record the error the client reports.
    MalformedHeader {
        /// The member and what is wrong with its header.
        malformed: MalformedHeader,
    },
}

/// A header-bound output member whose header the client cannot read ([`Case::MalformedHeader`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MalformedHeader {
    /// The output member's name as in the model (`ContentLength`).
    pub member: String,
    /// How its header is broken.
    pub fault: ResponseHeaderFault,
}

/// How a [`MalformedHeader`] case breaks a response header. The names are part of the snapshot
/// contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseHeaderFault {
    /// A number, boolean or timestamp header (or a list of them) carries text that does not
    /// parse as one.
    WrongType,
    /// A header that carries one value is sent twice.
    Repeated,
}

impl ResponseHeaderFault {
    /// `wrong_type` or `repeated`.
    pub fn name(self) -> &'static str {
        match self {
            ResponseHeaderFault::WrongType => "wrong_type",
            ResponseHeaderFault::Repeated => "repeated",
        }
    }
}

impl std::fmt::Display for ResponseHeaderFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A header-bound input member given a value the client must reject before sending
/// ([`Case::RejectedHeader`]): `http::HeaderValue` refuses control characters, and
/// `http::HeaderName` refuses spaces, in what a client's header serializer builds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RejectedHeader {
    /// The input member's name as in the model (`ACL`, `Metadata`).
    pub member: String,
    /// Which part of the header is invalid.
    pub fault: HeaderFault,
}

/// What a [`RejectedHeader`] case makes invalid. The names are part of the snapshot contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderFault {
    /// The header value carries a line feed (`@httpHeader` members, and the values of
    /// `@httpPrefixHeaders` maps).
    Value,
    /// The header name, a prefix-header map's key after its prefix, carries a space.
    Name,
}

impl HeaderFault {
    /// `value` or `name`.
    pub fn name(self) -> &'static str {
        match self {
            HeaderFault::Value => "value",
            HeaderFault::Name => "name",
        }
    }
}

impl std::fmt::Display for HeaderFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Case {
    /// The input the case sends: its variant for a request case, [`InputVariant::Max`] for
    /// the others (responses and errors are replayed to the max input's request; a rejected
    /// header changes one member of the max input).
    pub fn input_variant(&self) -> InputVariant {
        match self {
            Case::Request { variant } => *variant,
            _ => InputVariant::Max,
        }
    }

    /// The header-bound member a [`Case::RejectedHeader`] makes invalid.
    pub fn rejected_header(&self) -> Option<&RejectedHeader> {
        match self {
            Case::RejectedHeader { rejected } => Some(rejected),
            _ => None,
        }
    }
}

/// Which generated response a [`Case::Response`] replays.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResponseMode {
    /// The variant the output was generated in.
    pub variant: VariantName,
    /// The modeled exception event that ends the output's event stream, when the case adds
    /// one after the generated events (the event's member name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
}

impl ResponseMode {
    /// The output generated in `variant`, as it is.
    pub fn new(variant: VariantName) -> Self {
        ResponseMode {
            variant,
            exception: None,
        }
    }

    /// The same output with its event stream ending in the exception event `member`.
    pub fn ending_with(self, member: impl Into<String>) -> Self {
        ResponseMode {
            exception: Some(member.into()),
            ..self
        }
    }
}

/// The name of a generated variant of a value: `min` (required members only) and `max` (every
/// member), the modes of SPEC §4, or a named variant (SPEC §4a, §7a).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantName {
    /// Required members only.
    Min,
    /// Every member.
    Max,
    /// Another named variant (`edge`, ...).
    Named(String),
}

impl VariantName {
    /// The name (`min`, `max`, `edge`).
    pub fn as_str(&self) -> &str {
        match self {
            VariantName::Min => "min",
            VariantName::Max => "max",
            VariantName::Named(name) => name,
        }
    }
}

impl std::fmt::Display for VariantName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the harness learned from one case of one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRecord {
    /// The operation name as in the model (`AssumeRole`).
    pub operation: String,
    /// Which case this is.
    pub case: Case,
    /// True when endpoint resolution failed for the generated input and the case was
    /// retried with an explicit endpoint override.
    pub endpoint_override: bool,
    /// The request the client sent, if it got that far.
    pub request: Option<HttpRequest>,
    /// The response that was replayed, if any; in a live run ([`Plan::live`]), the response
    /// the endpoint sent.
    pub response: Option<HttpResponse>,
    /// What the client returned.
    pub outcome: Outcome,
    /// The round trip of a case planned with [`PlannedCase::expected`]: what the client's
    /// typed value lost or changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_trip: Option<RoundTrip>,
    /// Wall time of the case in microseconds (for benchmarks; never rendered).
    pub micros: u64,
}

/// The client's result for a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The operation succeeded; `debug` is the output's `{:#?}`.
    Output {
        /// `{:#?}` of the output.
        debug: String,
        /// `{:#?}` of each event received from an output event stream, in order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        events: Vec<String>,
        /// The error that ended an output event stream, if any (`{:#?}`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stream_error: Option<String>,
    },
    /// The service returned an error the client parsed.
    ServiceError {
        /// `{:#?}` of the operation error variant.
        debug: String,
        /// `ProvideErrorMetadata::code`.
        code: Option<String>,
        /// `ProvideErrorMetadata::message`.
        message: Option<String>,
        /// The request id the client extracted.
        request_id: Option<String>,
        /// `ProvideErrorKind::retryable_error_kind`, `{:?}`.
        retryable: Option<String>,
        /// The innermost source of the error (`Display`) when the client wraps one: for the
        /// unhandled error of a body it cannot read, what its deserializer reported ("dense
        /// list cannot contain null values").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<String>,
    },
    /// The client failed before or outside a service error (construction, dispatch,
    /// response parsing, timeout).
    ClientError {
        /// The `SdkError` variant (`ConstructionFailure`, `ResponseError`, ...).
        kind: String,
        /// The error and its sources, one per line.
        display: String,
    },
    /// The generated code panicked.
    Panicked {
        /// The panic message.
        message: String,
    },
    /// The case did not finish in time.
    TimedOut {
        /// The limit that was exceeded, in milliseconds.
        millis: u64,
    },
}

/// The work the CLI hands to a harness run: which cases to run, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Plan {
    /// Cases in the order to run them.
    pub cases: Vec<PlannedCase>,
    /// Per-case time limit in milliseconds.
    pub timeout_millis: u64,
    /// Send every request to this endpoint and record its real response, instead of
    /// replaying the planned ones (`cargo snapshot write|compare --endpoint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<LiveTarget>,
}

/// A live endpoint for a harness run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTarget {
    /// The endpoint URL every client is configured with (`http://127.0.0.1:5000`).
    pub url: String,
    /// Which credentials sign the requests.
    pub credentials: LiveCredentials,
}

/// The credentials of a live run. Secrets never go into the plan file: with
/// [`LiveCredentials::Environment`] the harness reads them from its own environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveCredentials {
    /// The mock `MOCK_ak`/`MOCK_sak` keys (emulators accept any).
    Mock,
    /// Static keys from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, when set,
    /// `AWS_SESSION_TOKEN`.
    Environment,
}

/// One case of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedCase {
    /// The operation name as in the model.
    pub operation: String,
    /// What the case exercises.
    pub case: Case,
    /// The response to replay (`None`: a bare 200, used when only the request matters).
    pub response: Option<HttpResponse>,
    /// What the client must give back from `response`; the harness reads the client's value
    /// through its typed accessors and records the comparison in [`CaseRecord::round_trip`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
}

pub(crate) mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_json_lines() {
        let record = CaseRecord {
            operation: "PutObject".into(),
            case: Case::Request {
                variant: InputVariant::Edge,
            },
            endpoint_override: false,
            request: Some(HttpRequest {
                method: "PUT".into(),
                uri: "https://bucket.s3.us-east-1.amazonaws.com/key".into(),
                headers: vec![("content-encoding".into(), "aws-chunked".into())],
                body: Body::Streamed {
                    frames: vec![
                        Frame::Data {
                            data: vec![1, 0, 0, 1],
                        },
                        Frame::Trailers {
                            headers: vec![("x-amz-checksum-crc64nvme".into(), "abc=".into())],
                        },
                    ],
                },
            }),
            response: None,
            outcome: Outcome::ClientError {
                kind: "ResponseError".into(),
                display: "x".into(),
            },
            round_trip: None,
            micros: 10,
        };
        let line = serde_json::to_string(&record).unwrap();
        assert!(!line.contains('\n'));
        assert!(line.contains("\"data\":\"AQAAAQ==\""), "{line}");
        let back: CaseRecord = serde_json::from_str(&line).unwrap();
        assert_eq!(back, record);
        assert_eq!(back.request.unwrap().body.data(), vec![1, 0, 0, 1]);
    }

    #[test]
    fn request_cases_name_their_input_variant_and_default_to_max() {
        let edge = Case::Request {
            variant: InputVariant::Edge,
        };
        let line = serde_json::to_string(&edge).unwrap();
        assert_eq!(line, r#"{"case":"request","variant":"edge"}"#);
        assert_eq!(serde_json::from_str::<Case>(&line).unwrap(), edge);
        assert_eq!(
            serde_json::from_str::<Case>(r#"{"case":"request"}"#).unwrap(),
            Case::Request {
                variant: InputVariant::Max
            }
        );
        let names: Vec<&str> = InputVariant::ALL
            .iter()
            .map(|variant| variant.name())
            .collect();
        assert_eq!(names, ["min", "max", "edge"]);
    }

    #[test]
    fn plans_without_a_live_target_read_and_write_as_before() {
        let plan: Plan = serde_json::from_str(r#"{"cases":[],"timeout_millis":5}"#).unwrap();
        assert_eq!(plan.live, None);
        assert_eq!(
            serde_json::to_string(&plan).unwrap(),
            r#"{"cases":[],"timeout_millis":5}"#
        );
        let live = Plan {
            live: Some(LiveTarget {
                url: "http://127.0.0.1:5000".into(),
                credentials: LiveCredentials::Environment,
            }),
            ..plan
        };
        let line = serde_json::to_string(&live).unwrap();
        assert!(
            line.contains(r#""live":{"url":"http://127.0.0.1:5000","credentials":"environment"}"#),
            "{line}"
        );
        assert_eq!(serde_json::from_str::<Plan>(&line).unwrap(), live);
    }
}

#[cfg(test)]
mod endpoint_tests {
    #[test]
    fn the_mock_endpoint_path_is_its_path() {
        assert!(super::MOCK_ENDPOINT.ends_with(super::MOCK_ENDPOINT_PATH));
        assert_eq!(
            super::MOCK_ENDPOINT.trim_end_matches(super::MOCK_ENDPOINT_PATH),
            "https://localhost"
        );
    }
}
