//! The prepare stage, before anything is planned: the harness workspace's manifests, the
//! dependency versions it builds with, and what each client crate's source says.
//!
//! 1. The workspace is written with its manifests alone (the runtime crates and one manifest
//!    per client), leaving any generated harness code as it is.
//! 2. Its `Cargo.lock` is seeded from the versions the user controls ([`HarnessLock`]).
//! 3. `cargo metadata` resolves it (downloading the clients) and the resolve is settled
//!    against the committed lock: a `compare` that would have to change the lock stops here,
//!    before anything is built.
//! 4. Each client's source is read ([`ClientFacts`]: its config setters and its API), so the
//!    plan can drop members the crate cannot hold and code is generated once, to fit.
//!
//! When cargo cannot resolve (offline, a misspelled crate), facts stay unknown, code is
//! generated from the model alone, and the lock is settled after the build, which reports
//! cargo's reason.

use std::collections::BTreeMap;
use std::path::Path;

use snapshot_codegen::{harness_manifest_only, workspace_files, ClientFacts, GeneratedHarness};
use snapshot_model::Model;

use crate::generate::{harness_dir, harness_root};
use crate::lock::HarnessLock;
use crate::{Progress, RunError, RunOptions};

/// What the later stages need from the prepare stage.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// What each client's source says, by client package; missing when unknown.
    pub facts: ClientFactsByPackage,
    /// The run's lock, settled unless cargo could not resolve.
    pub lock: HarnessLock,
    /// How many files of the workspace were written.
    pub changed: usize,
}

/// What each client's source says, by client package.
pub(crate) type ClientFactsByPackage = BTreeMap<String, ClientFacts>;

/// Runs the stage for every service of the run; `models` are those of `options.services`, in
/// the same order.
pub(crate) fn prepare(
    options: &RunOptions,
    models: &[Model],
    progress: &Progress,
) -> Result<Prepared, RunError> {
    let root = harness_root(options);
    let mut lock = HarnessLock::open(options)?;
    if options.services.is_empty() {
        return Ok(Prepared {
            facts: BTreeMap::new(),
            lock,
            changed: 0,
        });
    }
    progress.stage(format!(
        "resolving the harness dependencies of {} crate(s)",
        options.services.len()
    ));
    let changed = write_manifests(&root, options, models)?;
    lock.seed(&root)?;
    let metadata = cargo_metadata::MetadataCommand::new()
        .current_dir(&root)
        .exec();
    let facts = match metadata {
        Ok(metadata) => {
            lock.settle(&root, options.lock.coverage)?;
            read_facts(options, &metadata)
        }
        Err(error) => {
            tracing::debug!("cannot resolve the harness workspace: {error}");
            BTreeMap::new()
        }
    };
    Ok(Prepared {
        facts,
        lock,
        changed,
    })
}

/// Writes only what `cargo metadata` needs: the manifests (with the client features the
/// model asks for, so the resolve is the build's) and the runtime crates.
fn write_manifests(root: &Path, options: &RunOptions, models: &[Model]) -> Result<usize, RunError> {
    let mut skeletons = Vec::new();
    for (target, model) in options.services.iter().zip(models) {
        let index = model.service_index(target.service_shape.as_deref())?;
        skeletons.push(harness_manifest_only(&index, &target.client)?);
    }
    let skeleton_refs: Vec<&GeneratedHarness> = skeletons.iter().collect();
    let mut files = workspace_files(&skeleton_refs)?;
    files.extend(
        skeletons
            .iter()
            .flat_map(|harness| harness.files.iter().cloned()),
    );
    harness_dir::sync(root, &files, &[])
}

/// Each client's facts, read from where cargo put its source. A crate whose API cannot be
/// read keeps its other facts; its operations are then generated from the model alone.
fn read_facts(
    options: &RunOptions,
    metadata: &cargo_metadata::Metadata,
) -> BTreeMap<String, ClientFacts> {
    let cache = options.work_dir.join("client-api");
    options
        .services
        .iter()
        .filter_map(|target| {
            let package = &target.client.package;
            let dir = metadata
                .packages
                .iter()
                .find(|candidate| candidate.name.as_str() == package)
                .and_then(|candidate| candidate.manifest_path.parent())?;
            let (facts, error) = ClientFacts::read_with_api(dir.as_std_path(), &cache);
            if let Some(error) = error {
                tracing::warn!(
                    "{package}: {error}; its operations are generated from the model alone"
                );
            }
            Some((package.clone(), facts))
        })
        .collect()
}
