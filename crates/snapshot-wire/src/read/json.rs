//! JSON request documents (restJson1 and awsJson bodies and event payloads) read with
//! `aws-smithy-json`'s tokenizer, the one the clients use: keys by member name (or
//! `@jsonName` in restJson1), `null` as absent, timestamps epoch-seconds unless
//! `@timestampFormat` says otherwise, blobs base64, big numbers from their exact text.

use std::iter::Peekable;

use aws_smithy_json::deserialize::error::DeserializeError;
use aws_smithy_json::deserialize::token::{
    expect_blob_or_null, expect_bool_or_null, expect_document, expect_number_as_string_or_null,
    expect_number_or_null, expect_string_or_null, skip_value,
};
use aws_smithy_json::deserialize::{json_token_iter, Token};
use aws_smithy_types::{Document, Number};
use snapshot_model::traits::TimestampFormat;
use snapshot_model::{Member, Shape, ShapeKind, SimpleType, Traits};
use snapshot_values::{Value, ValuePath};

use super::{members_of, structure_value, timestamp_format, DecodeError, Decoding};

type Tokens<'b> = Peekable<aws_smithy_json::deserialize::JsonTokenIterator<'b>>;

/// Reads JSON for one operation of a JSON protocol.
pub(crate) struct JsonReader<'d, 'c, 'a, 'm> {
    decoding: &'d Decoding<'c, 'a, 'm>,
    /// restJson1 honours `@jsonName`; the awsJson protocols ignore it.
    use_json_name: bool,
}

impl<'d, 'c, 'a, 'm> JsonReader<'d, 'c, 'a, 'm> {
    pub(crate) fn new(decoding: &'d Decoding<'c, 'a, 'm>, use_json_name: bool) -> Self {
        JsonReader {
            decoding,
            use_json_name,
        }
    }

    /// The members of `shape` found in the JSON object `bytes` (an empty body reads as `{}`),
    /// in model order; `wanted` says which members the body carries (the others are left to
    /// their bindings).
    pub(crate) fn members(
        &self,
        bytes: &[u8],
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let bytes: &[u8] = if bytes.is_empty() { b"{}" } else { bytes };
        let mut tokens = json_token_iter(bytes).peekable();
        let members: Vec<&Member> = members_of(shape).iter().filter(|m| wanted(m)).collect();
        let read = self.object(&mut tokens, bytes, &members, path)?;
        let Value::Structure { members, .. } = structure_value(shape, read) else {
            return Ok(Vec::new());
        };
        Ok(members)
    }

    /// A value of `member`'s target from a whole JSON document (a payload or event payload).
    pub(crate) fn document(
        &self,
        bytes: &[u8],
        member: &Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        let mut tokens = json_token_iter(bytes).peekable();
        let traits = self.decoding.cx.model().effective_traits(member);
        self.value(
            &mut tokens,
            bytes,
            self.decoding.cx.target(member),
            &traits,
            path,
        )
    }

