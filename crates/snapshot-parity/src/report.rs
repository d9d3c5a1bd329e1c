//! The readable report printed when verification fails: one block per difference with its JSON
//! path (ready to paste as a skip path), the recorded and the current value.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

use crate::diff::{Comparison, Difference, DifferenceKind, SkippedDifference};

/// Longest rendering of one value before it is cut, so a changed body does not flood the log.
const MAX_VALUE_CHARS: usize = 400;

/// Everything needed to explain a failed verification.
#[derive(Debug, Clone)]
pub struct MismatchReport {
    /// The test id.
    pub test: String,
    /// The snapshot file holding the recording.
    pub file: PathBuf,
    /// When the recording was made.
    pub recorded_date: Option<String>,
    /// Which target the recording came from.
    pub recorded_against: Option<String>,
    /// Which target was verified.
    pub verified_against: Option<String>,
    /// The differences.
    pub comparison: Comparison,
}

impl fmt::Display for MismatchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "parity mismatch in test `{}` ({}",
            self.test,
            self.file.display()
        )?;
        if let Some(date) = &self.recorded_date {
            write!(f, ", recorded {date}")?;
        }
        if let Some(target) = &self.recorded_against {
            write!(f, " against {target}")?;
        }
        if let Some(target) = &self.verified_against {
            write!(f, ", verified against {target}")?;
        }
        writeln!(f, ")")?;
        let failures = &self.comparison.failures;
        writeln!(
            f,
            "{} difference{}:",
            failures.len(),
            if failures.len() == 1 { "" } else { "s" }
        )?;
        for difference in failures {
            write_difference(f, difference)?;
        }
        if !self.comparison.skipped.is_empty() {
            writeln!(f)?;
            write_skipped(f, &self.comparison.skipped)?;
        }
        if let Some(first) = failures.first() {
            writeln!(f)?;
            writeln!(
                f,
                "If a difference is known and accepted, add its path to the test's skip list, e.g."
            )?;
            writeln!(
                f,
                "    snapshot.skip(\"{}\", \"<why it differs>\")?;",
                first
                    .path
                    .to_string()
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
            )?;
            write!(
                f,
                "If the reference behaviour changed, re-record with SNAPSHOT_UPDATE=1 against the reference target."
            )?;
        }
        Ok(())
    }
}

fn write_difference(f: &mut fmt::Formatter<'_>, difference: &Difference) -> fmt::Result {
    let kind = match difference.kind() {
        DifferenceKind::Changed => "changed",
        DifferenceKind::Missing => "missing now",
        DifferenceKind::Added => "not recorded",
    };
    writeln!(f, "  {}  ({kind})", difference.path)?;
    writeln!(
        f,
        "      recorded: {}",
        render(difference.recorded.as_ref())
    )?;
    writeln!(f, "      current:  {}", render(difference.current.as_ref()))
}

/// Writes the accepted differences, one line each with the reason.
pub(crate) fn write_skipped(f: &mut impl fmt::Write, skipped: &[SkippedDifference]) -> fmt::Result {
    writeln!(
        f,
        "{} difference{} accepted by skip paths:",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" }
    )?;
    for entry in skipped {
        writeln!(
            f,
            "  {}  (skipped by `{}`: {})",
            entry.difference.path, entry.skip.pattern, entry.skip.reason
        )?;
    }
    Ok(())
}

fn render(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "(absent)".to_owned();
    };
    let text = value.to_string();
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_VALUE_CHARS).collect();
    format!("{cut}… ({} chars)", text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{compare, SkipPath};
    use serde_json::json;

    #[test]
    fn report_names_each_path_and_suggests_a_skip() {
        let comparison = compare(
            &json!({"get": {"Attributes": {"VisibilityTimeout": "30", "Delay": "0"}}}),
            &json!({"get": {"Attributes": {"VisibilityTimeout": "45", "Delay": "1"}}}),
            &[SkipPath::new("$.get.Attributes.Delay", "moto ignores it").unwrap()],
        );
        let report = MismatchReport {
            test: "queue_lifecycle".into(),
            file: "tests/sqs.snapshot.json".into(),
            recorded_date: Some("2026-01-01T00:00:00Z".into()),
            recorded_against: Some("moto".into()),
            verified_against: Some("moto (http://127.0.0.1:1)".into()),
            comparison,
        }
        .to_string();
        assert!(report.starts_with("parity mismatch in test `queue_lifecycle` (tests/sqs.snapshot.json, recorded 2026-01-01T00:00:00Z against moto, verified against moto (http://127.0.0.1:1))\n1 difference:\n"), "{report}");
        assert!(report.contains("  $.get.Attributes.VisibilityTimeout  (changed)\n      recorded: \"30\"\n      current:  \"45\"\n"), "{report}");
        assert!(
            report.contains(
                "  $.get.Attributes.Delay  (skipped by `$.get.Attributes.Delay`: moto ignores it)"
            ),
            "{report}"
        );
        assert!(
            report.contains(
                "snapshot.skip(\"$.get.Attributes.VisibilityTimeout\", \"<why it differs>\")?;"
            ),
            "{report}"
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = Value::String("x".repeat(1000));
        let shown = render(Some(&long));
        assert!(shown.ends_with("… (1002 chars)"), "{shown}");
        assert_eq!(render(None), "(absent)");
    }
}
