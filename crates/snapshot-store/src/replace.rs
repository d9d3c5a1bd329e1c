//! Replacing a directory as a whole: stage next to it, then swap it into place.
//!
//! A staged directory is a hidden temporary directory (`.<name>.cargo-snapshot-XXXXXX`) in the
//! same parent as its target, so the final move is a rename on one filesystem. cargo-insta
//! skips hidden directories, and the temporary directory deletes itself if anything fails
//! before the swap, so a failed run leaves neither half-written snapshots nor litter.
//!
//! On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: readers see either the old or the
//! new directory, never neither. Elsewhere (or on filesystems without exchange support) the old
//! directory is renamed aside and the new one renamed in, with the old one moved back if the
//! second rename fails.
//!
//! Only a process killed between staging and swapping leaves a staging directory behind; it
//! is hidden, ignored by cargo-insta and by the store, and safe to delete. Files are not
//! fsynced: the guarantee is against failed and interrupted runs, not power loss.

use std::fs;
use std::io;
use std::path::Path;

use tempfile::TempDir;

use crate::errors::{StoreError, SwapState};

/// Creates an empty staging directory for `target` next to it.
pub(crate) fn stage_for(target: &Path) -> Result<TempDir, StoreError> {
    let parent = parent_of(target);
    tempfile::Builder::new()
        .prefix(&format!(".{}.cargo-snapshot-", file_name_of(target)))
        .tempdir_in(parent)
        .map_err(|source| StoreError::unwritable(parent, source))
}

/// Puts the contents of `staged` at `target`, replacing what was there as one step.
/// An empty staged directory removes `target`.
pub(crate) fn commit(staged: TempDir, target: &Path) -> Result<(), StoreError> {
    let staged_is_empty = is_empty_dir(staged.path())?;
    let target_exists = match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return Err(StoreError::NotADirectory {
                path: target.to_path_buf(),
            })
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => false,
        Err(err) => return Err(StoreError::unreadable(target, err)),
    };
    match (target_exists, staged_is_empty) {
        // Nothing was there and nothing is to be there.
        (false, true) => Ok(()),
        (false, false) => fs::rename(staged.path(), target).map_err(|source| StoreError::Swap {
            target: target.to_path_buf(),
            state: SwapState::OldIntact,
            source,
        }),
        (true, _) => {
            exchange(staged.path(), target)?;
            if staged_is_empty {
                // The target is now the empty staged directory; an empty leftover is harmless.
                let _ = fs::remove_dir(target);
            }
            // Dropping `staged` deletes whatever is now at its path: the old directory.
            drop(staged);
            Ok(())
        }
    }
}

/// Afterwards `target` holds what was at `staged`; whatever is left at `staged` may be deleted.
fn exchange(staged: &Path, target: &Path) -> Result<(), StoreError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // The filesystem or kernel cannot exchange: fall back to two renames.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(err) => {
                return Err(StoreError::Swap {
                    target: target.to_path_buf(),
                    state: SwapState::OldIntact,
                    source: err.into(),
                })
            }
        }
    }
    swap_by_renames(staged, target)
}

/// The portable swap: move the old directory aside into a temporary holder, move the new one
/// in, and let the holder delete the old one. Restores the old directory if the second move fails.
pub(crate) fn swap_by_renames(staged: &Path, target: &Path) -> Result<(), StoreError> {
    let holder = tempfile::Builder::new()
        .prefix(&format!(".{}.cargo-snapshot-old-", file_name_of(target)))
        .tempdir_in(parent_of(target))
        .map_err(|source| StoreError::unwritable(parent_of(target), source))?;
    let aside = holder.path().join("old");
    fs::rename(target, &aside).map_err(|source| StoreError::Swap {
        target: target.to_path_buf(),
        state: SwapState::OldIntact,
        source,
    })?;
    if let Err(source) = fs::rename(staged, target) {
        let state = match fs::rename(&aside, target) {
            Ok(()) => SwapState::OldIntact,
            Err(_) => SwapState::OldMovedAside {
                aside: holder.keep().join("old"),
            },
        };
        return Err(StoreError::Swap {
            target: target.to_path_buf(),
            state,
            source,
        });
    }
    Ok(())
}

