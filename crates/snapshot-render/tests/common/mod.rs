//! Realistic harness records for the golden and determinism tests.
//!
//! A [`Run`] holds everything that differs between two runs of the same client on different
//! machines or at different times: random invocation ids, signing times, signatures,
//! `HashMap` iteration order, crate and toolchain versions. Every builder takes a `Run`, so a
//! test can render the same case from two runs and require identical text.
#![allow(dead_code)]

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use aws_smithy_types::DateTime;
use snapshot_records::test_util::{record, response};
use snapshot_records::{Body, Case, CaseRecord, Frame, HttpRequest, HttpResponse, Outcome};

/// What varies between runs.
pub struct Run {
    pub invocation_id: &'static str,
    pub request_id: &'static str,
    pub amz_date: &'static str,
    pub scope_date: &'static str,
    pub epoch_seconds: i64,
    /// Seed for signatures (hex and bytes).
    pub signature_seed: u8,
    /// Reverse the order in which maps are written (as another `HashMap` seed would).
    pub reverse_maps: bool,
    pub sdk_version: &'static str,
    pub api_version: &'static str,
    pub os: &'static str,
    pub rust_version: &'static str,
}

pub const RUN_A: Run = Run {
    invocation_id: "3f7a9c2e-5b1d-4e8f-a6c0-9d2b4e6f8a10",
    request_id: "d4c3b2a1-0f9e-4d8c-b7a6-958473625140",
    amz_date: "20240315T101530Z",
    scope_date: "20240315",
    epoch_seconds: 1_710_497_730,
    signature_seed: 0x3c,
    reverse_maps: false,
    sdk_version: "1.5.10",
    api_version: "1.124.0",
    os: "linux",
    rust_version: "1.88.0",
};

pub const RUN_B: Run = Run {
    invocation_id: "a0b1c2d3-e4f5-4a6b-8c7d-8e9f0a1b2c3d",
    request_id: "11112222-3333-4444-8555-666677778888",
    amz_date: "20251201T235959Z",
    scope_date: "20251201",
    epoch_seconds: 1_764_633_599,
    signature_seed: 0xa7,
    reverse_maps: true,
    sdk_version: "1.6.0",
    api_version: "1.125.3",
    os: "macos/14.5",
    rust_version: "1.91.1",
};

pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

impl Run {
    pub fn signature_hex(&self, salt: u8) -> String {
        (0..32u8)
            .map(|i| format!("{:02x}", i.wrapping_mul(31) ^ self.signature_seed ^ salt))
            .collect()
    }

    pub fn signature_bytes(&self, salt: u8) -> Vec<u8> {
        (0..32u8)
            .map(|i| i.wrapping_mul(31) ^ self.signature_seed ^ salt)
            .collect()
    }

    /// Map entries in this run's iteration order.
    pub fn order<T: Clone>(&self, entries: &[T]) -> Vec<T> {
        let mut entries = entries.to_vec();
        if self.reverse_maps {
            entries.reverse();
        }
        entries
    }

    pub fn user_agent(&self, service: &str, metrics: &str) -> String {
        format!(
            "aws-sdk-rust/{} ua/2.1 api/{service}/{} os/{} lang/rust/{} m/{metrics}",
            self.sdk_version, self.api_version, self.os, self.rust_version
        )
    }

    /// The headers every signed SDK request carries.
    pub fn sigv4_headers(
        &self,
        service: &str,
        signed: &str,
        metrics: &str,
    ) -> Vec<(String, String)> {
        let ua = self.user_agent(service, metrics);
        vec![
            ("user-agent".into(), ua.clone()),
            ("x-amz-user-agent".into(), ua),
            ("x-amz-date".into(), self.amz_date.into()),
            (
                "authorization".into(),
                format!(
                    "AWS4-HMAC-SHA256 Credential=MOCK_ak/{}/us-east-1/{service}/aws4_request, SignedHeaders={signed}, Signature={}",
                    self.scope_date,
                    self.signature_hex(0)
                ),
            ),
            ("amz-sdk-invocation-id".into(), self.invocation_id.into()),
            ("amz-sdk-request".into(), "attempt=1; max=1".into()),
        ]
    }
}

// Each test file uses some of them.
#[allow(unused_imports)]
pub use snapshot_records::test_util::{bytes, headers, request};

/// The record of a request case, as the harness writes it after replaying the dummy response.
pub fn request_record(operation: &str, request: HttpRequest) -> CaseRecord {
    record(
        operation,
        Case::Request {
            variant: snapshot_records::InputVariant::Max,
        },
        Outcome::ClientError {
            kind: "ResponseError".into(),
            display: "the dummy response did not parse".into(),
        },
    )
    .with_request(request)
    .with_response(response(200, vec![], Body::Empty))
    .with_micros(1234)
}

/// The record of a response or error case.
pub fn response_record(
    operation: &str,
    case: Case,
    response: HttpResponse,
    outcome: Outcome,
) -> CaseRecord {
    record(operation, case, outcome)
        .with_response(response)
        .with_micros(99)
}

/// One encoded event-stream message.
pub fn message(headers: &[(&str, HeaderValue)], payload: &[u8]) -> Vec<u8> {
    let mut message = Message::new(payload.to_vec());
    for (name, value) in headers {
        message = message.add_header(Header::new(name.to_string(), value.clone()));
    }
    let mut out = Vec::new();
    write_message_to(&message, &mut out).unwrap();
    out
}

pub fn string(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned().into())
}

/// The envelope the client's event-stream signer wraps around an event (aws-sigv4
/// `sign_message` / `sign_empty_message`): the encoded event as payload (empty for the final
/// message), then `:chunk-signature` and `:date`.
pub fn signed_envelope(run: &Run, inner: Option<&[u8]>, salt: u8) -> Vec<u8> {
    message(
        &[
            (
                ":chunk-signature",
                HeaderValue::ByteArray(run.signature_bytes(salt).into()),
            ),
            (
                ":date",
                HeaderValue::Timestamp(DateTime::from_secs(run.epoch_seconds + i64::from(salt))),
            ),
        ],
        inner.unwrap_or_default(),
    )
}

/// Splits `bytes` into frames of at most `size` bytes (as a streaming body arrives).
pub fn frames(bytes: &[u8], size: usize) -> Vec<Frame> {
    bytes
        .chunks(size)
        .map(|chunk| Frame::Data {
            data: chunk.to_vec(),
        })
        .collect()
}
