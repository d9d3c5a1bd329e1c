//! Values the endpoint rules accept: members bound to rule-set parameters get values with
//! which the rules resolve to an endpoint. On `fixtures/values/endpoint-rules.json` (a
//! host-label check, an ARN check with a resource-type condition, a boolean from
//! `staticContextParams`, a nested `operationContextParams` path), on the trimmed SESv2 case
//! and on every real model.

mod common;

use snapshot_corpus::{load_corpus, models_dir};
use snapshot_model::{Model, Shape};
use snapshot_values::endpoint::{EndpointFit, Resolution};
use snapshot_values::{Generator, Mode, Overrides, Value};

use common::{fixture, member};

fn rules_fixture() -> Model {
    fixture("endpoint-rules.json")
}

fn operation<'m>(model: &'m Model, name: &str) -> &'m Shape {
    model
        .shape(&format!("example.rules#{name}").parse().unwrap())
        .unwrap()
}

/// The input of `name` in `mode` as generated (no rules) and as fitted, with the fit.
fn fitted(model: &Model, name: &str, mode: Mode) -> (Value, Value, EndpointFit) {
    let overrides = Overrides::builtin();
    let index = model.service_index(None).unwrap();
    let plain = Generator::new(model, &overrides)
        .generate_input(operation(model, name), mode)
        .unwrap();
    let generator = Generator::new(model, &overrides).with_endpoint_rules(index.shape());
    let input = generator
        .generate_input(operation(model, name), mode)
        .unwrap();
    let mut again = plain.clone();
    let fit = generator
        .fit_endpoint(operation(model, name), &mut again)
        .unwrap();
    assert_eq!(again, input, "generate_input fits the same way");
    (plain, input, fit)
}

fn resolved(url: &str, changed: &[&str]) -> EndpointFit {
    EndpointFit::Resolved {
        url: url.to_owned(),
        changed: changed.iter().map(|name| (*name).to_owned()).collect(),
    }
}

#[test]
fn a_host_label_parameter_gets_a_valid_host_label() {
    let model = rules_fixture();
    let (plain, input, fit) = fitted(&model, "SendMessage", Mode::Max);
    assert_eq!(
        member(&plain, "EndpointId"),
        &Value::String("__EndpointId__".into())
    );
    assert_eq!(
        member(&input, "EndpointId"),
        &Value::String("endpointid".into())
    );
    assert_eq!(
        fit,
        resolved(
            "https://endpointid.endpoints.example.amazonaws.com",
            &["EndpointId"]
        )
    );
    assert_eq!(member(&input, "Body"), member(&plain, "Body"));
}

#[test]
fn an_arn_parameter_gets_an_arn_of_the_service_and_resource_type_the_rules_expect() {
    let model = rules_fixture();
    let (_, input, fit) = fitted(&model, "DescribeStream", Mode::Max);
    assert_eq!(
        member(&input, "StreamARN"),
        &Value::String("arn:aws:example:us-east-1:123456789012:stream/streamarn".into())
    );
    assert_eq!(
        fit,
        resolved(
            "https://123456789012.streams.us-east-1.amazonaws.com",
            &["StreamARN"]
        )
    );
}

#[test]
fn a_static_boolean_parameter_steers_the_rules_and_a_bound_boolean_is_fitted() {
    let model = rules_fixture();
    // max: Accelerate = false, which the direct endpoint allows: nothing changes.
    let (plain, input, fit) = fitted(&model, "PutDirect", Mode::Max);
    assert_eq!(input, plain);
    assert_eq!(
        fit,
        resolved("https://direct.example.us-east-1.amazonaws.com", &[])
    );
    // edge: Accelerate = true, which the rules reject with Direct = true: it becomes false.
    let (plain, input, fit) = fitted(&model, "PutDirect", Mode::Edge);
    assert_eq!(member(&plain, "Accelerate"), &Value::Boolean(true));
    assert_eq!(member(&input, "Accelerate"), &Value::Boolean(false));
    assert_eq!(
        fit,
        resolved(
            "https://direct.example.us-east-1.amazonaws.com",
            &["Accelerate"]
        )
    );
}

#[test]
fn an_operation_context_path_is_fitted_in_the_nested_member() {
    let model = rules_fixture();
    let (_, input, fit) = fitted(&model, "GetTable", Mode::Max);
    assert_eq!(
        member(member(&input, "Table"), "Name"),
        &Value::String("name".into())
    );
    assert_eq!(
        fit,
        resolved(
            "https://name.tables.us-east-1.amazonaws.com",
            &["Table.Name"]
        )
    );
}

#[test]
fn an_unset_member_leaves_its_parameter_unset() {
    let model = rules_fixture();
    let (plain, input, fit) = fitted(&model, "DescribeStream", Mode::Min);
    assert_eq!(input, plain);
    assert_eq!(
        fit,
        resolved("https://example.us-east-1.amazonaws.com", &[])
    );
}

#[test]
fn every_variant_of_every_fixture_operation_resolves() {
    let model = rules_fixture();
    for name in ["SendMessage", "DescribeStream", "PutDirect", "GetTable"] {
        for mode in Mode::ALL {
            let (_, _, fit) = fitted(&model, name, mode);
            assert!(
                matches!(fit, EndpointFit::Resolved { .. }),
                "{name} {mode}: {fit:?}"
            );
        }
    }
}

