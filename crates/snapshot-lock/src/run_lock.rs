//! The versions one run builds with: which lock seeds the harness workspace, and what the
//! run's resolve means for the committed lock.
//!
//! Rules (SPEC §8, "reproducible over time"):
//! * For workspace-member and path client crates, the user's own `Cargo.lock` decides the
//!   versions of everything it locks; the committed lock (`<snapshot_dir>/harness.lock`) decides
//!   the rest. Where both lock a package in one semver-compatible series, the user's wins.
//! * The seed goes into the harness workspace as its `Cargo.lock` before cargo first resolves
//!   it. cargo keeps a seeded version whenever it satisfies the manifests (even for packages no
//!   other locked package depends on) and drops entries nothing uses (checked with cargo 1.95).
//! * `--locked` cannot be used: a run over some of the services prunes the entries of the
//!   others, which `--locked` refuses. Instead every package the run resolved, other than those
//!   the user's locks hold exactly, must be in the committed lock at the same version and
//!   source ([`RunLock::settle`]).

use std::path::{Path, PathBuf};

use crate::errors::{StaleLock, Unlocked};
use crate::{PackageKey, PackageSet};

/// How a run treats the committed lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// `compare`: the committed lock decides; a run that would change it fails.
    Honour,
    /// `write`: the committed lock decides what it locks; the packages the run needs beyond it
    /// are resolved afresh and recorded.
    Record,
    /// `write --update-lock`: everything is resolved afresh (the newest compatible versions)
    /// except what the user's locks decide, and recorded.
    Refresh,
}

/// Whether a run covers every configured service; only then does it resolve everything the
/// lock has to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunCoverage {
    /// Every configured service is in the run (operation filters do not matter: a harness
    /// depends on its whole client crate).
    AllServices,
    /// Some services are left out (`--service`, `--partition`).
    SomeServices,
}

/// Where the versions of one run come from.
#[derive(Debug, Clone)]
pub struct RunLock {
    mode: LockMode,
    committed_path: PathBuf,
    committed: Option<PackageSet>,
    user: PackageSet,
}

/// What the committed lock becomes after a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// The lock to record with the snapshots: `None` when `compare` ran, or when there is
    /// nothing to lock and no lock to keep.
    pub record: Option<PackageSet>,
    /// Packages the recorded lock adds to the committed one.
    pub added: Vec<PackageKey>,
    /// Packages of the committed lock the recorded one no longer holds.
    pub removed: Vec<PackageKey>,
}

impl RunLock {
    /// A run in `mode` with the committed lock at `committed_path` (`None`: there is none yet).
    pub fn new(mode: LockMode, committed_path: &Path, committed: Option<PackageSet>) -> Self {
        RunLock {
            mode,
            committed_path: committed_path.to_owned(),
            committed,
            user: PackageSet::default(),
        }
    }

    /// Adds the packages of a user's `Cargo.lock` (the workspace of a workspace-member or path
    /// client crate); several locks add up.
    pub fn with_user_lock(mut self, lock: &PackageSet) -> Self {
        self.user = self.user.union(lock);
        self
    }

    /// The mode.
    pub fn mode(&self) -> LockMode {
        self.mode
    }

    /// Where the committed lock lives.
    pub fn committed_path(&self) -> &Path {
        &self.committed_path
    }

    /// The lock to write as the harness workspace's `Cargo.lock` before cargo resolves it: the
    /// user's packages, and (unless refreshing) the committed ones no user package stands in for.
    pub fn seed(&self) -> PackageSet {
        let committed = match (self.mode, &self.committed) {
            (LockMode::Refresh, _) | (_, None) => return self.user.clone(),
            (_, Some(committed)) => committed,
        };
        let user = &self.user;
        committed
            .filter(|key| !user.keys().any(|mine| mine.is_compatible_with(key)))
            .union(user)
    }

