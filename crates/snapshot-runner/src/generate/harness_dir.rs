//! Keeps the generated harness workspace on disk in step with what codegen produced,
//! touching only files whose contents changed so cargo does not rebuild needlessly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use snapshot_codegen::GeneratedFile;
use walkdir::WalkDir;

use crate::RunError;

/// Writes `files` under `root`, skipping unchanged ones, and removes generated sources that
/// are no longer produced (e.g. an operation excluded after a compile error) inside
/// `managed_dirs`. Returns how many files were written.
pub(crate) fn sync(
    root: &Path,
    files: &[GeneratedFile],
    managed_dirs: &[PathBuf],
) -> Result<usize, RunError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| RunError::HarnessIo { path, source }
    };
    let mut written = 0;
    let mut wanted = BTreeSet::new();
    for file in files {
        let path = root.join(&file.path);
        wanted.insert(path.clone());
        if std::fs::read(&path).is_ok_and(|existing| existing == file.contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, &file.contents).map_err(io(&path))?;
        written += 1;
    }
    for dir in managed_dirs {
        let src = root.join(dir).join("src");
        if !src.exists() {
            continue;
        }
        for entry in WalkDir::new(&src).into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if entry.file_type().is_file() && !wanted.contains(path) {
                std::fs::remove_file(path).map_err(io(path))?;
            }
        }
    }
    Ok(written)
}
