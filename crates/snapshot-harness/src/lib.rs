//! Runtime for the harness crates that cargo-snapshot generates.
//!
//! A generated harness links this crate and the client crate under test. This crate owns
//! everything that is the same for every client: the capturing/replaying HTTP client
//! ([`capture`]) and, for live runs, its forwarding to a real endpoint ([`forward`]), the mock setup every client gets per SPEC §5 ([`setup`]), turning a
//! client result into a [`snapshot_records::Outcome`] ([`outcome`]), reading the client's
//! values through their typed fields ([`read`]) and comparing them with what the replayed
//! response carried ([`round_trip`]), and the case loop that
//! reads a plan, runs each case with a timeout and panic isolation, and writes one JSON
//! line per case ([`runner`]). Rendering and normalization happen later, in cargo-snapshot.
#![warn(missing_docs)]

pub mod capture;
pub mod forward;
pub mod outcome;
pub mod read;
pub mod round_trip;
pub mod runner;
pub mod setup;
pub mod values;

pub use aws_smithy_types as smithy_types;
pub use snapshot_records as records;
