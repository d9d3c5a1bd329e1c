//! Response and error snapshots (SPEC §7) as golden files, and their determinism.
//!
//! The client's values are modelled by local types that print like the SDK's (derived
//! `Debug`, real `HashMap`s, the real `aws_smithy_types` `Blob`, `DateTime`, `Document` and
//! `ErrorMetadata`), so `HashMap` order really differs between two renderings.
#![allow(dead_code)]

mod common;

use std::collections::HashMap;

use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::{Blob, DateTime, Document, Number};
use common::*;
use snapshot_records::{Body, Case, CaseRecord, HttpResponse, Outcome, ResponseMode, VariantName};
use snapshot_render::{
    debug_tree, render_case, render_replay_case, render_request_case, DebugValue, Placeholders,
};

#[derive(Debug)]
enum AttributeValue {
    B(Blob),
    Bool(bool),
    L(Vec<AttributeValue>),
    M(HashMap<String, AttributeValue>),
    N(String),
    S(String),
    Ss(Vec<String>),
}

#[derive(Debug)]
struct ConsumedCapacity {
    table_name: Option<String>,
    capacity_units: Option<f64>,
}

#[derive(Debug)]
struct GetItemOutput {
    item: Option<HashMap<String, AttributeValue>>,
    consumed_capacity: Option<ConsumedCapacity>,
    _request_id: Option<String>,
}

fn item(run: &Run) -> (String, HashMap<String, AttributeValue>) {
    let nested: HashMap<String, AttributeValue> = [
        ("key1".to_owned(), AttributeValue::Bool(false)),
        (
            "key2".to_owned(),
            AttributeValue::Ss(vec!["b".into(), "a".into()]),
        ),
    ]
    .into_iter()
    .collect();
    let map: HashMap<String, AttributeValue> = [
        (
            "key1".to_owned(),
            AttributeValue::S("__StringAttributeValue__".into()),
        ),
        (
            "key2".to_owned(),
            AttributeValue::N("9876543210.0123456789".into()),
        ),
        (
            "key3".to_owned(),
            AttributeValue::B(Blob::new(vec![1, 0, 0, 1])),
        ),
        ("key4".to_owned(), AttributeValue::M(nested)),
        (
            "key5".to_owned(),
            AttributeValue::L(vec![
                AttributeValue::S("x".into()),
                AttributeValue::S("y".into()),
            ]),
        ),
    ]
    .into_iter()
    .collect();
    let json_entries = run.order(&[
        r#""key1":{"S":"__StringAttributeValue__"}"#,
        r#""key2":{"N":"9876543210.0123456789"}"#,
        r#""key3":{"B":"AQAAAQ=="}"#,
        r#""key4":{"M":{"key1":{"BOOL":false},"key2":{"SS":["b","a"]}}}"#,
        r#""key5":{"L":[{"S":"x"},{"S":"y"}]}"#,
    ]);
    (json_entries.join(","), map)
}

fn dynamodb_get_item(run: &Run) -> CaseRecord {
    let (json, map) = item(run);
    let body = format!(
        r#"{{"Item":{{{json}}},"ConsumedCapacity":{{"TableName":"__TableArn__","CapacityUnits":0.0}}}}"#
    );
    let output = GetItemOutput {
        item: Some(map),
        consumed_capacity: Some(ConsumedCapacity {
            table_name: Some("__TableArn__".into()),
            capacity_units: Some(0.0),
        }),
        _request_id: Some(run.request_id.into()),
    };
    response_record(
        "GetItem",
        Case::Response {
            mode: ResponseMode::new(VariantName::Max),
        },
        HttpResponse {
            status: 200,
            headers: headers(&[
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amzn-requestid", run.request_id),
                ("content-length", &body.len().to_string()),
            ]),
            body: bytes(body),
        },
        Outcome::Output {
            debug: format!("{output:#?}"),
            events: vec![],
            stream_error: None,
        },
    )
}

