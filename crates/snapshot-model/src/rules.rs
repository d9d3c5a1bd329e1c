//! Endpoint rule sets (`smithy.rules#endpointRuleSet`) and operation context parameter paths
//! (`smithy.rules#operationContextParams`), read into types.
//!
//! A rule set declares parameters ([`RuleParameter`]: a type, an optional built-in such as
//! `AWS::Region`, an optional default) and an ordered list of [`Rule`]s. Each rule has
//! [`Condition`]s (function calls, optionally assigning their result to a name) and ends in an
//! endpoint, an error, or a tree of further rules. Expressions ([`Expr`]) are literals,
//! string [`Template`]s (`"https://{Region}.{PartitionResult#dnsSuffix}"`), references,
//! attribute reads (`getAttr`) and function calls ([`Function`]). The format is the Smithy
//! rules-engine specification, version 1.0; functions this crate does not know are kept as
//! [`Function::Other`] so that a newer rule set still loads.
//!
//! Nothing here evaluates rules; `snapshot-values` does, to pick member values the rules
//! accept.

use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;
use serde_json::Value;

/// A parsed `smithy.rules#endpointRuleSet`.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRuleSet {
    /// The parameters, in declaration order.
    pub parameters: IndexMap<String, RuleParameter>,
    /// The top-level rules, evaluated in order.
    pub rules: Vec<Rule>,
}

impl EndpointRuleSet {
    /// The names of the auth schemes any endpoint of the rule set lists in its
    /// `authSchemes` property (`sigv4`, `sigv4a`, `sigv4-s3express`), sorted.
    pub fn endpoint_auth_schemes(&self) -> std::collections::BTreeSet<String> {
        let mut names = std::collections::BTreeSet::new();
        let mut pending: Vec<&Rule> = self.rules.iter().collect();
        while let Some(rule) = pending.pop() {
            match &rule.kind {
                RuleKind::Tree(children) => pending.extend(children),
                RuleKind::Endpoint(endpoint) => {
                    let schemes = endpoint
                        .properties
                        .get("authSchemes")
                        .and_then(Value::as_array);
                    names.extend(
                        schemes
                            .into_iter()
                            .flatten()
                            .filter_map(|scheme| scheme.get("name").and_then(Value::as_str))
                            .map(str::to_owned),
                    );
                }
                RuleKind::Error(_) => {}
            }
        }
        names
    }
}

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `String` (also spelled `string`).
    String,
    /// `Boolean` (also spelled `boolean`).
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A value of a parameter: a default, a static context parameter, or a value bound at run time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleValue {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// A list of strings (`stringArray`).
    StringArray(Vec<String>),
}

impl RuleValue {
    fn from_json(value: &Value) -> Option<RuleValue> {
        match value {
            Value::String(text) => Some(RuleValue::String(text.clone())),
            Value::Bool(flag) => Some(RuleValue::Boolean(*flag)),
            Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(RuleValue::StringArray),
            _ => None,
        }
    }
}

/// One declared parameter of a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleParameter {
    /// Its type.
    pub kind: ParameterType,
    /// The SDK built-in that supplies it (`AWS::Region`, `SDK::Endpoint`), if any.
    pub built_in: Option<String>,
    /// Whether the rule set requires it to be set.
    pub required: bool,
    /// The value it has when nothing sets it.
    pub default: Option<RuleValue>,
}

/// One rule: conditions, then what it resolves to when they all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Conditions, evaluated in order; names assigned by one are visible to the next ones
    /// and to the rule's body.
    pub conditions: Vec<Condition>,
    /// What the rule resolves to.
    pub kind: RuleKind,
}

/// What a rule resolves to when its conditions hold.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// An endpoint.
    Endpoint(EndpointTemplate),
    /// An error with this message.
    Error(Expr),
    /// Further rules; one of them must match, or resolution fails.
    Tree(Vec<Rule>),
}

/// The endpoint a rule resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTemplate {
    /// The URL (a template or a reference).
    pub url: Expr,
    /// Endpoint properties (auth schemes and others), as written.
    pub properties: Value,
    /// Headers to add, by name.
    pub headers: BTreeMap<String, Vec<Expr>>,
}

