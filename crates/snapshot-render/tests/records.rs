//! Records exactly as the harness writes them (JSON lines in `fixtures/render/records.jsonl`),
//! read through `snapshot-records` and rendered as one file: the path the CLI takes.

use std::path::PathBuf;

use snapshot_records::CaseRecord;
use snapshot_render::{render_case, Placeholders};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/render/records.jsonl")
}

#[test]
fn harness_records_render_as_one_file() {
    let path = fixture();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let mut placeholders = Placeholders::new();
    let sections: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let record: CaseRecord = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("{}:{}: {error}", path.display(), i + 1));
            format!(
                "=== {} {:?}\n{}",
                record.operation,
                record.case,
                render_case(&record, &mut placeholders)
            )
        })
        .collect();
    assert_eq!(sections.len(), 4);
    insta::assert_snapshot!(sections.join("\n\n"));
}