#[derive(Debug)]
struct TranscriptEvent {
    transcript: Option<Transcript>,
}

#[derive(Debug)]
struct Transcript {
    results: Option<Vec<TranscriptResult>>,
}

#[derive(Debug)]
struct TranscriptResult {
    result_id: Option<String>,
    start_time: f64,
    is_partial: bool,
    language_code: Option<LanguageCode>,
}

#[derive(Debug)]
enum LanguageCode {
    EnUs,
    #[allow(clippy::enum_variant_names)]
    Unknown(String),
}

#[derive(Debug)]
enum TranscriptResultStream {
    TranscriptEvent(TranscriptEvent),
}

#[derive(Debug)]
struct StartStreamTranscriptionOutput {
    request_id: Option<String>,
    language_code: Option<LanguageCode>,
    media_sample_rate_hertz: Option<i32>,
    transcript_result_stream: &'static str,
    _request_id: Option<String>,
}

fn transcribe_stream_output(run: &Run) -> CaseRecord {
    let event = |result_id: &str| {
        message(
            &[
                (":message-type", string("event")),
                (":event-type", string("TranscriptEvent")),
                (":content-type", string("application/json")),
            ],
            format!(r#"{{"Transcript":{{"Results":[{{"ResultId":"{result_id}","StartTime":0.0,"IsPartial":false,"LanguageCode":"en-US"}}]}}}}"#).as_bytes(),
        )
    };
    let exception = message(
        &[
            (":message-type", string("exception")),
            (":exception-type", string("BadRequestException")),
            (":content-type", string("application/json")),
        ],
        br#"{"Message":"__String__"}"#,
    );
    let mut body = event("__String__");
    body.extend(event(run.invocation_id));
    body.extend(exception);
    let result = |result_id: &str| {
        TranscriptResultStream::TranscriptEvent(TranscriptEvent {
            transcript: Some(Transcript {
                results: Some(vec![TranscriptResult {
                    result_id: Some(result_id.into()),
                    start_time: 0.0,
                    is_partial: false,
                    language_code: Some(LanguageCode::EnUs),
                }]),
            }),
        })
    };
    let output = StartStreamTranscriptionOutput {
        request_id: Some(run.request_id.into()),
        language_code: Some(LanguageCode::Unknown("__LanguageCode__".into())),
        media_sample_rate_hertz: Some(0),
        // The receiver's Debug says nothing about the events; they are listed separately.
        transcript_result_stream: "EventReceiver",
        _request_id: Some(run.request_id.into()),
    };
    response_record(
        "StartStreamTranscription",
        Case::Response {
            mode: ResponseMode::new(VariantName::Max),
        },
        HttpResponse {
            status: 200,
            headers: headers(&[
                ("content-type", "application/vnd.amazon.eventstream"),
                ("x-amzn-request-id", run.request_id),
                ("x-amzn-transcribe-language-code", "__LanguageCode__"),
                ("x-amzn-transcribe-sample-rate", "0"),
            ]),
            body: Body::Streamed {
                frames: frames(&body, 64),
            },
        },
        Outcome::Output {
            debug: format!("{output:#?}").replace("\"EventReceiver\"", "EventReceiver { .. }"),
            events: vec![format!("{:#?}", result("__String__")), format!("{:#?}", result(run.invocation_id))],
            stream_error: Some(
                "BadRequestException(\n    BadRequestException {\n        message: Some(\n            \"__String__\",\n        ),\n        meta: ErrorMetadata {\n            code: Some(\n                \"BadRequestException\",\n            ),\n            message: Some(\n                \"__String__\",\n            ),\n            extras: None,\n        },\n    },\n)".into(),
            ),
        },
    )
}

#[derive(Debug)]
struct ExpiredTokenException {
    message: Option<String>,
    meta: ErrorMetadata,
}

#[derive(Debug)]
struct Unhandled {
    source: ErrorMetadata,
    meta: ErrorMetadata,
}

#[derive(Debug)]
enum AssumeRoleError {
    ExpiredTokenException(ExpiredTokenException),
    Unhandled(Unhandled),
}

fn meta(code: Option<&str>, message: Option<&str>, request_id: &str) -> ErrorMetadata {
    let mut builder = ErrorMetadata::builder().custom("aws_request_id", request_id);
    if let Some(code) = code {
        builder = builder.code(code);
    }
    if let Some(message) = message {
        builder = builder.message(message);
    }
    builder.build()
}

fn sts_expired_token(run: &Run) -> CaseRecord {
    let body = format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredTokenException</Code><Message>__expiredIdentityTokenMessage__</Message></Error><RequestId>{}</RequestId></ErrorResponse>"#,
        run.request_id
    );
    let error = AssumeRoleError::ExpiredTokenException(ExpiredTokenException {
        message: Some("__expiredIdentityTokenMessage__".into()),
        meta: meta(
            Some("ExpiredTokenException"),
            Some("__expiredIdentityTokenMessage__"),
            run.request_id,
        ),
    });
    response_record(
        "AssumeRole",
        Case::Error {
            shape: "ExpiredTokenException".into(),
        },
        HttpResponse {
            status: 400,
            headers: headers(&[
                ("content-type", "text/xml"),
                ("x-amzn-requestid", run.request_id),
            ]),
            body: bytes(body),
        },
        Outcome::ServiceError {
            debug: format!("{error:#?}"),
            code: Some("ExpiredTokenException".into()),
            message: Some("__expiredIdentityTokenMessage__".into()),
            request_id: Some(run.request_id.into()),
            retryable: None,
            cause: None,
        },
    )
}

