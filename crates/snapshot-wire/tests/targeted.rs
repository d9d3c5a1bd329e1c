//! Targeted response variants against the wire fixtures: which values each one nulls or
//! breaks (dense against `@sparse`, optional members only, each shape once per service), the
//! responses (one golden per JSON protocol) and their expectations.

mod common;

use std::collections::BTreeSet;

use common::*;
use insta::assert_snapshot;
use snapshot_model::{Model, ShapeId};
use snapshot_values::{Generator, Mode, Overrides, Value};
use snapshot_wire::{
    targeted_responses, Expectation, Malformation, ResponseVariant, TargetedResponse,
};

const TARGETED: [ResponseVariant; 5] = [
    ResponseVariant::NullNestedMembers,
    ResponseVariant::NullSparseEntries,
    ResponseVariant::Malformed(Malformation::NullInDense),
    ResponseVariant::Malformed(Malformation::NestedWrongType),
    ResponseVariant::Malformed(Malformation::CutInside),
];

fn max_output(model: &Model, operation: &str) -> Value {
    let index = model.service_index(None).unwrap();
    let operation = index.operation(operation).unwrap();
    let overrides = Overrides::builtin();
    Generator::new(model, &overrides)
        .generate(&operation.operation.output, Mode::Max)
        .unwrap()
}

/// The cases of `variant` for `operation`, with the shapes reached so far in `reached`.
fn cases(
    model: &Model,
    operation: &str,
    variant: ResponseVariant,
    reached: &mut BTreeSet<ShapeId>,
) -> Vec<TargetedResponse> {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    let base = max_output(model, operation);
    targeted_responses(&index, op, variant, &base, reached).unwrap()
}

fn paths(cases: &[TargetedResponse]) -> Vec<Vec<String>> {
    cases
        .iter()
        .map(|case| {
            case.targets
                .iter()
                .map(|target| target.path.to_string())
                .collect()
        })
        .collect()
}

/// One golden text: each case's variant, targets, expectation and body as sent.
fn render_cases(model: &Model, operation: &str) -> String {
    let mut text = String::new();
    for variant in TARGETED {
        for case in cases(model, operation, variant, &mut BTreeSet::new()) {
            let targets: Vec<String> = case
                .targets
                .iter()
                .map(|target| format!("{} ({})", target.path, target.shape))
                .collect();
            let expectation = match &case.response.expectation {
                Expectation::Output(_) => "output",
                Expectation::Rejected => "rejected",
                _ => "other",
            };
            let body = match &case.response.response.body {
                snapshot_records::Body::Bytes { data } => {
                    String::from_utf8_lossy(data).into_owned()
                }
                _ => "(not bytes)".to_owned(),
            };
            text.push_str(&format!(
                "==== {} at {} ({expectation}) ====\n{body}\n",
                variant.name(),
                targets.join(", ")
            ));
        }
    }
    text
}

#[test]
fn aws_json_targeted_cases() {
    let model = fixture("aws-json1_0.json");
    assert_snapshot!("aws_json_targeted", render_cases(&model, "DescribeItem"));
}

#[test]
fn rest_json1_targeted_cases() {
    let model = fixture("rest-json1.json");
    assert_snapshot!("rest_json1_targeted", render_cases(&model, "GetWidget"));
}

#[test]
fn dense_collections_are_rejected_and_sparse_ones_keep_their_nulls() {
    let model = fixture("aws-json1_0.json");
    let dense = cases(
        &model,
        "DescribeItem",
        ResponseVariant::Malformed(Malformation::NullInDense),
        &mut BTreeSet::new(),
    );
    assert_eq!(
        paths(&dense),
        [
            vec!["DescribeItemOutput.Tags"],
            vec!["DescribeItemOutput.Attributes"]
        ]
    );
    assert!(dense
        .iter()
        .all(|case| case.response.expectation == Expectation::Rejected));
    let sparse = cases(
        &model,
        "DescribeItem",
        ResponseVariant::NullSparseEntries,
        &mut BTreeSet::new(),
    );
    assert_eq!(
        paths(&sparse),
        [vec![
            "DescribeItemOutput.Sparse",
            "DescribeItemOutput.SparseAttributes"
        ]],
        "the client accepts every sparse null, so one case carries them all"
    );
    let Expectation::Output(Value::Structure { members, .. }) = &sparse[0].response.expectation
    else {
        panic!("a sparse null is read as an output");
    };
    let kept = members.iter().find(|(name, _)| name == "Sparse").unwrap();
    assert!(matches!(&kept.1, Value::List(items) if items.last() == Some(&Value::Null)));
}

#[test]
fn nested_nulls_are_expected_absent() {
    let model = fixture("aws-json1_0.json");
    let nulls = cases(
        &model,
        "DescribeItem",
        ResponseVariant::NullNestedMembers,
        &mut BTreeSet::new(),
    );
    let case = &nulls[0];
    let Expectation::Output(Value::Structure { members, .. }) = &case.response.expectation else {
        panic!("a null member is read as an output");
    };
    for target in &case.targets {
        let name = target.path.as_str().rsplit('.').next().unwrap();
        assert!(
            members.iter().all(|(member, _)| member != name),
            "{name} is sent as null, so the client must read it as absent"
        );
    }
    let snapshot_records::Body::Bytes { data } = &case.response.response.body else {
        panic!("a document body");
    };
    let body: serde_json::Value = serde_json::from_slice(data).unwrap();
    assert!(body["Details"].is_null() && body.get("Details").is_some());
}

#[test]
fn each_shape_is_reached_once_per_service() {
    let model = fixture("aws-json1_0.json");
    let mut reached = BTreeSet::new();
    let variant = ResponseVariant::Malformed(Malformation::NestedWrongType);
    let first = cases(&model, "DescribeItem", variant, &mut reached);
    assert!(!first.is_empty());
    assert!(
        cases(&model, "DescribeItem", variant, &mut reached).is_empty(),
        "an operation reaching only shapes reached before adds no case"
    );
}

#[test]
fn a_cut_body_ends_after_a_complete_value_inside_its_object() {
    let model = fixture("aws-json1_0.json");
    let cut = cases(
        &model,
        "DescribeItem",
        ResponseVariant::Malformed(Malformation::CutInside),
        &mut BTreeSet::new(),
    );
    assert!(!cut.is_empty());
    for case in &cut {
        let snapshot_records::Body::Bytes { data } = &case.response.response.body else {
            panic!("a document body");
        };
        let text = std::str::from_utf8(data).unwrap();
        assert!(
            !text.contains("SnapshotCutHere") && !text.ends_with(','),
            "{text}"
        );
        assert!(serde_json::from_slice::<serde_json::Value>(data).is_err());
        assert_eq!(case.response.expectation, Expectation::Rejected);
    }
}

#[test]
fn xml_protocols_offer_no_targeted_variant() {
    let model = fixture("rest-xml.json");
    for variant in TARGETED {
        assert!(cases(&model, "GetCatalog", variant, &mut BTreeSet::new()).is_empty());
    }
}
