//! Rust expressions that build a generated [`Value`] through a client's public API:
//! builders for structures, enum `From<&str>`, union variants, and runtime helpers for blobs,
//! streams and documents.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use snapshot_model::{Member, Shape, ShapeKind, SimpleType};
use snapshot_values::Value;

use crate::rust_types::{ident, ClientTypes};
use crate::{naming, CodegenError};

/// Builds expressions for one operation's values.
pub struct Constructor<'t, 'a, 'm> {
    types: &'t ClientTypes<'a, 'm>,
    operation: &'t str,
}

impl<'t, 'a, 'm> Constructor<'t, 'a, 'm> {
    /// A constructor for values of `operation` (used in error messages).
    pub fn new(types: &'t ClientTypes<'a, 'm>, operation: &'t str) -> Self {
        Constructor { types, operation }
    }

    fn mismatch(&self, path: &str, shape: &Shape, reason: impl Into<String>) -> CodegenError {
        CodegenError::ValueMismatch {
            operation: self.operation.to_owned(),
            path: path.to_owned(),
            shape: shape.id.to_string(),
            reason: reason.into(),
        }
    }

    /// `.set_member(Some(expr))` calls for each member set in a structure value.
    pub fn setters(
        &self,
        shape: &Shape,
        value: &Value,
        path: &str,
    ) -> Result<Vec<TokenStream>, CodegenError> {
        let ShapeKind::Structure(members) = &shape.kind else {
            return Err(self.mismatch(path, shape, "expected a structure shape"));
        };
        let Value::Structure {
            members: values, ..
        } = value
        else {
            return Err(self.mismatch(path, shape, "expected a structure value"));
        };
        values
            .iter()
            .map(|(name, member_value)| {
                let member = members
                    .iter()
                    .find(|member| &member.name == name)
                    .ok_or_else(|| self.mismatch(path, shape, format!("no member `{name}`")))?;
                let setter = ident(&naming::setter(&member.name));
                let expr = self.member_expr(member, member_value, &format!("{path}.{name}"))?;
                let expr = self.boxed_if_recursive(shape, member, expr);
                Ok(quote!(.#setter(::std::option::Option::Some(#expr))))
            })
            .collect()
    }

    /// `expr` converted with `Into` when `member` of `container` closes a loop of structure and
    /// union members: smithy-rs boxes one member of each such loop (`Option<Box<T>>`, its
    /// RecursiveShapeBoxer), and `Into` builds both `T` and `Box<T>`, so the harness needs
    /// not know which member of the loop the generator picked.
    fn boxed_if_recursive(
        &self,
        container: &Shape,
        member: &Member,
        expr: TokenStream,
    ) -> TokenStream {
        let direct =
            |shape: &Shape| matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_));
        if self
            .types
            .model()
            .reaches(&member.target, &container.id, direct)
        {
            quote!(::std::convert::Into::into(#expr))
        } else {
            expr
        }
    }

    fn member_expr(
        &self,
        member: &Member,
        value: &Value,
        path: &str,
    ) -> Result<TokenStream, CodegenError> {
        let target = self.types.model().target(member);
        self.expr(target, value, path)
    }

    /// An expression of the Rust type of `shape` holding `value`.
    pub fn expr(
        &self,
        shape: &Shape,
        value: &Value,
        path: &str,
    ) -> Result<TokenStream, CodegenError> {
        let types = self.types;
        Ok(match (&shape.kind, value) {
            (_, Value::Null) => {
                return Err(self.mismatch(path, shape, "null outside a sparse collection"))
            }
            (ShapeKind::Simple(SimpleType::String), Value::String(text))
                if !types.is_string_enum(shape) =>
            {
                quote!(::std::string::String::from(#text))
            }
            (
                ShapeKind::Simple(SimpleType::String) | ShapeKind::Enum(_),
                Value::String(text) | Value::Enum { value: text, .. },
            ) => {
                let path = types.type_path(&shape.id);
                quote!(#path::from(#text))
            }
            (ShapeKind::Simple(SimpleType::Boolean), Value::Boolean(flag)) => quote!(#flag),
            (ShapeKind::Simple(SimpleType::Byte), Value::Byte(number)) => {
                literal(Literal::i8_suffixed(*number))
            }
            (ShapeKind::Simple(SimpleType::Short), Value::Short(number)) => {
                literal(Literal::i16_suffixed(*number))
            }
            (ShapeKind::Simple(SimpleType::Integer), Value::Integer(number)) => {
                literal(Literal::i32_suffixed(*number))
            }
            (
                ShapeKind::IntEnum(_),
                Value::IntEnum { value: number, .. } | Value::Integer(number),
            ) => literal(Literal::i32_suffixed(*number)),
            (ShapeKind::Simple(SimpleType::Long), Value::Long(number)) => {
                literal(Literal::i64_suffixed(*number))
            }
            (ShapeKind::Simple(SimpleType::Float), Value::Float(number)) => float(
                f64::from(*number),
                f64::from(f32::MAX),
                quote!(f32),
                |number| Literal::f32_suffixed(number as f32),
            ),
            (ShapeKind::Simple(SimpleType::Double), Value::Double(number)) => {
                float(*number, f64::MAX, quote!(f64), Literal::f64_suffixed)
            }
            (ShapeKind::Simple(SimpleType::BigInteger), Value::BigInteger(text)) => {
                quote!(::snapshot_harness::values::big_integer(#text))
            }
            (ShapeKind::Simple(SimpleType::BigDecimal), Value::BigDecimal(text)) => {
                quote!(::snapshot_harness::values::big_decimal(#text))
            }
            (ShapeKind::Simple(SimpleType::Blob), Value::Blob(bytes)) => {
                quote!(::snapshot_harness::smithy_types::Blob::new(
                    ::std::vec![#(#bytes),*]
                ))
            }
            (ShapeKind::Simple(SimpleType::Blob), Value::StreamingBlob(bytes)) => {
                quote!(::snapshot_harness::values::byte_stream(
                    ::std::vec![#(#bytes),*]
                ))
            }
            (ShapeKind::Simple(SimpleType::Timestamp), Value::Timestamp(millis)) => {
                quote!(::snapshot_harness::smithy_types::DateTime::from_millis(#millis))
            }
            (ShapeKind::Simple(SimpleType::Document), Value::Document(json)) => {
                let text = json.to_string();
                quote!(::snapshot_harness::values::document(#text))
            }
            (ShapeKind::List(member) | ShapeKind::Set(member), Value::List(items)) => {
                let sparse = shape.traits.is_sparse();
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.optional_item(member, item, sparse, &format!("{path}[{index}]"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(::std::vec![#(#items),*])
            }
            (
                ShapeKind::Map {
                    key,
                    value: value_member,
                },
                Value::Map(entries),
            ) => {
                let sparse = shape.traits.is_sparse();
                let key_shape = types.model().target(key);
                let entries = entries
                    .iter()
                    .map(|(entry_key, entry_value)| {
                        let key_expr = self.expr(
                            key_shape,
                            &Value::String(entry_key.clone()),
                            &format!("{path}{{{entry_key}}}"),
                        )?;
                        let value_expr = self.optional_item(
                            value_member,
                            entry_value,
                            sparse,
                            &format!("{path}{{{entry_key}}}"),
                        )?;
                        Ok(quote!((#key_expr, #value_expr)))
                    })
                    .collect::<Result<Vec<_>, CodegenError>>()?;
                quote!(::std::collections::HashMap::from([#(#entries),*]))
            }
            (ShapeKind::Structure(_), Value::Structure { .. }) => {
                let type_path = types.type_path(&shape.id);
                let setters = self.setters(shape, value, path)?;
                let built = quote!(#type_path::builder() #(#setters)* .build());
                if types.has_fallible_builder(shape) {
                    let name = types.type_name(&shape.id);
                    quote!(::snapshot_harness::values::built(#name, #built))
                } else {
                    built
                }
            }
            (
                ShapeKind::Union(members),
                Value::Union {
                    member: chosen,
                    value: inner,
                    ..
                },
            ) => {
                let member = members
                    .iter()
                    .find(|member| &member.name == chosen)
                    .ok_or_else(|| {
                        self.mismatch(path, shape, format!("no union member `{chosen}`"))
                    })?;
                let type_path = types.type_path(&shape.id);
                let variant = ident(&naming::union_variant(&member.name));
                if member.target.as_str() == snapshot_model::prelude::UNIT {
                    quote!(#type_path::#variant)
                } else {
                    let inner = self.member_expr(member, inner, &format!("{path}.{chosen}"))?;
                    let inner = self.boxed_if_recursive(shape, member, inner);
                    quote!(#type_path::#variant(#inner))
                }
            }
            (ShapeKind::Union(members), Value::EventStream { events, .. }) => {
                let type_path = types.type_path(&shape.id);
                let error_path = types.stream_error_path(&shape.id);
                let events = events
                    .iter()
                    .map(|(name, event)| {
                        let member = members
                            .iter()
                            .find(|member| &member.name == name)
                            .ok_or_else(|| {
                                self.mismatch(path, shape, format!("no event `{name}`"))
                            })?;
                        let variant = ident(&naming::union_variant(&member.name));
                        let inner = self.member_expr(member, event, &format!("{path}.{name}"))?;
                        Ok(quote!(#type_path::#variant(#inner)))
                    })
                    .collect::<Result<Vec<_>, CodegenError>>()?;
                quote!(::std::convert::Into::into(::snapshot_harness::values::events::<#type_path, #error_path>(::std::vec![#(#events),*])))
            }
            (kind, other) => {
                return Err(self.mismatch(
                    path,
                    shape,
                    format!(
                        "a {} shape cannot hold {}",
                        kind.type_name(),
                        value_kind(other)
                    ),
                ))
            }
        })
    }

    fn optional_item(
        &self,
        member: &Member,
        item: &Value,
        sparse: bool,
        path: &str,
    ) -> Result<TokenStream, CodegenError> {
        match (sparse, item) {
            (true, Value::Null) => Ok(quote!(::std::option::Option::None)),
            (true, item) => {
                let expr = self.member_expr(member, item, path)?;
                Ok(quote!(::std::option::Option::Some(#expr)))
            }
            (false, item) => self.member_expr(member, item, path),
        }
    }
}

fn literal(literal: Literal) -> TokenStream {
    quote!(#literal)
}

/// A float expression: a literal, or the type's constant for values no literal can spell
/// (NaN, the infinities) and for its limits (`MAX`, `MIN`), whose literals run to hundreds of
/// digits. `max` is the type's largest value.
fn float(number: f64, max: f64, ty: TokenStream, finite: impl Fn(f64) -> Literal) -> TokenStream {
    if number.is_nan() {
        quote!(#ty::NAN)
    } else if number == f64::INFINITY {
        quote!(#ty::INFINITY)
    } else if number == f64::NEG_INFINITY {
        quote!(#ty::NEG_INFINITY)
    } else if number == max {
        quote!(#ty::MAX)
    } else if number == -max {
        quote!(#ty::MIN)
    } else {
        literal(finite(number))
    }
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Boolean(_) => "a boolean",
        Value::Byte(_) | Value::Short(_) | Value::Integer(_) | Value::Long(_) => "an integer",
        Value::Float(_) | Value::Double(_) => "a float",
        Value::BigInteger(_) | Value::BigDecimal(_) => "a big number",
        Value::String(_) => "a string",
        Value::Enum { .. } => "an enum value",
        Value::IntEnum { .. } => "an intEnum value",
        Value::Blob(_) | Value::StreamingBlob(_) => "a blob",
        Value::Timestamp(_) => "a timestamp",
        Value::Document(_) => "a document",
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
        Value::Structure { .. } => "a structure",
        Value::Union { .. } => "a union",
        Value::EventStream { .. } => "an event stream",
    }
}
