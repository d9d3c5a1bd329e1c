//! Each kind of bad model gives a typed error whose message names the file, says what is
//! wrong and how to fix it. The models are in `fixtures/models/invalid`.

mod common;

use common::fixture;
use snapshot_model::{Model, ModelError};

fn load_error(name: &str) -> (ModelError, String) {
    let path = fixture(&format!("invalid/{name}"));
    let error = match Model::load(&path) {
        Ok(model) => match model.service_index(None) {
            Ok(_) => panic!("{name} should not load"),
            Err(error) => error,
        },
        Err(error) => error,
    };
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "the message should name the file: {message}"
    );
    (error, message)
}

#[test]
fn missing_file() {
    let (error, message) = load_error("does-not-exist.json");
    assert!(matches!(error, ModelError::Io { .. }), "{error:?}");
    assert!(message.starts_with("cannot read model `"), "{message}");
    assert!(message.contains("check the model path"), "{message}");
}

#[test]
fn malformed_json_gives_line_and_column() {
    let (error, message) = load_error("malformed.json");
    let ModelError::Json { line, column, .. } = error else {
        panic!("expected a JSON error, got {error:?}");
    };
    assert_eq!((line, column), (6, 13));
    assert!(
        message.contains("malformed.json:6:13: not a valid Smithy JSON AST: expected `,` or `}`"),
        "{message}"
    );
}

#[test]
fn member_targeting_an_unknown_shape() {
    let (error, message) = load_error("unknown-target.json");
    assert!(
        matches!(error, ModelError::UnknownTarget { .. }),
        "{error:?}"
    );
    assert!(
        message.contains("`example.bad#GetThingInput$name` targets `example.bad#ThingName`"),
        "{message}"
    );
    assert!(
        message.contains("define the shape or fix the target"),
        "{message}"
    );
}

#[test]
fn model_without_a_service() {
    let (error, message) = load_error("no-service.json");
    assert!(matches!(error, ModelError::NoService { .. }), "{error:?}");
    assert!(message.contains("defines no service shape"), "{message}");
}

#[test]
fn two_services_without_a_choice() {
    let (error, message) = load_error("two-services.json");
    assert!(
        matches!(error, ModelError::AmbiguousService { .. }),
        "{error:?}"
    );
    assert!(
        message.contains("`example.bad#First`, `example.bad#Second`"),
        "{message}"
    );
    assert!(message.contains("service_shape"), "{message}");
    // Naming one resolves it.
    let model = Model::load(&fixture("invalid/two-services.json")).unwrap();
    assert_eq!(
        model
            .service_index(Some("example.bad#Second"))
            .unwrap()
            .id()
            .name(),
        "Second"
    );
    let unknown = model.service_index(Some("example.bad#Third")).unwrap_err();
    assert!(
        matches!(unknown, ModelError::UnknownService { .. }),
        "{unknown:?}"
    );
}

#[test]
fn unknown_protocol() {
    let (error, message) = load_error("unknown-protocol.json");
    assert!(
        matches!(error, ModelError::NoSupportedProtocol { .. }),
        "{error:?}"
    );
    // The custom protocol is found through its `@protocolDefinition`.
    assert!(
        message.contains("(found: example.protocols#fancyRpc)"),
        "{message}"
    );
    assert!(
        message.contains("supported protocols are rpcv2Cbor"),
        "{message}"
    );
}

#[test]
fn structural_problems_name_the_shape() {
    let cases = [
        (
            r#"{"smithy": "2.0", "shapes": {"nohash": {"type": "string"}}}"#,
            "`nohash` is not a valid absolute shape id",
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"a.b#C": {"type": "strang"}}}"#,
            "shape `a.b#C` has unknown type `strang`",
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"a.b#L": {"type": "list"}}}"#,
            "shape `a.b#L` (list) has no `member`",
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"a.b#M": {"type": "map", "key": {"target": "smithy.api#String"}}}}"#,
            "shape `a.b#M` (map) has no `value`",
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"a.b#A": {"type": "structure", "mixins": [{"target": "a.b#B"}], "traits": {"smithy.api#mixin": {}}}, "a.b#B": {"type": "structure", "mixins": [{"target": "a.b#A"}], "traits": {"smithy.api#mixin": {}}}}}"#,
            "is part of a mixin cycle",
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"a.b#O": {"type": "operation", "input": {"target": "a.b#Nope"}}}}"#,
            "`a.b#O (input)` targets `a.b#Nope`",
        ),
        (r#"{"shapes": {}}"#, "missing field `smithy`"),
        (r#"[]"#, "not a valid Smithy JSON AST"),
    ];
    for (json, expected) in cases {
        let error = common::parse(json).unwrap_err().to_string();
        assert!(error.starts_with("inline.json"), "{error}");
        assert!(
            error.contains(expected),
            "{json}\n  gave: {error}\n  expected to contain: {expected}"
        );
    }
}
