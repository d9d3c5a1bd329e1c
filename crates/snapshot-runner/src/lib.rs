//! The cargo-snapshot pipeline.
//!
//! This crate owns running the stages in order for the services of a run: load each model,
//! generate inputs, outputs and errors ([`snapshot_values`]), serialize responses
//! ([`snapshot_wire`]), generate one harness crate per client ([`snapshot_codegen`]), build
//! them with cargo (tracing compiler errors back to single operations, which are excluded),
//! run them ([`snapshot_records`] plans and records), render the records
//! ([`snapshot_render`]) and store or compare the snapshots ([`snapshot_store`]). The result
//! is a [`RunReport`], saved for `cargo snapshot coverage`. The CLI maps configuration to
//! [`RunOptions`] and the outcome to exit codes. With [`RunOptions::endpoint`] set the run is a
//! live one ([`live`]): requests go to a real endpoint and its answers are the snapshots.
#![warn(missing_docs)]

mod build;
mod compose;
mod errors;
mod execute;
mod harness_dir;
pub mod live;
pub mod partition;
mod pipeline;
mod progress;
pub mod report;
mod rusage;
mod target;

pub use errors::RunError;
pub use live::{EndpointError, LiveEndpoint, LiveRun};
pub use partition::Partition;
pub use pipeline::{
    run, run_with_models, RunOutcome, FRONT_END_ERROR_SNAPSHOT, UNMODELED_ERROR_SNAPSHOT,
};
pub use progress::Progress;
pub use report::RunReport;
pub use target::{RunMode, RunOptions, ServiceTarget, Skip};
