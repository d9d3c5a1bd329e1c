//! The deterministic generator: a [`Value`] for a shape in [`Mode::Min`] or [`Mode::Max`].
//!
//! The rules are documented once, in the crate docs; constants here carry the values.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use serde_json::json;
use snapshot_model::traits::{ids, EnumValue};
use snapshot_model::{EnumVariant, Member, Model, Shape, ShapeId, ShapeKind, SimpleType};

use crate::errors::OverrideSite;
use crate::overrides::{MatchedOverride, OverrideSource};
use crate::{OverrideValue, Overrides, Value, ValueError, ValuePath};

/// A shape stops being expanded once it already occurs this many times on the current path.
pub const RECURSION_LIMIT: usize = 3;
/// Elements generated for every list and set (a `@sparse` one gets a [`Value::Null`] after them).
pub const LIST_LENGTH: usize = 3;
/// Keys generated for every map, in order.
pub const MAP_KEYS: [&str; 3] = ["key1", "key2", "key3"];
/// The key of the [`Value::Null`] entry a `@sparse` map gets after [`MAP_KEYS`].
pub const SPARSE_MAP_KEY: &str = "key4";
/// The value of a `@hostLabel` member: clients check that host labels are valid DNS labels
/// (`[a-zA-Z0-9-]{1,63}`), which `__Name__` is not, so the member name is used in lower case
/// with everything but letters and digits removed (`RequestRoute` → `requestroute`).
pub fn host_label(member_name: &str) -> String {
    let label: String = member_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(63)
        .collect();
    if label.is_empty() {
        "label".to_owned()
    } else {
        label
    }
}

/// The value of every `@idempotencyToken` member.
pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";
/// The bytes of every blob and streaming blob.
pub const BLOB: [u8; 4] = [1, 0, 0, 1];
/// Every timestamp: 2000-01-01T04:59:59.999Z in milliseconds since the Unix epoch.
pub const TIMESTAMP_MILLIS: i64 = 946_702_799_999;
/// Every `bigInteger`, as decimal text.
pub const BIG_INTEGER: &str = "1000001";
/// Every `bigDecimal`, as decimal text.
pub const BIG_DECIMAL: &str = "9876543210.0123456789";
/// Every `@httpResponseCode` member: a success status rather than 0, which is no status.
pub const HTTP_RESPONSE_CODE: i32 = 200;
/// Nesting depth at which generation gives up with [`ValueError::UnboundedRecursion`].
///
/// Far above what [`RECURSION_LIMIT`] allows in a valid model; it only stops unions whose
/// every member leads back to them, which would otherwise never end.
pub const MAX_DEPTH: usize = 256;

/// Which members of structures are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Only `@required` members.
    Min,
    /// Every member.
    Max,
}

impl Mode {
    /// Both modes, `Min` first.
    pub const ALL: [Mode; 2] = [Mode::Min, Mode::Max];

    /// `min` or `max`, as used in snapshot names.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Min => "min",
            Mode::Max => "max",
        }
    }
}

/// Generates deterministic values for the shapes of one model.
#[derive(Debug)]
pub struct Generator<'m> {
    model: &'m Model,
    overrides: &'m Overrides,
    // Per recursive union: the member chosen at the recursion limit. Computing it walks the
    // shape graph, so it is remembered; a Mutex keeps the generator shareable across threads.
    limit_choices: Mutex<HashMap<ShapeId, usize>>,
}

impl<'m> Generator<'m> {
    /// A generator over `model` that applies `overrides`.
    pub fn new(model: &'m Model, overrides: &'m Overrides) -> Self {
        Generator {
            model,
            overrides,
            limit_choices: Mutex::new(HashMap::new()),
        }
    }

    /// The model values are generated for.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The value of `root` (an operation's input, output or error structure) in `mode`.
    pub fn generate(&self, root: &ShapeId, mode: Mode) -> Result<Value, ValueError> {
        let shape = self.shape(root)?;
        if let ShapeKind::Operation(_) | ShapeKind::Resource(_) | ShapeKind::Service(_) = shape.kind
        {
            return Err(ValueError::NotAValue {
                model: self.model.path().to_owned(),
                shape: root.clone(),
                shape_type: shape.kind.type_name(),
            });
        }
        let naming = Naming {
            owner: None,
            name: shape.id.name(),
        };
        Walk::new(self, mode).value(shape, naming, &ValuePath::root(shape.id.name()), None)
    }

