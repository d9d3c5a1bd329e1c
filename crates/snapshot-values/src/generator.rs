//! The deterministic generator: a [`Value`] for a shape in a [`Mode`].
//!
//! The rules are documented once, in the crate docs; constants here carry the values.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use snapshot_model::traits::EnumValue;
use snapshot_model::{EnumVariant, Member, Model, Shape, ShapeId, ShapeKind, SimpleType};

use crate::edge::{Patterns, Place};
use crate::endpoint::{EndpointFit, EndpointRules};
use crate::walk::Walk;
use crate::{Mode, Overrides, Value, ValueError, ValuePath};

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

/// Generates deterministic values for the shapes of one model.
#[derive(Debug)]
pub struct Generator<'m> {
    model: &'m Model,
    overrides: &'m Overrides,
    // Per recursive union: the member chosen at the recursion limit. Computing it walks the
    // shape graph, so it is remembered; a Mutex keeps the generator shareable across threads.
    limit_choices: Mutex<HashMap<ShapeId, usize>>,
    pub(crate) patterns: Patterns,
    endpoint: Option<EndpointRules>,
}

impl<'m> Generator<'m> {
    /// A generator over `model` that applies `overrides`.
    pub fn new(model: &'m Model, overrides: &'m Overrides) -> Self {
        Generator {
            model,
            overrides,
            limit_choices: Mutex::new(HashMap::new()),
            patterns: Patterns::default(),
            endpoint: None,
        }
    }

    /// The same generator, fitting the inputs [`Generator::generate_input`] makes to the
    /// endpoint rule set of `service` (see [`EndpointRules`]). Without it, inputs are left as
    /// generated.
    pub fn with_endpoint_rules(mut self, service: &Shape) -> Self {
        self.endpoint = EndpointRules::of_service(service);
        self
    }

    /// The endpoint rules inputs are fitted to, if any.
    pub fn endpoint_rules(&self) -> Option<&EndpointRules> {
        self.endpoint.as_ref()
    }

