//! A parser for Rust's `{:#?}` output, so client values can be normalized and inspected.
//!
//! The client's output and error values contain `HashMap`s, whose `Debug` order changes from
//! run to run. [`debug_tree`] parses the text into a [`DebugValue`]; [`DebugValue::normalize`]
//! sorts map and set entries; [`DebugValue::render`] prints it back in the same layout as
//! `{:#?}` (four-space indentation, trailing commas). Derived `Debug` output whose maps are
//! already sorted therefore prints back unchanged.
//!
//! The grammar covers what derived and std `Debug` implementations write (structs, tuple
//! structs and variants, unit variants, lists, maps, sets, strings, byte strings, chars,
//! numbers) and, as opaque atoms, what custom implementations write in value position
//! (`DateTime`s as `2000-01-01T04:59:59.999Z`, blobs as hex, `PhantomData<T>`, `BoxBody`).

mod parser;

use crate::errors::RenderError;
use snapshot_normalize::uuid::mask_uuids;

const MAX_DEPTH: usize = 256;
const INDENT: &str = "    ";

/// A value parsed from `{:#?}` (or `{:?}`) output.
#[derive(Debug, Clone, PartialEq)]
pub enum DebugValue {
    /// `Name { field: value, .. }`; `non_exhaustive` when the text had `..`.
    Struct {
        /// The type name as printed.
        name: String,
        /// Fields in printed order.
        fields: Vec<(String, DebugValue)>,
        /// The struct was printed with `finish_non_exhaustive` (`..`).
        non_exhaustive: bool,
    },
    /// `Name(a, b)`: tuple structs and tuple variants (`Some(..)`); `name` is empty for a
    /// plain tuple `(a, b)`.
    Tuple {
        /// The type or variant name, empty for a plain tuple.
        name: String,
        /// The items in order.
        items: Vec<DebugValue>,
    },
    /// `[a, b]`
    List(Vec<DebugValue>),
    /// `{k: v}`
    Map(Vec<(DebugValue, DebugValue)>),
    /// `{a, b}`
    Set(Vec<DebugValue>),
    /// A string literal, unescaped.
    Str(String),
    /// A byte string literal `b"..."`, unescaped.
    Bytes(Vec<u8>),
    /// A char literal.
    Char(char),
    /// Anything else, exactly as printed: unit variants and unit structs (`None`), numbers,
    /// booleans, and the output of custom `Debug` implementations.
    Atom(String),
}

/// Parses `{:#?}` or `{:?}` output into a tree.
///
/// # Errors
/// [`RenderError::Debug`] with the byte offset when the text does not follow the grammar.
pub fn debug_tree(text: &str) -> Result<DebugValue, RenderError> {
    parser::parse(text)
}

/// `text` parsed, map and set entries sorted, printed back; or, when it does not parse, the
/// raw text under a note that says why (its map order may then vary between runs).
pub fn normalize_debug(text: &str) -> String {
    match debug_tree(text) {
        Ok(mut value) => {
            value.normalize();
            value.render()
        }
        Err(error) => format!("[not normalized: {error}]\n{text}"),
    }
}

impl DebugValue {
    /// Sorts the entries of every map and set (string keys by their text, other keys by their
    /// printed form, UUIDs masked), so that `HashMap` and `HashSet` iteration order does not
    /// show.
    pub fn normalize(&mut self) {
        match self {
            DebugValue::Struct { fields, .. } => fields.iter_mut().for_each(|(_, v)| v.normalize()),
            DebugValue::Tuple { items, .. } | DebugValue::List(items) => {
                items.iter_mut().for_each(DebugValue::normalize)
            }
            DebugValue::Set(items) => {
                items.iter_mut().for_each(DebugValue::normalize);
                items.sort_by_cached_key(DebugValue::sort_key);
            }
            DebugValue::Map(entries) => {
                for (key, value) in entries.iter_mut() {
                    key.normalize();
                    value.normalize();
                }
                entries.sort_by_cached_key(|(key, _)| key.sort_key());
            }
            DebugValue::Str(_)
            | DebugValue::Bytes(_)
            | DebugValue::Char(_)
            | DebugValue::Atom(_) => {}
        }
    }

