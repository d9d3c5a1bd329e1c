//! The error forms that make the message fallback of the generated error dispatch observable
//! (SPEC §7a), per protocol on the wire fixtures: [`ErrorForm::MessageMember`] puts the
//! metadata's message where the metadata parser reads it and the member's own text where the
//! shape's parser reads it (and only applies when those differ); [`ErrorForm::UnknownMember`]
//! ends the error body with a member the model does not name.

mod common;

use common::*;
use snapshot_model::{Model, ShapeId};
use snapshot_values::{Generator, Mode, Overrides, Value};
use snapshot_wire::variants::{METADATA_MESSAGE, UNKNOWN_MEMBER};
use snapshot_wire::{
    error_form_response, error_forms, uncoded_error_response, ErrorForm, Expectation,
    VariantResponse, UNCODED_ERROR_MESSAGE,
};

/// The max value of `error` and its response in `form` through `operation`.
fn form(model: &Model, operation: &str, error: &str, form: ErrorForm) -> Option<VariantResponse> {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    assert!(
        error_forms(&index, op).contains(&form),
        "{form:?} is offered by every protocol"
    );
    let shape: ShapeId = error.parse().unwrap();
    let value = max(model, &shape);
    error_form_response(&index, op, &shape, &value, form).unwrap()
}

fn max(model: &Model, shape: &ShapeId) -> Value {
    Generator::new(model, &Overrides::builtin())
        .generate(shape, Mode::Max)
        .unwrap()
}

/// The byte offset of `needle` in the body's text, which must contain it.
fn position(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {body}"))
}

/// The message member's value stays the generated one: it wins over the metadata's.
fn assert_expects_generated(model: &Model, error: &str, response: &VariantResponse) {
    let value = max(model, &error.parse().unwrap());
    assert_eq!(response.expectation, Expectation::ModeledError(value));
}

#[test]
fn aws_query_sends_the_metadata_message_and_the_member_under_its_own_element() {
    let model = fixture("aws-query.json");
    let error = "example.query#AccountNotFound";
    let response = form(&model, "DescribeAccount", error, ErrorForm::MessageMember).unwrap();
    let body = body_text(&response.response);
    let metadata = position(&body, &format!("<Message>{METADATA_MESSAGE}</Message>"));
    let member = position(&body, "<message>__message__</message>");
    assert!(metadata < member, "{body}");
    assert_expects_generated(&model, error, &response);
}

#[test]
fn xml_errors_whose_member_is_the_metadata_element_have_no_message_form() {
    for (fixture_name, operation, error) in [
        (
            "aws-query.json",
            "DescribeAccount",
            "example.query#AccountLimitExceeded",
        ),
        (
            "ec2-query.json",
            "DescribeVolumes",
            "example.ec2#InvalidVolumeNotFound",
        ),
        (
            "rest-xml.json",
            "GetCatalog",
            "example.restxml#CatalogNotFound",
        ),
    ] {
        let model = fixture(fixture_name);
        assert!(
            form(&model, operation, error, ErrorForm::MessageMember).is_none(),
            "{error}: its member `Message` is read by both parsers"
        );
    }
}

#[test]
fn errors_without_a_message_member_have_no_message_form() {
    let model = fixture("aws-query.json");
    assert!(form(
        &model,
        "DescribeAccount",
        "example.query#ServiceUnavailable",
        ErrorForm::MessageMember
    )
    .is_none());
    let model = fixture("aws-json1_0.json");
    assert!(form(
        &model,
        "DescribeItem",
        "example.json10#Overloaded",
        ErrorForm::MessageMember
    )
    .is_none());
}

