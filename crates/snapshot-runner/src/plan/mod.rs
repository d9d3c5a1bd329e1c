//! The plan stage: for each service, what every case sends and replays.
//!
//! A [`ServicePlan`] holds, per operation in scope, the generated input (max mode), the
//! responses to replay (min and max outputs serialized by the service's protocol, plus one
//! max response per modeled exception event of an output event stream) and the error
//! responses it replays ([`errors`]: every error it declares and the unmodeled and front-end
//! errors, each error's full snapshot carried by the first operation). Operations that cannot
//! be planned (a `[[skip]]`, a value or wire failure) are excluded with the reason in the
//! service report.
//! Nothing here knows about code generation, cargo or the harness.

pub(crate) mod drift;
pub(crate) mod errors;

pub(crate) use errors::ErrorReplay;
mod responses;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use snapshot_codegen::api::ClientApi;
use snapshot_codegen::drift::ValueRoot;
use snapshot_model::{Model, OperationRef, ServiceIndex, ShapeId};
use snapshot_records::{Case, Expected, HttpResponse, InputVariant, PlannedCase, VariantName};
use snapshot_values::{Generator, Mode, Value, ValueError};
use snapshot_wire::{HeaderMalformation, HeaderRejection, ResponseVariant};

use crate::report::{DriftCase, Exclusion, ExclusionScope, Expect, ServiceReport, Stage};
use crate::{RunError, RunOptions, ServiceTarget};

use self::drift::PlanDrift;

/// A generated output or error and the response that carries it.
#[derive(Debug, Clone)]
pub(crate) struct Replay {
    /// The case the harness runs for it.
    pub case: Case,
    /// Section title in the snapshot (`min`, `max`, the error name).
    pub title: String,
    /// The generated value the response carries (none for the generic errors).
    pub value: Option<Value>,
    /// The response the harness replays.
    pub response: HttpResponse,
    /// What the client must give back from `response`, which the harness checks (the round
    /// trip, SPEC §7a); none for the generic errors.
    pub expected: Option<Expected>,
}

/// A response variant of an operation (SPEC §7a): a response a conforming server may send, or
/// one the client must reject, built from the operation's min or max output.
#[derive(Debug, Clone)]
pub(crate) struct VariantReplay {
    /// The case (a [`Case::Response`] named after the variant), its response and, when the
    /// client must give back an output, the value it must read
    /// ([`snapshot_wire::output_replay`] of the variant's expected value).
    pub replay: Replay,
    /// Which variant.
    pub variant: ResponseVariant,
    /// The canonical replay it was built from (`min` or `max`).
    pub base: VariantName,
    /// What the client should make of it.
    pub expect: Expect,
    /// Whether the value the client must give back is the base's own, so an equal round trip
    /// means "the same output as the base".
    pub same_as_base: bool,
    /// The values a targeted variant ([`ResponseVariant::is_targeted`]) nulls or breaks;
    /// empty for the others.
    pub targets: Vec<snapshot_wire::VariantTarget>,
}

/// One operation of the plan: its input, the responses and the error responses it carries.
#[derive(Debug)]
pub(crate) struct PlannedOperation<'m> {
    /// The operation.
    pub operation: OperationRef<'m>,
    /// The generated input (max mode).
    pub input: Value,
    /// The other input variants (min, edge) whose values differ from max's, in
    /// [`Mode::ALL`] order: each is one more request case.
    pub variants: Vec<(Mode, Value)>,
    /// Output replays: min, max, then max ending with each exception event. Empty when the
    /// response could not be serialized (the exclusion says why).
    pub responses: Vec<Replay>,
    /// The response variants that apply to it, in [`ResponseVariant::ALL`] order.
    pub response_variants: Vec<VariantReplay>,
    /// The errors it replays: each error it declares, then the unmodeled and front-end
    /// errors ([`errors`]).
    pub errors: Vec<ErrorReplay>,
    /// The rejected-header cases (SPEC §4a): the max input with one header-bound member set
    /// to a value the client must refuse, one case per member and fault
    /// ([`snapshot_wire::rejected_headers`]), in model order.
    pub rejected_headers: Vec<HeaderRejection>,
    /// The malformed-header response cases (SPEC §7a): the max response with one
    /// header-bound output member's header broken ([`snapshot_wire::malformed_headers`]).
    pub malformed_headers: Vec<HeaderMalformation>,
}

