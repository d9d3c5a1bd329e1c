//! The dependency versions cargo-snapshot's harness workspace builds with.
//!
//! The harness workspace (one harness crate per client crate plus the runtime crates) would
//! otherwise resolve `aws-smithy-*`, `aws-runtime`, tokio and the rest afresh on every cold run,
//! so a new release of any of them could change a `compare` result with nothing changed by the
//! user. This crate owns the rules that prevent it (SPEC §8):
//!
//! * [`PackageSet`]: the registry and git packages of a Cargo.lock file (the lock committed
//!   with the snapshots, `<snapshot_dir>/harness.lock` ([`HARNESS_LOCK_FILE`]), the user's own
//!   `Cargo.lock`, the harness workspace's after cargo resolved it), keyed by
//!   [`PackageKey`] (name, version, source), rendered back in Cargo.lock format;
//! * [`RunLock`]: for one run in a [`LockMode`], the lock that seeds the harness workspace and,
//!   once cargo resolved it, whether the run stayed inside the committed lock (`compare`) or
//!   what lock to record with the snapshots (`write`, `write --update-lock`).
//!
//! It reads and writes lock files only; it runs no cargo and knows nothing of snapshots.
//! Where the lock file lives and how it is written atomically with the snapshots is
//! `snapshot-store`'s business.
#![warn(missing_docs)]

mod errors;
mod lockfile;
mod run_lock;

/// Exact package versions, as lock files hold them.
pub use cargo_lock::Version;
pub use errors::{LockError, StaleLock, Unlocked};
pub use lockfile::{PackageKey, PackageSet};
pub use run_lock::{LockMode, RunCoverage, RunLock, Settled};

/// The file name of the committed lock inside the snapshot directory. Not `Cargo.lock`, so
/// cargo never takes it for the lock of a package that contains the snapshot directory.
pub const HARNESS_LOCK_FILE: &str = "harness.lock";
