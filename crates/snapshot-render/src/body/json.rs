//! JSON bodies: pretty-printed with two-space indentation and object keys sorted.
//!
//! The parser is our own because it must be lossless: numbers keep their exact text
//! (`bigDecimal` values exceed `f64`), strings keep their exact escapes, duplicate keys stay.
//! `serde_json` can only keep number text with its `arbitrary_precision` feature, which would
//! leak into every crate of the build through feature unification and break the internally
//! tagged enums of `snapshot-records`.
//!
//! Objects are sorted by key because the client serializes maps from `HashMap`s; a JSON body
//! does not say which objects are maps, and sorting structures too is harmless.

use crate::errors::RenderError;
use snapshot_normalize::uuid::mask_uuids;

const FORMAT: &str = "json";
/// Nesting beyond this is refused rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 256;

/// A JSON value with its lexemes as sent.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    /// `null`, `true`, `false` or a number, as sent.
    Literal(String),
    /// A string lexeme including its quotes and escapes, as sent.
    String(String),
    Array(Vec<Json>),
    Object(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// Key lexeme as sent, with quotes.
    raw_key: String,
    /// Decoded key, for sorting.
    key: String,
    value: Json,
}

/// Parses `bytes` as one JSON document and pretty-prints it with sorted object keys.
pub(crate) fn format(bytes: &[u8]) -> Result<String, RenderError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|error| RenderError::body(FORMAT, error.valid_up_to(), "invalid UTF-8"))?;
    let mut parser = Parser { text, position: 0 };
    parser.skip_whitespace();
    let mut value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.position != text.len() {
        return Err(parser.error("unexpected data after the JSON value"));
    }
    sort(&mut value);
    let mut out = String::new();
    print(&value, 0, &mut out);
    Ok(out)
}

fn sort(value: &mut Json) {
    match value {
        Json::Array(items) => items.iter_mut().for_each(sort),
        Json::Object(entries) => {
            entries.iter_mut().for_each(|entry| sort(&mut entry.value));
            // Stable: duplicate keys keep their order.
            entries.sort_by(|a, b| {
                mask_uuids(&a.key)
                    .cmp(&mask_uuids(&b.key))
                    .then_with(|| a.raw_key.cmp(&b.raw_key))
            });
        }
        Json::Literal(_) | Json::String(_) => {}
    }
}

fn print(value: &Json, indent: usize, out: &mut String) {
    match value {
        Json::Literal(text) | Json::String(text) => out.push_str(text),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                push_indent(indent + 1, out);
                print(item, indent + 1, out);
            }
            out.push('\n');
            push_indent(indent, out);
            out.push(']');
        }
        Json::Object(entries) => {
            out.push('{');
            for (i, entry) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                push_indent(indent + 1, out);
                out.push_str(&entry.raw_key);
                out.push_str(": ");
                print(&entry.value, indent + 1, out);
            }
            out.push('\n');
            push_indent(indent, out);
            out.push('}');
        }
    }
}

fn push_indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

