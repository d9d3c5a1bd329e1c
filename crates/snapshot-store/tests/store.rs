//! The store's behaviour on a real filesystem: layout, atomic writes, scoped pruning,
//! pending files, and the errors users see.

use std::fs;

use snapshot_store::{
    DiffOptions, Kind, Outcome, PendingLocation, Scope, SnapshotKey, Store, StoreError,
};

#[allow(dead_code)] // each test file uses part of the shared fixtures
mod support;

use support::*;

#[test]
fn write_lays_out_insta_files_by_crate_and_kind() {
    let fx = Fixture::new();
    let summary = fx
        .store
        .write(&Scope::new().include_crate(STS), full_sts())
        .unwrap();
    assert_eq!(summary.created.len(), 4);
    assert_eq!(
        summary.to_string(),
        "4 snapshots written (4 new, 0 changed), 0 removed"
    );
    assert_eq!(
        fx.names(),
        [
            "aws-sdk-sts/errors/ExpiredTokenException.snap",
            "aws-sdk-sts/requests/AssumeRole.snap",
            "aws-sdk-sts/requests/GetCallerIdentity.snap",
            "aws-sdk-sts/responses/AssumeRole.snap",
        ]
    );
    assert_eq!(
        fs::read_to_string(fx.path("aws-sdk-sts/requests/AssumeRole.snap")).unwrap(),
        "---\nsource: cargo-snapshot\nexpression: aws-sdk-sts AssumeRole request\n---\nPOST /\n\nAction=AssumeRole\n"
    );
    // Nothing but the crate directory: no temporary directories left behind.
    let top: Vec<_> = fs::read_dir(fx.root().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(top, ["aws-sdk-sts"]);
}

#[test]
fn read_and_list_return_what_write_stored() {
    let fx = Fixture::with_full_sts();
    let key = SnapshotKey::new(STS, Kind::Responses, "AssumeRole");
    let stored = fx.store.read(&key).unwrap().unwrap();
    assert_eq!(stored.contents, "200 OK");
    assert_eq!(stored.header.source.as_deref(), Some("cargo-snapshot"));
    assert_eq!(
        stored.header.expression.as_deref(),
        Some("aws-sdk-sts AssumeRole response")
    );
    assert_eq!(
        stored.path,
        fx.path("aws-sdk-sts/responses/AssumeRole.snap")
    );
    assert!(fx
        .store
        .read(&SnapshotKey::new(STS, Kind::Responses, "Missing"))
        .unwrap()
        .is_none());
    let listed: Vec<String> = fx
        .store
        .list(STS)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        listed,
        [
            "aws-sdk-sts/requests/AssumeRole",
            "aws-sdk-sts/requests/GetCallerIdentity",
            "aws-sdk-sts/responses/AssumeRole",
            "aws-sdk-sts/errors/ExpiredTokenException",
        ]
    );
    assert!(fx.store.list(SQS).unwrap().is_empty());
}

#[test]
fn pending_files_and_the_last_change_are_listed_per_crate() {
    let fx = Fixture::with_full_sts();
    assert!(fx.store.list_pending(STS).unwrap().is_empty());
    let mut run = full_sts();
    run[0].contents = "changed".into();
    run.push(snap(STS, Kind::Errors, "RegionDisabledException", "403"));
    fx.store
        .compare(&Scope::new().include_crate(STS), run.clone())
        .unwrap();
    let pending: Vec<String> = fx
        .store
        .list_pending(STS)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        pending,
        [
            "aws-sdk-sts/requests/AssumeRole",
            "aws-sdk-sts/errors/RegionDisabledException",
        ]
    );
    // Pending files are not accepted snapshots: the listing of those is unchanged.
    assert_eq!(fx.store.list(STS).unwrap().len(), 4);

    // Where INSTA_PENDING_DIR puts them, they are listed from there.
    let elsewhere = fx
        .store
        .clone()
        .with_pending_location(PendingLocation::Dir(fx.root().join("pending")));
    assert!(elsewhere.list_pending(STS).unwrap().is_empty());
    elsewhere
        .compare(&Scope::new().include_crate(STS), run)
        .unwrap();
    assert_eq!(elsewhere.list_pending(STS).unwrap().len(), 2);

    let touched = fx.path("aws-sdk-sts/responses/AssumeRole.snap");
    let later = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_000_000_000);
    fs::File::options()
        .write(true)
        .open(&touched)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert_eq!(fx.store.last_modified(STS).unwrap(), Some(later));
    assert_eq!(fx.store.last_modified(SQS).unwrap(), None);
}

