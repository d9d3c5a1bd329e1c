//! Concrete evaluation of an endpoint rule set for a set of parameter values, with the
//! rules-engine semantics the generated clients implement: rules are tried in order, the first
//! whose conditions all hold decides, a tree whose conditions hold must match one of its rules.

use std::collections::BTreeMap;

use snapshot_model::rules::{
    AttrPath, AttrStep, Condition, EndpointRuleSet, Expr, Function, FunctionCall, Rule, RuleKind,
    RuleValue, Template, TemplatePart,
};

use super::functions;

/// A value during evaluation. Unset values are absent from the scope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Val>),
    Record(BTreeMap<String, Val>),
}

impl From<&RuleValue> for Val {
    fn from(value: &RuleValue) -> Val {
        match value {
            RuleValue::String(text) => Val::Str(text.clone()),
            RuleValue::Boolean(flag) => Val::Bool(*flag),
            RuleValue::StringArray(items) => {
                Val::Array(items.iter().cloned().map(Val::Str).collect())
            }
        }
    }
}

/// Parameter values and assigned names.
pub(crate) type Scope = BTreeMap<String, Val>;

/// What a rule set resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// An endpoint with this URL.
    Endpoint(String),
    /// An error rule matched, with its message (or no rule matched).
    Error(String),
}

/// Why a rule set could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsupported(pub(crate) String);

/// Evaluates `rules` with the parameter values in `scope`.
pub(crate) fn resolve(rules: &EndpointRuleSet, scope: &Scope) -> Result<Resolution, Unsupported> {
    Ok(evaluate_rules(&rules.rules, scope)?
        .unwrap_or_else(|| Resolution::Error("no rule matched the parameters".to_owned())))
}

fn evaluate_rules(rules: &[Rule], scope: &Scope) -> Result<Option<Resolution>, Unsupported> {
    for rule in rules {
        let mut inner = scope.clone();
        if !conditions_hold(&rule.conditions, &mut inner)? {
            continue;
        }
        return Ok(Some(match &rule.kind {
            RuleKind::Endpoint(endpoint) => match evaluate(&endpoint.url, &inner)? {
                Some(Val::Str(url)) => Resolution::Endpoint(url),
                _ => Resolution::Error("the endpoint URL did not evaluate to a string".into()),
            },
            RuleKind::Error(message) => Resolution::Error(match evaluate(message, &inner)? {
                Some(Val::Str(message)) => message,
                _ => "error".to_owned(),
            }),
            RuleKind::Tree(children) => evaluate_rules(children, &inner)?.unwrap_or_else(|| {
                Resolution::Error("no rule of a matching tree matched".to_owned())
            }),
        }));
    }
    Ok(None)
}

