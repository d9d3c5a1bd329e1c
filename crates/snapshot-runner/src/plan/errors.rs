//! Which errors every operation replays, and which operation carries each error's full
//! snapshot.
//!
//! smithy-rs generates a separate error dispatch for every operation (a match on the error
//! code per declared error), so every planned operation replays every error it declares (its
//! own errors, then the service's), serialized as that operation's error response, and after
//! them the unmodeled and front-end errors. How each operation parses them is one compact
//! snapshot per operation; the full HTTP exchange of each error is kept once, from the first
//! planned operation that replays it: its *carrier*. When a later stage excludes operations,
//! [`drop_operations`] makes the next operation that replays an error its carrier; an error
//! no remaining operation replays is excluded.
//!
//! The carrier also replays each [`ErrorForm`] the protocol offers for the error (SPEC §7a):
//! the same value in another form of error response, each checked by the typed round trip.
//! Forms are planned once per error shape, not per operation, to keep the case count low;
//! when the carrier moves, its forms move with it.
//!
//! With the client's API known ([`super::drift`]), an operation replays only the errors its
//! error enum has a variant for, and each error value loses the members the crate cannot hold
//! before it is serialized.

use std::collections::{BTreeMap, BTreeSet};

use snapshot_model::ShapeId;
use snapshot_records::Case;
use snapshot_values::{Generator, Mode, Value};
use snapshot_wire::{ErrorForm, Expectation};

use snapshot_codegen::drift::ValueRoot;

use super::{drift, values_error, Replay, ServicePlan};
use crate::report::{DriftCase, Exclusion, ExclusionScope, Expect, Stage};
use crate::RunError;

/// Name of the error snapshot for an error code the model does not declare.
pub const UNMODELED_ERROR_SNAPSHOT: &str = "_unmodeled";
/// Name of the error snapshot for an error response naming no error (JSON and CBOR
/// protocols).
pub const UNCODED_ERROR_SNAPSHOT: &str = "_no_code";
/// Name of the error snapshot for a non-protocol front-end failure.
pub const FRONT_END_ERROR_SNAPSHOT: &str = "_front_end";

/// One error replayed through one operation.
#[derive(Debug, Clone)]
pub(crate) struct ErrorReplay {
    /// The error's snapshot name: the shape's name in the service, or
    /// [`UNMODELED_ERROR_SNAPSHOT`] / [`FRONT_END_ERROR_SNAPSHOT`].
    pub name: String,
    /// The response and the value it carries.
    pub replay: Replay,
    /// Whether this operation carries the error's full snapshot (`errors/<name>.snap`).
    pub carrier: bool,
    /// The modeled error shape (none for the generic errors).
    pub shape: Option<ShapeId>,
    /// The error forms replayed for it: planned for the carrier only, empty elsewhere.
    pub forms: Vec<FormReplay>,
}

/// A modeled error replayed in one [`ErrorForm`] (through its carrier).
#[derive(Debug, Clone)]
pub(crate) struct FormReplay {
    /// Which form.
    pub form: ErrorForm,
    /// The case ([`Case::ErrorForm`]), its response and the value the client must give back.
    pub replay: Replay,
    /// What the client should make of it.
    pub expect: Expect,
}

/// Gives every planned operation a replay of each error it declares (the max value of the
/// error shape, generated once per shape) and of the generic errors, then chooses carriers.
/// An error that no operation's protocol serializer can write is excluded with the reason.
pub(super) fn assign_errors(
    plan: &mut ServicePlan<'_>,
    generator: &Generator<'_>,
) -> Result<(), RunError> {
    let mut values: BTreeMap<ShapeId, Value> = BTreeMap::new();
    let mut wire_failures: BTreeMap<String, String> = BTreeMap::new();
    let mut uncarried: BTreeSet<String> = BTreeSet::new();
    for position in 0..plan.operations.len() {
        let via = plan.operations[position].operation;
        for error_shape in plan.index.operation_errors(&via) {
            let name = plan.index.name(&error_shape).to_owned();
            plan.error_names.insert(name.clone());
            if !plan.drift.can_carry(via.name(), &error_shape) {
                uncarried.insert(name);
                continue;
            }
            if !values.contains_key(&error_shape) {
                let mut value = generator
                    .generate(&error_shape, Mode::Max)
                    .map_err(|error| values_error(plan, error))?;
                drift::prune(plan, &name, DriftCase::Error, ValueRoot::Error, &mut value);
                values.insert(error_shape.clone(), value);
            }
            let value = &values[&error_shape];
            match snapshot_wire::error_replay(&plan.index, via, &error_shape, value) {
                Ok(replay) => plan.operations[position].errors.push(ErrorReplay {
                    replay: Replay {
                        case: Case::Error {
                            shape: name.clone(),
                        },
                        title: name.clone(),
                        value: Some(value.clone()),
                        response: replay.response,
                        expected: Some(replay.expected),
                    },
                    name,
                    carrier: false,
                    shape: Some(error_shape.clone()),
                    forms: Vec::new(),
                }),
                Err(error) => {
                    let reason = error.to_string();
                    plan.exclude(
                        Exclusion::new(&name, ExclusionScope::ErrorCase, Stage::Wire, &reason)
                            .through(via.name()),
                    );
                    wire_failures.entry(name).or_insert(reason);
                }
            }
        }
        add_generic_errors(plan, position);
    }
    let carried = choose_carriers(plan);
    exclude_uncarried(plan, &carried, &uncarried);
    for (name, reason) in wire_failures {
        if !carried.contains(&name) {
            plan.exclude(Exclusion::new(
                &name,
                ExclusionScope::Error,
                Stage::Wire,
                &reason,
            ));
        }
    }
    Ok(())
}

