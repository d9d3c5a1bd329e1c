//! awsJson1_0 (with `@awsQueryCompatible`) and awsJson1_1 (event stream with an initial
//! response) against `fixtures/wire/aws-json1_0.json` and `aws-json1_1.json`.

mod common;

use common::*;
use insta::assert_snapshot;
use snapshot_records::{Body, Frame};
use snapshot_values::Value;

fn describe_item_max() -> Value {
    let ns = |name: &str| format!("example.json10#{name}");
    st(
        &ns("DescribeItemOutput"),
        vec![
            ("ItemId", s("item-1")),
            ("Title", s("ignores @jsonName")),
            ("Count", Value::Integer(1)),
            ("Size", Value::Long(-2)),
            ("Ratio", Value::Float(1.5)),
            ("Score", Value::Double(f64::INFINITY)),
            ("Active", Value::Boolean(true)),
            ("Created", ts()),
            ("Updated", ts()),
            ("Data", blob()),
            ("Tier", en("paid")),
            ("Tags", list(vec![s("a"), s("b")])),
            ("Sparse", list(vec![Value::Null, s("b")])),
            ("Attributes", map(vec![("key1", s("v"))])),
            ("SparseAttributes", map(vec![("key1", Value::Null)])),
            (
                "Details",
                st(
                    &ns("Detail"),
                    vec![("Key", s("k")), ("Value", Value::Integer(3))],
                ),
            ),
            ("Payload", un(&ns("Payload"), "Text", s("hello"))),
            (
                "Doc",
                Value::Document(serde_json::json!({"a": [true, null]})),
            ),
        ],
    )
}

#[test]
fn aws_json_1_0_output_is_one_object_without_json_names() {
    let model = fixture("aws-json1_0.json");
    let response = output(&model, "DescribeItem", &describe_item_max());
    assert_eq!(response.status, 200);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/x-amz-json-1.0")
    );
    let body: serde_json::Value = serde_json::from_slice(&response.body.data()).unwrap();
    assert_eq!(body["Title"], "ignores @jsonName");
    assert_eq!(body["Created"], serde_json::json!(946702799.999));
    assert_eq!(
        body["Updated"], "2000-01-01T04:59:59.999Z",
        "@timestampFormat still applies"
    );
    assert_snapshot!("json10_describe_item", render(&response));
}

#[test]
fn aws_json_unit_output_is_an_empty_object() {
    let model = fixture("aws-json1_0.json");
    let response = output(&model, "PurgeItems", &unit());
    assert_eq!(body_text(&response), "{}");
}

#[test]
fn query_compatible_errors_carry_the_query_code_header() {
    let model = fixture("aws-json1_0.json");
    let missing = error(
        &model,
        "DescribeItem",
        "example.json10#ItemMissing",
        &st(
            "example.json10#ItemMissing",
            vec![("message", s("not here"))],
        ),
    );
    assert_eq!(missing.status, 404);
    assert_eq!(
        header(&missing, "x-amzn-query-error"),
        Some("AWS.Example.ItemMissing;Sender"),
        "the client takes the code from this header"
    );
    assert_eq!(
        body_text(&missing),
        r#"{"__type":"example.json10#ItemMissing","message":"not here"}"#
    );
    let overloaded = error(
        &model,
        "PurgeItems",
        "example.json10#Overloaded",
        &st("example.json10#Overloaded", vec![]),
    );
    assert_eq!(overloaded.status, 500);
    assert_eq!(
        header(&overloaded, "x-amzn-query-error"),
        Some("Overloaded;Receiver")
    );
    let unmodeled = unmodeled_error(&model, "PurgeItems");
    assert_eq!(
        header(&unmodeled, "x-amzn-query-error"),
        Some("UnmodeledSnapshotError;Sender")
    );
    let rendered = render_all(&[missing, overloaded, unmodeled]);
    assert_snapshot!("json10_errors", rendered);
}

fn record_stream(with_failure: bool) -> Value {
    let ns = |name: &str| format!("example.json11#{name}");
    let mut items = vec![
        (
            "Record",
            st(
                &ns("RecordEvent"),
                vec![("Data", blob()), ("Sequence", s("1")), ("ArrivedAt", ts())],
            ),
        ),
        (
            "Tick",
            st(
                &ns("TickEvent"),
                vec![("Sequence", Value::Long(2)), ("Lag", Value::Integer(0))],
            ),
        ),
    ];
    if with_failure {
        items.push((
            "Failure",
            st(&ns("StreamFailure"), vec![("message", s("shard closed"))]),
        ));
    }
    events(&ns("RecordStream"), items)
}

#[test]
fn aws_json_1_1_event_stream_starts_with_the_initial_response() {
    let model = fixture("aws-json1_1.json");
    let value = st(
        "example.json11#StreamRecordsOutput",
        vec![
            ("ShardCount", Value::Integer(4)),
            ("Stream", record_stream(true)),
        ],
    );
    let response = output(&model, "StreamRecords", &value);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    let Body::Streamed { frames } = &response.body else {
        panic!("streamed")
    };
    assert_eq!(frames.len(), 4);
    let Frame::Data { data } = &frames[0] else {
        panic!("data")
    };
    let initial = decode_message(data);
    let event_type = initial
        .headers()
        .iter()
        .find(|header| header.name().as_str() == ":event-type")
        .unwrap();
    assert_eq!(
        event_type.value().as_string().unwrap().as_str(),
        "initial-response"
    );
    assert_eq!(&initial.payload()[..], br#"{"ShardCount":4}"#);
    assert_snapshot!("json11_stream_records", render(&response));
}

#[test]
fn aws_json_1_1_event_stream_without_other_members_sends_an_empty_initial_response() {
    let model = fixture("aws-json1_1.json");
    let value = st(
        "example.json11#StreamRecordsOutput",
        vec![("Stream", record_stream(false))],
    );
    let response = output(&model, "StreamRecords", &value);
    let Body::Streamed { frames } = &response.body else {
        panic!("streamed")
    };
    let Frame::Data { data } = &frames[0] else {
        panic!("data")
    };
    assert_eq!(&decode_message(data).payload()[..], b"{}");
}

#[test]
fn aws_json_1_1_errors_use_the_fully_qualified_type() {
    let model = fixture("aws-json1_1.json");
    let response = error(
        &model,
        "GetRecord",
        "example.json11#RecordNotFound",
        &st(
            "example.json11#RecordNotFound",
            vec![("message", s("none"))],
        ),
    );
    assert_eq!(response.status, 400);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(header(&response, "x-amzn-query-error"), None);
    assert_eq!(
        body_text(&response),
        r#"{"__type":"example.json11#RecordNotFound","message":"none"}"#
    );
}
