//! Why a mutant survived: the kinds of issue 14, told apart from the mutant, the client's
//! source around it and the Smithy model.
//!
//! The source says which member a line handles: smithy-rs writes the member's shape id in a
//! comment beside each XML element match (`/* Credentials ns#AssumeRoleOutput$Credentials */`,
//! with the synthetic `<Operation>Output`/`Input` shapes in a `.synthetic` namespace), and the
//! wire name as a string literal elsewhere (`"roleCredentials" =>` in JSON parsers,
//! `.key("RoleArn")`, `.prefix("RoleArn")`, `.start_el("RoleArn")`, `.matches("RoleArn")`).

use std::collections::BTreeSet;
use std::fmt;

use snapshot_model::{Member, ServiceIndex, Shape, ShapeId};

use super::catalog::Mutant;

/// Why a surviving mutant was not caught.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SurvivorKind {
    /// In an operation's error dispatch (`de_<operation>_http_error`): each error shape is
    /// replayed through the first operation declaring it only, so the other operations'
    /// arms never run.
    ErrorDispatch {
        /// The dispatch function.
        function: String,
    },
    /// A match guard turned `true` swallows every element after it; only an element the model
    /// does not name (which no generated response has) would reach the arm it hides.
    UnknownElementGuard,
    /// The nesting depth passed to a nested parser (`depth + 1`) changed: only a response
    /// nested past the parsers' depth limit (128) would show it.
    DepthCounter {
        /// The shape the nested parser reads (`de_<shape>` on the mutant's line), when the
        /// model has one of that name.
        nested: Option<String>,
        /// Whether the mutant is equivalent: no shape reachable from `nested` is recursive and
        /// fewer than 128 aggregates are, so nothing the client reads through that parser
        /// nests deep enough for the counter's value to matter.
        equivalent: bool,
    },
    /// The arm that reads a JSON `null` (`Token::ValueNull`) changed: no generated response
    /// sends a `null`.
    NullValue,
    /// An error shape's parser lost its `message` (or all of it): the dispatch fills a missing
    /// message from the error metadata (`<Message>`, `message`), which carries the same text
    /// in every generated error response.
    ErrorMessageFallback,
    /// The client handles a member the model does not have, so no generated value sets it.
    MemberModelLacks {
        /// The member (`ns#Shape$Member`) or the wire name the source names.
        member: String,
    },
    /// The member's value is `@sensitive` (or holds sensitive parts): the output's `Debug`
    /// text redacts it, so a snapshot of that text cannot see it change.
    SensitiveMember {
        /// The member.
        member: String,
    },
    /// None of the above: a gap in the cases to read from the diff.
    Other,
}

impl SurvivorKind {
    /// The headings of the kinds, in the order reports list them.
    pub const HEADINGS: [&'static str; 8] = [
        "error arm only reached through another operation",
        "unknown-element guard",
        "nesting-depth counter",
        "null value",
        "error message with a fallback",
        "member the model lacks",
        "sensitive member",
        "other",
    ];

    /// A short heading for the kind (one of [`SurvivorKind::HEADINGS`]).
    pub fn heading(&self) -> &'static str {
        match self {
            SurvivorKind::ErrorDispatch { .. } => Self::HEADINGS[0],
            SurvivorKind::UnknownElementGuard => Self::HEADINGS[1],
            SurvivorKind::DepthCounter { .. } => Self::HEADINGS[2],
            SurvivorKind::NullValue => Self::HEADINGS[3],
            SurvivorKind::ErrorMessageFallback => Self::HEADINGS[4],
            SurvivorKind::MemberModelLacks { .. } => Self::HEADINGS[5],
            SurvivorKind::SensitiveMember { .. } => Self::HEADINGS[6],
            SurvivorKind::Other => Self::HEADINGS[7],
        }
    }
}

impl fmt::Display for SurvivorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurvivorKind::ErrorDispatch { function } => {
                write!(f, "{} ({function})", self.heading())
            }
            SurvivorKind::MemberModelLacks { member }
            | SurvivorKind::SensitiveMember { member } => {
                write!(f, "{} ({member})", self.heading())
            }
            SurvivorKind::DepthCounter {
                nested: Some(nested),
                equivalent: true,
            } => write!(
                f,
                "{} (equivalent: nothing reachable from {nested} is recursive)",
                self.heading()
            ),
            SurvivorKind::DepthCounter {
                nested: Some(nested),
                equivalent: false,
            } => write!(
                f,
                "{} (not equivalent: {nested} reaches a recursive shape)",
                self.heading()
            ),
            _ => f.write_str(self.heading()),
        }
    }
}

