//! The verdicts of response variants (SPEC §7a): what the client was expected to make of a
//! response a conforming server may send (or one it must reject), and what it made of it.
//! Both sides are typed, so the report counts and lists them without reading snapshot text.

use serde::{Deserialize, Serialize};
use snapshot_records::{Outcome, VariantName};
use snapshot_wire::{ErrorForm, ResponseVariant};

/// One response variant replayed through the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantResult {
    /// The operation.
    pub operation: String,
    /// The variant (serialized by its stable name, `unknown_members`).
    pub variant: ResponseVariant,
    /// The value paths a targeted variant nulled or broke (empty for the others).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// The canonical response the variant was built from (`min` or `max`).
    pub base: VariantName,
    /// What the client should make of it.
    pub expected: Expect,
    /// What it made of it.
    pub got: Got,
}

impl VariantResult {
    /// Whether the client did what [`Expect`] says: an output for an output (its lost and
    /// changed values are round-trip findings, filed like those of the canonical replays), a
    /// rejection (a response error, or the unhandled service error without a code smithy-rs
    /// makes of a body its deserializer cannot read) for a body it must reject, the error
    /// with the code for an error. A panic or a timeout is never expected.
    pub fn as_expected(&self) -> bool {
        self.expected.met_by(&self.got)
    }
}

/// One modeled error replayed in an [`ErrorForm`] through its carrier operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorFormResult {
    /// The error shape name.
    pub error: String,
    /// The operation it was replayed through (the error's carrier).
    pub operation: String,
    /// The form (serialized by its stable name, `message_member`).
    pub form: ErrorForm,
    /// What the client should make of it.
    pub expected: Expect,
    /// What it made of it.
    pub got: Got,
}

impl ErrorFormResult {
    /// Whether the client did what [`Expect`] says (as for [`VariantResult::as_expected`]).
    pub fn as_expected(&self) -> bool {
        self.expected.met_by(&self.got)
    }
}

/// What the client should make of a variant response ([`snapshot_wire::Expectation`] without
/// its values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "expect", rename_all = "snake_case")]
pub enum Expect {
    /// An output equal to the value the response carries.
    Output,
    /// An output whose unions are the client's `Unknown` variant.
    OutputWithUnknownUnions,
    /// A rejection: an error of the client's own, never an output or a panic.
    Rejected,
    /// The modeled error the response carries.
    ModeledError,
    /// An error the client cannot match to a modeled one, with this code.
    UnmodeledError {
        /// The code the client must report.
        code: String,
    },
}

impl Expect {
    /// Whether `got` is what this expectation asks for: an output for an output (its lost
    /// and changed values are round-trip findings, filed like those of the canonical
    /// replays), a rejection (a response error, or the unhandled service error without a code
    /// smithy-rs makes of a body its deserializer cannot read) for a body it must reject, the
    /// error with the code for an error. A panic or a timeout is never expected.
    pub fn met_by(&self, got: &Got) -> bool {
        match (self, got) {
            (Expect::Output | Expect::OutputWithUnknownUnions, Got::Output { .. }) => true,
            (Expect::Rejected, Got::ClientError { .. })
            | (Expect::Rejected, Got::ServiceError { code: None, .. }) => true,
            (Expect::ModeledError, Got::ServiceError { code: Some(_), .. }) => true,
            (
                Expect::UnmodeledError { code },
                Got::ServiceError {
                    code: Some(got), ..
                },
            ) => code == got,
            _ => false,
        }
    }

    /// The expectation of `expectation`, without its value.
    pub fn of(expectation: &snapshot_wire::Expectation) -> Expect {
        use snapshot_wire::Expectation;
        match expectation {
            Expectation::Output(_) => Expect::Output,
            Expectation::OutputWithUnknownUnions(_) => Expect::OutputWithUnknownUnions,
            Expectation::Rejected => Expect::Rejected,
            Expectation::ModeledError(_) => Expect::ModeledError,
            Expectation::UnmodeledError { code } => Expect::UnmodeledError { code: code.clone() },
        }
    }
}