#[test]
fn rules_no_value_satisfies_leave_the_generated_value_and_say_why() {
    let model = Model::from_json(
        br#"{"smithy": "2.0", "shapes": {
            "a.b#S": {"type": "service", "version": "1", "operations": [{"target": "a.b#Op"}],
                "traits": {"aws.protocols#awsJson1_0": {}, "smithy.rules#endpointRuleSet": {
                    "version": "1.0",
                    "parameters": {
                        "Region": {"type": "String", "builtIn": "AWS::Region"},
                        "Name": {"type": "String"}},
                    "rules": [
                        {"type": "endpoint", "conditions": [
                            {"fn": "stringEquals", "argv": [{"ref": "Region"}, "eu-west-1"]}],
                         "endpoint": {"url": "https://{Name}.example.com"}},
                        {"type": "error", "conditions": [], "error": "only eu-west-1 is served"}]}}},
            "a.b#Op": {"type": "operation", "input": {"target": "a.b#OpInput"}},
            "a.b#OpInput": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String",
                    "traits": {"smithy.rules#contextParam": {"name": "Name"}}}}}}}"#,
        std::path::Path::new("inline.json"),
    )
    .unwrap();
    let overrides = Overrides::builtin();
    let index = model.service_index(None).unwrap();
    let generator = Generator::new(&model, &overrides).with_endpoint_rules(index.shape());
    let op = model.shape(&"a.b#Op".parse().unwrap()).unwrap();
    let mut input = generator.generate_input(op, Mode::Max).unwrap();
    assert_eq!(member(&input, "Name"), &Value::String("__Name__".into()));
    assert_eq!(
        generator.fit_endpoint(op, &mut input),
        Some(EndpointFit::Unresolved {
            reason: "only eu-west-1 is served".into()
        })
    );
}

/// The models of the corpus and the trimmed SESv2 case (`../shared/cases`, next to the models).
fn real_models() -> Vec<(String, Model)> {
    let mut models: Vec<(String, Model)> = load_corpus()
        .map(|corpus| (corpus.file_name, corpus.model))
        .collect();
    let case = models_dir().join("../cases/sesv2-send-email.json");
    let model = Model::load(&case).unwrap_or_else(|error| panic!("{error}"));
    models.push(("sesv2-send-email.json".into(), model));
    models
}

#[test]
fn every_input_of_every_real_model_resolves_an_endpoint() {
    let overrides = Overrides::builtin();
    let mut rejected_before = std::collections::BTreeMap::new();
    for (file, model) in real_models() {
        let index = model.service_index(None).unwrap();
        let plain = Generator::new(&model, &overrides);
        let generator = Generator::new(&model, &overrides).with_endpoint_rules(index.shape());
        let rules = generator
            .endpoint_rules()
            .expect("every real model has rules");
        for operation in index.operations() {
            for mode in Mode::ALL {
                let generated = plain.generate_input(operation.shape, mode).unwrap();
                if let Resolution::Error(_) = rules.resolve(&model, operation.shape, &generated) {
                    *rejected_before.entry(file.clone()).or_insert(0) += 1;
                }
                let input = generator.generate_input(operation.shape, mode).unwrap();
                let resolution = rules.resolve(&model, operation.shape, &input);
                assert!(
                    matches!(resolution, Resolution::Endpoint(_)),
                    "{file} {} {mode}: {resolution:?}",
                    operation.name()
                );
            }
        }
    }
    println!("inputs the rules rejected before fitting: {rejected_before:?}");
    assert_eq!(rejected_before.get("kinesis.json"), Some(&74));
    assert_eq!(rejected_before.get("sesv2-send-email.json"), Some(&2));
}

#[test]
fn kinesis_and_sesv2_get_their_real_endpoints() {
    let overrides = Overrides::builtin();
    let expectations = [
        (
            "kinesis.json",
            "DescribeStream",
            "StreamARN",
            "arn:aws:kinesis:us-east-1:123456789012:stream/streamarn",
            "https://123456789012.control-kinesis.us-east-1.amazonaws.com",
        ),
        (
            "kinesis.json",
            "SubscribeToShard",
            "ConsumerARN",
            "arn:aws:kinesis:us-east-1:123456789012:stream/consumerarn",
            "https://123456789012.data-kinesis.us-east-1.amazonaws.com",
        ),
        (
            "sesv2-send-email.json",
            "SendEmail",
            "EndpointId",
            "endpointid",
            "https://endpointid.endpoints.email.amazonaws.com",
        ),
    ];
    let models = real_models();
    for (file, operation, member_name, value, url) in expectations {
        let (_, model) = models.iter().find(|(name, _)| name == file).unwrap();
        let index = model.service_index(None).unwrap();
        let generator = Generator::new(model, &overrides).with_endpoint_rules(index.shape());
        let op = index.operation(operation).unwrap();
        let input = generator.generate_input(op.shape, Mode::Max).unwrap();
        assert_eq!(member(&input, member_name), &Value::String(value.into()));
        assert_eq!(
            generator
                .endpoint_rules()
                .unwrap()
                .resolve(model, op.shape, &input),
            Resolution::Endpoint(url.into())
        );
    }
}
