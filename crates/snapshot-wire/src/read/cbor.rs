//! CBOR request documents (rpcv2Cbor bodies and event payloads) read with `minicbor` (the
//! decoder under `aws-smithy-cbor`): maps keyed by member name, of definite or indefinite
//! length (the clients write structures with indefinite length), `null` as absent,
//! timestamps tag 1 with integer or float seconds (rounded to the millisecond, as the value
//! the client was given), big numbers as integers or tags 2/3/4.

use minicbor::data::{Tag, Type};
use minicbor::Decoder;
use snapshot_model::{Member, Shape, ShapeKind, SimpleType};
use snapshot_values::{Value, ValuePath};

use super::{members_of, structure_value, DecodeError, Decoding};

/// Reads CBOR for one operation.
pub(crate) struct CborReader<'d, 'c, 'a, 'm> {
    decoding: &'d Decoding<'c, 'a, 'm>,
}

fn fail(path: &ValuePath) -> impl Fn(minicbor::decode::Error) -> DecodeError + '_ {
    move |error| DecodeError::new(path, error.to_string())
}

impl<'d, 'c, 'a, 'm> CborReader<'d, 'c, 'a, 'm> {
    pub(crate) fn new(decoding: &'d Decoding<'c, 'a, 'm>) -> Self {
        CborReader { decoding }
    }

    /// The members of `shape` in the CBOR map `bytes` (an empty body reads as an empty map),
    /// in model order.
    pub(crate) fn members(
        &self,
        bytes: &[u8],
        shape: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        if bytes.is_empty() {
            return Ok(Vec::new());
        }
        let mut decoder = Decoder::new(bytes);
        let read = self.map_members(&mut decoder, shape, path)?;
        let Value::Structure { members, .. } = structure_value(shape, read) else {
            return Ok(Vec::new());
        };
        Ok(members)
    }

    /// A value of `member`'s target from a whole document (an event payload).
    pub(crate) fn document(
        &self,
        bytes: &[u8],
        member: &Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        self.value(
            &mut Decoder::new(bytes),
            self.decoding.cx.target(member),
            path,
        )
    }

    /// Calls `entry` for each entry of a map (definite or indefinite), with the decoder at the
    /// entry's key.
    fn each_entry(
        decoder: &mut Decoder<'_>,
        path: &ValuePath,
        mut entry: impl FnMut(&mut Decoder<'_>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        match decoder.map().map_err(fail(path))? {
            Some(len) => {
                for _ in 0..len {
                    entry(decoder)?;
                }
            }
            None => loop {
                if decoder.datatype().map_err(fail(path))? == Type::Break {
                    decoder.skip().map_err(fail(path))?;
                    break;
                }
                entry(decoder)?;
            },
        }
        Ok(())
    }

    fn map_members(
        &self,
        decoder: &mut Decoder<'_>,
        shape: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let members = members_of(shape);
        let mut read = Vec::new();
        Self::each_entry(decoder, path, |decoder| {
            let key = decoder.str().map_err(fail(path))?.to_owned();
            let Some(member) = members.iter().find(|member| member.name == key) else {
                return decoder.skip().map_err(fail(path));
            };
            let member_path = path.member(&member.name);
            if let Some(value) =
                self.value(decoder, self.decoding.cx.target(member), &member_path)?
            {
                read.push((member.name.clone(), value));
            }
            Ok(())
        })?;
        Ok(read)
    }

    /// A value of `shape`; `None` for `null`.
    fn value(
        &self,
        decoder: &mut Decoder<'_>,
        shape: &'m Shape,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        let cx = self.decoding.cx;
        if matches!(
            decoder.datatype().map_err(fail(path))?,
            Type::Null | Type::Undefined
        ) {
            decoder.skip().map_err(fail(path))?;
            return Ok(None);
        }
        Ok(Some(match &shape.kind {
            ShapeKind::Structure(_) => {
                structure_value(shape, self.map_members(decoder, shape, path)?)
            }
            ShapeKind::Union(_) => {
                let mut read = self.map_members(decoder, shape, path)?;
                if read.len() != 1 {
                    return Err(DecodeError::new(
                        path,
                        format!("a union map with {} members", read.len()),
                    ));
                }
                let (member, value) = read.remove(0);
                Value::Union {
                    shape: shape.id.clone(),
                    member,
                    value: Box::new(value),
                }
            }
            ShapeKind::List(item) | ShapeKind::Set(item) => {
                let target = cx.target(item);
                let mut items = Vec::new();
                let push = |decoder: &mut Decoder<'_>, items: &mut Vec<Value>| {
                    let item_path = path.index(items.len());
                    let item = self.value(decoder, target, &item_path)?;
                    items.push(item.unwrap_or(Value::Null));
                    Ok::<_, DecodeError>(())
                };
                match decoder.array().map_err(fail(path))? {
                    Some(len) => {
                        for _ in 0..len {
                            push(decoder, &mut items)?;
                        }
                    }
                    None => loop {
                        if decoder.datatype().map_err(fail(path))? == Type::Break {
                            decoder.skip().map_err(fail(path))?;
                            break;
                        }
                        push(decoder, &mut items)?;
                    },
                }
                Value::List(items)
            }
            ShapeKind::Map { value, .. } => {
                let target = cx.target(value);
                let mut entries = Vec::new();
                Self::each_entry(decoder, path, |decoder| {
                    let key = decoder.str().map_err(fail(path))?.to_owned();
                    let entry = self.value(decoder, target, &path.key(&key))?;
                    entries.push((key, entry.unwrap_or(Value::Null)));
                    Ok(())
                })?;
                Value::Map(entries)
            }
            ShapeKind::Enum(_) => Value::Enum {
                variant: None,
                value: decoder.str().map_err(fail(path))?.to_owned(),
            },
            ShapeKind::IntEnum(_) => Value::IntEnum {
                variant: None,
                value: decoder.i32().map_err(fail(path))?,
            },
            ShapeKind::Simple(simple) => simple_value(decoder, *simple, path)?,
            _ => {
                return Err(DecodeError::new(
                    path,
                    format!("a {} in a document", shape.kind.type_name()),
                ))
            }
        }))
    }
}

