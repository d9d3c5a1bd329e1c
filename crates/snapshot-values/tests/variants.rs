//! The `min` and `edge` variants, rule by rule, on `fixtures/values/edge.json` (a REST
//! operation with labels, a greedy label, headers, prefix headers, query parameters, a
//! streaming payload and constraint traits).

mod common;

use snapshot_model::{Model, ShapeId};
use snapshot_values::{
    Generator, Mode, Overrides, Value, ValuePath, EDGE_BLOB, EDGE_ESCAPES, EDGE_NON_ASCII,
    EDGE_TIMESTAMPS,
};

use common::{fixture, member};

fn input(mode: Mode) -> Value {
    let model = fixture("edge.json");
    let overrides = Overrides::builtin();
    let generator = Generator::new(&model, &overrides);
    let operation = model
        .shape(&"example.values#PutObject".parse().unwrap())
        .unwrap();
    generator.generate_input(operation, mode).unwrap()
}

fn output(mode: Mode) -> Value {
    let model: Model = fixture("edge.json");
    let overrides = Overrides::builtin();
    Generator::new(&model, &overrides)
        .generate(&ShapeId::new("example.values", "PutObjectOutput"), mode)
        .unwrap()
}

fn items(value: &Value) -> &[Value] {
    match value {
        Value::List(items) => items,
        other => panic!("not a list: {other}"),
    }
}

fn text(value: &Value) -> &str {
    match value {
        Value::String(text) => text,
        other => panic!("not a string: {other}"),
    }
}

/// The documented choice: (sum of the UTF-16 code units of the path) mod the catalogue size.
fn choice(path: &str, size: usize) -> usize {
    path.encode_utf16().map(usize::from).sum::<usize>() % size
}

#[test]
fn edge_strings_are_chosen_by_path_from_the_catalogue() {
    let value = input(Mode::Edge);
    let catalogue = |name: &str| {
        [
            format!("__{name}__{EDGE_ESCAPES}"),
            format!("__{name}__{EDGE_NON_ASCII}"),
            String::new(),
        ]
    };
    let filter = text(member(&value, "Filter"));
    assert_eq!(
        filter,
        catalogue("Filter")[choice("PutObjectInput.Filter", 3)]
    );
    // Consecutive list indices differ by one code unit: three elements take all three entries.
    let notes: Vec<&str> = items(member(&value, "Required")).iter().map(text).collect();
    let mut sorted = notes.clone();
    sorted.sort_unstable();
    let mut expected = catalogue("Required").to_vec();
    expected.sort_unstable();
    assert_eq!(sorted, expected, "{notes:?}");
}

#[test]
fn edge_strings_fit_their_binding() {
    let value = input(Mode::Edge);
    let bucket = text(member(&value, "Bucket"));
    assert!(!bucket.is_empty(), "a label is never empty");
    // Both query members sit where the path picks the empty string; clients refuse an empty
    // required query parameter, so only the optional one gets it.
    assert_eq!(choice("PutObjectInput.PartId", 3), 2);
    assert_eq!(choice("PutObjectInput.Marker", 3), 2);
    assert_eq!(text(member(&value, "Marker")), "");
    assert!(
        !text(member(&value, "PartId")).is_empty(),
        "a required query parameter is never empty"
    );
    let key = text(member(&value, "Key"));
    assert!(
        key.starts_with("__Key__/"),
        "a greedy label is a path: {key}"
    );
    for tag in items(member(&value, "Tags")) {
        assert!(text(tag).is_ascii(), "header values are ASCII: {tag}");
    }
    let Value::Map(meta) = member(&value, "Meta") else {
        panic!("Meta is a map")
    };
    for (_, entry) in meta {
        assert!(text(entry).is_ascii(), "prefix headers are ASCII: {entry}");
    }
    // A @mediaType header is base64-encoded on the wire, so anything goes.
    let policy = text(member(&value, "Policy"));
    assert_eq!(
        policy,
        [
            format!("__Policy__{EDGE_ESCAPES}"),
            format!("__Policy__{EDGE_NON_ASCII}"),
            String::new()
        ][choice("PutObjectInput.Policy", 3)]
    );
}

#[test]
fn edge_values_stay_within_constraint_traits() {
    let value = input(Mode::Edge);
    for name in items(member(&value, "Names")) {
        let count = text(name).chars().count();
        assert!((1..=40).contains(&count), "@length(1..40): {name}");
    }
    for code in items(member(&value, "Codes")) {
        assert!(text(code).is_ascii(), "@pattern ^[ -~]*$: {code}");
    }
    let percents: Vec<i32> = items(member(&value, "Percents"))
        .iter()
        .map(|percent| match percent {
            Value::Integer(number) => *number,
            other => panic!("{other}"),
        })
        .collect();
    assert!(percents.iter().all(|percent| (0..=100).contains(percent)));
    assert!(
        percents.contains(&0) && percents.contains(&100),
        "the range limits replace the type limits: {percents:?}"
    );
    for ratio in items(member(&value, "Ratios")) {
        let Value::Double(ratio) = ratio else {
            panic!("{ratio}")
        };
        assert!((0.5..=2.5).contains(ratio), "@range(0.5..2.5): {ratio}");
    }
    assert!(
        !items(member(&value, "Required")).is_empty(),
        "@length(min: 1) keeps a list non-empty"
    );
}

