//! The snapshot of one live case: a JSON tree of the request line, the response (status,
//! chosen headers, body decoded by content type) and what the client made of it, with the
//! volatile values replaced by `snapshot-normalize` placeholders ([`transformers`]).

use std::collections::BTreeSet;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use snapshot_normalize::{
    aws, CapturedBody, CapturedResponse, Replacement, Transformer, Transformers,
};
use snapshot_records::{CaseRecord, Outcome};
use snapshot_render::{debug_tree, DebugValue};

use super::LiveEndpoint;

/// Response headers kept in live snapshots: the content type, the request ids (replaced by
/// placeholders) and the headers that carry error codes. Others (dates, lengths, checksums of
/// bodies that hold volatile values) would only add noise.
pub const LIVE_HEADERS: &[&str] = &[
    "content-type",
    "x-amz-id-2",
    "x-amz-request-id",
    "x-amzn-errortype",
    "x-amzn-query-error",
    "x-amzn-requestid",
];

/// Placeholder of the endpoint's `host:port` wherever it appears.
pub const ENDPOINT_PLACEHOLDER: &str = "<endpoint>";

/// Generated maps have the keys `key1`, `key2` and `key3` (SPEC §4), and clients send map
/// entries in hash order, which changes from run to run; an endpoint that reports the first
/// bad entry (SQS `SendMessage`: "The message attribute 'key2' has an invalid ...") therefore
/// names any of them. Mentions in strings become `key<n>`; member names (maps echoed back)
/// are not strings and keep their keys.
pub const MAP_KEY_PATTERN: &str = r"\bkey[123]\b";

/// The transformers of a live snapshot: the common AWS set, the service's own set where
/// `snapshot-normalize` has one, S3-style `HostId`s in error bodies, the endpoint's `host:port`,
/// and generated map keys in messages ([`MAP_KEY_PATTERN`]).
pub fn transformers(endpoint: &LiveEndpoint, crate_name: &str) -> Transformers {
    let mut set = Transformers::new();
    match crate_name.strip_prefix("aws-sdk-").unwrap_or(crate_name) {
        "sqs" => set.extend(aws::sqs()),
        "dynamodb" => set.extend(aws::dynamodb()),
        "s3" => set.extend(aws::s3()),
        "sts" => set.extend(aws::sts()),
        _ => {}
    }
    set.extend(aws::common());
    // S3 and S3 Control errors repeat the `x-amz-id-2` header in the body.
    set.push(Transformer::key(
        "HostId",
        Replacement::reference("host-id"),
    ));
    set.push(Transformer::value(
        endpoint.authority(),
        Replacement::named(ENDPOINT_PLACEHOLDER),
    ));
    // A constant pattern, covered by the tests.
    if let Ok(map_keys) = Transformer::regex(MAP_KEY_PATTERN, Replacement::fixed("key<n>")) {
        set.push(map_keys);
    }
    set
}

/// The snapshot tree of one live case, before transformers.
pub fn live_tree(record: &CaseRecord) -> Value {
    let mut tree = Map::new();
    if let Some(request) = &record.request {
        tree.insert(
            "request".to_owned(),
            Value::String(format!(
                "{} {}",
                request.method,
                path_and_query(&request.uri)
            )),
        );
    }
    if let Some(response) = &record.response {
        let data = response.body.data();
        let captured = CapturedResponse {
            operation: None,
            status: response.status,
            headers: response
                .headers
                .iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
                .collect(),
            body: if data.is_empty() {
                CapturedBody::Empty
            } else {
                CapturedBody::Bytes(data)
            },
        };
        let chosen: BTreeSet<String> = LIVE_HEADERS.iter().map(|name| (*name).to_owned()).collect();
        tree.insert("response".to_owned(), captured.to_tree(&chosen));
    }
    tree.insert("outcome".to_owned(), outcome_tree(&record.outcome));
    Value::Object(tree)
}

/// Pretty JSON with the sections in reading order: request, response (status, headers, body),
/// outcome (type and members, or code and message). Everything below those stays sorted by
/// name, as the transformers walked it.
pub fn pretty(tree: &Value) -> String {
    let ordered = Ordered {
        value: tree,
        level: Level::Root,
    };
    // Serializing a tree of strings, numbers and maps cannot fail.
    serde_json::to_string_pretty(&ordered).unwrap_or_else(|_| tree.to_string())
}