/// A condition: a function call ([`Expr::Call`] or [`Expr::GetAttr`]), its result optionally
/// bound to a name.
///
/// The condition holds when the result is `true`, or, for functions returning an optional
/// value, when it is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The call.
    pub expr: Expr,
    /// The name the result is assigned to.
    pub assign: Option<String>,
}

/// A call of a rules-engine function.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionCall {
    /// The function.
    pub function: Function,
    /// Its arguments.
    pub args: Vec<Expr>,
}

/// The functions of the rules-engine standard library and the AWS extension.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Function {
    /// `isSet(value)`
    IsSet,
    /// `not(boolean)`
    Not,
    /// `booleanEquals(a, b)`
    BooleanEquals,
    /// `stringEquals(a, b)`
    StringEquals,
    /// `isValidHostLabel(value, allowSubDomains)`
    IsValidHostLabel,
    /// `substring(value, start, stop, reverse)`
    Substring,
    /// `uriEncode(value)`
    UriEncode,
    /// `parseURL(value)`
    ParseUrl,
    /// `split(value, delimiter, limit)`
    Split,
    /// `coalesce(a, b, ...)`
    Coalesce,
    /// `ite(condition, then, else)`
    Ite,
    /// `aws.partition(region)`
    Partition,
    /// `aws.parseArn(value)`
    ParseArn,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`
    IsVirtualHostableS3Bucket,
    /// A function this crate does not know, by name.
    Other(String),
}

impl Function {
    fn from_name(name: &str) -> Function {
        match name {
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "parseURL" => Function::ParseUrl,
            "split" => Function::Split,
            "coalesce" => Function::Coalesce,
            "ite" => Function::Ite,
            "aws.partition" => Function::Partition,
            "aws.parseArn" => Function::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::IsVirtualHostableS3Bucket,
            other => Function::Other(other.to_owned()),
        }
    }

    /// The name as written in rule sets (`aws.parseArn`).
    pub fn name(&self) -> &str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::Split => "split",
            Function::Coalesce => "coalesce",
            Function::Ite => "ite",
            Function::Partition => "aws.partition",
            Function::ParseArn => "aws.parseArn",
            Function::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Function::Other(name) => name,
        }
    }
}

/// An expression of the rules language.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal, which may contain `{...}` references.
    String(Template),
    /// A boolean literal.
    Boolean(bool),
    /// An integer literal.
    Integer(i64),
    /// An array literal.
    Array(Vec<Expr>),
    /// A record literal.
    Record(BTreeMap<String, Expr>),
    /// A reference to a parameter or an assigned name.
    Ref(String),
    /// `getAttr(target, "path")`.
    GetAttr {
        /// The record or array read.
        target: Box<Expr>,
        /// The attribute path.
        path: AttrPath,
    },
    /// Any other function call.
    Call(FunctionCall),
}

/// A string template: text with `{Name}` and `{Name#path}` references (`{{`/`}}` escape braces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The parts, in order.
    pub parts: Vec<TemplatePart>,
}

/// One part of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// `{Name}`: the value of a parameter or assigned name.
    Ref(String),
    /// `{Name#path}`: an attribute of one.
    Attr {
        /// The name read.
        reference: String,
        /// The attribute path.
        path: AttrPath,
    },
}

