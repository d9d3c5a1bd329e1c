//! Smithy shape identifiers (`namespace#Name` and `namespace#Name$member`).

use std::fmt;
use std::str::FromStr;

/// An absolute shape id such as `com.amazonaws.sts#AssumeRole`.
///
/// Member ids (`ns#Shape$member`) are represented by the owning shape's id plus a member
/// name where needed; a `ShapeId` itself always names a top-level shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeId {
    absolute: String,
    hash: usize,
}

impl ShapeId {
    /// Builds an id from a namespace and a shape name.
    pub fn new(namespace: &str, name: &str) -> Self {
        Self {
            absolute: format!("{namespace}#{name}"),
            hash: namespace.len(),
        }
    }

    /// The namespace part (`com.amazonaws.sts`).
    pub fn namespace(&self) -> &str {
        &self.absolute[..self.hash]
    }

    /// The shape name part (`AssumeRole`).
    pub fn name(&self) -> &str {
        &self.absolute[self.hash + 1..]
    }

    /// The full `namespace#Name` form.
    pub fn as_str(&self) -> &str {
        &self.absolute
    }

    /// True for shapes of the Smithy prelude (`smithy.api#String`, ...).
    pub fn is_prelude(&self) -> bool {
        self.namespace() == "smithy.api"
    }
}

/// Why a string is not a shape id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an absolute shape id; expected `namespace#Name`")]
pub struct InvalidShapeId(pub String);

impl FromStr for ShapeId {
    type Err = InvalidShapeId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (namespace, name) = text
            .split_once('#')
            .ok_or_else(|| InvalidShapeId(text.to_owned()))?;
        let valid_name = !name.is_empty() && !name.contains(['#', '$']);
        let valid_namespace = !namespace.is_empty()
            && namespace.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
        if !valid_name || !valid_namespace {
            return Err(InvalidShapeId(text.to_owned()));
        }
        Ok(ShapeId::new(namespace, name))
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.absolute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_splits() {
        let id: ShapeId = "com.amazonaws.sts#AssumeRole".parse().unwrap();
        assert_eq!(id.namespace(), "com.amazonaws.sts");
        assert_eq!(id.name(), "AssumeRole");
        assert_eq!(id.to_string(), "com.amazonaws.sts#AssumeRole");
        assert!(!id.is_prelude());
        assert!("smithy.api#String".parse::<ShapeId>().unwrap().is_prelude());
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "NoHash", "#Name", "ns#", "ns#A#B", "ns#A$m", "a..b#C"] {
            assert!(bad.parse::<ShapeId>().is_err(), "{bad} should be rejected");
        }
    }
}