impl PlannedOperation<'_> {
    /// The operation name as in the model.
    pub fn name(&self) -> &str {
        self.operation.name()
    }

    /// The input variants the request cases send: max, then the others planned.
    pub fn input_variants(&self) -> Vec<InputVariant> {
        std::iter::once(InputVariant::Max)
            .chain(self.variants.iter().map(|(mode, _)| input_variant(*mode)))
            .collect()
    }
}

/// The harness's name of a value mode.
pub(crate) fn input_variant(mode: Mode) -> InputVariant {
    match mode {
        Mode::Min => InputVariant::Min,
        Mode::Max => InputVariant::Max,
        Mode::Edge => InputVariant::Edge,
    }
}

/// Everything one service's run needs before any code is generated.
#[derive(Debug)]
pub(crate) struct ServicePlan<'m> {
    /// The service and its client crate.
    pub target: &'m ServiceTarget,
    /// The service's operations, errors and protocol.
    pub index: ServiceIndex<'m>,
    /// The operations still planned (excluded ones are removed, see [`errors::drop_operations`]).
    pub operations: Vec<PlannedOperation<'m>>,
    /// What the stages found out so far.
    pub report: ServiceReport,
    /// Error snapshot names the run covers, for the store scope.
    pub error_names: BTreeSet<String>,
    /// What the client's API says the crate cannot hold.
    pub drift: PlanDrift<'m>,
    /// Per targeted response variant, the shapes earlier operations' cases already reached
    /// (each shape's case is planned once per service, through the first operation in plan
    /// order whose output reaches it).
    pub reached: BTreeMap<ResponseVariant, BTreeSet<ShapeId>>,
}

impl ServicePlan<'_> {
    /// The names of the operations still planned, in plan order.
    pub fn operation_names(&self) -> Vec<String> {
        self.operations
            .iter()
            .map(|planned| planned.name().to_owned())
            .collect()
    }

    /// Whether there is a harness to build and run: operations left and no build failure.
    pub fn is_runnable(&self) -> bool {
        self.report.build_failure.is_none() && !self.operations.is_empty()
    }

    /// The cases the harness runs, operation by operation: the request of the max input, then
    /// of each other input variant (all replaying the last output response, so the call
    /// completes), then each output and error replay.
    pub fn cases(&self) -> Vec<PlannedCase> {
        let mut cases = Vec::new();
        for planned in &self.operations {
            let name = planned.name().to_owned();
            let last_response = planned
                .responses
                .last()
                .map(|replay| replay.response.clone());
            for variant in planned.input_variants() {
                cases.push(PlannedCase {
                    operation: name.clone(),
                    case: Case::Request { variant },
                    response: last_response.clone(),
                    expected: None,
                });
            }
            // A client that sends the value anyway gets the output response, so the call
            // ends and its request shows what it sent.
            for rejection in &planned.rejected_headers {
                cases.push(PlannedCase {
                    operation: name.clone(),
                    case: Case::RejectedHeader {
                        rejected: rejection.rejected.clone(),
                    },
                    response: last_response.clone(),
                    expected: None,
                });
            }
            for replay in planned
                .responses
                .iter()
                .chain(
                    planned
                        .response_variants
                        .iter()
                        .map(|variant| &variant.replay),
                )
                .chain(planned.errors.iter().flat_map(|error| {
                    std::iter::once(&error.replay)
                        .chain(error.forms.iter().map(|form| &form.replay))
                }))
            {
                cases.push(PlannedCase {
                    operation: name.clone(),
                    case: replay.case.clone(),
                    response: Some(replay.response.clone()),
                    expected: replay.expected.clone(),
                });
            }
            for malformed in &planned.malformed_headers {
                cases.push(PlannedCase {
                    operation: name.clone(),
                    case: Case::MalformedHeader {
                        malformed: malformed.malformed.clone(),
                    },
                    response: Some(malformed.response.clone()),
                    expected: None,
                });
            }
        }
        cases
    }

    /// Records an exclusion in the service report.
    pub fn exclude(&mut self, exclusion: Exclusion) {
        self.report.exclusions.push(exclusion);
    }
}

