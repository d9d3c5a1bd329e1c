//! Model ↔ crate drift on `fixtures/drift`: a model newer than its client crate, whose source
//! is a hand-written tree laid out the way smithy-rs writes one (see its README).

use std::path::PathBuf;

use snapshot_codegen::api::{ApiModule, ClientApi, TypeKey};
use snapshot_codegen::drift::{ClientDrift, DroppedMember, MissingApi, ValueRoot};
use snapshot_model::{Model, ShapeId};
use snapshot_values::{Value, ValuePath};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/drift")
}

fn model() -> Model {
    Model::load(&fixture().join("model.json")).unwrap_or_else(|error| panic!("{error}"))
}

fn api() -> ClientApi {
    ClientApi::read(&fixture().join("client")).unwrap_or_else(|error| panic!("{error}"))
}

fn id(name: &str) -> ShapeId {
    ShapeId::new("example.drift", name)
}

fn text(value: &str) -> Value {
    Value::String(value.to_owned())
}

fn structure(name: &str, members: Vec<(&str, Value)>) -> Value {
    Value::Structure {
        shape: id(name),
        members: members
            .into_iter()
            .map(|(member, value)| (member.to_owned(), value))
            .collect(),
    }
}

fn details(shade: i32) -> Value {
    structure(
        "Details",
        vec![
            ("Color", text("__Color__")),
            ("Shade", Value::Integer(shade)),
        ],
    )
}

fn choice(member: &str) -> Value {
    Value::Union {
        shape: id("Choice"),
        member: member.to_owned(),
        value: Box::new(text("__Choice__")),
    }
}

fn get_thing(op: &str) -> TypeKey {
    TypeKey::new(ApiModule::Operation("get_thing".into()), op)
}

fn paths(dropped: &[DroppedMember]) -> Vec<&str> {
    dropped.iter().map(|member| member.path.as_str()).collect()
}

#[test]
fn operations_the_crate_lacks_and_operations_the_model_lacks() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let api = api();
    let drift = ClientDrift::new(&index, &api);
    assert_eq!(drift.missing_operations(), ["NewOp"]);
    assert_eq!(drift.unmodeled_operations(), ["list_things"]);
}

#[test]
fn input_members_without_a_field_or_setter_are_dropped_with_the_reason() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let api = api();
    let drift = ClientDrift::new(&index, &api);
    let operation = index.operation("GetThing").unwrap();
    let mut input = structure(
        "GetThingInput",
        vec![
            ("Name", text("__Name__")),
            ("Added", text("__Added__")),
            ("Filter", details(0)),
        ],
    );
    let dropped = drift.prune(
        ValueRoot::Input(&operation),
        &mut input,
        &ValuePath::root("GetThingInput"),
    );
    assert_eq!(
        dropped,
        [
            DroppedMember {
                path: ValuePath::root("GetThingInput").member("Added"),
                missing: MissingApi::Field {
                    owner: get_thing("GetThingInput"),
                    field: "added".into()
                },
            },
            DroppedMember {
                path: ValuePath::root("GetThingInput")
                    .member("Filter")
                    .member("Shade"),
                missing: MissingApi::Field {
                    owner: TypeKey::new(ApiModule::Types, "Details"),
                    field: "shade".into()
                },
            },
        ]
    );
    assert_eq!(
        dropped[0].missing.to_string(),
        "the crate's `operation::get_thing::GetThingInput` has no field `added`"
    );
    // What remains is exactly what the crate can build.
    assert_eq!(
        input,
        structure(
            "GetThingInput",
            vec![
                ("Name", text("__Name__")),
                (
                    "Filter",
                    structure("Details", vec![("Color", text("__Color__"))])
                ),
            ],
        )
    );
}

