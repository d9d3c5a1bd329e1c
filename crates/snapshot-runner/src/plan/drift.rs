//! The plan's side of model ↔ crate drift ([`snapshot_codegen::drift`]): with the client's
//! API known, an operation the crate has no module for is excluded before anything is
//! generated, a member the crate cannot hold is dropped from the value it is in before that
//! value is serialized or built (and named in the snapshot and the report), an error is carried
//! only by an operation whose error enum has its variant, and what the crate has beyond the
//! model is listed. Without the API (the source could not be read) nothing changes.

use std::collections::BTreeSet;

use snapshot_codegen::api::ClientApi;
use snapshot_codegen::drift::{ClientDrift, ValueRoot};
use snapshot_model::{OperationRef, ShapeId};
use snapshot_values::{Value, ValuePath};

use super::ServicePlan;
use crate::report::{
    DriftCase, DroppedMember, Exclusion, ExclusionScope, Stage, UnexercisedMember,
};
use crate::RunError;

/// What the plan learnt from the client's API.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlanDrift<'a> {
    api: Option<&'a ClientApi>,
    /// (operation, error shape) pairs whose error enum lacks the error's variant.
    cannot_carry: BTreeSet<(String, ShapeId)>,
    /// The model's operations the crate has no module for.
    missing_operations: BTreeSet<String>,
}

impl<'a> PlanDrift<'a> {
    /// Drift against `api` (`None`: unknown, nothing is dropped).
    pub(crate) fn new(api: Option<&'a ClientApi>) -> Self {
        PlanDrift {
            api,
            cannot_carry: BTreeSet::new(),
            missing_operations: BTreeSet::new(),
        }
    }

    /// Whether the operation's error enum has a variant for `error` (always, when unknown).
    pub(crate) fn can_carry(&self, operation: &str, error: &ShapeId) -> bool {
        !self
            .cannot_carry
            .contains(&(operation.to_owned(), error.clone()))
    }
}

/// Lists what the crate has beyond the model, and which operation cannot carry which error.
pub(crate) fn survey(plan: &mut ServicePlan<'_>) {
    let Some(api) = plan.drift.api else {
        return;
    };
    let drift = ClientDrift::new(&plan.index, api);
    plan.report.drift.unmodeled_operations = drift.unmodeled_operations();
    plan.report.drift.unexercised_members = drift
        .unexercised_members()
        .into_iter()
        .map(|member| UnexercisedMember {
            rust_type: member.owner.to_string(),
            shape: member.shape.to_string(),
            field: member.field,
        })
        .collect();
    let mut cannot_carry = BTreeSet::new();
    for operation in plan.index.operations() {
        for error in plan.index.operation_errors(operation) {
            if drift.error_variant(operation, &error).is_err() {
                cannot_carry.insert((operation.name().to_owned(), error));
            }
        }
    }
    plan.drift.cannot_carry = cannot_carry;
    plan.drift.missing_operations = drift
        .missing_operations()
        .into_iter()
        .map(str::to_owned)
        .collect();
}

/// Fails when the crate has a module for none of the model's operations: a model paired with
/// another service's crate, which would otherwise exclude every operation and pass.
pub(crate) fn check_pairing(plan: &ServicePlan<'_>) -> Result<(), RunError> {
    let Some(api) = plan.drift.api else {
        return Ok(());
    };
    let operations = plan.index.operations().len();
    if operations == 0 || plan.drift.missing_operations.len() < operations {
        return Ok(());
    }
    let crate_operations = api
        .operations()
        .iter()
        .take(3)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    Err(RunError::UnpairedCrate {
        service: plan.target.name.clone(),
        package: plan.target.client.package.clone(),
        model: plan.target.model.clone(),
        operations,
        crate_operations,
    })
}

/// Excludes `operation` when the crate has no module for it; `true` when it did.
pub(crate) fn exclude_missing_operation(
    plan: &mut ServicePlan<'_>,
    operation: &OperationRef<'_>,
) -> bool {
    let missing = plan.drift.missing_operations.contains(operation.name());
    if missing {
        let reason = format!(
            "{} has no module `operation::{}`: the model is newer than the crate",
            plan.target.client.package,
            snapshot_codegen::naming::operation_fn(operation.name())
        );
        plan.exclude(Exclusion::new(
            operation.name(),
            ExclusionScope::Operation,
            Stage::Codegen,
            &reason,
        ));
    }
    missing
}

/// Drops from `value` (at the root of `case` of `subject`) the members the crate cannot hold
/// and records them, once per path.
pub(crate) fn prune(
    plan: &mut ServicePlan<'_>,
    subject: &str,
    case: DriftCase,
    root: ValueRoot<'_, '_>,
    value: &mut Value,
) {
    let Some(api) = plan.drift.api else {
        return;
    };
    let path = ValuePath::root(root_name(value));
    let dropped = ClientDrift::new(&plan.index, api).prune(root, value, &path);
    for member in dropped {
        let row = DroppedMember {
            subject: subject.to_owned(),
            case,
            path: member.path.as_str().to_owned(),
            reason: member.missing.to_string(),
        };
        if !plan.report.drift.dropped_members.contains(&row) {
            plan.report.drift.dropped_members.push(row);
        }
    }
}

/// Value paths start at the root shape's name, as the generator and the round trip write them.
fn root_name(value: &Value) -> &str {
    match value {
        Value::Structure { shape, .. } => shape.name(),
        _ => "",
    }
}