    pub(crate) fn overrides(&self) -> &'m Overrides {
        self.overrides
    }

    /// The model values are generated for.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The value of `root` (an operation's input, output or error structure) in `mode`.
    pub fn generate(&self, root: &ShapeId, mode: Mode) -> Result<Value, ValueError> {
        self.generate_root(root, mode, &[])
    }

    fn generate_root(
        &self,
        root: &ShapeId,
        mode: Mode,
        greedy_labels: &[String],
    ) -> Result<Value, ValueError> {
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
            place: Place::Body,
        };
        Walk::new(self, mode, greedy_labels).value(
            shape,
            naming,
            &ValuePath::root(shape.id.name()),
            None,
        )
    }

    /// The input of `operation` in `mode`, with the members the client computes itself left
    /// for it to compute: with `@httpChecksum`, the checksum value headers (`x-amz-checksum-*`,
    /// `Content-MD5`) are not set, so the client calculates the checksum for the algorithm the
    /// input names (S3 `PutObject` then sends an `aws-chunked` body with a checksum trailer);
    /// and a `Content-Length` header member next to a streaming payload is set to the length of
    /// the generated stream, which is what the client sends. With
    /// [`Generator::with_endpoint_rules`], members bound to endpoint rule-set parameters then
    /// get values the rules accept ([`EndpointRules::fit`]).
    pub fn generate_input(&self, operation: &Shape, mode: Mode) -> Result<Value, ValueError> {
        let ShapeKind::Operation(op) = &operation.kind else {
            return Err(ValueError::NotAValue {
                model: self.model.path().to_owned(),
                shape: operation.id.clone(),
                shape_type: operation.kind.type_name(),
            });
        };
        let greedy_labels = operation
            .traits
            .http()
            .map(|http| greedy_labels(&http.uri))
            .unwrap_or_default();
        let mut value = self.generate_root(&op.input, mode, &greedy_labels)?;
        self.computed_members(operation, &op.input, &mut value);
        if let Some(rules) = &self.endpoint {
            rules.fit(self.model, operation, &mut value);
        }
        Ok(value)
    }

    /// The inputs of `operation` to send, one per distinct variant: max first, then min and edge
    /// (in [`Mode::ALL`] order) where their values differ from every earlier one; an operation
    /// whose members are all required has no separate min, one without members only max.
    pub fn input_variants(&self, operation: &Shape) -> Result<Vec<(Mode, Value)>, ValueError> {
        let mut variants: Vec<(Mode, Value)> =
            vec![(Mode::Max, self.generate_input(operation, Mode::Max)?)];
        for mode in Mode::ALL.into_iter().filter(|mode| *mode != Mode::Max) {
            let value = self.generate_input(operation, mode)?;
            if variants.iter().all(|(_, earlier)| earlier != &value) {
                variants.push((mode, value));
            }
        }
        Ok(variants)
    }

    /// What fitting `input` of `operation` to the endpoint rules does (`None` without rules);
    /// [`Generator::generate_input`] has done it already.
    pub fn fit_endpoint(&self, operation: &Shape, input: &mut Value) -> Option<EndpointFit> {
        self.endpoint
            .as_ref()
            .map(|rules| rules.fit(self.model, operation, input))
    }

    /// Leaves checksums to the client and sizes `Content-Length` to the stream.
    fn computed_members(&self, operation: &Shape, input_id: &ShapeId, value: &mut Value) {
        let (
            Some(input),
            Value::Structure {
                members: values, ..
            },
        ) = (self.model.shape(input_id), value)
        else {
            return;
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
        let stream_length = members
            .iter()
            .find(|member| {
                member.traits.is_http_payload() && self.model.target(member).traits.is_streaming()
            })
            .and_then(|payload| values.iter().find(|(name, _)| name == &payload.name))
            .and_then(|(_, stream)| match stream {
                Value::StreamingBlob(bytes) => Some(bytes.len()),
                _ => None,
            });
        values.retain(|(name, _)| {
            let computed = header(name).is_some_and(|header| {
                header.starts_with("x-amz-checksum-") || header == "content-md5"
            });
            !(checksummed && computed)
        });
        if let Some(stream_length) = stream_length {
            for (name, member_value) in values.iter_mut() {
                if header(name).as_deref() == Some("content-length") {
                    if let Value::Long(length) = member_value {
                        *length = i64::try_from(stream_length).unwrap_or(i64::MAX);
                    }
                }
            }
        }
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
            ShapeKind::Union(members) if shape.traits.is_streaming() => Walk::new(self, mode, &[])
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

    pub(crate) fn shape(&self, id: &ShapeId) -> Result<&'m Shape, ValueError> {
        self.model
            .shape(id)
            .ok_or_else(|| ValueError::UnknownShape {
                model: self.model.path().to_owned(),
                shape: id.clone(),
            })
    }

    /// The member a union at the recursion limit sets: the first whose target cannot lead
    /// back to the union, or the first member when every one can.
    pub(crate) fn limit_choice(&self, union: &Shape, members: &[Member]) -> usize {
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

    /// Whether `to` is reachable from `from` through members of any aggregate shape.
    pub(crate) fn reaches(&self, from: &ShapeId, to: &ShapeId) -> bool {
        self.model.reaches(from, to, |_| true)
    }

    fn variant_named(&self, shape: &Shape, value: &EnumValue) -> Option<String> {
        self.model
            .enum_variants(shape)
            .unwrap_or_default()
            .into_iter()
            .find(|variant: &EnumVariant| &variant.value == value)
            .map(|variant| variant.name)
    }

    pub(crate) fn enum_value(&self, shape: &Shape, text: String) -> Value {
        Value::Enum {
            variant: self.variant_named(shape, &EnumValue::String(text.clone())),
            value: text,
        }
    }

    pub(crate) fn int_enum_value(&self, shape: &Shape, value: i32) -> Value {
        Value::IntEnum {
            variant: self.variant_named(shape, &EnumValue::Int(i64::from(value))),
            value,
        }
    }
}

/// How a leaf shape is generated: enums (2.0 `enum` and 1.0 `@enum` strings) apart from
/// other simple types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaf {
    Simple(SimpleType),
    Enum,
    IntEnum,
}

/// Which members of an event stream become events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Events {
    /// Members that do not target `@error` structures.
    Regular,
    /// Members that target `@error` structures.
    Exceptions,
}

/// The nearest enclosing structure or union member: it names string placeholders and is the
/// key overrides are looked up by. At the root there is no member; the root shape's name is
/// used and no override applies. `place` is where a top-level member is bound in an HTTP
/// message; edge values avoid what it cannot carry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Naming<'m> {
    pub(crate) owner: Option<&'m ShapeId>,
    pub(crate) name: &'m str,
    pub(crate) place: Place,
}

/// The member names bound to greedy labels (`{Key+}`) in an `@http` URI.
fn greedy_labels(uri: &str) -> Vec<String> {
    uri.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .filter_map(|(label, _)| label.strip_suffix('+'))
        .map(str::to_owned)
        .collect()
}
