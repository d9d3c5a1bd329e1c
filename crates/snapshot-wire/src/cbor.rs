//! CBOR documents for rpcv2Cbor bodies and event payloads, written with `aws-smithy-cbor`'s
//! encoder (the one smithy-rs servers use): structures and maps as definite-length maps keyed
//! by member name, timestamps as tag 1 with epoch seconds as a float, blobs as byte strings,
//! big numbers as tags 2/3/4, sparse nulls as null. The protocol has no document type.

use aws_smithy_cbor::Encoder;
use aws_smithy_types::DateTime;
use snapshot_model::{Member, Protocol, Shape};
use snapshot_values::{Value, ValuePath};

use crate::event_stream::EventCodec;
use crate::shaped::{self, member_path, Field, Scalar, Shaped};
use crate::variants::{Malformation, UNKNOWN_MEMBER, UNKNOWN_VALUE, WRONG_TYPE_TEXT};
use crate::{OperationContext, WireError};

/// The media type of CBOR bodies and event payloads.
pub(crate) const MEDIA_TYPE: &str = "application/cbor";

/// Writes CBOR for one operation.
pub(crate) struct CborWriter<'c, 'a, 'm> {
    cx: &'c OperationContext<'a, 'm>,
}

impl<'c, 'a, 'm> CborWriter<'c, 'a, 'm> {
    pub(crate) fn new(cx: &'c OperationContext<'a, 'm>) -> Self {
        CborWriter { cx }
    }

