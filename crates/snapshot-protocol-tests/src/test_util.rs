//! Test support (feature `test-util`): the protocol-test models `cargo xtask codegen` builds.
//!
//! They come from Maven (never committed): tests read them from `$SNAPSHOT_CODEGEN_DIR`, else
//! `target/codegen` under the workspace root, and fail (never skip) when they are missing.

use std::path::PathBuf;

use snapshot_model::Model;

/// The environment variable naming the codegen output directory.
pub const CODEGEN_DIR_ENV: &str = "SNAPSHOT_CODEGEN_DIR";

/// The codegen output directory. Panics, saying how to fix it, when it holds no models.
pub fn codegen_dir() -> PathBuf {
    let dir = match std::env::var_os(CODEGEN_DIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => snapshot_corpus::workspace_root().join("target/codegen"),
    };
    assert!(
        dir.join("models").is_dir(),
        "the protocol-test models are missing: expected {}/models; run `cargo xtask codegen` \
         (needs Maven and Java 17) or set {CODEGEN_DIR_ENV} to its output directory",
        dir.display()
    );
    dir
}

/// Every protocol-test model (`models/`, then `customizations/`), by file name, loaded.
pub fn protocol_test_models() -> Vec<(String, Model)> {
    let dir = codegen_dir();
    let mut models = Vec::new();
    for sub in ["models", "customizations"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        for file in files {
            let model =
                Model::load(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
            let name = format!(
                "{sub}/{}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
            models.push((name, model));
        }
    }
    models
}
