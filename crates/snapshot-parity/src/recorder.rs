//! The interceptor that captures every wire response a client receives, for any `aws-sdk-*`
//! crate and any protocol: add it to a service config with `.interceptor(recorder.clone())`.

use std::sync::{Arc, Mutex, MutexGuard};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
pub use snapshot_normalize::response::{CapturedBody, CapturedResponse, OperationRef};

/// Headers recorded by default: the content type and the request id headers (the latter are
/// volatile, and the ready-made transformers turn them into `<request-id:N>`).
pub const DEFAULT_HEADERS: &[&str] = &["content-type", "x-amz-request-id", "x-amzn-requestid"];

/// Captures responses; clones share one buffer, so the session and every client it was added
/// to see the same responses.
#[derive(Debug, Clone, Default)]
pub struct WireRecorder {
    captured: Arc<Mutex<Vec<CapturedResponse>>>,
}

impl WireRecorder {
    /// A recorder with an empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes and returns everything captured since the last drain, oldest first.
    pub fn drain(&self) -> Vec<CapturedResponse> {
        std::mem::take(&mut *self.lock())
    }

    /// The number of responses waiting in the buffer.
    pub fn pending(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<CapturedResponse>> {
        // A panic elsewhere while holding the lock leaves the buffer intact; keep using it.
        self.captured
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Intercept for WireRecorder {
    fn name(&self) -> &'static str {
        "SnapshotParityWireRecorder"
    }

    // After deserialization the orchestrator has buffered every non-streaming body (success
    // or error), so the bytes are there to read without disturbing the client.
    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
            .collect();
        let body = match response.body().bytes() {
            Some([]) => CapturedBody::Empty,
            Some(bytes) => CapturedBody::Bytes(bytes.to_vec()),
            None => CapturedBody::Streaming,
        };
        let operation = cfg.load::<Metadata>().map(|metadata| OperationRef {
            service: metadata.service().to_owned(),
            operation: metadata.name().to_owned(),
        });
        self.lock().push(CapturedResponse {
            operation,
            status: response.status().as_u16(),
            headers,
            body,
        });
        Ok(())
    }
}
