//! End-to-end tests of `cargo snapshot write` and `compare` on real aws-sdk crates from
//! crates.io and the real models in `../shared/models` (or `$SNAPSHOT_MODELS_DIR`): determinism,
//! the review cycle with the real cargo-insta, bad input, the round trip on a client with
//! keyword members and on a deliberately broken copy of a client, and response variants on a
//! client of each protocol. They build the SDK crates, so they use a small service set (sso,
//! sts, appconfig's trimmed model from `../shared/cases`, and one operation each of sqs,
//! route53 and arcregionswitch) and share one harness build directory; the tests
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
mod variants;
