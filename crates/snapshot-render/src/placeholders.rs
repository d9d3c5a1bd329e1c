//! Reference-preserving placeholders (`<uuid:1>`, `<uuid:2>`, ...).
//!
//! A snapshot must not change when a random value changes, but a reviewer still needs to see
//! that two occurrences of one value are equal. So every distinct value of a kind gets the
//! number of its first appearance in the file; one [`Placeholders`] registry is shared by all
//! sections of a file, rendered in file order.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The idempotency token the harness's token generator returns. It is fixed, so it stays in
/// snapshots as is: it shows that the client filled the token member.
pub const FIXED_IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The placeholder kind of UUIDs.
pub const UUID_KIND: &str = "uuid";

/// Numbers values per kind by first appearance: `<kind:N>`.
#[derive(Debug, Clone)]
pub struct Placeholders {
    /// kind → values in order of first appearance (index + 1 is the number).
    kinds: BTreeMap<String, Vec<String>>,
    /// Values that are never replaced.
    preserved: BTreeSet<String>,
}

impl Default for Placeholders {
    fn default() -> Self {
        Self::new()
    }
}

impl Placeholders {
    /// An empty registry that preserves [`FIXED_IDEMPOTENCY_TOKEN`].
    pub fn new() -> Self {
        Placeholders {
            kinds: BTreeMap::new(),
            preserved: BTreeSet::from([FIXED_IDEMPOTENCY_TOKEN.to_owned()]),
        }
    }

    /// Never replace `value` (it is deterministic and meaningful).
    pub fn preserve(&mut self, value: impl Into<String>) {
        self.preserved.insert(value.into());
    }

    /// The placeholder of `value` of `kind`: `<kind:N>` where `N` counts the distinct values
    /// of that kind registered so far, or the value itself when it is preserved.
    pub fn placeholder(&mut self, kind: &str, value: &str) -> String {
        if self.preserved.contains(value) {
            return value.to_owned();
        }
        let values = self.kinds.entry(kind.to_owned()).or_default();
        let number = match values.iter().position(|known| known == value) {
            Some(index) => index + 1,
            None => {
                values.push(value.to_owned());
                values.len()
            }
        };
        format!("<{kind}:{number}>")
    }

    /// The values registered for `kind`, in numbering order.
    pub fn values(&self, kind: &str) -> &[String] {
        self.kinds.get(kind).map(Vec::as_slice).unwrap_or_default()
    }

    /// Replaces every UUID in `text` (8-4-4-4-12 hex digits, not glued to other letters or
    /// digits) by its `<uuid:N>` placeholder, numbering new ones in order of appearance.
    pub fn replace_uuids(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in uuid_spans(text.as_bytes()) {
            out.push_str(&text[last..start]);
            let placeholder = self.placeholder(UUID_KIND, &text[start..end]);
            out.push_str(&placeholder);
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// `text` with every UUID except the fixed idempotency token replaced by `<uuid>`.
///
/// Used for the sort keys of canonicalized maps: the order of entries must not depend on
/// random values that the placeholders hide afterwards.
pub(crate) fn mask_uuids(text: &str) -> Cow<'_, str> {
    let spans: Vec<_> = uuid_spans(text.as_bytes())
        .filter(|&(start, end)| &text[start..end] != FIXED_IDEMPOTENCY_TOKEN)
        .collect();
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in spans {
        out.push_str(&text[last..start]);
        out.push_str("<uuid>");
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// Byte-level [`mask_uuids`] for binary sort keys (CBOR).
pub(crate) fn mask_uuids_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let spans: Vec<_> = uuid_spans(bytes)
        .filter(|&(start, end)| &bytes[start..end] != FIXED_IDEMPOTENCY_TOKEN.as_bytes())
        .collect();
    if spans.is_empty() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut last = 0;
    for (start, end) in spans {
        out.extend_from_slice(&bytes[last..start]);
        out.extend_from_slice(b"<uuid>");
        last = end;
    }
    out.extend_from_slice(&bytes[last..]);
    Cow::Owned(out)
}

const UUID_LEN: usize = 36;

/// Start and end of every UUID in `bytes`, left to right, non-overlapping.
fn uuid_spans(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut position = 0;
    std::iter::from_fn(move || {
        while position + UUID_LEN <= bytes.len() {
            let start = position;
            if is_uuid_at(bytes, start) {
                position = start + UUID_LEN;
                return Some((start, start + UUID_LEN));
            }
            position += 1;
        }
        None
    })
}

fn is_uuid_at(bytes: &[u8], start: usize) -> bool {
    let candidate = &bytes[start..start + UUID_LEN];
    let shape_ok = candidate.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    // Glued to letters or digits it is part of a longer token, not a UUID.
    let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
    let after_ok = bytes
        .get(start + UUID_LEN)
        .is_none_or(|b| !b.is_ascii_alphanumeric());
    shape_ok && before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "5f1b3c3e-8d0a-4a4b-9c6e-2b7a0d9e1f23";
    const B: &str = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9";

    #[test]
    fn numbers_uuids_by_first_appearance_and_keeps_equal_values_equal() {
        let mut placeholders = Placeholders::new();
        let text = format!("id: {A}\nother: {B}\nagain: {A}");
        assert_eq!(
            placeholders.replace_uuids(&text),
            "id: <uuid:1>\nother: <uuid:2>\nagain: <uuid:1>"
        );
        // Later sections of the same file continue the numbering.
        assert_eq!(
            placeholders.replace_uuids(&format!("\"{B}\"")),
            "\"<uuid:2>\""
        );
    }

    #[test]
    fn keeps_the_fixed_idempotency_token() {
        let mut placeholders = Placeholders::new();
        let text = format!("token={FIXED_IDEMPOTENCY_TOKEN}&id={A}");
        assert_eq!(
            placeholders.replace_uuids(&text),
            format!("token={FIXED_IDEMPOTENCY_TOKEN}&id=<uuid:1>")
        );
    }

    #[test]
    fn ignores_hex_runs_that_are_part_of_longer_tokens() {
        let mut placeholders = Placeholders::new();
        let glued = format!("x{A}");
        assert_eq!(placeholders.replace_uuids(&glued), glued);
        let long = format!("{A}0");
        assert_eq!(placeholders.replace_uuids(&long), long);
        assert_eq!(placeholders.replace_uuids("short-1234"), "short-1234");
    }

    #[test]
    fn other_kinds_are_numbered_independently() {
        let mut placeholders = Placeholders::new();
        assert_eq!(
            placeholders.placeholder("function-name", "f"),
            "<function-name:1>"
        );
        assert_eq!(placeholders.placeholder(UUID_KIND, A), "<uuid:1>");
        assert_eq!(
            placeholders.placeholder("function-name", "g"),
            "<function-name:2>"
        );
        assert_eq!(
            placeholders.placeholder("function-name", "f"),
            "<function-name:1>"
        );
        assert_eq!(placeholders.values("function-name"), ["f", "g"]);
    }

    #[test]
    fn masks_uuids_for_sort_keys() {
        assert_eq!(mask_uuids(&format!("a{B}")), format!("a{B}"));
        assert_eq!(
            mask_uuids(&format!("k {A} {FIXED_IDEMPOTENCY_TOKEN}")),
            format!("k <uuid> {FIXED_IDEMPOTENCY_TOKEN}")
        );
        assert_eq!(&*mask_uuids_bytes(format!("[{A}]").as_bytes()), b"[<uuid>]");
    }
}