#[test]
fn write_deletes_what_the_run_no_longer_produces_but_only_inside_its_scope() {
    let fx = Fixture::new();
    let mut all = full_sts();
    all.push(snap(SQS, Kind::Requests, "SendMessage", "sqs"));
    fx.store
        .write(&Scope::new().include_crate(STS).include_crate(SQS), all)
        .unwrap();
    fs::write(fx.path("aws-sdk-sts/README.md"), "kept: not a snapshot").unwrap();

    // `--operation AssumeRole` over sts: only AssumeRole is covered; GetCallerIdentity survives.
    let scope = Scope::new()
        .include_names(STS, Kind::Requests, ["AssumeRole"])
        .include_names(STS, Kind::Responses, ["AssumeRole"]);
    let summary = fx
        .store
        .write(
            &scope,
            vec![snap(
                STS,
                Kind::Requests,
                "AssumeRole",
                "POST /\n\nAction=AssumeRole&v=2",
            )],
        )
        .unwrap();
    assert_eq!(
        summary.updated,
        [SnapshotKey::new(STS, Kind::Requests, "AssumeRole")]
    );
    assert_eq!(
        summary.removed,
        [SnapshotKey::new(STS, Kind::Responses, "AssumeRole")]
    );
    assert_eq!(
        fx.names(),
        [
            "aws-sdk-sqs/requests/SendMessage.snap",
            "aws-sdk-sts/README.md",
            "aws-sdk-sts/errors/ExpiredTokenException.snap",
            "aws-sdk-sts/requests/AssumeRole.snap",
            "aws-sdk-sts/requests/GetCallerIdentity.snap",
        ]
    );

    // A full run over sts prunes everything it did not produce, and leaves sqs alone.
    let summary = fx
        .store
        .write(
            &Scope::new().include_crate(STS),
            vec![snap(
                STS,
                Kind::Requests,
                "AssumeRole",
                "POST /\n\nAction=AssumeRole&v=2",
            )],
        )
        .unwrap();
    assert_eq!(summary.unchanged, 1);
    assert_eq!(summary.removed.len(), 2);
    assert_eq!(
        fx.names(),
        [
            "aws-sdk-sqs/requests/SendMessage.snap",
            "aws-sdk-sts/README.md",
            "aws-sdk-sts/requests/AssumeRole.snap",
        ]
    );
}

#[test]
fn write_removes_stale_pending_files_for_what_it_covered_only() {
    let fx = Fixture::with_full_sts();
    let changed = vec![
        snap(STS, Kind::Requests, "AssumeRole", "changed"),
        snap(STS, Kind::Requests, "GetCallerIdentity", "changed too"),
    ];
    let scope = Scope::new().include_kind(STS, Kind::Requests);
    fx.store.compare(&scope, changed).unwrap();
    assert!(fx.path("aws-sdk-sts/requests/AssumeRole.snap.new").exists());
    assert!(fx
        .path("aws-sdk-sts/requests/GetCallerIdentity.snap.new")
        .exists());

    let summary = fx
        .store
        .write(
            &Scope::new().include_names(STS, Kind::Requests, ["AssumeRole"]),
            vec![snap(STS, Kind::Requests, "AssumeRole", "changed")],
        )
        .unwrap();
    assert_eq!(summary.pending_removed, 1);
    assert!(!fx.path("aws-sdk-sts/requests/AssumeRole.snap.new").exists());
    // Not covered by this write: its pending review stays.
    assert!(fx
        .path("aws-sdk-sts/requests/GetCallerIdentity.snap.new")
        .exists());
}

