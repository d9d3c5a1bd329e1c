//! Behaviour users rely on, asserted directly (the golden tests show the same values whole).

mod common;

use std::path::Path;

use md5::{Digest, Md5};
use snapshot_model::{Model, ShapeId};
use snapshot_values::{
    Generator, Mode, OverrideValue, Overrides, Value, ValueError, ValuePath, IDEMPOTENCY_TOKEN,
    MAX_DEPTH, MESSAGE_BODY, MESSAGE_BODY_MD5, RECURSION_LIMIT,
};

use common::{fixture, member};

fn id(name: &str) -> ShapeId {
    ShapeId::new("example.values", name)
}

fn member_names(value: &Value) -> Vec<&str> {
    match value {
        Value::Structure { members, .. } => members.iter().map(|(name, _)| name.as_str()).collect(),
        other => panic!("not a structure: {other}"),
    }
}

fn generate(
    model: &Model,
    overrides: &Overrides,
    root: &str,
    mode: Mode,
) -> Result<Value, ValueError> {
    Generator::new(model, overrides).generate(&id(root), mode)
}

fn user(entries: &[(&str, OverrideValue)]) -> Overrides {
    Overrides::builtin()
        .with_user(
            entries
                .iter()
                .map(|(key, value)| ((*key).to_owned(), value.clone())),
        )
        .unwrap()
}

/// The union choice computed from the documented formula, independently of `ValuePath`.
fn expected_choice(path: &str, members: &[&str]) -> String {
    let sum: u32 = path.chars().map(|c| c as u32).sum();
    members[sum as usize % members.len()].to_owned()
}

#[test]
fn unions_in_lists_and_maps_choose_by_path() {
    let model = fixture("unions.json");
    let value = generate(&model, &Overrides::builtin(), "PutChoicesInput", Mode::Max).unwrap();
    let members = ["Text", "Number", "Flag", "Pair", "Nothing"];
    let Value::List(items) = member(&value, "Choices") else {
        panic!("Choices is a list")
    };
    let mut chosen = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Value::Union { member, .. } = item else {
            panic!("element is a union")
        };
        assert_eq!(
            member,
            &expected_choice(&format!("PutChoicesInput.Choices[{index}]"), &members)
        );
        chosen.push(member.clone());
    }
    chosen.dedup();
    assert_eq!(
        chosen.len(),
        3,
        "three elements set three different members: {chosen:?}"
    );
    let Value::Map(entries) = member(&value, "ChoicesByName") else {
        panic!("a map")
    };
    for (key, item) in entries {
        let Value::Union { member, .. } = item else {
            panic!("entry is a union")
        };
        assert_eq!(
            member,
            &expected_choice(&format!("PutChoicesInput.ChoicesByName{{{key}}}"), &members)
        );
    }
    let path = ValuePath::root("PutChoicesInput")
        .member("ChoicesByName")
        .key("key2");
    assert_eq!(path.as_str(), "PutChoicesInput.ChoicesByName{key2}");
}

#[test]
fn recursion_stops_once_a_shape_occurs_three_times() {
    let model = fixture("recursion.json");
    let value = generate(&model, &Overrides::builtin(), "WalkInput", Mode::Min).unwrap();
    let mut link = member(&value, "Chain");
    let mut expanded = 0;
    while member_names(link) == ["Position", "Next"] {
        expanded += 1;
        link = member(link, "Next");
    }
    assert_eq!(expanded, RECURSION_LIMIT);
    assert_eq!(
        member_names(link),
        ["Position"],
        "the link past the limit keeps its required members that do not loop back: {link}"
    );
}

#[test]
fn union_at_the_limit_sets_its_first_non_recursive_member() {
    let model = fixture("recursion.json");
    let value = generate(&model, &Overrides::builtin(), "WalkOutput", Mode::Max).unwrap();
    let mut current = member(&value, "Filter");
    let mut depth = 0;
    while let Value::Union { member, value, .. } = current {
        depth += 1;
        if member == "Literal" {
            break;
        }
        current = value;
    }
    assert_eq!(
        depth,
        RECURSION_LIMIT + 1,
        "three chosen by path, the fourth by the limit rule"
    );
    assert!(matches!(current, Value::Union { member, .. } if member == "Literal"));
}

