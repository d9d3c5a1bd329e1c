//! Deterministic values for Smithy shapes.
//!
//! This crate owns the [`Value`] tree and the rules that fill it ([`Generator`]): the same
//! model, root shape, [`Mode`] and [`Overrides`] always give the same value, so snapshots of
//! requests, outputs and errors built from it are stable. It also owns the values members
//! bound to endpoint rule-set parameters need ([`endpoint`]). It knows nothing of protocols,
//! Rust code generation or snapshot files. [`Value`]'s `Display` ([`Value::to_pretty`]) is a
//! stable text form for tests and reviews.
//!
//! # Roots and modes
//!
//! The generator is called with an operation's input, output or error structure, in one of
//! three named variants ([`Mode`], SPEC §4 and §4a):
//!
//! * [`Mode::Max`] sets every member of every structure, with the values below;
//! * [`Mode::Min`] sets exactly the `@required` members, with the same values (a required
//!   member with `@default` is set too, to its generated value, not its default), so the client
//!   fills in its own defaults for the rest. A list, set or map in min mode is present only
//!   when its member is required, and then has its usual elements;
//! * [`Mode::Edge`] sets every member, like max, with [edge values](#edge-values) instead.
//!
//! # Rules
//!
//! | shape | value |
//! |---|---|
//! | `string` | `__<MemberName>__` |
//! | `enum`, `@enum` string | an [`Value::Enum`] with text `__<MemberName>__`; its variant is the one with that value, so normally `None` |
//! | `@idempotencyToken` member | [`IDEMPOTENCY_TOKEN`] |
//! | `@hostLabel` string member | the member name as a DNS label ([`host_label`]: `RequestRoute` → `requestroute`) |
//! | `byte`, `short`, `integer`, `long`, `float`, `double` | `0` |
//! | `@httpResponseCode` member | [`HTTP_RESPONSE_CODE`] (200) |
//! | `intEnum` | `0`, with the variant whose value is 0 if there is one |
//! | `bigInteger` / `bigDecimal` | [`BIG_INTEGER`] / [`BIG_DECIMAL`] |
//! | `boolean` | `false` |
//! | `blob` / `@streaming` blob | [`BLOB`] as [`Value::Blob`] / [`Value::StreamingBlob`] |
//! | `timestamp` | [`TIMESTAMP_MILLIS`] (2000-01-01T04:59:59.999Z) |
//! | `document` | `{"nested": {"flag": true}, "numbers": [1, 2, 3], "string": "__<MemberName>__"}` |
//! | `list`, `set` | [`LIST_LENGTH`] elements; a `@sparse` one then gets a [`Value::Null`] |
//! | `map` | keys [`MAP_KEYS`] (also when the key is an enum); a `@sparse` one then gets [`SPARSE_MAP_KEY`] → [`Value::Null`] |
//! | `union` | one member, chosen from the value's [path](#paths) |
//! | `@streaming` union | a [`Value::EventStream`]: every member once, in model order, except exception events |
//!
//! `<MemberName>` is the name of the nearest enclosing structure or union member: the
//! elements of a list member `Names` are all `__Names__`, and so are the values of a map
//! member `Names`. (A root that is itself a simple shape uses its shape name.) Sets are
//! generated like lists, so their elements may repeat; clients do not enforce uniqueness.
//!
//! # Paths
//!
//! Every value has a [`ValuePath`]: the root shape's name, then `.Member` for each structure,
//! union or event-stream member, `[i]` for each list or set element (zero-based) and `{key}`
//! for each map entry, e.g. `AssumeRoleRequest.Tags[0].Key` or `PutRequest.Attrs{key1}`.
//! A union sets member number `(sum of the UTF-16 code units of its path) mod (member count)`
//! in model order ([`ValuePath::union_choice`]), so the unions of different list elements
//! and map entries set different members. The format is part of the snapshot contract: keep it.
//!
//! # Recursion
//!
//! Expanding structures, unions, lists and maps is tracked along the current path. A shape
//! that already occurs [`RECURSION_LIMIT`] times there is not expanded again: a list becomes
//! empty, a map empty, a structure has no members. A union at that point sets the first
//! member (model order) whose target cannot lead back to the union, or its first member when
//! every member can. Past [`MAX_DEPTH`] levels generation fails with
//! [`ValueError::UnboundedRecursion`] instead of running forever.
//!
//! # Edge values
//!
//! Each leaf type has an ordered catalogue; a value takes entry number
//! `(sum of the UTF-16 code units of its path) mod (catalogue length)` ([`ValuePath::union_choice`],
//! the union rule), so members and list elements spread over the catalogue and consecutive list
//! elements take consecutive entries. Where an entry breaks the member's constraint traits
//! (`@length` in characters or bytes, `@pattern` as a regular expression, `@range`), the next
//! entry is taken, cyclically; when none fits, a number takes its range bound and anything else
//! its max value. A `@pattern` the `regex` crate cannot compile is not checked.
//!
//! | shape | catalogue |
//! |---|---|
//! | `string` | `__<Name>__` + [`EDGE_ESCAPES`]; `__<Name>__` + [`EDGE_NON_ASCII`]; `""` |
//! | `string` in a header or prefix header | the first and the last: header values are ASCII (unless `@mediaType`, which is base64-encoded) |
//! | `string` in a `{label}` or a required `@httpQuery` | the first two: clients refuse to send an empty one |
//! | `string` in a greedy `{label+}` | `__<Name>__/dir one/ä #?&=+%.txt`; `__<Name>__/nested//double/` |
//! | `enum`, `intEnum` | the known values, in model order |
//! | `byte`, `short`, `integer`, `long` | `-1`; the lower limit; the upper limit (the type's, or `@range`'s) |
//! | `float`, `double` | `-1.5`; NaN; +∞; −∞; the lower limit; the upper limit |
//! | `bigInteger` / `bigDecimal` | [`EDGE_BIG_INTEGERS`] / [`EDGE_BIG_DECIMALS`] |
//! | `boolean` | `true` |
//! | `timestamp` | [`EDGE_TIMESTAMPS`]: whole seconds, a fraction, a fraction before 1970 |
//! | `blob`, `@streaming` blob | empty; [`EDGE_BLOB`] (not UTF-8) |
//! | `document` | an object with an empty list and object, `true`, `-1.5`, `null` and a quoted non-ASCII string |
//! | `list`, `set`, `map` | [`LIST_LENGTH`] elements (keys [`MAP_KEYS`]); none. `@length` can rule out none and narrows the count; a `@sparse` one still gets its null |
//! | `union` | the member after the one max sets: `(path sum + 1) mod (member count)` |
//!
//! Overrides, idempotency tokens, host labels and `@httpResponseCode` keep their values in
//! every mode. The HTTP place of a member (header, label, greedy label) is known for the
//! top-level members of an input generated with [`Generator::generate_input`] and of outputs
//! and errors; [`Generator::generate`] on an input knows no greedy labels. smithy-rs clients do
//! not enforce constraint traits, so no variant breaks them on purpose.
//!
//! # Rejected headers
//!
//! [`rejected_header_value`] gives a header-bound member a value its client must refuse to
//! put into a header: a line feed in a value, a space in a prefix-header name. Each is sent by
//! its own request case (one member per case, since serialization stops at the first failure).
//!
//! # Endpoint rules
//!
//! With [`Generator::with_endpoint_rules`], [`Generator::generate_input`] gives members bound
//! to endpoint rule-set parameters (`@contextParam`, `@operationContextParams`) values with
//! which the service's rule set resolves to an endpoint, in every mode: the generated value
//! when the rules accept it, else one derived from the rules' conditions (a host label, an ARN
//! of the expected service and resource type, a bucket name, an equal string or boolean). See
//! [`endpoint`] for the parameters the client is assumed to have and how values are found.
//! User overrides of such members are kept only when the rules accept them.
//!
//! # Event streams
//!
//! Members of a `@streaming` union that target `@error` structures are exception events; they
//! are left out of [`Value::EventStream`] and available from [`Generator::exception_events`]
//! (path root: the stream union's name), so the response side can build error frames.
//!
//! # Overrides
//!
//! [`Overrides`] replace generated values of chosen members: [`Overrides::builtin`] has the
//! SPEC §4 values (`PredictEndpoint`, `ChecksumAlgorithm`, `AccountId`, `OutpostId`,
//! `QueueUrl`, `MessageBody` with `MD5OfMessageBody`/`MD5OfBody` = [`MESSAGE_BODY_MD5`]);
//! [`Overrides::with_user`] adds entries keyed by member name or `namespace#Shape$Member`.
//! An override applies wherever that member's name would name a placeholder: the member
//! itself, or every element and map value inside it. Lookup order is user qualified, user
//! bare, built-in qualified, built-in bare. A string override on an enum gives an
//! [`Value::Enum`] whose variant is the one with that value, if any. A user override that
//! does not fit the member's type is an error ([`ValueError::OverrideMismatch`],
//! [`ValueError::OverrideOnAggregate`]); a built-in one that does not fit is skipped, since
//! models use these names for other types too. Overrides win over the idempotency-token and
//! response-code rules.
//!
//! With the `test-util` feature, `test_util` has short constructors of values (`st`, `un`,
//! `s`, `list`, ...) for tests that write a value by hand.
#![warn(missing_docs)]

