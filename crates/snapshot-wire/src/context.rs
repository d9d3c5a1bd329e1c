//! What a serializer knows about the operation it answers for, and the model facts about
//! error shapes that several protocols share.

use std::cell::RefCell;

use snapshot_model::traits::{ErrorFault, XmlNamespace};
use snapshot_model::{Member, Model, OperationRef, Protocol, ServiceIndex, Shape, ShapeId};
use snapshot_records::{Precision, TypedValue};
use snapshot_values::ValuePath;

use crate::variants::{ErrorForm, Malformation};
use crate::WireError;

/// The operation a response is serialized for, within its service, and the style the
/// response is written in.
#[derive(Debug, Clone, Copy)]
pub struct OperationContext<'a, 'm> {
    index: &'a ServiceIndex<'m>,
    operation: OperationRef<'m>,
    style: ResponseStyle,
    notes: Option<&'a WireNotes>,
    /// The object a [`Malformation::CutInside`] response ends in.
    cut_at: Option<&'a ValuePath>,
}

/// What a serializer wrote differently from the value it was given, by value path, so that
/// [`crate::readback`] can say what a client reads back.
#[derive(Debug, Default)]
pub(crate) struct WireNotes(RefCell<Vec<(ValuePath, WireNote)>>);

/// One thing a serializer did to a value.
#[derive(Debug, Clone)]
pub(crate) enum WireNote {
    /// A timestamp written in a format that keeps this much of it.
    Timestamp(Precision),
    /// A member written with another value than the generated one (`Content-Length`).
    Carried(TypedValue),
    /// A member not written at all (`Content-Length` of a streamed body).
    Omitted,
}

impl WireNotes {
    /// The last note about `path`.
    pub(crate) fn get(&self, path: &ValuePath) -> Option<WireNote> {
        self.0
            .borrow()
            .iter()
            .rev()
            .find(|(noted, _)| noted == path)
            .map(|(_, note)| note.clone())
    }
}

/// How the writers spell a response: [`ResponseStyle::default`] is the canonical form (the
/// `min`/`max` responses); a [`crate::ResponseVariant`] or [`ErrorForm`] turns on the
/// deviations it stands for. Each knob is read by the format writer or protocol module that
/// owns the spelling, and ignored where the format has no such thing (XML has no nulls).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ResponseStyle {
    /// Every structure carries a member the model does not have, and every response an
    /// unknown header.
    pub unknown_members: bool,
    /// JSON and CBOR: every member a structure leaves unset is sent as `null`.
    pub null_members: bool,
    /// JSON: a union object also names each of its other members, with `null`.
    pub null_union_siblings: bool,
    /// Every union sets a member the model does not have instead of its own.
    pub unknown_union_members: bool,
    /// Timestamps written as text carry nanosecond digits (and http-dates their
    /// milliseconds).
    pub long_fractions: bool,
    /// CBOR: maps and arrays have indefinite length.
    pub indefinite_lengths: bool,
    /// A body without members is left out entirely instead of being an empty document.
    pub omit_empty_body: bool,
    /// S3: the response is an `<Error>` document with status 200.
    pub error_with_status_200: bool,
    /// The body is broken this way.
    pub malformation: Option<Malformation>,
    /// Errors: where the code goes; `None` is the protocol's own form.
    pub error_form: Option<ErrorForm>,
}

impl<'a, 'm> OperationContext<'a, 'm> {
    /// The context for `operation` of the service in `index`, writing canonical responses.
    pub fn new(index: &'a ServiceIndex<'m>, operation: OperationRef<'m>) -> Self {
        OperationContext {
            index,
            operation,
            style: ResponseStyle::default(),
            notes: None,
            cut_at: None,
        }
    }

    /// The same operation, written in `style`.
    pub(crate) fn with_style(self, style: ResponseStyle) -> Self {
        OperationContext { style, ..self }
    }

    /// The same operation, with the writer marking the object at `path` where a
    /// [`Malformation::CutInside`] response ends.
    pub(crate) fn cutting(self, path: &'a ValuePath) -> Self {
        OperationContext {
            cut_at: Some(path),
            ..self
        }
    }

    /// Whether the object at `path` is where the response is cut.
    pub(crate) fn cuts_at(&self, path: &ValuePath) -> bool {
        self.cut_at == Some(path)
    }

    /// The style responses are written in.
    pub(crate) fn style(&self) -> &ResponseStyle {
        &self.style
    }

    /// The same operation, with the serializer noting in `notes` what it writes differently
    /// from the value.
    pub(crate) fn noting(self, notes: &'a WireNotes) -> Self {
        OperationContext {
            notes: Some(notes),
            ..self
        }
    }

    /// Notes what was written at `path` (nothing happens without [`Self::noting`]).
    pub(crate) fn note(&self, path: &ValuePath, note: WireNote) {
        if let Some(notes) = self.notes {
            notes.0.borrow_mut().push((path.clone(), note));
        }
    }

    /// The service index.
    pub fn index(&self) -> &'a ServiceIndex<'m> {
        self.index
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.index.model()
    }

