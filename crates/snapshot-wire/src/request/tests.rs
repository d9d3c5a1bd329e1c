//! The request-side check on the wire fixtures: requests built from a generated `max` input
//! the way the clients write them (documents by the same writers the responses use, labels,
//! queries and headers by the binding rules) read back equal, member by member; and requests
//! that lose or change a member are flagged at its path, or excused by kind.

use aws_smithy_types::date_time::Format;
use snapshot_model::test_util::Fixtures;
use snapshot_model::{Model, Protocol, ShapeKind};
use snapshot_records::{Body, Frame, Header, HttpRequest};
use snapshot_values::{Generator, Mode, Overrides, Value};

use super::{check_request, ExceptionKind, FindingKind, RequestCheck, RequestSite};
use crate::cbor::CborWriter;
use crate::http_bindings::{self, is_body_member, Binding, PayloadContent};
use crate::json::JsonWriter;
use crate::shaped::{self, Field, Root, Shaped};
use crate::xml::{structure_root_name, XmlBody};
use crate::OperationContext;

fn fixture(name: &str) -> Model {
    Fixtures::Wire.load(name)
}

fn max_input(model: &Model, operation: &str) -> Value {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    let overrides = Overrides::builtin();
    Generator::new(model, &overrides)
        .generate_input(op.shape, Mode::Max)
        .unwrap()
}

fn check(model: &Model, operation: &str, input: &Value, request: &HttpRequest) -> RequestCheck {
    check_at(model, operation, input, request, "")
}

fn check_at(
    model: &Model,
    operation: &str,
    input: &Value,
    request: &HttpRequest,
    endpoint_path: &str,
) -> RequestCheck {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    check_request(&index, op, input, request, &RequestSite { endpoint_path })
        .unwrap_or_else(|error| panic!("{error}"))
}

fn request(uri: String, headers: Vec<Header>, body: Vec<u8>) -> HttpRequest {
    HttpRequest {
        method: "POST".to_owned(),
        uri,
        headers,
        body: if body.is_empty() {
            Body::Empty
        } else {
            Body::Bytes { data: body }
        },
    }
}

fn header(name: &str, value: &str) -> Header {
    (name.to_owned(), value.to_owned())
}

/// The request a client of `model`'s protocol sends for `input`.
fn client_request(model: &Model, operation: &str, input: &Value) -> HttpRequest {
    let index = model.service_index(None).unwrap();
    let op = index.operation(operation).unwrap();
    let cx = OperationContext::new(&index, op);
    let shape = cx.shape(&op.operation.input).unwrap();
    let root = Root::read(&cx, shape, input).unwrap();
    let members = shape.kind.members();
    let host = "https://service.example.com".to_owned();
    match index.protocol() {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            let writer = JsonWriter::new(&cx, index.protocol(), false);
            let body = writer
                .object(&[], &members, &root.fields, &root.path)
                .unwrap();
            request(
                format!("{host}/"),
                vec![header("content-type", "application/x-amz-json-1.0")],
                body,
            )
        }
        Protocol::RpcV2Cbor => {
            let body = CborWriter::new(&cx)
                .map(&[], &members, &root.fields, &root.path)
                .unwrap();
            request(
                format!("{host}/"),
                vec![header("content-type", "application/cbor")],
                body,
            )
        }
        Protocol::RestJson1 | Protocol::RestXml => rest_request(&cx, &root, &host),
        other => panic!("build {other} requests by hand"),
    }
}

