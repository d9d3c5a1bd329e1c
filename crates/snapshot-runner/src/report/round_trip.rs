//! What the round trip found: members set in a generated value that the client did not give
//! back, values it gave back different, and the replay that showed it. The harness ran the
//! check; these are its findings as the run report files them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use snapshot_records::{Finding, ResponseMode, TypedValue, VariantName};

use super::ServiceReport;

/// A member the round trip lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostMember {
    /// The operation (responses) or error shape (errors).
    pub subject: String,
    /// Which replay lost it.
    pub case: ReplayCase,
    /// The value path of the lost member (`GetFooOutput.Items[0].Name`).
    pub path: String,
}

/// A value the round trip got back different from what the response carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedMember {
    /// The operation (responses) or error shape (errors).
    pub subject: String,
    /// Which replay got it back changed.
    pub case: ReplayCase,
    /// The value path (`GetFooOutput.Items[0].CreatedAt`).
    pub path: String,
    /// What the response carried.
    pub sent: TypedValue,
    /// What the client holds.
    pub received: TypedValue,
}

impl ServiceReport {
    /// Files a round-trip finding of replay `case` of `subject` as a lost or a changed member.
    pub fn add_finding(&mut self, subject: &str, case: &ReplayCase, finding: Finding) {
        match finding {
            Finding::Lost { path } => self.lost_members.push(LostMember {
                subject: subject.to_owned(),
                case: case.clone(),
                path,
            }),
            Finding::Changed {
                path,
                sent,
                received,
            } => self.changed_members.push(ChangedMember {
                subject: subject.to_owned(),
                case: case.clone(),
                path,
                sent,
                received,
            }),
        }
    }
}

/// Which replay of its subject a round-trip finding comes from. Reports write it as the
/// response section's title (`min`, `max`, `max, the stream ending with the exception
/// Boom`), `error`, `error <Name>`, or `error form <form>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReplayCase {
    /// A response replay of an operation.
    Response(ResponseMode),
    /// The replay of an error shape that gave its full snapshot.
    Error,
    /// The replay of the declared error named here through the operation that is the
    /// subject (its line in the operation's compact error snapshot).
    DeclaredError(String),
    /// The replay of the error shape that is the subject in the error form named here
    /// (`snapshot_wire::ErrorForm::name`), a line of its full snapshot's error forms section.
    ErrorForm(String),
}

/// How a declared error replay is written: `error <Name>` (an error shape name has no spaces,
/// a variant name no `error ` prefix).
const DECLARED_ERROR: &str = "error ";

/// How an error form replay is written: `error form <form>` (no error shape is named `form`
/// followed by a space).
const ERROR_FORM: &str = "error form ";

/// What the title of a response replay ending with an exception event says after its variant.
const EXCEPTION_ENDING: &str = ", the stream ending with the exception ";

impl fmt::Display for ReplayCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayCase::Response(mode) => {
                f.write_str(mode.variant.as_str())?;
                match &mode.exception {
                    Some(exception) => write!(f, "{EXCEPTION_ENDING}{exception}"),
                    None => Ok(()),
                }
            }
            ReplayCase::Error => f.write_str("error"),
            ReplayCase::DeclaredError(name) => write!(f, "{DECLARED_ERROR}{name}"),
            ReplayCase::ErrorForm(form) => write!(f, "{ERROR_FORM}{form}"),
        }
    }
}

impl FromStr for ReplayCase {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "error" {
            return Ok(ReplayCase::Error);
        }
        if let Some(form) = text.strip_prefix(ERROR_FORM) {
            return Ok(ReplayCase::ErrorForm(form.to_owned()));
        }
        if let Some(name) = text.strip_prefix(DECLARED_ERROR) {
            return Ok(ReplayCase::DeclaredError(name.to_owned()));
        }
        let (variant, exception) = match text.split_once(EXCEPTION_ENDING) {
            Some((variant, exception)) => (variant, Some(exception.to_owned())),
            None => (text, None),
        };
        let variant = match variant {
            "min" => VariantName::Min,
            "max" => VariantName::Max,
            other => VariantName::Named(other.to_owned()),
        };
        Ok(ReplayCase::Response(ResponseMode { variant, exception }))
    }
}

impl Serialize for ReplayCase {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReplayCase {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let Ok(case) = text.parse();
        Ok(case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_cases_are_written_and_read_back_alike() {
        for case in [
            ReplayCase::Error,
            ReplayCase::DeclaredError("NoSuchCity".to_owned()),
            ReplayCase::ErrorForm("message_member".to_owned()),
            ReplayCase::Response(ResponseMode::new(VariantName::Max).ending_with("Boom")),
        ] {
            let text = case.to_string();
            assert_eq!(text.parse::<ReplayCase>().unwrap(), case, "{text}");
        }
        assert_eq!(
            ReplayCase::ErrorForm("unknown_member".to_owned()).to_string(),
            "error form unknown_member"
        );
    }
}