/// Copies the tree at `from` into the existing directory `to`, skipping files for which
/// `skip(relative_path)` is true. Directories are recreated only if something lands in them.
pub(crate) fn copy_tree(
    from: &Path,
    to: &Path,
    skip: &dyn Fn(&Path) -> bool,
) -> Result<(), StoreError> {
    copy_tree_at(from, to, Path::new(""), skip)
}

fn copy_tree_at(
    from: &Path,
    to: &Path,
    relative: &Path,
    skip: &dyn Fn(&Path) -> bool,
) -> Result<(), StoreError> {
    let source_dir = from.join(relative);
    let entries =
        fs::read_dir(&source_dir).map_err(|err| StoreError::unreadable(&source_dir, err))?;
    for entry in entries {
        let entry = entry.map_err(|err| StoreError::unreadable(&source_dir, err))?;
        let child = relative.join(entry.file_name());
        let source = from.join(&child);
        let file_type = entry
            .file_type()
            .map_err(|err| StoreError::unreadable(&source, err))?;
        if file_type.is_dir() {
            copy_tree_at(from, to, &child, skip)?;
        } else if !skip(&child) {
            let destination = to.join(&child);
            if let Some(parent) = destination.parent() {
                fs::create_dir_all(parent).map_err(|err| StoreError::unwritable(parent, err))?;
            }
            // Reading follows symlinks: the copy holds what the link pointed to.
            let bytes = fs::read(&source).map_err(|err| StoreError::unreadable(&source, err))?;
            fs::write(&destination, bytes)
                .map_err(|err| StoreError::unwritable(&destination, err))?;
        }
    }
    Ok(())
}

fn is_empty_dir(dir: &Path) -> Result<bool, StoreError> {
    let mut entries = fs::read_dir(dir).map_err(|err| StoreError::unreadable(dir, err))?;
    Ok(entries.next().is_none())
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        collect(dir, dir, &mut out);
        out.sort();
        out
    }

    fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn commit_replaces_the_whole_directory_and_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("crate");
        write(&target.join("requests/Old.snap"), "old");
        let staged = stage_for(&target).unwrap();
        write(&staged.path().join("requests/New.snap"), "new");
        commit(staged, &target).unwrap();
        assert_eq!(
            tree(&target),
            vec![("requests/New.snap".into(), "new".into())]
        );
        assert_eq!(entries(root.path()), vec!["crate"]);
    }

    #[test]
    fn commit_creates_a_missing_target_and_an_empty_stage_removes_it() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("crate");
        let staged = stage_for(&target).unwrap();
        write(&staged.path().join("errors/E.snap"), "e");
        commit(staged, &target).unwrap();
        assert_eq!(tree(&target), vec![("errors/E.snap".into(), "e".into())]);

        let staged = stage_for(&target).unwrap();
        commit(staged, &target).unwrap();
        assert!(entries(root.path()).is_empty());
    }

    #[test]
    fn the_portable_swap_replaces_and_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("crate");
        write(&target.join("a.snap"), "old");
        let staged = stage_for(&target).unwrap();
        write(&staged.path().join("b.snap"), "new");
        swap_by_renames(staged.path(), &target).unwrap();
        drop(staged);
        assert_eq!(tree(&target), vec![("b.snap".into(), "new".into())]);
        assert_eq!(entries(root.path()), vec!["crate"]);
    }

    #[test]
    fn the_portable_swap_restores_the_old_directory_when_the_new_one_cannot_move_in() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("crate");
        write(&target.join("a.snap"), "old");
        // A staged path that does not exist makes the second rename fail.
        let missing = root.path().join(".crate.cargo-snapshot-missing");
        let err = swap_by_renames(&missing, &target).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Swap {
                    state: SwapState::OldIntact,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(tree(&target), vec![("a.snap".into(), "old".into())]);
        assert_eq!(entries(root.path()), vec!["crate"]);
    }

    #[test]
    fn copy_tree_skips_what_it_is_told_and_keeps_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let from = root.path().join("from");
        write(&from.join("requests/A.snap"), "a");
        write(&from.join("requests/B.snap"), "b");
        write(&from.join("README.md"), "notes");
        let to = root.path().join("to");
        fs::create_dir(&to).unwrap();
        copy_tree(&from, &to, &|path| path == Path::new("requests/A.snap")).unwrap();
        assert_eq!(
            tree(&to),
            vec![
                ("README.md".into(), "notes".into()),
                ("requests/B.snap".into(), "b".into())
            ]
        );
    }
}