struct Parser<'a> {
    text: &'a str,
    position: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &str) -> RenderError {
        RenderError::body(FORMAT, self.position, reason)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), RenderError> {
        if self.peek() == Some(byte) {
            self.position += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, RenderError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting deeper than 256 levels"));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Json::String(self.string()?.0)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for literal in ["null", "true", "false"] {
                    if self.text[self.position..].starts_with(literal) {
                        self.position += literal.len();
                        return Ok(Json::Literal(literal.to_owned()));
                    }
                }
                Err(self.error("expected a JSON value"))
            }
            None => Err(self.error("unexpected end of input, expected a JSON value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, RenderError> {
        self.position += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(Json::Object(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let (raw_key, key) = self.string()?;
            self.skip_whitespace();
            self.expect(b':', "expected ':' after an object key")?;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            entries.push(Entry {
                raw_key,
                key,
                value,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    return Ok(Json::Object(entries));
                }
                _ => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, RenderError> {
        self.position += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b']') => {
                    self.position += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }

    /// Returns the lexeme (with quotes) and the decoded text.
    fn string(&mut self) -> Result<(String, String), RenderError> {
        let start = self.position;
        self.position += 1;
        let mut decoded = String::new();
        loop {
            let rest = &self.text[self.position..];
            let Some(c) = rest.chars().next() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                '"' => {
                    self.position += 1;
                    return Ok((self.text[start..self.position].to_owned(), decoded));
                }
                '\\' => {
                    self.position += 1;
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated escape"))?;
                    self.position += 1;
                    match escape {
                        b'"' => decoded.push('"'),
                        b'\\' => decoded.push('\\'),
                        b'/' => decoded.push('/'),
                        b'b' => decoded.push('\u{8}'),
                        b'f' => decoded.push('\u{c}'),
                        b'n' => decoded.push('\n'),
                        b'r' => decoded.push('\r'),
                        b't' => decoded.push('\t'),
                        b'u' => decoded.push(self.unicode_escape()?),
                        _ => {
                            self.position -= 1;
                            return Err(self.error("invalid escape"));
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error("unescaped control character in a string"))
                }
                c => {
                    decoded.push(c);
                    self.position += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, RenderError> {
        let digits = self
            .text
            .get(self.position..self.position + 4)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        let value = u32::from_str_radix(digits, 16)
            .map_err(|_| self.error("expected four hex digits after \\u"))?;
        self.position += 4;
        Ok(value)
    }

    fn unicode_escape(&mut self) -> Result<char, RenderError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            // A high surrogate must be followed by an escaped low surrogate.
            if !self.text[self.position..].starts_with("\\u") {
                return Ok(char::REPLACEMENT_CHARACTER);
            }
            self.position += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Ok(char::REPLACEMENT_CHARACTER);
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn number(&mut self) -> Result<Json, RenderError> {
        let start = self.position;
        let digits = |parser: &mut Self| {
            let from = parser.position;
            while matches!(parser.peek(), Some(b'0'..=b'9')) {
                parser.position += 1;
            }
            parser.position > from
        };
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        if self.peek() == Some(b'0') {
            self.position += 1;
        } else if !digits(self) {
            return Err(self.error("expected digits in a number"));
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            if !digits(self) {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            if !digits(self) {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        Ok(Json::Literal(self.text[start..self.position].to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_prints_with_sorted_keys_and_exact_lexemes() {
        let body = br#"{"b":[1,2.50,{"z":null,"a":true}],"a":"x\u0041\/","big":9876543210.0123456789,"e":{},"l":[]}"#;
        assert_eq!(
            format(body).unwrap(),
            r#"{
  "a": "x\u0041\/",
  "b": [
    1,
    2.50,
    {
      "a": true,
      "z": null
    }
  ],
  "big": 9876543210.0123456789,
  "e": {},
  "l": []
}"#
        );
    }

    #[test]
    fn map_order_does_not_change_the_output() {
        let one = format(br#"{"Tags":{"key1":"a","key2":"b","key3":"c"}}"#).unwrap();
        let two = format(br#"{ "Tags" : { "key3":"c", "key1":"a","key2":"b" } }"#).unwrap();
        assert_eq!(one, two);
    }

    #[test]
    fn keeps_duplicate_keys_in_order() {
        assert_eq!(
            format(br#"{"k":2,"a":0,"k":1}"#).unwrap(),
            "{\n  \"a\": 0,\n  \"k\": 2,\n  \"k\": 1\n}"
        );
    }

    #[test]
    fn reports_where_the_json_is_malformed() {
        let error = format(br#"{"a":1,}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "json body is malformed at byte 7: expected a string key"
        );
        assert!(format(b"[1] x").is_err());
        assert!(format(b"01").is_err());
        assert!(format(b"\"\x01\"").is_err());
        assert!(format(&[b'['; 300]).is_err());
    }
}
