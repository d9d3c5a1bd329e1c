//! The store against the real `cargo insta` (cargo-insta 1.49), run the way users run it:
//! from the workspace root, with no flags.
//!
//! Requires `cargo-insta` to be installed (`cargo install cargo-insta --locked`); the tests
//! fail, rather than skip, when it is missing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use snapshot_store::{
    discovery::Reason, InstaSearch, Kind, Outcome, Scope, Snapshot, SnapshotKey, Store,
};

const CRATE: &str = "aws-sdk-sts";

/// A throwaway cargo workspace.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, path: &str, text: &str) -> &Self {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    fn package(&self, dir: &str, name: &str) -> &Self {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.file(
            &format!("{prefix}Cargo.toml"),
            &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"lib.rs\"\n"),
        )
        .file(&format!("{prefix}lib.rs"), "")
    }

    /// A virtual manifest with one member package, `client/`.
    fn virtual_with_member(extra_members: &[&str]) -> Self {
        let ws = Workspace::new();
        let mut members = vec!["\"client\"".to_owned()];
        members.extend(extra_members.iter().map(|m| format!("\"{m}\"")));
        ws.file(
            "Cargo.toml",
            &format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        )
        .package("client", "client");
        ws
    }

    /// A root package with one member package, `client/`.
    fn root_package_with_member() -> Self {
        let ws = Workspace::new();
        ws.file(
            "Cargo.toml",
            "[package]\nname = \"root\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"lib.rs\"\n\n[workspace]\nmembers = [\"client\"]\n",
        )
        .file("lib.rs", "")
        .package("client", "client");
        ws
    }

    fn store(&self, snapshot_dir: &str) -> Store {
        Store::new(self.root().join(snapshot_dir), self.root())
    }

    /// Runs `cargo insta <args>` in the workspace root.
    fn cargo_insta(&self, args: &[&str]) -> Output {
        let output = cargo_insta_command()
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "`cargo insta {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// The accepted-snapshot paths `cargo insta pending-snapshots` reports, relative.
    fn pending_snapshots(&self) -> Vec<String> {
        let output = self.cargo_insta(&["pending-snapshots", "--as-json"]);
        let root = self.root().canonicalize().unwrap();
        let mut paths: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.starts_with('{'))
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                let path = PathBuf::from(value["path"].as_str().unwrap());
                let path = path.canonicalize().unwrap_or(path);
                path.strip_prefix(&root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        paths.sort();
        paths
    }
}

fn cargo_insta_command() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.arg("insta");
    // Whatever the developer's shell sets must not change where cargo-insta looks.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("INSTA_") {
            command.env_remove(name);
        }
    }
    command.env("CARGO_NET_OFFLINE", "true");
    command
}

/// Fails loudly (never skips) when cargo-insta is missing.
fn require_cargo_insta() {
    let found = cargo_insta_command()
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "these tests drive the real cargo-insta, which is not installed: run \
         `cargo install cargo-insta --version 1.49.0 --locked` (CI installs it)"
    );
}

fn snap(kind: Kind, name: &str, contents: &str) -> Snapshot {
    Snapshot::new(
        SnapshotKey::new(CRATE, kind, name),
        format!("{CRATE} {name} {}", kind.dir_name().trim_end_matches('s')),
        contents,
    )
}

fn first_run() -> Vec<Snapshot> {
    vec![
        snap(Kind::Requests, "AssumeRole", "POST https://sts.us-east-1.amazonaws.com\n/\n\nAction=AssumeRole\nVersion=2011-06-15\n"),
        snap(Kind::Requests, "GetCallerIdentity", "POST https://sts.us-east-1.amazonaws.com\n/\n\nAction=GetCallerIdentity\n"),
        snap(Kind::Errors, "ExpiredTokenException", "400\n\n<ErrorResponse/>\n"),
        snap(Kind::OperationErrors, "AssumeRole", "ExpiredTokenException: variant ExpiredTokenException\n"),
    ]
}

