//! Loading never panics, whatever the input: real models and the fixtures are mutated (JSON
//! nodes deleted, replaced or flipped to another type; bytes truncated or corrupted) and every
//! query the pipeline makes is run on whatever still loads.

mod common;

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::{json, Value};
use snapshot_corpus::models_dir;
use snapshot_model::Model;

/// Small real models (fast to parse thousands of times) and the hand-written fixtures.
static SEEDS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let real = ["sso.json", "signin.json", "sso-oidc.json"].map(|name| models_dir().join(name));
    let fixtures = ["weather.json", "legacy.json"].map(common::fixture);
    real.iter()
        .chain(fixtures.iter())
        .map(|path| {
            let text =
                std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            serde_json::from_slice(&text).unwrap()
        })
        .collect()
});

/// Values a mutated node may become: wrong types, odd ids, Smithy keywords.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e300),
        json!(""),
        json!("smithy.api#Unit"),
        json!("not#a#shape$id"),
        json!("example.missing#Shape"),
        json!("structure"),
        json!("apply"),
        json!("service"),
        json!("enum"),
        json!([]),
        json!({}),
        json!({"target": "example.missing#Shape"}),
        json!({"type": "list"}),
        json!({"type": "operation", "input": {"target": "smithy.api#String"}}),
        json!([{"target": "smithy.api#Unit"}]),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, usize),
    FlipType(usize),
    Truncate(usize),
    Corrupt(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<usize>().prop_map(Mutation::Delete),
        3 => (any::<usize>(), 0..replacements().len()).prop_map(|(at, with)| Mutation::Replace(at, with)),
        2 => any::<usize>().prop_map(Mutation::FlipType),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Corrupt(at, byte)),
    ]
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(count_nodes).sum(),
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Applies `edit` to the node numbered `target` in pre-order; `Delete` removes it from its
/// parent (the root becomes null).
fn edit_node(root: &mut Value, target: usize, edit: &dyn Fn(&mut Value) -> Option<Value>) {
    fn visit(
        value: &mut Value,
        target: usize,
        counter: &mut usize,
        edit: &dyn Fn(&mut Value) -> Option<Value>,
    ) -> bool {
        if *counter == target {
            if let Some(replacement) = edit(value) {
                *value = replacement;
            }
            return true;
        }
        *counter += 1;
        match value {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                for key in keys {
                    let child = map.get_mut(&key).unwrap();
                    if visit(child, target, counter, edit) {
                        if child.get("__delete__").is_some() {
                            map.remove(&key);
                        }
                        return true;
                    }
                }
            }
            Value::Array(items) => {
                for index in 0..items.len() {
                    if visit(&mut items[index], target, counter, edit) {
                        if items[index].get("__delete__").is_some() {
                            items.remove(index);
                        }
                        return true;
                    }
                }
            }
            _ => {}
        }
        false
    }
    visit(root, target, &mut 0, edit);
    if root.get("__delete__").is_some() {
        *root = Value::Null;
    }
}

fn flip(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Array(map.values().cloned().collect()),
        Value::Array(items) => Value::Object(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| (index.to_string(), item.clone()))
                .collect(),
        ),
        Value::String(text) => json!(text.len()),
        Value::Number(number) => json!(number.to_string()),
        Value::Bool(flag) => json!(flag.to_string()),
        Value::Null => json!({}),
    }
}

fn apply(seed: &Value, mutations: &[Mutation]) -> Vec<u8> {
    let mut value = seed.clone();
    let mut byte_edits = Vec::new();
    for mutation in mutations {
        let nodes = count_nodes(&value);
        match mutation {
            Mutation::Delete(at) => edit_node(&mut value, at % nodes, &|_| {
                Some(json!({"__delete__": true}))
            }),
            Mutation::Replace(at, with) => {
                let replacement = replacements()[*with].clone();
                edit_node(&mut value, at % nodes, &move |_| Some(replacement.clone()))
            }
            Mutation::FlipType(at) => edit_node(&mut value, at % nodes, &|node| Some(flip(node))),
            other => byte_edits.push(other.clone()),
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap();
    for edit in byte_edits {
        match edit {
            Mutation::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            Mutation::Corrupt(at, byte) if !bytes.is_empty() => {
                let index = at % bytes.len();
                bytes[index] = byte;
            }
            _ => {}
        }
    }
    bytes
}

/// Runs every query later stages make; any panic fails the property.
fn exercise(bytes: &[u8]) {
    let Ok(model) = Model::from_json(bytes, Path::new("mutated.json")) else {
        return;
    };
    for shape in model.shapes() {
        let _ = model.enum_variants(shape);
        let traits = &shape.traits;
        let _ = (
            traits.http(),
            traits.http_error(),
            traits.error(),
            traits.endpoint(),
            traits.http_checksum(),
        );
        let _ = (
            traits.request_compression(),
            traits.aws_service(),
            traits.auth(),
            traits.auth_schemes(),
        );
        let _ = (
            traits.length(),
            traits.range(),
            traits.xml_namespace(),
            traits.retryable(),
            traits.aws_query_error(),
        );
        for member in shape.kind.members() {
            let _ = model.target(member);
            let effective = model.effective_traits(member);
            let _ = (
                effective.timestamp_format(),
                effective.enum_value(),
                effective.default_value(),
            );
            let _ = (
                effective.json_name(),
                effective.xml_name(),
                effective.http_header(),
                effective.media_type(),
            );
        }
    }
    let services: Vec<String> = model.services().iter().map(|id| id.to_string()).collect();
    let _ = model.service_index(None);
    for service in services {
        let Ok(index) = model.service_index(Some(&service)) else {
            continue;
        };
        let _ = (
            index.protocol(),
            index.is_query_compatible(),
            index.aws_service(),
            index.auth_schemes(),
        );
        for operation in index.operations() {
            for error in index.operation_errors(operation) {
                let _ = index.name(&error);
            }
            let _ = index.name(&operation.operation.input);
        }
        let _ = index.error_shapes();
        let _ = index.closure();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_models_never_panic(seed in 0..5usize, mutations in prop::collection::vec(mutation(), 1..4)) {
        let bytes = apply(&SEEDS[seed], &mutations);
        exercise(&bytes);
    }
}

#[test]
fn unmutated_seeds_load() {
    for seed in SEEDS.iter() {
        let bytes = serde_json::to_vec(seed).unwrap();
        let model = Model::from_json(&bytes, Path::new("seed.json")).unwrap();
        assert!(model.service_index(None).is_ok());
        exercise(&bytes);
    }
}

#[test]
fn mutations_do_change_the_model() {
    // Guards the mutator itself: deleting the root or truncating everything must not load.
    let seed = &SEEDS[0];
    assert!(Model::from_json(&apply(seed, &[Mutation::Delete(0)]), Path::new("m.json")).is_err());
    assert!(Model::from_json(&apply(seed, &[Mutation::Truncate(0)]), Path::new("m.json")).is_err());
    let replaced = apply(seed, &[Mutation::Replace(1, 0)]);
    assert_ne!(replaced, serde_json::to_vec_pretty(seed).unwrap());
}