pub(super) const READING_ORDER: &[&str] = &[
    "request",
    "response",
    "outcome",
    "status",
    "headers",
    "body",
    "type",
    "members",
    "events",
    "stream_error",
    "code",
    "message",
    "kind",
    "display",
];

/// Where an object sits in a live tree: only the sections are put in reading order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    Response,
    Outcome,
    OutcomeDetail,
    Plain,
}

struct Ordered<'a> {
    value: &'a Value,
    level: Level,
}

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Value::Object(members) = self.value else {
            return self.value.serialize(serializer);
        };
        if self.level == Level::Plain {
            return self.value.serialize(serializer);
        }
        let rank = |key: &str| {
            READING_ORDER
                .iter()
                .position(|known| *known == key)
                .unwrap_or(READING_ORDER.len())
        };
        let mut keys: Vec<&String> = members.keys().collect();
        keys.sort_by_key(|key| (rank(key), key.as_str()));
        let mut map = serializer.serialize_map(Some(members.len()))?;
        for key in keys {
            let level = match (self.level, key.as_str()) {
                (Level::Root, "response") => Level::Response,
                (Level::Root, "outcome") => Level::Outcome,
                (Level::Outcome, _) => Level::OutcomeDetail,
                _ => Level::Plain,
            };
            map.serialize_entry(
                key,
                &Ordered {
                    value: &members[key.as_str()],
                    level,
                },
            )?;
        }
        map.end()
    }
}

fn path_and_query(uri: &str) -> String {
    match uri.parse::<http::Uri>() {
        Ok(uri) => uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |path| path.as_str().to_owned()),
        Err(_) => uri.to_owned(),
    }
}

/// What the client made of the response, in summary: the output type and the members it
/// set (values are in the response body already, and the output's `Debug` holds values no
/// transformer sees, such as split date-times), or the error's code and message.
fn outcome_tree(outcome: &Outcome) -> Value {
    let mut tree = Map::new();
    match outcome {
        Outcome::Output {
            debug,
            events,
            stream_error,
        } => {
            let mut output = Map::new();
            match debug_tree(debug) {
                Ok(DebugValue::Struct { name, fields, .. }) => {
                    output.insert("type".to_owned(), Value::String(name));
                    output.insert(
                        "members".to_owned(),
                        Value::Array(
                            fields
                                .iter()
                                .filter(|(_, value)| !value.is_none())
                                .map(|(field, _)| Value::String(field.clone()))
                                .collect(),
                        ),
                    );
                }
                _ => {
                    let first = debug.lines().next().unwrap_or_default();
                    output.insert(
                        "type".to_owned(),
                        Value::String(first.trim_end_matches(['{', ' ']).to_owned()),
                    );
                }
            }
            if !events.is_empty() {
                output.insert("events".to_owned(), Value::from(events.len()));
            }
            if let Some(error) = stream_error {
                output.insert(
                    "stream_error".to_owned(),
                    Value::String(error.lines().next().unwrap_or_default().to_owned()),
                );
            }
            tree.insert("output".to_owned(), Value::Object(output));
        }
        Outcome::ServiceError { code, message, .. } => {
            let mut error = Map::new();
            error.insert(
                "code".to_owned(),
                code.clone().map_or(Value::Null, Value::String),
            );
            error.insert(
                "message".to_owned(),
                message.clone().map_or(Value::Null, Value::String),
            );
            tree.insert("error".to_owned(), Value::Object(error));
        }
        Outcome::ClientError { kind, display } => {
            let mut error = Map::new();
            error.insert("kind".to_owned(), Value::String(kind.clone()));
            error.insert(
                "display".to_owned(),
                Value::Array(
                    display
                        .lines()
                        .map(|line| Value::String(line.to_owned()))
                        .collect(),
                ),
            );
            tree.insert("client_error".to_owned(), Value::Object(error));
        }
        Outcome::Panicked { message } => {
            tree.insert("panicked".to_owned(), Value::String(message.clone()));
        }
        Outcome::TimedOut { millis } => {
            tree.insert("timed_out_millis".to_owned(), Value::from(*millis));
        }
    }
    Value::Object(tree)
}

