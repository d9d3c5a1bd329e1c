//! Errors of reading lock files and of a run that needs versions the committed lock lacks.

use std::path::PathBuf;

use crate::PackageKey;

/// A lock file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The file exists but cannot be read.
    #[error("cannot read the lock file {}: {source}; check its permissions", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not in Cargo.lock format.
    #[error("{} is not a lock file cargo could have written: {reason}; restore it from version control, or delete it and run `cargo snapshot write --update-lock`", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
}

/// A package the run resolved that the committed lock does not hold at that version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlocked {
    /// What the run resolved.
    pub package: PackageKey,
    /// The versions of that package the lock holds (empty when it holds none).
    pub locked: Vec<cargo_lock::Version>,
}

/// `compare` would have to change the committed lock: it never does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaleLock {
    /// There is no committed lock, and the run resolved registry or git packages.
    #[error("{} is missing: `compare` builds the harness only with the versions locked there; run `cargo snapshot write` once to record it with the snapshots, and commit it", path.display())]
    Missing {
        /// Where the lock belongs.
        path: PathBuf,
    },
    /// The run needs packages the lock does not hold.
    #[error("{} does not lock what this run needs: {}; `compare` never changes the lock. If the change is intended (a new client version or service in snapshot.toml), run `cargo snapshot write` to record the snapshots together with the extended lock; `cargo snapshot write --update-lock` moves every harness dependency to its newest compatible version", path.display(), describe(unlocked))]
    Outdated {
        /// The committed lock.
        path: PathBuf,
        /// What the run resolved beyond it, sorted.
        unlocked: Vec<Unlocked>,
    },
}

/// The first few unlocked packages, each with the versions the lock holds instead.
fn describe(unlocked: &[Unlocked]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = unlocked
        .iter()
        .take(SHOWN)
        .map(|entry| {
            if entry.locked.is_empty() {
                format!("{} (not locked)", entry.package)
            } else {
                let versions: Vec<String> = entry.locked.iter().map(ToString::to_string).collect();
                format!("{} (locked: {})", entry.package, versions.join(", "))
            }
        })
        .collect();
    if unlocked.len() > SHOWN {
        parts.push(format!("and {} more", unlocked.len() - SHOWN));
    }
    parts.join(", ")
}
