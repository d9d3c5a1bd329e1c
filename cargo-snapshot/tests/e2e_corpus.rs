//! The committed corpus snapshots (`snapshot_dir` of the root `snapshot.toml`) are the same on
//! every machine and leak nothing: no random UUID (only `<uuid:N>` placeholders and the fixed
//! idempotency token), no mock credentials, no raw signature, no real date in signing headers,
//! no host OS or rustc version. The scan reads the files on disk; it fails when the directory
//! is missing or a configured crate has no snapshots.

use std::path::{Path, PathBuf};

use snapshot_corpus::workspace_root;

/// The only UUID a snapshot may contain: the generator's fixed idempotency token.
const FIXED_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// What the machine running the tests would leak: its OS name and rustc version.
struct Host {
    os: &'static str,
    rustc_version: String,
}

impl Host {
    fn current() -> Host {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let output = std::process::Command::new(rustc)
            .arg("--version")
            .output()
            .expect("run rustc --version");
        let text = String::from_utf8(output.stdout).unwrap();
        // `rustc 1.95.0 (59807616e 2026-04-14)`
        let rustc_version = text
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("unexpected `rustc --version` output: {text:?}"))
            .to_owned();
        Host {
            os: std::env::consts::OS,
            rustc_version,
        }
    }
}

/// One rule broken at one line.
#[derive(Debug, PartialEq, Eq)]
struct Finding {
    line: usize,
    rule: &'static str,
    text: String,
}

/// Every rule broken in `text`.
fn scan(text: &str, host: &Host) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut flag = |rule: &'static str| {
            findings.push(Finding {
                line: index + 1,
                rule,
                text: line.trim().chars().take(200).collect(),
            })
        };
        for uuid in uuids(line) {
            if uuid != FIXED_TOKEN {
                flag(
                    "a UUID that is neither a <uuid:N> placeholder nor the fixed idempotency token",
                );
            }
        }
        if line.contains("MOCK_ak") || line.contains("MOCK_sak") {
            flag("the mock credentials");
        }
        for (at, _) in line.match_indices("Signature=") {
            let after = &line[at + "Signature=".len()..];
            if after.len() >= 64 && after[..64].bytes().all(|byte| byte.is_ascii_hexdigit()) {
                flag("a raw request signature");
            }
        }
        if line.contains("chunk-signature") && !line.trim_end().ends_with("<signature>") {
            flag("a raw event-stream chunk signature");
        }
        for (at, _) in line.match_indices("Credential=") {
            if !line[at..].starts_with("Credential=<access-key>/<date>/") {
                flag("a credential scope with a real access key or date");
            }
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("x-amz-date:") && trimmed.trim_end() != "x-amz-date: <date-time>" {
            flag("a real x-amz-date");
        }
        if trimmed.starts_with("user-agent:") || trimmed.starts_with("x-amz-user-agent:") {
            for token in trimmed.split_whitespace() {
                let leaks = (token.starts_with("os/") && token != "os/<os>")
                    || (token.starts_with("lang/rust/") && token != "lang/rust/<rust-version>")
                    || (token.starts_with("md/rustc") && !token.contains('<'));
                if leaks {
                    flag("a user agent with the host OS or rustc version");
                }
            }
        }
        if line.contains(&format!("os/{}", host.os)) {
            flag("the host OS");
        }
        let version = &host.rustc_version;
        if [
            format!("rust/{version}"),
            format!("rustc {version}"),
            format!("rustc#{version}"),
            format!("rustc/{version}"),
        ]
        .iter()
        .any(|leak| line.contains(leak.as_str()))
        {
            flag("the host rustc version");
        }
    }
    findings
}

/// Every UUID-shaped token (8-4-4-4-12 hex digits, not part of a longer hex run) in `line`.
fn uuids(line: &str) -> Vec<&str> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    const LENGTH: usize = 36;
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    while start + LENGTH <= bytes.len() {
        let boundary_before = start == 0 || !bytes[start - 1].is_ascii_hexdigit();
        let boundary_after =
            start + LENGTH == bytes.len() || !bytes[start + LENGTH].is_ascii_hexdigit();
        let mut at = start;
        let shaped = GROUPS.iter().enumerate().all(|(group, &length)| {
            if group > 0 {
                if bytes[at] != b'-' {
                    return false;
                }
                at += 1;
            }
            let ok = bytes[at..at + length].iter().all(u8::is_ascii_hexdigit);
            at += length;
            ok
        });
        if boundary_before && boundary_after && shaped {
            found.push(&line[start..start + LENGTH]);
            start += LENGTH;
        } else {
            start += 1;
        }
    }
    found
}