    /// Judges the harness workspace's lock after cargo resolved it.
    ///
    /// * [`LockMode::Honour`]: every resolved package not decided by a user's lock must be in
    ///   the committed lock exactly; nothing is recorded.
    /// * [`LockMode::Record`]: the run's packages are recorded; a run over some services keeps
    ///   the committed entries of the others (union by name, version and source), a run over all
    ///   of them records exactly what it resolved.
    /// * [`LockMode::Refresh`]: like `Record`, except that a run over some services replaces
    ///   every committed version of each package it resolved.
    ///
    /// # Errors
    /// [`StaleLock`] when honouring a lock that lacks what the run resolved (or is missing).
    pub fn settle(
        &self,
        resolved: &PackageSet,
        coverage: RunCoverage,
    ) -> Result<Settled, StaleLock> {
        let needed = resolved.without(&self.user);
        let empty = PackageSet::default();
        let committed = self.committed.as_ref().unwrap_or(&empty);
        let record = match (self.mode, coverage) {
            (LockMode::Honour, _) => {
                self.check(&needed)?;
                return Ok(Settled {
                    record: None,
                    added: Vec::new(),
                    removed: Vec::new(),
                });
            }
            (_, RunCoverage::AllServices) => needed,
            (LockMode::Record, RunCoverage::SomeServices) => committed.union(&needed),
            (LockMode::Refresh, RunCoverage::SomeServices) => committed
                .filter(|key| !needed.keys().any(|new| new.name == key.name))
                .union(&needed),
        };
        let added = record.without(committed).keys().cloned().collect();
        let removed = committed.without(&record).keys().cloned().collect();
        let record = (self.committed.is_some() || !record.is_empty()).then_some(record);
        Ok(Settled {
            record,
            added,
            removed,
        })
    }

