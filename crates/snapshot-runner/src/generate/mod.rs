//! The generate stage: harness code for every planned service, written once.
//!
//! Code depends on facts only the client crate's source knows (its config builder's setters,
//! its API), learnt by the prepare stage ([`crate::prepare`]) before anything was planned.
//! The code is generated and written, touching only files whose contents changed, so that a
//! warm run leaves cargo nothing to rebuild. An operation whose code cannot be generated is
//! excluded; its error replays move to another operation
//! ([`crate::plan::errors::drop_operations`]). Code is generated again only when the build
//! stage excludes operations that did not compile ([`regenerate`]).

pub(crate) mod harness_dir;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use snapshot_codegen::{
    generate_harness, workspace_files, ClientFacts, GeneratedHarness, HarnessOperation,
};

use crate::execute::run_pool;
use crate::plan::errors::drop_operations;
use crate::plan::ServicePlan;
use crate::prepare::ClientFactsByPackage;
use crate::report::{Exclusion, ExclusionScope, Stage};
use crate::{RunError, RunOptions};

/// The generated harness crate of one service and the facts it was generated with.
#[derive(Debug)]
pub(crate) struct Harness {
    /// What the client's source said.
    pub facts: ClientFacts,
    /// The generated crate.
    pub code: GeneratedHarness,
}

/// A planned service and, once generated, its harness.
#[derive(Debug)]
pub(crate) struct GeneratedService<'m> {
    /// The plan (operations excluded by later stages are removed from it).
    pub plan: ServicePlan<'m>,
    /// The harness; `None` when there was nothing to generate.
    pub harness: Option<Harness>,
}

impl GeneratedService<'_> {
    /// The harness to build and run, if the service still has one.
    pub fn runnable_harness(&self) -> Option<&GeneratedHarness> {
        self.harness
            .as_ref()
            .filter(|_| self.plan.is_runnable())
            .map(|harness| &harness.code)
    }
}

/// Where the harness workspace is written (`<work_dir>/harness`).
pub(crate) fn harness_root(options: &RunOptions) -> PathBuf {
    options.work_dir.join("harness")
}

/// Generates every runnable service's harness once, with the facts the prepare stage
/// learnt, and writes the workspace. Returns the services and how many files changed on disk
/// (`changed`, the prepare stage's count, included).
pub(crate) fn generate<'m>(
    options: &RunOptions,
    plans: Vec<ServicePlan<'m>>,
    facts: &ClientFactsByPackage,
    changed: usize,
) -> Result<(Vec<GeneratedService<'m>>, usize), RunError> {
    let root = harness_root(options);
    if !plans.iter().any(ServicePlan::is_runnable) {
        let services = plans
            .into_iter()
            .map(|plan| GeneratedService {
                plan,
                harness: None,
            })
            .collect();
        return Ok((services, changed));
    }
    // Each service's code is generated (and pretty-printed) on its own: one per CPU, in the
    // services' order.
    let jobs = plans.into_iter().map(Some).collect();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let generated = run_pool(jobs, workers, |plan| {
        let mut service = GeneratedService {
            plan,
            harness: None,
        };
        if service.plan.is_runnable() {
            let facts = facts
                .get(&service.plan.target.client.package)
                .cloned()
                .unwrap_or_else(ClientFacts::unknown);
            regenerate(&mut service, facts)?;
        }
        Ok::<_, RunError>(service)
    });
    let mut services = Vec::with_capacity(generated.len());
    for service in generated.into_iter().flatten() {
        services.push(service?);
    }
    let changed = changed + write_workspace(&root, &services)?;
    Ok((services, changed))
}

/// Generates the harness code for the operations still planned, with `facts`, excluding
/// those whose code cannot be generated.
pub(crate) fn regenerate(
    service: &mut GeneratedService<'_>,
    facts: ClientFacts,
) -> Result<(), RunError> {
    let plan = &mut service.plan;
    let operations: Vec<HarnessOperation<'_>> = plan
        .operations
        .iter()
        .map(|planned| HarnessOperation {
            operation: planned.operation,
            input: planned.input.clone(),
            variants: planned.variants.clone(),
            rejected_headers: planned
                .rejected_headers
                .iter()
                .map(|case| (case.rejected.clone(), case.value.clone()))
                .collect(),
        })
        .collect();
    let code = generate_harness(&plan.index, &plan.target.client, &facts, &operations)?;
    for (operation, error) in &code.failed {
        plan.exclude(Exclusion::new(
            operation,
            ExclusionScope::Operation,
            Stage::Codegen,
            &error.to_string(),
        ));
    }
    let failed: BTreeSet<&str> = code
        .failed
        .iter()
        .map(|(operation, _)| operation.as_str())
        .collect();
    drop_operations(plan, Stage::Codegen, |name| failed.contains(name));
    service.harness = Some(Harness { facts, code });
    Ok(())
}

/// Writes the harness workspace of the runnable services, removing generated sources that
/// are no longer produced; returns how many files changed.
pub(crate) fn write_workspace(
    root: &Path,
    services: &[GeneratedService<'_>],
) -> Result<usize, RunError> {
    let harnesses: Vec<&GeneratedHarness> = services
        .iter()
        .filter_map(GeneratedService::runnable_harness)
        .collect();
    let mut files = workspace_files(&harnesses)?;
    for harness in &harnesses {
        files.extend(harness.files.iter().cloned());
    }
    let managed: Vec<PathBuf> = harnesses
        .iter()
        .map(|harness| harness.dir.clone())
        .collect();
    harness_dir::sync(root, &files, &managed)
}
