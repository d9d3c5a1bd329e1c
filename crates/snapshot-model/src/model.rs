//! Loading a Smithy JSON AST file into a validated [`Model`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::Value;

use crate::ast::{AstMember, AstModel, AstShape, AstTarget};
use crate::shape::{Member, Operation, Resource, Service, Shape, ShapeKind, SimpleType};
use crate::traits::{ids, EnumValue};
use crate::{prelude, ModelError, ShapeId, Traits};

/// A loaded, validated Smithy model: every member and relationship targets a defined shape.
#[derive(Debug, Clone)]
pub struct Model {
    path: PathBuf,
    smithy_version: String,
    metadata: BTreeMap<String, Value>,
    shapes: IndexMap<ShapeId, Shape>,
}

/// One variant of an enum, an intEnum or a Smithy 1.0 `@enum` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The member name (or the 1.0 `name`, or the value when the 1.0 definition has no name).
    pub name: String,
    /// The value on the wire.
    pub value: EnumValue,
}

impl Model {
    /// Reads and validates a model file.
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.to_owned(),
            source,
        })?;
        Model::from_json(&bytes, path)
    }

    /// Parses and validates model JSON; `path` is used in messages only.
    pub fn from_json(bytes: &[u8], path: &Path) -> Result<Model, ModelError> {
        let ast: AstModel = serde_json::from_slice(bytes).map_err(|error| ModelError::Json {
            path: path.to_owned(),
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        })?;
        let major = ast.smithy.split('.').next().unwrap_or_default();
        if !matches!(major, "1" | "2") {
            return Err(ModelError::UnsupportedVersion {
                path: path.to_owned(),
                version: ast.smithy,
            });
        }
        let mut builder = Builder {
            path,
            shapes: IndexMap::new(),
        };
        for shape in prelude::shapes() {
            builder.shapes.insert(shape.id.clone(), shape);
        }
        let mut mixins_of = Vec::new();
        let mut applied = Vec::new();
        for (id, ast_shape) in ast.shapes {
            // `apply` entries add traits to a shape or member defined elsewhere; they are
            // merged once every shape (and every mixin member) exists.
            if ast_shape.shape_type == "apply" {
                let traits = builder.traits(&id, ast_shape.traits)?;
                applied.push((id, traits));
                continue;
            }
            let id = builder.shape_id(&id)?;
            let mixins = ast_shape
                .mixins
                .iter()
                .map(|mixin| builder.shape_id(&mixin.target))
                .collect::<Result<Vec<_>, _>>()?;
            let shape = builder.convert(id.clone(), ast_shape)?;
            if !mixins.is_empty() {
                mixins_of.push((id.clone(), mixins));
            }
            builder.shapes.insert(id, shape);
        }
        builder.apply_mixins(&mixins_of)?;
        for (target, traits) in applied {
            builder.apply_traits(&target, traits)?;
        }
        let model = Model {
            path: path.to_owned(),
            smithy_version: ast.smithy,
            metadata: ast.metadata,
            shapes: builder.shapes,
        };
        model.validate_targets()?;
        Ok(model)
    }

    /// The file the model was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The AST's `smithy` version (`2.0`).
    pub fn smithy_version(&self) -> &str {
        &self.smithy_version
    }

    /// Model metadata.
    pub fn metadata(&self) -> &BTreeMap<String, Value> {
        &self.metadata
    }

    /// All shapes, the prelude first, then model order.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values()
    }

    /// A shape by id.
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    pub(crate) fn shape_mut(&mut self, id: &ShapeId) -> Option<&mut Shape> {
        self.shapes.get_mut(id)
    }

    /// Whether `to` is reachable from `from` through the members of the shapes `follow`
    /// accepts (every aggregate: `|_| true`; structures and unions only, as smithy-rs's
    /// recursive-shape boxing counts loops: a list or map holds its items on the heap).
    pub fn reaches(&self, from: &ShapeId, to: &ShapeId, follow: impl Fn(&Shape) -> bool) -> bool {
        let mut seen = HashSet::new();
        let mut pending = vec![from];
        while let Some(id) = pending.pop() {
            if id == to {
                return true;
            }
            if !seen.insert(id) {
                continue;
            }
            if let Some(shape) = self.shape(id).filter(|shape| follow(shape)) {
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

    /// The shape a member targets. Loading checked that every target exists, so this is total;
    /// the Unit fallback only guards the invariant.
    pub fn target(&self, member: &Member) -> &Shape {
        self.shapes
            .get(&member.target)
            .or_else(|| self.shapes.get(&ShapeId::new("smithy.api", "Unit")))
            .unwrap_or_else(|| unreachable!("the prelude is always loaded"))
    }

    /// Member traits overlaid on the target's traits (member wins), as Smithy resolves
    /// traits such as `@timestampFormat`, `@sensitive` or `@mediaType`.
    pub fn effective_traits(&self, member: &Member) -> Traits {
        let mut traits = member.traits.clone();
        traits.inherit(&self.target(member).traits, &[]);
        traits
    }

    /// Ids of all service shapes, in model order.
    pub fn services(&self) -> Vec<&ShapeId> {
        self.shapes
            .values()
            .filter(|shape| matches!(shape.kind, ShapeKind::Service(_)))
            .map(|shape| &shape.id)
            .collect()
    }

    /// The variants of an enum-like shape: `enum`, `intEnum`, or a string with Smithy 1.0 `@enum`.
    pub fn enum_variants(&self, shape: &Shape) -> Option<Vec<EnumVariant>> {
        match &shape.kind {
            ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => Some(
                members
                    .iter()
                    .map(|member| EnumVariant {
                        name: member.name.clone(),
                        value: member
                            .traits
                            .enum_value()
                            .unwrap_or_else(|| EnumValue::String(member.name.clone())),
                    })
                    .collect(),
            ),
            ShapeKind::Simple(SimpleType::String) => {
                shape.traits.enum_definitions().map(|definitions| {
                    definitions
                        .into_iter()
                        .map(|definition| EnumVariant {
                            name: definition.name.unwrap_or_else(|| definition.value.clone()),
                            value: EnumValue::String(definition.value),
                        })
                        .collect()
                })
            }
            _ => None,
        }
    }

    fn validate_targets(&self) -> Result<(), ModelError> {
        let check = |from: String, target: &ShapeId| -> Result<(), ModelError> {
            if self.shapes.contains_key(target) {
                Ok(())
            } else {
                Err(ModelError::UnknownTarget {
                    path: self.path.clone(),
                    from,
                    target: target.to_string(),
                })
            }
        };
        for shape in self.shapes.values() {
            for member in shape.kind.members() {
                check(format!("{}${}", shape.id, member.name), &member.target)?;
            }
            match &shape.kind {
                ShapeKind::Operation(operation) => {
                    check(format!("{} (input)", shape.id), &operation.input)?;
                    check(format!("{} (output)", shape.id), &operation.output)?;
                    for error in &operation.errors {
                        check(format!("{} (errors)", shape.id), error)?;
                    }
                }
                ShapeKind::Resource(resource) => {
                    for (name, target) in &resource.identifiers {
                        check(format!("{} (identifier {name})", shape.id), target)?;
                    }
                    let bound = resource
                        .lifecycle
                        .iter()
                        .chain(&resource.operations)
                        .chain(&resource.collection_operations)
                        .chain(&resource.resources);
                    for target in bound {
                        check(format!("{} (bound shape)", shape.id), target)?;
                    }
                }
                ShapeKind::Service(service) => {
                    let bound = service
                        .operations
                        .iter()
                        .chain(&service.resources)
                        .chain(&service.errors);
                    for target in bound {
                        check(format!("{} (bound shape)", shape.id), target)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

struct Builder<'p> {
    path: &'p Path,
    shapes: IndexMap<ShapeId, Shape>,
}

impl Builder<'_> {
    fn shape_id(&self, text: &str) -> Result<ShapeId, ModelError> {
        text.parse().map_err(|_| ModelError::InvalidShapeId {
            path: self.path.to_owned(),
            id: text.to_owned(),
        })
    }

    fn targets(&self, list: &[AstTarget]) -> Result<Vec<ShapeId>, ModelError> {
        list.iter()
            .map(|entry| self.shape_id(&entry.target))
            .collect()
    }

    fn optional_target(&self, target: &Option<AstTarget>) -> Result<Option<ShapeId>, ModelError> {
        target
            .as_ref()
            .map(|entry| self.shape_id(&entry.target))
            .transpose()
    }

    fn traits(&self, owner: &str, raw: BTreeMap<String, Value>) -> Result<Traits, ModelError> {
        // Trait ids may be written relative to the prelude (`required`), as Smithy allows.
        let raw = raw
            .into_iter()
            .map(|(id, value)| {
                if id.contains('#') {
                    (id, value)
                } else {
                    (format!("smithy.api#{id}"), value)
                }
            })
            .collect();
        Traits::new(raw).map_err(|source| ModelError::InvalidTrait {
            path: self.path.to_owned(),
            shape: owner.to_owned(),
            source,
        })
    }

    fn member(&self, owner: &ShapeId, name: &str, ast: AstMember) -> Result<Member, ModelError> {
        let member_id = format!("{owner}${name}");
        Ok(Member {
            name: name.to_owned(),
            target: self.shape_id(&ast.target)?,
            traits: self.traits(&member_id, ast.traits)?,
        })
    }

    fn required_member(
        &self,
        owner: &ShapeId,
        shape_type: &'static str,
        part: &'static str,
        ast: Option<AstMember>,
    ) -> Result<Member, ModelError> {
        let ast = ast.ok_or_else(|| ModelError::MissingPart {
            path: self.path.to_owned(),
            shape: owner.to_string(),
            shape_type,
            part,
        })?;
        self.member(owner, part, ast)
    }

    fn members(
        &self,
        owner: &ShapeId,
        ast: Option<IndexMap<String, AstMember>>,
    ) -> Result<Vec<Member>, ModelError> {
        ast.unwrap_or_default()
            .into_iter()
            .map(|(name, member)| self.member(owner, &name, member))
            .collect()
    }

    fn convert(&self, id: ShapeId, ast: AstShape) -> Result<Shape, ModelError> {
        let traits = self.traits(id.as_str(), ast.traits)?;
        let kind = match ast.shape_type.as_str() {
            "enum" => ShapeKind::Enum(self.members(&id, ast.members)?),
            "intEnum" => ShapeKind::IntEnum(self.members(&id, ast.members)?),
            "structure" => ShapeKind::Structure(self.members(&id, ast.members)?),
            "union" => ShapeKind::Union(self.members(&id, ast.members)?),
            "list" => ShapeKind::List(self.required_member(&id, "list", "member", ast.member)?),
            "set" => ShapeKind::Set(self.required_member(&id, "set", "member", ast.member)?),
            "map" => ShapeKind::Map {
                key: self.required_member(&id, "map", "key", ast.key)?,
                value: self.required_member(&id, "map", "value", ast.value)?,
            },
            "operation" => ShapeKind::Operation(Operation {
                input: self
                    .optional_target(&ast.input)?
                    .unwrap_or_else(|| ShapeId::new("smithy.api", "Unit")),
                output: self
                    .optional_target(&ast.output)?
                    .unwrap_or_else(|| ShapeId::new("smithy.api", "Unit")),
                errors: self.targets(&ast.errors)?,
            }),
            "resource" => {
                let identifiers = ast
                    .identifiers
                    .iter()
                    .map(|(name, target)| Ok((name.clone(), self.shape_id(&target.target)?)))
                    .collect::<Result<IndexMap<_, _>, ModelError>>()?;
                let lifecycle = [
                    &ast.create,
                    &ast.put,
                    &ast.read,
                    &ast.update,
                    &ast.delete,
                    &ast.list,
                ]
                .into_iter()
                .filter_map(|target| self.optional_target(target).transpose())
                .collect::<Result<Vec<_>, _>>()?;
                ShapeKind::Resource(Resource {
                    identifiers,
                    lifecycle,
                    operations: self.targets(&ast.operations)?,
                    collection_operations: self.targets(&ast.collection_operations)?,
                    resources: self.targets(&ast.resources)?,
                })
            }
            "service" => {
                let rename = ast
                    .rename
                    .iter()
                    .map(|(from, to)| Ok((self.shape_id(from)?, to.clone())))
                    .collect::<Result<IndexMap<_, _>, ModelError>>()?;
                ShapeKind::Service(Service {
                    version: ast.version.unwrap_or_default(),
                    operations: self.targets(&ast.operations)?,
                    resources: self.targets(&ast.resources)?,
                    errors: self.targets(&ast.errors)?,
                    rename,
                })
            }
            other => match SimpleType::from_name(other) {
                Some(simple) => ShapeKind::Simple(simple),
                None => {
                    return Err(ModelError::UnknownShapeType {
                        path: self.path.to_owned(),
                        shape: id.to_string(),
                        shape_type: other.to_owned(),
                    })
                }
            },
        };
        Ok(Shape { id, kind, traits })
    }

    /// Merges the traits of an `apply` entry into the shape or member (`ns#Shape$member`) it
    /// names. List-valued traits are concatenated, as Smithy merges them; any other applied
    /// value replaces the one defined with the shape.
    fn apply_traits(&mut self, target: &str, traits: Traits) -> Result<(), ModelError> {
        let unknown = || ModelError::UnknownTarget {
            path: self.path.to_owned(),
            from: "apply".to_owned(),
            target: target.to_owned(),
        };
        let (shape_text, member_name) = match target.split_once('$') {
            Some((shape, member)) => (shape, Some(member)),
            None => (target, None),
        };
        let shape_id = self.shape_id(shape_text)?;
        let shape = self.shapes.get_mut(&shape_id).ok_or_else(unknown)?;
        let destination = match member_name {
            None => &mut shape.traits,
            Some(name) => {
                &mut shape
                    .kind
                    .members_mut()
                    .into_iter()
                    .find(|member| member.name == name)
                    .ok_or_else(unknown)?
                    .traits
            }
        };
        destination.merge_applied(traits);
        Ok(())
    }

    /// Copies mixin members (before the shape's own) and mixin traits (the shape's own win)
    /// into each shape that uses mixins, resolving mixins of mixins first.
    fn apply_mixins(&mut self, mixins_of: &[(ShapeId, Vec<ShapeId>)]) -> Result<(), ModelError> {
        let pending: IndexMap<ShapeId, Vec<ShapeId>> = mixins_of.iter().cloned().collect();
        let mut done = HashSet::new();
        for id in pending.keys() {
            self.resolve_mixins(id, &pending, &mut done, &mut Vec::new())?;
        }
        Ok(())
    }

    fn resolve_mixins(
        &mut self,
        id: &ShapeId,
        pending: &IndexMap<ShapeId, Vec<ShapeId>>,
        done: &mut HashSet<ShapeId>,
        stack: &mut Vec<ShapeId>,
    ) -> Result<(), ModelError> {
        if done.contains(id) {
            return Ok(());
        }
        let Some(mixins) = pending.get(id) else {
            return Ok(());
        };
        if stack.contains(id) {
            return Err(ModelError::MixinCycle {
                path: self.path.to_owned(),
                shape: id.to_string(),
            });
        }
        stack.push(id.clone());
        for mixin in mixins {
            self.resolve_mixins(mixin, pending, done, stack)?;
        }
        stack.pop();
        let mut inherited_members = Vec::new();
        let mut inherited_traits = Traits::default();
        for mixin in mixins {
            let mixin_shape = self
                .shapes
                .get(mixin)
                .ok_or_else(|| ModelError::UnknownTarget {
                    path: self.path.to_owned(),
                    from: format!("{id} (mixins)"),
                    target: mixin.to_string(),
                })?;
            inherited_members.extend(mixin_shape.kind.members().into_iter().cloned());
            inherited_traits.inherit(&mixin_shape.traits, &[ids::MIXIN]);
        }
        if let Some(shape) = self.shapes.get_mut(id) {
            shape.traits.inherit(&inherited_traits, &[]);
            if let ShapeKind::Structure(members)
            | ShapeKind::Union(members)
            | ShapeKind::Enum(members)
            | ShapeKind::IntEnum(members) = &mut shape.kind
            {
                let own: Vec<Member> = std::mem::take(members);
                for inherited in inherited_members {
                    // A shape may redeclare an inherited member to add traits.
                    match own.iter().find(|member| member.name == inherited.name) {
                        Some(local) => {
                            let mut merged = inherited.clone();
                            merged.traits = local.traits.clone();
                            merged.traits.inherit(&inherited.traits, &[]);
                            members.push(merged);
                        }
                        None => members.push(inherited),
                    }
                }
                for member in own {
                    if !members.iter().any(|existing| existing.name == member.name) {
                        members.push(member);
                    }
                }
            }
        }
        done.insert(id.clone());
        Ok(())
    }
}
