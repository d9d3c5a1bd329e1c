//! What `write` and `compare` did: per-snapshot outcomes, counts and unified diffs.

use std::fmt::{self, Write as _};
use std::path::PathBuf;

use similar::{ChangeTag, TextDiff};

use crate::artifact::ArtifactWrite;
use crate::key::SnapshotKey;

/// The result of [`crate::Store::compare`], sorted by key.
#[derive(Debug, Clone, Default)]
pub struct CompareReport {
    /// One entry per produced snapshot, plus one per accepted snapshot the run no longer produces.
    pub results: Vec<CompareResult>,
}

/// How one snapshot compared.
#[derive(Debug, Clone)]
pub struct CompareResult {
    /// The snapshot.
    pub key: SnapshotKey,
    /// The accepted `.snap` file (which `compare` never modifies).
    pub accepted: PathBuf,
    /// `accepted` relative to the workspace root, `/`-separated: for messages.
    pub display_path: String,
    /// What happened.
    pub outcome: Outcome,
}

/// The outcome for one snapshot.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Identical to the accepted snapshot.
    Passed,
    /// Different from the accepted snapshot; the new version waits in `pending`.
    Changed {
        /// The pending `.snap.new` file `cargo insta review` will offer.
        pending: PathBuf,
        /// Accepted versus new file text.
        diff: SnapshotDiff,
    },
    /// No accepted snapshot yet; the new version waits in `pending`.
    New {
        /// The pending `.snap.new` file `cargo insta review` will offer.
        pending: PathBuf,
    },
    /// Accepted, but the run no longer produces it (its operation or error shape is gone).
    ///
    /// This is a failure: the committed snapshots no longer describe the client. cargo-insta
    /// has no way to accept a deletion, so the fix is `cargo snapshot write` (which deletes it)
    /// or deleting the file by hand.
    Removed,
}

impl Outcome {
    /// Whether this outcome fails `compare`.
    pub fn is_failure(&self) -> bool {
        !matches!(self, Outcome::Passed)
    }

    /// A one-word label: `passed`, `changed`, `new` or `removed`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Changed { .. } => "changed",
            Outcome::New { .. } => "new",
            Outcome::Removed => "removed",
        }
    }
}

impl CompareResult {
    /// A one-line description, e.g. `changed: snapshots/aws-sdk-sts/requests/AssumeRole.snap`.
    pub fn summary_line(&self) -> String {
        match &self.outcome {
            Outcome::Removed => format!(
                "removed: {} is no longer produced (`cargo snapshot write` deletes it)",
                self.display_path
            ),
            outcome => format!("{}: {}", outcome.label(), self.display_path),
        }
    }
}

/// Tallies of a comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Identical snapshots.
    pub passed: usize,
    /// Snapshots that differ.
    pub changed: usize,
    /// Snapshots with no accepted version.
    pub new: usize,
    /// Accepted snapshots no longer produced.
    pub removed: usize,
}

impl Counts {
    /// Everything that is not a pass.
    pub fn failed(&self) -> usize {
        self.changed + self.new + self.removed
    }
}

impl fmt::Display for Counts {
    /// `N passed, N failed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed())
    }
}

impl CompareReport {
    /// Tallies by outcome.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for result in &self.results {
            match result.outcome {
                Outcome::Passed => counts.passed += 1,
                Outcome::Changed { .. } => counts.changed += 1,
                Outcome::New { .. } => counts.new += 1,
                Outcome::Removed => counts.removed += 1,
            }
        }
        counts
    }

    /// Whether every snapshot passed.
    pub fn is_success(&self) -> bool {
        self.results
            .iter()
            .all(|result| !result.outcome.is_failure())
    }

    /// The results that fail the comparison.
    pub fn failures(&self) -> impl Iterator<Item = &CompareResult> {
        self.results
            .iter()
            .filter(|result| result.outcome.is_failure())
    }

    /// Whether any pending file was written for `cargo insta review`.
    pub fn has_pending(&self) -> bool {
        self.results.iter().any(|result| {
            matches!(
                result.outcome,
                Outcome::Changed { .. } | Outcome::New { .. }
            )
        })
    }

    /// Every failure: its summary line, then for changed snapshots the diff.
    pub fn render_failures(&self, options: &DiffOptions) -> String {
        let mut out = String::new();
        for result in self.failures() {
            out.push_str(&result.summary_line());
            out.push('\n');
            if let Outcome::Changed { diff, .. } = &result.outcome {
                out.push_str(&diff.render(options));
            }
        }
        out
    }
}

/// The accepted and the new text of a changed snapshot file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotDiff {
    old_label: String,
    new_label: String,
    old: String,
    new: String,
}

/// How to render a [`SnapshotDiff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffOptions {
    /// ANSI colours (the caller decides, e.g. from whether stdout is a terminal).
    pub color: bool,
    /// Unchanged lines shown around each change.
    pub context_lines: usize,
    /// Cut the diff after this many lines, saying how many were left out.
    pub max_lines: Option<usize>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            color: false,
            context_lines: 3,
            max_lines: Some(60),
        }
    }
}

