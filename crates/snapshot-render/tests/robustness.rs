//! Properties: rendering never panics on arbitrary input, is a pure function of its input,
//! and the parsers preserve what they parse.

mod common;

use std::collections::BTreeMap;

use common::*;
use proptest::prelude::*;
use snapshot_records::{Body, Frame, HttpRequest, HttpResponse, Outcome};
use snapshot_render::{
    debug_tree, normalize_debug, render_http_request, render_http_response, render_outcome,
    Placeholders,
};

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/x-amz-json-1.1"),
    Some("application/xml"),
    Some("text/xml"),
    Some("application/x-www-form-urlencoded"),
    Some("application/cbor"),
    Some("application/vnd.amazon.eventstream"),
    Some("application/octet-stream"),
    Some("text/plain; charset=utf-8"),
];

fn body_strategy() -> impl Strategy<Value = Body> {
    prop_oneof![
        Just(Body::Empty),
        proptest::collection::vec(any::<u8>(), 0..400).prop_map(|data| Body::Bytes { data }),
        proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..80).prop_map(|data| Frame::Data { data }),
                "[a-z-]{1,12}".prop_map(|name| Frame::Trailers {
                    headers: vec![(name, "v".into())],
                }),
            ],
            0..5
        )
        .prop_map(|frames| Body::Streamed { frames }),
    ]
}

/// Valid bodies of every structured format, so that mutations reach deep into the decoders.
fn valid_bodies() -> Vec<Vec<u8>> {
    let inner = message(
        &[
            (":message-type", string("event")),
            (":event-type", string("E")),
            (":content-type", string("application/json")),
        ],
        br#"{"a":[1,{"b":null}]}"#,
    );
    let mut event_stream = signed_envelope(&RUN_A, Some(&inner), 1);
    event_stream.extend(signed_envelope(&RUN_A, None, 2));
    vec![
        event_stream,
        // {_ "a": [1, h'01'], "b": {"c": 1(1.5)}}
        vec![
            0xbf, 0x61, b'a', 0x82, 0x01, 0x41, 0x01, 0x61, b'b', 0xa1, 0x61, b'c', 0xc1, 0xf9,
            0x3e, 0x00, 0xff,
        ],
        b"4;chunk-signature=ab\r\n\x01\x00\x00\x01\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
            .to_vec(),
        br#"<a x="1"><entry><key>k</key><value>v</value></entry><b/>t&amp;</a>"#.to_vec(),
        br#"{"k":[1,2.5e-3,"\u00e9",{"z":true}]}"#.to_vec(),
        b"A=1&M.entry.1.key=k&M.entry.1.value=v&F.1.key=a&F.1.value=b".to_vec(),
    ]
}

fn request_with(content_type: Option<&str>, chunked: bool, body: Body) -> HttpRequest {
    let mut headers = Vec::new();
    if let Some(content_type) = content_type {
        headers.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    if chunked {
        headers.push(("content-encoding".to_owned(), "aws-chunked".to_owned()));
    }
    request("POST", "https://example.com/p?b=2&a=1&a=0", headers, body)
}

fn render_both(request: &HttpRequest) -> (String, String) {
    let response = HttpResponse {
        status: 200,
        headers: request.headers.clone(),
        body: request.body.clone(),
    };
    (
        render_http_request(request, &mut Placeholders::new()),
        render_http_response(&response, &mut Placeholders::new()),
    )
}

/// Only ever printed with `Debug`.
#[allow(dead_code)]
#[derive(Debug, Clone)]
enum Tree {
    Unit,
    Int(i64),
    Float(f64),
    Text(String),
    Letter(char),
    Flag(bool),
    List(Vec<Tree>),
    Map(BTreeMap<String, Tree>),
    Opt(Option<Box<Tree>>),
    Pair(Box<Tree>, Box<Tree>),
    Record {
        name: String,
        child: Box<Tree>,
        bytes: Vec<u8>,
    },
}

fn tree_strategy() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Unit),
        any::<i64>().prop_map(Tree::Int),
        any::<f64>().prop_map(Tree::Float),
        any::<String>().prop_map(Tree::Text),
        any::<char>().prop_map(Tree::Letter),
        any::<bool>().prop_map(Tree::Flag),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Tree::List),
            proptest::collection::btree_map(any::<String>(), inner.clone(), 0..4)
                .prop_map(Tree::Map),
            proptest::option::of(inner.clone().prop_map(Box::new)).prop_map(Tree::Opt),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::Pair(Box::new(a), Box::new(b))),
            (
                any::<String>(),
                inner,
                proptest::collection::vec(any::<u8>(), 0..4)
            )
                .prop_map(|(name, child, bytes)| Tree::Record {
                    name,
                    child: Box::new(child),
                    bytes,
                }),
        ]
    })
}

