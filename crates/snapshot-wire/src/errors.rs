//! Why a generated value cannot be turned into a response. Every message names the operation
//! and the value path, and says what to change.

use snapshot_model::{Protocol, ShapeId};

/// A value that a server of the service's protocol could not send.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// A shape the value or the operation refers to is not in the model.
    #[error("{operation}: shape `{shape}` is not in the model; generate the value from the same model as the service index")]
    UnknownShape {
        /// The operation being serialized.
        operation: String,
        /// The missing shape.
        shape: ShapeId,
    },
    /// The error shape is not one the operation (or its service) declares.
    #[error("{operation}: `{error}` is not an error of this operation (declared: {declared}); drive each error through an operation that declares it")]
    UndeclaredError {
        /// The operation being serialized.
        operation: String,
        /// The requested error shape.
        error: ShapeId,
        /// The errors the operation can return, comma separated.
        declared: String,
    },
    /// The value's kind does not fit the model shape at that path.
    #[error("{operation}: the value at `{path}` is a {found}, but the model shape `{shape}` is a {expected}; generate the value from this model")]
    ValueMismatch {
        /// The operation being serialized.
        operation: String,
        /// Where in the value.
        path: String,
        /// The model shape at that path.
        shape: ShapeId,
        /// The shape's type.
        expected: &'static str,
        /// The value's kind.
        found: &'static str,
    },
    /// A structure or union value sets a member the shape does not have.
    #[error("{operation}: the value at `{path}` sets member `{member}`, which `{shape}` does not have; generate the value from this model")]
    UnknownMember {
        /// The operation being serialized.
        operation: String,
        /// Where in the value.
        path: String,
        /// The structure or union shape.
        shape: ShapeId,
        /// The unknown member name.
        member: String,
    },
    /// The protocol has no way to carry this kind of value.
    #[error("{operation}: {protocol} cannot carry {what} (at `{path}`); leave this member unset for this protocol")]
    Unsupported {
        /// The operation being serialized.
        operation: String,
        /// The protocol.
        protocol: Protocol,
        /// Where in the value.
        path: String,
        /// What cannot be carried.
        what: &'static str,
    },
    /// An `@httpResponseCode` member whose value is not a success status.
    #[error("{operation}: `{path}` = {value} is bound with @httpResponseCode, but a successful response needs a 2xx status; generate a value in 200..=299 for it")]
    InvalidResponseCode {
        /// The operation being serialized.
        operation: String,
        /// The member's path.
        path: String,
        /// The value found.
        value: i64,
    },
    /// A value that cannot appear in an HTTP header.
    #[error("{operation}: `{path}` cannot be sent in HTTP header `{header}`: {reason}")]
    InvalidHeader {
        /// The operation being serialized.
        operation: String,
        /// Where in the value.
        path: String,
        /// The header name.
        header: String,
        /// What is wrong.
        reason: String,
    },
    /// A big number whose text is not a number.
    #[error("{operation}: `{path}` = `{text}` is not a valid {kind}; generate decimal digits (with an optional sign and fraction)")]
    InvalidNumber {
        /// The operation being serialized.
        operation: String,
        /// Where in the value.
        path: String,
        /// `bigInteger` or `bigDecimal`.
        kind: &'static str,
        /// The text found.
        text: String,
    },
    /// A timestamp outside the range the wire format can express.
    #[error("{operation}: the timestamp at `{path}` ({millis} ms since the epoch) cannot be written as {format}: {reason}; generate a timestamp between the years 1 and 9999")]
    Timestamp {
        /// The operation being serialized.
        operation: String,
        /// Where in the value.
        path: String,
        /// The value.
        millis: i64,
        /// The target format.
        format: &'static str,
        /// The formatter's message.
        reason: String,
    },
    /// An event-stream message that the framing rejects (too large a header or payload).
    #[error("{operation}: cannot frame the event-stream message for `{path}`: {source}")]
    EventFrame {
        /// The operation being serialized.
        operation: String,
        /// The event's path.
        path: String,
        /// The framing error.
        #[source]
        source: aws_smithy_eventstream::error::Error,
    },
}
