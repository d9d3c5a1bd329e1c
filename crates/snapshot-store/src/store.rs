//! The snapshot directory: reading, atomic writing, and comparing with pending files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use crate::artifact::{self, validate_artifact_name, Artifact, ArtifactWrite};
use crate::errors::{NameRole, StoreError};
use crate::format::{self, Header, SnapshotFile};
use crate::key::{validate_name, Kind, Snapshot, SnapshotKey};
use crate::replace;
use crate::report::{CompareReport, CompareResult, Outcome, SnapshotDiff, WriteSummary};
use crate::scope::Scope;

/// Extension of accepted snapshots.
const SNAP: &str = ".snap";
/// Extension of pending snapshots, as cargo-insta looks for them.
const SNAP_NEW: &str = ".snap.new";

/// Where pending `.snap.new` files go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PendingLocation {
    /// Next to the accepted file: `<Name>.snap.new` beside `<Name>.snap` (insta's default).
    #[default]
    NextToSnapshot,
    /// Mirrored under a separate directory, as cargo-insta reads them when `INSTA_PENDING_DIR`
    /// is set: `<dir>/<path of the .snap relative to the workspace root>.new`.
    Dir(PathBuf),
}

impl PendingLocation {
    /// What cargo-insta will use: `INSTA_PENDING_DIR` if set and non-empty, else next to the file.
    pub fn from_env() -> Self {
        match std::env::var_os("INSTA_PENDING_DIR") {
            Some(dir) if !dir.is_empty() => PendingLocation::Dir(PathBuf::from(dir)),
            _ => PendingLocation::NextToSnapshot,
        }
    }
}

/// An accepted snapshot as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSnapshot {
    /// Its key.
    pub key: SnapshotKey,
    /// The `.snap` file.
    pub path: PathBuf,
    /// The header fields.
    pub header: Header,
    /// The snapshot text (normalized as insta reads it).
    pub contents: String,
}

/// The snapshot directory of one workspace.
///
/// Layout: `<snapshot_dir>/<crate>/<kind>/<Name>.snap`, where `<kind>` is `requests`,
/// `responses` or `errors`. Paths should be absolute; the CLI resolves them against the
/// workspace root.
#[derive(Debug, Clone)]
pub struct Store {
    snapshot_dir: PathBuf,
    workspace_root: PathBuf,
    pending: PendingLocation,
}

impl Store {
    /// A store for `snapshot_dir`, inside (or next to) the workspace at `workspace_root`.
    /// Pending files go next to the accepted ones; see [`Store::with_pending_location`].
    pub fn new(snapshot_dir: impl Into<PathBuf>, workspace_root: impl Into<PathBuf>) -> Self {
        Store {
            snapshot_dir: snapshot_dir.into(),
            workspace_root: workspace_root.into(),
            pending: PendingLocation::NextToSnapshot,
        }
    }

    /// Where pending files go (use [`PendingLocation::from_env`] to follow `INSTA_PENDING_DIR`).
    pub fn with_pending_location(mut self, pending: PendingLocation) -> Self {
        self.pending = pending;
        self
    }

    /// The snapshot directory.
    pub fn snapshot_dir(&self) -> &Path {
        &self.snapshot_dir
    }

    /// The workspace root.
    pub fn workspace_root(&self) -> &Path {
        &self.workspace_root
    }

    /// The accepted `.snap` file of `key`.
    pub fn accepted_path(&self, key: &SnapshotKey) -> PathBuf {
        self.kind_dir(&key.crate_name, key.kind)
            .join(format!("{}{SNAP}", key.name))
    }

    /// The pending `.snap.new` file of `key`.
    pub fn pending_path(&self, key: &SnapshotKey) -> Result<PathBuf, StoreError> {
        Ok(self
            .pending_kind_dir(&key.crate_name, key.kind)?
            .join(format!("{}{SNAP_NEW}", key.name)))
    }

