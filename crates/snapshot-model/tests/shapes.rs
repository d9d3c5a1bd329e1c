//! Every Smithy shape type, the prelude, mixins, `apply` and Smithy 1.0 constructs, read from
//! the hand-written fixtures in `fixtures/models`.

mod common;

use common::{load, member, parse, shape};
use snapshot_model::traits::EnumValue;
use snapshot_model::{EnumVariant, ShapeId, ShapeKind, SimpleType};

const W: &str = "example.weather#";

fn id(name: &str) -> String {
    format!("{W}{name}")
}

#[test]
fn every_simple_type_is_read_with_its_kind() {
    let model = load("weather.json");
    let expected = [
        ("BlobValue", SimpleType::Blob, "blob"),
        ("BooleanValue", SimpleType::Boolean, "boolean"),
        ("StringValue", SimpleType::String, "string"),
        ("ByteValue", SimpleType::Byte, "byte"),
        ("ShortValue", SimpleType::Short, "short"),
        ("IntegerValue", SimpleType::Integer, "integer"),
        ("LongValue", SimpleType::Long, "long"),
        ("FloatValue", SimpleType::Float, "float"),
        ("DoubleValue", SimpleType::Double, "double"),
        ("BigIntegerValue", SimpleType::BigInteger, "bigInteger"),
        ("BigDecimalValue", SimpleType::BigDecimal, "bigDecimal"),
        ("TimestampValue", SimpleType::Timestamp, "timestamp"),
        ("DocumentValue", SimpleType::Document, "document"),
    ];
    for (name, simple, type_name) in expected {
        let shape = shape(&model, &id(name));
        assert_eq!(shape.kind, ShapeKind::Simple(simple), "{name}");
        assert_eq!(shape.kind.type_name(), type_name);
        assert!(shape.kind.members().is_empty());
    }
    // The members of AllSimpleTypes resolve to those shapes through `Model::target`.
    let all = shape(&model, &id("AllSimpleTypes"));
    let targets: Vec<&str> = all
        .kind
        .members()
        .iter()
        .map(|m| model.target(m).kind.type_name())
        .collect();
    assert_eq!(
        targets,
        [
            "blob",
            "boolean",
            "string",
            "byte",
            "short",
            "integer",
            "long",
            "float",
            "double",
            "bigInteger",
            "bigDecimal",
            "timestamp",
            "document",
            "integer"
        ]
    );
}

#[test]
fn aggregate_shapes_keep_members_in_model_order() {
    let model = load("weather.json");
    let ShapeKind::Structure(members) = &shape(&model, &id("GetCityOutput")).kind else {
        panic!("GetCityOutput is a structure");
    };
    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "name",
            "coordinates",
            "kind",
            "size",
            "population",
            "precipitation",
            "neighbours",
            "simple",
            "tree"
        ]
    );

    let ShapeKind::Union(members) = &shape(&model, &id("Precipitation")).kind else {
        panic!("Precipitation is a union");
    };
    assert_eq!(members.len(), 3);
    assert_eq!(members[2].target.as_str(), "smithy.api#Unit");

    let ShapeKind::List(item) = &shape(&model, &id("CitySummaries")).kind else {
        panic!("CitySummaries is a list");
    };
    assert_eq!(item.name, "member");
    assert_eq!(item.target.as_str(), "example.weather#CitySummary");

    let ShapeKind::Map { key, value } = &shape(&model, &id("StringMap")).kind else {
        panic!("StringMap is a map");
    };
    assert_eq!((key.name.as_str(), value.name.as_str()), ("key", "value"));
    assert_eq!(
        model.target(value).kind,
        ShapeKind::Simple(SimpleType::String)
    );
}

#[test]
fn enums_and_int_enums_list_their_variants() {
    let model = load("weather.json");
    let kind = shape(&model, &id("CityKind"));
    assert!(matches!(kind.kind, ShapeKind::Enum(_)));
    let variants = model.enum_variants(kind).unwrap();
    assert_eq!(
        variants,
        [
            EnumVariant {
                name: "METRO".into(),
                value: EnumValue::String("metro".into())
            },
            EnumVariant {
                name: "TOWN".into(),
                value: EnumValue::String("town".into())
            },
            // Without @enumValue the member name is the value.
            EnumVariant {
                name: "VILLAGE".into(),
                value: EnumValue::String("VILLAGE".into())
            },
        ]
    );
    let size = shape(&model, &id("CitySize"));
    assert!(matches!(size.kind, ShapeKind::IntEnum(_)));
    let values: Vec<EnumValue> = model
        .enum_variants(size)
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect();
    assert_eq!(values, [EnumValue::Int(1), EnumValue::Int(2)]);
    // Not enum-like.
    assert!(model.enum_variants(shape(&model, &id("CityId"))).is_none());
}

