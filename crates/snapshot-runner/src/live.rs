//! Live runs: `write|compare --endpoint URL`.
//!
//! Each operation's generated request is sent to a live endpoint (an emulator, another
//! implementation, another version) instead of getting a replayed response, and what the
//! endpoint really answered is stored as `snapshots/<crate>/live/<Operation>.snap`: the
//! request line, the response (status, chosen headers, body decoded by content type) and a
//! summary of what the client made of it, as one JSON tree with the volatile values (request
//! ids, UUIDs, account ids, dates, the endpoint's host and port, service-specific ids) replaced
//! by `snapshot-parity` placeholders. Recording against one endpoint and comparing against
//! another then gives a per-operation table of matches and differences ([`LiveRun`]).
//!
//! Live snapshots have their own store kind ([`Kind::Live`]): a live run never covers, and so
//! never deletes or reports, the replay snapshots, and a replay run never touches live ones.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use snapshot_parity::recorder::{CapturedBody, CapturedResponse};
use snapshot_parity::{aws, Placeholders, Replacement, Transformer, Transformers};
use snapshot_records::{CaseRecord, LiveCredentials, LiveTarget, Outcome, PlannedCase};
use snapshot_render::{debug_tree, DebugValue};
use snapshot_store::{CompareReport, Kind, Scope, Snapshot, SnapshotKey};

use crate::report::ServiceReport;
use crate::ServiceTarget;

/// File name of the saved report of the last live run, next to the replay one (so a live run
/// does not replace what `cargo snapshot coverage` reads).
pub const LIVE_REPORT_FILE: &str = "last-live-run.json";

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

/// The endpoint of a live run, parsed from `--endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEndpoint {
    url: String,
    authority: String,
    /// Which credentials sign the requests.
    pub credentials: LiveCredentials,
}

/// Why an `--endpoint` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Not a URL at all.
    #[error("`{url}` is not a URL ({reason}); expected e.g. http://127.0.0.1:5000")]
    NotAUrl {
        /// The value given.
        url: String,
        /// What the parser said.
        reason: String,
    },
    /// `https://`, which the forwarding client does not speak.
    #[error("`{url}`: https endpoints are not supported yet, the harness forwards over plain HTTP/1.1; use the endpoint's http:// address (emulators such as moto and LocalStack serve both)")]
    Https {
        /// The value given.
        url: String,
    },
    /// Another scheme, or none.
    #[error("`{url}` must start with http://, e.g. http://127.0.0.1:5000")]
    Scheme {
        /// The value given.
        url: String,
    },
    /// A query string or fragment, which clients cannot append paths to.
    #[error("`{url}` must not have a query string or fragment")]
    Query {
        /// The value given.
        url: String,
    },
}

impl LiveEndpoint {
    /// Parses an `http://host[:port][/path]` URL; signs with the mock credentials.
    pub fn parse(text: &str) -> Result<Self, EndpointError> {
        let url = text.trim().trim_end_matches('/').to_owned();
        if url.contains(['?', '#']) {
            return Err(EndpointError::Query { url });
        }
        let uri: http::Uri =
            url.parse()
                .map_err(|error: http::uri::InvalidUri| EndpointError::NotAUrl {
                    url: url.clone(),
                    reason: error.to_string(),
                })?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => return Err(EndpointError::Https { url }),
            _ => return Err(EndpointError::Scheme { url }),
        }
        let Some(authority) = uri
            .authority()
            .map(|authority| authority.as_str().to_owned())
        else {
            return Err(EndpointError::NotAUrl {
                url,
                reason: "it names no host".to_owned(),
            });
        };
        Ok(LiveEndpoint {
            url,
            authority,
            credentials: LiveCredentials::Mock,
        })
    }

    /// Signs with static keys from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (and
    /// `AWS_SESSION_TOKEN`) when both keys are set in this process's environment.
    pub fn with_credentials_from_env(mut self) -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
            self.credentials = LiveCredentials::Environment;
        }
        self
    }

    /// The URL clients are configured with (no trailing `/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `host[:port]`.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    pub(crate) fn target(&self) -> LiveTarget {
        LiveTarget {
            url: self.url.clone(),
            credentials: self.credentials,
        }
    }
}