/// Same AssumeRole, changed GetCallerIdentity (with awkward whitespace), a new error shape
/// that AssumeRole now parses too (its compact error snapshot, a directory further down).
fn second_run() -> Vec<Snapshot> {
    vec![
        snap(Kind::Requests, "AssumeRole", "POST https://sts.us-east-1.amazonaws.com\n/\n\nAction=AssumeRole\nVersion=2011-06-15\n"),
        snap(Kind::Requests, "GetCallerIdentity", "POST https://sts.us-east-1.amazonaws.com\r\n/\r\n\r\nAction=GetCallerIdentity\r\nExtra=\"yes\" # : \t\n\n  \n"),
        snap(Kind::Errors, "ExpiredTokenException", "400\n\n<ErrorResponse/>\n"),
        snap(Kind::Errors, "RegionDisabledException", "403\n\n<ErrorResponse/>\n"),
        snap(Kind::OperationErrors, "AssumeRole", "ExpiredTokenException: variant ExpiredTokenException\nRegionDisabledException: variant RegionDisabledException\n"),
    ]
}

/// write → compare with changes → `cargo insta accept` → files equal a fresh `write` → compare passes.
fn review_cycle(ws: &Workspace, snapshot_dir: &str) {
    require_cargo_insta();
    let store = ws.store(snapshot_dir);
    let scope = Scope::new().include_crate(CRATE);
    store.write(&scope, first_run()).unwrap();
    InstaSearch::load(ws.root())
        .unwrap()
        .check(store.snapshot_dir())
        .unwrap();

    let report = store.compare(&scope, second_run()).unwrap();
    let outcomes: Vec<(String, &str)> = report
        .results
        .iter()
        .map(|r| (r.key.name.clone(), r.outcome.label()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("AssumeRole".to_owned(), "passed"),
            ("GetCallerIdentity".to_owned(), "changed"),
            ("ExpiredTokenException".to_owned(), "passed"),
            ("RegionDisabledException".to_owned(), "new"),
            ("AssumeRole".to_owned(), "changed"),
        ]
    );
    assert_eq!(
        ws.pending_snapshots(),
        [
            format!("{snapshot_dir}/{CRATE}/errors/RegionDisabledException.snap"),
            format!("{snapshot_dir}/{CRATE}/errors/by-operation/AssumeRole.snap"),
            format!("{snapshot_dir}/{CRATE}/requests/GetCallerIdentity.snap"),
        ]
    );

    ws.cargo_insta(&["accept"]);
    assert!(ws.pending_snapshots().is_empty());

    // Byte-identical to what `write` produces for the same run.
    let fresh = tempfile::tempdir().unwrap();
    let reference = Store::new(fresh.path().join("snapshots"), fresh.path());
    reference.write(&scope, second_run()).unwrap();
    for snapshot in second_run() {
        let accepted = fs::read(store.accepted_path(&snapshot.key)).unwrap();
        let written = fs::read(reference.accepted_path(&snapshot.key)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&accepted),
            String::from_utf8_lossy(&written),
            "{} after `cargo insta accept` differs from `write`",
            snapshot.key
        );
    }

    let report = store.compare(&scope, second_run()).unwrap();
    assert!(
        report.is_success(),
        "{}",
        report.render_failures(&Default::default())
    );
    assert_eq!(report.counts().to_string(), "5 passed, 0 failed");
}

#[test]
fn accept_round_trips_with_a_root_package_and_snapshots_at_the_root() {
    let ws = Workspace::root_package_with_member();
    review_cycle(&ws, "snapshots");
}

#[test]
fn accept_round_trips_in_a_virtual_workspace_when_the_snapshot_dir_is_a_member_package() {
    let ws = Workspace::virtual_with_member(&["snapshots"]);
    ws.package("snapshots", "snapshots");
    review_cycle(&ws, "snapshots");
}

#[test]
fn accept_round_trips_in_a_virtual_workspace_with_snapshots_inside_a_member() {
    let ws = Workspace::virtual_with_member(&[]);
    review_cycle(&ws, "client/snapshots");
}

