//! The value tree: a generated instance of a shape, typed enough to serialize it for any
//! protocol and to build it through a Rust client's builders.

use snapshot_model::ShapeId;

/// A generated value of some shape.
///
/// Aggregates carry their shape id so later stages can find member traits; scalars are
/// typed by Smithy simple type so that serializers and code generators need no guessing.
#[derive(Debug, Clone, PartialEq)]
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
