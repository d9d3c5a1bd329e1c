//! Output replays of one operation: min and max, max again ending with each modeled
//! exception event of an output event stream (SPEC §7), and the response variants of its
//! protocol (SPEC §7a).

use snapshot_model::OperationRef;
use snapshot_records::{Case, ResponseMode, VariantName};
use snapshot_values::{Generator, Mode, Value};
use snapshot_wire::{Expectation, ResponseVariant};

use snapshot_codegen::drift::ValueRoot;

use super::{drift, values_error, Replay, ServicePlan, VariantReplay};
use crate::report::{DriftCase, Exclusion, ExclusionScope, Expect, ReplayCase, Stage};
use crate::RunError;

/// The min and max output responses of `operation`, then the exception replays. Empty, with
/// an exclusion, when the protocol serializer cannot write one of them.
pub(super) fn response_replays(
    plan: &mut ServicePlan<'_>,
    generator: &Generator<'_>,
    operation: OperationRef<'_>,
) -> Result<Vec<Replay>, RunError> {
    let mut responses = Vec::new();
    for mode in [Mode::Min, Mode::Max] {
        let mut output = generator
            .generate(&operation.operation.output, mode)
            .map_err(|error| values_error(plan, error))?;
        drift::prune(
            plan,
            operation.name(),
            DriftCase::Response,
            ValueRoot::Output(&operation),
            &mut output,
        );
        match snapshot_wire::output_replay(&plan.index, operation, &output) {
            Ok(replay) => responses.push(response_replay(
                ResponseMode::new(variant_name(mode)),
                output,
                replay,
            )),
            Err(error) => {
                plan.exclude(Exclusion::new(
                    operation.name(),
                    ExclusionScope::Response,
                    Stage::Wire,
                    &error.to_string(),
                ));
                return Ok(Vec::new());
            }
        }
    }
    match exception_replays(plan, generator, operation, &responses[1]) {
        Ok(replays) => responses.extend(replays),
        Err(reason) => plan.exclude(Exclusion::new(
            operation.name(),
            ExclusionScope::Response,
            Stage::Wire,
            &reason,
        )),
    }
    Ok(responses)
}

fn response_replay(mode: ResponseMode, value: Value, replay: snapshot_wire::Replay) -> Replay {
    Replay {
        title: ReplayCase::Response(mode.clone()).to_string(),
        case: Case::Response { mode },
        value: Some(value),
        response: replay.response,
        expected: Some(replay.expected),
    }
}

/// The variant name the harness records for a generator mode.
fn variant_name(mode: Mode) -> VariantName {
    match mode {
        Mode::Min => VariantName::Min,
        Mode::Max => VariantName::Max,
        other => VariantName::Named(other.name().to_owned()),
    }
}

/// For an output with an event stream: the max response again, once per modeled exception
/// event, with the stream ending in that exception (SPEC §7: modeled exception events).
fn exception_replays(
    plan: &mut ServicePlan<'_>,
    generator: &Generator<'_>,
    operation: OperationRef<'_>,
    max: &Replay,
) -> Result<Vec<Replay>, String> {
    let Some(Value::Structure { shape, members }) = &max.value else {
        return Ok(Vec::new());
    };
    let mut replays = Vec::new();
    for (position, (_, member_value)) in members.iter().enumerate() {
        let Value::EventStream { shape: stream, .. } = member_value else {
            continue;
        };
        let exceptions = generator
            .exception_events(stream, Mode::Max)
            .map_err(|error| error.to_string())?;
        for (exception, exception_value) in exceptions {
            let mut value_members = members.clone();
            if let Value::EventStream { events, .. } = &mut value_members[position].1 {
                events.push((exception.clone(), exception_value));
            }
            let mut value = Value::Structure {
                shape: shape.clone(),
                members: value_members,
            };
            drift::prune(
                plan,
                operation.name(),
                DriftCase::Response,
                ValueRoot::Output(&operation),
                &mut value,
            );
            let replay = snapshot_wire::output_replay(&plan.index, operation, &value)
                .map_err(|error| error.to_string())?;
            replays.push(response_replay(
                ResponseMode::new(VariantName::Max).ending_with(exception),
                value,
                replay,
            ));
        }
    }
    Ok(replays)
}

