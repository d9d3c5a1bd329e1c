//! One response serializer per protocol. Each module owns everything its protocol decides:
//! content types, envelopes, where the error code goes, which headers carry the request id.
//! What several protocols share is in [`crate::response`], [`crate::http_bindings`] (REST),
//! [`crate::event_stream`] and the format writers.

use snapshot_model::{Member, Model, Protocol, Shape};
use snapshot_records::HttpResponse;
use snapshot_values::{Value, ValuePath};

use crate::http_bindings::HeaderRejection;
use crate::read::{DecodeError, Decoding};
use crate::request::parts::RequestParts;

use crate::variants::{ErrorForm, ResponseVariant};
use crate::{ModeledError, OperationContext, WireError};

mod aws_json;
mod aws_query;
mod ec2_query;
mod rest_json1;
mod rest_xml;
mod rpcv2_cbor;

/// Turns generated values into the responses a server of one protocol sends.
pub trait ResponseSerializer: Sync {
    /// The protocol this serializer speaks.
    fn protocol(&self) -> Protocol;

    /// The successful response carrying `output` (a value of the operation's output shape).
    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError>;

    /// The error response for a modeled error of the operation.
    fn error<'m>(
        &self,
        cx: &OperationContext<'_, 'm>,
        error: &ModeledError<'m>,
        value: &Value,
    ) -> Result<HttpResponse, WireError>;

    /// An error response in this protocol's format whose code the model does not declare
    /// ([`crate::UNMODELED_ERROR_CODE`]).
    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse;

    /// An error response in this protocol's format that names no error
    /// ([`crate::uncoded_error_response`]); `None` when the protocol always names one.
    fn uncoded_error(&self, _cx: &OperationContext<'_, '_>) -> Option<HttpResponse> {
        None
    }

    /// The [`ResponseVariant`]s this protocol offers for the operation, in
    /// [`ResponseVariant::ALL`] order; each module's doc says why.
    fn response_variants(&self, cx: &OperationContext<'_, '_>) -> Vec<ResponseVariant>;

    /// The [`ErrorForm`]s this protocol allows besides its own.
    fn error_forms(&self, _cx: &OperationContext<'_, '_>) -> Vec<ErrorForm> {
        Vec::new()
    }

    /// Whether `form` (one of [`Self::error_forms`]) can carry `error` at all: a form does not
    /// apply when the error's own members occupy the place it names the error in.
    fn error_form_applies(
        &self,
        _cx: &OperationContext<'_, '_>,
        _error: &ModeledError<'_>,
        _form: ErrorForm,
    ) -> bool {
        true
    }

    /// Whether `response` carries a document this protocol wrote (one a malformed variant can
    /// break), rather than no body, raw payload bytes or an event stream.
    fn is_document(&self, response: &HttpResponse) -> bool;

    /// Whether a top-level member of an output goes into the body document (the RPC
    /// protocols put every member there; the REST ones only those without HTTP bindings).
    fn binds_to_body(&self, _member: &Member) -> bool {
        true
    }

    /// Whether a list or map member sent empty comes back as an empty collection rather than
    /// as absent (XML's flattened collections have no element of their own).
    fn keeps_empty_collection(&self, _member: &Member) -> bool {
        true
    }
}

/// Reads the requests of one protocol back into the input members they carry, the way a
/// server of the protocol does (the request-side check, [`crate::check_request`]).
pub(crate) trait RequestDecoder: Sync {
    /// The members of `input` (the operation's input structure) that `parts` carries, in
    /// model order.
    fn decode_request<'m>(
        &self,
        decoding: &Decoding<'_, '_, 'm>,
        parts: &RequestParts,
        input: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError>;

    /// The rejected-header request cases of `input`: none for the protocols that put every
    /// member in the body; the REST protocols' header-bound members
    /// ([`crate::http_bindings::rejected_headers`]).
    fn rejected_headers(&self, _model: &Model, _input: &Shape) -> Vec<HeaderRejection> {
        Vec::new()
    }
}

/// The request decoder for `protocol` (the same type as its serializer).
pub(crate) fn decoder(protocol: Protocol) -> &'static dyn RequestDecoder {
    match protocol {
        Protocol::RpcV2Cbor => &rpcv2_cbor::RpcV2Cbor,
        Protocol::AwsJson1_0 => &aws_json::AWS_JSON_1_0,
        Protocol::AwsJson1_1 => &aws_json::AWS_JSON_1_1,
        Protocol::RestJson1 => &rest_json1::RestJson1,
        Protocol::RestXml => &rest_xml::RestXml,
        Protocol::AwsQuery => &aws_query::AwsQuery,
        Protocol::Ec2Query => &ec2_query::Ec2Query,
    }
}

/// The serializer for `protocol`.
pub fn serializer(protocol: Protocol) -> &'static dyn ResponseSerializer {
    match protocol {
        Protocol::RpcV2Cbor => &rpcv2_cbor::RpcV2Cbor,
        Protocol::AwsJson1_0 => &aws_json::AWS_JSON_1_0,
        Protocol::AwsJson1_1 => &aws_json::AWS_JSON_1_1,
        Protocol::RestJson1 => &rest_json1::RestJson1,
        Protocol::RestXml => &rest_xml::RestXml,
        Protocol::AwsQuery => &aws_query::AwsQuery,
        Protocol::Ec2Query => &ec2_query::Ec2Query,
    }
}
