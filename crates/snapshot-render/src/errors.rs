//! Errors of the render stage.
//!
//! Rendering itself never fails: a body or a `Debug` text that cannot be parsed is shown raw
//! with a note saying why. These errors surface where a caller asks for a parsed structure
//! ([`crate::debug_tree`]) and inside the notes.

use thiserror::Error;

/// Why a text could not be parsed into the structure a renderer needed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderError {
    /// The text is not Rust `{:#?}` output the parser understands.
    #[error(
        "cannot parse Debug output at byte {offset}: {reason}; the snapshot shows the raw text \
         instead (if the client's Debug format changed, extend `snapshot_render::debug_tree`)"
    )]
    Debug {
        /// Byte offset of the problem in the text.
        offset: usize,
        /// What was expected there.
        reason: String,
    },
    /// A body does not match the format its content type announces.
    #[error("{format} body is malformed at byte {offset}: {reason}")]
    Body {
        /// The format (`json`, `xml`, `cbor`, `aws-chunked`, `event-stream`).
        format: &'static str,
        /// Byte offset of the problem in the body.
        offset: usize,
        /// What is wrong there.
        reason: String,
    },
}

impl RenderError {
    pub(crate) fn body(format: &'static str, offset: usize, reason: impl Into<String>) -> Self {
        RenderError::Body {
            format,
            offset,
            reason: reason.into(),
        }
    }
}
