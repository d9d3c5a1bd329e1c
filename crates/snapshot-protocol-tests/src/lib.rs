//! Smithy protocol tests as an independent oracle for cargo-snapshot's harness and renderer.
//!
//! The `smithy.test#httpRequestTests` and `httpResponseTests` traits of a model give inputs
//! and wire forms written by a protocol's authors. This crate owns reading them:
//!
//! * [`cases`]: the typed test cases of a service, and which of them a client runs (with the
//!   reason for each one it does not: `appliesTo: server`, another protocol);
//! * [`params`]: a test's `params` as a [`snapshot_values::Value`] of its input, output or
//!   error shape, so the harness builds it through the client's builders like any other case;
//! * [`check`]: a captured request against a request test (method, path, query, headers,
//!   host, body by media type), every difference named;
//! * [`body`]: body comparison by media type (JSON, XML, form, CBOR, bytes);
//! * [`vendor`]: the client settings an AWS protocol test asks for (region, S3 addressing).
//!
//! It knows nothing of code generation or of running a harness; the runner feeds it.
#![warn(missing_docs)]

pub mod body;
pub mod cases;
pub mod check;
mod errors;
pub mod params;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod vendor;

pub use cases::{HttpRequestTest, HttpResponseTest, ResponseTarget, ServiceTests, SkipReason};
pub use check::{check_request, check_response, Mismatch};
pub use errors::{ParamsProblem, ProtocolTestError};
pub use params::params_value;
pub use vendor::{ClientSettings, UnsupportedSetting};
