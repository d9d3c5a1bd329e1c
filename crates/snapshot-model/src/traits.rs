//! Traits attached to shapes and members, with typed accessors for the ones the snapshot
//! pipeline reads. Every trait is kept in raw form too, so unknown traits survive loading.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::rules::{self, ContextPath, EndpointRuleSet, RuleValue};
use crate::ShapeId;

/// Absolute ids of the traits this crate knows by name.
pub mod ids {
    #![allow(missing_docs)]
    pub const HTTP: &str = "smithy.api#http";
    pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
    pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
    pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
    pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
    pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
    pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
    pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
    pub const HTTP_ERROR: &str = "smithy.api#httpError";
    pub const JSON_NAME: &str = "smithy.api#jsonName";
    pub const XML_NAME: &str = "smithy.api#xmlName";
    pub const XML_NAMESPACE: &str = "smithy.api#xmlNamespace";
    pub const XML_FLATTENED: &str = "smithy.api#xmlFlattened";
    pub const XML_ATTRIBUTE: &str = "smithy.api#xmlAttribute";
    pub const EC2_QUERY_NAME: &str = "aws.protocols#ec2QueryName";
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
    pub const STREAMING: &str = "smithy.api#streaming";
    pub const EVENT_HEADER: &str = "smithy.api#eventHeader";
    pub const EVENT_PAYLOAD: &str = "smithy.api#eventPayload";
    pub const REQUIRED: &str = "smithy.api#required";
    pub const DEFAULT: &str = "smithy.api#default";
    pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
    pub const SPARSE: &str = "smithy.api#sparse";
    pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
    pub const ERROR: &str = "smithy.api#error";
    pub const LENGTH: &str = "smithy.api#length";
    pub const RANGE: &str = "smithy.api#range";
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    pub const ENUM: &str = "smithy.api#enum";
    pub const ENDPOINT: &str = "smithy.api#endpoint";
    pub const HOST_LABEL: &str = "smithy.api#hostLabel";
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    pub const HTTP_CHECKSUM: &str = "aws.protocols#httpChecksum";
    pub const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
    pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
    pub const AWS_SERVICE: &str = "aws.api#service";
    pub const AUTH: &str = "smithy.api#auth";
    pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
    pub const SIGV4: &str = "aws.auth#sigv4";
    pub const SIGV4A: &str = "aws.auth#sigv4a";
    pub const UNSIGNED_PAYLOAD: &str = "aws.auth#unsignedPayload";
    pub const HTTP_BEARER_AUTH: &str = "smithy.api#httpBearerAuth";
    pub const HTTP_BASIC_AUTH: &str = "smithy.api#httpBasicAuth";
    pub const HTTP_DIGEST_AUTH: &str = "smithy.api#httpDigestAuth";
    pub const HTTP_API_KEY_AUTH: &str = "smithy.api#httpApiKeyAuth";
    pub const AWS_QUERY_ERROR: &str = "aws.protocols#awsQueryError";
    pub const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
    pub const RETRYABLE: &str = "smithy.api#retryable";
    pub const MIXIN: &str = "smithy.api#mixin";
    pub const INPUT: &str = "smithy.api#input";
    pub const OUTPUT: &str = "smithy.api#output";
    pub const DEPRECATED: &str = "smithy.api#deprecated";
    pub const S3_UNWRAPPED_XML_OUTPUT: &str = "aws.customizations#s3UnwrappedXmlOutput";
    pub const PROTOCOL_DEFINITION: &str = "smithy.api#protocolDefinition";
    pub const PATTERN: &str = "smithy.api#pattern";
    pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
    pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
    pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
    pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";
    pub const CLIENT_CONTEXT_PARAMS: &str = "smithy.rules#clientContextParams";
}

/// The `@http` trait of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Http {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// URI pattern with `{label}` / `{label+}` segments and an optional literal query.
    pub uri: String,
    /// Success status code (200 when absent).
    #[serde(default = "default_http_code")]
    pub code: u16,
}

fn default_http_code() -> u16 {
    200
}

/// `@xmlNamespace`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct XmlNamespace {
    /// Namespace URI.
    pub uri: String,
    /// Optional prefix (`xmlns:prefix`).
    pub prefix: Option<String>,
}

/// `@timestampFormat` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 `date-time`.
    DateTime,
    /// RFC 7231 IMF-fixdate `http-date`.
    HttpDate,
    /// Seconds since the epoch with optional fraction, `epoch-seconds`.
    EpochSeconds,
}

