//! The fixed client setup every harness uses (SPEC §5): region, mock credentials and token,
//! fixed clock, fixed invocation ids, no retries. Live runs (`--endpoint`) keep all of it but
//! the clock, which is the system's there (a real service rejects requests signed in 2000),
//! and may sign with static keys from the environment ([`live_credentials`]).

use std::time::{Duration, SystemTime};

use aws_credential_types::{Credentials, Token};
use aws_runtime::invocation_id::{InvocationId, InvocationIdGenerator};
use aws_smithy_async::time::{SharedTimeSource, StaticTimeSource, SystemTimeSource};
use aws_smithy_runtime_api::box_error::BoxError;
use snapshot_records::LiveCredentials;

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
pub use snapshot_records::MOCK_ENDPOINT;
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

/// The system clock, for live runs.
pub fn live_time_source() -> SharedTimeSource {
    SharedTimeSource::new(SystemTimeSource::new())
}

/// Environment variables that hold static keys for live runs.
pub const ACCESS_KEY_ID_VAR: &str = "AWS_ACCESS_KEY_ID";
/// See [`ACCESS_KEY_ID_VAR`].
pub const SECRET_ACCESS_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
/// See [`ACCESS_KEY_ID_VAR`]; optional.
pub const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";

/// The credentials a live run signs with: the mock keys, or static keys read from this
/// process's environment (the plan names the choice, never the secrets).
pub fn live_credentials(choice: LiveCredentials) -> Result<Credentials, String> {
    match choice {
        LiveCredentials::Mock => Ok(credentials()),
        LiveCredentials::Environment => {
            let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
            match (var(ACCESS_KEY_ID_VAR), var(SECRET_ACCESS_KEY_VAR)) {
                (Some(key), Some(secret)) => {
                    Ok(Credentials::from_keys(key, secret, var(SESSION_TOKEN_VAR)))
                }
                _ => Err(format!(
                    "the plan asks for credentials from the environment, but \
                     {ACCESS_KEY_ID_VAR} and {SECRET_ACCESS_KEY_VAR} are not both set"
                )),
            }
        }
    }
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
