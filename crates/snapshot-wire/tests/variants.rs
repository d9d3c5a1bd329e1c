//! Response variants and error forms against the wire fixtures: which variants each protocol
//! offers for an operation, the responses (goldens, one per protocol), their expectations,
//! and the rules that decide them (identical responses dropped, flattened XML collections
//! expected absent, only documents broken).

mod common;

use common::*;
use insta::assert_snapshot;
use snapshot_model::{Model, ShapeId};
use snapshot_values::{Generator, Mode, Overrides, Value};
use snapshot_wire::variants::{UNKNOWN_HEADER, UNKNOWN_MEMBER};
use snapshot_wire::{
    error_form_response, error_forms, response_variants, variant_response, ErrorForm, Expectation,
    Malformation, ResponseVariant, VariantResponse,
};

/// The output of `operation` generated in `mode`.
fn generated(model: &Model, operation: &str, mode: Mode) -> Value {
    let index = model.service_index(None).unwrap();
    let operation = index.operation(operation).unwrap();
    let overrides = Overrides::builtin();
    Generator::new(model, &overrides)
        .generate(&operation.operation.output, mode)
        .unwrap()
}

/// Every variant of `operation` that applies, with its response and expectation.
fn variants(model: &Model, operation: &str) -> Vec<(ResponseVariant, VariantResponse)> {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    response_variants(&index, op)
        .into_iter()
        .filter_map(|variant| {
            let base = generated(model, operation, variant.base());
            variant_response(&index, op, variant, &base)
                .unwrap()
                .map(|response| (variant, response))
        })
        .collect()
}

fn variant(model: &Model, operation: &str, wanted: ResponseVariant) -> Option<VariantResponse> {
    variants(model, operation)
        .into_iter()
        .find(|(variant, _)| *variant == wanted)
        .map(|(_, response)| response)
}

/// Every error form of `error` through `operation`.
fn forms(model: &Model, operation: &str, error: &str) -> Vec<(ErrorForm, VariantResponse)> {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    let shape: ShapeId = error.parse().unwrap();
    let overrides = Overrides::builtin();
    let value = Generator::new(model, &overrides)
        .generate(&shape, Mode::Max)
        .unwrap();
    error_forms(&index, op)
        .into_iter()
        .filter_map(|form| {
            error_form_response(&index, op, &shape, &value, form)
                .unwrap()
                .map(|response| (form, response))
        })
        .collect()
}

fn expectation_kind(expectation: &Expectation) -> String {
    match expectation {
        Expectation::Output(_) => "output".to_owned(),
        Expectation::OutputWithUnknownUnions(_) => "output, unions unknown".to_owned(),
        Expectation::Rejected => "rejected".to_owned(),
        Expectation::ModeledError(_) => "modeled error".to_owned(),
        Expectation::UnmodeledError { code } => format!("unmodeled error {code}"),
    }
}

