//! Bad input on real crates: a crate or version that does not exist, a model paired with
//! another service's crate, a model that does not match its crate in one operation, a snapshot directory that cannot be written. Each gives
//! a clear message and the documented exit code, and never leaves a half-written snapshot
//! directory: previous snapshots stay as they were.

use std::path::PathBuf;

use crate::support::{
    expect_exit, leftovers, models_dir, serial, snapshot_names, tree, ServiceSpec, TestWorkspace,
};

/// A crate name nobody has published.
const NO_SUCH_CRATE: &str = "aws-sdk-cargo-snapshot-e2e-no-such-crate";

#[test]
fn unknown_crate_is_a_build_failure_naming_the_crate_and_the_fix() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::new("sso.json", NO_SUCH_CRATE, "=1.0.0")]);

    let output = workspace.run(&["write", "--quiet"]);
    let (stdout, stderr) = expect_exit(&output, 3, "write with a crate that does not exist");
    assert!(
        stderr.contains(&format!("no matching package named `{NO_SUCH_CRATE}`")),
        "cargo's reason, naming the crate:\n{stderr}"
    );
    assert!(
        stderr.contains("fix:") && stderr.contains("snapshot.toml"),
        "the fix points at snapshot.toml:\n{stderr}"
    );
    assert!(
        !stderr.contains("other service"),
        "there is no other service to speak of:\n{stderr}"
    );
    assert!(
        stdout.contains("harness build failed"),
        "the run summary says the service failed:\n{stdout}"
    );
    assert!(
        !workspace.snapshot_dir().exists(),
        "a run that snapshotted nothing creates no snapshot directory"
    );
}

/// A model paired with another service's crate: the crate has a module for none of the model's
/// operations. Without the check every operation was excluded as "model newer than the crate"
/// and `compare` passed with nothing checked.
#[test]
fn a_model_paired_with_another_services_crate_is_a_configuration_error() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::new("sqs.json", "aws-sdk-sts", "=1.124.0")]);

    let output = workspace.run(&["write", "--quiet"]);
    let (_, stderr) = expect_exit(&output, 2, "write with sqs.json paired with aws-sdk-sts");
    assert!(
        stderr.contains("aws-sdk-sts has none of the 23 operations of model"),
        "names the crate and the model:\n{stderr}"
    );
    assert!(
        stderr.contains("fix: pair the model with the crate generated from it in snapshot.toml"),
        "gives the fix:\n{stderr}"
    );
    assert!(
        !workspace.snapshot_dir().exists(),
        "nothing is written for a mispaired service"
    );
}

#[test]
fn missing_version_fails_that_service_and_keeps_its_snapshots_while_others_are_written() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::sso(), ServiceSpec::sts()]);
    expect_exit(&workspace.run(&["write", "--quiet"]), 0, "first write");
    let before = tree(&workspace.snapshot_dir());

    // sts now asks for a version that was never published; an sso snapshot was edited, so
    // we can see whether sso was recorded again.
    workspace.configure(
        crate::support::SNAPSHOT_DIR,
        &[
            ServiceSpec::sso(),
            ServiceSpec::new("sts.json", "aws-sdk-sts", "=0.0.999"),
        ],
    );
    let sso_snapshot = workspace.snap("aws-sdk-sso", "requests", "ListAccounts");
    let recorded = std::fs::read_to_string(&sso_snapshot).unwrap();
    std::fs::write(&sso_snapshot, format!("{recorded}edited by hand\n")).unwrap();

    let output = workspace.run(&["write", "--quiet"]);
    let (stdout, stderr) = expect_exit(&output, 3, "write with an unpublished version");
    assert!(
        stderr.contains("aws-sdk-sts") && stderr.contains("=0.0.999"),
        "the message names the crate and the version asked for:\n{stderr}"
    );
    assert!(
        stderr.contains("fix:") && stderr.contains("version"),
        "the message says how to fix it:\n{stderr}"
    );
    assert!(
        stderr.contains("the other service was snapshotted as usual"),
        "and that the other service was not held back:\n{stderr}"
    );
    assert!(
        stdout.contains("sts: harness build failed") && stdout.contains("sso (aws-sdk-sso"),
        "the summary names the failed service and reports the other:\n{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&sso_snapshot).unwrap(),
        recorded,
        "the service that built was recorded again"
    );
    assert_eq!(
        tree(&workspace.snapshot_dir()),
        before,
        "the failed service's snapshots are untouched (not deleted, not half-written)"
    );
}

