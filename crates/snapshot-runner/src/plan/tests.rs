//! The plan of the hand-written weather model: which operation carries which error, what a
//! skip does, and how error replays are re-homed when operations are dropped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use snapshot_codegen::{ClientCrate, ClientSource};
use snapshot_model::Model;
use snapshot_records::{Case, InputVariant};
use snapshot_values::{Overrides, Value};

use super::errors::{
    drop_operations, FRONT_END_ERROR_SNAPSHOT, UNCODED_ERROR_SNAPSHOT, UNMODELED_ERROR_SNAPSHOT,
};
use super::{plan_service, ServicePlan};
use crate::report::{DriftCase, Expect, Stage};
use crate::{LockMode, LockOptions, RunMode, RunOptions, ServiceTarget, Skip};

fn weather_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/models/weather.json")
}

fn weather() -> Model {
    let mut model = Model::load(&weather_path()).unwrap();
    model.apply_client_customizations();
    model
}

fn target(skips: Vec<Skip>) -> ServiceTarget {
    ServiceTarget {
        name: "weather".into(),
        model: weather_path(),
        service_shape: None,
        client: ClientCrate {
            package: "weather-client".into(),
            source: ClientSource::Registry {
                version: "=1.0.0".into(),
            },
        },
        skips,
    }
}

fn options(operations: &[&str]) -> RunOptions {
    RunOptions {
        workspace_root: PathBuf::from("/ws"),
        snapshot_dir: PathBuf::from("/ws/snapshots"),
        work_dir: PathBuf::from("/ws/target/cargo-snapshot"),
        build_target_dir: PathBuf::from("/ws/target/cargo-snapshot/target"),
        services: Vec::new(),
        operations: operations.iter().map(|name| (*name).to_owned()).collect(),
        overrides: Overrides::builtin(),
        mode: RunMode::Write,
        case_timeout: Duration::from_secs(1),
        endpoint: None,
        partition: None,
        lock: LockOptions::new(LockMode::Record),
    }
}

/// Error names by the operation carrying their full snapshots, in plan order.
fn carriers(plan: &ServicePlan<'_>) -> Vec<(String, Vec<String>)> {
    plan.operations
        .iter()
        .filter_map(|planned| {
            let names: Vec<String> = planned
                .errors
                .iter()
                .filter(|error| error.carrier)
                .map(|error| error.name.clone())
                .collect();
            (!names.is_empty()).then(|| (planned.name().to_owned(), names))
        })
        .collect()
}

