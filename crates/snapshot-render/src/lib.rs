//! The render stage: harness records as the normalized, deterministic text of snapshots.
//!
//! This crate owns the snapshot text format (SPEC §6, §7) and every normalization that makes
//! it the same on every run and machine: reference placeholders for UUIDs, redaction of
//! credentials, signatures and signing times, user agents without build facts, and a
//! canonical order for map entries (which the client emits in `HashMap` order) in JSON, XML,
//! form, CBOR bodies and in `Debug` output. It knows nothing of models or code generation.
//!
//! Entry points render one part ([`render_http_request`], [`render_http_response`],
//! [`render_outcome`]) or a whole case ([`render_case`]); the caller composes a file from
//! them, in file order, sharing one [`Placeholders`] so that numbering is by first appearance
//! in the file. [`debug_tree`] exposes the parsed `{:#?}` tree for checks on the client's
//! values. Rendering never fails: content that does not parse is shown raw with a note.
#![warn(missing_docs)]

mod body;
mod case;
mod debug_tree;
mod digest;
mod errors;
mod headers;
mod http;
mod outcome;
mod placeholders;
mod user_agent;

pub use case::{render_case, render_error_case, render_request_case, render_response_case};
pub use debug_tree::{debug_tree, normalize_debug, DebugValue};
pub use errors::RenderError;
pub use http::{render_http_request, render_http_response};
pub use outcome::render_outcome;
pub use placeholders::{Placeholders, FIXED_IDEMPOTENCY_TOKEN, UUID_KIND};