/// A REST request: labels into the URI pattern, queries, headers, and the payload or the body
/// document.
fn rest_request(cx: &OperationContext<'_, '_>, root: &Root<'_, '_>, host: &str) -> HttpRequest {
    let http = cx.operation().shape.traits.http().unwrap();
    let (pattern, literal) = http.uri.split_once('?').unwrap_or((&http.uri, ""));
    let mut path = pattern.to_owned();
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !literal.is_empty() {
        query.append_key_only(literal.split('=').next().unwrap());
        let mut finished = query.finish();
        finished = finished.replace(literal.split('=').next().unwrap(), literal);
        query = form_urlencoded::Serializer::new(finished);
    }
    let text = |field: &Field<'_, '_>, value: &Value| match shaped::read(
        cx,
        cx.target(field.member),
        value,
        &root.path,
    )
    .unwrap()
    {
        Shaped::Scalar(scalar) => scalar
            .text(cx, Format::DateTime, &root.path)
            .unwrap()
            .unwrap(),
        other => panic!("{other:?}"),
    };
    for field in &root.fields {
        match Binding::of(field.member) {
            Binding::Label => {
                // As the clients' label encoding: `/` survives only in greedy labels.
                let encode = |segment: &str| {
                    form_urlencoded::byte_serialize(segment.as_bytes())
                        .collect::<String>()
                        .replace('+', "%20")
                };
                let value = text(field, field.value);
                let greedy: String = value.split('/').map(encode).collect::<Vec<_>>().join("/");
                let name = &field.member.name;
                path = path
                    .replace(&format!("{{{name}+}}"), &greedy)
                    .replace(&format!("{{{name}}}"), &encode(&value));
            }
            Binding::Query(name) => match field.value {
                Value::List(items) => {
                    for item in items {
                        let item_text = match shaped::read(
                            cx,
                            cx.target(list_member(cx, field)),
                            item,
                            &root.path,
                        )
                        .unwrap()
                        {
                            Shaped::Scalar(scalar) => scalar
                                .text(cx, Format::DateTime, &root.path)
                                .unwrap()
                                .unwrap(),
                            other => panic!("{other:?}"),
                        };
                        query.append_pair(name, &item_text);
                    }
                }
                value => {
                    query.append_pair(name, &text(field, value));
                }
            },
            Binding::QueryParams => {
                if let Value::Map(entries) = field.value {
                    for (key, value) in entries {
                        if let Value::String(value) = value {
                            query.append_pair(key, value);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let bindings = http_bindings::bind(cx, root.shape, &root.fields, &root.path).unwrap();
    let mut headers: Vec<Header> = bindings.headers.clone();
    // The clients send an empty header for an empty list, which responses leave out.
    for field in &root.fields {
        if let (Binding::Header(name), Value::List(items)) =
            (Binding::of(field.member), field.value)
        {
            if items.is_empty() {
                headers.push(header(name, ""));
            }
        }
    }
    let body_fields: Vec<Field<'_, '_>> = bindings
        .body
        .iter()
        .copied()
        .filter(|field| is_body_member(field.member))
        .collect();
    let mut body = Body::Empty;
    if let Some(payload) = &bindings.payload {
        let payload_path = root.path.member(&payload.member.name);
        match http_bindings::payload_content(cx, payload, &root.path).unwrap() {
            PayloadContent::Absent => {}
            PayloadContent::Raw { data, .. } => body = Body::Bytes { data },
            PayloadContent::Document { member, value } => {
                let data = if cx.index().protocol() == Protocol::RestXml {
                    let root_name = crate::xml::payload_root_name(member, cx.target(member));
                    XmlBody::new(cx, Protocol::RestXml)
                        .value_document(root_name, member, Some(value), None, &payload_path)
                        .unwrap()
                } else {
                    JsonWriter::new(cx, Protocol::RestJson1, true)
                        .document(member, value, &payload_path)
                        .unwrap()
                };
                body = Body::Bytes { data };
            }
            PayloadContent::EventStream(events) => {
                let writer = JsonWriter::new(cx, Protocol::RestJson1, true);
                body =
                    crate::event_stream::body(cx, &writer, None, &events, &payload_path).unwrap();
                headers.push(header("content-type", "application/vnd.amazon.eventstream"));
            }
        }
    } else if root
        .shape
        .kind
        .members()
        .iter()
        .any(|member| is_body_member(member))
    {
        let data = if cx.index().protocol() == Protocol::RestXml {
            XmlBody::new(cx, Protocol::RestXml)
                .structure_document(
                    structure_root_name(root.shape),
                    None,
                    &body_fields,
                    &root.path,
                )
                .unwrap()
        } else {
            let members: Vec<_> = root
                .shape
                .kind
                .members()
                .into_iter()
                .filter(|m| is_body_member(m))
                .collect();
            JsonWriter::new(cx, Protocol::RestJson1, true)
                .object(&[], &members, &body_fields, &root.path)
                .unwrap()
        };
        body = Body::Bytes { data };
    }
    let query = query.finish();
    let uri = if query.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{host}{path}?{query}")
    };
    HttpRequest {
        method: http.method.clone(),
        uri,
        headers,
        body,
    }
}

fn list_member<'m>(
    cx: &OperationContext<'_, 'm>,
    field: &Field<'m, '_>,
) -> &'m snapshot_model::Member {
    match &cx.target(field.member).kind {
        ShapeKind::List(member) | ShapeKind::Set(member) => member,
        _ => panic!("not a list"),
    }
}

fn assert_clean(check: &RequestCheck, at_least: usize) {
    assert!(check.findings.is_empty(), "{:#?}", check.findings);
    assert!(
        check.matched >= at_least,
        "only {} values matched",
        check.matched
    );
}

fn finding<'c>(check: &'c RequestCheck, path: &str) -> &'c FindingKind {
    &check
        .findings
        .iter()
        .find(|finding| finding.path.as_str() == path)
        .unwrap_or_else(|| panic!("no finding at {path}: {:#?}", check.findings))
        .kind
}

#[test]
fn aws_json_requests_read_back_equal() {
    let model = fixture("aws-json1_0.json");
    let input = max_input(&model, "PutItem");
    let request = client_request(&model, "PutItem", &input);
    assert_clean(&check(&model, "PutItem", &input, &request), 30);
}

#[test]
fn rpcv2_cbor_requests_read_back_equal_with_indefinite_maps() {
    let model = fixture("rpcv2-cbor.json");
    let input = max_input(&model, "PutReading");
    let request = client_request(&model, "PutReading", &input);
    assert_clean(&check(&model, "PutReading", &input, &request), 30);
}

#[test]
fn rest_json1_requests_read_back_equal_through_every_binding() {
    let model = fixture("rest-json1.json");
    for operation in [
        "PutWidget",
        "UploadWidget",
        "PutWidgetNote",
        "PublishWidget",
    ] {
        let input = max_input(&model, operation);
        let request = client_request(&model, operation, &input);
        assert_clean(&check(&model, operation, &input, &request), 1);
    }
    let input = max_input(&model, "PutWidget");
    let request = client_request(&model, "PutWidget", &input);
    assert!(
        request
            .uri
            .contains("/files/__Path__?mode=full&filter=__Filter__"),
        "{}",
        request.uri
    );
    assert_clean(&check(&model, "PutWidget", &input, &request), 50);
}

#[test]
fn rest_xml_requests_read_back_equal() {
    let model = fixture("rest-xml.json");
    for operation in ["PutCatalog", "PutCatalogItem"] {
        let input = max_input(&model, operation);
        let request = client_request(&model, operation, &input);
        assert_clean(&check(&model, operation, &input, &request), 5);
    }
}

#[test]
fn lost_and_changed_members_are_flagged_at_their_paths() {
    let model = fixture("rest-json1.json");
    let input = max_input(&model, "PutWidget");
    let mut request = client_request(&model, "PutWidget", &input);
    request.headers.retain(|(name, _)| name != "X-Trace");
    request.uri = request.uri.replace("filter=__Filter__", "filter=other");
    let check = check(&model, "PutWidget", &input, &request);
    assert_eq!(finding(&check, "PutWidgetInput.Trace"), &FindingKind::Lost);
    assert_eq!(
        finding(&check, "PutWidgetInput.Filter"),
        &FindingKind::Changed {
            sent: Value::String("__Filter__".to_owned()),
            on_wire: Value::String("other".to_owned()),
        }
    );
    assert_eq!(check.problems().count(), 2);
}

#[test]
fn http_dates_carry_whole_seconds_only() {
    let model = fixture("rest-json1.json");
    let mut input = max_input(&model, "PutWidget");
    let request = client_request(&model, "PutWidget", &input);
    assert!(request
        .headers
        .contains(&header("X-At", "Sat, 01 Jan 2000 04:59:59 GMT")));
    assert_clean(&check(&model, "PutWidget", &input, &request), 1);
    // A value that differs in its second is changed, not rounded away.
    if let Value::Structure { members, .. } = &mut input {
        for (name, value) in members.iter_mut() {
            if name == "At" {
                *value = Value::Timestamp(946_702_801_000);
            }
        }
    }
    let check = check(&model, "PutWidget", &input, &request);
    assert!(matches!(
        finding(&check, "PutWidgetInput.At"),
        FindingKind::Changed { .. }
    ));
}

#[test]
fn s3_buckets_are_read_from_the_host_or_the_first_path_segment() {
    let model = fixture("rest-xml-s3.json");
    let mut input = max_input(&model, "PutObject");
    // The generator leaves the length to the client; a value set anyway is replaced.
    if let Value::Structure { members, .. } = &mut input {
        members.insert(2, ("ContentLength".to_owned(), Value::Long(10)));
    }
    let headers = vec![
        header("content-length", "4"),
        header("content-md5", "computed"),
        header("expires", "Sat, 01 Jan 2000 04:59:59 GMT"),
    ];
    let body = |data: &[u8]| Body::Bytes {
        data: data.to_vec(),
    };
    let virtual_hosted = HttpRequest {
        method: "PUT".to_owned(),
        uri: "https://__bucket__.s3.us-east-1.amazonaws.com/__Key__?x-id=PutObject".to_owned(),
        headers: headers.clone(),
        body: body(&[1, 0, 0, 1]),
    };
    let check_virtual = check(&model, "PutObject", &input, &virtual_hosted);
    assert!(
        matches!(finding(&check_virtual, "PutObjectInput.Bucket"), FindingKind::Changed { on_wire: Value::String(host), .. } if host == "__bucket__"),
        "the host label is what the wire carries"
    );
    let path_style = HttpRequest {
        uri: "https://localhost/mock-required-endpoint/__Bucket__/__Key__?x-id=PutObject"
            .to_owned(),
        ..virtual_hosted
    };
    let check = check_at(
        &model,
        "PutObject",
        &input,
        &path_style,
        "/mock-required-endpoint",
    );
    assert_eq!(check.problems().count(), 0, "{:#?}", check.findings);
    assert_eq!(
        check
            .exceptions()
            .map(|(path, kind)| (path.as_str(), kind))
            .collect::<Vec<_>>(),
        [
            ("PutObjectInput.ContentLength", ExceptionKind::ContentLength),
            ("PutObjectInput.ContentMD5", ExceptionKind::Checksum),
        ],
        "the client sends the real length and its own MD5"
    );
}

#[test]
fn aws_chunked_bodies_and_their_content_coding_are_undone() {
    let model = fixture("rest-xml-s3.json");
    let input = max_input(&model, "PutObject");
    let request = HttpRequest {
        method: "PUT".to_owned(),
        uri: "https://s3.us-east-1.amazonaws.com/__Bucket__/__Key__?x-id=PutObject".to_owned(),
        headers: vec![
            header("content-encoding", "aws-chunked"),
            header("content-length", "4"),
            header("content-md5", "__ContentMD5__"),
            header("expires", "Sat, 01 Jan 2000 04:59:59 GMT"),
        ],
        body: Body::Streamed {
            frames: vec![
                Frame::Data {
                    data: b"4\r\n\x01\x00\x00\x01\r\n0\r\n".to_vec(),
                },
                Frame::Trailers {
                    headers: vec![header("x-amz-checksum-crc32", "AAAAAA==")],
                },
            ],
        },
    };
    let check = check(&model, "PutObject", &input, &request);
    assert_eq!(check.problems().count(), 0, "{:#?}", check.findings);
}

#[test]
fn defaults_left_off_the_wire_and_tokens_are_excepted_by_kind() {
    let model = fixture("aws-json1_0.json");
    let input = max_input(&model, "PutItem");
    let mut request = client_request(&model, "PutItem", &input);
    let mut body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&request.body.data()).unwrap();
    body.remove("Retries");
    body.insert(
        "Token".to_owned(),
        "11111111-1111-4111-8111-111111111111".into(),
    );
    body.remove("Title");
    request.body = Body::Bytes {
        data: serde_json::to_vec(&body).unwrap(),
    };
    let check = check(&model, "PutItem", &input, &request);
    assert_eq!(
        finding(&check, "PutItemInput.Retries"),
        &FindingKind::Excepted(ExceptionKind::DefaultValue)
    );
    assert_eq!(
        finding(&check, "PutItemInput.Token"),
        &FindingKind::Excepted(ExceptionKind::IdempotencyToken)
    );
    assert_eq!(finding(&check, "PutItemInput.Title"), &FindingKind::Lost);
}

