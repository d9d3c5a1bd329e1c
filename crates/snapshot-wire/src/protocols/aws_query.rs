//! `aws.protocols#awsQuery`.
//!
//! * Outputs: `<OpResponse xmlns="<service namespace>"><OpResult>members…</OpResult>
//!   <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>`, members by
//!   the XML rules shared with restXml, `text/xml`. The client checks the root is
//!   `<Op>Response` and its first child `<Op>Result`; operations without output have no
//!   result element (their clients do not read the body).
//! * Errors: `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code>…</Code>members…</Error>
//!   <RequestId>…</RequestId></ErrorResponse>`. The code is `@awsQueryError(code)` when
//!   present (the generated matchers expect `MalformedPolicyDocument`, not the shape name),
//!   and so is the status; otherwise the shape name and `@httpError` or the fault.
//! * Request id: the client reads only the `x-amzn-requestid` header; the body carries the
//!   same id where services put it.
//! * Requests: `Action=<Op>&Version=<version>` and the input's members as form parameters
//!   named by `@xmlName` or member name (see [`crate::read::form`]).
//!
//! Variants: the bodies are read by the same generated XML readers as restXml's, so the same
//! variants but S3's (unknown elements and attributes, unknown union elements, empty
//! collections and strings, timestamp forms, malformations). Error forms: the client reads
//! only the `<ErrorResponse><Error>` envelope's `<Code>`, so there are none.

use std::borrow::Cow;

use snapshot_model::traits::ErrorFault;
use snapshot_model::{Member, Protocol, Shape};
use snapshot_records::{Body, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{RequestDecoder, ResponseSerializer};
use crate::context::query_type;
use crate::read::form::{Form, FormReader, FormRules};
use crate::read::{DecodeError, Decoding};
use crate::request::parts::RequestParts;
use crate::response::{has_document, rpc_response};
use crate::shaped::Root;
use crate::variants::{ErrorForm, Malformation, ResponseVariant};
use crate::xml::{self, root_name, text_element, with_namespace, XmlBody};
use crate::{ModeledError, OperationContext, WireError, REQUEST_ID, UNMODELED_ERROR_CODE};

const CONTENT_TYPE: &str = "text/xml";

pub(crate) struct AwsQuery;

/// awsQuery names a parameter by the member's `@xmlName`, else its name, and flattens only
/// `@xmlFlattened` lists.
const AWS_QUERY_FORM: FormRules = FormRules {
    member_key: |member| Cow::Borrowed(member.traits.xml_name().unwrap_or(&member.name)),
    lists_always_flat: false,
};

fn response(status: u16, data: Vec<u8>) -> HttpResponse {
    rpc_response(status, Some(CONTENT_TYPE), Vec::new(), Body::Bytes { data })
}

impl ResponseSerializer for AwsQuery {
    fn protocol(&self) -> Protocol {
        Protocol::AwsQuery
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        let output = Root::read(cx, cx.output_shape()?, output)?;
        let writer = XmlBody::new(cx, Protocol::AwsQuery);
        let name = cx.operation().name();
        let response_name = format!("{name}Response");
        let result_name = format!("{name}Result");
        let namespace = cx.service_xml_namespace();
        let data = xml::document(|doc| {
            let mut response = with_namespace(
                doc.start_el(root_name(cx, &response_name)),
                namespace.as_ref(),
            )
            .finish();
            if !cx.has_unit_output() {
                writer.write_structure(
                    response.start_el(&result_name),
                    &output.fields,
                    &output.path,
                )?;
            }
            let mut metadata = response.start_el("ResponseMetadata").finish();
            text_element(&mut metadata, "RequestId", REQUEST_ID);
            metadata.finish();
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
        let writer = XmlBody::new(cx, Protocol::AwsQuery);
        let data = xml::error_response_document(
            cx.service_xml_namespace().as_ref(),
            &error.query_code(),
            error.query_type(),
            |scope| writer.write_error_members(scope, &root.fields, error, &root.path),
        )?;
        Ok(response(error.query_status(), data))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let Ok(data) = xml::error_response_document(
            cx.service_xml_namespace().as_ref(),
            UNMODELED_ERROR_CODE,
            query_type(ErrorFault::Client),
            xml::unmodeled_error_members,
        );
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

impl RequestDecoder for AwsQuery {
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
        FormReader::new(decoding, AWS_QUERY_FORM).members(&form, input, path)
    }
}
