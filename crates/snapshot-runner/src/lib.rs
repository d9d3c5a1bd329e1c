//! The cargo-snapshot pipeline.
//!
//! This crate owns running the stages in order for the services of a run; `pipeline` is the
//! table of contents, and each stage is a module that knows nothing of the later ones:
//!
//! - `prepare`: the harness workspace's manifests, its dependency versions (seeded from the
//!   committed `harness.lock` and the user's `Cargo.lock`, checked or recorded with
//!   [`snapshot_lock`]) and what the client crates' sources say (their API, through
//!   `cargo metadata`);
//! - `plan`: per service, the generated input of every operation in scope
//!   ([`snapshot_values`]), its output responses and a response for every error it declares
//!   ([`snapshot_wire`]), and what is excluded before anything is built;
//! - `generate`: the harness code, generated once with the clients' facts
//!   ([`snapshot_codegen`]) and written where it changed;
//! - `build`: `cargo build`, with compiler errors traced back to single operations, which are
//!   excluded before the next attempt;
//! - `execute`: the harness processes, side by side ([`snapshot_records`] plans and records);
//! - `verify`: the round trip, every generated member back from the client;
//! - `compose`: records → snapshot texts ([`snapshot_render`]): requests, responses, each
//!   error's full snapshot and each operation's compact error snapshot; and the report's rows;
//! - the store ([`snapshot_store`]) writes or compares them.
//!
//! The result is a [`RunReport`], saved for `cargo snapshot coverage`. The CLI maps
//! configuration to [`RunOptions`] and the outcome to exit codes. With
//! [`RunOptions::endpoint`] set the run is a live one ([`live`]): requests go to a real
//! endpoint and its answers are the snapshots.
#![warn(missing_docs)]

mod build;
mod compose;
mod errors;
mod execute;
mod generate;
pub mod live;
mod lock;
pub mod partition;
mod pipeline;
mod plan;
mod prepare;
mod progress;
pub mod report;
mod rusage;
mod target;
mod verify;

pub use errors::RunError;
pub use live::{EndpointError, LiveEndpoint, LiveRun};
pub use partition::Partition;
pub use pipeline::{run, run_with_models, RunOutcome};
pub use plan::errors::{
    FRONT_END_ERROR_SNAPSHOT, UNCODED_ERROR_SNAPSHOT, UNMODELED_ERROR_SNAPSHOT,
};
pub use progress::Progress;
pub use report::RunReport;
pub use snapshot_lock::{LockMode, RunCoverage};
pub use target::{LockOptions, RunMode, RunOptions, ServiceTarget, Skip};
