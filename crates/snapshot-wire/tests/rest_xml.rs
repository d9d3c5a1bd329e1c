//! restXml against `fixtures/wire/rest-xml.json` (names, namespaces, attributes, wrapped and
//! flattened lists and maps, payload roots, event streams, wrapped errors) and
//! `rest-xml-s3.json` (S3's request ids, unwrapped errors, unwrapped output, HEAD).

mod common;

use common::*;
use insta::assert_snapshot;
use snapshot_records::Body;
use snapshot_values::Value;

fn ns(name: &str) -> String {
    format!("example.restxml#{name}")
}

fn s3(name: &str) -> String {
    format!("example.s3like#{name}")
}

fn item(id_text: &str) -> Value {
    st(
        &ns("Item"),
        vec![
            ("Id", s(id_text)),
            ("Name", s("a & b <c>")),
            (
                "Owner",
                st(
                    &ns("Grantee"),
                    vec![("Type", en("CanonicalUser")), ("DisplayName", s("owner"))],
                ),
            ),
        ],
    )
}

fn catalog_max() -> Value {
    st(
        &ns("GetCatalogOutput"),
        vec![
            ("RequestCharge", s("requester")),
            ("Title", s("__Title__")),
            ("Renamed", s("renamed member")),
            ("Items", list(vec![item("i-1"), item("i-2")])),
            ("Labels", list(vec![s("l1"), s("l2")])),
            ("Flat", list(vec![s("f1"), s("f2")])),
            ("FlatRenamed", list(vec![s("e1"), s("e2")])),
            (
                "Scores",
                map(vec![
                    ("key1", Value::Integer(1)),
                    ("key2", Value::Integer(2)),
                ]),
            ),
            (
                "FlatScores",
                map(vec![("key1", s("v1")), ("key2", s("v2"))]),
            ),
            ("Namespaced", s("ns")),
            ("Created", ts()),
            ("CreatedEpoch", ts()),
            ("CreatedHttp", ts()),
            ("Data", blob()),
            ("Enabled", Value::Boolean(true)),
            ("Count", Value::Integer(-1)),
            ("Ratio", Value::Float(f32::NAN)),
            ("Precise", Value::Double(2.5)),
            ("Color", en("red")),
            (
                "Level",
                Value::IntEnum {
                    variant: None,
                    value: 7,
                },
            ),
            (
                "Choice",
                un(&ns("Choice"), "Items", list(vec![item("i-3")])),
            ),
            (
                "Matrix",
                list(vec![list(vec![s("a"), s("b")]), list(vec![s("c")])]),
            ),
        ],
    )
}