    /// Strings sort by their text (as a `BTreeMap<String, _>` does), other values by their
    /// printed form; UUIDs are masked so that random ids do not decide the order.
    fn sort_key(&self) -> String {
        match self {
            DebugValue::Str(text) => mask_uuids(text).into_owned(),
            other => mask_uuids(&other.render()).into_owned(),
        }
    }

    /// Prints the value in `{:#?}` layout.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.print(0, &mut out);
        out
    }

    /// True for the atom `None`.
    pub fn is_none(&self) -> bool {
        matches!(self, DebugValue::Atom(atom) if atom == "None")
    }

    /// The value inside any number of `Some(..)` wrappers.
    pub fn peel_some(&self) -> &DebugValue {
        let mut value = self;
        while let DebugValue::Tuple { name, items } = value {
            match (name.as_str(), items.as_slice()) {
                ("Some", [inner]) => value = inner,
                _ => break,
            }
        }
        value
    }

    /// One step of a path:
    ///
    /// * `[i]` selects item `i` of a list, set or tuple;
    /// * `{key}` selects the map entry whose key is the string `key` (or prints as `key`);
    /// * `name` selects the struct field `name`, else the map entry with string key `name`,
    ///   else the single item of a tuple variant called `name` (`Variant(..)`).
    ///
    /// `Some(..)` is looked through when the segment does not apply to it, so
    /// `tags: Some([Tag { key: .. }])` answers `["tags", "[0]", "key"]`.
    pub fn get(&self, segment: &str) -> Option<&DebugValue> {
        if let Some(found) = self.get_here(segment) {
            return Some(found);
        }
        match self {
            DebugValue::Tuple { name, items } if name == "Some" && items.len() == 1 => {
                items[0].get(segment)
            }
            _ => None,
        }
    }

    fn get_here(&self, segment: &str) -> Option<&DebugValue> {
        if let Some(index) = segment
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            let index: usize = index.parse().ok()?;
            return match self {
                DebugValue::List(items) | DebugValue::Set(items) => items.get(index),
                DebugValue::Tuple { name, items } if name != "Some" => items.get(index),
                _ => None,
            };
        }
        if let Some(key) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            return self.map_entry(key);
        }
        match self {
            DebugValue::Struct { fields, .. } => fields
                .iter()
                .find(|(field, _)| field == segment)
                .map(|(_, value)| value),
            DebugValue::Map(_) => self.map_entry(segment),
            DebugValue::Tuple { name, items } if name == segment && items.len() == 1 => {
                Some(&items[0])
            }
            _ => None,
        }
    }

    fn map_entry(&self, key: &str) -> Option<&DebugValue> {
        let DebugValue::Map(entries) = self else {
            return None;
        };
        entries
            .iter()
            .find(|(entry, _)| match entry {
                DebugValue::Str(text) => text == key,
                other => other.render() == key,
            })
            .map(|(_, value)| value)
    }

    /// Follows `path` segment by segment with [`DebugValue::get`].
    pub fn get_path(&self, path: &[&str]) -> Option<&DebugValue> {
        path.iter()
            .try_fold(self, |value, segment| value.get(segment))
    }

    fn print(&self, level: usize, out: &mut String) {
        match self {
            DebugValue::Struct {
                name,
                fields,
                non_exhaustive,
            } => {
                out.push_str(name);
                if fields.is_empty() && !non_exhaustive {
                    return;
                }
                if fields.is_empty() {
                    out.push_str(" { .. }");
                    return;
                }
                out.push_str(" {\n");
                for (field, value) in fields {
                    push_indent(level + 1, out);
                    out.push_str(field);
                    out.push_str(": ");
                    value.print(level + 1, out);
                    out.push_str(",\n");
                }
                if *non_exhaustive {
                    push_indent(level + 1, out);
                    out.push_str("..\n");
                }
                push_indent(level, out);
                out.push('}');
            }
            DebugValue::Tuple { name, items } => {
                out.push_str(name);
                if items.is_empty() {
                    if name.is_empty() {
                        out.push_str("()");
                    }
                    return;
                }
                print_items(items, level, '(', ')', out);
            }
            DebugValue::List(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                } else {
                    print_items(items, level, '[', ']', out);
                }
            }
            DebugValue::Set(items) => {
                if items.is_empty() {
                    out.push_str("{}");
                } else {
                    print_items(items, level, '{', '}', out);
                }
            }
            DebugValue::Map(entries) => {
                if entries.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push_str("{\n");
                for (key, value) in entries {
                    push_indent(level + 1, out);
                    key.print(level + 1, out);
                    out.push_str(": ");
                    value.print(level + 1, out);
                    out.push_str(",\n");
                }
                push_indent(level, out);
                out.push('}');
            }
            DebugValue::Str(text) => out.push_str(&format!("{text:?}")),
            DebugValue::Bytes(bytes) => {
                out.push_str("b\"");
                for &byte in bytes {
                    match byte {
                        b'\n' => out.push_str("\\n"),
                        b'\r' => out.push_str("\\r"),
                        b'\t' => out.push_str("\\t"),
                        b'\0' => out.push_str("\\0"),
                        b'\\' | b'"' => {
                            out.push('\\');
                            out.push(char::from(byte));
                        }
                        0x20..=0x7e => out.push(char::from(byte)),
                        _ => out.push_str(&format!("\\x{byte:02x}")),
                    }
                }
                out.push('"');
            }
            DebugValue::Char(c) => out.push_str(&format!("{c:?}")),
            DebugValue::Atom(atom) => out.push_str(atom),
        }
    }
}

