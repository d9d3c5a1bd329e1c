//! The storage stage of cargo-snapshot: named text snapshots as insta `.snap` files.
//!
//! This crate owns the snapshot directory and nothing else; it knows nothing of HTTP,
//! Smithy models or clients. It stores [`Snapshot`]s under
//! `<snapshot_dir>/<crate>/{requests,responses,errors}/<Name>.snap`:
//!
//! * [`Store::write`] records the snapshots of a run, replacing the part of the directory the
//!   run covered ([`Scope`]) atomically and deleting snapshots that are no longer produced
//!   (but only inside the scope) along with stale pending files.
//! * [`Store::compare`] never touches an accepted `.snap`: each changed or new snapshot goes
//!   to a pending `.snap.new` file that `cargo insta review` / `cargo insta accept` picks up,
//!   and the [`CompareReport`] lists passed, changed (with a [`SnapshotDiff`]), new and removed
//!   snapshots.
//! * [`Store::list`], [`Store::list_pending`] and [`Store::last_modified`] say what is on disk
//!   for one crate (what `cargo snapshot coverage` counts).
//! * [`format`](mod@format) writes files byte-for-byte as insta does, so accepting a pending file with the
//!   real cargo-insta gives exactly the file `write` would have written.
//! * [`Artifact`]s are files that belong with the snapshots without being snapshots (the lock
//!   of the harness's dependency versions): [`Store::write_with_artifacts`] writes them at the
//!   directory's root in the same step as the snapshots, [`Store::read_artifact`] reads them.
//! * [`InstaSearch`] tells whether cargo-insta will actually look in the snapshot directory —
//!   it does not search the root of a virtual workspace; see [`discovery`] for the rules.
#![warn(missing_docs)]

mod artifact;
pub mod discovery;
mod errors;
pub mod format;
mod key;
mod replace;
mod report;
mod scope;
mod store;

pub use artifact::{Artifact, ArtifactChange, ArtifactWrite};
pub use discovery::{InstaSearch, Undiscoverable};
pub use errors::{NameRole, StoreError, SwapState};
pub use key::{Kind, Snapshot, SnapshotKey, DEFAULT_SOURCE};
pub use report::{
    CompareReport, CompareResult, Counts, DiffOptions, Outcome, SnapshotDiff, WriteSummary,
};
pub use scope::{Coverage, Scope};
pub use store::{PendingLocation, Store, StoredSnapshot};