#[test]
fn signed_event_stream_envelopes_are_opened() {
    use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
    use aws_smithy_types::event_stream::{Header as EventHeader, HeaderValue, Message};
    let model = fixture("rest-json1.json");
    let input = max_input(&model, "PublishWidget");
    let mut request = client_request(&model, "PublishWidget", &input);
    let Body::Streamed { frames } = &request.body else {
        panic!("an event stream");
    };
    let mut signed = Vec::new();
    for frame in frames {
        let Frame::Data { data } = frame else {
            continue;
        };
        let mut bytes = data.as_slice();
        let inner = read_message_from(&mut bytes).unwrap();
        let mut inner_bytes = Vec::new();
        write_message_to(&inner, &mut inner_bytes).unwrap();
        let envelope = Message::new_from_parts(
            vec![EventHeader::new(
                ":chunk-signature",
                HeaderValue::ByteArray(vec![0; 32].into()),
            )],
            inner_bytes,
        );
        let mut data = Vec::new();
        write_message_to(&envelope, &mut data).unwrap();
        signed.push(Frame::Data { data });
    }
    request.body = Body::Streamed { frames: signed };
    assert_clean(&check(&model, "PublishWidget", &input, &request), 3);
}

#[test]
fn aws_query_forms_read_back_by_their_key_rules() {
    let model = fixture("aws-query.json");
    let input = max_input(&model, "UpdateAccount");
    let form = "Action=UpdateAccount&Version=2024-01-01&AccountId=123456789012\
        &Aliases.member.1=__Aliases__&Aliases.member.2=__Aliases__&Aliases.member.3=__Aliases__\
        &FlatAliases.1=__FlatAliases__&FlatAliases.2=__FlatAliases__&FlatAliases.3=__FlatAliases__\
        &Attributes.entry.1.key=key1&Attributes.entry.1.value=__Attributes__\
        &Attributes.entry.2.key=key2&Attributes.entry.2.value=__Attributes__\
        &Attributes.entry.3.key=key3&Attributes.entry.3.value=__Attributes__\
        &Limits.member.1.Name=__Name__&Limits.member.1.Max=0\
        &Limits.member.2.Name=__Name__&Limits.member.2.Max=0\
        &Limits.member.3.Name=__Name__&Limits.member.3.Max=0\
        &Created=2000-01-01T04%3A59%3A59.999Z&Quota=0&Enabled=false&Tier=__Tier__\
        &PolicyDocument=__Policy__";
    let request = request(
        "https://query.example.com/".to_owned(),
        vec![header("content-type", "application/x-www-form-urlencoded")],
        form.as_bytes().to_vec(),
    );
    assert_clean(&check(&model, "UpdateAccount", &input, &request), 20);
    let wrong = HttpRequest {
        body: Body::Bytes {
            data: b"Action=DescribeAccount&Version=2024-01-01".to_vec(),
        },
        ..request
    };
    let index = model.service_index(None).unwrap();
    let error = check_request(
        &index,
        index.operation("UpdateAccount").unwrap(),
        &input,
        &wrong,
        &RequestSite::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("Action"), "{error}");
}

