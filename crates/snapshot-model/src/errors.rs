//! Everything that can be wrong with a model, each naming the file, the shape and the fix.

use std::path::PathBuf;

use crate::traits::InvalidTrait;

/// A model that cannot be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("cannot read model `{path}`: {source}; check the model path (snapshot.toml `model = ...` or `--models`)")]
    Io {
        /// The model file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON, or not a Smithy JSON AST.
    #[error("{path}:{line}:{column}: not a valid Smithy JSON AST: {message}; fix the JSON at that position (a Smithy IDL `.smithy` file must first be converted with `smithy ast`)")]
    Json {
        /// The model file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The `smithy` version field is not one this tool understands.
    #[error(
        "{path}: unsupported Smithy AST version `{version}`; only 1.0 and 2.0 models are supported"
    )]
    UnsupportedVersion {
        /// The model file.
        path: PathBuf,
        /// The version found.
        version: String,
    },
    /// A shape id is malformed.
    #[error("{path}: `{id}` is not a valid absolute shape id (expected `namespace#Name`); fix it in the model")]
    InvalidShapeId {
        /// The model file.
        path: PathBuf,
        /// The offending text.
        id: String,
    },
    /// A shape's `type` is not a Smithy shape type.
    #[error("{path}: shape `{shape}` has unknown type `{shape_type}`; expected a Smithy 2.0 shape type such as structure, string or operation")]
    UnknownShapeType {
        /// The model file.
        path: PathBuf,
        /// The shape.
        shape: String,
        /// The type found.
        shape_type: String,
    },
    /// A shape lacks a part its type requires (a list without `member`, a map without `key`).
    #[error("{path}: shape `{shape}` ({shape_type}) has no `{part}`; add it to the model")]
    MissingPart {
        /// The model file.
        path: PathBuf,
        /// The shape.
        shape: String,
        /// Its type.
        shape_type: &'static str,
        /// The missing part.
        part: &'static str,
    },
    /// A member or relationship points at a shape that is not defined.
    #[error("{path}: `{from}` targets `{target}`, which is neither defined in the model nor in the Smithy prelude; define the shape or fix the target")]
    UnknownTarget {
        /// The model file.
        path: PathBuf,
        /// The member (`ns#Shape$member`) or relationship (`ns#Op (input)`).
        from: String,
        /// The undefined target.
        target: String,
    },
    /// A known trait has a malformed value.
    #[error("{path}: shape `{shape}`: {source}; fix the trait value in the model")]
    InvalidTrait {
        /// The model file.
        path: PathBuf,
        /// The shape or member carrying the trait.
        shape: String,
        /// What is wrong with the trait.
        #[source]
        source: InvalidTrait,
    },
    /// Mixins refer to each other in a cycle.
    #[error(
        "{path}: shape `{shape}` is part of a mixin cycle; remove one of the `mixins` references"
    )]
    MixinCycle {
        /// The model file.
        path: PathBuf,
        /// A shape in the cycle.
        shape: String,
    },
    /// The model has no service shape.
    #[error("{path}: the model defines no service shape; snapshots are made per service, so load the model that contains the service (the one with `\"type\": \"service\"`)")]
    NoService {
        /// The model file.
        path: PathBuf,
    },
    /// The model has several services and nothing says which to use.
    #[error("{path}: the model defines several services ({services}); choose one with `service_shape = \"<id>\"` for this service in snapshot.toml")]
    AmbiguousService {
        /// The model file.
        path: PathBuf,
        /// The candidate services, comma separated.
        services: String,
    },
    /// The requested service shape does not exist.
    #[error("{path}: no service `{requested}` in the model; the model defines {available}")]
    UnknownService {
        /// The model file.
        path: PathBuf,
        /// What was asked for.
        requested: String,
        /// The services that exist, comma separated.
        available: String,
    },
    /// The service has no protocol smithy-rs can generate a client for.
    #[error("{path}: service `{service}` has no protocol smithy-rs supports (found: {found}); supported protocols are rpcv2Cbor, awsJson1_0, awsJson1_1, restJson1, restXml, awsQuery and ec2Query")]
    NoSupportedProtocol {
        /// The model file.
        path: PathBuf,
        /// The service.
        service: String,
        /// Protocol traits that were found, or `none`.
        found: String,
    },
}
