//! What a snapshot is called ([`SnapshotKey`]) and what it holds ([`Snapshot`]).

use std::fmt;
use std::path::Path;

use crate::errors::{NameRole, StoreError};

/// The `source:` header written when the caller names no other source.
pub const DEFAULT_SOURCE: &str = "cargo-snapshot";

/// The families of snapshots, one directory each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The HTTP request a client sends for an operation (`requests/<Operation>.snap`).
    Requests,
    /// The output a client parses from a response (`responses/<Operation>.snap`).
    Responses,
    /// The error a client parses from an error response, with the full HTTP response, once
    /// per error shape (`errors/<ErrorShape>.snap`).
    Errors,
    /// How one operation parses each error it declares, a compact line per error
    /// (`errors/by-operation/<Operation>.snap`).
    OperationErrors,
    /// What a live endpoint answered to an operation's generated request
    /// (`live/<Operation>.snap`, written by `write --endpoint`).
    Live,
}

impl Kind {
    /// The kinds of a replay run (generated responses), in directory order. [`Kind::Live`] is
    /// not among them: live snapshots are covered only by live runs, so a replay run over a
    /// whole crate ([`crate::Scope::include_crate`]) never deletes them, nor a live run the others.
    pub const ALL: [Kind; 4] = [
        Kind::Requests,
        Kind::Responses,
        Kind::Errors,
        Kind::OperationErrors,
    ];

    /// The directory holding this kind of snapshot inside a crate's directory, relative to it
    /// with `/` separators (`errors/by-operation` is two levels down). Directory names are
    /// never snapshot names: `by-operation` cannot name an error shape (Smithy identifiers
    /// have no `-`), and [`Kind::Errors`] lists only the files of its own directory.
    pub fn dir_name(self) -> &'static str {
        match self {
            Kind::Requests => "requests",
            Kind::Responses => "responses",
            Kind::Errors => "errors",
            Kind::OperationErrors => "errors/by-operation",
            Kind::Live => "live",
        }
    }

    /// The kind stored in the directory `dir` (relative to a crate's directory), if any.
    pub fn from_dir(dir: &Path) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .chain([Kind::Live])
            .find(|kind| Path::new(kind.dir_name()) == dir)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dir_name())
    }
}

/// Names one snapshot: `<crate_name>/<kind>/<name>.snap` under the snapshot directory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapshotKey {
    /// The client crate, e.g. `aws-sdk-sts`.
    pub crate_name: String,
    /// Requests, responses or errors.
    pub kind: Kind,
    /// The operation or error shape name, e.g. `AssumeRole`.
    pub name: String,
}

impl SnapshotKey {
    /// A key from its parts (checked when the store uses it).
    pub fn new(crate_name: impl Into<String>, kind: Kind, name: impl Into<String>) -> Self {
        SnapshotKey {
            crate_name: crate_name.into(),
            kind,
            name: name.into(),
        }
    }

    /// Checks that both names can be used as portable file names.
    pub fn validate(&self) -> Result<(), StoreError> {
        validate_name(NameRole::Crate, &self.crate_name)?;
        validate_name(NameRole::Snapshot, &self.name)
    }
}

impl fmt::Display for SnapshotKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.crate_name, self.kind, self.name)
    }
}

/// One named text snapshot, as the pipeline produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Where it is stored.
    pub key: SnapshotKey,
    /// The `source:` header: the tool, and optionally the model it came from.
    ///
    /// `cargo insta review` shows it as "Source"; a workspace-relative path to an existing file
    /// (such as the Smithy model) is shown as that path, anything else as the workspace root.
    pub source: String,
    /// The `expression:` header, e.g. `aws-sdk-sts AssumeRole request`.
    pub expression: String,
    /// The snapshot text. Stored the way insta stores it: trailing whitespace and the `\r` of
    /// `\r\n` line ends are dropped (see [`crate::format::normalize_contents`]).
    pub contents: String,
}

impl Snapshot {
    /// A snapshot with the default `source:` header ([`DEFAULT_SOURCE`]).
    pub fn new(
        key: SnapshotKey,
        expression: impl Into<String>,
        contents: impl Into<String>,
    ) -> Self {
        Snapshot {
            key,
            source: DEFAULT_SOURCE.to_owned(),
            expression: expression.into(),
            contents: contents.into(),
        }
    }

    /// Replaces the `source:` header.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }
}

/// Characters Windows forbids in file names; rejected everywhere so snapshot trees stay portable.
const NON_PORTABLE: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