#[test]
fn a_write_that_fails_midway_leaves_the_old_snapshots_intact_and_no_temporary_files() {
    let fx = Fixture::with_full_sts();
    let before = fx.files();

    // The second crate's directory is a regular file: staging it fails after the first
    // crate is fully staged. Nothing may change.
    fs::write(fx.path(SQS), "not a directory").unwrap();
    let mut snapshots = vec![snap(STS, Kind::Requests, "AssumeRole", "new text")];
    snapshots.push(snap(SQS, Kind::Requests, "SendMessage", "sqs"));
    let err = fx
        .store
        .write(
            &Scope::new().include_crate(STS).include_crate(SQS),
            snapshots,
        )
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotADirectory { path } if path == &fx.path(SQS)),
        "{err}"
    );
    assert!(
        err.to_string().contains("aws-sdk-sqs` is not a directory"),
        "{err}"
    );

    let mut after = fx.files();
    after.retain(|(name, _)| name != SQS);
    assert_eq!(after, before);
    let mut top: Vec<String> = fs::read_dir(fx.root().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, [SQS, STS], "a temporary directory was left behind");
}

#[test]
fn a_write_that_cannot_read_the_old_directory_changes_nothing() {
    let fx = Fixture::with_full_sts();
    let before = fx.files();
    // A dangling symlink cannot be copied into the staged directory (even as root).
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            fx.root().join("nowhere"),
            fx.path("aws-sdk-sts/errors/Dangling.txt"),
        )
        .unwrap();
        let err = fx
            .store
            .write(
                &Scope::new().include_crate(STS),
                vec![snap(STS, Kind::Requests, "AssumeRole", "new")],
            )
            .unwrap_err();
        assert!(err.to_string().contains("Dangling.txt"), "{err}");
        fs::remove_file(fx.path("aws-sdk-sts/errors/Dangling.txt")).unwrap();
        assert_eq!(fx.files(), before);
        assert_eq!(
            fs::read_dir(fx.root().join("snapshots")).unwrap().count(),
            1
        );
    }
}

#[test]
fn an_unwritable_snapshot_directory_names_the_path_and_the_fix() {
    // Tests may run as root, which ignores permission bits; a path below a regular file
    // cannot be created by anyone.
    let fx = Fixture::new();
    fs::write(fx.root().join("file"), "").unwrap();
    let store = Store::new(fx.root().join("file/snapshots"), fx.root());
    let err = store
        .write(&Scope::new().include_crate(STS), full_sts())
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Unwritable { .. }), "{message}");
    assert!(message.contains("file/snapshots"), "{message}");
    assert!(
        message.contains("`snapshot_dir` in snapshot.toml"),
        "{message}"
    );

    // compare writes pending files only when something differs, and then fails the same way.
    let err = store
        .compare(&Scope::new().include_crate(STS), full_sts())
        .unwrap_err();
    assert!(matches!(err, StoreError::Unwritable { .. }), "{err}");

    // A snapshot directory that is itself a file.
    let store = Store::new(fx.root().join("file"), fx.root());
    let err = store
        .write(&Scope::new().include_crate(STS), full_sts())
        .unwrap_err();
    assert!(matches!(err, StoreError::NotADirectory { .. }), "{err}");
}