/// Classifies a surviving `mutant`, given the original text of its file and the service.
pub fn classify(mutant: &Mutant, source: &str, service: &ServiceIndex<'_>) -> SurvivorKind {
    let function = mutant.function.as_ref();
    let name = function.map_or("", |f| f.function_name.as_str());
    if name.ends_with("_http_error") {
        return SurvivorKind::ErrorDispatch {
            function: name.to_owned(),
        };
    }
    if mutant.genre == "MatchArmGuard" && mutant.replacement == "true" {
        return SurvivorKind::UnknownElementGuard;
    }
    if mutant.genre == "BinaryOperator" && follows_depth(source, mutant) {
        // rustfmt may put the argument on a line of its own below the call.
        let line = mutant.span.start.line;
        let call: String = source
            .lines()
            .take(line)
            .skip(line.saturating_sub(5))
            .collect();
        let nested = nested_shape(&call, service);
        return SurvivorKind::DepthCounter {
            equivalent: nested.is_some_and(|shape| nesting_is_bounded(service, shape)),
            nested: nested.map(|shape| shape.id.name().to_owned()),
        };
    }
    if source
        .lines()
        .nth(mutant.span.start.line.saturating_sub(1))
        .is_some_and(|line| line.contains("Token::ValueNull"))
    {
        return SurvivorKind::NullValue;
    }
    let first_line = function.map_or(1, |f| f.span.start.line);
    let subjects = if mutant.genre == "FnValue" {
        // A whole parser replaced: what every member it reads has in common.
        let last_line = function.map_or(mutant.span.end.line, |f| f.span.end.line);
        subjects_within(source, first_line, last_line)
    } else {
        subject(source, first_line, mutant.span.start.line)
            .into_iter()
            .collect()
    };
    let is_error_parser = name.starts_with("de_") && name.ends_with("_err");
    if is_error_parser
        && (mutant.genre == "FnValue"
            || subjects
                .iter()
                .any(|s| s.member_name().eq_ignore_ascii_case("message")))
    {
        return SurvivorKind::ErrorMessageFallback;
    }
    let mut hidden = None;
    let mut lacking = None;
    for subject in &subjects {
        let found = subject.resolve(service);
        if found.is_empty() {
            lacking.get_or_insert_with(|| subject.to_string());
        } else if found.iter().any(|f| f.is_hidden(service)) {
            hidden.get_or_insert_with(|| subject.to_string());
        } else {
            // A member whose change the snapshot shows: the kinds above do not explain it.
            return SurvivorKind::Other;
        }
    }
    match (hidden, lacking) {
        (Some(member), _) => SurvivorKind::SensitiveMember { member },
        (None, Some(member)) => SurvivorKind::MemberModelLacks { member },
        (None, None) => SurvivorKind::Other,
    }
}

/// Whether the mutated operator is the one after a `depth` operand (`depth + 1`).
fn follows_depth(source: &str, mutant: &Mutant) -> bool {
    let Some(line) = source.lines().nth(mutant.span.start.line.saturating_sub(1)) else {
        return false;
    };
    let before: String = line
        .chars()
        .take(mutant.span.start.column.saturating_sub(1))
        .collect();
    before.trim_end().ends_with("depth")
}

/// The shape of the nested parser called last in `line` (`…::de_<snake_case shape>(…, depth +
/// 1)`, smithy-rs's naming), among the shapes of the service.
fn nested_shape<'m>(line: &str, service: &ServiceIndex<'m>) -> Option<&'m Shape> {
    let call = line.rfind("de_")?;
    let name: String = line[call + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let model = service.model();
    service
        .closure()
        .iter()
        .filter_map(|id| model.shape(id))
        .find(|shape| snapshot_codegen::naming::snake_case(shape.id.name()) == name)
}

