//! The render stage: harness records as the normalized, deterministic text of snapshots.
//!
//! This crate owns the snapshot text format (SPEC §6, §7) and every normalization that makes
//! it the same on every run and machine. It knows nothing of models or code generation.
//!
//! Entry points render one part ([`render_http_request`], [`render_http_response`],
//! [`render_outcome`]) or a whole case ([`render_case`]); the caller composes a file from
//! them, in file order, sharing one [`Placeholders`] so that numbering is by first appearance
//! in the file. Placeholders, the UUID rules and the content-type classifier are
//! `snapshot-normalize`'s, shared with live runs and parity tests. A replayed case's round
//! trip ([`render_round_trip`]) follows its outcome. [`debug_tree`] parses `{:#?}` text (for
//! normalizing it and for live snapshots; no check reads it). Rendering never fails: content
//! that does not parse is shown raw with a note.
//!
//! Normalizations (each module documents its rule):
//!
//! * UUIDs become `<uuid:N>` by first appearance, except the fixed idempotency token.
//! * `authorization` (SigV4, SigV4a, bearer), `x-amz-date`, `*-token` headers, chunk, trailer
//!   and event signatures and event `:date`s become `<access-key>`, `<date>`,
//!   `<date-time>`, `<token>`, `<signature>`; a value is replaced only when it has the
//!   expected shape.
//! * User agents keep every token but versions, OS and Rust version.
//! * Map entries, which the client writes in `HashMap` order, are put in a canonical order in
//!   JSON (all objects sorted), XML (map entry runs), form bodies (awsQuery map groups
//!   renumbered), CBOR (RFC 8949 key order), query strings (sorted by name) and `Debug` output.
//! * What is computed from bytes whose map order varies is verified instead of shown: body
//!   digests in headers (`<sha256 of body>`), CRCs of event messages with structured payloads.
#![warn(missing_docs)]

mod body;
mod case;
mod debug_tree;
mod digest;
mod errors;
mod headers;
mod http;
mod outcome;
mod round_trip;
mod user_agent;

pub use case::{render_case, render_replay_case, render_request_case};
pub use debug_tree::{debug_tree, normalize_debug, DebugValue};
pub use errors::RenderError;
pub use http::{render_http_request, render_http_response};
pub use outcome::{render_error_summary, render_outcome};
pub use round_trip::{counted, render_round_trip, render_round_trip_line};
pub use snapshot_normalize::uuid::{FIXED_IDEMPOTENCY_TOKEN, UUID_KIND};
pub use snapshot_normalize::Placeholders;
