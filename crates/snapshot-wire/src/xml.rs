//! XML bodies shared by restXml, awsQuery and ec2Query (their response bodies follow the same
//! XML binding rules; only the envelopes differ, and awsQuery and restXml share one error
//! envelope), written with `aws-smithy-xml`'s writer.
//!
//! Rules, as the clients' generated parsers read them:
//! * a member's element is its `@xmlName` or its member name; an `@xmlNamespace` on the member
//!   or its target becomes an `xmlns` attribute;
//! * lists wrap items in `<member>` (or the list member's `@xmlName`); `@xmlFlattened` lists
//!   repeat the member's own element instead, taking the namespace of the list's member;
//! * maps wrap entries in `<entry><key/><value/></entry>` (names from the key and value
//!   members' `@xmlName`); flattened maps repeat the member's element around key and value;
//! * `@xmlAttribute` members become attributes of their structure's element;
//! * timestamps default to date-time, blobs are base64, XML has no nulls and no documents.

use std::convert::Infallible;

use aws_smithy_xml::encode::{ElWriter, ScopeWriter, XmlWriter};
use snapshot_model::traits::{TimestampFormat, XmlNamespace};
use snapshot_model::{Member, Protocol, Shape, Traits};
use snapshot_values::{Value, ValuePath};

use crate::event_stream::EventCodec;
use crate::shaped::{self, member_path, Field, Scalar, Shaped};
use crate::variants::{
    ErrorForm, Malformation, METADATA_MESSAGE, UNKNOWN_MEMBER, UNKNOWN_VALUE, WRONG_ROOT,
    WRONG_TYPE_TEXT,
};
use crate::{
    timestamps, ModeledError, OperationContext, WireError, REQUEST_ID, UNMODELED_ERROR_MESSAGE,
};

/// The attribute the unknown-members style puts on every structure element.
const UNKNOWN_ATTRIBUTE: &str = "snapshotUnknownAttribute";

/// The media type of XML event payloads (the restXml codec declares `application/xml`).
pub(crate) const MEDIA_TYPE: &str = "application/xml";

/// Writes XML for one operation of an XML protocol.
pub(crate) struct XmlBody<'c, 'a, 'm> {
    cx: &'c OperationContext<'a, 'm>,
    protocol: Protocol,
}

/// The name of a top-level element for a payload member: the member's `@xmlName`, else the
/// target's `@xmlName`, else the target's shape name (the clients' payload parsers check this).
pub(crate) fn payload_root_name<'m>(member: &'m Member, target: &'m Shape) -> &'m str {
    member
        .traits
        .xml_name()
        .or_else(|| target.traits.xml_name())
        .unwrap_or_else(|| target.id.name())
}

/// The name of a structure's top-level element: its `@xmlName`, else its shape name.
pub(crate) fn structure_root_name(shape: &Shape) -> &str {
    shape.traits.xml_name().unwrap_or_else(|| shape.id.name())
}

/// The name of a response's root element: `name`, or [`WRONG_ROOT`] in the wrong-root style.
pub(crate) fn root_name<'n>(cx: &OperationContext<'_, '_>, name: &'n str) -> &'n str {
    if cx.style().malformation == Some(Malformation::WrongRoot) {
        WRONG_ROOT
    } else {
        name
    }
}

/// Adds an `xmlns` attribute when there is a namespace.
pub(crate) fn with_namespace<'a, 'b>(
    element: ElWriter<'a, 'b>,
    namespace: Option<&XmlNamespace>,
) -> ElWriter<'a, 'b> {
    match namespace {
        Some(namespace) => element.write_ns(&namespace.uri, namespace.prefix.as_deref()),
        None => element,
    }
}

/// Writes `<name>text</name>` into `scope`.
pub(crate) fn text_element(scope: &mut ScopeWriter<'_, '_>, name: &str, text: &str) {
    let mut element = scope.start_el(name).finish();
    element.data(text);
    element.finish();
}

