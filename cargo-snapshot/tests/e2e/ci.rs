//! What CI gets from a run: `--partition` picks its share of the services, `--junit` writes
//! every case as JUnit XML (read back here with quick-junit's own parser), `--github` prints
//! annotations and appends a step summary, and a run without a terminal prints progress lines
//! with the crates built and cases run.

use quick_junit::{NonSuccessKind, Report, TestCaseStatus};

use crate::support::{expect_exit, serial, ServiceSpec, TestWorkspace};

#[test]
fn a_partitioned_compare_reports_junit_github_output_and_plain_progress() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::sso(), ServiceSpec::sts()]);
    // Sorted by name, sso is dealt to partition 1 and sts to partition 2.
    let output = workspace
        .cli(&["write", "--partition", "count:1/2"])
        .env("CARGO_SNAPSHOT_PROGRESS_INTERVAL", "0.05")
        .output()
        .unwrap();
    let (_, stderr) = expect_exit(&output, 0, "write of partition 1/2");
    assert!(
        stderr.contains("partition count:1/2: 1 service(s) (sso)"),
        "the run names its share:\n{stderr}"
    );
    assert!(
        workspace.snapshot_dir().join("aws-sdk-sso").is_dir()
            && !workspace.snapshot_dir().join("aws-sdk-sts").exists(),
        "only partition 1's service is written"
    );
    for counted in ["crates built", "cases run"] {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with("cargo-snapshot: ")
                    && line.contains(counted)
                    && line.ends_with(" s)")),
            "without a terminal, progress lines count {counted}:\n{stderr}"
        );
    }

    // One changed and one new snapshot.
    let changed = workspace.snap("aws-sdk-sso", "requests", "GetRoleCredentials");
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(
        &changed,
        text.replace("&role_name=__roleName__", "&role_name=__edited__"),
    )
    .unwrap();
    std::fs::remove_file(workspace.snap("aws-sdk-sso", "requests", "Logout")).unwrap();

    let junit = workspace.root().join("junit.xml");
    let summary = workspace.root().join("step-summary.md");
    let output = workspace
        .cli(&[
            "compare",
            "--quiet",
            "--partition",
            "count:1/2",
            "--junit",
            junit.to_str().unwrap(),
            "--github",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let (stdout, _) = expect_exit(&output, 1, "compare with two differences");
    let summary_line = stdout
        .lines()
        .find(|line| line.ends_with(" failed") && line.contains(" passed, "))
        .unwrap_or_else(|| panic!("no `N passed, N failed` line:\n{stdout}"));
    let (passed, failed) = parse_summary(summary_line);
    assert_eq!(failed, 2, "{summary_line}");

    let report = Report::deserialize_from_str(&std::fs::read_to_string(&junit).unwrap())
        .expect("the JUnit report parses back");
    assert_eq!(
        report.test_suites.len(),
        1,
        "one suite per service of the partition"
    );
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), "aws-sdk-sso");
    let skipped = suite
        .test_cases
        .iter()
        .filter(|case| matches!(case.status, TestCaseStatus::Skipped { .. }))
        .count();
    assert_eq!(
        report.tests - skipped,
        passed + failed,
        "the cases that ran are the summary line's"
    );
    assert_eq!(report.failures, failed);
    assert_eq!(suite.failures, failed);
    let case = |name: &str| {
        suite
            .test_cases
            .iter()
            .find(|case| case.name.as_str() == name)
            .unwrap_or_else(|| panic!("no case {name}"))
    };
    let TestCaseStatus::NonSuccess {
        kind: NonSuccessKind::Failure,
        description: Some(diff),
        ..
    } = &case("requests/GetRoleCredentials").status
    else {
        panic!("the changed snapshot fails with its diff");
    };
    assert!(
        diff.as_str().contains("-&role_name=__edited__")
            && diff.as_str().contains("+&role_name=__roleName__"),
        "{}",
        diff.as_str()
    );
    assert!(matches!(
        case("requests/Logout").status,
        TestCaseStatus::NonSuccess {
            kind: NonSuccessKind::Failure,
            ..
        }
    ));
    assert!(matches!(
        case("responses/Logout").status,
        TestCaseStatus::Success { .. }
    ));

    assert!(
        stdout.lines().any(|line| line.starts_with("::error file=")
            && line.contains("GetRoleCredentials.snap,title=snapshot changed::")),
        "an annotation on the changed file:\n{stdout}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with(&format!("### cargo snapshot compare: {summary_line}\n")),
        "{summary}"
    );
    assert!(
        summary.contains("```diff") && summary.contains("+&role_name=__roleName__"),
        "{summary}"
    );
}

fn parse_summary(line: &str) -> (usize, usize) {
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn coverage_of_the_merged_partition_reports_equals_coverage_of_one_full_run() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[ServiceSpec::sso(), ServiceSpec::sts()]);
    expect_exit(&workspace.run(&["write", "--quiet"]), 0, "write");
    let last_run = workspace.root().join("target/cargo-snapshot/last-run.json");
    let coverage = |extra: &[&str]| {
        let mut args = vec!["coverage", "--format", "json"];
        args.extend_from_slice(extra);
        let (stdout, _) = expect_exit(&workspace.run(&args), 0, "coverage");
        let mut json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        // When and where the (merged) report was written differ by nature.
        json["last_run"]["finished_unix_seconds"] = serde_json::Value::Null;
        json
    };
    expect_exit(&workspace.run(&["compare", "--quiet"]), 0, "full compare");
    let full = coverage(&[]);

    let mut reports = Vec::new();
    for shard in ["1", "2"] {
        let partition = format!("count:{shard}/2");
        expect_exit(
            &workspace.run(&["compare", "--quiet", "--partition", &partition]),
            0,
            "compare of one partition",
        );
        let copy = workspace.root().join(format!("partition-{shard}.json"));
        std::fs::copy(&last_run, &copy).unwrap();
        reports.push(copy);
    }
    std::fs::remove_file(&last_run).unwrap();
    let merged = coverage(&[
        "--report",
        reports[0].to_str().unwrap(),
        "--report",
        reports[1].to_str().unwrap(),
    ]);
    assert_eq!(
        merged["services"], full["services"],
        "per-service coverage of the merged partitions is the full run's"
    );
    assert_eq!(merged["total"], full["total"]);
    assert_eq!(merged["warnings"], full["warnings"]);
    assert_eq!(merged["last_run"], full["last_run"]);

    let (_, stderr) = expect_exit(
        &workspace.run(&["coverage", "--report", reports[0].to_str().unwrap()]),
        2,
        "coverage of one partition alone",
    );
    assert!(
        stderr.contains("partition count:2/2 is missing"),
        "{stderr}"
    );
}
