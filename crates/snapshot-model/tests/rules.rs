//! Endpoint rule sets and the traits that bind rule parameters, read from
//! `fixtures/values/endpoint-rules.json` (shared with the value generator's endpoint tests)
//! and from every real model.

mod common;

use std::path::Path;

use common::{member, parse, shape};
use snapshot_corpus::load_corpus;
use snapshot_model::rules::{
    AttrPath, AttrStep, ContextPath, Expr, Function, ParameterType, PathStep, RuleKind, RuleValue,
    TemplatePart,
};
use snapshot_model::traits::ContextParam;
use snapshot_model::Model;

const R: &str = "example.rules#";

fn load(name: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/values")
        .join(name);
    Model::load(&path).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn id(name: &str) -> String {
    format!("{R}{name}")
}

#[test]
fn context_param_names_the_rule_parameter() {
    let model = load("endpoint-rules.json");
    assert_eq!(
        member(&model, &id("SendMessageInput"), "EndpointId")
            .traits
            .context_param(),
        Some(ContextParam {
            name: "EndpointId".into()
        })
    );
    assert_eq!(
        member(&model, &id("SendMessageInput"), "Body")
            .traits
            .context_param(),
        None
    );
}

#[test]
fn static_and_operation_context_params() {
    let model = load("endpoint-rules.json");
    let statics = shape(&model, &id("PutDirect"))
        .traits
        .static_context_params();
    assert_eq!(
        statics.into_iter().collect::<Vec<_>>(),
        vec![("Direct".to_owned(), RuleValue::Boolean(true))]
    );
    assert!(shape(&model, &id("SendMessage"))
        .traits
        .static_context_params()
        .is_empty());
    let params = shape(&model, &id("GetTable"))
        .traits
        .operation_context_params();
    assert_eq!(params.len(), 1);
    assert_eq!(params[0].name, "TableName");
    assert_eq!(
        params[0].path,
        ContextPath::Steps(vec![
            PathStep::Field("Table".into()),
            PathStep::Field("Name".into())
        ])
    );
    assert_eq!(
        shape(&model, &id("RulesService"))
            .traits
            .client_context_params(),
        vec!["UsePrefix".to_owned()]
    );
}

#[test]
fn rule_set_parameters_and_rules_are_typed() {
    let model = load("endpoint-rules.json");
    let rules = shape(&model, &id("RulesService"))
        .traits
        .endpoint_rule_set()
        .expect("the service has a rule set");
    let region = &rules.parameters["Region"];
    assert_eq!(region.kind, ParameterType::String);
    assert_eq!(region.built_in.as_deref(), Some("AWS::Region"));
    assert!(!region.required);
    let fips = &rules.parameters["UseFIPS"];
    assert_eq!(fips.kind, ParameterType::Boolean);
    assert_eq!(fips.default, Some(RuleValue::Boolean(false)));
    assert_eq!(rules.rules.len(), 6);
    // The second rule: a tree guarded by isSet/partition with a host-label endpoint inside.
    let tree = &rules.rules[1];
    assert_eq!(
        tree.conditions[2].assign.as_deref(),
        Some("PartitionResult")
    );
    let Expr::Call(call) = &tree.conditions[2].expr else {
        panic!("a call")
    };
    assert_eq!(call.function, Function::Partition);
    let RuleKind::Tree(inner) = &tree.kind else {
        panic!("a tree")
    };
    let RuleKind::Endpoint(endpoint) = &inner[0].kind else {
        panic!("an endpoint")
    };
    let Expr::String(url) = &endpoint.url else {
        panic!("a template")
    };
    assert_eq!(
        url.parts[1],
        TemplatePart::Ref("EndpointId".into()),
        "{url:?}"
    );
    assert_eq!(
        url.parts[3],
        TemplatePart::Attr {
            reference: "PartitionResult".into(),
            path: AttrPath(vec![AttrStep::Key("dnsSuffix".into())])
        }
    );
    // getAttr with an index, as a condition that assigns.
    let RuleKind::Tree(arn_rules) = &rules.rules[2].kind else {
        panic!("a tree")
    };
    let RuleKind::Tree(arn_checks) = &arn_rules[0].kind else {
        panic!("a tree")
    };
    let resource_type = &arn_checks[0].conditions[3];
    assert_eq!(resource_type.assign.as_deref(), Some("arnType"));
    assert!(matches!(
        &resource_type.expr,
        Expr::GetAttr { path, .. } if path.0 == vec![AttrStep::Key("resourceId".into()), AttrStep::Index(0)]
    ));
}

#[test]
fn endpoint_auth_schemes_are_collected_from_every_endpoint() {
    let corpus: Vec<_> = load_corpus().collect();
    let schemes = |file: &str| {
        let model = &corpus.iter().find(|c| c.file_name == file).unwrap().model;
        let index = model.service_index(None).unwrap();
        index
            .shape()
            .traits
            .endpoint_rule_set()
            .unwrap()
            .endpoint_auth_schemes()
    };
    let s3 = schemes("s3.json");
    assert!(s3.contains("sigv4a") && s3.contains("sigv4"), "{s3:?}");
    assert!(schemes("kinesis.json").is_empty());
}

#[test]
fn a_malformed_rule_set_is_a_model_error_naming_the_trait() {
    let error = parse(
        r#"{"smithy": "2.0", "shapes": {"a.b#S": {"type": "service", "version": "1",
            "traits": {"smithy.rules#endpointRuleSet": {"version": "1.0",
                "parameters": {"Region": {"type": "Integer"}}, "rules": []}}}}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("smithy.rules#endpointRuleSet"), "{error}");
    assert!(error.contains("parameter `Region`"), "{error}");
}

#[test]
fn every_real_rule_set_reads() {
    let mut with_rules = 0;
    let mut unknown = Vec::new();
    for corpus in load_corpus() {
        let index = corpus.model.service_index(None).unwrap();
        let Some(rules) = index.shape().traits.endpoint_rule_set() else {
            continue;
        };
        with_rules += 1;
        let mut pending: Vec<_> = rules.rules.iter().collect();
        while let Some(rule) = pending.pop() {
            for condition in &rule.conditions {
                if let Expr::Call(call) = &condition.expr {
                    if let Function::Other(name) = &call.function {
                        unknown.push(format!("{}: {name}", corpus.file_name));
                    }
                }
            }
            if let RuleKind::Tree(children) = &rule.kind {
                pending.extend(children);
            }
        }
        for operation in index.operations() {
            for param in operation.shape.traits.operation_context_params() {
                assert!(
                    !matches!(param.path, ContextPath::Unsupported(_)),
                    "{}: {:?}",
                    corpus.file_name,
                    param.path
                );
            }
        }
    }
    assert_eq!(
        with_rules, 28,
        "every corpus service has an endpoint rule set"
    );
    assert!(unknown.is_empty(), "unknown functions: {unknown:?}");
}
