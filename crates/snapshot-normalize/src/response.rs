//! A wire response as a snapshot tree: status, chosen headers and the body decoded by content
//! type, whichever protocol produced it. Live runs build it from a harness record, parity
//! tests from what their recorder interceptor captured.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::decode::decode_body;

/// The service and operation a response belongs to, as the client names them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OperationRef {
    /// The service (the SDK's service id, e.g. `SQS`, `DynamoDB`, `S3`, `STS`).
    pub service: String,
    /// The operation, e.g. `CreateQueue`.
    pub operation: String,
}

/// The body of a captured response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapturedBody {
    /// No bytes.
    Empty,
    /// The whole body (non-streaming operations, and every error response).
    Bytes(Vec<u8>),
    /// A streaming body handed to the caller unread (e.g. S3 `GetObject`): the tree shows
    /// `"<streaming>"`, and the caller snapshots the content it reads.
    Streaming,
}

/// One response as it came off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedResponse {
    /// The operation that received it, when the client recorded one.
    pub operation: Option<OperationRef>,
    /// The HTTP status code.
    pub status: u16,
    /// All headers, names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: CapturedBody,
}

impl CapturedResponse {
    /// The response as a snapshot tree: `{"status": 200, "headers": {...}, "body": ...}` with
    /// only the `chosen` headers (lower-case names; repeated headers joined by `, `) and the
    /// body decoded by content type (`body` is absent when empty, `"<streaming>"` when
    /// streamed to the caller).
    pub fn to_tree(&self, chosen: &BTreeSet<String>) -> Value {
        let mut tree = Map::new();
        tree.insert("status".to_owned(), Value::from(self.status));
        let mut headers = Map::new();
        for name in chosen {
            let values: Vec<&str> = self
                .headers
                .iter()
                .filter(|(have, _)| have == name)
                .map(|(_, value)| value.as_str())
                .collect();
            if !values.is_empty() {
                headers.insert(name.clone(), Value::String(values.join(", ")));
            }
        }
        tree.insert("headers".to_owned(), Value::Object(headers));
        match &self.body {
            CapturedBody::Empty => {}
            CapturedBody::Streaming => {
                tree.insert("body".to_owned(), Value::String("<streaming>".to_owned()));
            }
            CapturedBody::Bytes(bytes) => {
                if let Some(body) = decode_body(self.header("content-type"), bytes) {
                    tree.insert("body".to_owned(), body);
                }
            }
        }
        Value::Object(tree)
    }

    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(have, _)| have == name)
            .map(|(_, value)| value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tree_keeps_chosen_headers_and_decodes_the_body() {
        let response = CapturedResponse {
            operation: None,
            status: 400,
            headers: vec![
                ("content-type".into(), "text/xml".into()),
                ("date".into(), "Wed, 01 Jan 2026 00:00:00 GMT".into()),
                ("x-amzn-requestid".into(), "r1".into()),
                ("x-amzn-requestid".into(), "r2".into()),
            ],
            body: CapturedBody::Bytes(b"<Error><Code>Nope</Code></Error>".to_vec()),
        };
        let chosen = ["content-type", "x-amzn-requestid"]
            .iter()
            .map(|h| h.to_string())
            .collect();
        assert_eq!(
            response.to_tree(&chosen),
            json!({
                "status": 400,
                "headers": {"content-type": "text/xml", "x-amzn-requestid": "r1, r2"},
                "body": {"Error": {"Code": "Nope"}},
            })
        );
        let streamed = CapturedResponse {
            body: CapturedBody::Streaming,
            ..response
        };
        assert_eq!(
            streamed.to_tree(&BTreeSet::new())["body"],
            json!("<streaming>")
        );
    }
}
