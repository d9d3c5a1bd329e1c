//! Helpers shared by the integration tests: fixture paths and lookups (the real-model corpus
//! is `snapshot_corpus`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use snapshot_model::test_util::Fixtures;
use snapshot_model::{Member, Model, Shape, ShapeId};

/// `fixtures/models/<name>` in the workspace.
pub fn fixture(name: &str) -> PathBuf {
    Fixtures::Models.path(name)
}

/// Loads a fixture model, panicking with the model error if it does not load.
pub fn load(name: &str) -> Model {
    Fixtures::Models.load(name)
}

/// Parses an inline model.
pub fn parse(json: &str) -> Result<Model, snapshot_model::ModelError> {
    Model::from_json(json.as_bytes(), Path::new("inline.json"))
}

/// A shape by absolute id.
pub fn shape<'m>(model: &'m Model, id: &str) -> &'m Shape {
    let id: ShapeId = id.parse().unwrap();
    model.shape(&id).unwrap_or_else(|| panic!("no shape {id}"))
}

/// A member of a shape by name.
pub fn member<'m>(model: &'m Model, shape_id: &str, name: &str) -> &'m Member {
    shape(model, shape_id)
        .kind
        .members()
        .into_iter()
        .find(|member| member.name == name)
        .unwrap_or_else(|| panic!("no member {shape_id}${name}"))
}
