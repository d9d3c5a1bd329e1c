//! Everything that can stop value generation, each naming the shape or override and the fix.

use std::path::PathBuf;

use snapshot_model::ShapeId;

/// Why a value could not be generated, or an override could not be accepted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// The root shape is not in the model.
    #[error("{model}: shape `{shape}` is not defined; generate values for an operation's input, output or error structure")]
    UnknownShape {
        /// The model file.
        model: PathBuf,
        /// The requested shape.
        shape: ShapeId,
    },
    /// The root shape is an operation, resource or service, which has no value.
    #[error("{model}: `{shape}` is a shape of type `{shape_type}`, which has no value; pass its input, output or error structure instead")]
    NotAValue {
        /// The model file.
        model: PathBuf,
        /// The requested shape.
        shape: ShapeId,
        /// Its Smithy type.
        shape_type: &'static str,
    },
    /// Exception events were asked for on a shape that is not a `@streaming` union.
    #[error("{model}: `{shape}` (type `{shape_type}`) is not an event stream (a union with `@streaming`); pass the event stream union the operation's stream member targets")]
    NotAnEventStream {
        /// The model file.
        model: PathBuf,
        /// The requested shape.
        shape: ShapeId,
        /// Its Smithy type, with `union` for a union without `@streaming`.
        shape_type: &'static str,
    },
    /// An override key is neither a member name nor `namespace#Shape$Member`.
    #[error("override key `{key}` is invalid: {reason}; write a member name (`AccountId`) or a shape-qualified member (`com.example#Shape$Member`) in snapshot.toml")]
    InvalidOverrideKey {
        /// The key as written.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An override value can never be used.
    #[error("override `{key}` = {value} is invalid: {reason}; change the value in snapshot.toml")]
    InvalidOverrideValue {
        /// The key as written.
        key: String,
        /// The value as written.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A user override matched a member whose target cannot hold the override's value.
    #[error("override `{key}` = {value} cannot set `{shape}${member}` at `{path}`, a `{target}` ({target_type}): {reason}; change the value in snapshot.toml, or narrow the override to other members with a shape-qualified key (`namespace#Shape$Member`)",
        key = .site.key, shape = .site.shape, member = .site.member, path = .site.path,
        target = .site.target, target_type = .site.target_type)]
    OverrideMismatch {
        /// Where the override matched.
        site: Box<OverrideSite>,
        /// The override value.
        value: String,
        /// Why the value does not fit.
        reason: String,
    },
    /// A user override matched a member whose target is a structure or union.
    #[error("override `{key}` matches `{shape}${member}` at `{path}`, which holds a {target_type} (`{target}`); overrides set simple values only: override the members of `{target}` instead",
        key = .site.key, shape = .site.shape, member = .site.member, path = .site.path,
        target = .site.target, target_type = .site.target_type)]
    OverrideOnAggregate {
        /// Where the override matched.
        site: Box<OverrideSite>,
    },
    /// A union has no members, so no value can set exactly one.
    #[error("{model}: union `{shape}` at `{path}` has no members; a union needs at least one member, fix the model")]
    EmptyUnion {
        /// The model file.
        model: PathBuf,
        /// The union.
        shape: ShapeId,
        /// Where the value sits.
        path: String,
    },
    /// Shapes nest deeper than any finite value allows, through unions whose every member
    /// leads back to them.
    #[error("{model}: values nest more than {depth} levels deep at `{path}` (shape `{shape}`); the model has a recursive union with no member that ends the recursion, give it one")]
    UnboundedRecursion {
        /// The model file.
        model: PathBuf,
        /// The shape being expanded at the cut-off.
        shape: ShapeId,
        /// Where the value sits.
        path: String,
        /// The nesting cut-off.
        depth: usize,
    },
}

/// Where an override matched: the member, the shape the value is generated for, and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideSite {
    /// The override key that matched (`Name` or `ns#Shape$Name`).
    pub key: String,
    /// The structure or union that has the member.
    pub shape: ShapeId,
    /// The member name.
    pub member: String,
    /// The shape the value is generated for: the member's target, or the element or map
    /// value of the list or map it targets.
    pub target: ShapeId,
    /// That shape's Smithy type.
    pub target_type: &'static str,
    /// Where the value sits.
    pub path: String,
}