#[test]
fn min_mode_sets_only_required_members_including_defaulted_ones() {
    let model = fixture("simple-types.json");
    let min = generate(
        &model,
        &Overrides::builtin(),
        "PutEverythingInput",
        Mode::Min,
    )
    .unwrap();
    assert_eq!(
        member_names(&min),
        ["Name", "Count", "LegacyStatus", "Retries"]
    );
    let max = generate(
        &model,
        &Overrides::builtin(),
        "PutEverythingInput",
        Mode::Max,
    )
    .unwrap();
    assert_eq!(member_names(&max).len(), 21);
    let collections = fixture("collections.json");
    let min = generate(
        &collections,
        &Overrides::builtin(),
        "PutCollectionsInput",
        Mode::Min,
    )
    .unwrap();
    assert!(matches!(member(&min, "Names"), Value::List(items) if items.len() == 3));
}

#[test]
fn simple_types_follow_the_spec() {
    let model = fixture("simple-types.json");
    let value = generate(
        &model,
        &Overrides::builtin(),
        "PutEverythingInput",
        Mode::Max,
    )
    .unwrap();
    assert_eq!(
        member(&value, "Description"),
        &Value::String("__Description__".into())
    );
    assert_eq!(
        member(&value, "ClientToken"),
        &Value::String(IDEMPOTENCY_TOKEN.into())
    );
    assert_eq!(
        member(&value, "CreatedAt"),
        &Value::Timestamp(946_702_799_999)
    );
    assert_eq!(member(&value, "Huge"), &Value::BigInteger("1000001".into()));
    assert_eq!(
        member(&value, "Exact"),
        &Value::BigDecimal("9876543210.0123456789".into())
    );
    assert_eq!(member(&value, "Payload"), &Value::Blob(vec![1, 0, 0, 1]));
    assert_eq!(
        member(&value, "Status"),
        &Value::Enum {
            variant: None,
            value: "__Status__".into()
        }
    );
    assert_eq!(
        member(&value, "Level"),
        &Value::IntEnum {
            variant: Some("NONE".into()),
            value: 0
        }
    );
    let output = generate(
        &model,
        &Overrides::builtin(),
        "PutEverythingOutput",
        Mode::Max,
    )
    .unwrap();
    assert_eq!(member(&output, "StatusCode"), &Value::Integer(200));
    assert_eq!(
        member(&output, "Body"),
        &Value::StreamingBlob(vec![1, 0, 0, 1])
    );
}

#[test]
fn event_streams_hold_regular_events_and_exceptions_apart() {
    let model = fixture("unions.json");
    let overrides = Overrides::none();
    let generator = Generator::new(&model, &overrides);
    let output = generator
        .generate(&id("StreamEventsOutput"), Mode::Max)
        .unwrap();
    let Value::EventStream { events, .. } = member(&output, "Results") else {
        panic!("an event stream")
    };
    let names: Vec<_> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Started", "Transcript", "Ended"]);
    let exceptions = generator
        .exception_events(&id("ResultStream"), Mode::Max)
        .unwrap();
    let names: Vec<_> = exceptions.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Throttled", "Failed"]);
    let error = generator
        .exception_events(&id("Choice"), Mode::Max)
        .unwrap_err();
    assert!(
        matches!(error, ValueError::NotAnEventStream { .. }),
        "{error}"
    );
}

