//! `@hostLabel` members read back from the host by the operation's `@endpoint` host prefix
//! (`{AccountId}.`), which every protocol applies the same way.

use aws_smithy_types::date_time::Format;
use snapshot_model::Shape;
use snapshot_values::{Value, ValuePath};

use super::parts::RequestParts;
use crate::read::{members_of, DecodeError, Decoding};

/// The `@hostLabel` members of the input in the host: each label's text runs to the next
/// literal text of the prefix. Nothing when the host does not start as the prefix says.
pub(super) fn host_labels<'m>(
    decoding: &Decoding<'_, '_, 'm>,
    parts: &RequestParts,
    shape: &'m Shape,
    path: &ValuePath,
) -> Result<Vec<(String, Value)>, DecodeError> {
    let cx = decoding.cx;
    let Some(endpoint) = cx.operation().shape.traits.endpoint() else {
        return Ok(Vec::new());
    };
    let mut read = Vec::new();
    let mut host = parts.host.as_str();
    let mut prefix = endpoint.host_prefix.as_str();
    while !prefix.is_empty() {
        if let Some(rest) = prefix.strip_prefix('{') {
            let Some((label, after)) = rest.split_once('}') else {
                break;
            };
            let literal_end = after.find('{').unwrap_or(after.len());
            let literal = &after[..literal_end];
            let end = if literal.is_empty() {
                host.len()
            } else {
                host.find(literal).unwrap_or(host.len())
            };
            let text = &host[..end];
            if let Some(member) = members_of(shape).iter().find(|member| member.name == label) {
                let member_path = path.member(&member.name);
                read.push((
                    member.name.clone(),
                    decoding.scalar_text(
                        cx.target(member),
                        text,
                        Format::DateTime,
                        &member_path,
                    )?,
                ));
            }
            host = &host[end..];
            prefix = after;
        } else {
            let literal_end = prefix.find('{').unwrap_or(prefix.len());
            let literal = &prefix[..literal_end];
            match host.strip_prefix(literal) {
                Some(rest) => host = rest,
                None => return Ok(read),
            }
            prefix = &prefix[literal_end..];
        }
    }
    Ok(read)
}