#[test]
fn compare_reports_each_snapshot_and_writes_only_pending_files() {
    let fx = Fixture::with_full_sts();
    let accepted_before = fx.files();

    let run = vec![
        snap(
            STS,
            Kind::Requests,
            "AssumeRole",
            "POST /\n\nAction=AssumeRole",
        ),
        snap(
            STS,
            Kind::Requests,
            "GetCallerIdentity",
            "POST /\n\nAction=GetCallerIdentity&x=1",
        ),
        snap(STS, Kind::Responses, "AssumeRole", "200 OK"),
        snap(STS, Kind::Responses, "GetCallerIdentity", "200 OK"),
    ];
    let report = fx
        .store
        .compare(&Scope::new().include_crate(STS), run)
        .unwrap();
    assert_eq!(
        outcomes(&report),
        [
            ("aws-sdk-sts/requests/AssumeRole".to_owned(), "passed"),
            (
                "aws-sdk-sts/requests/GetCallerIdentity".to_owned(),
                "changed"
            ),
            ("aws-sdk-sts/responses/AssumeRole".to_owned(), "passed"),
            ("aws-sdk-sts/responses/GetCallerIdentity".to_owned(), "new"),
            (
                "aws-sdk-sts/errors/ExpiredTokenException".to_owned(),
                "removed"
            ),
        ]
    );
    assert_eq!(report.counts().to_string(), "2 passed, 3 failed");
    assert!(!report.is_success());
    assert!(report.has_pending());

    // Accepted files untouched; exactly the two pending files added.
    let mut files = fx.files();
    let pending: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _)| name.ends_with(".snap.new"))
        .cloned()
        .collect();
    files.retain(|(name, _)| !name.ends_with(".snap.new"));
    assert_eq!(files, accepted_before);
    assert_eq!(
        pending,
        [
            (
                "aws-sdk-sts/requests/GetCallerIdentity.snap.new".to_owned(),
                "---\nsource: cargo-snapshot\nexpression: aws-sdk-sts GetCallerIdentity request\n---\nPOST /\n\nAction=GetCallerIdentity&x=1\n".to_owned()
            ),
            (
                "aws-sdk-sts/responses/GetCallerIdentity.snap.new".to_owned(),
                "---\nsource: cargo-snapshot\nexpression: aws-sdk-sts GetCallerIdentity response\n---\n200 OK\n".to_owned()
            ),
        ]
    );

    let changed = &report.results[1];
    let Outcome::Changed { pending, diff } = &changed.outcome else {
        panic!("expected a change: {changed:?}");
    };
    assert_eq!(
        *pending,
        fx.path("aws-sdk-sts/requests/GetCallerIdentity.snap.new")
    );
    assert_eq!(
        diff.render(&DiffOptions::with_color(false)),
        "--- snapshots/aws-sdk-sts/requests/GetCallerIdentity.snap\n\
         +++ snapshots/aws-sdk-sts/requests/GetCallerIdentity.snap.new\n\
         @@ -4,4 +4,4 @@\n ---\n POST /\n \n\
         -Action=GetCallerIdentity\n+Action=GetCallerIdentity&x=1\n"
    );
    let rendered = report.render_failures(&DiffOptions::with_color(false));
    assert!(
        rendered
            .starts_with("changed: snapshots/aws-sdk-sts/requests/GetCallerIdentity.snap\n--- "),
        "{rendered}"
    );
    assert!(
        rendered.contains("new: snapshots/aws-sdk-sts/responses/GetCallerIdentity.snap\n"),
        "{rendered}"
    );
    assert!(rendered.contains(
        "removed: snapshots/aws-sdk-sts/errors/ExpiredTokenException.snap is no longer produced (`cargo snapshot write` deletes it)\n"
    ), "{rendered}");
}

