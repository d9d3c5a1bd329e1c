//! UUIDs in text: where they are, and masks that hide them from sort keys.
//!
//! Clients put random UUIDs (invocation ids, generated tokens) into what they send, and write
//! map entries in hash order. A canonical order must not depend on the random values that
//! placeholders hide afterwards, so sort keys see every UUID as `<uuid>`.

use std::borrow::Cow;

/// The idempotency token the harness's token generator returns. It is fixed, so it stays in
/// snapshots as is: it shows that the client filled the token member.
pub const FIXED_IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The placeholder scope of UUIDs: `<uuid:N>`.
pub const UUID_KIND: &str = "uuid";

const UUID_LEN: usize = 36;

/// `text` with every UUID except [`FIXED_IDEMPOTENCY_TOKEN`] replaced by `<uuid>`, for the sort
/// keys of canonicalized maps.
pub fn mask_uuids(text: &str) -> Cow<'_, str> {
    match mask_uuids_bytes(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only whole ASCII UUIDs were replaced by ASCII text, so the bytes stay UTF-8.
        Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
    }
}

/// Byte-level [`mask_uuids`] for binary sort keys (CBOR).
pub fn mask_uuids_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let spans: Vec<_> = uuid_spans(bytes)
        .filter(|&(start, end)| &bytes[start..end] != FIXED_IDEMPOTENCY_TOKEN.as_bytes())
        .collect();
    if spans.is_empty() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut last = 0;
    for (start, end) in spans {
        out.extend_from_slice(&bytes[last..start]);
        out.extend_from_slice(b"<uuid>");
        last = end;
    }
    out.extend_from_slice(&bytes[last..]);
    Cow::Owned(out)
}

/// Start and end of every UUID (8-4-4-4-12 hex digits, not glued to other letters or digits)
/// in `bytes`, left to right, non-overlapping.
pub(crate) fn uuid_spans(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut position = 0;
    std::iter::from_fn(move || {
        while position + UUID_LEN <= bytes.len() {
            let start = position;
            if is_uuid_at(bytes, start) {
                position = start + UUID_LEN;
                return Some((start, start + UUID_LEN));
            }
            position += 1;
        }
        None
    })
}

fn is_uuid_at(bytes: &[u8], start: usize) -> bool {
    let candidate = &bytes[start..start + UUID_LEN];
    let shape_ok = candidate.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    // Glued to letters or digits it is part of a longer token, not a UUID.
    let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
    let after_ok = bytes
        .get(start + UUID_LEN)
        .is_none_or(|b| !b.is_ascii_alphanumeric());
    shape_ok && before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "5f1b3c3e-8d0a-4a4b-9c6e-2b7a0d9e1f23";
    const B: &str = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9";

    #[test]
    fn masks_uuids_for_sort_keys() {
        assert_eq!(mask_uuids(&format!("a{B}")), format!("a{B}"));
        assert_eq!(
            mask_uuids(&format!("k {A} {FIXED_IDEMPOTENCY_TOKEN}")),
            format!("k <uuid> {FIXED_IDEMPOTENCY_TOKEN}")
        );
        assert_eq!(&*mask_uuids_bytes(format!("[{A}]").as_bytes()), b"[<uuid>]");
        assert_eq!(mask_uuids(&format!("ünïcode {A}")), "ünïcode <uuid>");
    }
}