#[test]
fn reject_discards_the_pending_file_and_keeps_the_accepted_one() {
    require_cargo_insta();
    let ws = Workspace::root_package_with_member();
    let store = ws.store("snapshots");
    let scope = Scope::new().include_crate(CRATE);
    store.write(&scope, first_run()).unwrap();
    let key = SnapshotKey::new(CRATE, Kind::Requests, "GetCallerIdentity");
    let before = fs::read(store.accepted_path(&key)).unwrap();
    let report = store.compare(&scope, second_run()).unwrap();
    assert!(matches!(report.results[1].outcome, Outcome::Changed { .. }));

    ws.cargo_insta(&["reject"]);
    assert!(ws.pending_snapshots().is_empty());
    assert_eq!(fs::read(store.accepted_path(&key)).unwrap(), before);
    assert!(!store.compare(&scope, second_run()).unwrap().is_success());
}

/// For each layout: does cargo-insta list our pending file, and does `InstaSearch::check` agree?
#[test]
fn the_discovery_check_agrees_with_cargo_insta() {
    require_cargo_insta();
    struct Case {
        name: &'static str,
        workspace: fn() -> Workspace,
        snapshot_dir: &'static str,
        found: bool,
    }
    let cases = [
        Case {
            name: "virtual workspace, snapshots/ at the root",
            workspace: || Workspace::virtual_with_member(&[]),
            snapshot_dir: "snapshots",
            found: false,
        },
        Case {
            name: "root package, snapshots inside a member",
            workspace: Workspace::root_package_with_member,
            snapshot_dir: "client/snapshots",
            found: false,
        },
        Case {
            name: "virtual workspace, hidden directory in a member",
            workspace: || Workspace::virtual_with_member(&[]),
            snapshot_dir: "client/.snapshots",
            found: false,
        },
        Case {
            name: "virtual workspace, gitignored directory in a member",
            workspace: || {
                let ws = Workspace::virtual_with_member(&[]);
                fs::create_dir_all(ws.root().join(".git")).unwrap();
                ws.file(".gitignore", "/client/snapshots/\n");
                ws
            },
            snapshot_dir: "client/snapshots",
            found: false,
        },
        Case {
            name: "virtual workspace, *.snap.new gitignored",
            workspace: || {
                let ws = Workspace::virtual_with_member(&[]);
                fs::create_dir_all(ws.root().join(".git")).unwrap();
                ws.file(".gitignore", "*.snap.new\n");
                ws
            },
            snapshot_dir: "client/snapshots",
            found: true,
        },
        Case {
            name: "root package, snapshots/ at the root",
            workspace: Workspace::root_package_with_member,
            snapshot_dir: "snapshots",
            found: true,
        },
    ];
    for case in cases {
        let ws = (case.workspace)();
        let store = ws.store(case.snapshot_dir);
        let scope = Scope::new().include_crate(CRATE);
        let report = store.compare(&scope, first_run()).unwrap();
        assert_eq!(report.counts().new, 4, "{}", case.name);

        let listed = !ws.pending_snapshots().is_empty();
        let check = InstaSearch::load(ws.root())
            .unwrap()
            .check(store.snapshot_dir());
        assert_eq!(listed, case.found, "{}: cargo-insta", case.name);
        assert_eq!(
            check.is_ok(),
            case.found,
            "{}: our check said {check:?}",
            case.name
        );
        if let Err(problem) = check {
            let expected = match case.snapshot_dir {
                "snapshots" => matches!(problem.reason, Reason::OutsidePackages { .. }),
                "client/snapshots" if case.name.contains("root package") => {
                    matches!(problem.reason, Reason::NestedPackage { .. })
                }
                "client/snapshots" => matches!(problem.reason, Reason::Ignored { .. }),
                _ => matches!(problem.reason, Reason::HiddenDirectory { .. }),
            };
            assert!(expected, "{}: unexpected reason: {problem}", case.name);
        }
    }
}