impl DiffOptions {
    /// The defaults, with or without colour.
    pub fn with_color(color: bool) -> Self {
        DiffOptions {
            color,
            ..DiffOptions::default()
        }
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

impl SnapshotDiff {
    pub(crate) fn new(old_label: String, new_label: String, old: String, new: String) -> Self {
        SnapshotDiff {
            old_label,
            new_label,
            old,
            new,
        }
    }

    /// The accepted file text (`\r\n` shown as `\n`).
    pub fn old(&self) -> &str {
        &self.old
    }

    /// The new file text, exactly as the pending file holds it.
    pub fn new_text(&self) -> &str {
        &self.new
    }

    /// A unified diff of the two files; line numbers are those of the files.
    pub fn render(&self, options: &DiffOptions) -> String {
        let paint = |color: &'static str| if options.color { color } else { "" };
        let reset = paint(RESET);
        let diff = TextDiff::from_lines(&self.old, &self.new);
        let mut lines = vec![
            format!("{}--- {}{reset}", paint(BOLD), self.old_label),
            format!("{}+++ {}{reset}", paint(BOLD), self.new_label),
        ];
        for hunk in diff
            .unified_diff()
            .context_radius(options.context_lines)
            .iter_hunks()
        {
            lines.push(format!("{}{}{reset}", paint(CYAN), hunk.header()));
            for change in hunk.iter_changes() {
                let (sign, color) = match change.tag() {
                    ChangeTag::Delete => ('-', paint(RED)),
                    ChangeTag::Insert => ('+', paint(GREEN)),
                    ChangeTag::Equal => (' ', ""),
                };
                let text = change.value().trim_end_matches(['\n', '\r']);
                let mut line = format!("{color}{sign}{text}");
                if !color.is_empty() {
                    line.push_str(reset);
                }
                lines.push(line);
                if change.missing_newline() {
                    lines.push(format!("{}\\ No newline at end of file{reset}", paint(DIM)));
                }
            }
        }
        let mut out = String::new();
        let shown = options.max_lines.map_or(lines.len(), |max| max.max(3));
        for line in lines.iter().take(shown) {
            out.push_str(line);
            out.push('\n');
        }
        if lines.len() > shown {
            let _ = writeln!(
                out,
                "{}... {} more diff lines; see them all with `cargo insta review`{reset}",
                paint(DIM),
                lines.len() - shown
            );
        }
        out
    }
}

/// The result of [`crate::Store::write`], keys sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Snapshots that did not exist before.
    pub created: Vec<SnapshotKey>,
    /// Snapshots whose header or text changed.
    pub updated: Vec<SnapshotKey>,
    /// Snapshots written again with the same content.
    pub unchanged: usize,
    /// Accepted snapshots deleted because the run no longer produces them.
    pub removed: Vec<SnapshotKey>,
    /// Pending `.snap.new` files deleted because the new snapshots supersede them.
    pub pending_removed: usize,
    /// The artifacts written with the snapshots, in the order given.
    pub artifacts: Vec<ArtifactWrite>,
}

impl fmt::Display for WriteSummary {
    /// `N snapshots written (N new, N changed), N removed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self.created.len() + self.updated.len() + self.unchanged;
        write!(
            f,
            "{written} snapshots written ({} new, {} changed), {} removed",
            self.created.len(),
            self.updated.len(),
            self.removed.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff() -> SnapshotDiff {
        let old: String = (1..=10).map(|n| format!("line {n}\n")).collect();
        let new = old.replace("line 5\n", "line five\n");
        SnapshotDiff::new("a.snap".into(), "a.snap.new".into(), old, new)
    }

    #[test]
    fn plain_diff_is_a_unified_diff_with_context() {
        assert_eq!(
            diff().render(&DiffOptions::with_color(false)),
            "--- a.snap\n+++ a.snap.new\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n"
        );
    }

    #[test]
    fn coloured_diff_paints_removed_red_and_added_green() {
        let out = diff().render(&DiffOptions::with_color(true));
        assert!(out.contains("\x1b[31m-line 5\x1b[0m\n"), "{out:?}");
        assert!(out.contains("\x1b[32m+line five\x1b[0m\n"), "{out:?}");
        assert!(out.contains("\x1b[36m@@ -2,7 +2,7 @@\x1b[0m\n"), "{out:?}");
        assert!(!diff().render(&DiffOptions::default()).contains('\x1b'));
    }

    #[test]
    fn long_diffs_are_cut_and_say_so() {
        let options = DiffOptions {
            max_lines: Some(5),
            ..DiffOptions::default()
        };
        let out = diff().render(&options);
        assert_eq!(out.lines().count(), 6, "{out}");
        assert!(out.ends_with("... 6 more diff lines; see them all with `cargo insta review`\n"));
    }

    #[test]
    fn counts_print_as_the_summary_line() {
        let counts = Counts {
            passed: 7,
            changed: 1,
            new: 2,
            removed: 1,
        };
        assert_eq!(counts.to_string(), "7 passed, 4 failed");
    }
}
