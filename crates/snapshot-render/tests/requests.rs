//! Request snapshots (SPEC §6) for every body format and signing style, as golden files, and
//! the determinism guarantee: two runs that differ in random ids, signing times, signatures,
//! `HashMap` order and build facts render identically.

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::*;
use md5::Md5;
use minicbor::data::{IanaTag, Tag};
use minicbor::Encoder;
use sha2::{Digest as _, Sha256};
use snapshot_records::{Body, CaseRecord, Frame, Outcome};
use snapshot_render::{render_request_case, Placeholders};

/// The CRC32 checksum (base64, big-endian) of the generated blob `[1, 0, 0, 1]`.
fn crc32_of_blob() -> String {
    STANDARD.encode(crc32fast::hash(&[1, 0, 0, 1]).to_be_bytes())
}

fn form_body(pairs: &[(String, String)]) -> Body {
    let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    bytes(text.join("&"))
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn sts_assume_role(run: &Run) -> CaseRecord {
    let body = form_body(&pairs(&[
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", "__RoleArn__"),
        ("RoleSessionName", "__RoleSessionName__"),
        ("PolicyArns.member.1.arn", "__arn__"),
        ("PolicyArns.member.2.arn", "__arn__"),
        ("PolicyArns.member.3.arn", "__arn__"),
        ("Policy", "__Policy__"),
        ("DurationSeconds", "0"),
        ("Tags.member.1.Key", "__Key__"),
        ("Tags.member.1.Value", "__Value__"),
        ("TransitiveTagKeys.member.1", "__tagKeyType__"),
        ("ExternalId", "__ExternalId__"),
        ("SerialNumber", "__SerialNumber__"),
        ("TokenCode", "__TokenCode__"),
        ("SourceIdentity", "__SourceIdentity__"),
        ("ProvidedContexts.member.1.ProviderArn", "__ProviderArn__"),
        (
            "ProvidedContexts.member.1.ContextAssertion",
            "__ContextAssertion__",
        ),
    ]));
    let mut headers = headers(&[
        ("content-type", "application/x-www-form-urlencoded"),
        ("content-length", "624"),
    ]);
    headers.extend(run.sigv4_headers(
        "sts",
        "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-user-agent",
        "E,b,C",
    ));
    request_record(
        "AssumeRole",
        request(
            "POST",
            "https://sts.us-east-1.amazonaws.com/",
            headers,
            body,
        ),
    )
}

fn sns_create_topic(run: &Run) -> CaseRecord {
    let mut params = pairs(&[
        ("Action", "CreateTopic"),
        ("Version", "2010-03-31"),
        ("Name", "__topicName__"),
    ]);
    let entries = run.order(&[
        ("key1", "__attributeValue__"),
        ("key2", "__attributeValue__"),
        ("key3", "%2Fpath%3D1"),
    ]);
    for (i, (key, value)) in entries.iter().enumerate() {
        params.push((format!("Attributes.entry.{}.key", i + 1), key.to_string()));
        params.push((
            format!("Attributes.entry.{}.value", i + 1),
            value.to_string(),
        ));
    }
    params.extend(pairs(&[
        ("Tags.member.1.Key", "__TagKey__"),
        ("Tags.member.1.Value", "__TagValue__"),
        ("DataProtectionPolicy", "__attributeValue__"),
    ]));
    let mut headers = headers(&[("content-type", "application/x-www-form-urlencoded")]);
    headers.extend(run.sigv4_headers(
        "sns",
        "content-type;host;x-amz-date;x-amz-security-token",
        "E,b",
    ));
    // Session credentials: the token differs on every run.
    headers.push((
        "x-amz-security-token".into(),
        format!("IQoJb3JpZ2luX2VjE{}", run.signature_hex(7)),
    ));
    request_record(
        "CreateTopic",
        request(
            "POST",
            "https://sns.us-east-1.amazonaws.com/",
            headers,
            form_body(&params),
        ),
    )
}

fn dynamodb_transact_write_items(run: &Run) -> CaseRecord {
    let item: Vec<String> = run
        .order(&[
            r#""key1":{"S":"__StringAttributeValue__"}"#,
            r#""key2":{"N":"9876543210.0123456789"}"#,
            r#""key3":{"B":"AQAAAQ=="}"#,
        ])
        .into_iter()
        .map(str::to_owned)
        .collect();
    let body = format!(
        r#"{{"TransactItems":[{{"Put":{{"Item":{{{}}},"TableName":"__TableArn__","ConditionExpression":"__ConditionExpression__"}}}},{{"Delete":{{"Key":{{}},"TableName":"__TableArn__"}}}}],"ReturnConsumedCapacity":"TOTAL","ClientRequestToken":"{IDEMPOTENCY_TOKEN}"}}"#,
        item.join(",")
    );
    let mut headers = headers(&[
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "DynamoDB_20120810.TransactWriteItems"),
        ("content-length", "377"),
    ]);
    headers.extend(run.sigv4_headers(
        "dynamodb",
        "content-type;host;x-amz-date;x-amz-target",
        "E,b,D",
    ));
    request_record(
        "TransactWriteItems",
        request(
            "POST",
            "https://dynamodb.us-east-1.amazonaws.com/",
            headers,
            bytes(body),
        ),
    )
}

