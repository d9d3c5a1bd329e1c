//! cargo-snapshot: deterministic, reviewable snapshots of the wire behaviour of every
//! operation of a Smithy-generated Rust client.
//!
//! This crate is the command line and its orchestration. The modules, in the order a run
//! uses them:
//!
//! * [`cli`]: argument parsing (`cargo snapshot <command>`) and dispatch;
//! * [`config`]: `snapshot.toml`, found, parsed strictly and resolved to absolute paths;
//! * [`services`]: the services a command works on, with their Smithy models loaded;
//! * [`list`]: the `list` command;
//! * [`init`]: the `init` command (`snapshot.toml` for a workspace of generated crates);
//! * [`run`]: the `write` and `compare` commands, which drive [`snapshot_runner`];
//! * [`junit`], [`github`]: a run's results for CI (JUnit XML; GitHub annotations and step
//!   summary);
//! * [`coverage`]: the `coverage` command's format choice over [`snapshot_coverage`];
//! * [`errors`]: every error the CLI reports, and the exit code each maps to.
#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod coverage;
pub mod errors;
pub mod github;
pub mod init;
pub mod junit;
pub mod list;
pub mod run;
pub mod services;
