//! Form-urlencoded request bodies of the query protocols (awsQuery, ec2Query), read by the
//! key rules `aws-smithy-query`'s writer follows: `Parent.Member` for nested members, lists
//! as `Name.member.N` (the list member's `@xmlName` replacing `member`) or, flattened,
//! `Name.N`, an empty list as a bare `Name=`, maps as `Name.entry.N.key`/`.value` (names
//! from the key and value members' `@xmlName`; flattened without `.entry`), indices from 1.
//! How a member is named and whether lists are always flattened is the protocol's
//! [`FormRules`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use snapshot_model::traits::TimestampFormat;
use snapshot_model::{Member, Shape, ShapeKind};
use snapshot_values::{Value, ValuePath};

use super::{members_of, structure_value, timestamp_format, DecodeError, Decoding};

/// How one query protocol names the parameters of members.
#[derive(Clone, Copy)]
pub(crate) struct FormRules {
    /// The key segment of a structure member.
    pub member_key: for<'k> fn(&'k Member) -> Cow<'k, str>,
    /// Whether every list is flattened (ec2Query), or only `@xmlFlattened` ones (awsQuery).
    pub lists_always_flat: bool,
}

/// The parameters of a form body, by key.
pub(crate) struct Form {
    params: BTreeMap<String, String>,
}

impl Form {
    /// Parses an `application/x-www-form-urlencoded` body.
    pub(crate) fn parse(body: &[u8]) -> Self {
        Form {
            params: form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// A parameter's value.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    /// Whether `key` or any parameter below it (`key.…`) is present.
    fn has(&self, key: &str) -> bool {
        let below = format!("{key}.");
        self.params.contains_key(key)
            || self
                .params
                .range(below.clone()..)
                .next()
                .is_some_and(|(found, _)| found.starts_with(&below))
    }
}

/// Reads a form body for one operation.
pub(crate) struct FormReader<'d, 'c, 'a, 'm> {
    decoding: &'d Decoding<'c, 'a, 'm>,
    rules: FormRules,
}

impl<'d, 'c, 'a, 'm> FormReader<'d, 'c, 'a, 'm> {
    pub(crate) fn new(decoding: &'d Decoding<'c, 'a, 'm>, rules: FormRules) -> Self {
        FormReader { decoding, rules }
    }

    /// The members of the input structure `shape`, from the top-level parameters.
    pub(crate) fn members(
        &self,
        form: &Form,
        shape: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let read = self.structure_members(form, "", shape, path)?;
        let Value::Structure { members, .. } = structure_value(shape, read) else {
            return Ok(Vec::new());
        };
        Ok(members)
    }

    fn structure_members(
        &self,
        form: &Form,
        prefix: &str,
        shape: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let mut read = Vec::new();
        for member in members_of(shape) {
            let key = join(prefix, &(self.rules.member_key)(member));
            let member_path = path.member(&member.name);
            if let Some(value) = self.value(form, &key, member, &member_path)? {
                read.push((member.name.clone(), value));
            }
        }
        Ok(read)
    }

    /// The value of `member` under `key`; `None` when nothing is there.
    fn value(
        &self,
        form: &Form,
        key: &str,
        member: &'m Member,
        path: &ValuePath,
    ) -> Result<Option<Value>, DecodeError> {
        if !form.has(key) {
            return Ok(None);
        }
        let cx = self.decoding.cx;
        let shape = cx.target(member);
        Ok(Some(match &shape.kind {
            ShapeKind::Structure(_) => {
                structure_value(shape, self.structure_members(form, key, shape, path)?)
            }
            ShapeKind::Union(_) => {
                let mut read = self.structure_members(form, key, shape, path)?;
                if read.len() != 1 {
                    return Err(DecodeError::new(
                        path,
                        format!("a union with {} members", read.len()),
                    ));
                }
                let (member, value) = read.remove(0);
                Value::Union {
                    shape: shape.id.clone(),
                    member,
                    value: Box::new(value),
                }
            }
            ShapeKind::List(item) | ShapeKind::Set(item) => {
                let flat = self.rules.lists_always_flat || member.traits.is_xml_flattened();
                let items_key = if flat {
                    Cow::Borrowed(key)
                } else {
                    Cow::Owned(join(key, item.traits.xml_name().unwrap_or("member")))
                };
                let mut items = Vec::new();
                loop {
                    let item_key = format!("{items_key}.{}", items.len() + 1);
                    let item_path = path.index(items.len());
                    match self.value(form, &item_key, item, &item_path)? {
                        Some(value) => items.push(value),
                        None => break,
                    }
                }
                Value::List(items)
            }
            ShapeKind::Map {
                key: key_member,
                value,
            } => {
                let entries_key = if member.traits.is_xml_flattened() {
                    Cow::Borrowed(key)
                } else {
                    Cow::Owned(join(key, "entry"))
                };
                let key_name = key_member.traits.xml_name().unwrap_or("key");
                let value_name = value.traits.xml_name().unwrap_or("value");
                let mut entries = Vec::new();
                loop {
                    let entry = format!("{entries_key}.{}", entries.len() + 1);
                    let Some(entry_key) = form.get(&join(&entry, key_name)) else {
                        break;
                    };
                    let entry_key = entry_key.to_owned();
                    let entry_path = path.key(&entry_key);
                    let entry_value = self
                        .value(form, &join(&entry, value_name), value, &entry_path)?
                        .ok_or_else(|| {
                            DecodeError::new(&entry_path, "a map entry without a value")
                        })?;
                    entries.push((entry_key, entry_value));
                }
                Value::Map(entries)
            }
            _ => {
                let Some(text) = form.get(key) else {
                    return Ok(None);
                };
                let traits = cx.model().effective_traits(member);
                let format = timestamp_format(&traits, TimestampFormat::DateTime);
                self.decoding.scalar_text(shape, text, format, path)?
            }
        }))
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}