    fn key<'k>(&self, member: &'k Member) -> &'k str {
        let renamed = if self.use_json_name {
            member.traits.json_name()
        } else {
            None
        };
        renamed.unwrap_or(&member.name)
    }

    /// The entries of an object whose keys name `members`; unknown keys and `null`s skipped.
    fn object(
        &self,
        tokens: &mut Tokens<'_>,
        bytes: &[u8],
        members: &[&Member],
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let fail = |error: DeserializeError| DecodeError::new(path, error.to_string());
        match tokens.next().transpose().map_err(fail)? {
            Some(Token::StartObject { .. }) => {}
            other => {
                return Err(DecodeError::new(
                    path,
                    format!("expected an object, found {other:?}"),
                ))
            }
        }
        let mut read = Vec::new();
        loop {
            match tokens.next().transpose().map_err(fail)? {
                Some(Token::EndObject { .. }) => return Ok(read),
                Some(Token::ObjectKey { key, .. }) => {
                    let key = key
                        .to_unescaped()
                        .map_err(|error| DecodeError::new(path, error.to_string()))?;
                    let Some(member) = members.iter().find(|member| self.key(member) == key) else {
                        skip_value(tokens).map_err(fail)?;
                        continue;
                    };
                    let member_path = path.member(&member.name);
                    let traits = self.decoding.cx.model().effective_traits(member);
                    let target = self.decoding.cx.target(member);
                    if let Some(value) = self.value(tokens, bytes, target, &traits, &member_path)? {
                        read.push((member.name.clone(), value));
                    }
                }
                other => {
                    return Err(DecodeError::new(
                        path,
                        format!("expected a key, found {other:?}"),
                    ))
                }
            }
        }
    }

    /// A value of `shape`; `None` for `null`.
    fn value(
        &self,
        tokens: &mut Tokens<'_>,
        bytes: &[u8],
        shape: &'m Shape,
        traits: &Traits,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        let fail = |error: DeserializeError| DecodeError::new(path, error.to_string());
        if let Some(Ok(Token::ValueNull { .. })) = tokens.peek() {
            tokens.next();
            return Ok(None);
        }
        let cx = self.decoding.cx;
        Ok(Some(match &shape.kind {
            ShapeKind::Structure(members) => {
                let members: Vec<&Member> = members.iter().collect();
                structure_value(shape, self.object(tokens, bytes, &members, path)?)
            }
            ShapeKind::Union(members) => {
                let members: Vec<&Member> = members.iter().collect();
                let mut read = self.object(tokens, bytes, &members, path)?;
                if read.len() != 1 {
                    return Err(DecodeError::new(
                        path,
                        format!("a union object with {} members", read.len()),
                    ));
                }
                let (member, value) = read.remove(0);
                Value::Union {
                    shape: shape.id.clone(),
                    member,
                    value: Box::new(value),
                }
            }
            ShapeKind::List(member) | ShapeKind::Set(member) => {
                match tokens.next().transpose().map_err(fail)? {
                    Some(Token::StartArray { .. }) => {}
                    other => {
                        return Err(DecodeError::new(
                            path,
                            format!("expected an array, found {other:?}"),
                        ))
                    }
                }
                let item_traits = cx.model().effective_traits(member);
                let target = cx.target(member);
                let mut items = Vec::new();
                loop {
                    if let Some(Ok(Token::EndArray { .. })) = tokens.peek() {
                        tokens.next();
                        break;
                    }
                    let item_path = path.index(items.len());
                    let item = self.value(tokens, bytes, target, &item_traits, &item_path)?;
                    items.push(item.unwrap_or(Value::Null));
                }
                Value::List(items)
            }
            ShapeKind::Map { value, .. } => {
                match tokens.next().transpose().map_err(fail)? {
                    Some(Token::StartObject { .. }) => {}
                    other => {
                        return Err(DecodeError::new(
                            path,
                            format!("expected an object, found {other:?}"),
                        ))
                    }
                }
                let value_traits = cx.model().effective_traits(value);
                let target = cx.target(value);
                let mut entries = Vec::new();
                loop {
                    match tokens.next().transpose().map_err(fail)? {
                        Some(Token::EndObject { .. }) => break,
                        Some(Token::ObjectKey { key, .. }) => {
                            let key = key
                                .to_unescaped()
                                .map_err(|error| DecodeError::new(path, error.to_string()))?
                                .into_owned();
                            let entry_path = path.key(&key);
                            let entry =
                                self.value(tokens, bytes, target, &value_traits, &entry_path)?;
                            entries.push((key, entry.unwrap_or(Value::Null)));
                        }
                        other => {
                            return Err(DecodeError::new(
                                path,
                                format!("expected a key, found {other:?}"),
                            ))
                        }
                    }
                }
                Value::Map(entries)
            }
            ShapeKind::Enum(_) => Value::Enum {
                variant: None,
                value: string(tokens, path)?,
            },
            ShapeKind::IntEnum(_) => Value::IntEnum {
                variant: None,
                value: number(tokens, path, "intEnum")?,
            },
            ShapeKind::Simple(simple) => match self.simple(tokens, bytes, *simple, traits, path)? {
                Some(value) => value,
                None => return Ok(None),
            },
            _ => {
                return Err(DecodeError::new(
                    path,
                    format!("a {} in a document", shape.kind.type_name()),
                ))
            }
        }))
    }

    fn simple(
        &self,
        tokens: &mut Tokens<'_>,
        bytes: &[u8],
        simple: SimpleType,
        traits: &Traits,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        let fail = |error: DeserializeError| DecodeError::new(path, error.to_string());
        Ok(Some(match simple {
            SimpleType::Boolean => match expect_bool_or_null(tokens.next()).map_err(fail)? {
                Some(value) => Value::Boolean(value),
                None => return Ok(None),
            },
            SimpleType::Byte => Value::Byte(number(tokens, path, "byte")?),
            SimpleType::Short => Value::Short(number(tokens, path, "short")?),
            SimpleType::Integer => Value::Integer(number(tokens, path, "integer")?),
            SimpleType::Long => Value::Long(number(tokens, path, "long")?),
            // The clients write a float through its f64 value, which reads back exactly.
            SimpleType::Float => Value::Float(number::<f64>(tokens, path, "float")? as f32),
            SimpleType::Double => Value::Double(number(tokens, path, "double")?),
            SimpleType::BigInteger | SimpleType::BigDecimal => {
                let text = expect_number_as_string_or_null(tokens.next(), bytes)
                    .map_err(fail)?
                    .ok_or_else(|| DecodeError::new(path, "null big number"))?
                    .to_owned();
                if simple == SimpleType::BigInteger {
                    Value::BigInteger(text)
                } else {
                    Value::BigDecimal(text)
                }
            }
            SimpleType::String => Value::String(string(tokens, path)?),
            SimpleType::Blob => match expect_blob_or_null(tokens.next()).map_err(fail)? {
                Some(blob) => Value::Blob(blob.into_inner()),
                None => return Ok(None),
            },
            SimpleType::Timestamp => {
                let format = timestamp_format(traits, TimestampFormat::EpochSeconds);
                let text = match format {
                    aws_smithy_types::date_time::Format::EpochSeconds => {
                        expect_number_as_string_or_null(tokens.next(), bytes)
                            .map_err(fail)?
                            .ok_or_else(|| DecodeError::new(path, "null timestamp"))?
                            .to_owned()
                    }
                    _ => string(tokens, path)?,
                };
                self.decoding.timestamp(&text, format, path)?
            }
            SimpleType::Document => {
                Value::Document(json_document(expect_document(tokens).map_err(fail)?))
            }
        }))
    }
}

