//! What the header cases found: per rejected-header request case (SPEC §4a), whether the client
//! refused the value before sending, as it must, or sent it anyway; per malformed-header
//! response case (SPEC §7a), whether it reported an error, as it must, or gave an output.

use serde::{Deserialize, Serialize};
use snapshot_records::{HeaderFault, ResponseHeaderFault};
use snapshot_wire::ExceptionKind;

/// One rejected-header case of an operation and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedHeaderResult {
    /// The operation name.
    pub operation: String,
    /// The input member given the invalid value.
    pub member: String,
    /// What was invalid: the header value or a prefix-header name.
    pub fault: HeaderFault,
    /// What the client did.
    pub verdict: HeaderVerdict,
}

/// What a client did with a header value it must refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum HeaderVerdict {
    /// Expected: it raised an error and sent nothing.
    Rejected {
        /// The `SdkError` variant it raised (`ConstructionFailure`).
        kind: String,
    },
    /// Expected: it sent a request with its own value of the member, which it computes or
    /// rewrites for this reason (the checksum validation mode, an idempotency token).
    Rewritten {
        /// Why the client may replace the member's value.
        by: ExceptionKind,
    },
    /// UNEXPECTED: it sent a request anyway.
    SentAnyway,
    /// UNEXPECTED: it sent nothing and raised no client error (a service error or an output
    /// without a request, which a harness bug would give).
    NoError,
}

impl RejectedHeaderResult {
    /// Whether the client refused the value, as it must.
    pub fn as_expected(&self) -> bool {
        matches!(
            self.verdict,
            HeaderVerdict::Rejected { .. } | HeaderVerdict::Rewritten { .. }
        )
    }
}

/// One malformed-header response case of an operation and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MalformedHeaderResult {
    /// The operation name.
    pub operation: String,
    /// The output member whose header was broken.
    pub member: String,
    /// How it was broken.
    pub fault: ResponseHeaderFault,
    /// Whether the client reported an error (expected) rather than an output.
    pub rejected: bool,
}