fn s3_put_object_aws_chunked(run: &Run) -> CaseRecord {
    // The client sends the user's ContentEncoding and its own aws-chunked as two fields.
    let mut headers = headers(&[
        ("content-encoding", "__ContentEncoding__"),
        ("content-encoding", "aws-chunked"),
        ("content-type", "application/octet-stream"),
        ("content-length", "63"),
        ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
        ("x-amz-decoded-content-length", "4"),
        ("x-amz-trailer", "x-amz-checksum-crc64nvme"),
        ("x-amz-sdk-checksum-algorithm", "CRC64NVME"),
    ]);
    for key in run.order(&["key1", "key2", "key3"]) {
        headers.push((format!("x-amz-meta-{key}"), "__MetadataValue__".into()));
    }
    headers.extend(run.sigv4_headers("s3", "content-encoding;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-meta-key1;x-amz-meta-key2;x-amz-meta-key3;x-amz-sdk-checksum-algorithm;x-amz-trailer", "Z,b,W"));
    let frames = vec![
        Frame::Data {
            data: b"4\r\n\x01\x00\x00\x01\r\n".to_vec(),
        },
        Frame::Data {
            data: b"0\r\nx-amz-checksum-crc64nvme:o+dcbsqsKmk=\r\n\r\n".to_vec(),
        },
    ];
    request_record(
        "PutObject",
        request(
            "PUT",
            "https://__bucket__.s3.us-east-1.amazonaws.com/__ObjectKey__?x-id=PutObject",
            headers,
            Body::Streamed { frames },
        ),
    )
}

fn s3_put_object_signed_chunks(run: &Run) -> CaseRecord {
    let mut headers = headers(&[
        ("content-encoding", "aws-chunked"),
        (
            "x-amz-content-sha256",
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        ),
        ("x-amz-decoded-content-length", "4"),
        ("x-amz-trailer", "x-amz-checksum-crc32"),
    ]);
    headers.extend(run.sigv4_headers("s3", "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-trailer", "Z,b"));
    let body = format!(
        "4;chunk-signature={}\r\n\x01\x00\x00\x01\r\n0;chunk-signature={}\r\nx-amz-checksum-crc32:{}\r\nx-amz-trailer-signature:{}\r\n\r\n",
        run.signature_hex(1),
        run.signature_hex(2),
        crc32_of_blob(),
        run.signature_hex(3)
    );
    request_record(
        "PutObject",
        request(
            "PUT",
            "https://__bucket__.s3.us-east-1.amazonaws.com/__ObjectKey__?x-id=PutObject",
            headers,
            Body::Streamed {
                frames: frames(body.as_bytes(), 40),
            },
        ),
    )
}

fn s3_put_bucket_tagging(run: &Run) -> CaseRecord {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>b-second</Key><Value>__Value__</Value></Tag><Tag><Key>a-first</Key><Value>&lt;&amp;&gt;</Value></Tag><Tag><Key>c-third</Key><Value></Value></Tag></TagSet></Tagging>"#;
    let mut headers = headers(&[
        ("content-type", "application/xml"),
        ("x-amz-expected-bucket-owner", "__AccountId__"),
    ]);
    headers.push(("content-md5".into(), STANDARD.encode(Md5::digest(body))));
    headers.extend(run.sigv4_headers(
        "s3",
        "content-md5;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-expected-bucket-owner",
        "Z,b",
    ));
    let sha256: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    headers.push(("x-amz-content-sha256".into(), sha256));
    request_record(
        "PutBucketTagging",
        request(
            "PUT",
            "https://__bucket__.s3.us-east-1.amazonaws.com/?tagging",
            headers,
            bytes(body),
        ),
    )
}

