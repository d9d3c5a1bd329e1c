//! Errors of reading protocol tests and turning their params into values.

use snapshot_model::ShapeId;

/// A protocol test that cannot be read or used.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolTestError {
    /// A `smithy.test` trait does not have the shape the specification gives it.
    #[error("{shape}: trait {trait_id} is malformed: {source}; the model does not follow the smithy.test trait definitions")]
    InvalidTrait {
        /// The shape carrying the trait.
        shape: ShapeId,
        /// The trait.
        trait_id: String,
        /// What serde found.
        source: serde_json::Error,
    },
    /// A test's body cannot be turned into bytes.
    #[error("test {test}: {problem}")]
    Body {
        /// The test id.
        test: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A test's `params` do not fit the shape they are for.
    #[error("test {test}: params at {path}: {problem}")]
    Params {
        /// The test id.
        test: String,
        /// Where in the params (`Input.nested.list[2]`).
        path: String,
        /// What does not fit.
        problem: ParamsProblem,
    },
}

/// Why a params node does not fit its shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamsProblem {
    /// The node has the wrong JSON type for the shape.
    #[error("expected {expected} for a {shape_type}, found {found}")]
    WrongType {
        /// What the shape needs (`a number`).
        expected: &'static str,
        /// The Smithy type (`integer`).
        shape_type: &'static str,
        /// The JSON found (`a string`).
        found: &'static str,
    },
    /// A number does not fit the shape's range.
    #[error("{value} does not fit a {shape_type}")]
    OutOfRange {
        /// The number.
        value: String,
        /// The Smithy type.
        shape_type: &'static str,
    },
    /// A structure or union member the shape does not have.
    #[error("{shape} has no member `{member}`")]
    UnknownMember {
        /// The shape.
        shape: ShapeId,
        /// The member named in the params.
        member: String,
    },
    /// A union node must set exactly one member.
    #[error("a union value sets {0} members; exactly one is allowed")]
    UnionMembers(usize),
    /// A member targets a shape the model does not define.
    #[error("{0} is not defined in the model")]
    MissingShape(ShapeId),
    /// Event streams are not given as params (`smithy.test#eventStreamTests` covers them).
    #[error("event stream values cannot be given as params")]
    EventStream,
}
