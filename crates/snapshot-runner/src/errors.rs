//! Errors that stop a run, classified so the CLI can pick the exit code.

use std::path::PathBuf;

/// A failure that stops the whole run (single-operation problems are reported, not raised).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A model could not be loaded or has no usable service.
    #[error(transparent)]
    Model(#[from] snapshot_model::ModelError),
    /// A value override does not fit the model.
    #[error("service `{service}`: {source}")]
    Values {
        /// The service.
        service: String,
        /// What is wrong.
        #[source]
        source: snapshot_values::ValueError,
    },
    /// The harness workspace could not be written.
    #[error("cannot write the generated harness at `{path}`: {source}; check that the target directory is writable")]
    HarnessIo {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Code generation failed for a reason outside one operation.
    #[error(transparent)]
    Codegen(#[from] snapshot_codegen::CodegenError),
    /// cargo could not be started.
    #[error("cannot run cargo: {0}; make sure cargo is on PATH (or set $CARGO)")]
    CargoMissing(std::io::Error),
    /// Building a harness failed for reasons outside any single operation.
    #[error("building the harness for {packages} failed:\n{details}\nfix: check the crate name and version in snapshot.toml, and that the crate builds on its own")]
    Build {
        /// The client crates affected.
        packages: String,
        /// The compiler/cargo output that explains it.
        details: String,
    },
    /// The harness binary could not be run at all.
    #[error("cannot run the harness `{binary}`: {reason}")]
    Harness {
        /// The binary.
        binary: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Snapshot storage failed.
    #[error(transparent)]
    Store(#[from] snapshot_store::StoreError),
    /// A lock file (the committed `harness.lock` or a user's `Cargo.lock`) cannot be used.
    #[error(transparent)]
    Lock(#[from] snapshot_lock::LockError),
    /// `compare` would have to change the committed lock.
    #[error(transparent)]
    StaleLock(#[from] snapshot_lock::StaleLock),
    /// Nothing answers at the `--endpoint` of a live run.
    #[error("nothing answers at {url} ({reason}); start the server first, or fix --endpoint")]
    EndpointUnreachable {
        /// The endpoint URL.
        url: String,
        /// Why the connection failed.
        reason: String,
    },
    /// The client crate has a module for none of the model's operations: the model and the
    /// crate of a `[[service]]` entry do not belong together (a run would exclude everything
    /// and pass with nothing checked).
    #[error("service `{service}`: {package} has none of the {operations} operations of model `{model}` (its operations are e.g. {crate_operations}); fix: pair the model with the crate generated from it in snapshot.toml")]
    UnpairedCrate {
        /// The service's name in snapshot.toml.
        service: String,
        /// The client crate.
        package: String,
        /// The model file.
        model: PathBuf,
        /// How many operations the model has.
        operations: usize,
        /// A few of the crate's operation modules, for the message.
        crate_operations: String,
    },
}

impl RunError {
    /// True when the failure is a build failure (exit code 3) rather than bad input (2).
    pub fn is_build_failure(&self) -> bool {
        matches!(
            self,
            RunError::Build { .. } | RunError::Harness { .. } | RunError::CargoMissing(_)
        )
    }
}
