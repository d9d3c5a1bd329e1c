//! The snapshot file: one JSON file per test file, next to it (`tests/sqs.rs` →
//! `tests/sqs.snapshot.json`), holding one entry per test:
//!
//! ```json
//! {
//!   "queue_lifecycle": {
//!     "recorded-date": "2026-05-01T12:00:00Z",
//!     "recorded-against": "moto",
//!     "recorded-content": { "create-queue": { "status": 200, "headers": {}, "body": {} } }
//!   }
//! }
//! ```
//!
//! Tests are sorted by id; the keys of `recorded-content` keep the order of the `match_` calls.
//! Writers lock the file, so tests running in parallel (threads or processes) can record into
//! the same file.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::errors::ParityError;

/// One test's recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedTest {
    /// When it was recorded (UTC, RFC 3339).
    #[serde(rename = "recorded-date")]
    pub recorded_date: String,
    /// The target it was recorded against.
    #[serde(
        rename = "recorded-against",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub recorded_against: Option<String>,
    /// The transformed values, by `match_` key, in call order.
    #[serde(rename = "recorded-content")]
    pub recorded_content: IndexMap<String, Value>,
}

/// The whole file: recordings by test id.
pub type SnapshotFileContent = BTreeMap<String, RecordedTest>;

/// The snapshot file that belongs to a test source file: same directory and stem, extension
/// `.snapshot.json`.
pub fn snapshot_file_for(source: &Path) -> PathBuf {
    source.with_extension("snapshot.json")
}

/// Reads a snapshot file; a missing file is an empty one.
pub fn load(path: &Path) -> Result<SnapshotFileContent, ParityError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(path, &text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(source) => Err(ParityError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        }),
    }
}

fn parse<T: DeserializeOwned + Default>(path: &Path, text: &str) -> Result<T, ParityError> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(text).map_err(|source| ParityError::MalformedFile {
        path: path.to_owned(),
        source,
    })
}

/// Replaces (or adds) one test's recording.
pub fn store(path: &Path, test: &str, recording: RecordedTest) -> Result<(), ParityError> {
    update_locked(path, |content: &mut SnapshotFileContent| {
        content.insert(test.to_owned(), recording);
    })
}

/// Reads, changes and rewrites a JSON file while holding an exclusive lock on it.
pub(crate) fn update_locked<T, F>(path: &Path, change: F) -> Result<(), ParityError>
where
    T: Serialize + DeserializeOwned + Default,
    F: FnOnce(&mut T),
{
    let io = |action: &'static str| {
        let path = path.to_owned();
        move |source| ParityError::Io {
            action,
            path,
            source,
        }
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io("create directory for"))?;
    }
    let mut file: File = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io("open"))?;
    // The lock is released when `file` is dropped.
    file.lock().map_err(io("lock"))?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(io("read"))?;
    let mut content: T = parse(path, &text)?;
    change(&mut content);
    let mut rendered =
        serde_json::to_string_pretty(&content).map_err(|source| ParityError::MalformedFile {
            path: path.to_owned(),
            source,
        })?;
    rendered.push('\n');
    file.seek(SeekFrom::Start(0)).map_err(io("write"))?;
    file.set_len(0).map_err(io("write"))?;
    file.write_all(rendered.as_bytes()).map_err(io("write"))?;
    file.flush().map_err(io("write"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn store_merges_entries_and_load_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/sqs.snapshot.json");
        assert!(load(&path).unwrap().is_empty());
        let mut content = IndexMap::new();
        content.insert("z-first".to_owned(), json!({"status": 200}));
        content.insert("a-second".to_owned(), json!(null));
        let recording = RecordedTest {
            recorded_date: "2026-01-01T00:00:00Z".into(),
            recorded_against: Some("moto".into()),
            recorded_content: content,
        };
        store(&path, "test_b", recording.clone()).unwrap();
        store(&path, "test_a", recording.clone()).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.keys().collect::<Vec<_>>(), vec!["test_a", "test_b"]);
        assert_eq!(loaded["test_b"], recording);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.find("z-first").unwrap() < text.find("a-second").unwrap());
        assert!(text.contains("\"recorded-date\": \"2026-01-01T00:00:00Z\""));
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn malformed_files_name_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.snapshot.json");
        std::fs::write(&path, "{ not json").unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(
            err.contains("bad.snapshot.json is not a valid parity file"),
            "{err}"
        );
        assert!(err.contains("SNAPSHOT_UPDATE=1"), "{err}");
    }

    #[test]
    fn sibling_file_name() {
        assert_eq!(
            snapshot_file_for(Path::new("tests/sqs.rs")),
            PathBuf::from("tests/sqs.snapshot.json")
        );
    }
}
