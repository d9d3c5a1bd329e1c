//! CBOR bodies (rpcv2Cbor): a readable diagnostic view and the raw bytes in hex.
//!
//! The client encodes maps from `HashMap`s, so map entry order varies between runs. Both views
//! therefore show map entries in the canonical order of RFC 8949 §4.2.1 (bytewise order of the
//! encoded keys). The raw bytes are the bytes as sent with only the map entries moved: every
//! item keeps its exact encoding (integer and float widths, indefinite lengths, tags), so the
//! hex still shows how the client encoded each value.

use std::fmt::Write as _;

use minicbor::data::Type;
use minicbor::decode::Decoder;

use crate::errors::RenderError;
use snapshot_normalize::uuid::mask_uuids_bytes;

const FORMAT: &str = "cbor";
const MAX_DEPTH: usize = 64;

/// A decoded CBOR item with the exact bytes of its encoding.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// Numbers, simple values and strings: their encoding and diagnostic text.
    Scalar {
        encoding: Vec<u8>,
        diagnostic: String,
    },
    Array {
        header: Vec<u8>,
        indefinite: bool,
        items: Vec<Item>,
    },
    Map {
        header: Vec<u8>,
        indefinite: bool,
        entries: Vec<(Item, Item)>,
    },
    Tag {
        header: Vec<u8>,
        tag: u64,
        item: Box<Item>,
    },
}

const BREAK: u8 = 0xff;

impl Item {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Item::Scalar { encoding, .. } => out.extend_from_slice(encoding),
            Item::Array {
                header,
                indefinite,
                items,
            } => {
                out.extend_from_slice(header);
                items.iter().for_each(|item| item.encode(out));
                if *indefinite {
                    out.push(BREAK);
                }
            }
            Item::Map {
                header,
                indefinite,
                entries,
            } => {
                out.extend_from_slice(header);
                for (key, value) in entries {
                    key.encode(out);
                    value.encode(out);
                }
                if *indefinite {
                    out.push(BREAK);
                }
            }
            Item::Tag { header, item, .. } => {
                out.extend_from_slice(header);
                item.encode(out);
            }
        }
    }

    fn encoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Sorts every map's entries by the canonical encoding of their keys.
    fn canonicalize(&mut self) {
        match self {
            Item::Scalar { .. } => {}
            Item::Array { items, .. } => items.iter_mut().for_each(Item::canonicalize),
            Item::Map { entries, .. } => {
                for (key, value) in entries.iter_mut() {
                    key.canonicalize();
                    value.canonicalize();
                }
                entries
                    .sort_by_cached_key(|(key, _)| mask_uuids_bytes(&key.encoded()).into_owned());
            }
            Item::Tag { item, .. } => item.canonicalize(),
        }
    }

    fn diagnostic(&self, level: usize, out: &mut String) {
        match self {
            Item::Scalar { diagnostic, .. } => out.push_str(diagnostic),
            Item::Tag { tag, item, .. } => {
                let _ = write!(out, "{tag}(");
                item.diagnostic(level, out);
                out.push(')');
            }
            Item::Array {
                indefinite, items, ..
            } => {
                out.push_str(if *indefinite { "[_" } else { "[" });
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    push_indent(level + 1, out);
                    item.diagnostic(level + 1, out);
                }
                close(items.is_empty(), *indefinite, level, ']', out);
            }
            Item::Map {
                indefinite,
                entries,
                ..
            } => {
                out.push_str(if *indefinite { "{_" } else { "{" });
                for (i, (key, value)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    push_indent(level + 1, out);
                    key.diagnostic(level + 1, out);
                    out.push_str(": ");
                    value.diagnostic(level + 1, out);
                }
                close(entries.is_empty(), *indefinite, level, '}', out);
            }
        }
    }
}

fn close(empty: bool, indefinite: bool, level: usize, bracket: char, out: &mut String) {
    if empty {
        if indefinite {
            out.push(' ');
        }
    } else {
        out.push('\n');
        push_indent(level, out);
    }
    out.push(bracket);
}

fn push_indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// The rendered views of a CBOR body.
pub(crate) struct Cbor {
    /// Pretty diagnostic notation (RFC 8949 §8), maps in canonical order.
    pub(crate) diagnostic: String,
    /// The bytes as sent, map entries in canonical order, as a hex dump.
    pub(crate) hex: String,
}

