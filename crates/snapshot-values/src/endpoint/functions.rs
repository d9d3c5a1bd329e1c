//! The rules-engine library functions, as the generated Rust clients evaluate them
//! (`endpoint_lib` in every `aws-sdk-*` crate): host labels, ARNs, partitions, S3 bucket names,
//! substrings, URI encoding and URL parsing.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv6Addr};

use super::eval::Val;

/// `isValidHostLabel`: 1 to 63 ASCII letters, digits and `-`, not starting with `-`; with
/// `allow_dots`, several such labels joined by `.`.
pub(crate) fn is_valid_host_label(label: &str, allow_dots: bool) -> bool {
    let segment_ok = |segment: &str| {
        (1..=63).contains(&segment.len())
            && !segment.starts_with('-')
            && segment
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
    };
    if allow_dots {
        label.split('.').all(segment_ok)
    } else {
        segment_ok(label)
    }
}

/// `aws.isVirtualHostableS3Bucket`: a valid host label whose every segment is 3 to 63
/// lower-case letters, digits, `-` (and `.` between segments), starting and ending with a
/// letter or digit, and which is not an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(bucket: &str, allow_dots: bool) -> bool {
    let segment_ok = |segment: &str| {
        let bytes = segment.as_bytes();
        let edge = |byte: &u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
        (3..=63).contains(&bytes.len())
            && bytes.first().is_some_and(edge)
            && bytes.last().is_some_and(edge)
            && bytes.iter().all(|byte| edge(byte) || *byte == b'-')
    };
    is_valid_host_label(bucket, allow_dots)
        && bucket.parse::<std::net::Ipv4Addr>().is_err()
        && if allow_dots {
            bucket.split('.').all(segment_ok)
        } else {
            segment_ok(bucket)
        }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, with partition, service
/// and resource non-empty; the resource is split on `:` and `/` into `resourceId`.
pub(crate) fn parse_arn(text: &str) -> Option<Val> {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|part| Val::Str(part.to_owned()))
        .collect();
    Some(Val::Record(BTreeMap::from([
        ("partition".to_owned(), Val::Str(partition.to_owned())),
        ("service".to_owned(), Val::Str(service.to_owned())),
        ("region".to_owned(), Val::Str(region.to_owned())),
        ("accountId".to_owned(), Val::Str(account.to_owned())),
        ("resourceId".to_owned(), Val::Array(resource_id)),
    ])))
}

/// One AWS partition's outputs.
struct Partition {
    name: &'static str,
    /// Region name prefixes that belong to it (the published `regionRegex` is
    /// `^<prefix>\w+-\d+$`).
    prefixes: &'static [&'static str],
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    supports_fips: bool,
    supports_dual_stack: bool,
    implicit_global_region: &'static str,
}

/// The partitions the published clients ship, most specific prefixes first; any region that
/// matches none resolves to `aws`, as the clients do.
const PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws-us-gov",
        prefixes: &["us-gov-"],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-gov-west-1",
    },
    Partition {
        name: "aws-iso-b",
        prefixes: &["us-isob-"],
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "sc2s.sgov.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-isob-east-1",
    },
    Partition {
        name: "aws-iso-f",
        prefixes: &["us-isof-"],
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "csp.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-isof-south-1",
    },
    Partition {
        name: "aws-iso",
        prefixes: &["us-iso-"],
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "c2s.ic.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-iso-east-1",
    },
    Partition {
        name: "aws-iso-e",
        prefixes: &["eu-isoe-"],
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "cloud.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "eu-isoe-west-1",
    },
    Partition {
        name: "aws-cn",
        prefixes: &["cn-"],
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "cn-northwest-1",
    },
    Partition {
        name: "aws",
        prefixes: &[
            "us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-",
        ],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    },
];

/// `aws.partition`: the partition a region belongs to (`aws` when none matches).
pub(crate) fn partition(region: &str) -> Val {
    let fallback = PARTITIONS.len() - 1;
    let partition = PARTITIONS
        .iter()
        .find(|partition| {
            partition
                .prefixes
                .iter()
                .any(|prefix| region.starts_with(prefix))
        })
        .unwrap_or(&PARTITIONS[fallback]);
    Val::Record(BTreeMap::from([
        ("name".to_owned(), Val::Str(partition.name.to_owned())),
        (
            "dnsSuffix".to_owned(),
            Val::Str(partition.dns_suffix.to_owned()),
        ),
        (
            "dualStackDnsSuffix".to_owned(),
            Val::Str(partition.dual_stack_dns_suffix.to_owned()),
        ),
        (
            "supportsFIPS".to_owned(),
            Val::Bool(partition.supports_fips),
        ),
        (
            "supportsDualStack".to_owned(),
            Val::Bool(partition.supports_dual_stack),
        ),
        (
            "implicitGlobalRegion".to_owned(),
            Val::Str(partition.implicit_global_region.to_owned()),
        ),
    ]))
}

