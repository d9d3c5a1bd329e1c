//! A test's `params` (a Smithy node value) as a [`Value`] of the shape it is for, so the
//! harness builds it through the client's builders like any generated input.
//!
//! Node values follow the Smithy specification's rules for trait values and protocol tests:
//! blobs are strings (their UTF-8 bytes), timestamps are epoch seconds (fractions allowed),
//! floats and doubles may be `"NaN"`, `"Infinity"` or `"-Infinity"`, big numbers are numbers
//! or strings, unions set exactly one member, `null` is a sparse entry (in lists and maps) or
//! an unset member (in structures). Members come out in model order, as the value generator
//! produces them.

use serde_json::Value as Node;
use snapshot_model::{Model, Shape, ShapeId, ShapeKind, SimpleType};
use snapshot_values::Value;

use crate::errors::{ParamsProblem, ProtocolTestError};

/// Converts the `params` of test `test` into a value of the structure `shape`.
pub fn params_value(
    model: &Model,
    shape: &ShapeId,
    params: &serde_json::Map<String, Node>,
    test: &str,
) -> Result<Value, ProtocolTestError> {
    let converter = Converter { model, test };
    let shape = converter.shape(shape, shape.name())?;
    converter.structure(shape, params, shape.id.name())
}

struct Converter<'m> {
    model: &'m Model,
    test: &'m str,
}

impl<'m> Converter<'m> {
    fn error(&self, path: &str, problem: ParamsProblem) -> ProtocolTestError {
        ProtocolTestError::Params {
            test: self.test.to_owned(),
            path: path.to_owned(),
            problem,
        }
    }

