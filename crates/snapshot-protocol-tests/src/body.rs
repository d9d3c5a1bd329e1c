//! Bodies compared by media type, the way the protocol-test specification asks: by meaning
//! for JSON, XML, form and CBOR bodies (whitespace, member and attribute order do not
//! matter), byte for byte otherwise.

use std::collections::BTreeMap;

use base64::Engine;

/// How a body is compared, from the test's `bodyMediaType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` and `+json` types: equal JSON values.
    Json,
    /// `application/xml` and `+xml` types: equal element trees.
    Xml,
    /// `application/x-www-form-urlencoded`: equal sets of `key=value` pairs; the expected text
    /// may be broken over lines, which are not part of the body.
    Form,
    /// `application/cbor`: the expected body is base64; equal CBOR data items.
    Cbor,
    /// Anything else, or no media type: equal bytes.
    Bytes,
}

impl BodyKind {
    /// The comparison for `media_type`.
    pub fn of(media_type: Option<&str>) -> BodyKind {
        let Some(media_type) = media_type else {
            return BodyKind::Bytes;
        };
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        if essence == "application/json" || essence.ends_with("+json") {
            BodyKind::Json
        } else if essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
        {
            BodyKind::Xml
        } else if essence == "application/x-www-form-urlencoded" {
            BodyKind::Form
        } else if essence == "application/cbor" {
            BodyKind::Cbor
        } else {
            BodyKind::Bytes
        }
    }
}

/// Compares `actual` with the test's `expected` body; `Err` says how they differ.
pub fn compare(kind: BodyKind, expected: &str, actual: &[u8]) -> Result<(), String> {
    if expected.is_empty() || actual.is_empty() {
        return match (expected.is_empty(), actual.is_empty()) {
            (true, true) => Ok(()),
            (true, false) => Err(format!("expected no body, got {} bytes", actual.len())),
            _ => Err("expected a body, got none".to_owned()),
        };
    }
    match kind {
        BodyKind::Json => {
            let expected: serde_json::Value = serde_json::from_str(expected)
                .map_err(|error| format!("the test's JSON body does not parse: {error}"))?;
            let actual: serde_json::Value = serde_json::from_slice(actual)
                .map_err(|error| format!("the request's JSON body does not parse: {error}"))?;
            equal_or(json_equal(&expected, &actual), &expected, &actual)
        }
        BodyKind::Xml => {
            let expected_tree = xml_tree(expected.as_bytes())
                .map_err(|error| format!("the test's XML body does not parse: {error}"))?;
            let actual_tree = xml_tree(actual)
                .map_err(|error| format!("the request's XML body does not parse: {error}"))?;
            equal_or(expected_tree == actual_tree, &expected_tree, &actual_tree)
        }
        BodyKind::Form => {
            let flattened: String = expected.chars().filter(|c| *c != '\n').collect();
            let expected = form_pairs(flattened.as_bytes());
            let actual = form_pairs(actual);
            equal_or(expected == actual, &expected, &actual)
        }
        BodyKind::Cbor => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(expected.trim())
                .map_err(|error| format!("the test's CBOR body is not base64: {error}"))?;
            let expected =
                cbor(&bytes).map_err(|error| format!("the test's CBOR body: {error}"))?;
            let actual =
                cbor(actual).map_err(|error| format!("the request's CBOR body: {error}"))?;
            equal_or(expected == actual, &expected, &actual)
        }
        BodyKind::Bytes => {
            if expected.as_bytes() == actual {
                Ok(())
            } else {
                Err(format!(
                    "expected {:?}, got {:?}",
                    expected,
                    String::from_utf8_lossy(actual)
                ))
            }
        }
    }
}

fn equal_or<T: std::fmt::Debug>(equal: bool, expected: &T, actual: &T) -> Result<(), String> {
    if equal {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, got {actual:?}"))
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| json_equal(value, other)))
        }
        _ => a == b,
    }
}

/// An XML element: name as written, attributes by name, children (elements and non-blank
/// text) in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum XmlNode {
    Element {
        name: String,
        attributes: BTreeMap<String, String>,
        children: Vec<XmlNode>,
    },
    Text(String),
}

type Open = (String, BTreeMap<String, String>, Vec<XmlNode>);

fn xml_tree(bytes: &[u8]) -> Result<Vec<XmlNode>, String> {
    use quick_xml::events::Event;

    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut stack: Vec<Open> = vec![(String::new(), BTreeMap::new(), Vec::new())];
    let mut buffer = Vec::new();
    // Text arrives in pieces around entity references; it is one node.
    let mut text = String::new();
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| error.to_string())?;
        if !matches!(
            event,
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)
        ) {
            flush_text(&mut stack, &mut text)?;
        }
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(start) | Event::Empty(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let mut attributes = BTreeMap::new();
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|error| error.to_string())?;
                    let value = attribute
                        .unescape_value()
                        .map_err(|error| error.to_string())?
                        .into_owned();
                    attributes.insert(
                        String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
                        value,
                    );
                }
                stack.push((name, attributes, Vec::new()));
                if empty {
                    close(&mut stack)?;
                }
            }
            Event::End(_) => close(&mut stack)?,
            Event::Text(piece) => {
                text.push_str(&piece.decode().map_err(|error| error.to_string())?);
            }
            Event::GeneralRef(reference) => text.push_str(&entity(&reference)?),
            Event::CData(data) => text.push_str(&String::from_utf8_lossy(&data)),
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    match stack.pop() {
        Some((_, _, children)) if stack.is_empty() => Ok(children),
        _ => Err("an element is not closed".to_owned()),
    }
}