#[test]
fn operations_resources_and_services_carry_their_relationships() {
    let model = load("weather.json");
    let ShapeKind::Operation(put) = &shape(&model, &id("PutReport")).kind else {
        panic!("PutReport is an operation");
    };
    assert_eq!(put.input.as_str(), "example.weather#PutReportInput");
    assert_eq!(put.output.as_str(), "example.weather#PutReportOutput");
    let errors: Vec<&str> = put.errors.iter().map(ShapeId::name).collect();
    assert_eq!(errors, ["NoSuchCity", "Throttled"]);

    // No input or output in the model means Unit.
    let ShapeKind::Operation(ping) = &shape(&model, &id("Ping")).kind else {
        panic!("Ping is an operation");
    };
    assert_eq!(ping.input.as_str(), "smithy.api#Unit");
    assert_eq!(ping.output.as_str(), "smithy.api#Unit");

    let ShapeKind::Resource(city) = &shape(&model, &id("City")).kind else {
        panic!("City is a resource");
    };
    assert_eq!(
        city.identifiers.get("cityId").map(ShapeId::name),
        Some("CityId")
    );
    let lifecycle: Vec<&str> = city.lifecycle.iter().map(ShapeId::name).collect();
    assert_eq!(
        lifecycle,
        ["CreateCity", "GetCity", "DeleteCity", "ListCities"]
    );
    assert_eq!(city.operations[0].name(), "GetCityImage");
    assert_eq!(city.collection_operations[0].name(), "SearchCities");
    assert_eq!(city.resources[0].name(), "Forecast");
    let ShapeKind::Resource(alert) = &shape(&model, &id("Alert")).kind else {
        panic!("Alert is a resource");
    };
    assert_eq!(alert.identifiers.len(), 2);
    let lifecycle: Vec<&str> = alert.lifecycle.iter().map(ShapeId::name).collect();
    assert_eq!(lifecycle, ["PutAlert", "GetAlert", "UpdateAlert"]);

    let ShapeKind::Service(service) = &shape(&model, &id("Weather")).kind else {
        panic!("Weather is a service");
    };
    assert_eq!(service.version, "2024-01-01");
    assert_eq!(service.operations.len(), 6);
    assert_eq!(service.resources.len(), 1);
    assert_eq!(service.errors[0].name(), "ServiceUnavailable");
    let renamed: ShapeId = "example.other#Report".parse().unwrap();
    assert_eq!(
        service.rename.get(&renamed).map(String::as_str),
        Some("OtherReport")
    );
    assert_eq!(model.services().len(), 1);
}

#[test]
fn prelude_shapes_are_always_defined() {
    let model = load("weather.json");
    for (name, type_name, default) in [
        ("String", "string", None),
        ("Blob", "blob", None),
        ("Boolean", "boolean", None),
        ("Timestamp", "timestamp", None),
        ("Document", "document", None),
        ("BigInteger", "bigInteger", None),
        ("BigDecimal", "bigDecimal", None),
        ("PrimitiveInteger", "integer", Some(serde_json::json!(0))),
        (
            "PrimitiveBoolean",
            "boolean",
            Some(serde_json::json!(false)),
        ),
        ("Unit", "structure", None),
    ] {
        let shape = shape(&model, &format!("smithy.api#{name}"));
        assert!(shape.id.is_prelude());
        assert_eq!(shape.kind.type_name(), type_name, "{name}");
        assert_eq!(shape.traits.default_value().cloned(), default, "{name}");
    }
    assert!(shape(&model, "smithy.api#Unit")
        .traits
        .has("smithy.api#unitType"));
}

#[test]
fn mixins_contribute_members_and_traits() {
    let model = load("weather.json");
    let report = shape(&model, &id("Report"));
    let names: Vec<&str> = report
        .kind
        .members()
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    // Mixin members come first (mixins of mixins before their users), then the shape's own.
    assert_eq!(
        names,
        [
            "version",
            "id",
            "summary",
            "title",
            "lang",
            "tags",
            "source",
            "legacyName",
            "readings",
            "attributes",
            "secret"
        ]
    );
    // `summary` is redeclared locally: it keeps the mixin's traits and adds its own.
    let summary = member(&model, &id("Report"), "summary");
    assert_eq!(summary.traits.json_name(), Some("Summary"));
    assert!(summary.traits.has("smithy.api#documentation"));
    // Inherited members keep their traits.
    assert!(member(&model, &id("Report"), "id").traits.is_required());
    assert_eq!(
        member(&model, &id("Report"), "version")
            .traits
            .default_value(),
        Some(&serde_json::json!(0))
    );
    // Shape traits of the mixin are inherited, except @mixin itself; own traits stay.
    assert!(report.traits.has("smithy.api#tags"));
    assert!(!report.traits.is_mixin());
    assert_eq!(report.traits.xml_name(), Some("WeatherReport"));
    assert!(shape(&model, &id("ReportCommon")).traits.is_mixin());
}

