//! restJson1 against `fixtures/wire/rest-json1.json`: every HTTP binding, every payload
//! kind, event streams, errors with header members, HEAD, and the special responses.

mod common;

use common::*;
use insta::assert_snapshot;
use snapshot_model::Model;
use snapshot_records::Body;
use snapshot_values::Value;
use snapshot_wire::error_response;

const NS: &str = "example.restjson";

fn model() -> Model {
    fixture("rest-json1.json")
}

fn shape(name: &str) -> String {
    format!("{NS}#{name}")
}

fn nested(label: &str, inner: Option<Value>) -> Value {
    let mut members = vec![("Label", s(label))];
    if let Some(inner) = inner {
        members.push(("Inner", inner));
    }
    st(&shape("Nested"), members)
}

fn get_widget_max() -> Value {
    st(
        &shape("GetWidgetOutput"),
        vec![
            ("HeaderString", s("plain, with comma")),
            (
                "HeaderList",
                list(vec![s("a"), s("b,c"), s("say \"hi\""), s(" padded")]),
            ),
            ("HeaderTimestamp", ts()),
            ("HeaderEpoch", ts()),
            ("HeaderTimestampList", list(vec![ts(), Value::Timestamp(0)])),
            ("HeaderIsoList", list(vec![ts(), Value::Timestamp(0)])),
            ("HeaderEpochList", list(vec![ts(), Value::Timestamp(0)])),
            ("HeaderInteger", Value::Integer(-7)),
            ("HeaderBoolean", Value::Boolean(true)),
            ("HeaderDouble", Value::Double(f64::NAN)),
            ("HeaderBlob", blob()),
            ("HeaderJson", s("{\"a\":1}")),
            ("HeaderEnum", en("red")),
            (
                "Metadata",
                map(vec![("key1", s("one")), ("key2", s("two"))]),
            ),
            ("Name", s("__Name__")),
            ("Count", Value::Integer(0)),
            ("Small", Value::Byte(-1)),
            ("Medium", Value::Short(300)),
            ("Large", Value::Long(9_007_199_254_740_993)),
            ("Ratio", Value::Float(0.1)),
            ("Precise", Value::Double(f64::NEG_INFINITY)),
            ("Flag", Value::Boolean(false)),
            ("Created", ts()),
            ("CreatedIso", ts()),
            ("CreatedHttp", ts()),
            ("Data", blob()),
            ("Color", en("green")),
            (
                "Level",
                Value::IntEnum {
                    variant: Some("HIGH".into()),
                    value: 2,
                },
            ),
            ("Tags", list(vec![s("t1"), s("t2")])),
            ("Sparse", list(vec![s("x"), Value::Null])),
            ("Attributes", map(vec![("key1", s("v1"))])),
            (
                "SparseAttributes",
                map(vec![("key1", s("v1")), ("key2", Value::Null)]),
            ),
            ("Nested", nested("outer", Some(nested("inner", None)))),
            (
                "Choice",
                un(&shape("Choice"), "Nested", nested("in union", None)),
            ),
            (
                "Doc",
                Value::Document(
                    serde_json::json!({"string": "__Doc__", "numbers": [1, 2.5, -3], "nested": {"flag": true, "none": null}}),
                ),
            ),
            ("BigCount", Value::BigInteger("1000001".into())),
            (
                "BigRatio",
                Value::BigDecimal("9876543210.0123456789".into()),
            ),
        ],
    )
}

