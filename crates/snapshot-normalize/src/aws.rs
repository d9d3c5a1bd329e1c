//! Ready-made transformer sets for AWS identifiers and for the services the parity tests
//! exercise. Combine them freely: member-name transformers always run before the generic
//! regular expressions, so `MessageId` stays `<message-id:1>` rather than `<uuid:1>`.

use crate::transform::{Replacement, Transformer};

/// The account id placeholder.
pub const ACCOUNT_ID: &str = "<account-id>";
/// The region placeholder.
pub const REGION: &str = "<region>";

// Built from constant patterns; a failure here is a bug in this file, caught by its tests.
fn regex(pattern: &str, replacement: Replacement) -> Transformer {
    match Transformer::regex(pattern, replacement) {
        Ok(transformer) => transformer,
        Err(error) => panic!("built-in transformer pattern is invalid: {error}"),
    }
}

fn path(pattern: &str, replacement: Replacement) -> Transformer {
    match Transformer::path(pattern, replacement) {
        Ok(transformer) => transformer,
        Err(error) => panic!("built-in transformer path is invalid: {error}"),
    }
}

fn sort(pattern: &str) -> Transformer {
    match Transformer::sort(pattern, None) {
        Ok(transformer) => transformer,
        Err(error) => panic!("built-in sort path is invalid: {error}"),
    }
}

fn keys<'a>(
    names: &'a [&'a str],
    replacement: Replacement,
) -> impl Iterator<Item = Transformer> + 'a {
    names
        .iter()
        .map(move |name| Transformer::key(*name, replacement.clone()))
}

/// Identifiers every AWS response may carry:
/// request ids (headers and `RequestId` members) → `<request-id:N>`, `x-amz-id-2` →
/// `<host-id:N>`, UUIDs → `<uuid:N>`, the account id and region inside ARNs (and every other
/// mention of them) → `<account-id>` / `<region>`, the `Account` member → `<account-id>`,
/// ISO 8601 date-times → `<datetime>` (`<datetime:fractional>` with fractional seconds; the
/// zone suffix stays visible), HTTP dates → `<http-date>`.
pub fn common() -> Vec<Transformer> {
    let mut set: Vec<Transformer> = keys(
        &["x-amzn-requestid", "x-amz-request-id", "RequestId"],
        Replacement::reference("request-id"),
    )
    .collect();
    set.push(Transformer::key(
        "x-amz-id-2",
        Replacement::reference("host-id"),
    ));
    set.push(Transformer::key("Account", Replacement::named(ACCOUNT_ID)));
    set.push(regex(
        r"arn:aws[a-zA-Z-]*:[a-zA-Z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):",
        Replacement::named(REGION),
    ));
    set.push(regex(
        r"arn:aws[a-zA-Z-]*:[a-zA-Z0-9-]+:[a-z0-9-]*:(\d{12}):",
        Replacement::named(ACCOUNT_ID),
    ));
    set.push(regex(
        r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
        Replacement::reference("uuid"),
    ));
    // Fractional first: the plain pattern would otherwise take its whole-seconds prefix.
    set.push(regex(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+",
        Replacement::fixed("<datetime:fractional>"),
    ));
    set.push(regex(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}",
        Replacement::fixed("<datetime>"),
    ));
    set.push(regex(
        r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT",
        Replacement::fixed("<http-date>"),
    ));
    set
}

/// A known account id (when the test knows it up front) → `<account-id>` everywhere.
pub fn account_id(account_id: &str) -> Transformer {
    Transformer::value(account_id, Replacement::named(ACCOUNT_ID))
}

/// A known region → `<region>` everywhere.
pub fn region(region: &str) -> Transformer {
    Transformer::value(region, Replacement::named(REGION))
}

/// SQS: queue URLs, receipt handles, message and sender ids, epoch timestamps in attributes.
pub fn sqs() -> Vec<Transformer> {
    let mut set = vec![
        sort("$..QueueUrls"),
        Transformer::key("QueueUrl", Replacement::reference("queue-url")),
        Transformer::key("QueueUrls", Replacement::reference("queue-url")),
        Transformer::key("ReceiptHandle", Replacement::reference("receipt-handle")),
        Transformer::key("MessageId", Replacement::reference("message-id")),
        Transformer::key("SenderId", Replacement::reference("sender-id")),
    ];
    set.extend(keys(
        &[
            "CreatedTimestamp",
            "LastModifiedTimestamp",
            "SentTimestamp",
            "ApproximateFirstReceiveTimestamp",
        ],
        Replacement::fixed("<epoch-time>"),
    ));
    set
}

