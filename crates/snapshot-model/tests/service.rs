//! A service's closure (operations through nested resources, errors, renames) and the protocol
//! smithy-rs would pick for it.

mod common;

use common::{load, parse};
use snapshot_corpus::models_dir;
use snapshot_model::{Model, Protocol, ShapeId};

fn names(ids: &[ShapeId]) -> Vec<&str> {
    ids.iter().map(ShapeId::name).collect()
}

#[test]
fn operations_are_collected_through_nested_resources_once_each() {
    let model = load("weather.json");
    let index = model.service_index(None).unwrap();
    assert_eq!(index.id().as_str(), "example.weather#Weather");
    let operations: Vec<&str> = index.operations().iter().map(|op| op.name()).collect();
    assert_eq!(
        operations,
        [
            "CreateCity",
            "DeleteCity",
            "GetAlert",
            "GetCity", // bound directly and as City's `read`: listed once
            "GetCityImage",
            "GetCurrentTime",
            "GetForecast", // Forecast is a child of City
            "ListCities",
            "Ping",
            "PutAlert", // Alert is a child of Forecast
            "PutReport",
            "SearchCities",
            "StreamObservations",
            "UpdateAlert",
            "UploadPhoto",
        ]
    );
    // An operation bound to nothing is not part of the service.
    assert!(index.operation("Orphan").is_none());
    assert!(model
        .shape(&"example.weather#Orphan".parse().unwrap())
        .is_some());
    // Lookup by name or absolute id.
    let by_id = index.operation("example.weather#GetAlert").unwrap();
    assert_eq!(by_id.name(), "GetAlert");
    assert_eq!(by_id.operation.input.name(), "GetAlertInput");
}

#[test]
fn operation_errors_include_service_errors_without_repeats() {
    let model = load("weather.json");
    let index = model.service_index(None).unwrap();
    let put = index.operation("PutReport").unwrap();
    assert_eq!(
        names(&index.operation_errors(&put)),
        ["NoSuchCity", "Throttled", "ServiceUnavailable"]
    );
    let ping = index.operation("Ping").unwrap();
    assert_eq!(
        names(&index.operation_errors(&ping)),
        ["ServiceUnavailable"]
    );
    assert_eq!(names(index.service_errors()), ["ServiceUnavailable"]);
    assert_eq!(
        names(&index.error_shapes()),
        ["NoSuchCity", "ServiceUnavailable", "Throttled"]
    );
}

#[test]
fn renames_apply_inside_the_service() {
    let model = load("weather.json");
    let index = model.service_index(None).unwrap();
    let other: ShapeId = "example.other#Report".parse().unwrap();
    let own: ShapeId = "example.weather#Report".parse().unwrap();
    assert_eq!(index.name(&other), "OtherReport");
    assert_eq!(index.name(&own), "Report");
    // Both same-named shapes are in the closure and stay distinct by id.
    let closure = index.closure();
    assert!(closure.contains(&other) && closure.contains(&own));
}

#[test]
fn closure_reaches_every_shape_used_by_operations() {
    let model = load("weather.json");
    let index = model.service_index(None).unwrap();
    let closure = index.closure();
    for reachable in [
        "example.weather#PutReportInput",
        "example.weather#Report",
        "example.weather#TagList",
        "example.weather#ObservationStream",
        "example.weather#Observation",
        "example.weather#Node", // recursive through NodeList
        "example.weather#NodeList",
        "example.weather#ServiceUnavailable",
        "example.weather#AllSimpleTypes",
        "smithy.api#String",
        "smithy.api#Unit",
    ] {
        assert!(
            closure.contains(&reachable.parse().unwrap()),
            "{reachable} should be reachable"
        );
    }
    for unreachable in [
        "example.weather#OrphanInput",
        "example.weather#Weather",
        "example.weather#Identified",
    ] {
        assert!(
            !closure.contains(&unreachable.parse().unwrap()),
            "{unreachable} should not be reachable"
        );
    }
}

