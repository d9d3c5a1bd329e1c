//! `cargo snapshot coverage`: its counts agree with the snapshot files on disk and the models
//! (for the committed core corpus), and it reports exclusions, lost members, the request-side
//! check and response variants of the last run, missing, stale and pending snapshots, parity
//! results and a stale or foreign run report the way users read them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use cargo_snapshot::config::Config;
use serde_json::Value;
use snapshot_corpus::{models_dir, workspace_root, CORE_SERVICES};
use snapshot_model::Model;
use snapshot_runner::report::{
    Exclusion, ExclusionScope, InputVariant, LostMember, ReplayCase, RequestVariant, ResponseMode,
    RunReport, ServiceReport, Stage, Timings, VariantName,
};
use snapshot_runner::RunMode;

#[path = "coverage/run_entries.rs"]
mod run_entries;

use run_entries::{request_checks, response_variants};

/// `cargo-snapshot <args>` in `cwd`, with `target` as the cargo target directory (so no run
/// report or parity metrics from elsewhere leak in). The real models are used from
/// `models_dir()` for the workspace's own config; fixture configs name their models.
fn run(cwd: &Path, target: &Path, args: &[&str]) -> Output {
    let mut command = Command::cargo_bin("cargo-snapshot").unwrap();
    if cwd == workspace_root() {
        command.env("SNAPSHOT_MODELS_DIR", models_dir());
    } else {
        command.env_remove("SNAPSHOT_MODELS_DIR");
    }
    command
        .current_dir(cwd)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("SNAPSHOT_PARITY_METRICS_DIR")
        .env_remove("CARGO_SNAPSHOT_LOG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn success(cwd: &Path, target: &Path, args: &[&str]) -> String {
    let output = run(cwd, target, args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn json(cwd: &Path, target: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["coverage", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&success(cwd, target, &args)).unwrap()
}

/// The `.snap` names in `<dir>/<kind>` (not pending `.snap.new` files).
fn names_on_disk(crate_dir: &Path, kind: &str) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(crate_dir.join(kind)) else {
        return BTreeSet::new();
    };
    entries
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".snap.new"))
        .filter_map(|name| name.strip_suffix(".snap").map(str::to_owned))
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|item| item.as_str().unwrap().to_owned())
        .collect()
}

fn count(value: &Value) -> usize {
    usize::try_from(
        value
            .as_u64()
            .unwrap_or_else(|| panic!("not a count: {value}")),
    )
    .unwrap()
}

