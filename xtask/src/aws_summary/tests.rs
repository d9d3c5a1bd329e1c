use snapshot_runner::report::{Exclusion, ReplayCase, Timings};
use snapshot_runner::{RunMode, RunReport};

use super::*;
use crate::aws_corpus::Source;

fn model(name: &str, operations: usize, version: Option<&str>) -> ModelEntry {
    ModelEntry {
        name: name.to_owned(),
        path: format!("{name}/service/2020-01-01/{name}-2020-01-01.json"),
        sha256: "0".repeat(64),
        service_shape: format!("com.amazonaws.{name}#Service"),
        protocol: "restJson1".to_owned(),
        operations,
        crate_name: format!("aws-sdk-{name}"),
        version: version.map(|version| format!("={version}")),
        published: None,
        unpaired: version
            .is_none()
            .then(|| "crates.io has no crate aws-sdk-x".to_owned()),
        operations_differ: None,
    }
}

fn manifest(models: Vec<ModelEntry>) -> Manifest {
    Manifest {
        source: Source {
            repository: "https://github.com/aws/api-models-aws.git".to_owned(),
            commit: "56c8953e87aeead95ae5e66a3ca6a355731db6ad".to_owned(),
            committed: "2025-04-02T16:45:25Z".to_owned(),
        },
        models,
    }
}

/// The record of partition `shard`/`total` that ran `services`, costing `cpu` seconds.
fn record(shard: u64, total: u64, cpu: f64, services: Vec<ServiceReport>) -> PartitionRun {
    PartitionRun {
        partition: format!("count:{shard}/{total}"),
        config_sha256: String::new(),
        tool_commit: "02a7fbc".to_owned(),
        exit_code: Some(0),
        wall_seconds: cpu * 3.0,
        cpu_seconds: cpu,
        peak_kib: 300 * 1024,
        report: Some(RunReport {
            mode: RunMode::Write,
            operation_filter: Vec::new(),
            snapshot_dir: None,
            partition: format!("count:{shard}/{total}").parse().ok(),
            services,
            timings: Timings {
                build_millis: (cpu * 1000.0) as u64,
                ..Timings::default()
            },
        }),
        log_tail: String::new(),
    }
}

fn written(name: &str, operations: usize) -> ServiceReport {
    let names: Vec<String> = (0..operations).map(|i| format!("Op{i}")).collect();
    ServiceReport {
        name: name.to_owned(),
        crate_name: format!("aws-sdk-{name}"),
        requests: names.clone(),
        responses: names,
        errors: vec!["UnmodeledError".to_owned()],
        ..ServiceReport::default()
    }
}

#[test]
fn every_selected_service_gets_one_row_with_its_outcome() {
    let models = vec![
        model("alpha", 4, Some("1.0.0")),
        model("beta", 2, Some("1.0.0")),
        model("gamma", 3, Some("1.0.0")),
        model("delta", 5, None),
    ];
    let mut beta = written("beta", 2);
    beta.exclusions = vec![
        Exclusion::new(
            "Op0",
            ExclusionScope::Response,
            Stage::Wire,
            "event streams\nsecond line",
        ),
        Exclusion::new(
            "Op1",
            ExclusionScope::Response,
            Stage::Wire,
            "event streams",
        ),
    ];
    beta.lost_members = vec![LostMember {
        subject: "Op1".to_owned(),
        case: ReplayCase::Error,
        path: "Op1Output.Items[0]".to_owned(),
    }];
    let gamma = ServiceReport {
        name: "gamma".to_owned(),
        build_failure: Some("warning: unused\nerror[E0425]: cannot find value `x`".to_owned()),
        ..ServiceReport::default()
    };
    // count:K/3 over alpha, beta, gamma: one each. Partition 3 (gamma) stopped without a report.
    let mut stopped = record(3, 3, 5.0, vec![gamma]);
    stopped.report = None;
    stopped.exit_code = None;
    stopped.log_tail = "killed".to_owned();
    let runs = vec![
        record(1, 3, 100.0, vec![written("alpha", 4)]),
        record(2, 3, 10.0, vec![beta]),
        stopped,
    ];
    let files = |crate_name: &str| if crate_name == "aws-sdk-alpha" { 9 } else { 4 };
    let manifest = manifest(models.clone());
    let summary = summarize(&manifest, &models, "test".to_owned(), 3, &runs, &files);

    let rows: Vec<(&str, u64, &Outcome)> = summary
        .services
        .iter()
        .map(|row| (row.name.as_str(), row.partition, &row.outcome))
        .collect();
    assert_eq!(
        rows,
        [
            ("alpha", 1, &Outcome::Written),
            ("beta", 2, &Outcome::Written),
            ("delta", 0, &summary.services[2].outcome),
            (
                "gamma",
                3,
                &Outcome::Stopped {
                    exit_code: None,
                    output: "killed".to_owned()
                }
            ),
        ]
    );
    assert!(matches!(
        summary.services[2].outcome,
        Outcome::Unpaired { .. }
    ));
    let beta = &summary.services[1];
    assert_eq!(
        beta.exclusions,
        [ExclusionGroup {
            stage: Stage::Wire,
            scope: ExclusionScope::Response,
            reason: "event streams".to_owned(),
            count: 2,
        }]
    );
    assert_eq!((beta.requests, beta.responses, beta.errors), (2, 2, 1));
    assert_eq!(summary.services[0].snapshot_files, 9);
    assert_eq!(summary.total.services, 4);
    assert_eq!(summary.total.run, 3);
    assert_eq!(summary.total.failed, 2, "gamma stopped, delta unpaired");
    assert_eq!(summary.total.operations, 4 + 2 + 3);
    assert_eq!(summary.total.exclusions, 2);
    assert_eq!(summary.total.lost_members, 1);
    assert_eq!(summary.total.cpu_seconds, 115.0);

    let text = markdown::markdown(&summary);
    assert!(
        text.contains("- **gamma** (aws-sdk-gamma 1.0.0): the run stopped (exit None)"),
        "{text}"
    );
    assert!(
        text.contains("| 2 | wire | response | event streams | beta |"),
        "{text}"
    );
    assert!(
        text.contains("- beta: Op1 (error): `Op1Output.Items[0]`"),
        "{text}"
    );
}