/// Decodes one CBOR data item from `bytes`.
pub(crate) fn format(bytes: &[u8]) -> Result<Cbor, RenderError> {
    let mut decoder = Decoder::new(bytes);
    let mut item = decode(&mut decoder, 0)?;
    if decoder.position() != bytes.len() {
        return Err(RenderError::body(
            FORMAT,
            decoder.position(),
            "unexpected data after the CBOR item",
        ));
    }
    item.canonicalize();
    let mut diagnostic = String::new();
    item.diagnostic(0, &mut diagnostic);
    Ok(Cbor {
        diagnostic,
        hex: hex_dump(&item.encoded()),
    })
}

/// 16 bytes a line, each line starting with its offset.
pub(crate) fn hex_dump(bytes: &[u8]) -> String {
    let width = if bytes.len() > 0xffff { 8 } else { 4 };
    let lines: Vec<String> = bytes
        .chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            format!("{:0width$x}: {}", i * 16, hex.join(" "))
        })
        .collect();
    lines.join("\n")
}

fn decode_error(position: usize, error: minicbor::decode::Error) -> RenderError {
    RenderError::body(FORMAT, position, error.to_string())
}

fn scalar(decoder: &Decoder<'_>, start: usize, diagnostic: String) -> Item {
    Item::Scalar {
        encoding: decoder.input()[start..decoder.position()].to_vec(),
        diagnostic,
    }
}

fn float(value: f64, text: String) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        text
    }
}

fn text_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

fn bytes_string(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("h'{hex}'")
}

fn decode(decoder: &mut Decoder<'_>, depth: usize) -> Result<Item, RenderError> {
    let start = decoder.position();
    if depth > MAX_DEPTH {
        return Err(RenderError::body(
            FORMAT,
            start,
            "nesting deeper than 64 levels",
        ));
    }
    let error = |e| decode_error(start, e);
    let datatype = decoder.datatype().map_err(error)?;
    let item = match datatype {
        Type::Bool => {
            let value = decoder.bool().map_err(error)?;
            scalar(decoder, start, value.to_string())
        }
        Type::Null => {
            decoder.null().map_err(error)?;
            scalar(decoder, start, "null".to_owned())
        }
        Type::Undefined => {
            decoder.undefined().map_err(error)?;
            scalar(decoder, start, "undefined".to_owned())
        }
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
            let value = decoder.u64().map_err(error)?;
            scalar(decoder, start, value.to_string())
        }
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
            let value = i128::from(decoder.int().map_err(error)?);
            scalar(decoder, start, value.to_string())
        }
        Type::F16 => {
            let value = decoder.f16().map_err(error)?;
            scalar(
                decoder,
                start,
                float(f64::from(value), format!("{value:?}")),
            )
        }
        Type::F32 => {
            let value = decoder.f32().map_err(error)?;
            scalar(
                decoder,
                start,
                float(f64::from(value), format!("{value:?}")),
            )
        }
        Type::F64 => {
            let value = decoder.f64().map_err(error)?;
            scalar(decoder, start, float(value, format!("{value:?}")))
        }
        Type::Simple => {
            let value = decoder.simple().map_err(error)?;
            scalar(decoder, start, format!("simple({value})"))
        }
        Type::Bytes => {
            let value = decoder.bytes().map_err(error)?;
            scalar(decoder, start, bytes_string(value))
        }
        Type::BytesIndef => {
            let mut parts = Vec::new();
            for part in decoder.bytes_iter().map_err(error)? {
                parts.push(bytes_string(part.map_err(error)?));
            }
            scalar(decoder, start, format!("(_ {})", parts.join(", ")))
        }
        Type::String => {
            let value = decoder.str().map_err(error)?;
            scalar(decoder, start, text_string(value))
        }
        Type::StringIndef => {
            let mut parts = Vec::new();
            for part in decoder.str_iter().map_err(error)? {
                parts.push(text_string(part.map_err(error)?));
            }
            scalar(decoder, start, format!("(_ {})", parts.join(", ")))
        }
        Type::Array | Type::ArrayIndef => {
            let length = decoder.array().map_err(error)?;
            let header = decoder.input()[start..decoder.position()].to_vec();
            let mut items = Vec::new();
            match length {
                Some(length) => {
                    for _ in 0..length {
                        items.push(decode(decoder, depth + 1)?);
                    }
                }
                None => {
                    while !at_break(decoder)? {
                        items.push(decode(decoder, depth + 1)?);
                    }
                }
            }
            Item::Array {
                header,
                indefinite: length.is_none(),
                items,
            }
        }
        Type::Map | Type::MapIndef => {
            let length = decoder.map().map_err(error)?;
            let header = decoder.input()[start..decoder.position()].to_vec();
            let mut entries = Vec::new();
            let mut entry = |decoder: &mut Decoder<'_>| -> Result<(), RenderError> {
                let key = decode(decoder, depth + 1)?;
                let value = decode(decoder, depth + 1)?;
                entries.push((key, value));
                Ok(())
            };
            match length {
                Some(length) => {
                    for _ in 0..length {
                        entry(decoder)?;
                    }
                }
                None => {
                    while !at_break(decoder)? {
                        entry(decoder)?;
                    }
                }
            }
            Item::Map {
                header,
                indefinite: length.is_none(),
                entries,
            }
        }
        Type::Tag => {
            let tag = u64::from(decoder.tag().map_err(error)?);
            let header = decoder.input()[start..decoder.position()].to_vec();
            let item = decode(decoder, depth + 1)?;
            Item::Tag {
                header,
                tag,
                item: Box::new(item),
            }
        }
        Type::Break => {
            return Err(RenderError::body(
                FORMAT,
                start,
                "break outside an indefinite-length item",
            ))
        }
        Type::Unknown(byte) => {
            return Err(RenderError::body(
                FORMAT,
                start,
                format!("unknown initial byte {byte:#04x}"),
            ))
        }
    };
    Ok(item)
}