#[test]
fn output_members_nested_types_and_union_variants_the_crate_lacks_are_dropped() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let api = api();
    let drift = ClientDrift::new(&index, &api);
    let operation = index.operation("GetThing").unwrap();
    let mut output = structure(
        "GetThingOutput",
        vec![
            ("Name", text("__Name__")),
            ("Details", Value::List(vec![details(1), details(2)])),
            ("Choice", choice("Brand")),
            (
                "Extra",
                structure("Extra", vec![("Note", text("__Note__"))]),
            ),
        ],
    );
    let root = ValuePath::root("GetThingOutput");
    let dropped = drift.prune(ValueRoot::Output(&operation), &mut output, &root);
    assert_eq!(
        paths(&dropped),
        [
            "GetThingOutput.Details[0].Shade",
            "GetThingOutput.Details[1].Shade",
            "GetThingOutput.Choice.Brand",
            "GetThingOutput.Extra",
        ]
    );
    assert_eq!(
        dropped[2].missing,
        MissingApi::Variant {
            owner: TypeKey::new(ApiModule::Types, "Choice"),
            variant: "Brand".into()
        }
    );
    // `Extra` has neither a field in the output nor a type of its own in the crate.
    assert!(matches!(dropped[3].missing, MissingApi::Field { .. }));
    // A union member the crate has stays.
    let mut output = structure("GetThingOutput", vec![("Choice", choice("Old"))]);
    assert!(drift
        .prune(ValueRoot::Output(&operation), &mut output, &root)
        .is_empty());
}

#[test]
fn event_stream_exceptions_are_variants_of_the_stream_error_enum() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let api = api();
    let drift = ClientDrift::new(&index, &api);
    let operation = index.operation("GetThing").unwrap();
    let not_found = structure("NotFound", vec![("Message", text("__Message__"))]);
    let throttled = structure("Throttled", vec![("Message", text("__Message__"))]);
    let mut output = structure(
        "GetThingOutput",
        vec![(
            "Events",
            Value::EventStream {
                shape: id("ThingEvents"),
                events: vec![
                    ("Tick".into(), details(3)),
                    ("Boom".into(), not_found.clone()),
                    ("Bang".into(), throttled),
                ],
            },
        )],
    );
    let root = ValuePath::root("GetThingOutput");
    let dropped = drift.prune(ValueRoot::Output(&operation), &mut output, &root);
    assert_eq!(
        paths(&dropped),
        [
            "GetThingOutput.Events.Tick.Shade",
            "GetThingOutput.Events.Bang"
        ]
    );
    assert_eq!(
        dropped[1].missing,
        MissingApi::Variant {
            owner: TypeKey::new(ApiModule::TypesError, "ThingEventsError"),
            variant: "Throttled".into()
        }
    );
    let Value::Structure { members, .. } = &output else {
        panic!("{output:?}");
    };
    let Value::EventStream { events, .. } = &members[0].1 else {
        panic!("{members:?}");
    };
    let kept: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(kept, ["Tick", "Boom"]);
}

#[test]
fn errors_the_operation_enum_lacks_and_error_members() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let api = api();
    let drift = ClientDrift::new(&index, &api);
    let operation = index.operation("GetThing").unwrap();
    assert_eq!(drift.error_variant(&operation, &id("NotFound")), Ok(()));
    assert_eq!(
        drift.error_variant(&operation, &id("Throttled")),
        Err(MissingApi::Variant {
            owner: get_thing("GetThingError"),
            variant: "Throttled".into()
        })
    );
    let mut error = structure(
        "NotFound",
        vec![
            ("Message", text("__Message__")),
            ("Resource", text("__R__")),
        ],
    );
    let dropped = drift.prune(ValueRoot::Error, &mut error, &ValuePath::root("NotFound"));
    assert_eq!(paths(&dropped), ["NotFound.Resource"]);
}

#[test]
fn members_the_crate_has_and_the_model_lacks_are_listed() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let api = api();
    let unexercised: Vec<String> = ClientDrift::new(&index, &api)
        .unexercised_members()
        .iter()
        .map(|member| format!("{}.{}", member.owner, member.field))
        .collect();
    // Private fields (`_request_id`, an error's `meta`) and an error's `message` are not members.
    assert_eq!(
        unexercised,
        ["operation::get_thing::GetThingOutput.request_count"]
    );
}