/// Whether every value of `shape` nests less deep than the parsers' limit (128): no shape
/// reachable from it reaches itself again, and fewer than 128 aggregates are reachable, which
/// bounds the depth of a tree without cycles.
fn nesting_is_bounded(service: &ServiceIndex<'_>, shape: &Shape) -> bool {
    let model = service.model();
    let mut reachable: BTreeSet<&ShapeId> = BTreeSet::new();
    let mut pending = vec![&shape.id];
    while let Some(id) = pending.pop() {
        if let Some(found) = model.shape(id) {
            if reachable.insert(&found.id) {
                pending.extend(found.kind.members().into_iter().map(|m| &m.target));
            }
        }
    }
    let aggregates: Vec<&Shape> = reachable
        .iter()
        .filter_map(|id| model.shape(id))
        .filter(|found| !found.kind.members().is_empty())
        .collect();
    aggregates.len() < 128
        && aggregates.iter().all(|found| {
            found
                .kind
                .members()
                .into_iter()
                .all(|member| !model.reaches(&member.target, &found.id, |_| true))
        })
}

/// What a line of the client's source names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    /// A member's shape id from a smithy-rs comment (`ns#Shape$Member`).
    MemberId(String),
    /// A wire name from a string literal.
    WireName(String),
}

impl Subject {
    /// The member name (`Credentials` of `ns#Shape$Credentials`) or the wire name.
    fn member_name(&self) -> &str {
        match self {
            Subject::MemberId(id) => id.rsplit('$').next().unwrap_or(id),
            Subject::WireName(name) => name,
        }
    }

    /// The model members this subject can be (none: the model lacks it).
    fn resolve<'m>(&self, service: &ServiceIndex<'m>) -> Vec<Found<'m>> {
        match self {
            Subject::MemberId(id) => member_by_id(service, id).into_iter().collect(),
            Subject::WireName(name) => members_by_wire_name(service, name),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::MemberId(id) => f.write_str(id),
            Subject::WireName(name) => f.write_str(name),
        }
    }
}

/// A model member and the shape that has it.
#[derive(Debug, Clone, Copy)]
struct Found<'m> {
    owner: &'m Shape,
    member: &'m Member,
}

impl Found<'_> {
    /// Whether a snapshot's `Debug` text hides this member's value: it is `@sensitive` (or
    /// holds sensitive parts), or it sits in a nested structure that holds a sensitive member,
    /// which smithy-rs prints redacted as a whole (sts `Credentials`).
    fn is_hidden(&self, service: &ServiceIndex<'_>) -> bool {
        if is_sensitive(service, self.member) {
            return true;
        }
        let top_level = self.owner.traits.error().is_some()
            || service.operations().iter().any(|operation| {
                operation.operation.input == self.owner.id
                    || operation.operation.output == self.owner.id
            });
        !top_level
            && self
                .owner
                .kind
                .members()
                .into_iter()
                .any(|sibling| is_sensitive(service, sibling))
    }
}

/// Every subject named on lines `first..=last` (1-based), in order.
fn subjects_within(source: &str, first: usize, last: usize) -> Vec<Subject> {
    source
        .lines()
        .enumerate()
        .filter(|(index, _)| (first.max(1)..=last).contains(&(index + 1)))
        .filter_map(|(_, line)| subject_of_line(line))
        .collect()
}

/// The nearest subject at or above line `at` (1-based), not above line `first`.
fn subject(source: &str, first: usize, at: usize) -> Option<Subject> {
    let lines: Vec<&str> = source.lines().collect();
    let top = first.max(1);
    (top..=at.min(lines.len()))
        .rev()
        .find_map(|number| subject_of_line(lines[number - 1]))
}