/// Excludes the errors that no declaring operation's error enum has a variant for (model newer
/// than crate): nothing can replay them.
fn exclude_uncarried(
    plan: &mut ServicePlan<'_>,
    carried: &BTreeSet<String>,
    uncarried: &BTreeSet<String>,
) {
    let reason = format!(
        "no error enum of {} has a variant for it: the model is newer than the crate",
        plan.target.client.package
    );
    for name in uncarried.difference(carried) {
        plan.exclude(Exclusion::new(
            name,
            ExclusionScope::Error,
            Stage::Codegen,
            &reason,
        ));
    }
}

/// The unmodeled, uncoded (where the protocol can send one) and front-end error replays of
/// the operation at `position`.
fn add_generic_errors(plan: &mut ServicePlan<'_>, position: usize) {
    let via = plan.operations[position].operation;
    let uncoded = snapshot_wire::uncoded_error_response(&plan.index, via)
        .map(|response| (UNCODED_ERROR_SNAPSHOT, Case::UncodedError, response));
    let generic = std::iter::once((
        UNMODELED_ERROR_SNAPSHOT,
        Case::UnmodeledError,
        snapshot_wire::unmodeled_error_response(&plan.index, via),
    ))
    .chain(uncoded)
    .chain(std::iter::once((
        FRONT_END_ERROR_SNAPSHOT,
        Case::FrontEndError,
        snapshot_wire::front_end_error_response(),
    )));
    for (name, case, response) in generic {
        plan.error_names.insert(name.to_owned());
        plan.operations[position].errors.push(ErrorReplay {
            name: name.to_owned(),
            replay: Replay {
                case,
                title: name.trim_start_matches('_').replace('_', " "),
                value: None,
                response,
                expected: None,
            },
            carrier: false,
            shape: None,
            forms: Vec::new(),
        });
    }
}

/// Makes the first planned operation replaying each error its carrier and gives the carrier
/// the error's forms (the others none); returns the errors that have one.
fn choose_carriers(plan: &mut ServicePlan<'_>) -> BTreeSet<String> {
    let mut carried = BTreeSet::new();
    let mut failures = Vec::new();
    let index = &plan.index;
    for planned in &mut plan.operations {
        let via = planned.operation;
        for error in &mut planned.errors {
            error.carrier = carried.insert(error.name.clone());
            if !error.carrier {
                error.forms.clear();
            } else if error.forms.is_empty() {
                let (forms, failed) = form_replays(index, via, error);
                error.forms = forms;
                failures.extend(failed.into_iter().map(|(form, reason)| {
                    let subject = format!("{} ({})", error.name, form.name());
                    Exclusion::new(&subject, ExclusionScope::ErrorForm, Stage::Wire, &reason)
                        .through(via.name())
                }));
            }
        }
    }
    for failure in failures {
        plan.exclude(failure);
    }
    carried
}

/// The forms of `error` through `via` that the protocol offers and that differ from its own
/// response, and the forms the serializer could not write, with the reason.
fn form_replays(
    index: &snapshot_model::ServiceIndex<'_>,
    via: snapshot_model::OperationRef<'_>,
    error: &ErrorReplay,
) -> (Vec<FormReplay>, Vec<(ErrorForm, String)>) {
    let (Some(shape), Some(value)) = (&error.shape, &error.replay.value) else {
        return (Vec::new(), Vec::new());
    };
    let mut forms = Vec::new();
    let mut failures = Vec::new();
    for form in snapshot_wire::error_forms(index, via) {
        match snapshot_wire::error_form_replay(index, via, shape, value, form) {
            Ok(Some((replay, expectation))) => forms.push(FormReplay {
                form,
                replay: Replay {
                    case: Case::ErrorForm {
                        shape: error.name.clone(),
                        form: form.name().to_owned(),
                    },
                    title: form.name().to_owned(),
                    value: Some(value.clone()),
                    response: replay.response,
                    // Only the modeled error carries the value back; an error the client
                    // cannot match is checked by its code (the verdict).
                    expected: matches!(expectation, Expectation::ModeledError(_))
                        .then_some(replay.expected),
                },
                expect: Expect::of(&expectation),
            }),
            Ok(None) => {}
            Err(failure) => failures.push((form, failure.to_string())),
        }
    }
    (forms, failures)
}

/// Removes the planned operations `excluded` names (excluded by `stage`) and passes the full
/// snapshots they carried to the next operation replaying the same error (see the module
/// docs); an error no remaining operation replays is excluded.
pub(crate) fn drop_operations(
    plan: &mut ServicePlan<'_>,
    stage: Stage,
    excluded: impl Fn(&str) -> bool,
) {
    let before = choose_carriers(plan);
    plan.operations.retain(|planned| !excluded(planned.name()));
    let after = choose_carriers(plan);
    for name in before.difference(&after) {
        plan.exclude(Exclusion::new(
            name,
            ExclusionScope::Error,
            stage,
            "every operation that declares it was excluded",
        ));
    }
}
