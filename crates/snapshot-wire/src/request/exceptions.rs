//! The input members the request-side check excuses when they are absent or different on the
//! wire, each for a reason the client's documented behaviour gives.

use snapshot_model::{Member, Protocol, ShapeKind};
use snapshot_values::Value;

use super::parts::RequestParts;
use crate::http_bindings::Binding;
use crate::OperationContext;

/// Why an input member may be absent or different on the wire. Serialized by its
/// [`name`](ExceptionKind::name).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// The value equals the member's `@default`: smithy-rs writes a non-optional member only
    /// when it differs from its default (servers read the default back).
    DefaultValue,
    /// A checksum the client computes itself (`x-amz-checksum-*`, `Content-MD5`, Glacier's
    /// tree hashes), or the checksum algorithm of an `@httpChecksum` operation, which it may
    /// replace with the one it uses; checksums may also travel in a trailer.
    Checksum,
    /// A member bound to `Content-Length`: the client sends the real length of the body.
    ContentLength,
    /// An `@idempotencyToken` member, which the client fills from its token generator.
    IdempotencyToken,
    /// A `@hostLabel` member, which goes into the host only where the endpoint allows the
    /// operation's host prefix (not with an endpoint override).
    HostLabel,
    /// A member that feeds an endpoint-rule parameter (`@smithy.rules#contextParam`), which
    /// the rules may move out of its binding (into the host or the endpoint's path).
    EndpointBound,
    /// An empty list or map where the binding has no form for emptiness (query parameters,
    /// prefix headers, XML's and ec2Query's flattened lists, awsQuery maps): the client sends
    /// nothing, as any client must. (An empty header list is an empty header.)
    EmptyCollection,
    /// An entry of an `@httpQueryParams` or `@httpPrefixHeaders` map named like a query
    /// parameter or header another member binds: that member's value is sent (Smithy's
    /// precedence rule).
    ShadowedByBinding,
    /// A member a client customization fills or rewrites: Glacier's `accountId`, which the
    /// client sets to `-` (the caller's account) when it is empty; API Gateway's members bound
    /// to `Accept` (`GetExport`'s `accepts`), which aws-sdk-apigateway's
    /// `AcceptHeaderInterceptor` (`src/apigateway_interceptors.rs`) overwrites with
    /// `application/json` before signing.
    ClientCustomization,
    /// A body member of an operation whose body the client compressed
    /// (`@requestCompression`), which the check does not inflate.
    CompressedBody,
    /// An empty value the wire has no form for: an empty blob or string bound to
    /// `@httpPayload` (an empty body is no payload), or a structure with no member set in
    /// awsQuery or ec2Query (its form has no key of its own, so nothing is sent).
    EmptyValue,
}

impl ExceptionKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [ExceptionKind; 11] = [
        ExceptionKind::DefaultValue,
        ExceptionKind::Checksum,
        ExceptionKind::ContentLength,
        ExceptionKind::IdempotencyToken,
        ExceptionKind::HostLabel,
        ExceptionKind::EndpointBound,
        ExceptionKind::EmptyCollection,
        ExceptionKind::ShadowedByBinding,
        ExceptionKind::ClientCustomization,
        ExceptionKind::CompressedBody,
        ExceptionKind::EmptyValue,
    ];

    /// The stable name used in snapshots and reports (`default_value`).
    pub fn name(self) -> &'static str {
        match self {
            ExceptionKind::DefaultValue => "default_value",
            ExceptionKind::Checksum => "checksum",
            ExceptionKind::ContentLength => "content_length",
            ExceptionKind::IdempotencyToken => "idempotency_token",
            ExceptionKind::HostLabel => "host_label",
            ExceptionKind::EndpointBound => "endpoint_bound",
            ExceptionKind::EmptyCollection => "empty_collection",
            ExceptionKind::ShadowedByBinding => "shadowed_by_binding",
            ExceptionKind::ClientCustomization => "client_customization",
            ExceptionKind::CompressedBody => "compressed_body",
            ExceptionKind::EmptyValue => "empty_value",
        }
    }

    /// The kind with this [`name`](Self::name) (the serialized form).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// Headers whose values the client computes from the body.
fn is_checksum_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("x-amz-checksum-")
        || matches!(
            name.as_str(),
            "content-md5" | "x-amz-sha256-tree-hash" | "x-amz-content-sha256"
        )
}