#[test]
fn core_set_coverage_matches_the_snapshot_files_and_the_models() {
    let root = workspace_root();
    let target = tempfile::tempdir().unwrap();
    let mut args = Vec::new();
    for service in CORE_SERVICES {
        args.extend(["--service", service]);
    }
    let report = json(&root, target.path(), &args);
    assert_eq!(report["schema_version"], 1);
    // With an empty target directory there is no run report, and coverage says so.
    assert!(report["last_run"].is_null());
    assert!(report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|warning| warning["kind"] == "no-report"));

    let config = Config::load(&root.join("snapshot.toml")).unwrap();
    let services = report["services"].as_array().unwrap();
    assert_eq!(
        services
            .iter()
            .map(|service| service["name"].as_str().unwrap())
            .collect::<BTreeSet<_>>(),
        CORE_SERVICES.into_iter().collect::<BTreeSet<_>>()
    );
    let mut sums = [0usize; 6];
    for service in services {
        let name = service["name"].as_str().unwrap();
        let configured = config.service(name).unwrap();
        let model = Model::load(&configured.model).unwrap();
        let index = model
            .service_index(
                configured
                    .service_shape
                    .as_ref()
                    .map(|shape| shape.as_str()),
            )
            .unwrap();
        let operations: BTreeSet<String> = index
            .operations()
            .iter()
            .map(|op| op.name().to_owned())
            .collect();
        let error_shapes: BTreeSet<String> = index
            .error_shapes()
            .iter()
            .map(|shape| index.name(shape).to_owned())
            .collect();
        let skipped: BTreeSet<String> = config
            .skips
            .iter()
            .filter(|skip| skip.service == name)
            .map(|skip| skip.operation.clone())
            .collect();
        let crate_dir = config.snapshot_dir.join(&configured.crate_name);
        assert!(
            crate_dir.is_dir(),
            "no snapshots for {name} at {crate_dir:?}"
        );
        assert_eq!(service["operations"], operations.len(), "{name}");

        for kind in ["requests", "responses"] {
            let on_disk = names_on_disk(&crate_dir, kind);
            let covered = on_disk.intersection(&operations).count();
            let missing: Vec<String> = operations
                .iter()
                .filter(|op| !on_disk.contains(*op) && !skipped.contains(*op))
                .cloned()
                .collect();
            let figures = &service[kind];
            assert_eq!(count(&figures["snapshots"]), covered, "{name} {kind}");
            assert_eq!(strings(&figures["missing"]), missing, "{name} {kind}");
            assert_eq!(
                count(&figures["snapshots"]) + count(&figures["excluded"]) + missing.len(),
                operations.len(),
                "{name} {kind}: every operation is covered, excluded or missing"
            );
        }

        let errors_on_disk = names_on_disk(&crate_dir, "errors");
        let errors = &service["errors"];
        assert_eq!(count(&errors["shapes"]), error_shapes.len(), "{name}");
        assert_eq!(
            count(&errors["snapshots"]),
            errors_on_disk.intersection(&error_shapes).count(),
            "{name} errors"
        );
        let generic: Vec<String> = ["_front_end", "_unmodeled", "_no_code"]
            .into_iter()
            .filter(|generic| errors_on_disk.contains(*generic))
            .map(str::to_owned)
            .collect();
        assert_eq!(strings(&errors["generic"]), generic, "{name}");

        // Every file on disk is counted or reported as stale.
        let mut stale = Vec::new();
        for kind in ["requests", "responses", "errors"] {
            for file in names_on_disk(&crate_dir, kind) {
                let known = match kind {
                    "errors" => error_shapes.contains(&file) || generic.contains(&file),
                    _ => operations.contains(&file),
                };
                if !known {
                    stale.push(format!("{kind}/{file}"));
                }
            }
        }
        assert_eq!(strings(&service["stale_snapshots"]), stale, "{name}");

        sums[0] += operations.len();
        sums[1] += count(&service["requests"]["snapshots"]);
        sums[2] += count(&service["responses"]["snapshots"]);
        sums[3] += error_shapes.len();
        sums[4] += count(&errors["snapshots"]);
        sums[5] += stale.len();
    }
    let total = &report["total"];
    assert_eq!(
        [
            count(&total["operations"]),
            count(&total["requests"]),
            count(&total["responses"]),
            count(&total["error_shapes"]),
            count(&total["errors"]),
            count(&total["stale_snapshots"]),
        ],
        sums
    );

    // The Markdown table shows the same figures, one row per service and a total.
    let markdown = success(
        &root,
        target.path(),
        &[&["coverage", "--format", "markdown"][..], &args].concat(),
    );
    for service in services {
        let name = service["name"].as_str().unwrap();
        let row = markdown
            .lines()
            .find(|line| line.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{markdown}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[3], service["operations"].to_string(), "{row}");
        assert!(
            cells[4].starts_with(&format!("{} (", service["requests"]["snapshots"])),
            "{row}"
        );
        // Variant sections are known from a last run that included the service.
        let variants = &service["request_variants"];
        let expected = if service["last_run"] == "included" {
            format!("+{} min, +{} edge", variants["min"], variants["edge"])
        } else {
            "-".to_owned()
        };
        assert_eq!(cells[5], expected, "{row}");
        // So are the request-side check and the response variants (no report here).
        assert_eq!(service["last_run"], "no-report");
        assert_eq!([cells[6], cells[8]], ["-", "-"], "{row}");
        assert!(
            cells[9].starts_with(&format!(
                "{}/{} (",
                service["errors"]["snapshots"], service["errors"]["shapes"]
            )),
            "{row}"
        );
    }
    assert!(
        markdown.contains(&format!("| **total** |  | {} |", sums[0])),
        "{markdown}"
    );
}

