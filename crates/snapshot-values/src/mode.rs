//! The named variants values are generated in.

use std::fmt;
use std::str::FromStr;

/// A named, deterministic variant of a generated value (SPEC §4, §4a).
///
/// [`Mode::name`] is part of the snapshot contract (case names and snapshot sections use it):
/// keep the names stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Only `@required` members, with max values: what the client does with members left
    /// unset (its defaults, `@default` members, skipped bindings).
    Min,
    /// Every member, each with its placeholder value (`__Name__`, `0`, `false`, ...).
    Max,
    /// Every member, with values that stress each binding: characters that need escaping,
    /// non-ASCII and empty strings, negative numbers and type limits, non-finite floats, `true`,
    /// timestamps with and without fractions, empty collections, other union members. See the
    /// crate docs for the catalogue and how it is spread over members.
    Edge,
}

impl Mode {
    /// Every mode, in the order snapshots show them.
    pub const ALL: [Mode; 3] = [Mode::Min, Mode::Max, Mode::Edge];

    /// `min`, `max` or `edge`, as used in case and snapshot names.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Min => "min",
            Mode::Max => "max",
            Mode::Edge => "edge",
        }
    }

    /// Whether structures set every member (`max`, `edge`) or only required ones (`min`).
    pub fn sets_every_member(self) -> bool {
        !matches!(self, Mode::Min)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not `min`, `max` or `edge`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a value variant; use min, max or edge")]
pub struct UnknownMode(pub String);

impl FromStr for Mode {
    type Err = UnknownMode;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|mode| mode.name() == name)
            .ok_or_else(|| UnknownMode(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for mode in Mode::ALL {
            assert_eq!(mode.name().parse::<Mode>(), Ok(mode));
            assert_eq!(mode.to_string(), mode.name());
        }
        assert_eq!(
            "maximum".parse::<Mode>(),
            Err(UnknownMode("maximum".into()))
        );
    }
}