#[test]
fn builtin_md5_is_the_md5_of_the_builtin_body() {
    let digest = Md5::digest(MESSAGE_BODY.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(hex, MESSAGE_BODY_MD5);
}

#[test]
fn qualified_user_overrides_beat_bare_ones_which_beat_builtins() {
    let model = fixture("overrides.json");
    let overrides = user(&[
        ("Limit", OverrideValue::Integer(10)),
        (
            "example.values#PutOverridesInput$Limit",
            OverrideValue::Integer(25),
        ),
        (
            "QueueUrl",
            OverrideValue::String("https://example.com/q".into()),
        ),
    ]);
    let value = generate(&model, &overrides, "PutOverridesInput", Mode::Max).unwrap();
    assert_eq!(member(&value, "Limit"), &Value::Integer(25));
    assert_eq!(
        member(member(&value, "Summary"), "Limit"),
        &Value::Integer(10)
    );
    assert_eq!(
        member(&value, "QueueUrl"),
        &Value::String("https://example.com/q".into())
    );
    // A built-in that does not fit the member's type is skipped, not an error.
    assert_eq!(
        member(member(&value, "Summary"), "AccountId"),
        &Value::Long(0)
    );
}

#[test]
fn user_override_of_the_wrong_type_names_member_shape_and_fix() {
    let model = fixture("simple-types.json");
    let error = generate(
        &model,
        &user(&[("Name", OverrideValue::Boolean(true))]),
        "PutEverythingInput",
        Mode::Min,
    )
    .unwrap_err();
    assert!(matches!(error, ValueError::OverrideMismatch { .. }));
    let message = error.to_string();
    for part in [
        "`Name`",
        "example.values#PutEverythingInput$Name",
        "a `smithy.api#String` (string): it takes a string, not a boolean",
        "shape-qualified key",
    ] {
        assert!(message.contains(part), "{part:?} missing from: {message}");
    }
    let error = generate(
        &model,
        &user(&[("Tiny", OverrideValue::Integer(300))]),
        "PutEverythingInput",
        Mode::Max,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("300 is out of range for a byte"),
        "{error}"
    );
}

#[test]
fn user_override_on_a_structure_is_refused() {
    let model = fixture("collections.json");
    let error = generate(
        &model,
        &user(&[("Tags", OverrideValue::String("x".into()))]),
        "PutCollectionsInput",
        Mode::Max,
    )
    .unwrap_err();
    assert!(
        matches!(error, ValueError::OverrideOnAggregate { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("PutCollectionsInput.Tags[0]"),
        "{error}"
    );
}

#[test]
fn invalid_override_keys_are_rejected() {
    let error = Overrides::builtin()
        .with_user([("ns#Shape".to_owned(), OverrideValue::Integer(1))])
        .unwrap_err();
    assert!(
        matches!(error, ValueError::InvalidOverrideKey { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("snapshot.toml"), "{error}");
}

#[test]
fn roots_must_be_value_shapes_of_the_model() {
    let model = fixture("simple-types.json");
    let error = generate(&model, &Overrides::none(), "Missing", Mode::Max).unwrap_err();
    assert!(matches!(error, ValueError::UnknownShape { .. }), "{error}");
    let error = generate(&model, &Overrides::none(), "PutEverything", Mode::Max).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("is a shape of type `operation`, which has no value"),
        "{error}"
    );
    assert!(matches!(error, ValueError::NotAValue { .. }));
    let unit = Generator::new(&model, &Overrides::none())
        .generate(&ShapeId::new("smithy.api", "Unit"), Mode::Max)
        .unwrap();
    assert!(member_names(&unit).is_empty());
}

fn inline_model(shapes: &str) -> Model {
    let json = format!(r#"{{"smithy": "2.0", "shapes": {shapes}}}"#);
    Model::from_json(json.as_bytes(), Path::new("inline.json")).unwrap()
}

#[test]
fn a_union_that_only_recurses_fails_instead_of_running_forever() {
    let model = inline_model(
        r#"{
            "example.values#Root": {"type": "structure", "members": {"Loop": {"target": "example.values#Loop"}}},
            "example.values#Loop": {"type": "union", "members": {"Again": {"target": "example.values#Loop"}}}
        }"#,
    );
    let error = generate(&model, &Overrides::none(), "Root", Mode::Max).unwrap_err();
    let ValueError::UnboundedRecursion { depth, path, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(*depth, MAX_DEPTH);
    assert!(path.starts_with("Root.Loop.Again.Again"), "{path}");
}

#[test]
fn an_empty_union_is_reported() {
    let model = inline_model(
        r#"{
            "example.values#Root": {"type": "structure", "members": {"Pick": {"target": "example.values#Empty"}}},
            "example.values#Empty": {"type": "union", "members": {}}
        }"#,
    );
    let error = generate(&model, &Overrides::none(), "Root", Mode::Max).unwrap_err();
    assert!(matches!(error, ValueError::EmptyUnion { .. }), "{error}");
    assert!(error.to_string().contains("Root.Pick"), "{error}");
}

#[test]
fn generation_is_deterministic_across_generators() {
    for file in [
        "simple-types.json",
        "collections.json",
        "unions.json",
        "recursion.json",
        "overrides.json",
    ] {
        let model = fixture(file);
        let index = model.service_index(None).unwrap();
        let overrides = Overrides::builtin();
        for operation in index.operations() {
            for mode in Mode::ALL {
                let first =
                    Generator::new(&model, &overrides).generate(&operation.operation.output, mode);
                let second =
                    Generator::new(&model, &overrides).generate(&operation.operation.output, mode);
                assert_eq!(first, second, "{file} {}", operation.name());
            }
        }
    }
}

#[test]
fn error_messages_read_well() {
    let simple = fixture("simple-types.json");
    let collections = fixture("collections.json");
    let looping = inline_model(
        r#"{
            "example.values#Root": {"type": "structure", "members": {"Loop": {"target": "example.values#Loop"}}},
            "example.values#Loop": {"type": "union", "members": {"Again": {"target": "example.values#Loop"}}}
        }"#,
    );
    let messages = [
        generate(
            &simple,
            &user(&[("Name", OverrideValue::Boolean(true))]),
            "PutEverythingInput",
            Mode::Min,
        ),
        generate(
            &simple,
            &user(&[("Tiny", OverrideValue::Integer(300))]),
            "PutEverythingInput",
            Mode::Max,
        ),
        generate(
            &collections,
            &user(&[("Tags", OverrideValue::String("x".into()))]),
            "PutCollectionsInput",
            Mode::Max,
        ),
        generate(&looping, &Overrides::none(), "Loop", Mode::Max),
        generate(&looping, &Overrides::none(), "Missing", Mode::Max),
        Overrides::none()
            .with_user([("ns#Shape".to_owned(), OverrideValue::Integer(1))])
            .map(|_| Value::Null),
        Overrides::none()
            .with_user([("Ratio".to_owned(), OverrideValue::Float(f64::INFINITY))])
            .map(|_| Value::Null),
    ]
    .into_iter()
    .map(|result| {
        let message = result.unwrap_err().to_string();
        // The recursion path is long; its start shows where it went.
        match message.split_once(" levels deep at `") {
            Some((head, tail)) => format!("{head} levels deep at `{}…", &tail[..24]),
            None => message,
        }
    })
    .collect::<Vec<_>>()
    .join("\n\n");
    insta::assert_snapshot!(messages);
}

#[test]
fn host_labels_are_valid_dns_labels_unless_overridden() {
    let json = br#"{"smithy": "2.0", "shapes": {
        "example.values#Service": {"type": "service", "version": "1", "operations": [{"target": "example.values#Op"}],
            "traits": {"aws.protocols#restJson1": {}}},
        "example.values#Op": {"type": "operation", "input": {"target": "example.values#OpInput"},
            "traits": {"smithy.api#endpoint": {"hostPrefix": "{RequestRoute}.{AccountId}."}}},
        "example.values#OpInput": {"type": "structure", "members": {
            "RequestRoute": {"target": "smithy.api#String", "traits": {"smithy.api#hostLabel": {}, "smithy.api#required": {}}},
            "AccountId": {"target": "smithy.api#String", "traits": {"smithy.api#hostLabel": {}, "smithy.api#required": {}}},
            "Plain": {"target": "smithy.api#String"}
        }}
    }}"#;
    let model = Model::from_json(json, Path::new("inline.json")).unwrap();
    let overrides = Overrides::builtin();
    let input = Generator::new(&model, &overrides)
        .generate(&id("OpInput"), Mode::Max)
        .unwrap();
    assert_eq!(
        member(&input, "RequestRoute"),
        &Value::String("requestroute".into())
    );
    // The built-in AccountId override still wins over the host-label rule.
    assert_eq!(
        member(&input, "AccountId"),
        &Value::String("123456789012".into())
    );
    assert_eq!(member(&input, "Plain"), &Value::String("__Plain__".into()));
}

#[test]
fn inputs_leave_checksums_to_the_client_and_match_streamed_lengths() {
    let json = br#"{"smithy": "2.0", "shapes": {
        "example.values#Service": {"type": "service", "version": "1", "operations": [{"target": "example.values#Put"}],
            "traits": {"aws.protocols#restXml": {}}},
        "example.values#Put": {"type": "operation", "input": {"target": "example.values#PutInput"},
            "traits": {"aws.protocols#httpChecksum": {"requestAlgorithmMember": "ChecksumAlgorithm"},
                       "smithy.api#http": {"method": "PUT", "uri": "/"}}},
        "example.values#Body": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
        "example.values#PutInput": {"type": "structure", "members": {
            "Body": {"target": "example.values#Body", "traits": {"smithy.api#httpPayload": {}}},
            "ContentLength": {"target": "smithy.api#Long", "traits": {"smithy.api#httpHeader": "Content-Length"}},
            "ContentMD5": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "Content-MD5"}},
            "ChecksumCRC32": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "x-amz-checksum-crc32"}},
            "ChecksumAlgorithm": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "x-amz-sdk-checksum-algorithm"}}
        }}
    }}"#;
    let model = Model::from_json(json, Path::new("inline.json")).unwrap();
    let overrides = Overrides::builtin();
    let operation = model.shape(&id("Put")).unwrap();
    let input = Generator::new(&model, &overrides)
        .generate_input(operation, Mode::Max)
        .unwrap();
    assert_eq!(
        member_names(&input),
        vec!["Body", "ContentLength", "ChecksumAlgorithm"]
    );
    assert_eq!(member(&input, "ContentLength"), &Value::Long(4));
    assert_eq!(
        member(&input, "ChecksumAlgorithm"),
        &Value::String("CRC64NVME".into())
    );
}