    /// The input of `operation` in `mode`, with the members the client computes itself left
    /// for it to compute: with `@httpChecksum`, the checksum value headers (`x-amz-checksum-*`,
    /// `Content-MD5`) are not set, so the client calculates the checksum for the algorithm the
    /// input names (S3 `PutObject` then sends an `aws-chunked` body with a checksum trailer);
    /// and a `Content-Length` header member next to a streaming payload is set to the length of
    /// the generated stream ([`BLOB`]), which is what the client sends.
    pub fn generate_input(&self, operation: &Shape, mode: Mode) -> Result<Value, ValueError> {
        let ShapeKind::Operation(op) = &operation.kind else {
            return Err(ValueError::NotAValue {
                model: self.model.path().to_owned(),
                shape: operation.id.clone(),
                shape_type: operation.kind.type_name(),
            });
        };
        let mut value = self.generate(&op.input, mode)?;
        let (
            Some(input),
            Value::Structure {
                members: values, ..
            },
        ) = (self.model.shape(&op.input), &mut value)
        else {
            return Ok(value);
        };
        let members = input.kind.members();
        let header = |name: &str| {
            members
                .iter()
                .find(|member| member.name == name)
                .and_then(|member| member.traits.http_header())
                .map(str::to_ascii_lowercase)
        };
        let checksummed = operation.traits.http_checksum().is_some()
            || operation.traits.is_http_checksum_required();
        let streams = members.iter().any(|member| {
            member.traits.is_http_payload() && self.model.target(member).traits.is_streaming()
        });
        values.retain(|(name, _)| {
            let computed = header(name).is_some_and(|header| {
                header.starts_with("x-amz-checksum-") || header == "content-md5"
            });
            !(checksummed && computed)
        });
        if streams {
            for (name, member_value) in values.iter_mut() {
                if header(name).as_deref() == Some("content-length") {
                    if let Value::Long(length) = member_value {
                        *length = i64::try_from(BLOB.len()).unwrap_or_default();
                    }
                }
            }
        }
        Ok(value)
    }

    /// The exception events of the event stream `stream` (a `@streaming` union): one per member
    /// that targets an `@error` structure, in model order, each generated in `mode` at path
    /// `<StreamName>.<Member>`. [`Generator::generate`] leaves these out of
    /// [`Value::EventStream`], which holds only the regular events.
    pub fn exception_events(
        &self,
        stream: &ShapeId,
        mode: Mode,
    ) -> Result<Vec<(String, Value)>, ValueError> {
        let shape = self.shape(stream)?;
        match &shape.kind {
            ShapeKind::Union(members) if shape.traits.is_streaming() => Walk::new(self, mode)
                .events(
                    shape,
                    members,
                    &ValuePath::root(shape.id.name()),
                    Events::Exceptions,
                ),
            other => Err(ValueError::NotAnEventStream {
                model: self.model.path().to_owned(),
                shape: stream.clone(),
                shape_type: other.type_name(),
            }),
        }
    }