/// Plans one service: values, responses and error assignment for the operations in scope.
pub(crate) fn plan_service<'m>(
    options: &RunOptions,
    target: &'m ServiceTarget,
    model: &'m Model,
    api: Option<&'m ClientApi>,
) -> Result<ServicePlan<'m>, RunError> {
    let index = model.service_index(target.service_shape.as_deref())?;
    let generator = Generator::new(model, &options.overrides).with_endpoint_rules(index.shape());
    let report = ServiceReport {
        name: target.name.clone(),
        crate_name: target.client.package.clone(),
        protocol: index.protocol().name().to_owned(),
        operations_total: index.operations().len(),
        error_shapes_total: index.error_shapes().len(),
        ..ServiceReport::default()
    };
    let mut plan = ServicePlan {
        target,
        index,
        operations: Vec::new(),
        report,
        error_names: BTreeSet::new(),
        drift: PlanDrift::new(api),
        reached: BTreeMap::new(),
    };
    drift::survey(&mut plan);
    drift::check_pairing(&plan)?;
    let in_scope: Vec<OperationRef<'m>> = plan
        .index
        .operations()
        .iter()
        .copied()
        .filter(|operation| options.includes_operation(operation.name()))
        .collect();
    for operation in in_scope {
        plan.report.operations_in_scope += 1;
        if let Some(planned) = plan_operation(&mut plan, &generator, operation)? {
            plan.operations.push(planned);
        }
    }
    errors::assign_errors(&mut plan, &generator)?;
    Ok(plan)
}

/// The input and responses of one operation, or `None` when it is excluded.
fn plan_operation<'m>(
    plan: &mut ServicePlan<'m>,
    generator: &Generator<'_>,
    operation: OperationRef<'m>,
) -> Result<Option<PlannedOperation<'m>>, RunError> {
    let name = operation.name();
    if let Some(skip) = plan.target.skips.iter().find(|skip| skip.operation == name) {
        let reason = format!("skipped in snapshot.toml: {}", skip.reason);
        plan.exclude(Exclusion::new(
            name,
            ExclusionScope::Operation,
            Stage::Config,
            &reason,
        ));
        return Ok(None);
    }
    if drift::exclude_missing_operation(plan, &operation) {
        return Ok(None);
    }
    let mut inputs = match generator.input_variants(operation.shape) {
        Ok(inputs) => inputs.into_iter(),
        // An override that does not fit the model is the user's to fix: it stops the run.
        Err(
            error @ (ValueError::OverrideMismatch { .. } | ValueError::OverrideOnAggregate { .. }),
        ) => return Err(values_error(plan, error)),
        Err(error) => {
            plan.exclude(Exclusion::new(
                name,
                ExclusionScope::Operation,
                Stage::Values,
                &error.to_string(),
            ));
            return Ok(None);
        }
    };
    // `input_variants` gives max first.
    let Some((_, mut input)) = inputs.next() else {
        return Ok(None);
    };
    drift::prune(
        plan,
        name,
        DriftCase::Request,
        ValueRoot::Input(&operation),
        &mut input,
    );
    let mut variants: Vec<(Mode, Value)> = inputs.collect();
    for (_, variant) in &mut variants {
        let root = ValueRoot::Input(&operation);
        drift::prune(plan, name, DriftCase::Request, root, variant);
    }
    // A variant that differed from max only in members the crate lacks is max again.
    variants.retain(|(_, variant)| variant != &input);
    let responses = responses::response_replays(plan, generator, operation)?;
    let response_variants = responses::variant_replays(plan, operation, &responses);
    let rejected_headers = rejected_headers(plan, operation);
    // The max output's response (min's is first).
    let malformed_headers = responses
        .get(1)
        .map(|max| snapshot_wire::malformed_headers(&plan.index, operation, &max.response))
        .unwrap_or_default();
    Ok(Some(PlannedOperation {
        operation,
        input,
        variants,
        responses,
        response_variants,
        errors: Vec::new(),
        rejected_headers,
        malformed_headers,
    }))
}

/// The rejected-header cases of `operation` whose member the crate has (a member the crate
/// lacks is dropped from every input and reported once, with the max input's).
fn rejected_headers(
    plan: &mut ServicePlan<'_>,
    operation: OperationRef<'_>,
) -> Vec<HeaderRejection> {
    let mut cases = snapshot_wire::rejected_headers(&plan.index, operation);
    cases.retain(|case| {
        let mut input = Value::Structure {
            shape: operation.operation.input.clone(),
            members: vec![(case.rejected.member.clone(), case.value.clone())],
        };
        let root = ValueRoot::Input(&operation);
        drift::prune(plan, operation.name(), DriftCase::Request, root, &mut input);
        matches!(&input, Value::Structure { members, .. } if !members.is_empty())
    });
    cases
}

fn values_error(plan: &ServicePlan<'_>, source: ValueError) -> RunError {
    RunError::Values {
        service: plan.target.name.clone(),
        source,
    }
}