/// What the client made of a variant response (the kind of its [`Outcome`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "got", rename_all = "snake_case")]
pub enum Got {
    /// An output; `equal` values came back equal, `findings` lost or changed (0 and 0 when
    /// the case was not checked by value).
    Output {
        /// Values that came back equal.
        equal: usize,
        /// Values lost or changed.
        findings: usize,
    },
    /// A service error with this code (none: the unhandled error of an unreadable body).
    ServiceError {
        /// `ProvideErrorMetadata::code`.
        code: Option<String>,
        /// What the client's deserializer reported under an unhandled error (the innermost
        /// source of the error), if anything.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<String>,
    },
    /// An error of the client's own (`ResponseError`, ...).
    ClientError {
        /// The `SdkError` variant.
        kind: String,
    },
    /// The generated code or the client panicked.
    Panicked,
    /// The case did not finish in time.
    TimedOut,
}

impl Got {
    /// The kind of `outcome`, with the round trip's counts for an output.
    pub fn of(outcome: &Outcome, round_trip: Option<&snapshot_records::RoundTrip>) -> Got {
        match outcome {
            Outcome::Output { .. } => Got::Output {
                equal: round_trip.map_or(0, |check| check.equal),
                findings: round_trip.map_or(0, |check| check.findings.len()),
            },
            Outcome::ServiceError { code, cause, .. } => Got::ServiceError {
                code: code.clone(),
                cause: cause.clone(),
            },
            Outcome::ClientError { kind, .. } => Got::ClientError { kind: kind.clone() },
            Outcome::Panicked { .. } => Got::Panicked,
            Outcome::TimedOut { .. } => Got::TimedOut,
        }
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expect::Output => f.write_str("an output"),
            Expect::OutputWithUnknownUnions => {
                f.write_str("an output with unions as the client's Unknown variant")
            }
            Expect::Rejected => f.write_str(
                "a rejection (a response error or an unhandled service error without a code)",
            ),
            Expect::ModeledError => f.write_str("the modeled error"),
            Expect::UnmodeledError { code } => {
                write!(f, "an unmodeled service error with code {code:?}")
            }
        }
    }
}

impl std::fmt::Display for Got {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Got::Output { .. } => f.write_str("an output"),
            Got::ServiceError { code: None, cause } => {
                f.write_str("an unhandled service error without a code")?;
                match cause {
                    Some(cause) => write!(f, " ({cause:?})"),
                    None => Ok(()),
                }
            }
            Got::ServiceError {
                code: Some(code), ..
            } => {
                write!(f, "a service error with code {code:?}")
            }
            Got::ClientError { kind } => write!(f, "a {kind}"),
            Got::Panicked => f.write_str("a panic"),
            Got::TimedOut => f.write_str("no result in time"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(expected: Expect, got: Got) -> VariantResult {
        VariantResult {
            operation: "GetThing".into(),
            variant: ResponseVariant::UnknownMembers,
            targets: Vec::new(),
            base: VariantName::Max,
            expected,
            got,
        }
    }

    #[test]
    fn a_rejection_names_what_the_deserializer_reported() {
        let got = Got::ServiceError {
            code: None,
            cause: Some("dense list cannot contain null values".into()),
        };
        assert_eq!(
            got.to_string(),
            "an unhandled service error without a code (\"dense list cannot contain null values\")"
        );
        assert!(result(Expect::Rejected, got).as_expected());
    }

    #[test]
    fn an_output_where_a_rejection_was_expected_or_a_panic_is_unexpected() {
        let output = Got::Output {
            equal: 3,
            findings: 0,
        };
        assert!(result(Expect::Output, output.clone()).as_expected());
        assert!(!result(Expect::Rejected, output).as_expected());
        assert!(!result(Expect::Output, Got::Panicked).as_expected());
        assert!(!result(Expect::Rejected, Got::Panicked).as_expected());
        assert!(result(
            Expect::Rejected,
            Got::ServiceError {
                code: None,
                cause: None
            }
        )
        .as_expected());
        assert!(result(
            Expect::Rejected,
            Got::ClientError {
                kind: "ResponseError".into()
            }
        )
        .as_expected());
        let internal = Expect::UnmodeledError {
            code: "InternalError".into(),
        };
        assert!(result(
            internal.clone(),
            Got::ServiceError {
                code: Some("InternalError".into()),
                cause: None,
            }
        )
        .as_expected());
        assert!(!result(
            internal,
            Got::ServiceError {
                code: None,
                cause: None
            }
        )
        .as_expected());
    }

    #[test]
    fn results_serialize_with_the_variant_by_name() {
        let json = serde_json::to_value(result(Expect::Rejected, Got::TimedOut)).unwrap();
        assert_eq!(json["variant"], "unknown_members");
        assert_eq!(json["expected"]["expect"], "rejected");
        assert_eq!(json["got"]["got"], "timed_out");
    }
}