    fn shape(&self, id: &ShapeId) -> Result<&'m Shape, ValueError> {
        self.model
            .shape(id)
            .ok_or_else(|| ValueError::UnknownShape {
                model: self.model.path().to_owned(),
                shape: id.clone(),
            })
    }

    /// The member a union at the recursion limit sets: the first whose target cannot lead
    /// back to the union, or the first member when every one can.
    fn limit_choice(&self, union: &Shape, members: &[Member]) -> usize {
        let mut cache = self
            .limit_choices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *cache.entry(union.id.clone()).or_insert_with(|| {
            members
                .iter()
                .position(|member| !self.reaches(&member.target, &union.id))
                .unwrap_or(0)
        })
    }

    fn reaches(&self, from: &ShapeId, to: &ShapeId) -> bool {
        let mut seen = HashSet::new();
        let mut pending = vec![from];
        while let Some(id) = pending.pop() {
            if id == to {
                return true;
            }
            if !seen.insert(id) {
                continue;
            }
            if let Some(shape) = self.model.shape(id) {
                pending.extend(
                    shape
                        .kind
                        .members()
                        .into_iter()
                        .map(|member| &member.target),
                );
            }
        }
        false
    }

    fn variant_named(&self, shape: &Shape, value: &EnumValue) -> Option<String> {
        self.model
            .enum_variants(shape)
            .unwrap_or_default()
            .into_iter()
            .find(|variant: &EnumVariant| &variant.value == value)
            .map(|variant| variant.name)
    }

    fn enum_value(&self, shape: &Shape, text: String) -> Value {
        Value::Enum {
            variant: self.variant_named(shape, &EnumValue::String(text.clone())),
            value: text,
        }
    }

    fn int_enum_value(&self, shape: &Shape, value: i32) -> Value {
        Value::IntEnum {
            variant: self.variant_named(shape, &EnumValue::Int(i64::from(value))),
            value,
        }
    }

    fn default_leaf(&self, shape: &Shape, leaf: Leaf, name: &str) -> Value {
        match leaf {
            Leaf::Enum => self.enum_value(shape, placeholder(name)),
            Leaf::IntEnum => self.int_enum_value(shape, 0),
            Leaf::Simple(simple) => match simple {
                SimpleType::String => Value::String(placeholder(name)),
                SimpleType::Blob if shape.traits.is_streaming() => {
                    Value::StreamingBlob(BLOB.to_vec())
                }
                SimpleType::Blob => Value::Blob(BLOB.to_vec()),
                SimpleType::Boolean => Value::Boolean(false),
                SimpleType::Byte => Value::Byte(0),
                SimpleType::Short => Value::Short(0),
                SimpleType::Integer => Value::Integer(0),
                SimpleType::Long => Value::Long(0),
                SimpleType::Float => Value::Float(0.0),
                SimpleType::Double => Value::Double(0.0),
                SimpleType::BigInteger => Value::BigInteger(BIG_INTEGER.to_owned()),
                SimpleType::BigDecimal => Value::BigDecimal(BIG_DECIMAL.to_owned()),
                SimpleType::Timestamp => Value::Timestamp(TIMESTAMP_MILLIS),
                SimpleType::Document => Value::Document(document(name)),
            },
        }
    }

    /// The value an override sets on a leaf of `shape`, or why it cannot.
    fn converted(&self, shape: &Shape, leaf: Leaf, value: &OverrideValue) -> Result<Value, String> {
        let mismatch = || format!("it takes {}, not {}", accepted(leaf), value.kind());
        match (leaf, value) {
            (Leaf::Enum, OverrideValue::String(text)) => Ok(self.enum_value(shape, text.clone())),
            (Leaf::IntEnum, OverrideValue::Integer(number)) => i32::try_from(*number)
                .map(|number| self.int_enum_value(shape, number))
                .map_err(|_| out_of_range(*number, "an intEnum (32-bit)")),
            (Leaf::Simple(simple), _) => match (simple, value) {
                (SimpleType::String, OverrideValue::String(text)) => {
                    Ok(Value::String(text.clone()))
                }
                (SimpleType::Blob, OverrideValue::String(text)) if shape.traits.is_streaming() => {
                    Ok(Value::StreamingBlob(text.as_bytes().to_vec()))
                }
                (SimpleType::Blob, OverrideValue::String(text)) => {
                    Ok(Value::Blob(text.as_bytes().to_vec()))
                }
                (SimpleType::Boolean, OverrideValue::Boolean(flag)) => Ok(Value::Boolean(*flag)),
                (SimpleType::Byte, OverrideValue::Integer(number)) => i8::try_from(*number)
                    .map(Value::Byte)
                    .map_err(|_| out_of_range(*number, "a byte")),
                (SimpleType::Short, OverrideValue::Integer(number)) => i16::try_from(*number)
                    .map(Value::Short)
                    .map_err(|_| out_of_range(*number, "a short")),
                (SimpleType::Integer, OverrideValue::Integer(number)) => i32::try_from(*number)
                    .map(Value::Integer)
                    .map_err(|_| out_of_range(*number, "an integer (32-bit)")),
                (SimpleType::Long, OverrideValue::Integer(number)) => Ok(Value::Long(*number)),
                // Integers become the nearest float, as they would in a TOML-to-float assignment.
                (SimpleType::Float, OverrideValue::Integer(number)) => {
                    Ok(Value::Float(*number as f32))
                }
                (SimpleType::Float, OverrideValue::Float(number)) => {
                    let narrowed = *number as f32;
                    if narrowed.is_finite() {
                        Ok(Value::Float(narrowed))
                    } else {
                        Err(format!("{number} is out of range for a float (32-bit)"))
                    }
                }
                (SimpleType::Double, OverrideValue::Integer(number)) => {
                    Ok(Value::Double(*number as f64))
                }
                (SimpleType::Double, OverrideValue::Float(number)) => Ok(Value::Double(*number)),
                (SimpleType::BigInteger, OverrideValue::Integer(number)) => {
                    Ok(Value::BigInteger(number.to_string()))
                }
                (SimpleType::BigInteger, OverrideValue::String(text)) if is_integer_text(text) => {
                    Ok(Value::BigInteger(text.clone()))
                }
                (SimpleType::BigDecimal, OverrideValue::Integer(number)) => {
                    Ok(Value::BigDecimal(number.to_string()))
                }
                (SimpleType::BigDecimal, OverrideValue::Float(number)) => {
                    Ok(Value::BigDecimal(format!("{number:?}")))
                }
                (SimpleType::BigDecimal, OverrideValue::String(text)) if is_decimal_text(text) => {
                    Ok(Value::BigDecimal(text.clone()))
                }
                (SimpleType::BigInteger | SimpleType::BigDecimal, OverrideValue::String(text)) => {
                    Err(format!("{text:?} is not a decimal number"))
                }
                (SimpleType::Timestamp, OverrideValue::Integer(millis)) => {
                    Ok(Value::Timestamp(*millis))
                }
                (SimpleType::Document, _) => document_scalar(value).map(Value::Document),
                _ => Err(mismatch()),
            },
            _ => Err(mismatch()),
        }
    }
}