#[test]
fn ec2_query_forms_use_ec2_names_and_flat_lists() {
    let model = fixture("ec2-query.json");
    let input = max_input(&model, "CreateVolumes");
    let mut form = String::from(
        "Action=CreateVolumes&Version=2016-11-15&ClientToken=__ClientToken__&DryRun=false",
    );
    let Value::Structure { members, .. } = &input else {
        panic!()
    };
    let Some((_, Value::List(volumes))) = members.iter().find(|(name, _)| name == "Volumes") else {
        panic!()
    };
    for index in 1..=volumes.len() {
        form.push_str(&format!(
            "&VolumeSet.{index}.VolumeId=__VolumeId__&VolumeSet.{index}.Size=0&VolumeSet.{index}.CreateTime=2000-01-01T04%3A59%3A59.999Z&VolumeSet.{index}.Status=__State__&VolumeSet.{index}.Encrypted=false"
        ));
        form.push_str(&format!(
            "&VolumeSet.{index}.TagSet.1.Key=__Key__&VolumeSet.{index}.TagSet.1.Value=__Value__"
        ));
        form.push_str(&format!(
            "&VolumeSet.{index}.TagSet.2.Key=__Key__&VolumeSet.{index}.TagSet.2.Value=__Value__"
        ));
        form.push_str(&format!(
            "&VolumeSet.{index}.TagSet.3.Key=__Key__&VolumeSet.{index}.TagSet.3.Value=__Value__"
        ));
    }
    let request = request(
        "https://ec2.example.com/".to_owned(),
        Vec::new(),
        form.into_bytes(),
    );
    let check = check(&model, "CreateVolumes", &input, &request);
    assert_clean(&check, 10);
}