#[test]
fn json_protocols_end_the_body_with_a_key_only_the_metadata_reads() {
    for (fixture_name, operation, error) in [
        (
            "aws-json1_0.json",
            "DescribeItem",
            "example.json10#ItemMissing",
        ),
        (
            "rest-json1.json",
            "GetWidget",
            "example.restjson#WidgetNotFound",
        ),
    ] {
        let model = fixture(fixture_name);
        let response = form(&model, operation, error, ErrorForm::MessageMember).unwrap();
        let body = body_text(&response.response);
        let member = position(&body, r#""message":"__message__""#);
        let metadata = position(&body, &format!(r#""errorMessage":"{METADATA_MESSAGE}""#));
        assert!(
            member < metadata,
            "the metadata parser keeps the last message key: {body}"
        );
        assert_expects_generated(&model, error, &response);
    }
}

#[test]
fn cbor_ends_the_map_with_a_key_only_the_metadata_reads() {
    let model = fixture("rpcv2-cbor.json");
    let error = "example.cbor#ReadingNotFound";
    let response = form(&model, "GetReading", error, ErrorForm::MessageMember).unwrap();
    let rendered = render(&response.response);
    let member = position(&rendered, r#""message": "__message__""#);
    let metadata = position(
        &rendered,
        &format!(r#""errorMessage": "{METADATA_MESSAGE}""#),
    );
    assert!(member < metadata, "{rendered}");
    assert!(
        rendered.contains("[cbor diag]\n{\n") && !rendered.contains("[hex]"),
        "a well-formed map whose length counts the extra entry: {rendered}"
    );
    assert_expects_generated(&model, error, &response);
}

#[test]
fn every_protocol_ends_the_error_body_with_an_unknown_member() {
    for (fixture_name, operation, error, message) in [
        (
            "aws-query.json",
            "DescribeAccount",
            "example.query#AccountNotFound",
            "<Message>",
        ),
        (
            "ec2-query.json",
            "DescribeVolumes",
            "example.ec2#InvalidVolumeNotFound",
            "<Message>",
        ),
        (
            "rest-xml.json",
            "GetCatalog",
            "example.restxml#CatalogNotFound",
            "<Message>",
        ),
        (
            "aws-json1_0.json",
            "DescribeItem",
            "example.json10#ItemMissing",
            "\"message\"",
        ),
        (
            "rest-json1.json",
            "GetWidget",
            "example.restjson#WidgetNotFound",
            "\"message\"",
        ),
        (
            "rpcv2-cbor.json",
            "GetReading",
            "example.cbor#ReadingNotFound",
            "\"message\"",
        ),
    ] {
        let model = fixture(fixture_name);
        let response = form(&model, operation, error, ErrorForm::UnknownMember).unwrap();
        let rendered = render(&response.response);
        assert!(
            position(&rendered, message) < position(&rendered, UNKNOWN_MEMBER),
            "{error}: the unknown member comes after the message: {rendered}"
        );
        assert_expects_generated(&model, error, &response);
    }
}

#[test]
fn form_names_are_stable_and_serialized_by_name() {
    for form in ErrorForm::ALL {
        assert_eq!(ErrorForm::from_name(form.name()), Some(form));
        let json = serde_json::to_string(&form).unwrap();
        assert_eq!(json, format!("\"{}\"", form.name()));
        assert_eq!(serde_json::from_str::<ErrorForm>(&json).unwrap(), form);
    }
    assert_eq!(ErrorForm::MessageMember.name(), "message_member");
    assert!(!ErrorForm::UnknownMember.names_error());
    assert!(ErrorForm::TypeBare.names_error());
}

#[test]
fn the_type_string_protocols_can_send_an_error_without_any_code() {
    for (fixture_name, operation) in [
        ("aws-json1_0.json", "DescribeItem"),
        ("aws-json1_1.json", "GetRecord"),
        ("rest-json1.json", "GetWidget"),
        ("rpcv2-cbor.json", "GetReading"),
    ] {
        let model = fixture(fixture_name);
        let index = model.service_index(None).unwrap();
        let op = index.operation(operation).unwrap();
        let response = uncoded_error_response(&index, op).expect("a type-string protocol");
        let rendered = render(&response);
        assert_eq!(response.status, 400);
        for code in [
            "__type",
            "\"code\"",
            "x-amzn-errortype",
            "x-amzn-query-error",
        ] {
            assert!(!rendered.contains(code), "{fixture_name}: {rendered}");
        }
        assert!(rendered.contains(UNCODED_ERROR_MESSAGE), "{rendered}");
    }
    for (fixture_name, operation) in [
        ("aws-query.json", "DescribeAccount"),
        ("ec2-query.json", "DescribeVolumes"),
        ("rest-xml.json", "GetCatalog"),
    ] {
        let model = fixture(fixture_name);
        let index = model.service_index(None).unwrap();
        let op = index.operation(operation).unwrap();
        assert_eq!(
            uncoded_error_response(&index, op),
            None,
            "{fixture_name}: the XML envelopes always carry a <Code>"
        );
    }
}

/// Glacier's errors carry a string `code` member (the real service puts the error's name
/// there) and Machine Learning's an integer `code`: the clients read a string `code` key
/// before `__type`, so only the forms that do not collide with the member apply.
#[test]
fn an_error_whose_own_member_is_keyed_code_is_not_named_in_that_key() {
    let load = |file: &str| Model::load(&snapshot_corpus::models_dir().join(file)).unwrap();
    let cases = [
        (
            load("glacier.json"),
            "ListVaults",
            "com.amazonaws.glacier#ResourceNotFoundException",
            [false, false, false, false],
        ),
        (
            load("machine-learning.json"),
            "DescribeMLModels",
            "com.amazonaws.machinelearning#InvalidInputException",
            // `__type` with the namespace is awsJson's own form, not one of its other forms.
            [false, true, true, false],
        ),
    ];
    for (model, operation, error, applies) in cases {
        let index = model.service_index(None).unwrap();
        let op = index.operation(operation).unwrap();
        let shape: ShapeId = error.parse().unwrap();
        let value = max(&model, &shape);
        let forms = [
            ErrorForm::TypeWithNamespace,
            ErrorForm::TypeBare,
            ErrorForm::TypeWithUri,
            ErrorForm::CodeMember,
        ];
        for (form, applies) in forms.into_iter().zip(applies) {
            let offered = error_forms(&index, op).contains(&form);
            let response = error_form_response(&index, op, &shape, &value, form).unwrap();
            assert_eq!(
                offered && response.is_some(),
                applies,
                "{error} in {form:?}: {response:?}"
            );
        }
        // The forms that do not name the error in the body still apply.
        assert!(
            error_form_response(&index, op, &shape, &value, ErrorForm::UnknownMember)
                .unwrap()
                .is_some()
        );
    }
}
