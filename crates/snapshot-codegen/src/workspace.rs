//! The generated harness workspace: the embedded runtime crates plus one harness per client.

use std::path::PathBuf;

use crate::harness::{GeneratedFile, GeneratedHarness};
use crate::{manifest, CodegenError};

/// Sources of the runtime crates, embedded so an installed cargo-snapshot can write them out.
const RUNTIME_FILES: [(&str, &str); 9] = [
    (
        "snapshot-records/Cargo.toml",
        include_str!("../../snapshot-records/Cargo.toml"),
    ),
    (
        "snapshot-records/src/lib.rs",
        include_str!("../../snapshot-records/src/lib.rs"),
    ),
    (
        "snapshot-harness/Cargo.toml",
        include_str!("../../snapshot-harness/Cargo.toml"),
    ),
    (
        "snapshot-harness/src/lib.rs",
        include_str!("../../snapshot-harness/src/lib.rs"),
    ),
    (
        "snapshot-harness/src/capture.rs",
        include_str!("../../snapshot-harness/src/capture.rs"),
    ),
    (
        "snapshot-harness/src/forward.rs",
        include_str!("../../snapshot-harness/src/forward.rs"),
    ),
    (
        "snapshot-harness/src/outcome.rs",
        include_str!("../../snapshot-harness/src/outcome.rs"),
    ),
    (
        "snapshot-harness/src/runner.rs",
        include_str!("../../snapshot-harness/src/runner.rs"),
    ),
    (
        "snapshot-harness/src/setup.rs",
        include_str!("../../snapshot-harness/src/setup.rs"),
    ),
];
const RUNTIME_VALUES: (&str, &str) = (
    "snapshot-harness/src/values.rs",
    include_str!("../../snapshot-harness/src/values.rs"),
);

/// Every file of the harness workspace except the harness crates themselves.
pub fn workspace_files(
    harnesses: &[&GeneratedHarness],
) -> Result<Vec<GeneratedFile>, CodegenError> {
    let members: Vec<String> = harnesses
        .iter()
        .map(|harness| harness.package.clone())
        .collect();
    let mut files = vec![GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: manifest::workspace_manifest(&members)?,
    }];
    for (path, contents) in RUNTIME_FILES.into_iter().chain([RUNTIME_VALUES]) {
        let contents = match path.strip_suffix("/Cargo.toml") {
            Some(package) => manifest::standalone_manifest(package, contents)?,
            None => contents.to_owned(),
        };
        files.push(GeneratedFile {
            path: PathBuf::from(path),
            contents,
        });
    }
    Ok(files)
}