/// Whether every condition holds, binding assigned names in `scope` as it goes.
pub(crate) fn conditions_hold(
    conditions: &[Condition],
    scope: &mut Scope,
) -> Result<bool, Unsupported> {
    for condition in conditions {
        if !condition_holds(condition, scope)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether one condition holds; an assigned result is bound in `scope`.
pub(crate) fn condition_holds(
    condition: &Condition,
    scope: &mut Scope,
) -> Result<bool, Unsupported> {
    let result = evaluate(&condition.expr, scope)?;
    Ok(match (&condition.assign, result) {
        (_, None) => false,
        (_, Some(Val::Bool(false))) => false,
        (Some(name), Some(value)) => {
            scope.insert(name.clone(), value);
            true
        }
        (None, Some(_)) => true,
    })
}

/// The value of an expression; `None` when it is unset (an unset reference, a function
/// returning no value).
pub(crate) fn evaluate(expr: &Expr, scope: &Scope) -> Result<Option<Val>, Unsupported> {
    Ok(match expr {
        Expr::String(template) => render(template, scope).map(Val::Str),
        Expr::Boolean(flag) => Some(Val::Bool(*flag)),
        Expr::Integer(number) => Some(Val::Int(*number)),
        Expr::Array(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                match evaluate(item, scope)? {
                    Some(value) => values.push(value),
                    None => return Ok(None),
                }
            }
            Some(Val::Array(values))
        }
        Expr::Record(fields) => {
            let mut record = BTreeMap::new();
            for (key, field) in fields {
                if let Some(value) = evaluate(field, scope)? {
                    record.insert(key.clone(), value);
                }
            }
            Some(Val::Record(record))
        }
        Expr::Ref(name) => scope.get(name).cloned(),
        Expr::GetAttr { target, path } => {
            evaluate(target, scope)?.and_then(|value| attribute(&value, path))
        }
        Expr::Call(call) => call_function(call, scope)?,
    })
}

/// Reads `path` from a record or array.
pub(crate) fn attribute(value: &Val, path: &AttrPath) -> Option<Val> {
    let mut current = value;
    for step in &path.0 {
        current = match (step, current) {
            (AttrStep::Key(key), Val::Record(record)) => record.get(key)?,
            (AttrStep::Index(index), Val::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(current.clone())
}

fn render(template: &Template, scope: &Scope) -> Option<String> {
    let mut out = String::new();
    for part in &template.parts {
        let value = match part {
            TemplatePart::Text(text) => {
                out.push_str(text);
                continue;
            }
            TemplatePart::Ref(name) => scope.get(name)?.clone(),
            TemplatePart::Attr { reference, path } => attribute(scope.get(reference)?, path)?,
        };
        match value {
            Val::Str(text) => out.push_str(&text),
            Val::Bool(flag) => out.push_str(if flag { "true" } else { "false" }),
            Val::Int(number) => out.push_str(&number.to_string()),
            Val::Array(_) | Val::Record(_) => return None,
        }
    }
    Some(out)
}

fn call_function(call: &FunctionCall, scope: &Scope) -> Result<Option<Val>, Unsupported> {
    let mut args = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        args.push(evaluate(arg, scope)?);
    }
    apply(&call.function, args)
}

/// Calls `function` on evaluated arguments (`None`: unset).
pub(crate) fn apply(
    function: &Function,
    args: Vec<Option<Val>>,
) -> Result<Option<Val>, Unsupported> {
    let text = |index: usize| match args.get(index) {
        Some(Some(Val::Str(text))) => Some(text.as_str()),
        _ => None,
    };
    let flag = |index: usize| match args.get(index) {
        Some(Some(Val::Bool(flag))) => Some(*flag),
        _ => None,
    };
    let int = |index: usize| match args.get(index) {
        Some(Some(Val::Int(number))) => Some(*number),
        _ => None,
    };
    Ok(match function {
        Function::IsSet => Some(Val::Bool(matches!(args.first(), Some(Some(_))))),
        Function::Not => Some(Val::Bool(!flag(0).unwrap_or(false))),
        Function::BooleanEquals => Some(Val::Bool(
            matches!((flag(0), flag(1)), (Some(a), Some(b)) if a == b),
        )),
        Function::StringEquals => Some(Val::Bool(
            matches!((text(0), text(1)), (Some(a), Some(b)) if a == b),
        )),
        Function::IsValidHostLabel => {
            Some(Val::Bool(text(0).is_some_and(|label| {
                functions::is_valid_host_label(label, flag(1).unwrap_or(false))
            })))
        }
        Function::IsVirtualHostableS3Bucket => Some(Val::Bool(text(0).is_some_and(|bucket| {
            functions::is_virtual_hostable_s3_bucket(bucket, flag(1).unwrap_or(false))
        }))),
        Function::ParseArn => text(0).and_then(functions::parse_arn),
        Function::Partition => text(0).map(functions::partition),
        Function::Substring => match (text(0), int(1), int(2), flag(3)) {
            (Some(input), Some(start), Some(stop), Some(reverse)) => {
                functions::substring(input, start, stop, reverse).map(Val::Str)
            }
            _ => None,
        },
        Function::UriEncode => text(0).map(|input| Val::Str(functions::uri_encode(input))),
        Function::ParseUrl => text(0).and_then(functions::parse_url),
        Function::Split => match (text(0), text(1), int(2)) {
            (Some(value), Some(delimiter), Some(limit)) => {
                functions::split(value, delimiter, limit)
            }
            _ => None,
        },
        Function::Coalesce => args.iter().flatten().next().cloned(),
        Function::Ite => match flag(0) {
            Some(true) => args.get(1).cloned().flatten(),
            Some(false) => args.get(2).cloned().flatten(),
            None => None,
        },
        Function::Other(name) => return Err(Unsupported(name.clone())),
    })
}
