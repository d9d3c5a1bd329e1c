//! Targeted response variants: responses that null or break chosen values of nested shapes,
//! so that each aggregate shape's own parser meets a `null` or a failure once.
//!
//! The clients generate one parser per aggregate shape, with a null arm, an arm for a value
//! of the wrong type and an arm for a key or element where the object must go on; a parser
//! stops at the first failure, so one broken response reaches the arms of one shape only.
//! These variants therefore pick their targets from the `max` value of an operation: the
//! first occurrence of each shape the service's earlier operations did not already reach
//! (`reached`, kept by the caller per variant over the operations in plan order), so a
//! service gets each shape's case once however many outputs share it.

use std::collections::BTreeSet;

use snapshot_model::{Member, OperationRef, ServiceIndex, Shape, ShapeId, ShapeKind};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{Expectation, Malformation, ResponseVariant, VariantResponse, WRONG_TYPE_TEXT};
use crate::{serializer, OperationContext, WireError};

/// The name of the member a [`Malformation::CutInside`] response is cut at: the writer puts
/// it into the target object and the body ends right before it.
pub(crate) const CUT_MEMBER: &str = "SnapshotCutHere";

/// The key of the `null` entry [`ResponseVariant::NullSparseEntries`] and
/// [`Malformation::NullInDense`] add to a map.
pub const NULL_ENTRY_KEY: &str = "snapshotNullEntry";

/// A value a targeted variant nulls or breaks: the shape whose parser meets it and where it
/// sits in the output (`GetItemOutput.ConsumedCapacity.Table`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantTarget {
    /// The aggregate shape whose parser the change reaches.
    pub shape: ShapeId,
    /// The value's path in the output.
    pub path: ValuePath,
}

/// One case of a targeted variant: what it changes and its response.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetedResponse {
    /// The values changed, in output order (several for the variants whose changes the
    /// client accepts, so they cannot mask each other; one for the rejected ones).
    pub targets: Vec<VariantTarget>,
    /// The response and what the client should make of it.
    pub response: VariantResponse,
}

/// How an occurrence is reached from its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// The output itself.
    Root,
    /// A structure member that may be absent (neither `@required` nor `@default`).
    OptionalMember,
    /// Any other member, list element or map value.
    Other,
}

/// An aggregate value in the output.
struct Occurrence<'m> {
    shape: &'m Shape,
    path: ValuePath,
    via: Via,
}

/// The cases of the targeted `variant` for `operation`, built from its `max` value `base`;
/// each targets shapes not in `reached`, which gains them. Empty when the protocol does not
/// offer the variant, the output has no document body, or every shape was reached before.
pub fn targeted_responses(
    index: &ServiceIndex<'_>,
    operation: OperationRef<'_>,
    variant: ResponseVariant,
    base: &Value,
    reached: &mut BTreeSet<ShapeId>,
) -> Result<Vec<TargetedResponse>, WireError> {
    let plain = OperationContext::new(index, operation);
    let protocol = serializer(index.protocol());
    if !variant.is_targeted() || !protocol.response_variants(&plain).contains(&variant) {
        return Ok(Vec::new());
    }
    if !super::reads_body(&plain, protocol)
        || !protocol.is_document(&protocol.output(&plain, base)?)
    {
        return Ok(Vec::new());
    }
    let output = plain.output_shape()?;
    let root = ValuePath::root(output.id.name());
    let mut found = Vec::new();
    occurrences(
        &plain,
        output,
        base,
        &root,
        Via::Root,
        &mut found,
        &|member| protocol.binds_to_body(member),
    );
    let cx = plain.with_style(variant.style());
    let mut cases = Vec::new();
    match variant {
        ResponseVariant::NullNestedMembers => {
            let mut pending = first_of_each(&found, reached, |occurrence| {
                occurrence.via == Via::OptionalMember
            });
            // Innermost first: a nulled value hides what it contains.
            while !pending.is_empty() {
                let (layer, outer): (Vec<_>, Vec<_>) =
                    pending.iter().cloned().partition(|target| {
                        !pending
                            .iter()
                            .any(|other| contains(&target.path, &other.path))
                    });
                let mut sent = base.clone();
                for target in &layer {
                    edit(&mut sent, &root, &target.path, &mut |value| *value = None);
                }
                cases.push(accepted(&cx, &sent, &layer)?);
                pending = outer;
                reached.extend(layer.into_iter().map(|target| target.shape.clone()));
            }
        }
        ResponseVariant::NullSparseEntries => {
            let targets = first_of_each(&found, reached, |occurrence| {
                is_collection(occurrence.shape) && occurrence.shape.traits.is_sparse()
            });
            if !targets.is_empty() {
                let mut sent = base.clone();
                for target in &targets {
                    edit(&mut sent, &root, &target.path, &mut add_null);
                }
                cases.push(accepted(&cx, &sent, &targets)?);
                reached.extend(targets.into_iter().map(|target| target.shape));
            }
        }
        ResponseVariant::Malformed(Malformation::NullInDense) => {
            let targets = first_of_each(&found, reached, |occurrence| {
                is_collection(occurrence.shape) && !occurrence.shape.traits.is_sparse()
            });
            for target in targets {
                let mut sent = base.clone();
                edit(&mut sent, &root, &target.path, &mut add_null);
                cases.push(rejected(protocol.output(&cx, &sent)?, target, reached));
            }
        }
        ResponseVariant::Malformed(Malformation::NestedWrongType) => {
            let targets = first_of_each(&found, reached, |occurrence| occurrence.via != Via::Root);
            for target in targets {
                let mut sent = base.clone();
                edit(&mut sent, &root, &target.path, &mut |value| {
                    *value = Some(Value::String(WRONG_TYPE_TEXT.to_owned()))
                });
                cases.push(rejected(protocol.output(&cx, &sent)?, target, reached));
            }
        }
        ResponseVariant::Malformed(Malformation::CutInside) => {
            let targets = first_of_each(&found, reached, |occurrence| {
                matches!(
                    occurrence.shape.kind,
                    ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Map { .. }
                )
            });
            for target in targets {
                let mut response = protocol.output(&cx.cutting(&target.path), base)?;
                if cut_at_marker(&mut response) {
                    cases.push(rejected(response, target, reached));
                }
            }
        }
        _ => {}
    }
    Ok(cases)
}

