//! The one classifier of content types: which body format a `content-type` header announces.
//!
//! The renderer formats bodies by it (snapshot text) and [`crate::decode`] decodes them into
//! trees by it (live and parity snapshots), so both read a header the same way.

/// The body formats cargo-snapshot knows, by what a content type announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    /// `application/json`, `text/json`, `application/x-amz-json-1.x` (awsJson1_0/1_1) and
    /// any `*+json`.
    Json,
    /// `application/xml`, `text/xml` and any `*+xml` (restXml, awsQuery, ec2Query).
    Xml,
    /// `application/x-www-form-urlencoded` (awsQuery and ec2Query requests).
    Form,
    /// `application/cbor` (rpcv2Cbor).
    Cbor,
    /// `application/vnd.amazon.eventstream`: event-stream messages.
    EventStream,
    /// No content type, or one announcing none of the above.
    Other,
}

impl MediaType {
    /// The format `content_type` announces. Only the essence counts (parameters such as
    /// `charset` are ignored) and names are case-insensitive (RFC 9110 §8.3.1).
    pub fn of(content_type: Option<&str>) -> MediaType {
        let Some(content_type) = content_type else {
            return MediaType::Other;
        };
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/json" | "text/json" => MediaType::Json,
            "application/xml" | "text/xml" => MediaType::Xml,
            "application/x-www-form-urlencoded" => MediaType::Form,
            "application/cbor" => MediaType::Cbor,
            "application/vnd.amazon.eventstream" => MediaType::EventStream,
            other if other.starts_with("application/x-amz-json") || other.ends_with("+json") => {
                MediaType::Json
            }
            other if other.ends_with("+xml") => MediaType::Xml,
            _ => MediaType::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_essence_decides_case_insensitively() {
        assert_eq!(
            MediaType::of(Some("application/x-amz-json-1.0")),
            MediaType::Json
        );
        assert_eq!(
            MediaType::of(Some("Application/JSON; charset=utf-8")),
            MediaType::Json
        );
        assert_eq!(
            MediaType::of(Some("application/problem+json")),
            MediaType::Json
        );
        assert_eq!(MediaType::of(Some("text/xml")), MediaType::Xml);
        assert_eq!(MediaType::of(Some("application/atom+xml")), MediaType::Xml);
        assert_eq!(
            MediaType::of(Some("application/x-www-form-urlencoded; charset=utf-8")),
            MediaType::Form
        );
        assert_eq!(MediaType::of(Some("application/cbor")), MediaType::Cbor);
        assert_eq!(
            MediaType::of(Some("application/vnd.amazon.eventstream")),
            MediaType::EventStream
        );
        assert_eq!(MediaType::of(Some("text/html")), MediaType::Other);
        assert_eq!(MediaType::of(None), MediaType::Other);
    }
}
