//! The Smithy prelude: shapes every model may target without defining them.

use std::collections::BTreeMap;

use serde_json::json;

use crate::{Shape, ShapeId, ShapeKind, SimpleType, Traits};

/// `smithy.api#Unit`, the empty structure used for absent input/output and enum members.
pub const UNIT: &str = "smithy.api#Unit";

/// Builds every prelude shape.
pub(crate) fn shapes() -> Vec<Shape> {
    let simple = |name: &str, simple: SimpleType, default: Option<serde_json::Value>| {
        let mut traits = BTreeMap::new();
        if let Some(default) = default {
            traits.insert("smithy.api#default".to_owned(), default);
        }
        Shape {
            id: ShapeId::new("smithy.api", name),
            kind: ShapeKind::Simple(simple),
            // The prelude's trait values are well-formed by construction.
            traits: Traits::new(traits).unwrap_or_default(),
        }
    };
    let mut prelude = vec![
        simple("String", SimpleType::String, None),
        simple("Blob", SimpleType::Blob, None),
        simple("BigInteger", SimpleType::BigInteger, None),
        simple("BigDecimal", SimpleType::BigDecimal, None),
        simple("Timestamp", SimpleType::Timestamp, None),
        simple("Document", SimpleType::Document, None),
        simple("Boolean", SimpleType::Boolean, None),
        simple("Byte", SimpleType::Byte, None),
        simple("Short", SimpleType::Short, None),
        simple("Integer", SimpleType::Integer, None),
        simple("Long", SimpleType::Long, None),
        simple("Float", SimpleType::Float, None),
        simple("Double", SimpleType::Double, None),
        simple("PrimitiveBoolean", SimpleType::Boolean, Some(json!(false))),
        simple("PrimitiveByte", SimpleType::Byte, Some(json!(0))),
        simple("PrimitiveShort", SimpleType::Short, Some(json!(0))),
        simple("PrimitiveInteger", SimpleType::Integer, Some(json!(0))),
        simple("PrimitiveLong", SimpleType::Long, Some(json!(0))),
        simple("PrimitiveFloat", SimpleType::Float, Some(json!(0))),
        simple("PrimitiveDouble", SimpleType::Double, Some(json!(0))),
    ];
    let mut unit_traits = BTreeMap::new();
    unit_traits.insert("smithy.api#unitType".to_owned(), json!({}));
    prelude.push(Shape {
        id: ShapeId::new("smithy.api", "Unit"),
        kind: ShapeKind::Structure(Vec::new()),
        traits: Traits::new(unit_traits).unwrap_or_default(),
    });
    prelude
}
