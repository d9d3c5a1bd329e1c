//! The generated harness for a hand-written model: the files a user's build compiles,
//! reviewed as goldens, plus the properties other stages rely on.

use std::path::{Path, PathBuf};

use snapshot_codegen::{
    generate_harness, workspace_files, ClientCrate, ClientFacts, ClientSource, HarnessOperation,
};
use snapshot_model::Model;
use snapshot_values::{Generator, Mode, Overrides};

fn weather() -> Model {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/models/weather.json");
    Model::load(&path).unwrap_or_else(|error| panic!("{error}"))
}

fn client() -> ClientCrate {
    ClientCrate {
        package: "example-weather".into(),
        source: ClientSource::Registry {
            version: "=0.1.0".into(),
        },
    }
}

#[test]
fn generated_harness_files() {
    let model = weather();
    let index = model.service_index(None).unwrap();
    let overrides = Overrides::builtin();
    let generator = Generator::new(&model, &overrides);
    let operations: Vec<HarnessOperation<'_>> = index
        .operations()
        .iter()
        .map(|operation| HarnessOperation {
            operation: *operation,
            input: generator
                .generate_input(operation.shape, Mode::Max)
                .unwrap(),
        })
        .collect();
    let harness =
        generate_harness(&index, &client(), &ClientFacts::unknown(), &operations).unwrap();
    assert!(harness.failed.is_empty(), "{:?}", harness.failed);
    assert_eq!(harness.package, "harness-example-weather");
    // Every operation has its own file, so compiler errors map back to one operation.
    assert_eq!(harness.operation_files.len(), index.operations().len());
    for file in &harness.files {
        let name = file.path.to_string_lossy().replace('\\', "/");
        insta::assert_snapshot!(name.clone(), file.contents);
    }
}

#[test]
fn workspace_embeds_the_runtime_and_one_profile() {
    let model = weather();
    let index = model.service_index(None).unwrap();
    let harness = generate_harness(&index, &client(), &ClientFacts::unknown(), &[]).unwrap();
    let files = workspace_files(&[&harness]).unwrap();
    let paths: Vec<&Path> = files.iter().map(|file| file.path.as_path()).collect();
    for expected in [
        "Cargo.toml",
        "snapshot-harness/Cargo.toml",
        "snapshot-harness/src/runner.rs",
        "snapshot-records/src/lib.rs",
    ] {
        assert!(
            paths.contains(&Path::new(expected)),
            "missing {expected} in {paths:?}"
        );
    }
    let root = &files[0].contents;
    assert!(root.contains("\"harness-example-weather\""), "{root}");
    assert!(root.contains("debug = 0"), "{root}");
    // The embedded manifests must stand alone (no `workspace = true` inheritance).
    for file in files
        .iter()
        .filter(|file| file.path.ends_with("Cargo.toml"))
    {
        assert!(
            !file.contents.contains("workspace = true"),
            "{}: {}",
            file.path.display(),
            file.contents
        );
    }
}