/// How a leaf shape is generated: enums (2.0 `enum` and 1.0 `@enum` strings) apart from
/// other simple types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    Simple(SimpleType),
    Enum,
    IntEnum,
}

/// Which members of an event stream become events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Events {
    /// Members that do not target `@error` structures.
    Regular,
    /// Members that target `@error` structures.
    Exceptions,
}

/// The nearest enclosing structure or union member: it names string placeholders and is the
/// key overrides are looked up by. At the root there is no member; the root shape's name is
/// used and no override applies.
#[derive(Debug, Clone, Copy)]
struct Naming<'m> {
    owner: Option<&'m ShapeId>,
    name: &'m str,
}

/// One generation: the mode and the aggregate shapes being expanded on the current path.
struct Walk<'g, 'm> {
    generator: &'g Generator<'m>,
    mode: Mode,
    stack: Vec<&'m ShapeId>,
}

impl<'g, 'm> Walk<'g, 'm> {
    fn new(generator: &'g Generator<'m>, mode: Mode) -> Self {
        Walk {
            generator,
            mode,
            stack: Vec::new(),
        }
    }

    fn model(&self) -> &'m Model {
        self.generator.model
    }

    fn value(
        &mut self,
        shape: &'m Shape,
        naming: Naming<'m>,
        path: &ValuePath,
        direct: Option<&'m Member>,
    ) -> Result<Value, ValueError> {
        match &shape.kind {
            ShapeKind::Simple(SimpleType::String) if shape.traits.has(ids::ENUM) => {
                self.leaf(shape, Leaf::Enum, naming, path, direct)
            }
            ShapeKind::Simple(simple) => {
                self.leaf(shape, Leaf::Simple(*simple), naming, path, direct)
            }
            ShapeKind::Enum(_) => self.leaf(shape, Leaf::Enum, naming, path, direct),
            ShapeKind::IntEnum(_) => self.leaf(shape, Leaf::IntEnum, naming, path, direct),
            ShapeKind::List(member) | ShapeKind::Set(member) => {
                self.list(shape, member, naming, path)
            }
            ShapeKind::Map { value, .. } => self.map(shape, value, naming, path),
            ShapeKind::Structure(members) => {
                self.refuse_override(shape, naming, path)?;
                self.structure(shape, members, path)
            }
            ShapeKind::Union(members) if shape.traits.is_streaming() => {
                self.refuse_override(shape, naming, path)?;
                Ok(Value::EventStream {
                    shape: shape.id.clone(),
                    events: self.events(shape, members, path, Events::Regular)?,
                })
            }
            ShapeKind::Union(members) => {
                self.refuse_override(shape, naming, path)?;
                self.union(shape, members, path)
            }
            ShapeKind::Operation(_) | ShapeKind::Resource(_) | ShapeKind::Service(_) => {
                Err(ValueError::NotAValue {
                    model: self.model().path().to_owned(),
                    shape: shape.id.clone(),
                    shape_type: shape.kind.type_name(),
                })
            }
        }
    }

    fn matched_override(&self, naming: Naming<'m>) -> Option<MatchedOverride<'g>> {
        let owner = naming.owner?;
        self.generator.overrides.lookup(owner, naming.name)
    }

    fn leaf(
        &self,
        shape: &'m Shape,
        leaf: Leaf,
        naming: Naming<'m>,
        path: &ValuePath,
        direct: Option<&'m Member>,
    ) -> Result<Value, ValueError> {
        if let Some(matched) = self.matched_override(naming) {
            match self.generator.converted(shape, leaf, matched.value) {
                Ok(value) => return Ok(value),
                Err(reason) if matched.source == OverrideSource::User => {
                    return Err(ValueError::OverrideMismatch {
                        site: Box::new(OverrideSite {
                            key: matched.key.to_string(),
                            shape: naming.owner.cloned().unwrap_or_else(|| shape.id.clone()),
                            member: naming.name.to_owned(),
                            target: shape.id.clone(),
                            target_type: leaf_type_name(leaf),
                            path: path.to_string(),
                        }),
                        value: matched.value.to_string(),
                        reason,
                    })
                }
                // Built-ins are conventions for common member names; where a model uses the
                // name for another type, the member keeps its generated value.
                Err(_) => {}
            }
        }
        if let Some(member) = direct {
            if member.traits.is_idempotency_token() && leaf == Leaf::Simple(SimpleType::String) {
                return Ok(Value::String(IDEMPOTENCY_TOKEN.to_owned()));
            }
            if member.traits.is_host_label() && leaf == Leaf::Simple(SimpleType::String) {
                return Ok(Value::String(host_label(naming.name)));
            }
            if member.traits.is_http_response_code() {
                let code = OverrideValue::Integer(i64::from(HTTP_RESPONSE_CODE));
                if let Ok(value) = self.generator.converted(shape, leaf, &code) {
                    return Ok(value);
                }
            }
        }
        Ok(self.generator.default_leaf(shape, leaf, naming.name))
    }

    /// User overrides set simple values; one that names a structure or union member is a
    /// configuration mistake, reported rather than ignored.
    fn refuse_override(
        &self,
        shape: &'m Shape,
        naming: Naming<'m>,
        path: &ValuePath,
    ) -> Result<(), ValueError> {
        match (self.matched_override(naming), naming.owner) {
            (Some(matched), Some(owner)) if matched.source == OverrideSource::User => {
                Err(ValueError::OverrideOnAggregate {
                    site: Box::new(OverrideSite {
                        key: matched.key.to_string(),
                        shape: owner.clone(),
                        member: naming.name.to_owned(),
                        target: shape.id.clone(),
                        target_type: shape.kind.type_name(),
                        path: path.to_string(),
                    }),
                })
            }
            _ => Ok(()),
        }
    }

    fn at_limit(&self, id: &ShapeId) -> bool {
        self.stack.iter().filter(|entered| **entered == id).count() >= RECURSION_LIMIT
    }

    fn enter(&mut self, shape: &'m Shape, path: &ValuePath) -> Result<(), ValueError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ValueError::UnboundedRecursion {
                model: self.model().path().to_owned(),
                shape: shape.id.clone(),
                path: path.to_string(),
                depth: MAX_DEPTH,
            });
        }
        self.stack.push(&shape.id);
        Ok(())
    }

    fn leave(&mut self) {
        self.stack.pop();
    }

    fn list(
        &mut self,
        shape: &'m Shape,
        member: &'m Member,
        naming: Naming<'m>,
        path: &ValuePath,
    ) -> Result<Value, ValueError> {
        if self.at_limit(&shape.id) {
            return Ok(Value::List(Vec::new()));
        }
        self.enter(shape, path)?;
        let element = self.model().target(member);
        let mut items = Vec::with_capacity(LIST_LENGTH + 1);
        for index in 0..LIST_LENGTH {
            items.push(self.value(element, naming, &path.index(index), None)?);
        }
        if shape.traits.is_sparse() {
            items.push(Value::Null);
        }
        self.leave();
        Ok(Value::List(items))
    }

    fn map(
        &mut self,
        shape: &'m Shape,
        value: &'m Member,
        naming: Naming<'m>,
        path: &ValuePath,
    ) -> Result<Value, ValueError> {
        if self.at_limit(&shape.id) {
            return Ok(Value::Map(Vec::new()));
        }
        self.enter(shape, path)?;
        let target = self.model().target(value);
        let mut entries = Vec::with_capacity(MAP_KEYS.len() + 1);
        for key in MAP_KEYS {
            entries.push((
                key.to_owned(),
                self.value(target, naming, &path.key(key), None)?,
            ));
        }
        if shape.traits.is_sparse() {
            entries.push((SPARSE_MAP_KEY.to_owned(), Value::Null));
        }
        self.leave();
        Ok(Value::Map(entries))
    }

    fn structure(
        &mut self,
        shape: &'m Shape,
        members: &'m [Member],
        path: &ValuePath,
    ) -> Result<Value, ValueError> {
        if self.at_limit(&shape.id) {
            return Ok(Value::Structure {
                shape: shape.id.clone(),
                members: Vec::new(),
            });
        }
        self.enter(shape, path)?;
        let mut set = Vec::with_capacity(members.len());
        for member in members {
            if self.mode == Mode::Min && !member.traits.is_required() {
                continue;
            }
            let naming = Naming {
                owner: Some(&shape.id),
                name: &member.name,
            };
            let target = self.model().target(member);
            let value = self.value(target, naming, &path.member(&member.name), Some(member))?;
            set.push((member.name.clone(), value));
        }
        self.leave();
        Ok(Value::Structure {
            shape: shape.id.clone(),
            members: set,
        })
    }

    fn union(
        &mut self,
        shape: &'m Shape,
        members: &'m [Member],
        path: &ValuePath,
    ) -> Result<Value, ValueError> {
        let index = if self.at_limit(&shape.id) {
            self.generator.limit_choice(shape, members)
        } else {
            path.union_choice(members.len()).unwrap_or(0)
        };
        let Some(member) = members.get(index) else {
            return Err(ValueError::EmptyUnion {
                model: self.model().path().to_owned(),
                shape: shape.id.clone(),
                path: path.to_string(),
            });
        };
        self.enter(shape, path)?;
        let naming = Naming {
            owner: Some(&shape.id),
            name: &member.name,
        };
        let target = self.model().target(member);
        let value = self.value(target, naming, &path.member(&member.name), Some(member))?;
        self.leave();
        Ok(Value::Union {
            shape: shape.id.clone(),
            member: member.name.clone(),
            value: Box::new(value),
        })
    }

    fn events(
        &mut self,
        shape: &'m Shape,
        members: &'m [Member],
        path: &ValuePath,
        which: Events,
    ) -> Result<Vec<(String, Value)>, ValueError> {
        self.enter(shape, path)?;
        let mut events = Vec::new();
        for member in members {
            let target = self.model().target(member);
            let is_exception = target.traits.error().is_some();
            if is_exception != (which == Events::Exceptions) {
                continue;
            }
            let naming = Naming {
                owner: Some(&shape.id),
                name: &member.name,
            };
            let value = self.value(target, naming, &path.member(&member.name), Some(member))?;
            events.push((member.name.clone(), value));
        }
        self.leave();
        Ok(events)
    }
}

