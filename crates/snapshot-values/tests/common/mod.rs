//! Helpers shared by the integration tests: fixture locations, member lookup, rendering.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;

use snapshot_model::test_util::Fixtures;
use snapshot_model::{Model, ShapeKind};
use snapshot_values::{Generator, Mode, Overrides, Value};

/// `fixtures/values` at the workspace root.
pub fn fixtures_dir() -> PathBuf {
    Fixtures::Values.dir()
}

/// The member `name` of a structure value; panics when there is none.
pub fn member<'v>(value: &'v Value, name: &str) -> &'v Value {
    match value {
        Value::Structure { members, .. } => members
            .iter()
            .find(|(member, _)| member == name)
            .map(|(_, value)| value)
            .unwrap_or_else(|| panic!("no member {name} in {value}")),
        other => panic!("not a structure: {other}"),
    }
}

/// Loads a hand-written fixture model of `fixtures/values` by file name.
pub fn fixture(name: &str) -> Model {
    Fixtures::Values.load(name)
}

/// Every operation's input, output and errors of the fixture's service, in every mode, then
/// the exception events of every event stream, as one reviewable text.
pub fn render_service(model: &Model, overrides: &Overrides) -> String {
    let index = model
        .service_index(None)
        .expect("fixture has one supported service");
    let generator = Generator::new(model, overrides);
    let mut out = String::new();
    for operation in index.operations() {
        let mut roots = vec![
            ("input", operation.operation.input.clone()),
            ("output", operation.operation.output.clone()),
        ];
        roots.extend(
            index
                .operation_errors(operation)
                .into_iter()
                .map(|error| ("error", error)),
        );
        for (role, root) in roots {
            for mode in Mode::ALL {
                // Inputs as the pipeline generates them: with the operation's bindings known.
                let value = if role == "input" {
                    generator.generate_input(operation.shape, mode)
                } else {
                    generator.generate(&root, mode)
                }
                .expect("fixture values generate");
                writeln!(
                    out,
                    "=== {} {role} {} ({}) ===",
                    operation.name(),
                    root.name(),
                    mode.name()
                )
                .unwrap();
                writeln!(out, "{value}\n").unwrap();
            }
        }
    }
    for shape in model.shapes() {
        if matches!(shape.kind, ShapeKind::Union(_)) && shape.traits.is_streaming() {
            for mode in Mode::ALL {
                let events = generator
                    .exception_events(&shape.id, mode)
                    .expect("exception events generate");
                writeln!(
                    out,
                    "=== exception events of {} ({}) ===",
                    shape.id.name(),
                    mode.name()
                )
                .unwrap();
                for (member, value) in events {
                    writeln!(out, "{member}: {value}").unwrap();
                }
                out.push('\n');
            }
        }
    }
    out
}
