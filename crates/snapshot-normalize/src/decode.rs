//! Response bodies decoded into JSON trees by content type, so that every protocol (JSON, XML,
//! CBOR, form-encoded) is compared structurally rather than as bytes.
//!
//! XML maps to JSON as follows: the root element becomes `{"RootName": ...}`; an element with
//! neither attributes nor child elements becomes its text (a string, `""` when empty); any
//! other element becomes an object whose attributes are `"@name"` members, whose child elements
//! are members by name (repeated names collect into an array in document order), and whose
//! non-blank text is `"#text"`. Names keep their prefixes as written. CBOR byte strings become
//! `{"$bytes": "<base64>"}`, tags `{"$tag": n, "value": ...}`; undecodable binary bodies become
//! `{"$base64": "..."}`.

use base64::Engine;
use minicbor::data::{Tag, Type};
use minicbor::decode::Decoder;
use quick_xml::events::Event;
use serde_json::{Map, Number, Value};

use crate::media_type::MediaType;

/// How a body is interpreted: the format its content type announces ([`MediaType`]), or,
/// without a known announcement, what it looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// JSON, including `application/x-amz-json-1.x` and `*+json`.
    Json,
    /// XML (`application/xml`, `text/xml`, `*+xml`).
    Xml,
    /// CBOR (`application/cbor`, the rpcv2Cbor protocol).
    Cbor,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Anything else that is UTF-8.
    Text,
    /// Anything else.
    Binary,
}

impl BodyFormat {
    /// The format a content type declares; bodies without a known declaration are sniffed
    /// (some emulators send XML as `text/html`).
    pub fn detect(content_type: Option<&str>, body: &[u8]) -> Self {
        match MediaType::of(content_type) {
            MediaType::Json => return Self::Json,
            MediaType::Xml => return Self::Xml,
            MediaType::Cbor => return Self::Cbor,
            MediaType::Form => return Self::Form,
            // An event stream is binary framing; it has no tree form of its own.
            MediaType::EventStream | MediaType::Other => {}
        }
        match std::str::from_utf8(body) {
            Ok(text) => match text.trim_start().chars().next() {
                Some('{' | '[') if serde_json::from_str::<Value>(text).is_ok() => Self::Json,
                Some('<') if xml_to_value(body).is_ok() => Self::Xml,
                _ => Self::Text,
            },
            Err(_) => Self::Binary,
        }
    }
}

/// Decodes a body into a tree; `None` for an empty body. A body that does not parse as its
/// declared format is kept as text (or base64), so the comparison still shows it.
pub fn decode_body(content_type: Option<&str>, body: &[u8]) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    let decoded = match BodyFormat::detect(content_type, body) {
        BodyFormat::Json => serde_json::from_slice(body).ok(),
        BodyFormat::Xml => xml_to_value(body).ok(),
        BodyFormat::Cbor => cbor_to_value(body).ok(),
        BodyFormat::Form => Some(form_to_value(body)),
        BodyFormat::Text | BodyFormat::Binary => None,
    };
    Some(decoded.unwrap_or_else(|| raw_to_value(body)))
}

fn raw_to_value(body: &[u8]) -> Value {
    match std::str::from_utf8(body) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => {
            let mut object = Map::new();
            object.insert(
                "$base64".to_owned(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(body)),
            );
            Value::Object(object)
        }
    }
}

/// `a=1&b=2&b=3` as `{"a": "1", "b": ["2", "3"]}`.
pub fn form_to_value(body: &[u8]) -> Value {
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(body) {
        push_member(
            &mut object,
            key.into_owned(),
            Value::String(value.into_owned()),
        );
    }
    Value::Object(object)
}

