//! Every operation of the 28 real AWS models: the generated output (min and max), every error
//! the operation declares (min and max), the unmodeled error and, for event streams, the
//! stream with its exception events appended all serialize, and every body is well-formed for
//! its content type. Prints counts and the time taken.
//!
//! The models are read from `$SNAPSHOT_MODELS_DIR`, or `../shared/models` relative to the
//! workspace root; the test fails when they are missing.

mod common;

use std::time::Instant;

use common::{decode_message, header, render};
use snapshot_corpus::{load_corpus, CORPUS_SIZE};
use snapshot_model::Protocol;
use snapshot_records::{Body, Frame, HttpResponse};
use snapshot_values::{Generator, Mode, Overrides, Value};

/// Checks that a body parses as what its content type says.
fn check_payload(context: &str, content_type: &str, data: &[u8]) {
    if let Err(problem) = payload_problem(content_type, data) {
        panic!("{context}: {problem}");
    }
}

/// Why a body does not parse as what its content type says, if it does not.
fn payload_problem(content_type: &str, data: &[u8]) -> Result<(), String> {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    match media {
        "application/json" | "application/x-amz-json-1.0" | "application/x-amz-json-1.1" => {
            serde_json::from_slice::<serde_json::Value>(data)
                .map_err(|error| format!("invalid JSON ({error})"))?;
        }
        "application/xml" | "text/xml" => {
            let text = std::str::from_utf8(data).map_err(|_| "XML is not UTF-8".to_owned())?;
            let mut roots = 0;
            let mut depth = 0i32;
            for token in xmlparser::Tokenizer::from(text) {
                match token.map_err(|error| format!("invalid XML ({error}):\n{text}"))? {
                    xmlparser::Token::ElementStart { .. } => {
                        if depth == 0 {
                            roots += 1;
                        }
                        depth += 1;
                    }
                    xmlparser::Token::ElementEnd { end, .. } => match end {
                        xmlparser::ElementEnd::Open => {}
                        _ => depth -= 1,
                    },
                    _ => {}
                }
            }
            if (roots, depth) != (1, 0) {
                return Err(format!("not one balanced root element:\n{text}"));
            }
        }
        "application/cbor" => {
            let mut decoder = minicbor::Decoder::new(data);
            decoder
                .skip()
                .map_err(|error| format!("invalid CBOR ({error})"))?;
            if decoder.position() != data.len() {
                return Err("not one CBOR item".to_owned());
            }
        }
        // Raw payloads: the content type may come from a generated member (`__contentType__`).
        _ => {}
    }
    Ok(())
}

fn check(context: &str, response: &HttpResponse, statuses: std::ops::Range<u16>) {
    assert!(
        statuses.contains(&response.status),
        "{context}: status {} not in {statuses:?}",
        response.status
    );
    for (name, value) in &response.headers {
        assert!(
            !name.is_empty() && value.bytes().all(|byte| byte >= 0x20 || byte == b'\t'),
            "{context}: bad header {name}: {value:?}"
        );
    }
    let content_type = header(response, "content-type").unwrap_or_default();
    match &response.body {
        Body::Empty => {}
        Body::Bytes { data } => check_payload(context, content_type, data),
        Body::Streamed { frames } => {
            // Usually application/vnd.amazon.eventstream; Lambda binds a member to Content-Type.
            assert!(
                !content_type.is_empty(),
                "{context}: an event stream has a content type"
            );
            for frame in frames {
                let Frame::Data { data } = frame else {
                    panic!("{context}: event streams have no trailers")
                };
                let message = decode_message(data);
                let message_content_type = message
                    .headers()
                    .iter()
                    .find(|header| header.name().as_str() == ":content-type")
                    .map(|header| header.value().as_string().unwrap().as_str().to_owned())
                    .unwrap_or_default();
                assert!(
                    message
                        .headers()
                        .iter()
                        .any(|header| header.name().as_str() == ":message-type"),
                    "{context}: every message has a :message-type"
                );
                if !message.payload().is_empty() {
                    check_payload(context, &message_content_type, message.payload());
                }
            }
        }
    }
    // The golden renderer must cope with every response too.
    render(response);
}

/// Appends the stream's exception events to the event stream of an output value.
fn with_exception_events(generator: &Generator<'_>, output: &Value, mode: Mode) -> Option<Value> {
    let Value::Structure { shape, members } = output else {
        return None;
    };
    let mut found = false;
    let members = members
        .iter()
        .map(|(name, value)| match value {
            Value::EventStream { shape, events } => {
                found = true;
                let mut events = events.clone();
                events.extend(generator.exception_events(shape, mode).unwrap());
                (
                    name.clone(),
                    Value::EventStream {
                        shape: shape.clone(),
                        events,
                    },
                )
            }
            other => (name.clone(), other.clone()),
        })
        .collect();
    found.then(|| Value::Structure {
        shape: shape.clone(),
        members,
    })
}