    /// `path` relative to the workspace root with `/` separators, or as given if outside it.
    pub fn display_path(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.workspace_root).unwrap_or(path);
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        if relative.is_absolute() {
            relative.display().to_string()
        } else {
            parts.join("/")
        }
    }

    /// Where the artifact `file_name` lives: at the root of the snapshot directory.
    pub fn artifact_path(&self, file_name: &str) -> PathBuf {
        self.snapshot_dir.join(file_name)
    }

    /// The text of the artifact `file_name`, if there is one.
    ///
    /// # Errors
    /// [`StoreError::InvalidName`] for a name no [`Artifact`] can have,
    /// [`StoreError::Unreadable`] when the file exists but cannot be read as text.
    pub fn read_artifact(&self, file_name: &str) -> Result<Option<String>, StoreError> {
        validate_artifact_name(file_name)?;
        let path = self.artifact_path(file_name);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            // No snapshot directory (or a file where it belongs, which writing reports): none.
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(err) => Err(StoreError::unreadable(&path, err)),
        }
    }

    /// The accepted snapshot of `key`, if there is one.
    pub fn read(&self, key: &SnapshotKey) -> Result<Option<StoredSnapshot>, StoreError> {
        key.validate()?;
        let path = self.accepted_path(key);
        let Some(file) = read_snapshot_file(&path)? else {
            return Ok(None);
        };
        Ok(Some(StoredSnapshot {
            key: key.clone(),
            path,
            header: file.parsed.header,
            contents: file.parsed.contents,
        }))
    }

    /// The accepted snapshots of one crate, sorted.
    pub fn list(&self, crate_name: &str) -> Result<Vec<SnapshotKey>, StoreError> {
        validate_name(NameRole::Crate, crate_name)?;
        let mut keys = Vec::new();
        for kind in Kind::ALL {
            for name in list_names(&self.kind_dir(crate_name, kind), SNAP)? {
                keys.push(SnapshotKey::new(crate_name, kind, name));
            }
        }
        Ok(keys)
    }

    /// The pending `.snap.new` files of one crate's replay kinds ([`Kind::ALL`]), sorted, where
    /// this store puts them ([`PendingLocation`]).
    pub fn list_pending(&self, crate_name: &str) -> Result<Vec<SnapshotKey>, StoreError> {
        validate_name(NameRole::Crate, crate_name)?;
        let mut keys = Vec::new();
        for kind in Kind::ALL {
            for name in list_names(&self.pending_kind_dir(crate_name, kind)?, SNAP_NEW)? {
                keys.push(SnapshotKey::new(crate_name, kind, name));
            }
        }
        Ok(keys)
    }

    /// When an accepted snapshot of one crate ([`Store::list`]) was last modified, the latest
    /// of them; `None` when there is none or the file system keeps no modification times.
    pub fn last_modified(&self, crate_name: &str) -> Result<Option<SystemTime>, StoreError> {
        let mut newest = None;
        for key in self.list(crate_name)? {
            let path = self.accepted_path(&key);
            let metadata = fs::metadata(&path).map_err(|err| StoreError::unreadable(&path, err))?;
            newest = newest.max(metadata.modified().ok());
        }
        Ok(newest)
    }

    /// Records `snapshots` as the accepted set for everything `scope` covers.
    ///
    /// Each covered crate directory is rebuilt in a hidden staging directory next to it (keeping
    /// every file outside the scope) and then swapped into place, so readers never see a
    /// half-written directory and a failure before the swap leaves the old snapshots untouched.
    /// All crates are staged before any is swapped, so a failure while writing changes nothing;
    /// only a failed rename during the swaps themselves can leave earlier crates updated and
    /// later ones not (each crate directory is consistent either way, and the error says so).
    /// Within the scope, accepted snapshots the run did not produce are deleted, and so are
    /// pending `.snap.new` files.
    pub fn write(
        &self,
        scope: &Scope,
        snapshots: Vec<Snapshot>,
    ) -> Result<WriteSummary, StoreError> {
        self.write_with_artifacts(scope, snapshots, Vec::new())
    }

    /// [`Store::write`], together with `artifacts` at the root of the snapshot directory.
    ///
    /// Each artifact whose file does not already hold exactly its text is staged as a hidden
    /// file next to it while the crate directories are staged, and renamed into place after the
    /// last crate directory is swapped in; a failure before that leaves the old file untouched.
    pub fn write_with_artifacts(
        &self,
        scope: &Scope,
        snapshots: Vec<Snapshot>,
        artifacts: Vec<Artifact>,
    ) -> Result<WriteSummary, StoreError> {
        let by_crate = self.check_run(scope, snapshots)?;
        let mut summary = WriteSummary::default();
        // Nothing in scope (e.g. every service failed to build): leave no empty directory.
        if scope.crates().next().is_none() && artifacts.is_empty() {
            return Ok(summary);
        }
        self.ensure_snapshot_dir()?;
        let mut staged = Vec::new();
        for crate_name in scope.crates() {
            let produced = by_crate
                .get(crate_name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            staged.extend(self.stage_crate(scope, crate_name, produced, &mut summary)?);
        }
        let mut staged_artifacts = Vec::new();
        for artifact in &artifacts {
            let (stage, change) = artifact::stage(&self.snapshot_dir, artifact)?;
            staged_artifacts.extend(stage);
            summary.artifacts.push(ArtifactWrite {
                file_name: artifact.file_name().to_owned(),
                change,
            });
        }
        for (stage, target) in staged {
            replace::commit(stage, &target)?;
        }
        for stage in staged_artifacts {
            artifact::commit(stage)?;
        }
        if let PendingLocation::Dir(_) = self.pending {
            let produced = BTreeSet::new();
            summary.pending_removed += self.remove_stale_pending(scope, &produced)?;
        }
        summary.created.sort();
        summary.updated.sort();
        summary.removed.sort();
        Ok(summary)
    }

    /// Compares `snapshots` with the accepted ones, never modifying an accepted `.snap`.
    ///
    /// Each changed or new snapshot is written as a pending `.snap.new` file where
    /// `cargo insta review` / `cargo insta accept` pick it up; accepting it yields exactly the
    /// file [`Store::write`] would have written. Pending files that no longer apply (the
    /// snapshot now passes, or is no longer produced) are deleted. Accepted snapshots in the
    /// scope that the run did not produce are reported as [`Outcome::Removed`].
    pub fn compare(
        &self,
        scope: &Scope,
        snapshots: Vec<Snapshot>,
    ) -> Result<CompareReport, StoreError> {
        let by_crate = self.check_run(scope, snapshots)?;
        let mut results = Vec::new();
        let mut produced = BTreeSet::new();
        for snapshot in by_crate.into_values().flatten() {
            produced.insert(snapshot.key.clone());
            results.push(self.compare_one(snapshot)?);
        }
        for crate_name in scope.crates() {
            for (kind, coverage) in scope.kinds(crate_name) {
                for name in list_names(&self.kind_dir(crate_name, kind), SNAP)? {
                    let key = SnapshotKey::new(crate_name, kind, name);
                    if coverage.covers(&key.name) && !produced.contains(&key) {
                        let accepted = self.accepted_path(&key);
                        results.push(CompareResult {
                            display_path: self.display_path(&accepted),
                            accepted,
                            key,
                            outcome: Outcome::Removed,
                        });
                    }
                }
            }
        }
        self.remove_stale_pending(scope, &produced)?;
        results.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(CompareReport { results })
    }

    fn compare_one(&self, snapshot: Snapshot) -> Result<CompareResult, StoreError> {
        let key = snapshot.key;
        let accepted = self.accepted_path(&key);
        let pending = self.pending_path(&key)?;
        let rendered = format::render(&snapshot.source, &snapshot.expression, &snapshot.contents);
        let expected = format::expected(&snapshot.source, &snapshot.expression, &snapshot.contents);
        let outcome = match read_snapshot_file(&accepted)? {
            Some(existing) if existing.parsed == expected => {
                remove_if_exists(&pending)?;
                Outcome::Passed
            }
            Some(existing) => {
                write_atomically(&pending, &rendered)?;
                let diff = SnapshotDiff::new(
                    self.display_path(&accepted),
                    self.display_path(&pending),
                    existing.text.replace("\r\n", "\n"),
                    rendered,
                );
                Outcome::Changed { pending, diff }
            }
            None => {
                write_atomically(&pending, &rendered)?;
                Outcome::New { pending }
            }
        };
        Ok(CompareResult {
            display_path: self.display_path(&accepted),
            accepted,
            key,
            outcome,
        })
    }

    /// Validates names, scope membership and uniqueness; groups the snapshots by crate.
    fn check_run(
        &self,
        scope: &Scope,
        snapshots: Vec<Snapshot>,
    ) -> Result<BTreeMap<String, Vec<Snapshot>>, StoreError> {
        for crate_name in scope.crates() {
            validate_name(NameRole::Crate, crate_name)?;
        }
        let mut seen = BTreeSet::new();
        let mut by_crate: BTreeMap<String, Vec<Snapshot>> = BTreeMap::new();
        for snapshot in snapshots {
            snapshot.key.validate()?;
            if !scope.covers(&snapshot.key) {
                return Err(StoreError::OutsideScope { key: snapshot.key });
            }
            if !seen.insert(snapshot.key.clone()) {
                return Err(StoreError::DuplicateSnapshot { key: snapshot.key });
            }
            by_crate
                .entry(snapshot.key.crate_name.clone())
                .or_default()
                .push(snapshot);
        }
        for snapshots in by_crate.values_mut() {
            snapshots.sort_by(|a, b| a.key.cmp(&b.key));
        }
        Ok(by_crate)
    }

    fn ensure_snapshot_dir(&self) -> Result<(), StoreError> {
        let dir = &self.snapshot_dir;
        if let Err(err) = fs::create_dir_all(dir) {
            return Err(match fs::metadata(dir) {
                Ok(meta) if !meta.is_dir() => StoreError::NotADirectory { path: dir.clone() },
                _ => StoreError::unwritable(dir, err),
            });
        }
        Ok(())
    }

    /// Builds the new directory of one crate; returns it with the directory it will replace,
    /// or `None` when the directory already holds exactly these files (nothing to swap).
    fn stage_crate(
        &self,
        scope: &Scope,
        crate_name: &str,
        produced: &[Snapshot],
        summary: &mut WriteSummary,
    ) -> Result<Option<(tempfile::TempDir, PathBuf)>, StoreError> {
        let target = self.snapshot_dir.join(crate_name);
        let target_exists = match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => true,
            Ok(_) => return Err(StoreError::NotADirectory { path: target }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => false,
            Err(err) => return Err(StoreError::unreadable(&target, err)),
        };

        // What changes, before touching anything.
        let produced_keys: BTreeSet<&SnapshotKey> = produced.iter().map(|s| &s.key).collect();
        let mut removed = Vec::new();
        let mut pending_dropped = 0;
        if target_exists {
            for (kind, coverage) in scope.kinds(crate_name) {
                let dir = target.join(kind.dir_name());
                pending_dropped += list_names(&dir, SNAP_NEW)?
                    .iter()
                    .filter(|name| coverage.covers(name))
                    .count();
                for name in list_names(&dir, SNAP)? {
                    let key = SnapshotKey::new(crate_name, kind, name);
                    if coverage.covers(&key.name) && !produced_keys.contains(&key) {
                        removed.push(key);
                    }
                }
            }
        }
        let mut rendered = Vec::with_capacity(produced.len());
        let mut identical_bytes = true;
        for snapshot in produced {
            let key = &snapshot.key;
            let text = format::render(&snapshot.source, &snapshot.expression, &snapshot.contents);
            let expected =
                format::expected(&snapshot.source, &snapshot.expression, &snapshot.contents);
            // A malformed old file is simply replaced: `write` is how it gets repaired.
            match read_snapshot_file(&self.accepted_path(key)) {
                Ok(None) => summary.created.push(key.clone()),
                Ok(Some(old)) if old.parsed == expected => {
                    summary.unchanged += 1;
                    // Equal for insta but not byte for byte (e.g. CRLF): rewrite it canonically.
                    identical_bytes &= old.text == text;
                    rendered.push((key, text));
                    continue;
                }
                _ => summary.updated.push(key.clone()),
            }
            identical_bytes = false;
            rendered.push((key, text));
        }
        let nothing_to_do = identical_bytes && removed.is_empty() && pending_dropped == 0;
        summary.removed.extend(removed);
        if let PendingLocation::NextToSnapshot = self.pending {
            summary.pending_removed += pending_dropped;
        }
        if nothing_to_do && (target_exists || produced.is_empty()) {
            return Ok(None);
        }

        let stage = replace::stage_for(&target)?;
        if target_exists {
            let in_scope = |relative: &Path| {
                let Some((kind, name)) = snapshot_file_parts(relative) else {
                    return false;
                };
                scope
                    .coverage(crate_name, kind)
                    .is_some_and(|coverage| coverage.covers(name))
            };
            replace::copy_tree(&target, stage.path(), &|relative| in_scope(relative))?;
        }
        let mut kind_dirs = BTreeSet::new();
        for (key, text) in rendered {
            let dir = stage.path().join(key.kind.dir_name());
            if kind_dirs.insert(key.kind) {
                fs::create_dir_all(&dir).map_err(|err| StoreError::unwritable(&dir, err))?;
            }
            let path = dir.join(format!("{}{SNAP}", key.name));
            fs::write(&path, text).map_err(|err| StoreError::unwritable(&path, err))?;
        }
        Ok(Some((stage, target)))
    }

    /// Deletes pending files in the scope whose snapshot was not produced; returns how many.
    fn remove_stale_pending(
        &self,
        scope: &Scope,
        produced: &BTreeSet<SnapshotKey>,
    ) -> Result<usize, StoreError> {
        let mut removed = 0;
        for crate_name in scope.crates() {
            for (kind, coverage) in scope.kinds(crate_name) {
                let dir = self.pending_kind_dir(crate_name, kind)?;
                for name in list_names(&dir, SNAP_NEW)? {
                    let key = SnapshotKey::new(crate_name, kind, name);
                    if coverage.covers(&key.name) && !produced.contains(&key) {
                        remove_if_exists(&self.pending_path(&key)?)?;
                        removed += 1;
                    }
                }
            }
        }
        Ok(removed)
    }

    fn kind_dir(&self, crate_name: &str, kind: Kind) -> PathBuf {
        self.snapshot_dir.join(crate_name).join(kind.dir_name())
    }

    fn pending_kind_dir(&self, crate_name: &str, kind: Kind) -> Result<PathBuf, StoreError> {
        let dir = self.kind_dir(crate_name, kind);
        match &self.pending {
            PendingLocation::NextToSnapshot => Ok(dir),
            PendingLocation::Dir(pending_root) => {
                let relative = relative_inside(&dir, &self.workspace_root).ok_or_else(|| {
                    StoreError::PendingDirOutsideWorkspace {
                        path: dir.clone(),
                        workspace_root: self.workspace_root.clone(),
                    }
                })?;
                Ok(pending_root.join(relative))
            }
        }
    }
}