#[test]
fn compare_removes_pending_files_that_no_longer_apply() {
    let fx = Fixture::with_full_sts();
    let scope = Scope::new().include_crate(STS);
    let mut changed = full_sts();
    changed[0].contents = "different".into();
    changed.push(snap(STS, Kind::Errors, "Brand", "new"));
    fx.store.compare(&scope, changed).unwrap();
    assert!(fx.path("aws-sdk-sts/requests/AssumeRole.snap.new").exists());
    assert!(fx.path("aws-sdk-sts/errors/Brand.snap.new").exists());

    // The change is reverted and the new error shape is gone again: both pending files would
    // otherwise be offered by `cargo insta review`.
    let report = fx.store.compare(&scope, full_sts()).unwrap();
    assert!(report.is_success(), "{:?}", outcomes(&report));
    assert_eq!(report.counts().to_string(), "4 passed, 0 failed");
    assert!(
        fx.names().iter().all(|name| !name.ends_with(".new")),
        "{:?}",
        fx.names()
    );
}

#[test]
fn compare_with_a_filter_does_not_report_other_snapshots_as_removed() {
    let fx = Fixture::with_full_sts();
    let scope = Scope::new()
        .include_names(STS, Kind::Requests, ["AssumeRole"])
        .include_names(STS, Kind::Responses, ["AssumeRole"]);
    let report = fx
        .store
        .compare(
            &scope,
            vec![
                snap(
                    STS,
                    Kind::Requests,
                    "AssumeRole",
                    "POST /\n\nAction=AssumeRole",
                ),
                snap(STS, Kind::Responses, "AssumeRole", "200 OK"),
            ],
        )
        .unwrap();
    assert_eq!(report.counts().to_string(), "2 passed, 0 failed");
}

#[test]
fn compare_ignores_line_end_and_trailing_whitespace_differences_like_insta() {
    let fx = Fixture::with_full_sts();
    // As after a checkout with core.autocrlf=true.
    let path = fx.path("aws-sdk-sts/requests/AssumeRole.snap");
    let crlf = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    fs::write(&path, crlf).unwrap();
    let mut run = full_sts();
    run[1].contents.push_str("  \n\n");
    let report = fx
        .store
        .compare(&Scope::new().include_crate(STS), run)
        .unwrap();
    assert!(report.is_success(), "{:?}", outcomes(&report));
}

#[test]
fn a_changed_header_is_a_change() {
    let fx = Fixture::with_full_sts();
    let mut run = full_sts();
    run[0] = run[0].clone().with_source("models/sts.json");
    let report = fx
        .store
        .compare(&Scope::new().include_crate(STS), run)
        .unwrap();
    let Outcome::Changed { diff, .. } = &report.results[0].outcome else {
        panic!("{:?}", outcomes(&report));
    };
    let text = diff.render(&DiffOptions::with_color(false));
    assert!(
        text.contains("-source: cargo-snapshot\n+source: models/sts.json\n"),
        "{text}"
    );
}

#[test]
fn a_malformed_accepted_snapshot_stops_compare_naming_the_file_but_write_repairs_it() {
    let fx = Fixture::with_full_sts();
    let path = fx.path("aws-sdk-sts/responses/AssumeRole.snap");
    fs::write(&path, "<<<<<<< HEAD\n200 OK\n=======\n").unwrap();
    let err = fx
        .store
        .compare(&Scope::new().include_crate(STS), full_sts())
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Malformed { .. }), "{message}");
    assert!(
        message.contains("responses/AssumeRole.snap` is not a valid insta snapshot file"),
        "{message}"
    );
    assert!(message.contains("run `cargo snapshot write`"), "{message}");
    assert!(fx
        .store
        .read(&SnapshotKey::new(STS, Kind::Responses, "AssumeRole"))
        .is_err());

    let summary = fx
        .store
        .write(&Scope::new().include_crate(STS), full_sts())
        .unwrap();
    assert_eq!(
        summary.updated,
        [SnapshotKey::new(STS, Kind::Responses, "AssumeRole")]
    );
    assert!(fx
        .store
        .compare(&Scope::new().include_crate(STS), full_sts())
        .unwrap()
        .is_success());
}

