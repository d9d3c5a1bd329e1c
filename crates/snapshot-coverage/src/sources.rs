//! The three sources coverage reads, each through its owner's types: the snapshot files
//! ([`snapshot_store::Store`]), the last run's report ([`snapshot_runner::RunReport`]) and the
//! parity metrics files ([`snapshot_parity::ParityMetrics`]). Nothing is built or run.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use snapshot_parity::metrics::{
    metrics_files, OperationMetrics, METRICS_FORMAT_VERSION, SNAPSHOT_PARITY_METRICS_DIR,
};
use snapshot_parity::{ParityError, ParityMetrics};
use snapshot_runner::report::{RunReport, REPORT_FILE};
use snapshot_store::{Kind, Store};

use crate::errors::CoverageError;
use crate::report::{ParityOperation, Warning, WarningKind};

/// Where `coverage` looks besides the configuration: files under the cargo target directory.
#[derive(Debug, Clone)]
pub struct CoverageInputs {
    /// The run report (`<target>/cargo-snapshot/last-run.json`).
    pub report: PathBuf,
    /// The parity metrics directory.
    pub parity_dir: PathBuf,
}

impl CoverageInputs {
    /// The default locations under a cargo target directory; `$SNAPSHOT_PARITY_METRICS_DIR`
    /// overrides the parity directory, as it does for the parity tests that write it.
    pub fn under_target_dir(target_dir: &Path) -> Self {
        let parity_dir = std::env::var_os(SNAPSHOT_PARITY_METRICS_DIR)
            .filter(|dir| !dir.is_empty())
            .map_or_else(
                || target_dir.join("snapshot-parity").join("metrics"),
                PathBuf::from,
            );
        CoverageInputs {
            report: target_dir.join("cargo-snapshot").join(REPORT_FILE),
            parity_dir,
        }
    }
}

/// A path relative to `root` when inside it, with `/` separators.
pub(crate) fn display(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// The last run's report as read.
pub(crate) struct LoadedReport {
    /// The path as reports show it (relative to the config's directory when inside it).
    pub(crate) shown: String,
    /// When it was written.
    pub(crate) modified: Option<SystemTime>,
    pub(crate) report: RunReport,
}

/// The report at `path`, or a warning saying why there is none to use.
pub(crate) fn load_report(
    path: &Path,
    root: &Path,
    warnings: &mut Vec<Warning>,
) -> Option<LoadedReport> {
    let shown = display(path, root);
    let modified = match std::fs::metadata(path) {
        Ok(metadata) => metadata.modified().ok(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            warnings.push(Warning {
                kind: WarningKind::NoReport,
                service: None,
                message: format!(
                    "no run results at {shown}: exclusions other than [[skip]] and lost members are unknown; run `cargo snapshot compare` (or `write`) first",
                ),
            });
            return None;
        }
        Err(error) => {
            warnings.push(unreadable_report(&shown, &error));
            return None;
        }
    };
    match RunReport::load(path) {
        Ok(report) => Some(LoadedReport {
            shown,
            modified,
            report,
        }),
        Err(error) => {
            warnings.push(unreadable_report(&shown, &error));
            None
        }
    }
}

fn unreadable_report(shown: &str, error: &io::Error) -> Warning {
    Warning {
        kind: WarningKind::UnreadableReport,
        service: None,
        message: format!(
            "cannot read the last run's results {shown}: {error}; run `cargo snapshot compare` to write them again",
        ),
    }
}

/// The snapshot files of one crate, as the store lists them.
#[derive(Debug, Default)]
pub(crate) struct SnapshotFiles {
    accepted: BTreeMap<Kind, BTreeSet<String>>,
    /// Pending `.snap.new` files.
    pub(crate) pending: usize,
    /// When the newest accepted file was written.
    pub(crate) newest: Option<SystemTime>,
}

impl SnapshotFiles {
    pub(crate) fn list(store: &Store, crate_name: &str) -> Result<Self, CoverageError> {
        let mut files = SnapshotFiles::default();
        for key in store.list(crate_name)? {
            files.accepted.entry(key.kind).or_default().insert(key.name);
        }
        files.pending = store.list_pending(crate_name)?.len();
        files.newest = store.last_modified(crate_name)?;
        Ok(files)
    }

    #[cfg(test)]
    pub(crate) fn insert(&mut self, kind: Kind, name: &str) {
        self.accepted
            .entry(kind)
            .or_default()
            .insert(name.to_owned());
    }

    /// The accepted snapshots of `kind`, by name.
    pub(crate) fn names(&self, kind: Kind) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        self.accepted.get(&kind).unwrap_or(&EMPTY)
    }
}

/// Parity results per service (SDK id as the metrics name it) and operation, summed over files.
pub(crate) type ParityByService = BTreeMap<String, BTreeMap<String, ParityOperation>>;

/// Every metrics file under `dir`, summed per service and operation, with the files read; a
/// file that cannot be used is a warning, not an error.
pub(crate) fn load_parity(
    dir: &Path,
    root: &Path,
    warnings: &mut Vec<Warning>,
) -> (ParityByService, Vec<PathBuf>) {
    let mut merged = ParityByService::new();
    let mut files = Vec::new();
    // An unreadable or absent directory means no parity tests ran here.
    let Ok(paths) = metrics_files(dir) else {
        return (merged, files);
    };
    for path in paths {
        let metrics = match ParityMetrics::load(&path) {
            Ok(metrics) if metrics.format_version == METRICS_FORMAT_VERSION => metrics,
            Ok(metrics) => {
                let reason = format!(
                    "layout version {} (this cargo-snapshot reads version {METRICS_FORMAT_VERSION})",
                    metrics.format_version
                );
                warnings.push(unreadable_parity(&path, root, &reason));
                continue;
            }
            Err(error) => {
                warnings.push(unreadable_parity(&path, root, &parity_reason(&error)));
                continue;
            }
        };
        for (service, operations) in metrics.services {
            let service = merged.entry(service).or_default();
            for (name, counts) in operations {
                add(service.entry(name).or_default(), counts);
            }
        }
        files.push(path);
    }
    (merged, files)
}

fn add(entry: &mut ParityOperation, counts: OperationMetrics) {
    entry.calls += counts.calls;
    entry.recorded += counts.recorded;
    entry.passed += counts.passed;
    entry.passed_with_skips += counts.passed_with_skips;
    entry.failed += counts.failed;
    entry.not_matched += counts.not_matched;
    entry.tests.extend(counts.tests);
}

/// The cause alone: the warning names the file itself.
fn parity_reason(error: &ParityError) -> String {
    match error {
        ParityError::Io { source, .. } => source.to_string(),
        ParityError::MalformedFile { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

fn unreadable_parity(path: &Path, root: &Path, reason: &str) -> Warning {
    Warning {
        kind: WarningKind::UnreadableParity,
        service: None,
        message: format!(
            "cannot read parity metrics {}: {reason}; run the parity tests again to rewrite it",
            display(path, root)
        ),
    }
}
