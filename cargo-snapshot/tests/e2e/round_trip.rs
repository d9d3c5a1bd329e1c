//! The round trip on real clients: the harness reads the client's values through their typed
//! fields, so a member named after a Rust keyword comes back (aws-sdk-appconfig's
//! `Validator.Type`, printed `r#type` by its `Debug`), and a client whose deserializer drops a
//! `@sensitive` member or alters a value is caught with the path and both values, in the
//! snapshot, the run summary and the saved report.

use std::path::{Path, PathBuf};

use snapshot_records::TypedValue;
use snapshot_runner::report::RunReport;

use crate::support::{expect_exit, models_dir, serial, ServiceSpec, TestWorkspace};

/// `../shared/cases` (next to the model corpus): trimmed real models of known problems.
fn cases_dir() -> PathBuf {
    let dir = models_dir().join("../cases");
    dir.canonicalize().unwrap_or_else(|error| {
        panic!(
            "the small failing cases are missing at {} ({error}); they come with the model \
             corpus (../shared/cases next to ../shared/models)",
            dir.display()
        )
    })
}

fn last_report(workspace: &TestWorkspace) -> RunReport {
    let path = workspace.root().join("target/cargo-snapshot/last-run.json");
    RunReport::load(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn keyword_members_come_back_from_appconfig() {
    let _serial = serial();
    let model = cases_dir().join("appconfig-validators.json");
    let workspace = TestWorkspace::new(&[ServiceSpec::new(
        model.display().to_string(),
        "aws-sdk-appconfig",
        "=1.125.0",
    )]);
    let (stdout, _) = expect_exit(&workspace.run(&["write"]), 0, "write appconfig");
    let report = last_report(&workspace);
    let service = &report.services[0];
    assert!(service.lost_members.is_empty(), "{stdout}");
    assert!(service.changed_members.is_empty(), "{stdout}");
    assert!(service.exclusions.is_empty(), "{stdout}");
    assert_eq!(service.responses.len(), 2, "{stdout}");
    let snapshot =
        read(&workspace.snap("aws-sdk-appconfig", "responses", "GetConfigurationProfile"));
    // The Debug text keeps the client's spelling; the check read the field itself.
    assert!(snapshot.contains("r#type"), "{snapshot}");
    assert!(snapshot.contains("came back equal]"), "{snapshot}");
    assert!(!snapshot.contains("ROUND TRIP"), "{snapshot}");
}

/// aws-sdk-sts from the registry, copied to `dir` with two deserializer lines of
/// AssumeRoleWithWebIdentity changed: `<Credentials>` (`@sensitive`) is parsed and dropped,
/// `<PackedPolicySize>` comes back one higher.
fn broken_sts(dir: &Path) -> PathBuf {
    let copy = sts_copy(dir);
    break_lines(
        &copy.join("src/protocol_serde/shape_assume_role_with_web_identity.rs"),
        &[
            (
                "builder = builder.set_credentials(var_1);",
                "let _ = var_1;",
            ),
            (
                "builder = builder.set_packed_policy_size(var_4);",
                "builder = builder.set_packed_policy_size(var_4.map(|size| size + 1));",
            ),
        ],
    );
    copy
}

/// Replaces the first occurrence of each `(from, to)` in `file`, each of which must change a
/// line.
fn break_lines(file: &Path, edits: &[(&str, &str)]) {
    let source = read(file);
    let broken = edits.iter().fold(source.clone(), |text, (from, to)| {
        text.replacen(from, to, 1)
    });
    assert_eq!(
        broken
            .lines()
            .zip(source.lines())
            .filter(|(a, b)| a != b)
            .count(),
        edits.len(),
        "every line to break was found in {}",
        file.display()
    );
    std::fs::write(file, broken).unwrap();
}

/// aws-sdk-sts 1.124.0 from the registry, copied to `dir/aws-sdk-sts`.
fn sts_copy(dir: &Path) -> PathBuf {
    let manifest = dir.join("locate/Cargo.toml");
    std::fs::create_dir_all(dir.join("locate/src")).unwrap();
    std::fs::write(dir.join("locate/src/lib.rs"), "").unwrap();
    std::fs::write(
        &manifest,
        "[package]\nname = \"locate\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\naws-sdk-sts = { version = \"=1.124.0\", default-features = false }\n\n\
         [workspace]\n",
    )
    .unwrap();
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(&manifest)
        .exec()
        .expect("cargo metadata finds aws-sdk-sts 1.124.0 (network access to crates.io or a warm cache)");
    let original = metadata
        .packages
        .iter()
        .find(|package| package.name.as_str() == "aws-sdk-sts")
        .and_then(|package| package.manifest_path.parent())
        .expect("aws-sdk-sts is resolved")
        .as_std_path()
        .to_owned();
    let copy = dir.join("aws-sdk-sts");
    copy_dir(&original, &copy);
    copy
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_client_that_drops_or_alters_a_value_is_caught() {
    let _serial = serial();
    let crates = tempfile::tempdir().unwrap();
    let sts = broken_sts(crates.path());
    let workspace = TestWorkspace::new(&[ServiceSpec::at_path("sts.json", "aws-sdk-sts", &sts)]);
    let (stdout, _) = expect_exit(
        &workspace.run(&["write", "--operation", "AssumeRoleWithWebIdentity"]),
        0,
        "write with the broken client",
    );
    const ROOT: &str = "AssumeRoleWithWebIdentityResponse";

    // The summary names both findings.
    assert!(
        stdout.contains(&format!(
            "lost member AssumeRoleWithWebIdentity (max): {ROOT}.Credentials"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "changed value AssumeRoleWithWebIdentity (max): {ROOT}.PackedPolicySize: sent 0, received 1"
        )),
        "{stdout}"
    );

    // The snapshot shows them under the max response, with both values.
    let snapshot = read(&workspace.snap("aws-sdk-sts", "responses", "AssumeRoleWithWebIdentity"));
    let max = snapshot
        .split("==== max ====")
        .nth(1)
        .expect("a max section");
    assert!(
        max.contains(&format!(
            "lost: {ROOT}.Credentials\nchanged: {ROOT}.PackedPolicySize\n  sent:     0\n  received: 1"
        )),
        "{max}"
    );
    assert!(max.contains("[ROUND TRIP: 1 lost, 1 changed,"), "{max}");

    // The saved report has them typed: under max, and again under the response variants
    // whose value differs from max's (the broken lines run for them too); nothing else.
    let report = last_report(&workspace);
    let service = &report.services[0];
    let lost: Vec<(String, &str)> = service
        .lost_members
        .iter()
        .map(|lost| (lost.case.to_string(), lost.path.as_str()))
        .collect();
    assert!(
        lost.contains(&("max".to_owned(), &format!("{ROOT}.Credentials"))),
        "{lost:?}"
    );
    assert!(
        lost.iter()
            .all(|(_, path)| *path == format!("{ROOT}.Credentials")),
        "{lost:?}"
    );
    let changed: Vec<_> = service
        .changed_members
        .iter()
        .filter(|changed| changed.case.to_string() == "max")
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].subject, "AssumeRoleWithWebIdentity");
    assert_eq!(changed[0].path, format!("{ROOT}.PackedPolicySize"));
    assert_eq!(changed[0].sent, TypedValue::Integer(0));
    assert_eq!(changed[0].received, TypedValue::Integer(1));
    assert!(
        service
            .changed_members
            .iter()
            .all(|changed| changed.path == format!("{ROOT}.PackedPolicySize")),
        "{:?}",
        service.changed_members
    );
}

/// An error parser that no longer reads the shape's `message` member: the generated dispatch
/// fills the member from the error metadata, so the protocol's own error form shows nothing,
/// but the `message_member` form (the metadata's message differs from the member's) reports
/// the member changed, in the carrier's error snapshot and the report.
#[test]
fn an_error_parser_that_leaves_the_message_to_the_metadata_is_caught() {
    let _serial = serial();
    let crates = tempfile::tempdir().unwrap();
    let sts = sts_copy(crates.path());
    break_lines(
        &sts.join("src/protocol_serde/shape_expired_token_exception.rs"),
        &[(
            r#"s if s.matches("message")"#,
            r#"s if s.matches("not-message")"#,
        )],
    );
    let workspace = TestWorkspace::new(&[ServiceSpec::at_path("sts.json", "aws-sdk-sts", &sts)]);
    let (stdout, _) = expect_exit(
        &workspace.run(&["write", "--operation", "AssumeRoleWithWebIdentity"]),
        0,
        "write with the broken client",
    );
    assert!(
        stdout.contains("changed value ExpiredTokenException (error form message_member): ExpiredTokenException.message"),
        "{stdout}"
    );
    let snapshot = read(&workspace.snap("aws-sdk-sts", "errors", "ExpiredTokenException"));
    let forms = snapshot
        .split("==== error forms ====")
        .nth(1)
        .expect("an error forms section");
    let line = forms
        .lines()
        .find(|line| line.starts_with("message_member: "))
        .expect("a message_member line");
    assert!(
        line.contains(
            r#"ROUND TRIP: changed ExpiredTokenException.message: sent "__message__", received "snapshot error metadata message""#
        ),
        "{forms}"
    );
    let unknown = forms
        .lines()
        .find(|line| line.starts_with("unknown_member: "))
        .expect("an unknown_member line");
    assert!(unknown.contains("came back equal"), "{forms}");
    let report = last_report(&workspace);
    let service = &report.services[0];
    let changed: Vec<_> = service
        .changed_members
        .iter()
        .filter(|changed| changed.path == "ExpiredTokenException.message")
        .collect();
    assert_eq!(changed.len(), 1, "{:?}", service.changed_members);
    assert_eq!(
        changed[0].received,
        TypedValue::String("snapshot error metadata message".to_owned())
    );
    assert!(
        service
            .error_forms
            .iter()
            .any(|form| form.error == "ExpiredTokenException" && form.as_expected()),
        "{:?}",
        service.error_forms
    );
}

/// `sesv2-send-email.json` (`../shared/cases`): SendEmail's `EndpointId` gets a value its
/// endpoint rules accept (a host label), the client signs for the multi-region endpoint with
/// SigV4a (the harness turns the client's `sigv4a` feature on), so nothing is excluded and every
/// error shape of the trimmed model gets its snapshot; the summary names only a few of the
/// crate's 114 operations the trimmed model lacks.
#[test]
fn sesv2_send_email_runs_whole_against_its_multi_region_endpoint() {
    let _serial = serial();
    let model = cases_dir().join("sesv2-send-email.json");
    let workspace = TestWorkspace::new(&[ServiceSpec::new(
        model.display().to_string(),
        "aws-sdk-sesv2",
        "=1.145.0",
    )]);
    let (stdout, _) = expect_exit(&workspace.run(&["write"]), 0, "write sesv2");
    let report = last_report(&workspace);
    let service = &report.services[0];
    assert!(service.exclusions.is_empty(), "{stdout}");
    assert!(service.lost_members.is_empty(), "{stdout}");
    assert!(service.changed_members.is_empty(), "{stdout}");
    assert_eq!(service.requests.len(), 2, "{stdout}");
    assert_eq!(service.responses.len(), 2, "{stdout}");
    // Every modeled error shape, besides the unmodeled and front-end errors (`_`-named).
    let shapes = service
        .errors
        .iter()
        .filter(|name| !name.starts_with('_'))
        .count();
    assert_eq!(shapes, service.error_shapes_total, "{stdout}");
    let request = read(&workspace.snap("aws-sdk-sesv2", "requests", "SendEmail"));
    assert!(request.contains("AWS4-ECDSA-P256-SHA256"), "{request}");
    assert!(stdout.contains("and 109 more in last-run.json"), "{stdout}");
}