/// The errors `operation` replays, in order.
fn replayed(plan: &ServicePlan<'_>, operation: &str) -> Vec<String> {
    plan.operations
        .iter()
        .find(|planned| planned.name() == operation)
        .map(|planned| {
            planned
                .errors
                .iter()
                .map(|error| error.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn owned(pairs: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    pairs
        .iter()
        .map(|(operation, errors)| {
            let errors = errors.iter().map(|name| (*name).to_owned()).collect();
            ((*operation).to_owned(), errors)
        })
        .collect()
}

#[test]
fn every_operation_replays_each_error_it_declares_then_the_generic_ones() {
    let model = weather();
    let target = target(Vec::new());
    let plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    // Its own errors, then the service's, then the unmodeled, uncoded (restJson1 can send an
    // error without a code) and front-end errors.
    assert_eq!(
        replayed(&plan, "PutReport"),
        [
            "NoSuchCity",
            "Throttled",
            "ServiceUnavailable",
            UNMODELED_ERROR_SNAPSHOT,
            UNCODED_ERROR_SNAPSHOT,
            FRONT_END_ERROR_SNAPSHOT
        ]
    );
    assert_eq!(
        replayed(&plan, "Ping"),
        [
            "ServiceUnavailable",
            UNMODELED_ERROR_SNAPSHOT,
            UNCODED_ERROR_SNAPSHOT,
            FRONT_END_ERROR_SNAPSHOT
        ]
    );
    // Each replay is the error response the protocol writes for that operation.
    let get_city = plan.index.operation("GetCity").unwrap();
    let shape = plan.index.operation_errors(&get_city)[0].clone();
    let replay = error_replay(&plan, "GetCity", "NoSuchCity");
    let expected = snapshot_wire::error_response(
        &plan.index,
        get_city,
        &shape,
        replay.value.as_ref().unwrap(),
    )
    .unwrap();
    assert_eq!(replay.response, expected);
    let pairs: usize = plan
        .operations
        .iter()
        .map(|planned| plan.index.operation_errors(&planned.operation).len())
        .sum();
    let declared: usize = plan
        .operations
        .iter()
        .map(|planned| {
            planned
                .errors
                .iter()
                .filter(|error| error.replay.value.is_some())
                .count()
        })
        .sum();
    assert_eq!(declared, pairs);
}

#[test]
fn each_error_shape_rides_on_the_first_operation_that_declares_it() {
    let model = weather();
    let target = target(Vec::new());
    let plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    assert_eq!(
        plan.report.operations_in_scope,
        plan.report.operations_total
    );
    assert_eq!(plan.operations.len(), plan.report.operations_total);
    // The service error goes with the first operation, like the generic errors.
    assert_eq!(
        carriers(&plan),
        owned(&[
            (
                "CreateCity",
                &[
                    "ServiceUnavailable",
                    UNMODELED_ERROR_SNAPSHOT,
                    UNCODED_ERROR_SNAPSHOT,
                    FRONT_END_ERROR_SNAPSHOT
                ]
            ),
            ("GetAlert", &["NoSuchCity"]),
            ("PutReport", &["Throttled"]),
        ])
    );
    let names: Vec<&str> = plan.error_names.iter().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "NoSuchCity",
            "ServiceUnavailable",
            "Throttled",
            FRONT_END_ERROR_SNAPSHOT,
            UNCODED_ERROR_SNAPSHOT,
            UNMODELED_ERROR_SNAPSHOT
        ]
    );
}

#[test]
fn every_operation_replays_min_and_max_and_its_request_replays_the_last_response() {
    let model = weather();
    let target = target(Vec::new());
    let plan = plan_service(&options(&["GetCity"]), &target, &model, None).unwrap();
    assert_eq!(plan.report.operations_in_scope, 1);
    let planned = &plan.operations[0];
    let titles: Vec<&str> = planned.responses.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["min", "max"]);
    let cases = plan.cases();
    assert_eq!(
        cases[0].case,
        Case::Request {
            variant: InputVariant::Max
        }
    );
    assert_eq!(
        cases[0].response.as_ref(),
        Some(&planned.responses[1].response)
    );
    let kinds: Vec<&Case> = cases.iter().map(|case| &case.case).collect();
    assert_eq!(
        kinds.len(),
        planned.input_variants().len()
            + 2
            + planned.response_variants.len()
            + planned
                .errors
                .iter()
                .map(|error| 1 + error.forms.len())
                .sum::<usize>()
    );
    assert!(cases.iter().all(|case| case.operation == "GetCity"));
}

#[test]
fn response_variants_are_cases_named_after_them_with_what_the_client_must_give_back() {
    let model = weather();
    let target = target(Vec::new());
    let plan = plan_service(&options(&["GetCity"]), &target, &model, None).unwrap();
    let planned = &plan.operations[0];
    let names: Vec<&str> = planned
        .response_variants
        .iter()
        .map(|variant| variant.variant.name())
        .collect();
    assert!(names.contains(&"unknown_members"), "{names:?}");
    assert!(names.contains(&"malformed_truncated"), "{names:?}");
    let cases = plan.cases();
    for variant in &planned.response_variants {
        let Case::Response { mode } = &variant.replay.case else {
            panic!("{:?} is no response case", variant.replay.case);
        };
        if variant.targets.is_empty() {
            assert_eq!(mode.variant.as_str(), variant.variant.name());
        } else {
            // A targeted case is named after its variant and the values it changes.
            let paths: Vec<&str> = variant.targets.iter().map(|t| t.path.as_str()).collect();
            let name = format!("{} at {}", variant.variant.name(), paths.join(", "));
            assert_eq!(mode.variant.as_str(), name);
        }
        assert!(cases.iter().any(|case| case.case == variant.replay.case
            && case.response.as_ref() == Some(&variant.replay.response)));
        // A value to check exactly when the client must give back an output.
        assert_eq!(
            variant.replay.expected.is_some(),
            variant.expect == Expect::Output,
            "{}",
            variant.variant.name()
        );
    }
    let unknown = &planned.response_variants[names
        .iter()
        .position(|name| *name == "unknown_members")
        .unwrap()];
    assert!(unknown.same_as_base);
    assert_eq!(unknown.replay.value, planned.responses[1].value);
    let truncated = planned
        .response_variants
        .iter()
        .find(|variant| variant.variant.name() == "malformed_truncated")
        .unwrap();
    assert_eq!(truncated.expect, Expect::Rejected);
    assert_ne!(truncated.replay.response, planned.responses[1].response);
}

#[test]
fn targeted_variants_reach_each_shape_once_per_service() {
    let model = weather();
    let target = target(Vec::new());
    let plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for planned in &plan.operations {
        for variant in planned.response_variants.iter() {
            for target in &variant.targets {
                assert!(
                    seen.insert((variant.variant, target.shape.clone())),
                    "{} reaches {} a second time through {}",
                    variant.variant.name(),
                    target.shape,
                    planned.name()
                );
            }
        }
    }
    assert!(!seen.is_empty());
}

#[test]
fn each_distinct_input_variant_is_a_request_case_after_max() {
    let model = weather();
    let target = target(Vec::new());
    let plan = plan_service(&options(&["CreateCity"]), &target, &model, None).unwrap();
    let planned = &plan.operations[0];
    assert_eq!(
        planned.input_variants(),
        [InputVariant::Max, InputVariant::Min, InputVariant::Edge]
    );
    for (_, value) in &planned.variants {
        assert_ne!(
            value, &planned.input,
            "a variant is planned only when it differs"
        );
    }
    let cases = plan.cases();
    let requests: Vec<&Case> = cases
        .iter()
        .map(|case| &case.case)
        .take_while(|case| matches!(case, Case::Request { .. }))
        .collect();
    assert_eq!(
        requests,
        [
            &Case::Request {
                variant: InputVariant::Max
            },
            &Case::Request {
                variant: InputVariant::Min
            },
            &Case::Request {
                variant: InputVariant::Edge
            },
        ]
    );
    // Every request case replays the same response, so each call completes.
    assert!(cases[..3]
        .iter()
        .all(|case| case.response == cases[0].response));
}

#[test]
fn a_skipped_operation_is_excluded_with_the_configured_reason() {
    let model = weather();
    let target = target(vec![Skip {
        operation: "GetAlert".into(),
        reason: "needs a live alert".into(),
    }]);
    let plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    assert!(plan
        .operations
        .iter()
        .all(|planned| planned.name() != "GetAlert"));
    let exclusion = &plan.report.exclusions[0];
    assert_eq!(exclusion.subject, "GetAlert");
    assert_eq!(
        exclusion.reason,
        "skipped in snapshot.toml: needs a live alert"
    );
    // NoSuchCity now rides on the next operation that declares it.
    assert!(carriers(&plan).contains(&("GetCity".to_owned(), vec!["NoSuchCity".to_owned()])));
}

#[test]
fn dropped_operations_hand_their_errors_to_the_next_declaring_operation() {
    let model = weather();
    let target = target(Vec::new());
    let mut plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    drop_operations(&mut plan, Stage::Compile, |name| {
        name == "GetAlert" || name == "CreateCity"
    });
    assert_eq!(
        carriers(&plan),
        owned(&[
            (
                "DeleteCity",
                &[
                    "ServiceUnavailable",
                    UNMODELED_ERROR_SNAPSHOT,
                    UNCODED_ERROR_SNAPSHOT,
                    FRONT_END_ERROR_SNAPSHOT
                ]
            ),
            ("GetCity", &["NoSuchCity"]),
            ("PutReport", &["Throttled"]),
        ])
    );
    assert!(plan.report.exclusions.is_empty());
}

/// (operation, error, forms) of every error replay that has forms.
fn forms(plan: &ServicePlan<'_>) -> Vec<(String, String, Vec<&'static str>)> {
    plan.operations
        .iter()
        .flat_map(|planned| {
            planned
                .errors
                .iter()
                .filter(|error| !error.forms.is_empty())
                .map(|error| {
                    (
                        planned.name().to_owned(),
                        error.name.clone(),
                        error.forms.iter().map(|form| form.form.name()).collect(),
                    )
                })
        })
        .collect()
}

#[test]
fn error_forms_are_planned_once_per_error_through_its_carrier_and_move_with_it() {
    let model = weather();
    let target = target(Vec::new());
    let mut plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    let before = forms(&plan);
    let carriers = carriers(&plan);
    assert!(!before.is_empty());
    for (operation, error, forms) in &before {
        assert!(
            carriers
                .iter()
                .any(|(carrier, errors)| carrier == operation && errors.contains(error)),
            "{error}'s forms ride on its carrier, not on {operation}"
        );
        assert!(forms.contains(&"unknown_member"), "{error}: {forms:?}");
    }
    let (carrier, error, _) = before[0].clone();
    drop_operations(&mut plan, Stage::Compile, |name| name == carrier);
    let after = forms(&plan);
    let moved = after
        .iter()
        .find(|(_, name, _)| *name == error)
        .expect("the error's forms moved to its next carrier");
    assert_ne!(moved.0, carrier);
    assert_eq!(after.len(), before.len(), "{after:?}");
    let cases = plan.cases();
    assert_eq!(
        cases
            .iter()
            .filter(|case| matches!(&case.case, Case::ErrorForm { shape, .. } if *shape == error))
            .count(),
        moved.2.len(),
        "each form is one case, through the carrier only"
    );
}

#[test]
fn an_error_no_remaining_operation_declares_is_excluded_not_lost() {
    let model = weather();
    let target = target(Vec::new());
    let mut plan = plan_service(&options(&[]), &target, &model, None).unwrap();
    drop_operations(&mut plan, Stage::Codegen, |name| {
        ["GetAlert", "GetCity", "PutReport"].contains(&name)
    });
    let excluded: Vec<(&str, &str, &str)> = plan
        .report
        .exclusions
        .iter()
        .map(|exclusion| {
            (
                exclusion.subject.as_str(),
                exclusion.scope.as_str(),
                exclusion.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        excluded,
        [
            (
                "NoSuchCity",
                "error",
                "every operation that declares it was excluded"
            ),
            (
                "Throttled",
                "error",
                "every operation that declares it was excluded"
            ),
        ]
    );
    drop_operations(&mut plan, Stage::Compile, |_| true);
    assert!(plan.operations.is_empty());
    assert!(!plan.is_runnable());
}

fn error_replay<'p>(plan: &'p ServicePlan<'_>, operation: &str, error: &str) -> &'p super::Replay {
    plan.operations
        .iter()
        .find(|planned| planned.name() == operation)
        .and_then(|planned| planned.errors.iter().find(|replay| replay.name == error))
        .map(|replay| &replay.replay)
        .unwrap()
}

/// `fixtures/drift`: a model newer than its (hand-written, smithy-rs-style) client crate.
fn drift_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/drift")
}

#[test]
fn a_crate_older_than_its_model_costs_members_not_operations() {
    let path = drift_fixture().join("model.json");
    let mut model = Model::load(&path).unwrap();
    model.apply_client_customizations();
    let api = snapshot_codegen::api::ClientApi::read(&drift_fixture().join("client")).unwrap();
    let target = ServiceTarget {
        model: path,
        ..target(Vec::new())
    };
    let plan = plan_service(&options(&[]), &target, &model, Some(&api)).unwrap();

    // The operation the crate has no module for is excluded up front, not after a compile error.
    assert_eq!(plan.operation_names(), ["GetThing"]);
    let excluded: Vec<(&str, Stage)> = plan
        .report
        .exclusions
        .iter()
        .map(|exclusion| (exclusion.subject.as_str(), exclusion.stage))
        .collect();
    assert_eq!(
        excluded,
        [("NewOp", Stage::Codegen), ("Throttled", Stage::Codegen)]
    );

    // Members the crate cannot hold are dropped from what is sent and replayed, with reasons.
    let dropped: Vec<(&str, DriftCase)> = plan
        .report
        .drift
        .dropped_members
        .iter()
        .map(|member| (member.path.as_str(), member.case))
        .collect();
    assert!(
        dropped.contains(&("GetThingInput.Added", DriftCase::Request))
            && dropped.contains(&("GetThingInput.Filter.Shade", DriftCase::Request))
            && dropped.contains(&("GetThingOutput.Extra", DriftCase::Response))
            && dropped.contains(&("NotFound.Resource", DriftCase::Error)),
        "{dropped:?}"
    );
    let planned = &plan.operations[0];
    let Value::Structure { members, .. } = &planned.input else {
        panic!("{:?}", planned.input);
    };
    let names: Vec<&str> = members.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Name", "Filter"]);
    // The error the crate knows is still carried; the one it does not is not.
    let carried: Vec<&str> = planned
        .errors
        .iter()
        .map(|error| error.name.as_str())
        .collect();
    assert!(carried.contains(&"NotFound") && !carried.contains(&"Throttled"));

    // What the crate has beyond the model is listed.
    assert_eq!(plan.report.drift.unmodeled_operations, ["list_things"]);
    assert_eq!(plan.report.drift.unexercised_members.len(), 1);
    assert_eq!(
        plan.report.drift.unexercised_members[0].field,
        "request_count"
    );
}