fn push_member(object: &mut Map<String, Value>, name: String, value: Value) {
    match object.get_mut(&name) {
        None => {
            object.insert(name, value);
        }
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

/// Deepest nesting of CBOR arrays, maps and tags decoded; deeper bodies are shown raw.
const MAX_CBOR_DEPTH: usize = 256;

/// The first CBOR data item of `body` as JSON: integers as numbers (as decimal strings beyond
/// 64 bits), floats as numbers (non-finite ones as text: `NaN`, `inf`), `undefined` as null,
/// text as strings (indefinite-length ones joined), byte strings as
/// `{"$bytes": "<base64>"}`, bignums (tags 2 and 3) as integers, other tags as
/// `{"$tag": n, "value": ...}`, other simple values as `{"$simple": n}`; map keys that are not
/// text become their JSON text.
pub fn cbor_to_value(body: &[u8]) -> Result<Value, minicbor::decode::Error> {
    cbor_item(&mut Decoder::new(body), 0)
}

fn cbor_item(decoder: &mut Decoder<'_>, depth: usize) -> Result<Value, minicbor::decode::Error> {
    if depth > MAX_CBOR_DEPTH {
        return Err(minicbor::decode::Error::message("CBOR nested too deeply"));
    }
    Ok(match decoder.datatype()? {
        Type::Bool => Value::Bool(decoder.bool()?),
        Type::Null => {
            decoder.null()?;
            Value::Null
        }
        Type::Undefined => {
            decoder.undefined()?;
            Value::Null
        }
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Value::from(decoder.u64()?),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
            integer(i128::from(decoder.int()?))
        }
        Type::F16 => float(f64::from(decoder.f16()?)),
        Type::F32 => float(f64::from(decoder.f32()?)),
        Type::F64 => float(decoder.f64()?),
        Type::Simple => simple(decoder.simple()?),
        Type::Bytes | Type::BytesIndef => {
            let mut bytes = Vec::new();
            for part in decoder.bytes_iter()? {
                bytes.extend_from_slice(part?);
            }
            bytes_value(&bytes)
        }
        Type::String | Type::StringIndef => {
            let mut text = String::new();
            for part in decoder.str_iter()? {
                text.push_str(part?);
            }
            Value::String(text)
        }
        Type::Array | Type::ArrayIndef => {
            let length = decoder.array()?;
            let mut items = Vec::new();
            while more(decoder, length, items.len())? {
                items.push(cbor_item(decoder, depth + 1)?);
            }
            Value::Array(items)
        }
        Type::Map | Type::MapIndef => {
            let length = decoder.map()?;
            let mut object = Map::new();
            let mut entries = 0;
            while more(decoder, length, entries)? {
                let name = match cbor_item(decoder, depth + 1)? {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                object.insert(name, cbor_item(decoder, depth + 1)?);
                entries += 1;
            }
            Value::Object(object)
        }
        Type::Tag => tagged(decoder, depth)?,
        Type::Break | Type::Unknown(_) => {
            return Err(minicbor::decode::Error::message("not a CBOR data item"))
        }
    })
}

/// Whether another item of a CBOR container follows: `length` items (definite length), or
/// items until the break byte (indefinite length, which it consumes).
///
/// # Errors
/// The decoder's, when the input ends before the break byte.
pub fn more(
    decoder: &mut Decoder<'_>,
    length: Option<u64>,
    read: usize,
) -> Result<bool, minicbor::decode::Error> {
    match length {
        Some(length) => Ok((read as u64) < length),
        None if decoder.datatype()? == Type::Break => {
            decoder.skip()?;
            Ok(false)
        }
        None => Ok(true),
    }
}

fn tagged(decoder: &mut Decoder<'_>, depth: usize) -> Result<Value, minicbor::decode::Error> {
    let tag = decoder.tag()?;
    let inner = cbor_item(decoder, depth + 1)?;
    // RFC 8949 §3.4.3: a bignum is a tagged byte string holding the magnitude.
    let magnitude = match &inner {
        Value::Object(object) if object.len() == 1 => object
            .get("$bytes")
            .and_then(Value::as_str)
            .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
            .filter(|bytes| bytes.len() <= 16),
        _ => None,
    };
    let positive = Tag::new(2);
    let negative = Tag::new(3);
    if let Some(bytes) = magnitude.filter(|_| tag == positive || tag == negative) {
        let value = bytes.iter().fold(0u128, |n, b| (n << 8) | u128::from(*b));
        if let Ok(value) = i128::try_from(value) {
            return Ok(integer(if tag == negative { -1 - value } else { value }));
        }
    }
    let mut object = Map::new();
    object.insert("$tag".to_owned(), Value::from(tag.as_u64()));
    object.insert("value".to_owned(), inner);
    Ok(Value::Object(object))
}

fn integer(wide: i128) -> Value {
    if let Ok(n) = i64::try_from(wide) {
        Value::from(n)
    } else if let Ok(n) = u64::try_from(wide) {
        Value::from(n)
    } else {
        Value::String(wide.to_string())
    }
}

fn float(value: f64) -> Value {
    Number::from_f64(value)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(value.to_string()))
}

fn simple(value: u8) -> Value {
    let mut object = Map::new();
    object.insert("$simple".to_owned(), Value::from(value));
    Value::Object(object)
}

fn bytes_value(bytes: &[u8]) -> Value {
    let mut object = Map::new();
    object.insert(
        "$bytes".to_owned(),
        Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
    );
    Value::Object(object)
}

#[derive(Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<(String, Value)>,
    text: String,
}

impl Element {
    fn into_value(self) -> Value {
        if self.attributes.is_empty() && self.children.is_empty() {
            return Value::String(self.text);
        }
        let mut object = Map::new();
        for (name, value) in self.attributes {
            object.insert(format!("@{name}"), Value::String(value));
        }
        for (name, value) in self.children {
            push_member(&mut object, name, value);
        }
        let text = self.text.trim();
        if !text.is_empty() {
            object.insert("#text".to_owned(), Value::String(text.to_owned()));
        }
        Value::Object(object)
    }
}

