//! A test's `vendorParams` for AWS protocols (`aws.protocoltests.config#AwsConfig`), typed:
//! the client settings the harness must apply for the test to mean what it says.
//!
//! Only what a snapshot client can honour is accepted: the region and S3's addressing
//! settings, at client scope and at operation scope (operation wins, as the AWS SDKs' shared
//! configuration specifies). Anything else is reported by its path, so the runner skips the
//! test with that reason instead of running it with settings it ignored.

use serde_json::{Map, Value};

/// S3 `addressing_style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressingStyle {
    /// The client decides (virtual-hosted where the bucket name allows it).
    Auto,
    /// `bucket.host/key`.
    Virtual,
    /// `host/bucket/key` (smithy-rs: `force_path_style`).
    Path,
}

/// S3 settings of a client or an operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// `addressing_style`, when set.
    pub addressing_style: Option<AddressingStyle>,
    /// `use_accelerate_endpoint`, when set.
    pub use_accelerate_endpoint: Option<bool>,
    /// `use_dualstack_endpoint`, when set.
    pub use_dualstack_endpoint: Option<bool>,
    /// `use_arn_region`, when set.
    pub use_arn_region: Option<bool>,
}

impl S3Settings {
    /// `self` with every setting `other` makes replaced by `other`'s.
    fn overridden_by(self, other: S3Settings) -> S3Settings {
        S3Settings {
            addressing_style: other.addressing_style.or(self.addressing_style),
            use_accelerate_endpoint: other
                .use_accelerate_endpoint
                .or(self.use_accelerate_endpoint),
            use_dualstack_endpoint: other.use_dualstack_endpoint.or(self.use_dualstack_endpoint),
            use_arn_region: other.use_arn_region.or(self.use_arn_region),
        }
    }
}

/// The client settings a test asks for, operation scope already applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSettings {
    /// The region, when the test sets one.
    pub region: Option<String>,
    /// S3 settings.
    pub s3: S3Settings,
}

/// A vendor param the harness cannot apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("vendorParams.{path} is not supported by the snapshot client")]
pub struct UnsupportedSetting {
    /// Where it is (`scopedConfig.environment`).
    pub path: String,
}

impl ClientSettings {
    /// Reads `vendorParams` of an AWS protocol test.
    pub fn from_vendor_params(params: &Map<String, Value>) -> Result<Self, UnsupportedSetting> {
        let mut settings = ClientSettings::default();
        for (key, value) in params {
            match (key.as_str(), value) {
                ("region", Value::String(region)) => settings.region = Some(region.clone()),
                ("scopedConfig", Value::Object(scoped)) => settings.scoped(scoped)?,
                _ => return Err(unsupported(key)),
            }
        }
        Ok(settings)
    }

    fn scoped(&mut self, scoped: &Map<String, Value>) -> Result<(), UnsupportedSetting> {
        let mut operation_s3 = S3Settings::default();
        for (key, value) in scoped {
            let path = format!("scopedConfig.{key}");
            let Value::Object(config) = value else {
                return Err(unsupported(&path));
            };
            match key.as_str() {
                "client" => {
                    for (setting, value) in config {
                        match (setting.as_str(), value) {
                            ("region", Value::String(region)) => self.region = Some(region.clone()),
                            ("s3", Value::Object(s3)) => {
                                self.s3 = s3_settings(s3, &format!("{path}.s3"))?;
                            }
                            _ => return Err(unsupported(&format!("{path}.{setting}"))),
                        }
                    }
                }
                "operation" => {
                    for (setting, value) in config {
                        match (setting.as_str(), value) {
                            ("s3", Value::Object(s3)) => {
                                operation_s3 = s3_settings(s3, &format!("{path}.s3"))?;
                            }
                            _ => return Err(unsupported(&format!("{path}.{setting}"))),
                        }
                    }
                }
                _ => return Err(unsupported(&path)),
            }
        }
        self.s3 = self.s3.overridden_by(operation_s3);
        Ok(())
    }
}

fn s3_settings(s3: &Map<String, Value>, path: &str) -> Result<S3Settings, UnsupportedSetting> {
    let mut settings = S3Settings::default();
    for (key, value) in s3 {
        match (key.as_str(), value) {
            ("addressing_style", Value::String(style)) => {
                settings.addressing_style = Some(match style.as_str() {
                    "auto" => AddressingStyle::Auto,
                    "virtual" => AddressingStyle::Virtual,
                    "path" => AddressingStyle::Path,
                    _ => return Err(unsupported(&format!("{path}.{key}"))),
                });
            }
            ("use_accelerate_endpoint", Value::Bool(on)) => {
                settings.use_accelerate_endpoint = Some(*on)
            }
            ("use_dualstack_endpoint", Value::Bool(on)) => {
                settings.use_dualstack_endpoint = Some(*on)
            }
            ("use_arn_region", Value::Bool(on)) => settings.use_arn_region = Some(*on),
            _ => return Err(unsupported(&format!("{path}.{key}"))),
        }
    }
    Ok(settings)
}

fn unsupported(path: &str) -> UnsupportedSetting {
    UnsupportedSetting {
        path: path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(json: serde_json::Value) -> Result<ClientSettings, UnsupportedSetting> {
        let Value::Object(map) = json else {
            unreachable!()
        };
        ClientSettings::from_vendor_params(&map)
    }

    #[test]
    fn operation_scope_wins_over_client_scope() {
        let parsed = settings(serde_json::json!({"scopedConfig": {
            "client": {"region": "us-west-2", "s3": {"addressing_style": "path", "use_dualstack_endpoint": true}},
            "operation": {"s3": {"addressing_style": "virtual"}}
        }}))
        .unwrap();
        assert_eq!(parsed.region.as_deref(), Some("us-west-2"));
        assert_eq!(parsed.s3.addressing_style, Some(AddressingStyle::Virtual));
        assert_eq!(parsed.s3.use_dualstack_endpoint, Some(true));
    }

    #[test]
    fn settings_the_harness_cannot_apply_are_named() {
        let error =
            settings(serde_json::json!({"scopedConfig": {"environment": {"AWS_REGION": "x"}}}))
                .unwrap_err();
        assert_eq!(error.path, "scopedConfig.environment");
        let error = settings(serde_json::json!({"scopedConfig": {"client": {"s3": {"addressing_style": "sideways"}}}})).unwrap_err();
        assert_eq!(error.to_string(), "vendorParams.scopedConfig.client.s3.addressing_style is not supported by the snapshot client");
    }
}
