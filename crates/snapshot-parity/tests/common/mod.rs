//! Shared setup of the parity tests: the target (moto by default, started on demand), clients
//! wired to the session's recorder, unique resource names, and the scenarios themselves (so
//! that `fresh_instance.rs` can replay them against servers it starts).
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::error::Error;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ReturnValue,
    ScalarAttributeType,
};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_sqs::types::{MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName};
use aws_types::SdkConfig;
use snapshot_parity::{aws, MotoServer, ParityError, Replacement, Snapshot, Target, Transformer};

pub type TestResult = Result<(), Box<dyn Error>>;

static MOTO: OnceLock<Result<MotoServer, String>> = OnceLock::new();

/// The target of this run: `TEST_TARGET` (default `moto`). For moto without an explicit
/// `SNAPSHOT_ENDPOINT_URL`, the server named by `SNAPSHOT_MOTO_URL` or one started for this
/// test binary (stopped when the binary exits).
pub fn target() -> Result<Target, ParityError> {
    let target = Target::from_env()?;
    let explicit_endpoint =
        std::env::var_os("SNAPSHOT_ENDPOINT_URL").is_some_and(|v| !v.is_empty());
    if target.name() != "moto" || explicit_endpoint {
        return Ok(target);
    }
    let moto = MOTO.get_or_init(|| MotoServer::from_env_or_start().map_err(|e| e.to_string()));
    match moto {
        Ok(server) => Ok(target.with_endpoint_url(server.url())),
        Err(message) => panic!("{message}"),
    }
}

/// The transformers every scenario uses: the service sets, the region of the run, and the
/// common AWS identifiers.
pub fn standard_transformers(snapshot: &mut Snapshot, config: &SdkConfig) {
    snapshot
        .add_transformers(aws::sqs())
        .add_transformers(aws::dynamodb())
        .add_transformers(aws::s3())
        .add_transformers(aws::sts())
        .add_transformers(aws::common());
    if let Some(region) = config.region() {
        snapshot.add_transformer(aws::region(region.as_ref()));
    }
}

/// A name no other run uses: `<prefix>-<suffix>`, lower case, valid for buckets too.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mixed = (nanos as u64)
        ^ (u64::from(std::process::id()) << 32)
        ^ u64::from(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{prefix}-{:010x}", mixed & 0xff_ffff_ffff)
}

pub fn sqs(config: &SdkConfig, snapshot: &Snapshot) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::from_conf(
        aws_sdk_sqs::config::Builder::from(config)
            .interceptor(snapshot.recorder())
            .build(),
    )
}

pub fn dynamodb(config: &SdkConfig, snapshot: &Snapshot) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::config::Builder::from(config)
            .interceptor(snapshot.recorder())
            .build(),
    )
}

pub fn s3(config: &SdkConfig, snapshot: &Snapshot, target: &Target) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .interceptor(snapshot.recorder())
            // Emulators on loopback have no per-bucket host names.
            .force_path_style(!target.is_aws())
            .build(),
    )
}

pub fn sts(config: &SdkConfig, snapshot: &Snapshot) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(config)
            .interceptor(snapshot.recorder())
            .build(),
    )
}

