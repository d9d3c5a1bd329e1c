//! `cargo xtask corpus`: every AWS service model at a pinned revision, paired with the
//! `aws-sdk-*` crate release generated from it, as a `snapshot.toml` (and, with `--run`, a
//! partitioned, measured run of it and its summary).
//!
//! The manifest `xtask/corpus/aws-models.toml` pins the source (AWS's model repository
//! `aws/api-models-aws` at one commit; the same JSON AST files Maven Central publishes as
//! `software.amazon.api.models:<sdk-id>`) and, per model: its path, SHA-256, service shape,
//! protocol, operation count, client crate and crate version. Models never enter this
//! repository: `--models DIR` reads a checkout, `--fetch` clones one with git, and every file
//! is checked against its SHA-256 before use.
//!
//! Pairing (`--pin`, rule and check in [`crate::aws_pairing`]): the last crate release published
//! up to a day after the models' commit, confirmed by comparing the crate's operation modules
//! with the model's operations; pairs that still differ are recorded in the manifest and
//! listed by `cargo xtask corpus` and the run summary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use snapshot_model::Model;

use crate::aws_pairing::{self, OperationDifference, PairRequest, Pairing, Release};
use crate::corpus::workspace_root;

/// The committed manifest.
pub fn manifest_path() -> PathBuf {
    workspace_root().join("xtask/corpus/aws-models.toml")
}

/// Options of `cargo xtask corpus`.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Every model of the manifest
    #[arg(long, conflicts_with = "smallest")]
    pub all: bool,
    /// Only the N models with the fewest operations (ties by name): the budgeted selection
    #[arg(long, value_name = "N")]
    pub smallest: Option<usize>,
    /// A checkout of the manifest's model repository at its commit
    #[arg(long, value_name = "DIR", conflicts_with = "fetch")]
    pub models: Option<PathBuf>,
    /// Clone the manifest's model repository at its commit into <out>/models (needs git and
    /// network access to the repository, or --repository naming a mirror)
    #[arg(long)]
    pub fetch: bool,
    /// Clone from this URL or path instead of the manifest's repository (same commit)
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Rewrite the manifest from --models: checksums, shapes, protocols and operation counts
    /// of every model, and crate versions (by the pairing rule) for the selected ones
    #[arg(long)]
    pub pin: bool,
    /// Where the config, models, snapshots and run reports go [default: target/aws-corpus]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// After writing the config, run `cargo snapshot write` over it in this many partitions
    /// (one after the other, each measured), then check the pairs and write the summary
    #[arg(long, value_name = "PARTITIONS")]
    pub run: Option<u64>,
    /// Where `--run` writes its summary (summary.md, summary.json) [default:
    /// xtask/corpus/aws-run]
    #[arg(long, value_name = "DIR")]
    pub summary: Option<PathBuf>,
    /// With --run: forget the partitions recorded by an earlier run and run them all again
    /// (by default a partition already recorded for the same config is not run again)
    #[arg(long, requires = "run")]
    pub fresh: bool,
    /// With --run: after each partition, remove its clients' and harnesses' build artifacts
    /// (`cargo clean -p`), keeping only what every client shares: the disk a run needs stays
    /// that of one partition
    #[arg(long, requires = "run")]
    pub prune: bool,
    /// With --run: run nothing, write the summary from the partitions recorded so far
    #[arg(long, requires = "run", conflicts_with = "fresh")]
    pub report_only: bool,
}

/// The manifest: where the models come from and what each one is paired with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The pinned model revision.
    pub source: Source,
    /// One entry per model, sorted by name.
    #[serde(rename = "model", default)]
    pub models: Vec<ModelEntry>,
}

/// The pinned model revision.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    /// A git repository holding `<sdk-id>/service/<api-version>/<sdk-id>-<api-version>.json`.
    pub repository: String,
    /// The commit.
    pub commit: String,
    /// Its commit time (RFC 3339, UTC): the pairing rule's reference.
    pub committed: String,
}

