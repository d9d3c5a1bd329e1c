//! Turning what a client returned into an [`Outcome`] record.

use std::error::Error;
use std::fmt::Debug;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::ProvideErrorKind;
use aws_types::request_id::RequestId;
use snapshot_records::Outcome;

/// The outcome of a successful call: the output's pretty `Debug`.
pub fn output<O: Debug>(output: &O) -> Outcome {
    Outcome::Output {
        debug: format!("{output:#?}"),
        events: Vec::new(),
        stream_error: None,
    }
}

/// The outcome of a successful call whose output carried an event stream that was drained.
pub fn streamed_output<O: Debug>(
    output: &O,
    events: Vec<String>,
    stream_error: Option<String>,
) -> Outcome {
    Outcome::Output {
        debug: format!("{output:#?}"),
        events,
        stream_error,
    }
}

/// The outcome of any client result.
pub fn from_result<O, E>(result: Result<O, SdkError<E, HttpResponse>>) -> Outcome
where
    O: Debug,
    E: ProvideErrorMetadata + ProvideErrorKind + Error + Debug + Send + Sync + 'static,
{
    match result {
        Ok(value) => output(&value),
        Err(error) => from_error(error),
    }
}

/// The outcome of a failed call.
pub fn from_error<E>(error: SdkError<E, HttpResponse>) -> Outcome
where
    E: ProvideErrorMetadata + ProvideErrorKind + Error + Debug + Send + Sync + 'static,
{
    let request_id = error.request_id().map(str::to_owned);
    match &error {
        SdkError::ServiceError(service) => {
            let err = service.err();
            Outcome::ServiceError {
                debug: format!("{err:#?}"),
                code: ProvideErrorMetadata::code(err).map(str::to_owned),
                message: err.message().map(str::to_owned),
                request_id,
                retryable: err.retryable_error_kind().map(|kind| format!("{kind:?}")),
            }
        }
        other => Outcome::ClientError {
            kind: variant_name(other).to_owned(),
            display: DisplayErrorContext(other).to_string(),
        },
    }
}

/// The error an event stream ended with, described like a failed call.
pub fn stream_error<E: Error + Debug + Send + Sync + 'static>(
    error: &SdkError<E, aws_smithy_types::event_stream::RawMessage>,
) -> String {
    match error {
        SdkError::ServiceError(service) => format!("{:#?}", service.err()),
        other => format!("{}: {}", variant_name(other), DisplayErrorContext(other)),
    }
}

fn variant_name<E, R>(error: &SdkError<E, R>) -> &'static str {
    match error {
        SdkError::ConstructionFailure(_) => "ConstructionFailure",
        SdkError::TimeoutError(_) => "TimeoutError",
        SdkError::DispatchFailure(_) => "DispatchFailure",
        SdkError::ResponseError(_) => "ResponseError",
        SdkError::ServiceError(_) => "ServiceError",
        _ => "Other",
    }
}