fn rest_xml_maps(run: &Run) -> CaseRecord {
    let entries: String = run
        .order(&["key1", "key2", "key3"])
        .iter()
        .map(|key| format!("<entry><key>{key}</key><value>__Setting__</value></entry>"))
        .collect();
    let flattened: String = run
        .order(&["key1", "key2", "key3"])
        .iter()
        .map(|key| format!("<Limit><key>{key}</key><value>0</value></Limit>"))
        .collect();
    let body = format!(
        r#"<PutConfigurationRequest xmlns="https://example.com/doc/2024-01-01/"><Settings>{entries}</Settings>{flattened}<Names><member>z</member><member>a</member></Names></PutConfigurationRequest>"#
    );
    let mut headers = headers(&[("content-type", "application/xml")]);
    headers.extend(run.sigv4_headers("example", "content-type;host;x-amz-date", "b"));
    request_record(
        "PutConfiguration",
        request(
            "PUT",
            "https://example.us-east-1.amazonaws.com/configuration",
            headers,
            bytes(body),
        ),
    )
}

fn apigateway_get_export(run: &Run) -> CaseRecord {
    let query: Vec<String> = run
        .order(&["key1=__String__", "key2=a%20b", "key3=%2F"])
        .into_iter()
        .map(str::to_owned)
        .collect();
    let uri = format!(
        "https://apigateway.us-east-1.amazonaws.com/restapis/__restApiId__/stages/__stageName__/exports/__exportType__?{}",
        query.join("&")
    );
    let mut headers = headers(&[("accept", "__accepts__")]);
    headers.extend(run.sigv4_headers("apigateway", "accept;host;x-amz-date", "b"));
    request_record("GetExport", request("GET", &uri, headers, Body::Empty))
}

fn arc_region_switch_cbor(run: &Run) -> CaseRecord {
    let mut encoder = Encoder::new(Vec::new());
    encoder.begin_map().unwrap();
    encoder.str("name").unwrap().str("__PlanName__").unwrap();
    encoder.str("regions").unwrap().array(3).unwrap();
    for region in ["us-east-1", "us-west-2", "eu-west-1"] {
        encoder.str(region).unwrap();
    }
    encoder.str("tags").unwrap().map(3).unwrap();
    for key in run.order(&["key1", "key2", "key3"]) {
        encoder.str(key).unwrap().str("__TagValue__").unwrap();
    }
    encoder
        .str("recoveryTimeObjectiveMinutes")
        .unwrap()
        .i64(0)
        .unwrap();
    encoder
        .str("updatedAt")
        .unwrap()
        .tag(Tag::from(IanaTag::Timestamp))
        .unwrap()
        .f64(946702799.999)
        .unwrap();
    encoder.str("token").unwrap().bytes(&[1, 0, 0, 1]).unwrap();
    encoder.end().unwrap();
    let body = encoder.into_writer();
    let mut headers = headers(&[
        ("smithy-protocol", "rpc-v2-cbor"),
        ("content-type", "application/cbor"),
        ("accept", "application/cbor"),
    ]);
    headers.extend(run.sigv4_headers(
        "arc-region-switch",
        "accept;content-type;host;smithy-protocol;x-amz-date",
        "b,M",
    ));
    request_record(
        "CreatePlan",
        request(
            "POST",
            "https://arc-region-switch.us-east-1.amazonaws.com/service/ArcRegionSwitch/operation/CreatePlan",
            headers,
            bytes(body),
        ),
    )
}

fn glacier_upload_archive(run: &Run) -> CaseRecord {
    let mut headers = headers(&[
        ("x-amz-glacier-version", "2012-06-01"),
        ("x-amz-archive-description", "__string__"),
        (
            "x-amz-sha256-tree-hash",
            "3f3c3aa5d6b0bb6c2b0a4b0b1e0e3f9e0d6b7d3d8f1a2b3c4d5e6f7a8b9c0d1e",
        ),
        ("content-type", "application/octet-stream"),
    ]);
    headers.extend(run.sigv4_headers("glacier", "host;x-amz-date;x-amz-glacier-version", "b"));
    request_record(
        "UploadArchive",
        request(
            "POST",
            "https://glacier.us-east-1.amazonaws.com/-/vaults/__vaultName__/archives",
            headers,
            Body::Streamed {
                frames: vec![
                    Frame::Data { data: vec![1, 0] },
                    Frame::Data { data: vec![0, 1] },
                    Frame::Trailers {
                        headers: vec![("x-amz-checksum-crc32".into(), crc32_of_blob())],
                    },
                ],
            },
        ),
    )
}

