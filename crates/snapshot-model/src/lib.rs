//! The Smithy model layer of cargo-snapshot.
//!
//! This crate owns reading Smithy JSON AST files into a typed shape graph
//! ([`Model`]), the typed views of the traits the snapshot pipeline reads ([`Traits`]),
//! and a service's closure with the protocol smithy-rs would generate for it
//! ([`ServiceIndex`], [`Protocol`]). It knows nothing about Rust code generation or
//! wire formats.
//!
//! With the `test-util` feature, `test_util` locates and loads the hand-written fixture models
//! for tests.
#![warn(missing_docs)]

mod ast;
mod customizations;
mod errors;
mod model;
pub mod prelude;
mod protocol;
pub mod rules;
mod service;
mod shape;
mod shape_id;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod traits;

pub use customizations::ClientCustomization;
pub use errors::ModelError;
pub use model::{EnumVariant, Model};
pub use protocol::Protocol;
pub use service::{OperationRef, ServiceIndex};
pub use shape::{Member, Operation, Resource, Service, Shape, ShapeKind, SimpleType};
pub use shape_id::{InvalidShapeId, ShapeId};
pub use traits::Traits;
