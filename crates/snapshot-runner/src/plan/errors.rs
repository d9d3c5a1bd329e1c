//! Which operation carries which error replay, and what happens to them when an operation is
//! excluded after planning.
//!
//! Each modeled error shape is replayed once, through the first operation (in model order)
//! that declares it (as an operation error or a service error); the unmodeled and front-end
//! errors go through the first operation. When a later stage excludes an operation (its code
//! does not generate or compile), [`drop_operations`] re-homes its error replays onto the next
//! operation that can carry them, with the response serialized again for that operation, so
//! excluding one operation does not cost the service its error snapshots.

use std::collections::BTreeSet;

use snapshot_model::ShapeId;
use snapshot_records::Case;
use snapshot_values::{Generator, Mode};

use super::{values_error, Replay, ServicePlan};
use crate::report::{Exclusion, ExclusionScope, Stage};
use crate::RunError;

/// Name of the error snapshot for an error code the model does not declare.
pub const UNMODELED_ERROR_SNAPSHOT: &str = "_unmodeled";
/// Name of the error snapshot for a non-protocol front-end failure.
pub const FRONT_END_ERROR_SNAPSHOT: &str = "_front_end";

/// Gives every modeled error shape of the planned operations to the first operation declaring
/// it, with its max value serialized as that operation's error response.
pub(super) fn assign_errors(
    plan: &mut ServicePlan<'_>,
    generator: &Generator<'_>,
) -> Result<(), RunError> {
    let mut assigned: BTreeSet<ShapeId> = BTreeSet::new();
    for position in 0..plan.operations.len() {
        let via = plan.operations[position].operation;
        for error_shape in plan.index.operation_errors(&via) {
            if !assigned.insert(error_shape.clone()) {
                continue;
            }
            let name = plan.index.name(&error_shape).to_owned();
            plan.error_names.insert(name.clone());
            let value = generator
                .generate(&error_shape, Mode::Max)
                .map_err(|error| values_error(plan, error))?;
            match snapshot_wire::error_replay(&plan.index, via, &error_shape, &value) {
                Ok(replay) => plan.operations[position].errors.push((
                    name.clone(),
                    Replay {
                        case: Case::Error {
                            shape: name.clone(),
                        },
                        title: name,
                        value: Some(value),
                        response: replay.response,
                        expected: Some(replay.expected),
                    },
                )),
                Err(error) => plan.exclude(Exclusion::new(
                    &name,
                    ExclusionScope::Error,
                    Stage::Wire,
                    &error.to_string(),
                )),
            }
        }
    }
    Ok(())
}

/// The unmodeled and front-end error replays, through the first planned operation.
pub(super) fn add_generic_errors(plan: &mut ServicePlan<'_>) {
    let Some(first) = plan.operations.first_mut() else {
        return;
    };
    let via = first.operation;
    for (name, case, response) in [
        (
            UNMODELED_ERROR_SNAPSHOT,
            Case::UnmodeledError,
            snapshot_wire::unmodeled_error_response(&plan.index, via),
        ),
        (
            FRONT_END_ERROR_SNAPSHOT,
            Case::FrontEndError,
            snapshot_wire::front_end_error_response(),
        ),
    ] {
        plan.error_names.insert(name.to_owned());
        first.errors.push((
            name.to_owned(),
            Replay {
                case,
                title: name.trim_start_matches('_').replace('_', " "),
                value: None,
                response,
                expected: None,
            },
        ));
    }
}

/// Removes the planned operations `excluded` names and re-homes the error replays they
/// carried (see the module docs); an error no remaining operation declares is excluded.
pub(crate) fn drop_operations(plan: &mut ServicePlan<'_>, excluded: impl Fn(&str) -> bool) {
    let (dropped, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut plan.operations)
        .into_iter()
        .partition(|planned| excluded(planned.name()));
    plan.operations = kept;
    for (name, replay) in dropped.into_iter().flat_map(|planned| planned.errors) {
        rehome_error(plan, name, replay);
    }
}

fn rehome_error(plan: &mut ServicePlan<'_>, name: String, mut replay: Replay) {
    let index = &plan.index;
    let carrier = match replay.case {
        Case::Error { .. } => plan.operations.iter().position(|planned| {
            index
                .operation_errors(&planned.operation)
                .iter()
                .any(|shape| index.name(shape) == name)
        }),
        _ => (!plan.operations.is_empty()).then_some(0),
    };
    let Some(carrier) = carrier else {
        plan.report.exclusions.push(Exclusion::new(
            &name,
            ExclusionScope::Error,
            Stage::Compile,
            "every operation that declares it was excluded",
        ));
        return;
    };
    let via = plan.operations[carrier].operation;
    match &replay.case {
        Case::Error { .. } => {
            let shape = index
                .operation_errors(&via)
                .into_iter()
                .find(|shape| index.name(shape) == name);
            let rewritten = match (shape, &replay.value) {
                (Some(shape), Some(value)) => {
                    snapshot_wire::error_replay(index, via, &shape, value)
                        .map_err(|error| error.to_string())
                }
                _ => Err("the error shape has no generated value".to_owned()),
            };
            match rewritten {
                Ok(rewritten) => {
                    replay.response = rewritten.response;
                    replay.expected = Some(rewritten.expected);
                }
                Err(reason) => {
                    plan.report.exclusions.push(Exclusion::new(
                        &name,
                        ExclusionScope::Error,
                        Stage::Wire,
                        &reason,
                    ));
                    return;
                }
            }
        }
        Case::UnmodeledError => {
            replay.response = snapshot_wire::unmodeled_error_response(index, via);
        }
        _ => {}
    }
    plan.operations[carrier].errors.push((name, replay));
}
