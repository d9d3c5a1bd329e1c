//! The endpoint a parity test talks to, chosen by environment so that the same test records
//! against one implementation and verifies against another.
//!
//! | variable | meaning |
//! | --- | --- |
//! | `TEST_TARGET` | `moto` (default), `localstack`, `aws` (the real cloud; `AWS_CLOUD` is accepted too) or an endpoint URL |
//! | `SNAPSHOT_ENDPOINT_URL` | the endpoint for the target (overrides the defaults below) |
//! | `SNAPSHOT_MOTO_URL` | moto's endpoint when `TEST_TARGET=moto` and no `SNAPSHOT_ENDPOINT_URL` (set by CI, which starts moto) |
//!
//! Emulators get mock static credentials and region `us-east-1`; `aws` uses the standard
//! credential and region chain (environment, profiles, SSO, IMDS), which needs the
//! `aws-config` feature.

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_types::region::Region;
use aws_types::SdkConfig;

use crate::errors::ParityError;

/// `TEST_TARGET`.
pub const TEST_TARGET: &str = "TEST_TARGET";
/// `SNAPSHOT_ENDPOINT_URL`.
pub const SNAPSHOT_ENDPOINT_URL: &str = "SNAPSHOT_ENDPOINT_URL";
/// `SNAPSHOT_MOTO_URL`.
pub const SNAPSHOT_MOTO_URL: &str = "SNAPSHOT_MOTO_URL";

/// The region every emulator target uses.
pub const EMULATOR_REGION: &str = "us-east-1";
/// LocalStack's usual endpoint.
pub const LOCALSTACK_URL: &str = "http://127.0.0.1:4566";

/// Whether a target is the real cloud or a stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// The real cloud, with real credentials.
    Aws,
    /// An emulator or any other endpoint, with mock credentials.
    Emulator,
}

/// Where a parity test sends its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    name: String,
    kind: TargetKind,
    endpoint_url: Option<String>,
}

