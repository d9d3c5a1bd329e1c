//! The reading side of an operation's harness code, beside the builders of [`crate::construct`]:
//! for every shape the operation's output, errors and output event stream reach, an impl of
//! `snapshot_harness::read::Read<Readers>` that turns the client's value into a neutral
//! `TypedValue` through its public fields, and the code that hands the call's result to the
//! runtime with those readers.
//!
//! smithy-rs facts the readers rely on (checked against the generated crates' source):
//! * structures have a `pub` field per member (renames and keyword escapes of
//!   [`naming::structure_member`]); whether it is an `Option` does not matter, since the
//!   runtime's `Read` covers both;
//! * an operation's output is `operation::<op>::<Op>Output` ([`naming::type_name`] of the
//!   operation name and `Output`), its error enum `operation::<op>::<Op>Error` (the operation
//!   name as in the model), with one variant per declared error named like the error's type;
//! * error structures live in `types::error`, other structures, unions and enums in `types`;
//! * an output event stream member is an `EventReceiver` of the union without its exception
//!   members, and of `types::error::<Union>Error`, whose variants are those members;
//! * a streaming blob member is a `ByteStream`, read after the output by draining it.
//!
//! Each operation module declares its own `Readers` marker type, so the impls of one
//! operation never collide with another's and a member one crate version lacks fails only
//! the operations that read it.
//!
//! With the crate's API known ([`ClientDrift`]), a member, variant or error the crate cannot
//! hold is not read: the plan dropped it from the value the response was serialized from and
//! from the value the round trip expects, so reading it would only break the build.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use snapshot_model::{prelude, Member, OperationRef, Shape, ShapeId, ShapeKind, SimpleType};

use crate::drift::{ClientDrift, ValueRoot};
use crate::naming;
use crate::rust_types::{ident, ClientTypes};

/// The namespace of the Smithy prelude, whose shapes are Rust standard or runtime types.
const PRELUDE_NAMESPACE: &str = "smithy.api";

/// The reading code of one operation module.
pub(crate) struct ReadCode {
    /// The `Readers` marker type and every `Read` impl, as module items.
    pub items: TokenStream,
    /// An expression of type `Called` made from `result`, the value of `send().await`.
    pub outcome: TokenStream,
}

/// A member whose value the output reader skips because it has to be drained after the
/// call: an event stream or a streaming blob.
enum Streamed<'m> {
    Events(&'m Member),
    Body(&'m Member),
}

/// Generates the readers and the outcome expression of `operation`; `drift` (when the
/// crate's API is known) leaves out what the crate cannot hold.
pub(crate) fn read_code(
    types: &ClientTypes<'_, '_>,
    drift: Option<&ClientDrift<'_, '_>>,
    operation: OperationRef<'_>,
) -> ReadCode {
    let mut readers = Readers {
        types,
        drift,
        queued: BTreeSet::new(),
        queue: Vec::new(),
        impls: Vec::new(),
    };
    let model = types.model();
    let members: Vec<&Member> = match model.shape(&operation.operation.output) {
        Some(output) => readers.held_members(Some(ValueRoot::Output(&operation)), output),
        None => Vec::new(),
    };
    let streamed: Vec<Streamed<'_>> = members
        .iter()
        .filter_map(|member| streamed_member(types, member))
        .collect();
    let read_members: Vec<&Member> = members
        .iter()
        .copied()
        .filter(|member| streamed_member(types, member).is_none())
        .collect();
    readers.structure_impl(&types.output_path(operation.name()), &read_members);
    readers.error_enum_impl(operation);
    for streamed_member in &streamed {
        if let Streamed::Events(member) = streamed_member {
            readers.enqueue(&member.target);
        }
    }
    readers.drain();
    let impls = readers.impls;
    ReadCode {
        items: quote! {
            /// Marks the `Read` impls of this operation's types.
            pub(crate) struct Readers;
            #(#impls)*
        },
        outcome: outcome(&streamed),
    }
}

fn streamed_member<'m>(types: &ClientTypes<'_, '_>, member: &'m Member) -> Option<Streamed<'m>> {
    let target = types.model().target(member);
    if !target.traits.is_streaming() {
        return None;
    }
    match target.kind {
        ShapeKind::Union(_) => Some(Streamed::Events(member)),
        ShapeKind::Simple(SimpleType::Blob) => Some(Streamed::Body(member)),
        _ => None,
    }
}

