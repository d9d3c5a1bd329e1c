//! Every operation input, output and error of the 28 real AWS models, in every mode: values
//! generate without error and the same way twice. Prints counts and the time taken.
//!
//! The models are read from `$SNAPSHOT_MODELS_DIR`, or `../shared/models` relative to the
//! workspace root; the test fails when they are missing.

mod common;

use std::time::{Duration, Instant};

use snapshot_corpus::{load_corpus, models_dir, CORPUS_SIZE};
use snapshot_model::Model;
use snapshot_values::{Generator, Mode, Overrides, Value};

use common::member;

/// Nodes and nesting depth of a value, to report how big generated values get.
fn measure(value: &Value) -> (usize, usize) {
    let children: Vec<&Value> = match value {
        Value::List(items) => items.iter().collect(),
        Value::Map(entries) => entries.iter().map(|(_, value)| value).collect(),
        Value::Structure { members, .. } => members.iter().map(|(_, value)| value).collect(),
        Value::EventStream { events, .. } => events.iter().map(|(_, value)| value).collect(),
        Value::Union { value, .. } => vec![value.as_ref()],
        _ => Vec::new(),
    };
    children
        .into_iter()
        .map(measure)
        .fold((1, 1), |(nodes, depth), (child_nodes, child_depth)| {
            (nodes + child_nodes, depth.max(child_depth + 1))
        })
}

#[test]
fn every_operation_of_every_real_model_generates_deterministically() {
    let overrides = Overrides::builtin();
    let mut generating = Duration::ZERO;
    let (mut roots, mut values, mut nodes, mut over_1000) = (0, 0, 0, 0);
    let (mut largest, mut deepest) = ((0, String::new()), (0, String::new()));
    for corpus_model in load_corpus() {
        let model = corpus_model.model;
        let index = model
            .service_index(None)
            .unwrap_or_else(|error| panic!("{error}"));
        let generator = Generator::new(&model, &overrides);
        for operation in index.operations() {
            let mut shapes = vec![
                operation.operation.input.clone(),
                operation.operation.output.clone(),
            ];
            shapes.extend(index.operation_errors(operation));
            for root in shapes {
                roots += 1;
                for mode in Mode::ALL {
                    let started = Instant::now();
                    let first = generator.generate(&root, mode);
                    generating += started.elapsed();
                    let first = first
                        .unwrap_or_else(|error| panic!("{} {}: {error}", operation.name(), root));
                    let second = generator.generate(&root, mode).unwrap();
                    assert_eq!(
                        first,
                        second,
                        "{} {root} ({}) is not deterministic",
                        operation.name(),
                        mode.name()
                    );
                    let (count, depth) = measure(&first);
                    let label = format!("{} {root} ({})", corpus_model.file_name, mode.name());
                    if count > largest.0 {
                        largest = (count, label.clone());
                    }
                    if depth > deepest.0 {
                        deepest = (depth, label);
                    }
                    values += 1;
                    nodes += count;
                    over_1000 += usize::from(count > 1000);
                }
            }
        }
    }
    println!(
        "generated {values} values for {roots} roots of {} models in {generating:?} ({nodes} nodes, {over_1000} values over 1000 nodes; largest {} nodes: {}; deepest {} levels: {})",
        CORPUS_SIZE,
        largest.0,
        largest.1,
        deepest.0,
        deepest.1,
    );
}

#[test]
fn builtin_overrides_reach_the_members_clients_validate() {
    let dir = models_dir();
    let overrides = Overrides::builtin();
    let sqs = Model::load(&dir.join("sqs.json")).unwrap();
    let generator = Generator::new(&sqs, &overrides);
    let send = generator
        .generate(
            &"com.amazonaws.sqs#SendMessageRequest".parse().unwrap(),
            Mode::Min,
        )
        .unwrap();
    assert_eq!(
        member(&send, "QueueUrl"),
        &Value::String("https://sqs.us-east-1.amazonaws.com/012345678901/MyQueue".into())
    );
    assert_eq!(
        member(&send, "MessageBody"),
        &Value::String("__Body__".into())
    );
    let sent = generator
        .generate(
            &"com.amazonaws.sqs#SendMessageResult".parse().unwrap(),
            Mode::Max,
        )
        .unwrap();
    assert_eq!(
        member(&sent, "MD5OfMessageBody"),
        &Value::String(snapshot_values::MESSAGE_BODY_MD5.into())
    );

    let s3 = Model::load(&dir.join("s3.json")).unwrap();
    let put = Generator::new(&s3, &overrides)
        .generate(
            &"com.amazonaws.s3#PutObjectRequest".parse().unwrap(),
            Mode::Max,
        )
        .unwrap();
    assert_eq!(
        member(&put, "ChecksumAlgorithm"),
        &Value::Enum {
            variant: Some("CRC64NVME".into()),
            value: "CRC64NVME".into()
        }
    );
}
