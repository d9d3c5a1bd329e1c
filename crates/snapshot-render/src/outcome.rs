//! What the client made of a response: output, events, service error, or a failure.

use snapshot_records::Outcome;

use crate::debug_tree::{debug_tree, normalize_debug, DebugValue};
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
            ..
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

/// What the client made of a replayed error, on one line, for the compact per-operation
/// error snapshots: the error variant, then what `ProvideErrorMetadata` and `ProvideErrorKind`
/// expose.
///
/// ```text
/// variant NoSuchKey, code "NoSuchKey", message "__Message__", request id "<uuid:1>", retryable (none)
/// ```
///
/// Any other outcome says what the client returned instead (`[client error: ...] first line`).
pub fn render_error_summary(outcome: &Outcome, placeholders: &mut Placeholders) -> String {
    let text = match outcome {
        Outcome::ServiceError {
            debug,
            code,
            message,
            request_id,
            retryable,
            ..
        } => format!(
            "variant {}, code {}, message {}, request id {}, retryable {}",
            variant_name(debug),
            quoted(code.as_deref()),
            quoted(message.as_deref()),
            quoted(request_id.as_deref()),
            retryable.as_deref().unwrap_or("(none)"),
        ),
        Outcome::Output { .. } => "[output: the client returned no error]".to_owned(),
        Outcome::ClientError { kind, display } => format!(
            "[client error: {kind}] {}",
            display.lines().next().unwrap_or_default()
        ),
        Outcome::Panicked { message } => {
            format!("[panicked] {}", message.lines().next().unwrap_or_default())
        }
        Outcome::TimedOut { millis } => format!("[timed out after {millis} ms]"),
    };
    placeholders.replace_uuids(&text)
}

/// The error variant a `{:#?}` text shows (`NoSuchKey` of `NoSuchKey(NoSuchKey { .. })`).
fn variant_name(debug: &str) -> String {
    match debug_tree(debug) {
        Ok(DebugValue::Tuple { name, .. } | DebugValue::Struct { name, .. })
            if !name.is_empty() =>
        {
            name
        }
        Ok(DebugValue::Atom(name)) => name,
        _ => "(unreadable)".to_owned(),
    }
}

/// Quoted with Rust escapes, so that empty and blank values are visible.
fn quoted(value: Option<&str>) -> String {
    match value {
        Some(value) => format!("{value:?}"),
        None => "(none)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service_error(debug: &str, code: Option<&str>) -> Outcome {
        Outcome::ServiceError {
            debug: debug.to_owned(),
            code: code.map(str::to_owned),
            message: Some("__message__".to_owned()),
            request_id: Some("0b5d6e7c-1f2a-4b3c-8d9e-0f1a2b3c4d5e".to_owned()),
            retryable: Some("ThrottlingError".to_owned()),
            cause: None,
        }
    }

    #[test]
    fn an_error_summary_names_the_variant_and_what_the_metadata_says() {
        let mut placeholders = Placeholders::new();
        let modeled = service_error(
            "NoSuchKey(\n    NoSuchKey {\n        message: None,\n    },\n)",
            Some("NoSuchKey"),
        );
        assert_eq!(
            render_error_summary(&modeled, &mut placeholders),
            "variant NoSuchKey, code \"NoSuchKey\", message \"__message__\", request id \"<uuid:1>\", retryable ThrottlingError"
        );
        let unhandled = service_error(
            "Unhandled(Unhandled { source: ErrorMetadata { code: None } })",
            None,
        );
        assert!(render_error_summary(&unhandled, &mut placeholders)
            .starts_with("variant Unhandled, code (none), "));
        let client = Outcome::ClientError {
            kind: "ResponseError".to_owned(),
            display: "failed to parse\nthe body".to_owned(),
        };
        assert_eq!(
            render_error_summary(&client, &mut placeholders),
            "[client error: ResponseError] failed to parse"
        );
    }
}
