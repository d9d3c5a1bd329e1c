//! What the client made of a response: output, events, service error, or a failure.

use snapshot_records::Outcome;

use crate::debug_tree::normalize_debug;
use snapshot_normalize::Placeholders;

/// Renders an [`Outcome`]; `Debug` texts are normalized with [`normalize_debug`].
///
/// ```text
/// [output]
/// GetThingOutput { ... }
///
/// [event 1]
/// Event(...)
///
/// [stream error]
/// ...
/// ```
///
/// A service error shows what `ProvideErrorMetadata` and `ProvideErrorKind` expose, then the
/// error variant:
///
/// ```text
/// [service error]
/// code: "InvalidInput"
/// message: "__Message__"
/// request id: "<uuid:1>"
/// retryable error kind: (none)
/// variant:
/// InvalidInput(...)
/// ```
pub fn render_outcome(outcome: &Outcome, placeholders: &mut Placeholders) -> String {
    let text = match outcome {
        Outcome::Output {
            debug,
            events,
            stream_error,
        } => {
            let mut out = format!("[output]\n{}", normalize_debug(debug));
            for (i, event) in events.iter().enumerate() {
                out.push_str(&format!("\n\n[event {}]\n{}", i + 1, normalize_debug(event)));
            }
            if let Some(error) = stream_error {
                out.push_str(&format!("\n\n[stream error]\n{}", normalize_debug(error)));
            }
            out
        }
        Outcome::ServiceError {
            debug,
            code,
            message,
            request_id,
            retryable,
        } => format!(
            "[service error]\ncode: {}\nmessage: {}\nrequest id: {}\nretryable error kind: {}\nvariant:\n{}",
            quoted(code.as_deref()),
            quoted(message.as_deref()),
            quoted(request_id.as_deref()),
            retryable.as_deref().unwrap_or("(none)"),
            normalize_debug(debug)
        ),
        Outcome::ClientError { kind, display } => format!("[client error: {kind}]\n{display}"),
        Outcome::Panicked { message } => format!("[panicked]\n{message}"),
        Outcome::TimedOut { millis } => format!("[timed out after {millis} ms]"),
    };
    placeholders.replace_uuids(&text)
}

/// Quoted with Rust escapes, so that empty and blank values are visible.
fn quoted(value: Option<&str>) -> String {
    match value {
        Some(value) => format!("{value:?}"),
        None => "(none)".to_owned(),
    }
}
