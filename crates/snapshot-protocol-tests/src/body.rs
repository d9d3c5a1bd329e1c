//! Bodies compared by media type, the way the protocol-test specification asks: by meaning
//! for JSON, XML, form and CBOR bodies (whitespace, member and attribute order do not
//! matter), byte for byte otherwise.

use std::collections::BTreeMap;

use base64::Engine;
use minicbor::data::Type;
use minicbor::Decoder;
use snapshot_normalize::MediaType;

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
    /// The comparison for `media_type` (classified by `snapshot-normalize`'s [`MediaType`]).
    pub fn of(media_type: Option<&str>) -> BodyKind {
        match MediaType::of(media_type) {
            MediaType::Json => BodyKind::Json,
            MediaType::Xml => BodyKind::Xml,
            MediaType::Form => BodyKind::Form,
            MediaType::Cbor => BodyKind::Cbor,
            MediaType::EventStream | MediaType::Other => BodyKind::Bytes,
        }
    }
}

/// Compares `actual` with the test's `expected` body; `Err` says how they differ.
pub fn compare(kind: BodyKind, expected: &str, actual: &[u8]) -> Result<(), String> {
    compare_with(kind, expected, actual, |_, _| {})
}

/// Compares a server's response body with a response test's body, allowing what a server
/// chooses itself: the request id's value, and request-id elements and the awsQuery
/// `ResponseMetadata` element where the test's body has none (metadata, not output members).
pub fn compare_response(kind: BodyKind, expected: &str, actual: &[u8]) -> Result<(), String> {
    compare_with(kind, expected, actual, |expected, actual| {
        let is_metadata = |node: &XmlNode| {
            node.is_element(RESPONSE_METADATA)
                || REQUEST_ID_ELEMENTS.iter().any(|id| node.is_element(id))
        };
        let wanted: Vec<XmlNode> = root_children(expected)
            .iter()
            .filter(|child| is_metadata(child))
            .cloned()
            .collect();
        if let Some(children) = root_children_mut(actual) {
            children.retain(|child| {
                !is_metadata(child) || wanted.iter().any(|w| w.same_element(child))
            });
        }
        for tree in [expected, actual] {
            for child in root_children_mut(tree).into_iter().flatten() {
                if let XmlNode::Element { name, children, .. } = child {
                    if REQUEST_ID_ELEMENTS.contains(&name.as_str()) {
                        children.clear();
                    }
                }
            }
        }
    })
}

/// The awsQuery envelope element holding the request id.
const RESPONSE_METADATA: &str = "ResponseMetadata";
/// Elements directly under a query-protocol response's root that hold the request id.
const REQUEST_ID_ELEMENTS: [&str; 3] = ["requestId", "RequestId", "RequestID"];

fn compare_with(
    kind: BodyKind,
    expected: &str,
    actual: &[u8],
    adjust_xml: impl Fn(&mut Vec<XmlNode>, &mut Vec<XmlNode>),
) -> Result<(), String> {
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
                .map_err(|error| format!("the message's JSON body does not parse: {error}"))?;
            equal_or(json_equal(&expected, &actual), &expected, &actual)
        }
        BodyKind::Xml => {
            let mut expected = xml_tree(expected.as_bytes())
                .map_err(|error| format!("the test's XML body does not parse: {error}"))?;
            let mut actual = xml_tree(actual)
                .map_err(|error| format!("the message's XML body does not parse: {error}"))?;
            adjust_xml(&mut expected, &mut actual);
            normalize(&mut expected);
            normalize(&mut actual);
            equal_or(expected == actual, &render(&expected), &render(&actual))
        }
        BodyKind::Form => {
            let flattened: String = expected.chars().filter(|c| *c != '\n').collect();
            let expected = form_pairs(flattened.as_bytes());
            let actual = form_pairs(actual);
            equal_or(expected == actual, &expected.join("&"), &actual.join("&"))
        }
        BodyKind::Cbor => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(expected.trim())
                .map_err(|error| format!("the test's CBOR body is not base64: {error}"))?;
            let expected =
                cbor(&bytes).map_err(|error| format!("the test's CBOR body: {error}"))?;
            let actual =
                cbor(actual).map_err(|error| format!("the message's CBOR body: {error}"))?;
            equal_or(
                expected == actual,
                &format!("{expected:?}"),
                &format!("{actual:?}"),
            )
        }
        BodyKind::Bytes => {
            let actual = String::from_utf8_lossy(actual);
            equal_or(
                expected.as_bytes() == actual.as_bytes(),
                &expected,
                &actual.as_ref(),
            )
        }
    }
}

