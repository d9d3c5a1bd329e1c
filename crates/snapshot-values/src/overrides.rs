//! Overrides: fixed values for members whose generated placeholder a client would reject.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use snapshot_model::ShapeId;

use crate::ValueError;

/// The built-in overrides (SPEC §4), by bare member name.
///
/// They are values the generated clients validate or derive from each other: endpoints,
/// account ids used as host labels, checksum algorithm names, and the SQS body with its MD5.
const BUILT_IN: &[(&str, &str)] = &[
    ("PredictEndpoint", "https://localhost"),
    ("ChecksumAlgorithm", "CRC64NVME"),
    ("AccountId", "123456789012"),
    ("OutpostId", "OutpostId"),
    (
        "QueueUrl",
        "https://sqs.us-east-1.amazonaws.com/012345678901/MyQueue",
    ),
    ("MessageBody", MESSAGE_BODY),
    ("MD5OfMessageBody", MESSAGE_BODY_MD5),
    ("MD5OfBody", MESSAGE_BODY_MD5),
];

/// The built-in `MessageBody`.
pub const MESSAGE_BODY: &str = "__Body__";

/// The MD5 of [`MESSAGE_BODY`] as lowercase hex, which SQS clients check against the body.
pub const MESSAGE_BODY_MD5: &str = "07261c767f72c87a6c6e6e62c93c2664";

/// An override value, as written in `snapshot.toml` (a TOML string, integer, float or boolean).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OverrideValue {
    /// Text: sets strings, enums (variant matched by value), blobs (UTF-8 bytes),
    /// bigInteger/bigDecimal (when numeric) and documents.
    String(String),
    /// An integer: sets byte/short/integer/long/intEnum (when in range), float/double,
    /// bigInteger/bigDecimal, timestamps (milliseconds since the epoch) and documents.
    Integer(i64),
    /// A float: sets float/double, bigDecimal and documents.
    Float(f64),
    /// A boolean: sets booleans and documents.
    Boolean(bool),
}

/// Reads any scalar; anything else is an error that says which values are accepted (an
/// untagged enum would only say that no variant matched).
impl<'de> Deserialize<'de> for OverrideValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl serde::de::Visitor<'_> for ScalarVisitor {
            type Value = OverrideValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, integer, float or boolean")
            }
            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
                Ok(OverrideValue::Boolean(value))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(OverrideValue::Integer(value))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                i64::try_from(value)
                    .map(OverrideValue::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(OverrideValue::Float(value))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(OverrideValue::String(value.to_owned()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

impl OverrideValue {
    /// The kind of value, for messages (`a string`).
    pub fn kind(&self) -> &'static str {
        match self {
            OverrideValue::String(_) => "a string",
            OverrideValue::Integer(_) => "an integer",
            OverrideValue::Float(_) => "a float",
            OverrideValue::Boolean(_) => "a boolean",
        }
    }
}

impl fmt::Display for OverrideValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverrideValue::String(text) => write!(f, "{text:?}"),
            OverrideValue::Integer(number) => write!(f, "{number}"),
            OverrideValue::Float(number) => write!(f, "{number:?}"),
            OverrideValue::Boolean(flag) => write!(f, "{flag}"),
        }
    }
}

/// What an override applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OverrideKey {
    /// Every member with this name, in any structure or union (`AccountId`).
    Member(String),
    /// One member of one shape (`com.amazonaws.s3#PutObjectRequest$ChecksumAlgorithm`).
    Qualified {
        /// The structure or union that has the member.
        shape: ShapeId,
        /// The member name.
        member: String,
    },
}