/// The exception that explains why `member` (holding `sent`) is `lost` or changed on the wire,
/// if any.
pub(super) fn classify(
    cx: &OperationContext<'_, '_>,
    parts: &RequestParts,
    member: &Member,
    sent: &Value,
    lost: bool,
) -> Option<ExceptionKind> {
    let traits = cx.model().effective_traits(member);
    let operation = &cx.operation().shape.traits;
    let rest = cx.index().protocol().uses_http_bindings();
    let header = match Binding::of(member) {
        Binding::Header(name) if rest => Some(name),
        _ => None,
    };
    if lost
        && traits
            .default_value()
            .is_some_and(|default| equals_default(sent, default))
    {
        return Some(ExceptionKind::DefaultValue);
    }
    if header.is_some_and(|name| name.eq_ignore_ascii_case("content-length")) {
        return Some(ExceptionKind::ContentLength);
    }
    let checksum_operation =
        operation.http_checksum().is_some() || operation.is_http_checksum_required();
    let algorithm_member = operation
        .http_checksum()
        .and_then(|checksum| checksum.request_algorithm_member)
        .is_some_and(|name| name == member.name);
    if header.is_some_and(is_checksum_header) || (checksum_operation && algorithm_member) {
        return Some(ExceptionKind::Checksum);
    }
    if traits.is_idempotency_token() {
        return Some(ExceptionKind::IdempotencyToken);
    }
    let glacier = cx
        .index()
        .aws_service()
        .is_some_and(|service| service.sdk_id == "Glacier");
    if glacier && member.name == "accountId" {
        return Some(ExceptionKind::ClientCustomization);
    }
    if overwritten_accept(cx, header) {
        return Some(ExceptionKind::ClientCustomization);
    }
    if lost && traits.is_host_label() {
        return Some(ExceptionKind::HostLabel);
    }
    if lost && member.traits.context_param().is_some() {
        return Some(ExceptionKind::EndpointBound);
    }
    let empty = matches!(sent, Value::List(items) if items.is_empty())
        || matches!(sent, Value::Map(entries) if entries.is_empty());
    if lost && empty && !carries_empty(cx, member) {
        return Some(ExceptionKind::EmptyCollection);
    }
    if lost && has_no_empty_form(cx, member, sent) {
        return Some(ExceptionKind::EmptyValue);
    }
    let body_member = !rest || Binding::of(member) == Binding::Body;
    if lost && parts.compressed && body_member {
        return Some(ExceptionKind::CompressedBody);
    }
    None
}

/// Why the client may put its own value in place of header-bound `member`'s before it
/// serializes the input, if it does: a checksum header, the checksum algorithm member of an
/// `@httpChecksum` operation, and its response validation mode member, which smithy-rs's
/// response-checksum interceptor sets to `ENABLED` when the config's response checksum
/// validation is `when_supported` (the default) ([`ExceptionKind::Checksum`]); an
/// `@idempotencyToken` member ([`ExceptionKind::IdempotencyToken`]). A rejected-header case
/// of such a member may send the client's value instead of raising an error.
pub fn rewritten_by_client(
    cx: &OperationContext<'_, '_>,
    member: &Member,
) -> Option<ExceptionKind> {
    let checksum = cx.operation().shape.traits.http_checksum();
    let names_member = |name: &Option<String>| name.as_deref() == Some(member.name.as_str());
    let checksum_member = checksum.is_some_and(|checksum| {
        names_member(&checksum.request_algorithm_member)
            || names_member(&checksum.request_validation_mode_member)
    });
    let checksum_header =
        matches!(Binding::of(member), Binding::Header(name) if is_checksum_header(name));
    if checksum_member || checksum_header {
        return Some(ExceptionKind::Checksum);
    }
    if cx.model().effective_traits(member).is_idempotency_token() {
        return Some(ExceptionKind::IdempotencyToken);
    }
    None
}

/// Whether `header` is API Gateway's `Accept`, which aws-sdk-apigateway's
/// `AcceptHeaderInterceptor` sets to `application/json` on every request, whatever the input's
/// member bound to it holds (see [`ExceptionKind::ClientCustomization`]).
fn overwritten_accept(cx: &OperationContext<'_, '_>, header: Option<&str>) -> bool {
    let apigateway = cx
        .index()
        .aws_service()
        .is_some_and(|service| service.sdk_id == "API Gateway");
    apigateway && header.is_some_and(|name| name.eq_ignore_ascii_case("accept"))
}

