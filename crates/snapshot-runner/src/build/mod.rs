//! The build stage: `cargo build` of the harness workspace, retried after excluding the
//! operations whose generated code did not compile.
//!
//! cargo's JSON diagnostics are traced back to the operation whose file they point into
//! ([`cargo`]); those operations are excluded, their error replays re-homed, the harness
//! regenerated and the build tried again, up to [`BUILD_ATTEMPTS`] builds. A failure no
//! operation explains is the service's build failure; when it explains no service either, the
//! run stops with [`RunError::Build`].

mod cargo;

use crate::generate::{harness_root, regenerate, write_workspace, GeneratedService};
use crate::plan::errors::drop_operations;
use crate::report::{first_lines, Exclusion, ExclusionScope, Stage};
use crate::{Progress, RunError, RunOptions};

use self::cargo::{build, BuildResult, BuildUnit};

/// Builds after excluding operations that did not compile, at most this many in all.
const BUILD_ATTEMPTS: usize = 4;

/// Builds the harnesses of the runnable services. `changed` is how many generated files the
/// generate stage wrote (none: cargo has nothing to do, which the progress line says).
pub(crate) fn build_harnesses(
    options: &RunOptions,
    services: &mut [GeneratedService<'_>],
    mut changed: usize,
    progress: &Progress,
) -> Result<(), RunError> {
    let root = harness_root(options);
    for attempt in 1..=BUILD_ATTEMPTS {
        if attempt > 1 {
            changed = write_workspace(&root, services)?;
        }
        let units: Vec<BuildUnit> = services
            .iter()
            .filter_map(|service| {
                service.runnable_harness().map(|harness| BuildUnit {
                    package: harness.package.clone(),
                    client_package: service.plan.target.client.package.clone(),
                    operation_files: harness.operation_files.clone(),
                })
            })
            .collect();
        if units.is_empty() {
            return Ok(());
        }
        progress.stage(format!(
            "building harnesses for {} crate(s){}",
            units.len(),
            if attempt > 1 {
                format!(" (attempt {attempt}, after excluding operations that did not compile)")
            } else if changed == 0 {
                " (unchanged)".to_owned()
            } else {
                String::new()
            }
        ));
        let result = build(&root, &options.build_target_dir, &units, progress)?;
        if result.success {
            return Ok(());
        }
        if !exclude_failures(services, &result)? {
            return Err(RunError::Build {
                packages: units
                    .iter()
                    .map(|unit| unit.client_package.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                details: result
                    .package_errors
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n"),
            });
        }
    }
    // Still failing after the last attempt: whatever remains is a build failure of its crate.
    for service in services.iter_mut() {
        let plan = &mut service.plan;
        if plan.is_runnable() {
            plan.report.build_failure = Some(format!(
                "still failing to compile after {BUILD_ATTEMPTS} attempts"
            ));
        }
    }
    Ok(())
}

/// Excludes the operations that did not compile (regenerating their harness) and records
/// package failures as the service's build failure. Returns whether anything changed, i.e.
/// whether another build can do better.
fn exclude_failures(
    services: &mut [GeneratedService<'_>],
    result: &BuildResult,
) -> Result<bool, RunError> {
    let mut progress_made = false;
    for service in services.iter_mut() {
        let Some(package) = service.runnable_harness().map(|code| code.package.clone()) else {
            continue;
        };
        if let Some(errors) = result.operation_errors.get(&package) {
            for (operation, error) in errors {
                service.plan.exclude(Exclusion::new(
                    operation,
                    ExclusionScope::Operation,
                    Stage::Compile,
                    &first_lines(error, 6),
                ));
            }
            drop_operations(&mut service.plan, Stage::Compile, |name| {
                errors.contains_key(name)
            });
            let facts = service
                .harness
                .as_ref()
                .map(|harness| harness.facts.clone())
                .unwrap_or_default();
            regenerate(service, facts)?;
            progress_made = true;
        } else if let Some(error) = result.package_errors.get(&package) {
            service.plan.report.build_failure = Some(error.clone());
            progress_made = true;
        }
    }
    Ok(progress_made)
}