    /// The operation.
    pub fn operation(&self) -> OperationRef<'m> {
        self.operation
    }

    /// The operation's name, used in error messages.
    pub(crate) fn name(&self) -> String {
        self.operation.id().to_string()
    }

    pub(crate) fn shape(&self, id: &ShapeId) -> Result<&'m Shape, WireError> {
        self.model()
            .shape(id)
            .ok_or_else(|| WireError::UnknownShape {
                operation: self.name(),
                shape: id.clone(),
            })
    }

    pub(crate) fn target(&self, member: &Member) -> &'m Shape {
        self.model().target(member)
    }

    /// The operation's output structure (`smithy.api#Unit` when it has none).
    pub(crate) fn output_shape(&self) -> Result<&'m Shape, WireError> {
        self.shape(&self.operation.operation.output)
    }

    pub(crate) fn has_unit_output(&self) -> bool {
        self.operation.operation.output.as_str() == snapshot_model::prelude::UNIT
    }

    /// The status of a successful response: `@http(code)`, else 200.
    pub(crate) fn success_status(&self) -> u16 {
        self.operation
            .shape
            .traits
            .http()
            .map_or(200, |http| http.code)
    }

    /// Responses to HEAD carry no body, whatever the model binds to it.
    pub(crate) fn is_head(&self) -> bool {
        self.operation
            .shape
            .traits
            .http()
            .is_some_and(|http| http.method.eq_ignore_ascii_case("HEAD"))
    }

    /// The service's `@xmlNamespace`, which XML protocols put on the root of every body.
    pub(crate) fn service_xml_namespace(&self) -> Option<XmlNamespace> {
        self.index.shape().traits.xml_namespace()
    }

    pub(crate) fn mismatch(
        &self,
        path: &ValuePath,
        shape: &Shape,
        found: &'static str,
    ) -> WireError {
        WireError::ValueMismatch {
            operation: self.name(),
            path: path.to_string(),
            shape: shape.id.clone(),
            expected: shape.kind.type_name(),
            found,
        }
    }

    /// `protocol` has no way to carry `what`, found at `path`.
    pub(crate) fn unsupported(
        &self,
        protocol: Protocol,
        path: &ValuePath,
        what: &'static str,
    ) -> WireError {
        WireError::Unsupported {
            operation: self.name(),
            protocol,
            path: path.to_string(),
            what,
        }
    }
}

/// An error shape an operation declares, with the facts every protocol reads from it.
#[derive(Debug, Clone, Copy)]
pub struct ModeledError<'m> {
    shape: &'m Shape,
    fault: ErrorFault,
}

impl<'m> ModeledError<'m> {
    /// `error` as an error of the operation in `cx`; fails when neither the operation nor its
    /// service declares it.
    pub fn resolve(cx: &OperationContext<'_, 'm>, error: &ShapeId) -> Result<Self, WireError> {
        let declared = cx.index().operation_errors(&cx.operation());
        if !declared.contains(error) {
            return Err(WireError::UndeclaredError {
                operation: cx.name(),
                error: error.clone(),
                declared: if declared.is_empty() {
                    "none".to_owned()
                } else {
                    declared
                        .iter()
                        .map(ShapeId::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            });
        }
        let shape = cx.shape(error)?;
        Ok(ModeledError {
            shape,
            // Smithy requires `@error` on error shapes; a model without it is treated as the
            // caller's fault, the default of every protocol.
            fault: shape.traits.error().unwrap_or(ErrorFault::Client),
        })
    }

    /// The error structure.
    pub fn shape(&self) -> &'m Shape {
        self.shape
    }

    /// The shape name, which is the error code on the wire for most protocols.
    pub fn name(&self) -> &'m str {
        self.shape.id.name()
    }

    /// Whose fault the error is.
    pub fn fault(&self) -> ErrorFault {
        self.fault
    }

    /// The message to send in the protocol's message field when the error shape models no
    /// `message` member: real services always send one, and clients expose it through
    /// `ProvideErrorMetadata::message`.
    pub(crate) fn wire_message(&self) -> Option<&'static str> {
        let models_message = self
            .shape
            .kind
            .members()
            .iter()
            .any(|member| member.name.eq_ignore_ascii_case("message"));
        (!models_message).then_some(crate::ERROR_MESSAGE)
    }

    /// The member smithy-rs makes the error's `message` field of: the one named `message`,
    /// else `Message` (the generated dispatch fills it from the error metadata when the
    /// shape's parser leaves it unset).
    pub(crate) fn message_member(&self) -> Option<&'m Member> {
        let members = self.shape.kind.members();
        ["message", "Message"]
            .into_iter()
            .find_map(|name| members.iter().copied().find(|member| member.name == name))
    }

    /// The status from `@httpError`, else 400 for client and 500 for server faults.
    pub(crate) fn http_status(&self) -> u16 {
        self.shape.traits.http_error().unwrap_or(match self.fault {
            ErrorFault::Client => 400,
            ErrorFault::Server => 500,
        })
    }

    /// The awsQuery error code: `@awsQueryError(code)`, else the shape name.
    pub(crate) fn query_code(&self) -> String {
        self.shape
            .traits
            .aws_query_error()
            .map_or_else(|| self.name().to_owned(), |error| error.code)
    }

    /// The awsQuery status: `@awsQueryError(httpResponseCode)`, else [`Self::http_status`].
    pub(crate) fn query_status(&self) -> u16 {
        self.shape
            .traits
            .aws_query_error()
            .map_or_else(|| self.http_status(), |error| error.http_response_code)
    }

    /// The awsQuery `<Type>`: who is to blame.
    pub(crate) fn query_type(&self) -> &'static str {
        query_type(self.fault)
    }
}

/// The awsQuery error type for a fault (`Sender` / `Receiver`).
pub(crate) fn query_type(fault: ErrorFault) -> &'static str {
    match fault {
        ErrorFault::Client => "Sender",
        ErrorFault::Server => "Receiver",
    }
}
