//! XML request documents (restXml bodies and payloads, XML event payloads) read with
//! `aws-smithy-xml`'s decoder, by the rules the writer in [`crate::xml`] follows: elements
//! by `@xmlName` or member name (namespaces and prefixes are not checked), `@xmlAttribute`
//! members from attributes, wrapped lists of `<member>` (or the list member's `@xmlName`),
//! flattened lists and maps repeating the member's element, map entries of `<key>` and
//! `<value>`, timestamps date-time unless `@timestampFormat` says otherwise.

use aws_smithy_xml::decode::{try_data, Document, ScopedDecoder};
use snapshot_model::traits::TimestampFormat;
use snapshot_model::{Member, Shape, ShapeKind, Traits};
use snapshot_values::{Value, ValuePath};

use super::{members_of, structure_value, timestamp_format, DecodeError, Decoding};
use crate::xml::element_name;

/// Reads XML for one operation.
pub(crate) struct XmlReader<'d, 'c, 'a, 'm> {
    decoding: &'d Decoding<'c, 'a, 'm>,
}

impl<'d, 'c, 'a, 'm> XmlReader<'d, 'c, 'a, 'm> {
    pub(crate) fn new(decoding: &'d Decoding<'c, 'a, 'm>) -> Self {
        XmlReader { decoding }
    }

    /// The members of `shape` in the document `bytes` rooted at `root` (checked), in model
    /// order; `wanted` says which members the body carries.
    pub(crate) fn members(
        &self,
        bytes: &[u8],
        root: &str,
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let mut document = document(bytes, path)?;
        let mut element = document
            .root_element()
            .map_err(|error| DecodeError::new(path, error.to_string()))?;
        check_root(&element, root, path)?;
        let read = self.structure_members(&mut element, shape, wanted, path)?;
        let Value::Structure { members, .. } = structure_value(shape, read) else {
            return Ok(Vec::new());
        };
        Ok(members)
    }

    /// A value of `member`'s target from a whole document rooted at `root` (a payload or an
    /// event payload).
    pub(crate) fn document(
        &self,
        bytes: &[u8],
        root: &str,
        member: &Member,
        path: &ValuePath,
    ) -> Result<Value, DecodeError> {
        let mut document = document(bytes, path)?;
        let mut element = document
            .root_element()
            .map_err(|error| DecodeError::new(path, error.to_string()))?;
        check_root(&element, root, path)?;
        let traits = self.decoding.cx.model().effective_traits(member);
        self.content(&mut element, self.decoding.cx.target(member), &traits, path)
    }