impl TimestampFormat {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "date-time" => Some(Self::DateTime),
            "http-date" => Some(Self::HttpDate),
            "epoch-seconds" => Some(Self::EpochSeconds),
            _ => None,
        }
    }
}

/// Whether an error is the caller's fault or the service's (`@error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorFault {
    /// `@error("client")`: 4xx by default.
    Client,
    /// `@error("server")`: 5xx by default.
    Server,
}

/// `@length` bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub struct Length {
    /// Minimum length, inclusive.
    pub min: Option<u64>,
    /// Maximum length, inclusive.
    pub max: Option<u64>,
}

/// `@range` bounds, kept as JSON numbers because they may be big decimals.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct Range {
    /// Minimum value, inclusive.
    pub min: Option<serde_json::Number>,
    /// Maximum value, inclusive.
    pub max: Option<serde_json::Number>,
}

/// `@enumValue` of an enum or intEnum member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    /// String enum value.
    String(String),
    /// intEnum value.
    Int(i64),
}

/// One entry of the Smithy 1.0 `@enum` trait on a string shape.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EnumDefinition {
    /// The wire value.
    pub value: String,
    /// The symbolic name, if any.
    pub name: Option<String>,
}

/// `@endpoint` on an operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// Host prefix pattern, may contain `{label}` bound by `@hostLabel` members.
    pub host_prefix: String,
}

/// `@aws.protocols#httpChecksum` on an operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    /// Input member naming the checksum algorithm.
    pub request_algorithm_member: Option<String>,
    /// Whether a request checksum is required.
    #[serde(default)]
    pub request_checksum_required: bool,
    /// Input member enabling response validation.
    pub request_validation_mode_member: Option<String>,
    /// Algorithms the service may use for responses.
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

/// `@requestCompression` on an operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RequestCompression {
    /// Supported encodings in priority order (e.g. `gzip`).
    pub encodings: Vec<String>,
}

/// `@aws.api#service`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsService {
    /// The SDK id (`STS`, `S3 Control`); smithy-rs derives crate and module names from it.
    pub sdk_id: String,
    /// ARN namespace.
    pub arn_namespace: Option<String>,
    /// Endpoint prefix.
    pub endpoint_prefix: Option<String>,
    /// CloudFormation name.
    pub cloud_formation_name: Option<String>,
}

/// `@aws.protocols#awsQueryError`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsQueryError {
    /// The error code sent on the wire.
    pub code: String,
    /// The HTTP status.
    pub http_response_code: u16,
}

/// `@retryable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub struct Retryable {
    /// True when the error is a throttling error.
    #[serde(default)]
    pub throttling: bool,
}

/// `@httpApiKeyAuth`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HttpApiKeyAuth {
    /// Header or query parameter name.
    pub name: String,
    /// `header` or `query`.
    #[serde(rename = "in")]
    pub location: String,
    /// Optional scheme for the Authorization header.
    pub scheme: Option<String>,
}

/// An authentication scheme a service or operation supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// `aws.auth#sigv4` with its signing name.
    Sigv4 {
        /// Signing name (`sts`, `s3`).
        name: String,
    },
    /// `aws.auth#sigv4a` with its signing name.
    Sigv4a {
        /// Signing name.
        name: String,
    },
    /// `smithy.api#httpBearerAuth`.
    HttpBearer,
    /// `smithy.api#httpBasicAuth`.
    HttpBasic,
    /// `smithy.api#httpDigestAuth`.
    HttpDigest,
    /// `smithy.api#httpApiKeyAuth`.
    HttpApiKey(HttpApiKeyAuth),
}

impl AuthScheme {
    /// The trait id that defines this scheme.
    pub fn trait_id(&self) -> &'static str {
        match self {
            AuthScheme::Sigv4 { .. } => ids::SIGV4,
            AuthScheme::Sigv4a { .. } => ids::SIGV4A,
            AuthScheme::HttpBearer => ids::HTTP_BEARER_AUTH,
            AuthScheme::HttpBasic => ids::HTTP_BASIC_AUTH,
            AuthScheme::HttpDigest => ids::HTTP_DIGEST_AUTH,
            AuthScheme::HttpApiKey(_) => ids::HTTP_API_KEY_AUTH,
        }
    }
}

