//! Fixtures shared by the store's integration tests: a store in a temporary directory, a
//! small sts snapshot set, and readers of what ended up on disk.

use std::fs;
use std::path::{Path, PathBuf};

use snapshot_store::{CompareReport, Kind, Scope, Snapshot, SnapshotKey, Store};

pub const STS: &str = "aws-sdk-sts";
pub const SQS: &str = "aws-sdk-sqs";

pub fn snap(crate_name: &str, kind: Kind, name: &str, contents: &str) -> Snapshot {
    let expression = format!(
        "{crate_name} {name} {}",
        kind.dir_name().trim_end_matches('s')
    );
    Snapshot::new(
        SnapshotKey::new(crate_name, kind, name),
        expression,
        contents,
    )
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

impl Fixture {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("snapshots"), dir.path());
        Fixture { dir, store }
    }

    /// A store that already holds [`full_sts`], written the way a first run writes it.
    pub fn with_full_sts() -> Self {
        let fx = Fixture::new();
        fx.store
            .write(&Scope::new().include_crate(STS), full_sts())
            .unwrap();
        fx
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join("snapshots").join(relative)
    }

    /// Every file under the snapshot directory, relative, with its content.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let base = self.root().join("snapshots");
        if base.exists() {
            collect(&base, &base, &mut out);
        }
        out.sort();
        out
    }

    pub fn names(&self) -> Vec<String> {
        self.files().into_iter().map(|(name, _)| name).collect()
    }
}

pub fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let relative = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, fs::read_to_string(&path).unwrap()));
        }
    }
}

pub fn outcomes(report: &CompareReport) -> Vec<(String, &'static str)> {
    report
        .results
        .iter()
        .map(|result| (result.key.to_string(), result.outcome.label()))
        .collect()
}

pub fn full_sts() -> Vec<Snapshot> {
    vec![
        snap(
            STS,
            Kind::Requests,
            "AssumeRole",
            "POST /\n\nAction=AssumeRole",
        ),
        snap(
            STS,
            Kind::Requests,
            "GetCallerIdentity",
            "POST /\n\nAction=GetCallerIdentity",
        ),
        snap(STS, Kind::Responses, "AssumeRole", "200 OK"),
        snap(
            STS,
            Kind::Errors,
            "ExpiredTokenException",
            "400 Bad Request",
        ),
    ]
}
