//! Files that belong with the snapshots without being snapshots, such as the lock of the
//! versions the harness was built with: one file each at the root of the snapshot directory,
//! written by the same [`Store::write_with_artifacts`](crate::Store::write_with_artifacts) as the
//! snapshots and in the same way (staged as a hidden file next to its target, then renamed over
//! it after every crate directory is staged).
//!
//! An artifact's name always contains a `.`, which no cargo package name does, so it can never
//! be taken for a crate directory; `.snap` names are refused so cargo-insta never sees one.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::errors::{NameRole, StoreError};
use crate::key::validate_name;

/// A file at the root of the snapshot directory, written together with the snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    file_name: String,
    contents: String,
}

impl Artifact {
    /// The file `file_name` (a plain name with an extension, `harness.lock`) holding `contents`.
    ///
    /// # Errors
    /// [`StoreError::InvalidName`] when the name is not a portable file name, has no `.`, or
    /// ends in `.snap` or `.snap.new`.
    pub fn new(
        file_name: impl Into<String>,
        contents: impl Into<String>,
    ) -> Result<Artifact, StoreError> {
        let file_name = file_name.into();
        validate_artifact_name(&file_name)?;
        Ok(Artifact {
            file_name,
            contents: contents.into(),
        })
    }

    /// The file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The file's text.
    pub fn contents(&self) -> &str {
        &self.contents
    }
}

/// What a write did to one artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactChange {
    /// It did not exist before.
    Created,
    /// Its text changed.
    Updated,
    /// It already held exactly this text and was not touched.
    Unchanged,
}

/// One artifact of a write and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactWrite {
    /// The artifact's file name.
    pub file_name: String,
    /// What the write did.
    pub change: ArtifactChange,
}

pub(crate) fn validate_artifact_name(file_name: &str) -> Result<(), StoreError> {
    validate_name(NameRole::Artifact, file_name)?;
    let reason = if !file_name.contains('.') {
        Some("it has no `.`, so it could be taken for a crate directory")
    } else if file_name.ends_with(".snap") || file_name.ends_with(".snap.new") {
        Some("`.snap` and `.snap.new` files are snapshots")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidName {
            role: NameRole::Artifact,
            name: file_name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// An artifact written to a hidden file next to its target, waiting to be renamed into place.
pub(crate) struct StagedArtifact {
    file: NamedTempFile,
    target: PathBuf,
}

/// Stages `artifact` for `dir`; `None` when the file already holds exactly its text.
pub(crate) fn stage(
    dir: &Path,
    artifact: &Artifact,
) -> Result<(Option<StagedArtifact>, ArtifactChange), StoreError> {
    let target = dir.join(&artifact.file_name);
    let change = match fs::read(&target) {
        Ok(bytes) if bytes == artifact.contents.as_bytes() => {
            return Ok((None, ArtifactChange::Unchanged))
        }
        Ok(_) => ArtifactChange::Updated,
        Err(err) if err.kind() == io::ErrorKind::NotFound => ArtifactChange::Created,
        Err(err) => return Err(StoreError::unreadable(&target, err)),
    };
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{}.cargo-snapshot-", artifact.file_name))
        .tempfile_in(dir)
        .map_err(|err| StoreError::unwritable(dir, err))?;
    file.write_all(artifact.contents.as_bytes())
        .map_err(|err| StoreError::unwritable(file.path(), err))?;
    Ok((Some(StagedArtifact { file, target }), change))
}

/// Renames a staged artifact over its target.
pub(crate) fn commit(staged: StagedArtifact) -> Result<(), StoreError> {
    let StagedArtifact { file, target } = staged;
    file.persist(&target)
        .map_err(|err| StoreError::unwritable(&target, err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain_files_that_no_crate_or_snapshot_can_have() {
        assert!(Artifact::new("harness.lock", "").is_ok());
        for bad in [
            "harness",
            ".harness.lock",
            "a/b.lock",
            "x.snap",
            "x.snap.new",
            "",
        ] {
            let error = Artifact::new(bad, "").unwrap_err();
            assert!(
                matches!(
                    error,
                    StoreError::InvalidName {
                        role: NameRole::Artifact,
                        ..
                    }
                ),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn staging_an_unchanged_artifact_touches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let artifact = Artifact::new("harness.lock", "one").unwrap();
        let (staged, change) = stage(dir.path(), &artifact).unwrap();
        assert_eq!(change, ArtifactChange::Created);
        // Staged but not committed: only the hidden staging file exists.
        assert!(!dir.path().join("harness.lock").exists());
        commit(staged.unwrap()).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("harness.lock")).unwrap(),
            "one"
        );
        let (staged, change) = stage(dir.path(), &artifact).unwrap();
        assert!(staged.is_none());
        assert_eq!(change, ArtifactChange::Unchanged);
        let other = Artifact::new("harness.lock", "two").unwrap();
        let (staged, change) = stage(dir.path(), &other).unwrap();
        assert_eq!(change, ArtifactChange::Updated);
        drop(staged);
        // A staged artifact that is dropped (a failed write) leaves nothing behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["harness.lock"]);
    }
}