fn subject_of_line(line: &str) -> Option<Subject> {
    if let Some(id) = comment_member_id(line) {
        return Some(Subject::MemberId(id));
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('"') {
        let literal = first_literal(trimmed)?;
        if trimmed[literal.len() + 2..].trim_start().starts_with("=>") {
            return Some(Subject::WireName(literal.to_owned()));
        }
    }
    for call in [".key(\"", ".prefix(\"", ".start_el(\"", ".matches(\""] {
        if let Some(at) = line.find(call) {
            return first_literal(&line[at + call.len() - 1..])
                .map(|literal| Subject::WireName(literal.to_owned()));
        }
    }
    None
}

/// `ns#Shape$Member` from a `/* Name ns#Shape$Member */` comment.
fn comment_member_id(line: &str) -> Option<String> {
    let start = line.find("/*")? + 2;
    let end = start + line[start..].find("*/")?;
    let last = line[start..end].split_whitespace().last()?;
    (last.contains('#') && last.contains('$')).then(|| last.to_owned())
}

/// The contents of the string literal `text` starts with (no escapes in wire names).
fn first_literal(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('"')?;
    rest.find('"').map(|end| &rest[..end])
}

/// The member `ns#Shape$Member`; synthetic operation shapes (`ns.synthetic#FooOutput`) are the
/// operation's output or input.
fn member_by_id<'m>(service: &ServiceIndex<'m>, id: &str) -> Option<Found<'m>> {
    let (shape, member) = id.split_once('$')?;
    let shape_id: ShapeId = shape.parse().ok()?;
    let model = service.model();
    let owner: &Shape = if shape_id.namespace().ends_with(".synthetic") {
        let name = shape_id.name();
        let (operation, output) = match name.strip_suffix("Output") {
            Some(operation) => (operation, true),
            None => (name.strip_suffix("Input")?, false),
        };
        let operation = service.operation(operation)?;
        let target = if output {
            &operation.operation.output
        } else {
            &operation.operation.input
        };
        model.shape(target)?
    } else {
        model.shape(&shape_id)?
    };
    let member = owner
        .kind
        .members()
        .into_iter()
        .find(|m| m.name == member)?;
    Some(Found { owner, member })
}

/// Members of the service's shapes whose name on the wire (member name, `@jsonName`,
/// `@xmlName`, `@ec2QueryName`, `@httpHeader`, `@httpQuery`) is `wire`.
fn members_by_wire_name<'m>(service: &ServiceIndex<'m>, wire: &str) -> Vec<Found<'m>> {
    let model = service.model();
    service
        .closure()
        .iter()
        .filter_map(|id| model.shape(id))
        .flat_map(|owner| {
            owner
                .kind
                .members()
                .into_iter()
                .map(move |member| Found { owner, member })
        })
        .filter(|Found { member, .. }| {
            let traits = &member.traits;
            member.name == wire
                || [
                    traits.json_name(),
                    traits.xml_name(),
                    traits.ec2_query_name(),
                    traits.http_header(),
                    traits.http_query(),
                ]
                .contains(&Some(wire))
        })
        .collect()
}