    fn shape(&self, id: &ShapeId, path: &str) -> Result<&'m Shape, ProtocolTestError> {
        self.model
            .shape(id)
            .ok_or_else(|| self.error(path, ParamsProblem::MissingShape(id.clone())))
    }

    fn wrong_type(
        &self,
        path: &str,
        expected: &'static str,
        shape: &Shape,
        found: &Node,
    ) -> ProtocolTestError {
        self.error(
            path,
            ParamsProblem::WrongType {
                expected,
                shape_type: shape.kind.type_name(),
                found: json_type(found),
            },
        )
    }

    fn structure(
        &self,
        shape: &Shape,
        node: &serde_json::Map<String, Node>,
        path: &str,
    ) -> Result<Value, ProtocolTestError> {
        let ShapeKind::Structure(members) = &shape.kind else {
            return Err(self.wrong_type(path, "an object", shape, &Node::Null));
        };
        if let Some(unknown) = node
            .keys()
            .find(|name| !members.iter().any(|member| &member.name == *name))
        {
            return Err(self.error(
                path,
                ParamsProblem::UnknownMember {
                    shape: shape.id.clone(),
                    member: unknown.clone(),
                },
            ));
        }
        let mut set = Vec::new();
        for member in members {
            let Some(child) = node.get(&member.name).filter(|child| !child.is_null()) else {
                continue;
            };
            let member_path = format!("{path}.{}", member.name);
            let target = self.shape(&member.target, &member_path)?;
            let streaming = self.model.effective_traits(member).is_streaming();
            set.push((
                member.name.clone(),
                self.value(target, child, &member_path, streaming)?,
            ));
        }
        Ok(Value::Structure {
            shape: shape.id.clone(),
            members: set,
        })
    }

    fn value(
        &self,
        shape: &Shape,
        node: &Node,
        path: &str,
        streaming: bool,
    ) -> Result<Value, ProtocolTestError> {
        match &shape.kind {
            ShapeKind::Simple(simple) => self.simple(*simple, shape, node, path, streaming),
            ShapeKind::Enum(_) => {
                let Node::String(text) = node else {
                    return Err(self.wrong_type(path, "a string", shape, node));
                };
                Ok(Value::Enum {
                    variant: self.variant(shape, |value| {
                        matches!(value, snapshot_model::traits::EnumValue::String(v) if v == text)
                    }),
                    value: text.clone(),
                })
            }
            ShapeKind::IntEnum(_) => {
                let number =
                    self.integer(shape, node, path, i64::from(i32::MIN), i64::from(i32::MAX))?;
                let value =
                    i32::try_from(number).map_err(|_| self.out_of_range(path, shape, node))?;
                Ok(Value::IntEnum {
                    variant: self.variant(
                        shape,
                        |v| matches!(v, snapshot_model::traits::EnumValue::Int(i) if *i == number),
                    ),
                    value,
                })
            }
            ShapeKind::List(member) | ShapeKind::Set(member) => {
                let Node::Array(items) = node else {
                    return Err(self.wrong_type(path, "an array", shape, node));
                };
                let target = self.shape(&member.target, path)?;
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        let item_path = format!("{path}[{index}]");
                        match item {
                            Node::Null => Ok(Value::Null),
                            item => self.value(target, item, &item_path, false),
                        }
                    })
                    .collect::<Result<_, _>>()
                    .map(Value::List)
            }
            ShapeKind::Map { value, .. } => {
                let Node::Object(entries) = node else {
                    return Err(self.wrong_type(path, "an object", shape, node));
                };
                let target = self.shape(&value.target, path)?;
                entries
                    .iter()
                    .map(|(key, item)| {
                        let item_path = format!("{path}{{{key}}}");
                        let value = match item {
                            Node::Null => Value::Null,
                            item => self.value(target, item, &item_path, false)?,
                        };
                        Ok((key.clone(), value))
                    })
                    .collect::<Result<_, _>>()
                    .map(Value::Map)
            }
            ShapeKind::Structure(_) => match node {
                Node::Object(object) => self.structure(shape, object, path),
                other => Err(self.wrong_type(path, "an object", shape, other)),
            },
            ShapeKind::Union(members) => {
                if shape.traits.is_streaming() {
                    return Err(self.error(path, ParamsProblem::EventStream));
                }
                let Node::Object(object) = node else {
                    return Err(self.wrong_type(path, "an object", shape, node));
                };
                let set: Vec<_> = object.iter().filter(|(_, v)| !v.is_null()).collect();
                let [(name, child)] = set.as_slice() else {
                    return Err(self.error(path, ParamsProblem::UnionMembers(set.len())));
                };
                let Some(member) = members.iter().find(|member| &member.name == *name) else {
                    return Err(self.error(
                        path,
                        ParamsProblem::UnknownMember {
                            shape: shape.id.clone(),
                            member: (*name).clone(),
                        },
                    ));
                };
                let member_path = format!("{path}.{name}");
                let target = self.shape(&member.target, &member_path)?;
                Ok(Value::Union {
                    shape: shape.id.clone(),
                    member: member.name.clone(),
                    value: Box::new(self.value(target, child, &member_path, false)?),
                })
            }
            ShapeKind::Operation(_) | ShapeKind::Resource(_) | ShapeKind::Service(_) => {
                Err(self.wrong_type(path, "a data shape", shape, node))
            }
        }
    }

    fn variant(
        &self,
        shape: &Shape,
        matches: impl Fn(&snapshot_model::traits::EnumValue) -> bool,
    ) -> Option<String> {
        self.model
            .enum_variants(shape)?
            .into_iter()
            .find(|variant| matches(&variant.value))
            .map(|variant| variant.name)
    }

    fn simple(
        &self,
        simple: SimpleType,
        shape: &Shape,
        node: &Node,
        path: &str,
        streaming: bool,
    ) -> Result<Value, ProtocolTestError> {
        Ok(match simple {
            SimpleType::Blob => {
                let Node::String(text) = node else {
                    return Err(self.wrong_type(path, "a string", shape, node));
                };
                let bytes = text.as_bytes().to_vec();
                if streaming {
                    Value::StreamingBlob(bytes)
                } else {
                    Value::Blob(bytes)
                }
            }
            SimpleType::Boolean => match node {
                Node::Bool(value) => Value::Boolean(*value),
                other => return Err(self.wrong_type(path, "a boolean", shape, other)),
            },
            SimpleType::String => {
                let Node::String(text) = node else {
                    return Err(self.wrong_type(path, "a string", shape, node));
                };
                match self.model.enum_variants(shape) {
                    Some(_) => Value::Enum {
                        variant: self.variant(shape, |value| {
                            matches!(value, snapshot_model::traits::EnumValue::String(v) if v == text)
                        }),
                        value: text.clone(),
                    },
                    None => Value::String(text.clone()),
                }
            }
            SimpleType::Byte => {
                let n = self.integer(shape, node, path, i64::from(i8::MIN), i64::from(i8::MAX))?;
                Value::Byte(i8::try_from(n).map_err(|_| self.out_of_range(path, shape, node))?)
            }
            SimpleType::Short => {
                let n =
                    self.integer(shape, node, path, i64::from(i16::MIN), i64::from(i16::MAX))?;
                Value::Short(i16::try_from(n).map_err(|_| self.out_of_range(path, shape, node))?)
            }
            SimpleType::Integer => {
                let n =
                    self.integer(shape, node, path, i64::from(i32::MIN), i64::from(i32::MAX))?;
                Value::Integer(i32::try_from(n).map_err(|_| self.out_of_range(path, shape, node))?)
            }
            SimpleType::Long => Value::Long(self.integer(shape, node, path, i64::MIN, i64::MAX)?),
            // A float param is written as the f64 nearest to its text; `as` rounds it to f32.
            SimpleType::Float => Value::Float(self.float(shape, node, path)? as f32),
            SimpleType::Double => Value::Double(self.float(shape, node, path)?),
            SimpleType::BigInteger => Value::BigInteger(self.decimal_text(shape, node, path)?),
            SimpleType::BigDecimal => Value::BigDecimal(self.decimal_text(shape, node, path)?),
            SimpleType::Timestamp => {
                let seconds = match node {
                    Node::Number(number) => number.as_f64().unwrap_or_default(),
                    other => return Err(self.wrong_type(path, "epoch seconds", shape, other)),
                };
                Value::Timestamp((seconds * 1000.0).round() as i64)
            }
            SimpleType::Document => Value::Document(node.clone()),
        })
    }

    fn out_of_range(&self, path: &str, shape: &Shape, node: &Node) -> ProtocolTestError {
        self.error(
            path,
            ParamsProblem::OutOfRange {
                value: node.to_string(),
                shape_type: shape.kind.type_name(),
            },
        )
    }

    fn integer(
        &self,
        shape: &Shape,
        node: &Node,
        path: &str,
        min: i64,
        max: i64,
    ) -> Result<i64, ProtocolTestError> {
        let Node::Number(number) = node else {
            return Err(self.wrong_type(path, "an integer", shape, node));
        };
        match number.as_i64() {
            Some(value) if (min..=max).contains(&value) => Ok(value),
            _ => Err(self.out_of_range(path, shape, node)),
        }
    }

    fn float(&self, shape: &Shape, node: &Node, path: &str) -> Result<f64, ProtocolTestError> {
        match node {
            Node::Number(number) => Ok(number.as_f64().unwrap_or_default()),
            Node::String(text) => match text.as_str() {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => {
                    Err(self.wrong_type(path, "a number, NaN, Infinity or -Infinity", shape, node))
                }
            },
            other => Err(self.wrong_type(path, "a number", shape, other)),
        }
    }

    fn decimal_text(
        &self,
        shape: &Shape,
        node: &Node,
        path: &str,
    ) -> Result<String, ProtocolTestError> {
        match node {
            Node::Number(number) => Ok(number.to_string()),
            Node::String(text) => Ok(text.clone()),
            other => Err(self.wrong_type(path, "a number", shape, other)),
        }
    }
}

fn json_type(node: &Node) -> &'static str {
    match node {
        Node::Null => "null",
        Node::Bool(_) => "a boolean",
        Node::Number(_) => "a number",
        Node::String(_) => "a string",
        Node::Array(_) => "an array",
        Node::Object(_) => "an object",
    }
}