    fn check(&self, needed: &PackageSet) -> Result<(), StaleLock> {
        let Some(committed) = &self.committed else {
            return match needed.is_empty() {
                true => Ok(()),
                false => Err(StaleLock::Missing {
                    path: self.committed_path.clone(),
                }),
            };
        };
        let unlocked: Vec<Unlocked> = needed
            .without(committed)
            .keys()
            .map(|package| Unlocked {
                package: package.clone(),
                locked: committed.versions_of(package).cloned().collect(),
            })
            .collect();
        match unlocked.is_empty() {
            true => Ok(()),
            false => Err(StaleLock::Outdated {
                path: self.committed_path.clone(),
                unlocked,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

    /// A lock of `name version` pairs, each without dependencies.
    fn lock(packages: &[(&str, &str)]) -> PackageSet {
        let mut text = String::from("version = 4\n");
        for (name, version) in packages {
            text.push_str(&format!(
                "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"{CRATES_IO}\"\n"
            ));
        }
        PackageSet::parse(&text, Path::new("test.lock")).unwrap()
    }

    fn names(keys: &[PackageKey]) -> Vec<String> {
        keys.iter().map(ToString::to_string).collect()
    }

    fn rendered(set: &PackageSet) -> Vec<String> {
        set.keys().map(ToString::to_string).collect()
    }

    const PATH: &str = "snapshots/harness.lock";

    #[test]
    fn compare_accepts_a_run_inside_the_lock_even_when_it_prunes() {
        let committed = lock(&[("aws-sdk-sts", "1.124.0"), ("aws-sdk-sso", "1.119.0")]);
        let run = RunLock::new(LockMode::Honour, Path::new(PATH), Some(committed.clone()));
        assert_eq!(run.seed(), committed);
        let settled = run
            .settle(
                &lock(&[("aws-sdk-sts", "1.124.0")]),
                RunCoverage::SomeServices,
            )
            .unwrap();
        assert_eq!(settled.record, None);
    }

    #[test]
    fn compare_fails_on_a_version_the_lock_lacks_and_names_the_fix() {
        let committed = lock(&[("aws-sdk-sts", "1.124.0"), ("serde_json", "1.0.149")]);
        let run = RunLock::new(LockMode::Honour, Path::new(PATH), Some(committed));
        let resolved = lock(&[("aws-sdk-sts", "1.125.0"), ("serde_json", "1.0.149")]);
        let error = run.settle(&resolved, RunCoverage::AllServices).unwrap_err();
        let StaleLock::Outdated { unlocked, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(unlocked.len(), 1);
        let message = error.to_string();
        assert!(
            message.contains("snapshots/harness.lock does not lock")
                && message.contains("aws-sdk-sts 1.125.0 (locked: 1.124.0)")
                && message.contains("`cargo snapshot write`")
                && message.contains("--update-lock"),
            "{message}"
        );
    }

    #[test]
    fn compare_without_a_lock_fails_unless_nothing_needs_locking() {
        let run = RunLock::new(LockMode::Honour, Path::new(PATH), None);
        let error = run
            .settle(&lock(&[("itoa", "1.0.14")]), RunCoverage::AllServices)
            .unwrap_err();
        assert!(matches!(error, StaleLock::Missing { .. }), "{error:?}");
        assert!(error
            .to_string()
            .contains("run `cargo snapshot write` once"));
        assert!(run
            .settle(&PackageSet::default(), RunCoverage::AllServices)
            .is_ok());
    }

    #[test]
    fn a_filtered_write_keeps_the_entries_of_services_outside_the_run() {
        let committed = lock(&[("aws-sdk-sso", "1.119.0"), ("aws-sdk-sts", "1.124.0")]);
        let run = RunLock::new(LockMode::Record, Path::new(PATH), Some(committed));
        let settled = run
            .settle(
                &lock(&[("aws-sdk-sts", "1.124.0"), ("itoa", "1.0.14")]),
                RunCoverage::SomeServices,
            )
            .unwrap();
        let record = settled.record.unwrap();
        assert_eq!(
            rendered(&record),
            ["aws-sdk-sso 1.119.0", "aws-sdk-sts 1.124.0", "itoa 1.0.14"]
        );
        assert_eq!(names(&settled.added), ["itoa 1.0.14"]);
        assert!(settled.removed.is_empty());
    }

    #[test]
    fn a_full_write_records_exactly_what_it_resolved() {
        let committed = lock(&[("aws-sdk-sso", "1.119.0"), ("aws-sdk-sts", "1.124.0")]);
        let run = RunLock::new(LockMode::Record, Path::new(PATH), Some(committed));
        let settled = run
            .settle(
                &lock(&[("aws-sdk-sts", "1.124.0")]),
                RunCoverage::AllServices,
            )
            .unwrap();
        assert_eq!(rendered(&settled.record.unwrap()), ["aws-sdk-sts 1.124.0"]);
        assert_eq!(names(&settled.removed), ["aws-sdk-sso 1.119.0"]);
    }

    #[test]
    fn refresh_seeds_nothing_committed_and_replaces_what_it_resolved() {
        let committed = lock(&[("aws-sdk-sso", "1.119.0"), ("serde_json", "1.0.149")]);
        let run = RunLock::new(LockMode::Refresh, Path::new(PATH), Some(committed));
        assert!(run.seed().is_empty());
        let settled = run
            .settle(
                &lock(&[("serde_json", "1.0.154")]),
                RunCoverage::SomeServices,
            )
            .unwrap();
        assert_eq!(
            rendered(&settled.record.unwrap()),
            ["aws-sdk-sso 1.119.0", "serde_json 1.0.154"]
        );
        assert_eq!(names(&settled.removed), ["serde_json 1.0.149"]);
    }

    #[test]
    fn the_users_lock_wins_and_is_never_recorded_or_checked() {
        let committed = lock(&[("aws-smithy-types", "1.3.2"), ("itoa", "1.0.14")]);
        let user = lock(&[("aws-smithy-types", "1.3.0"), ("http", "0.2.12")]);
        let run =
            RunLock::new(LockMode::Honour, Path::new(PATH), Some(committed)).with_user_lock(&user);
        assert_eq!(
            rendered(&run.seed()),
            ["aws-smithy-types 1.3.0", "http 0.2.12", "itoa 1.0.14"]
        );
        let resolved = lock(&[("aws-smithy-types", "1.3.0"), ("itoa", "1.0.14")]);
        assert!(run.settle(&resolved, RunCoverage::AllServices).is_ok());

        let committed = lock(&[("itoa", "1.0.14")]);
        let run =
            RunLock::new(LockMode::Record, Path::new(PATH), Some(committed)).with_user_lock(&user);
        let settled = run.settle(&resolved, RunCoverage::AllServices).unwrap();
        assert_eq!(rendered(&settled.record.unwrap()), ["itoa 1.0.14"]);
    }

    #[test]
    fn nothing_to_lock_writes_no_lock() {
        let run = RunLock::new(LockMode::Record, Path::new(PATH), None);
        let settled = run
            .settle(&PackageSet::default(), RunCoverage::AllServices)
            .unwrap();
        assert_eq!(settled.record, None);
    }
}
