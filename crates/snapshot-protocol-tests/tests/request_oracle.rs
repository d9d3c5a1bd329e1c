//! The request tests as an oracle for cargo-snapshot's request-side check
//! (`snapshot_wire::check_request`): each client-side request test's wire form (method, URI
//! and query, headers, body) read back by the operation's bindings must give its `params`
//! member by member. The per-service counts and every disagreement are snapshotted; each
//! disagreement is explained in the snapshot's review (a bug in our reader, or a test whose
//! wire form leaves the member out: a body the test does not give, a header it does not
//! list).

use std::fmt::Write;

use base64::Engine;
use snapshot_model::{ServiceIndex, ShapeId, ShapeKind};
use snapshot_protocol_tests::body::BodyKind;
use snapshot_protocol_tests::test_util::protocol_test_models;
use snapshot_protocol_tests::{params_value, HttpRequestTest, ServiceTests};
use snapshot_records::{Body, HttpRequest};
use snapshot_wire::{check_request, FindingKind, RequestSite};

/// The request a test describes, as the harness would have captured it, and the path of the
/// endpoint it was sent to (a test's host may carry one: `example.com/custom`).
fn captured(test: &HttpRequestTest) -> Result<(HttpRequest, String), String> {
    let host = test
        .resolved_host
        .as_deref()
        .or(test.host.as_deref())
        .unwrap_or("example.com");
    let (authority, endpoint_path) = match host.find('/') {
        Some(index) => (&host[..index], host[index..].to_owned()),
        None => (host, String::new()),
    };
    let mut uri = format!("https://{authority}{}", test.uri);
    if !test.query_params.is_empty() {
        uri.push('?');
        uri.push_str(&test.query_params.join("&"));
    }
    let body = match test.body.as_deref() {
        None | Some("") => Body::Empty,
        Some(text) if BodyKind::of(test.body_media_type.as_deref()) == BodyKind::Cbor => {
            Body::Bytes {
                // Some tests leave the padding off.
                data: base64::engine::general_purpose::GeneralPurpose::new(
                    &base64::alphabet::STANDARD,
                    base64::engine::general_purpose::GeneralPurposeConfig::new()
                        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
                )
                .decode(text.trim())
                .map_err(|error| format!("the CBOR body is not base64: {error}"))?,
            }
        }
        Some(text) => Body::Bytes {
            data: text.as_bytes().to_vec(),
        },
    };
    let request = HttpRequest {
        method: test.method.clone(),
        uri,
        headers: test
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
        body,
    };
    Ok((request, endpoint_path))
}

fn input_of(index: &ServiceIndex<'_>, operation: &ShapeId) -> ShapeId {
    match &index.model().shape(operation).map(|shape| &shape.kind) {
        Some(ShapeKind::Operation(operation)) => operation.input.clone(),
        _ => panic!("{operation} is not an operation"),
    }
}

#[test]
fn our_request_reader_against_the_request_tests() {
    let mut summary = String::new();
    let mut disagreements = String::new();
    let (mut total_agree, mut total_tests) = (0, 0);
    let mut excepted = std::collections::BTreeMap::<&'static str, usize>::new();
    for (file, model) in protocol_test_models() {
        for service in model.services() {
            let index = model.service_index(Some(service.as_str())).unwrap();
            let tests = ServiceTests::of(&index).unwrap();
            let (mut agree, mut run) = (0, 0);
            for (operation, selected) in &tests.requests {
                if selected.skip.is_some() {
                    continue;
                }
                run += 1;
                let test = &selected.test;
                let input =
                    params_value(&model, &input_of(&index, operation), &test.params, &test.id)
                        .unwrap();
                let op = index.operation(operation.name()).unwrap();
                let checked = captured(test).and_then(|(request, endpoint_path)| {
                    let site = RequestSite {
                        endpoint_path: &endpoint_path,
                    };
                    check_request(&index, op, &input, &request, &site)
                        .map_err(|error| error.to_string())
                });
                let found: Vec<String> = match checked {
                    Ok(check) => {
                        for (_, kind) in check.exceptions() {
                            *excepted.entry(kind.name()).or_default() += 1;
                        }
                        check
                            .findings
                            .iter()
                            .filter(|finding| !matches!(finding.kind, FindingKind::Excepted(_)))
                            .map(|finding| format!("{}: {:?}", finding.path, finding.kind))
                            .collect()
                    }
                    Err(error) => vec![format!("not read: {error}")],
                };
                if found.is_empty() {
                    agree += 1;
                } else {
                    writeln!(disagreements, "{file} {}:", test.id).unwrap();
                    for mismatch in found {
                        writeln!(disagreements, "  {mismatch}").unwrap();
                    }
                }
            }
            writeln!(summary, "{file}: {agree}/{run} request tests read back").unwrap();
            total_agree += agree;
            total_tests += run;
        }
    }
    writeln!(summary, "total: {total_agree}/{total_tests}").unwrap();
    // Members the tests' wire forms leave out or change by design, by the kind that excuses them.
    for (kind, count) in &excepted {
        writeln!(summary, "excepted {kind}: {count}").unwrap();
    }
    insta::assert_snapshot!("summary", summary);
    insta::assert_snapshot!("disagreements", disagreements);
}
