//! The harness runtime: the crates every harness workspace holds besides the harnesses, as
//! `build.rs` embedded them from `[package.metadata.harness-runtime]` in this crate's manifest
//! (each crate's `Cargo.toml` and every file under its `src/`).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::CodegenError;

/// The runtime as embedded.
#[derive(Debug, Deserialize)]
pub(crate) struct Runtime {
    /// The runtime packages, in dependency order (`snapshot-records`, `snapshot-harness`).
    pub(crate) crates: Vec<String>,
    /// The package generated harnesses depend on and call (`::snapshot_harness::...`).
    pub(crate) linked: String,
    /// Every file, its path starting with its package's directory in the harness workspace.
    pub(crate) files: Vec<RuntimeFile>,
}

/// One embedded file.
#[derive(Debug, Deserialize)]
pub(crate) struct RuntimeFile {
    /// `snapshot-harness/src/runner.rs`.
    pub(crate) path: String,
    /// The file as it is in this repository.
    pub(crate) contents: String,
}

const EMBEDDED: &str = include_str!(concat!(env!("OUT_DIR"), "/harness-runtime.json"));

/// The embedded runtime, read once.
pub(crate) fn runtime() -> Result<&'static Runtime, CodegenError> {
    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| serde_json::from_str(EMBEDDED).map_err(|error| error.to_string()))
        .as_ref()
        .map_err(|reason| CodegenError::EmbeddedRuntime {
            reason: reason.clone(),
        })
}