impl FromStr for LiveEndpoint {
    type Err = EndpointError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        LiveEndpoint::parse(text)
    }
}

impl fmt::Display for LiveEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// A live run: what each operation's request got from the endpoint and, for `compare`, how
/// that compares with the recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveRun {
    /// The endpoint URL.
    pub endpoint: String,
    /// Which credentials signed.
    pub credentials: LiveCredentials,
    /// One entry per service, in run order.
    pub services: Vec<LiveService>,
}

/// The operations of one service in a live run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveService {
    /// Short name (`sqs`).
    pub name: String,
    /// Client crate (`aws-sdk-sqs`).
    pub crate_name: String,
    /// One row per operation, by name.
    pub operations: Vec<LiveOperation>,
}

/// One operation of a live run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveOperation {
    /// The operation name.
    pub name: String,
    /// What the endpoint answered, in short: `200 output`, `400 QueueDoesNotExist`,
    /// `DispatchFailure` (no response), or why the operation was left out.
    pub answer: String,
    /// How it compares.
    pub result: LiveResult,
}

/// How one operation's live answer compares with the recorded one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum LiveResult {
    /// `write`: recorded.
    Recorded,
    /// Same as recorded.
    Match,
    /// Different from the recorded answer; the new one waits for `cargo insta review`.
    Differs {
        /// The first differing JSON path, e.g. `$.response.body.QueueUrl`.
        path: String,
        /// How many paths differ.
        differences: usize,
    },
    /// Nothing recorded for this operation.
    New,
    /// Recorded, but this run produced no answer for it.
    Missing,
    /// Left out of this run (the reason is the answer).
    Excluded,
}

impl LiveResult {
    /// A short label for tables.
    pub fn label(&self) -> String {
        match self {
            LiveResult::Recorded => "recorded".to_owned(),
            LiveResult::Match => "match".to_owned(),
            LiveResult::Differs { path, differences } => match differences {
                1 => format!("differs at {path}"),
                n => format!("differs at {path} (+{} more)", n - 1),
            },
            LiveResult::New => "new".to_owned(),
            LiveResult::Missing => "missing".to_owned(),
            LiveResult::Excluded => "excluded".to_owned(),
        }
    }
}

/// Tallies of a live run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LiveCounts {
    /// Operations listed.
    pub operations: usize,
    /// Recorded (`write`).
    pub recorded: usize,
    /// Same as recorded.
    pub matched: usize,
    /// Different from recorded.
    pub differs: usize,
    /// Not recorded before.
    pub new: usize,
    /// Recorded, not produced now.
    pub missing: usize,
    /// Left out.
    pub excluded: usize,
}

impl LiveCounts {
    fn add(&mut self, result: &LiveResult) {
        self.operations += 1;
        match result {
            LiveResult::Recorded => self.recorded += 1,
            LiveResult::Match => self.matched += 1,
            LiveResult::Differs { .. } => self.differs += 1,
            LiveResult::New => self.new += 1,
            LiveResult::Missing => self.missing += 1,
            LiveResult::Excluded => self.excluded += 1,
        }
    }
}

impl fmt::Display for LiveCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} operations", self.operations)?;
        let parts = [
            (self.recorded, "recorded"),
            (self.matched, "match"),
            (self.differs, "differ"),
            (self.new, "new"),
            (self.missing, "missing"),
            (self.excluded, "excluded"),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, label)| format!("{count} {label}"))
            .collect();
        if !shown.is_empty() {
            write!(f, ": {}", shown.join(", "))?;
        }
        Ok(())
    }
}

impl LiveService {
    /// Tallies of this service.
    pub fn counts(&self) -> LiveCounts {
        let mut counts = LiveCounts::default();
        for operation in &self.operations {
            counts.add(&operation.result);
        }
        counts
    }
}

