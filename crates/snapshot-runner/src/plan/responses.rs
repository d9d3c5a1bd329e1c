//! Output replays of one operation: min and max, and max again ending with each modeled
//! exception event of an output event stream (SPEC §7).

use snapshot_model::OperationRef;
use snapshot_records::{Case, ResponseMode, VariantName};
use snapshot_values::{Generator, Mode, Value};

use snapshot_codegen::drift::ValueRoot;

use super::{drift, values_error, Replay, ServicePlan};
use crate::report::{DriftCase, Exclusion, ExclusionScope, ReplayCase, Stage};
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