/// SQS: two queues (identity: `<queue-url:1>` and `<queue-url:2>`), attributes, a message
/// sent, received and deleted, both queues deleted, and the error for a deleted queue.
/// `visibility_timeout` is the attribute the deliberate-difference test changes.
pub async fn sqs_queue_lifecycle(
    snapshot: &mut Snapshot,
    config: &SdkConfig,
    visibility_timeout: &str,
) -> TestResult {
    let client = sqs(config, snapshot);
    let run = unique("parity");
    let orders = format!("{run}-orders");
    let audit = format!("{run}-audit");
    snapshot
        .add_transformer(Transformer::value(
            orders.as_str(),
            Replacement::reference("queue-name"),
        ))
        .add_transformer(Transformer::value(
            audit.as_str(),
            Replacement::reference("queue-name"),
        ));

    let created = client
        .create_queue()
        .queue_name(&orders)
        .attributes(QueueAttributeName::VisibilityTimeout, visibility_timeout)
        .send()
        .await?;
    snapshot.match_response("create-queue-orders")?;
    let orders_url = created.queue_url().unwrap_or_default().to_owned();

    let created = client.create_queue().queue_name(&audit).send().await?;
    snapshot.match_response("create-queue-audit")?;
    let audit_url = created.queue_url().unwrap_or_default().to_owned();

    client.get_queue_url().queue_name(&orders).send().await?;
    snapshot.match_response("get-queue-url")?;

    client
        .list_queues()
        .queue_name_prefix(format!("{run}-"))
        .send()
        .await?;
    snapshot.match_response("list-queues")?;

    client
        .set_queue_attributes()
        .queue_url(&orders_url)
        .attributes(QueueAttributeName::MessageRetentionPeriod, "86400")
        .send()
        .await?;
    snapshot.match_response("set-attributes")?;

    client
        .get_queue_attributes()
        .queue_url(&orders_url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await?;
    snapshot.match_response("get-attributes")?;

    client
        .send_message()
        .queue_url(&orders_url)
        .message_body("hello parity")
        .message_attributes(
            "origin",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("snapshot-parity")
                .build()?,
        )
        .send()
        .await?;
    snapshot.match_response("send-message")?;

    let received = client
        .receive_message()
        .queue_url(&orders_url)
        .max_number_of_messages(1)
        .message_attribute_names("All")
        .message_system_attribute_names(MessageSystemAttributeName::SentTimestamp)
        .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
        .send()
        .await?;
    snapshot.match_response("receive-message")?;
    let receipt = received
        .messages()
        .first()
        .and_then(|m| m.receipt_handle())
        .ok_or("ReceiveMessage returned no message")?
        .to_owned();

    client
        .delete_message()
        .queue_url(&orders_url)
        .receipt_handle(receipt)
        .send()
        .await?;
    snapshot.match_response("delete-message")?;

    client.delete_queue().queue_url(&orders_url).send().await?;
    snapshot.match_response("delete-queue-orders")?;
    client.delete_queue().queue_url(&audit_url).send().await?;
    snapshot.match_response("delete-queue-audit")?;

    let gone = client.get_queue_url().queue_name(&orders).send().await;
    assert!(gone.is_err(), "GetQueueUrl of a deleted queue succeeded");
    snapshot.match_response("get-deleted-queue-url")?;
    Ok(())
}

/// DynamoDB: a table created, described, written, read, updated, queried, an item deleted,
/// the table deleted, and the error for the deleted table.
pub async fn dynamodb_table_lifecycle(snapshot: &mut Snapshot, config: &SdkConfig) -> TestResult {
    let client = dynamodb(config, snapshot);
    let table = unique("parity-items");
    snapshot.add_transformer(Transformer::value(
        table.as_str(),
        Replacement::reference("table-name"),
    ));
    let s = |v: &str| AttributeValue::S(v.to_owned());
    let n = |v: &str| AttributeValue::N(v.to_owned());

    client
        .create_table()
        .table_name(&table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::N)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await?;
    snapshot.match_response("create-table")?;

    client.describe_table().table_name(&table).send().await?;
    snapshot.match_response("describe-table")?;

    client
        .put_item()
        .table_name(&table)
        .item("pk", s("user#1"))
        .item("sk", n("1"))
        .item("name", s("Ada"))
        .item(
            "langs",
            AttributeValue::Ss(vec!["rust".into(), "smithy".into()]),
        )
        .send()
        .await?;
    snapshot.match_response("put-item-1")?;
    client
        .put_item()
        .table_name(&table)
        .item("pk", s("user#1"))
        .item("sk", n("2"))
        .item("name", s("Grace"))
        .item("active", AttributeValue::Bool(true))
        .send()
        .await?;
    snapshot.match_response("put-item-2")?;

    client
        .get_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n("1"))
        .consistent_read(true)
        .send()
        .await?;
    snapshot.match_response("get-item")?;

    client
        .update_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n("1"))
        .update_expression("SET #n = :n, visits = :v")
        .expression_attribute_names("#n", "name")
        .expression_attribute_values(":n", s("Ada Lovelace"))
        .expression_attribute_values(":v", n("3"))
        .return_values(ReturnValue::AllNew)
        .send()
        .await?;
    snapshot.match_response("update-item")?;

    client
        .query()
        .table_name(&table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", s("user#1"))
        .send()
        .await?;
    snapshot.match_response("query")?;

    client
        .delete_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n("2"))
        .return_values(ReturnValue::AllOld)
        .send()
        .await?;
    snapshot.match_response("delete-item")?;

    client.delete_table().table_name(&table).send().await?;
    snapshot.match_response("delete-table")?;

    let gone = client.describe_table().table_name(&table).send().await;
    assert!(gone.is_err(), "DescribeTable of a deleted table succeeded");
    snapshot.match_response("describe-deleted-table")?;
    Ok(())
}

