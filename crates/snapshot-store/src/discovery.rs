//! Whether `cargo insta review` will find the pending files `compare` writes.
//!
//! cargo-insta 1.49, run from the workspace root with no flags, does not search the whole
//! workspace. It takes the root package if the root `Cargo.toml` has a `[package]`, otherwise
//! every workspace member, and walks from each package's directory and each of its targets'
//! source directories (`cargo_metadata`; build scripts excluded). While walking it:
//!
//! * skips directories named `target`, hidden directories (`.name`), and directories holding
//!   another `Cargo.toml` (other packages are searched from their own roots, if at all);
//! * honours `.gitignore`, `.ignore` and git's exclude files (the `ignore` crate's standard
//!   filters) for directories; `*.snap.new` files themselves are always picked up, even when a
//!   `.gitignore` lists them;
//! * maps each `X.snap.new` to `X.snap` in the same directory (or, with `INSTA_PENDING_DIR`,
//!   from the mirrored path in that directory back into the package).
//!
//! A workspace `insta.yaml` may set `review.include_hidden` / `review.include_ignored`; this
//! check does not read it, so with those set it can report hidden or ignored directories that
//! cargo-insta would in fact search.
//!
//! So a snapshot directory outside every searched package — notably `snapshots/` at the root
//! of a *virtual* workspace — is never reviewed. [`InstaSearch::check`] applies the same rules
//! and explains what to change.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::errors::StoreError;
use crate::store::split_existing;

/// The directories `cargo insta review` searches when run from the workspace root with no flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstaSearch {
    workspace_root: PathBuf,
    virtual_workspace: bool,
    roots: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    workspace_members: Vec<String>,
    workspace_root: PathBuf,
}

#[derive(Deserialize)]
struct Package {
    id: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    kind: Vec<String>,
    src_path: PathBuf,
}

impl InstaSearch {
    /// Runs `cargo metadata --no-deps` in `workspace_dir` (with `$CARGO` if set) and derives
    /// the search roots from it.
    pub fn load(workspace_dir: &Path) -> Result<Self, StoreError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(workspace_dir)
            .output()
            .map_err(|err| StoreError::CargoMetadata {
                dir: workspace_dir.to_path_buf(),
                message: format!("cannot run cargo: {err}"),
            })?;
        if !output.status.success() {
            return Err(StoreError::CargoMetadata {
                dir: workspace_dir.to_path_buf(),
                message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            });
        }
        let json = String::from_utf8_lossy(&output.stdout);
        Self::from_metadata_json(&json).map_err(|message| StoreError::CargoMetadata {
            dir: workspace_dir.to_path_buf(),
            message,
        })
    }

    /// Derives the search roots from `cargo metadata --format-version 1` output.
    pub fn from_metadata_json(json: &str) -> Result<Self, String> {
        let metadata: Metadata =
            serde_json::from_str(json).map_err(|err| format!("unexpected output: {err}"))?;
        let members: Vec<&Package> = metadata
            .packages
            .iter()
            .filter(|package| metadata.workspace_members.contains(&package.id))
            .collect();
        let root_manifest = metadata.workspace_root.join("Cargo.toml");
        let root_package = members
            .iter()
            .find(|package| package.manifest_path == root_manifest);
        let searched: Vec<&Package> = match root_package {
            Some(package) => vec![package],
            None => members.clone(),
        };
        let mut roots = Vec::new();
        for package in searched {
            roots.extend(package.manifest_path.parent().map(Path::to_path_buf));
            for target in &package.targets {
                if target.kind.iter().any(|kind| kind == "custom-build") {
                    continue;
                }
                roots.extend(target.src_path.parent().map(Path::to_path_buf));
            }
        }
        roots.sort();
        roots.dedup();
        Ok(Self::new(
            metadata.workspace_root,
            root_package.is_none(),
            roots,
        ))
    }

    /// A search over explicit roots (as `from_metadata_json` would derive them).
    pub fn new(workspace_root: PathBuf, virtual_workspace: bool, roots: Vec<PathBuf>) -> Self {
        InstaSearch {
            workspace_root,
            virtual_workspace,
            roots,
        }
    }

    /// The directories searched.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Whether the root manifest is virtual (no `[package]`), so every member is searched.
    pub fn is_virtual_workspace(&self) -> bool {
        self.virtual_workspace
    }

    /// Checks that pending files in `dir` (which need not exist yet) will be found.
    ///
    /// Ignore rules are checked for the part of `dir` that exists, so call this after
    /// `write` or `compare` has created the directory for the most precise answer.
    pub fn check(&self, dir: &Path) -> Result<(), Undiscoverable> {
        let dir = canonical(dir);
        let containing: Vec<PathBuf> = self
            .roots
            .iter()
            .map(|root| canonical(root))
            .filter(|root| dir.starts_with(root))
            .collect();
        let mut first_problem = None;
        for root in &containing {
            match check_under(root, &dir) {
                Ok(()) => return Ok(()),
                Err(reason) => {
                    first_problem.get_or_insert(reason);
                }
            }
        }
        let reason = first_problem.unwrap_or_else(|| Reason::OutsidePackages {
            searched: self.roots.clone(),
            virtual_workspace: self.virtual_workspace,
        });
        Err(Undiscoverable {
            dir,
            workspace_root: canonical(&self.workspace_root),
            reason,
        })
    }
}