/// The text an entity or character reference stands for.
fn entity(reference: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    if let Some(character) = reference
        .resolve_char_ref()
        .map_err(|error| error.to_string())?
    {
        return Ok(character.to_string());
    }
    let name = reference.decode().map_err(|error| error.to_string())?;
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| format!("unknown entity &{name};"))
}

fn flush_text(stack: &mut [Open], text: &mut String) -> Result<(), String> {
    if !text.trim().is_empty() {
        push(stack, XmlNode::Text(std::mem::take(text)))?;
    }
    text.clear();
    Ok(())
}

fn close(stack: &mut Vec<Open>) -> Result<(), String> {
    let (name, attributes, children) = stack.pop().ok_or("unbalanced end tag")?;
    push(
        stack,
        XmlNode::Element {
            name,
            attributes,
            children,
        },
    )
}

fn push(stack: &mut [Open], node: XmlNode) -> Result<(), String> {
    let (_, _, children) = stack.last_mut().ok_or("unbalanced end tag")?;
    children.push(node);
    Ok(())
}

/// `key=value` pairs of a form body, sorted (order carries no meaning in these protocols).
fn form_pairs(bytes: &[u8]) -> Vec<String> {
    let mut pairs: Vec<String> = String::from_utf8_lossy(bytes)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(str::to_owned)
        .collect();
    pairs.sort();
    pairs
}

/// A CBOR data item in a comparable form: maps sorted by key, floats by bit pattern of the
/// f64 they widen to (so NaN equals NaN), integers by value whatever their encoded width.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cbor {
    Integer(i128),
    Float(u64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Tag(u64, Box<Cbor>),
    Bool(bool),
    Null,
}

fn cbor(bytes: &[u8]) -> Result<Cbor, String> {
    let value: ciborium::Value =
        ciborium::de::from_reader(bytes).map_err(|error| format!("not CBOR: {error}"))?;
    Ok(comparable(value))
}

fn comparable(value: ciborium::Value) -> Cbor {
    use ciborium::Value as V;
    match value {
        V::Integer(integer) => Cbor::Integer(i128::from(integer)),
        V::Float(float) if float.is_nan() => Cbor::Float(f64::NAN.to_bits()),
        V::Float(float) => Cbor::Float(float.to_bits()),
        V::Bytes(bytes) => Cbor::Bytes(bytes),
        V::Text(text) => Cbor::Text(text),
        V::Array(items) => Cbor::Array(items.into_iter().map(comparable).collect()),
        V::Map(entries) => {
            let mut entries: Vec<(Cbor, Cbor)> = entries
                .into_iter()
                .map(|(key, value)| (comparable(key), comparable(value)))
                .collect();
            entries.sort();
            Cbor::Map(entries)
        }
        V::Tag(tag, inner) => Cbor::Tag(tag, Box::new(comparable(*inner))),
        V::Bool(value) => Cbor::Bool(value),
        _ => Cbor::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_compares_by_value() {
        assert!(compare(
            BodyKind::Json,
            "{\"a\": 1, \"b\": [true]}",
            b"{\"b\":[true],\"a\":1.0}"
        )
        .is_ok());
        assert!(compare(BodyKind::Json, "{\"a\": 1}", b"{\"a\":2}").is_err());
    }

    #[test]
    fn xml_ignores_layout_and_attribute_order() {
        let expected = "<A xmlns=\"u\" b=\"1\">\n    <C>x &amp; &#x79;</C>\n    <D/>\n</A>\n";
        assert!(compare(
            BodyKind::Xml,
            expected,
            b"<A b=\"1\" xmlns=\"u\"><C>x &amp; y</C><D></D></A>"
        )
        .is_ok());
        assert!(compare(
            BodyKind::Xml,
            expected,
            b"<A xmlns=\"u\" b=\"1\"><D/><C>x &amp; y</C></A>"
        )
        .is_err());
    }

    #[test]
    fn form_bodies_are_pair_sets_and_test_lines_are_not_content() {
        let expected = "Action=Op\n&Version=2020-01-08\n&Foo=val1";
        assert!(compare(
            BodyKind::Form,
            expected,
            b"Foo=val1&Action=Op&Version=2020-01-08"
        )
        .is_ok());
        assert!(compare(BodyKind::Form, expected, b"Action=Op&Version=2020-01-08").is_err());
    }

    #[test]
    fn cbor_compares_data_items_whatever_the_encoding() {
        // {"a": 1} with the integer in one byte, and with a two-byte integer.
        let short = [0xa1, 0x61, 0x61, 0x01];
        let long = [0xa1, 0x61, 0x61, 0x19, 0x00, 0x01];
        let expected = base64::engine::general_purpose::STANDARD.encode(short);
        assert!(compare(BodyKind::Cbor, &expected, &long).is_ok());
        assert!(compare(BodyKind::Cbor, &expected, &[0xa1, 0x61, 0x61, 0x02]).is_err());
    }

    #[test]
    fn empty_bodies() {
        assert!(compare(BodyKind::Json, "", b"").is_ok());
        assert!(compare(BodyKind::Json, "", b"{}").is_err());
        assert_eq!(
            BodyKind::of(Some("application/json; charset=utf-8")),
            BodyKind::Json
        );
        assert_eq!(BodyKind::of(None), BodyKind::Bytes);
    }
}
