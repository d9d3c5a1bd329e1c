//! What a run left out, which snapshots that cost and which stage decided it.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Something that did not get a snapshot, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Operation or error shape.
    pub subject: String,
    /// Which snapshots it cost.
    pub scope: ExclusionScope,
    /// Which stage excluded it.
    pub stage: Stage,
    /// The reason, one or a few lines.
    pub reason: String,
    /// For [`ExclusionScope::ErrorCase`]: the operation the error `subject` was replayed
    /// through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

impl Exclusion {
    /// An exclusion of `subject`; the reason is trimmed.
    pub fn new(subject: &str, scope: ExclusionScope, stage: Stage, reason: &str) -> Self {
        Exclusion {
            subject: subject.to_owned(),
            scope,
            stage,
            reason: reason.trim().to_owned(),
            operation: None,
        }
    }

    /// The same exclusion, of the error `subject` as replayed through `operation`.
    pub fn through(self, operation: &str) -> Self {
        Exclusion {
            operation: Some(operation.to_owned()),
            ..self
        }
    }
}

/// Which snapshots an [`Exclusion`] cost. Ordered by name, as reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExclusionScope {
    /// Every snapshot of the operation.
    Operation,
    /// The operation's request snapshot.
    Request,
    /// The operation's response snapshot.
    Response,
    /// The error shape's full snapshot.
    Error,
    /// One operation's parsing of one error it declares (its line in the operation's compact
    /// error snapshot); [`Exclusion::operation`] names the operation.
    #[serde(rename = "error-case")]
    ErrorCase,
    /// One error form of an error shape (its line in the error's full snapshot); the
    /// subject is `<Error> (<form>)`, [`Exclusion::operation`] the error's carrier.
    #[serde(rename = "error-form")]
    ErrorForm,
}

impl ExclusionScope {
    /// The name reports use (`operation`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExclusionScope::Operation => "operation",
            ExclusionScope::Request => "request",
            ExclusionScope::Response => "response",
            ExclusionScope::Error => "error",
            ExclusionScope::ErrorCase => "error-case",
            ExclusionScope::ErrorForm => "error-form",
        }
    }
}

/// The stage of a run that excluded something. Ordered by name, as reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// `[[skip]]` in `snapshot.toml`.
    Config,
    /// The value generator.
    Values,
    /// The protocol serializer.
    Wire,
    /// Harness code generation.
    Codegen,
    /// Compiling the harness.
    Compile,
    /// Running the harness.
    Run,
}

impl Stage {
    /// The name reports use (`compile`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Config => "config",
            Stage::Values => "values",
            Stage::Wire => "wire",
            Stage::Codegen => "codegen",
            Stage::Compile => "compile",
            Stage::Run => "run",
        }
    }
}

macro_rules! named_by_str {
    ($($kind:ty),*) => {$(
        impl fmt::Display for $kind {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialOrd for $kind {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $kind {
            fn cmp(&self, other: &Self) -> Ordering {
                self.as_str().cmp(other.as_str())
            }
        }
    )*};
}

named_by_str!(ExclusionScope, Stage);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_stages_sort_by_name() {
        let mut scopes = [
            ExclusionScope::Operation,
            ExclusionScope::Request,
            ExclusionScope::Response,
            ExclusionScope::Error,
            ExclusionScope::ErrorCase,
        ];
        scopes.sort();
        let names: Vec<&str> = scopes.iter().map(|scope| scope.as_str()).collect();
        assert_eq!(
            names,
            ["error", "error-case", "operation", "request", "response"]
        );
        assert!(Stage::Codegen < Stage::Config && Stage::Run < Stage::Values);
    }
}

#[cfg(test)]
mod json_tests {
    use super::*;

    #[test]
    fn an_error_case_names_its_operation_and_other_exclusions_do_not() {
        let case = Exclusion::new(
            "NoSuchKey",
            ExclusionScope::ErrorCase,
            Stage::Wire,
            " bad\n",
        )
        .through("GetObject");
        let json = serde_json::to_string(&case).unwrap();
        assert_eq!(
            json,
            r#"{"subject":"NoSuchKey","scope":"error-case","stage":"wire","reason":"bad","operation":"GetObject"}"#
        );
        assert_eq!(serde_json::from_str::<Exclusion>(&json).unwrap(), case);
        let plain = Exclusion::new("GetObject", ExclusionScope::Operation, Stage::Config, "why");
        assert!(!serde_json::to_string(&plain)
            .unwrap()
            .contains("\"operation\":"));
    }
}