pub(crate) fn validate_name(role: NameRole, name: &str) -> Result<(), StoreError> {
    let reason = if name.is_empty() {
        Some("it is empty")
    } else if name.starts_with('.') {
        // Leading dots are reserved for the store's temporary entries and hidden from cargo-insta.
        Some("it starts with `.`")
    } else if name.chars().any(|c| NON_PORTABLE.contains(&c)) {
        Some("it contains one of < > : \" / \\ | ? *")
    } else if name.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if name != name.trim() {
        Some("it starts or ends with whitespace")
    } else if role == NameRole::Crate && name == "target" {
        // cargo-insta never looks inside directories named `target`.
        Some("cargo-insta skips directories named `target`")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidName {
            role,
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_displays_as_its_relative_location() {
        let key = SnapshotKey::new("aws-sdk-sts", Kind::Requests, "AssumeRole");
        assert_eq!(key.to_string(), "aws-sdk-sts/requests/AssumeRole");
    }

    #[test]
    fn kinds_round_trip_through_directory_names() {
        for kind in Kind::ALL.into_iter().chain([Kind::Live]) {
            assert_eq!(Kind::from_dir(Path::new(kind.dir_name())), Some(kind));
        }
        assert_eq!(Kind::from_dir(Path::new("request")), None);
        assert_eq!(
            Kind::from_dir(&Path::new("errors").join("by-operation")),
            Some(Kind::OperationErrors)
        );
        assert_eq!(Kind::from_dir(Path::new("by-operation")), None);
    }

    #[test]
    fn live_and_replay_runs_never_delete_each_others_snapshots() {
        use crate::{Scope, Store};

        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("snapshots"), dir.path());
        let snap = |kind: Kind, name: &str, text: &str| {
            Snapshot::new(SnapshotKey::new("aws-sdk-sqs", kind, name), "x", text)
        };
        let replay = vec![
            snap(Kind::Requests, "CreateQueue", "request"),
            snap(Kind::Errors, "QueueDoesNotExist", "error"),
        ];
        store
            .write(&Scope::new().include_crate("aws-sdk-sqs"), replay.clone())
            .unwrap();
        let live_scope = Scope::new().include_kind("aws-sdk-sqs", Kind::Live);
        store
            .write(
                &live_scope,
                vec![
                    snap(Kind::Live, "CreateQueue", "{}"),
                    snap(Kind::Live, "DeleteQueue", "{}"),
                ],
            )
            .unwrap();
        let exists = |kind: Kind, name: &str| {
            store
                .accepted_path(&SnapshotKey::new("aws-sdk-sqs", kind, name))
                .is_file()
        };
        assert!(exists(Kind::Requests, "CreateQueue"));
        assert!(exists(Kind::Errors, "QueueDoesNotExist"));
        assert!(dir
            .path()
            .join("snapshots/aws-sdk-sqs/live/DeleteQueue.snap")
            .is_file());

        // A live run that no longer produces DeleteQueue removes only that live snapshot.
        let summary = store
            .write(&live_scope, vec![snap(Kind::Live, "CreateQueue", "{}")])
            .unwrap();
        assert_eq!(
            summary.removed,
            vec![SnapshotKey::new("aws-sdk-sqs", Kind::Live, "DeleteQueue")]
        );
        assert!(exists(Kind::Requests, "CreateQueue"));

        // A full replay run keeps the live snapshots.
        store
            .write(&Scope::new().include_crate("aws-sdk-sqs"), replay)
            .unwrap();
        assert!(exists(Kind::Live, "CreateQueue"));
        let report = store
            .compare(&live_scope, vec![snap(Kind::Live, "CreateQueue", "{}")])
            .unwrap();
        assert!(report.is_success());
    }

    #[test]
    fn names_that_are_not_portable_file_names_are_rejected() {
        for bad in [
            "",
            ".hidden",
            "a/b",
            "a\\b",
            "a:b",
            "with\nnewline",
            " padded",
            "q?",
        ] {
            let key = SnapshotKey::new("aws-sdk-sts", Kind::Errors, bad);
            let err = key.validate().unwrap_err();
            assert!(
                matches!(
                    err,
                    StoreError::InvalidName {
                        role: NameRole::Snapshot,
                        ..
                    }
                ),
                "{bad:?}: {err}"
            );
        }
        let err = SnapshotKey::new("target", Kind::Errors, "X")
            .validate()
            .unwrap_err();
        assert!(
            err.to_string().contains("invalid crate name `target`"),
            "{err}"
        );
    }

    #[test]
    fn real_names_are_accepted() {
        for name in [
            "AssumeRole",
            "InvalidIdentityToken",
            "__Unmodeled",
            "Get-Thing_2",
        ] {
            SnapshotKey::new("aws-sdk-sts", Kind::Errors, name)
                .validate()
                .unwrap();
        }
    }
}
