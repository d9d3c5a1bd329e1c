//! Harness code generation for cargo-snapshot.
#![warn(missing_docs)]

pub mod naming;
