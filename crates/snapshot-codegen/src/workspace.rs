//! The generated harness workspace: the harness runtime crates plus one harness per client.

use std::path::PathBuf;

use crate::harness::{GeneratedFile, GeneratedHarness};
use crate::runtime::runtime;
use crate::{manifest, CodegenError};

/// Every file of the harness workspace except the harness crates themselves: the workspace
/// manifest and the runtime crates, their manifests made standalone.
pub fn workspace_files(
    harnesses: &[&GeneratedHarness],
) -> Result<Vec<GeneratedFile>, CodegenError> {
    let runtime = runtime()?;
    let members: Vec<String> = runtime
        .crates
        .iter()
        .cloned()
        .chain(harnesses.iter().map(|harness| harness.package.clone()))
        .collect();
    let mut files = vec![GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: manifest::workspace_manifest(
            &members,
            &runtime.crates,
            harnesses
                .iter()
                .map(|harness| harness.client_package.as_str()),
        )?,
    }];
    for file in &runtime.files {
        let contents = match file.path.strip_suffix("/Cargo.toml") {
            Some(package) => manifest::standalone_manifest(package, &file.contents)?,
            None => file.contents.clone(),
        };
        files.push(GeneratedFile {
            path: PathBuf::from(&file.path),
            contents,
        });
    }
    Ok(files)
}
