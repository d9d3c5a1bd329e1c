//! End-to-end tests of `cargo snapshot write` and `compare` on real aws-sdk crates from
//! crates.io and the real models in `../shared/models` (or `$SNAPSHOT_MODELS_DIR`): determinism,
//! the review cycle with the real cargo-insta, bad input, and the round trip on a client with
//! keyword members and on a deliberately broken copy of a client. They build the SDK crates, so
//! they use a small service set (sso, sts, and appconfig's trimmed model from
//! `../shared/cases`) and share one harness build directory; the tests
//! run one at a time (see `support::serial`).
//!
//! Needs: the model corpus, network access to crates.io (or a warm cargo cache), `cargo-insta`,
//! and `faketime` (Debian/Ubuntu package `faketime`). A missing one fails the test with the fix.

mod bad_input;
mod ci;
mod determinism;
mod drift;
mod lock;
mod review;
mod round_trip;
mod support;