#[test]
fn a_build_failure_is_reported_with_its_first_compiler_error() {
    let models = vec![model("alpha", 4, Some("1.0.0"))];
    let failed = ServiceReport {
        name: "alpha".to_owned(),
        build_failure: Some("warning: unused\nerror[E0425]: cannot find value `x`".to_owned()),
        ..ServiceReport::default()
    };
    let runs = vec![record(1, 1, 10.0, vec![failed])];
    let summary = summarize(
        &manifest(models.clone()),
        &models,
        String::new(),
        1,
        &runs,
        &|_| 0,
    );
    assert_eq!(
        summary.services[0].outcome,
        Outcome::BuildFailed {
            error: "error[E0425]: cannot find value `x`".to_owned()
        }
    );
}

#[test]
fn the_projection_recovers_a_linear_cost_and_deals_every_model_out() {
    // CPU = 20 s + 0.5 s per operation per client; partition 1 pays 100 s more (shared).
    let models: Vec<ModelEntry> = (0..6)
        .map(|i| model(&format!("s{i}"), 2 + 4 * i, Some("1.0.0")))
        .collect();
    let cost = |operations: usize| 20.0 + 0.5 * operations as f64;
    let runs: Vec<PartitionRun> = models
        .iter()
        .enumerate()
        .map(|(i, model)| {
            let shared = if i == 0 { 100.0 } else { 0.0 };
            record(
                i as u64 + 1,
                6,
                shared + cost(model.operations),
                vec![written(&model.name, model.operations)],
            )
        })
        .collect();
    let manifest = manifest(models.clone());
    let summary = summarize(&manifest, &models, String::new(), 6, &runs, &|_| 0);
    let projection = summary.projection.expect("six measured partitions");
    assert!((projection.fixed_cpu_seconds - 20.0).abs() < 1e-6);
    assert!((projection.per_operation_cpu_seconds - 0.5).abs() < 1e-6);
    assert!((projection.shared_cpu_seconds - 100.0).abs() < 1e-6);
    assert_eq!(projection.fitted_partitions, 5);
    assert_eq!(projection.largest.0, "s5");

    // One job builds everything: (shared + every client) / 2 cores.
    let all: f64 = models.iter().map(|model| cost(model.operations)).sum();
    let one = &projection.jobs[0];
    assert_eq!(one.jobs, 1);
    assert!((one.wall_seconds - (100.0 + all) / 2.0).abs() < 1e-6);
    assert_eq!(one.busiest, (6, models.iter().map(|m| m.operations).sum()));
    // Eight jobs for six models: one client a job, the largest decides.
    let eight = &projection.jobs[1];
    assert!((eight.wall_seconds - (50.0 + cost(22))).abs() < 1e-6);
    assert_eq!(eight.busiest, (1, 22));
}

#[test]
fn no_projection_without_two_measured_partitions_beyond_the_first() {
    let models = vec![model("alpha", 4, Some("1.0.0"))];
    let runs = vec![record(1, 1, 10.0, vec![written("alpha", 4)])];
    let summary = summarize(
        &manifest(models.clone()),
        &models,
        String::new(),
        1,
        &runs,
        &|_| 0,
    );
    assert!(summary.projection.is_none());
    assert!(markdown::markdown(&summary).contains("Not enough measured partitions"));
}
