//! The value tree: a generated instance of a shape, typed enough to serialize it for any
//! protocol and to build it through a Rust client's builders.

use snapshot_model::ShapeId;

/// A generated value of some shape.
///
/// Aggregates carry their shape id so later stages can find member traits; scalars are
/// typed by Smithy simple type so that serializers and code generators need no guessing.
///
/// Equality is structural, with floats compared by bit pattern: a generated NaN equals itself
/// (so generation is checkably deterministic), and `0.0` differs from `-0.0`.
#[derive(Debug, Clone)]
pub enum Value {
    /// A null entry of a `@sparse` list or map.
    Null,
    /// `boolean`
    Boolean(bool),
    /// `byte`
    Byte(i8),
    /// `short`
    Short(i16),
    /// `integer`
    Integer(i32),
    /// `long`
    Long(i64),
    /// `float`
    Float(f32),
    /// `double`
    Double(f64),
    /// `bigInteger`, as decimal text.
    BigInteger(String),
    /// `bigDecimal`, as decimal text.
    BigDecimal(String),
    /// `string`
    String(String),
    /// A string enum value: the variant (member) name and its wire value.
    Enum {
        /// Member name of the enum variant, or `None` when the value is not a known variant.
        variant: Option<String>,
        /// The wire value.
        value: String,
    },
    /// An intEnum value.
    IntEnum {
        /// Member name of the variant, or `None` when the value is not a known variant.
        variant: Option<String>,
        /// The wire value.
        value: i32,
    },
    /// `blob`
    Blob(Vec<u8>),
    /// A `@streaming` blob, produced as a stream of these bytes.
    StreamingBlob(Vec<u8>),
    /// `timestamp`, milliseconds since the Unix epoch.
    Timestamp(i64),
    /// `document`
    Document(serde_json::Value),
    /// `list` / `set` elements in order.
    List(Vec<Value>),
    /// `map` entries in order.
    Map(Vec<(String, Value)>),
    /// A structure with the members that are set, in model order.
    Structure {
        /// The structure shape.
        shape: ShapeId,
        /// Members that are set, in model order.
        members: Vec<(String, Value)>,
    },
    /// A union with its one set member.
    Union {
        /// The union shape.
        shape: ShapeId,
        /// The member that is set.
        member: String,
        /// Its value.
        value: Box<Value>,
    },
    /// An event stream (`@streaming` union): the events it emits, in order.
    EventStream {
        /// The union shape.
        shape: ShapeId,
        /// Each event: the union member name and the event's value.
        events: Vec<(String, Value)>,
    },
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Boolean(a), Boolean(b)) => a == b,
            (Byte(a), Byte(b)) => a == b,
            (Short(a), Short(b)) => a == b,
            (Integer(a), Integer(b)) => a == b,
            (Long(a), Long(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Double(a), Double(b)) => a.to_bits() == b.to_bits(),
            (BigInteger(a), BigInteger(b))
            | (BigDecimal(a), BigDecimal(b))
            | (String(a), String(b)) => a == b,
            (
                Enum {
                    variant: a,
                    value: x,
                },
                Enum {
                    variant: b,
                    value: y,
                },
            ) => a == b && x == y,
            (
                IntEnum {
                    variant: a,
                    value: x,
                },
                IntEnum {
                    variant: b,
                    value: y,
                },
            ) => a == b && x == y,
            (Blob(a), Blob(b)) | (StreamingBlob(a), StreamingBlob(b)) => a == b,
            (Timestamp(a), Timestamp(b)) => a == b,
            (Document(a), Document(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Map(a), Map(b)) => a == b,
            (
                Structure {
                    shape: a,
                    members: x,
                },
                Structure {
                    shape: b,
                    members: y,
                },
            ) => a == b && x == y,
            (
                Union {
                    shape: a,
                    member: m,
                    value: x,
                },
                Union {
                    shape: b,
                    member: n,
                    value: y,
                },
            ) => a == b && m == n && x == y,
            (
                EventStream {
                    shape: a,
                    events: x,
                },
                EventStream {
                    shape: b,
                    events: y,
                },
            ) => a == b && x == y,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_compare_by_bits() {
        assert_eq!(Value::Double(f64::NAN), Value::Double(f64::NAN));
        assert_eq!(Value::Float(f32::NAN), Value::Float(f32::NAN));
        assert_ne!(Value::Double(0.0), Value::Double(-0.0));
        assert_ne!(Value::Double(1.0), Value::Float(1.0));
        assert_eq!(
            Value::List(vec![Value::Double(f64::INFINITY)]),
            Value::List(vec![Value::Double(f64::INFINITY)])
        );
    }
}
