//! Digests of the body sent in headers and trailers, verified rather than shown.
//!
//! `x-amz-content-sha256`, `content-md5` and `x-amz-checksum-*` are functions of the body
//! bytes as sent. When the body contains a map, those bytes (and so the digest) change with
//! `HashMap` order although the rendered body does not. So a digest that matches the body is
//! shown as `<sha256 of body>` (etc.), which is stable and says that it was checked; a digest
//! that does not match is kept as sent, so the mismatch shows. Literal markers such as
//! `UNSIGNED-PAYLOAD` or `STREAMING-...` are not digests and stay as they are. CRC32C and
//! CRC64NVME are not recomputed here and stay as sent (they are deterministic for the blob
//! bodies that carry them).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use md5::Md5;
use sha2::{Digest as _, Sha256};

/// The placeholder for header `name` when `value` is the digest of `body` it names.
pub(crate) fn verified(name: &str, value: &str, body: &[u8]) -> Option<&'static str> {
    let matches = match name {
        "x-amz-content-sha256" => hex(&Sha256::digest(body)) == value,
        "x-amz-checksum-sha256" => STANDARD.encode(Sha256::digest(body)) == value,
        "content-md5" => STANDARD.encode(Md5::digest(body)) == value,
        "x-amz-checksum-crc32" => STANDARD.encode(crc32fast::hash(body).to_be_bytes()) == value,
        _ => return None,
    };
    let placeholder = match name {
        "x-amz-content-sha256" | "x-amz-checksum-sha256" => "<sha256 of body>",
        "content-md5" => "<md5 of body>",
        _ => "<crc32 of body>",
    };
    matches.then_some(placeholder)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_known_digests() {
        // Digests of the empty body.
        let sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            verified("x-amz-content-sha256", sha, b""),
            Some("<sha256 of body>")
        );
        assert_eq!(
            verified("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==", b""),
            Some("<md5 of body>")
        );
        // CRC32 of "a" (0xe8b7be43).
        assert_eq!(
            verified("x-amz-checksum-crc32", "6Le+Qw==", b"a"),
            Some("<crc32 of body>")
        );
        assert_eq!(
            verified(
                "x-amz-checksum-sha256",
                "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=",
                b"a"
            ),
            Some("<sha256 of body>")
        );
    }

    #[test]
    fn keeps_mismatches_and_markers() {
        assert_eq!(
            verified("x-amz-content-sha256", "UNSIGNED-PAYLOAD", b""),
            None
        );
        assert_eq!(
            verified("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==", b"x"),
            None
        );
        assert_eq!(
            verified("x-amz-checksum-crc64nvme", "AAAAAAAAAAA=", b""),
            None
        );
    }
}
