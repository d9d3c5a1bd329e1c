//! Rendering a [`CoverageReport`]: JSON (the report itself, schema in the crate
//! documentation), aligned table columns for people, GitHub-flavoured Markdown for CI summaries.
//! Table and Markdown show the same rows and details.

use std::io::{self, Write};

use crate::report::{
    CoverageReport, LastRunStatus, RequestCheckCounts, ResponseVariantCounts, VariantCounts,
};

/// The report as pretty JSON, then a newline.
pub fn json(report: &CoverageReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}

/// `part` of `whole` as a percentage with one decimal (`100%` when complete or empty).
fn percent(part: usize, whole: usize) -> String {
    if part == whole {
        return "100%".to_owned();
    }
    let value = part as f64 * 100.0 / whole as f64;
    format!("{value:.1}%")
}

/// The figures of one summary row.
struct RowFigures<'a> {
    operations: usize,
    requests: usize,
    /// Request sections besides max; `None` when the last run did not include the service
    /// (the same for the other figures of the last run).
    variants: Option<VariantCounts>,
    /// The request-side check of the request cases.
    request_checks: Option<&'a RequestCheckCounts>,
    responses: usize,
    /// Response variants replayed, and those not handled as expected.
    response_variants: Option<ResponseVariantCounts>,
    /// Error forms replayed, and those not handled as expected.
    error_forms: Option<ResponseVariantCounts>,
    /// Error shapes with a snapshot, of all.
    errors: (usize, usize),
    /// (operation, declared error) pairs in a compact error snapshot, of all.
    error_cases: (usize, usize),
    excluded: usize,
    lost: usize,
    missing: usize,
}

const COLUMNS: usize = 14;

/// `REQUEST CHECK`: `14 on wire, 1 lost, 0 changed, 2 excepted`, then `, N FAILED` when a
/// request could not be read back.
fn request_check_cell(counts: &RequestCheckCounts) -> String {
    let mut cell = format!(
        "{} on wire, {} lost, {} changed, {} excepted",
        counts.on_wire, counts.lost, counts.changed, counts.excepted
    );
    if counts.failed > 0 {
        cell.push_str(&format!(", {} FAILED", counts.failed));
    }
    cell
}

/// `RESPONSE VARIANTS` and `ERROR FORMS`: `12, 0 unexpected`, or `12, 1 UNEXPECTED` when
/// there is a finding.
fn verdicts_cell(counts: ResponseVariantCounts) -> String {
    let unexpected = match counts.unexpected {
        0 => "unexpected",
        _ => "UNEXPECTED",
    };
    format!("{}, {} {unexpected}", counts.replayed, counts.unexpected)
}

/// `-` for a figure the last run does not have.
fn or_dash<T>(figure: Option<T>, cell: impl FnOnce(T) -> String) -> String {
    figure.map_or_else(|| "-".to_owned(), cell)
}

/// The summary row of a service (or the total): the same cells in table and Markdown.
fn row_cells(name: &str, protocol: &str, figures: &RowFigures<'_>) -> [String; COLUMNS] {
    let RowFigures {
        operations,
        requests,
        variants,
        request_checks,
        responses,
        response_variants,
        error_forms,
        errors: (errors, shapes),
        error_cases: (cases, declared),
        excluded,
        lost,
        missing,
    } = *figures;
    [
        name.to_owned(),
        protocol.to_owned(),
        operations.to_string(),
        format!("{requests} ({})", percent(requests, operations)),
        or_dash(variants, variants_cell),
        or_dash(request_checks, request_check_cell),
        format!("{responses} ({})", percent(responses, operations)),
        or_dash(response_variants, verdicts_cell),
        format!("{errors}/{shapes} ({})", percent(errors, shapes)),
        format!("{cases}/{declared} ({})", percent(cases, declared)),
        or_dash(error_forms, verdicts_cell),
        excluded.to_string(),
        lost.to_string(),
        missing.to_string(),
    ]
}

/// `+N min, +N edge`, then `, +N rejected headers` (and `, K UNEXPECTED`) when there are any.
fn variants_cell(variants: VariantCounts) -> String {
    let mut cell = format!("+{} min, +{} edge", variants.min, variants.edge);
    if variants.rejected_headers > 0 {
        cell.push_str(&format!(
            ", +{} rejected headers",
            variants.rejected_headers
        ));
    }
    if variants.rejected_headers_unexpected > 0 {
        cell.push_str(&format!(
            ", {} UNEXPECTED",
            variants.rejected_headers_unexpected
        ));
    }
    cell
}