/// S3: a bucket created, an object written, inspected, read and listed, tags set and read,
/// the object and the bucket deleted, and the error for the deleted bucket.
pub async fn s3_bucket_lifecycle(
    snapshot: &mut Snapshot,
    config: &SdkConfig,
    target: &Target,
) -> TestResult {
    let client = s3(config, snapshot, target);
    let bucket = unique("parity-bucket");
    snapshot
        .add_transformer(Transformer::value(
            bucket.as_str(),
            Replacement::reference("bucket-name"),
        ))
        .record_header("location")
        .record_header("etag")
        .record_header("content-length");

    client.create_bucket().bucket(&bucket).send().await?;
    snapshot.match_response("create-bucket")?;

    client
        .put_object()
        .bucket(&bucket)
        .key("docs/hello.txt")
        .content_type("text/plain")
        .body(ByteStream::from_static(b"hello parity"))
        .send()
        .await?;
    snapshot.match_response("put-object")?;

    client
        .head_object()
        .bucket(&bucket)
        .key("docs/hello.txt")
        .send()
        .await?;
    snapshot.match_response("head-object")?;

    let object = client
        .get_object()
        .bucket(&bucket)
        .key("docs/hello.txt")
        .send()
        .await?;
    snapshot.match_response("get-object")?;
    let content = object.body.collect().await?.into_bytes();
    snapshot.match_("get-object-content", &String::from_utf8_lossy(&content))?;

    client.list_objects_v2().bucket(&bucket).send().await?;
    snapshot.match_response("list-objects")?;

    client
        .put_bucket_tagging()
        .bucket(&bucket)
        .tagging(
            aws_sdk_s3::types::Tagging::builder()
                .tag_set(
                    aws_sdk_s3::types::Tag::builder()
                        .key("team")
                        .value("parity")
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await?;
    snapshot.match_response("put-bucket-tagging")?;
    client.get_bucket_tagging().bucket(&bucket).send().await?;
    snapshot.match_response("get-bucket-tagging")?;

    client
        .delete_object()
        .bucket(&bucket)
        .key("docs/hello.txt")
        .send()
        .await?;
    snapshot.match_response("delete-object")?;
    client.delete_bucket().bucket(&bucket).send().await?;
    snapshot.match_response("delete-bucket")?;

    let gone = client.head_bucket().bucket(&bucket).send().await;
    assert!(gone.is_err(), "HeadBucket of a deleted bucket succeeded");
    snapshot.match_response("head-deleted-bucket")?;
    Ok(())
}

/// STS: who am I, a session token, a role assumed and used, and the error for an invalid
/// session name.
pub async fn sts_identity_and_roles(snapshot: &mut Snapshot, config: &SdkConfig) -> TestResult {
    let client = sts(config, snapshot);
    let role_name =
        std::env::var("SNAPSHOT_STS_ROLE_NAME").unwrap_or_else(|_| "parity-role".to_owned());
    let session_name = unique("parity-session");
    snapshot.add_transformer(Transformer::value(
        session_name.as_str(),
        Replacement::reference("session-name"),
    ));

    let me = client.get_caller_identity().send().await?;
    snapshot.match_response("get-caller-identity")?;
    let account = me
        .account()
        .ok_or("GetCallerIdentity returned no account")?
        .to_owned();

    client
        .get_session_token()
        .duration_seconds(900)
        .send()
        .await?;
    snapshot.match_response("get-session-token")?;

    let role_arn = format!("arn:aws:iam::{account}:role/{role_name}");
    let assumed = client
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name(&session_name)
        .duration_seconds(900)
        .send()
        .await?;
    snapshot.match_response("assume-role")?;

    let credentials = assumed
        .credentials()
        .ok_or("AssumeRole returned no credentials")?;
    let as_role = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(config)
            .credentials_provider(aws_credential_types::Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                Some(credentials.session_token().to_owned()),
                None,
                "assumed role",
            ))
            .interceptor(snapshot.recorder())
            .build(),
    );
    as_role.get_caller_identity().send().await?;
    snapshot.match_response("get-caller-identity-as-role")?;

    // Session names are limited to 64 characters.
    let too_long = format!("{session_name}-{}", "x".repeat(64));
    let invalid = client
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name(too_long)
        .send()
        .await;
    assert!(
        invalid.is_err(),
        "AssumeRole with a 90-character session name succeeded"
    );
    snapshot.match_response("assume-role-invalid-session-name")?;
    Ok(())
}