/// A case the client must read as the output `sent`.
fn accepted(
    cx: &OperationContext<'_, '_>,
    sent: &Value,
    targets: &[VariantTarget],
) -> Result<TargetedResponse, WireError> {
    let response = serializer(cx.index().protocol()).output(cx, sent)?;
    Ok(TargetedResponse {
        targets: targets.to_vec(),
        response: VariantResponse {
            response,
            expectation: Expectation::Output(sent.clone()),
        },
    })
}

/// A case the client must reject, marking its shape reached.
fn rejected(
    response: HttpResponse,
    target: VariantTarget,
    reached: &mut BTreeSet<ShapeId>,
) -> TargetedResponse {
    reached.insert(target.shape.clone());
    TargetedResponse {
        targets: vec![target],
        response: VariantResponse {
            response,
            expectation: Expectation::Rejected,
        },
    }
}

/// The first occurrence of each shape not yet `reached` that `wanted` accepts, in output
/// order.
fn first_of_each(
    found: &[Occurrence<'_>],
    reached: &BTreeSet<ShapeId>,
    wanted: impl Fn(&Occurrence<'_>) -> bool,
) -> Vec<VariantTarget> {
    let mut seen = BTreeSet::new();
    found
        .iter()
        .filter(|occurrence| wanted(occurrence))
        .filter(|occurrence| !reached.contains(&occurrence.shape.id))
        .filter(|occurrence| seen.insert(occurrence.shape.id.clone()))
        .map(|occurrence| VariantTarget {
            shape: occurrence.shape.id.clone(),
            path: occurrence.path.clone(),
        })
        .collect()
}

fn is_collection(shape: &Shape) -> bool {
    matches!(
        shape.kind,
        ShapeKind::List(_) | ShapeKind::Set(_) | ShapeKind::Map { .. }
    )
}

/// Whether the value at `inner` lies inside the one at `outer`.
fn contains(outer: &ValuePath, inner: &ValuePath) -> bool {
    inner
        .as_str()
        .strip_prefix(outer.as_str())
        .is_some_and(|rest| rest.starts_with(['.', '[', '{']))
}

/// Collects the aggregate values of `value` (a value of `shape` at `path`) in pre-order; at
/// the root only the members `in_body` accepts (the others are headers, status or the
/// like, which no document parser reads).
fn occurrences<'m>(
    cx: &OperationContext<'_, 'm>,
    shape: &'m Shape,
    value: &Value,
    path: &ValuePath,
    via: Via,
    found: &mut Vec<Occurrence<'m>>,
    in_body: &dyn Fn(&Member) -> bool,
) {
    let aggregate = matches!(
        shape.kind,
        ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::List(_)
            | ShapeKind::Set(_)
            | ShapeKind::Map { .. }
    );
    if !aggregate || shape.traits.is_streaming() {
        return;
    }
    found.push(Occurrence {
        shape,
        path: path.clone(),
        via,
    });
    let mut child = |member: &'m Member, value: &Value, path: ValuePath, via: Via| {
        occurrences(cx, cx.target(member), value, &path, via, found, &|_| true);
    };
    match (&shape.kind, value) {
        (ShapeKind::Structure(members), Value::Structure { members: set, .. }) => {
            for (name, member_value) in set {
                let Some(member) = members.iter().find(|member| &member.name == name) else {
                    continue;
                };
                if via == Via::Root && !in_body(member) {
                    continue;
                }
                let optional =
                    !member.traits.is_required() && member.traits.default_value().is_none();
                let via = if optional {
                    Via::OptionalMember
                } else {
                    Via::Other
                };
                child(member, member_value, path.member(name), via);
            }
        }
        (
            ShapeKind::Union(members),
            Value::Union {
                member: name,
                value,
                ..
            },
        ) => {
            if let Some(member) = members.iter().find(|member| &member.name == name) {
                child(member, value, path.member(name), Via::Other);
            }
        }
        (ShapeKind::List(member) | ShapeKind::Set(member), Value::List(items)) => {
            for (position, item) in items.iter().enumerate() {
                child(member, item, path.index(position), Via::Other);
            }
        }
        (ShapeKind::Map { value: member, .. }, Value::Map(entries)) => {
            for (key, entry) in entries {
                child(member, entry, path.key(key), Via::Other);
            }
        }
        _ => {}
    }
}

