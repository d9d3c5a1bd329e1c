//! Normalization shared by every kind of snapshot cargo-snapshot and its parity tests make.
//!
//! A snapshot must be the same on every run and machine, yet show where two values are equal.
//! This crate owns the rules that get there, in one place for the three users: the renderer
//! (`snapshot-render`, snapshot text), live runs (`snapshot-runner`, one JSON tree per
//! operation) and parity tests (`snapshot-parity`):
//!
//! * [`Placeholders`], the one engine of reference placeholders (`<uuid:1>`, `<queue-url:2>`):
//!   numbered by first appearance, equal values keep equal names ([`placeholders`], with the
//!   UUID rules in [`uuid`]);
//! * [`MediaType`], the one classifier of content types ([`media_type`]);
//! * bodies decoded into JSON trees by content type, and a wire response as such a tree
//!   ([`decode`], [`response`]);
//! * transformers that turn volatile values in trees into placeholders, with ready-made sets
//!   for AWS identifiers ([`transform`], [`path`], [`aws`]);
//! * structural diffs of trees, with skip paths for accepted differences ([`diff`]).
//!
//! It knows nothing of models, harnesses or the store: its inputs are bytes, headers, text and
//! `serde_json` trees.
#![warn(missing_docs)]

pub mod aws;
pub mod decode;
pub mod diff;
mod errors;
pub mod media_type;
pub mod path;
pub mod placeholders;
pub mod response;
pub mod transform;
pub mod uuid;

pub use diff::{compare, compare_entries, diff, Comparison, Difference, SkipPath};
pub use errors::{PathError, RuleError};
pub use media_type::MediaType;
pub use path::{JsonPath, PathPattern};
pub use placeholders::Placeholders;
pub use response::{CapturedBody, CapturedResponse, OperationRef};
pub use transform::{Replacement, Transformer, Transformers};
