//! The harness workspace's dependency versions, for one run: the committed lock
//! (`<snapshot_dir>/harness.lock`, read through the store) and the user's `Cargo.lock` files
//! seed the workspace's `Cargo.lock` before cargo first resolves it; once it has, the
//! resolve is settled against the committed lock ([`snapshot_lock::RunLock`]: `compare` fails
//! when it would have to change, `write` records the lock as an artifact of the snapshots).

use std::path::Path;

use snapshot_lock::{PackageSet, RunCoverage, RunLock, Settled, HARNESS_LOCK_FILE};
use snapshot_store::{Artifact, Store};

use crate::{RunError, RunOptions};

/// The lock of one run, before and after cargo resolved the harness workspace.
#[derive(Debug)]
pub(crate) struct HarnessLock {
    run: RunLock,
    settled: Option<Settled>,
}

impl HarnessLock {
    /// Reads the committed lock and the user's locks the options name.
    pub(crate) fn open(options: &RunOptions) -> Result<HarnessLock, RunError> {
        let store = Store::new(&options.snapshot_dir, &options.workspace_root);
        let committed_path = store.artifact_path(HARNESS_LOCK_FILE);
        let committed = match store.read_artifact(HARNESS_LOCK_FILE)? {
            Some(text) => Some(PackageSet::parse(&text, &committed_path)?),
            None => None,
        };
        let mut run = RunLock::new(options.lock.mode, &committed_path, committed);
        for path in &options.lock.user_locks {
            if let Some(user) = PackageSet::read(path)? {
                run = run.with_user_lock(&user);
            }
        }
        Ok(HarnessLock { run, settled: None })
    }

    /// Writes the seed as the workspace's `Cargo.lock`, unless it already locks exactly the
    /// seed's registry and git packages (then cargo has nothing to resolve again).
    pub(crate) fn seed(&self, root: &Path) -> Result<(), RunError> {
        let path = root.join("Cargo.lock");
        let seed = self.run.seed();
        if PackageSet::read(&path).ok().flatten().as_ref() == Some(&seed) {
            return Ok(());
        }
        let written = match seed.is_empty() {
            // Nothing to pin: cargo resolves from scratch, as without a lock.
            true => match std::fs::remove_file(&path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
                _ => Ok(()),
            },
            false => std::fs::write(&path, seed.render()),
        };
        written.map_err(|source| RunError::HarnessIo { path, source })
    }

    /// Judges the workspace's `Cargo.lock` as cargo resolved it for the run's services
    /// (`coverage`: only when cargo resolved every configured service may a written lock drop
    /// entries); a `compare` that would have to change the committed lock stops the run here.
    pub(crate) fn settle(&mut self, root: &Path, coverage: RunCoverage) -> Result<(), RunError> {
        let path = root.join("Cargo.lock");
        let resolved = PackageSet::read(&path)?.unwrap_or_default();
        self.settled = Some(self.run.settle(&resolved, coverage)?);
        Ok(())
    }

    /// Whether [`HarnessLock::settle`] ran.
    pub(crate) fn is_settled(&self) -> bool {
        self.settled.is_some()
    }

    /// The lock to write with the snapshots, if the run records one.
    pub(crate) fn artifact(&self) -> Result<Option<Artifact>, RunError> {
        let Some(record) = self
            .settled
            .as_ref()
            .and_then(|settled| settled.record.as_ref())
        else {
            return Ok(None);
        };
        Ok(Some(Artifact::new(HARNESS_LOCK_FILE, record.render())?))
    }

    /// What settling decided, once it ran.
    pub(crate) fn settled(&self) -> Option<&Settled> {
        self.settled.as_ref()
    }
}
