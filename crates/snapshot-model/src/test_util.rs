//! Test support (feature `test-util`): the hand-written fixture models under `fixtures/` at the
//! workspace root, one set per concern, located and loaded.
//!
//! The real-model corpus is not here: it is test data of the workspace, located by the
//! dev-only `snapshot-corpus` crate.

use std::path::{Path, PathBuf};

use crate::Model;

/// A set of hand-written fixture models: one directory under `fixtures/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixtures {
    /// `fixtures/models`: every shape type and trait the model layer reads (`weather.json`),
    /// Smithy 1.0 forms (`legacy.json`), and `invalid/` (one model per kind of bad input).
    Models,
    /// `fixtures/values`: one concern of the value generator each (edge values, endpoint rules).
    Values,
    /// `fixtures/wire`: one protocol's bindings each, for the server-side serializers.
    Wire,
}

impl Fixtures {
    /// The directory of this set.
    pub fn dir(self) -> PathBuf {
        let name = match self {
            Fixtures::Models => "models",
            Fixtures::Values => "values",
            Fixtures::Wire => "wire",
        };
        // This crate lives in `crates/snapshot-model`, two levels below the workspace root;
        // the path names it without `..`, as tests show paths relative to that root.
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.ancestors().nth(2).unwrap_or(manifest_dir);
        root.join("fixtures").join(name)
    }

    /// The fixture file `name` (`weather.json`, `invalid/unknown-target.json`) of this set.
    pub fn path(self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    /// Loads the fixture model `name`; panics with the model's error (file and position) when
    /// it does not load.
    pub fn load(self, name: &str) -> Model {
        let path = self.path(name);
        Model::load(&path).unwrap_or_else(|error| panic!("fixture {}: {error}", path.display()))
    }
}