#[test]
fn an_operation_whose_code_does_not_compile_is_excluded_with_the_compiler_reason() {
    let _serial = serial();
    // sso with one input member re-typed: aws-sdk-sso has the setter `set_role_name`, but for a
    // string, so the generated call with an integer does not compile (a disagreement reading
    // the crate's API does not reveal: members it lacks are dropped, see tests/e2e/drift.rs).
    // The copy lives in a temp directory (real models are never committed).
    let model_dir = tempfile::tempdir().unwrap();
    let model = model_dir.path().join("sso-retyped-member.json");
    std::fs::write(&model, retype_get_role_credentials_member()).unwrap();
    let workspace = TestWorkspace::new(&[ServiceSpec::new(
        model.display().to_string(),
        "aws-sdk-sso",
        "=1.119.0",
    )]);

    let output = workspace.run(&["write", "--quiet"]);
    let (stdout, _) = expect_exit(&output, 0, "write with one mismatched operation");
    let excluded = stdout
        .lines()
        .find(|line| line.contains("excluded operation GetRoleCredentials"))
        .unwrap_or_else(|| panic!("the summary names the excluded operation:\n{stdout}"));
    assert!(
        excluded.contains("(compile)") && excluded.contains("get_role_credentials"),
        "with the compiler's reason:\n{stdout}"
    );
    assert!(
        stdout.contains("3/4 requests (+2 min, +3 edge, +3 rejected headers), 3/4 responses")
            && stdout.contains("1 excluded"),
        "the summary counts what was recorded:\n{stdout}"
    );

    let names = snapshot_names(&workspace.snapshot_dir(), "aws-sdk-sso");
    let expected: Vec<String> = [
        "errors/InvalidRequestException",
        "errors/ResourceNotFoundException",
        "errors/TooManyRequestsException",
        "errors/UnauthorizedException",
        "errors/_front_end",
        "errors/_no_code",
        "errors/_unmodeled",
        "errors/by-operation/ListAccountRoles",
        "errors/by-operation/ListAccounts",
        "errors/by-operation/Logout",
        "requests/ListAccountRoles",
        "requests/ListAccounts",
        "requests/Logout",
        "responses/ListAccountRoles",
        "responses/ListAccounts",
        "responses/Logout",
    ]
    .map(String::from)
    .to_vec();
    // Every error shape is still declared by an operation that compiles, so none is lost;
    // the excluded operation has no per-operation error snapshot.
    assert_eq!(
        names, expected,
        "every other operation and every error keeps its snapshots"
    );

    // The exclusion is stable: comparing with the same model passes.
    let output = workspace.run(&["compare", "--quiet"]);
    expect_exit(&output, 0, "compare with the same mismatched model");
}

#[test]
fn snapshot_dir_under_a_regular_file_is_a_clear_error_and_creates_nothing() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::sso()]);
    let blocker = workspace.root().join("snaps/blocker");
    std::fs::write(&blocker, "a regular file\n").unwrap();
    workspace.configure("snaps/blocker/snapshots", &[ServiceSpec::sso()]);

    let output = workspace.run(&["write", "--quiet"]);
    let (_, stderr) = expect_exit(&output, 2, "write into a path below a regular file");
    assert!(
        stderr.contains("snaps/blocker/snapshots"),
        "the message names the directory:\n{stderr}"
    );
    assert!(
        stderr.contains("regular file") && stderr.contains("snapshot_dir"),
        "and how to fix it:\n{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "a regular file\n",
        "the file in the way is left alone"
    );
    assert!(
        !workspace.snapshot_dir().exists(),
        "the default snapshot directory is not used instead"
    );
}

#[test]
fn a_write_that_fails_on_one_crate_changes_no_crate() {
    let _serial = serial();
    let services = [ServiceSpec::sso(), ServiceSpec::sts()];
    let workspace = TestWorkspace::new(&services);
    expect_exit(&workspace.run(&["write", "--quiet"]), 0, "first write");

    // sso's snapshots are edited by hand (a successful write would restore them); sts's
    // directory is replaced by a regular file, so storing sts must fail.
    let sso_snapshot = workspace.snap("aws-sdk-sso", "responses", "Logout");
    let edited = format!(
        "{}edited by hand\n",
        std::fs::read_to_string(&sso_snapshot).unwrap()
    );
    std::fs::write(&sso_snapshot, &edited).unwrap();
    let sts_dir = workspace.snapshot_dir().join("aws-sdk-sts");
    std::fs::remove_dir_all(&sts_dir).unwrap();
    std::fs::write(&sts_dir, "not a directory\n").unwrap();
    let before = tree(&workspace.snapshot_dir());

    let output = workspace.run(&["write", "--quiet"]);
    let (_, stderr) = expect_exit(&output, 2, "write with a crate directory that is a file");
    assert!(
        stderr.contains("aws-sdk-sts") && stderr.contains("not a directory"),
        "the message names the path that is in the way:\n{stderr}"
    );
    assert_eq!(
        tree(&workspace.snapshot_dir()),
        before,
        "nothing was swapped in: sso keeps its (edited) snapshots"
    );
    assert_eq!(
        leftovers(&workspace.snapshot_dir()),
        Vec::<PathBuf>::new(),
        "no staging directory is left behind"
    );
}

/// The sso model with `GetRoleCredentialsRequest$roleName` renamed to `roleTitle`, edited as
/// text so everything else (member order included) stays as it is.
fn retype_get_role_credentials_member() -> String {
    let path = models_dir().join("sso.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
    let member =
        &mut model["shapes"]["com.amazonaws.sso#GetRoleCredentialsRequest"]["members"]["roleName"];
    assert!(
        member.is_object(),
        "{} defines GetRoleCredentialsRequest.roleName",
        path.display()
    );
    member["target"] = serde_json::Value::from("smithy.api#Integer");
    model.to_string()
}