impl FromStr for OverrideKey {
    type Err = ValueError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = |reason: &str| ValueError::InvalidOverrideKey {
            key: text.to_owned(),
            reason: reason.to_owned(),
        };
        if !text.contains('#') {
            return if is_identifier(text) {
                Ok(OverrideKey::Member(text.to_owned()))
            } else {
                Err(invalid(
                    "a member name starts with a letter or `_` and has only letters, digits and `_`",
                ))
            };
        }
        let (shape, member) = text
            .split_once('$')
            .ok_or_else(|| invalid("a shape-qualified key needs `$Member` after the shape id"))?;
        let shape = shape
            .parse::<ShapeId>()
            .map_err(|error| invalid(&error.to_string()))?;
        if !is_identifier(member) {
            return Err(invalid(&format!("`{member}` is not a member name")));
        }
        Ok(OverrideKey::Qualified {
            shape,
            member: member.to_owned(),
        })
    }
}

impl fmt::Display for OverrideKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverrideKey::Member(member) => f.write_str(member),
            OverrideKey::Qualified { shape, member } => write!(f, "{shape}${member}"),
        }
    }
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Where an override comes from; user overrides are checked strictly, built-ins are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverrideSource {
    /// Shipped with cargo-snapshot ([`Overrides::builtin`]).
    BuiltIn,
    /// Configured by the user (`snapshot.toml`).
    User,
}

/// An override that applies to a member, found by [`Overrides::lookup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchedOverride<'o> {
    /// The key that matched.
    pub key: &'o OverrideKey,
    /// The value to set.
    pub value: &'o OverrideValue,
    /// Built-in or user.
    pub source: OverrideSource,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Layer {
    by_member: HashMap<String, (OverrideKey, OverrideValue)>,
    // Keyed by shape, then member, so that lookups borrow instead of building keys.
    by_shape: HashMap<ShapeId, HashMap<String, (OverrideKey, OverrideValue)>>,
}

impl Layer {
    fn insert(&mut self, key: OverrideKey, value: OverrideValue) {
        match &key {
            OverrideKey::Member(member) => {
                self.by_member.insert(member.clone(), (key, value));
            }
            OverrideKey::Qualified { shape, member } => {
                self.by_shape
                    .entry(shape.clone())
                    .or_default()
                    .insert(member.clone(), (key, value));
            }
        }
    }

    fn qualified(&self, shape: &ShapeId, member: &str) -> Option<&(OverrideKey, OverrideValue)> {
        self.by_shape.get(shape)?.get(member)
    }

    fn len(&self) -> usize {
        self.by_member.len() + self.by_shape.values().map(HashMap::len).sum::<usize>()
    }
}

/// The override table the generator consults for every member.
///
/// Lookup order for member `M` of shape `S`: user `S$M`, user `M`, built-in `S$M`,
/// built-in `M`; the first hit wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    builtin: Layer,
    user: Layer,
}

impl Overrides {
    /// No overrides at all.
    pub fn none() -> Self {
        Overrides::default()
    }

    /// The built-in overrides of SPEC §4.
    pub fn builtin() -> Self {
        let mut builtin = Layer::default();
        for (member, text) in BUILT_IN {
            builtin.insert(
                OverrideKey::Member((*member).to_owned()),
                OverrideValue::String((*text).to_owned()),
            );
        }
        Overrides {
            builtin,
            user: Layer::default(),
        }
    }

    /// Adds user overrides keyed by `Member` or `namespace#Shape$Member` text (parsed as
    /// [`OverrideKey`]); see [`Overrides::with_user_entries`].
    pub fn with_user(
        self,
        entries: impl IntoIterator<Item = (String, OverrideValue)>,
    ) -> Result<Self, ValueError> {
        let entries = entries
            .into_iter()
            .map(|(key, value)| Ok((key.parse::<OverrideKey>()?, value)))
            .collect::<Result<Vec<_>, ValueError>>()?;
        self.with_user_entries(entries)
    }

    /// Adds user overrides; a later entry with the same key replaces an earlier one. A float
    /// that is not finite is an error (no protocol can carry it as a plain value).
    pub fn with_user_entries(
        mut self,
        entries: impl IntoIterator<Item = (OverrideKey, OverrideValue)>,
    ) -> Result<Self, ValueError> {
        for (key, value) in entries {
            if let OverrideValue::Float(number) = value {
                if !number.is_finite() {
                    return Err(ValueError::InvalidOverrideValue {
                        key: key.to_string(),
                        value: value.to_string(),
                        reason: "the float is not finite".to_owned(),
                    });
                }
            }
            self.user.insert(key, value);
        }
        Ok(self)
    }