/// A workspace with the weather fixture model, hand-made snapshot files, a run report and
/// parity metrics: everything coverage reports on, with known answers.
struct Fixture {
    dir: tempfile::TempDir,
}

/// The report's modification time: long before the snapshot files are written.
const REPORT_TIME: u64 = 1_700_000_000;

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Fixture { dir };
        let models = workspace_root().join("fixtures/models");
        fixture.write(
            "snapshot.toml",
            &format!(
                r#"models_dir = "{}"

[[service]]
model = "weather.json"
crate = "aws-sdk-weather"
name = "weather"
version = "=1.0.0"

[[skip]]
service = "weather"
operation = "StreamObservations"
reason = "event streams need a duplex connection"
"#,
                models.display()
            ),
        );
        let all = [
            "CreateCity",
            "DeleteCity",
            "GetAlert",
            "GetCity",
            "GetCityImage",
            "GetCurrentTime",
            "GetForecast",
            "ListCities",
            "Ping",
            "PutAlert",
            "PutReport",
            "SearchCities",
            "UpdateAlert",
            "UploadPhoto",
        ];
        for name in all {
            // Ping's request snapshot is missing without a reason.
            if name != "Ping" {
                fixture.snap("requests", name);
            }
            // GetCityImage's response could not be serialized (see the report).
            if name != "GetCityImage" {
                fixture.snap("responses", name);
            }
            // How each operation parses its errors; Ping's is missing too.
            if name != "Ping" && name != "PutReport" {
                fixture.snap("errors/by-operation", name);
            }
        }
        // PutReport did not compile: it has no snapshot, and neither has `Throttled`, which
        // only PutReport declares.
        std::fs::remove_file(fixture.path("snapshots/aws-sdk-weather/requests/PutReport.snap"))
            .unwrap();
        std::fs::remove_file(fixture.path("snapshots/aws-sdk-weather/responses/PutReport.snap"))
            .unwrap();
        for name in ["ServiceUnavailable", "_front_end", "_unmodeled"] {
            fixture.snap("errors", name);
        }
        // An operation the model no longer has, and a change waiting for review.
        fixture.snap("requests", "DeleteCountry");
        fixture.write(
            "snapshots/aws-sdk-weather/requests/GetCity.snap.new",
            "pending",
        );
        fixture
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    fn snap(&self, kind: &str, name: &str) {
        self.write(
            &format!("snapshots/aws-sdk-weather/{kind}/{name}.snap"),
            &format!("---\nsource: cargo-snapshot\nexpression: {name}\n---\n{name}\n"),
        );
    }

    fn target(&self) -> PathBuf {
        self.path("target")
    }

    fn report(&self) -> RunReport {
        let operations = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
        RunReport {
            mode: RunMode::Compare,
            operation_filter: Vec::new(),
            snapshot_dir: Some(self.path("snapshots")),
            partition: None,
            services: vec![ServiceReport {
                name: "weather".to_owned(),
                crate_name: "aws-sdk-weather".to_owned(),
                protocol: "restJson1".to_owned(),
                operations_total: 15,
                operations_in_scope: 15,
                error_shapes_total: 3,
                // Ping was produced (its new snapshot is what is missing on disk).
                requests: operations(&[
                    "CreateCity",
                    "DeleteCity",
                    "GetAlert",
                    "GetCity",
                    "GetCityImage",
                    "GetCurrentTime",
                    "GetForecast",
                    "ListCities",
                    "Ping",
                    "PutAlert",
                    "SearchCities",
                    "UpdateAlert",
                    "UploadPhoto",
                ]),
                responses: operations(&[
                    "CreateCity",
                    "DeleteCity",
                    "GetAlert",
                    "GetCity",
                    "GetCurrentTime",
                    "GetForecast",
                    "ListCities",
                    "Ping",
                    "PutAlert",
                    "SearchCities",
                    "UpdateAlert",
                    "UploadPhoto",
                ]),
                errors: operations(&["ServiceUnavailable", "_front_end", "_unmodeled"]),
                operation_errors: operations(&[
                    "CreateCity",
                    "DeleteCity",
                    "GetAlert",
                    "GetCity",
                    "GetCityImage",
                    "GetCurrentTime",
                    "GetForecast",
                    "ListCities",
                    "PutAlert",
                    "SearchCities",
                    "UpdateAlert",
                    "UploadPhoto",
                ]),
                error_cases: 13,
                exclusions: vec![
                    Exclusion::new(
                        "StreamObservations",
                        ExclusionScope::Operation,
                        Stage::Config,
                        "skipped in snapshot.toml: an older reason",
                    ),
                    Exclusion::new(
                        "PutReport",
                        ExclusionScope::Operation,
                        Stage::Compile,
                        "error[E0599]: no method named `set_wind` found\n  --> src/ops.rs",
                    ),
                    Exclusion::new(
                        "GetCityImage",
                        ExclusionScope::Response,
                        Stage::Wire,
                        "cannot bind member `Image` to a payload",
                    ),
                    // GetAlert's replay of NoSuchCity took the harness down.
                    Exclusion::new(
                        "NoSuchCity",
                        ExclusionScope::ErrorCase,
                        Stage::Run,
                        "the harness panicked: index out of bounds",
                    )
                    .through("GetAlert"),
                ],
                lost_members: vec![LostMember {
                    subject: "GetForecast".to_owned(),
                    case: ReplayCase::Response(ResponseMode::new(VariantName::Max)),
                    path: "GetForecastOutput.days[0].high".to_owned(),
                }],
                changed_members: Vec::new(),
                endpoint_overrides: vec!["GetCity".to_owned()],
                request_variants: [
                    ("CreateCity", InputVariant::Min),
                    ("CreateCity", InputVariant::Edge),
                    ("PutAlert", InputVariant::Edge),
                ]
                .into_iter()
                .map(|(operation, variant)| RequestVariant {
                    operation: operation.to_owned(),
                    variant,
                })
                .collect(),
                drift: Default::default(),
                request_checks: request_checks(),
                response_variants: response_variants(),
                rejected_headers: Vec::new(),
                malformed_headers: Vec::new(),
                error_forms: Vec::new(),
                build_failure: None,
                case_micros: vec![900, 1100],
                operation_micros: vec![2000],
            }],
            timings: Timings::default(),
        }
    }

    fn save_report(&self, report: &RunReport) {
        let path = self.target().join("cargo-snapshot/last-run.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        report.save(&path).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(REPORT_TIME))
            .unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        run(self.dir.path(), &self.target(), args)
    }

    fn success(&self, args: &[&str]) -> String {
        success(self.dir.path(), &self.target(), args)
    }
}

