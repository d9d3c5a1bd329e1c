//! GitHub Actions output of a `write` or `compare` run (`--github`): workflow-command
//! annotations on the snapshot files that failed, and a Markdown summary appended to the
//! job's step summary (`$GITHUB_STEP_SUMMARY`).
//!
//! Annotations use GitHub's workflow commands (`::error file=...,title=...::message`), with
//! `%`, CR and LF escaped in messages and also `:` and `,` in properties, as GitHub's toolkit
//! does. A changed snapshot's annotation carries the head of its diff; the step summary has
//! every diff (each cut at 60 lines, at most [`MAX_DIFFS`] of them: GitHub keeps 1 MiB of
//! summary per step).

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use snapshot_runner::RunOutcome;
use snapshot_store::{DiffOptions, Outcome};

/// Environment variable GitHub sets to the step-summary file of the running step.
pub const STEP_SUMMARY_ENV: &str = "GITHUB_STEP_SUMMARY";

/// Diffs shown in full in the step summary; the rest are listed by path.
pub const MAX_DIFFS: usize = 50;

/// Diff lines carried by one annotation.
const ANNOTATION_DIFF_LINES: usize = 20;

/// Writing the step summary failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot append the GitHub step summary to {}: {source}; check ${STEP_SUMMARY_ENV}", path.display())]
pub struct StepSummaryError {
    /// The file named by `$GITHUB_STEP_SUMMARY`.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Prints one annotation per failed snapshot, per service whose harness did not build, and
/// (as warnings) per lost member.
pub fn annotate(outcome: &RunOutcome, out: &mut dyn Write) -> std::io::Result<()> {
    for service in &outcome.report.services {
        if let Some(failure) = &service.build_failure {
            command(
                out,
                "error",
                &[("title", &format!("{}: harness build failed", service.name))],
                failure,
            )?;
        }
        for lost in &service.lost_members {
            command(
                out,
                "warning",
                &[("title", &format!("{}: lost member", service.name))],
                &format!("{} ({}): {}", lost.subject, lost.case, lost.path),
            )?;
        }
    }
    let Some(compare) = &outcome.compare else {
        return Ok(());
    };
    let options = DiffOptions {
        max_lines: Some(ANNOTATION_DIFF_LINES),
        ..DiffOptions::with_color(false)
    };
    for result in compare.failures() {
        let (title, message) = match &result.outcome {
            Outcome::Changed { diff, .. } => (
                "snapshot changed",
                format!(
                    "accept with `cargo insta review`\n{}",
                    diff.render(&options)
                ),
            ),
            Outcome::New { .. } => (
                "new snapshot",
                "no accepted version yet; accept with `cargo insta review`".to_owned(),
            ),
            _ => ("snapshot removed", result.summary_line()),
        };
        command(
            out,
            "error",
            &[("file", &result.display_path), ("title", title)],
            &message,
        )?;
    }
    Ok(())
}

/// The step summary in Markdown: the result line, a table per service, every failure with
/// its diff.
pub fn step_summary(outcome: &RunOutcome) -> String {
    let mut text = String::new();
    let headline = match (&outcome.compare, &outcome.write) {
        (Some(compare), _) => format!("cargo snapshot compare: {}", compare.counts()),
        (None, Some(write)) => format!("cargo snapshot write: {write}"),
        (None, None) => "cargo snapshot".to_owned(),
    };
    let _ = writeln!(text, "### {headline}\n");
    if let Some(partition) = &outcome.report.partition {
        let _ = writeln!(text, "Partition `{partition}`.\n");
    }
    let _ = writeln!(
        text,
        "| service | protocol | operations | requests | responses | errors | excluded | lost members |"
    );
    let _ = writeln!(text, "|---|---|---:|---:|---:|---:|---:|---:|");
    for service in &outcome.report.services {
        match &service.build_failure {
            Some(failure) => {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | build failed: {} | | | | |",
                    service.name,
                    service.protocol,
                    service.operations_in_scope,
                    cell(failure.lines().next().unwrap_or_default())
                );
            }
            None => {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    service.name,
                    service.protocol,
                    service.operations_in_scope,
                    service.requests.len(),
                    service.responses.len(),
                    service.errors.len(),
                    service.exclusions.len(),
                    service.lost_members.len()
                );
            }
        }
    }
    let Some(compare) = &outcome.compare else {
        return text;
    };
    let failures: Vec<_> = compare.failures().collect();
    if failures.is_empty() {
        return text;
    }
    let _ = writeln!(text, "\n#### Failed snapshots\n");
    let options = DiffOptions::with_color(false);
    for (position, result) in failures.iter().enumerate() {
        match &result.outcome {
            Outcome::Changed { diff, .. } if position < MAX_DIFFS => {
                let _ = writeln!(
                    text,
                    "<details><summary>changed: <code>{}</code></summary>\n\n```diff\n{}\n```\n</details>\n",
                    result.display_path,
                    diff.render(&options).trim_end()
                );
            }
            _ => {
                let _ = writeln!(text, "- {}", result.summary_line());
            }
        }
    }
    if compare.has_pending() {
        let _ = writeln!(
            text,
            "\nTo accept the changes, run `cargo insta review` (or `cargo insta accept`) from the workspace root."
        );
    }
    text
}

/// Appends [`step_summary`] to the file `$GITHUB_STEP_SUMMARY` names; does nothing when it is
/// not set (not on GitHub).
pub fn append_step_summary(outcome: &RunOutcome) -> Result<(), StepSummaryError> {
    let Some(path) = std::env::var_os(STEP_SUMMARY_ENV).map(PathBuf::from) else {
        return Ok(());
    };
    let error = |source| StepSummaryError {
        path: path.clone(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(error)?;
    file.write_all(step_summary(outcome).as_bytes())
        .map_err(error)
}

fn command(
    out: &mut dyn Write,
    name: &str,
    properties: &[(&str, &str)],
    message: &str,
) -> std::io::Result<()> {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    writeln!(
        out,
        "::{name} {}::{}",
        properties.join(","),
        escape_data(message.trim_end())
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A Markdown table cell: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped_like_the_toolkit_does() {
        let mut out = Vec::new();
        command(
            &mut out,
            "error",
            &[("file", "a,b:c.snap"), ("title", "100%")],
            "line 1\nline 2 50%\n",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=a%2Cb%3Ac.snap,title=100%25::line 1%0Aline 2 50%25\n"
        );
    }
}
