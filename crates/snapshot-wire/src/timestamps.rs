//! Timestamp text per location. Each protocol picks the default for a location (JSON body:
//! epoch-seconds, XML and query bodies: date-time, headers: http-date) and `@timestampFormat`
//! on the member or its target overrides it. Formatting uses the same routines smithy-rs
//! servers use, so precision matches theirs (http-date drops milliseconds).

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use snapshot_model::traits::TimestampFormat;
use snapshot_model::Traits;
use snapshot_values::ValuePath;

use crate::{OperationContext, WireError};

/// The format for a timestamp with these (effective member) traits at a location whose
/// protocol default is `default`.
pub(crate) fn format_for(traits: &Traits, default: TimestampFormat) -> Format {
    match traits.timestamp_format().unwrap_or(default) {
        TimestampFormat::DateTime => Format::DateTime,
        TimestampFormat::HttpDate => Format::HttpDate,
        TimestampFormat::EpochSeconds => Format::EpochSeconds,
    }
}

/// `millis` since the epoch as text in `format`.
pub(crate) fn text(
    cx: &OperationContext<'_, '_>,
    millis: i64,
    format: Format,
    path: &ValuePath,
) -> Result<String, WireError> {
    DateTime::from_millis(millis)
        .fmt(format)
        .map_err(|error| WireError::Timestamp {
            operation: cx.name(),
            path: path.to_string(),
            millis,
            format: match format {
                Format::DateTime | Format::DateTimeWithOffset => "date-time",
                Format::HttpDate => "http-date",
                Format::EpochSeconds => "epoch-seconds",
            },
            reason: error.to_string(),
        })
}
