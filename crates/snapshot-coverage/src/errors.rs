//! What stops coverage from being computed at all (everything else is a [`crate::Warning`]).

/// Coverage cannot be computed.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// A crate's snapshot directory exists but cannot be listed (the store's message names
    /// the path and the fix).
    #[error(transparent)]
    Store(#[from] snapshot_store::StoreError),
    /// A model has no usable service (loading checked it once already).
    #[error(transparent)]
    Model(#[from] snapshot_model::ModelError),
}