/// Whether the member, its target or anything the target holds is `@sensitive`.
fn is_sensitive(service: &ServiceIndex<'_>, member: &Member) -> bool {
    let model = service.model();
    if member.traits.is_sensitive() {
        return true;
    }
    let mut seen = BTreeSet::new();
    let mut pending = vec![member.target.clone()];
    while let Some(id) = pending.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = model.shape(&id) else {
            continue;
        };
        if shape.traits.is_sensitive() {
            return true;
        }
        for inner in shape.kind.members() {
            if inner.traits.is_sensitive() {
                return true;
            }
            pending.push(inner.target.clone());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use snapshot_model::Model;

    use super::super::catalog::{parse_list, Function, LineColumn, Span};
    use super::*;

    /// A small awsQuery-like service: an operation whose output has a plain member and a
    /// structure holding a sensitive member.
    const MODEL: &str = r##"{
      "smithy": "2.0",
      "shapes": {
        "ex#Svc": { "type": "service", "version": "1", "operations": [{ "target": "ex#Assume" }],
                    "traits": { "aws.protocols#awsQuery": {} } },
        "ex#Assume": { "type": "operation", "input": { "target": "ex#AssumeRequest" },
                       "output": { "target": "ex#AssumeResponse" } },
        "ex#AssumeRequest": { "type": "structure", "members": {
            "RoleArn": { "target": "smithy.api#String" } } },
        "ex#AssumeResponse": { "type": "structure", "members": {
            "Credentials": { "target": "ex#Credentials" },
            "SourceIdentity": { "target": "smithy.api#String" } } },
        "ex#Credentials": { "type": "structure", "members": {
            "SecretAccessKey": { "target": "ex#Secret" },
            "Token": { "target": "smithy.api#String", "traits": { "smithy.api#jsonName": "token" } } } },
        "ex#Secret": { "type": "string", "traits": { "smithy.api#sensitive": {} } }
      }
    }"##;

    const SOURCE: &str = r#"pub fn de_assume(inp: &[u8]) -> Result<(), ()> {
    while let Some(mut tag) = decoder.next_tag() {
        match tag.start_el() {
            s if s.matches("Credentials") /* Credentials ex.synthetic#AssumeOutput$Credentials */ => {
                let var_1 = crate::de_credentials(&mut tag, depth + 1);
            }
            s if s.matches("SourceIdentity") /* SourceIdentity ex.synthetic#AssumeOutput$SourceIdentity */ => {
                let var_2 = Some(tag.try_data()?.as_ref().into());
            }
            s if s.matches("SessionTokenSize") /* SessionTokenSize ex.synthetic#AssumeOutput$SessionTokenSize */ => {
                let var_3 = i32::parse(tag.try_data()?.as_ref()) + 0;
            }
            _ => {}
        }
    }
}
pub fn de_credentials_json(tokens: &mut Tokens) {
    match tokens.next() {
        Some(::aws_smithy_json::deserialize::Token::ValueNull { .. }) => Ok(None),
    }
    match key.as_ref() {
        "token" => {
            builder = builder.set_token(tokens.next() == None);
        }
        "expiresAt" => {
            builder = builder.set_expires(tokens.next() == None);
        }
    }
}
"#;

    fn mutant(genre: &str, replacement: &str, function: &str, line: usize) -> Mutant {
        let recorded = parse_list(include_bytes!("../../testdata/mutants-list.json")).unwrap();
        Mutant {
            genre: genre.to_owned(),
            replacement: replacement.to_owned(),
            function: Some(Function {
                function_name: function.to_owned(),
                span: Span {
                    start: LineColumn {
                        line: if function == "de_credentials_json" {
                            16
                        } else {
                            1
                        },
                        column: 1,
                    },
                    end: LineColumn {
                        line: if function == "de_credentials_json" {
                            25
                        } else {
                            15
                        },
                        column: 1,
                    },
                },
            }),
            span: Span {
                start: LineColumn { line, column: 1 },
                end: LineColumn { line, column: 2 },
            },
            ..recorded[0].clone()
        }
    }

    fn with_service(check: impl FnOnce(&ServiceIndex<'_>)) {
        let model = Model::from_json(MODEL.as_bytes(), Path::new("ex.json")).unwrap();
        let service = model.service_index(None).unwrap();
        check(&service);
    }

    #[test]
    fn survivors_fall_into_the_kinds_of_issue_14() {
        with_service(|service| {
            let kind = |m: &Mutant| classify(m, SOURCE, service);
            assert_eq!(
                kind(&mutant("MatchArm", "", "de_assume_http_error", 3)),
                SurvivorKind::ErrorDispatch {
                    function: "de_assume_http_error".to_owned()
                }
            );
            assert_eq!(
                kind(&mutant("MatchArmGuard", "true", "de_assume", 7)),
                SurvivorKind::UnknownElementGuard
            );
            // `depth + 1` inside the Credentials arm is the depth counter...
            let mut depth = mutant("BinaryOperator", "*", "de_assume", 5);
            depth.span.start.column = 67;
            assert_eq!(
                kind(&depth),
                SurvivorKind::DepthCounter {
                    nested: Some("Credentials".to_owned()),
                    equivalent: true
                }
            );
            // ...another mutant there is about the member the comment above names.
            assert_eq!(
                kind(&mutant("UnaryOperator", "", "de_assume", 5)),
                SurvivorKind::SensitiveMember {
                    member: "ex.synthetic#AssumeOutput$Credentials".to_owned()
                }
            );
            assert_eq!(
                kind(&mutant("MatchArmGuard", "false", "de_assume", 10)),
                SurvivorKind::MemberModelLacks {
                    member: "ex.synthetic#AssumeOutput$SessionTokenSize".to_owned()
                }
            );
            assert_eq!(
                kind(&mutant("MatchArmGuard", "false", "de_assume", 7)),
                SurvivorKind::Other
            );
            // JSON: the arm's wire name, matched against @jsonName. `token` is not sensitive,
            // but its structure holds a sensitive member, so the output prints it redacted.
            assert_eq!(
                kind(&mutant("BinaryOperator", "!=", "de_credentials_json", 22)),
                SurvivorKind::SensitiveMember {
                    member: "token".to_owned()
                }
            );
            assert_eq!(
                kind(&mutant("BinaryOperator", "!=", "de_credentials_json", 25)),
                SurvivorKind::MemberModelLacks {
                    member: "expiresAt".to_owned()
                }
            );
            assert_eq!(
                kind(&mutant("MatchArm", "", "de_credentials_json", 19)),
                SurvivorKind::NullValue
            );
            // A whole parser replaced: it also reads a member the snapshot shows.
            assert_eq!(
                kind(&mutant("FnValue", "Ok(())", "de_assume", 2)),
                SurvivorKind::Other
            );
            // A parser that reads only hidden members and members the model lacks.
            assert_eq!(
                kind(&mutant("FnValue", "Ok(())", "de_credentials_json", 17)),
                SurvivorKind::SensitiveMember {
                    member: "token".to_owned()
                }
            );
            // An error shape's parser: the dispatch falls back to the metadata's message.
            assert_eq!(
                kind(&mutant(
                    "FnValue",
                    "Ok(builder)",
                    "de_thing_exception_xml_err",
                    2
                )),
                SurvivorKind::ErrorMessageFallback
            );
            // No subject between the function start and the mutant.
            assert_eq!(
                kind(&mutant("UnaryOperator", "", "de_assume", 2)),
                SurvivorKind::Other
            );
        });
    }

    #[test]
    fn a_depth_counter_is_equivalent_only_when_no_recursive_shape_is_reachable() {
        let recursive = MODEL.replace(
            r#""SourceIdentity": { "target": "smithy.api#String" } } },"#,
            r#""SourceIdentity": { "target": "smithy.api#String" },
            "Tree": { "target": "ex#Node" } } },
        "ex#Node": { "type": "structure", "members": {
            "Children": { "target": "ex#NodeList" } } },
        "ex#NodeList": { "type": "list", "member": { "target": "ex#Node" } },"#,
        );
        assert_ne!(recursive, MODEL);
        let model = Model::from_json(recursive.as_bytes(), Path::new("ex.json")).unwrap();
        let service = model.service_index(None).unwrap();
        let source = "let value = crate::protocol_serde::shape_node::de_node(tokens, depth + 1)?;";
        let mut depth = mutant("BinaryOperator", "*", "de_assume", 1);
        depth.function = None;
        depth.span.start.column = source.find("+ 1").unwrap() + 1;
        assert_eq!(
            classify(&depth, source, &service),
            SurvivorKind::DepthCounter {
                nested: Some("Node".to_owned()),
                equivalent: false
            }
        );
        let credentials =
            source.replace("shape_node::de_node", "shape_credentials::de_credentials");
        depth.span.start.column = credentials.find("+ 1").unwrap() + 1;
        assert_eq!(
            classify(&depth, &credentials, &service),
            SurvivorKind::DepthCounter {
                nested: Some("Credentials".to_owned()),
                equivalent: true
            }
        );
    }

    #[test]
    fn a_depth_counter_on_its_own_line_belongs_to_the_call_above() {
        with_service(|service| {
            let source = "let v = crate::protocol_serde::shape_credentials::de_credentials(\n    tokens,\n    depth + 1,\n)?;";
            let mut depth = mutant("BinaryOperator", "*", "de_assume", 3);
            depth.function = None;
            depth.span.start.column = 11;
            assert_eq!(
                classify(&depth, source, service),
                SurvivorKind::DepthCounter {
                    nested: Some("Credentials".to_owned()),
                    equivalent: true
                }
            );
        });
    }

    #[test]
    fn lines_name_members_by_comment_or_by_wire_name() {
        assert_eq!(
            subject_of_line(r#"  s if s.matches("A") /* A ns.synthetic#FooOutput$A */ => {"#),
            Some(Subject::MemberId("ns.synthetic#FooOutput$A".to_owned()))
        );
        assert_eq!(
            subject_of_line(r#"    let mut scope_1 = writer.prefix("RoleArn");"#),
            Some(Subject::WireName("RoleArn".to_owned()))
        );
        assert_eq!(
            subject_of_line(r#"        object.key("roleArn").string(var_1.as_str());"#),
            Some(Subject::WireName("roleArn".to_owned()))
        );
        assert_eq!(
            subject_of_line(r#"        "roleArn" => {"#),
            Some(Subject::WireName("roleArn".to_owned()))
        );
        assert_eq!(subject_of_line(r#"        let x = "not an arm";"#), None);
        assert_eq!(subject_of_line("    /* plain comment */"), None);
    }
}