/// `__<MemberName>__`.
fn placeholder(name: &str) -> String {
    format!("__{name}__")
}

/// The document every `document` member gets.
fn document(name: &str) -> serde_json::Value {
    // Keys in sorted order, so the value reads the same whether or not serde_json's
    // `preserve_order` feature is enabled somewhere in the build.
    json!({
        "nested": { "flag": true },
        "numbers": [1, 2, 3],
        "string": placeholder(name),
    })
}

fn document_scalar(value: &OverrideValue) -> Result<serde_json::Value, String> {
    Ok(match value {
        OverrideValue::String(text) => serde_json::Value::String(text.clone()),
        OverrideValue::Integer(number) => serde_json::Value::from(*number),
        OverrideValue::Float(number) => serde_json::Number::from_f64(*number)
            .map(serde_json::Value::Number)
            .ok_or_else(|| format!("{number} is not a finite number"))?,
        OverrideValue::Boolean(flag) => serde_json::Value::Bool(*flag),
    })
}

fn out_of_range(number: i64, type_name: &str) -> String {
    format!("{number} is out of range for {type_name}")
}

fn leaf_type_name(leaf: Leaf) -> &'static str {
    match leaf {
        Leaf::Simple(simple) => simple.name(),
        Leaf::Enum => "enum",
        Leaf::IntEnum => "intEnum",
    }
}

