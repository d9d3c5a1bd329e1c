//! Reading a client's values into [`TypedValue`]s through their typed fields, for the round
//! trip ([`crate::round_trip`]). Nothing here looks at `Debug` text, so members a client
//! redacts there (`@sensitive`) and members named after Rust keywords read like any other.
//!
//! [`Read`] is implemented here for the types smithy-rs uses for simple shapes and
//! collections; the generated harness implements it for the client's own types (structures,
//! unions, enums, the operation's error enum), once per operation. The type parameter `M` is
//! a marker type of the generated operation module: it makes those impls legal there (a
//! foreign trait for a foreign type needs a local type parameter) and keeps the impls of
//! different operations apart, so code of one operation that does not compile never takes
//! another operation with it.

use std::collections::HashMap;
use std::marker::PhantomData;

use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use snapshot_records::{Precision, Timestamp, TypedValue};

/// A client value that can be read as a [`TypedValue`].
pub trait Read<M> {
    /// The value.
    fn read(&self) -> TypedValue;

    /// The value as a structure member: `None` when the member is not set (an `Option`
    /// field holding `None`); a non-optional field is always set.
    fn read_member(&self) -> Option<TypedValue> {
        Some(self.read())
    }
}

/// The members of a structure, in the order the generated code adds them.
pub struct Members<M> {
    members: Vec<(String, TypedValue)>,
    marker: PhantomData<fn() -> M>,
}

impl<M> Default for Members<M> {
    fn default() -> Self {
        Members {
            members: Vec::new(),
            marker: PhantomData,
        }
    }
}

impl<M> Members<M> {
    /// No members yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds member `name` (the model member name) when its field is set.
    pub fn member<T: Read<M> + ?Sized>(mut self, name: &str, field: &T) -> Self {
        if let Some(value) = field.read_member() {
            self.members.push((name.to_owned(), value));
        }
        self
    }

    /// The structure.
    pub fn finish(self) -> TypedValue {
        TypedValue::Structure(self.members)
    }
}

/// An enum value by its wire string (the client's `as_str()`, also for unknown variants).
pub fn enum_value(wire: &str) -> TypedValue {
    TypedValue::String(wire.to_owned())
}

/// A union (or error enum) variant holding `value`, named by its model member name.
pub fn variant<M, T: Read<M> + ?Sized>(member: &str, value: &T) -> TypedValue {
    TypedValue::Union {
        member: member.to_owned(),
        value: Box::new(value.read()),
    }
}

/// A union variant of a member targeting `smithy.api#Unit`.
pub fn unit_variant(member: &str) -> TypedValue {
    TypedValue::Union {
        member: member.to_owned(),
        value: Box::new(TypedValue::Structure(Vec::new())),
    }
}

/// A union's `Unknown` variant: the client did not recognize the member it received.
pub fn unknown_variant() -> TypedValue {
    TypedValue::Unknown("the union's Unknown variant".to_owned())
}

/// An error the client did not match to a modeled variant, with the code it saw.
pub fn unhandled_error<E: ProvideErrorMetadata>(error: &E) -> TypedValue {
    TypedValue::Unknown(match error.code() {
        Some(code) => format!("an unhandled error with code {code:?}"),
        None => "an unhandled error without a code".to_owned(),
    })
}

/// A streaming body, drained.
pub async fn byte_stream(body: ByteStream) -> TypedValue {
    match body.collect().await {
        Ok(bytes) => TypedValue::Blob(bytes.into_bytes().to_vec()),
        Err(error) => TypedValue::Unknown(format!("a body stream that failed: {error}")),
    }
}

impl<M, T: Read<M>> Read<M> for Option<T> {
    fn read(&self) -> TypedValue {
        match self {
            Some(value) => value.read(),
            None => TypedValue::Null,
        }
    }

    fn read_member(&self) -> Option<TypedValue> {
        self.as_ref().map(Read::read)
    }
}

impl<M, T: Read<M> + ?Sized> Read<M> for Box<T> {
    fn read(&self) -> TypedValue {
        (**self).read()
    }

    fn read_member(&self) -> Option<TypedValue> {
        (**self).read_member()
    }
}

impl<M, T: Read<M>> Read<M> for Vec<T> {
    fn read(&self) -> TypedValue {
        TypedValue::List(self.iter().map(Read::read).collect())
    }
}

impl<M, K: Read<M>, V: Read<M>, S> Read<M> for HashMap<K, V, S> {
    fn read(&self) -> TypedValue {
        let mut entries: Vec<(String, TypedValue)> = self
            .iter()
            .map(|(key, value)| (key_text(key.read()), value.read()))
            .collect();
        // HashMap order differs per process; sorted entries keep records reproducible.
        entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        TypedValue::Map(entries)
    }
}

/// Map keys are strings or string enums; both read as [`TypedValue::String`].
fn key_text(key: TypedValue) -> String {
    match key {
        TypedValue::String(text) => text,
        other => other.to_string(),
    }
}

