//! The test cases of the `smithy.test` traits, typed, and which of them a client runs.
//!
//! Shapes follow the Smithy specification's "HTTP protocol compliance tests": request tests
//! (`smithy.test#httpRequestTests`) sit on operations; response tests
//! (`smithy.test#httpResponseTests`) on operations (outputs) and on error structures.
//! `httpMalformedRequestTests` are server-only and not read.

use std::collections::BTreeMap;

use serde::Deserialize;
use snapshot_model::{ServiceIndex, ShapeId, ShapeKind};

use base64::Engine;
use snapshot_records::{Body, HttpResponse};

use crate::body::BodyKind;
use crate::errors::ProtocolTestError;

/// Trait id of request tests.
pub const HTTP_REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// Trait id of response tests.
pub const HTTP_RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// Who a test case is for (`appliesTo`); absent means both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AppliesTo {
    /// Only clients run it.
    Client,
    /// Only servers run it.
    Server,
}

/// One `httpRequestTests` entry: the request a client must send for `params`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequestTest {
    /// The test id, unique in the model (`RestJsonListsSerializeNull`).
    pub id: String,
    /// The protocol trait it tests (`aws.protocols#restJson1`).
    #[serde(deserialize_with = "shape_id")]
    pub protocol: ShapeId,
    /// Expected method.
    pub method: String,
    /// Expected path, without the query string.
    pub uri: String,
    /// The endpoint host given to the client, when the test sets one.
    #[serde(default)]
    pub host: Option<String>,
    /// The host the request must go to after endpoint resolution.
    #[serde(default)]
    pub resolved_host: Option<String>,
    /// The auth scheme the client uses (`aws.auth#sigv4`).
    #[serde(default)]
    pub auth_scheme: Option<String>,
    /// Query parameters that must appear, each `name` or `name=value`, encoded as sent.
    #[serde(default)]
    pub query_params: Vec<String>,
    /// Query parameter names that must not appear.
    #[serde(default)]
    pub forbid_query_params: Vec<String>,
    /// Query parameter names that must appear with any value.
    #[serde(default)]
    pub require_query_params: Vec<String>,
    /// Headers that must appear with these values.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Header names that must not appear.
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    /// Header names that must appear with any value.
    #[serde(default)]
    pub require_headers: Vec<String>,
    /// Expected body; compared by [`HttpRequestTest::body_media_type`]. Absent: not checked.
    #[serde(default)]
    pub body: Option<String>,
    /// How to compare the body (`application/json`, `application/xml`,
    /// `application/x-www-form-urlencoded`, `application/cbor` with a base64 body); other
    /// types compare bytes.
    #[serde(default)]
    pub body_media_type: Option<String>,
    /// The operation input, as a node value of the input shape.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Client settings the test needs (for AWS protocols: region, S3 addressing, ...).
    #[serde(default)]
    pub vendor_params: serde_json::Map<String, serde_json::Value>,
    /// The shape `vendor_params` follows (`aws.protocoltests.config#AwsConfig`).
    #[serde(default)]
    pub vendor_params_shape: Option<String>,
    /// Who runs it.
    #[serde(default)]
    pub applies_to: Option<AppliesTo>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One `httpResponseTests` entry: the response a client must parse into `params`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpResponseTest {
    /// The test id.
    pub id: String,
    /// The protocol trait it tests.
    #[serde(deserialize_with = "shape_id")]
    pub protocol: ShapeId,
    /// The status code of the response.
    pub code: u16,
    /// Response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Header names the response must have.
    #[serde(default)]
    pub require_headers: Vec<String>,
    /// Header names the response must not have.
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    /// Response body (base64 for `application/cbor`).
    #[serde(default)]
    pub body: Option<String>,
    /// The body's media type.
    #[serde(default)]
    pub body_media_type: Option<String>,
    /// The output (or error) the client must parse, as a node value of its shape.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Client settings the test needs.
    #[serde(default)]
    pub vendor_params: serde_json::Map<String, serde_json::Value>,
    /// The shape `vendor_params` follows.
    #[serde(default)]
    pub vendor_params_shape: Option<String>,
    /// Who runs it.
    #[serde(default)]
    pub applies_to: Option<AppliesTo>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl HttpResponseTest {
    /// The response the test describes, for the harness to replay: status, headers, and the
    /// body as bytes (base64-decoded for `application/cbor`, the text's UTF-8 otherwise).
    pub fn response(&self) -> Result<HttpResponse, ProtocolTestError> {
        let body = match self.body.as_deref() {
            None | Some("") => Body::Empty,
            Some(text) if BodyKind::of(self.body_media_type.as_deref()) == BodyKind::Cbor => {
                let data = base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|error| ProtocolTestError::Body {
                        test: self.id.clone(),
                        problem: format!("the CBOR body is not base64: {error}"),
                    })?;
                Body::Bytes { data }
            }
            Some(text) => Body::Bytes {
                data: text.as_bytes().to_vec(),
            },
        };
        Ok(HttpResponse {
            status: self.code,
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            body,
        })
    }
}

