//! Output replays of one operation: min and max, and max again ending with each modeled
//! exception event of an output event stream (SPEC §7).

use snapshot_model::OperationRef;
use snapshot_records::Case;
use snapshot_values::{Generator, Mode, Value};

use super::{values_error, Replay, ServicePlan};
use crate::report::Exclusion;
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
        let output = generator
            .generate(&operation.operation.output, mode)
            .map_err(|error| values_error(plan, error))?;
        match snapshot_wire::output_response(&plan.index, operation, &output) {
            Ok(response) => responses.push(Replay {
                case: Case::Response {
                    mode: mode.name().to_owned(),
                },
                title: mode.name().to_owned(),
                root: operation.operation.output.name().to_owned(),
                value: Some(output),
                response,
                exception: None,
            }),
            Err(error) => {
                plan.exclude(Exclusion::new(
                    operation.name(),
                    "response",
                    "wire",
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
            "response",
            "wire",
            &reason,
        )),
    }
    Ok(responses)
}

/// For an output with an event stream: the max response again, once per modeled exception
/// event, with the stream ending in that exception (SPEC §7: modeled exception events).
fn exception_replays(
    plan: &ServicePlan<'_>,
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
            let value = Value::Structure {
                shape: shape.clone(),
                members: value_members,
            };
            let response = snapshot_wire::output_response(&plan.index, operation, &value)
                .map_err(|error| error.to_string())?;
            replays.push(Replay {
                case: Case::Response {
                    mode: format!("max+{exception}"),
                },
                title: format!("max, the stream ending with the exception {exception}"),
                root: max.root.clone(),
                value: Some(value),
                response,
                exception: Some(exception),
            });
        }
    }
    Ok(replays)
}
