//! Parity snapshots against live endpoints.
//!
//! Record what a service really returns once (the ground truth), then verify that another
//! implementation (an emulator such as moto or LocalStack, or a new SDK release) returns the
//! same. This crate owns:
//!
//! * the per-test [`Snapshot`] session (`match_`, `match_response`, `skip`, `finish`) and its
//!   snapshot file, one `<test-file>.snapshot.json` per test file ([`file`](mod@file));
//! * the [`WireRecorder`] interceptor, which captures every response of any `aws-sdk-*`
//!   client as a structured tree, whatever the protocol ([`recorder`]);
//! * the readable report of a failed verification ([`report`]);
//! * the target chosen by environment ([`target`]), a moto server for tests ([`moto`]), and
//!   per-operation parity metrics ([`metrics`]).
//!
//! The normalization it applies (placeholders, transformers, body decoding, structural diffs)
//! is `snapshot-normalize`'s, shared with cargo-snapshot's live runs; its modules are
//! re-exported here ([`aws`], [`transform`], [`path`], [`diff`](mod@diff), [`decode`], [`placeholders`])
//! so that a parity test needs one dependency.
//!
//! Everything that talks to a client or a target (sessions, the recorder, targets, the moto
//! launcher, and the `aws-*` runtime crates they need) is behind the default `session`
//! feature. Without it the crate is only the file formats ([`metrics`], [`file`](mod@file)), which
//! `cargo snapshot coverage` reads.
//!
//! ```no_run
//! # async fn example() -> Result<(), snapshot_parity::ParityError> {
//! use snapshot_parity::{aws, snapshot, Target};
//!
//! let target = Target::from_env()?; // TEST_TARGET, SNAPSHOT_ENDPOINT_URL
//! let mut snapshot = snapshot!().with_target(&target);
//! snapshot.add_transformers(aws::sqs()).add_transformers(aws::common());
//! snapshot.skip("$.get-attributes.body.Attributes.Policy", "moto omits the default policy")?;
//!
//! let config = aws_sdk_sqs::config::Builder::from(&target.sdk_config().await?)
//!     .interceptor(snapshot.recorder())
//!     .build();
//! let sqs = aws_sdk_sqs::Client::from_conf(config);
//! sqs.create_queue().queue_name("orders").send().await.ok();
//! snapshot.match_response("create-queue")?;
//! snapshot.finish()?; // records with SNAPSHOT_UPDATE=1, verifies otherwise
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod errors;
pub mod file;
pub mod metrics;
#[cfg(feature = "session")]
pub mod moto;
#[cfg(feature = "session")]
pub mod recorder;
pub mod report;
#[cfg(feature = "session")]
mod session;
#[cfg(feature = "session")]
pub mod target;

pub use snapshot_normalize::{aws, decode, diff, path, placeholders, transform};
pub use snapshot_normalize::{
    compare, compare_entries, Comparison, Difference, JsonPath, PathError, PathPattern,
    Placeholders, Replacement, RuleError, SkipPath, Transformer, Transformers,
};

pub use errors::ParityError;
pub use metrics::{KeyStatus, Mode, ParityMetrics};
#[cfg(feature = "session")]
pub use moto::MotoServer;
#[cfg(feature = "session")]
pub use recorder::{CapturedResponse, OperationRef, WireRecorder};
#[cfg(feature = "session")]
pub use session::{Outcome, Snapshot, TestLocation};
#[cfg(feature = "session")]
pub use target::Target;