    /// The override for member `member` of `shape`, if any (see the type docs for the order).
    pub fn lookup(&self, shape: &ShapeId, member: &str) -> Option<MatchedOverride<'_>> {
        let layers = [
            (&self.user, OverrideSource::User),
            (&self.builtin, OverrideSource::BuiltIn),
        ];
        layers.into_iter().find_map(|(layer, source)| {
            layer
                .qualified(shape, member)
                .or_else(|| layer.by_member.get(member))
                .map(|(key, value)| MatchedOverride { key, value, source })
        })
    }

    /// The number of overrides (built-in plus user).
    pub fn len(&self) -> usize {
        self.builtin.len() + self.user.len()
    }

    /// True when there are no overrides.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> ShapeId {
        text.parse().unwrap()
    }

    #[test]
    fn parses_keys() {
        assert_eq!(
            "AccountId".parse::<OverrideKey>().unwrap(),
            OverrideKey::Member("AccountId".to_owned())
        );
        assert_eq!(
            "ex.values#Req$Name".parse::<OverrideKey>().unwrap(),
            OverrideKey::Qualified {
                shape: shape("ex.values#Req"),
                member: "Name".to_owned()
            }
        );
        for bad in [
            "",
            "1Name",
            "Na-me",
            "ex.values#Req",
            "ex#Req$",
            "ex#Req$1a",
            "#Req$A",
        ] {
            let error = bad.parse::<OverrideKey>().unwrap_err();
            assert!(
                matches!(error, ValueError::InvalidOverrideKey { .. }),
                "{bad}"
            );
        }
    }

    #[test]
    fn user_beats_builtin_and_qualified_beats_bare() {
        let overrides = Overrides::builtin()
            .with_user([
                (
                    "QueueUrl".to_owned(),
                    OverrideValue::String("user".to_owned()),
                ),
                ("ex#A$Name".to_owned(), OverrideValue::Integer(7)),
                ("Name".to_owned(), OverrideValue::Boolean(true)),
            ])
            .unwrap();
        let a = shape("ex#A");
        let b = shape("ex#B");
        let queue = overrides.lookup(&a, "QueueUrl").unwrap();
        assert_eq!(queue.value, &OverrideValue::String("user".to_owned()));
        assert_eq!(queue.source, OverrideSource::User);
        assert_eq!(
            overrides.lookup(&a, "Name").unwrap().value,
            &OverrideValue::Integer(7)
        );
        assert_eq!(
            overrides.lookup(&b, "Name").unwrap().value,
            &OverrideValue::Boolean(true)
        );
        let account = overrides.lookup(&b, "AccountId").unwrap();
        assert_eq!(account.source, OverrideSource::BuiltIn);
        assert_eq!(account.key.to_string(), "AccountId");
        assert!(overrides.lookup(&b, "Other").is_none());
        assert_eq!(overrides.len(), BUILT_IN.len() + 3);
    }

    #[test]
    fn rejects_non_finite_floats() {
        let error = Overrides::none()
            .with_user([("Ratio".to_owned(), OverrideValue::Float(f64::NAN))])
            .unwrap_err();
        assert!(error.to_string().contains("Ratio"), "{error}");
    }

    #[test]
    fn deserializes_from_toml_like_scalars() {
        let parsed: Vec<OverrideValue> =
            serde_json::from_str(r#"["text", 12, 1.5, true]"#).unwrap();
        assert_eq!(
            parsed,
            vec![
                OverrideValue::String("text".to_owned()),
                OverrideValue::Integer(12),
                OverrideValue::Float(1.5),
                OverrideValue::Boolean(true),
            ]
        );
    }
}