#[test]
fn output_binds_headers_prefix_headers_and_body() {
    let response = output(&model(), "GetWidget", &get_widget_max());
    assert_eq!(response.status, 200);
    // Scalar strings go out whole (the client does not split them); list items are quoted.
    assert_eq!(header(&response, "X-String"), Some("plain, with comma"));
    assert_eq!(
        header(&response, "X-List"),
        Some(r#"a, "b,c", "say \"hi\"", " padded""#)
    );
    assert_eq!(
        header(&response, "X-Timestamp"),
        Some("Sat, 01 Jan 2000 04:59:59 GMT")
    );
    assert_eq!(header(&response, "X-Epoch"), Some("946702799.999"));
    assert_eq!(header(&response, "X-Json"), Some("eyJhIjoxfQ=="));
    assert_eq!(header(&response, "X-Meta-key2"), Some("two"));
    assert_eq!(
        header(&response, "x-amzn-requestid"),
        Some(snapshot_wire::REQUEST_ID)
    );
    let body: serde_json::Value = serde_json::from_slice(&response.body.data()).unwrap();
    assert_eq!(body["name"], "__Name__", "@jsonName renames the key");
    assert!(
        body.get("HeaderString").is_none(),
        "bound members stay out of the body"
    );
    assert_eq!(body["Ratio"], serde_json::json!(0.1));
    assert_eq!(body["Precise"], "-Infinity");
    assert_eq!(body["CreatedIso"], "2000-01-01T04:59:59.999Z");
    assert_eq!(body["CreatedHttp"], "Sat, 01 Jan 2000 04:59:59 GMT");
    assert_eq!(body["Sparse"], serde_json::json!(["x", null]));
    assert_snapshot!("get_widget_max", render(&response));
}

/// Reads a timestamp list header the way the clients do (`DateTime::read` item by item).
fn read_dates(value: &str, format: aws_smithy_types::date_time::Format) -> Vec<i64> {
    let mut rest = value;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (date, next) = aws_smithy_types::DateTime::read(rest, format, ',')
            .unwrap_or_else(|error| panic!("`{value}` does not read back: {error}"));
        out.push(date.to_millis().unwrap());
        rest = next;
    }
    out
}

#[test]
fn timestamp_list_headers_read_back_in_every_format() {
    use aws_smithy_types::date_time::Format;
    let response = output(&model(), "GetWidget", &get_widget_max());
    // http-date loses the milliseconds; the other formats keep them.
    assert_eq!(
        read_dates(
            header(&response, "X-Timestamp-List").unwrap(),
            Format::HttpDate
        ),
        vec![MILLIS - 999, 0]
    );
    assert_eq!(
        read_dates(header(&response, "X-Iso-List").unwrap(), Format::DateTime),
        vec![MILLIS, 0]
    );
    assert_eq!(
        read_dates(
            header(&response, "X-Epoch-List").unwrap(),
            Format::EpochSeconds
        ),
        vec![MILLIS, 0]
    );
}

#[test]
fn min_output_still_sends_a_json_object() {
    let response = output(
        &model(),
        "GetWidget",
        &st(&shape("GetWidgetOutput"), vec![]),
    );
    assert_eq!(body_text(&response), "{}");
    assert_eq!(header(&response, "content-type"), Some("application/json"));
}

#[test]
fn response_code_member_sets_the_status() {
    let model = model();
    let value = st(
        &shape("CreateWidgetOutput"),
        vec![("Status", Value::Integer(202)), ("Id", s("w-1"))],
    );
    let response = output(&model, "CreateWidget", &value);
    assert_eq!(response.status, 202);
    assert_eq!(body_text(&response), r#"{"Id":"w-1"}"#);
    // Without the member the status is @http(code).
    let unset = st(&shape("CreateWidgetOutput"), vec![("Id", s("w-1"))]);
    assert_eq!(output(&model, "CreateWidget", &unset).status, 201);
    // A status a server would not send for a success is refused with the member's path.
    let bad = st(
        &shape("CreateWidgetOutput"),
        vec![("Status", Value::Integer(0))],
    );
    let message = try_output(&model, "CreateWidget", &bad)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`CreateWidgetOutput.Status` = 0"),
        "{message}"
    );
}

#[test]
fn blob_payload_takes_content_type_and_length_from_the_body() {
    let value = st(
        &shape("GetWidgetBlobOutput"),
        vec![
            ("Body", blob()),
            ("ContentType", s("image/png")),
            ("ContentLength", Value::Long(0)),
        ],
    );
    let response = output(&model(), "GetWidgetBlob", &value);
    assert_eq!(
        response.body,
        Body::Bytes {
            data: vec![1, 0, 0, 1]
        }
    );
    let content_types: Vec<_> = response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .collect();
    assert_eq!(
        content_types.len(),
        1,
        "the bound member replaces the protocol's content type"
    );
    assert_eq!(header(&response, "Content-Type"), Some("image/png"));
    assert_eq!(header(&response, "content-length"), Some("4"));
    assert_snapshot!("get_widget_blob", render(&response));
}

