//! Edge values ([`Mode::Edge`](crate::Mode::Edge)): for each leaf type an ordered catalogue of
//! values that stress serializers and parsers, one entry chosen per value by its path, within
//! the model's constraint traits.
//!
//! The catalogues and the choice rule are documented once, in the crate docs.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use regex::Regex;
use serde_json::json;
use snapshot_model::traits::{EnumValue, Range};
use snapshot_model::{Member, Shape, SimpleType, Traits};

use crate::generator::{Generator, Leaf, LIST_LENGTH};
use crate::{Value, ValuePath};

/// Appended to `__<MemberName>__` in the first string entry: characters that need escaping
/// in URIs, query strings, header lists, JSON, XML and form bodies.
pub const EDGE_ESCAPES: &str = " /?&=+%#\"'<>,";
/// Appended to `__<MemberName>__` in the second string entry: Latin-1, CJK and a character
/// outside the Basic Multilingual Plane (a surrogate pair in UTF-16).
pub const EDGE_NON_ASCII: &str = " äöü ß 日本語 🦀";
/// The non-empty edge blob: bytes that are not valid UTF-8, with a NUL.
pub const EDGE_BLOB: [u8; 4] = [0xff, 0xfe, 0x00, 0x80];
/// Edge timestamps (milliseconds since the epoch): whole seconds, a fraction, and a fraction
/// before the epoch.
pub const EDGE_TIMESTAMPS: [i64; 3] = [1_700_000_000_000, 1_700_000_000_125, -1_500];
/// Edge `bigInteger`s.
pub const EDGE_BIG_INTEGERS: [&str; 2] =
    ["-98765432109876543210", "123456789012345678901234567890"];
/// Edge `bigDecimal`s.
pub const EDGE_BIG_DECIMALS: [&str; 2] = ["-0.000000001", "12345678901234567890.5"];

/// Where a top-level member is bound in an HTTP message; edge strings avoid what the binding
/// cannot carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A body member, query parameter, event or nested member: anything goes.
    Body,
    /// A header or prefix-header value: visible ASCII only (the `http` crate rejects other
    /// bytes in header values), unless the string is `@mediaType` (sent base64-encoded).
    Header,
    /// A `{label}`, or a required query parameter: never empty (clients refuse to build a
    /// request with an empty one).
    Label,
    /// A greedy `{label+}`: never empty, and it gets path-like values with `/`.
    GreedyLabel,
}

impl Place {
    /// The place of a top-level member of an operation's input, output or error.
    pub(crate) fn of(member: &Member, target: &Shape, greedy_labels: &[String]) -> Place {
        let traits = &member.traits;
        if traits.is_http_label() {
            if greedy_labels.contains(&member.name) {
                Place::GreedyLabel
            } else {
                Place::Label
            }
        } else if traits.http_query().is_some() && traits.is_required() {
            Place::Label
        } else if (traits.http_header().is_some() || traits.http_prefix_headers().is_some())
            && target.traits.media_type().is_none()
        {
            Place::Header
        } else {
            Place::Body
        }
    }
}

/// Compiled `@pattern`s, by pattern text; `None` for a pattern the `regex` crate cannot
/// compile (lookaround, back-references), which is then not checked.
#[derive(Debug, Default)]
pub(crate) struct Patterns(Mutex<HashMap<String, Option<Regex>>>);

impl Patterns {
    fn matches(&self, pattern: &str, text: &str) -> bool {
        let mut cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        cache
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).ok())
            .as_ref()
            .is_none_or(|regex| regex.is_match(text))
    }
}