#[test]
fn output_document_follows_the_xml_binding_rules() {
    let model = fixture("rest-xml.json");
    let response = output(&model, "GetCatalog", &catalog_max());
    assert_eq!(header(&response, "content-type"), Some("application/xml"));
    assert_eq!(header(&response, "X-Charge"), Some("requester"));
    let body = body_text(&response);
    assert!(
        body.starts_with(r#"<CatalogResult xmlns="https://example.com/doc/2024-01-01/">"#),
        "root is the output's @xmlName with the service namespace: {body}"
    );
    assert!(body.contains(r#"<Item Id="i-1">"#), "{body}");
    assert!(
        body.contains(r#"<Owner xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">"#),
        "{body}"
    );
    assert!(body.contains("<Flat>f1</Flat><Flat>f2</Flat>"), "{body}");
    assert!(
        body.contains("<Entry>e1</Entry><Entry>e2</Entry>"),
        "{body}"
    );
    assert!(
        body.contains("<Scores><entry><Name>key1</Name><Score>1</Score></entry>"),
        "{body}"
    );
    assert!(
        body.contains("<FlatScores><key>key1</key><value>v1</value></FlatScores>"),
        "{body}"
    );
    assert!(
        body.contains("<Created>2000-01-01T04:59:59.999Z</Created>"),
        "{body}"
    );
    assert!(
        body.contains("<CreatedEpoch>946702799.999</CreatedEpoch>"),
        "{body}"
    );
    assert!(body.contains("<Ratio>NaN</Ratio>"), "{body}");
    assert!(body.contains("<Name>a &amp; b &lt;c&gt;</Name>"), "{body}");
    assert!(
        !body.contains("RequestCharge"),
        "header members stay out of the body"
    );
    assert_snapshot!("get_catalog_max", render(&response));
}

#[test]
fn payload_roots_prefer_the_member_name_then_the_target_name() {
    let model = fixture("rest-xml.json");
    let entry = output(
        &model,
        "GetCatalogEntry",
        &st(
            &ns("GetCatalogEntryOutput"),
            vec![
                (
                    "Entry",
                    st(
                        &ns("CatalogEntry"),
                        vec![("Name", s("e")), ("Size", Value::Long(3))],
                    ),
                ),
                ("ETag", s("tag")),
            ],
        ),
    );
    assert_eq!(
        body_text(&entry),
        r#"<EntryDocument xmlns="https://example.com/doc/2024-01-01/"><Name>e</Name><Size>3</Size></EntryDocument>"#
    );
    let summary = output(
        &model,
        "GetCatalogSummary",
        &st(
            &ns("GetCatalogSummaryOutput"),
            vec![(
                "Summary",
                st(&ns("Summary"), vec![("Total", Value::Integer(9))]),
            )],
        ),
    );
    assert_eq!(
        body_text(&summary),
        r#"<CatalogSummary xmlns="https://example.com/doc/2024-01-01/"><Total>9</Total></CatalogSummary>"#
    );
}

#[test]
fn xml_event_stream() {
    let model = fixture("rest-xml.json");
    let value = st(
        &ns("SelectCatalogOutput"),
        vec![(
            "Events",
            events(
                &ns("SelectStream"),
                vec![
                    (
                        "Records",
                        st(&ns("RecordsEvent"), vec![("Payload", blob())]),
                    ),
                    (
                        "Stats",
                        st(
                            &ns("StatsEvent"),
                            vec![(
                                "Details",
                                st(
                                    &ns("Stats"),
                                    vec![
                                        ("BytesScanned", Value::Long(10)),
                                        ("BytesReturned", Value::Long(4)),
                                    ],
                                ),
                            )],
                        ),
                    ),
                    ("End", st(&ns("EndEvent"), vec![])),
                ],
            ),
        )],
    );
    let response = output(&model, "SelectCatalog", &value);
    assert_snapshot!("select_catalog", render(&response));
}

#[test]
fn wrapped_errors() {
    let model = fixture("rest-xml.json");
    let not_found = error(
        &model,
        "GetCatalog",
        &ns("CatalogNotFound"),
        &st(
            &ns("CatalogNotFound"),
            vec![
                ("Message", s("no catalog")),
                ("Catalog", s("c-1")),
                ("Hint", s("check the id")),
            ],
        ),
    );
    assert_eq!(not_found.status, 404);
    assert_eq!(header(&not_found, "X-Catalog"), Some("c-1"));
    assert_eq!(
        body_text(&not_found),
        r#"<ErrorResponse xmlns="https://example.com/doc/2024-01-01/"><Error><Type>Sender</Type><Code>CatalogNotFound</Code><Message>no catalog</Message><Hint>check the id</Hint></Error><RequestId>snapshot-request-id</RequestId></ErrorResponse>"#
    );
    let busy = error(
        &model,
        "GetCatalog",
        &ns("CatalogBusy"),
        &st(&ns("CatalogBusy"), vec![]),
    );
    assert_eq!(busy.status, 503);
    let unmodeled = unmodeled_error(&model, "GetCatalog");
    let rendered = render_all(&[not_found, busy, unmodeled]);
    assert_snapshot!("wrapped_errors", rendered);
}

#[test]
fn s3_unwrapped_output_is_the_member_element() {
    let model = fixture("rest-xml-s3.json");
    let set = output(
        &model,
        "GetBucketLocation",
        &st(
            &s3("GetBucketLocationOutput"),
            vec![("LocationConstraint", en("EU"))],
        ),
    );
    assert_eq!(
        body_text(&set),
        r#"<LocationConstraint xmlns="http://s3.example.com/doc/2006-03-01/">EU</LocationConstraint>"#
    );
    assert_eq!(
        header(&set, "x-amz-request-id"),
        Some(snapshot_wire::REQUEST_ID)
    );
    assert_eq!(
        header(&set, "x-amz-id-2"),
        Some(snapshot_wire::EXTENDED_REQUEST_ID)
    );
    assert_eq!(header(&set, "x-amzn-requestid"), None);
    // us-east-1 buckets: S3 sends the element empty.
    let unset = output(
        &model,
        "GetBucketLocation",
        &st(&s3("GetBucketLocationOutput"), vec![]),
    );
    assert_eq!(
        body_text(&unset),
        r#"<LocationConstraint xmlns="http://s3.example.com/doc/2006-03-01/"></LocationConstraint>"#
    );
}

#[test]
fn s3_object_output_and_errors() {
    let model = fixture("rest-xml-s3.json");
    let object = output(
        &model,
        "GetObject",
        &st(
            &s3("ObjectOutput"),
            vec![
                ("Body", Value::StreamingBlob(vec![1, 0, 0, 1])),
                ("ContentLength", Value::Long(0)),
                ("ContentType", s("text/plain")),
                ("LastModified", ts()),
                ("RetainUntil", ts()),
                ("Metadata", map(vec![("key1", s("m1"))])),
            ],
        ),
    );
    assert_eq!(header(&object, "content-length"), Some("4"));
    assert_eq!(header(&object, "x-amz-meta-key1"), Some("m1"));
    assert_eq!(
        header(&object, "x-amz-object-lock-retain-until-date"),
        Some("2000-01-01T04:59:59.999Z")
    );
    let no_such_key = error(
        &model,
        "GetObject",
        &s3("NoSuchKey"),
        &st(&s3("NoSuchKey"), vec![]),
    );
    assert_eq!(no_such_key.status, 404);
    assert_eq!(
        body_text(&no_such_key),
        "<Error><Code>NoSuchKey</Code><Message>error message sent by cargo-snapshot</Message><RequestId>snapshot-request-id</RequestId><HostId>snapshot-extended-request-id</HostId></Error>"
    );
    let invalid_state = error(
        &model,
        "GetObject",
        &s3("InvalidObjectState"),
        &st(
            &s3("InvalidObjectState"),
            vec![
                ("StorageClass", s("GLACIER")),
                ("AccessTier", s("ARCHIVE_ACCESS")),
            ],
        ),
    );
    assert_eq!(invalid_state.status, 403);
    let head = output(
        &model,
        "HeadObject",
        &st(
            &s3("HeadObjectOutput"),
            vec![("ContentLength", Value::Long(1024)), ("ETag", s("\"e\""))],
        ),
    );
    assert_eq!(head.body, Body::Empty);
    assert_eq!(
        header(&head, "content-length"),
        Some("1024"),
        "HEAD describes the object without sending it"
    );
    let head_not_found = error(
        &model,
        "HeadObject",
        &s3("NotFound"),
        &st(&s3("NotFound"), vec![]),
    );
    assert_eq!(
        head_not_found.status, 404,
        "S3's NotFound has no @httpError, but S3 sends 404 and the client needs it"
    );
    assert_eq!(
        head_not_found.body,
        Body::Empty,
        "HEAD responses have no body"
    );
    let unmodeled = unmodeled_error(&model, "GetObject");
    let head_unmodeled = unmodeled_error(&model, "HeadObject");
    assert_eq!(head_unmodeled.body, Body::Empty);
    let rendered = render_all(&[
        object,
        no_such_key,
        invalid_state,
        head_not_found,
        unmodeled,
    ]);
    assert_snapshot!("s3_object", rendered);
}

#[test]
fn s3_list_objects_flattens_contents() {
    let model = fixture("rest-xml-s3.json");
    let object = |key: &str| {
        st(
            &s3("Object"),
            vec![
                ("Key", s(key)),
                ("Size", Value::Long(1)),
                ("LastModified", ts()),
            ],
        )
    };
    let response = output(
        &model,
        "ListObjects",
        &st(
            &s3("ListObjectsOutput"),
            vec![
                ("Name", s("bucket")),
                ("IsTruncated", Value::Boolean(false)),
                ("Contents", list(vec![object("a"), object("b")])),
            ],
        ),
    );
    let body = body_text(&response);
    assert!(body.starts_with("<ListBucketResult "), "{body}");
    assert!(body.contains("</Contents><Contents>"), "flattened: {body}");
    assert_snapshot!("s3_list_objects", render(&response));
}
