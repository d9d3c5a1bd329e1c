//! Every error the parity library reports, each naming the file, test or key concerned and
//! what to do about it.

use std::fmt;
use std::path::PathBuf;

use snapshot_normalize::{PathError, RuleError};

use crate::report::MismatchReport;

/// Everything that can go wrong while recording or verifying parity snapshots.
#[derive(thiserror::Error)]
pub enum ParityError {
    /// A skip path was given an invalid JSON path.
    #[error(transparent)]
    InvalidPath(#[from] PathError),

    /// A transformer could not be built (an invalid JSON path or regular expression).
    #[error(transparent)]
    InvalidRule(#[from] RuleError),

    /// Reading or writing a file failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done (`read`, `write`, `lock`, `create directory for`).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// A snapshot or metrics file is not the JSON this library writes.
    #[error("{} is not a valid parity file: {source}; fix the JSON by hand or delete the file and re-record with SNAPSHOT_UPDATE=1", path.display())]
    MalformedFile {
        /// The file.
        path: PathBuf,
        /// Where the JSON went wrong.
        #[source]
        source: serde_json::Error,
    },

    /// Verify mode found no recording for this test.
    #[error("no recording for test `{test}` in {}; record it once against the reference target with SNAPSHOT_UPDATE=1 and commit the file", file.display())]
    NotRecorded {
        /// The snapshot file.
        file: PathBuf,
        /// The test id.
        test: String,
    },

    /// The same key was matched twice in one test.
    #[error("key `{key}` is matched twice in test `{test}`; every `match_` call in a test needs its own key")]
    DuplicateKey {
        /// The test id.
        test: String,
        /// The repeated key.
        key: String,
    },

    /// `match_response` was called but the recorder saw no response since the last match.
    #[error("`match_response(\"{key}\")` in test `{test}` found no captured response: add the session's recorder to the client (`.interceptor(snapshot.recorder())` on the service config) and call an operation first")]
    NoResponseCaptured {
        /// The test id.
        test: String,
        /// The key.
        key: String,
    },

    /// A value given to `match_` could not be turned into JSON.
    #[error("the value for key `{key}` cannot be represented as JSON: {source}")]
    Serialize {
        /// The key.
        key: String,
        /// Serde's complaint.
        #[source]
        source: serde_json::Error,
    },

    /// Verification found differences that no skip path covers.
    #[error("{0}")]
    Mismatch(Box<MismatchReport>),

    /// `TEST_TARGET` holds something this library does not know.
    #[error("TEST_TARGET={value} is not a known target; use `aws`, `moto`, `localstack` or an endpoint URL such as http://127.0.0.1:5000")]
    UnknownTarget {
        /// The value found.
        value: String,
    },

    /// `TEST_TARGET=aws` needs the `aws-config` feature for the standard credential chain.
    #[error("TEST_TARGET=aws loads credentials and region from the standard AWS chain, which needs the `aws-config` feature of snapshot-parity: enable it in the dev-dependency (features = [\"aws-config\"])")]
    AwsConfigFeatureMissing,

    /// The standard chain found no region for the real cloud.
    #[error("TEST_TARGET=aws but no region is configured; set AWS_REGION or a region in your AWS profile")]
    NoRegion,

    /// An emulator target has no endpoint to talk to.
    #[error("target `{target}` has no endpoint URL; set SNAPSHOT_ENDPOINT_URL (or SNAPSHOT_MOTO_URL for moto)")]
    MissingEndpoint {
        /// The target name.
        target: String,
    },

    /// `moto_server` could not be started because it is not installed.
    #[error("cannot start `{program}`: {source}. Install moto's server with `pip install 'moto[server]'` (or run crates/snapshot-parity/scripts/moto-server.sh start and export SNAPSHOT_MOTO_URL), or point SNAPSHOT_MOTO_SERVER at the moto_server executable")]
    MotoNotInstalled {
        /// The program that was looked for.
        program: String,
        /// Why spawning it failed.
        #[source]
        source: std::io::Error,
    },

    /// `moto_server` started but did not answer in time or exited.
    #[error("moto_server at {url} did not become ready: {detail}")]
    MotoNotReady {
        /// The URL it was meant to serve.
        url: String,
        /// What was observed (exit status, last log lines, or a timeout).
        detail: String,
    },

    /// An endpoint given by the environment does not accept connections.
    #[error("{variable}={url} does not accept connections ({source}); start the emulator first or unset the variable")]
    Unreachable {
        /// The environment variable that named the endpoint.
        variable: &'static str,
        /// The URL.
        url: String,
        /// The connection error.
        #[source]
        source: std::io::Error,
    },
}

// Tests that return `Result<(), ParityError>` print the error with `Debug`; a mismatch report
// is only readable through `Display`, so both print the same text.
impl fmt::Debug for ParityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