/// `path` relative to `root` without `..`, trying canonical forms if the plain prefix differs
/// (as cargo-insta does).
fn relative_inside(path: &Path, root: &Path) -> Option<PathBuf> {
    let relative = match path.strip_prefix(root) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => {
            let root = root.canonicalize().ok()?;
            // The path itself may not exist yet: canonicalize its nearest existing ancestor.
            let (existing, rest) = split_existing(path);
            existing
                .canonicalize()
                .ok()?
                .join(rest)
                .strip_prefix(&root)
                .ok()?
                .to_path_buf()
        }
    };
    if relative
        .components()
        .any(|part| part == Component::ParentDir)
    {
        return None;
    }
    Some(relative)
}

/// The nearest existing ancestor of `path` and the rest of the path below it.
pub(crate) fn split_existing(path: &Path) -> (PathBuf, PathBuf) {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let rest: PathBuf = rest.iter().rev().collect();
    (existing, rest)
}

/// For `<kind dir>/<Name>.snap` or `<kind dir>/<Name>.snap.new`: the kind and the name.
fn snapshot_file_parts(relative: &Path) -> Option<(Kind, &str)> {
    let kind = Kind::from_dir(relative.parent()?)?;
    let file = relative.file_name()?.to_str()?;
    let name = file
        .strip_suffix(SNAP_NEW)
        .or_else(|| file.strip_suffix(SNAP))?;
    Some((kind, name))
}

