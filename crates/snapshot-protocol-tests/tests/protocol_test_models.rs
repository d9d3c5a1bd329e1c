//! Every client-side test of the protocol-test models `cargo xtask codegen` builds: selected
//! for the client's protocol, its params turned into a value of the shape they are for, its
//! vendor params into client settings and its response into a record to replay.
//! The per-service counts are snapshotted, so a new Smithy release's tests show up in review.

use std::fmt::Write;

use snapshot_model::ShapeKind;
use snapshot_protocol_tests::test_util::protocol_test_models;
use snapshot_protocol_tests::{params_value, ClientSettings, ResponseTarget, ServiceTests};

#[test]
fn every_client_test_is_selected_and_its_params_fit_their_shape() {
    let mut table = String::new();
    let mut failures = Vec::new();
    for (file, model) in protocol_test_models() {
        for service in model.services() {
            let index = model.service_index(Some(service.as_str())).unwrap();
            let tests = ServiceTests::of(&index).unwrap();
            let mut skipped = std::collections::BTreeMap::<String, usize>::new();
            let (mut requests, mut responses) = (0, 0);
            for (operation, selected) in &tests.requests {
                if let Some(reason) = &selected.skip {
                    *skipped.entry(reason.to_string()).or_default() += 1;
                    continue;
                }
                requests += 1;
                if let Err(unsupported) =
                    ClientSettings::from_vendor_params(&selected.test.vendor_params)
                {
                    failures.push(format!("{}: {unsupported}", selected.test.id));
                }
                let ShapeKind::Operation(shape) = &model.shape(operation).unwrap().kind else {
                    panic!("{operation} is not an operation");
                };
                if let Err(error) = params_value(
                    &model,
                    &shape.input,
                    &selected.test.params,
                    &selected.test.id,
                ) {
                    failures.push(error.to_string());
                }
            }
            for (target, selected) in &tests.responses {
                if let Some(reason) = &selected.skip {
                    *skipped.entry(reason.to_string()).or_default() += 1;
                    continue;
                }
                responses += 1;
                if let Err(error) = selected.test.response() {
                    failures.push(error.to_string());
                }
                let shape = match target {
                    ResponseTarget::Output { operation } => {
                        let ShapeKind::Operation(shape) = &model.shape(operation).unwrap().kind
                        else {
                            panic!("{operation} is not an operation");
                        };
                        shape.output.clone()
                    }
                    ResponseTarget::Error { error } => error.clone(),
                };
                if let Err(error) =
                    params_value(&model, &shape, &selected.test.params, &selected.test.id)
                {
                    failures.push(error.to_string());
                }
            }
            let skipped: Vec<String> = skipped
                .iter()
                .map(|(reason, n)| format!("{n} ({reason})"))
                .collect();
            writeln!(
                table,
                "{file}: {service}: {requests} request tests, {responses} response tests; skipped: {}",
                if skipped.is_empty() { "none".to_owned() } else { skipped.join(", ") }
            )
            .unwrap();
        }
    }
    assert!(
        failures.is_empty(),
        "params that do not fit:\n{}",
        failures.join("\n")
    );
    insta::assert_snapshot!(table);
}
