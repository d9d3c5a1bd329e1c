//! Values the endpoint rules accept: members bound to endpoint rule-set parameters
//! (`@smithy.rules#contextParam`, `@smithy.rules#operationContextParams`) get values with which
//! the service's `@smithy.rules#endpointRuleSet` resolves to an endpoint, so that the client
//! sends the request to its real endpoint rather than failing endpoint resolution.
//!
//! The parameters are set as the harness's client sets them (SPEC §5): `AWS::Region` is
//! [`REGION`], `SDK::Endpoint` is unset, every other built-in and client context parameter
//! keeps its rule-set default, `@staticContextParams` of the operation apply, and members
//! feed their parameters (a member left unset leaves its parameter at its default). A
//! member-bound parameter keeps its generated value when the rules resolve to an endpoint with
//! it. Otherwise the rules are walked depth first, in order; along each path ending in an
//! endpoint, conditions on the bound parameters become constraints (a host label, a bucket
//! name, an ARN whose partition, service, region, account and resource segments later
//! conditions fix, a string or boolean equality), the negated condition of each earlier rule
//! passed over joins them, and the parameters get values meeting them (the member name as a
//! host label; ARNs default to the region's partition, the service's ARN namespace, [`REGION`]
//! and account `123456789012`). The first path whose values really resolve to an endpoint when
//! the whole rule set is evaluated wins. Values are written back where the member is a
//! top-level member or a plain `A.B` path; list-valued parameters are read, never changed.
//! When no value makes the rules resolve, the generated value stays and the harness falls back
//! to an explicit endpoint, saying so in the snapshot.

mod eval;
mod functions;
mod solve;

use snapshot_model::rules::{ContextPath, EndpointRuleSet, ParameterType, PathStep};
use snapshot_model::{Model, Shape, ShapeKind};

pub use eval::Resolution;

use crate::Value;
use eval::{Scope, Val};
use solve::{FreeParam, Problem};

/// The region the harness configures every client with (SPEC §5).
pub const REGION: &str = "us-east-1";

/// A service's endpoint rule set, ready to check and fit operation inputs.
#[derive(Debug, Clone)]
pub struct EndpointRules {
    rule_set: EndpointRuleSet,
    arn_namespace: Option<String>,
}

/// What fitting an input to the endpoint rules did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointFit {
    /// The rules resolve to this endpoint; `changed` names the members (paths from the input
    /// root, `Table.Name`) whose generated values were replaced.
    Resolved {
        /// The resolved URL.
        url: String,
        /// Members given values derived from the rules, in parameter-name order.
        changed: Vec<String>,
    },
    /// No values found make the rules resolve: the harness will use its endpoint fallback.
    Unresolved {
        /// What the rules answer with the generated values.
        reason: String,
    },
}

/// Where a parameter's value comes from in the input.
#[derive(Debug, Clone)]
enum Source {
    /// A top-level member (`@contextParam`).
    Member(String),
    /// A path (`@operationContextParams`).
    Path(ContextPath),
}

impl EndpointRules {
    /// The rule set of `service`, if it has one.
    pub fn of_service(service: &Shape) -> Option<EndpointRules> {
        Some(EndpointRules {
            rule_set: service.traits.endpoint_rule_set()?,
            arn_namespace: service
                .traits
                .aws_service()
                .and_then(|service| service.arn_namespace),
        })
    }

    /// What the rules resolve to for `input` of `operation`, with the client set up as the
    /// harness sets it up.
    pub fn resolve(&self, model: &Model, operation: &Shape, input: &Value) -> Resolution {
        let (fixed, free) = self.parameters(model, operation, input);
        let mut scope = fixed;
        scope.extend(
            free.into_iter()
                .map(|(_, param)| (param.name, param.current)),
        );
        eval::resolve(&self.rule_set, &scope).unwrap_or_else(|unsupported| {
            Resolution::Error(format!(
                "the rule set calls `{}`, which cargo-snapshot cannot evaluate",
                unsupported.0
            ))
        })
    }