fn check_under(root: &Path, dir: &Path) -> Result<(), Reason> {
    let Ok(below) = dir.strip_prefix(root) else {
        return Err(Reason::OutsidePackages {
            searched: vec![root.to_path_buf()],
            virtual_workspace: false,
        });
    };
    let mut current = root.to_path_buf();
    for part in below.components() {
        current.push(part);
        let name = part.as_os_str().to_string_lossy();
        if name == "target" {
            return Err(Reason::TargetDirectory { dir: current });
        }
        if name.starts_with('.') {
            return Err(Reason::HiddenDirectory { dir: current });
        }
        let manifest = current.join("Cargo.toml");
        if manifest.is_file() {
            return Err(Reason::NestedPackage { manifest });
        }
    }
    let (existing, _) = split_existing(dir);
    if !existing.starts_with(root) {
        return Ok(());
    }
    // The same walk cargo-insta does, pruned to the path leading to `existing`.
    let wanted = existing.clone();
    let found = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        .hidden(false)
        .filter_entry(move |entry| wanted.starts_with(entry.path()))
        .build()
        .filter_map(Result::ok)
        .any(|entry| entry.path() == existing);
    if found {
        Ok(())
    } else {
        Err(Reason::Ignored { dir: existing })
    }
}

/// `path` made absolute and canonical as far as it exists.
fn canonical(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let (existing, rest) = split_existing(&absolute);
    match existing.canonicalize() {
        Ok(existing) => existing.join(rest),
        Err(_) => absolute,
    }
}

/// Why cargo-insta will not see a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Not inside any directory cargo-insta searches.
    OutsidePackages {
        /// The directories it does search.
        searched: Vec<PathBuf>,
        /// Whether the workspace root manifest is virtual.
        virtual_workspace: bool,
    },
    /// Inside another package, which the walk does not enter.
    NestedPackage {
        /// That package's manifest.
        manifest: PathBuf,
    },
    /// Below a directory whose name starts with `.`.
    HiddenDirectory {
        /// The hidden directory.
        dir: PathBuf,
    },
    /// Below a directory named `target`.
    TargetDirectory {
        /// The `target` directory.
        dir: PathBuf,
    },
    /// Excluded by `.gitignore`, `.ignore` or git's exclude files.
    Ignored {
        /// The ignored directory (or its nearest existing ancestor).
        dir: PathBuf,
    },
}

/// cargo-insta will not find pending snapshots in `dir`; the message says why and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Undiscoverable {
    /// The directory checked.
    pub dir: PathBuf,
    /// The workspace root (for shorter paths in the message).
    pub workspace_root: PathBuf,
    /// Why it is not found.
    pub reason: Reason,
}

