//! SQS parity: queue lifecycle recorded once, verified against any target.
mod common;

use common::TestResult;
use snapshot_parity::snapshot;

#[tokio::test]
async fn queue_lifecycle() -> TestResult {
    let target = common::target()?;
    let config = target.sdk_config().await?;
    let mut snapshot = snapshot!().with_target(&target);
    common::standard_transformers(&mut snapshot, &config);
    common::sqs_queue_lifecycle(&mut snapshot, &config, "30").await?;
    snapshot.finish()?;
    Ok(())
}
