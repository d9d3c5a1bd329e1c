//! S3 parity: bucket and object lifecycle recorded once, verified against any target.
mod common;

use common::TestResult;
use snapshot_parity::snapshot;

#[tokio::test]
async fn bucket_lifecycle() -> TestResult {
    let target = common::target()?;
    let config = target.sdk_config().await?;
    let mut snapshot = snapshot!().with_target(&target);
    common::standard_transformers(&mut snapshot, &config);
    common::s3_bucket_lifecycle(&mut snapshot, &config, &target).await?;
    snapshot.finish()?;
    Ok(())
}