#[test]
fn every_operation_output_and_error_of_every_real_model_serializes() {
    let overrides = Overrides::builtin();
    let started = Instant::now();
    let (mut operations, mut responses, mut streams) = (0usize, 0usize, 0usize);
    let mut protocols = std::collections::BTreeMap::<Protocol, usize>::new();
    for corpus_model in load_corpus() {
        let model = corpus_model.model;
        let index = model.service_index(None).unwrap();
        *protocols.entry(index.protocol()).or_default() += 1;
        let generator = Generator::new(&model, &overrides);
        let name = corpus_model.file_name;
        for operation in index.operations() {
            operations += 1;
            for mode in [Mode::Min, Mode::Max] {
                let context = format!("{name} {} output ({mode:?})", operation.name());
                let output = generator
                    .generate(&operation.operation.output, mode)
                    .unwrap_or_else(|error| panic!("{context}: {error}"));
                let response = snapshot_wire::output_response(&index, *operation, &output)
                    .unwrap_or_else(|error| panic!("{context}: {error}"));
                check(&context, &response, 200..300);
                responses += 1;
                if let Some(with_exceptions) = with_exception_events(&generator, &output, mode) {
                    let response =
                        snapshot_wire::output_response(&index, *operation, &with_exceptions)
                            .unwrap_or_else(|error| {
                                panic!("{context} with exception events: {error}")
                            });
                    check(&context, &response, 200..300);
                    streams += 1;
                }
                for error in index.operation_errors(operation) {
                    let context = format!(
                        "{name} {} error {} ({mode:?})",
                        operation.name(),
                        error.name()
                    );
                    let value = generator
                        .generate(&error, mode)
                        .unwrap_or_else(|failure| panic!("{context}: {failure}"));
                    let response =
                        snapshot_wire::error_response(&index, *operation, &error, &value)
                            .unwrap_or_else(|failure| panic!("{context}: {failure}"));
                    check(&context, &response, 400..600);
                    responses += 1;
                }
            }
            let context = format!("{name} {} unmodeled error", operation.name());
            check(
                &context,
                &snapshot_wire::unmodeled_error_response(&index, *operation),
                400..500,
            );
            responses += 1;
        }
    }
    eprintln!(
        "{} models ({protocols:?}), {operations} operations, {responses} responses ({streams} event streams with exceptions) in {:?}",
        CORPUS_SIZE,
        started.elapsed()
    );
    assert!(
        operations > 1500,
        "the corpus has about 1 700 operations, found {operations}"
    );
}

/// Every response variant and error form of every operation of the 28 real models
/// serializes and is well-formed for its content type, except truncated bodies, which never
/// are (a wrong root or a wrong type is well-formed: only the client's parser rejects it).
#[test]
fn every_variant_and_error_form_of_every_real_model_serializes() {
    use snapshot_wire::{Expectation, Malformation, ResponseVariant};
    let overrides = Overrides::builtin();
    let started = Instant::now();
    let mut counts = std::collections::BTreeMap::<&'static str, usize>::new();
    for corpus_model in load_corpus() {
        let model = corpus_model.model;
        let index = model.service_index(None).unwrap();
        let generator = Generator::new(&model, &overrides);
        let name = corpus_model.file_name;
        let mut reached = std::collections::BTreeMap::new();
        for operation in index.operations() {
            let base = |mode: Mode| {
                generator
                    .generate(&operation.operation.output, mode)
                    .unwrap_or_else(|error| panic!("{name} {}: {error}", operation.name()))
            };
            let (min, max) = (base(Mode::Min), base(Mode::Max));
            for variant in snapshot_wire::response_variants(&index, *operation) {
                let context = format!("{name} {} {}", operation.name(), variant.name());
                let value = if variant.base() == Mode::Min {
                    &min
                } else {
                    &max
                };
                let Some(built) =
                    snapshot_wire::variant_response(&index, *operation, variant, value)
                        .unwrap_or_else(|error| panic!("{context}: {error}"))
                else {
                    continue;
                };
                *counts.entry(variant.name()).or_default() += 1;
                match (variant, &built.expectation) {
                    (
                        ResponseVariant::Malformed(
                            Malformation::Truncated | Malformation::TrailingTokens,
                        ),
                        Expectation::Rejected,
                    ) => {
                        let content_type = header(&built.response, "content-type").unwrap();
                        let data = built.response.body.data();
                        assert!(
                            payload_problem(content_type, &data).is_err(),
                            "{context}: still well-formed"
                        );
                    }
                    (ResponseVariant::ErrorWithStatus200, _) => {
                        check(&context, &built.response, 200..201)
                    }
                    _ => check(&context, &built.response, 200..300),
                }
            }
            for variant in snapshot_wire::response_variants(&index, *operation) {
                let context = format!("{name} {} {}", operation.name(), variant.name());
                let reached = reached.entry(variant).or_default();
                let cases =
                    snapshot_wire::targeted_responses(&index, *operation, variant, &max, reached)
                        .unwrap_or_else(|error| panic!("{context}: {error}"));
                for case in cases {
                    *counts.entry(variant.name()).or_default() += 1;
                    let context = format!("{context} at {}", case.targets[0].path);
                    if variant == ResponseVariant::Malformed(Malformation::CutInside) {
                        let content_type = header(&case.response.response, "content-type").unwrap();
                        let data = case.response.response.body.data();
                        assert!(
                            payload_problem(content_type, &data).is_err(),
                            "{context}: still well-formed"
                        );
                    } else {
                        check(&context, &case.response.response, 200..300);
                    }
                }
            }
            for error in index.operation_errors(operation) {
                let value = generator.generate(&error, Mode::Max).unwrap();
                for form in snapshot_wire::error_forms(&index, *operation) {
                    let context = format!(
                        "{name} {} {} {}",
                        operation.name(),
                        error.name(),
                        form.name()
                    );
                    if let Some(built) =
                        snapshot_wire::error_form_response(&index, *operation, &error, &value, form)
                            .unwrap_or_else(|failure| panic!("{context}: {failure}"))
                    {
                        *counts.entry(form.name()).or_default() += 1;
                        check(&context, &built.response, 400..600);
                    }
                }
            }
        }
    }
    eprintln!("variants and forms: {counts:?} in {:?}", started.elapsed());
    assert!(counts["unknown_members"] > 1500, "{counts:?}");
}