#[test]
fn invalid_duplicate_and_out_of_scope_snapshots_are_rejected_before_anything_is_written() {
    let fx = Fixture::new();
    let scope = Scope::new().include_crate(STS);
    let err = fx
        .store
        .write(&scope, vec![snap(STS, Kind::Requests, "../escape", "x")])
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidName { .. }), "{err}");

    let twice = vec![
        snap(STS, Kind::Requests, "AssumeRole", "a"),
        snap(STS, Kind::Requests, "AssumeRole", "b"),
    ];
    let err = fx.store.write(&scope, twice).unwrap_err();
    assert_eq!(
        err.to_string(),
        "snapshot `aws-sdk-sts/requests/AssumeRole` was produced twice in one run; each operation and error shape must have exactly one snapshot per kind"
    );

    let err = fx
        .store
        .compare(&scope, vec![snap(SQS, Kind::Requests, "SendMessage", "x")])
        .unwrap_err();
    assert!(matches!(err, StoreError::OutsideScope { .. }), "{err}");
    assert!(!fx.root().join("snapshots").exists());
}

#[test]
fn pending_files_follow_insta_pending_dir_when_asked() {
    let fx = Fixture::with_full_sts();
    let pending_root = fx.root().join("pending");
    let store = fx
        .store
        .clone()
        .with_pending_location(PendingLocation::Dir(pending_root.clone()));
    let mut run = full_sts();
    run[0].contents = "changed".into();
    let report = store
        .compare(&Scope::new().include_crate(STS), run)
        .unwrap();
    let Outcome::Changed { pending, .. } = &report.results[0].outcome else {
        panic!("{:?}", outcomes(&report));
    };
    let expected = pending_root.join("snapshots/aws-sdk-sts/requests/AssumeRole.snap.new");
    assert_eq!(*pending, expected);
    assert!(expected.exists());
    assert!(fx.names().iter().all(|name| !name.ends_with(".new")));

    // `write` clears it again.
    let summary = store
        .write(&Scope::new().include_crate(STS), full_sts())
        .unwrap();
    assert_eq!(summary.pending_removed, 1);
    assert!(!expected.exists());

    // A snapshot directory outside the workspace cannot be mirrored.
    let outside = Store::new(fx.root().join("snapshots"), fx.root().join("elsewhere"))
        .with_pending_location(PendingLocation::Dir(pending_root));
    let mut run = full_sts();
    run[0].contents = "changed".into();
    let err = outside
        .compare(&Scope::new().include_crate(STS), run)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::PendingDirOutsideWorkspace { .. }),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn writing_the_same_snapshots_again_leaves_the_directory_untouched() {
    use std::os::unix::fs::MetadataExt;
    let fx = Fixture::new();
    let scope = Scope::new().include_crate(STS);
    fx.store.write(&scope, full_sts()).unwrap();
    let inode = |path: &str| fs::metadata(fx.path(path)).unwrap().ino();
    let dir_before = inode("aws-sdk-sts");
    let file_before = inode("aws-sdk-sts/requests/AssumeRole.snap");

    let summary = fx.store.write(&scope, full_sts()).unwrap();
    assert_eq!(summary.unchanged, 4);
    assert_eq!(
        summary.to_string(),
        "4 snapshots written (0 new, 0 changed), 0 removed"
    );
    assert_eq!(inode("aws-sdk-sts"), dir_before);
    assert_eq!(inode("aws-sdk-sts/requests/AssumeRole.snap"), file_before);

    // A file insta considers equal but that is not byte-identical is rewritten canonically.
    let path = fx.path("aws-sdk-sts/requests/AssumeRole.snap");
    let lf = fs::read_to_string(&path).unwrap();
    fs::write(&path, lf.replace('\n', "\r\n")).unwrap();
    let summary = fx.store.write(&scope, full_sts()).unwrap();
    assert_eq!(summary.unchanged, 4);
    assert_eq!(fs::read_to_string(&path).unwrap(), lf);
}
