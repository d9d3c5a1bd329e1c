//! The harness builds with versions the user controls (SPEC §8): `write` records them in
//! `<snapshot_dir>/harness.lock`, `compare` builds with them although newer compatible
//! releases exist and fails with the fix when it would have to change them, and a filtered
//! `write` keeps the entries of the services it did not run.

use std::path::{Path, PathBuf};
use std::process::Command;

use snapshot_lock::{PackageKey, PackageSet, Version};

use crate::support::{expect_exit, serial, ServiceSpec, TestWorkspace};

/// A `serde_json` release older than the newest: the harness runtime depends on
/// `serde_json = "1"`, so a fresh resolve never picks it.
const OLD_SERDE_JSON: &str = "1.0.149";

fn committed_lock(workspace: &TestWorkspace) -> PathBuf {
    workspace.snapshot_dir().join("harness.lock")
}

fn read_lock(path: &Path) -> PackageSet {
    PackageSet::read(path)
        .unwrap_or_else(|error| panic!("{error}"))
        .unwrap_or_else(|| panic!("{} is missing", path.display()))
}

/// The workspace cargo-snapshot generates and builds the harness in.
fn harness_workspace(workspace: &TestWorkspace) -> PathBuf {
    workspace.root().join("target/cargo-snapshot/harness")
}

fn versions(lock: &PackageSet, name: &str) -> Vec<Version> {
    lock.keys()
        .filter(|key| key.name == name)
        .map(|key| key.version.clone())
        .collect()
}

fn version(text: &str) -> Version {
    text.parse().unwrap()
}

#[test]
fn compare_builds_with_the_locked_versions_and_fails_on_a_stale_lock_with_the_fix() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::sts()]);
    let (stdout, _) = expect_exit(&workspace.run(&["write", "-q"]), 0, "first write");
    assert!(
        stdout.contains("harness.lock recorded"),
        "write says it recorded the lock:\n{stdout}"
    );
    let written = read_lock(&committed_lock(&workspace));
    assert_eq!(versions(&written, "aws-sdk-sts"), [version("1.124.0")]);
    let newest = versions(&written, "serde_json");
    assert_eq!(newest.len(), 1, "{newest:?}");
    assert!(
        newest[0] > version(OLD_SERDE_JSON),
        "the fresh resolve picked the newest serde_json ({newest:?})"
    );

    // Pin an older serde_json the way a user would (`cargo update --precise`), and commit
    // that lock with the snapshots.
    let harness = harness_workspace(&workspace);
    let status = Command::new(crate::support::cargo())
        .args(["update", "-p", "serde_json", "--precise", OLD_SERDE_JSON])
        .arg("--manifest-path")
        .arg(harness.join("Cargo.toml"))
        .status()
        .unwrap();
    assert!(status.success(), "cargo update --precise {OLD_SERDE_JSON}");
    let pinned = read_lock(&harness.join("Cargo.lock"));
    std::fs::write(committed_lock(&workspace), pinned.render()).unwrap();
    // Make the harness workspace's own lock newest again: only the committed one pins.
    std::fs::remove_file(harness.join("Cargo.lock")).unwrap();

    let (stdout, _) = expect_exit(&workspace.run(&["compare", "-q"]), 0, "compare");
    assert!(stdout.contains("47 passed, 0 failed"), "{stdout}");
    let resolved = read_lock(&harness.join("Cargo.lock"));
    assert_eq!(
        versions(&resolved, "serde_json"),
        [version(OLD_SERDE_JSON)],
        "compare resolved the locked serde_json, not the newest ({newest:?})"
    );
    assert_eq!(
        read_lock(&committed_lock(&workspace)),
        pinned,
        "compare never edits the lock"
    );

    // A lock that lacks the client crate is stale: compare stops before building, naming the
    // package and the fix, and changes nothing.
    let stale = pinned.filter(|key: &PackageKey| key.name != "aws-sdk-sts");
    std::fs::write(committed_lock(&workspace), stale.render()).unwrap();
    let before = crate::support::tree(&workspace.snapshot_dir());
    let (_, stderr) = expect_exit(&workspace.run(&["compare", "-q"]), 2, "stale compare");
    for expected in [
        "harness.lock does not lock what this run needs",
        "aws-sdk-sts 1.124.0 (not locked)",
        "run `cargo snapshot write`",
        "cargo snapshot write --update-lock",
    ] {
        assert!(stderr.contains(expected), "`{expected}` in:\n{stderr}");
    }
    assert_eq!(crate::support::tree(&workspace.snapshot_dir()), before);

    // `write --update-lock` records the newest versions again.
    expect_exit(
        &workspace.run(&["write", "-q", "--update-lock"]),
        0,
        "update",
    );
    let updated = read_lock(&committed_lock(&workspace));
    assert_eq!(versions(&updated, "serde_json"), newest);
    assert_eq!(versions(&updated, "aws-sdk-sts"), [version("1.124.0")]);
}

#[test]
fn a_filtered_write_keeps_the_entries_of_the_services_it_did_not_run() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::sso(), ServiceSpec::sts()]);
    expect_exit(&workspace.run(&["write", "-q"]), 0, "write of both");
    let both = read_lock(&committed_lock(&workspace));
    assert_eq!(versions(&both, "aws-sdk-sso"), [version("1.119.0")]);
    assert_eq!(versions(&both, "aws-sdk-sts"), [version("1.124.0")]);

    expect_exit(
        &workspace.run(&["write", "-q", "--service", "sts"]),
        0,
        "write of sts",
    );
    assert_eq!(
        read_lock(&committed_lock(&workspace)),
        both,
        "a write of one service keeps the other's entries"
    );
    // Another filtered run only checks its own packages.
    expect_exit(
        &workspace.run(&["compare", "-q", "--service", "sso"]),
        0,
        "compare of sso",
    );

    // A full write over a config without sso records exactly what it resolved.
    workspace.configure(crate::support::SNAPSHOT_DIR, &[ServiceSpec::sts()]);
    expect_exit(&workspace.run(&["write", "-q"]), 0, "write of sts alone");
    let sts_only = read_lock(&committed_lock(&workspace));
    assert!(versions(&sts_only, "aws-sdk-sso").is_empty());
    assert_eq!(versions(&sts_only, "aws-sdk-sts"), [version("1.124.0")]);
}
