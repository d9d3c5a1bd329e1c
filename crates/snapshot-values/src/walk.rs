//! One generation: walking a shape graph from a root shape, building the value.

use snapshot_model::traits::ids;
use snapshot_model::{Member, Model, Shape, ShapeId, ShapeKind, SimpleType, Traits};

use crate::edge::Place;
use crate::errors::OverrideSite;
use crate::generator::{host_label, Events, Generator, Leaf, Naming};
use crate::leaves::leaf_type_name;
use crate::overrides::{MatchedOverride, OverrideSource};
use crate::{
    Mode, OverrideValue, Value, ValueError, ValuePath, HTTP_RESPONSE_CODE, IDEMPOTENCY_TOKEN,
    LIST_LENGTH, MAP_KEYS, MAX_DEPTH, RECURSION_LIMIT, SPARSE_MAP_KEY,
};

/// One generation: the mode, the input's greedy labels and the aggregate shapes being
/// expanded on the current path.
pub(crate) struct Walk<'g, 'm> {
    generator: &'g Generator<'m>,
    mode: Mode,
    greedy_labels: &'g [String],
    stack: Vec<&'m ShapeId>,
}

impl<'g, 'm> Walk<'g, 'm> {
    pub(crate) fn new(
        generator: &'g Generator<'m>,
        mode: Mode,
        greedy_labels: &'g [String],
    ) -> Self {
        Walk {
            generator,
            mode,
            greedy_labels,
            stack: Vec::new(),
        }
    }

    fn model(&self) -> &'m Model {
        self.generator.model()
    }

    /// The traits that constrain a value: the member's over its target's, or the shape's own
    /// for list elements and map values.
    fn constraints(&self, shape: &Shape, direct: Option<&Member>) -> Traits {
        match direct {
            Some(member) => self.model().effective_traits(member),
            None => shape.traits.clone(),
        }
    }

    pub(crate) fn value(
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
                self.list(shape, member, naming, path, direct)
            }
            ShapeKind::Map { value, .. } => self.map(shape, value, naming, path, direct),
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
        self.generator.overrides().lookup(owner, naming.name)
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
        if self.mode == Mode::Edge {
            let constraints = self.constraints(shape, direct);
            return Ok(self.generator.edge_leaf(
                shape,
                leaf,
                naming.name,
                path,
                &constraints,
                naming.place,
            ));
        }
        Ok(self.generator.default_leaf(shape, leaf, naming.name))
    }

    /// How many elements a list or map gets.
    fn length(&self, shape: &Shape, path: &ValuePath, direct: Option<&Member>) -> usize {
        match self.mode {
            Mode::Edge => self
                .generator
                .edge_length(&self.constraints(shape, direct), path),
            Mode::Min | Mode::Max => LIST_LENGTH,
        }
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
        direct: Option<&'m Member>,
    ) -> Result<Value, ValueError> {
        if self.at_limit(&shape.id) {
            return Ok(Value::List(Vec::new()));
        }
        let length = self.length(shape, path, direct);
        self.enter(shape, path)?;
        let element = self.model().target(member);
        let mut items = Vec::with_capacity(length + 1);
        for index in 0..length {
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
        direct: Option<&'m Member>,
    ) -> Result<Value, ValueError> {
        if self.at_limit(&shape.id) {
            return Ok(Value::Map(Vec::new()));
        }
        let length = self.length(shape, path, direct);
        self.enter(shape, path)?;
        let target = self.model().target(value);
        let mut entries = Vec::with_capacity(length + 1);
        for key in MAP_KEYS.into_iter().take(length) {
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
        // At the recursion limit a structure still sets the required members that cannot lead
        // back to it: a client's builder rejects the structure without them (lexruntimev2's
        // ElicitSubSlot needs its Name), and a member that loops back would not end.
        let at_limit = self.at_limit(&shape.id);
        self.enter(shape, path)?;
        let mut set = Vec::with_capacity(members.len());
        for member in members {
            let wanted = if at_limit {
                member.traits.is_required() && !self.generator.reaches(&member.target, &shape.id)
            } else {
                self.mode.sets_every_member() || member.traits.is_required()
            };
            if !wanted {
                continue;
            }
            let target = self.model().target(member);
            // HTTP bindings apply to the members of the root structure only.
            let place = if self.stack.len() == 1 {
                Place::of(member, target, self.greedy_labels)
            } else {
                Place::Body
            };
            let naming = Naming {
                owner: Some(&shape.id),
                name: &member.name,
                place,
            };
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
            let choice = path.union_choice(members.len()).unwrap_or(0);
            // Edge sets the member after the one max sets.
            match self.mode {
                Mode::Edge => (choice + 1) % members.len().max(1),
                Mode::Min | Mode::Max => choice,
            }
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
            place: Place::Body,
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

    pub(crate) fn events(
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
                place: Place::Body,
            };
            let value = self.value(target, naming, &path.member(&member.name), Some(member))?;
            events.push((member.name.clone(), value));
        }
        self.leave();
        Ok(events)
    }
}