    /// Replaces the values of member-bound parameters in `input` (a value of `operation`'s
    /// input) that the rules reject by values they accept.
    pub fn fit(&self, model: &Model, operation: &Shape, input: &mut Value) -> EndpointFit {
        let (fixed, free) = self.parameters(model, operation, input);
        let problem = Problem {
            rules: &self.rule_set,
            fixed,
            free: free.iter().map(|(_, param)| param.clone()).collect(),
            arn_namespace: self.arn_namespace.as_deref(),
            region: REGION,
        };
        let unresolved = |reason| EndpointFit::Unresolved { reason };
        let solution = match solve::solve(&problem) {
            Ok(Some(solution)) => solution,
            Ok(None) => {
                return unresolved(match self.resolve(model, operation, input) {
                    Resolution::Error(message) => message,
                    Resolution::Endpoint(url) => url,
                })
            }
            Err(unsupported) => {
                return unresolved(format!(
                    "the rule set calls `{}`, which cargo-snapshot cannot evaluate",
                    unsupported.0
                ))
            }
        };
        let mut changed = Vec::new();
        for (source, param) in &free {
            let Some(value) = solution.changed.get(&param.name) else {
                continue;
            };
            let fields: Vec<&str> = match source {
                Source::Member(name) => vec![name.as_str()],
                Source::Path(path) => match path.fields() {
                    Some(fields) => fields,
                    None => continue,
                },
            };
            if write(model, input, &fields, value) {
                changed.push(fields.join("."));
            }
        }
        EndpointFit::Resolved {
            url: solution.url,
            changed,
        }
    }

    /// The fixed parameter values, and the member-bound ones whose members are set.
    fn parameters(
        &self,
        model: &Model,
        operation: &Shape,
        input: &Value,
    ) -> (Scope, Vec<(Source, FreeParam)>) {
        let mut fixed = Scope::new();
        for (name, parameter) in &self.rule_set.parameters {
            let value = match parameter.built_in.as_deref() {
                Some("AWS::Region") => Some(Val::Str(REGION.to_owned())),
                Some("SDK::Endpoint") => None,
                _ => parameter.default.as_ref().map(Val::from),
            };
            if let Some(value) = value {
                fixed.insert(name.clone(), value);
            }
        }
        for (name, value) in operation.traits.static_context_params() {
            fixed.insert(name, Val::from(&value));
        }
        let mut free = Vec::new();
        for (source, name, member) in bindings(model, operation) {
            let Some(parameter) = self.rule_set.parameters.get(&name) else {
                continue;
            };
            let Some(current) = read(input, &source, parameter.kind) else {
                continue;
            };
            let solvable = matches!(source, Source::Member(_))
                || matches!(&source, Source::Path(path) if path.fields().is_some());
            if solvable && parameter.kind != ParameterType::StringArray {
                fixed.remove(&name);
                free.push((
                    source,
                    FreeParam {
                        name,
                        kind: parameter.kind,
                        current,
                        member,
                    },
                ));
            } else {
                fixed.insert(name, current);
            }
        }
        (fixed, free)
    }
}

/// The parameters bound to `operation`'s input: by `@contextParam` members, then by
/// `@operationContextParams` paths, with the member name that names synthesized values.
fn bindings(model: &Model, operation: &Shape) -> Vec<(Source, String, String)> {
    let mut bound = Vec::new();
    if let ShapeKind::Operation(op) = &operation.kind {
        if let Some(input) = model.shape(&op.input) {
            for member in input.kind.members() {
                if let Some(param) = member.traits.context_param() {
                    bound.push((
                        Source::Member(member.name.clone()),
                        param.name,
                        member.name.clone(),
                    ));
                }
            }
        }
    }
    for param in operation.traits.operation_context_params() {
        let member = param
            .path
            .fields()
            .and_then(|fields| fields.last().map(|name| (*name).to_owned()))
            .unwrap_or_else(|| param.name.clone());
        bound.push((Source::Path(param.path), param.name, member));
    }
    bound
}

/// The parameter value `source` yields in `input`, if set.
fn read(input: &Value, source: &Source, kind: ParameterType) -> Option<Val> {
    let nodes: Vec<&Value> = match source {
        Source::Member(name) => member(input, name).into_iter().collect(),
        Source::Path(ContextPath::Steps(steps)) => project(vec![input], steps),
        Source::Path(ContextPath::Keys(steps)) => {
            let keys: Vec<Val> = project(vec![input], steps)
                .into_iter()
                .flat_map(|node| match node {
                    Value::Map(entries) => entries
                        .iter()
                        .map(|(key, _)| Val::Str(key.clone()))
                        .collect(),
                    _ => Vec::new(),
                })
                .collect();
            return Some(Val::Array(keys));
        }
        Source::Path(ContextPath::Unsupported(_)) => return None,
    };
    let projected = matches!(source, Source::Path(ContextPath::Steps(steps))
        if steps.iter().any(|step| !matches!(step, PathStep::Field(_))));
    let scalars: Vec<Val> = nodes.into_iter().filter_map(scalar).collect();
    match (kind, projected) {
        (ParameterType::StringArray, _) => Some(Val::Array(
            scalars
                .into_iter()
                .flat_map(|value| match value {
                    Val::Array(items) => items,
                    other => vec![other],
                })
                .collect(),
        )),
        (_, false) => scalars.into_iter().next(),
        (_, true) => None,
    }
}

