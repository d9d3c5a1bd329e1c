//! Finding values for the parameters bound to input members so that a rule set resolves to an
//! endpoint.
//!
//! The rules are walked depth first, in order. Along each path that ends in an endpoint rule,
//! every condition is evaluated with the fixed parameters (region, built-ins, static context
//! parameters) known and the member-bound parameters free: a condition that is false with the
//! known values cuts the path; one that reads a free parameter becomes a [`Constraint`] on it
//! (a host label, an ARN whose service, region, account and resource type are fixed by later
//! conditions on the parsed ARN, a string or boolean equality). At the end of a path each free
//! parameter gets a value satisfying its constraints, and the whole rule set is evaluated again
//! with those values: the first path whose values really resolve to an endpoint wins. Earlier
//! rules that would match first, and conditions this module cannot read, are thereby checked
//! by evaluation, not assumed.

use std::collections::BTreeMap;

use snapshot_model::rules::{
    AttrPath, AttrStep, Condition, EndpointRuleSet, Expr, Function, FunctionCall, ParameterType,
    Rule, RuleKind, TemplatePart,
};

use super::eval::{self, Resolution, Scope, Unsupported, Val};
use super::functions;
use crate::host_label;

/// The account id of synthesized ARNs (the built-in `AccountId` override).
pub(crate) const ARN_ACCOUNT: &str = "123456789012";

/// How many candidate assignments are evaluated before giving up.
const MAX_ATTEMPTS: usize = 500;

/// A parameter whose value comes from an input member that is set.
#[derive(Debug, Clone)]
pub(crate) struct FreeParam {
    /// The parameter name.
    pub(crate) name: String,
    /// Its declared type.
    pub(crate) kind: ParameterType,
    /// The generated value.
    pub(crate) current: Val,
    /// The member name, for names in synthesized values (`StreamARN` → `streamarn`).
    pub(crate) member: String,
}

/// What is solved: the rule set, the fixed parameter values and the free ones.
pub(crate) struct Problem<'a> {
    pub(crate) rules: &'a EndpointRuleSet,
    pub(crate) fixed: Scope,
    pub(crate) free: Vec<FreeParam>,
    /// The service's ARN namespace, the default service of synthesized ARNs.
    pub(crate) arn_namespace: Option<&'a str>,
    /// The region the client is configured with.
    pub(crate) region: &'a str,
}

/// Values for the free parameters and the endpoint they resolve to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Solution {
    /// New values of the free parameters that had to change.
    pub(crate) changed: BTreeMap<String, Val>,
    /// The resolved URL.
    pub(crate) url: String,
}

/// A part of a free parameter a condition reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// The value itself.
    Whole,
    /// An attribute of the value parsed as an ARN (`service`, `resourceId[0]`).
    ArnAttr(Vec<AttrKey>),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum AttrKey {
    Key(String),
    Index(usize),
}

fn attr_keys(path: &AttrPath) -> Vec<AttrKey> {
    path.0
        .iter()
        .map(|step| match step {
            AttrStep::Key(key) => AttrKey::Key(key.clone()),
            AttrStep::Index(index) => AttrKey::Index(*index),
        })
        .collect()
}

/// What one condition requires of a part of a free parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Constraint {
    Equals(String),
    NotEquals(String),
    BoolEquals(bool),
    HostLabel {
        dots: bool,
    },
    NotHostLabel,
    Bucket {
        dots: bool,
    },
    IsArn,
    NotArn,
    /// An ARN attribute (a resource segment) is present.
    Exists,
}

impl Constraint {
    fn negated(&self) -> Option<Constraint> {
        Some(match self {
            Constraint::Equals(text) => Constraint::NotEquals(text.clone()),
            Constraint::NotEquals(text) => Constraint::Equals(text.clone()),
            Constraint::BoolEquals(flag) => Constraint::BoolEquals(!flag),
            Constraint::HostLabel { .. } => Constraint::NotHostLabel,
            Constraint::IsArn => Constraint::NotArn,
            Constraint::NotHostLabel
            | Constraint::Bucket { .. }
            | Constraint::NotArn
            | Constraint::Exists => return None,
        })
    }
}

/// A value during the symbolic walk.
#[derive(Debug, Clone)]
enum Sym {
    /// Known (`None`: unset).
    Known(Option<Val>),
    /// A part of a free parameter.
    Free { param: String, part: Part },
    /// A free parameter parsed as an ARN.
    Arn { param: String },
    /// Depends on free parameters in a way this module does not model.
    Opaque,
}

