//! The response tests as an oracle for cargo-snapshot's own server-side serializers
//! (`snapshot-wire`): each client-side response test's `params` serialized as the protocol's
//! server would, then checked against the test's wire form (status, the test's headers, the
//! body by media type). The per-service counts and every disagreement are snapshotted: a
//! change in either shows up in review, and each disagreement is explained in the snapshot's
//! review (a bug in ours, or a test whose wire form is one of several valid ones).

use std::fmt::Write;

use snapshot_model::{ServiceIndex, ShapeId, ShapeKind};
use snapshot_protocol_tests::test_util::protocol_test_models;
use snapshot_protocol_tests::{check_response, params_value, ResponseTarget, ServiceTests};
use snapshot_records::HttpResponse;

/// Our serializer's response for a response test's target and value.
fn serialize(
    index: &ServiceIndex<'_>,
    target: &ResponseTarget,
    value: &snapshot_values::Value,
) -> Result<HttpResponse, String> {
    match target {
        ResponseTarget::Output { operation } => {
            let operation = index
                .operation(operation.name())
                .ok_or("operation not in the service")?;
            snapshot_wire::output_response(index, operation, value)
                .map_err(|error| error.to_string())
        }
        ResponseTarget::Error { error } => {
            let operation = index
                .operations()
                .iter()
                .find(|operation| index.operation_errors(operation).contains(error))
                .ok_or("no operation declares the error")?;
            snapshot_wire::error_response(index, *operation, error, value)
                .map_err(|error| error.to_string())
        }
    }
}

fn shape_of(index: &ServiceIndex<'_>, target: &ResponseTarget) -> ShapeId {
    match target {
        ResponseTarget::Output { operation } => {
            match &index.model().shape(operation).map(|shape| &shape.kind) {
                Some(ShapeKind::Operation(operation)) => operation.output.clone(),
                _ => panic!("{operation} is not an operation"),
            }
        }
        ResponseTarget::Error { error } => error.clone(),
    }
}

#[test]
fn our_serializers_against_the_response_tests() {
    let mut summary = String::new();
    let mut disagreements = String::new();
    let (mut total_agree, mut total_tests) = (0, 0);
    for (file, model) in protocol_test_models() {
        for service in model.services() {
            let index = model.service_index(Some(service.as_str())).unwrap();
            let tests = ServiceTests::of(&index).unwrap();
            let (mut agree, mut run) = (0, 0);
            for (target, selected) in &tests.responses {
                if selected.skip.is_some() {
                    continue;
                }
                run += 1;
                let test = &selected.test;
                let value = params_value(&model, &shape_of(&index, target), &test.params, &test.id)
                    .unwrap();
                let found = match serialize(&index, target, &value) {
                    Ok(response) => check_response(test, &response)
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    Err(error) => vec![format!("not serialized: {error}")],
                };
                if found.is_empty() {
                    agree += 1;
                } else {
                    writeln!(disagreements, "{file} {}:", test.id).unwrap();
                    for mismatch in found {
                        writeln!(disagreements, "  {mismatch}").unwrap();
                    }
                }
            }
            writeln!(summary, "{file}: {agree}/{run} response tests agree").unwrap();
            total_agree += agree;
            total_tests += run;
        }
    }
    writeln!(summary, "total: {total_agree}/{total_tests}").unwrap();
    insta::assert_snapshot!("summary", summary);
    insta::assert_snapshot!("disagreements", disagreements);
}
