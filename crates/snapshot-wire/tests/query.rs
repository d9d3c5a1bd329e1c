//! awsQuery (`fixtures/wire/aws-query.json`) and ec2Query (`fixtures/wire/ec2-query.json`):
//! envelopes, request ids in bodies, `@awsQueryError` codes and statuses, EC2's layout.

mod common;

use common::*;
use insta::assert_snapshot;
use snapshot_values::Value;

fn q(name: &str) -> String {
    format!("example.query#{name}")
}

fn ec2(name: &str) -> String {
    format!("example.ec2#{name}")
}

#[test]
fn aws_query_output_is_wrapped_in_response_and_result() {
    let model = fixture("aws-query.json");
    let limit = |name: &str, max: i32| {
        st(
            &q("Limit"),
            vec![("Name", s(name)), ("Max", Value::Integer(max))],
        )
    };
    let value = st(
        &q("DescribeAccountResult"),
        vec![
            ("AccountId", s("123456789012")),
            ("Aliases", list(vec![s("a1"), s("a2")])),
            ("FlatAliases", list(vec![s("f1"), s("f2")])),
            ("Attributes", map(vec![("key1", s("v1"))])),
            ("Limits", list(vec![limit("users", 10)])),
            ("Created", ts()),
            ("Quota", Value::Double(0.25)),
            ("Enabled", Value::Boolean(false)),
            ("Tier", en("basic")),
            ("Policy", s("{\"Version\":\"2012-10-17\"}")),
        ],
    );
    let response = output(&model, "DescribeAccount", &value);
    assert_eq!(header(&response, "content-type"), Some("text/xml"));
    assert_eq!(
        header(&response, "x-amzn-requestid"),
        Some(snapshot_wire::REQUEST_ID)
    );
    let body = body_text(&response);
    assert!(
        body.starts_with(
            r#"<DescribeAccountResponse xmlns="https://query.example.com/doc/2024-01-01/"><DescribeAccountResult><AccountId>"#
        ),
        "{body}"
    );
    assert!(
        body.ends_with("</DescribeAccountResult><ResponseMetadata><RequestId>snapshot-request-id</RequestId></ResponseMetadata></DescribeAccountResponse>"),
        "{body}"
    );
    assert!(
        body.contains(
            "<PolicyDocument>{&quot;Version&quot;:&quot;2012-10-17&quot;}</PolicyDocument>"
        ),
        "{body}"
    );
    assert_snapshot!("aws_query_describe_account", render(&response));
}

#[test]
fn aws_query_unit_output_has_no_result_element() {
    let model = fixture("aws-query.json");
    let response = output(&model, "DeleteAccount", &unit());
    assert_eq!(
        body_text(&response),
        r#"<DeleteAccountResponse xmlns="https://query.example.com/doc/2024-01-01/"><ResponseMetadata><RequestId>snapshot-request-id</RequestId></ResponseMetadata></DeleteAccountResponse>"#
    );
}

#[test]
fn aws_query_errors_use_query_codes_types_and_statuses() {
    let model = fixture("aws-query.json");
    let not_found = error(
        &model,
        "DescribeAccount",
        &q("AccountNotFound"),
        &st(&q("AccountNotFound"), vec![("message", s("no account"))]),
    );
    assert_eq!(not_found.status, 404, "@awsQueryError(httpResponseCode)");
    let body = body_text(&not_found);
    assert!(
        body.contains("<Type>Sender</Type><Code>NoSuchEntity</Code>"),
        "{body}"
    );
    let limit = error(
        &model,
        "DescribeAccount",
        &q("AccountLimitExceeded"),
        &st(
            &q("AccountLimitExceeded"),
            vec![("Message", s("too many")), ("Limit", Value::Integer(5))],
        ),
    );
    assert_eq!(limit.status, 409, "@httpError without @awsQueryError");
    let unavailable = error(
        &model,
        "DeleteAccount",
        &q("ServiceUnavailable"),
        &st(&q("ServiceUnavailable"), vec![]),
    );
    assert_eq!(unavailable.status, 500);
    assert!(body_text(&unavailable)
        .contains("<Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>"));
    let unmodeled = unmodeled_error(&model, "DeleteAccount");
    let rendered = render_all(&[not_found, limit, unavailable, unmodeled]);
    assert_snapshot!("aws_query_errors", rendered);
}

#[test]
fn ec2_output_has_no_result_wrapper_and_uses_xml_names() {
    let model = fixture("ec2-query.json");
    let tag = |key: &str| st(&ec2("Tag"), vec![("Key", s(key)), ("Value", s("v"))]);
    let volume = st(
        &ec2("Volume"),
        vec![
            ("VolumeId", s("vol-1")),
            ("Size", Value::Integer(8)),
            ("CreateTime", ts()),
            ("State", en("in-use")),
            ("Encrypted", Value::Boolean(true)),
            ("Tags", list(vec![tag("Name"), tag("Env")])),
        ],
    );
    let value = st(
        &ec2("DescribeVolumesResult"),
        vec![("Volumes", list(vec![volume])), ("NextToken", s("token"))],
    );
    let response = output(&model, "DescribeVolumes", &value);
    assert_eq!(
        header(&response, "content-type"),
        Some("text/xml;charset=UTF-8")
    );
    let body = body_text(&response);
    assert!(
        body.starts_with(
            r#"<DescribeVolumesResponse xmlns="http://ec2.example.com/doc/2016-11-15/"><requestId>snapshot-request-id</requestId><volumeSet><item><volumeId>vol-1</volumeId>"#
        ),
        "{body}"
    );
    assert!(
        !body.contains("VolumeSet"),
        "@ec2QueryName names request parameters only: {body}"
    );
    assert_snapshot!("ec2_describe_volumes", render(&response));
}

#[test]
fn ec2_errors_use_the_response_errors_layout() {
    let model = fixture("ec2-query.json");
    let not_found = error(
        &model,
        "DeleteVolume",
        &ec2("InvalidVolumeNotFound"),
        &st(
            &ec2("InvalidVolumeNotFound"),
            vec![("Message", s("no volume")), ("VolumeId", s("vol-1"))],
        ),
    );
    assert_eq!(not_found.status, 400);
    assert_eq!(
        body_text(&not_found),
        "<Response><Errors><Error><Code>InvalidVolumeNotFound</Code><Message>no volume</Message><volumeId>vol-1</volumeId></Error></Errors><RequestID>snapshot-request-id</RequestID></Response>"
    );
    let in_use = error(
        &model,
        "DeleteVolume",
        &ec2("VolumeInUse"),
        &st(&ec2("VolumeInUse"), vec![]),
    );
    assert_eq!(in_use.status, 409);
    let unmodeled = unmodeled_error(&model, "DeleteVolume");
    let rendered = render_all(&[not_found, in_use, unmodeled]);
    assert_snapshot!("ec2_errors", rendered);
}

#[test]
fn front_end_error_is_html() {
    let response = snapshot_wire::front_end_error_response();
    assert_eq!(response.status, 500);
    assert_eq!(header(&response, "content-type"), Some("text/html"));
    assert!(body_text(&response).contains("<h1>500 Internal Server Error</h1>"));
}
