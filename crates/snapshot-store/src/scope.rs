//! What a run covered: the only snapshots `write` may delete and `compare` may call removed.

use std::collections::{BTreeMap, BTreeSet};

use crate::key::{Kind, SnapshotKey};

/// Which names of one crate and kind a run covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Every name: a snapshot the run did not produce no longer exists.
    All,
    /// Only these names (e.g. `--operation AssumeRole`); other names are left alone.
    Only(BTreeSet<String>),
}

impl Coverage {
    /// Whether `name` is covered.
    pub fn covers(&self, name: &str) -> bool {
        match self {
            Coverage::All => true,
            Coverage::Only(names) => names.contains(name),
        }
    }

    fn merge(&mut self, other: Coverage) {
        match (&mut *self, other) {
            (Coverage::All, _) => {}
            (slot @ Coverage::Only(_), Coverage::All) => *slot = Coverage::All,
            (Coverage::Only(names), Coverage::Only(more)) => names.extend(more),
        }
    }
}

/// The crates, kinds and names one `write` or `compare` run covered.
///
/// `write` replaces exactly this part of the snapshot directory and `compare` reports accepted
/// snapshots in it that the run did not produce. Built up with the `include_*` methods:
///
/// ```
/// use snapshot_store::{Kind, Scope};
/// // `cargo snapshot write --service sts --operation AssumeRole`:
/// let scope = Scope::new()
///     .include_names("aws-sdk-sts", Kind::Requests, ["AssumeRole"])
///     .include_names("aws-sdk-sts", Kind::Responses, ["AssumeRole"])
///     .include_names("aws-sdk-sts", Kind::Errors, ["ExpiredTokenException"]);
/// assert!(!scope.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    crates: BTreeMap<String, BTreeMap<Kind, Coverage>>,
}

impl Scope {
    /// An empty scope: covers nothing.
    pub fn new() -> Self {
        Scope::default()
    }

    /// Covers every kind and every name of `crate_name` (a full run over that crate).
    pub fn include_crate(self, crate_name: impl Into<String>) -> Self {
        let crate_name = crate_name.into();
        Kind::ALL.into_iter().fold(self, |scope, kind| {
            scope.include(crate_name.clone(), kind, Coverage::All)
        })
    }

    /// Covers every name of one kind of `crate_name`.
    pub fn include_kind(self, crate_name: impl Into<String>, kind: Kind) -> Self {
        self.include(crate_name, kind, Coverage::All)
    }

    /// Covers only the given names of one kind of `crate_name`.
    pub fn include_names<I, S>(self, crate_name: impl Into<String>, kind: Kind, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names = names.into_iter().map(Into::into).collect();
        self.include(crate_name, kind, Coverage::Only(names))
    }

    /// Adds coverage; covering the same crate and kind twice unions the names.
    pub fn include(
        mut self,
        crate_name: impl Into<String>,
        kind: Kind,
        coverage: Coverage,
    ) -> Self {
        let kinds = self.crates.entry(crate_name.into()).or_default();
        match kinds.get_mut(&kind) {
            Some(existing) => existing.merge(coverage),
            None => {
                kinds.insert(kind, coverage);
            }
        }
        self
    }

    /// Whether the run covered this snapshot.
    pub fn covers(&self, key: &SnapshotKey) -> bool {
        self.coverage(&key.crate_name, key.kind)
            .is_some_and(|coverage| coverage.covers(&key.name))
    }

    /// How one crate and kind is covered, if at all.
    pub fn coverage(&self, crate_name: &str, kind: Kind) -> Option<&Coverage> {
        self.crates.get(crate_name)?.get(&kind)
    }

    /// The covered crates, sorted.
    pub fn crates(&self) -> impl Iterator<Item = &str> {
        self.crates.keys().map(String::as_str)
    }

    /// The covered kinds of one crate with their coverage, in [`Kind`] order.
    pub fn kinds(&self, crate_name: &str) -> impl Iterator<Item = (Kind, &Coverage)> {
        self.crates
            .get(crate_name)
            .into_iter()
            .flat_map(|kinds| kinds.iter().map(|(kind, coverage)| (*kind, coverage)))
    }

    /// Whether nothing is covered.
    pub fn is_empty(&self) -> bool {
        self.crates.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(crate_name: &str, kind: Kind, name: &str) -> SnapshotKey {
        SnapshotKey::new(crate_name, kind, name)
    }

    #[test]
    fn a_whole_crate_covers_every_kind_and_name_of_that_crate_only() {
        let scope = Scope::new().include_crate("aws-sdk-sts");
        assert!(scope.covers(&key("aws-sdk-sts", Kind::Errors, "Anything")));
        assert!(!scope.covers(&key("aws-sdk-sqs", Kind::Errors, "Anything")));
    }

    #[test]
    fn names_cover_only_themselves_and_only_in_their_kind() {
        let scope = Scope::new().include_names("c", Kind::Requests, ["A"]);
        assert!(scope.covers(&key("c", Kind::Requests, "A")));
        assert!(!scope.covers(&key("c", Kind::Requests, "B")));
        assert!(!scope.covers(&key("c", Kind::Responses, "A")));
    }

    #[test]
    fn including_twice_unions_and_all_wins() {
        let scope = Scope::new()
            .include_names("c", Kind::Errors, ["A"])
            .include_names("c", Kind::Errors, ["B"]);
        assert_eq!(
            scope.coverage("c", Kind::Errors),
            Some(&Coverage::Only(["A".to_owned(), "B".to_owned()].into()))
        );
        let scope = scope
            .include_kind("c", Kind::Errors)
            .include_names("c", Kind::Errors, ["Z"]);
        assert_eq!(scope.coverage("c", Kind::Errors), Some(&Coverage::All));
    }
}
