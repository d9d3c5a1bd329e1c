//! Code generation errors.

/// Why a harness could not be generated.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CodegenError {
    /// A generated value does not fit the shape it claims to be (a cargo-snapshot bug).
    #[error("operation `{operation}`: the generated value at `{path}` does not fit shape `{shape}` ({reason}); please report this as a cargo-snapshot bug")]
    ValueMismatch {
        /// The operation being generated.
        operation: String,
        /// Where in the input (member path).
        path: String,
        /// The shape expected there.
        shape: String,
        /// What did not fit.
        reason: String,
    },
    /// Generated tokens did not form a Rust file (a cargo-snapshot bug).
    #[error("generated code for `{file}` is not valid Rust: {reason}; please report this as a cargo-snapshot bug")]
    InvalidRust {
        /// The file being generated.
        file: String,
        /// The parser's message.
        reason: String,
    },
    /// The harness runtime embedded at build time does not read back (a cargo-snapshot bug).
    #[error("the harness runtime embedded in cargo-snapshot is unreadable: {reason}; please report this as a cargo-snapshot bug")]
    EmbeddedRuntime {
        /// What did not read.
        reason: String,
    },
    /// A Cargo manifest could not be produced.
    #[error("cannot write the harness manifest for `{package}`: {reason}")]
    Manifest {
        /// The package.
        package: String,
        /// What went wrong.
        reason: String,
    },
}