/// Whether `sent` is an empty payload or an empty query-protocol structure (see
/// [`ExceptionKind::EmptyValue`]).
fn has_no_empty_form(cx: &OperationContext<'_, '_>, member: &Member, sent: &Value) -> bool {
    let protocol = cx.index().protocol();
    let empty_payload = protocol.uses_http_bindings()
        && Binding::of(member) == Binding::Payload
        && match sent {
            Value::Blob(bytes) | Value::StreamingBlob(bytes) => bytes.is_empty(),
            Value::String(text) => text.is_empty(),
            _ => false,
        };
    let empty_query_structure = matches!(protocol, Protocol::AwsQuery | Protocol::Ec2Query)
        && matches!(sent, Value::Structure { members, .. } if members.is_empty());
    empty_payload || empty_query_structure
}

/// Whether the protocol has a form for `member` holding an empty collection.
fn carries_empty(cx: &OperationContext<'_, '_>, member: &Member) -> bool {
    let protocol = cx.index().protocol();
    let unrepresentable_binding = protocol.uses_http_bindings()
        && matches!(
            Binding::of(member),
            Binding::Query(_) | Binding::QueryParams | Binding::PrefixHeaders(_)
        );
    let xml_like = matches!(
        protocol,
        Protocol::RestXml | Protocol::AwsQuery | Protocol::Ec2Query
    );
    let target = &cx.target(member).kind;
    let is_list = matches!(target, ShapeKind::List(_) | ShapeKind::Set(_));
    let flattened = (xml_like && member.traits.is_xml_flattened())
        || (protocol == Protocol::Ec2Query && is_list);
    let query_map = protocol == Protocol::AwsQuery && matches!(target, ShapeKind::Map { .. });
    !(unrepresentable_binding || flattened || query_map)
}

/// Whether a generated value equals a member's `@default` (given as JSON in the model).
fn equals_default(value: &Value, default: &serde_json::Value) -> bool {
    match (value, default) {
        (Value::Boolean(value), serde_json::Value::Bool(default)) => value == default,
        (
            Value::String(text) | Value::Enum { value: text, .. },
            serde_json::Value::String(default),
        ) => text == default,
        (Value::Byte(value), serde_json::Value::Number(n)) => n.as_i64() == Some(i64::from(*value)),
        (Value::Short(value), serde_json::Value::Number(n)) => {
            n.as_i64() == Some(i64::from(*value))
        }
        (Value::Integer(value) | Value::IntEnum { value, .. }, serde_json::Value::Number(n)) => {
            n.as_i64() == Some(i64::from(*value))
        }
        (Value::Long(value), serde_json::Value::Number(n)) => n.as_i64() == Some(*value),
        (Value::Float(value), serde_json::Value::Number(n)) => {
            n.as_f64() == Some(f64::from(*value))
        }
        (Value::Double(value), serde_json::Value::Number(n)) => n.as_f64() == Some(*value),
        (Value::List(items), serde_json::Value::Array(defaults)) => {
            items.is_empty() && defaults.is_empty()
        }
        (Value::Map(entries), serde_json::Value::Object(defaults)) => {
            entries.is_empty() && defaults.is_empty()
        }
        (Value::Blob(bytes), serde_json::Value::String(default)) => {
            aws_smithy_types::base64::decode(default).is_ok_and(|decoded| decoded == *bytes)
        }
        (Value::Timestamp(millis), serde_json::Value::Number(n)) => n
            .as_f64()
            .is_some_and(|seconds| (seconds * 1000.0).round() as i64 == *millis),
        _ => false,
    }
}

/// Whether the map entry `key` of `member` (an `@httpQueryParams` or `@httpPrefixHeaders`
/// map of the input `shape`) is named like a query parameter or header another member binds.
pub(super) fn shadowed(member: &Member, shape: &snapshot_model::Shape, key: &str) -> bool {
    let others = crate::read::members_of(shape);
    match Binding::of(member) {
        Binding::QueryParams => others
            .iter()
            .any(|other| matches!(Binding::of(other), Binding::Query(name) if name == key)),
        Binding::PrefixHeaders(prefix) => others.iter().any(|other| {
            matches!(Binding::of(other), Binding::Header(name) if name.eq_ignore_ascii_case(&format!("{prefix}{key}")))
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::ExceptionKind;

    #[test]
    fn kinds_serialize_by_their_names() {
        for kind in ExceptionKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<ExceptionKind>(&json).unwrap(), kind);
            assert_eq!(ExceptionKind::from_name(kind.name()), Some(kind));
        }
    }
}