/// `VARIANTS`: request sections besides max; `REQUEST CHECK`: the request-side check summed
/// over the request cases; `RESPONSE VARIANTS`: variant responses replayed and those the
/// client did not handle as expected; `ERROR CASES`: (operation, declared error) pairs in the
/// compact error snapshots; `ERROR FORMS`: error forms replayed through the errors' carriers
/// and those not handled as expected.
const HEADER: [&str; COLUMNS] = [
    "SERVICE",
    "PROTOCOL",
    "OPERATIONS",
    "REQUESTS",
    "VARIANTS",
    "REQUEST CHECK",
    "RESPONSES",
    "RESPONSE VARIANTS",
    "ERRORS",
    "ERROR CASES",
    "ERROR FORMS",
    "EXCLUDED",
    "LOST",
    "MISSING",
];

fn rows(report: &CoverageReport) -> Vec<[String; COLUMNS]> {
    let mut rows: Vec<[String; COLUMNS]> = report
        .services
        .iter()
        .map(|service| {
            // Known only from a run that included the service.
            let included = service.last_run == LastRunStatus::Included;
            let figures = RowFigures {
                operations: service.operations,
                requests: service.requests.snapshots,
                variants: included.then_some(service.request_variants),
                request_checks: included.then_some(&service.request_checks),
                responses: service.responses.snapshots,
                response_variants: included.then_some(service.response_variants),
                error_forms: included.then_some(service.error_forms),
                errors: (service.errors.snapshots, service.errors.shapes),
                error_cases: (
                    service.errors.cases.snapshots,
                    service.errors.cases.declared,
                ),
                excluded: service.exclusions.len(),
                lost: service.lost_members.len(),
                missing: service.missing(),
            };
            row_cells(&service.name, &service.protocol, &figures)
        })
        .collect();
    let total = &report.total;
    let figures = RowFigures {
        operations: total.operations,
        requests: total.requests,
        variants: Some(total.request_variants),
        request_checks: Some(&total.request_checks),
        responses: total.responses,
        response_variants: Some(total.response_variants),
        error_forms: Some(total.error_forms),
        errors: (total.errors, total.error_shapes),
        error_cases: (total.error_cases, total.error_cases_declared),
        excluded: total.excluded,
        lost: total.lost_members,
        missing: total.missing,
    };
    rows.push(row_cells("total", "", &figures));
    rows
}

/// Details listed after the summary, the same in table and Markdown.
struct Details {
    exclusions: Vec<String>,
    lost: Vec<String>,
    missing: Vec<String>,
    stale: Vec<String>,
    endpoint_overrides: Vec<String>,
}