impl Template {
    /// Parses template text.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => inner.push(c),
                            None => return Err(format!("unclosed `{{` in template `{text}`")),
                        }
                    }
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(match inner.split_once('#') {
                        Some((reference, path)) => TemplatePart::Attr {
                            reference: reference.to_owned(),
                            path: AttrPath::parse(path)?,
                        },
                        None => TemplatePart::Ref(inner),
                    });
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        Ok(Template { parts })
    }

    /// The text when the template has no references.
    pub fn as_literal(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A `getAttr` path: `name`, `resourceId[0]`, `a.b[1]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttrPath(pub Vec<AttrStep>);

/// One step of an [`AttrPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttrStep {
    /// A record field.
    Key(String),
    /// An array element, zero-based.
    Index(usize),
}

impl AttrPath {
    /// Parses `a.b[1]`.
    pub fn parse(text: &str) -> Result<AttrPath, String> {
        let mut steps = Vec::new();
        for segment in text.split('.') {
            let (key, mut rest) = match segment.find('[') {
                Some(at) => segment.split_at(at),
                None => (segment, ""),
            };
            if !key.is_empty() {
                steps.push(AttrStep::Key(key.to_owned()));
            }
            while let Some(open) = rest.strip_prefix('[') {
                let (index, after) = open
                    .split_once(']')
                    .ok_or_else(|| format!("unclosed `[` in attribute path `{text}`"))?;
                let index = index
                    .parse()
                    .map_err(|_| format!("`{index}` is not an index in attribute path `{text}`"))?;
                steps.push(AttrStep::Index(index));
                rest = after;
            }
            if !rest.is_empty() {
                return Err(format!("unexpected `{rest}` in attribute path `{text}`"));
            }
        }
        if steps.is_empty() {
            return Err("empty attribute path".to_owned());
        }
        Ok(AttrPath(steps))
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, step) in self.0.iter().enumerate() {
            match step {
                AttrStep::Key(key) if position == 0 => f.write_str(key)?,
                AttrStep::Key(key) => write!(f, ".{key}")?,
                AttrStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Reads a rule set from its trait value.
pub(crate) fn parse_rule_set(value: &Value) -> Result<EndpointRuleSet, String> {
    let parameters = value
        .get("parameters")
        .and_then(Value::as_object)
        .ok_or("expected an object `parameters`")?
        .iter()
        .map(|(name, parameter)| {
            parse_parameter(parameter)
                .map(|parameter| (name.clone(), parameter))
                .map_err(|reason| format!("parameter `{name}`: {reason}"))
        })
        .collect::<Result<IndexMap<_, _>, _>>()?;
    let rules = parse_rules(value.get("rules"))?;
    Ok(EndpointRuleSet { parameters, rules })
}

fn parse_parameter(value: &Value) -> Result<RuleParameter, String> {
    let kind = match value.get("type").and_then(Value::as_str) {
        Some("String" | "string") => ParameterType::String,
        Some("Boolean" | "boolean") => ParameterType::Boolean,
        Some("stringArray" | "StringArray") => ParameterType::StringArray,
        other => return Err(format!("unknown parameter type {other:?}")),
    };
    let default = match value.get("default") {
        None | Some(Value::Null) => None,
        Some(default) => Some(
            RuleValue::from_json(default).ok_or_else(|| format!("invalid default `{default}`"))?,
        ),
    };
    Ok(RuleParameter {
        kind,
        built_in: value
            .get("builtIn")
            .and_then(Value::as_str)
            .map(str::to_owned),
        required: value
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        default,
    })
}

fn parse_rules(value: Option<&Value>) -> Result<Vec<Rule>, String> {
    value
        .and_then(Value::as_array)
        .ok_or("expected an array `rules`")?
        .iter()
        .map(parse_rule)
        .collect()
}

fn parse_rule(value: &Value) -> Result<Rule, String> {
    let conditions = match value.get("conditions") {
        None => Vec::new(),
        Some(conditions) => conditions
            .as_array()
            .ok_or("`conditions` must be an array")?
            .iter()
            .map(parse_condition)
            .collect::<Result<_, _>>()?,
    };
    let kind = match value.get("type").and_then(Value::as_str) {
        Some("endpoint") => {
            let endpoint = value
                .get("endpoint")
                .ok_or("endpoint rule without `endpoint`")?;
            let headers = match endpoint.get("headers").and_then(Value::as_object) {
                None => BTreeMap::new(),
                Some(headers) => headers
                    .iter()
                    .map(|(name, values)| {
                        let values = values
                            .as_array()
                            .ok_or_else(|| format!("header `{name}` must be an array"))?
                            .iter()
                            .map(parse_expr)
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok((name.clone(), values))
                    })
                    .collect::<Result<_, String>>()?,
            };
            RuleKind::Endpoint(EndpointTemplate {
                url: parse_expr(endpoint.get("url").ok_or("endpoint without `url`")?)?,
                properties: endpoint.get("properties").cloned().unwrap_or(Value::Null),
                headers,
            })
        }
        Some("error") => RuleKind::Error(parse_expr(
            value.get("error").ok_or("error rule without `error`")?,
        )?),
        Some("tree") => RuleKind::Tree(parse_rules(value.get("rules"))?),
        other => return Err(format!("unknown rule type {other:?}")),
    };
    Ok(Rule { conditions, kind })
}

fn parse_condition(value: &Value) -> Result<Condition, String> {
    Ok(Condition {
        expr: parse_call(value)?,
        assign: assign(value),
    })
}

fn assign(value: &Value) -> Option<String> {
    value
        .get("assign")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn parse_call(value: &Value) -> Result<Expr, String> {
    let name = value
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("expected a function call, found `{value}`"))?;
    let args = value
        .get("argv")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("call of `{name}` without `argv`"))?
        .iter()
        .map(parse_expr)
        .collect::<Result<Vec<_>, _>>()?;
    if name == "getAttr" {
        let [target, Expr::String(path)] = <[Expr; 2]>::try_from(args)
            .map_err(|_| "getAttr takes a value and a path".to_owned())?
        else {
            return Err("the path of getAttr must be a string literal".to_owned());
        };
        let path = path
            .as_literal()
            .ok_or("the path of getAttr must not contain references")?;
        return Ok(Expr::GetAttr {
            target: Box::new(target),
            path: AttrPath::parse(&path)?,
        });
    }
    Ok(Expr::Call(FunctionCall {
        function: Function::from_name(name),
        args,
    }))
}

fn parse_expr(value: &Value) -> Result<Expr, String> {
    match value {
        Value::String(text) => Template::parse(text).map(Expr::String),
        Value::Bool(flag) => Ok(Expr::Boolean(*flag)),
        Value::Number(number) => number
            .as_i64()
            .map(Expr::Integer)
            .ok_or_else(|| format!("`{number}` is not an integer")),
        Value::Array(items) => items
            .iter()
            .map(parse_expr)
            .collect::<Result<_, _>>()
            .map(Expr::Array),
        Value::Object(object) if object.contains_key("ref") => object
            .get("ref")
            .and_then(Value::as_str)
            .map(|name| Expr::Ref(name.to_owned()))
            .ok_or_else(|| format!("invalid reference `{value}`")),
        Value::Object(object) if object.contains_key("fn") => parse_call(value),
        Value::Object(object) => object
            .iter()
            .map(|(key, item)| parse_expr(item).map(|item| (key.clone(), item)))
            .collect::<Result<_, _>>()
            .map(Expr::Record),
        Value::Null => Err("null is not an expression".to_owned()),
    }
}

/// A `smithy.rules#operationContextParams` path: the subset of JMESPath the trait allows
/// (field access, `[*]` projections, `keys(...)`, multi-select lists and `[]` flattening).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextPath {
    /// Steps applied in order, starting from the operation input.
    Steps(Vec<PathStep>),
    /// `keys(path)`: the keys of the map at `path`.
    Keys(Vec<PathStep>),
    /// An expression outside the subset, as written.
    Unsupported(String),
}

/// One step of a [`ContextPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// `.Member`
    Field(String),
    /// `[*]`: every element of a list; later steps apply to each.
    Wildcard,
    /// `[a.b, c]`: a list of the results of each sub-path.
    MultiSelect(Vec<Vec<PathStep>>),
    /// `[]`: flatten one level of nested lists.
    Flatten,
}

impl ContextPath {
    /// Parses a path; text outside the supported subset gives [`ContextPath::Unsupported`].
    pub fn parse(text: &str) -> ContextPath {
        let trimmed = text.trim();
        let parsed = match trimmed
            .strip_prefix("keys(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            Some(inner) => parse_steps(inner.trim()).map(ContextPath::Keys),
            None => parse_steps(trimmed).map(ContextPath::Steps),
        };
        parsed.unwrap_or_else(|| ContextPath::Unsupported(text.to_owned()))
    }

    /// The member names of a path made only of field accesses (`A.B`), which is a single
    /// place a value can be written to.
    pub fn fields(&self) -> Option<Vec<&str>> {
        let ContextPath::Steps(steps) = self else {
            return None;
        };
        steps
            .iter()
            .map(|step| match step {
                PathStep::Field(name) => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn parse_steps(text: &str) -> Option<Vec<PathStep>> {
    let mut steps = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[*]") {
            steps.push(PathStep::Wildcard);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("[]") {
            steps.push(PathStep::Flatten);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            let selections = after[..close]
                .split(',')
                .map(|part| parse_steps(part.trim()))
                .collect::<Option<Vec<_>>>()?;
            steps.push(PathStep::MultiSelect(selections));
            rest = &after[close + 1..];
        } else {
            let body = rest.strip_prefix('.').unwrap_or(rest);
            if body.starts_with('[') && body.len() < rest.len() {
                // `.[a, b]`: a multi-select after a projection.
                rest = body;
                continue;
            }
            let end = body.find(['.', '[']).unwrap_or(body.len());
            let name = &body[..end];
            let identifier = name.chars().next()?.is_ascii_alphabetic()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !identifier {
                return None;
            }
            steps.push(PathStep::Field(name.to_owned()));
            rest = &body[end..];
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// Reads a `staticContextParams` value (`{"value": ...}`).
pub(crate) fn static_value(value: &Value) -> Result<RuleValue, String> {
    let inner = value
        .get("value")
        .ok_or("expected an object with `value`")?;
    RuleValue::from_json(inner)
        .ok_or_else(|| format!("`{inner}` is not a string, boolean or list of strings"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_text_and_references() {
        let template = Template::parse("https://{Bucket}.s3.{Region}.{P#dnsSuffix}{{x}}").unwrap();
        assert_eq!(
            template.parts,
            vec![
                TemplatePart::Text("https://".into()),
                TemplatePart::Ref("Bucket".into()),
                TemplatePart::Text(".s3.".into()),
                TemplatePart::Ref("Region".into()),
                TemplatePart::Text(".".into()),
                TemplatePart::Attr {
                    reference: "P".into(),
                    path: AttrPath(vec![AttrStep::Key("dnsSuffix".into())]),
                },
                TemplatePart::Text("{x}".into()),
            ]
        );
        assert!(Template::parse("{open").is_err());
        assert_eq!(
            Template::parse("plain").unwrap().as_literal().as_deref(),
            Some("plain")
        );
    }

    #[test]
    fn attribute_paths_read_keys_and_indices() {
        let path = AttrPath::parse("resourceId[1]").unwrap();
        assert_eq!(
            path.0,
            vec![AttrStep::Key("resourceId".into()), AttrStep::Index(1)]
        );
        assert_eq!(path.to_string(), "resourceId[1]");
        assert!(AttrPath::parse("a[x]").is_err());
        assert!(AttrPath::parse("").is_err());
    }

    #[test]
    fn context_paths_cover_the_jmespath_subset() {
        assert_eq!(
            ContextPath::parse("TableCreationParameters.TableName").fields(),
            Some(vec!["TableCreationParameters", "TableName"])
        );
        assert_eq!(
            ContextPath::parse("keys(RequestItems)"),
            ContextPath::Keys(vec![PathStep::Field("RequestItems".into())])
        );
        assert_eq!(
            ContextPath::parse("Items[*].[A.Name, B.Name][]"),
            ContextPath::Steps(vec![
                PathStep::Field("Items".into()),
                PathStep::Wildcard,
                PathStep::MultiSelect(vec![
                    vec![PathStep::Field("A".into()), PathStep::Field("Name".into())],
                    vec![PathStep::Field("B".into()), PathStep::Field("Name".into())],
                ]),
                PathStep::Flatten,
            ])
        );
        assert!(matches!(
            ContextPath::parse("Items[?x == 'y']"),
            ContextPath::Unsupported(_)
        ));
    }
}
