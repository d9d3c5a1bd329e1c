//! Golden tests: every rule of the generator on small hand-written models in
//! `fixtures/values`, in every mode (min, max, edge), rendered with `Value`'s stable text form.
//! Review changes with `cargo insta review`.

mod common;

use common::{fixture, render_service};
use snapshot_values::{OverrideValue, Overrides};

fn golden(name: &str, file: &str, overrides: &Overrides) {
    let model = fixture(file);
    insta::assert_snapshot!(name, render_service(&model, overrides));
}

#[test]
fn simple_types() {
    golden("simple_types", "simple-types.json", &Overrides::builtin());
}

#[test]
fn collections() {
    golden("collections", "collections.json", &Overrides::builtin());
}

#[test]
fn unions_and_event_streams() {
    golden("unions", "unions.json", &Overrides::builtin());
}

#[test]
fn recursion() {
    golden("recursion", "recursion.json", &Overrides::builtin());
}

#[test]
fn edge_bindings_and_constraints() {
    golden("edge", "edge.json", &Overrides::builtin());
}

#[test]
fn builtin_overrides() {
    golden("overrides_builtin", "overrides.json", &Overrides::builtin());
}

#[test]
fn user_overrides() {
    let user = [
        ("Region", OverrideValue::String("us-west-2".into())),
        ("Limit", OverrideValue::Integer(10)),
        (
            "example.values#PutOverridesInput$Limit",
            OverrideValue::Integer(25),
        ),
        (
            "example.values#PutOverridesInput$AccountId",
            OverrideValue::String("111122223333".into()),
        ),
        ("Level", OverrideValue::Integer(1)),
        ("Status", OverrideValue::String("inactive".into())),
        ("Labels", OverrideValue::String("label".into())),
        ("Scores", OverrideValue::Float(1.5)),
        ("Expires", OverrideValue::Integer(1_700_000_000_000)),
        ("Extra", OverrideValue::Boolean(true)),
        ("Amount", OverrideValue::String("12.50".into())),
        ("Secret", OverrideValue::String("hi".into())),
        ("Weight", OverrideValue::Integer(2)),
    ];
    let overrides = Overrides::builtin()
        .with_user(user.into_iter().map(|(key, value)| (key.to_owned(), value)))
        .unwrap();
    golden("overrides_user", "overrides.json", &overrides);
}
