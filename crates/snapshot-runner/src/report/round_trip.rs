//! What the round trip found: members set in a generated value that the client did not give
//! back, and the replay that showed it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use snapshot_records::{ResponseMode, VariantName};

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

/// Which replay of its subject a round-trip finding comes from. Reports write it as the
/// response section's title (`min`, `max`, `max, the stream ending with the exception
/// Boom`) or `error`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReplayCase {
    /// A response replay of an operation.
    Response(ResponseMode),
    /// The replay of an error shape.
    Error,
}

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
        }
    }
}

impl FromStr for ReplayCase {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "error" {
            return Ok(ReplayCase::Error);
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