fn json_strategy() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e300f64..1e300).prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bodies_never_panic_and_render_deterministically(
        content_type in proptest::sample::select(CONTENT_TYPES),
        chunked in any::<bool>(),
        body in body_strategy(),
    ) {
        let request = request_with(content_type, chunked, body);
        let first = render_both(&request);
        prop_assert_eq!(render_both(&request), first);
    }

    #[test]
    fn mutated_valid_bodies_never_panic(
        which in 0usize..6,
        content_type in proptest::sample::select(CONTENT_TYPES),
        chunked in any::<bool>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut data = valid_bodies().swap_remove(which);
        for (index, byte) in edits {
            let at = index.index(data.len());
            data[at] = byte;
        }
        if truncate {
            data.truncate(cut.index(data.len() + 1));
        }
        render_both(&request_with(content_type, chunked, Body::Bytes { data }));
    }

    #[test]
    fn arbitrary_debug_text_never_panics(text in any::<String>(), noise in "[\\[\\]{}(),:\" a-zA-Z0-9_\n.]{0,200}") {
        normalize_debug(&text);
        normalize_debug(&noise);
        let _ = debug_tree(&noise);
        render_outcome(&Outcome::ServiceError {
            debug: noise.clone(),
            code: Some(text.clone()),
            message: None,
            request_id: None,
            retryable: None,
            cause: None,
        }, &mut Placeholders::new());
    }

    #[test]
    fn derived_debug_output_round_trips(tree in tree_strategy()) {
        let pretty = format!("{tree:#?}");
        let parsed = debug_tree(&pretty).map_err(|error| TestCaseError::fail(format!("{error}\n{pretty}")))?;
        prop_assert_eq!(parsed.render(), pretty.clone());
        // BTreeMaps are already sorted, so normalizing changes nothing.
        prop_assert_eq!(normalize_debug(&pretty), pretty.clone());
        // The compact form parses to the same tree.
        prop_assert_eq!(debug_tree(&format!("{tree:?}")).unwrap(), parsed);
    }

    #[test]
    fn json_bodies_keep_their_meaning(value in json_strategy()) {
        let sent = serde_json::to_vec(&value).unwrap();
        // Parsed by the same parser as the rendering (serde_json's float parsing is not
        // exact, but it is the same for the same number text).
        let expected: serde_json::Value = serde_json::from_slice(&sent).unwrap();
        let request = request_with(Some("application/json"), false, Body::Bytes { data: sent });
        let rendered = render_http_request(&request, &mut Placeholders::new());
        let body = rendered.split_once("\n[json]\n").map(|(_, body)| body).ok_or_else(|| TestCaseError::fail(rendered.clone()))?;
        let back: serde_json::Value = serde_json::from_str(body).unwrap();
        prop_assert_eq!(back, expected);
    }
}

#[test]
fn deep_nesting_renders_or_is_refused_without_overflowing_the_stack() {
    for depth in [200, 255, 300, 5000] {
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let cbor = [vec![0x81; depth], vec![0x00]].concat();
        let debug = format!("{}0{}", "Some(".repeat(depth), ")".repeat(depth));
        for (content_type, data) in [
            ("application/json", json.into_bytes()),
            ("application/xml", xml.into_bytes()),
            ("application/cbor", cbor),
        ] {
            render_both(&request_with(
                Some(content_type),
                false,
                Body::Bytes { data },
            ));
        }
        let normalized = normalize_debug(&debug);
        assert_eq!(
            normalized.starts_with("[not normalized"),
            depth > 256,
            "{depth}"
        );
    }
}
