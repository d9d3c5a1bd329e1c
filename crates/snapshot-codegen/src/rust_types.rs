//! Where a shape lives in a smithy-rs client crate and how its builder behaves.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use snapshot_model::{Member, Model, ServiceIndex, Shape, ShapeId, ShapeKind, SimpleType};

use crate::naming;

/// Rust paths of a client crate's types, for one service.
pub struct ClientTypes<'a, 'm> {
    index: &'a ServiceIndex<'m>,
    krate: Ident,
}

/// Builds an identifier, raw when smithy-rs escaped a keyword with `r#`.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

impl<'a, 'm> ClientTypes<'a, 'm> {
    /// Paths into the crate with library name `lib_name` (`aws_sdk_sts`).
    pub fn new(index: &'a ServiceIndex<'m>, lib_name: &str) -> Self {
        ClientTypes {
            index,
            krate: ident(lib_name),
        }
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.index.model()
    }

    /// The service index.
    pub fn index(&self) -> &'a ServiceIndex<'m> {
        self.index
    }

    /// The crate's library identifier.
    pub fn krate(&self) -> &Ident {
        &self.krate
    }

    /// The Rust type name of a named shape (renames applied).
    pub fn type_name(&self, shape: &ShapeId) -> String {
        naming::type_name(self.index.name(shape))
    }

    /// `::krate::types::Name`.
    pub fn type_path(&self, shape: &ShapeId) -> TokenStream {
        let krate = &self.krate;
        let name = ident(&self.type_name(shape));
        quote!(::#krate::types::#name)
    }

    /// The type of a structure value: `::krate::types::error::Name` for an `@error`
    /// structure, else `::krate::types::Name`.
    pub fn value_type_path(&self, shape: &Shape) -> TokenStream {
        if shape.traits.error().is_none() {
            return self.type_path(&shape.id);
        }
        let krate = &self.krate;
        let name = ident(&self.type_name(&shape.id));
        quote!(::#krate::types::error::#name)
    }

    /// `::krate::operation::op_name::OpNameOutput`: the output of an operation (smithy-rs
    /// names it after the operation, whatever the model's output shape is called).
    pub fn output_path(&self, operation: &str) -> TokenStream {
        let krate = &self.krate;
        let module = ident(&naming::operation_fn(operation));
        let name = ident(&naming::type_name(&format!("{operation}Output")));
        quote!(::#krate::operation::#module::#name)
    }

    /// `::krate::operation::op_name::OpNameError`: the error enum of an operation, named
    /// after the operation as the model spells it (route53's `GetDNSSECError`).
    pub fn operation_error_path(&self, operation: &str) -> TokenStream {
        let krate = &self.krate;
        let module = ident(&naming::operation_fn(operation));
        let name = ident(&format!("{operation}Error"));
        quote!(::#krate::operation::#module::#name)
    }

    /// `::krate::types::error::NameError`: the error type of an event stream.
    pub fn stream_error_path(&self, union: &ShapeId) -> TokenStream {
        let krate = &self.krate;
        let name = ident(&format!("{}Error", self.type_name(union)));
        quote!(::#krate::types::error::#name)
    }

    /// Whether values of this shape are a generated Rust enum (string enums).
    pub fn is_string_enum(&self, shape: &Shape) -> bool {
        match &shape.kind {
            ShapeKind::Enum(_) => true,
            ShapeKind::Simple(SimpleType::String) => shape.traits.enum_definitions().is_some(),
            _ => false,
        }
    }

    /// smithy-rs makes `build()` fallible when some member is neither optional nor defaulted.
    /// Its nullability is Smithy's "client careful" mode: `@required` makes a member
    /// non-optional unless it has `@clientOptional`, a `@default`, or targets a structure or
    /// union (servers are allowed to omit those).
    pub fn has_fallible_builder(&self, shape: &Shape) -> bool {
        match &shape.kind {
            ShapeKind::Structure(members) => members
                .iter()
                .any(|member| self.is_required_without_default(member)),
            _ => false,
        }
    }

    fn is_required_without_default(&self, member: &Member) -> bool {
        let traits = &member.traits;
        let target_is_aggregate = matches!(
            self.model().target(member).kind,
            ShapeKind::Structure(_) | ShapeKind::Union(_)
        );
        traits.is_required()
            && !traits.is_client_optional()
            && !target_is_aggregate
            && traits.default_value().is_none_or(|value| value.is_null())
    }
}