fn equal_or<T: std::fmt::Display + ?Sized>(
    equal: bool,
    expected: &T,
    actual: &T,
) -> Result<(), String> {
    if equal {
        Ok(())
    } else {
        Err(format!("expected `{expected}`, got `{actual}`"))
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum XmlNode {
    Element {
        name: String,
        attributes: BTreeMap<String, String>,
        children: Vec<XmlNode>,
    },
    Text(String),
}

type Open = (String, BTreeMap<String, String>, Vec<XmlNode>);

impl XmlNode {
    fn is_element(&self, wanted: &str) -> bool {
        matches!(self, XmlNode::Element { name, .. } if name == wanted)
    }

    fn same_element(&self, other: &XmlNode) -> bool {
        matches!((self, other), (XmlNode::Element { name: a, .. }, XmlNode::Element { name: b, .. }) if a == b)
    }
}

fn root_children(tree: &[XmlNode]) -> &[XmlNode] {
    match tree.first() {
        Some(XmlNode::Element { children, .. }) => children,
        _ => &[],
    }
}

fn root_children_mut(tree: &mut [XmlNode]) -> Option<&mut Vec<XmlNode>> {
    match tree.first_mut() {
        Some(XmlNode::Element { children, .. }) => Some(children),
        _ => None,
    }
}

/// Puts the children of every element that is not a list in a canonical order, so member
/// and map-entry order do not matter while list order does. An element is taken for a list
/// when all its children are elements of one name with one child each (the heuristic
/// smithy-rs's own protocol-test XML comparison uses).
fn normalize(nodes: &mut [XmlNode]) {
    for node in nodes.iter_mut() {
        if let XmlNode::Element { children, .. } = node {
            normalize(children);
            if !looks_like_list(children) {
                children.sort();
            }
        }
    }
}

fn looks_like_list(children: &[XmlNode]) -> bool {
    let Some(XmlNode::Element { name: first, .. }) = children.first() else {
        return false;
    };
    children.iter().all(|child| {
        matches!(child, XmlNode::Element { name, children, .. } if name == first && children.len() == 1)
    })
}

/// A tree as compact XML text, for messages.
fn render(nodes: &[XmlNode]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            XmlNode::Text(text) => out.push_str(text),
            XmlNode::Element {
                name,
                attributes,
                children,
            } => {
                out.push('<');
                out.push_str(name);
                for (key, value) in attributes {
                    out.push_str(&format!(" {key}=\"{value}\""));
                }
                out.push('>');
                out.push_str(&render(children));
                out.push_str(&format!("</{name}>"));
            }
        }
    }
    out
}

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
    cbor_item(&mut Decoder::new(bytes), 0).map_err(|error| format!("not CBOR: {error}"))
}

/// Deepest nesting of arrays, maps and tags read.
const MAX_CBOR_DEPTH: usize = 256;

