//! The fixed client setup every harness uses (SPEC §5): region, mock credentials and token,
//! fixed clock, fixed invocation ids, no retries.

use std::time::{Duration, SystemTime};

use aws_credential_types::{Credentials, Token};
use aws_runtime::invocation_id::{InvocationId, InvocationIdGenerator};
use aws_smithy_async::time::StaticTimeSource;
use aws_smithy_runtime_api::box_error::BoxError;

/// The region every client uses.
pub const REGION: &str = "us-east-1";
/// Mock access key id.
pub const ACCESS_KEY_ID: &str = "MOCK_ak";
/// Mock secret access key.
pub const SECRET_ACCESS_KEY: &str = "MOCK_sak";
/// Mock bearer token for services with `@httpBearerAuth`.
pub const BEARER_TOKEN: &str = "MOCK_token";
/// The idempotency token every generated request carries.
pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";
/// Endpoint used when endpoint resolution fails for the generated input.
pub const MOCK_ENDPOINT: &str = "https://localhost/mock-required-endpoint";
/// The fixed clock: 2000-01-01T00:00:00Z.
pub const FIXED_EPOCH_SECONDS: u64 = 946_684_800;
/// The fixed invocation id (rendered as a `<uuid:N>` placeholder anyway).
pub const INVOCATION_ID: &str = "00000000-0000-4000-8000-0000000000a1";

/// Static mock credentials.
pub fn credentials() -> Credentials {
    Credentials::from_keys(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None)
}

/// Static mock bearer token.
pub fn bearer_token() -> Token {
    Token::new(BEARER_TOKEN, None)
}

/// A clock fixed at [`FIXED_EPOCH_SECONDS`].
pub fn time_source() -> StaticTimeSource {
    StaticTimeSource::new(SystemTime::UNIX_EPOCH + Duration::from_secs(FIXED_EPOCH_SECONDS))
}

/// Always the same invocation id, so requests do not depend on randomness.
#[derive(Debug, Default)]
pub struct FixedInvocationId;

impl InvocationIdGenerator for FixedInvocationId {
    fn generate(&self) -> Result<Option<InvocationId>, BoxError> {
        Ok(Some(InvocationId::new(INVOCATION_ID.to_owned())))
    }
}

/// The sleep implementation clients use for timeouts (tokio).
pub fn sleep() -> aws_smithy_async::rt::sleep::SharedAsyncSleep {
    aws_smithy_async::rt::sleep::SharedAsyncSleep::new(
        aws_smithy_async::rt::sleep::TokioSleep::new(),
    )
}