#[test]
fn edge_numbers_timestamps_and_blobs_come_from_their_catalogues() {
    let value = output(Mode::Edge);
    let stamps: Vec<i64> = items(member(&value, "Moments"))
        .iter()
        .map(|stamp| match stamp {
            Value::Timestamp(millis) => *millis,
            other => panic!("{other}"),
        })
        .collect();
    let mut sorted = stamps.clone();
    sorted.sort_unstable();
    let mut expected = EDGE_TIMESTAMPS.to_vec();
    expected.sort_unstable();
    assert_eq!(
        sorted, expected,
        "whole seconds, a fraction, before the epoch"
    );
    let input = input(Mode::Edge);
    let Value::StreamingBlob(data) = member(&input, "Data") else {
        panic!("a stream")
    };
    assert!(data.is_empty() || data == &EDGE_BLOB);
    assert_eq!(
        member(&input, "ContentLength"),
        &Value::Long(data.len() as i64),
        "Content-Length is the length of the generated stream"
    );
    assert_eq!(member(&input, "Enabled"), &Value::Boolean(true));
    assert!(matches!(
        member(&input, "Status"),
        Value::Enum {
            variant: Some(_),
            ..
        }
    ));
}

#[test]
fn edge_collections_are_empty_or_full_by_path() {
    let value = output(Mode::Edge);
    for name in ["Names", "Ratios", "Stamps"] {
        let path = ValuePath::root("PutObjectOutput").member(name);
        let expected = if path.union_choice(2) == Some(1) {
            0
        } else {
            3
        };
        assert_eq!(items(member(&value, name)).len(), expected, "{name}");
    }
    let path = ValuePath::root("PutObjectOutput").member("Counts");
    let Value::Map(counts) = member(&value, "Counts") else {
        panic!("a map")
    };
    let expected = if path.union_choice(2) == Some(1) {
        0
    } else {
        3
    };
    assert_eq!(counts.len(), expected);
}

#[test]
fn edge_unions_set_the_member_after_the_one_max_sets() {
    let order = ["Text", "Number", "Flag"];
    let position = |value: &Value| match member(value, "Choice") {
        Value::Union { member, .. } => order.iter().position(|name| name == member).unwrap(),
        other => panic!("{other}"),
    };
    assert_eq!(
        position(&input(Mode::Edge)),
        (position(&input(Mode::Max)) + 1) % 3
    );
    assert_eq!(
        position(&output(Mode::Edge)),
        (position(&output(Mode::Max)) + 1) % 3
    );
}

#[test]
fn min_sets_required_members_only() {
    let value = input(Mode::Min);
    let Value::Structure { members, .. } = &value else {
        panic!("a structure")
    };
    let names: Vec<&str> = members.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Bucket", "Key", "PartId", "Required"]);
    // Max values, not edge ones.
    assert_eq!(text(member(&value, "Key")), "__Key__");
}

#[test]
fn max_values_do_not_change() {
    let value = input(Mode::Max);
    assert_eq!(text(member(&value, "Filter")), "__Filter__");
    assert_eq!(
        items(member(&value, "Percents")),
        vec![Value::Integer(0); 3]
    );
    assert_eq!(member(&value, "ContentLength"), &Value::Long(4));
}

#[test]
fn every_variant_is_deterministic() {
    for mode in Mode::ALL {
        assert_eq!(input(mode), input(mode), "{mode}");
        assert_eq!(output(mode), output(mode), "{mode}");
    }
}

#[test]
fn input_variants_keep_only_inputs_that_differ_from_max() {
    let model = Model::from_json(
        br#"{"smithy": "2.0", "shapes": {
            "a.b#S": {"type": "service", "version": "1", "operations": [
                {"target": "a.b#Empty"}, {"target": "a.b#AllRequired"}],
                "traits": {"aws.protocols#awsJson1_0": {}}},
            "a.b#Empty": {"type": "operation"},
            "a.b#AllRequired": {"type": "operation", "input": {"target": "a.b#AllRequiredInput"}},
            "a.b#AllRequiredInput": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}}}}"#,
        std::path::Path::new("inline.json"),
    )
    .unwrap();
    let overrides = Overrides::builtin();
    let generator = Generator::new(&model, &overrides);
    let modes = |name: &str| -> Vec<Mode> {
        let operation = model
            .shape(&format!("a.b#{name}").parse().unwrap())
            .unwrap();
        generator
            .input_variants(operation)
            .unwrap()
            .into_iter()
            .map(|(mode, _)| mode)
            .collect()
    };
    assert_eq!(
        modes("Empty"),
        [Mode::Max],
        "no members: min and edge equal max"
    );
    assert_eq!(
        modes("AllRequired"),
        [Mode::Max, Mode::Edge],
        "every member required: min equals max"
    );
    let operation = model.shape(&"a.b#AllRequired".parse().unwrap()).unwrap();
    let variants = generator.input_variants(operation).unwrap();
    assert_eq!(
        variants[0].1,
        generator.generate_input(operation, Mode::Max).unwrap()
    );
}