fn parity_metrics(fixture: &Fixture) {
    use snapshot_parity::metrics::{
        record_test, CallMetrics, CallResult, Mode, TestMetrics, TestStatus,
    };
    let call = |operation: &str, result| CallMetrics {
        service: "Weather".to_owned(),
        operation: operation.to_owned(),
        key: None,
        result,
    };
    let path = fixture.path("target/snapshot-parity/metrics/weather-tests/cities.json");
    let test = |calls| TestMetrics {
        mode: Mode::Verify,
        target: Some("local".to_owned()),
        status: TestStatus::Failed,
        run_date: "2026-01-01T00:00:00Z".to_owned(),
        calls,
        plain_values: 0,
        skipped: Vec::new(),
    };
    record_test(
        &path,
        "weather-tests",
        "tests/cities.rs",
        "city_lifecycle",
        test(vec![
            call("CreateCity", CallResult::Passed),
            call("GetCity", CallResult::PassedWithSkips),
            call("GetCity", CallResult::Passed),
            call("DeleteCity", CallResult::Failed),
        ]),
        None,
    )
    .unwrap();
    record_test(
        &path,
        "weather-tests",
        "tests/cities.rs",
        "legacy_call",
        test(vec![call("GetCountry", CallResult::NotMatched)]),
        None,
    )
    .unwrap();
}

