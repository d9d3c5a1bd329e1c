//! Model ↔ crate drift: what a service's model and its client crate's API ([`ClientApi`])
//! disagree on, learnt before any harness code is written.
//!
//! A model newer than its crate names members the crate has no field or setter for; code
//! using them would not compile, and excluding the whole operation after the compile error
//! would lose every other member's coverage. [`ClientDrift::prune`] drops exactly those members
//! from a generated value instead, each as a [`DroppedMember`] with the [`MissingApi`] that
//! forced it. A crate newer than its model has members and operations the model does not name:
//! they are never exercised and are listed ([`ClientDrift::unexercised_members`],
//! [`ClientDrift::unmodeled_operations`]).
//!
//! smithy-rs names used here: an operation's module is its snake_case name, its input and
//! output structures `<Op>Input`/`<Op>Output` (PascalCase of the operation name) in that module,
//! its error enum `<Op>Error` (the operation name as the model spells it) with one variant per
//! declared error named like the error's type; an `@error` structure lives in `types::error`,
//! other structures and unions in `types`; each structure has a `pub` field per member and a
//! builder `<Type>Builder` with a `set_<member in snake_case>` setter.

use snapshot_model::{prelude, Member, OperationRef, ServiceIndex, Shape, ShapeId, ShapeKind};
use snapshot_values::{Value, ValuePath};

use crate::api::{ApiModule, ClientApi, TypeKey};
use crate::naming;

/// What the crate lacks for a model member.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum MissingApi {
    /// The type that would hold the member does not exist.
    Type {
        /// The type.
        key: TypeKey,
    },
    /// The structure has no `pub` field for the member.
    Field {
        /// The structure.
        owner: TypeKey,
        /// The field smithy-rs would generate.
        field: String,
    },
    /// The structure's builder has no setter for the member.
    Setter {
        /// The builder.
        builder: TypeKey,
        /// The setter smithy-rs would generate.
        setter: String,
    },
    /// The union, event stream or error enum has no variant for the member or error.
    Variant {
        /// The enum.
        owner: TypeKey,
        /// The variant smithy-rs would generate.
        variant: String,
    },
}

impl std::fmt::Display for MissingApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MissingApi::Type { key } => write!(f, "the crate has no type `{key}`"),
            MissingApi::Field { owner, field } => {
                write!(f, "the crate's `{owner}` has no field `{field}`")
            }
            MissingApi::Setter { builder, setter } => {
                write!(f, "the crate's `{builder}` has no setter `{setter}`")
            }
            MissingApi::Variant { owner, variant } => {
                write!(f, "the crate's `{owner}` has no variant `{variant}`")
            }
        }
    }
}

/// A member dropped from a generated value because the crate cannot hold it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DroppedMember {
    /// Where the member was (`GetSessionTokenRequest.MinimumSessionTokenSize`).
    pub path: ValuePath,
    /// What the crate lacks.
    pub missing: MissingApi,
}

/// A member of a crate type that no model member maps to: never set, never checked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnexercisedMember {
    /// The crate type.
    pub owner: TypeKey,
    /// The model shape it was generated from.
    pub shape: ShapeId,
    /// The `pub` field no model member maps to.
    pub field: String,
}

/// Where a value sits in the crate's API, which decides the type its structure maps to.
#[derive(Debug, Clone, Copy)]
pub enum ValueRoot<'o, 'm> {
    /// The input of an operation (`operation::<op>::<Op>Input`).
    Input(&'o OperationRef<'m>),
    /// The output of an operation (`operation::<op>::<Op>Output`).
    Output(&'o OperationRef<'m>),
    /// An error structure (`types::error::<Name>`).
    Error,
}

/// A service's model compared with its client crate's API.
pub struct ClientDrift<'a, 'm> {
    index: &'a ServiceIndex<'m>,
    api: &'a ClientApi,
}