/// The names of files `<Name><suffix>` in `dir` (none if `dir` does not exist), sorted.
/// Files whose name is not a valid snapshot name (such as temporary files) are not listed.
fn list_names(dir: &Path, suffix: &str) -> Result<BTreeSet<String>, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if is_missing(&err) => return Ok(BTreeSet::new()),
        Err(err) => return Err(StoreError::unreadable(dir, err)),
    };
    let mut names = BTreeSet::new();
    for entry in entries {
        let entry = entry.map_err(|err| StoreError::unreadable(dir, err))?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        // `X.snap.new` must not be listed as an accepted snapshot named `X.snap` — nor the reverse.
        let name = match suffix {
            SNAP if file_name.ends_with(SNAP_NEW) => None,
            _ => file_name.strip_suffix(suffix),
        };
        let Some(name) = name else { continue };
        let valid = validate_name(NameRole::Snapshot, name).is_ok();
        if valid && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            names.insert(name.to_owned());
        }
    }
    Ok(names)
}

/// Not found, or a parent is not a directory: either way there is nothing to read.
fn is_missing(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

struct ReadFile {
    text: String,
    parsed: SnapshotFile,
}

fn read_snapshot_file(path: &Path) -> Result<Option<ReadFile>, StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if is_missing(&err) => return Ok(None),
        Err(err) if err.kind() == io::ErrorKind::InvalidData => {
            return Err(StoreError::Malformed {
                path: path.to_path_buf(),
                reason: "it is not UTF-8 text".to_owned(),
            })
        }
        Err(err) => return Err(StoreError::unreadable(path, err)),
    };
    let parsed = format::parse(&text).map_err(|err| StoreError::Malformed {
        path: path.to_path_buf(),
        reason: err.to_string(),
    })?;
    Ok(Some(ReadFile { text, parsed }))
}

/// Writes through a hidden temporary file in the same directory, then renames it into place,
/// so cargo-insta never reads a half-written pending file.
fn write_atomically(path: &Path, text: &str) -> Result<(), StoreError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|err| StoreError::unwritable(parent, err))?;
    let mut file = tempfile::Builder::new()
        .prefix(".cargo-snapshot-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|err| StoreError::unwritable(parent, err))?;
    file.write_all(text.as_bytes())
        .map_err(|err| StoreError::unwritable(file.path(), err))?;
    file.persist(path)
        .map_err(|err| StoreError::unwritable(path, err.error))?;
    Ok(())
}

fn remove_if_exists(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(StoreError::unwritable(path, err)),
    }
}