#[test]
fn coverage_reports_exclusions_lost_members_and_every_gap() {
    let fixture = Fixture::new();
    fixture.save_report(&fixture.report());
    parity_metrics(&fixture);

    let printed = fixture.success(&["coverage", "--format", "json"]);
    insta::assert_snapshot!("coverage_fixture_json", printed);
    let report: Value = serde_json::from_str(&printed).unwrap();

    let service = &report["services"][0];
    // 15 operations: 12 request files (none for StreamObservations, PutReport and Ping; the
    // stale DeleteCountry is not counted), 2 excluded with a reason, Ping missing.
    assert_eq!(service["requests"]["snapshots"], 12);
    assert_eq!(service["requests"]["excluded"], 2);
    assert_eq!(strings(&service["requests"]["missing"]), ["Ping"]);
    assert_eq!(service["responses"]["snapshots"], 12);
    assert_eq!(service["responses"]["excluded"], 3);
    assert_eq!(service["errors"]["snapshots"], 1);
    assert_eq!(
        service["errors"]["excluded"], 1,
        "Throttled: only PutReport declares it"
    );
    assert_eq!(strings(&service["errors"]["missing"]), ["NoSuchCity"]);
    // (operation, declared error) pairs: ServiceUnavailable for each of the 15 operations,
    // NoSuchCity for GetAlert, GetCity and PutReport, Throttled for PutReport. GetAlert's
    // NoSuchCity and the 4 pairs of the excluded StreamObservations and PutReport are
    // excluded; Ping has no compact error snapshot and no reason.
    let cases = &service["errors"]["cases"];
    assert_eq!(cases["declared"], 19);
    assert_eq!(cases["snapshots"], 13);
    assert_eq!(cases["excluded"], 5);
    assert_eq!(strings(&cases["missing"]), ["Ping"]);
    assert_eq!(
        strings(&service["stale_snapshots"]),
        ["requests/DeleteCountry"]
    );
    assert_eq!(service["pending_snapshots"], 1);
    // The config's current skip reason wins over the one the report saved.
    assert!(service["exclusions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|exclusion| exclusion["reason"]
            == "skipped in snapshot.toml: event streams need a duplex connection"));
    let kinds: BTreeSet<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|warning| warning["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "missing",
            "pending",
            "report-disagrees",
            "snapshots-newer",
            "stale-snapshots"
        ]
        .into_iter()
        .collect()
    );
    // The request-side check and the response variants, counted from the report's entries.
    let checks = &service["request_checks"];
    assert_eq!(checks["cases"], 4);
    assert_eq!(checks["on_wire"], 21);
    assert_eq!(checks["lost"], 1);
    assert_eq!(checks["changed"], 1);
    assert_eq!(checks["failed"], 1);
    assert_eq!(checks["excepted"], 3);
    assert_eq!(
        checks["excepted_by_kind"],
        serde_json::json!({"default_value": 1, "idempotency_token": 2})
    );
    let variants = &service["response_variants"];
    assert_eq!(variants["replayed"], 3);
    assert_eq!(
        variants["unexpected"], 1,
        "GetCity's truncated body gave an output"
    );
    assert_eq!(report["total"]["request_checks"], *checks);
    assert_eq!(report["total"]["response_variants"], *variants);
    let parity = &service["parity"];
    assert_eq!(parity["operations"], 3, "GetCountry is not in the model");
    assert_eq!(parity["calls"], 5);
    assert_eq!(parity["failed"], 1);

    let table = fixture.success(&["coverage", "--format", "table"]);
    for name in ["weather", "total"] {
        let row = table
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{table}"));
        assert!(
            row.contains("  21 on wire, 1 lost, 1 changed, 3 excepted, 1 FAILED  "),
            "{row}"
        );
        assert!(row.contains("  3, 1 UNEXPECTED  "), "{row}");
    }
    insta::assert_snapshot!("coverage_fixture_table", table);
    insta::assert_snapshot!(
        "coverage_fixture_markdown",
        fixture.success(&["coverage", "--format", "markdown"])
    );
    // Off a terminal, Markdown is the default.
    assert_eq!(
        fixture.success(&["coverage"]),
        fixture.success(&["coverage", "--format", "markdown"])
    );
}

