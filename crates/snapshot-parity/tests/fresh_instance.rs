//! The acceptance scenarios of the parity library: record against one moto server, verify
//! against a fresh one (new ids, dates, request ids and port) for SQS, DynamoDB, S3 and STS;
//! then show that a deliberate difference fails with its exact path and that skipping that
//! path passes and is reported. These tests start their servers themselves (moto_server must
//! be installed, or named by SNAPSHOT_MOTO_SERVER) and record into temporary files.
mod common;

use std::error::Error;
use std::path::Path;

use serde_json::json;
use snapshot_parity::metrics::{metrics_file, CallResult, ParityMetrics};
use snapshot_parity::{
    KeyStatus, Mode, MotoServer, Outcome, ParityError, Snapshot, Target, TestLocation,
};

const TEST_ID: &str = "queue_lifecycle";
const VISIBILITY_PATH: &str = "$.get-attributes.body.Attributes.VisibilityTimeout";

fn session(test_id: &str, mode: Mode, file: &Path, target: &Target) -> Snapshot {
    let location = TestLocation::new(
        env!("CARGO_PKG_NAME"),
        env!("CARGO_MANIFEST_DIR"),
        file!(),
        test_id,
    );
    Snapshot::new(location)
        .with_mode(mode)
        .with_file(file)
        .with_target(target)
}

#[derive(Clone, Copy, Debug)]
enum Scenario {
    Sqs,
    DynamoDb,
    S3,
    Sts,
}

async fn run_scenario(
    server: &MotoServer,
    mode: Mode,
    file: &Path,
    scenario: Scenario,
) -> Result<Result<Outcome, ParityError>, Box<dyn Error>> {
    let target = server.target();
    let config = target.sdk_config().await?;
    let mut snapshot = session(&format!("{scenario:?}"), mode, file, &target);
    common::standard_transformers(&mut snapshot, &config);
    match scenario {
        Scenario::Sqs => common::sqs_queue_lifecycle(&mut snapshot, &config, "30").await?,
        Scenario::DynamoDb => common::dynamodb_table_lifecycle(&mut snapshot, &config).await?,
        Scenario::S3 => common::s3_bucket_lifecycle(&mut snapshot, &config, &target).await?,
        Scenario::Sts => common::sts_identity_and_roles(&mut snapshot, &config).await?,
    }
    Ok(snapshot.finish())
}

#[tokio::test]
async fn every_service_records_on_one_moto_and_verifies_on_a_fresh_one(
) -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("services.snapshot.json");
    let scenarios = [
        Scenario::Sqs,
        Scenario::DynamoDb,
        Scenario::S3,
        Scenario::Sts,
    ];

    let first = MotoServer::start()?;
    for scenario in scenarios {
        run_scenario(&first, Mode::Record, &file, scenario).await??;
    }
    drop(first);

    let second = MotoServer::start()?;
    let mut matched = 0;
    for scenario in scenarios {
        let outcome = run_scenario(&second, Mode::Verify, &file, scenario).await??;
        assert!(
            outcome
                .keys
                .iter()
                .all(|(_, status)| *status == KeyStatus::Passed),
            "{scenario:?}: {:?}",
            outcome.keys
        );
        matched += outcome.keys.len();
    }
    assert_eq!(matched, 12 + 10 + 11 + 5);
    Ok(())
}

async fn run(
    server: &MotoServer,
    mode: Mode,
    file: &Path,
    visibility_timeout: &str,
    skips: &[(&str, &str)],
) -> Result<Result<Outcome, ParityError>, Box<dyn Error>> {
    let target = server.target();
    let config = target.sdk_config().await?;
    let mut snapshot = session(TEST_ID, mode, file, &target);
    common::standard_transformers(&mut snapshot, &config);
    for (path, reason) in skips {
        snapshot.skip(path, reason)?;
    }
    common::sqs_queue_lifecycle(&mut snapshot, &config, visibility_timeout).await?;
    Ok(snapshot.finish())
}