impl LiveRun {
    /// Tallies over every service.
    pub fn counts(&self) -> LiveCounts {
        let mut counts = LiveCounts::default();
        for operation in self.services.iter().flat_map(|service| &service.operations) {
            counts.add(&operation.result);
        }
        counts
    }

    /// Whether every operation matched (for `compare`; excluded operations do not count).
    pub fn all_match(&self) -> bool {
        self.services
            .iter()
            .flat_map(|service| &service.operations)
            .all(|operation| {
                matches!(
                    operation.result,
                    LiveResult::Match | LiveResult::Recorded | LiveResult::Excluded
                )
            })
    }

    /// The per-operation table, a line per service with its tallies, and the totals.
    pub fn render_table(&self) -> String {
        let credentials = match self.credentials {
            LiveCredentials::Mock => "mock credentials",
            LiveCredentials::Environment => "credentials from AWS_ACCESS_KEY_ID",
        };
        let mut out = format!("live endpoint {} ({credentials})\n", self.endpoint);
        let header = ["SERVICE", "OPERATION", "ANSWER", "RESULT"];
        let rows: Vec<[String; 4]> = self
            .services
            .iter()
            .flat_map(|service| {
                service.operations.iter().map(|operation| {
                    [
                        service.name.clone(),
                        operation.name.clone(),
                        operation.answer.clone(),
                        operation.result.label(),
                    ]
                })
            })
            .collect();
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: [&str; 4]| {
            let mut text = String::new();
            for (index, cell) in cells.iter().enumerate() {
                if index == cells.len() - 1 {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<width$}  ", width = widths[index]));
                }
            }
            text.trim_end().to_owned() + "\n"
        };
        out.push_str(&line(header));
        for row in &rows {
            out.push_str(&line([&row[0], &row[1], &row[2], &row[3]]));
        }
        for service in &self.services {
            out.push_str(&format!(
                "{} ({}): {}\n",
                service.name,
                service.crate_name,
                service.counts()
            ));
        }
        out.push_str(&format!("live total: {}\n", self.counts()));
        out
    }
}

/// Only the request cases, without responses: a live run sends each operation's generated
/// input once and records what comes back.
pub(crate) fn request_cases(cases: Vec<PlannedCase>) -> Vec<PlannedCase> {
    cases
        .into_iter()
        .filter(|case| case.case == snapshot_records::Case::Request)
        .map(|case| PlannedCase {
            response: None,
            ..case
        })
        .collect()
}

/// Generated maps have the keys `key1`, `key2` and `key3` (SPEC §4), and clients send map
/// entries in hash order, which changes from run to run; an endpoint that reports the first
/// bad entry (SQS `SendMessage`: "The message attribute 'key2' has an invalid ...") therefore
/// names any of them. Mentions in strings become `key<n>`; member names (maps echoed back)
/// are not strings and keep their keys.
pub const MAP_KEY_PATTERN: &str = r"\bkey[123]\b";

/// The transformers of a live snapshot: the common AWS set, the service's own set where
/// `snapshot-parity` has one, S3-style `HostId`s in error bodies, the endpoint's `host:port`,
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

