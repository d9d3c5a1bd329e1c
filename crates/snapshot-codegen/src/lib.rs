//! Harness code generation for cargo-snapshot.
//!
//! This crate owns turning a service's operations and their generated inputs into a Rust
//! workspace: one harness crate per client crate (built against the client's public API with
//! smithy-rs naming, [`naming`]: builders for the inputs, readers of the outputs and errors
//! for the round trip), plus the runtime crates it links (`snapshot-records`,
//! `snapshot-harness`). The runtime is the crates `[package.metadata.harness-runtime]` in this
//! crate's manifest names, embedded by `build.rs` from their sources, so an installed
//! cargo-snapshot writes them out without a checkout of this repository. Code is built as token
//! trees with `quote` and printed with `prettyplease`; manifests are built as TOML tables. It
//! does not run cargo.
#![warn(missing_docs)]

pub mod api;
mod construct;
pub mod drift;
mod errors;
mod facts;
mod harness;
mod manifest;
pub mod naming;
mod read;
mod runtime;
mod rust_types;
mod workspace;

pub use errors::CodegenError;
pub use facts::ClientFacts;
pub use harness::{
    generate_harness, harness_manifest_only, ClientCrate, ClientSource, GeneratedFile,
    GeneratedHarness, HarnessOperation,
};
pub use workspace::workspace_files;