impl Target {
    /// The target the environment asks for (see the module documentation).
    pub fn from_env() -> Result<Self, ParityError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self::from_values(
            var(TEST_TARGET).as_deref(),
            var(SNAPSHOT_ENDPOINT_URL).as_deref(),
            var(SNAPSHOT_MOTO_URL).as_deref(),
        )
    }

    /// [`Target::from_env`] on given values (`None` for unset variables).
    pub fn from_values(
        test_target: Option<&str>,
        endpoint_url: Option<&str>,
        moto_url: Option<&str>,
    ) -> Result<Self, ParityError> {
        let requested = test_target.map(str::trim).unwrap_or("moto");
        let endpoint = endpoint_url.map(str::to_owned);
        match requested.to_ascii_lowercase().as_str() {
            "aws" | "aws_cloud" => Ok(Self {
                name: "aws".to_owned(),
                kind: TargetKind::Aws,
                endpoint_url: endpoint,
            }),
            "moto" => Ok(Self::emulator(
                "moto",
                endpoint.or_else(|| moto_url.map(str::to_owned)),
            )),
            "localstack" => Ok(Self::emulator(
                "localstack",
                Some(endpoint.unwrap_or_else(|| LOCALSTACK_URL.to_owned())),
            )),
            url if url.starts_with("http://") || url.starts_with("https://") => Ok(Self::emulator(
                "endpoint",
                Some(endpoint.unwrap_or_else(|| requested.to_owned())),
            )),
            _ => Err(ParityError::UnknownTarget {
                value: requested.to_owned(),
            }),
        }
    }

    /// The real cloud (credentials and region from the standard chain).
    pub fn aws() -> Self {
        Self {
            name: "aws".to_owned(),
            kind: TargetKind::Aws,
            endpoint_url: None,
        }
    }

    /// An emulator called `name` at `endpoint_url` (which may be filled in later with
    /// [`Target::with_endpoint_url`], e.g. after starting the emulator).
    pub fn emulator(name: impl Into<String>, endpoint_url: Option<String>) -> Self {
        Self {
            name: name.into(),
            kind: TargetKind::Emulator,
            endpoint_url,
        }
    }

    /// The same target at another endpoint.
    pub fn with_endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// `moto`, `localstack`, `aws` or `endpoint`: what recordings say they were made against.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The real cloud or an emulator.
    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    /// True for the real cloud.
    pub fn is_aws(&self) -> bool {
        self.kind == TargetKind::Aws
    }

    /// The endpoint override, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// `moto (http://127.0.0.1:5000)`: the name and endpoint, for reports.
    pub fn describe(&self) -> String {
        match &self.endpoint_url {
            Some(url) => format!("{} ({url})", self.name),
            None => self.name.clone(),
        }
    }

    /// The shared SDK configuration for this target: for emulators, mock static credentials,
    /// region `us-east-1` and the endpoint; for `aws`, the standard chain (plus the endpoint
    /// override when one is set). Build clients from it with
    /// `aws_sdk_x::config::Builder::from(&sdk_config)`.
    pub async fn sdk_config(&self) -> Result<SdkConfig, ParityError> {
        match self.kind {
            TargetKind::Emulator => {
                let endpoint =
                    self.endpoint_url
                        .clone()
                        .ok_or_else(|| ParityError::MissingEndpoint {
                            target: self.name.clone(),
                        })?;
                let credentials = Credentials::new(
                    "MOCK_ak",
                    "MOCK_sak",
                    None,
                    None,
                    "snapshot-parity mock credentials",
                );
                Ok(SdkConfig::builder()
                    .region(Region::new(EMULATOR_REGION))
                    .credentials_provider(SharedCredentialsProvider::new(credentials))
                    .endpoint_url(endpoint)
                    .behavior_version(BehaviorVersion::latest())
                    .build())
            }
            TargetKind::Aws => self.aws_sdk_config().await,
        }
    }

    #[cfg(feature = "aws-config")]
    async fn aws_sdk_config(&self) -> Result<SdkConfig, ParityError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        if config.region().is_none() {
            return Err(ParityError::NoRegion);
        }
        Ok(config)
    }

    #[cfg(not(feature = "aws-config"))]
    async fn aws_sdk_config(&self) -> Result<SdkConfig, ParityError> {
        Err(ParityError::AwsConfigFeatureMissing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_values_choose_the_target() {
        let moto = Target::from_values(None, None, Some("http://127.0.0.1:5123")).unwrap();
        assert_eq!(moto.name(), "moto");
        assert_eq!(moto.endpoint_url(), Some("http://127.0.0.1:5123"));
        assert_eq!(moto.describe(), "moto (http://127.0.0.1:5123)");

        let explicit =
            Target::from_values(Some("moto"), Some("http://h:1"), Some("http://h:2")).unwrap();
        assert_eq!(explicit.endpoint_url(), Some("http://h:1"));

        let unset = Target::from_values(Some("MOTO"), None, None).unwrap();
        assert_eq!(unset.endpoint_url(), None);

        let aws = Target::from_values(Some("AWS_CLOUD"), None, None).unwrap();
        assert!(aws.is_aws());
        assert_eq!(aws.endpoint_url(), None);

        let url = Target::from_values(Some("http://10.0.0.1:4566"), None, None).unwrap();
        assert_eq!(
            (url.name(), url.endpoint_url()),
            ("endpoint", Some("http://10.0.0.1:4566"))
        );

        let localstack = Target::from_values(Some("localstack"), None, None).unwrap();
        assert_eq!(localstack.endpoint_url(), Some(LOCALSTACK_URL));

        let err = Target::from_values(Some("azure"), None, None).unwrap_err();
        assert!(
            err.to_string()
                .contains("TEST_TARGET=azure is not a known target"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn emulators_get_mock_credentials_and_the_endpoint() {
        let config = Target::emulator("moto", Some("http://127.0.0.1:1".into()))
            .sdk_config()
            .await
            .unwrap();
        assert_eq!(config.region().map(|r| r.as_ref()), Some(EMULATOR_REGION));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:1"));
        let err = Target::emulator("moto", None)
            .sdk_config()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("SNAPSHOT_MOTO_URL"), "{err}");
    }

    #[cfg(not(feature = "aws-config"))]
    #[tokio::test]
    async fn the_real_cloud_needs_the_feature() {
        let err = Target::aws().sdk_config().await.unwrap_err();
        assert!(err.to_string().contains("`aws-config` feature"), "{err}");
    }
}
