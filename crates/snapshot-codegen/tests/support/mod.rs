//! Shared by the codegen tests: the harness code generated for one operation of a fixture
//! model in `fixtures/codegen/`, its max input, a registry client and no client facts.

use std::path::PathBuf;

use snapshot_codegen::{
    generate_harness, ClientCrate, ClientFacts, ClientSource, HarnessOperation,
};
use snapshot_model::Model;
use snapshot_values::{Generator, Mode, Overrides};

/// The generated file ending in `file` (e.g. `src/operations/put_rule.rs`) of the harness for
/// `operation` of `fixtures/codegen/<fixture>`, for the client package `package`.
pub fn generated_operation_file(
    fixture: &str,
    operation: &str,
    package: &str,
    file: &str,
) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/codegen")
        .join(fixture);
    let model = Model::load(&path).unwrap_or_else(|error| panic!("{error}"));
    let index = model.service_index(None).unwrap();
    let overrides = Overrides::builtin();
    let generator = Generator::new(&model, &overrides);
    let operation = index
        .operation(operation)
        .unwrap_or_else(|| panic!("{fixture} has {operation}"));
    let input = generator
        .generate_input(operation.shape, Mode::Max)
        .unwrap();
    let client = ClientCrate {
        package: package.into(),
        source: ClientSource::Registry {
            version: "=0.1.0".into(),
        },
    };
    let harness = generate_harness(
        &index,
        &client,
        &ClientFacts::unknown(),
        &[HarnessOperation {
            operation,
            input,
            variants: Vec::new(),
            rejected_headers: Vec::new(),
        }],
    )
    .unwrap();
    assert!(harness.failed.is_empty(), "{:?}", harness.failed);
    harness
        .files
        .iter()
        .find(|generated| generated.path.ends_with(file))
        .unwrap_or_else(|| panic!("the harness has {file}"))
        .contents
        .clone()
}