/// One model and its client crate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelEntry {
    /// The model's directory (its sdk id, as the repository spells it); the service name.
    pub name: String,
    /// The file, relative to the checkout.
    pub path: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The service shape.
    pub service_shape: String,
    /// The protocol smithy-rs generates.
    pub protocol: String,
    /// Operations (with those of resources).
    pub operations: usize,
    /// The client crate smithy-rs names from the `sdkId`.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The paired crate version (`=x.y.z`), when pinned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When that version was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Why no version is pinned, when the index was asked and gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpaired: Option<String>,
    /// How the paired crate's operations differ from the model's, when no candidate release
    /// matched (see [`crate::aws_pairing`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations_differ: Option<OperationDifference>,
}

impl ModelEntry {
    fn pin(&mut self, release: &Release) {
        self.version = Some(format!("={}", release.version));
        self.published = Some(release.published_text());
    }
}

impl Manifest {
    /// Reads the committed manifest.
    pub fn load() -> Result<Manifest> {
        let path = manifest_path();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    fn save(&self) -> Result<()> {
        let header = "# Every AWS service model at one pinned revision, paired with its aws-sdk-* crate.\n\
# Written by `cargo xtask corpus --pin`; read by `cargo xtask corpus` (see README, \"All AWS services\").\n\n";
        let text = format!("{header}{}", toml::to_string(self)?);
        std::fs::write(manifest_path(), text).context("writing the manifest")
    }

    /// The selected models: all, or the `smallest` by operation count (ties by name).
    pub fn select(&self, args: &CorpusArgs) -> Result<Vec<&ModelEntry>> {
        let mut models: Vec<&ModelEntry> = self.models.iter().collect();
        match (args.all, args.smallest) {
            (true, _) => {}
            (false, Some(count)) => {
                models.sort_by(|a, b| (a.operations, &a.name).cmp(&(b.operations, &b.name)));
                models.truncate(count);
                models.sort_by(|a, b| a.name.cmp(&b.name));
            }
            (false, None) => bail!("say which models: --all, or --smallest N"),
        }
        Ok(models)
    }
}

/// Runs `cargo xtask corpus`.
pub fn run(args: &CorpusArgs) -> Result<std::process::ExitCode> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| workspace_root().join("target/aws-corpus"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let mut manifest = Manifest::load()?;
    let models_dir = match (&args.models, args.fetch) {
        (Some(dir), _) => dir.clone(),
        (None, true) => fetch(&manifest.source, args.repository.as_deref(), &out)?,
        (None, false) => bail!(
            "say where the models are: --models <checkout of {} at {}>, or --fetch",
            manifest.source.repository,
            manifest.source.commit
        ),
    };
    if args.pin {
        manifest = pin(&manifest.source, &models_dir, args, &out)?;
        manifest.save()?;
        println!(
            "pinned {} models in {}",
            manifest.models.len(),
            manifest_path().display()
        );
    }
    let selected: Vec<ModelEntry> = manifest.select(args)?.into_iter().cloned().collect();
    verify(&models_dir, &selected)?;
    let config = write_config(&models_dir, &selected, &out)?;
    println!(
        "{}: {} services ({} operations) of {} models at {}",
        config.display(),
        selected
            .iter()
            .filter(|model| model.version.is_some())
            .count(),
        selected
            .iter()
            .filter(|model| model.version.is_some())
            .map(|model| model.operations)
            .sum::<usize>(),
        manifest.models.len(),
        &manifest.source.commit[..12.min(manifest.source.commit.len())]
    );
    for model in selected.iter().filter(|model| model.version.is_none()) {
        println!(
            "  left out {}: {}",
            model.name,
            model
                .unpaired
                .as_deref()
                .unwrap_or("no crate version pinned (run --pin)")
        );
    }
    for model in &selected {
        if let (Some(version), Some(difference)) = (&model.version, &model.operations_differ) {
            println!(
                "  {} {} differs from its model: {}",
                model.crate_name,
                version.trim_start_matches('='),
                difference.describe()
            );
        }
    }
    match args.run {
        Some(partitions) => crate::aws_run::run(&manifest, &selected, &config, partitions, args),
        None => Ok(std::process::ExitCode::SUCCESS),
    }
}

/// Clones the source at its commit into `<out>/models` (kept between runs).
fn fetch(source: &Source, repository: Option<&str>, out: &Path) -> Result<PathBuf> {
    let dir = out.join("models");
    let url = repository.unwrap_or(&source.repository);
    if !dir.join(".git").exists() {
        git(out, &["clone", "--no-checkout", url, "models"])?;
    }
    git(&dir, &["checkout", "--quiet", "--detach", &source.commit])?;
    Ok(dir)
}

fn git(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .context("running git (is it installed?)")?;
    if !status.success() {
        bail!(
            "git {} failed in {} ({status})",
            args.join(" "),
            dir.display()
        );
    }
    Ok(())
}

/// Every model file's SHA-256 must be the manifest's.
fn verify(models_dir: &Path, models: &[ModelEntry]) -> Result<()> {
    let mut problems = Vec::new();
    for model in models {
        let path = models_dir.join(&model.path);
        match std::fs::read(&path) {
            Ok(bytes) if sha256(&bytes) == model.sha256 => {}
            Ok(_) => problems.push(format!(
                "{}: SHA-256 differs from the manifest",
                path.display()
            )),
            Err(error) => problems.push(format!("{}: {error}", path.display())),
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} model(s) are not the pinned ones (check out the manifest's commit, or re-pin with --pin):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(())
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The `snapshot.toml` for `models` (those with a pinned version), snapshots in `<out>/snapshots`.
fn write_config(models_dir: &Path, models: &[ModelEntry], out: &Path) -> Result<PathBuf> {
    let mut config = toml::Table::new();
    let absolute =
        |path: &Path| -> Result<String> { Ok(std::path::absolute(path)?.display().to_string()) };
    config.insert(
        "snapshot_dir".into(),
        absolute(&out.join("snapshots"))?.into(),
    );
    config.insert("models_dir".into(), absolute(models_dir)?.into());
    let services: Vec<toml::Value> = models
        .iter()
        .filter_map(|model| {
            let version = model.version.as_ref()?;
            let mut entry = toml::Table::new();
            entry.insert("model".into(), model.path.clone().into());
            entry.insert("crate".into(), model.crate_name.clone().into());
            entry.insert("version".into(), version.clone().into());
            entry.insert("service_shape".into(), model.service_shape.clone().into());
            entry.insert("name".into(), model.name.clone().into());
            Some(toml::Value::Table(entry))
        })
        .collect();
    config.insert("service".into(), toml::Value::Array(services));
    let path = out.join("snapshot.toml");
    let text = format!(
        "# Written by `cargo xtask corpus` from {}.\n{}",
        manifest_path().display(),
        toml::to_string(&config)?
    );
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Reads every model of the checkout; pairs the selected ones with a crate release by the
/// rule of [`crate::aws_pairing`] (the others keep what the manifest had).
fn pin(source: &Source, models_dir: &Path, args: &CorpusArgs, out: &Path) -> Result<Manifest> {
    let committed = commit_time(models_dir).unwrap_or_else(|| source.committed.clone());
    let commit = head_commit(models_dir).unwrap_or_else(|| source.commit.clone());
    let previous = Manifest::load().ok();
    let mut models = Vec::new();
    let mut operations: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in model_files(models_dir)? {
        let relative = path
            .strip_prefix(models_dir)?
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let name = relative.split('/').next().unwrap_or_default().to_owned();
        let bytes = std::fs::read(&path)?;
        let model = Model::load(&path).with_context(|| format!("loading {}", path.display()))?;
        for shape in model.services() {
            let index = model
                .service_index(Some(shape.as_str()))
                .with_context(|| format!("{}: {shape}", path.display()))?;
            let Some(aws) = index.aws_service() else {
                continue;
            };
            let kept = previous
                .as_ref()
                .and_then(|manifest| manifest.models.iter().find(|entry| entry.name == name))
                .cloned();
            operations.insert(
                name.clone(),
                index
                    .operations()
                    .iter()
                    .map(|operation| operation.name().to_owned())
                    .collect(),
            );
            models.push(ModelEntry {
                name: name.clone(),
                path: relative.clone(),
                sha256: sha256(&bytes),
                service_shape: shape.to_string(),
                protocol: index.protocol().name().to_owned(),
                operations: index.operations().len(),
                crate_name: cargo_snapshot::services::sdk_crate_name(&aws.sdk_id),
                version: kept.as_ref().and_then(|entry| entry.version.clone()),
                published: kept.as_ref().and_then(|entry| entry.published.clone()),
                unpaired: kept.as_ref().and_then(|entry| entry.unpaired.clone()),
                operations_differ: kept.and_then(|entry| entry.operations_differ),
            });
        }
    }
    models.sort_by(|a, b| a.name.cmp(&b.name));
    let mut manifest = Manifest {
        source: Source {
            repository: source.repository.clone(),
            commit,
            committed,
        },
        models,
    };
    let wanted: BTreeSet<String> = manifest
        .select(args)?
        .into_iter()
        .map(|model| model.name.clone())
        .collect();
    let requests: Vec<PairRequest> = manifest
        .models
        .iter()
        .filter(|model| wanted.contains(&model.name))
        .map(|model| PairRequest {
            crate_name: model.crate_name.clone(),
            operations: operations.remove(&model.name).unwrap_or_default(),
        })
        .collect();
    let reference = aws_pairing::parse_rfc3339(&manifest.source.committed)?;
    let pairings = aws_pairing::pair_all(&requests, reference, &aws_pairing::scratch_dir(out))?;
    let paired = manifest
        .models
        .iter_mut()
        .filter(|model| wanted.contains(&model.name));
    for (model, pairing) in paired.zip(pairings) {
        model.version = None;
        model.published = None;
        model.unpaired = None;
        model.operations_differ = None;
        match pairing {
            Pairing::Matched(release) => model.pin(&release),
            Pairing::Differs(release, difference) => {
                model.pin(&release);
                model.operations_differ = Some(difference);
            }
            Pairing::Unpaired(reason) => model.unpaired = Some(reason),
        }
    }
    Ok(manifest)
}

/// `<dir>/<sdk-id>/service/<version>/*.json`, sorted.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for service in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let service = service?.path().join("service");
        let Ok(versions) = std::fs::read_dir(&service) else {
            continue;
        };
        for version in versions {
            for file in std::fs::read_dir(version?.path())? {
                let file = file?.path();
                if file.extension().is_some_and(|ext| ext == "json") {
                    files.push(file);
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

fn git_output(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The commit checked out in `dir`, if `dir` is a git checkout of its own (a directory
/// unpacked inside another repository must not report that repository's commit).
fn head_commit(dir: &Path) -> Option<String> {
    dir.join(".git").exists().then_some(())?;
    git_output(dir, &["rev-parse", "HEAD"])
}

/// The commit time of HEAD in UTC, RFC 3339, if `dir` is a git checkout of its own.
fn commit_time(dir: &Path) -> Option<String> {
    dir.join(".git").exists().then_some(())?;
    let seconds: i64 = git_output(dir, &["log", "-1", "--format=%ct"])?
        .parse()
        .ok()?;
    Some(aws_pairing::rfc3339(
        time::OffsetDateTime::from_unix_timestamp(seconds).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_manifest_pins_every_selected_model_by_checksum() {
        let manifest = Manifest::load().unwrap();
        assert!(
            manifest.models.len() > 300,
            "every AWS service model is listed"
        );
        assert_eq!(manifest.source.commit.len(), 40);
        for model in &manifest.models {
            assert_eq!(model.sha256.len(), 64, "{}", model.name);
            assert!(model.crate_name.starts_with("aws-sdk-"), "{}", model.name);
            if let Some(version) = &model.version {
                assert!(version.starts_with('='), "{} is pinned exactly", model.name);
            }
        }
    }
}