/// A condition's effect on a path.
enum Effect {
    Holds(bool),
    Requires(String, Part, Constraint),
    Unknown,
}

type Constraints = Vec<(String, Part, Constraint)>;

struct Walk<'p, 'a> {
    problem: &'p Problem<'a>,
    attempts: usize,
}

/// Values for the free parameters that make the rule set resolve to an endpoint: the generated
/// ones when they already do, else the first path's synthesized values that do; `None` when no
/// path within [`MAX_ATTEMPTS`] resolves.
pub(crate) fn solve(problem: &Problem<'_>) -> Result<Option<Solution>, Unsupported> {
    let current: BTreeMap<String, Val> = problem
        .free
        .iter()
        .map(|param| (param.name.clone(), param.current.clone()))
        .collect();
    if let Resolution::Endpoint(url) =
        eval::resolve(problem.rules, &with(&problem.fixed, &current))?
    {
        return Ok(Some(Solution {
            changed: BTreeMap::new(),
            url,
        }));
    }
    let mut scope: BTreeMap<String, Sym> = problem
        .fixed
        .iter()
        .map(|(name, value)| (name.clone(), Sym::Known(Some(value.clone()))))
        .collect();
    for param in &problem.free {
        scope.insert(
            param.name.clone(),
            Sym::Free {
                param: param.name.clone(),
                part: Part::Whole,
            },
        );
    }
    let mut walk = Walk {
        problem,
        attempts: 0,
    };
    walk.rules(&problem.rules.rules, &scope, &Vec::new())
}