fn dynamodb_throttling(run: &Run) -> CaseRecord {
    let body = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"__AvailabilityErrorMessage__"}"#;
    let error = format!(
        "{:#?}",
        AssumeRoleError::ExpiredTokenException(ExpiredTokenException {
            message: Some("__AvailabilityErrorMessage__".into()),
            meta: meta(
                Some("ThrottlingException"),
                Some("__AvailabilityErrorMessage__"),
                run.request_id
            ),
        })
    )
    .replace("ExpiredTokenException", "ThrottlingException");
    response_record(
        "GetItem",
        Case::Error {
            shape: "ThrottlingException".into(),
        },
        HttpResponse {
            status: 400,
            headers: headers(&[
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amzn-requestid", run.request_id),
            ]),
            body: bytes(body),
        },
        Outcome::ServiceError {
            debug: error,
            code: Some("ThrottlingException".into()),
            message: Some("__AvailabilityErrorMessage__".into()),
            request_id: Some(run.request_id.into()),
            retryable: Some("ThrottlingError".into()),
            cause: None,
        },
    )
}

fn unmodeled(run: &Run) -> CaseRecord {
    let body = r#"{"__type":"com.amazon.coral.service#UnmodeledSnapshotError","message":"an error the model does not declare"}"#;
    let error = AssumeRoleError::Unhandled(Unhandled {
        source: meta(
            Some("UnmodeledSnapshotError"),
            Some("an error the model does not declare"),
            run.request_id,
        ),
        meta: meta(
            Some("UnmodeledSnapshotError"),
            Some("an error the model does not declare"),
            run.request_id,
        ),
    });
    response_record(
        "GetItem",
        Case::UnmodeledError,
        HttpResponse {
            status: 400,
            headers: headers(&[
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amzn-requestid", run.request_id),
            ]),
            body: bytes(body),
        },
        Outcome::ServiceError {
            debug: format!("{error:#?}"),
            code: Some("UnmodeledSnapshotError".into()),
            message: Some("an error the model does not declare".into()),
            request_id: Some(run.request_id.into()),
            retryable: None,
            cause: None,
        },
    )
}