/// The live snapshots of one service and its rows (results are filled in by [`finish`]).
pub(crate) fn compose_service(
    endpoint: &LiveEndpoint,
    target: &ServiceTarget,
    operations: &[String],
    records: &[CaseRecord],
    report: &ServiceReport,
) -> (Vec<Snapshot>, LiveService) {
    let crate_name = target.client.package.clone();
    let source = format!(
        "cargo-snapshot: {}",
        target
            .model
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let transformers = transformers(endpoint, &crate_name);
    let mut snapshots = Vec::new();
    let mut rows = BTreeMap::new();
    // Operations left out before running (config skips, values, codegen, compile errors).
    for exclusion in report
        .exclusions
        .iter()
        .filter(|exclusion| exclusion.scope == "operation")
    {
        rows.insert(
            exclusion.subject.clone(),
            excluded(&exclusion.subject, &exclusion.stage, &exclusion.reason),
        );
    }
    for name in operations {
        let Some(record) = records.iter().find(|record| {
            &record.operation == name && record.case == snapshot_records::Case::Request
        }) else {
            rows.insert(
                name.clone(),
                excluded(name, "run", "the harness produced no record"),
            );
            continue;
        };
        let failure = match (&record.outcome, &record.request) {
            (Outcome::Panicked { message }, _) => Some(format!("the harness panicked: {message}")),
            (Outcome::TimedOut { millis }, _) => {
                Some(format!("the case did not finish within {millis} ms"))
            }
            (outcome, None) => Some(format!(
                "the client sent no request: {}",
                outcome_line(outcome)
            )),
            _ => None,
        };
        if let Some(reason) = failure {
            rows.insert(name.clone(), excluded(name, "run", &reason));
            continue;
        }
        let mut tree = live_tree(record);
        transformers.apply(&mut tree, &mut Placeholders::new());
        let contents = pretty(&tree);
        snapshots.push(
            Snapshot::new(
                SnapshotKey::new(crate_name.clone(), Kind::Live, name.clone()),
                format!("{crate_name} {name} live"),
                contents,
            )
            .with_source(source.clone()),
        );
        rows.insert(
            name.clone(),
            LiveOperation {
                name: name.clone(),
                answer: answer(record),
                result: LiveResult::Recorded,
            },
        );
    }
    let service = LiveService {
        name: target.name.clone(),
        crate_name,
        operations: rows.into_values().collect(),
    };
    (snapshots, service)
}

fn excluded(name: &str, stage: &str, reason: &str) -> LiveOperation {
    LiveOperation {
        name: name.to_owned(),
        answer: format!(
            "excluded ({stage}): {}",
            reason.lines().next().unwrap_or_default().trim()
        ),
        result: LiveResult::Excluded,
    }
}

/// The scope of a live run over one crate: its live snapshots only.
pub(crate) fn extend_scope(
    scope: Scope,
    crate_name: &str,
    operations: &[String],
    filtered: bool,
) -> Scope {
    if filtered {
        scope.include_names(crate_name, Kind::Live, operations.iter().cloned())
    } else {
        scope.include_kind(crate_name, Kind::Live)
    }
}

/// The run's rows with `compare` results: match, differs (with the first differing path),
/// new, and missing for recorded operations this run did not answer.
pub(crate) fn finish(
    endpoint: &LiveEndpoint,
    mut services: Vec<LiveService>,
    compare: Option<&CompareReport>,
    produced: &[Snapshot],
) -> LiveRun {
    if let Some(report) = compare {
        let new_trees: BTreeMap<&SnapshotKey, &str> = produced
            .iter()
            .map(|snapshot| (&snapshot.key, snapshot.contents.as_str()))
            .collect();
        let mut results: BTreeMap<(&str, &str), LiveResult> = BTreeMap::new();
        for result in report
            .results
            .iter()
            .filter(|result| result.key.kind == Kind::Live)
        {
            let outcome = match &result.outcome {
                snapshot_store::Outcome::Passed => LiveResult::Match,
                snapshot_store::Outcome::New { .. } => LiveResult::New,
                snapshot_store::Outcome::Removed => LiveResult::Missing,
                snapshot_store::Outcome::Changed { diff, .. } => {
                    let new = new_trees.get(&result.key).copied().unwrap_or_default();
                    differs(diff.old(), new)
                }
            };
            results.insert(
                (result.key.crate_name.as_str(), result.key.name.as_str()),
                outcome,
            );
        }
        for service in &mut services {
            let mut seen = BTreeSet::new();
            for operation in &mut service.operations {
                seen.insert(operation.name.clone());
                // An operation excluded now and never recorded has no result: it stays excluded
                // (recorded before, it is `missing`, its answer saying why).
                if let Some(result) =
                    results.get(&(service.crate_name.as_str(), operation.name.as_str()))
                {
                    operation.result = result.clone();
                }
            }
            for ((crate_name, name), result) in &results {
                if *crate_name == service.crate_name
                    && *result == LiveResult::Missing
                    && !seen.contains(*name)
                {
                    service.operations.push(LiveOperation {
                        name: (*name).to_owned(),
                        answer: "not run".to_owned(),
                        result: LiveResult::Missing,
                    });
                }
            }
            service.operations.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    LiveRun {
        endpoint: endpoint.url().to_owned(),
        credentials: endpoint.credentials,
        services,
    }
}

/// The structural difference between an accepted live snapshot file and new contents.
fn differs(accepted_file: &str, new_contents: &str) -> LiveResult {
    let old = snapshot_store::format::parse(accepted_file)
        .ok()
        .and_then(|file| serde_json::from_str::<Value>(&file.contents).ok());
    let new = serde_json::from_str::<Value>(new_contents).ok();
    match (old, new) {
        (Some(old), Some(new)) => {
            let differences = snapshot_parity::diff(&old, &new);
            // "First" in reading order: a response difference before the outcome it causes.
            let section = |difference: &&snapshot_parity::Difference| {
                let first = difference.path.first_key().unwrap_or_default();
                READING_ORDER
                    .iter()
                    .position(|known| *known == first)
                    .unwrap_or(READING_ORDER.len())
            };
            match differences.iter().min_by_key(section) {
                Some(first) => LiveResult::Differs {
                    path: first.path.to_string(),
                    differences: differences.len(),
                },
                // Equal trees in different text (e.g. a hand-formatted file).
                None => LiveResult::Differs {
                    path: "$ (formatting only)".to_owned(),
                    differences: 1,
                },
            }
        }
        _ => LiveResult::Differs {
            path: "$ (not JSON)".to_owned(),
            differences: 1,
        },
    }
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

const READING_ORDER: &[&str] = &[
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

/// `200 output`, `400 QueueDoesNotExist`, `DispatchFailure`.
fn answer(record: &CaseRecord) -> String {
    let what = match &record.outcome {
        Outcome::Output { .. } => "output".to_owned(),
        Outcome::ServiceError { code, .. } => {
            code.clone().unwrap_or_else(|| "(no error code)".to_owned())
        }
        Outcome::ClientError { kind, .. } => kind.clone(),
        Outcome::Panicked { .. } => "panicked".to_owned(),
        Outcome::TimedOut { .. } => "timed out".to_owned(),
    };
    match &record.response {
        Some(response) => format!("{} {what}", response.status),
        None => what,
    }
}

fn outcome_line(outcome: &Outcome) -> String {
    match outcome {
        Outcome::ClientError { kind, display } => {
            format!("{kind}: {}", display.lines().next().unwrap_or_default())
        }
        Outcome::ServiceError { code, .. } => format!("service error {code:?}"),
        Outcome::Output { .. } => "the call succeeded without sending".to_owned(),
        Outcome::Panicked { message } => message.clone(),
        Outcome::TimedOut { millis } => format!("timed out after {millis} ms"),
    }
}

#[cfg(test)]
mod tests {
    use snapshot_records::{Body, Case, HttpRequest, HttpResponse};

    use super::*;

    fn record(outcome: Outcome, response: Option<HttpResponse>) -> CaseRecord {
        CaseRecord {
            operation: "CreateQueue".into(),
            case: Case::Request,
            endpoint_override: false,
            request: Some(HttpRequest {
                method: "POST".into(),
                uri: "http://127.0.0.1:50123/".into(),
                headers: Vec::new(),
                body: Body::Empty,
            }),
            response,
            outcome,
            micros: 1,
        }
    }

    #[test]
    fn endpoints_parse_and_unusable_ones_say_why() {
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:5000/").unwrap();
        assert_eq!(endpoint.url(), "http://127.0.0.1:5000");
        assert_eq!(endpoint.authority(), "127.0.0.1:5000");
        assert_eq!(endpoint.credentials, LiveCredentials::Mock);
        assert!(matches!(
            LiveEndpoint::parse("https://sqs.us-east-1.amazonaws.com"),
            Err(EndpointError::Https { .. })
        ));
        assert!(matches!(
            LiveEndpoint::parse("127.0.0.1:5000"),
            Err(EndpointError::Scheme { .. })
        ));
        assert!(matches!(
            LiveEndpoint::parse("http://h/?a=1"),
            Err(EndpointError::Query { .. })
        ));
        let error = LiveEndpoint::parse("http://exa mple").unwrap_err();
        assert!(error.to_string().contains("is not a URL"), "{error}");
    }

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
            },
            None,
        );
        let mut tree = live_tree(&record);
        transformers(&endpoint, "aws-sdk-sqs").apply(&mut tree, &mut Placeholders::new());
        assert_eq!(
            tree["outcome"],
            serde_json::json!({"error": {"code": "QueueDoesNotExist", "message": "no queue at http://<endpoint>/q (attribute 'key<n>')"}})
        );
        assert_eq!(answer(&record), "QueueDoesNotExist");
    }

    fn snapshot(name: &str, contents: &str) -> Snapshot {
        Snapshot::new(
            SnapshotKey::new("aws-sdk-sqs", Kind::Live, name),
            format!("aws-sdk-sqs {name} live"),
            contents,
        )
    }

    #[test]
    fn compare_results_become_rows_with_the_first_differing_path() {
        let dir = tempfile::tempdir().unwrap();
        let store = snapshot_store::Store::new(dir.path().join("snapshots"), dir.path());
        let scope = Scope::new().include_kind("aws-sdk-sqs", Kind::Live);
        store
            .write(
                &scope,
                vec![
                    snapshot("Same", r#"{"a": 1}"#),
                    snapshot(
                        "Changed",
                        r#"{"outcome": {"output": 1}, "response": {"status": 200, "body": {"x": 1, "y": 2}}}"#,
                    ),
                    snapshot("Gone", "{}"),
                ],
            )
            .unwrap();
        let produced = vec![
            snapshot("Same", r#"{"a": 1}"#),
            snapshot(
                "Changed",
                r#"{"outcome": {"output": 2}, "response": {"status": 400, "body": {"x": 2, "y": 2}}}"#,
            ),
            snapshot("Fresh", "{}"),
        ];
        let report = store.compare(&scope, produced.clone()).unwrap();
        let row = |name: &str| LiveOperation {
            name: name.to_owned(),
            answer: "200 output".to_owned(),
            result: LiveResult::Recorded,
        };
        let services = vec![LiveService {
            name: "sqs".into(),
            crate_name: "aws-sdk-sqs".into(),
            operations: vec![row("Changed"), row("Fresh"), row("Same")],
        }];
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:1").unwrap();
        let run = finish(&endpoint, services, Some(&report), &produced);
        let results: Vec<(&str, &LiveResult)> = run.services[0]
            .operations
            .iter()
            .map(|operation| (operation.name.as_str(), &operation.result))
            .collect();
        assert_eq!(
            results,
            vec![
                (
                    "Changed",
                    &LiveResult::Differs {
                        path: "$.response.body.x".into(),
                        differences: 3
                    }
                ),
                ("Fresh", &LiveResult::New),
                ("Gone", &LiveResult::Missing),
                ("Same", &LiveResult::Match),
            ]
        );
        assert!(!run.all_match());
        let table = run.render_table();
        assert!(
            table
                .contains("sqs      Changed    200 output  differs at $.response.body.x (+2 more)"),
            "{table}"
        );
        assert!(
            table.ends_with("live total: 4 operations: 1 match, 1 differ, 1 new, 1 missing\n"),
            "{table}"
        );
    }
}