impl Generator<'_> {
    /// The edge value of a leaf: the catalogue entry at `path`'s choice, or the next one that
    /// meets `constraints` (`@length`, `@pattern`, `@range`); when none does, the range bound
    /// for numbers and the max value otherwise.
    pub(crate) fn edge_leaf(
        &self,
        shape: &Shape,
        leaf: Leaf,
        name: &str,
        path: &ValuePath,
        constraints: &Traits,
        place: Place,
    ) -> Value {
        let candidates = self.edge_catalogue(shape, leaf, name, constraints, place);
        let Some(start) = path.union_choice(candidates.len()) else {
            return self.default_leaf(shape, leaf, name);
        };
        (0..candidates.len())
            .map(|offset| &candidates[(start + offset) % candidates.len()])
            .find(|candidate| self.fits(candidate, constraints))
            .cloned()
            .unwrap_or_else(|| self.default_leaf(shape, leaf, name))
    }

    fn edge_catalogue(
        &self,
        shape: &Shape,
        leaf: Leaf,
        name: &str,
        constraints: &Traits,
        place: Place,
    ) -> Vec<Value> {
        let range = constraints.range();
        match leaf {
            Leaf::Enum | Leaf::IntEnum => self.known_variants(shape),
            Leaf::Simple(simple) => match simple {
                SimpleType::String => edge_strings(name, place)
                    .into_iter()
                    .map(Value::String)
                    .collect(),
                SimpleType::Boolean => vec![Value::Boolean(true)],
                SimpleType::Byte => integers(i8::MIN.into(), i8::MAX.into(), range.as_ref())
                    .filter_map(|number| i8::try_from(number).ok().map(Value::Byte))
                    .collect(),
                SimpleType::Short => integers(i16::MIN.into(), i16::MAX.into(), range.as_ref())
                    .filter_map(|number| i16::try_from(number).ok().map(Value::Short))
                    .collect(),
                SimpleType::Integer => integers(i32::MIN.into(), i32::MAX.into(), range.as_ref())
                    .filter_map(|number| i32::try_from(number).ok().map(Value::Integer))
                    .collect(),
                SimpleType::Long => integers(i64::MIN, i64::MAX, range.as_ref())
                    .map(Value::Long)
                    .collect(),
                SimpleType::Float => floats(f64::from(f32::MAX), range.as_ref())
                    .map(|number| Value::Float(number as f32))
                    .collect(),
                SimpleType::Double => floats(f64::MAX, range.as_ref())
                    .map(Value::Double)
                    .collect(),
                SimpleType::BigInteger => EDGE_BIG_INTEGERS
                    .iter()
                    .map(|text| Value::BigInteger((*text).to_owned()))
                    .collect(),
                SimpleType::BigDecimal => EDGE_BIG_DECIMALS
                    .iter()
                    .map(|text| Value::BigDecimal((*text).to_owned()))
                    .collect(),
                SimpleType::Timestamp => {
                    EDGE_TIMESTAMPS.into_iter().map(Value::Timestamp).collect()
                }
                SimpleType::Blob if shape.traits.is_streaming() => {
                    vec![
                        Value::StreamingBlob(Vec::new()),
                        Value::StreamingBlob(EDGE_BLOB.to_vec()),
                    ]
                }
                SimpleType::Blob => vec![Value::Blob(Vec::new()), Value::Blob(EDGE_BLOB.to_vec())],
                SimpleType::Document => vec![Value::Document(edge_document())],
            },
        }
    }

    /// The values of an enum's known variants, in model order.
    fn known_variants(&self, shape: &Shape) -> Vec<Value> {
        self.model()
            .enum_variants(shape)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|variant| match variant.value {
                EnumValue::String(value) => Some(Value::Enum {
                    variant: Some(variant.name),
                    value,
                }),
                EnumValue::Int(value) => i32::try_from(value).ok().map(|value| Value::IntEnum {
                    variant: Some(variant.name),
                    value,
                }),
            })
            .collect()
    }

    fn fits(&self, value: &Value, constraints: &Traits) -> bool {
        let length = constraints.length();
        let within = |count: usize| {
            let count = u64::try_from(count).unwrap_or(u64::MAX);
            length.is_none_or(|length| {
                length.min.is_none_or(|min| count >= min)
                    && length.max.is_none_or(|max| count <= max)
            })
        };
        let in_range = |number: f64| {
            constraints.range().is_none_or(|range| {
                !number.is_nan()
                    && range
                        .min
                        .and_then(|min| min.as_f64())
                        .is_none_or(|min| number >= min)
                    && range
                        .max
                        .and_then(|max| max.as_f64())
                        .is_none_or(|max| number <= max)
            })
        };
        match value {
            Value::String(text) => {
                within(text.chars().count())
                    && constraints
                        .pattern()
                        .is_none_or(|pattern| self.patterns.matches(pattern, text))
            }
            Value::Blob(bytes) | Value::StreamingBlob(bytes) => within(bytes.len()),
            Value::Byte(number) => in_range(f64::from(*number)),
            Value::Short(number) => in_range(f64::from(*number)),
            Value::Integer(number) => in_range(f64::from(*number)),
            Value::Long(number) => in_range(*number as f64),
            Value::Float(number) => in_range(f64::from(*number)),
            Value::Double(number) => in_range(*number),
            _ => true,
        }
    }

    /// How many elements an edge list or map gets: none or [`LIST_LENGTH`], chosen by the
    /// path like a union of two members; `@length` can rule out none and narrows the count.
    pub(crate) fn edge_length(&self, constraints: &Traits, path: &ValuePath) -> usize {
        let length = constraints.length().unwrap_or_default();
        let to_usize = |bound: u64| usize::try_from(bound).unwrap_or(usize::MAX);
        let min = length.min.map_or(0, to_usize);
        let max = length.max.map_or(usize::MAX, to_usize);
        // The catalogue is [full, empty]; where `@length` forbids empty, the next entry.
        let empty = path.union_choice(2) == Some(1) && min == 0;
        if empty {
            0
        } else {
            LIST_LENGTH.clamp(min.min(max), max)
        }
    }
}