fn front_end(_run: &Run) -> CaseRecord {
    let body = "<html>\n<head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1></body>\n</html>\n";
    response_record(
        "AssumeRole",
        Case::FrontEndError,
        HttpResponse {
            status: 500,
            headers: headers(&[("content-type", "text/html"), ("server", "awselb/2.0")]),
            body: bytes(body),
        },
        Outcome::ServiceError {
            debug: "Unhandled(\n    Unhandled {\n        source: XmlDecodeError {\n            kind: Custom(\n                \"invalid root, expected ErrorResponse got StartEl { name: Name { prefix: \\\"\\\", local: \\\"html\\\" }, attributes: [], closed: false, depth: 0 }\",\n            ),\n        },\n        meta: ErrorMetadata {\n            code: None,\n            message: None,\n            extras: None,\n        },\n    },\n)".into(),
            code: None,
            message: None,
            request_id: None,
            retryable: None,
            cause: None,
        },
    )
}

#[derive(Debug)]
struct CreatePlanOutput {
    plan: Option<Plan>,
    _request_id: Option<String>,
}

#[derive(Debug)]
struct Plan {
    name: String,
    updated_at: Option<DateTime>,
    tags: Option<HashMap<String, String>>,
    document: Option<Document>,
    token: Option<Blob>,
}