/// The `edge` inputs: escapes in labels, queries, headers and bodies, non-ASCII and empty
/// strings, type limits, non-finite floats, fractions, empty collections.
#[test]
fn edge_inputs_read_back_equal() {
    let cases = [
        ("aws-json1_0.json", "PutItem"),
        ("rpcv2-cbor.json", "PutReading"),
        ("rest-json1.json", "PutWidget"),
        ("rest-json1.json", "PutWidgetNote"),
        ("rest-xml.json", "PutCatalog"),
    ];
    for (file, operation) in cases {
        let model = fixture(file);
        let index = model.service_index(None).unwrap();
        let op = index.operation(operation).unwrap();
        let overrides = Overrides::builtin();
        let input = Generator::new(&model, &overrides)
            .generate_input(op.shape, Mode::Edge)
            .unwrap();
        let request = client_request(&model, operation, &input);
        let check = check(&model, operation, &input, &request);
        assert_eq!(
            check.problems().count(),
            0,
            "{file} {operation}: {:#?}\n{request:#?}",
            check.findings
        );
        // Edge inputs empty some collections; where the binding cannot carry that, the
        // absence is excused as such and nothing else is.
        assert!(
            check
                .exceptions()
                .all(|(_, kind)| kind == ExceptionKind::EmptyCollection),
            "{:#?}",
            check.findings
        );
    }
}