    /// The shape `member` targets.
    pub(crate) fn target(&self, member: &Member) -> &'m Shape {
        self.decoding.cx.target(member)
    }

    /// The attribute and child-element members of a structure element.
    fn structure_members(
        &self,
        element: &mut ScopedDecoder<'_, '_>,
        shape: &'m Shape,
        wanted: &dyn Fn(&Member) -> bool,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let cx = self.decoding.cx;
        let members: Vec<&Member> = members_of(shape).iter().filter(|m| wanted(m)).collect();
        let mut read: Vec<(String, Value)> = Vec::new();
        for member in members
            .iter()
            .filter(|member| member.traits.is_xml_attribute())
        {
            if let Some(text) = element.start_el().attr(element_name(member)) {
                let traits = cx.model().effective_traits(member);
                let format = timestamp_format(&traits, TimestampFormat::DateTime);
                let member_path = path.member(&member.name);
                let value =
                    self.decoding
                        .scalar_text(cx.target(member), text, format, &member_path)?;
                read.push((member.name.clone(), value));
            }
        }
        while let Some(mut child) = element.next_tag() {
            let name = child.start_el().local().to_owned();
            let Some(member) = members.iter().find(|member| {
                !member.traits.is_xml_attribute() && local(element_name(member)) == name
            }) else {
                continue;
            };
            let member_path = path.member(&member.name);
            let target = cx.target(member);
            let traits = cx.model().effective_traits(member);
            let flattened = member.traits.is_xml_flattened();
            let value = match (&target.kind, flattened) {
                (ShapeKind::List(item) | ShapeKind::Set(item), true) => {
                    let index = list_len(&read, &member.name);
                    let item_traits = cx.model().effective_traits(item);
                    let item = self.content(
                        &mut child,
                        cx.target(item),
                        &item_traits,
                        &member_path.index(index),
                    )?;
                    append(&mut read, &member.name, Entry::Item(item));
                    continue;
                }
                (ShapeKind::Map { key, value }, true) => {
                    let (entry_key, entry_value) =
                        self.map_entry(&mut child, key, value, &member_path)?;
                    append(&mut read, &member.name, Entry::Pair(entry_key, entry_value));
                    continue;
                }
                _ => self.content(&mut child, target, &traits, &member_path)?,
            };
            read.push((member.name.clone(), value));
        }
        Ok(read)
    }

    /// The value of `shape` held by `element`.
    fn content(
        &self,
        element: &mut ScopedDecoder<'_, '_>,
        shape: &'m Shape,
        traits: &Traits,
        path: &ValuePath,
    ) -> Result<Value, DecodeError> {
        let cx = self.decoding.cx;
        Ok(match &shape.kind {
            ShapeKind::Structure(_) => structure_value(
                shape,
                self.structure_members(element, shape, &|_| true, path)?,
            ),
            ShapeKind::Union(_) => {
                let mut read = self.structure_members(element, shape, &|_| true, path)?;
                if read.len() != 1 {
                    return Err(DecodeError::new(
                        path,
                        format!("a union element with {} members", read.len()),
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
                let item_name = item.traits.xml_name().unwrap_or("member");
                let item_traits = cx.model().effective_traits(item);
                let mut items = Vec::new();
                while let Some(mut child) = element.next_tag() {
                    if child.start_el().local() != local(item_name) {
                        continue;
                    }
                    let item_path = path.index(items.len());
                    items.push(self.content(
                        &mut child,
                        cx.target(item),
                        &item_traits,
                        &item_path,
                    )?);
                }
                Value::List(items)
            }
            ShapeKind::Map { key, value } => {
                let mut entries = Vec::new();
                while let Some(mut child) = element.next_tag() {
                    if child.start_el().local() == "entry" {
                        entries.push(self.map_entry(&mut child, key, value, path)?);
                    }
                }
                Value::Map(entries)
            }
            _ => {
                let text =
                    try_data(element).map_err(|error| DecodeError::new(path, error.to_string()))?;
                let format = timestamp_format(traits, TimestampFormat::DateTime);
                self.decoding.scalar_text(shape, &text, format, path)?
            }
        })
    }

    /// One `<key>`/`<value>` pair of a map entry element.
    fn map_entry(
        &self,
        entry: &mut ScopedDecoder<'_, '_>,
        key: &Member,
        value: &Member,
        path: &ValuePath,
    ) -> Result<(String, Value), DecodeError> {
        let cx = self.decoding.cx;
        let key_name = key.traits.xml_name().unwrap_or("key");
        let value_name = value.traits.xml_name().unwrap_or("value");
        let (mut entry_key, mut entry_value) = (None, None);
        while let Some(mut child) = entry.next_tag() {
            let name = child.start_el().local().to_owned();
            if name == local(key_name) {
                entry_key = Some(
                    try_data(&mut child)
                        .map_err(|error| DecodeError::new(path, error.to_string()))?
                        .into_owned(),
                );
            } else if name == local(value_name) {
                let entry_path = path.key(entry_key.as_deref().unwrap_or_default());
                let traits = cx.model().effective_traits(value);
                entry_value =
                    Some(self.content(&mut child, cx.target(value), &traits, &entry_path)?);
            }
        }
        match (entry_key, entry_value) {
            (Some(key), Some(value)) => Ok((key, value)),
            _ => Err(DecodeError::new(
                path,
                "a map entry without a key or a value",
            )),
        }
    }
}

/// What a flattened collection member gathers from one of its repeated elements.
enum Entry {
    Item(Value),
    Pair(String, Value),
}

/// Adds a flattened element's item or entry to the member's list or map read so far.
fn append(read: &mut Vec<(String, Value)>, member: &str, entry: Entry) {
    let existing = read.iter_mut().find(|(name, _)| name == member);
    match (existing, entry) {
        (Some((_, Value::List(items))), Entry::Item(item)) => items.push(item),
        (Some((_, Value::Map(entries))), Entry::Pair(key, value)) => entries.push((key, value)),
        (_, Entry::Item(item)) => read.push((member.to_owned(), Value::List(vec![item]))),
        (_, Entry::Pair(key, value)) => {
            read.push((member.to_owned(), Value::Map(vec![(key, value)])))
        }
    }
}

fn list_len(read: &[(String, Value)], member: &str) -> usize {
    match read.iter().find(|(name, _)| name == member) {
        Some((_, Value::List(items))) => items.len(),
        _ => 0,
    }
}

/// The local part of an element name (`xsi:type` → `type`).
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

fn document<'b>(bytes: &'b [u8], path: &ValuePath) -> Result<Document<'b>, DecodeError> {
    Document::try_from(bytes).map_err(|error| DecodeError::new(path, error.to_string()))
}

fn check_root(
    element: &ScopedDecoder<'_, '_>,
    root: &str,
    path: &ValuePath,
) -> Result<(), DecodeError> {
    let found = element.start_el().local();
    if found == local(root) {
        Ok(())
    } else {
        Err(DecodeError::new(
            path,
            format!("the root element is <{found}>, expected <{root}>"),
        ))
    }
}
