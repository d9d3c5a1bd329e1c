//! Where the model and the client crate disagree (model ↔ crate drift): members the model has
//! and the crate cannot hold, dropped from the generated values instead of costing their
//! operation; members and operations the crate has and the model lacks, never exercised.

use serde::{Deserialize, Serialize};

/// A service's drift. Empty when the model and the crate agree, or the crate's API could not
/// be read (its operations are then generated from the model alone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    /// Members the model has and the crate cannot hold (model newer than crate), dropped from
    /// the generated value they were in.
    #[serde(default)]
    pub dropped_members: Vec<DroppedMember>,
    /// `pub` fields of the crate's types that no model member maps to (crate newer than
    /// model): never set and never checked.
    #[serde(default)]
    pub unexercised_members: Vec<UnexercisedMember>,
    /// The crate's operation modules that no model operation maps to: never called.
    #[serde(default)]
    pub unmodeled_operations: Vec<String>,
}

impl DriftReport {
    /// Whether the model and the crate agree.
    pub fn is_empty(&self) -> bool {
        self.dropped_members.is_empty()
            && self.unexercised_members.is_empty()
            && self.unmodeled_operations.is_empty()
    }

    /// The dropped members of one snapshot, in the order they were found.
    pub fn dropped_in<'r>(
        &'r self,
        subject: &'r str,
        case: DriftCase,
    ) -> impl Iterator<Item = &'r DroppedMember> {
        self.dropped_members
            .iter()
            .filter(move |member| member.subject == subject && member.case == case)
    }
}

/// A model member dropped from a generated value because the crate cannot hold it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DroppedMember {
    /// The operation (request, response) or error shape (error).
    pub subject: String,
    /// Which value it was dropped from.
    pub case: DriftCase,
    /// Its value path (`GetThingInput.Filter.Shade`).
    pub path: String,
    /// What the crate lacks (`the crate's `types::Details` has no field `shade``).
    pub reason: String,
}

/// The generated value a member was dropped from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DriftCase {
    /// The operation's input: not sent.
    Request,
    /// The operation's outputs (every response replay): not in the responses.
    Response,
    /// The error shape's value: not in the error response.
    Error,
}

impl DriftCase {
    /// The name reports use (`request`).
    pub fn as_str(self) -> &'static str {
        match self {
            DriftCase::Request => "request",
            DriftCase::Response => "response",
            DriftCase::Error => "error",
        }
    }
}

impl std::fmt::Display for DriftCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field of a crate type that no model member maps to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnexercisedMember {
    /// The crate type (`operation::get_session_token::GetSessionTokenOutput`).
    pub rust_type: String,
    /// The model shape the type was generated from.
    pub shape: String,
    /// The field (`session_token_size`).
    pub field: String,
}