/// Applies `change` to the value at `target` inside `value` (at `path`); the change gets
/// `None` for a member to remove.
fn edit(
    value: &mut Value,
    path: &ValuePath,
    target: &ValuePath,
    change: &mut dyn FnMut(&mut Option<Value>),
) {
    match value {
        Value::Structure { members, .. } => {
            let mut remove = None;
            for (position, (name, member)) in members.iter_mut().enumerate() {
                let member_path = path.member(name);
                if &member_path == target {
                    let mut slot = Some(std::mem::replace(member, Value::Null));
                    change(&mut slot);
                    match slot {
                        Some(changed) => *member = changed,
                        None => remove = Some(position),
                    }
                } else if contains(&member_path, target) {
                    edit(member, &member_path, target, change);
                }
            }
            if let Some(position) = remove {
                members.remove(position);
            }
        }
        Value::Union { member, value, .. } => {
            let member_path = path.member(member);
            descend(value, &member_path, target, change);
        }
        Value::List(items) => {
            for (position, item) in items.iter_mut().enumerate() {
                descend(item, &path.index(position), target, change);
            }
        }
        Value::Map(entries) => {
            for (key, entry) in entries.iter_mut() {
                let entry_path = path.key(key);
                descend(entry, &entry_path, target, change);
            }
        }
        _ => {}
    }
}

/// [`edit`] for a value that cannot be removed (an element, an entry, a union's value).
fn descend(
    value: &mut Value,
    path: &ValuePath,
    target: &ValuePath,
    change: &mut dyn FnMut(&mut Option<Value>),
) {
    if path == target {
        let mut slot = Some(std::mem::replace(value, Value::Null));
        change(&mut slot);
        *value = slot.unwrap_or(Value::Null);
    } else if contains(path, target) {
        edit(value, path, target, change);
    }
}

/// Adds a `null` element to a list or a `null` entry to a map.
fn add_null(value: &mut Option<Value>) {
    match value {
        Some(Value::List(items)) => items.push(Value::Null),
        Some(Value::Map(entries)) => entries.push((NULL_ENTRY_KEY.to_owned(), Value::Null)),
        _ => {}
    }
}

/// Ends the body right before the [`CUT_MEMBER`] key (and the comma before it), so that it
/// stops after the object's last complete value or its opening brace; false when the writer
/// put no such key (the target is not in a document it writes).
fn cut_at_marker(response: &mut HttpResponse) -> bool {
    let Body::Bytes { data } = &mut response.body else {
        return false;
    };
    let marker = format!("\"{CUT_MEMBER}\"");
    let Some(mut at) = data
        .windows(marker.len())
        .position(|window| window == marker.as_bytes())
    else {
        return false;
    };
    if at > 0 && data[at - 1] == b',' {
        at -= 1;
    }
    data.truncate(at);
    let length = data.len().to_string();
    for (name, value) in &mut response.headers {
        if name.eq_ignore_ascii_case("content-length") {
            value.clone_from(&length);
        }
    }
    true
}
