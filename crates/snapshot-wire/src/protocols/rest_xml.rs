//! `aws.protocols#restXml`.
//!
//! * Outputs: HTTP bindings as for restJson1; the other members form an XML document rooted
//!   at the output structure's `@xmlName` or shape name (`ListBucketResult`,
//!   `ListHostedZonesResponse`), carrying the service's `@xmlNamespace`; an `@httpPayload`
//!   structure is rooted at the member's `@xmlName`, else the target's name. Content type
//!   `application/xml`.
//! * `@aws.customizations#s3UnwrappedXmlOutput` operations (S3 `GetBucketLocation`): the
//!   single body member is the root element itself (`<LocationConstraint>`), which is what the
//!   client's parser matches.
//! * Errors: `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code>members…</Error>
//!   <RequestId>…</RequestId></ErrorResponse>`; the client finds `<Error>` at depth 1 and reads
//!   `Code`, `Message` and the members there. With `restXml(noErrorWrapping: true)` (S3) the
//!   body is `<Error><Code>…</Code>members…<RequestId/><HostId/></Error>`, read from the root.
//!   Responses to HEAD have no body: S3's client then falls back to `NotFound` for 404s.
//! * Request id: `x-amzn-requestid`; S3 and S3 Control send `x-amz-request-id` and
//!   `x-amz-id-2` instead (the S3 client reads the extended id from the latter).
//!
//! * Requests: the HTTP bindings of [`crate::http_request`]; the other members form an XML
//!   document rooted at the input's `@xmlName` or shape name. S3's client drops `/{Bucket}`
//!   from every URI pattern (its endpoint rules place the bucket in the host, or path-style
//!   in front of the operation's path), so the bucket is read from there.
//!
//! Variants: the clients' generated XML readers skip unknown elements and attributes, give
//! `Unknown` for an unknown union element, read an empty wrapped list or map element as an
//! empty collection (a flattened one has no element, so it comes back absent) and an empty
//! element as an empty string; date-times may have any number of fractional digits and
//! http-dates may have milliseconds. XML has no nulls and every output body has a root
//! element, so there are no null or empty-body variants. S3's client checks the body of
//! every operation whose response it does not stream for an `<Error>` root and then reports
//! an error whatever the status, so S3 (not S3 Control, whose client does not) offers
//! [`ResponseVariant::ErrorWithStatus200`]. Error forms: a client reads only its service's
//! envelope (wrapped `<ErrorResponse><Error>`, or S3's bare `<Error>`), so there are none.

use aws_smithy_xml::encode::ScopeWriter;
use snapshot_model::traits::{ids, ErrorFault};
use snapshot_model::{Member, Protocol, Shape};
use snapshot_records::{Body, Header, HttpResponse};
use snapshot_values::{Value, ValuePath};

use super::{RequestDecoder, ResponseSerializer};
use crate::context::query_type;
use crate::event_stream;
use crate::http_bindings::{self, Bindings, PayloadContent};
use crate::http_request::{self, MovedLabel};
use crate::read::xml::XmlReader;
use crate::read::{DecodeError, Decoding};
use crate::request::parts::RequestParts;
use crate::response::amzn_request_id;
use crate::response::has_document;
use crate::shaped::{Field, Root};
use crate::variants::{ErrorForm, Malformation, ResponseVariant, STATUS_200_ERROR_CODE};
use crate::xml::{self, payload_root_name, root_name, structure_root_name, text_element, XmlBody};
use crate::{
    ModeledError, OperationContext, WireError, EXTENDED_REQUEST_ID, REQUEST_ID,
    UNMODELED_ERROR_CODE,
};

pub(crate) struct RestXml;

/// S3 and S3 Control identify requests with S3's headers.
fn is_s3_family(cx: &OperationContext<'_, '_>) -> bool {
    cx.index()
        .aws_service()
        .is_some_and(|service| matches!(service.sdk_id.as_str(), "S3" | "S3 Control"))
}

/// S3's `NotFound` has no `@httpError` in the model, but S3 answers a missing object or
/// bucket with 404, and the S3 client recognizes `NotFound` only from a 404 (HEAD responses
/// have no body to carry a code).
fn error_status(cx: &OperationContext<'_, '_>, error: &ModeledError<'_>) -> u16 {
    if is_s3_family(cx) && error.name() == "NotFound" && error.shape().traits.http_error().is_none()
    {
        404
    } else {
        error.http_status()
    }
}

