//! Timestamp text per location. Each protocol picks the default for a location (JSON body:
//! epoch-seconds, XML and query bodies: date-time, headers: http-date) and `@timestampFormat`
//! on the member or its target overrides it. Formatting uses the same routines smithy-rs
//! servers use, so precision matches theirs (http-date drops milliseconds).

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use snapshot_model::traits::TimestampFormat;
use snapshot_model::Traits;
use snapshot_records::Precision;
use snapshot_values::ValuePath;

use crate::context::WireNote;
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

/// `millis` since the epoch as text in `format`; in the long-fractions style, with nine
/// fractional digits (epoch-seconds and date-time) or the milliseconds (http-date), forms the
/// clients' parsers accept and the formatter never writes. The context notes how much of the
/// timestamp the text keeps: a canonical http-date whole seconds, everything else
/// milliseconds (as do the binary forms, CBOR and event headers).
pub(crate) fn text(
    cx: &OperationContext<'_, '_>,
    millis: i64,
    format: Format,
    path: &ValuePath,
) -> Result<String, WireError> {
    let whole_seconds = format == Format::HttpDate && !cx.style().long_fractions;
    let precision = if whole_seconds {
        Precision::Seconds
    } else {
        Precision::Millis
    };
    cx.note(path, WireNote::Timestamp(precision));
    let canonical = formatted(cx, DateTime::from_millis(millis), format, millis, path)?;
    if !cx.style().long_fractions {
        return Ok(canonical);
    }
    let seconds = millis.div_euclid(1000);
    let fraction = millis.rem_euclid(1000);
    // Before 1970 the epoch-seconds text counts down from zero, which a fraction appended to
    // the floored second would get wrong.
    if seconds < 0 && format == Format::EpochSeconds {
        return Ok(canonical);
    }
    let whole = formatted(cx, DateTime::from_secs(seconds), format, millis, path)?;
    Ok(match format {
        Format::EpochSeconds => format!("{whole}.{fraction:03}000000"),
        Format::DateTime | Format::DateTimeWithOffset => match whole.strip_suffix('Z') {
            Some(stem) => format!("{stem}.{fraction:03}000000Z"),
            None => canonical,
        },
        Format::HttpDate => match whole.strip_suffix(" GMT") {
            Some(stem) => format!("{stem}.{fraction:03} GMT"),
            None => canonical,
        },
    })
}

fn formatted(
    cx: &OperationContext<'_, '_>,
    time: DateTime,
    format: Format,
    millis: i64,
    path: &ValuePath,
) -> Result<String, WireError> {
    time.fmt(format).map_err(|error| WireError::Timestamp {
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
