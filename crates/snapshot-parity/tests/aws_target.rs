//! `TEST_TARGET=aws` loads credentials and region from the standard chain (environment,
//! profiles, SSO, IMDS). Only built with the `aws-config` feature:
//! `cargo test -p snapshot-parity --features aws-config --test aws_target`.
//! The single test owns this process's environment.
#![cfg(feature = "aws-config")]

use aws_credential_types::provider::ProvideCredentials;
use snapshot_parity::Target;

#[tokio::test]
async fn the_real_cloud_uses_the_standard_chain() {
    // No real profile or instance metadata may leak into the test.
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/snapshot-parity/config");
    std::env::set_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/snapshot-parity/credentials",
    );
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDSNAPSHOTPARITY");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "parity-secret");
    std::env::remove_var("AWS_PROFILE");
    std::env::remove_var("AWS_DEFAULT_REGION");

    std::env::remove_var("AWS_REGION");
    let missing = Target::aws().sdk_config().await.unwrap_err().to_string();
    assert!(missing.contains("no region is configured"), "{missing}");

    std::env::set_var("AWS_REGION", "eu-west-3");
    let target = Target::from_values(Some("aws"), None, None).unwrap();
    let config = target.sdk_config().await.unwrap();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-3"));
    assert_eq!(config.endpoint_url(), None);
    let credentials = config
        .credentials_provider()
        .expect("the chain provides credentials")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDSNAPSHOTPARITY");
}
