//! `cargo snapshot list`: the services, the protocol smithy-rs generates for each, and their
//! operations with input, output and error shapes (names as the service renames them) and the
//! input variants each operation's request snapshot has.

use std::io::{self, Write};

use serde::Serialize;
use snapshot_model::Shape;
use snapshot_values::{Generator, Mode, Overrides};

use crate::config::Config;
use crate::errors::{closest, CliError};
use crate::services::LoadedService;

/// How `list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON array for scripts; always includes the operations.
    Json,
}

/// What `list` shows.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// Output format.
    pub format: Format,
    /// Print every operation with its input, output and errors.
    pub operations: bool,
    /// Show only these operations (implies `operations`); each must exist.
    pub only_operations: Vec<String>,
}

/// One service as `list` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceListing {
    /// Short name.
    pub name: String,
    /// Client crate.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// Model file, relative to the models directory.
    pub model: String,
    /// Service shape id.
    pub service_shape: String,
    /// The protocol smithy-rs generates.
    pub protocol: String,
    /// Whether the service also speaks awsQuery error codes.
    pub query_compatible: bool,
    /// Number of operations (direct and through resources).
    pub operation_count: usize,
    /// Number of distinct error shapes the operations can return.
    pub error_count: usize,
    /// The operations shown (all, or those `--operation` selects), sorted by name.
    pub operations: Vec<OperationListing>,
}

/// One operation as `list` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationListing {
    /// Operation name.
    pub name: String,
    /// Input shape name (renames applied; `Unit` when there is none).
    pub input: String,
    /// Output shape name.
    pub output: String,
    /// Error shape names: the operation's, then the service's.
    pub errors: Vec<String>,
    /// The `[[skip]]` reason, when the operation is skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// The input variants sent as request cases (`min`, `max`, `edge`, in that order): max,
    /// and min and edge where their inputs differ from it. Empty when the input cannot be
    /// generated.
    pub variants: Vec<String>,
    /// Why the input cannot be generated, if it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_error: Option<String>,
    /// The rejected-header request cases, `Member (value)` or `Member (name)`, in model
    /// order: header-bound members given a value the client must refuse.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected_headers: Vec<String>,
}

/// Fills in the input variants of every listed operation, generating its inputs as `write`
/// would (overrides from `config`, endpoint rules of the service).
fn add_variants(
    listings: &mut [ServiceListing],
    services: &[LoadedService],
    config: Option<&Config>,
) -> Result<(), CliError> {
    let builtin = Overrides::builtin();
    let overrides = config.map_or(&builtin, |config| &config.overrides);
    for listing in listings {
        let Some(service) = services.iter().find(|service| service.name == listing.name) else {
            continue;
        };
        let index = service.index().map_err(CliError::model)?;
        let generator =
            Generator::new(&service.model, overrides).with_endpoint_rules(index.shape());
        for operation in &mut listing.operations {
            let Some(op) = index.operation(&operation.name) else {
                continue;
            };
            match input_variants(&generator, op.shape) {
                Ok(variants) => operation.variants = variants,
                Err(error) => operation.values_error = Some(error),
            }
            operation.rejected_headers = snapshot_wire::rejected_headers(&index, op)
                .into_iter()
                .map(|case| format!("{} ({})", case.rejected.member, case.rejected.fault))
                .collect();
        }
    }
    Ok(())
}

/// The input variants of `operation` by name, in [`Mode::ALL`] order, or why there are none.
fn input_variants(generator: &Generator<'_>, operation: &Shape) -> Result<Vec<String>, String> {
    let variants = generator
        .input_variants(operation)
        .map_err(|error| error.to_string())?;
    Ok(Mode::ALL
        .into_iter()
        .filter(|mode| variants.iter().any(|(planned, _)| planned == mode))
        .map(|mode| mode.name().to_owned())
        .collect())
}