#[test]
fn unknown_traits_are_kept_raw() {
    let model = load("weather.json");
    let service = shape(&model, &id("Weather"));
    assert_eq!(
        service.traits.get("example.custom#team"),
        Some(&serde_json::json!({"name": "forecasting", "oncall": ["a", "b"]}))
    );
    // Known traits without a typed accessor are kept too.
    let list_cities = shape(&model, &id("ListCities"));
    assert_eq!(
        list_cities
            .traits
            .get("smithy.api#paginated")
            .and_then(|v| v.get("items")),
        Some(&serde_json::json!("items"))
    );
}

#[test]
fn smithy_1_sets_enum_strings_and_primitives() {
    let model = load("legacy.json");
    assert_eq!(model.smithy_version(), "1.0");
    let names = shape(&model, "example.legacy#ThingNames");
    let ShapeKind::Set(item) = &names.kind else {
        panic!("ThingNames is a set");
    };
    assert_eq!(names.kind.type_name(), "set");
    assert_eq!(item.target.name(), "ThingName");

    let color = shape(&model, "example.legacy#Color");
    assert_eq!(color.kind, ShapeKind::Simple(SimpleType::String));
    let variants = model.enum_variants(color).unwrap();
    assert_eq!(
        variants,
        [
            EnumVariant {
                name: "RED".into(),
                value: EnumValue::String("red".into())
            },
            EnumVariant {
                name: "DARK_GREEN".into(),
                value: EnumValue::String("dark-green".into())
            },
            // A 1.0 definition without a name is named by its value.
            EnumVariant {
                name: "blue".into(),
                value: EnumValue::String("blue".into())
            },
        ]
    );
    let max_items = member(&model, "example.legacy#ListThingsRequest", "MaxItems");
    assert_eq!(
        model.target(max_items).traits.default_value(),
        Some(&serde_json::json!(0))
    );
    assert_eq!(
        model.effective_traits(max_items).default_value(),
        Some(&serde_json::json!(0))
    );
}

#[test]
fn apply_entries_add_traits_to_members_and_merge_lists() {
    // In one JSON AST file a shape id can be a key only once, so `apply` there targets
    // members (`ns#Shape$member`) or shapes defined elsewhere, such as the prelude.
    let model = parse(
        r#"{
            "smithy": "2",
            "shapes": {
                "example.a#Thing": {
                    "type": "structure",
                    "members": {
                        "name": {"target": "smithy.api#String", "traits": {"smithy.api#tags": ["one"]}}
                    }
                },
                "example.a#Thing$name": {
                    "type": "apply",
                    "traits": {"smithy.api#required": {}, "smithy.api#tags": ["two"], "smithy.api#jsonName": "NAME"}
                },
                "smithy.api#Timestamp": {"type": "apply", "traits": {"smithy.api#timestampFormat": "epoch-seconds"}}
            }
        }"#,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(model.smithy_version(), "2");
    let name = member(&model, "example.a#Thing", "name");
    assert!(name.traits.is_required());
    assert_eq!(name.traits.json_name(), Some("NAME"));
    assert_eq!(
        name.traits.get("smithy.api#tags"),
        Some(&serde_json::json!(["one", "two"]))
    );
    assert_eq!(
        shape(&model, "smithy.api#Timestamp")
            .traits
            .timestamp_format(),
        Some(snapshot_model::traits::TimestampFormat::EpochSeconds)
    );
}

#[test]
fn apply_to_an_undefined_shape_or_member_is_an_error() {
    for target in ["example.a#Missing", "example.a#Thing$missing"] {
        let json = format!(
            r#"{{
                "smithy": "2.0",
                "shapes": {{
                    "example.a#Thing": {{"type": "structure", "members": {{}}}},
                    "{target}": {{"type": "apply", "traits": {{"smithy.api#sensitive": {{}}}}}}
                }}
            }}"#
        );
        let error = parse(&json).unwrap_err();
        assert!(
            matches!(&error, snapshot_model::ModelError::UnknownTarget { from, target: t, .. } if from == "apply" && t == target),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("inline.json: `apply` targets"),
            "{error}"
        );
    }
}

#[test]
fn unsupported_ast_versions_are_rejected() {
    for version in ["3.0", "", "two"] {
        let json = format!(r#"{{"smithy": "{version}", "shapes": {{}}}}"#);
        let error = parse(&json).unwrap_err();
        assert!(
            matches!(error, snapshot_model::ModelError::UnsupportedVersion { .. }),
            "{version}: {error:?}"
        );
    }
    for version in ["1", "1.0", "2", "2.0"] {
        let json = format!(r#"{{"smithy": "{version}", "shapes": {{}}}}"#);
        assert!(parse(&json).is_ok(), "{version}");
    }
}