/// `@smithy.rules#contextParam` on an input member: the member's value feeds this endpoint
/// rule-set parameter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ContextParam {
    /// The rule-set parameter name.
    pub name: String,
}

/// One entry of `@smithy.rules#operationContextParams` on an operation: the parameter gets the
/// value found at `path` in the operation's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationContextParam {
    /// The rule-set parameter name.
    pub name: String,
    /// Where in the input its value is read.
    pub path: ContextPath,
}

/// A trait value that does not have the shape its definition requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("trait `{trait_id}` has an invalid value: {reason}")]
pub struct InvalidTrait {
    /// The trait's id.
    pub trait_id: String,
    /// What is wrong.
    pub reason: String,
}

#[derive(Deserialize)]
struct OperationContextParamAst {
    path: String,
}

/// The traits applied to one shape or member: raw values for all, typed ones for known traits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits {
    raw: BTreeMap<String, Value>,
}

fn typed<T: serde::de::DeserializeOwned>(id: &str, value: &Value) -> Result<T, InvalidTrait> {
    T::deserialize(value).map_err(|error| InvalidTrait {
        trait_id: id.to_owned(),
        reason: error.to_string(),
    })
}

fn string_value(id: &str, value: &Value) -> Result<String, InvalidTrait> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| InvalidTrait {
            trait_id: id.to_owned(),
            reason: format!("expected a string, found `{value}`"),
        })
}

impl Traits {
    /// Wraps raw trait values after checking that every known trait has a well-formed value,
    /// so the typed accessors below never fail later.
    pub fn new(raw: BTreeMap<String, Value>) -> Result<Self, InvalidTrait> {
        let traits = Traits { raw };
        traits.validate()?;
        Ok(traits)
    }