/// An XML document as a JSON tree (mapping in the module documentation).
pub fn xml_to_value(body: &[u8]) -> Result<Value, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<(String, Value)> = None;
    loop {
        match reader.read_event()? {
            Event::Start(start) => stack.push(open(&start)?),
            Event::Empty(start) => {
                let element = open(&start)?;
                close(element, &mut stack, &mut root);
            }
            Event::End(_) => {
                if let Some(element) = stack.pop() {
                    close(element, &mut stack, &mut root);
                }
            }
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text.xml_content()?);
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.xml_content()?);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(top) = stack.last_mut() {
                    if let Some(c) = reference.resolve_char_ref()? {
                        top.text.push(c);
                    } else {
                        let name = reference.decode()?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(resolved) => top.text.push_str(resolved),
                            // An undeclared entity is kept as written.
                            None => {
                                top.text.push('&');
                                top.text.push_str(&name);
                                top.text.push(';');
                            }
                        }
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    match root {
        Some((name, value)) if stack.is_empty() => {
            let mut object = Map::new();
            object.insert(name, value);
            Ok(Value::Object(object))
        }
        _ => Err(quick_xml::Error::Syntax(
            quick_xml::errors::SyntaxError::UnclosedTag,
        )),
    }
}

fn open(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, quick_xml::Error> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(quick_xml::Error::from)?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let value = attribute.unescape_value()?.into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<(String, Value)>) {
    let name = element.name.clone();
    let value = element.into_value();
    match stack.last_mut() {
        Some(parent) => parent.children.push((name, value)),
        None => *root = Some((name, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xml_maps_elements_attributes_lists_and_entities() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Contents><Key>a &amp; b</Key><Size>3</Size></Contents>
  <Contents><Key>c&#x41;</Key><Size>4</Size></Contents>
  <Empty/>
  <Note lang="en">hi</Note>
  <Data><![CDATA[<raw>]]></Data>
</ListBucketResult>"#;
        assert_eq!(
            xml_to_value(body).unwrap(),
            json!({"ListBucketResult": {
                "@xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                "Name": "bucket",
                "Contents": [{"Key": "a & b", "Size": "3"}, {"Key": "cA", "Size": "4"}],
                "Empty": "",
                "Note": {"@lang": "en", "#text": "hi"},
                "Data": "<raw>",
            }})
        );
    }

    #[test]
    fn content_types_choose_the_decoder() {
        assert_eq!(
            decode_body(Some("application/x-amz-json-1.0"), br#"{"QueueUrl":"u"}"#),
            Some(json!({"QueueUrl": "u"}))
        );
        assert_eq!(
            decode_body(Some("text/html; charset=utf-8"), b"<A><B>1</B></A>"),
            Some(json!({"A": {"B": "1"}}))
        );
        assert_eq!(
            decode_body(
                Some("application/x-www-form-urlencoded"),
                b"a=1&b=x%20y&b=2"
            ),
            Some(json!({"a": "1", "b": ["x y", "2"]}))
        );
        assert_eq!(
            decode_body(Some("text/plain"), b"hello"),
            Some(json!("hello"))
        );
        assert_eq!(
            decode_body(None, &[0xff, 0x00]),
            Some(json!({"$base64": "/wA="}))
        );
        assert_eq!(decode_body(Some("application/json"), b""), None);
        // Declared JSON that is not JSON stays visible as text.
        assert_eq!(
            decode_body(Some("application/json"), b"oops"),
            Some(json!("oops"))
        );
    }

    #[test]
    fn cbor_bodies_decode_with_bytes_tags_and_bignums() {
        let mut bytes = Vec::new();
        let mut encoder = minicbor::Encoder::new(&mut bytes);
        encoder
            .map(5)
            .and_then(|e| e.str("n")?.u8(5))
            .and_then(|e| e.str("b")?.bytes(&[1, 2]))
            .and_then(|e| e.str("t")?.tag(Tag::new(1))?.f64(1.5))
            .and_then(|e| {
                e.str("big")?
                    .tag(Tag::new(2))?
                    .bytes(&[1, 0, 0, 0, 0, 0, 0, 0, 0])
            })
            .and_then(|e| e.str("neg")?.tag(Tag::new(3))?.bytes(&[0x10]))
            .unwrap();
        assert_eq!(
            decode_body(Some("application/cbor"), &bytes),
            Some(json!({
                "n": 5,
                "b": {"$bytes": "AQI="},
                "t": {"$tag": 1, "value": 1.5},
                "big": "18446744073709551616",
                "neg": -17,
            }))
        );
    }

    #[test]
    fn indefinite_cbor_containers_and_strings_are_read_whole() {
        let mut bytes = Vec::new();
        let mut encoder = minicbor::Encoder::new(&mut bytes);
        encoder
            .begin_map()
            .and_then(|e| e.str("list")?.begin_array()?.i8(-1)?.null()?.end())
            .and_then(|e| e.str("text")?.begin_str()?.str("ab")?.str("c")?.end())
            .and_then(|e| e.u8(7)?.bool(true)?.end())
            .unwrap();
        assert_eq!(
            cbor_to_value(&bytes).unwrap(),
            json!({"list": [-1, null], "text": "abc", "7": true})
        );
        // A truncated body is not CBOR: the caller shows it raw.
        assert!(cbor_to_value(&bytes[..bytes.len() - 1]).is_err());
    }
}
