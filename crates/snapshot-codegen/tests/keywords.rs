//! Members named after Rust keywords and reserved words, and renamed shapes, on both sides of
//! the harness code (`fixtures/codegen/keywords.json`): the input's builder setters and the
//! readers of the output, its nested types and the error. smithy-rs escapes such a member's
//! field (`r#type`, `self_`) or renames it (`build_value`, `default_value`, `meta_value`), but
//! its setter is always `set_` and the plain snake_case name; the round trip names every
//! value by its model member name.

mod support;

fn operation_file() -> String {
    support::generated_operation_file(
        "keywords.json",
        "PutRule",
        "example-keywords",
        "src/operations/put_rule.rs",
    )
}

/// The code without whitespace, so assertions do not depend on prettyplease's line breaks.
fn compact(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_has(code: &str, expected: &[&str]) {
    let compacted = compact(code);
    for needle in expected {
        assert!(
            compacted.contains(&compact(needle)),
            "missing `{needle}` in the generated code:\n{code}"
        );
    }
}

#[test]
fn setters_use_the_plain_snake_case_member_name() {
    let code = operation_file();
    assert_has(
        &code,
        &[
            ".set_type(::std::option::Option::Some(::std::string::String::from(\"__Type__\"))",
            ".set_match(::std::option::Option::Some(false))",
            ".set_self(::std::option::Option::Some(::std::string::String::from(\"__Self__\"))",
            ".set_build(::std::option::Option::Some(0i32))",
            ".set_async(::std::option::Option::Some(",
            // The renamed shape is built under its new name.
            ".set_rule(::std::option::Option::Some(::example_keywords::types::RenamedRule::builder()",
        ],
    );
    for escaped in ["set_self_", "set_build_value", "set_r#", "set_type_"] {
        assert!(!code.contains(escaped), "`{escaped}` in:\n{code}");
    }
}

#[test]
fn readers_use_the_escaped_fields_and_report_model_names() {
    let code = operation_file();
    assert_has(
        &code,
        &[
            // The output (named after the operation) and its renamed or escaped fields.
            "impl ::snapshot_harness::read::Read<Readers> for ::example_keywords::operation::put_rule::PutRuleOutput",
            ".member(\"Type\", &self.r#type)",
            ".member(\"Default\", &self.default_value)",
            ".member(\"Rules\", &self.rules)",
            // The renamed nested structure, with every kind of escape.
            "impl ::snapshot_harness::read::Read<Readers> for ::example_keywords::types::RenamedRule",
            ".member(\"Match\", &self.r#match)",
            ".member(\"Self\", &self.self_)",
            ".member(\"Build\", &self.build_value)",
            ".member(\"Async\", &self.r#async)",
            // Union variants: `Self` and `Unknown` renamed, a unit member without payload.
            "Self::SelfValue(inner) =>",
            "::snapshot_harness::read::variant::<Readers, _>(\"Self\", inner)",
            "Self::Type => ::snapshot_harness::read::unit_variant(\"Type\")",
            "Self::UnknownValue(inner) =>",
            "::snapshot_harness::read::variant::<Readers, _>(\"Unknown\", inner)",
            "_ => ::snapshot_harness::read::unknown_variant()",
            // The error enum and the error's `meta` member, renamed away from its metadata.
            "impl ::snapshot_harness::read::Read<Readers> for ::example_keywords::operation::put_rule::PutRuleError",
            "Self::Conflict(inner) =>",
            "::snapshot_harness::read::variant::<Readers, _>(\"Conflict\", inner)",
            "impl ::snapshot_harness::read::Read<Readers> for ::example_keywords::types::error::Conflict",
            ".member(\"Meta\", &self.meta_value)",
            // The call hands the result to the runtime with these readers.
            "::snapshot_harness::outcome::from_result::<Readers, _, _>(result)",
        ],
    );
    // Prelude shapes (`Unit`, the target of unit union members) are no client types.
    assert!(!code.contains("types::Unit"), "{code}");
}