#[test]
fn a_report_of_another_snapshot_directory_is_not_used() {
    let fixture = Fixture::new();
    let mut report = fixture.report();
    report.snapshot_dir = Some(fixture.path("elsewhere/snapshots"));
    fixture.save_report(&report);
    let coverage: Value =
        serde_json::from_str(&fixture.success(&["coverage", "--format", "json"])).unwrap();
    assert!(coverage["last_run"].is_null());
    let service = &coverage["services"][0];
    assert_eq!(service["last_run"], "no-report");
    assert!(service["lost_members"].as_array().unwrap().is_empty());
    assert_eq!(service["request_checks"]["cases"], 0);
    assert_eq!(service["response_variants"]["replayed"], 0);
    // Without the report, PutReport is missing rather than excluded.
    assert!(strings(&service["requests"]["missing"]).contains(&"PutReport".to_owned()));
    let warning = coverage["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|warning| warning["kind"] == "other-config")
        .expect("an other-config warning");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("stored snapshots in elsewhere/snapshots, not in snapshots"),
        "{warning}"
    );
}

#[test]
fn a_filtered_run_a_missing_service_and_an_unreadable_report_are_flagged() {
    let fixture = Fixture::new();
    let mut report = fixture.report();
    report.operation_filter = vec!["GetCity".to_owned()];
    report.services[0].name = "other".to_owned();
    fixture.save_report(&report);
    let coverage: Value =
        serde_json::from_str(&fixture.success(&["coverage", "--format", "json"])).unwrap();
    let kinds: Vec<&str> = coverage["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|warning| warning["kind"].as_str().unwrap())
        .collect();
    for expected in ["other-config", "partial-run", "not-in-last-run"] {
        assert!(kinds.contains(&expected), "{expected} in {kinds:?}");
    }
    assert_eq!(coverage["services"][0]["last_run"], "not-run");
    // The run's figures are not this service's: its row says so.
    let markdown = fixture.success(&["coverage", "--format", "markdown"]);
    let row = markdown
        .lines()
        .find(|line| line.starts_with("| weather |"))
        .unwrap();
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!([cells[5], cells[6], cells[8]], ["-", "-", "-"], "{row}");

    fixture.write("target/cargo-snapshot/last-run.json", "{ not json");
    let coverage: Value =
        serde_json::from_str(&fixture.success(&["coverage", "--format", "json"])).unwrap();
    assert!(coverage["last_run"].is_null());
    assert!(coverage["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|warning| warning["kind"] == "unreadable-report"
            && warning["message"]
                .as_str()
                .unwrap()
                .contains("target/cargo-snapshot/last-run.json")));
}

#[test]
fn coverage_takes_no_operation_filter() {
    let fixture = Fixture::new();
    let output = fixture.run(&["coverage", "--operation", "GetCity"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("filter with `--service`"));
}