/// The response variants of `operation`'s protocol that apply to it, built from the min and
/// max replays (`responses[0]`, `responses[1]`). A variant the protocol writer cannot build
/// is left out with an exclusion naming it; the canonical replays stay.
pub(super) fn variant_replays(
    plan: &mut ServicePlan<'_>,
    operation: OperationRef<'_>,
    responses: &[Replay],
) -> Vec<VariantReplay> {
    let mut replays = Vec::new();
    for variant in snapshot_wire::response_variants(&plan.index, operation) {
        let base = match variant.base() {
            Mode::Min => VariantName::Min,
            _ => VariantName::Max,
        };
        let Some(base_value) = responses
            .iter()
            .find(|replay| matches!(&replay.case, Case::Response { mode } if mode.variant == base && mode.exception.is_none()))
            .and_then(|replay| replay.value.as_ref())
        else {
            continue;
        };
        if variant.is_targeted() {
            let base_value = base_value.clone();
            match targeted_replays(plan, operation, variant, &base_value) {
                Ok(targeted) => replays.extend(targeted),
                Err(error) => plan.exclude(Exclusion::new(
                    &format!("{} ({})", operation.name(), variant.name()),
                    ExclusionScope::Response,
                    Stage::Wire,
                    &error.to_string(),
                )),
            }
            continue;
        }
        match variant_replay(plan, operation, variant, base, base_value) {
            Ok(Some(replay)) => replays.push(replay),
            Ok(None) => {}
            Err(error) => plan.exclude(Exclusion::new(
                &format!("{} ({})", operation.name(), variant.name()),
                ExclusionScope::Response,
                Stage::Wire,
                &error.to_string(),
            )),
        }
    }
    replays
}

/// One variant's replay, `None` when it does not apply to this operation.
fn variant_replay(
    plan: &ServicePlan<'_>,
    operation: OperationRef<'_>,
    variant: ResponseVariant,
    base: VariantName,
    base_value: &Value,
) -> Result<Option<VariantReplay>, snapshot_wire::WireError> {
    let Some(response) =
        snapshot_wire::variant_response(&plan.index, operation, variant, base_value)?
    else {
        return Ok(None);
    };
    // Only an output expectation has a value the harness can check: unknown unions read as
    // the client's `Unknown` variant, which no value expresses.
    let (value, expected) = match &response.expectation {
        Expectation::Output(value) => {
            let readback = snapshot_wire::output_replay(&plan.index, operation, value)?;
            (Some(value.clone()), Some(readback.expected))
        }
        _ => (None, None),
    };
    let same_as_base = value.as_ref() == Some(base_value);
    let mode = ResponseMode::new(VariantName::Named(variant.name().to_owned()));
    Ok(Some(VariantReplay {
        replay: Replay {
            title: variant.name().to_owned(),
            case: Case::Response { mode },
            value,
            response: response.response,
            expected,
        },
        variant,
        base,
        expect: Expect::of(&response.expectation),
        same_as_base,
        targets: Vec::new(),
    }))
}

/// The cases of a targeted variant for `operation` (built from its max value `base`): one
/// per group of values it changes, each shape once per service (`plan.reached`).
fn targeted_replays(
    plan: &mut ServicePlan<'_>,
    operation: OperationRef<'_>,
    variant: ResponseVariant,
    base: &Value,
) -> Result<Vec<VariantReplay>, snapshot_wire::WireError> {
    let reached = plan.reached.entry(variant).or_default();
    let cases = snapshot_wire::targeted_responses(&plan.index, operation, variant, base, reached)?;
    let mut replays = Vec::new();
    for case in cases {
        let (value, expected) = match &case.response.expectation {
            Expectation::Output(value) => {
                let readback = snapshot_wire::output_replay(&plan.index, operation, value)?;
                (Some(value.clone()), Some(readback.expected))
            }
            _ => (None, None),
        };
        let title = targeted_title(variant, &case.targets);
        let mode = ResponseMode::new(VariantName::Named(title.clone()));
        replays.push(VariantReplay {
            replay: Replay {
                title,
                case: Case::Response { mode },
                value,
                response: case.response.response,
                expected,
            },
            variant,
            base: VariantName::Max,
            expect: Expect::of(&case.response.expectation),
            same_as_base: false,
            targets: case.targets,
        });
    }
    Ok(replays)
}

/// The section title and case name of a targeted case: the variant and the paths it changes
/// (`malformed_cut_inside at GetItemOutput.ConsumedCapacity`).
fn targeted_title(variant: ResponseVariant, targets: &[snapshot_wire::VariantTarget]) -> String {
    let paths: Vec<&str> = targets.iter().map(|target| target.path.as_str()).collect();
    format!("{} at {}", variant.name(), paths.join(", "))
}
