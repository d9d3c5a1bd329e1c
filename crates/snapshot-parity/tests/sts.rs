//! STS parity: identity, session tokens and assumed roles recorded once, verified against any
//! target.
mod common;

use common::TestResult;
use snapshot_parity::snapshot;

#[tokio::test]
async fn identity_and_roles() -> TestResult {
    let target = common::target()?;
    let config = target.sdk_config().await?;
    let mut snapshot = snapshot!().with_target(&target);
    common::standard_transformers(&mut snapshot, &config);
    common::sts_identity_and_roles(&mut snapshot, &config).await?;
    snapshot.finish()?;
    Ok(())
}
