//! Value paths: where a value sits inside the generated tree, as stable text.
//!
//! The format is part of the snapshot contract because union members are chosen from it
//! (see [`ValuePath::union_choice`]); changing it changes every snapshot with a union.

use std::fmt;

/// The location of a value inside a generated tree, e.g. `AssumeRoleRequest.Tags[0].Key`.
///
/// * the root is the root shape's name (`AssumeRoleRequest`), without namespace or rename;
/// * `.Member` enters a structure, union or event-stream member (model member name);
/// * `[i]` enters the list or set element at zero-based index `i`;
/// * `{key}` enters the map entry with key `key` (the key text as generated, unquoted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValuePath(String);

impl ValuePath {
    /// The path of a root value: the root shape's name.
    pub fn root(shape_name: &str) -> Self {
        ValuePath(shape_name.to_owned())
    }

    /// The path of member `name` of the structure or union at this path.
    pub fn member(&self, name: &str) -> Self {
        ValuePath(format!("{}.{name}", self.0))
    }

    /// The path of element `index` of the list at this path.
    pub fn index(&self, index: usize) -> Self {
        ValuePath(format!("{}[{index}]", self.0))
    }

    /// The path of the map entry with key `key` of the map at this path.
    pub fn key(&self, key: &str) -> Self {
        ValuePath(format!("{}{{{key}}}", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The sum of the UTF-16 code units of the path text.
    ///
    /// UTF-16 rather than bytes so that other implementations (JavaScript's `charCodeAt`,
    /// Java's `charAt`) compute the same sum for non-ASCII map keys.
    pub fn utf16_sum(&self) -> u64 {
        self.0.encode_utf16().map(u64::from).sum()
    }

    /// The index of the member a union at this path sets when it is not at the recursion
    /// limit: `utf16_sum() mod member_count`; `None` for a union without members.
    pub fn union_choice(&self, member_count: usize) -> Option<usize> {
        let count = u64::try_from(member_count)
            .ok()
            .filter(|count| *count > 0)?;
        // The remainder is below `member_count`, so it fits in usize.
        usize::try_from(self.utf16_sum() % count).ok()
    }
}

impl fmt::Display for ValuePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_documented_format() {
        let path = ValuePath::root("AssumeRoleRequest")
            .member("Tags")
            .index(0)
            .member("Key");
        assert_eq!(path.as_str(), "AssumeRoleRequest.Tags[0].Key");
        let path = ValuePath::root("PutRequest")
            .member("Attrs")
            .key("key1")
            .member("Value");
        assert_eq!(path.to_string(), "PutRequest.Attrs{key1}.Value");
    }

    #[test]
    fn sums_utf16_code_units() {
        assert_eq!(ValuePath::root("AB").utf16_sum(), 65 + 66);
        // U+1F600 is a surrogate pair in UTF-16: 0xD83D + 0xDE00.
        assert_eq!(ValuePath::root("\u{1F600}").utf16_sum(), 0xD83D + 0xDE00);
        assert_eq!(ValuePath::root("é").utf16_sum(), 0xE9);
    }

    #[test]
    fn chooses_sum_modulo_member_count() {
        // "Root.U" = 82+111+111+116+46+85 = 551
        let path = ValuePath::root("Root").member("U");
        assert_eq!(path.utf16_sum(), 551);
        assert_eq!(path.union_choice(1), Some(0));
        assert_eq!(path.union_choice(2), Some(1));
        assert_eq!(path.union_choice(3), Some(2));
        assert_eq!(path.union_choice(4), Some(3));
        assert_eq!(path.union_choice(5), Some(1));
        assert_eq!(path.union_choice(0), None);
    }

    #[test]
    fn list_indices_change_the_choice() {
        let list = ValuePath::root("R").member("Items");
        let choices: Vec<_> = (0..3)
            .map(|index| list.index(index).union_choice(3))
            .collect();
        // Consecutive digits differ by one code unit, so three elements cover three members.
        let base = list.index(0).utf16_sum();
        assert_eq!(
            choices,
            vec![
                Some((base % 3) as usize),
                Some(((base + 1) % 3) as usize),
                Some(((base + 2) % 3) as usize)
            ]
        );
    }
}