#[cfg(test)]
mod tests {
    use snapshot_normalize::Placeholders;
    use snapshot_records::{Body, HttpResponse};

    use super::super::test_record as record;
    use super::*;

    #[test]
    fn a_live_answer_becomes_a_tree_without_volatile_values() {
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:50123").unwrap();
        let body = br#"{"QueueUrl":"http://127.0.0.1:50123/123456789012/__QueueName__"}"#;
        let record = record(
            Outcome::Output {
                debug: "CreateQueueOutput {\n    queue_url: Some(\n        \"http://127.0.0.1:50123/123456789012/__QueueName__\",\n    ),\n    _request_id: Some(\n        \"0b5d6e7c-1f2a-4b3c-8d9e-0f1a2b3c4d5e\",\n    ),\n    other: None,\n}".into(),
                events: Vec::new(),
                stream_error: None,
            },
            Some(HttpResponse {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), "application/x-amz-json-1.0".into()),
                    ("x-amzn-RequestId".into(), "0b5d6e7c-1f2a-4b3c-8d9e-0f1a2b3c4d5e".into()),
                    ("date".into(), "Wed, 01 Jan 2026 00:00:00 GMT".into()),
                ],
                body: Body::Bytes {
                    data: body.to_vec(),
                },
            }),
        );
        let mut tree = live_tree(&record);
        transformers(&endpoint, "aws-sdk-sqs").apply(&mut tree, &mut Placeholders::new());
        assert_eq!(
            tree,
            serde_json::json!({
                "request": "POST /",
                "response": {
                    "status": 200,
                    "headers": {
                        "content-type": "application/x-amz-json-1.0",
                        "x-amzn-requestid": "<request-id:1>",
                    },
                    "body": {"QueueUrl": "<queue-url:1>"},
                },
                "outcome": {"output": {"type": "CreateQueueOutput", "members": ["queue_url", "_request_id"]}},
            })
        );
    }

    #[test]
    fn s3_error_bodies_lose_their_host_ids() {
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:50123").unwrap();
        let mut tree = serde_json::json!({
            "response": {
                "headers": {"x-amz-id-2": "9Gjjt1m+cjU4OPvX9O9/8Ruvn"},
                "body": {"Error": {"Code": "NoSuchBucket", "HostId": "9Gjjt1m+cjU4OPvX9O9/8Ruvn"}},
            },
        });
        transformers(&endpoint, "aws-sdk-s3").apply(&mut tree, &mut Placeholders::new());
        assert_eq!(tree["response"]["body"]["Error"]["HostId"], "<host-id:1>");
        assert_eq!(tree["response"]["headers"]["x-amz-id-2"], "<host-id:1>");
    }

    #[test]
    fn sections_are_written_in_reading_order() {
        let tree = serde_json::json!({
            "outcome": {"error": {"message": "m", "code": "C"}},
            "response": {"status": 400, "body": {"message": "m", "code": "C"}, "headers": {}},
            "request": "POST /",
        });
        assert_eq!(
            pretty(&tree),
            r#"{
  "request": "POST /",
  "response": {
    "status": 400,
    "headers": {},
    "body": {
      "code": "C",
      "message": "m"
    }
  },
  "outcome": {
    "error": {
      "code": "C",
      "message": "m"
    }
  }
}"#
        );
    }

    #[test]
    fn errors_keep_code_and_message_with_the_endpoint_replaced() {
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:50123").unwrap();
        let record = record(
            Outcome::ServiceError {
                debug: String::new(),
                code: Some("QueueDoesNotExist".into()),
                message: Some("no queue at http://127.0.0.1:50123/q (attribute 'key3')".into()),
                request_id: None,
                retryable: None,
                cause: None,
            },
            None,
        );
        let mut tree = live_tree(&record);
        transformers(&endpoint, "aws-sdk-sqs").apply(&mut tree, &mut Placeholders::new());
        assert_eq!(
            tree["outcome"],
            serde_json::json!({"error": {"code": "QueueDoesNotExist", "message": "no queue at http://<endpoint>/q (attribute 'key<n>')"}})
        );
    }
}