mod edge;
pub mod endpoint;
mod errors;
mod generator;
mod leaves;
mod mode;
mod overrides;
mod path;
mod rejected;
mod render;
#[cfg(feature = "test-util")]
pub mod test_util;
mod value;
mod walk;

pub use edge::{
    EDGE_BIG_DECIMALS, EDGE_BIG_INTEGERS, EDGE_BLOB, EDGE_ESCAPES, EDGE_NON_ASCII, EDGE_TIMESTAMPS,
};
pub use errors::{OverrideSite, ValueError};
pub use generator::{
    host_label, Generator, BIG_DECIMAL, BIG_INTEGER, BLOB, HTTP_RESPONSE_CODE, IDEMPOTENCY_TOKEN,
    LIST_LENGTH, MAP_KEYS, MAX_DEPTH, RECURSION_LIMIT, SPARSE_MAP_KEY, TIMESTAMP_MILLIS,
};
pub use mode::{Mode, UnknownMode};
pub use overrides::{
    MatchedOverride, OverrideKey, OverrideSource, OverrideValue, Overrides, MESSAGE_BODY,
    MESSAGE_BODY_MD5,
};
pub use path::ValuePath;
pub use rejected::{
    rejected_header_value, REJECTED_HEADER_KEY, REJECTED_HEADER_NAME, REJECTED_HEADER_VALUE,
};
pub use value::Value;
