//! The review cycle with the real cargo-insta: `write`, a snapshot edited by hand, `compare`
//! failing with a diff and leaving a pending file, `cargo insta accept` from the workspace
//! root, `compare` passing again.

use crate::support::{
    expect_exit, leftovers, require_cargo_insta, serial, texts, tree, ServiceSpec, TestWorkspace,
};

#[test]
fn compare_fails_on_an_edited_snapshot_and_cargo_insta_accept_restores_it() {
    let _serial = serial();
    require_cargo_insta();
    let workspace = TestWorkspace::new(&[ServiceSpec::sso()]);

    let output = workspace.run(&["write", "--quiet"]);
    expect_exit(&output, 0, "write");
    let recorded = tree(&workspace.snapshot_dir());
    // Every file but the harness lock recorded beside them is a snapshot.
    let total = recorded
        .keys()
        .filter(|path| path.ends_with(".snap"))
        .count();
    assert!(
        total > 4,
        "sso has request, response and error snapshots: {recorded:?}"
    );

    // Nothing changed: compare passes and counts every snapshot.
    let output = workspace.run(&["compare", "--quiet"]);
    let (stdout, _) = expect_exit(&output, 0, "compare right after write");
    assert!(
        stdout.contains(&format!("{total} passed, 0 failed")),
        "summary line counts all {total} snapshots as passed:\n{stdout}"
    );
    assert!(
        !stdout.contains("cargo insta review"),
        "no review hint when nothing changed:\n{stdout}"
    );

    // Someone edits an accepted snapshot (as a wire change in the client would).
    let edited_path = workspace.snap("aws-sdk-sso", "requests", "GetRoleCredentials");
    let original = std::fs::read_to_string(&edited_path).unwrap();
    assert!(
        original.contains("&role_name=__roleName__"),
        "the request snapshot shows the query string:\n{original}"
    );
    let edited = original.replace("&role_name=__roleName__", "&role_name=__edited__");
    std::fs::write(&edited_path, &edited).unwrap();

    let output = workspace.run(&["compare", "--quiet"]);
    let (stdout, stderr) = expect_exit(&output, 1, "compare after editing a snapshot");
    assert!(
        stdout.contains("-&role_name=__edited__") && stdout.contains("+&role_name=__roleName__"),
        "compare prints a unified diff from the accepted to the new text:\n{stdout}"
    );
    assert!(
        stdout.contains("GetRoleCredentials"),
        "the diff names the snapshot:\n{stdout}"
    );
    assert!(
        stdout.contains(&format!("{} passed, 1 failed", total - 1)),
        "summary line `N passed, N failed`:\n{stdout}"
    );
    assert!(
        stdout.contains("cargo insta review"),
        "hint to run cargo insta review:\n{stdout}"
    );
    assert!(
        !stdout.contains('\x1b') && !stderr.contains('\x1b'),
        "no colour codes when not on a terminal"
    );
    assert_eq!(
        std::fs::read_to_string(&edited_path).unwrap(),
        edited,
        "compare never edits an accepted snapshot"
    );
    let pending = edited_path.with_extension("snap.new");
    assert!(
        pending.is_file(),
        "compare leaves {} for cargo insta",
        pending.display()
    );
    assert_eq!(
        leftovers(&workspace.snapshot_dir()),
        vec![pending.clone()],
        "exactly one pending file"
    );

    // The real cargo-insta, from the workspace root, with no extra flags.
    let output = workspace.cargo_insta(&["accept"]);
    let (insta_out, insta_err) = texts(&output);
    assert!(
        output.status.success(),
        "cargo insta accept failed\n--- stdout ---\n{insta_out}\n--- stderr ---\n{insta_err}"
    );
    assert!(
        !pending.exists(),
        "cargo insta accept consumed the pending file"
    );
    assert_eq!(
        tree(&workspace.snapshot_dir()),
        recorded,
        "accepting gives back exactly the files `write` recorded"
    );

    let output = workspace.run(&["compare", "--quiet"]);
    let (stdout, _) = expect_exit(&output, 0, "compare after cargo insta accept");
    assert!(
        stdout.contains(&format!("{total} passed, 0 failed")),
        "everything passes again:\n{stdout}"
    );
    assert_eq!(
        leftovers(&workspace.snapshot_dir()),
        Vec::<std::path::PathBuf>::new()
    );
}
