//! Loads every real AWS model from the shared corpus and checks the protocol smithy-rs would
//! generate, the operation count and the error count against the corpus README table.
//!
//! The models are read from `$SNAPSHOT_MODELS_DIR`, or `../shared/models` relative to the
//! workspace root; the test fails (it does not skip) when they are missing.

use snapshot_corpus::models_dir;
use snapshot_model::{Model, Protocol};

/// One row of the README table.
struct Expected {
    file: String,
    crate_name: String,
    protocol: Protocol,
    operations: usize,
    errors: usize,
}

fn expected_rows(dir: &std::path::Path) -> Vec<Expected> {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    readme
        .lines()
        .filter(|line| line.starts_with("| ") && line.contains(".json |"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let protocol = cells[2]
                .split(',')
                .map(|name| {
                    Protocol::from_name(name.trim())
                        .unwrap_or_else(|| panic!("README names unknown protocol `{name}`"))
                })
                // `Protocol`'s order is smithy-rs's priority order.
                .min()
                .unwrap();
            Expected {
                file: cells[0].to_owned(),
                crate_name: cells[1].to_owned(),
                protocol,
                operations: cells[3].parse().unwrap(),
                errors: cells[4].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn every_real_model_matches_the_corpus_table() {
    let dir = models_dir();
    let rows = expected_rows(&dir);
    assert_eq!(rows.len(), 28, "the corpus README should list 28 models");
    let mut mismatches = Vec::new();
    for row in &rows {
        let model = Model::load(&dir.join(&row.file)).unwrap_or_else(|error| {
            panic!("{} ({}) failed to load: {error}", row.file, row.crate_name)
        });
        let index = model
            .service_index(None)
            .unwrap_or_else(|error| panic!("{}: {error}", row.file));
        let actual = (
            index.protocol(),
            index.operations().len(),
            index.error_shapes().len(),
        );
        let expected = (row.protocol, row.operations, row.errors);
        if actual != expected {
            mismatches.push(format!(
                "{}: (protocol, operations, errors) = {actual:?}, README says {expected:?}",
                row.file
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_real_model_file_in_the_corpus_is_in_the_table() {
    let dir = models_dir();
    let listed: Vec<String> = expected_rows(&dir)
        .into_iter()
        .map(|row| row.file)
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(files, listed_sorted);
}
