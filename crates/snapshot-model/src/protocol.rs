//! The wire protocols smithy-rs generates clients for, and how it picks one.

use std::fmt;

use crate::Traits;

/// A Smithy protocol supported by smithy-rs clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// `smithy.protocols#rpcv2Cbor`
    RpcV2Cbor,
    /// `aws.protocols#awsJson1_0`
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`
    AwsJson1_1,
    /// `aws.protocols#restJson1`
    RestJson1,
    /// `aws.protocols#restXml`
    RestXml,
    /// `aws.protocols#awsQuery`
    AwsQuery,
    /// `aws.protocols#ec2Query`
    Ec2Query,
}

impl Protocol {
    /// smithy-rs's preference order when a service declares several protocols.
    pub const PRIORITY: [Protocol; 7] = [
        Protocol::RpcV2Cbor,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
        Protocol::RestJson1,
        Protocol::RestXml,
        Protocol::AwsQuery,
        Protocol::Ec2Query,
    ];

    /// The protocol trait's absolute id.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::RestXml => "aws.protocols#restXml",
            Protocol::AwsQuery => "aws.protocols#awsQuery",
            Protocol::Ec2Query => "aws.protocols#ec2Query",
        }
    }

    /// The short name used in output and config (`awsJson1_0`).
    pub fn name(self) -> &'static str {
        let id = self.trait_id();
        &id[id.find('#').map_or(0, |index| index + 1)..]
    }

    /// Looks a protocol up by short name or trait id.
    pub fn from_name(name: &str) -> Option<Protocol> {
        Protocol::PRIORITY
            .into_iter()
            .find(|protocol| protocol.name() == name || protocol.trait_id() == name)
    }

    /// The protocol smithy-rs would generate for a service with these traits.
    pub fn select(service_traits: &Traits) -> Option<Protocol> {
        Protocol::PRIORITY
            .into_iter()
            .find(|protocol| service_traits.has(protocol.trait_id()))
    }

    /// Service traits that look like protocol definitions but are not ones smithy-rs supports.
    /// Modifier traits (`awsQueryCompatible`) are not protocols.
    pub fn unsupported_candidates(service_traits: &Traits) -> Vec<String> {
        service_traits
            .iter()
            .map(|(id, _)| id)
            .filter(|id| {
                let in_protocol_namespace =
                    id.starts_with("aws.protocols#") || id.starts_with("smithy.protocols#");
                in_protocol_namespace
                    && *id != crate::traits::ids::AWS_QUERY_COMPATIBLE
                    && Protocol::from_name(id).is_none()
            })
            .map(str::to_owned)
            .collect()
    }

    /// Whether requests and responses are bound to HTTP with `@http` traits (REST protocols).
    pub fn uses_http_bindings(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