fn outcome(streamed: &[Streamed<'_>]) -> TokenStream {
    let read = quote!(::snapshot_harness::read);
    let outcome = quote!(::snapshot_harness::outcome);
    if let Some(member) = streamed.iter().find_map(|streamed| match streamed {
        Streamed::Events(member) => Some(*member),
        Streamed::Body(_) => None,
    }) {
        let field = ident(&naming::structure_member(&member.name));
        let name = &member.name;
        return quote! {
            match result {
                ::std::result::Result::Ok(mut output) => {
                    let mut log = #outcome::EventLog::<Readers>::new();
                    loop {
                        match output.#field.recv().await {
                            ::std::result::Result::Ok(::std::option::Option::Some(event)) => log.event(&event),
                            ::std::result::Result::Ok(::std::option::Option::None) => break,
                            ::std::result::Result::Err(error) => {
                                log.error(&error);
                                break;
                            }
                        }
                    }
                    #outcome::streamed_output::<Readers, _>(&output, #name, log)
                }
                ::std::result::Result::Err(error) => #outcome::from_error::<Readers, _>(error),
            }
        };
    }
    let bodies: Vec<TokenStream> = streamed
        .iter()
        .filter_map(|streamed| match streamed {
            Streamed::Body(member) => {
                let field = ident(&naming::structure_member(&member.name));
                let name = &member.name;
                Some(quote!(.with_member(#name, #read::byte_stream(output.#field).await)))
            }
            Streamed::Events(_) => None,
        })
        .collect();
    if bodies.is_empty() {
        return quote!(#outcome::from_result::<Readers, _, _>(result));
    }
    quote! {
        match result {
            ::std::result::Result::Ok(output) => {
                #outcome::output::<Readers, _>(&output) #(#bodies)*
            }
            ::std::result::Result::Err(error) => #outcome::from_error::<Readers, _>(error),
        }
    }
}

struct Readers<'t, 'a, 'm> {
    types: &'t ClientTypes<'a, 'm>,
    drift: Option<&'t ClientDrift<'t, 't>>,
    queued: BTreeSet<ShapeId>,
    queue: Vec<ShapeId>,
    impls: Vec<TokenStream>,
}

impl Readers<'_, '_, '_> {
    /// The members of the structure `shape` the crate's type holds (all, without drift).
    fn held_members<'s>(
        &self,
        root: Option<ValueRoot<'_, '_>>,
        shape: &'s Shape,
    ) -> Vec<&'s Member> {
        let members = shape.kind.members();
        match self.drift {
            Some(drift) => members
                .into_iter()
                .filter(|member| drift.holds_member(root, shape, member))
                .collect(),
            None => members,
        }
    }

    /// The members of the union `shape` the crate's enum has a variant for.
    fn held_variants<'s>(&self, shape: &Shape, members: &'s [Member]) -> Vec<&'s Member> {
        members
            .iter()
            .filter(|member| {
                self.drift
                    .is_none_or(|drift| drift.holds_variant(shape, member))
            })
            .collect()
    }

    /// Queues a shape for an impl; prelude shapes (simple types, `Unit`) have no client type.
    fn enqueue(&mut self, id: &ShapeId) {
        if id.namespace() == PRELUDE_NAMESPACE {
            return;
        }
        if self.queued.insert(id.clone()) {
            self.queue.push(id.clone());
        }
    }

    /// Generates an impl for every queued shape that the client represents with a type of
    /// its own, following members to the shapes they reach.
    fn drain(&mut self) {
        let model = self.types.model();
        while let Some(id) = self.queue.pop() {
            let Some(shape) = model.shape(&id) else {
                continue;
            };
            match &shape.kind {
                ShapeKind::Structure(_) | ShapeKind::Union(_)
                    if self.drift.is_some_and(|drift| !drift.has_type(shape)) => {}
                ShapeKind::Structure(_) => {
                    let members = self.held_members(None, shape);
                    self.structure_impl(&self.types.value_type_path(shape), &members);
                }
                ShapeKind::Union(members) if shape.traits.is_streaming() => {
                    self.event_stream_impls(shape, members);
                }
                ShapeKind::Union(members) => self.union_impl(shape, members),
                ShapeKind::Enum(_) | ShapeKind::Simple(SimpleType::String)
                    if self.types.is_string_enum(shape) =>
                {
                    let path = self.types.type_path(&shape.id);
                    self.push_impl(
                        &path,
                        quote!(::snapshot_harness::read::enum_value(self.as_str())),
                    );
                }
                _ => {}
            }
            // Structures and unions queue the members they read; lists and maps their items.
            if !matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_)) {
                for member in shape.kind.members() {
                    self.enqueue(&member.target);
                }
            }
        }
    }

    fn push_impl(&mut self, path: &TokenStream, body: TokenStream) {
        self.impls.push(quote! {
            #[allow(deprecated)]
            impl ::snapshot_harness::read::Read<Readers> for #path {
                fn read(&self) -> ::snapshot_harness::records::TypedValue {
                    #body
                }
            }
        });
    }

    fn structure_impl(&mut self, path: &TokenStream, members: &[&Member]) {
        let added = members.iter().map(|member| {
            let field = ident(&naming::structure_member(&member.name));
            let name = &member.name;
            quote!(.member(#name, &self.#field))
        });
        self.push_impl(
            path,
            quote!(::snapshot_harness::read::Members::<Readers>::new() #(#added)* .finish()),
        );
        for member in members {
            self.enqueue(&member.target);
        }
    }

    fn union_impl(&mut self, shape: &Shape, members: &[Member]) {
        let held = self.held_variants(shape, members);
        let arms = held.iter().map(|member| variant_arm(member, &member.name));
        let body = quote! {
            #[allow(unreachable_patterns)]
            match self {
                #(#arms)*
                _ => ::snapshot_harness::read::unknown_variant(),
            }
        };
        self.push_impl(&self.types.type_path(&shape.id), body);
        for member in held {
            self.enqueue(&member.target);
        }
    }

    /// An output event stream: the event union (without exception members) and the
    /// stream's error enum (the exception members).
    fn event_stream_impls(&mut self, shape: &Shape, members: &[Member]) {
        let model = self.types.model();
        let held = self.held_variants(shape, members);
        let (exceptions, events): (Vec<&Member>, Vec<&Member>) = held
            .iter()
            .copied()
            .partition(|member| model.target(member).traits.error().is_some());
        let event_arms = events
            .iter()
            .map(|member| variant_arm(member, &member.name));
        self.push_impl(
            &self.types.type_path(&shape.id),
            quote! {
                #[allow(unreachable_patterns)]
                match self {
                    #(#event_arms)*
                    _ => ::snapshot_harness::read::unknown_variant(),
                }
            },
        );
        let error_arms = exceptions
            .iter()
            .map(|member| variant_arm(member, &member.name));
        self.push_impl(
            &self.types.stream_error_path(&shape.id),
            quote! {
                #[allow(unreachable_patterns)]
                match self {
                    #(#error_arms)*
                    _ => ::snapshot_harness::read::unhandled_error(self),
                }
            },
        );
        for member in held {
            self.enqueue(&member.target);
        }
    }

    /// The operation's error enum: one variant per declared error, named like its type and
    /// read as a union member named by the error shape's name in the service.
    fn error_enum_impl(&mut self, operation: OperationRef<'_>) {
        let index = self.types.index();
        let errors: Vec<ShapeId> = index
            .operation_errors(&operation)
            .into_iter()
            .filter(|error| {
                self.drift
                    .is_none_or(|drift| drift.error_variant(&operation, error).is_ok())
            })
            .collect();
        let arms: Vec<TokenStream> = errors
            .iter()
            .map(|error| {
                let name = index.name(error);
                let variant = ident(&self.types.type_name(error));
                quote!(Self::#variant(inner) => ::snapshot_harness::read::variant::<Readers, _>(#name, inner),)
            })
            .collect();
        self.push_impl(
            &self.types.operation_error_path(operation.name()),
            quote! {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                    _ => ::snapshot_harness::read::unhandled_error(self),
                }
            },
        );
        for error in &errors {
            self.enqueue(error);
        }
    }
}

/// `Self::Variant(inner) => variant("Member", inner),` (or a unit variant) for a union member.
fn variant_arm(member: &Member, label: &str) -> TokenStream {
    let variant = ident(&naming::union_variant(&member.name));
    if member.target.as_str() == prelude::UNIT {
        quote!(Self::#variant => ::snapshot_harness::read::unit_variant(#label),)
    } else {
        quote!(Self::#variant(inner) => ::snapshot_harness::read::variant::<Readers, _>(#label, inner),)
    }
}