/// The corpus snapshot directory and crates, from the root `snapshot.toml`.
fn corpus() -> (PathBuf, Vec<String>) {
    let config_path = workspace_root().join("snapshot.toml");
    let text = std::fs::read_to_string(&config_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", config_path.display()));
    let config: toml::Table = text.parse().expect("the root snapshot.toml is valid TOML");
    let snapshot_dir = config
        .get("snapshot_dir")
        .and_then(toml::Value::as_str)
        .unwrap_or("snapshots");
    let crates = config
        .get("service")
        .and_then(toml::Value::as_array)
        .expect("the root snapshot.toml configures services")
        .iter()
        .map(|service| {
            service
                .get("crate")
                .and_then(toml::Value::as_str)
                .expect("every service names its crate")
                .to_owned()
        })
        .collect();
    (workspace_root().join(snapshot_dir), crates)
}

/// Every `.snap` file under `dir`, sorted.
fn snap_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "snap")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn committed_corpus_snapshots_leak_no_randomness_secrets_or_host_details() {
    let (dir, crates) = corpus();
    assert!(
        dir.is_dir(),
        "the corpus snapshot directory {} is missing; record it with `cargo snapshot write` \
         at the workspace root and commit it",
        dir.display()
    );
    for crate_name in &crates {
        let requests = dir.join(crate_name).join("requests");
        let count = if requests.is_dir() {
            snap_files(&requests).len()
        } else {
            0
        };
        assert!(
            count > 0,
            "{crate_name} is configured in snapshot.toml but has no request snapshots in {}",
            requests.display()
        );
    }
    let host = Host::current();
    let files = snap_files(&dir);
    let mut report = Vec::new();
    let mut placeholders = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        placeholders += text.matches("<uuid:").count();
        for finding in scan(&text, &host) {
            report.push(format!(
                "{}:{}: {}: {}",
                file.strip_prefix(workspace_root())
                    .unwrap_or(file)
                    .display(),
                finding.line,
                finding.rule,
                finding.text
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} problem(s) in the corpus snapshots (first 40):\n{}",
        report.len(),
        report
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The scan saw real request snapshots: invocation ids are there, as placeholders.
    assert!(
        placeholders >= crates.len(),
        "expected <uuid:N> placeholders in the request snapshots of {} crates, found {placeholders} in {} files",
        crates.len(),
        files.len()
    );
}

#[test]
fn the_scan_flags_every_kind_of_leak() {
    let host = Host {
        os: "linux",
        rustc_version: "1.95.0".to_owned(),
    };
    let rules = |text: &str| -> Vec<&'static str> {
        scan(text, &host)
            .into_iter()
            .map(|finding| finding.rule)
            .collect()
    };
    let clean = "\
amz-sdk-invocation-id: <uuid:1>
authorization: AWS4-HMAC-SHA256 Credential=<access-key>/<date>/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=<signature>
user-agent: aws-sdk-rust/<version> ua/2.1 api/sts/<version> os/<os> lang/rust/<rust-version> m/E
x-amz-date: <date-time>
    :chunk-signature (bytes): <signature>
ClientToken=00000000-0000-4000-8000-000000000000
Arn=arn:aws:iam::123456789012:role/__Name__ Digest=0123456789abcdef0123456789abcdef0123456789
";
    assert_eq!(rules(clean), Vec::<&str>::new(), "a clean snapshot passes");

    let cases = [
        ("amz-sdk-invocation-id: 3f1c2b9a-8d4e-4f6a-9b7c-1234567890ab", "UUID"),
        ("\"RequestId\": \"3F1C2B9A-8D4E-4F6A-9B7C-1234567890AB\"", "UUID"),
        ("authorization: AWS4-HMAC-SHA256 Credential=MOCK_ak/<date>/x", "mock credentials"),
        ("x-amz-security-token: MOCK_sak", "mock credentials"),
        (
            "authorization: AWS4-HMAC-SHA256 Credential=<access-key>/<date>/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            "raw request signature",
        ),
        ("    :chunk-signature (bytes): 5d672d79c15b1316", "chunk signature"),
        ("Credential=<access-key>/20310717/us-east-1/sts/aws4_request", "credential scope"),
        ("x-amz-date: 20310717T214307Z", "x-amz-date"),
        ("user-agent: aws-sdk-rust/<version> os/macos lang/rust/<rust-version>", "user agent"),
        ("x-amz-user-agent: aws-sdk-rust/<version> os/<os> lang/rust/1.80.1", "user agent"),
        ("[text]\nplatform os/linux", "host OS"),
        ("built with rustc 1.95.0", "host rustc version"),
    ];
    for (text, rule) in cases {
        let found = rules(text);
        assert!(
            found.iter().any(|found| found.contains(rule)),
            "{text:?} must be flagged as {rule:?}; found {found:?}"
        );
    }
}
