//! The errors of building normalization rules: each names the rule as written and its syntax.

/// A JSON path or path pattern that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON path `{pattern}` at byte {position}: {reason} (syntax: `$.member`, `$['any name']`, `[0]`, `.*`, `[*]`, `..member`)")]
pub struct PathError {
    /// The pattern as written.
    pub pattern: String,
    /// Byte offset of the problem.
    pub position: usize,
    /// What was expected there.
    pub reason: String,
}

/// A transformer that cannot be built from what it was given.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A path, sort or parse-JSON transformer was given an invalid JSON path.
    #[error(transparent)]
    InvalidPath(#[from] PathError),

    /// A regex transformer was given an invalid regular expression.
    #[error("invalid regular expression `{pattern}` for a transformer: {source}")]
    InvalidRegex {
        /// The expression as written.
        pattern: String,
        /// The parser's complaint.
        #[source]
        source: regex::Error,
    },
}