fn details(report: &CoverageReport, code: fn(&str) -> String) -> Details {
    let mut details = Details {
        exclusions: Vec::new(),
        lost: Vec::new(),
        missing: Vec::new(),
        stale: Vec::new(),
        endpoint_overrides: Vec::new(),
    };
    for service in &report.services {
        for exclusion in &service.exclusions {
            let through = exclusion
                .operation
                .as_deref()
                .map(|operation| format!(" through {}", code(operation)))
                .unwrap_or_default();
            details.exclusions.push(format!(
                "{} {}{through} ({}, {}): {}",
                service.name,
                code(&exclusion.subject),
                exclusion.scope,
                exclusion.stage,
                exclusion.reason.lines().next().unwrap_or_default()
            ));
        }
        for lost in &service.lost_members {
            details.lost.push(format!(
                "{} {} ({}): {}",
                service.name,
                code(&lost.subject),
                lost.case,
                code(&lost.path)
            ));
        }
        for (kind, names) in [
            ("requests", &service.requests.missing),
            ("responses", &service.responses.missing),
            ("errors", &service.errors.missing),
            ("errors by operation", &service.errors.cases.missing),
        ] {
            if !names.is_empty() {
                details.missing.push(format!(
                    "{} {kind}: {}",
                    service.name,
                    names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        if !service.endpoint_overrides.is_empty() {
            details.endpoint_overrides.push(format!(
                "{}: {}",
                service.name,
                service
                    .endpoint_overrides
                    .iter()
                    .map(|n| code(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !service.stale_snapshots.is_empty() {
            details.stale.push(format!(
                "{}: {}",
                service.name,
                service
                    .stale_snapshots
                    .iter()
                    .map(|n| code(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    details
}

fn parity_rows(report: &CoverageReport) -> Vec<[String; 8]> {
    report
        .services
        .iter()
        .filter_map(|service| service.parity.as_ref().map(|parity| (service, parity)))
        .map(|(service, parity)| {
            [
                service.name.clone(),
                format!(
                    "{}/{} ({})",
                    parity.operations,
                    service.operations,
                    percent(parity.operations, service.operations)
                ),
                parity.calls.to_string(),
                parity.passed.to_string(),
                parity.passed_with_skips.to_string(),
                parity.failed.to_string(),
                parity.recorded.to_string(),
                parity.not_matched.to_string(),
            ]
        })
        .collect()
}

const PARITY_HEADER: [&str; 8] = [
    "SERVICE",
    "OPERATIONS",
    "CALLS",
    "PASSED",
    "WITH SKIPS",
    "FAILED",
    "RECORDED",
    "NOT MATCHED",
];

fn last_run_line(report: &CoverageReport) -> String {
    match &report.last_run {
        Some(last) => format!(
            "last run: `{}` of {} service(s){}, results in {}",
            last.mode,
            last.services.len(),
            if last.operation_filter.is_empty() {
                String::new()
            } else {
                format!(" limited to {} operation(s)", last.operation_filter.len())
            },
            last.path
        ),
        None => "last run: none found".to_owned(),
    }
}

/// Writes aligned columns: the first `text_columns` left-aligned, figures right-aligned.
fn write_aligned<const N: usize>(
    out: &mut dyn Write,
    (header, text_columns): ([&str; N], usize),
    rows: &[[String; N]],
    indent: &str,
) -> io::Result<()> {
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = |cells: [&str; N]| -> io::Result<()> {
        let mut text = indent.to_owned();
        for (column, cell) in cells.iter().enumerate() {
            if column > 0 {
                text.push_str("  ");
            }
            if column < text_columns {
                text.push_str(&format!("{cell:<width$}", width = widths[column]));
            } else {
                text.push_str(&format!("{cell:>width$}", width = widths[column]));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(header)?;
    for row in rows {
        line(row.each_ref().map(String::as_str))?;
    }
    Ok(())
}

/// Aligned columns and lists, for people.
pub fn table(report: &CoverageReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "snapshot coverage ({}, snapshots in {})",
        report.config, report.snapshot_dir
    )?;
    write_aligned(out, (HEADER, 2), &rows(report), "")?;
    let details = details(report, str::to_owned);
    for (title, lines) in [
        ("excluded, with the reason", &details.exclusions),
        (
            "lost members (set in a generated response, not given back by the client)",
            &details.lost,
        ),
        (
            "missing (no snapshot and no reason: run `cargo snapshot write`)",
            &details.missing,
        ),
        (
            "stale snapshots (naming nothing in the model: `cargo snapshot write` deletes them)",
            &details.stale,
        ),
        (
            "endpoint overrides (resolution failed for the generated input; the request used an explicit endpoint)",
            &details.endpoint_overrides,
        ),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{title}:")?;
        for line in lines {
            writeln!(out, "  {line}")?;
        }
    }
    let parity = parity_rows(report);
    if !parity.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "parity tests against live endpoints ({} metrics file(s)):",
            report.parity_files.len()
        )?;
        write_aligned(out, (PARITY_HEADER, 1), &parity, "  ")?;
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "warnings:")?;
        for warning in &report.warnings {
            writeln!(out, "  - {}", warning.message)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", last_run_line(report))
}

fn markdown_table<const N: usize>(
    out: &mut dyn Write,
    (header, text_columns): ([&str; N], usize),
    rows: &[[String; N]],
) -> io::Result<()> {
    let cell = |text: &str| text.replace('|', "\\|");
    let title = |text: &str| {
        let mut chars = text.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_string() + &chars.as_str().to_lowercase()
        })
    };
    writeln!(out, "| {} |", header.map(title).join(" | "))?;
    let alignment: Vec<&str> = (0..N)
        .map(|column| if column < text_columns { "---" } else { "--:" })
        .collect();
    writeln!(out, "| {} |", alignment.join(" | "))?;
    for row in rows {
        writeln!(
            out,
            "| {} |",
            row.iter()
                .map(|text| cell(text))
                .collect::<Vec<_>>()
                .join(" | ")
        )?;
    }
    Ok(())
}

/// GitHub-flavoured Markdown, for CI summaries and pull requests.
pub fn markdown(report: &CoverageReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Snapshot coverage")?;
    writeln!(out)?;
    writeln!(
        out,
        "Config `{}`, snapshots in `{}`.",
        report.config, report.snapshot_dir
    )?;
    writeln!(out)?;
    let mut rows = rows(report);
    if let Some(total) = rows.last_mut() {
        total[0] = "**total**".to_owned();
    }
    markdown_table(out, (HEADER, 2), &rows)?;
    let code = |text: &str| format!("`{text}`");
    let details = details(report, code);
    for (title, lines) in [
        ("Excluded, with the reason", &details.exclusions),
        ("Lost members", &details.lost),
        ("Missing (no snapshot and no reason)", &details.missing),
        ("Stale snapshots", &details.stale),
        ("Endpoint overrides", &details.endpoint_overrides),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "### {title}")?;
        writeln!(out)?;
        for line in lines {
            writeln!(out, "- {line}")?;
        }
    }
    let parity = parity_rows(report);
    if !parity.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Parity tests against live endpoints")?;
        writeln!(out)?;
        markdown_table(out, (PARITY_HEADER, 1), &parity)?;
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Warnings")?;
        writeln!(out)?;
        for warning in &report.warnings {
            writeln!(out, "- {}", warning.message)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "_{}_", last_run_line(report))
}
