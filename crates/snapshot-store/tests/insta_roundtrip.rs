//! Our `.snap` files survive insta's own read-then-save cycle byte for byte.
//!
//! `cargo insta accept` loads a pending file with `insta::Snapshot::from_file` and writes the
//! accepted file with `Snapshot::save`. If that reproduces our bytes for any header values and
//! contents, accepting a pending file yields exactly what `Store::write` writes, and the next
//! `compare` passes. This drives the insta crate directly over many generated inputs; the
//! `cargo_insta` test checks the same through the real `cargo insta` binary.

use std::fs;

use proptest::prelude::*;
use snapshot_store::format;

/// Pieces that exercise insta's quoting, escaping and normalization rules.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_]{1,8}",
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\x01".to_owned()),
        Just("\x1b".to_owned()),
        Just("\x7f".to_owned()),
        Just("---".to_owned()),
        Just(": ".to_owned()),
        Just("#".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\\".to_owned()),
        Just("-".to_owned()),
        Just("|".to_owned()),
        Just("{}[],&*?!%@`<>=".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("~".to_owned()),
        Just("1e5".to_owned()),
        Just("0x1F".to_owned()),
        Just(".5".to_owned()),
        Just("42".to_owned()),
        Just("é→😀".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
}

fn check(source: &str, expression: &str, contents: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let pending = dir.path().join("Op.snap.new");
    let accepted = dir.path().join("Op.snap");
    let ours = format::render(source, expression, contents);
    fs::write(&pending, &ours).unwrap();

    let loaded = insta::Snapshot::from_file(&pending)
        .map_err(|err| TestCaseError::fail(format!("insta cannot read {ours:?}: {err}")))?;
    let expected = format::expected(source, expression, contents);
    prop_assert_eq!(
        loaded.metadata().source(),
        expected.header.source.as_deref()
    );
    prop_assert_eq!(
        loaded.metadata().expression(),
        expected.header.expression.as_deref()
    );
    let text = loaded
        .contents()
        .as_text()
        .expect("a text snapshot")
        .to_string();
    prop_assert_eq!(&text, &expected.contents);

    loaded.save(&accepted).unwrap();
    let theirs = fs::read_to_string(&accepted).unwrap();
    prop_assert_eq!(&theirs, &ours, "insta rewrote the file differently");
    prop_assert_eq!(format::parse(&theirs).unwrap(), expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn insta_reads_and_rewrites_our_files_unchanged(
        source in text(),
        expression in text(),
        contents in text(),
    ) {
        check(&source, &expression, &contents)?;
    }
}

#[test]
fn typical_snapshots_round_trip() {
    let request = "POST https://sts.us-east-1.amazonaws.com\n/\n\ncontent-type: application/x-www-form-urlencoded\n\n[form]\nAction=AssumeRole\nVersion=2011-06-15\n";
    check("cargo-snapshot", "aws-sdk-sts AssumeRole request", request).unwrap();
    check("models/sts.json", "aws-sdk-s3 PutObject request", "").unwrap();
    check("cargo-snapshot", "x", "\n\n  indented first line\n").unwrap();
}