/// DynamoDB: table ids and the epoch-seconds date-times of table descriptions.
pub fn dynamodb() -> Vec<Transformer> {
    let mut set = vec![
        sort("$..TableNames"),
        Transformer::key("TableId", Replacement::reference("table-id")),
        Transformer::key("LatestStreamLabel", Replacement::fixed("<stream-label>")),
    ];
    set.extend(keys(
        &[
            "CreationDateTime",
            "LastIncreaseDateTime",
            "LastDecreaseDateTime",
            "LastUpdateToPayPerRequestDateTime",
            "LastUpdateDateTime",
        ],
        Replacement::fixed("<epoch-time>"),
    ));
    set
}

/// S3: owner ids and version ids.
pub fn s3() -> Vec<Transformer> {
    vec![
        path("$..Owner.ID", Replacement::reference("owner-id")),
        Transformer::key("x-amz-version-id", Replacement::reference("version-id")),
        Transformer::key("VersionId", Replacement::reference("version-id")),
    ]
}

/// STS: temporary credentials and principal ids.
pub fn sts() -> Vec<Transformer> {
    vec![
        Transformer::key("AccessKeyId", Replacement::reference("access-key-id")),
        Transformer::key("SecretAccessKey", Replacement::fixed("<secret-access-key>")),
        Transformer::key("SessionToken", Replacement::fixed("<session-token>")),
        Transformer::key("AssumedRoleId", Replacement::reference("assumed-role-id")),
        Transformer::key("UserId", Replacement::reference("user-id")),
    ]
}

/// Every set in this module.
pub fn all() -> Vec<Transformer> {
    let mut set = sqs();
    set.extend(dynamodb());
    set.extend(s3());
    set.extend(sts());
    set.extend(common());
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placeholders::Placeholders;
    use crate::transform::Transformers;
    use serde_json::json;

    #[test]
    fn common_identifiers_are_absorbed() {
        let mut tree = json!({
            "headers": {"x-amzn-requestid": "REQ123456789", "content-type": "text/xml"},
            "body": {"GetCallerIdentityResponse": {
                "GetCallerIdentityResult": {
                    "Account": "123456789012",
                    "Arn": "arn:aws:sts::123456789012:user/moto",
                },
                "ResponseMetadata": {"RequestId": "REQ123456789"},
            }},
            "queue": "arn:aws:sqs:eu-west-2:123456789012:q",
            "url": "https://sqs.eu-west-2.amazonaws.com/123456789012/q",
            "id": "0b5d6e7c-1f2a-4b3c-8d9e-0f1a2b3c4d5e",
            "when": ["2024-05-06T07:08:09Z", "2024-05-06T07:08:09.123456+00:00", "Mon, 06 May 2024 07:08:09 GMT"],
        });
        Transformers::from_iter(all()).apply(&mut tree, &mut Placeholders::new());
        assert_eq!(
            tree,
            json!({
                "headers": {"x-amzn-requestid": "<request-id:1>", "content-type": "text/xml"},
                "body": {"GetCallerIdentityResponse": {
                    "GetCallerIdentityResult": {
                        "Account": "<account-id>",
                        "Arn": "arn:aws:sts::<account-id>:user/moto",
                    },
                    "ResponseMetadata": {"RequestId": "<request-id:1>"},
                }},
                "queue": "arn:aws:sqs:<region>:<account-id>:q",
                "url": "https://sqs.<region>.amazonaws.com/<account-id>/q",
                "id": "<uuid:1>",
                "when": ["<datetime>Z", "<datetime:fractional>+00:00", "<http-date>"],
            })
        );
    }

    #[test]
    fn service_sets_name_their_identifiers() {
        let mut tree = json!({
            "send": {"MessageId": "0b5d6e7c-1f2a-4b3c-8d9e-0f1a2b3c4d5e", "MD5OfMessageBody": "abc"},
            "attrs": {"Attributes": {"CreatedTimestamp": "1700000000", "VisibilityTimeout": "30"}},
            "table": {"TableDescription": {"CreationDateTime": 1.7e9, "TableId": "t-1234567"}},
            "creds": {"Credentials": {"AccessKeyId": "ASIA1234567", "SecretAccessKey": "s", "SessionToken": "t"}},
        });
        Transformers::from_iter(all()).apply(&mut tree, &mut Placeholders::new());
        assert_eq!(
            tree,
            json!({
                "send": {"MessageId": "<message-id:1>", "MD5OfMessageBody": "abc"},
                "attrs": {"Attributes": {"CreatedTimestamp": "<epoch-time>", "VisibilityTimeout": "30"}},
                "table": {"TableDescription": {"CreationDateTime": "<epoch-time>", "TableId": "<table-id:1>"}},
                "creds": {"Credentials": {"AccessKeyId": "<access-key-id:1>", "SecretAccessKey": "<secret-access-key>", "SessionToken": "<session-token>"}},
            })
        );
    }
}
