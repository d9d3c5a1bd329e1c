//! Scratch directories of the measuring tasks, under the target directory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::corpus;

/// `dir` when given, else `<target dir>/<name>` (`$CARGO_TARGET_DIR` or the workspace's
/// `target/`), made absolute.
pub fn work_dir(dir: Option<&Path>, name: &str) -> Result<PathBuf> {
    let dir = dir.map_or_else(
        || {
            std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| corpus::workspace_root().join("target"), PathBuf::from)
                .join(name)
        },
        Path::to_owned,
    );
    absolute(&dir)
}

/// `path` made absolute against the current directory.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    Ok(if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()?.join(path)
    })
}

/// An empty directory at `path`.
pub fn reset(path: &Path) -> Result<()> {
    if path.exists() {
        std::fs::remove_dir_all(path).with_context(|| format!("removing {}", path.display()))?;
    }
    std::fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))
}