/// One golden text: each variant's name, expectation and response.
fn render_variants(
    variants: &[(ResponseVariant, VariantResponse)],
    forms: &[(ErrorForm, VariantResponse)],
) -> String {
    let sections = variants
        .iter()
        .map(|(variant, response)| (variant.name(), response))
        .chain(forms.iter().map(|(form, response)| (form.name(), response)));
    sections
        .map(|(name, response)| {
            let kind = expectation_kind(&response.expectation);
            let rendered = match &response.response.body {
                // Broken documents are shown as sent; the renderer would reject them.
                snapshot_records::Body::Bytes { data }
                    if matches!(response.expectation, Expectation::Rejected) =>
                {
                    let shown = match std::str::from_utf8(data) {
                        Ok(text) if !text.contains(|c: char| c.is_control()) => {
                            format!("[text]\n{text}")
                        }
                        _ => format!("[hex] {}", hex(data)),
                    };
                    format!("HTTP {}\n\n{shown}\n", response.response.status)
                }
                _ => render(&response.response),
            };
            format!("==== {name} ({kind}) ====\n{rendered}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn names(variants: &[(ResponseVariant, VariantResponse)]) -> Vec<&'static str> {
    variants.iter().map(|(variant, _)| variant.name()).collect()
}

#[test]
fn names_are_stable_and_unique() {
    let names: Vec<_> = ResponseVariant::ALL.iter().map(|v| v.name()).collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    for variant in ResponseVariant::ALL {
        assert_eq!(ResponseVariant::from_name(variant.name()), Some(variant));
        let json = serde_json::to_string(&variant).unwrap();
        assert_eq!(json, format!("\"{}\"", variant.name()));
        assert_eq!(
            serde_json::from_str::<ResponseVariant>(&json).unwrap(),
            variant
        );
    }
    assert!(serde_json::from_str::<ResponseVariant>("\"no_such_variant\"").is_err());
    assert_eq!(
        ResponseVariant::Malformed(Malformation::Truncated).name(),
        "malformed_truncated"
    );
    assert_eq!(ResponseVariant::NullMembers.base(), Mode::Min);
    assert_eq!(ResponseVariant::UnknownMembers.base(), Mode::Max);
}

#[test]
fn aws_json_variants() {
    let model = fixture("aws-json1_0.json");
    let variants = variants(&model, "DescribeItem");
    assert_eq!(
        names(&variants),
        [
            "unknown_members",
            "null_members",
            "null_union_siblings",
            "unknown_union_members",
            "empty_collections",
            "timestamps_whole_seconds",
            "timestamps_long_fractions",
            "empty_body",
            "malformed_wrong_root",
            "malformed_wrong_type",
            "malformed_truncated",
            "malformed_trailing_tokens"
        ],
        "DescribeItem's min output sets no member, so it can go without a body"
    );
    let forms = forms(&model, "DescribeItem", "example.json10#ItemMissing");
    assert_snapshot!("aws_json_describe_item", render_variants(&variants, &forms));
}

#[test]
fn an_unknown_member_is_added_to_every_structure_and_expected_to_be_ignored() {
    let model = fixture("aws-json1_0.json");
    let unknown = variant(&model, "DescribeItem", ResponseVariant::UnknownMembers).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&unknown.response.body.data()).unwrap();
    assert!(body.get(UNKNOWN_MEMBER).is_some(), "{body}");
    assert!(body["Details"].get(UNKNOWN_MEMBER).is_some(), "{body}");
    assert!(
        body["Payload"].get(UNKNOWN_MEMBER).is_none(),
        "a union gets no second member here: {body}"
    );
    assert_eq!(header(&unknown.response, UNKNOWN_HEADER), Some("unknown"));
    assert_eq!(
        unknown.expectation,
        Expectation::Output(generated(&model, "DescribeItem", Mode::Max))
    );
}

#[test]
fn an_output_without_members_gets_an_empty_body_and_no_value_variants() {
    let model = fixture("aws-json1_0.json");
    let variants = variants(&model, "PurgeItems");
    assert_eq!(
        names(&variants),
        ["unknown_members", "empty_body"],
        "a client reads no body for an output without members, so nothing can be broken"
    );
    let (_, empty) = &variants[1];
    assert_eq!(empty.response.body, snapshot_records::Body::Empty);
    assert_eq!(header(&empty.response, "content-type"), None);
}

#[test]
fn query_compatible_errors_without_their_header_lose_the_query_code() {
    let model = fixture("aws-json1_0.json");
    let forms = forms(&model, "DescribeItem", "example.json10#ItemMissing");
    let (_, without) = forms
        .iter()
        .find(|(form, _)| *form == ErrorForm::WithoutQueryErrorHeader)
        .unwrap();
    assert_eq!(header(&without.response, "x-amzn-query-error"), None);
    assert_eq!(
        without.expectation,
        Expectation::UnmodeledError {
            code: "ItemMissing".to_owned()
        },
        "ItemMissing has @awsQueryError code `Item.Missing`, which only the header carries"
    );
}

#[test]
fn rest_json1_variants() {
    let model = fixture("rest-json1.json");
    let variants = variants(&model, "GetWidget");
    let forms = forms(&model, "GetWidget", "example.restjson#WidgetNotFound");
    assert_snapshot!("rest_json1_get_widget", render_variants(&variants, &forms));
    let collections = variant(&model, "GetWidget", ResponseVariant::EmptyCollections).unwrap();
    let Expectation::Output(Value::Structure { members, .. }) = &collections.expectation else {
        panic!("{:?}", collections.expectation)
    };
    let member = |wanted: &str| &members.iter().find(|(name, _)| name == wanted).unwrap().1;
    assert!(
        matches!(member("HeaderList"), Value::List(items) if !items.is_empty()),
        "header-bound lists keep their base value"
    );
    assert_eq!(member("Tags"), &Value::List(Vec::new()));
    assert_eq!(member("Attributes"), &Value::Map(Vec::new()));
}

#[test]
fn raw_payloads_are_not_broken() {
    let model = fixture("rest-json1.json");
    let names = names(&variants(&model, "GetWidgetBlob"));
    assert!(
        !names.iter().any(|name| name.starts_with("malformed_")),
        "{names:?}"
    );
}

#[test]
fn rpcv2_cbor_variants() {
    let model = fixture("rpcv2-cbor.json");
    let variants = variants(&model, "GetReading");
    assert!(names(&variants).contains(&"indefinite_lengths"));
    assert!(!names(&variants).contains(&"null_union_siblings"));
    let forms = forms(&model, "GetReading", "example.cbor#ReadingNotFound");
    assert_snapshot!("rpcv2_cbor_get_reading", render_variants(&variants, &forms));
}

#[test]
fn rest_xml_variants() {
    let model = fixture("rest-xml.json");
    let variants = variants(&model, "GetCatalog");
    let index = model.service_index(None).unwrap();
    assert_eq!(
        error_forms(&index, index.operation("GetCatalog").unwrap()),
        ErrorForm::BODY,
        "one envelope: only what the body carries besides the code varies"
    );
    let forms = forms(&model, "GetCatalog", "example.restxml#CatalogNotFound");
    assert_eq!(
        forms.iter().map(|(form, _)| *form).collect::<Vec<_>>(),
        [ErrorForm::UnknownMember],
        "the member named `Message` is the element the metadata reads: no second message"
    );
    assert_snapshot!("rest_xml_get_catalog", render_variants(&variants, &forms));
}

#[test]
fn flattened_xml_collections_sent_empty_are_expected_absent() {
    let model = fixture("rest-xml-s3.json");
    let collections = variant(&model, "ListObjects", ResponseVariant::EmptyCollections).unwrap();
    let Expectation::Output(Value::Structure { members, .. }) = &collections.expectation else {
        panic!("{:?}", collections.expectation)
    };
    assert!(
        !members.iter().any(|(name, _)| name == "Contents"),
        "flattened Contents has no element when empty: {members:?}"
    );
    assert!(!body_text(&collections.response).contains("<Contents"));
}

#[test]
fn s3_offers_status_200_errors_where_its_client_checks_them() {
    let model = fixture("rest-xml-s3.json");
    let listed = variant(&model, "ListObjects", ResponseVariant::ErrorWithStatus200).unwrap();
    assert_eq!(listed.response.status, 200);
    assert!(body_text(&listed.response).starts_with("<Error><Code>InternalError</Code>"));
    assert_eq!(
        listed.expectation,
        Expectation::UnmodeledError {
            code: "InternalError".to_owned()
        }
    );
    for streamed_or_head in ["GetObject", "HeadObject"] {
        assert!(
            variant(
                &model,
                streamed_or_head,
                ResponseVariant::ErrorWithStatus200
            )
            .is_none(),
            "{streamed_or_head}"
        );
    }
    let other = fixture("rest-xml.json");
    assert!(variant(&other, "GetCatalog", ResponseVariant::ErrorWithStatus200).is_none());
    let variants = variants(&model, "ListObjects");
    assert_snapshot!("rest_xml_s3_list_objects", render_variants(&variants, &[]));
}

#[test]
fn aws_query_variants() {
    let model = fixture("aws-query.json");
    let variants = variants(&model, "DescribeAccount");
    assert_snapshot!(
        "aws_query_describe_account",
        render_variants(&variants, &[])
    );
}

#[test]
fn ec2_query_variants() {
    let model = fixture("ec2-query.json");
    let variants = variants(&model, "DescribeVolumes");
    assert_snapshot!(
        "ec2_query_describe_volumes",
        render_variants(&variants, &[])
    );
}

#[test]
fn whole_seconds_change_the_expected_value() {
    let model = fixture("aws-json1_0.json");
    let whole = variant(
        &model,
        "DescribeItem",
        ResponseVariant::TimestampsWholeSeconds,
    )
    .unwrap();
    let Expectation::Output(Value::Structure { members, .. }) = &whole.expectation else {
        panic!("{:?}", whole.expectation)
    };
    let created = members.iter().find(|(name, _)| name == "Created").unwrap();
    assert_eq!(created.1, Value::Timestamp(946_702_799_000));
    let body: serde_json::Value = serde_json::from_slice(&whole.response.body.data()).unwrap();
    assert_eq!(body["Created"], serde_json::json!(946702799));
}

#[test]
fn malformed_bodies_do_not_parse() {
    let model = fixture("aws-json1_0.json");
    for malformation in [Malformation::WrongRoot, Malformation::Truncated] {
        let broken = variant(
            &model,
            "DescribeItem",
            ResponseVariant::Malformed(malformation),
        )
        .unwrap();
        let parsed = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(
            &broken.response.body.data(),
        );
        assert!(parsed.is_err(), "{malformation:?}");
        assert_eq!(broken.expectation, Expectation::Rejected);
    }
}

#[test]
fn an_event_stream_ends_with_an_event_the_model_does_not_have() {
    let model = fixture("rest-json1.json");
    let unknown = variant(
        &model,
        "SubscribeWidget",
        ResponseVariant::UnknownUnionMembers,
    )
    .unwrap();
    let snapshot_records::Body::Streamed { frames } = &unknown.response.body else {
        panic!("an event stream")
    };
    let Some(snapshot_records::Frame::Data { data }) = frames.last() else {
        panic!("a last message")
    };
    let rendered = render_message(data);
    assert!(
        rendered.contains(&format!(":event-type (string): {UNKNOWN_MEMBER}")),
        "{rendered}"
    );
    assert!(matches!(
        unknown.expectation,
        Expectation::OutputWithUnknownUnions(_)
    ));
}
