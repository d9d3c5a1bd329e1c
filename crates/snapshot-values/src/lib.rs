//! Deterministic values for Smithy shapes.
//!
//! This crate owns the [`Value`] tree and the rules that fill it ([`Generator`]): the same
//! model, root shape, [`Mode`] and [`Overrides`] always give the same value, so snapshots of
//! requests, outputs and errors built from it are stable. It knows nothing of protocols, Rust
//! code generation or snapshot files. [`Value`]'s `Display` ([`Value::to_pretty`]) is a stable
//! text form for tests and reviews.
//!
//! # Roots and modes
//!
//! The generator is called with an operation's input, output or error structure.
//! [`Mode::Max`] sets every member of every structure; [`Mode::Min`] sets exactly the
//! `@required` members (a required member with `@default` is set too, to its generated value,
//! not its default). A list, set or map in min mode is present only when its member is
//! required, and then has its usual elements.
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
#![warn(missing_docs)]

mod errors;
mod generator;
mod overrides;
mod path;
mod render;
mod value;

pub use errors::{OverrideSite, ValueError};
pub use generator::{
    host_label, Generator, Mode, BIG_DECIMAL, BIG_INTEGER, BLOB, HTTP_RESPONSE_CODE,
    IDEMPOTENCY_TOKEN, LIST_LENGTH, MAP_KEYS, MAX_DEPTH, RECURSION_LIMIT, SPARSE_MAP_KEY,
    TIMESTAMP_MILLIS,
};
pub use overrides::{
    MatchedOverride, OverrideKey, OverrideSource, OverrideValue, Overrides, MESSAGE_BODY,
    MESSAGE_BODY_MD5,
};
pub use path::ValuePath;
pub use value::Value;
