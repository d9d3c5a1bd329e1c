//! What a correct client reads back from the responses this crate writes (the round trip's
//! expected values), against `fixtures/wire/rest-json1.json`: timestamps at the precision
//! their format keeps, members the serializer writes with another value, exception events as
//! the stream's error, errors with the variant the client must report.

mod common;

use common::*;
use snapshot_model::Model;
use snapshot_records::{Expected, TypedValue};
use snapshot_values::Value;

const NS: &str = "example.restjson";

fn model() -> Model {
    fixture("rest-json1.json")
}

fn shape(name: &str) -> String {
    format!("{NS}#{name}")
}

fn expected(operation: &str, value: &Value) -> Expected {
    let model = model();
    let index = model.service_index(None).unwrap();
    snapshot_wire::output_replay(&index, index.operation(operation).unwrap(), value)
        .unwrap()
        .expected
}

fn member<'v>(expected: &'v TypedValue, name: &str) -> &'v TypedValue {
    let TypedValue::Structure(members) = expected else {
        panic!("not a structure: {expected:?}")
    };
    members
        .iter()
        .find(|(member, _)| member == name)
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("no member {name} in {expected}"))
}

#[test]
fn timestamps_keep_the_precision_of_their_format() {
    let value = st(
        &shape("GetWidgetOutput"),
        vec![
            ("HeaderTimestamp", ts()),
            ("HeaderEpoch", ts()),
            ("HeaderTimestampList", list(vec![ts(), Value::Timestamp(0)])),
            ("CreatedIso", ts()),
            ("CreatedHttp", ts()),
        ],
    );
    let expected = expected("GetWidget", &value);
    assert_eq!(expected.root, "GetWidgetOutput");
    assert_eq!(expected.error, None);
    let shown = |name| member(&expected.value, name).to_string();
    // Headers default to http-date, which has whole seconds.
    assert_eq!(shown("HeaderTimestamp"), "2000-01-01T04:59:59Z");
    assert_eq!(
        shown("HeaderTimestampList"),
        "[2000-01-01T04:59:59Z, 1970-01-01T00:00:00Z]"
    );
    assert_eq!(shown("HeaderEpoch"), "2000-01-01T04:59:59.999Z");
    assert_eq!(shown("CreatedIso"), "2000-01-01T04:59:59.999Z");
    assert_eq!(shown("CreatedHttp"), "2000-01-01T04:59:59Z");
}

#[test]
fn content_length_is_the_length_the_response_carries() {
    let value = st(
        &shape("GetWidgetBlobOutput"),
        vec![("Body", blob()), ("ContentLength", Value::Long(0))],
    );
    let expected = expected("GetWidgetBlob", &value);
    assert_eq!(
        member(&expected.value, "ContentLength"),
        &TypedValue::Integer(4)
    );
    assert_eq!(
        member(&expected.value, "Body"),
        &TypedValue::Blob(vec![1, 0, 0, 1])
    );
}

#[test]
fn an_exception_event_ends_the_stream_as_its_error() {
    let stream = events(
        &shape("WidgetEvents"),
        vec![
            ("Text", st(&shape("TextEvent"), vec![("Content", s("hi"))])),
            (
                "Throttled",
                st(&shape("ThrottledEvent"), vec![("message", s("slow down"))]),
            ),
        ],
    );
    let value = st(&shape("SubscribeWidgetOutput"), vec![("Events", stream)]);
    let expected = expected("SubscribeWidget", &value);
    let TypedValue::EventStream { events, error } = member(&expected.value, "Events") else {
        panic!("{expected:?}")
    };
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        error.as_deref().map(ToString::to_string).as_deref(),
        Some("Throttled({message: \"slow down\"})")
    );
}

#[test]
fn errors_name_the_variant_the_client_must_report() {
    let model = model();
    let index = model.service_index(None).unwrap();
    let operation = index.operation("GetWidget").unwrap();
    let error_shape = index.operation_errors(&operation)[0].clone();
    let value = st(error_shape.as_str(), vec![("message", s("m"))]);
    let replay = snapshot_wire::error_replay(&index, operation, &error_shape, &value).unwrap();
    assert_eq!(replay.expected.root, error_shape.name());
    assert_eq!(
        replay.expected.error.as_deref(),
        Some(index.name(&error_shape))
    );
    assert!(replay.response.status >= 400, "{:?}", replay.response);
}