fn arc_region_switch_cbor_output(run: &Run) -> CaseRecord {
    use minicbor::Encoder;
    let mut encoder = Encoder::new(Vec::new());
    encoder.begin_map().unwrap();
    encoder.str("plan").unwrap().begin_map().unwrap();
    encoder.str("name").unwrap().str("__PlanName__").unwrap();
    encoder.str("tags").unwrap().map(2).unwrap();
    for key in run.order(&["key1", "key2"]) {
        encoder.str(key).unwrap().str("__TagValue__").unwrap();
    }
    encoder
        .str("updatedAt")
        .unwrap()
        .tag(minicbor::data::IanaTag::Timestamp)
        .unwrap()
        .f64(946702799.999)
        .unwrap();
    encoder.end().unwrap();
    encoder.end().unwrap();
    let document = Document::Object(
        [
            ("string".to_owned(), Document::String("__string__".into())),
            (
                "numbers".to_owned(),
                Document::Array(vec![
                    Document::Number(Number::PosInt(0)),
                    Document::Number(Number::Float(1.5)),
                ]),
            ),
            (
                "object".to_owned(),
                Document::Object(HashMap::from([("nested".to_owned(), Document::Bool(true))])),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let output = CreatePlanOutput {
        plan: Some(Plan {
            name: "__PlanName__".into(),
            updated_at: Some(DateTime::from_millis(946_702_799_999)),
            tags: Some(HashMap::from([
                ("key1".into(), "__TagValue__".into()),
                ("key2".into(), "__TagValue__".into()),
            ])),
            document: Some(document),
            token: Some(Blob::new(vec![1, 0, 0, 1])),
        }),
        _request_id: Some(run.request_id.into()),
    };
    response_record(
        "CreatePlan",
        Case::Response {
            mode: ResponseMode::new(VariantName::Max),
        },
        HttpResponse {
            status: 200,
            headers: headers(&[
                ("smithy-protocol", "rpc-v2-cbor"),
                ("content-type", "application/cbor"),
                ("x-amzn-requestid", run.request_id),
            ]),
            body: bytes(encoder.into_writer()),
        },
        Outcome::Output {
            debug: format!("{output:#?}"),
            events: vec![],
            stream_error: None,
        },
    )
}

fn client_error(_run: &Run) -> CaseRecord {
    response_record(
        "GetItem",
        Case::Response {
            mode: ResponseMode::new(VariantName::Min),
        },
        HttpResponse {
            status: 200,
            headers: headers(&[("content-type", "application/x-amz-json-1.0")]),
            body: bytes(r#"{"Item": "#),
        },
        Outcome::ClientError {
            kind: "ResponseError".into(),
            display: "response error\nfailed to parse JSON: unexpected end of input at offset 9"
                .into(),
        },
    )
}

fn panicked(_run: &Run) -> CaseRecord {
    response_record(
        "GetItem",
        Case::Response {
            mode: ResponseMode::new(VariantName::Min),
        },
        HttpResponse {
            status: 200,
            headers: vec![],
            body: Body::Empty,
        },
        Outcome::Panicked {
            message: "called `Option::unwrap()` on a `None` value".into(),
        },
    )
}

fn timed_out(_run: &Run) -> CaseRecord {
    response_record(
        "StartStreamTranscription",
        Case::Response {
            mode: ResponseMode::new(VariantName::Min),
        },
        HttpResponse {
            status: 200,
            headers: headers(&[("content-type", "application/vnd.amazon.eventstream")]),
            body: Body::Streamed { frames: vec![] },
        },
        Outcome::TimedOut { millis: 30_000 },
    )
}

type Builder = fn(&Run) -> CaseRecord;

const CASES: &[(&str, Builder)] = &[
    ("dynamodb_get_item_output", dynamodb_get_item),
    ("transcribe_output_event_stream", transcribe_stream_output),
    ("sts_modeled_error_query_xml", sts_expired_token),
    ("dynamodb_retryable_error", dynamodb_throttling),
    ("unmodeled_error", unmodeled),
    ("front_end_html_500", front_end),
    (
        "rpcv2_cbor_output_with_document",
        arc_region_switch_cbor_output,
    ),
    ("client_error", client_error),
    ("panicked", panicked),
    ("timed_out", timed_out),
];

fn render(record: &CaseRecord) -> String {
    render_case(record, &mut Placeholders::new())
}

#[test]
fn response_goldens() {
    for (name, build) in CASES {
        insta::assert_snapshot!(*name, render(&build(&RUN_A)));
    }
}

#[test]
fn runs_that_differ_only_in_noise_render_identically() {
    for (name, build) in CASES {
        let a = render(&build(&RUN_A));
        // Several renderings of fresh HashMaps, so iteration order really varies.
        for _ in 0..4 {
            assert_eq!(render(&build(&RUN_B)), a, "{name}");
        }
    }
}

#[test]
fn equal_request_ids_share_one_placeholder_across_a_file() {
    let mut placeholders = Placeholders::new();
    let request = render_request_case(
        &request_record(
            "GetItem",
            request(
                "POST",
                "https://dynamodb.us-east-1.amazonaws.com/",
                RUN_A.sigv4_headers("dynamodb", "host", "b"),
                bytes("{}"),
            ),
        ),
        &mut placeholders,
    );
    let response = render_replay_case(&dynamodb_get_item(&RUN_A), &mut placeholders);
    assert!(
        request.contains("amz-sdk-invocation-id: <uuid:1>"),
        "{request}"
    );
    assert!(
        response.contains("x-amzn-requestid: <uuid:2>"),
        "{response}"
    );
    assert!(
        response.contains("_request_id: Some(\n        \"<uuid:2>\",\n    ),"),
        "{response}"
    );
}

#[test]
fn the_lead_can_look_up_members_in_the_client_output() {
    let record = dynamodb_get_item(&RUN_A);
    let Outcome::Output { debug, .. } = &record.outcome else {
        unreachable!()
    };
    let tree = debug_tree(debug).unwrap();
    let n = tree.get_path(&["item", "{key2}", "N"]).unwrap();
    assert_eq!(n, &DebugValue::Str("9876543210.0123456789".into()));
    let blob = tree.get_path(&["item", "key3", "B", "inner"]).unwrap();
    assert_eq!(blob, &DebugValue::Atom("01000001".into()));
    let units = tree
        .get_path(&["consumed_capacity", "capacity_units"])
        .unwrap();
    assert_eq!(units.peel_some(), &DebugValue::Atom("0.0".into()));
    assert!(tree.get_path(&["item", "key6"]).is_none());
}
