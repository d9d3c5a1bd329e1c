//! The session's contract without any server: record then verify plain values, the errors a
//! test author can run into, and the metrics file.
use std::path::Path;

use serde_json::json;
use snapshot_parity::metrics::{metrics_file, CallResult, ParityMetrics, TestStatus};
use snapshot_parity::{snapshot, KeyStatus, Mode, ParityError, Replacement, Snapshot, Transformer};

/// The test id comes from the function that invokes `snapshot!()`, so each test invokes it.
fn session(snapshot: Snapshot, file: &Path, mode: Mode) -> Snapshot {
    let mut snapshot = snapshot.with_mode(mode).with_file(file);
    snapshot.add_transformer(Transformer::key("id", Replacement::reference("id")));
    snapshot
}

#[test]
fn plain_values_record_then_verify_with_identity() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.snapshot.json");

    let mut recording = session(snapshot!(), &file, Mode::Record);
    recording
        .match_("first", &json!({"id": "abc-111", "n": 1}))
        .unwrap();
    recording
        .match_("second", &json!({"ref": "abc-111", "id": "abc-222"}))
        .unwrap();
    let outcome = recording.finish().unwrap();
    assert_eq!(
        outcome.content["second"],
        json!({"ref": "<id:1>", "id": "<id:2>"})
    );
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let entry = &stored["plain_values_record_then_verify_with_identity"];
    assert!(entry["recorded-date"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        entry["recorded-content"]["first"],
        json!({"id": "<id:1>", "n": 1})
    );

    // Other ids, same shape: passes.
    let mut verifying = session(snapshot!(), &file, Mode::Verify);
    verifying
        .match_("first", &json!({"id": "xyz-999", "n": 1}))
        .unwrap();
    verifying
        .match_("second", &json!({"ref": "xyz-999", "id": "xyz-888"}))
        .unwrap();
    let outcome = verifying.finish().unwrap();
    assert_eq!(
        outcome.keys,
        vec![
            ("first".to_owned(), KeyStatus::Passed),
            ("second".to_owned(), KeyStatus::Passed)
        ]
    );

    // Identity broken (second refers to itself): fails at that path.
    let mut broken = session(snapshot!(), &file, Mode::Verify);
    broken
        .match_("first", &json!({"id": "xyz-999", "n": 1}))
        .unwrap();
    broken
        .match_("second", &json!({"ref": "xyz-888", "id": "xyz-888"}))
        .unwrap();
    let ParityError::Mismatch(report) = broken.finish().unwrap_err() else {
        panic!("expected a mismatch");
    };
    let paths: Vec<String> = report
        .comparison
        .failures
        .iter()
        .map(|d| d.path.to_string())
        .collect();
    assert_eq!(paths, vec!["$.second.ref"]);
}

#[test]
fn verifying_an_unrecorded_test_says_how_to_record() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.snapshot.json");
    let mut snapshot = session(snapshot!(), &file, Mode::Verify);
    snapshot.match_("x", &1).unwrap();
    let message = snapshot.finish().unwrap_err().to_string();
    assert!(
        message
            .starts_with("no recording for test `verifying_an_unrecorded_test_says_how_to_record`"),
        "{message}"
    );
    assert!(message.contains("SNAPSHOT_UPDATE=1"), "{message}");
}

#[test]
fn keys_are_unique_and_responses_must_be_captured_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut snapshot = session(
        snapshot!(),
        &dir.path().join("k.snapshot.json"),
        Mode::Record,
    );
    snapshot.match_("k", &1).unwrap();
    let duplicate = snapshot.match_("k", &2).unwrap_err().to_string();
    assert!(
        duplicate.contains("key `k` is matched twice"),
        "{duplicate}"
    );
    let none = snapshot.match_response("call").unwrap_err().to_string();
    assert!(none.contains(".interceptor(snapshot.recorder())"), "{none}");
    let bad = snapshot
        .skip("Attributes.X", "why")
        .unwrap_err()
        .to_string();
    assert!(bad.contains("invalid JSON path `Attributes.X`"), "{bad}");
    snapshot.finish().unwrap();
}

/// A scenario that fails half-way must fail with its own error, not with a complaint about
/// the session it abandoned.
#[test]
fn an_abandoned_session_does_not_mask_the_test_error() {
    fn scenario(file: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let mut snapshot = session(snapshot!(), file, Mode::Record);
        snapshot.match_("k", &1)?;
        Err("the service call failed")?;
        snapshot.finish()?;
        Ok(())
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.snapshot.json");
    let error = scenario(&file).unwrap_err();
    assert_eq!(error.to_string(), "the service call failed");
    assert!(!file.exists(), "an unfinished session must not record");
}

#[test]
fn finished_sessions_write_metrics_for_their_test_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut snapshot = session(
        snapshot!(),
        &dir.path().join("m.snapshot.json"),
        Mode::Record,
    );
    snapshot.match_("k", &1).unwrap();
    snapshot.finish().unwrap();
    let metrics = ParityMetrics::load(&metrics_file(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        env!("CARGO_PKG_NAME"),
        Path::new("tests/session.rs"),
    ))
    .unwrap();
    assert_eq!(metrics.test_file, "tests/session.rs");
    let mine = &metrics.tests["finished_sessions_write_metrics_for_their_test_file"];
    assert_eq!(mine.status, TestStatus::Recorded);
    assert_eq!(mine.plain_values, 1);
    assert!(mine
        .calls
        .iter()
        .all(|c| c.result != CallResult::NotMatched));
}
