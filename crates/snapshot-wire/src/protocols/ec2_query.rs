//! `aws.protocols#ec2Query`. No client in the corpus uses it; the rules follow smithy-rs's
//! EC2 parser (responses "identical to REST XML's, except that they are wrapped in a
//! Response tag") and the Smithy ec2Query protocol tests.
//!
//! * Outputs: `<OpResponse xmlns="<service namespace>"><requestId>…</requestId>members…
//!   </OpResponse>`: no result wrapper, members by the XML rules shared with restXml (element
//!   names from `@xmlName`, which EC2 models use for their lower-camel names and `item` list
//!   members; `@ec2QueryName` only names request parameters). `text/xml;charset=UTF-8`.
//! * Errors: `<Response><Errors><Error><Code>…</Code>members…</Error></Errors>
//!   <RequestID>…</RequestID></Response>`, code = shape name, status from `@httpError` or the
//!   fault.
//! * Request id: `x-amzn-requestid` and in the body.
//! * Requests: `Action=<Op>&Version=<version>` and the input's members as form parameters
//!   named by `@ec2QueryName`, else `@xmlName` with its first letter upper-cased, else the
//!   member name with its first letter upper-cased; every list is flattened (`Name.N`).
//!
//! Variants: the bodies are read by smithy-rs's XML readers as for restXml, so the same
//! variants but S3's. Error forms: the client reads only the `<Response><Errors><Error>`
//! envelope's `<Code>`, so there are none.

use aws_smithy_xml::encode::ScopeWriter;
use std::borrow::Cow;

use snapshot_model::{Member, Protocol, Shape};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{RequestDecoder, ResponseSerializer};
use crate::read::form::{Form, FormReader, FormRules};
use crate::read::{DecodeError, Decoding};
use crate::request::parts::RequestParts;
use crate::response::{has_document, rpc_response};
use crate::shaped::Root;
use crate::variants::{ErrorForm, Malformation, ResponseVariant};
use crate::xml::{self, root_name, text_element, with_namespace, XmlBody};
use crate::{ModeledError, OperationContext, WireError, REQUEST_ID, UNMODELED_ERROR_CODE};

const CONTENT_TYPE: &str = "text/xml;charset=UTF-8";

pub(crate) struct Ec2Query;

/// ec2Query names a parameter by `@ec2QueryName`, else `@xmlName` or the member name with its
/// first letter upper-cased, and flattens every list.
const EC2_QUERY_FORM: FormRules = FormRules {
    member_key: |member| match member.traits.ec2_query_name() {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(capitalized(
            member.traits.xml_name().unwrap_or(&member.name),
        )),
    },
    lists_always_flat: true,
};

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn response(status: u16, data: Vec<u8>) -> HttpResponse {
    rpc_response(status, Some(CONTENT_TYPE), Vec::new(), Body::Bytes { data })
}

fn error_body<E>(
    code: &str,
    members: impl FnOnce(&mut ScopeWriter<'_, '_>) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    xml::document(|doc| {
        let mut response = doc.start_el("Response").finish();
        let mut errors = response.start_el("Errors").finish();
        let mut error = errors.start_el("Error").finish();
        text_element(&mut error, "Code", code);
        members(&mut error)?;
        error.finish();
        errors.finish();
        text_element(&mut response, "RequestID", REQUEST_ID);
        response.finish();
        Ok(())
    })
}

impl ResponseSerializer for Ec2Query {
    fn protocol(&self) -> Protocol {
        Protocol::Ec2Query
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        let output = Root::read(cx, cx.output_shape()?, output)?;
        let writer = XmlBody::new(cx, Protocol::Ec2Query);
        let response_name = format!("{}Response", cx.operation().name());
        let namespace = cx.service_xml_namespace();
        let data = xml::document(|doc| {
            let mut response = with_namespace(
                doc.start_el(root_name(cx, &response_name)),
                namespace.as_ref(),
            )
            .finish();
            text_element(&mut response, "requestId", REQUEST_ID);
            writer.write_children(&mut response, &output.fields, &output.path)?;
            response.finish();
            Ok(())
        })?;
        Ok(response(200, data))
    }

    fn error<'m>(
        &self,
        cx: &OperationContext<'_, 'm>,
        error: &ModeledError<'m>,
        value: &Value,
    ) -> Result<HttpResponse, WireError> {
        let root = Root::read(cx, error.shape(), value)?;
        let writer = XmlBody::new(cx, Protocol::Ec2Query);
        let data = error_body(error.name(), |scope| {
            writer.write_error_members(scope, &root.fields, error, &root.path)
        })?;
        Ok(response(error.http_status(), data))
    }

    fn unmodeled_error(&self, _cx: &OperationContext<'_, '_>) -> HttpResponse {
        let Ok(data) = error_body(UNMODELED_ERROR_CODE, xml::unmodeled_error_members);
        response(400, data)
    }

    fn response_variants(&self, _cx: &OperationContext<'_, '_>) -> Vec<ResponseVariant> {
        vec![
            ResponseVariant::UnknownMembers,
            ResponseVariant::UnknownUnionMembers,
            ResponseVariant::EmptyCollections,
            ResponseVariant::EmptyStrings,
            ResponseVariant::TimestampsWholeSeconds,
            ResponseVariant::TimestampsLongFractions,
            ResponseVariant::Malformed(Malformation::WrongRoot),
            ResponseVariant::Malformed(Malformation::WrongType),
            ResponseVariant::Malformed(Malformation::Truncated),
        ]
    }

    fn error_forms(&self, _cx: &OperationContext<'_, '_>) -> Vec<ErrorForm> {
        ErrorForm::BODY.to_vec()
    }

    fn is_document(&self, response: &HttpResponse) -> bool {
        has_document(response, CONTENT_TYPE)
    }

    fn keeps_empty_collection(&self, member: &Member) -> bool {
        !member.traits.is_xml_flattened()
    }
}

impl RequestDecoder for Ec2Query {
    fn decode_request<'m>(
        &self,
        decoding: &Decoding<'_, '_, 'm>,
        parts: &RequestParts,
        input: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let form = Form::parse(&parts.body);
        let operation = decoding.cx.operation().name();
        if !parts.compressed && form.get("Action") != Some(operation) {
            return Err(DecodeError::new(
                path,
                format!(
                    "the form's Action is {:?}, not `{operation}`",
                    form.get("Action")
                ),
            ));
        }
        FormReader::new(decoding, EC2_QUERY_FORM).members(&form, input, path)
    }
}