fn scalar(value: &Value) -> Option<Val> {
    match value {
        Value::String(text) | Value::Enum { value: text, .. } => Some(Val::Str(text.clone())),
        Value::Boolean(flag) => Some(Val::Bool(*flag)),
        Value::List(items) => Some(Val::Array(items.iter().filter_map(scalar).collect())),
        _ => None,
    }
}

fn member<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    match value {
        Value::Structure { members, .. } => members
            .iter()
            .find(|(member, _)| member == name)
            .map(|(_, value)| value),
        _ => None,
    }
}

/// JMESPath projection over the value tree: the nodes `steps` reach from `nodes`.
fn project<'v>(nodes: Vec<&'v Value>, steps: &[PathStep]) -> Vec<&'v Value> {
    let Some((step, rest)) = steps.split_first() else {
        return nodes;
    };
    let next: Vec<&Value> = match step {
        PathStep::Field(name) => nodes
            .into_iter()
            .filter_map(|node| member(node, name))
            .collect(),
        PathStep::Wildcard | PathStep::Flatten => nodes
            .into_iter()
            .flat_map(|node| match node {
                Value::List(items) => items.iter().collect(),
                _ => Vec::new(),
            })
            .collect(),
        PathStep::MultiSelect(selections) => {
            // Each node yields the values of every selection; flattening follows as `[]`.
            let selected: Vec<&Value> = nodes
                .into_iter()
                .flat_map(|node| {
                    selections
                        .iter()
                        .flat_map(move |selection| project(vec![node], selection))
                })
                .collect();
            let rest = rest.strip_prefix(&[PathStep::Flatten]).unwrap_or(rest);
            return project(selected, rest);
        }
    };
    project(next, rest)
}

/// Sets the scalar at `fields` (member names from the input root) to `value`, keeping its
/// kind (a string, an enum value with its variant, a boolean). False when there is no such
/// set member.
fn write(model: &Model, input: &mut Value, fields: &[&str], value: &Val) -> bool {
    let Some((last, parents)) = fields.split_last() else {
        return false;
    };
    let mut node = input;
    for name in parents {
        let Value::Structure { members, .. } = node else {
            return false;
        };
        match members.iter_mut().find(|(member, _)| member == name) {
            Some((_, child)) => node = child,
            None => return false,
        }
    }
    let Value::Structure { shape, members } = node else {
        return false;
    };
    let Some((_, slot)) = members.iter_mut().find(|(member, _)| member == last) else {
        return false;
    };
    let target = model
        .shape(shape)
        .and_then(|shape| {
            shape
                .kind
                .members()
                .into_iter()
                .find(|member| member.name == *last)
        })
        .map(|member| model.target(member));
    *slot = match (&*slot, value) {
        (Value::Enum { .. }, Val::Str(text)) => Value::Enum {
            variant: target
                .and_then(|target| model.enum_variants(target))
                .and_then(|variants| {
                    variants
                        .into_iter()
                        .find(|variant| {
                            variant.value == snapshot_model::traits::EnumValue::String(text.clone())
                        })
                        .map(|variant| variant.name)
                }),
            value: text.clone(),
        },
        (Value::String(_), Val::Str(text)) => Value::String(text.clone()),
        (Value::Boolean(_), Val::Bool(flag)) => Value::Boolean(*flag),
        _ => return false,
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projections_follow_jmespath() {
        let item = |name: &str| Value::Structure {
            shape: "a.b#Item".parse().unwrap(),
            members: vec![(
                "Get".into(),
                Value::Structure {
                    shape: "a.b#Get".parse().unwrap(),
                    members: vec![("TableName".into(), Value::String(name.into()))],
                },
            )],
        };
        let input = Value::Structure {
            shape: "a.b#Input".parse().unwrap(),
            members: vec![
                ("Items".into(), Value::List(vec![item("t1"), item("t2")])),
                (
                    "ByName".into(),
                    Value::Map(vec![("k1".into(), Value::Null), ("k2".into(), Value::Null)]),
                ),
            ],
        };
        let read_path = |path: &str| {
            read(
                &input,
                &Source::Path(ContextPath::parse(path)),
                ParameterType::StringArray,
            )
        };
        let strings = |items: &[&str]| {
            Some(Val::Array(
                items.iter().map(|item| Val::Str((*item).into())).collect(),
            ))
        };
        assert_eq!(read_path("Items[*].Get.TableName"), strings(&["t1", "t2"]));
        assert_eq!(
            read_path("Items[*].[Get.TableName, Put.TableName][]"),
            strings(&["t1", "t2"])
        );
        assert_eq!(read_path("keys(ByName)"), strings(&["k1", "k2"]));
    }
}