#[test]
fn payload_kinds() {
    let model = model();
    let streaming = output(
        &model,
        "DownloadWidget",
        &st(
            &shape("DownloadWidgetOutput"),
            vec![("Body", Value::StreamingBlob(vec![1, 0, 0, 1]))],
        ),
    );
    assert_eq!(streaming.body.data(), vec![1, 0, 0, 1]);
    assert_eq!(
        header(&streaming, "content-type"),
        Some("application/octet-stream")
    );

    let text = output(
        &model,
        "GetWidgetText",
        &st(&shape("GetWidgetTextOutput"), vec![("Text", s("a,b\n1,2"))]),
    );
    assert_eq!(body_text(&text), "a,b\n1,2");
    assert_eq!(
        header(&text, "content-type"),
        Some("text/csv"),
        "@mediaType of the payload"
    );

    let config = output(
        &model,
        "GetWidgetConfig",
        &st(
            &shape("GetWidgetConfigOutput"),
            vec![("Config", nested("cfg", None)), ("Version", s("3"))],
        ),
    );
    assert_eq!(body_text(&config), r#"{"Label":"cfg"}"#);

    let unset = output(
        &model,
        "GetWidgetConfig",
        &st(&shape("GetWidgetConfigOutput"), vec![]),
    );
    assert_eq!(
        unset.body,
        Body::Empty,
        "an unset structure payload sends no body"
    );
    assert_eq!(header(&unset, "content-type"), None);

    let document = output(
        &model,
        "GetWidgetDocument",
        &st(
            &shape("GetWidgetDocumentOutput"),
            vec![("Doc", Value::Document(serde_json::json!([1, "two"])))],
        ),
    );
    assert_eq!(body_text(&document), r#"[1,"two"]"#);

    let choice = output(
        &model,
        "GetWidgetChoice",
        &st(
            &shape("GetWidgetChoiceOutput"),
            vec![("Choice", un(&shape("Choice"), "Nothing", unit()))],
        ),
    );
    assert_eq!(body_text(&choice), r#"{"Nothing":{}}"#);

    let color = output(
        &model,
        "GetWidgetColor",
        &st(&shape("GetWidgetColorOutput"), vec![("Color", en("red"))]),
    );
    assert_eq!(body_text(&color), "red");
    assert_eq!(header(&color, "content-type"), Some("text/plain"));

    let rendered = render_all(&[streaming, text, config, unset, document, choice, color]);
    assert_snapshot!("payload_kinds", rendered);
}

#[test]
fn head_responses_have_headers_but_no_body() {
    let model = model();
    let response = output(
        &model,
        "HeadWidget",
        &st(&shape("HeadWidgetOutput"), vec![("ETag", s("\"abc\""))]),
    );
    assert_eq!(response.body, Body::Empty);
    assert_eq!(header(&response, "ETag"), Some("\"abc\""));
    let not_found = error(
        &model,
        "HeadWidget",
        &shape("WidgetNotFound"),
        &st(
            &shape("WidgetNotFound"),
            vec![("message", s("gone")), ("Reason", s("deleted"))],
        ),
    );
    assert_eq!(not_found.status, 404);
    assert_eq!(not_found.body, Body::Empty);
    assert_eq!(
        header(&not_found, "x-amzn-errortype"),
        Some("WidgetNotFound")
    );
    assert_eq!(header(&not_found, "content-type"), None);
}

#[test]
fn a_member_bound_to_the_request_id_header_replaces_the_protocol_one() {
    let response = output(
        &model(),
        "HeadWidget",
        &st(
            &shape("HeadWidgetOutput"),
            vec![("RequestId", s("from-the-member"))],
        ),
    );
    let ids: Vec<_> = response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("x-amzn-requestid"))
        .collect();
    assert_eq!(
        ids,
        vec![&("x-amzn-RequestId".to_owned(), "from-the-member".to_owned())]
    );
}

#[test]
fn unit_output_has_no_body() {
    let response = output(&model(), "DeleteWidget", &unit());
    assert_eq!(response.status, 204);
    assert_eq!(response.body, Body::Empty);
    assert_eq!(
        response.headers,
        vec![(
            "x-amzn-requestid".to_owned(),
            snapshot_wire::REQUEST_ID.to_owned()
        )]
    );
}

fn widget_events() -> Value {
    events(
        &shape("WidgetEvents"),
        vec![
            (
                "Headers",
                st(
                    &shape("HeadersEvent"),
                    vec![
                        ("BoolHeader", Value::Boolean(true)),
                        ("ByteHeader", Value::Byte(-2)),
                        ("ShortHeader", Value::Short(3)),
                        ("IntHeader", Value::Integer(4)),
                        ("LongHeader", Value::Long(5)),
                        ("BlobHeader", blob()),
                        ("StringHeader", s("hello")),
                        ("TimeHeader", ts()),
                        ("EnumHeader", en("red")),
                        ("Note", s("body member")),
                        ("Count", Value::Integer(1)),
                    ],
                ),
            ),
            (
                "Chunk",
                st(
                    &shape("ChunkEvent"),
                    vec![("Bytes", blob()), ("Sequence", Value::Long(9))],
                ),
            ),
            (
                "Text",
                st(&shape("TextEvent"), vec![("Content", s("some text"))]),
            ),
            (
                "Config",
                st(&shape("ConfigEvent"), vec![("Config", nested("cfg", None))]),
            ),
            ("Done", st(&shape("DoneEvent"), vec![])),
            (
                "Throttled",
                st(&shape("ThrottledEvent"), vec![("message", s("slow down"))]),
            ),
        ],
    )
}

#[test]
fn event_stream_payload_frames_each_event() {
    let value = st(
        &shape("SubscribeWidgetOutput"),
        vec![("SessionId", s("session-1")), ("Events", widget_events())],
    );
    let response = output(&model(), "SubscribeWidget", &value);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(header(&response, "X-Session"), Some("session-1"));
    let Body::Streamed { frames } = &response.body else {
        panic!("event streams are streamed")
    };
    assert_eq!(
        frames.len(),
        6,
        "one frame per event, no initial response for REST protocols"
    );
    assert_snapshot!("subscribe_widget", render(&response));
}

#[test]
fn unset_event_stream_is_an_empty_stream() {
    let value = st(&shape("SubscribeWidgetOutput"), vec![]);
    let response = output(&model(), "SubscribeWidget", &value);
    assert_eq!(response.body, Body::Streamed { frames: vec![] });
}

#[test]
fn modeled_errors() {
    let model = model();
    let not_found = error(
        &model,
        "GetWidget",
        &shape("WidgetNotFound"),
        &st(
            &shape("WidgetNotFound"),
            vec![
                ("message", s("no such widget")),
                ("Reason", s("deleted")),
                ("WidgetId", s("w-1")),
            ],
        ),
    );
    assert_eq!(not_found.status, 404);
    assert_eq!(
        header(&not_found, "x-amzn-errortype"),
        Some("WidgetNotFound")
    );
    assert_eq!(header(&not_found, "X-Reason"), Some("deleted"));
    assert_eq!(
        body_text(&not_found),
        r#"{"message":"no such widget","widgetId":"w-1"}"#
    );
    // A service error without a modeled message still gets one; server faults are 500.
    let fault = error(
        &model,
        "GetWidget",
        &shape("ServiceFault"),
        &st(&shape("ServiceFault"), vec![("Detail", s("disk"))]),
    );
    assert_eq!(fault.status, 500);
    let unmodeled = unmodeled_error(&model, "GetWidget");
    assert_eq!(
        header(&unmodeled, "x-amzn-errortype"),
        Some("UnmodeledSnapshotError")
    );
    let rendered = render_all(&[not_found, fault, unmodeled]);
    assert_snapshot!("errors", rendered);
}

#[test]
fn undeclared_errors_and_mismatched_values_are_reported() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let create = index.operation("CreateWidget").unwrap();
    let message = error_response(
        &index,
        create,
        &id(&shape("WidgetNotFound")),
        &st(&shape("WidgetNotFound"), vec![]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.contains("is not an error of this operation"),
        "{message}"
    );
    assert!(
        message.contains("example.restjson#ServiceFault"),
        "{message}"
    );

    let wrong = st(&shape("GetWidgetOutput"), vec![("Count", s("seven"))]);
    let message = try_output(&model, "GetWidget", &wrong)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`GetWidgetOutput.Count` is a string"),
        "{message}"
    );

    let unknown = st(&shape("GetWidgetOutput"), vec![("Nope", s("x"))]);
    let message = try_output(&model, "GetWidget", &unknown)
        .unwrap_err()
        .to_string();
    assert!(message.contains("sets member `Nope`"), "{message}");

    let null_in_list = st(
        &shape("GetWidgetOutput"),
        vec![("Tags", list(vec![Value::Null]))],
    );
    let message = try_output(&model, "GetWidget", &null_in_list)
        .unwrap_err()
        .to_string();
    assert!(message.contains("GetWidgetOutput.Tags[0]"), "{message}");
    assert!(message.contains("not @sparse"), "{message}");

    let bad_header = st(
        &shape("GetWidgetOutput"),
        vec![("HeaderString", s("line\nbreak"))],
    );
    let message = try_output(&model, "GetWidget", &bad_header)
        .unwrap_err()
        .to_string();
    assert!(message.contains("HTTP header `X-String`"), "{message}");
}