fn string(tokens: &mut Tokens<'_>, path: &ValuePath) -> Result<String, DecodeError> {
    let fail = |error: DeserializeError| DecodeError::new(path, error.to_string());
    let text = expect_string_or_null(tokens.next())
        .map_err(fail)?
        .ok_or_else(|| DecodeError::new(path, "null string"))?;
    Ok(text
        .to_unescaped()
        .map_err(|error| DecodeError::new(path, error.to_string()))?
        .into_owned())
}

/// A number of type `T` (NaN and the infinities may be strings).
fn number<T: TryFrom<Number>>(
    tokens: &mut Tokens<'_>,
    path: &ValuePath,
    kind: &str,
) -> Result<T, DecodeError> {
    let number = expect_number_or_null(tokens.next())
        .map_err(|error| DecodeError::new(path, error.to_string()))?
        .ok_or_else(|| DecodeError::new(path, format!("null {kind}")))?;
    T::try_from(number).map_err(|_| DecodeError::new(path, format!("{number:?} is not a {kind}")))
}

/// A document as the JSON value the generator builds documents from.
pub(crate) fn json_document(document: Document) -> serde_json::Value {
    match document {
        Document::Object(entries) => serde_json::Value::Object(
            entries
                .into_iter()
                .map(|(key, value)| (key, json_document(value)))
                .collect(),
        ),
        Document::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(json_document).collect())
        }
        Document::Number(Number::PosInt(value)) => value.into(),
        Document::Number(Number::NegInt(value)) => value.into(),
        Document::Number(Number::Float(value)) => serde_json::Number::from_f64(value)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Document::String(text) => serde_json::Value::String(text),
        Document::Bool(value) => serde_json::Value::Bool(value),
        Document::Null => serde_json::Value::Null,
    }
}
