//! Per-operation error snapshots (`errors/by-operation/<Operation>.snap`) in the store:
//! their place one directory below `errors/`, and scoped pruning and comparison of their own.

use snapshot_store::{Kind, Scope, SnapshotKey};

#[allow(dead_code)] // each test file uses part of the shared fixtures
mod support;

use support::*;

#[test]
fn operation_errors_live_a_directory_below_errors_and_are_pruned_and_compared_on_their_own() {
    let fx = Fixture::with_full_sts();
    let by_operation = |name: &str, text: &str| snap(STS, Kind::OperationErrors, name, text);
    let mut run = full_sts();
    run.push(by_operation(
        "AssumeRole",
        "ExpiredTokenException: variant ExpiredTokenException",
    ));
    run.push(by_operation(
        "GetCallerIdentity",
        "_unmodeled: variant Unhandled",
    ));
    fx.store
        .write(&Scope::new().include_crate(STS), run.clone())
        .unwrap();
    assert!(fx
        .path("aws-sdk-sts/errors/by-operation/AssumeRole.snap")
        .is_file());
    let listed: Vec<String> = fx
        .store
        .list(STS)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(listed.contains(&"aws-sdk-sts/errors/by-operation/GetCallerIdentity".to_owned()));
    assert!(listed.contains(&"aws-sdk-sts/errors/ExpiredTokenException".to_owned()));

    // A filtered run covering the error shapes only leaves the per-operation files alone.
    let errors_only = Scope::new().include_names(STS, Kind::Errors, ["ExpiredTokenException"]);
    let summary = fx
        .store
        .write(
            &errors_only,
            vec![snap(
                STS,
                Kind::Errors,
                "ExpiredTokenException",
                "400 Bad Request",
            )],
        )
        .unwrap();
    assert!(summary.removed.is_empty(), "{:?}", summary.removed);
    assert!(fx
        .path("aws-sdk-sts/errors/by-operation/AssumeRole.snap")
        .is_file());

    // A change is pending next to the accepted file; an operation no longer run is removed.
    run.retain(|snapshot| snapshot.key.kind != Kind::OperationErrors);
    run.push(by_operation(
        "AssumeRole",
        "ExpiredTokenException: variant Unhandled",
    ));
    let report = fx
        .store
        .compare(&Scope::new().include_crate(STS), run.clone())
        .unwrap();
    let changed: Vec<(String, &str)> = outcomes(&report)
        .into_iter()
        .filter(|(_, outcome)| *outcome != "passed")
        .collect();
    assert_eq!(
        changed,
        [
            (
                "aws-sdk-sts/errors/by-operation/AssumeRole".to_owned(),
                "changed"
            ),
            (
                "aws-sdk-sts/errors/by-operation/GetCallerIdentity".to_owned(),
                "removed"
            ),
        ]
    );
    assert!(fx
        .path("aws-sdk-sts/errors/by-operation/AssumeRole.snap.new")
        .is_file());
    let summary = fx
        .store
        .write(&Scope::new().include_crate(STS), run)
        .unwrap();
    assert_eq!(
        summary.removed,
        [SnapshotKey::new(
            STS,
            Kind::OperationErrors,
            "GetCallerIdentity"
        )]
    );
    assert!(!fx
        .path("aws-sdk-sts/errors/by-operation/AssumeRole.snap.new")
        .exists());
}