#[test]
fn service_level_accessors() {
    let model = load("weather.json");
    let index = model.service_index(Some("Weather")).unwrap();
    assert_eq!(index.protocol(), Protocol::RestJson1);
    assert!(index.is_query_compatible());
    assert_eq!(
        index.aws_service().map(|aws| aws.sdk_id),
        Some("Weather".to_owned())
    );
    assert_eq!(index.auth_schemes().len(), 3);
    assert_eq!(index.shape().id, *index.id());
    assert!(std::ptr::eq(index.model(), &model));

    let legacy = load("legacy.json");
    let index = legacy.service_index(Some("example.legacy#Legacy")).unwrap();
    assert_eq!(
        index.protocol(),
        Protocol::AwsJson1_1,
        "awsJson1_1 outranks awsQuery"
    );
    assert!(!index.is_query_compatible());
    assert_eq!(index.operations().len(), 1);
}

fn service_with(traits: &[&str]) -> Model {
    let traits: Vec<String> = traits.iter().map(|id| format!(r#""{id}": {{}}"#)).collect();
    parse(&format!(
        r#"{{"smithy": "2.0", "shapes": {{"example.p#Svc": {{"type": "service", "traits": {{{}}}}}}}}}"#,
        traits.join(", ")
    ))
    .unwrap()
}

#[test]
fn each_protocol_is_recognised_alone() {
    for protocol in Protocol::PRIORITY {
        let model = service_with(&[protocol.trait_id()]);
        assert_eq!(model.service_index(None).unwrap().protocol(), protocol);
        assert_eq!(Protocol::from_name(protocol.name()), Some(protocol));
        assert_eq!(Protocol::from_name(protocol.trait_id()), Some(protocol));
        assert_eq!(protocol.to_string(), protocol.name());
    }
    assert_eq!(Protocol::from_name("awsJson2_0"), None);
    assert!(Protocol::RestXml.uses_http_bindings() && Protocol::RestJson1.uses_http_bindings());
    assert!(!Protocol::AwsQuery.uses_http_bindings() && !Protocol::RpcV2Cbor.uses_http_bindings());
}

#[test]
fn several_protocols_resolve_by_smithy_rs_priority() {
    let cases: [(&[&str], Protocol); 5] = [
        (
            &["aws.protocols#awsJson1_0", "smithy.protocols#rpcv2Cbor"],
            Protocol::RpcV2Cbor,
        ),
        (
            &["aws.protocols#awsJson1_1", "aws.protocols#awsJson1_0"],
            Protocol::AwsJson1_0,
        ),
        (
            &["aws.protocols#restJson1", "aws.protocols#awsJson1_1"],
            Protocol::AwsJson1_1,
        ),
        (
            &["aws.protocols#restXml", "aws.protocols#restJson1"],
            Protocol::RestJson1,
        ),
        (
            &[
                "aws.protocols#ec2Query",
                "aws.protocols#awsQuery",
                "aws.protocols#restXml",
            ],
            Protocol::RestXml,
        ),
    ];
    for (traits, expected) in cases {
        let model = service_with(traits);
        assert_eq!(
            model.service_index(None).unwrap().protocol(),
            expected,
            "{traits:?}"
        );
    }
    let model = service_with(&["aws.protocols#ec2Query", "aws.protocols#awsQuery"]);
    assert_eq!(
        model.service_index(None).unwrap().protocol(),
        Protocol::AwsQuery
    );
    // awsQueryCompatible modifies awsJson; it is not a protocol of its own.
    let model = service_with(&[
        "aws.protocols#awsQueryCompatible",
        "aws.protocols#awsJson1_0",
    ]);
    let index = model.service_index(None).unwrap();
    assert_eq!(index.protocol(), Protocol::AwsJson1_0);
    assert!(index.is_query_compatible());
}

#[test]
fn arc_region_switch_gets_an_rpcv2_cbor_client() {
    let model = Model::load(&models_dir().join("arc-region-switch.json")).unwrap();
    let index = model.service_index(None).unwrap();
    assert!(index.shape().traits.has("aws.protocols#awsJson1_0"));
    assert_eq!(index.protocol(), Protocol::RpcV2Cbor);
}

#[test]
fn a_service_with_only_unsupported_protocols_names_them() {
    let model = service_with(&[
        "aws.protocols#awsJson2_0",
        "aws.protocols#awsQueryCompatible",
    ]);
    let message = model.service_index(None).unwrap_err().to_string();
    assert!(
        message.contains("(found: aws.protocols#awsJson2_0)"),
        "{message}"
    );
    let model = service_with(&[]);
    let message = model.service_index(None).unwrap_err().to_string();
    assert!(message.contains("(found: none)"), "{message}");
}