/// The string entries for a member, in catalogue order, without those its place cannot carry.
fn edge_strings(name: &str, place: Place) -> Vec<String> {
    let placeholder = format!("__{name}__");
    match place {
        Place::Body => vec![
            format!("{placeholder}{EDGE_ESCAPES}"),
            format!("{placeholder}{EDGE_NON_ASCII}"),
            String::new(),
        ],
        Place::Header => vec![format!("{placeholder}{EDGE_ESCAPES}"), String::new()],
        Place::Label => vec![
            format!("{placeholder}{EDGE_ESCAPES}"),
            format!("{placeholder}{EDGE_NON_ASCII}"),
        ],
        Place::GreedyLabel => vec![
            format!("{placeholder}/dir one/ä #?&=+%.txt"),
            format!("{placeholder}/nested//double/"),
        ],
    }
}

/// `-1`, then the lower and upper limit: the type's, narrowed by `@range`.
fn integers(type_min: i64, type_max: i64, range: Option<&Range>) -> impl Iterator<Item = i64> {
    let bound = |bound: Option<&serde_json::Number>, round: fn(f64) -> f64, default: i64| {
        bound
            .and_then(serde_json::Number::as_f64)
            .map_or(default, |bound| {
                round(bound).clamp(type_min as f64, type_max as f64) as i64
            })
    };
    let lower = bound(
        range.and_then(|range| range.min.as_ref()),
        f64::ceil,
        type_min,
    );
    let upper = bound(
        range.and_then(|range| range.max.as_ref()),
        f64::floor,
        type_max,
    );
    [-1, lower, upper].into_iter()
}

/// A negative fraction, NaN, both infinities, then the lower and upper limit: the type's
/// largest magnitude, narrowed by `@range`.
fn floats(type_max: f64, range: Option<&Range>) -> impl Iterator<Item = f64> {
    let bound = |bound: Option<&serde_json::Number>, default: f64| {
        bound
            .and_then(serde_json::Number::as_f64)
            .map_or(default, |bound| bound.clamp(-type_max, type_max))
    };
    let lower = bound(range.and_then(|range| range.min.as_ref()), -type_max);
    let upper = bound(range.and_then(|range| range.max.as_ref()), type_max);
    [
        -1.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        lower,
        upper,
    ]
    .into_iter()
}

/// The edge document: empty containers, a null, a negative fraction, `true` and a string with
/// quotes and non-ASCII characters.
fn edge_document() -> serde_json::Value {
    // Keys in sorted order, as in the max document.
    json!({
        "emptyList": [],
        "emptyObject": {},
        "flag": true,
        "negative": -1.5,
        "nothing": null,
        "text": "quote \" ä 日本語",
    })
}
