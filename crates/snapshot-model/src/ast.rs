//! Serde mirror of the Smithy JSON AST, private to the loader.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub(crate) struct AstModel {
    pub smithy: String,
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    #[serde(default)]
    pub shapes: IndexMap<String, AstShape>,
}

#[derive(Deserialize)]
pub(crate) struct AstTarget {
    pub target: String,
}

#[derive(Deserialize)]
pub(crate) struct AstMember {
    pub target: String,
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AstShape {
    #[serde(rename = "type")]
    pub shape_type: String,
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
    #[serde(default)]
    pub mixins: Vec<AstTarget>,
    // Aggregate shapes.
    pub members: Option<IndexMap<String, AstMember>>,
    pub member: Option<AstMember>,
    pub key: Option<AstMember>,
    pub value: Option<AstMember>,
    // Operations.
    pub input: Option<AstTarget>,
    pub output: Option<AstTarget>,
    #[serde(default)]
    pub errors: Vec<AstTarget>,
    // Services and resources.
    pub version: Option<String>,
    #[serde(default)]
    pub operations: Vec<AstTarget>,
    #[serde(default)]
    pub resources: Vec<AstTarget>,
    #[serde(default)]
    pub rename: IndexMap<String, String>,
    #[serde(default)]
    pub identifiers: IndexMap<String, AstTarget>,
    pub create: Option<AstTarget>,
    pub put: Option<AstTarget>,
    pub read: Option<AstTarget>,
    pub update: Option<AstTarget>,
    pub delete: Option<AstTarget>,
    pub list: Option<AstTarget>,
    #[serde(default)]
    pub collection_operations: Vec<AstTarget>,
}