/// Why a client does not run a test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// `appliesTo: server`.
    ServerOnly,
    /// The test is for another protocol than the one smithy-rs generates for the service.
    OtherProtocol {
        /// The test's protocol.
        test: ShapeId,
        /// The client's.
        client: &'static str,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::ServerOnly => f.write_str("appliesTo: server"),
            SkipReason::OtherProtocol { test, client } => {
                write!(f, "protocol {test}; the client uses {client}")
            }
        }
    }
}

/// Where a response test sits: the operation's output, or an error structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseTarget {
    /// The output of this operation.
    Output {
        /// The operation.
        operation: ShapeId,
    },
    /// This error structure (reached through any operation declaring it).
    Error {
        /// The error shape.
        error: ShapeId,
    },
}

/// A test case and whether the client runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Selected<T> {
    /// The case.
    pub test: T,
    /// `None` when the client runs it, else why not.
    pub skip: Option<SkipReason>,
}

/// A service's client-side protocol tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceTests {
    /// Request tests with their operation, in model order.
    pub requests: Vec<(ShapeId, Selected<HttpRequestTest>)>,
    /// Response tests with their target, in model order (operations, then errors).
    pub responses: Vec<(ResponseTarget, Selected<HttpResponseTest>)>,
}

impl ServiceTests {
    /// Reads the tests of every operation and error shape of the service, and selects those
    /// a client of the service's protocol runs.
    pub fn of(index: &ServiceIndex<'_>) -> Result<Self, ProtocolTestError> {
        let client = index.protocol().trait_id();
        let select = |protocol: &ShapeId, applies_to: Option<AppliesTo>| {
            if applies_to == Some(AppliesTo::Server) {
                Some(SkipReason::ServerOnly)
            } else if protocol.to_string() != client {
                Some(SkipReason::OtherProtocol {
                    test: protocol.clone(),
                    client,
                })
            } else {
                None
            }
        };
        let mut tests = ServiceTests::default();
        for operation in index.operations() {
            let shape = operation.shape;
            for test in read::<HttpRequestTest>(shape, HTTP_REQUEST_TESTS)? {
                let skip = select(&test.protocol, test.applies_to);
                tests
                    .requests
                    .push((shape.id.clone(), Selected { test, skip }));
            }
            for test in read::<HttpResponseTest>(shape, HTTP_RESPONSE_TESTS)? {
                let skip = select(&test.protocol, test.applies_to);
                let target = ResponseTarget::Output {
                    operation: shape.id.clone(),
                };
                tests.responses.push((target, Selected { test, skip }));
            }
        }
        for error in index.error_shapes() {
            let Some(shape) = index.model().shape(&error) else {
                continue;
            };
            if !matches!(shape.kind, ShapeKind::Structure(_)) {
                continue;
            }
            for test in read::<HttpResponseTest>(shape, HTTP_RESPONSE_TESTS)? {
                let skip = select(&test.protocol, test.applies_to);
                let target = ResponseTarget::Error {
                    error: shape.id.clone(),
                };
                tests.responses.push((target, Selected { test, skip }));
            }
        }
        Ok(tests)
    }
}

fn read<T: for<'de> Deserialize<'de>>(
    shape: &snapshot_model::Shape,
    trait_id: &str,
) -> Result<Vec<T>, ProtocolTestError> {
    let Some(value) = shape.traits.get(trait_id) else {
        return Ok(Vec::new());
    };
    serde_json::from_value(value.clone()).map_err(|source| ProtocolTestError::InvalidTrait {
        shape: shape.id.clone(),
        trait_id: trait_id.to_owned(),
        source,
    })
}

fn shape_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<ShapeId, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(serde::de::Error::custom)
}