/// An empty blob bound to `@httpPayload` leaves the body empty, which reads back as no
/// payload: excused as an empty value, not reported as lost (lambda `InvokeAsync`, s3
/// `WriteGetObjectResponse` with the edge inputs).
#[test]
fn an_empty_payload_is_excused_as_an_empty_value() {
    let model = fixture("rest-json1.json");
    let mut input = max_input(&model, "UploadWidget");
    let Value::Structure { members, .. } = &mut input else {
        panic!("an input is a structure: {input}");
    };
    for (name, value) in members.iter_mut() {
        if name == "Body" {
            *value = Value::StreamingBlob(Vec::new());
        }
    }
    let request = client_request(&model, "UploadWidget", &input);
    assert!(request.body.data().is_empty(), "{request:#?}");
    let check = check(&model, "UploadWidget", &input, &request);
    assert_eq!(
        finding(&check, "UploadWidgetInput.Body"),
        &FindingKind::Excepted(ExceptionKind::EmptyValue)
    );
    assert_eq!(check.problems().count(), 0, "{:#?}", check.findings);
}

/// A restJson1 service named `sdk_id` whose `GetExport` binds `accepts` to `Accept`, as API
/// Gateway's does.
fn export_model(sdk_id: &str) -> Model {
    let json = format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "example#Gateway": {{"type": "service", "version": "1",
                "traits": {{"aws.protocols#restJson1": {{}},
                    "aws.api#service": {{"sdkId": "{sdk_id}"}}}},
                "operations": [{{"target": "example#GetExport"}}]}},
            "example#GetExport": {{"type": "operation",
                "traits": {{"smithy.api#http": {{"method": "GET", "uri": "/export"}}}},
                "input": {{"target": "example#GetExportRequest"}}}},
            "example#GetExportRequest": {{"type": "structure", "members": {{
                "accepts": {{"target": "smithy.api#String",
                    "traits": {{"smithy.api#httpHeader": "Accept"}}}}}}}}
        }}}}"#
    );
    Model::from_json(json.as_bytes(), std::path::Path::new("gateway.json")).unwrap()
}

#[test]
fn api_gateway_accept_overwritten_by_its_interceptor_is_a_client_customization() {
    let request = HttpRequest {
        method: "GET".to_owned(),
        uri: "https://service.example.com/export".to_owned(),
        headers: vec![header("accept", "application/json")],
        body: Body::Empty,
    };
    let gateway = export_model("API Gateway");
    let input = max_input(&gateway, "GetExport");
    let check_gateway = check(&gateway, "GetExport", &input, &request);
    assert_eq!(
        finding(&check_gateway, "GetExportRequest.accepts"),
        &FindingKind::Excepted(ExceptionKind::ClientCustomization)
    );
    // Another service's client has no such interceptor: the same request is a finding.
    let other = export_model("Other Gateway");
    let input = max_input(&other, "GetExport");
    let check_other = check(&other, "GetExport", &input, &request);
    assert!(matches!(
        finding(&check_other, "GetExportRequest.accepts"),
        FindingKind::Changed { .. }
    ));
}