/// Builds the listings of `services`, keeping only the operations `only` names (all when empty).
pub fn listings(
    services: &[LoadedService],
    config: Option<&Config>,
    only: &[String],
) -> Result<Vec<ServiceListing>, CliError> {
    let mut result = Vec::with_capacity(services.len());
    let mut matched = vec![false; only.len()];
    for service in services {
        let index = service.index().map_err(CliError::model)?;
        let operations = index
            .operations()
            .iter()
            .filter(|op| {
                let position = only.iter().position(|name| name == op.name());
                if let Some(position) = position {
                    matched[position] = true;
                }
                only.is_empty() || position.is_some()
            })
            .map(|op| OperationListing {
                name: op.name().to_owned(),
                input: index.name(&op.operation.input).to_owned(),
                output: index.name(&op.operation.output).to_owned(),
                errors: index
                    .operation_errors(op)
                    .iter()
                    .map(|error| index.name(error).to_owned())
                    .collect(),
                skipped: config
                    .and_then(|config| config.skip(&service.name, op.name()))
                    .map(|skip| skip.reason.clone()),
                variants: Vec::new(),
                rejected_headers: Vec::new(),
                values_error: None,
            })
            .collect::<Vec<_>>();
        // When filtering by operation, services without a match are left out.
        if !only.is_empty() && operations.is_empty() {
            continue;
        }
        result.push(ServiceListing {
            name: service.name.clone(),
            crate_name: service.crate_name.clone(),
            model: service.model_label.clone(),
            service_shape: service.service_shape.to_string(),
            protocol: index.protocol().name().to_owned(),
            query_compatible: index.is_query_compatible(),
            operation_count: index.operations().len(),
            error_count: index.error_shapes().len(),
            operations,
        });
    }
    if let Some(position) = matched.iter().position(|found| !found) {
        let requested = &only[position];
        let all_names: Vec<String> = services
            .iter()
            .filter_map(|service| service.index().ok())
            .flat_map(|index| {
                index
                    .operations()
                    .iter()
                    .map(|op| op.name().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        return Err(CliError::UnknownOperation {
            requested: requested.clone(),
            suggestion: closest(requested, all_names.iter().map(String::as_str)),
            services: services
                .iter()
                .map(|service| format!("`{}`", service.name))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(result)
}

/// Runs `list` and writes its output to `out`.
pub fn run(
    services: &[LoadedService],
    config: Option<&Config>,
    options: &ListOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut listings = listings(services, config, &options.only_operations)?;
    let shows_operations =
        options.format == Format::Json || options.operations || !options.only_operations.is_empty();
    if shows_operations {
        add_variants(&mut listings, services, config)?;
    }
    let written = match options.format {
        Format::Json => write_json(&listings, out),
        Format::Table if options.operations || !options.only_operations.is_empty() => {
            write_operations(&listings, out)
        }
        Format::Table => write_table(&listings, out),
    };
    match written {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(CliError::Output),
    }
}

fn write_json(listings: &[ServiceListing], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, listings)?;
    writeln!(out)
}

fn write_table(listings: &[ServiceListing], out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "SERVICE",
        "CRATE",
        "PROTOCOL",
        "OPERATIONS",
        "ERRORS",
        "MODEL",
    ];
    let rows: Vec<[String; 6]> = listings
        .iter()
        .map(|listing| {
            [
                listing.name.clone(),
                listing.crate_name.clone(),
                listing.protocol.clone(),
                listing.operation_count.to_string(),
                listing.error_count.to_string(),
                listing.model.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let [service, krate, protocol, operations, errors, model] = cells;
        format!(
            "{service:<w0$}  {krate:<w1$}  {protocol:<w2$}  {operations:>w3$}  {errors:>w4$}  {model}",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        )
    };
    writeln!(out, "{}", line(header).trim_end())?;
    for row in &rows {
        writeln!(
            out,
            "{}",
            line(row.each_ref().map(String::as_str)).trim_end()
        )?;
    }
    let operations: usize = listings.iter().map(|listing| listing.operation_count).sum();
    writeln!(
        out,
        "{} {}, {} {}",
        listings.len(),
        plural(listings.len(), "service", "services"),
        operations,
        plural(operations, "operation", "operations"),
    )
}

fn write_operations(listings: &[ServiceListing], out: &mut dyn Write) -> io::Result<()> {
    for (position, listing) in listings.iter().enumerate() {
        if position > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} ({}, {}, {} {}, model {})",
            listing.name,
            listing.crate_name,
            listing.protocol,
            listing.operation_count,
            plural(listing.operation_count, "operation", "operations"),
            listing.model,
        )?;
        for operation in &listing.operations {
            writeln!(
                out,
                "  {}: {} -> {}",
                operation.name, operation.input, operation.output
            )?;
            if !operation.errors.is_empty() {
                writeln!(out, "    errors: {}", operation.errors.join(", "))?;
            }
            if !operation.variants.is_empty() {
                writeln!(out, "    variants: {}", operation.variants.join(", "))?;
            }
            if !operation.rejected_headers.is_empty() {
                writeln!(
                    out,
                    "    rejected headers: {}",
                    operation.rejected_headers.join(", ")
                )?;
            }
            if let Some(error) = &operation.values_error {
                writeln!(out, "    values: {error}")?;
            }
            if let Some(reason) = &operation.skipped {
                writeln!(out, "    skipped: {reason}")?;
            }
        }
    }
    Ok(())
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}