/// Consumes the break byte that ends an indefinite-length container, if it is next.
fn at_break(decoder: &mut Decoder<'_>) -> Result<bool, RenderError> {
    let position = decoder.position();
    match decoder.datatype() {
        Ok(Type::Break) => {
            decoder.set_position(position + 1);
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(error) => Err(decode_error(position, error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-encoded: {"Name": "n", "Count": 1, "Tags": ["a", "b"], "When": 1(946702799.999),
    /// "Blob": h'01000001', "Ratio": 1.5 (f32)}
    fn body(entry_order: &[usize]) -> Vec<u8> {
        let entries: Vec<Vec<u8>> = vec![
            [&[0x64][..], b"Name", &[0x61, b'n']].concat(),
            [&[0x65][..], b"Count", &[0x01]].concat(),
            [&[0x64][..], b"Tags", &[0x82, 0x61, b'a', 0x61, b'b']].concat(),
            [
                &[0x64][..],
                b"When",
                &[0xc1, 0xfb],
                &946702799.999f64.to_be_bytes(),
            ]
            .concat(),
            [&[0x64][..], b"Blob", &[0x44, 1, 0, 0, 1]].concat(),
            [&[0x65][..], b"Ratio", &[0xfa], &1.5f32.to_be_bytes()].concat(),
        ];
        let mut out = vec![0xa6];
        for &i in entry_order {
            out.extend_from_slice(&entries[i]);
        }
        out
    }

    #[test]
    fn shows_diagnostic_notation_in_canonical_order() {
        let cbor = format(&body(&[0, 1, 2, 3, 4, 5])).unwrap();
        assert_eq!(
            cbor.diagnostic,
            r#"{
  "Blob": h'01000001',
  "Name": "n",
  "Tags": [
    "a",
    "b"
  ],
  "When": 1(946702799.999),
  "Count": 1,
  "Ratio": 1.5
}"#
        );
        assert!(
            cbor.hex
                .starts_with("0000: a6 64 42 6c 6f 62 44 01 00 00 01 64 4e 61 6d 65"),
            "{}",
            cbor.hex
        );
    }

    #[test]
    fn entry_order_does_not_change_either_view() {
        let one = format(&body(&[0, 1, 2, 3, 4, 5])).unwrap();
        let two = format(&body(&[5, 3, 1, 0, 4, 2])).unwrap();
        assert_eq!(one.diagnostic, two.diagnostic);
        assert_eq!(one.hex, two.hex);
    }

    #[test]
    fn keeps_indefinite_lengths_and_widths() {
        // {_ "b": [_ 1], "a": 0x0000 as a 16-bit integer }
        let bytes = [
            0xbf, 0x61, b'b', 0x9f, 0x01, 0xff, 0x61, b'a', 0x19, 0x00, 0x00, 0xff,
        ];
        let cbor = format(&bytes).unwrap();
        assert_eq!(
            cbor.diagnostic,
            "{_\n  \"a\": 0,\n  \"b\": [_\n    1\n  ]\n}"
        );
        assert_eq!(cbor.hex, "0000: bf 61 61 19 00 00 61 62 9f 01 ff ff");
    }

    #[test]
    fn rejects_malformed_cbor() {
        assert!(format(&[0xa1, 0x61]).is_err());
        assert!(format(&[0xff]).is_err());
        assert!(format(&[0x01, 0x02]).is_err());
        assert!(format(&[0x62, 0xff, 0xfe]).is_err());
        assert!(format(&[0x81; 1000]).is_err());
    }
}
