//! User agents (`user-agent`, `x-amz-user-agent`): structure kept, build facts replaced.
//!
//! The AWS SDK user agent is a space-separated list of `prefix/value[/version]` tokens
//! (ABNF in aws-runtime's `user_agent.rs`):
//! `aws-sdk-rust/1.3.9 ua/2.1 api/sts/1.124.0 os/linux lang/rust/1.88.0 m/E,b,C app/x lib/f/1.0 md/http#hyper-1.x`.
//! Tokens that depend on the build machine or on crate versions are replaced by placeholders;
//! everything that says what the client did (`ua/` format version, service id, business
//! metrics `m/`, `md/`, `cfg/`, `app/`, `exec-env/`, framework names) stays, so a change in
//! features or metrics shows in the snapshot.

/// Replaces versions, OS and language version in a user agent; keeps every other token.
pub(crate) fn normalize(value: &str) -> String {
    value.split(' ').map(token).collect::<Vec<_>>().join(" ")
}

fn token(token: &str) -> String {
    let mut parts = token.split('/');
    let prefix = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    match (prefix, rest.as_slice()) {
        // sdk-metadata = "aws-sdk-" sdk-name "/" version
        (sdk, [_version]) if sdk.starts_with("aws-sdk-") => format!("{sdk}/<version>"),
        // api-metadata = "api/" service-id "/" version
        ("api", [service, _version]) => format!("api/{service}/<version>"),
        // os-metadata = "os/" os-family ["/" version]
        ("os", [_family, ..]) => "os/<os>".to_owned(),
        // language-metadata = "lang/" language "/" version
        ("lang", ["rust", _version]) => "lang/rust/<rust-version>".to_owned(),
        ("lang", [language, _version]) => format!("lang/{language}/<version>"),
        // framework-metadata = "lib/" name ["/" version]; legacy "ft/" name ["/" version]
        (kind @ ("lib" | "ft"), [name, _version]) => format!("{kind}/{name}/<version>"),
        _ => token.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_structure_and_metrics_but_not_versions() {
        let sent = "aws-sdk-rust/1.3.9 ua/2.1 api/sts/1.124.0 os/linux lang/rust/1.88.0 m/E,b,C,e md/http#hyper-1.x app/my_app lib/some-framework/1.3 lib/other";
        assert_eq!(
            normalize(sent),
            "aws-sdk-rust/<version> ua/2.1 api/sts/<version> os/<os> lang/rust/<rust-version> m/E,b,C,e md/http#hyper-1.x app/my_app lib/some-framework/<version> lib/other"
        );
    }

    #[test]
    fn same_client_on_another_machine_renders_the_same() {
        let linux = "aws-sdk-rust/1.3.9 ua/2.1 api/dynamodb/1.136.0 os/linux lang/rust/1.88.0 exec-env/lambda m/D";
        let mac = "aws-sdk-rust/1.4.0 ua/2.1 api/dynamodb/1.137.2 os/macos/14.1 lang/rust/1.90.1 exec-env/lambda m/D";
        assert_eq!(normalize(linux), normalize(mac));
    }

    #[test]
    fn legacy_tokens_and_unknown_tokens() {
        assert_eq!(
            normalize("aws-sdk-rust/0.1 os/windows/XPSP3 lang/rust/1.50.0 ft/s3-transfer/0.2 cfg/retry-mode/standard"),
            "aws-sdk-rust/<version> os/<os> lang/rust/<rust-version> ft/s3-transfer/<version> cfg/retry-mode/standard"
        );
        assert_eq!(normalize("curl/8.0"), "curl/8.0");
    }
}