impl<'a, 'm> ClientDrift<'a, 'm> {
    /// The model of `index` against `api`.
    pub fn new(index: &'a ServiceIndex<'m>, api: &'a ClientApi) -> Self {
        ClientDrift { index, api }
    }

    /// The crate module of an operation (`assume_role`).
    fn module(operation: &OperationRef<'_>) -> ApiModule {
        ApiModule::Operation(naming::operation_fn(operation.name()))
    }

    /// Model operations the crate has no module for.
    pub fn missing_operations(&self) -> Vec<&'m str> {
        self.index
            .operations()
            .iter()
            .filter(|operation| {
                let ApiModule::Operation(module) = Self::module(operation) else {
                    return false;
                };
                !self.api.operations().contains(&module)
            })
            .map(|operation| operation.name())
            .collect()
    }

    /// Operation modules of the crate that no model operation maps to, sorted.
    pub fn unmodeled_operations(&self) -> Vec<String> {
        let modeled: Vec<ApiModule> = self.index.operations().iter().map(Self::module).collect();
        self.api
            .operations()
            .iter()
            .filter(|module| !modeled.contains(&ApiModule::Operation((*module).clone())))
            .cloned()
            .collect()
    }

    /// Whether the operation's error enum has a variant for `error`; the variant is named in
    /// the `Err` when it does not.
    ///
    /// # Errors
    /// What the crate lacks: the enum, or its variant.
    pub fn error_variant(
        &self,
        operation: &OperationRef<'_>,
        error: &ShapeId,
    ) -> Result<(), MissingApi> {
        let owner = TypeKey::new(
            Self::module(operation),
            format!("{}Error", operation.name()),
        );
        let variant = naming::type_name(self.index.name(error));
        match self.api.get(&owner) {
            None => Err(MissingApi::Type { key: owner }),
            Some(api) if api.variants.contains(&variant) => Ok(()),
            Some(_) => Err(MissingApi::Variant { owner, variant }),
        }
    }

    /// Whether the crate's type for the structure `shape` can hold `member`: it has the field
    /// and the builder setter. `root` places a top-level input or output (its type is named
    /// after the operation); `None` is any other structure, errors included. The harness's
    /// readers skip what this rejects, as [`ClientDrift::prune`] drops it from the value.
    pub fn holds_member(
        &self,
        root: Option<ValueRoot<'_, '_>>,
        shape: &Shape,
        member: &Member,
    ) -> bool {
        let owner = match root {
            Some(root) => self.structure_key(root, shape),
            None => self.nested_key(shape),
        };
        self.missing_member(&owner, member).is_none()
    }

    /// Whether the crate's enum for the union or event stream `union` has a variant for
    /// `member` (an event stream's exception events: its error enum; see
    /// [`ClientDrift::prune`]).
    pub fn holds_variant(&self, union: &Shape, member: &Member) -> bool {
        self.missing_variant(union, member).is_none()
    }

    /// Whether the crate has a type for the structure or union `shape` (`types::Name`, or
    /// `types::error::Name` for an error).
    pub fn has_type(&self, shape: &Shape) -> bool {
        self.api.get(&self.nested_key(shape)).is_some()
    }

    /// Fields of crate types that no member of the model shape they stand for maps to: the
    /// inputs and outputs of the model's operations, and every structure the service reaches.
    pub fn unexercised_members(&self) -> Vec<UnexercisedMember> {
        let model = self.index.model();
        let mut roots: Vec<(TypeKey, &Shape)> = Vec::new();
        let mut top_level = Vec::new();
        for operation in self.index.operations() {
            for (root, shape_id) in [
                (ValueRoot::Input(operation), &operation.operation.input),
                (ValueRoot::Output(operation), &operation.operation.output),
            ] {
                top_level.push(shape_id.clone());
                if let Some(shape) = model.shape(shape_id) {
                    roots.push((self.structure_key(root, shape), shape));
                }
            }
        }
        for id in self.index.closure() {
            let Some(shape) = model.shape(&id) else {
                continue;
            };
            if matches!(shape.kind, ShapeKind::Structure(_)) && !top_level.contains(&id) {
                roots.push((self.nested_key(shape), shape));
            }
        }
        let mut unexercised = Vec::new();
        for (key, shape) in roots {
            let Some(api) = self.api.get(&key) else {
                continue;
            };
            let mut modeled: Vec<String> = shape
                .kind
                .members()
                .iter()
                .map(|member| naming::structure_member(&member.name))
                .collect();
            // smithy-rs gives every error structure a `message` field, modeled or not.
            if key.module == ApiModule::TypesError {
                modeled.push("message".to_owned());
            }
            unexercised.extend(
                api.fields
                    .iter()
                    .filter(|field| !modeled.contains(field))
                    .map(|field| UnexercisedMember {
                        owner: key.clone(),
                        shape: shape.id.clone(),
                        field: field.clone(),
                    }),
            );
        }
        unexercised.sort();
        unexercised.dedup();
        unexercised
    }

    /// Removes from `value` (a value of the root shape, at `path`) every member the crate
    /// cannot hold, returning them. A union whose chosen member has no variant is dropped
    /// with the member, element or entry that holds it.
    pub fn prune(
        &self,
        root: ValueRoot<'_, 'm>,
        value: &mut Value,
        path: &ValuePath,
    ) -> Vec<DroppedMember> {
        let mut dropped = Vec::new();
        let shape = match &*value {
            Value::Structure { shape, .. } => self.index.model().shape(shape),
            _ => None,
        };
        if let Some(shape) = shape {
            let key = self.structure_key(root, shape);
            self.prune_structure(&key, shape, value, path, &mut dropped);
        }
        dropped
    }

    /// The crate type of a structure at the top of `root`.
    fn structure_key(&self, root: ValueRoot<'_, '_>, shape: &Shape) -> TypeKey {
        match root {
            ValueRoot::Input(operation) => TypeKey::new(
                Self::module(operation),
                naming::type_name(&format!("{}Input", operation.name())),
            ),
            ValueRoot::Output(operation) => TypeKey::new(
                Self::module(operation),
                naming::type_name(&format!("{}Output", operation.name())),
            ),
            ValueRoot::Error => self.nested_key(shape),
        }
    }

    /// The crate type of a structure or union below the top: `types::error` for errors.
    fn nested_key(&self, shape: &Shape) -> TypeKey {
        let name = naming::type_name(self.index.name(&shape.id));
        match shape.traits.error() {
            Some(_) => TypeKey::new(ApiModule::TypesError, name),
            None => TypeKey::new(ApiModule::Types, name),
        }
    }

    /// What the crate lacks for `member` of the structure `owner`, if anything.
    fn missing_member(&self, owner: &TypeKey, member: &Member) -> Option<MissingApi> {
        let Some(api) = self.api.get(owner) else {
            return Some(MissingApi::Type { key: owner.clone() });
        };
        let field = naming::structure_member(&member.name);
        if !api.fields.contains(&field) {
            return Some(MissingApi::Field {
                owner: owner.clone(),
                field,
            });
        }
        let builder = TypeKey::new(owner.module.clone(), format!("{}Builder", owner.name));
        let setter = format!("set_{}", naming::snake_case(&member.name));
        match self.api.get(&builder) {
            Some(api) if api.methods.contains(&setter) => None,
            _ => Some(MissingApi::Setter { builder, setter }),
        }
    }

    fn prune_structure(
        &self,
        owner: &TypeKey,
        shape: &Shape,
        value: &mut Value,
        path: &ValuePath,
        dropped: &mut Vec<DroppedMember>,
    ) {
        let (ShapeKind::Structure(members), Value::Structure { members: set, .. }) =
            (&shape.kind, value)
        else {
            return;
        };
        set.retain_mut(|(name, member_value)| {
            let member_path = path.member(name);
            let Some(member) = members.iter().find(|member| &member.name == name) else {
                return true;
            };
            if let Some(missing) = self.missing_member(owner, member) {
                dropped.push(DroppedMember {
                    path: member_path,
                    missing,
                });
                return false;
            }
            self.prune_nested(member, member_value, &member_path, dropped)
        });
    }

    /// Prunes a member's value; `false` when the value itself cannot exist in the crate.
    fn prune_nested(
        &self,
        member: &Member,
        value: &mut Value,
        path: &ValuePath,
        dropped: &mut Vec<DroppedMember>,
    ) -> bool {
        let model = self.index.model();
        let target = model.target(member);
        match (&target.kind, value) {
            (ShapeKind::Structure(_), value @ Value::Structure { .. }) => {
                let key = self.nested_key(target);
                if self.api.get(&key).is_none() {
                    dropped.push(DroppedMember {
                        path: path.clone(),
                        missing: MissingApi::Type { key },
                    });
                    return false;
                }
                self.prune_structure(&key, target, value, path, dropped);
                true
            }
            (ShapeKind::List(item) | ShapeKind::Set(item), Value::List(items)) => {
                let mut index = 0;
                items.retain_mut(|element| {
                    let kept = self.prune_nested(item, element, &path.index(index), dropped);
                    index += 1;
                    kept
                });
                true
            }
            (ShapeKind::Map { value: entry, .. }, Value::Map(entries)) => {
                entries.retain_mut(|(key, element)| {
                    self.prune_nested(entry, element, &path.key(key), dropped)
                });
                true
            }
            (
                ShapeKind::Union(members),
                Value::Union {
                    member: chosen,
                    value: inner,
                    ..
                },
            ) => {
                let Some(union_member) = members.iter().find(|m| &m.name == chosen) else {
                    return true;
                };
                let member_path = path.member(chosen);
                if let Some(missing) = self.missing_variant(target, union_member) {
                    dropped.push(DroppedMember {
                        path: member_path,
                        missing,
                    });
                    return false;
                }
                if union_member.target.as_str() != prelude::UNIT {
                    self.prune_nested(union_member, inner, &member_path, dropped);
                }
                true
            }
            (ShapeKind::Union(members), Value::EventStream { events, .. }) => {
                events.retain_mut(|(name, event)| {
                    let Some(event_member) = members.iter().find(|m| &m.name == name) else {
                        return true;
                    };
                    let event_path = path.member(name);
                    if let Some(missing) = self.missing_variant(target, event_member) {
                        dropped.push(DroppedMember {
                            path: event_path,
                            missing,
                        });
                        return false;
                    }
                    self.prune_nested(event_member, event, &event_path, dropped)
                });
                true
            }
            _ => true,
        }
    }

    /// What the crate lacks for a union or event stream member. An event stream's exception
    /// events (members targeting an `@error` structure) are variants of
    /// `types::error::<Union>Error` named after the error structure's type (smithy-rs builds
    /// that enum from the members' targets), not of the stream's own enum.
    fn missing_variant(&self, union: &Shape, member: &Member) -> Option<MissingApi> {
        let is_exception = self.index.model().target(member).traits.error().is_some();
        let (owner, variant) = match is_exception && union.traits.is_streaming() {
            true => (
                TypeKey::new(
                    ApiModule::TypesError,
                    format!("{}Error", naming::type_name(self.index.name(&union.id))),
                ),
                naming::type_name(self.index.name(&member.target)),
            ),
            false => (self.nested_key(union), naming::union_variant(&member.name)),
        };
        match self.api.get(&owner) {
            None => Some(MissingApi::Type { key: owner }),
            Some(api) if api.variants.contains(&variant) => None,
            Some(_) => Some(MissingApi::Variant { owner, variant }),
        }
    }
}