fn simple_value(
    decoder: &mut Decoder<'_>,
    simple: SimpleType,
    path: &ValuePath,
) -> Result<Value, DecodeError> {
    let fail = fail(path);
    Ok(match simple {
        SimpleType::Boolean => Value::Boolean(decoder.bool().map_err(fail)?),
        SimpleType::Byte => Value::Byte(decoder.i8().map_err(fail)?),
        SimpleType::Short => Value::Short(decoder.i16().map_err(fail)?),
        SimpleType::Integer => Value::Integer(decoder.i32().map_err(fail)?),
        SimpleType::Long => Value::Long(decoder.i64().map_err(fail)?),
        SimpleType::Float => Value::Float(float(decoder, path)? as f32),
        SimpleType::Double => Value::Double(float(decoder, path)?),
        SimpleType::String => Value::String(decoder.str().map_err(fail)?.to_owned()),
        SimpleType::Blob => Value::Blob(decoder.bytes().map_err(fail)?.to_vec()),
        SimpleType::Timestamp => {
            let tag = decoder.tag().map_err(&fail)?;
            if tag != Tag::new(1) {
                return Err(DecodeError::new(
                    path,
                    format!("a timestamp with tag {tag:?}, not 1"),
                ));
            }
            let seconds = float(decoder, path)?;
            // Rounded, not truncated: the f64 nearest to `x.999` may lie just below it.
            Value::Timestamp((seconds * 1000.0).round() as i64)
        }
        SimpleType::BigInteger => Value::BigInteger(big_integer(decoder, path)?.to_string()),
        SimpleType::BigDecimal => {
            let tag = decoder.tag().map_err(&fail)?;
            if tag != Tag::new(4) {
                return Err(DecodeError::new(
                    path,
                    format!("a bigDecimal with tag {tag:?}, not 4"),
                ));
            }
            decoder.array().map_err(&fail)?;
            let exponent = decoder.i64().map_err(&fail)?;
            let mantissa = big_integer(decoder, path)?;
            Value::BigDecimal(format!("{mantissa}e{exponent}"))
        }
        SimpleType::Document => return Err(DecodeError::new(path, "rpcv2Cbor has no documents")),
    })
}

/// A number of any CBOR numeric type as f64.
fn float(decoder: &mut Decoder<'_>, path: &ValuePath) -> Result<f64, DecodeError> {
    match decoder.datatype().map_err(fail(path))? {
        Type::F16 | Type::F32 | Type::F64 => decoder.f64().map_err(fail(path)),
        _ => Ok(decoder.i64().map_err(fail(path))? as f64),
    }
}

/// An integer or a bignum (tags 2 and 3) up to 128 bits.
fn big_integer(decoder: &mut Decoder<'_>, path: &ValuePath) -> Result<i128, DecodeError> {
    if decoder.datatype().map_err(fail(path))? != Type::Tag {
        return decoder.i64().map(i128::from).map_err(fail(path));
    }
    let tag = decoder.tag().map_err(fail(path))?;
    let bytes = decoder.bytes().map_err(fail(path))?;
    if bytes.len() > 15 {
        return Err(DecodeError::new(path, "a bignum wider than 120 bits"));
    }
    let magnitude = bytes
        .iter()
        .fold(0i128, |acc, byte| (acc << 8) | i128::from(*byte));
    match tag.as_u64() {
        2 => Ok(magnitude),
        3 => Ok(-1 - magnitude),
        other => Err(DecodeError::new(
            path,
            format!("a bigInteger with tag {other}"),
        )),
    }
}
