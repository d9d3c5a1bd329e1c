//! Turning what a client returned into an [`Outcome`] record and, for the round trip, the
//! client's value read through its typed fields ([`crate::read`]).

use std::error::Error;
use std::fmt::Debug;
use std::marker::PhantomData;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::event_stream::RawMessage;
use aws_smithy_types::retry::ProvideErrorKind;
use aws_types::request_id::RequestId;
use snapshot_records::{Outcome, TypedValue};

use crate::read::Read;

/// What a generated operation call produced: the outcome record and, when the client gave
/// back a value (an output, or the operation error it parsed), that value read through its
/// typed fields for the round trip.
#[derive(Debug)]
pub struct Called {
    /// The outcome record.
    pub outcome: Outcome,
    /// The client's value: the output structure, or the error enum's variant as a
    /// [`TypedValue::Union`] named by the error shape ([`TypedValue::Unknown`] when unhandled).
    pub received: Option<TypedValue>,
}

impl Called {
    /// A call that ended without a value (a panic or a timeout).
    pub fn failed(outcome: Outcome) -> Called {
        Called {
            outcome,
            received: None,
        }
    }

    /// Adds a member the generated code read after the output (a streaming body, which has
    /// to be drained asynchronously) to the received output structure.
    pub fn with_member(mut self, name: &str, value: TypedValue) -> Called {
        if let Some(TypedValue::Structure(members)) = &mut self.received {
            members.push((name.to_owned(), value));
        }
        self
    }
}

/// The outcome of a successful call: the output's pretty `Debug` and its typed value.
pub fn output<M, O: Debug + Read<M>>(output: &O) -> Called {
    Called {
        outcome: Outcome::Output {
            debug: format!("{output:#?}"),
            events: Vec::new(),
            stream_error: None,
        },
        received: Some(output.read()),
    }
}

/// Events and the error of an output event stream, as the generated code drains it.
pub struct EventLog<M> {
    debug: Vec<String>,
    events: Vec<TypedValue>,
    error_debug: Option<String>,
    error: Option<TypedValue>,
    marker: PhantomData<fn() -> M>,
}

impl<M> Default for EventLog<M> {
    fn default() -> Self {
        EventLog {
            debug: Vec::new(),
            events: Vec::new(),
            error_debug: None,
            error: None,
            marker: PhantomData,
        }
    }
}

impl<M> EventLog<M> {
    /// Nothing received yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// An event the stream yielded.
    pub fn event<T: Debug + Read<M>>(&mut self, event: &T) {
        self.debug.push(format!("{event:#?}"));
        self.events.push(event.read());
    }

    /// The error the stream ended with: a modeled exception event is the stream error
    /// enum's variant, anything else is described.
    pub fn error<E>(&mut self, error: &SdkError<E, RawMessage>)
    where
        E: Error + Debug + Send + Sync + 'static + Read<M>,
    {
        self.error_debug = Some(stream_error(error));
        self.error = Some(match error {
            SdkError::ServiceError(service) => service.err().read(),
            other => TypedValue::Unknown(format!(
                "{}: {}",
                variant_name(other),
                DisplayErrorContext(other)
            )),
        });
    }
}

/// The outcome of a successful call whose output carried an event stream (member
/// `stream_member`, by model name) that was drained into `log`.
pub fn streamed_output<M, O: Debug + Read<M>>(
    output: &O,
    stream_member: &str,
    log: EventLog<M>,
) -> Called {
    let stream = TypedValue::EventStream {
        events: log.events,
        error: log.error.map(Box::new),
    };
    Called {
        outcome: Outcome::Output {
            debug: format!("{output:#?}"),
            events: log.debug,
            stream_error: log.error_debug,
        },
        received: Some(output.read()),
    }
    .with_member(stream_member, stream)
}

/// The outcome of any client result.
pub fn from_result<M, O, E>(result: Result<O, SdkError<E, HttpResponse>>) -> Called
where
    O: Debug + Read<M>,
    E: ProvideErrorMetadata + ProvideErrorKind + Error + Debug + Send + Sync + 'static + Read<M>,
{
    match result {
        Ok(value) => output(&value),
        Err(error) => from_error(error),
    }
}

/// The outcome of a failed call; a service error's value is the operation error variant.
pub fn from_error<M, E>(error: SdkError<E, HttpResponse>) -> Called
where
    E: ProvideErrorMetadata + ProvideErrorKind + Error + Debug + Send + Sync + 'static + Read<M>,
{
    let request_id = error.request_id().map(str::to_owned);
    match &error {
        SdkError::ServiceError(service) => {
            let err = service.err();
            Called {
                outcome: Outcome::ServiceError {
                    debug: format!("{err:#?}"),
                    code: ProvideErrorMetadata::code(err).map(str::to_owned),
                    message: err.message().map(str::to_owned),
                    request_id,
                    retryable: err.retryable_error_kind().map(|kind| format!("{kind:?}")),
                    cause: innermost_source(err),
                },
                received: Some(err.read()),
            }
        }
        other => Called::failed(Outcome::ClientError {
            kind: variant_name(other).to_owned(),
            display: DisplayErrorContext(other).to_string(),
        }),
    }
}

/// The `Display` of the last error in `error`'s source chain, if it has one: what a
/// deserializer reported under the client's unhandled error.
fn innermost_source(error: &(dyn Error + 'static)) -> Option<String> {
    let mut source = error.source()?;
    while let Some(next) = source.source() {
        source = next;
    }
    Some(source.to_string())
}

/// The error an event stream ended with, described like a failed call.
fn stream_error<E: Error + Debug + Send + Sync + 'static>(
    error: &SdkError<E, RawMessage>,
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