fn cbor_item(decoder: &mut Decoder<'_>, depth: usize) -> Result<Cbor, minicbor::decode::Error> {
    if depth > MAX_CBOR_DEPTH {
        return Err(minicbor::decode::Error::message("nested too deeply"));
    }
    let float = |value: f64| Cbor::Float(if value.is_nan() { f64::NAN } else { value }.to_bits());
    Ok(match decoder.datatype()? {
        Type::Bool => Cbor::Bool(decoder.bool()?),
        Type::Null | Type::Undefined | Type::Simple => {
            decoder.skip()?;
            Cbor::Null
        }
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Cbor::Integer(i128::from(decoder.u64()?)),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
            Cbor::Integer(i128::from(decoder.int()?))
        }
        Type::F16 => float(f64::from(decoder.f16()?)),
        Type::F32 => float(f64::from(decoder.f32()?)),
        Type::F64 => float(decoder.f64()?),
        Type::Bytes | Type::BytesIndef => {
            let mut bytes = Vec::new();
            for part in decoder.bytes_iter()? {
                bytes.extend_from_slice(part?);
            }
            Cbor::Bytes(bytes)
        }
        Type::String | Type::StringIndef => {
            let mut text = String::new();
            for part in decoder.str_iter()? {
                text.push_str(part?);
            }
            Cbor::Text(text)
        }
        Type::Array | Type::ArrayIndef => {
            let length = decoder.array()?;
            let mut items = Vec::new();
            while snapshot_normalize::decode::more(decoder, length, items.len())? {
                items.push(cbor_item(decoder, depth + 1)?);
            }
            Cbor::Array(items)
        }
        Type::Map | Type::MapIndef => {
            let length = decoder.map()?;
            let mut entries = Vec::new();
            while snapshot_normalize::decode::more(decoder, length, entries.len())? {
                let key = cbor_item(decoder, depth + 1)?;
                entries.push((key, cbor_item(decoder, depth + 1)?));
            }
            entries.sort();
            Cbor::Map(entries)
        }
        Type::Tag => {
            let tag = decoder.tag()?.as_u64();
            match (tag, cbor_item(decoder, depth + 1)?) {
                // RFC 8949 §3.4.3: a bignum is a tagged byte string holding the magnitude.
                (2 | 3, Cbor::Bytes(magnitude)) if magnitude.len() <= 16 => {
                    let value = magnitude
                        .iter()
                        .fold(0u128, |n, byte| (n << 8) | u128::from(*byte));
                    match i128::try_from(value) {
                        Ok(value) if tag == 3 => Cbor::Integer(-1 - value),
                        Ok(value) => Cbor::Integer(value),
                        Err(_) => Cbor::Tag(tag, Box::new(Cbor::Bytes(magnitude))),
                    }
                }
                (tag, inner) => Cbor::Tag(tag, Box::new(inner)),
            }
        }
        Type::Break | Type::Unknown(_) => {
            return Err(minicbor::decode::Error::message("not a CBOR data item"))
        }
    })
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
            b"<A xmlns=\"u\" b=\"2\"><C>x &amp; y</C><D/></A>"
        )
        .is_err());
    }

    #[test]
    fn xml_members_and_map_entries_may_come_in_any_order_list_items_may_not() {
        let map = "<R><m><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></m><z>1</z></R>";
        let swapped = b"<R><z>1</z><m><entry><key>b</key><value>2</value></entry><entry><key>a</key><value>1</value></entry></m></R>";
        assert!(compare(BodyKind::Xml, map, swapped).is_ok());
        let list = "<R><l><member>a</member><member>b</member></l></R>";
        let error = compare(
            BodyKind::Xml,
            list,
            b"<R><l><member>b</member><member>a</member></l></R>",
        )
        .unwrap_err();
        assert_eq!(
            error,
            "expected `<R><l><member>a</member><member>b</member></l></R>`, got `<R><l><member>b</member><member>a</member></l></R>`"
        );
    }

    #[test]
    fn a_server_chooses_its_request_id_and_query_metadata() {
        let expected =
            "<OpResponse><OpResult><a>1</a></OpResult><requestId>abc</requestId></OpResponse>";
        let actual = b"<OpResponse><OpResult><a>1</a></OpResult><requestId>xyz</requestId><ResponseMetadata><RequestId>xyz</RequestId></ResponseMetadata></OpResponse>";
        assert!(compare_response(BodyKind::Xml, expected, actual).is_ok());
        assert!(compare(BodyKind::Xml, expected, actual).is_err());
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