fn no_error_wrapping(cx: &OperationContext<'_, '_>) -> bool {
    cx.index()
        .shape()
        .traits
        .get(Protocol::RestXml.trait_id())
        .and_then(|value| value.get("noErrorWrapping"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

fn request_id_headers(cx: &OperationContext<'_, '_>) -> Vec<Header> {
    if is_s3_family(cx) {
        vec![
            ("x-amz-request-id".to_owned(), REQUEST_ID.to_owned()),
            ("x-amz-id-2".to_owned(), EXTENDED_REQUEST_ID.to_owned()),
        ]
    } else {
        vec![amzn_request_id()]
    }
}

/// The error body: the code elements, then what `members` writes, inside the envelope the
/// service uses (wrapped `<ErrorResponse><Error>`, or S3's bare `<Error>`).
fn error_body<E>(
    cx: &OperationContext<'_, '_>,
    code: &str,
    fault: &'static str,
    members: impl FnOnce(&mut ScopeWriter<'_, '_>) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    if no_error_wrapping(cx) {
        return xml::document(|doc| {
            let mut error = doc.start_el("Error").finish();
            text_element(&mut error, "Code", code);
            members(&mut error)?;
            text_element(&mut error, "RequestId", REQUEST_ID);
            text_element(&mut error, "HostId", EXTENDED_REQUEST_ID);
            error.finish();
            Ok(())
        });
    }
    xml::error_response_document(cx.service_xml_namespace().as_ref(), code, fault, members)
}

/// The message of [`ResponseVariant::ErrorWithStatus200`].
const STATUS_200_ERROR_MESSAGE: &str = "an error sent with status 200 by cargo-snapshot";

/// Whether the S3 client checks this operation's successful responses for an `<Error>` body:
/// S3 operations whose response is not streamed and has a body (not HEAD).
fn checks_status_200_errors(cx: &OperationContext<'_, '_>) -> bool {
    let is_s3 = cx
        .index()
        .aws_service()
        .is_some_and(|service| service.sdk_id == "S3");
    let streamed = cx.output_shape().is_ok_and(|output| {
        output
            .kind
            .members()
            .iter()
            .any(|member| cx.target(member).traits.is_streaming())
    });
    is_s3 && !streamed && !cx.is_head()
}

/// S3's failure after the 200 went out: an `<Error>` document with status 200.
fn status_200_error(cx: &OperationContext<'_, '_>) -> HttpResponse {
    let Ok(data) = error_body(
        cx,
        STATUS_200_ERROR_CODE,
        query_type(ErrorFault::Server),
        |scope| -> Result<(), std::convert::Infallible> {
            text_element(scope, "Message", STATUS_200_ERROR_MESSAGE);
            Ok(())
        },
    );
    http_bindings::assemble(
        cx,
        200,
        Some(xml::MEDIA_TYPE),
        Vec::new(),
        &Bindings::default(),
        Body::Bytes { data },
        request_id_headers(cx),
    )
}

impl ResponseSerializer for RestXml {
    fn protocol(&self) -> Protocol {
        Protocol::RestXml
    }

    fn output(
        &self,
        cx: &OperationContext<'_, '_>,
        output: &Value,
    ) -> Result<HttpResponse, WireError> {
        if cx.style().error_with_status_200 {
            return Ok(status_200_error(cx));
        }
        let Root {
            shape,
            path,
            fields,
        } = Root::read(cx, cx.output_shape()?, output)?;
        let bindings = http_bindings::bind(cx, shape, &fields, &path)?;
        let writer = XmlBody::new(cx, Protocol::RestXml);
        let service_namespace = cx.service_xml_namespace();
        let xml_body = |data: Vec<u8>| (Body::Bytes { data }, Some(xml::MEDIA_TYPE.to_owned()));
        let (body, content_type) = if let Some(payload) = &bindings.payload {
            let payload_path = path.member(&payload.member.name);
            match http_bindings::payload_content(cx, payload, &path)? {
                PayloadContent::Absent => (Body::Empty, None),
                PayloadContent::Raw { data, content_type } => {
                    (Body::Bytes { data }, Some(content_type))
                }
                PayloadContent::Document { member, value } => xml_body(writer.value_document(
                    root_name(cx, payload_root_name(member, cx.target(member))),
                    member,
                    Some(value),
                    service_namespace.as_ref(),
                    &payload_path,
                )?),
                PayloadContent::EventStream(events) => (
                    event_stream::body(cx, &writer, None, &events, &payload_path)?,
                    Some(event_stream::CONTENT_TYPE.to_owned()),
                ),
            }
        } else if cx
            .operation()
            .shape
            .traits
            .has(ids::S3_UNWRAPPED_XML_OUTPUT)
            && !bindings.body_members.is_empty()
        {
            let member = bindings.body_members[0];
            let value = bindings
                .body
                .iter()
                .find(|field| field.member.name == member.name)
                .map(|field| field.value);
            xml_body(writer.value_document(
                root_name(cx, xml::element_name(member)),
                member,
                value,
                service_namespace.as_ref(),
                &path.member(&member.name),
            )?)
        } else if !bindings.body_members.is_empty() {
            let namespace = shape.traits.xml_namespace().or(service_namespace);
            xml_body(writer.structure_document(
                root_name(cx, structure_root_name(shape)),
                namespace.as_ref(),
                &bindings.body,
                &path,
            )?)
        } else {
            (Body::Empty, None)
        };
        let status = bindings.status.unwrap_or_else(|| cx.success_status());
        Ok(http_bindings::assemble(
            cx,
            status,
            content_type.as_deref(),
            Vec::new(),
            &bindings,
            body,
            request_id_headers(cx),
        ))
    }

    fn error<'m>(
        &self,
        cx: &OperationContext<'_, 'm>,
        error: &ModeledError<'m>,
        value: &Value,
    ) -> Result<HttpResponse, WireError> {
        let Root {
            shape,
            path,
            fields,
        } = Root::read(cx, error.shape(), value)?;
        let bindings = http_bindings::bind(cx, shape, &fields, &path)?;
        // Header-bound members went to headers; everything else (a payload member included)
        // is an element of `<Error>`, where the client's error parser looks.
        let mut members = bindings.body.clone();
        if let Some(payload) = &bindings.payload {
            if let Some(value) = payload.value {
                members.push(Field {
                    member: payload.member,
                    value,
                });
            }
        }
        let writer = XmlBody::new(cx, Protocol::RestXml);
        let body = error_body(cx, error.name(), error.query_type(), |scope| {
            writer.write_error_members(scope, &members, error, &path)
        })?;
        Ok(http_bindings::assemble(
            cx,
            error_status(cx, error),
            Some(xml::MEDIA_TYPE),
            Vec::new(),
            &bindings,
            Body::Bytes { data: body },
            request_id_headers(cx),
        ))
    }

    fn unmodeled_error(&self, cx: &OperationContext<'_, '_>) -> HttpResponse {
        let Ok(data) = error_body(
            cx,
            UNMODELED_ERROR_CODE,
            query_type(ErrorFault::Client),
            xml::unmodeled_error_members,
        );
        http_bindings::assemble(
            cx,
            400,
            Some(xml::MEDIA_TYPE),
            Vec::new(),
            &Bindings::default(),
            Body::Bytes { data },
            request_id_headers(cx),
        )
    }

    fn response_variants(&self, cx: &OperationContext<'_, '_>) -> Vec<ResponseVariant> {
        let mut variants = vec![
            ResponseVariant::UnknownMembers,
            ResponseVariant::UnknownUnionMembers,
            ResponseVariant::EmptyCollections,
            ResponseVariant::EmptyStrings,
            ResponseVariant::TimestampsWholeSeconds,
            ResponseVariant::TimestampsLongFractions,
        ];
        if checks_status_200_errors(cx) {
            variants.push(ResponseVariant::ErrorWithStatus200);
        }
        variants.extend([
            ResponseVariant::Malformed(Malformation::WrongRoot),
            ResponseVariant::Malformed(Malformation::WrongType),
            ResponseVariant::Malformed(Malformation::Truncated),
        ]);
        variants
    }

    fn error_forms(&self, _cx: &OperationContext<'_, '_>) -> Vec<ErrorForm> {
        ErrorForm::BODY.to_vec()
    }

    fn is_document(&self, response: &HttpResponse) -> bool {
        has_document(response, xml::MEDIA_TYPE)
    }

    fn binds_to_body(&self, member: &Member) -> bool {
        http_bindings::is_body_member(member)
    }

    fn keeps_empty_collection(&self, member: &Member) -> bool {
        !member.traits.is_xml_flattened()
    }
}

/// S3's `Bucket` label, which the client moves out of the URI pattern.
fn moved_bucket<'m>(cx: &OperationContext<'_, 'm>, input: &'m Shape) -> MovedLabel<'m> {
    let is_s3 = cx
        .index()
        .aws_service()
        .is_some_and(|service| service.sdk_id == "S3");
    let in_pattern = cx
        .operation()
        .shape
        .traits
        .http()
        .is_some_and(|http| http.uri.starts_with("/{Bucket}"));
    let bucket = input
        .kind
        .members()
        .into_iter()
        .find(|member| member.name == "Bucket" && member.traits.is_http_label());
    match bucket {
        Some(bucket) if is_s3 && in_pattern => MovedLabel::S3Bucket(bucket),
        _ => MovedLabel::None,
    }
}

impl RequestDecoder for RestXml {
    fn rejected_headers(
        &self,
        model: &snapshot_model::Model,
        input: &Shape,
    ) -> Vec<crate::http_bindings::HeaderRejection> {
        crate::http_bindings::rejected_headers(model, input)
    }

    fn decode_request<'m>(
        &self,
        decoding: &Decoding<'_, '_, 'm>,
        parts: &RequestParts,
        input: &'m Shape,
        path: &ValuePath,
    ) -> Result<Vec<(String, Value)>, DecodeError> {
        let reader = XmlReader::new(decoding);
        let moved = moved_bucket(decoding.cx, input);
        http_request::members(decoding, parts, input, &reader, moved, path)
    }
}