/// The override kinds a leaf accepts, for messages.
fn accepted(leaf: Leaf) -> &'static str {
    match leaf {
        Leaf::Enum => "a string",
        Leaf::IntEnum => "an integer",
        Leaf::Simple(simple) => match simple {
            SimpleType::String => "a string",
            SimpleType::Blob => "a string (its UTF-8 bytes)",
            SimpleType::Boolean => "a boolean",
            SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long => {
                "an integer"
            }
            SimpleType::Float | SimpleType::Double => "an integer or a float",
            SimpleType::BigInteger => "an integer or a string of digits",
            SimpleType::BigDecimal => "an integer, a float or a string holding a decimal number",
            SimpleType::Timestamp => "an integer (milliseconds since the Unix epoch)",
            SimpleType::Document => "a string, an integer, a float or a boolean",
        },
    }
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

fn unsigned(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

/// `[+-]digits`.
fn is_integer_text(text: &str) -> bool {
    digits(unsigned(text))
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`.
fn is_decimal_text(text: &str) -> bool {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (text, None),
    };
    let mantissa_ok = match unsigned(mantissa).split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned(mantissa)),
    };
    mantissa_ok && exponent.is_none_or(is_integer_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_number_text() {
        for good in ["0", "-12", "+7", "123456789012345678901234567890"] {
            assert!(is_integer_text(good), "{good}");
            assert!(is_decimal_text(good), "{good}");
        }
        for good in ["1.5", "-0.25", "9876543210.0123456789", "1e10", "2.5E-3"] {
            assert!(is_decimal_text(good), "{good}");
            assert!(!is_integer_text(good), "{good}");
        }
        for bad in [
            "", "-", "1.", ".5", "1e", "inf", "NaN", "1_000", "0x10", "1.2.3",
        ] {
            assert!(!is_decimal_text(bad), "{bad}");
            assert!(!is_integer_text(bad), "{bad}");
        }
    }

    #[test]
    fn document_has_a_string_a_number_list_and_a_nested_object() {
        assert_eq!(
            document("Doc"),
            json!({"string": "__Doc__", "numbers": [1, 2, 3], "nested": {"flag": true}})
        );
    }
}
