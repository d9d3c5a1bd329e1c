//! Every way the store can fail, each message naming the path or key and the fix.

use std::io;
use std::path::PathBuf;

use crate::key::SnapshotKey;

/// What a name in a [`SnapshotKey`] stands for, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRole {
    /// The client crate name (a directory under the snapshot directory).
    Crate,
    /// The operation or error shape name (the `.snap` file stem).
    Snapshot,
    /// The file name of an [`Artifact`](crate::Artifact) at the snapshot directory's root.
    Artifact,
}

impl std::fmt::Display for NameRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NameRole::Crate => "crate name",
            NameRole::Snapshot => "snapshot name",
            NameRole::Artifact => "artifact file name",
        })
    }
}

/// Errors of the snapshot store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A directory or file under the snapshot directory could not be created or written.
    #[error(
        "cannot write `{}`: {source}. Fix: make the snapshot directory writable (check its permissions \
         and that no parent is a regular file), or set `snapshot_dir` in snapshot.toml to a writable location",
        path.display()
    )]
    Unwritable {
        /// The path that could not be written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// A path that must be a directory is something else.
    #[error(
        "`{}` is not a directory, but the snapshot store needs a directory there. Fix: move the file away, \
         or set `snapshot_dir` in snapshot.toml to another location",
        path.display()
    )]
    NotADirectory {
        /// The offending path.
        path: PathBuf,
    },

    /// An existing snapshot file or directory could not be read.
    #[error("cannot read `{}`: {source}. Fix: check its permissions", path.display())]
    Unreadable {
        /// The path that could not be read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// An accepted `.snap` file is not in insta's file format.
    #[error(
        "`{}` is not a valid insta snapshot file: {reason}. Fix: restore it from version control, or delete it \
         and run `cargo snapshot write` to record it again",
        path.display()
    )]
    Malformed {
        /// The malformed file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A crate or snapshot name cannot be used as a file name.
    #[error("invalid {role} `{name}`: {reason}. Snapshot names become file names, so they must be plain, portable file names")]
    InvalidName {
        /// Which part of the key is invalid.
        role: NameRole,
        /// The name as given.
        name: String,
        /// Why it is rejected.
        reason: &'static str,
    },

    /// The same snapshot was handed to the store twice in one run.
    #[error("snapshot `{key}` was produced twice in one run; each operation and error shape must have exactly one snapshot per kind")]
    DuplicateSnapshot {
        /// The duplicated key.
        key: SnapshotKey,
    },

    /// A snapshot lies outside the scope the run declared, so pruning would be wrong.
    #[error("snapshot `{key}` is outside the scope declared for this run; include its crate, kind and name in the `Scope`")]
    OutsideScope {
        /// The key outside the scope.
        key: SnapshotKey,
    },

    /// Moving a staged directory into place failed; says what state was left behind.
    #[error(
        "could not move the new snapshots for `{}` into place: {source}. {state}",
        target.display()
    )]
    Swap {
        /// The directory being replaced.
        target: PathBuf,
        /// What the directory holds now.
        state: SwapState,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// `INSTA_PENDING_DIR` mode needs snapshots inside the workspace.
    #[error(
        "INSTA_PENDING_DIR is set, but the snapshot `{}` is not inside the workspace root `{}`, so cargo-insta \
         cannot map a pending file back to it. Fix: unset INSTA_PENDING_DIR, or set `snapshot_dir` in \
         snapshot.toml to a directory inside the workspace",
        path.display(),
        workspace_root.display()
    )]
    PendingDirOutsideWorkspace {
        /// The accepted snapshot path.
        path: PathBuf,
        /// The workspace root.
        workspace_root: PathBuf,
    },

    /// `cargo metadata` failed or printed something unexpected.
    #[error("cannot read the cargo workspace at `{}` with `cargo metadata`: {message}. Fix: run `cargo metadata --no-deps` there and fix what it reports", dir.display())]
    CargoMetadata {
        /// Where `cargo metadata` ran.
        dir: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// The state a failed directory swap left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwapState {
    /// The previous snapshots are still in place, unchanged.
    OldIntact,
    /// The previous snapshots were moved aside and could not be moved back.
    OldMovedAside {
        /// Where the previous snapshots are now.
        aside: PathBuf,
    },
}

impl std::fmt::Display for SwapState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SwapState::OldIntact => f.write_str("The previous snapshots are unchanged."),
            SwapState::OldMovedAside { aside } => write!(
                f,
                "The previous snapshots are in `{}`; move that directory back to restore them",
                aside.display()
            ),
        }
    }
}

impl StoreError {
    pub(crate) fn unwritable(path: impl Into<PathBuf>, source: io::Error) -> Self {
        StoreError::Unwritable {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn unreadable(path: impl Into<PathBuf>, source: io::Error) -> Self {
        StoreError::Unreadable {
            path: path.into(),
            source,
        }
    }
}
