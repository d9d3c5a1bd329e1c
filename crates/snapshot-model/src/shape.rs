//! The typed shape graph: shapes, members, operations, resources and services.

use indexmap::IndexMap;

use crate::{ShapeId, Traits};

/// A top-level shape with its traits (mixins already applied).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The shape's absolute id.
    pub id: ShapeId,
    /// What kind of shape it is, with its members or relationships.
    pub kind: ShapeKind,
    /// Traits applied to the shape itself.
    pub traits: Traits,
}

/// Smithy's simple types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimpleType {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string` (a Smithy 1.0 `@enum` string is still a string; see [`crate::Model::enum_variants`])
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

impl SimpleType {
    /// The Smithy type name (`bigInteger`).
    pub fn name(self) -> &'static str {
        match self {
            SimpleType::Blob => "blob",
            SimpleType::Boolean => "boolean",
            SimpleType::String => "string",
            SimpleType::Byte => "byte",
            SimpleType::Short => "short",
            SimpleType::Integer => "integer",
            SimpleType::Long => "long",
            SimpleType::Float => "float",
            SimpleType::Double => "double",
            SimpleType::BigInteger => "bigInteger",
            SimpleType::BigDecimal => "bigDecimal",
            SimpleType::Timestamp => "timestamp",
            SimpleType::Document => "document",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "blob" => SimpleType::Blob,
            "boolean" => SimpleType::Boolean,
            "string" => SimpleType::String,
            "byte" => SimpleType::Byte,
            "short" => SimpleType::Short,
            "integer" => SimpleType::Integer,
            "long" => SimpleType::Long,
            "float" => SimpleType::Float,
            "double" => SimpleType::Double,
            "bigInteger" => SimpleType::BigInteger,
            "bigDecimal" => SimpleType::BigDecimal,
            "timestamp" => SimpleType::Timestamp,
            "document" => SimpleType::Document,
            _ => return None,
        })
    }
}

/// The kind of a shape with the data that kind carries.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    /// A simple type.
    Simple(SimpleType),
    /// `enum`: members target `smithy.api#Unit` and carry `@enumValue`.
    Enum(Vec<Member>),
    /// `intEnum`: members carry integer `@enumValue`s.
    IntEnum(Vec<Member>),
    /// `list` with its member.
    List(Member),
    /// Smithy 1.0 `set`, a list of unique items.
    Set(Member),
    /// `map` with key and value members.
    Map {
        /// The `key` member (targets a string).
        key: Member,
        /// The `value` member.
        value: Member,
    },
    /// `structure` with members in model order.
    Structure(Vec<Member>),
    /// `union` with members in model order; exactly one is set.
    Union(Vec<Member>),
    /// `operation`.
    Operation(Operation),
    /// `resource`.
    Resource(Resource),
    /// `service`.
    Service(Service),
}

impl ShapeKind {
    /// The Smithy type name of this kind (`structure`, `intEnum`).
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Simple(simple) => simple.name(),
            ShapeKind::Enum(_) => "enum",
            ShapeKind::IntEnum(_) => "intEnum",
            ShapeKind::List(_) => "list",
            ShapeKind::Set(_) => "set",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Resource(_) => "resource",
            ShapeKind::Service(_) => "service",
        }
    }

    /// The members of an aggregate or enum shape, in model order (empty for others).
    pub fn members(&self) -> Vec<&Member> {
        match self {
            ShapeKind::Enum(members)
            | ShapeKind::IntEnum(members)
            | ShapeKind::Structure(members)
            | ShapeKind::Union(members) => members.iter().collect(),
            ShapeKind::List(member) | ShapeKind::Set(member) => vec![member],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }
}

impl ShapeKind {
    pub(crate) fn members_mut(&mut self) -> Vec<&mut Member> {
        match self {
            ShapeKind::Enum(members)
            | ShapeKind::IntEnum(members)
            | ShapeKind::Structure(members)
            | ShapeKind::Union(members) => members.iter_mut().collect(),
            ShapeKind::List(member) | ShapeKind::Set(member) => vec![member],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member name as written in the model (`RoleArn`, `member`, `key`).
    pub name: String,
    /// The shape this member targets.
    pub target: ShapeId,
    /// Traits applied to the member itself (not its target).
    pub traits: Traits,
}

/// An operation's input, output and errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Input structure (`smithy.api#Unit` when the model gives none).
    pub input: ShapeId,
    /// Output structure (`smithy.api#Unit` when the model gives none).
    pub output: ShapeId,
    /// Errors the operation declares (not including service errors).
    pub errors: Vec<ShapeId>,
}

/// A resource and the operations and child resources it binds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    /// Identifier names and their target shapes.
    pub identifiers: IndexMap<String, ShapeId>,
    /// Lifecycle operations (create, put, read, update, delete, list), when bound.
    pub lifecycle: Vec<ShapeId>,
    /// Instance operations.
    pub operations: Vec<ShapeId>,
    /// Collection operations.
    pub collection_operations: Vec<ShapeId>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

/// A service shape.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Service {
    /// The service version string.
    pub version: String,
    /// Operations bound directly.
    pub operations: Vec<ShapeId>,
    /// Resources bound directly.
    pub resources: Vec<ShapeId>,
    /// Errors every operation of the service can return.
    pub errors: Vec<ShapeId>,
    /// Shape renames that disambiguate names inside the service closure.
    pub rename: IndexMap<ShapeId, String>,
}