/// A whole document built by `write`, which receives the document writer.
pub(crate) fn document<E>(
    write: impl FnOnce(&mut XmlWriter<'_>) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    let mut out = String::new();
    write(&mut XmlWriter::new(&mut out))?;
    Ok(out.into_bytes())
}

/// An error body in the `<ErrorResponse>` envelope awsQuery and restXml (unless it sets
/// `noErrorWrapping`) use: `<ErrorResponse xmlns=…><Error><Type>Sender|Receiver</Type>
/// <Code>…</Code>members…</Error><RequestId>…</RequestId></ErrorResponse>`, where `members`
/// writes into `<Error>`.
pub(crate) fn error_response_document<E>(
    namespace: Option<&XmlNamespace>,
    code: &str,
    fault: &'static str,
    members: impl FnOnce(&mut ScopeWriter<'_, '_>) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    document(|doc| {
        let mut response = with_namespace(doc.start_el("ErrorResponse"), namespace).finish();
        let mut error = response.start_el("Error").finish();
        text_element(&mut error, "Type", fault);
        text_element(&mut error, "Code", code);
        members(&mut error)?;
        error.finish();
        text_element(&mut response, "RequestId", REQUEST_ID);
        response.finish();
        Ok(())
    })
}

/// The members of the unmodeled error in every XML envelope: its `<Message>`.
pub(crate) fn unmodeled_error_members(scope: &mut ScopeWriter<'_, '_>) -> Result<(), Infallible> {
    text_element(scope, "Message", UNMODELED_ERROR_MESSAGE);
    Ok(())
}

/// The element of a structure member: its `@xmlName`, else its name.
pub(crate) fn element_name(member: &Member) -> &str {
    member.traits.xml_name().unwrap_or(&member.name)
}

impl<'c, 'a, 'm> XmlBody<'c, 'a, 'm> {
    pub(crate) fn new(cx: &'c OperationContext<'a, 'm>, protocol: Protocol) -> Self {
        XmlBody { cx, protocol }
    }

    /// `<root xmlns=…>fields</root>` for a structure.
    pub(crate) fn structure_document(
        &self,
        root: &str,
        namespace: Option<&XmlNamespace>,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        document(|doc| {
            let element = with_namespace(doc.start_el(root), namespace);
            self.write_structure(element, fields, path)
        })
    }

    /// A value of `member`'s target as a whole document rooted at `root` (an `@httpPayload`
    /// or `@eventPayload` structure or union, or S3's unwrapped output member); an empty root
    /// element when `value` is `None`. `namespace` applies when neither the member nor its
    /// target declares one.
    pub(crate) fn value_document(
        &self,
        root: &str,
        member: &'m Member,
        value: Option<&Value>,
        namespace: Option<&XmlNamespace>,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        let target = self.cx.target(member);
        let traits = self.cx.model().effective_traits(member);
        let own = traits.xml_namespace();
        let namespace = own.as_ref().or(namespace);
        let shaped = value
            .map(|value| shaped::read(self.cx, target, value, path))
            .transpose()?;
        document(|doc| {
            let element = with_namespace(doc.start_el(root), namespace);
            match shaped {
                Some(shaped) => self.write_content(element, &traits, target, shaped, path),
                None => {
                    element.finish().finish();
                    Ok(())
                }
            }
        })
    }

    /// Writes a structure into `element`: attribute members as attributes, the others as
    /// child elements.
    pub(crate) fn write_structure(
        &self,
        mut element: ElWriter<'_, '_>,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<(), WireError> {
        for field in fields
            .iter()
            .filter(|field| field.member.traits.is_xml_attribute())
        {
            let field_path = member_path(path, field);
            let traits = self.cx.model().effective_traits(field.member);
            let text = match shaped::read(
                self.cx,
                self.cx.target(field.member),
                field.value,
                &field_path,
            )? {
                Shaped::Scalar(scalar) => self.scalar_text(&traits, scalar, &field_path)?,
                _ => {
                    return Err(
                        self.unsupported(&field_path, "an aggregate value in an XML attribute")
                    )
                }
            };
            element.write_attribute(element_name(field.member), &text);
        }
        if self.cx.style().unknown_members {
            element.write_attribute(UNKNOWN_ATTRIBUTE, UNKNOWN_VALUE);
        }
        let mut scope = element.finish();
        for field in fields
            .iter()
            .filter(|field| !field.member.traits.is_xml_attribute())
        {
            self.write_member(&mut scope, field, &member_path(path, field))?;
        }
        self.write_unknown_member(&mut scope);
        scope.finish();
        Ok(())
    }

    /// In the unknown-members style, an element the model does not have.
    fn write_unknown_member(&self, scope: &mut ScopeWriter<'_, '_>) {
        if self.cx.style().unknown_members {
            text_element(scope, UNKNOWN_MEMBER, UNKNOWN_VALUE);
        }
    }

    /// Writes a structure's members as children of an envelope element the protocol opened
    /// (`<Error>`, ec2Query's `<OpResponse>`), which cannot hold the structure's attributes.
    pub(crate) fn write_children(
        &self,
        scope: &mut ScopeWriter<'_, '_>,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<(), WireError> {
        for field in fields {
            let field_path = member_path(path, field);
            if field.member.traits.is_xml_attribute() {
                return Err(self.unsupported(
                    &field_path,
                    "an @xmlAttribute member at the top of an envelope",
                ));
            }
            self.write_member(scope, field, &field_path)?;
        }
        self.write_unknown_member(scope);
        Ok(())
    }

    /// Writes an error's members into its envelope's error element. The message goes first as
    /// `<Message>`, whatever the member is called: it is the element every AWS XML error
    /// carries and the only one the clients' error metadata parsers read the message from (a
    /// lowercase `message` member reaches the error struct through that metadata). When the
    /// error models no message, [`ModeledError::wire_message`] is sent instead.
    ///
    /// [`ErrorForm::MessageMember`] sends `<Message>` with [`METADATA_MESSAGE`] and the message
    /// member under its own element name (`<message>`, where the shape's parser looks), when
    /// that name is not `Message` itself.
    pub(crate) fn write_error_members(
        &self,
        scope: &mut ScopeWriter<'_, '_>,
        fields: &[Field<'m, '_>],
        error: &ModeledError<'m>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let own_element = error
            .message_member()
            .filter(|member| fields.iter().any(|field| field.member.name == member.name))
            .map(element_name)
            .filter(|element| *element != "Message");
        if self.cx.style().error_form == Some(ErrorForm::MessageMember) && own_element.is_some() {
            text_element(scope, "Message", METADATA_MESSAGE);
            return self.write_children(scope, fields, path);
        }
        let is_message = |field: &&Field<'m, '_>| {
            field.member.name.eq_ignore_ascii_case("message")
                && field.member.traits.xml_name().is_none()
        };
        let message = fields.iter().find(is_message);
        match message {
            Some(field) => match shaped::read(
                self.cx,
                self.cx.target(field.member),
                field.value,
                &member_path(path, field),
            )? {
                Shaped::Scalar(Scalar::String(text)) => text_element(scope, "Message", text),
                _ => self.write_member(scope, field, &member_path(path, field))?,
            },
            None => {
                if let Some(text) = error.wire_message() {
                    text_element(scope, "Message", text);
                }
            }
        }
        let others: Vec<Field<'m, '_>> = fields
            .iter()
            .filter(|field| !is_message(field))
            .copied()
            .collect();
        self.write_children(scope, &others, path)
    }

    /// Writes one structure or union member as element(s) of `scope`. A member element
    /// carries the member's own `@xmlNamespace`, never its target's: a structure's namespace
    /// applies only where it is the document root (the protocol tests' `XmlNamespaces` cases).
    pub(crate) fn write_member(
        &self,
        scope: &mut ScopeWriter<'_, '_>,
        field: &Field<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let member = field.member;
        let name = element_name(member);
        let traits = self.cx.model().effective_traits(member);
        let target = self.cx.target(member);
        let shaped = shaped::read(self.cx, target, field.value, path)?;
        match shaped {
            Shaped::List {
                member: item,
                items,
            } if member.traits.is_xml_flattened() => {
                // A flattened list repeats the member's element; the item namespace is the
                // list member's, and the list member's `@xmlName` is ignored.
                let item_traits = self.cx.model().effective_traits(item);
                let item_namespace = item.traits.xml_namespace();
                let item_target = self.cx.target(item);
                for (index, value) in items.iter().enumerate() {
                    let item_path = path.index(index);
                    let shaped = self.entry(target, item, value, &item_path)?;
                    let element = with_namespace(scope.start_el(name), item_namespace.as_ref());
                    self.write_content(element, &item_traits, item_target, shaped, &item_path)?;
                }
            }
            Shaped::Map {
                key,
                value,
                entries,
            } if member.traits.is_xml_flattened() => {
                let namespace = member.traits.xml_namespace();
                for (entry_key, entry_value) in entries {
                    let entry_path = path.key(entry_key);
                    let shaped = self.entry(target, value, entry_value, &entry_path)?;
                    let mut element =
                        with_namespace(scope.start_el(name), namespace.as_ref()).finish();
                    self.write_map_entry(&mut element, key, value, entry_key, shaped, &entry_path)?;
                    element.finish();
                }
            }
            shaped => {
                let element =
                    with_namespace(scope.start_el(name), member.traits.xml_namespace().as_ref());
                self.write_content(element, &traits, target, shaped, path)?;
            }
        }
        Ok(())
    }

    fn write_content(
        &self,
        element: ElWriter<'_, '_>,
        traits: &Traits,
        shape: &'m Shape,
        shaped: Shaped<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        match shaped {
            Shaped::Structure(fields) => self.write_structure(element, &fields, path)?,
            Shaped::Union(field) => {
                let mut scope = element.finish();
                if self.cx.style().unknown_union_members {
                    text_element(&mut scope, UNKNOWN_MEMBER, UNKNOWN_VALUE);
                } else {
                    self.write_member(&mut scope, &field, &member_path(path, &field))?;
                }
                scope.finish();
            }
            Shaped::EventStream(_) => {
                return Err(self.unsupported(path, "an event stream inside a document"))
            }
            Shaped::List { member, items } => {
                let mut scope = element.finish();
                let name = member.traits.xml_name().unwrap_or("member");
                let item_traits = self.cx.model().effective_traits(member);
                let item_namespace = member.traits.xml_namespace();
                let item_target = self.cx.target(member);
                for (index, value) in items.iter().enumerate() {
                    let item_path = path.index(index);
                    let shaped = self.entry(shape, member, value, &item_path)?;
                    let item = with_namespace(scope.start_el(name), item_namespace.as_ref());
                    self.write_content(item, &item_traits, item_target, shaped, &item_path)?;
                }
                scope.finish();
            }
            Shaped::Map {
                key,
                value,
                entries,
            } => {
                let mut scope = element.finish();
                for (entry_key, entry_value) in entries {
                    let entry_path = path.key(entry_key);
                    let shaped = self.entry(shape, value, entry_value, &entry_path)?;
                    let mut entry = scope.start_el("entry").finish();
                    self.write_map_entry(&mut entry, key, value, entry_key, shaped, &entry_path)?;
                    entry.finish();
                }
                scope.finish();
            }
            Shaped::Scalar(scalar) => {
                let text = self.scalar_text(traits, scalar, path)?;
                let mut scope = element.finish();
                scope.data(&text);
                scope.finish();
            }
        }
        Ok(())
    }

    fn write_map_entry(
        &self,
        scope: &mut ScopeWriter<'_, '_>,
        key: &'m Member,
        value: &'m Member,
        entry_key: &str,
        shaped: Shaped<'m, '_>,
        path: &ValuePath,
    ) -> Result<(), WireError> {
        let key_element = with_namespace(
            scope.start_el(key.traits.xml_name().unwrap_or("key")),
            key.traits.xml_namespace().as_ref(),
        );
        let mut key_scope = key_element.finish();
        key_scope.data(entry_key);
        key_scope.finish();
        let value_traits = self.cx.model().effective_traits(value);
        let value_element = with_namespace(
            scope.start_el(value.traits.xml_name().unwrap_or("value")),
            value.traits.xml_namespace().as_ref(),
        );
        self.write_content(
            value_element,
            &value_traits,
            self.cx.target(value),
            shaped,
            path,
        )
    }

    /// A collection entry; XML cannot express the nulls of `@sparse` collections.
    fn entry<'v>(
        &self,
        collection: &'m Shape,
        member: &'m Member,
        value: &'v Value,
        path: &ValuePath,
    ) -> Result<Shaped<'m, 'v>, WireError> {
        shaped::entry(self.cx, collection, member, value, path)?
            .ok_or_else(|| self.unsupported(path, "a null entry of a @sparse collection"))
    }

    /// The text of a simple value in an XML body or attribute (timestamps default to
    /// date-time).
    pub(crate) fn scalar_text(
        &self,
        traits: &Traits,
        scalar: Scalar<'_>,
        path: &ValuePath,
    ) -> Result<String, WireError> {
        // Any text is a string, so only the other scalars can have the wrong type.
        let wrong_type = self.cx.style().malformation == Some(Malformation::WrongType);
        if wrong_type && !matches!(scalar, Scalar::String(_)) {
            return Ok(WRONG_TYPE_TEXT.to_owned());
        }
        scalar
            .text(
                self.cx,
                timestamps::format_for(traits, TimestampFormat::DateTime),
                path,
            )?
            .ok_or_else(|| self.unsupported(path, "a document"))
    }

    fn unsupported(&self, path: &ValuePath, what: &'static str) -> WireError {
        self.cx.unsupported(self.protocol, path, what)
    }
}

/// Event payloads: a structure is rooted at its own name, an `@eventPayload` member at the
/// payload root name (S3's `Stats` event, for one, is parsed from a `<Stats>` root).
impl<'m> EventCodec<'m> for XmlBody<'_, '_, 'm> {
    fn structure_of_nothing(&self) -> Vec<u8> {
        format!("<{}/>", crate::variants::UNKNOWN_MEMBER).into_bytes()
    }

    fn protocol(&self) -> Protocol {
        self.protocol
    }

    fn media_type(&self) -> &'static str {
        MEDIA_TYPE
    }

    fn structure(
        &self,
        shape: &'m Shape,
        fields: &[Field<'m, '_>],
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        self.structure_document(structure_root_name(shape), None, fields, path)
    }

    fn member(
        &self,
        member: &'m Member,
        value: &Value,
        path: &ValuePath,
    ) -> Result<Vec<u8>, WireError> {
        let root = payload_root_name(member, self.cx.target(member));
        self.value_document(root, member, Some(value), None, path)
    }
}
