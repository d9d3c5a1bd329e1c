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
use quick_xml::events::Event;
use serde_json::{Map, Number, Value};

/// How a body is interpreted.
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
        let media = content_type
            .and_then(|value| value.split(';').next())
            .map(|value| value.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let declared = match media.as_str() {
            "application/json" | "text/json" => Some(Self::Json),
            m if m.starts_with("application/x-amz-json") || m.ends_with("+json") => {
                Some(Self::Json)
            }
            "application/xml" | "text/xml" => Some(Self::Xml),
            m if m.ends_with("+xml") => Some(Self::Xml),
            "application/cbor" => Some(Self::Cbor),
            "application/x-www-form-urlencoded" => Some(Self::Form),
            _ => None,
        };
        if let Some(format) = declared {
            return format;
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
        BodyFormat::Cbor => ciborium::de::from_reader::<ciborium::Value, _>(body)
            .ok()
            .map(cbor_to_value),
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

/// A CBOR value as JSON.
pub fn cbor_to_value(value: ciborium::Value) -> Value {
    use ciborium::Value as Cbor;
    match value {
        Cbor::Null => Value::Null,
        Cbor::Bool(b) => Value::Bool(b),
        Cbor::Integer(i) => {
            let wide = i128::from(i);
            if let Ok(n) = i64::try_from(wide) {
                Value::Number(n.into())
            } else if let Ok(n) = u64::try_from(wide) {
                Value::Number(n.into())
            } else {
                Value::String(wide.to_string())
            }
        }
        Cbor::Float(f) => Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(f.to_string())),
        Cbor::Text(text) => Value::String(text),
        Cbor::Bytes(bytes) => {
            let mut object = Map::new();
            object.insert(
                "$bytes".to_owned(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
            );
            Value::Object(object)
        }
        Cbor::Array(items) => Value::Array(items.into_iter().map(cbor_to_value).collect()),
        Cbor::Map(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let name = match key {
                    Cbor::Text(text) => text,
                    other => cbor_to_value(other).to_string(),
                };
                object.insert(name, cbor_to_value(value));
            }
            Value::Object(object)
        }
        Cbor::Tag(tag, inner) => {
            let mut object = Map::new();
            object.insert("$tag".to_owned(), Value::Number(tag.into()));
            object.insert("value".to_owned(), cbor_to_value(*inner));
            Value::Object(object)
        }
        // ciborium's Value is non-exhaustive in spirit; keep anything new visible.
        #[allow(unreachable_patterns)]
        other => Value::String(format!("{other:?}")),
    }
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
    fn cbor_bodies_decode_with_bytes_and_tags() {
        let value = ciborium::Value::Map(vec![
            (
                ciborium::Value::Text("n".into()),
                ciborium::Value::Integer(5.into()),
            ),
            (
                ciborium::Value::Text("b".into()),
                ciborium::Value::Bytes(vec![1, 2]),
            ),
            (
                ciborium::Value::Text("t".into()),
                ciborium::Value::Tag(1, Box::new(ciborium::Value::Float(1.5))),
            ),
        ]);
        let mut bytes = Vec::new();
        ciborium::ser::into_writer(&value, &mut bytes).unwrap();
        assert_eq!(
            decode_body(Some("application/cbor"), &bytes),
            Some(json!({"n": 5, "b": {"$bytes": "AQI="}, "t": {"$tag": 1, "value": 1.5}}))
        );
    }
}
