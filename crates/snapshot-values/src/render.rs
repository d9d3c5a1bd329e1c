//! A stable, reviewable text form of a [`Value`]: one member, element or entry per line,
//! scalars tagged with their Smithy type wherever the text alone would be ambiguous.

use std::fmt::{self, Write};

use crate::Value;

const INDENT: &str = "  ";

impl fmt::Display for Value {
    /// Renders the value as documented on [`Value::to_pretty`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_value(f, self, 0)
    }
}

impl Value {
    /// The stable text form used by golden tests, e.g.
    ///
    /// ```text
    /// PutRequest {
    ///   Name: "__Name__"
    ///   Count: 0i32
    ///   Status: enum "__Status__" (unknown)
    ///   Tags: [
    ///     Tag {
    ///       Key: "__Key__"
    ///     }
    ///   ]
    ///   Attrs: {
    ///     "key1": blob [01 00 00 01]
    ///   }
    ///   Choice: Choice::Text("__Text__")
    /// }
    /// ```
    ///
    /// Structures and unions show their shape's name (no namespace). Numbers carry a Rust-like
    /// suffix (`0i8`, `0i16`, `0i32`, `0i64`, `0.0f32`, `0.0f64`); strings are quoted and
    /// escaped; other scalars are prefixed by their type (`bigInteger 1000001`,
    /// `timestamp 946702799999ms`, `document {...}` as compact JSON). Enums show the wire value
    /// and the variant (`enum "CRC64NVME" = CRC64NVME`, or `(unknown)`). Event streams render
    /// as `eventStream Name [ Member: event ... ]`.
    pub fn to_pretty(&self) -> String {
        self.to_string()
    }
}

fn newline(f: &mut dyn Write, depth: usize) -> fmt::Result {
    f.write_char('\n')?;
    for _ in 0..depth {
        f.write_str(INDENT)?;
    }
    Ok(())
}

fn write_bytes(f: &mut dyn Write, tag: &str, bytes: &[u8]) -> fmt::Result {
    write!(f, "{tag} [")?;
    for (index, byte) in bytes.iter().enumerate() {
        if index > 0 {
            f.write_char(' ')?;
        }
        write!(f, "{byte:02x}")?;
    }
    f.write_char(']')
}

/// Writes `open`, one line per item rendered by `item`, then `close` on its own line;
/// `open` + `close` on one line when there are no items.
fn write_block<I>(
    f: &mut dyn Write,
    depth: usize,
    open: &str,
    close: &str,
    items: impl ExactSizeIterator<Item = I>,
    mut item: impl FnMut(&mut dyn Write, I) -> fmt::Result,
) -> fmt::Result {
    f.write_str(open)?;
    if items.len() == 0 {
        return f.write_str(close);
    }
    for entry in items {
        newline(f, depth + 1)?;
        item(f, entry)?;
    }
    newline(f, depth)?;
    f.write_str(close)
}

fn write_value(f: &mut dyn Write, value: &Value, depth: usize) -> fmt::Result {
    match value {
        Value::Null => f.write_str("null"),
        Value::Boolean(flag) => write!(f, "{flag}"),
        Value::Byte(number) => write!(f, "{number}i8"),
        Value::Short(number) => write!(f, "{number}i16"),
        Value::Integer(number) => write!(f, "{number}i32"),
        Value::Long(number) => write!(f, "{number}i64"),
        Value::Float(number) => write!(f, "{number:?}f32"),
        Value::Double(number) => write!(f, "{number:?}f64"),
        Value::BigInteger(text) => write!(f, "bigInteger {text}"),
        Value::BigDecimal(text) => write!(f, "bigDecimal {text}"),
        Value::String(text) => write!(f, "{text:?}"),
        Value::Enum { variant, value } => match variant {
            Some(variant) => write!(f, "enum {value:?} = {variant}"),
            None => write!(f, "enum {value:?} (unknown)"),
        },
        Value::IntEnum { variant, value } => match variant {
            Some(variant) => write!(f, "intEnum {value} = {variant}"),
            None => write!(f, "intEnum {value} (unknown)"),
        },
        Value::Blob(bytes) => write_bytes(f, "blob", bytes),
        Value::StreamingBlob(bytes) => write_bytes(f, "streamingBlob", bytes),
        Value::Timestamp(millis) => write!(f, "timestamp {millis}ms"),
        Value::Document(document) => write!(f, "document {document}"),
        Value::List(items) => write_block(f, depth, "[", "]", items.iter(), |line, item| {
            write_value(line, item, depth + 1)
        }),
        Value::Map(entries) => {
            write_block(f, depth, "{", "}", entries.iter(), |line, (key, item)| {
                write!(line, "{key:?}: ")?;
                write_value(line, item, depth + 1)
            })
        }
        Value::Structure { shape, members } => {
            let open = format!("{} {{", shape.name());
            write_block(
                f,
                depth,
                &open,
                "}",
                members.iter(),
                |line, (name, item)| {
                    write!(line, "{name}: ")?;
                    write_value(line, item, depth + 1)
                },
            )
        }
        Value::Union {
            shape,
            member,
            value,
        } => {
            write!(f, "{}::{member}(", shape.name())?;
            write_value(f, value, depth)?;
            f.write_char(')')
        }
        Value::EventStream { shape, events } => {
            let open = format!("eventStream {} [", shape.name());
            write_block(f, depth, &open, "]", events.iter(), |line, (name, item)| {
                write!(line, "{name}: ")?;
                write_value(line, item, depth + 1)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use snapshot_model::ShapeId;

    use super::*;

    #[test]
    fn renders_nested_values_one_item_per_line() {
        let tag = ShapeId::new("ex", "Tag");
        let value = Value::Structure {
            shape: ShapeId::new("ex", "Req"),
            members: vec![
                ("Name".to_owned(), Value::String("a\"b".to_owned())),
                (
                    "Tags".to_owned(),
                    Value::List(vec![
                        Value::Structure {
                            shape: tag.clone(),
                            members: vec![("Key".to_owned(), Value::Integer(0))],
                        },
                        Value::Null,
                    ]),
                ),
                ("Empty".to_owned(), Value::Map(Vec::new())),
                (
                    "Choice".to_owned(),
                    Value::Union {
                        shape: ShapeId::new("ex", "Choice"),
                        member: "Tag".to_owned(),
                        value: Box::new(Value::Structure {
                            shape: tag,
                            members: vec![("Flag".to_owned(), Value::Boolean(false))],
                        }),
                    },
                ),
                ("Data".to_owned(), Value::Blob(vec![1, 0, 0, 255])),
            ],
        };
        let expected = r#"Req {
  Name: "a\"b"
  Tags: [
    Tag {
      Key: 0i32
    }
    null
  ]
  Empty: {}
  Choice: Choice::Tag(Tag {
    Flag: false
  })
  Data: blob [01 00 00 ff]
}"#;
        assert_eq!(value.to_pretty(), expected);
    }
}