impl Undiscoverable {
    fn show(&self, path: &Path) -> String {
        match path.strip_prefix(&self.workspace_root) {
            Ok(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
            Ok(relative) => relative.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }
}

impl fmt::Display for Undiscoverable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.show(&self.dir);
        write!(
            f,
            "`cargo insta review` (run from the workspace root) will not find pending snapshots in `{dir}`: "
        )?;
        match &self.reason {
            Reason::OutsidePackages {
                searched,
                virtual_workspace: true,
            } => {
                let shown: Vec<String> = searched.iter().take(4).map(|p| self.show(p)).collect();
                let more = if searched.len() > 4 { ", ..." } else { "" };
                let searched = if shown.is_empty() {
                    "it has no member packages, so nothing".to_owned()
                } else {
                    format!("`{}`{more}", shown.join("`, `"))
                };
                write!(
                    f,
                    "the workspace's root Cargo.toml is a virtual manifest, so cargo-insta searches only the \
                     member packages' directories ({searched}), and `{dir}` is in none of them. Fix: set \
                     `snapshot_dir` in snapshot.toml to a directory inside a member package, or make `{dir}` \
                     a member package itself (a Cargo.toml there with a `[package]` and `[lib] path = \"lib.rs\"`, \
                     an empty lib.rs, and `{dir}` listed in `[workspace] members`)"
                )
            }
            Reason::OutsidePackages { searched, .. } => {
                let shown: Vec<String> = searched.iter().take(4).map(|p| self.show(p)).collect();
                write!(
                    f,
                    "cargo-insta searches only the root package (`{}`) unless given `--workspace`, and `{dir}` \
                     is not inside it. Fix: set `snapshot_dir` in snapshot.toml to a directory inside the root \
                     package that is not inside a member package, such as `snapshots`",
                    shown.join("`, `")
                )
            }
            Reason::NestedPackage { manifest } => write!(
                f,
                "`{}` makes it part of another package, and cargo-insta does not descend into other packages. \
                 Fix: set `snapshot_dir` in snapshot.toml to a directory outside that package",
                self.show(manifest)
            ),
            Reason::HiddenDirectory { dir: hidden } => write!(
                f,
                "`{}` starts with `.`, and cargo-insta skips hidden directories unless given `--include-hidden`. \
                 Fix: set `snapshot_dir` in snapshot.toml to a path without hidden directories",
                self.show(hidden)
            ),
            Reason::TargetDirectory { dir: target } => write!(
                f,
                "cargo-insta never searches directories named `target` such as `{}`. Fix: set `snapshot_dir` \
                 in snapshot.toml to a path without a `target` directory",
                self.show(target)
            ),
            Reason::Ignored { dir: ignored } => write!(
                f,
                "`{}` is excluded by a .gitignore, .ignore or git exclude rule, and cargo-insta skips ignored \
                 directories unless given `--include-ignored`. Fix: stop ignoring it (snapshots are meant to be \
                 committed)",
                self.show(ignored)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A package for the fake metadata: id, manifest path and `(kind, src_path)` targets.
    type FakePackage<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

    fn metadata(root: &Path, packages: &[FakePackage<'_>]) -> String {
        let packages: Vec<serde_json::Value> = packages
            .iter()
            .map(|(id, manifest, targets)| {
                serde_json::json!({
                    "id": id,
                    "manifest_path": root.join(manifest),
                    "targets": targets.iter().map(|(kind, src)| serde_json::json!({
                        "kind": [kind], "src_path": root.join(src)
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let members: Vec<&str> = packages.iter().filter_map(|p| p["id"].as_str()).collect();
        serde_json::json!({
            "packages": packages,
            "workspace_members": members,
            "workspace_root": root,
        })
        .to_string()
    }

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for path in ["member/Cargo.toml", "member/src/lib.rs", "member/build.rs"] {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        dir
    }

    fn virtual_search(root: &Path) -> InstaSearch {
        let json = metadata(
            root,
            &[(
                "member 0.1.0",
                "member/Cargo.toml",
                &[
                    ("lib", "member/src/lib.rs"),
                    ("custom-build", "member/build.rs"),
                ],
            )],
        );
        InstaSearch::from_metadata_json(&json).unwrap()
    }

    #[test]
    fn a_virtual_workspace_searches_its_members_but_not_build_script_directories() {
        let ws = workspace();
        let search = virtual_search(ws.path());
        assert!(search.is_virtual_workspace());
        assert_eq!(
            search.roots(),
            &[ws.path().join("member"), ws.path().join("member/src")]
        );
    }

    #[test]
    fn a_root_package_is_searched_alone() {
        let ws = workspace();
        let json = metadata(
            ws.path(),
            &[
                ("root 0.1.0", "Cargo.toml", &[("lib", "src/lib.rs")]),
                (
                    "member 0.1.0",
                    "member/Cargo.toml",
                    &[("lib", "member/src/lib.rs")],
                ),
            ],
        );
        let search = InstaSearch::from_metadata_json(&json).unwrap();
        assert!(!search.is_virtual_workspace());
        assert_eq!(
            search.roots(),
            &[ws.path().to_path_buf(), ws.path().join("src")]
        );
        search.check(&ws.path().join("snapshots")).unwrap();
        let err = search
            .check(&ws.path().join("member/snapshots"))
            .unwrap_err();
        assert!(matches!(err.reason, Reason::NestedPackage { .. }), "{err}");
    }

    #[test]
    fn the_root_of_a_virtual_workspace_is_not_searched() {
        let ws = workspace();
        let err = virtual_search(ws.path())
            .check(&ws.path().join("snapshots"))
            .unwrap_err();
        assert!(matches!(
            err.reason,
            Reason::OutsidePackages {
                virtual_workspace: true,
                ..
            }
        ));
        let message = err.to_string();
        assert!(
            message.contains("will not find pending snapshots in `snapshots`"),
            "{message}"
        );
        assert!(message.contains("virtual manifest"), "{message}");
        assert!(message.contains("`member`, `member/src`"), "{message}");
        assert!(message.contains("Fix: set `snapshot_dir`"), "{message}");
    }

    #[test]
    fn a_virtual_workspace_without_members_says_nothing_is_searched() {
        let ws = workspace();
        let err = InstaSearch::new(ws.path().to_path_buf(), true, Vec::new())
            .check(&ws.path().join("snapshots"))
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("(it has no member packages, so nothing)"),
            "{message}"
        );
        assert!(!message.contains("(``)"), "{message}");
    }

    #[test]
    fn inside_a_member_is_found_unless_hidden_target_or_ignored() {
        let ws = workspace();
        let search = virtual_search(ws.path());
        search.check(&ws.path().join("member/snapshots")).unwrap();

        let err = search
            .check(&ws.path().join("member/.snapshots"))
            .unwrap_err();
        assert!(
            matches!(err.reason, Reason::HiddenDirectory { .. }),
            "{err}"
        );
        let err = search
            .check(&ws.path().join("member/target/snapshots"))
            .unwrap_err();
        assert!(
            matches!(err.reason, Reason::TargetDirectory { .. }),
            "{err}"
        );

        // .gitignore only counts inside a git repository, as for cargo-insta.
        fs::create_dir_all(ws.path().join(".git")).unwrap();
        fs::create_dir_all(ws.path().join("member/snapshots/aws-sdk-sts")).unwrap();
        fs::write(ws.path().join(".gitignore"), "snapshots/\n").unwrap();
        let err = search
            .check(&ws.path().join("member/snapshots/aws-sdk-sts"))
            .unwrap_err();
        assert_eq!(
            err.reason,
            Reason::Ignored {
                dir: canonical(&ws.path().join("member/snapshots/aws-sdk-sts"))
            }
        );
        assert!(err.to_string().contains("--include-ignored"), "{err}");
        fs::write(ws.path().join(".gitignore"), "*.snap.new\n").unwrap();
        search
            .check(&ws.path().join("member/snapshots/aws-sdk-sts"))
            .unwrap();
    }

    #[test]
    fn garbage_metadata_is_an_error() {
        assert!(InstaSearch::from_metadata_json("{").is_err());
    }
}
