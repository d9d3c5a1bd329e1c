//! Values a client must refuse to put into a header (the rejected-header request cases,
//! SPEC §4a: "unless the variant exists to show the client's own validation error").
//!
//! smithy-rs header serializers parse every formatted value with `http::HeaderValue`, which
//! refuses control characters other than tab, and every prefix-header name with
//! `http::HeaderName`, which refuses spaces; either failure is a `BuildError::invalid_field`
//! naming the member, raised before anything is sent.

use snapshot_model::{Model, Shape, ShapeKind, SimpleType};
use snapshot_records::HeaderFault;

use crate::Value;

/// The header value of [`HeaderFault::Value`] cases: the line feed makes it invalid.
pub const REJECTED_HEADER_VALUE: &str = "line\nfeed";

/// The prefix-header map key of [`HeaderFault::Name`] cases: the space makes `prefix + key`
/// an invalid header name.
pub const REJECTED_HEADER_NAME: &str = "bad name";

/// The key of the entry that carries [`REJECTED_HEADER_VALUE`] in a prefix-header map.
pub const REJECTED_HEADER_KEY: &str = "key";

/// The value of a header-bound member of shape `target` the client must reject for `fault`,
/// or `None` when no value of that shape can be rejected: numbers, booleans, timestamps and
/// blobs always format to valid header text, and `@mediaType` strings are base64-encoded.
///
/// * [`HeaderFault::Value`]: a string or enum member gets [`REJECTED_HEADER_VALUE`], a list of
///   them one such element, a prefix-header map one entry [`REJECTED_HEADER_KEY`] with it;
/// * [`HeaderFault::Name`]: a prefix-header map gets one entry [`REJECTED_HEADER_NAME`] with
///   a valid value (only maps build header names from values).
pub fn rejected_header_value(model: &Model, target: &Shape, fault: HeaderFault) -> Option<Value> {
    match (&target.kind, fault) {
        (ShapeKind::List(member) | ShapeKind::Set(member), HeaderFault::Value) => {
            header_text(model.target(member), REJECTED_HEADER_VALUE)
                .map(|element| Value::List(vec![element]))
        }
        (ShapeKind::Map { value, .. }, HeaderFault::Value) => {
            header_text(model.target(value), REJECTED_HEADER_VALUE)
                .map(|entry| Value::Map(vec![(REJECTED_HEADER_KEY.to_owned(), entry)]))
        }
        (ShapeKind::Map { value, .. }, HeaderFault::Name) => {
            header_text(model.target(value), "value")
                .map(|entry| Value::Map(vec![(REJECTED_HEADER_NAME.to_owned(), entry)]))
        }
        (_, HeaderFault::Value) => header_text(target, REJECTED_HEADER_VALUE),
        (_, HeaderFault::Name) => None,
    }
}

/// `text` as a value of a string or enum shape that a header carries as it is.
fn header_text(shape: &Shape, text: &str) -> Option<Value> {
    match &shape.kind {
        ShapeKind::Simple(SimpleType::String) if shape.traits.media_type().is_none() => {
            Some(if shape.traits.enum_definitions().is_some() {
                unknown_enum(text)
            } else {
                Value::String(text.to_owned())
            })
        }
        ShapeKind::Enum(_) => Some(unknown_enum(text)),
        _ => None,
    }
}

fn unknown_enum(text: &str) -> Value {
    Value::Enum {
        variant: None,
        value: text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use snapshot_model::ShapeId;

    use super::*;

    fn model() -> Model {
        let json = r#"{"smithy": "2.0", "shapes": {
            "example#Text": {"type": "string"},
            "example#Json": {"type": "string", "traits": {"smithy.api#mediaType": "application/json"}},
            "example#Color": {"type": "enum", "members": {
                "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}}},
            "example#Colors": {"type": "list", "member": {"target": "example#Color"}},
            "example#Meta": {"type": "map", "key": {"target": "example#Text"}, "value": {"target": "example#Text"}},
            "example#Count": {"type": "integer"}
        }}"#;
        Model::from_json(json.as_bytes(), Path::new("headers.json")).unwrap()
    }

    fn value(model: &Model, shape: &str, fault: HeaderFault) -> Option<Value> {
        let id: ShapeId = format!("example#{shape}").parse().unwrap();
        rejected_header_value(model, model.shape(&id).unwrap(), fault)
    }

    #[test]
    fn text_shapes_get_a_line_feed_and_maps_a_key_with_a_space() {
        let model = model();
        let feed = || Value::String(REJECTED_HEADER_VALUE.into());
        let unknown = || unknown_enum(REJECTED_HEADER_VALUE);
        assert_eq!(value(&model, "Text", HeaderFault::Value), Some(feed()));
        assert_eq!(value(&model, "Color", HeaderFault::Value), Some(unknown()));
        assert_eq!(
            value(&model, "Colors", HeaderFault::Value),
            Some(Value::List(vec![unknown()]))
        );
        assert_eq!(
            value(&model, "Meta", HeaderFault::Value),
            Some(Value::Map(vec![(REJECTED_HEADER_KEY.into(), feed())]))
        );
        assert_eq!(
            value(&model, "Meta", HeaderFault::Name),
            Some(Value::Map(vec![(
                REJECTED_HEADER_NAME.into(),
                Value::String("value".into())
            )]))
        );
    }

    #[test]
    fn values_that_always_format_to_valid_header_text_are_never_rejected() {
        let model = model();
        assert_eq!(value(&model, "Json", HeaderFault::Value), None);
        assert_eq!(value(&model, "Count", HeaderFault::Value), None);
        assert_eq!(value(&model, "Text", HeaderFault::Name), None);
        assert_eq!(value(&model, "Colors", HeaderFault::Name), None);
    }
}