/// A JSON body with a map whose SHA-256 travels in a header: the digest changes with map
/// order, so it is verified instead of shown.
fn glacier_add_tags_to_vault(run: &Run) -> CaseRecord {
    let tags: Vec<String> = run
        .order(&["key1", "key2", "key3"])
        .iter()
        .map(|key| format!(r#""{key}":"__TagValue__""#))
        .collect();
    let body = format!(r#"{{"Tags":{{{}}}}}"#, tags.join(","));
    let sha256: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut headers = headers(&[
        ("content-type", "application/json"),
        ("x-amz-glacier-version", "2012-06-01"),
    ]);
    headers.push(("x-amz-content-sha256".into(), sha256));
    headers.extend(run.sigv4_headers(
        "glacier",
        "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-glacier-version",
        "b",
    ));
    request_record(
        "AddTagsToVault",
        request(
            "POST",
            "https://glacier.us-east-1.amazonaws.com/__accountId__/vaults/__vaultName__/tags?operation=add",
            headers,
            bytes(body),
        ),
    )
}

fn transcribe_call_analytics(run: &Run) -> CaseRecord {
    let audio = message(
        &[
            (":message-type", string("event")),
            (":event-type", string("AudioEvent")),
            (":content-type", string("application/octet-stream")),
        ],
        &[1, 0, 0, 1],
    );
    let settings: Vec<String> = run
        .order(&[
            r#""OutputLocation":"__String__""#,
            r#""DataAccessRoleArn":"__String__""#,
            r#""OutputEncryptionKMSKeyId":"__String__""#,
        ])
        .into_iter()
        .map(str::to_owned)
        .collect();
    let configuration = message(
        &[
            (":message-type", string("event")),
            (":event-type", string("ConfigurationEvent")),
            (":content-type", string("application/json")),
        ],
        format!(
            r#"{{"ChannelDefinitions":[{{"ChannelId":0,"ParticipantRole":"AGENT"}},{{"ChannelId":1,"ParticipantRole":"CUSTOMER"}}],"PostCallAnalyticsSettings":{{{}}}}}"#,
            settings.join(",")
        )
        .as_bytes(),
    );
    let mut body = signed_envelope(run, Some(&audio), 1);
    body.extend(signed_envelope(run, Some(&configuration), 2));
    body.extend(signed_envelope(run, None, 3));
    let mut headers = headers(&[
        ("content-type", "application/vnd.amazon.eventstream"),
        ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-EVENTS"),
        ("x-amzn-transcribe-language-code", "en-US"),
        ("x-amzn-transcribe-sample-rate", "0"),
        ("x-amzn-transcribe-media-encoding", "pcm"),
        ("x-amzn-transcribe-session-id", run.invocation_id),
    ]);
    headers.extend(run.sigv4_headers(
        "transcribe",
        "content-type;host;x-amz-content-sha256;x-amz-date",
        "b",
    ));
    request_record(
        "StartCallAnalyticsStreamTranscription",
        request(
            "POST",
            "https://transcribestreaming.us-east-1.amazonaws.com:8443/call-analytics-stream-transcription",
            headers,
            Body::Streamed {
                frames: frames(&body, 100),
            },
        ),
    )
}

fn sso_get_role_credentials(run: &Run) -> CaseRecord {
    let mut headers = headers(&[("x-amz-sso_bearer_token", "__AccessTokenType__")]);
    headers.push(("user-agent".into(), run.user_agent("sso", "b")));
    headers.push(("amz-sdk-invocation-id".into(), run.invocation_id.into()));
    request_record(
        "GetRoleCredentials",
        request(
            "GET",
            "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=__RoleNameType__&account_id=__AccountIdType__",
            headers,
            Body::Empty,
        ),
    )
}

fn codecatalyst_list_spaces(run: &Run) -> CaseRecord {
    let headers = vec![
        ("content-type".into(), "application/json".into()),
        (
            "authorization".into(),
            format!("Bearer mock-token-{}", run.signature_hex(9)),
        ),
        ("user-agent".into(), run.user_agent("codecatalyst", "b")),
    ];
    request_record(
        "ListSpaces",
        request(
            "POST",
            "https://codecatalyst.global.api.aws/v1/spaces",
            headers,
            bytes("{}"),
        ),
    )
}

fn s3_sigv4a(run: &Run) -> CaseRecord {
    let headers = vec![
        ("x-amz-region-set".into(), "*".into()),
        ("x-amz-date".into(), run.amz_date.into()),
        ("x-amz-content-sha256".into(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()),
        (
            "authorization".into(),
            format!(
                "AWS4-ECDSA-P256-SHA256 Credential=MOCK_ak/{}/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature=3045022100{}",
                run.scope_date,
                run.signature_hex(4)
            ),
        ),
    ];
    request_record(
        "GetObject",
        request("GET", "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/__ObjectKey__?x-id=GetObject", headers, Body::Empty),
    )
}

fn construction_failure(run: &Run) -> CaseRecord {
    CaseRecord {
        operation: "PutObject".into(),
        case: snapshot_records::Case::Request {
            variant: snapshot_records::InputVariant::Max,
        },
        endpoint_override: true,
        request: None,
        response: None,
        outcome: Outcome::ClientError {
            kind: "ConstructionFailure".into(),
            display: "failed to construct request\ninvalid field: Bucket must not be empty".into(),
        },
        round_trip: None,
        // Timing is never rendered.
        micros: run.epoch_seconds.unsigned_abs(),
    }
}

type Builder = fn(&Run) -> CaseRecord;

const CASES: &[(&str, Builder)] = &[
    ("sts_assume_role_query", sts_assume_role),
    ("sns_create_topic_query_map", sns_create_topic),
    (
        "dynamodb_transact_write_items_json",
        dynamodb_transact_write_items,
    ),
    ("s3_put_object_aws_chunked", s3_put_object_aws_chunked),
    ("s3_put_object_signed_chunks", s3_put_object_signed_chunks),
    ("s3_put_bucket_tagging_xml", s3_put_bucket_tagging),
    ("rest_xml_maps", rest_xml_maps),
    ("apigateway_get_export_query_map", apigateway_get_export),
    ("arc_region_switch_cbor", arc_region_switch_cbor),
    ("glacier_upload_archive_stream", glacier_upload_archive),
    (
        "glacier_add_tags_to_vault_digest",
        glacier_add_tags_to_vault,
    ),
    ("transcribe_event_stream_signed", transcribe_call_analytics),
    ("sso_bearer_token_header", sso_get_role_credentials),
    (
        "codecatalyst_bearer_authorization",
        codecatalyst_list_spaces,
    ),
    ("s3_sigv4a", s3_sigv4a),
    (
        "construction_failure_with_endpoint_override",
        construction_failure,
    ),
];

fn render(record: &CaseRecord) -> String {
    render_request_case(record, &mut Placeholders::new())
}

#[test]
fn request_goldens() {
    for (name, build) in CASES {
        insta::assert_snapshot!(*name, render(&build(&RUN_A)));
    }
}

#[test]
fn runs_that_differ_only_in_noise_render_identically() {
    for (name, build) in CASES {
        let a = build(&RUN_A);
        let b = build(&RUN_B);
        assert_ne!(
            a, b,
            "{name}: the two runs must differ for the test to mean anything"
        );
        assert_eq!(render(&a), render(&b), "{name}");
    }
}

#[test]
fn placeholders_continue_across_sections_of_one_file() {
    let mut placeholders = Placeholders::new();
    let first = render_request_case(&sts_assume_role(&RUN_A), &mut placeholders);
    assert!(first.contains("amz-sdk-invocation-id: <uuid:1>"), "{first}");
    let second = render_request_case(&sts_assume_role(&RUN_B), &mut placeholders);
    assert!(
        second.contains("amz-sdk-invocation-id: <uuid:2>"),
        "{second}"
    );
    let again = render_request_case(&sts_assume_role(&RUN_A), &mut placeholders);
    assert!(again.contains("amz-sdk-invocation-id: <uuid:1>"), "{again}");
}

#[test]
fn a_real_change_is_not_hidden_by_normalization() {
    // A changed value, a changed list order or a changed header must show.
    let base = render(&sts_assume_role(&RUN_A));
    let mut changed = sts_assume_role(&RUN_A);
    let request = changed.request.as_mut().unwrap();
    if let Body::Bytes { data } = &mut request.body {
        *data = String::from_utf8(data.clone())
            .unwrap()
            .replace("DurationSeconds=0", "DurationSeconds=1")
            .into_bytes();
    }
    assert_ne!(render(&changed), base);

    let mut reordered = s3_put_bucket_tagging(&RUN_A);
    if let Body::Bytes { data } = &mut reordered.request.as_mut().unwrap().body {
        *data = String::from_utf8(data.clone())
            .unwrap()
            .replace("b-second", "tmp")
            .replace("a-first", "b-second")
            .replace("tmp", "a-first")
            .into_bytes();
    }
    assert_ne!(render(&reordered), render(&s3_put_bucket_tagging(&RUN_A)));

    let mut extra_metric = sts_assume_role(&RUN_A);
    for (name, value) in &mut extra_metric.request.as_mut().unwrap().headers {
        if name == "x-amz-user-agent" {
            *value = value.replace("m/E,b,C", "m/E,b,C,Z");
        }
    }
    assert_ne!(render(&extra_metric), base);
}
