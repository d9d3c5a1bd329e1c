//! The mutants of a crate as `cargo mutants --list --json --diff` describes them, a
//! deterministic sample of them, and applying one to a source file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// One mutation cargo-mutants proposes: replace the text at `span` of `file` by
/// `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Mutant {
    /// The file, relative to the crate root (`src/protocol_serde/shape_assume_role.rs`).
    pub file: PathBuf,
    /// The function the mutation is in.
    pub function: Option<Function>,
    /// What kind of mutation (`FnValue`, `MatchArm`, `MatchArmGuard`, `BinaryOperator`,
    /// `UnaryOperator`, ...).
    pub genre: String,
    /// cargo-mutants' one-line description, with the location.
    pub name: String,
    /// The replaced text (empty for a deleted match arm).
    pub replacement: String,
    /// What is replaced.
    pub span: Span,
    /// The mutation as a unified diff.
    #[serde(default)]
    pub diff: String,
}

/// A function around a mutation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Function {
    /// Its name (`de_assume_role_http_error`).
    pub function_name: String,
    /// Its text span.
    pub span: Span,
}

/// A text span: 1-based lines, 1-based columns counted in characters, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct Span {
    /// First character.
    pub start: LineColumn,
    /// One past the last character.
    pub end: LineColumn,
}

/// A position in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Reads `cargo mutants --list --json` output.
pub fn parse_list(json: &[u8]) -> Result<Vec<Mutant>> {
    serde_json::from_slice(json).context("reading cargo-mutants' --list --json output")
}

/// `count` mutants of `all`, chosen by `seed`, in the order of `all` (so mutants of one file
/// follow each other and incremental builds help). The same list, count and seed always give
/// the same sample: the generator is SplitMix64 and the draw a partial Fisher-Yates shuffle,
/// both written here so that no dependency update can change which mutants a seed names.
pub fn sample(all: &[Mutant], count: usize, seed: u64) -> Vec<Mutant> {
    if count >= all.len() {
        return all.to_vec();
    }
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut indices: Vec<usize> = (0..all.len()).collect();
    for slot in 0..count {
        let remaining = (all.len() - slot) as u64;
        let pick = slot + usize::try_from(next() % remaining).unwrap_or(0);
        indices.swap(slot, pick);
    }
    let mut chosen = indices[..count].to_vec();
    chosen.sort_unstable();
    chosen.into_iter().map(|index| all[index].clone()).collect()
}

impl Mutant {
    /// `file:line:column`, as cargo-mutants and compilers print locations.
    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            self.file.display(),
            self.span.start.line,
            self.span.start.column
        )
    }

    /// `original` with this mutation applied.
    pub fn apply(&self, original: &str) -> Result<String> {
        let start = offset(original, self.span.start)
            .with_context(|| format!("{}: the span start is outside the file", self.location()))?;
        let end = offset(original, self.span.end)
            .with_context(|| format!("{}: the span end is outside the file", self.location()))?;
        if end < start {
            bail!("{}: the span ends before it starts", self.location());
        }
        Ok(format!(
            "{}{}{}",
            &original[..start],
            self.replacement,
            &original[end..]
        ))
    }

    /// Writes the mutated file into the crate at `root`; returns the original text, which
    /// [`Mutant::restore`] puts back.
    pub fn write_into(&self, root: &Path) -> Result<String> {
        let path = root.join(&self.file);
        let original = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        std::fs::write(&path, self.apply(&original)?)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(original)
    }

    /// Puts the original text back.
    pub fn restore(&self, root: &Path, original: &str) -> Result<()> {
        let path = root.join(&self.file);
        std::fs::write(&path, original).with_context(|| format!("restoring {}", path.display()))
    }
}

/// The byte offset of `position` in `text`.
fn offset(text: &str, position: LineColumn) -> Option<usize> {
    let line_start = if position.line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(position.line - 2)
            .map(|(index, _)| index + 1)?
    };
    let line = &text[line_start..];
    let line_end = line.find('\n').unwrap_or(line.len());
    let column = position.column.checked_sub(1)?;
    let within = line[..line_end]
        .char_indices()
        .map(|(index, _)| index)
        .chain([line_end])
        .nth(column)?;
    Some(line_start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three entries of `cargo mutants --list --json --diff` (cargo-mutants 27.1.0) over
    /// aws-sdk-sts 1.124.0's `src/protocol_serde/`, diffs shortened.
    const RECORDED: &str = include_str!("../../testdata/mutants-list.json");

    #[test]
    fn the_list_is_read_with_spans_functions_and_genres() {
        let mutants = parse_list(RECORDED.as_bytes()).unwrap();
        assert_eq!(mutants.len(), 3);
        let guard = &mutants[1];
        assert_eq!(guard.genre, "MatchArmGuard");
        assert_eq!(guard.replacement, "true");
        assert_eq!(
            guard.function.as_ref().unwrap().function_name,
            "de_assume_role"
        );
        assert_eq!(
            guard.location(),
            "src/protocol_serde/shape_assume_role.rs:135:18"
        );
        assert!(mutants[0].diff.starts_with("--- src/protocol_serde/"));
    }

    #[test]
    fn a_mutant_replaces_exactly_its_span() {
        let mutants = parse_list(RECORDED.as_bytes()).unwrap();
        let mut guard = mutants[1].clone();
        guard.span = Span {
            start: LineColumn {
                line: 2,
                column: 10,
            },
            end: LineColumn {
                line: 2,
                column: 34,
            },
        };
        let text = "fn f() {\n    s if s.matches(\"Credentials\") => é,\n}\n";
        assert_eq!(
            guard.apply(text).unwrap(),
            "fn f() {\n    s if true => é,\n}\n"
        );
        let mut arm = mutants[2].clone();
        arm.span = Span {
            start: LineColumn { line: 2, column: 5 },
            end: LineColumn { line: 3, column: 5 },
        };
        let text = "match c {\n    \"A\" => 1,\n    \"B\" => 2,\n    _ => 3,\n}\n";
        assert_eq!(
            arm.apply(text).unwrap(),
            "match c {\n    \"B\" => 2,\n    _ => 3,\n}\n"
        );
        arm.span.end.line = 40;
        assert!(arm.apply(text).is_err());
    }

    #[test]
    fn a_sample_depends_only_on_the_list_the_count_and_the_seed() {
        let one = parse_list(RECORDED.as_bytes()).unwrap();
        let all: Vec<Mutant> = (0..100)
            .map(|n| Mutant {
                name: format!("m{n}"),
                ..one[0].clone()
            })
            .collect();
        let names = |sample: Vec<Mutant>| -> Vec<String> {
            sample.into_iter().map(|mutant| mutant.name).collect()
        };
        let first = names(sample(&all, 10, 7));
        assert_eq!(first, names(sample(&all, 10, 7)));
        assert_ne!(first, names(sample(&all, 10, 8)));
        assert_eq!(first.len(), 10);
        let mut sorted = first.clone();
        sorted.sort_by_key(|name| name[1..].parse::<usize>().unwrap());
        assert_eq!(first, sorted, "the sample keeps the list's order");
        sorted.dedup();
        assert_eq!(sorted.len(), 10, "no mutant is drawn twice");
        // Pinned: a change of the generator would silently change published samples.
        assert_eq!(
            first,
            ["m1", "m5", "m25", "m33", "m34", "m44", "m58", "m62", "m70", "m87"]
        );
        assert_eq!(sample(&all, 500, 7).len(), 100);
    }
}