    /// A structure's fields as one CBOR map; `leading` text entries (such as `__type`) first.
    /// `members` are the members the map stands for, set or not (for the
    /// [`ResponseStyle`](crate::context::ResponseStyle) knobs that name unset members).
    pub(crate) fn map(
        &self,
        leading: &[(&str, &str)],
        members: &[&'m Member],
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.map_between(leading, &[], members, fields, path)
    }

    /// As [`Self::map`], with string entries `trailing` after the members (an error's
    /// metadata message, [`crate::ErrorForm::MessageMember`]).
    pub(crate) fn map_between(
        &self,
        leading: &[(&str, &str)],
        trailing: &[(&str, &str)],
        members: &[&'m Member],
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        let mut encoder = Encoder::new(Vec::new());
        let nulls = self.unset(members, fields);
        let extra = usize::from(self.cx.style().unknown_members);
        self.begin_map(
            &mut encoder,
            leading.len() + fields.len() + nulls.len() + extra + trailing.len(),
        );
        for (key, value) in leading {
            encoder.str(key).str(value);
        }
        self.write_fields(&mut encoder, &nulls, fields, path)?;
        for (key, value) in trailing {
            encoder.str(key).str(value);
        }
        self.end(&mut encoder);
        Ok(self.top_level(encoder.into_writer()))
    }

    /// A value of `shape` as a whole document (an `@eventPayload` structure or union).
    pub(crate) fn document(
        &self,
        shape: &'m Shape,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        let mut encoder = Encoder::new(Vec::new());
        self.write(&mut encoder, shape, value, path)?;
        Ok(self.top_level(encoder.into_writer()))
    }

    /// The bytes of a whole document; a [`Malformation::WrongRoot`] one is the only item of
    /// an array.
    fn top_level(&self, document: Vec<u8>) -> Vec<u8> {
        if self.cx.style().malformation == Some(Malformation::WrongRoot) {
            let mut encoder = Encoder::new(Vec::new());
            encoder.array(1);
            let mut bytes = encoder.into_writer();
            bytes.extend(document);
            bytes
        } else {
            document
        }
    }

    /// The members the null-members style sends as `null`: those not set.
    fn unset<'s>(&self, members: &[&'s Member], fields: &[Field<'m, '_>]) -> Vec<&'s Member> {
        if !self.cx.style().null_members {
            return Vec::new();
        }
        members
            .iter()
            .filter(|member| !fields.iter().any(|field| field.member.name == member.name))
            .copied()
            .collect()
    }

    /// Starts a map of `len` entries (of indefinite length in that style).
    fn begin_map(&self, encoder: &mut Encoder, len: usize) {
        if self.cx.style().indefinite_lengths {
            encoder.begin_map();
        } else {
            encoder.map(len);
        }
    }

    /// Starts an array of `len` items (of indefinite length in that style).
    fn begin_array(&self, encoder: &mut Encoder, len: usize) {
        if self.cx.style().indefinite_lengths {
            encoder.begin_array();
        } else {
            encoder.array(len);
        }
    }

    /// Ends a map or array begun by [`Self::begin_map`] or [`Self::begin_array`].
    fn end(&self, encoder: &mut Encoder) {
        if self.cx.style().indefinite_lengths {
            encoder.end();
        }
    }

    /// The set `fields`, then `null` for each of `nulls` and the unknown member if the style
    /// has them (the map's length counts them).
    fn write_fields(
        &self,
        encoder: &mut Encoder,
        nulls: &[&Member],
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<(), WireError> {
        for field in fields {
            encoder.str(&field.member.name);
            self.write(
                encoder,
                self.cx.target(field.member),
                field.value,
                &member_path(path, field),
            )?;
        }
        for member in nulls {
            encoder.str(&member.name).null();
        }
        if self.cx.style().unknown_members {
            encoder.str(UNKNOWN_MEMBER).str(UNKNOWN_VALUE);
        }
        Ok(())
    }

    fn write(
        &self,
        encoder: &mut Encoder,
        shape: &'m Shape,
        value: &Value,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let shaped = shaped::read(self.cx, shape, value, path)?;
        self.write_shaped(encoder, shape, shaped, path)
    }

    fn write_shaped(
        &self,
        encoder: &mut Encoder,
        shape: &'m Shape,
        shaped: Shaped<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        match shaped {
            Shaped::Structure(fields) => {
                let nulls = self.unset(&shape.kind.members(), &fields);
                let extra = usize::from(self.cx.style().unknown_members);
                self.begin_map(encoder, fields.len() + nulls.len() + extra);
                self.write_fields(encoder, &nulls, &fields, path)?;
                self.end(encoder);
            }
            Shaped::Union(field) => {
                self.begin_map(encoder, 1);
                if self.cx.style().unknown_union_members {
                    encoder.str(UNKNOWN_MEMBER).str(UNKNOWN_VALUE);
                } else {
                    encoder.str(&field.member.name);
                    self.write(
                        encoder,
                        self.cx.target(field.member),
                        field.value,
                        &member_path(path, &field),
                    )?;
                }
                self.end(encoder);
            }
            Shaped::EventStream(_) => {
                return Err(self.unsupported(path, "an event stream inside a document"))
            }
            Shaped::List { member, items } => {
                let target = self.cx.target(member);
                self.begin_array(encoder, items.len());
                for (index, item) in items.iter().enumerate() {
                    let item_path = path.index(index);
                    match shaped::entry(self.cx, shape, member, item, &item_path)? {
                        None => {
                            encoder.null();
                        }
                        Some(shaped) => self.write_shaped(encoder, target, shaped, &item_path)?,
                    }
                }
                self.end(encoder);
            }
            Shaped::Map { value, entries, .. } => {
                let target = self.cx.target(value);
                self.begin_map(encoder, entries.len());
                for (key, entry) in entries {
                    let entry_path = path.key(key);
                    encoder.str(key);
                    match shaped::entry(self.cx, shape, value, entry, &entry_path)? {
                        None => {
                            encoder.null();
                        }
                        Some(shaped) => self.write_shaped(encoder, target, shaped, &entry_path)?,
                    }
                }
                self.end(encoder);
            }
            Shaped::Scalar(scalar) => self.write_scalar(encoder, scalar, path)?,
        }
        Ok(())
    }

    fn write_scalar(
        &self,
        encoder: &mut Encoder,
        scalar: Scalar<'_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        if self.cx.style().malformation == Some(Malformation::WrongType) {
            match scalar {
                Scalar::String(_) | Scalar::Blob(_) => encoder.integer(0),
                _ => encoder.str(WRONG_TYPE_TEXT),
            };
            return Ok(());
        }
        match scalar {
            Scalar::Boolean(value) => encoder.boolean(value),
            Scalar::Byte(value) => encoder.byte(value),
            Scalar::Short(value) => encoder.short(value),
            Scalar::Integer(value) => encoder.integer(value),
            Scalar::Long(value) => encoder.long(value),
            Scalar::Float(value) => encoder.float(value),
            Scalar::Double(value) => encoder.double(value),
            // `shaped` validated the text with aws-smithy-types' own parser, so the encoder's
            // parse succeeds.
            Scalar::BigInteger(text) => match text.parse::<aws_smithy_types::BigInteger>() {
                Ok(number) => encoder.big_integer(&number),
                Err(_) => return Err(self.unsupported(path, "a malformed bigInteger")),
            },
            Scalar::BigDecimal(text) => match text.parse::<aws_smithy_types::BigDecimal>() {
                Ok(number) => encoder.big_decimal(&number),
                Err(_) => return Err(self.unsupported(path, "a malformed bigDecimal")),
            },
            Scalar::String(text) => encoder.str(text),
            Scalar::Blob(bytes) => encoder.blob_bytes(bytes),
            Scalar::Timestamp(millis) => encoder.timestamp(&DateTime::from_millis(millis)),
            Scalar::Document(_) => return Err(self.unsupported(path, "a document")),
        };
        Ok(())
    }

    fn unsupported(&self, path: &ValuePath, what: &'static str) -> WireError {
        self.cx.unsupported(Protocol::RpcV2Cbor, path, what)
    }
}

impl<'m> EventCodec<'m> for CborWriter<'_, '_, 'm> {
    fn structure_of_nothing(&self) -> Vec<u8> {
        string_map(&[])
    }

    fn protocol(&self) -> Protocol {
        Protocol::RpcV2Cbor
    }

    fn media_type(&self) -> &'static str {
        MEDIA_TYPE
    }

    fn structure(
        &self,
        shape: &'m Shape,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.map(&[], &shape.kind.members(), fields, path)
    }

    fn member(
        &self,
        member: &'m Member,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.document(self.cx.target(member), value, path)
    }
}

/// A flat map of string entries (the bodies of unmodeled errors).
pub(crate) fn string_map(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut encoder = Encoder::new(Vec::new());
    encoder.map(entries.len());
    for (key, value) in entries {
        encoder.str(key).str(value);
    }
    encoder.into_writer()
}