/// `substring(input, start, stop, reverse)`: ASCII only; `None` when `start >= stop` or the
/// input is shorter than `stop`; with `reverse`, counted from the end.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || !input.is_ascii() || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to).map(str::to_owned)
}

/// `uriEncode`: percent-encodes every byte but the RFC 3986 unreserved characters.
pub(crate) fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `parseURL`: `http` or `https` URLs without a query; the record has `scheme`, `authority`,
/// `path`, `normalizedPath` (ending in `/`) and `isIp`.
pub(crate) fn parse_url(url: &str) -> Option<Val> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") || rest.contains('?') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    let is_ip = host.parse::<IpAddr>().is_ok() || host.parse::<Ipv6Addr>().is_ok();
    let normalized = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Val::Record(BTreeMap::from([
        ("scheme".to_owned(), Val::Str(scheme)),
        ("authority".to_owned(), Val::Str(authority.to_owned())),
        ("path".to_owned(), Val::Str(path.to_owned())),
        ("normalizedPath".to_owned(), Val::Str(normalized)),
        ("isIp".to_owned(), Val::Bool(is_ip)),
    ])))
}

/// `split(value, delimiter, limit)`: `limit` 0 splits everywhere, otherwise into at most
/// `limit` parts.
pub(crate) fn split(value: &str, delimiter: &str, limit: i64) -> Option<Val> {
    if delimiter.is_empty() {
        return None;
    }
    let parts: Vec<Val> = match usize::try_from(limit).ok()? {
        0 => value
            .split(delimiter)
            .map(|part| Val::Str(part.to_owned()))
            .collect(),
        limit => value
            .splitn(limit, delimiter)
            .map(|part| Val::Str(part.to_owned()))
            .collect(),
    };
    Some(Val::Array(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("abc-1", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a.b.", true));
        assert!(!is_valid_host_label("__EndpointId__", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("a.bc", false));
        assert!(is_virtual_hostable_s3_bucket("abc.def", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("__Bucket__", false));
    }

    #[test]
    fn arns() {
        let Some(Val::Record(arn)) = parse_arn("arn:aws:kinesis:us-east-1:123:stream/s:x") else {
            panic!("parses")
        };
        assert_eq!(arn["service"], Val::Str("kinesis".into()));
        assert_eq!(
            arn["resourceId"],
            Val::Array(vec![
                Val::Str("stream".into()),
                Val::Str("s".into()),
                Val::Str("x".into())
            ])
        );
        assert!(parse_arn("arn:aws:kinesis:us-east-1:123").is_none());
        assert!(parse_arn("arn::kinesis:us-east-1:123:r").is_none());
        assert!(parse_arn("nope:aws:kinesis:us-east-1:123:r").is_none());
        assert!(parse_arn("__StreamARN__").is_none());
    }

    #[test]
    fn partitions_by_region() {
        let name = |region| match partition(region) {
            Val::Record(record) => record["name"].clone(),
            _ => unreachable!(),
        };
        assert_eq!(name("us-east-1"), Val::Str("aws".into()));
        assert_eq!(name("us-gov-west-1"), Val::Str("aws-us-gov".into()));
        assert_eq!(name("cn-north-1"), Val::Str("aws-cn".into()));
        assert_eq!(name("us-isob-east-1"), Val::Str("aws-iso-b".into()));
        assert_eq!(name("mars-1"), Val::Str("aws".into()));
    }

    #[test]
    fn substrings_uri_encoding_urls() {
        assert_eq!(substring("hello", 0, 2, false).as_deref(), Some("he"));
        assert_eq!(substring("hello", 0, 2, true).as_deref(), Some("lo"));
        assert_eq!(substring("hello", 0, 6, false), None);
        assert_eq!(substring("hé", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        let Some(Val::Record(url)) = parse_url("https://127.0.0.1:8080/p") else {
            panic!("parses")
        };
        assert_eq!(url["isIp"], Val::Bool(true));
        assert_eq!(url["normalizedPath"], Val::Str("/p/".into()));
        assert!(parse_url("ftp://x").is_none());
        assert!(parse_url("https://x/?q").is_none());
    }
}