#[tokio::test]
async fn record_on_one_moto_and_verify_on_a_fresh_one() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("fresh_instance.snapshot.json");

    let first = MotoServer::start()?;
    let recorded = run(&first, Mode::Record, &file, "30", &[]).await??;
    assert!(recorded.keys.iter().all(|(_, s)| *s == KeyStatus::Recorded));

    // Identity: two queues get two references, and later mentions keep them.
    let body = |key: &str| recorded.content[key]["body"].clone();
    assert_eq!(
        body("create-queue-orders"),
        json!({"QueueUrl": "<queue-url:1>"})
    );
    assert_eq!(
        body("create-queue-audit"),
        json!({"QueueUrl": "<queue-url:2>"})
    );
    assert_eq!(body("get-queue-url"), json!({"QueueUrl": "<queue-url:1>"}));
    assert_eq!(
        body("list-queues"),
        json!({"QueueUrls": ["<queue-url:2>", "<queue-url:1>"]})
    );
    assert_eq!(
        body("get-attributes")["Attributes"]["QueueArn"],
        json!("arn:aws:sqs:<region>:<account-id>:<queue-name:1>")
    );
    let text = std::fs::read_to_string(&file)?;
    assert!(
        !text.contains(first.url()),
        "the server URL leaked into the recording"
    );
    assert!(
        !text.contains("123456789012"),
        "the account id leaked into the recording"
    );
    drop(first);

    // A fresh server: everything volatile differs, the transformers absorb it.
    let second = MotoServer::start()?;
    let verified = run(&second, Mode::Verify, &file, "30", &[]).await??;
    assert_eq!(verified.keys.len(), recorded.keys.len());
    assert!(
        verified.keys.iter().all(|(_, s)| *s == KeyStatus::Passed),
        "{:?}",
        verified.keys
    );
    assert_eq!(verified.content, recorded.content);

    // A deliberate difference fails with exactly its path.
    let error = run(&second, Mode::Verify, &file, "45", &[])
        .await?
        .expect_err("a changed VisibilityTimeout must fail verification");
    let ParityError::Mismatch(report) = &error else {
        panic!("expected a mismatch, got {error}");
    };
    let paths: Vec<String> = report
        .comparison
        .failures
        .iter()
        .map(|d| d.path.to_string())
        .collect();
    assert_eq!(paths, vec![VISIBILITY_PATH]);
    let message = error.to_string();
    assert!(
        message.contains(&format!(
            "  {VISIBILITY_PATH}  (changed)\n      recorded: \"30\"\n      current:  \"45\"\n"
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("snapshot.skip(\"{VISIBILITY_PATH}\"")),
        "{message}"
    );

    // Skipping that path passes and reports the difference as skipped.
    let skipped = run(
        &second,
        Mode::Verify,
        &file,
        "45",
        &[(VISIBILITY_PATH, "deliberate change for the demo")],
    )
    .await??;
    assert_eq!(skipped.skipped.len(), 1);
    assert_eq!(
        skipped.skipped[0].difference.path.to_string(),
        VISIBILITY_PATH
    );
    assert_eq!(
        skipped.skipped[0].skip.reason,
        "deliberate change for the demo"
    );
    for (key, status) in &skipped.keys {
        let expected = if key == "get-attributes" {
            KeyStatus::PassedWithSkips
        } else {
            KeyStatus::Passed
        };
        assert_eq!(*status, expected, "{key}");
    }

    // The metrics of this file show the last run of this test per operation.
    let metrics = ParityMetrics::load(&metrics_file(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        env!("CARGO_PKG_NAME"),
        Path::new("tests/fresh_instance.rs"),
    ))?;
    let mine = &metrics.tests[TEST_ID];
    let results = |operation: &str| -> Vec<CallResult> {
        mine.calls
            .iter()
            .filter(|call| call.service == "SQS" && call.operation == operation)
            .map(|call| call.result)
            .collect()
    };
    assert_eq!(results("CreateQueue"), vec![CallResult::Passed; 2]);
    assert_eq!(
        results("GetQueueAttributes"),
        vec![CallResult::PassedWithSkips]
    );
    assert_eq!(mine.skipped[0].path, VISIBILITY_PATH);
    let summary = &metrics.services["SQS"]["GetQueueAttributes"];
    assert_eq!(summary.passed_with_skips, 1);
    assert!(summary.tests.contains(TEST_ID));
    Ok(())
}