    fn validate(&self) -> Result<(), InvalidTrait> {
        for (id, value) in &self.raw {
            match id.as_str() {
                ids::HTTP => typed::<Http>(id, value).map(drop)?,
                ids::HTTP_HEADER
                | ids::HTTP_PREFIX_HEADERS
                | ids::HTTP_QUERY
                | ids::JSON_NAME
                | ids::XML_NAME
                | ids::EC2_QUERY_NAME
                | ids::MEDIA_TYPE => string_value(id, value).map(drop)?,
                ids::HTTP_ERROR => typed::<u16>(id, value).map(drop)?,
                ids::XML_NAMESPACE => typed::<XmlNamespace>(id, value).map(drop)?,
                ids::TIMESTAMP_FORMAT => {
                    let text = string_value(id, value)?;
                    TimestampFormat::parse(&text).ok_or_else(|| InvalidTrait {
                        trait_id: id.clone(),
                        reason: format!(
                            "`{text}` is not one of date-time, http-date, epoch-seconds"
                        ),
                    })?;
                }
                ids::ERROR => match value.as_str() {
                    Some("client" | "server") => {}
                    _ => {
                        return Err(InvalidTrait {
                            trait_id: id.clone(),
                            reason: format!("expected \"client\" or \"server\", found `{value}`"),
                        })
                    }
                },
                ids::LENGTH => typed::<Length>(id, value).map(drop)?,
                ids::RANGE => typed::<Range>(id, value).map(drop)?,
                ids::ENUM_VALUE if !(value.is_string() || value.is_i64()) => {
                    return Err(InvalidTrait {
                        trait_id: id.clone(),
                        reason: format!("expected a string or an integer, found `{value}`"),
                    });
                }
                ids::ENUM => typed::<Vec<EnumDefinition>>(id, value).map(drop)?,
                ids::ENDPOINT => typed::<Endpoint>(id, value).map(drop)?,
                ids::HTTP_CHECKSUM => typed::<HttpChecksum>(id, value).map(drop)?,
                ids::REQUEST_COMPRESSION => typed::<RequestCompression>(id, value).map(drop)?,
                ids::AWS_SERVICE => typed::<AwsService>(id, value).map(drop)?,
                ids::AWS_QUERY_ERROR => typed::<AwsQueryError>(id, value).map(drop)?,
                ids::RETRYABLE => typed::<Retryable>(id, value).map(drop)?,
                ids::HTTP_API_KEY_AUTH => typed::<HttpApiKeyAuth>(id, value).map(drop)?,
                ids::AUTH => {
                    let list = typed::<Vec<String>>(id, value)?;
                    for entry in list {
                        entry.parse::<ShapeId>().map_err(|error| InvalidTrait {
                            trait_id: id.clone(),
                            reason: error.to_string(),
                        })?;
                    }
                }
                ids::PATTERN => string_value(id, value).map(drop)?,
                ids::CONTEXT_PARAM => typed::<ContextParam>(id, value).map(drop)?,
                ids::ENDPOINT_RULE_SET => {
                    rules::parse_rule_set(value).map_err(|reason| InvalidTrait {
                        trait_id: id.clone(),
                        reason,
                    })?;
                }
                ids::STATIC_CONTEXT_PARAMS => {
                    let params = value.as_object().ok_or_else(|| InvalidTrait {
                        trait_id: id.clone(),
                        reason: "expected an object of parameters".to_owned(),
                    })?;
                    for (name, param) in params {
                        rules::static_value(param).map_err(|reason| InvalidTrait {
                            trait_id: id.clone(),
                            reason: format!("parameter `{name}`: {reason}"),
                        })?;
                    }
                }
                ids::OPERATION_CONTEXT_PARAMS => {
                    typed::<BTreeMap<String, OperationContextParamAst>>(id, value).map(drop)?
                }
                ids::SIGV4 | ids::SIGV4A => {
                    value
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or_else(|| InvalidTrait {
                            trait_id: id.clone(),
                            reason: "expected an object with a string `name`".to_owned(),
                        })?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The raw value of a trait by absolute id.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.raw.get(id)
    }

    /// Whether a trait is present.
    pub fn has(&self, id: &str) -> bool {
        self.raw.contains_key(id)
    }

    /// All traits, raw, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.raw.iter().map(|(id, value)| (id.as_str(), value))
    }

    /// Number of traits.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// True when no trait is applied.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Adds traits from `other` that are not already present (mixins, member target inheritance).
    pub(crate) fn inherit(&mut self, other: &Traits, except: &[&str]) {
        for (id, value) in &other.raw {
            if !except.contains(&id.as_str()) {
                self.raw.entry(id.clone()).or_insert_with(|| value.clone());
            }
        }
    }

    /// Merges traits from a Smithy `apply` entry: lists are concatenated, other values replace.
    pub(crate) fn merge_applied(&mut self, applied: Traits) {
        for (id, value) in applied.raw {
            match (self.raw.get_mut(&id), value) {
                (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
                (_, value) => {
                    self.raw.insert(id, value);
                }
            }
        }
    }

    fn decoded<T: serde::de::DeserializeOwned>(&self, id: &str) -> Option<T> {
        // Values were checked in `new`, so decoding here cannot fail.
        self.raw
            .get(id)
            .and_then(|value| T::deserialize(value).ok())
    }

    fn text(&self, id: &str) -> Option<&str> {
        self.raw.get(id).and_then(Value::as_str)
    }

    /// `@http`.
    pub fn http(&self) -> Option<Http> {
        self.decoded(ids::HTTP)
    }
    /// `@httpHeader` header name.
    pub fn http_header(&self) -> Option<&str> {
        self.text(ids::HTTP_HEADER)
    }
    /// `@httpPrefixHeaders` prefix.
    pub fn http_prefix_headers(&self) -> Option<&str> {
        self.text(ids::HTTP_PREFIX_HEADERS)
    }
    /// `@httpQuery` parameter name.
    pub fn http_query(&self) -> Option<&str> {
        self.text(ids::HTTP_QUERY)
    }
    /// `@httpQueryParams`.
    pub fn is_http_query_params(&self) -> bool {
        self.has(ids::HTTP_QUERY_PARAMS)
    }
    /// `@httpLabel`.
    pub fn is_http_label(&self) -> bool {
        self.has(ids::HTTP_LABEL)
    }
    /// `@httpPayload`.
    pub fn is_http_payload(&self) -> bool {
        self.has(ids::HTTP_PAYLOAD)
    }
    /// `@httpResponseCode`.
    pub fn is_http_response_code(&self) -> bool {
        self.has(ids::HTTP_RESPONSE_CODE)
    }
    /// `@httpError` status code.
    pub fn http_error(&self) -> Option<u16> {
        self.decoded(ids::HTTP_ERROR)
    }
    /// `@jsonName`.
    pub fn json_name(&self) -> Option<&str> {
        self.text(ids::JSON_NAME)
    }
    /// `@xmlName`.
    pub fn xml_name(&self) -> Option<&str> {
        self.text(ids::XML_NAME)
    }
    /// `@xmlNamespace`.
    pub fn xml_namespace(&self) -> Option<XmlNamespace> {
        self.decoded(ids::XML_NAMESPACE)
    }
    /// `@xmlFlattened`.
    pub fn is_xml_flattened(&self) -> bool {
        self.has(ids::XML_FLATTENED)
    }
    /// `@xmlAttribute`.
    pub fn is_xml_attribute(&self) -> bool {
        self.has(ids::XML_ATTRIBUTE)
    }
    /// `@ec2QueryName`.
    pub fn ec2_query_name(&self) -> Option<&str> {
        self.text(ids::EC2_QUERY_NAME)
    }
    /// `@timestampFormat`.
    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        self.text(ids::TIMESTAMP_FORMAT)
            .and_then(TimestampFormat::parse)
    }
    /// `@mediaType`.
    pub fn media_type(&self) -> Option<&str> {
        self.text(ids::MEDIA_TYPE)
    }
    /// `@streaming`.
    pub fn is_streaming(&self) -> bool {
        self.has(ids::STREAMING)
    }
    /// `@eventHeader`.
    pub fn is_event_header(&self) -> bool {
        self.has(ids::EVENT_HEADER)
    }
    /// `@eventPayload`.
    pub fn is_event_payload(&self) -> bool {
        self.has(ids::EVENT_PAYLOAD)
    }
    /// `@required`.
    pub fn is_required(&self) -> bool {
        self.has(ids::REQUIRED)
    }
    /// `@default` value.
    pub fn default_value(&self) -> Option<&Value> {
        self.get(ids::DEFAULT)
    }
    /// `@clientOptional`.
    pub fn is_client_optional(&self) -> bool {
        self.has(ids::CLIENT_OPTIONAL)
    }
    /// `@sparse`.
    pub fn is_sparse(&self) -> bool {
        self.has(ids::SPARSE)
    }
    /// `@idempotencyToken`.
    pub fn is_idempotency_token(&self) -> bool {
        self.has(ids::IDEMPOTENCY_TOKEN)
    }
    /// `@error`.
    pub fn error(&self) -> Option<ErrorFault> {
        match self.text(ids::ERROR)? {
            "client" => Some(ErrorFault::Client),
            "server" => Some(ErrorFault::Server),
            _ => None,
        }
    }
    /// `@length`.
    pub fn length(&self) -> Option<Length> {
        self.decoded(ids::LENGTH)
    }
    /// `@range`.
    pub fn range(&self) -> Option<Range> {
        self.decoded(ids::RANGE)
    }
    /// `@enumValue`.
    pub fn enum_value(&self) -> Option<EnumValue> {
        match self.get(ids::ENUM_VALUE)? {
            Value::String(text) => Some(EnumValue::String(text.clone())),
            other => other.as_i64().map(EnumValue::Int),
        }
    }
    /// Smithy 1.0 `@enum` definitions on a string shape.
    pub fn enum_definitions(&self) -> Option<Vec<EnumDefinition>> {
        self.decoded(ids::ENUM)
    }
    /// `@endpoint`.
    pub fn endpoint(&self) -> Option<Endpoint> {
        self.decoded(ids::ENDPOINT)
    }
    /// `@hostLabel`.
    pub fn is_host_label(&self) -> bool {
        self.has(ids::HOST_LABEL)
    }
    /// `@sensitive`.
    pub fn is_sensitive(&self) -> bool {
        self.has(ids::SENSITIVE)
    }
    /// `@aws.protocols#httpChecksum`.
    pub fn http_checksum(&self) -> Option<HttpChecksum> {
        self.decoded(ids::HTTP_CHECKSUM)
    }
    /// `@httpChecksumRequired`.
    pub fn is_http_checksum_required(&self) -> bool {
        self.has(ids::HTTP_CHECKSUM_REQUIRED)
    }
    /// `@requestCompression`.
    pub fn request_compression(&self) -> Option<RequestCompression> {
        self.decoded(ids::REQUEST_COMPRESSION)
    }
    /// `@aws.api#service`.
    pub fn aws_service(&self) -> Option<AwsService> {
        self.decoded(ids::AWS_SERVICE)
    }
    /// `@aws.protocols#awsQueryError`.
    pub fn aws_query_error(&self) -> Option<AwsQueryError> {
        self.decoded(ids::AWS_QUERY_ERROR)
    }
    /// `@aws.protocols#awsQueryCompatible`.
    pub fn is_aws_query_compatible(&self) -> bool {
        self.has(ids::AWS_QUERY_COMPATIBLE)
    }
    /// `@retryable`.
    pub fn retryable(&self) -> Option<Retryable> {
        self.decoded(ids::RETRYABLE)
    }
    /// `@optionalAuth`.
    pub fn is_optional_auth(&self) -> bool {
        self.has(ids::OPTIONAL_AUTH)
    }
    /// `@aws.auth#unsignedPayload`.
    pub fn is_unsigned_payload(&self) -> bool {
        self.has(ids::UNSIGNED_PAYLOAD)
    }
    /// `@aws.customizations#s3UnwrappedXmlOutput`.
    pub fn is_s3_unwrapped_xml_output(&self) -> bool {
        self.has(ids::S3_UNWRAPPED_XML_OUTPUT)
    }
    /// `@mixin`.
    pub fn is_mixin(&self) -> bool {
        self.has(ids::MIXIN)
    }
    /// `@auth([...])`: the ordered scheme ids, if the trait is present.
    pub fn auth(&self) -> Option<Vec<ShapeId>> {
        let list: Vec<String> = self.decoded(ids::AUTH)?;
        Some(list.iter().filter_map(|id| id.parse().ok()).collect())
    }
    /// Authentication schemes defined by traits on this shape (a service), in trait-id order.
    pub fn auth_schemes(&self) -> Vec<AuthScheme> {
        let signing_name = |id: &str| {
            self.get(id)
                .and_then(|value| value.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut schemes = Vec::new();
        if let Some(name) = signing_name(ids::SIGV4) {
            schemes.push(AuthScheme::Sigv4 { name });
        }
        if let Some(name) = signing_name(ids::SIGV4A) {
            schemes.push(AuthScheme::Sigv4a { name });
        }
        if self.has(ids::HTTP_BEARER_AUTH) {
            schemes.push(AuthScheme::HttpBearer);
        }
        if self.has(ids::HTTP_BASIC_AUTH) {
            schemes.push(AuthScheme::HttpBasic);
        }
        if self.has(ids::HTTP_DIGEST_AUTH) {
            schemes.push(AuthScheme::HttpDigest);
        }
        if let Some(api_key) = self.decoded(ids::HTTP_API_KEY_AUTH) {
            schemes.push(AuthScheme::HttpApiKey(api_key));
        }
        schemes
    }
    /// `@pattern`: the ECMA 262 regular expression a string must match (not anchored).
    pub fn pattern(&self) -> Option<&str> {
        self.text(ids::PATTERN)
    }
    /// `@smithy.rules#endpointRuleSet` on a service.
    pub fn endpoint_rule_set(&self) -> Option<EndpointRuleSet> {
        // Parsed in `new`, so this cannot fail here.
        self.get(ids::ENDPOINT_RULE_SET)
            .and_then(|value| rules::parse_rule_set(value).ok())
    }
    /// `@smithy.rules#contextParam` on an input member.
    pub fn context_param(&self) -> Option<ContextParam> {
        self.decoded(ids::CONTEXT_PARAM)
    }
    /// `@smithy.rules#staticContextParams` on an operation: parameter name to fixed value.
    pub fn static_context_params(&self) -> BTreeMap<String, RuleValue> {
        self.get(ids::STATIC_CONTEXT_PARAMS)
            .and_then(Value::as_object)
            .map(|params| {
                params
                    .iter()
                    .filter_map(|(name, param)| {
                        rules::static_value(param)
                            .ok()
                            .map(|value| (name.clone(), value))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    /// `@smithy.rules#operationContextParams` on an operation, in parameter-name order.
    pub fn operation_context_params(&self) -> Vec<OperationContextParam> {
        self.decoded::<BTreeMap<String, OperationContextParamAst>>(ids::OPERATION_CONTEXT_PARAMS)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, param)| OperationContextParam {
                name,
                path: ContextPath::parse(&param.path),
            })
            .collect()
    }
    /// The parameter names of `@smithy.rules#clientContextParams` on a service: values set on
    /// the client's config (the harness sets none, so they keep their rule-set defaults).
    pub fn client_context_params(&self) -> Vec<String> {
        self.get(ids::CLIENT_CONTEXT_PARAMS)
            .and_then(Value::as_object)
            .map(|params| params.keys().cloned().collect())
            .unwrap_or_default()
    }
}