fn with(fixed: &Scope, values: &BTreeMap<String, Val>) -> Scope {
    let mut scope = fixed.clone();
    scope.extend(
        values
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    scope
}

impl Walk<'_, '_> {
    fn rules(
        &mut self,
        rules: &[Rule],
        scope: &BTreeMap<String, Sym>,
        constraints: &Constraints,
    ) -> Result<Option<Solution>, Unsupported> {
        // Rules passed over must not match first: their negated conditions join the later
        // siblings' paths.
        let mut avoided = constraints.clone();
        for rule in rules {
            if self.attempts >= MAX_ATTEMPTS {
                return Ok(None);
            }
            let mut inner_scope = scope.clone();
            let mut inner = avoided.clone();
            if self.conditions(&rule.conditions, &mut inner_scope, &mut inner)? {
                let found = match &rule.kind {
                    RuleKind::Endpoint(_) => self.attempt(&inner)?,
                    RuleKind::Error(_) => None,
                    RuleKind::Tree(children) => self.rules(children, &inner_scope, &inner)?,
                };
                if found.is_some() {
                    return Ok(found);
                }
            }
            if let Some(avoid) = self.avoidance(&rule.conditions, scope)? {
                avoided.push(avoid);
            }
        }
        Ok(None)
    }

    /// A constraint under which `conditions` do not all hold: the negation of the only one
    /// that depends on a free parameter, when the others hold with known values.
    fn avoidance(
        &self,
        conditions: &[Condition],
        scope: &BTreeMap<String, Sym>,
    ) -> Result<Option<(String, Part, Constraint)>, Unsupported> {
        let mut scope = scope.clone();
        let mut free = None;
        for condition in conditions {
            let (effect, value) = self.effect(&condition.expr, &scope)?;
            match effect {
                Effect::Holds(false) => return Ok(None),
                Effect::Holds(true) => {}
                Effect::Requires(param, part, constraint) if free.is_none() => {
                    free = Some((param, part, constraint));
                }
                Effect::Requires(..) | Effect::Unknown => return Ok(None),
            }
            if let Some(name) = &condition.assign {
                scope.insert(name.clone(), value);
            }
        }
        Ok(free.and_then(|(param, part, constraint)| {
            constraint.negated().map(|negated| (param, part, negated))
        }))
    }

    /// Applies conditions along a path; false when one is false with known values.
    fn conditions(
        &self,
        conditions: &[Condition],
        scope: &mut BTreeMap<String, Sym>,
        constraints: &mut Constraints,
    ) -> Result<bool, Unsupported> {
        for condition in conditions {
            let (effect, value) = self.effect(&condition.expr, scope)?;
            match effect {
                Effect::Holds(false) => return Ok(false),
                Effect::Holds(true) | Effect::Unknown => {}
                Effect::Requires(param, part, constraint) => {
                    if constraints
                        .iter()
                        .any(|(p, q, c)| p == &param && q == &part && contradicts(c, &constraint))
                    {
                        return Ok(false);
                    }
                    constraints.push((param, part, constraint));
                }
            }
            if let Some(name) = &condition.assign {
                scope.insert(name.clone(), value);
            }
        }
        Ok(true)
    }

    fn attempt(&mut self, constraints: &Constraints) -> Result<Option<Solution>, Unsupported> {
        self.attempts += 1;
        let problem = self.problem;
        let values: BTreeMap<String, Val> = problem
            .free
            .iter()
            .map(|param| (param.name.clone(), self.synthesize(param, constraints)))
            .collect();
        match eval::resolve(problem.rules, &with(&problem.fixed, &values))? {
            Resolution::Endpoint(url) => Ok(Some(Solution {
                changed: values
                    .into_iter()
                    .filter(|(name, value)| {
                        problem
                            .free
                            .iter()
                            .any(|param| &param.name == name && &param.current != value)
                    })
                    .collect(),
                url,
            })),
            Resolution::Error(_) => Ok(None),
        }
    }

    /// The effect of a condition and the value it assigns.
    fn effect(
        &self,
        expr: &Expr,
        scope: &BTreeMap<String, Sym>,
    ) -> Result<(Effect, Sym), Unsupported> {
        let Expr::Call(call) = expr else {
            let value = symbolic(expr, scope)?;
            let effect = match &value {
                Sym::Known(value) => Effect::Holds(truthy(value)),
                Sym::Free {
                    param,
                    part: part @ Part::ArnAttr(_),
                } => Effect::Requires(param.clone(), part.clone(), Constraint::Exists),
                _ => Effect::Unknown,
            };
            return Ok((effect, value));
        };
        if call.function == Function::Not {
            let [inner] = call.args.as_slice() else {
                return Ok((Effect::Unknown, Sym::Opaque));
            };
            let (effect, _) = self.effect(inner, scope)?;
            let effect = match effect {
                Effect::Holds(flag) => Effect::Holds(!flag),
                Effect::Requires(param, part, constraint) => match constraint.negated() {
                    Some(negated) => Effect::Requires(param, part, negated),
                    None => Effect::Unknown,
                },
                Effect::Unknown => Effect::Unknown,
            };
            let value = match effect {
                Effect::Holds(flag) => Sym::Known(Some(Val::Bool(flag))),
                _ => Sym::Opaque,
            };
            return Ok((effect, value));
        }
        let args = call
            .args
            .iter()
            .map(|arg| symbolic(arg, scope))
            .collect::<Result<Vec<_>, _>>()?;
        if args.iter().all(|arg| matches!(arg, Sym::Known(_))) {
            let known = args
                .into_iter()
                .map(|arg| match arg {
                    Sym::Known(value) => value,
                    _ => None,
                })
                .collect();
            let value = eval::apply(&call.function, known)?;
            return Ok((Effect::Holds(truthy(&value)), Sym::Known(value)));
        }
        Ok(constraint_of(call, &args))
    }

    fn synthesize(&self, param: &FreeParam, constraints: &Constraints) -> Val {
        let mine = |part: &Part| -> Vec<&Constraint> {
            constraints
                .iter()
                .filter(|(name, p, _)| name == &param.name && p == part)
                .map(|(_, _, constraint)| constraint)
                .collect()
        };
        let whole = mine(&Part::Whole);
        if param.kind == ParameterType::Boolean {
            return whole
                .iter()
                .find_map(|constraint| match constraint {
                    Constraint::BoolEquals(flag) => Some(Val::Bool(*flag)),
                    _ => None,
                })
                .unwrap_or_else(|| param.current.clone());
        }
        if param.kind != ParameterType::String {
            return param.current.clone();
        }
        if let Some(text) = whole.iter().find_map(|constraint| match constraint {
            Constraint::Equals(text) => Some(text.clone()),
            _ => None,
        }) {
            return Val::Str(text);
        }
        if whole.contains(&&Constraint::IsArn) {
            return Val::Str(self.arn(param, constraints));
        }
        let current = match &param.current {
            Val::Str(text) => text.clone(),
            _ => String::new(),
        };
        let label = host_label(&param.member);
        for constraint in &whole {
            match constraint {
                Constraint::Bucket { dots }
                    if !functions::is_virtual_hostable_s3_bucket(&current, *dots) =>
                {
                    return Val::Str(format!("{label:a<3}"));
                }
                Constraint::HostLabel { dots }
                    if !functions::is_valid_host_label(&current, *dots) =>
                {
                    return Val::Str(label);
                }
                _ => {}
            }
        }
        param.current.clone()
    }

    /// An ARN meeting the constraints on its attributes: `arn:<partition>:<service>:<region>:
    /// <account>:<resource>`, defaulting to the region's partition, the service's ARN namespace,
    /// the configured region and [`ARN_ACCOUNT`]; the resource has every segment a condition
    /// reads (as required, else the member name as a label) and one more naming the resource.
    fn arn(&self, param: &FreeParam, constraints: &Constraints) -> String {
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        let mut segments: BTreeMap<usize, String> = BTreeMap::new();
        let mut last_read = None;
        for (name, part, constraint) in constraints {
            let (true, Part::ArnAttr(keys)) = (name == &param.name, part) else {
                continue;
            };
            let equals = match constraint {
                Constraint::Equals(text) => Some(text.clone()),
                _ => None,
            };
            match keys.as_slice() {
                [AttrKey::Key(field)] if field != "resourceId" => {
                    if let Some(text) = equals {
                        fields.insert(field.clone(), text);
                    }
                }
                [AttrKey::Key(field), AttrKey::Index(index)] if field == "resourceId" => {
                    last_read = last_read.max(Some(*index));
                    if let Some(text) = equals {
                        segments.insert(*index, text);
                    }
                }
                _ => {}
            }
        }
        let label = host_label(&param.member);
        let partition = match functions::partition(self.problem.region) {
            Val::Record(record) => match record.get("name") {
                Some(Val::Str(name)) => name.clone(),
                _ => "aws".to_owned(),
            },
            _ => "aws".to_owned(),
        };
        let field = |name: &str, default: String| fields.get(name).cloned().unwrap_or(default);
        let count = last_read.map_or(1, |last| last + 2);
        let resource: Vec<String> = (0..count)
            .map(|index| {
                segments
                    .get(&index)
                    .cloned()
                    .unwrap_or_else(|| label.clone())
            })
            .collect();
        format!(
            "arn:{}:{}:{}:{}:{}",
            field("partition", partition),
            field(
                "service",
                self.problem.arn_namespace.unwrap_or("service").to_owned()
            ),
            field("region", self.problem.region.to_owned()),
            field("accountId", ARN_ACCOUNT.to_owned()),
            resource.join("/")
        )
    }
}

fn contradicts(existing: &Constraint, new: &Constraint) -> bool {
    match (existing, new) {
        (Constraint::Equals(a), Constraint::Equals(b)) => a != b,
        (Constraint::Equals(a), Constraint::NotEquals(b))
        | (Constraint::NotEquals(a), Constraint::Equals(b)) => a == b,
        (Constraint::BoolEquals(a), Constraint::BoolEquals(b)) => a != b,
        (Constraint::IsArn, Constraint::NotArn) | (Constraint::NotArn, Constraint::IsArn) => true,
        (Constraint::HostLabel { .. }, Constraint::NotHostLabel)
        | (Constraint::NotHostLabel, Constraint::HostLabel { .. }) => true,
        _ => false,
    }
}

fn truthy(value: &Option<Val>) -> bool {
    !matches!(value, None | Some(Val::Bool(false)))
}

/// The constraint a call with free arguments puts on a parameter, and the value it yields.
fn constraint_of(call: &FunctionCall, args: &[Sym]) -> (Effect, Sym) {
    let known_text = |sym: &Sym| match sym {
        Sym::Known(Some(Val::Str(text))) => Some(text.clone()),
        _ => None,
    };
    let known_flag = |sym: Option<&Sym>| match sym {
        Some(Sym::Known(Some(Val::Bool(flag)))) => Some(*flag),
        _ => None,
    };
    let require = |sym: &Sym, constraint: Constraint| match sym {
        Sym::Free { param, part } => Effect::Requires(param.clone(), part.clone(), constraint),
        _ => Effect::Unknown,
    };
    let opaque = |effect| (effect, Sym::Opaque);
    match (&call.function, args) {
        (
            Function::IsSet,
            [Sym::Free {
                param,
                part: part @ Part::ArnAttr(_),
            }],
        ) => opaque(Effect::Requires(
            param.clone(),
            part.clone(),
            Constraint::Exists,
        )),
        (Function::IsSet, [Sym::Free { .. } | Sym::Arn { .. }]) => opaque(Effect::Holds(true)),
        (Function::StringEquals, [a, b]) => match (known_text(a), known_text(b)) {
            (Some(text), None) => opaque(require(b, Constraint::Equals(text))),
            (None, Some(text)) => opaque(require(a, Constraint::Equals(text))),
            _ => opaque(Effect::Unknown),
        },
        (Function::BooleanEquals, [a, b]) => match (known_flag(Some(a)), known_flag(Some(b))) {
            (Some(flag), None) => opaque(require(b, Constraint::BoolEquals(flag))),
            (None, Some(flag)) => opaque(require(a, Constraint::BoolEquals(flag))),
            _ => opaque(Effect::Unknown),
        },
        (Function::IsValidHostLabel, [value, ..]) => opaque(require(
            value,
            Constraint::HostLabel {
                dots: known_flag(args.get(1)).unwrap_or(false),
            },
        )),
        (Function::IsVirtualHostableS3Bucket, [value, ..]) => opaque(require(
            value,
            Constraint::Bucket {
                dots: known_flag(args.get(1)).unwrap_or(false),
            },
        )),
        (
            Function::ParseArn,
            [Sym::Free {
                param,
                part: Part::Whole,
            }],
        ) => (
            Effect::Requires(param.clone(), Part::Whole, Constraint::IsArn),
            Sym::Arn {
                param: param.clone(),
            },
        ),
        _ => opaque(Effect::Unknown),
    }
}

/// The symbolic value of an expression.
fn symbolic(expr: &Expr, scope: &BTreeMap<String, Sym>) -> Result<Sym, Unsupported> {
    Ok(match expr {
        Expr::Ref(name) => scope.get(name).cloned().unwrap_or(Sym::Known(None)),
        Expr::GetAttr { target, path } => attr(symbolic(target, scope)?, path),
        Expr::String(template) if template.parts.len() == 1 => match &template.parts[0] {
            TemplatePart::Ref(name) => scope.get(name).cloned().unwrap_or(Sym::Known(None)),
            TemplatePart::Attr { reference, path } => attr(
                scope.get(reference).cloned().unwrap_or(Sym::Known(None)),
                path,
            ),
            TemplatePart::Text(_) => Sym::Known(eval::evaluate(expr, &Scope::new())?),
        },
        _ => {
            let mut names = Vec::new();
            references(expr, &mut names);
            // Known values go into the scope, unset ones stay out of it; any free one makes
            // the whole expression opaque.
            let known: Option<Scope> = names
                .into_iter()
                .filter_map(|name| match scope.get(&name) {
                    Some(Sym::Known(Some(value))) => Some(Some((name, value.clone()))),
                    Some(Sym::Known(None)) | None => None,
                    Some(_) => Some(None),
                })
                .collect();
            match known {
                Some(known) => Sym::Known(eval::evaluate(expr, &known)?),
                None => Sym::Opaque,
            }
        }
    })
}

fn attr(target: Sym, path: &AttrPath) -> Sym {
    match target {
        Sym::Known(value) => Sym::Known(value.and_then(|value| eval::attribute(&value, path))),
        Sym::Arn { param } => Sym::Free {
            param,
            part: Part::ArnAttr(attr_keys(path)),
        },
        Sym::Free {
            param,
            part: Part::ArnAttr(mut keys),
        } => {
            keys.extend(attr_keys(path));
            Sym::Free {
                param,
                part: Part::ArnAttr(keys),
            }
        }
        Sym::Free { .. } | Sym::Opaque => Sym::Opaque,
    }
}

/// Every name an expression reads.
fn references(expr: &Expr, names: &mut Vec<String>) {
    match expr {
        Expr::Ref(name) => names.push(name.clone()),
        Expr::String(template) => {
            for part in &template.parts {
                match part {
                    TemplatePart::Ref(name)
                    | TemplatePart::Attr {
                        reference: name, ..
                    } => names.push(name.clone()),
                    TemplatePart::Text(_) => {}
                }
            }
        }
        Expr::GetAttr { target, .. } => references(target, names),
        Expr::Call(call) => call.args.iter().for_each(|arg| references(arg, names)),
        Expr::Array(items) => items.iter().for_each(|item| references(item, names)),
        Expr::Record(fields) => fields.values().for_each(|field| references(field, names)),
        Expr::Boolean(_) | Expr::Integer(_) => {}
    }
}
