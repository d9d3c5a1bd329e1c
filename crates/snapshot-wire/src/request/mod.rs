//! The request-side check: the request a client sent for a generated input, read back by the
//! operation's bindings the way a server of its protocol reads it, and compared with the
//! input value member by member.
//!
//! Every member set in the input must reach the wire equal to what was set: each that does
//! not is a [`Finding`] at its [`ValuePath`], either [`FindingKind::Lost`] (absent),
//! [`FindingKind::Changed`] (sent one value, another on the wire), or
//! [`FindingKind::Excepted`] when an [`ExceptionKind`] explains it (a member the client
//! computes or overrides, or leaves off the wire by design). Equality is exact, at the
//! precision the wire format carries: timestamps read from an http-date are compared in whole
//! seconds; enums by their wire value; big numbers by numeric value.
//!
//! Reading is protocol knowledge and lives with each protocol's serializer
//! ([`crate::protocols`]), over the shared format readers ([`crate::read`]) and the REST
//! request bindings ([`crate::http_request`]).

mod compare;
pub(crate) mod events;
mod exceptions;
mod host;
pub(crate) mod parts;

use snapshot_model::{OperationRef, ServiceIndex};
use snapshot_records::HttpRequest;
use snapshot_values::{Value, ValuePath};

pub use exceptions::{rewritten_by_client, ExceptionKind};

use crate::protocols::decoder;
use crate::read::Decoding;
use crate::OperationContext;
use parts::RequestParts;

/// Where a request was sent, as far as reading it back needs to know.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestSite<'a> {
    /// The path of the endpoint the client was configured with (`/mock-required-endpoint`
    /// for the endpoint override), which precedes the operation's own path; empty for the
    /// endpoints the rules resolve.
    pub endpoint_path: &'a str,
}

/// The result of the request-side check of one request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestCheck {
    /// How many values of the input (scalars, and empty collections) reached the wire equal.
    pub matched: usize,
    /// The members that did not, in input order.
    pub findings: Vec<Finding>,
}

impl RequestCheck {
    /// Findings that are neither excepted: members lost or changed on the wire.
    pub fn problems(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| !matches!(finding.kind, FindingKind::Excepted(_)))
    }

    /// The excepted findings with their kind.
    pub fn exceptions(&self) -> impl Iterator<Item = (&ValuePath, ExceptionKind)> {
        self.findings
            .iter()
            .filter_map(|finding| match finding.kind {
                FindingKind::Excepted(kind) => Some((&finding.path, kind)),
                _ => None,
            })
    }
}

/// One input member that did not reach the wire as set.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Where in the input value (`PutObjectRequest.Metadata{key1}`).
    pub path: ValuePath,
    /// What happened to it.
    pub kind: FindingKind,
}

/// What happened to an input member on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum FindingKind {
    /// Absent from the request.
    Lost,
    /// On the wire with another value.
    Changed {
        /// The value set in the input.
        sent: Value,
        /// The value read from the request.
        on_wire: Value,
    },
    /// Absent or different for a documented reason.
    Excepted(ExceptionKind),
}

/// Why a request could not be read back by its operation's bindings.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: the request cannot be read back at `{path}`: {reason}; the client sent something its protocol's bindings do not describe (see the request snapshot)")]
pub struct RequestCheckError {
    /// The operation.
    pub operation: String,
    /// Where reading stopped (a value path, or `the request`).
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// Checks that every member set in `input` (a value of `operation`'s input shape) reached
/// `request` by its binding.
pub fn check_request(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    input: &Value,
    request: &HttpRequest,
    site: &RequestSite<'_>,
) -> Result<RequestCheck, RequestCheckError> {
    let cx = OperationContext::new(index, operation);
    let fail = |error: crate::read::DecodeError| RequestCheckError {
        operation: cx.name(),
        path: error.path,
        reason: error.reason,
    };
    let input_shape = cx
        .shape(&operation.operation.input)
        .map_err(|error| RequestCheckError {
            operation: cx.name(),
            path: "the input".to_owned(),
            reason: error.to_string(),
        })?;
    let compression = operation.shape.traits.request_compression().is_some();
    let parts = RequestParts::new(request, site.endpoint_path, compression).map_err(fail)?;
    let decoding = Decoding::new(&cx);
    let path = ValuePath::root(input_shape.id.name());
    let mut on_wire = decoder(index.protocol())
        .decode_request(&decoding, &parts, input_shape, &path)
        .map_err(fail)?;
    // A host label may also be bound elsewhere; the binding the protocol read wins.
    for (name, value) in host::host_labels(&decoding, &parts, input_shape, &path).map_err(fail)? {
        if !on_wire.iter().any(|(read, _)| *read == name) {
            on_wire.push((name, value));
        }
    }
    let coarse = decoding.into_coarse();
    Ok(compare::compare(
        &cx,
        &parts,
        &coarse,
        input_shape,
        input,
        &on_wire,
        &path,
    ))
}

#[cfg(test)]
mod tests;