impl<M> Read<M> for String {
    fn read(&self) -> TypedValue {
        TypedValue::String(self.clone())
    }
}

impl<M> Read<M> for bool {
    fn read(&self) -> TypedValue {
        TypedValue::Boolean(*self)
    }
}

macro_rules! read_integers {
    ($($int:ty),*) => {$(
        impl<M> Read<M> for $int {
            fn read(&self) -> TypedValue {
                TypedValue::Integer(i64::from(*self))
            }
        }
    )*};
}

read_integers!(i8, i16, i32, i64);

impl<M> Read<M> for f32 {
    fn read(&self) -> TypedValue {
        TypedValue::Float(f64::from(*self))
    }
}

impl<M> Read<M> for f64 {
    fn read(&self) -> TypedValue {
        TypedValue::Float(*self)
    }
}

impl<M> Read<M> for BigInteger {
    fn read(&self) -> TypedValue {
        TypedValue::BigNumber(self.as_ref().to_owned())
    }
}

impl<M> Read<M> for BigDecimal {
    fn read(&self) -> TypedValue {
        TypedValue::BigNumber(self.as_ref().to_owned())
    }
}

impl<M> Read<M> for Blob {
    fn read(&self) -> TypedValue {
        TypedValue::Blob(self.as_ref().to_vec())
    }
}

impl<M> Read<M> for DateTime {
    fn read(&self) -> TypedValue {
        TypedValue::Timestamp(Timestamp {
            seconds: self.secs(),
            nanos: self.subsec_nanos(),
            precision: Precision::Nanos,
        })
    }
}

impl<M> Read<M> for Document {
    fn read(&self) -> TypedValue {
        TypedValue::Document(Box::new(document(self)))
    }
}

fn document(value: &Document) -> TypedValue {
    match value {
        Document::Object(entries) => {
            let mut entries: Vec<(String, TypedValue)> = entries
                .iter()
                .map(|(key, value)| (key.clone(), document(value)))
                .collect();
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            TypedValue::Map(entries)
        }
        Document::Array(items) => TypedValue::List(items.iter().map(document).collect()),
        Document::Number(Number::PosInt(number)) => match i64::try_from(*number) {
            Ok(number) => TypedValue::Integer(number),
            Err(_) => TypedValue::BigNumber(number.to_string()),
        },
        Document::Number(Number::NegInt(number)) => TypedValue::Integer(*number),
        Document::Number(Number::Float(number)) => TypedValue::Float(*number),
        Document::String(text) => TypedValue::String(text.clone()),
        Document::Bool(flag) => TypedValue::Boolean(*flag),
        Document::Null => TypedValue::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Here;

    /// Stands in for a generated client structure with an optional, a required and a boxed
    /// member.
    struct Widget {
        name: Option<String>,
        size: i32,
        parent: Option<Box<Widget>>,
        tags: Option<HashMap<String, Option<f32>>>,
    }

    impl Read<Here> for Widget {
        fn read(&self) -> TypedValue {
            Members::<Here>::new()
                .member("Name", &self.name)
                .member("Size", &self.size)
                .member("Parent", &self.parent)
                .member("Tags", &self.tags)
                .finish()
        }
    }

    #[test]
    fn options_decide_presence_and_collections_read_in_order() {
        let widget = Widget {
            name: None,
            size: 3,
            parent: Some(Box::new(Widget {
                name: Some("p".into()),
                size: 0,
                parent: None,
                tags: None,
            })),
            tags: Some(HashMap::from([
                ("b".to_owned(), None),
                ("a".to_owned(), Some(0.5)),
            ])),
        };
        assert_eq!(
            Read::<Here>::read(&widget).to_string(),
            "{Size: 3, Parent: {Name: \"p\", Size: 0}, Tags: {a: 0.5, b: null}}"
        );
    }

    #[test]
    fn smithy_types_read_exactly() {
        let read = |value: &dyn Fn() -> TypedValue| value().to_string();
        assert_eq!(
            read(&|| Read::<Here>::read(&DateTime::from_millis(946_702_799_999))),
            "2000-01-01T04:59:59.999Z"
        );
        assert_eq!(
            read(&|| Read::<Here>::read(&Blob::new(vec![1, 0, 0, 1]))),
            "blob 01 00 00 01"
        );
        let document = Document::Object(HashMap::from([(
            "n".to_owned(),
            Document::Array(vec![
                Document::Number(Number::PosInt(1)),
                Document::Number(Number::NegInt(-2)),
                Document::Number(Number::Float(0.5)),
            ]),
        )]));
        assert_eq!(
            read(&|| Read::<Here>::read(&document)),
            "document {n: [1, -2, 0.5]}"
        );
        let big: BigDecimal = "9876543210.0123456789".parse().unwrap();
        assert_eq!(read(&|| Read::<Here>::read(&big)), "9876543210.0123456789");
    }
}
