//! Artifacts: files the store writes at the root of the snapshot directory together with the
//! snapshots of a run (the harness lock), atomically and only when their text changes.

use std::fs;
use std::path::{Path, PathBuf};

use snapshot_store::{
    Artifact, ArtifactChange, ArtifactWrite, Kind, Scope, Snapshot, SnapshotKey, Store, StoreError,
};

const STS: &str = "aws-sdk-sts";
const SQS: &str = "aws-sdk-sqs";

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("snapshots"), dir.path());
        Fixture { dir, store }
    }

    fn with_full_sts() -> Self {
        let fx = Fixture::new();
        fx.store
            .write(&Scope::new().include_crate(STS), full_sts())
            .unwrap();
        fx
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join("snapshots").join(relative)
    }

    /// Every file under the snapshot directory (hidden ones too), relative, with its content.
    fn files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        collect(&self.path(""), &self.path(""), &mut out);
        out.sort();
        out
    }

    fn names(&self) -> Vec<String> {
        self.files().into_iter().map(|(name, _)| name).collect()
    }
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let relative = path.strip_prefix(base).unwrap().to_string_lossy();
            out.push((
                relative.replace('\\', "/"),
                fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

fn full_sts() -> Vec<Snapshot> {
    ["AssumeRole", "GetCallerIdentity"]
        .into_iter()
        .map(|name| {
            Snapshot::new(
                SnapshotKey::new(STS, Kind::Requests, name),
                format!("{STS} {name} request"),
                format!("POST {name}"),
            )
        })
        .collect()
}

fn lock(text: &str) -> Artifact {
    Artifact::new("harness.lock", text).unwrap()
}

#[test]
fn an_artifact_is_written_with_the_snapshots_and_read_back() {
    let fx = Fixture::new();
    assert_eq!(fx.store.read_artifact("harness.lock").unwrap(), None);
    let summary = fx
        .store
        .write_with_artifacts(
            &Scope::new().include_crate(STS),
            full_sts(),
            vec![lock("v1")],
        )
        .unwrap();
    assert_eq!(
        summary.artifacts,
        [ArtifactWrite {
            file_name: "harness.lock".to_owned(),
            change: ArtifactChange::Created
        }]
    );
    assert_eq!(
        fx.store.read_artifact("harness.lock").unwrap().as_deref(),
        Some("v1")
    );
    assert!(fx.names().contains(&"harness.lock".to_owned()));
    assert_eq!(
        fx.store.artifact_path("harness.lock"),
        fx.path("harness.lock")
    );

    // Unchanged text: the file is left alone; new text replaces it.
    let again = fx
        .store
        .write_with_artifacts(
            &Scope::new().include_crate(STS),
            full_sts(),
            vec![lock("v1")],
        )
        .unwrap();
    assert_eq!(again.artifacts[0].change, ArtifactChange::Unchanged);
    let changed = fx
        .store
        .write_with_artifacts(&Scope::new(), Vec::new(), vec![lock("v2")])
        .unwrap();
    assert_eq!(changed.artifacts[0].change, ArtifactChange::Updated);
    assert_eq!(
        fx.store.read_artifact("harness.lock").unwrap().as_deref(),
        Some("v2")
    );
    // Plain writes never touch artifacts, and the snapshots are all still there.
    fx.store
        .write(&Scope::new().include_crate(STS), full_sts())
        .unwrap();
    assert_eq!(
        fx.store.read_artifact("harness.lock").unwrap().as_deref(),
        Some("v2")
    );
}

#[test]
fn a_write_that_fails_while_staging_leaves_the_old_artifact_and_no_litter() {
    let fx = Fixture::with_full_sts();
    fx.store
        .write_with_artifacts(&Scope::new(), Vec::new(), vec![lock("old")])
        .unwrap();
    let before = fx.files();
    // A regular file where the sqs crate directory belongs: staging fails before any swap.
    fs::write(fx.path(SQS), "not a directory").unwrap();
    let error = fx
        .store
        .write_with_artifacts(
            &Scope::new().include_crate(STS).include_crate(SQS),
            full_sts(),
            vec![lock("new")],
        )
        .unwrap_err();
    assert!(matches!(error, StoreError::NotADirectory { .. }), "{error}");
    fs::remove_file(fx.path(SQS)).unwrap();
    assert_eq!(fx.files(), before);
}

#[test]
fn artifact_names_that_could_be_crates_or_snapshots_are_refused() {
    let fx = Fixture::new();
    for name in ["harness", "x.snap", "../harness.lock"] {
        assert!(
            matches!(
                fx.store.read_artifact(name),
                Err(StoreError::InvalidName { .. })
            ),
            "{name}"
        );
    }
}
