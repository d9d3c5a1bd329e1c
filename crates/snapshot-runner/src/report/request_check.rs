//! The request-side check of each request case (SPEC §7a, issue 10): which input members did
//! not reach the wire as set, and which were excused for a documented reason. The check runs
//! in `snapshot-wire` (`check_request`) on the captured request; these are its results as
//! the run report files them.

use serde::{Deserialize, Serialize};
use snapshot_records::InputVariant;
use snapshot_wire::{ExceptionKind, FindingKind, RequestCheck};

/// The request-side check of one request case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCheckResult {
    /// The operation.
    pub operation: String,
    /// Which input was sent.
    pub variant: InputVariant,
    /// Values of the input that reached the wire equal.
    pub matched: usize,
    /// Members absent from the request (value paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<String>,
    /// Members on the wire with another value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<ChangedOnWire>,
    /// Members absent or different for a documented reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excepted: Vec<ExceptedMember>,
    /// Why the request could not be read back by the operation's bindings, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// An input member on the wire with another value than the one set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedOnWire {
    /// Value path (`PutThingInput.Size`).
    pub path: String,
    /// The value set in the input, as snapshots print values.
    pub sent: String,
    /// The value read from the request, likewise.
    pub on_wire: String,
}

/// An input member the check excused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptedMember {
    /// Value path.
    pub path: String,
    /// Why (serialized by its name, `idempotency_token`).
    pub kind: ExceptionKind,
}

impl RequestCheckResult {
    /// The report entry of `check`, the check of `operation`'s `variant` request.
    pub fn new(operation: &str, variant: InputVariant, check: &RequestCheck) -> Self {
        let mut result = RequestCheckResult {
            operation: operation.to_owned(),
            variant,
            matched: check.matched,
            lost: Vec::new(),
            changed: Vec::new(),
            excepted: Vec::new(),
            failure: None,
        };
        for finding in &check.findings {
            let path = finding.path.to_string();
            match &finding.kind {
                FindingKind::Lost => result.lost.push(path),
                FindingKind::Changed { sent, on_wire } => result.changed.push(ChangedOnWire {
                    path,
                    sent: sent.to_string(),
                    on_wire: on_wire.to_string(),
                }),
                FindingKind::Excepted(kind) => {
                    result.excepted.push(ExceptedMember { path, kind: *kind })
                }
            }
        }
        result
    }

    /// The entry of a request the check could not read back.
    pub fn failed(operation: &str, variant: InputVariant, reason: String) -> Self {
        RequestCheckResult {
            operation: operation.to_owned(),
            variant,
            matched: 0,
            lost: Vec::new(),
            changed: Vec::new(),
            excepted: Vec::new(),
            failure: Some(reason),
        }
    }

    /// Whether a member was lost or changed, or the request could not be read back.
    pub fn has_problems(&self) -> bool {
        !self.lost.is_empty() || !self.changed.is_empty() || self.failure.is_some()
    }
}
