//! `write --endpoint` / `compare --endpoint`: the generated request suite sent to a live
//! endpoint. Records sts, sqs and dynamodb against one moto server, compares against a fresh
//! one, and checks that a difference in the endpoint's state shows up as a `differs` row.
//!
//! moto comes from `crates/snapshot-parity/scripts/moto-server.sh` (which installs
//! `moto[server]` from PyPI when neither `$SNAPSHOT_MOTO_SERVER` nor `moto_server` is there).
//! Harness builds are shared with the other end-to-end tests in `<target>/e2e-harness`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use snapshot_corpus::workspace_root;

/// The real-model corpus as an absolute path without `..`, as written into `snapshot.toml`.
fn models_dir() -> PathBuf {
    snapshot_corpus::models_dir().canonicalize().unwrap()
}

/// Where harness builds are shared between end-to-end tests.
fn harness_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("e2e-harness")
}

/// A moto server on a free loopback port, started with the project's script and stopped
/// when dropped.
struct Moto {
    port: u16,
    url: String,
}

fn script() -> PathBuf {
    workspace_root().join("crates/snapshot-parity/scripts/moto-server.sh")
}

impl Moto {
    fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let output = Command::new("bash")
            .arg(script())
            .args(["start", &port.to_string()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "moto-server.sh start {port} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let url = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        Moto { port, url }
    }

    /// Creates an SQS queue behind the client's back (moto routes by the credential scope).
    fn create_queue(&self, name: &str) {
        let body = format!(r#"{{"QueueName":"{name}"}}"#);
        let request = format!(
            "POST / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: AmazonSQS.CreateQueue\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=MOCK_ak/20000101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len(),
            port = self.port
        );
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.lines().next().unwrap_or_default();
        assert!(
            status.starts_with("HTTP/1.") && status.contains(" 200 "),
            "{response}"
        );
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .args(["stop", &self.port.to_string()])
            .output();
    }
}

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let models = models_dir();
        let config = format!(
            r#"snapshot_dir = "snapshots"
models_dir = "{}"

[[service]]
model = "sts.json"
crate = "aws-sdk-sts"
version = "=1.124.0"

[[service]]
model = "sqs.json"
crate = "aws-sdk-sqs"
version = "=1.119.0"

[[service]]
model = "dynamodb.json"
crate = "aws-sdk-dynamodb"
version = "=1.136.0"
"#,
            models.display()
        );
        std::fs::write(dir.path().join("snapshot.toml"), config).unwrap();
        Workspace { dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-snapshot"))
            .current_dir(self.dir.path())
            .env("SNAPSHOT_MODELS_DIR", models_dir())
            .env("CARGO_SNAPSHOT_TARGET_DIR", harness_target_dir())
            .env("NO_COLOR", "1")
            // Mock credentials: keys from the environment would be used, and sent to moto.
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("CARGO_SNAPSHOT_LOG")
            .arg("snapshot")
            .args(args)
            .arg("--quiet")
            .output()
            .unwrap();
        eprintln!(
            "cargo snapshot {}\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn live_snapshots(&self, crate_name: &str) -> Vec<String> {
        let dir = self
            .dir
            .path()
            .join("snapshots")
            .join(crate_name)
            .join("live");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The table's rows as (service, operation, answer, result).
fn rows(table: &str) -> Vec<(String, String, String, String)> {
    let mut lines = table
        .lines()
        .skip_while(|line| !line.starts_with("SERVICE "));
    let header = lines.next().expect("the table has a header");
    let answer_at = header.find("ANSWER").unwrap();
    let result_at = header.find("RESULT").unwrap();
    lines
        .take_while(|line| line.len() > result_at && !line.contains(" operations"))
        .map(|line| {
            let mut words = line[..answer_at].split_whitespace();
            (
                words.next().unwrap().to_owned(),
                words.next().unwrap().to_owned(),
                line[answer_at..result_at].trim().to_owned(),
                line[result_at..].trim().to_owned(),
            )
        })
        .collect()
}

#[test]
fn recorded_against_one_moto_and_compared_against_a_fresh_one() {
    let workspace = Workspace::new();

    let first = Moto::start();
    let write = workspace.run(&["write", "--endpoint", &first.url]);
    drop(first);
    assert_eq!(write.status.code(), Some(0));
    let recorded = rows(&stdout(&write));
    let per_service = |service: &str| recorded.iter().filter(|(name, ..)| name == service).count();
    // Every operation of the three models is listed, and answered or excluded with a reason.
    assert_eq!(per_service("sts"), 11);
    assert_eq!(per_service("sqs"), 23);
    assert_eq!(per_service("dynamodb"), 57);
    assert!(
        recorded
            .iter()
            .all(|(.., result)| result == "recorded" || result == "excluded"),
        "{recorded:?}"
    );
    // moto answers: successes, modeled errors, and 500s where it implements nothing.
    let answer = |operation: &str| {
        recorded
            .iter()
            .find(|(_, name, ..)| name == operation)
            .map(|(_, _, answer, _)| answer.clone())
            .unwrap()
    };
    assert_eq!(answer("GetCallerIdentity"), "200 output");
    assert_eq!(answer("CreateQueue"), "200 output");
    assert_eq!(
        answer("DeleteMessage"),
        "400 AWS.SimpleQueueService.NonExistentQueue"
    );
    assert_eq!(answer("DescribeTable"), "400 ResourceNotFoundException");
    let recorded_count = recorded
        .iter()
        .filter(|(.., result)| result == "recorded")
        .count();
    assert_eq!(
        workspace.live_snapshots("aws-sdk-sts").len()
            + workspace.live_snapshots("aws-sdk-sqs").len()
            + workspace.live_snapshots("aws-sdk-dynamodb").len(),
        recorded_count
    );
    // Only live snapshots: a live run never writes (or deletes) replay ones.
    let crate_dir = workspace.dir.path().join("snapshots/aws-sdk-sqs");
    let kinds: Vec<String> = std::fs::read_dir(&crate_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kinds, ["live"]);
    let create_queue = std::fs::read_to_string(crate_dir.join("live/CreateQueue.snap")).unwrap();
    assert!(
        create_queue.contains(r#""QueueUrl": "<queue-url:1>""#),
        "{create_queue}"
    );
    assert!(!create_queue.contains("127.0.0.1"), "{create_queue}");

    // A fresh instance of the same emulator answers the same, operation by operation.
    let second = Moto::start();
    let compare = workspace.run(&["compare", "--endpoint", &second.url]);
    let compared = rows(&stdout(&compare));
    let differing: Vec<_> = compared
        .iter()
        .filter(|(.., result)| result != "match" && result != "excluded")
        .collect();
    assert!(differing.is_empty(), "{differing:?}");
    assert_eq!(compared.len(), recorded.len());
    assert_eq!(compare.status.code(), Some(0));
    assert!(
        stdout(&compare).contains(&format!("{recorded_count} passed, 0 failed")),
        "{}",
        stdout(&compare)
    );

    // A different state is a difference, with its JSON path, pending for `cargo insta review`.
    second.create_queue("__QueueNamePrefix__-extra");
    let changed = workspace.run(&[
        "compare",
        "--endpoint",
        &second.url,
        "--service",
        "sqs",
        "--operation",
        "ListQueues",
    ]);
    assert_eq!(changed.status.code(), Some(1));
    let changed_rows = rows(&stdout(&changed));
    assert_eq!(changed_rows.len(), 1, "{changed_rows:?}");
    let (service, operation, answer, result) = &changed_rows[0];
    assert_eq!(
        (service.as_str(), operation.as_str(), answer.as_str()),
        ("sqs", "ListQueues", "200 output")
    );
    // The body gained the queue; the client's output gained the member (counted as more).
    assert!(
        result.starts_with("differs at $.response.body.QueueUrls (+"),
        "{result}"
    );
    assert!(crate_dir.join("live/ListQueues.snap.new").is_file());
}

#[test]
fn https_endpoints_are_refused_with_the_reason() {
    let workspace = Workspace::new();
    let output = workspace.run(&["write", "--endpoint", "https://sqs.us-east-1.amazonaws.com"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("https endpoints are not supported yet"),
        "{stderr}"
    );
}

/// A port nothing listens on: the run stops before building anything, instead of recording
/// every operation's connection error as the endpoint's answer.
#[test]
fn an_endpoint_nothing_answers_at_is_refused_before_the_run() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let workspace = Workspace::new();
    let url = format!("http://127.0.0.1:{port}");
    let output = workspace.run(&["write", "--endpoint", &url]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("nothing answers at {url}")),
        "{stderr}"
    );
    assert!(stderr.contains("start the server first"), "{stderr}");
}
