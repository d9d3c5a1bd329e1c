//! The command line as users see it: `list` output and every bad-input message, each with its
//! exit code. Output is snapshotted with insta; commands run from the workspace root with
//! relative paths so the snapshots are the same on every machine.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use snapshot_corpus::{models_dir, workspace_root};

/// `cargo-snapshot <args>` run from `cwd` with a clean environment.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("cargo-snapshot")
        .unwrap()
        .current_dir(cwd)
        .env_remove("SNAPSHOT_MODELS_DIR")
        .env_remove("CARGO_SNAPSHOT_LOG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn run(args: &[&str]) -> Output {
    run_in(&workspace_root(), args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone())
        .unwrap()
        .replace(&workspace_root().display().to_string(), "[WORKSPACE]")
}

/// Runs a command that must fail with exit code 2 and nothing on stdout; returns stderr.
fn usage_error(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}\nstderr: {}",
        stderr(&output)
    );
    assert!(
        output.stdout.is_empty(),
        "{args:?} printed to stdout: {}",
        stdout(&output)
    );
    stderr(&output)
}

fn success(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}\nstderr: {}",
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn list_fixture_models() {
    insta::assert_snapshot!(success(&["list", "--models", "fixtures/models"]));
}

#[test]
fn list_fixture_models_as_json() {
    let output = success(&["list", "--models", "fixtures/models", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    insta::assert_snapshot!(output);
}

#[test]
fn cargo_invokes_the_binary_with_its_subcommand_name() {
    // `cargo snapshot list` runs `cargo-snapshot snapshot list`.
    assert_eq!(
        success(&["snapshot", "list", "--models", "fixtures/models"]),
        success(&["list", "--models", "fixtures/models"])
    );
}

#[test]
fn list_with_config_shows_operations_and_skips() {
    insta::assert_snapshot!(success(&[
        "list",
        "--config",
        "cargo-snapshot/tests/configs/fixtures.toml",
        "--operations"
    ]));
}

#[test]
fn list_filters_services_and_operations() {
    let config = "cargo-snapshot/tests/configs/fixtures.toml";
    let output = success(&["list", "--config", config, "--service", "aws-sdk-legacy"]);
    assert!(
        output.contains("legacy") && !output.contains("weather"),
        "{output}"
    );
    insta::assert_snapshot!(success(&[
        "--config",
        config,
        "list",
        "--operation",
        "PutReport",
        "--operation",
        "GetAlert"
    ]));
}

#[test]
fn verbose_list_prints_operations_and_progress() {
    let output = run(&["list", "--models", "fixtures/models/legacy.json", "-v"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("ListThings: ListThingsRequest -> ListThingsResponse"));
    assert!(
        stderr(&output).contains("loaded model"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn list_real_models_matches_the_corpus() {
    let dir = models_dir();
    let output = success(&["list", "--models", dir.to_str().unwrap()]);
    insta::assert_snapshot!(output);
}

#[test]
fn the_models_dir_environment_variable_overrides_the_config() {
    let config = "cargo-snapshot/tests/configs/env-models.toml";
    let without = run(&["list", "--config", config]);
    assert_eq!(without.status.code(), Some(2));
    assert!(
        stderr(&without).contains("no/such/dir/legacy.json"),
        "{}",
        stderr(&without)
    );
    let output = Command::cargo_bin("cargo-snapshot")
        .unwrap()
        .current_dir(workspace_root())
        .env("SNAPSHOT_MODELS_DIR", "fixtures/models")
        .env("NO_COLOR", "1")
        .args(["list", "--config", config])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("aws-sdk-legacy"));
}

#[test]
fn config_is_found_from_a_subdirectory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
    let fixtures = workspace_root().join("fixtures/models");
    std::fs::write(
        root.join("snapshot.toml"),
        format!(
            "models_dir = '{}'\n[[service]]\nmodel = 'legacy.json'\ncrate = 'aws-sdk-legacy'\n",
            fixtures.display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("sub/dir")).unwrap();
    let output = run_in(&root.join("sub/dir"), &["list"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("SERVICE"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("aws-sdk-legacy"));
}

#[test]
fn no_config_found_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
    let output = run_in(dir.path(), &["list"]);
    assert_eq!(output.status.code(), Some(2));
    let canonical = dir.path().canonicalize().unwrap();
    let message = stderr(&output)
        .replace(&canonical.display().to_string(), "[TEMP]")
        .replace(&dir.path().display().to_string(), "[TEMP]");
    insta::assert_snapshot!(message);
}

#[test]
fn bad_input_missing_model_file() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--models",
        "fixtures/models/invalid/missing.json"
    ]));
}

#[test]
fn bad_input_malformed_json() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--models",
        "fixtures/models/invalid/malformed.json"
    ]));
}

#[test]
fn bad_input_unknown_target() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--models",
        "fixtures/models/invalid/unknown-target.json"
    ]));
}

#[test]
fn bad_input_no_service() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--models",
        "fixtures/models/invalid/no-service.json"
    ]));
}

#[test]
fn bad_input_two_services_without_a_choice() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--config",
        "cargo-snapshot/tests/configs/two-services.toml"
    ]));
}

#[test]
fn bad_input_unknown_protocol() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--models",
        "fixtures/models/invalid/unknown-protocol.json"
    ]));
}

#[test]
fn bad_input_config_typo() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--config",
        "cargo-snapshot/tests/configs/typo.toml"
    ]));
}

#[test]
fn bad_input_missing_config() {
    insta::assert_snapshot!(usage_error(&[
        "list",
        "--config",
        "cargo-snapshot/tests/configs/missing.toml"
    ]));
}

#[test]
fn bad_input_unknown_service_and_operation() {
    let config = "cargo-snapshot/tests/configs/fixtures.toml";
    let service = usage_error(&["list", "--config", config, "--service", "wether"]);
    let operation = usage_error(&["list", "--config", config, "--operation", "GetCty"]);
    insta::assert_snapshot!(format!("{service}{operation}"));
}

#[test]
fn bad_usage_is_reported_by_clap_with_exit_code_2() {
    let stderr = usage_error(&["lst"]);
    assert!(stderr.contains("unrecognized subcommand 'lst'"), "{stderr}");
    let stderr = usage_error(&["list", "--format", "yaml"]);
    assert!(stderr.contains("invalid value 'yaml'"), "{stderr}");
}

#[test]
fn help_exits_zero() {
    let output = run(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("Usage: cargo snapshot"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn case_timeout_zero_or_beyond_a_day_is_a_usage_error() {
    for value in ["0", "86401", "18446744073709551615"] {
        let stderr = usage_error(&["compare", "--case-timeout", value]);
        assert!(
            stderr.contains(&format!(
                "invalid value '{value}' for '--case-timeout <SECONDS>'"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn unwritable_junit_path_stops_the_run_before_anything_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("no-such-dir").join("junit.xml");
    // Run after the build, the check could not give exit 2: the fixtures' weather-sdk path
    // crate is not built here, so the build would fail first (exit 3).
    let stderr = usage_error(&[
        "compare",
        "--config",
        "cargo-snapshot/tests/configs/fixtures.toml",
        "--junit",
        report.to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("cannot write the JUnit report") && stderr.contains("no-such-dir"),
        "{stderr}"
    );
}
