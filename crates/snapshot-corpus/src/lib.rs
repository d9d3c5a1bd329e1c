//! Where the workspace's test data lives, for its tests and for xtask (a dev-only crate, never a
//! dependency of the product): the workspace root, the real-model corpus, its models and its
//! core set.
//!
//! The real AWS models are never copied into the repository; tests read them from
//! `$SNAPSHOT_MODELS_DIR`, else `../shared/models` next to the workspace root, and fail (never
//! skip) when they are missing. The hand-written fixture models are `snapshot-model`'s
//! (`snapshot_model::test_util`).

use std::path::{Path, PathBuf};

use snapshot_model::Model;

/// The environment variable naming the real-model corpus directory.
pub const MODELS_DIR_ENV: &str = "SNAPSHOT_MODELS_DIR";

/// How many models the corpus holds.
pub const CORPUS_SIZE: usize = 28;

/// The core set of the corpus, by service name in the workspace's `snapshot.toml`: one or
/// more services per protocol, with the largest (s3) and event streams. End-to-end runs and
/// benchmarks use it when a full corpus run would take too long.
pub const CORE_SERVICES: [&str; 10] = [
    "sts",
    "sso",
    "sqs",
    "dynamodb",
    "kinesis",
    "arcregionswitch",
    "route53",
    "s3",
    "lambda",
    "transcribestreaming",
];

/// The workspace root (this crate lives in `crates/snapshot-corpus`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .expect("crates/snapshot-corpus lies two levels below the workspace root")
        .to_owned()
}

/// The real-model corpus: `$SNAPSHOT_MODELS_DIR`, else `../shared/models` next to the
/// workspace root. Panics, saying how to fix it, when the directory does not hold the
/// corpus (its `README.md`).
pub fn models_dir() -> PathBuf {
    let dir = match std::env::var_os(MODELS_DIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/models"),
    };
    assert!(
        dir.join("README.md").is_file(),
        "the real-model corpus is missing: expected {}/README.md; put the models in \
         ../shared/models next to this checkout or set {MODELS_DIR_ENV} to the directory \
         holding the shared AWS models",
        dir.display()
    );
    dir
}

/// The corpus model files (`*.json` in [`models_dir`]), sorted by name. Panics unless there
/// are [`CORPUS_SIZE`] of them.
pub fn model_files() -> Vec<PathBuf> {
    let dir = models_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read the corpus at {}: {error}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        CORPUS_SIZE,
        "expected the {CORPUS_SIZE} corpus models in {}",
        dir.display()
    );
    files
}

/// One model of the corpus.
#[derive(Debug)]
pub struct CorpusModel {
    /// The model file.
    pub path: PathBuf,
    /// The file name (`s3.json`), for messages.
    pub file_name: String,
    /// The loaded model.
    pub model: Model,
}

/// The corpus models in file-name order, each loaded when the iterator reaches it (so only
/// one is in memory at a time). Panics with the model error when one does not load.
pub fn load_corpus() -> impl Iterator<Item = CorpusModel> {
    model_files().into_iter().map(|path| {
        let model = Model::load(&path).unwrap_or_else(|error| panic!("{error}"));
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        CorpusModel {
            path,
            file_name,
            model,
        }
    })
}