fn print_items(items: &[DebugValue], level: usize, open: char, close: char, out: &mut String) {
    out.push(open);
    out.push('\n');
    for item in items {
        push_indent(level + 1, out);
        item.print(level + 1, out);
        out.push_str(",\n");
    }
    push_indent(level, out);
    out.push(close);
}

fn push_indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str(INDENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap, HashSet};

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Tag {
        key: Option<String>,
        value: Option<String>,
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Choice {
        Text(String),
        Empty,
        Pair(i32, f64),
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Output {
        tags: Option<Vec<Tag>>,
        attributes: Option<BTreeMap<String, String>>,
        choice: Option<Choice>,
        unit: Choice,
        pair: Choice,
        bytes: Vec<u8>,
        letter: char,
        escaped: String,
        nested: Option<Option<i64>>,
        tuple: (u8, bool),
        empty: Vec<String>,
        set: std::collections::BTreeSet<u8>,
        _request_id: Option<String>,
    }

    fn output() -> Output {
        Output {
            tags: Some(vec![Tag {
                key: Some("__Key__".into()),
                value: None,
            }]),
            attributes: Some(BTreeMap::from([
                ("key1".into(), "a".into()),
                ("key2".into(), "b".into()),
            ])),
            choice: Some(Choice::Text("x, y: z".into())),
            unit: Choice::Empty,
            pair: Choice::Pair(-1, 1.5e-7),
            bytes: vec![1, 0, 0, 1],
            letter: '\'',
            escaped: "quote \" backslash \\ newline \n tab \t unicode \u{7f} é".into(),
            nested: Some(None),
            tuple: (0, false),
            empty: vec![],
            set: [3, 1].into(),
            _request_id: Some("req".into()),
        }
    }

    #[test]
    fn derived_debug_round_trips_unchanged() {
        let text = format!("{:#?}", output());
        let tree = debug_tree(&text).unwrap();
        assert_eq!(tree.render(), text);
        // Compact `{:?}` parses to the same tree.
        assert_eq!(debug_tree(&format!("{:?}", output())).unwrap(), tree);
    }

    #[test]
    fn looks_up_members_by_path() {
        let tree = debug_tree(&format!("{:#?}", output())).unwrap();
        assert_eq!(
            tree.get_path(&["tags", "[0]", "key"])
                .map(DebugValue::peel_some),
            Some(&DebugValue::Str("__Key__".into()))
        );
        assert!(tree.get_path(&["tags", "[0]", "value"]).unwrap().is_none());
        assert_eq!(
            tree.get_path(&["attributes", "{key2}"]),
            Some(&DebugValue::Str("b".into()))
        );
        assert_eq!(
            tree.get_path(&["attributes", "key1"]),
            Some(&DebugValue::Str("a".into()))
        );
        assert_eq!(
            tree.get_path(&["choice", "Text"]),
            Some(&DebugValue::Str("x, y: z".into()))
        );
        assert_eq!(
            tree.get_path(&["pair", "[1]"]),
            Some(&DebugValue::Atom("1.5e-7".into()))
        );
        assert_eq!(
            tree.get_path(&["nested"])
                .map(DebugValue::peel_some)
                .map(DebugValue::is_none),
            Some(true)
        );
        assert_eq!(tree.get_path(&["tags", "[1]"]), None);
        assert_eq!(tree.get_path(&["missing"]), None);
    }

    #[test]
    fn hash_map_order_does_not_show() {
        let map: HashMap<String, Vec<u32>> =
            (0..20).map(|i| (format!("key{i}"), vec![i])).collect();
        let set: HashSet<String> = (0..20).map(|i| format!("v{i}")).collect();
        let mut sorted_map: Vec<_> = map.iter().collect();
        sorted_map.sort();
        let reversed: Vec<_> = sorted_map.iter().rev().collect();
        let one = normalize_debug(&format!("({map:#?}, {set:#?})"));
        // Build the same map text in a different order by hand.
        let mut text = String::from("(\n    {\n");
        for (key, value) in reversed {
            text.push_str(&format!(
                "        {key:?}: [\n            {},\n        ],\n",
                value[0]
            ));
        }
        text.push_str(&format!("    }},\n    {set:#?},\n)"));
        assert_eq!(normalize_debug(&text), one);
        assert!(
            one.contains("\"key0\": [\n            0,\n        ],\n        \"key1\":"),
            "{one}"
        );
    }

    #[test]
    fn smithy_custom_debug_values_are_atoms() {
        let text = r#"GetThingOutput {
    when: Some(
        2000-01-01T04:59:59.999Z,
    ),
    blob: Some(
        Blob {
            inner: 01000001,
        },
    ),
    body: ByteStream {
        inner: SdkBody {
            inner: Once(
                Some(
                    b"\x01\0\0\x01",
                ),
            ),
            retryable: true,
        },
    },
    secret: "*** Sensitive Data Redacted ***",
    whole: *** Sensitive Data Redacted ***,
    phantom: PhantomData<aws_sdk_x::types::error::ThingError>,
    erased: TypeErasedBox[!Clone]:Unhandled,
    meta: ErrorMetadata {
        code: Some(
            "Code",
        ),
        ..
    },
    _request_id: Some(
        "5f1b3c3e-8d0a-4a4b-9c6e-2b7a0d9e1f23",
    ),
}"#;
        let tree = debug_tree(text).unwrap();
        assert_eq!(tree.render(), text);
        assert_eq!(
            tree.get_path(&["when"]).map(DebugValue::peel_some),
            Some(&DebugValue::Atom("2000-01-01T04:59:59.999Z".into()))
        );
        assert_eq!(
            tree.get_path(&["body", "inner", "inner", "[0]"])
                .map(DebugValue::peel_some),
            Some(&DebugValue::Bytes(vec![1, 0, 0, 1]))
        );
        assert_eq!(
            tree.get_path(&["whole"]),
            Some(&DebugValue::Atom("*** Sensitive Data Redacted ***".into()))
        );
    }

    #[test]
    fn falls_back_to_raw_text_with_a_note() {
        let text = "Thing {\n    field value\n}";
        let error = debug_tree(text).unwrap_err();
        assert!(
            matches!(error, RenderError::Debug { offset: 18, .. }),
            "{error:?}"
        );
        let rendered = normalize_debug(text);
        assert!(rendered.starts_with("[not normalized: cannot parse Debug output at byte 18: expected ':' after a field name"), "{rendered}");
        assert!(rendered.ends_with(text));
        assert!(debug_tree(&"[".repeat(1000)).is_err());
        assert!(debug_tree("\"open").is_err());
    }
}