#[test]
fn the_cache_is_used_until_a_file_changes() {
    let cache = tempfile::tempdir().unwrap();
    let copy = tempfile::tempdir().unwrap();
    let source = fixture().join("client");
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        let target = copy
            .path()
            .join(entry.path().strip_prefix(&source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let first = ClientApi::read_cached(copy.path(), cache.path()).unwrap();
    assert_eq!(first, api());
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 1);
    // A new member in the crate's source is seen although a cache exists.
    let details = copy.path().join("src/types/_details.rs");
    let text = std::fs::read_to_string(&details).unwrap().replace(
        "pub struct Details {",
        "pub struct Details {\n    pub shade: ::std::option::Option<i32>,",
    );
    std::fs::write(&details, text).unwrap();
    let second = ClientApi::read_cached(copy.path(), cache.path()).unwrap();
    let key = TypeKey::new(ApiModule::Types, "Details");
    assert!(second.get(&key).unwrap().fields.contains("shade"));
    assert!(!first.get(&key).unwrap().fields.contains("shade"));
}

/// GetThing's harness code with `facts`, without whitespace.
fn get_thing_code(facts: &snapshot_codegen::ClientFacts) -> String {
    use snapshot_codegen::{generate_harness, ClientCrate, ClientSource, HarnessOperation};
    use snapshot_values::{Generator, Mode, Overrides};
    let model = model();
    let index = model.service_index(None).unwrap();
    let overrides = Overrides::builtin();
    let operation = index
        .operation("GetThing")
        .expect("the fixture has GetThing");
    let input = Generator::new(&model, &overrides)
        .generate_input(operation.shape, Mode::Max)
        .unwrap();
    let client = ClientCrate {
        package: "example-drift".into(),
        source: ClientSource::Registry {
            version: "=0.1.0".into(),
        },
    };
    let operations = [HarnessOperation {
        operation,
        input,
        variants: Vec::new(),
        rejected_headers: Vec::new(),
    }];
    let harness = generate_harness(&index, &client, facts, &operations).unwrap();
    let file = harness
        .files
        .iter()
        .find(|file| file.path.ends_with("src/operations/get_thing.rs"))
        .expect("GetThing has its own file");
    file.contents
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn readers_leave_out_what_the_crate_cannot_hold() {
    let unknown = get_thing_code(&snapshot_codegen::ClientFacts::unknown());
    let known = get_thing_code(&snapshot_codegen::ClientFacts::unknown().with_api(api()));
    let held = [
        ".member(\"Name\",&self.name)",
        ".member(\"Details\",&self.details)",
        ".member(\"Color\",&self.color)",
        "::snapshot_harness::read::variant::<Readers,_>(\"Old\",inner)",
        "::snapshot_harness::read::variant::<Readers,_>(\"Tick\",inner)",
        "::snapshot_harness::read::variant::<Readers,_>(\"Boom\",inner)",
        "::snapshot_harness::read::variant::<Readers,_>(\"NotFound\",inner)",
        ".member(\"Message\",&self.message)",
    ];
    let dropped = [
        ".member(\"Shade\",&self.shade)",
        ".member(\"Extra\",&self.extra)",
        "::example_drift::types::Extra",
        "::snapshot_harness::read::variant::<Readers,_>(\"Brand\",inner)",
        "::snapshot_harness::read::variant::<Readers,_>(\"Bang\",inner)",
        "::snapshot_harness::read::variant::<Readers,_>(\"Throttled\",inner)",
        "::example_drift::types::error::Throttled",
        ".member(\"Resource\",&self.resource)",
    ];
    for needle in held.iter().chain(&dropped) {
        assert!(
            unknown.contains(needle),
            "without the API, `{needle}` is read"
        );
    }
    for needle in held {
        assert!(known.contains(needle), "`{needle}` missing from:\n{known}");
    }
    for needle in dropped {
        assert!(
            !known.contains(needle),
            "`{needle}` still read in:\n{known}"
        );
    }
}
