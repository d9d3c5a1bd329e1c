//! Model changes smithy-rs makes before generating an SDK client, so that generated values
//! and harness code match the client crate rather than the raw model.
//!
//! Each customization is keyed by the service's `sdkId`, as smithy-rs keys its decorators.

use crate::shape::{ShapeKind, SimpleType};
use crate::{Model, ShapeId};

/// A model change smithy-rs applies for one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCustomization {
    /// S3: every shape targeted by a member named `Expires` (any case) is a timestamp in the
    /// client, whatever the model says (smithy-rs's S3 expires decorator). The client also
    /// keeps the raw header in an extra `expires_string` output field, which the model lacks.
    S3ExpiresAsTimestamp,
}

impl ClientCustomization {
    /// The customizations smithy-rs applies to a service with this `sdkId`.
    pub fn for_sdk_id(sdk_id: &str) -> &'static [ClientCustomization] {
        match sdk_id {
            "S3" => &[ClientCustomization::S3ExpiresAsTimestamp],
            _ => &[],
        }
    }
}

impl Model {
    /// Applies the smithy-rs client customizations of every service in the model; returns
    /// what was applied.
    pub fn apply_client_customizations(&mut self) -> Vec<ClientCustomization> {
        let sdk_ids: Vec<String> = self
            .services()
            .into_iter()
            .filter_map(|id| self.shape(id).and_then(|shape| shape.traits.aws_service()))
            .map(|service| service.sdk_id)
            .collect();
        let mut applied = Vec::new();
        for sdk_id in sdk_ids {
            for customization in ClientCustomization::for_sdk_id(&sdk_id) {
                match customization {
                    ClientCustomization::S3ExpiresAsTimestamp => self.expires_as_timestamp(),
                }
                applied.push(*customization);
            }
        }
        applied
    }

    fn expires_as_timestamp(&mut self) {
        let targets: Vec<ShapeId> = self
            .shapes()
            .flat_map(|shape| shape.kind.members())
            .filter(|member| member.name.eq_ignore_ascii_case("Expires"))
            .map(|member| member.target.clone())
            .filter(|target| !target.is_prelude())
            .collect();
        for target in targets {
            if let Some(shape) = self.shape_mut(&target) {
                shape.kind = ShapeKind::Simple(SimpleType::Timestamp);
            }
        }
    }
}
