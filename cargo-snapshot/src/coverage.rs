//! `cargo snapshot coverage`: the command's side of coverage. The computation, its report and
//! its renderers are `snapshot-coverage`'s; this module maps the configuration onto them,
//! and the command's `--format` onto a renderer.

use std::io::{self, Write};

use snapshot_coverage::{
    render, ConfiguredService, CoverageConfig, CoverageInputs, CoveredService,
};
use snapshot_runner::Skip;
use snapshot_store::Store;

use crate::config::Config;
use crate::errors::CliError;
use crate::services::LoadedService;

/// How `coverage` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// Aligned columns and lists for people.
    Table,
    /// GitHub-flavoured Markdown, for CI summaries and pull requests.
    Markdown,
    /// One JSON object with a stable, versioned schema (documented in `snapshot-coverage`).
    Json,
}

/// Computes the coverage of the loaded `services` and prints it in `format`.
pub fn run(
    config: &Config,
    services: &[LoadedService],
    inputs: &CoverageInputs,
    format: CoverageFormat,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let store = Store::new(&config.snapshot_dir, &config.root);
    let configured: Vec<ConfiguredService> = config
        .services
        .iter()
        .map(|service| ConfiguredService {
            name: service.name.clone(),
            crate_name: service.crate_name.clone(),
        })
        .collect();
    let skips: Vec<Vec<Skip>> = services
        .iter()
        .map(|service| {
            config
                .skips
                .iter()
                .filter(|skip| skip.service == service.name)
                .map(|skip| Skip {
                    operation: skip.operation.clone(),
                    reason: skip.reason.clone(),
                })
                .collect()
        })
        .collect();
    let covered: Vec<CoveredService<'_>> = services
        .iter()
        .zip(&skips)
        .map(|(service, skips)| CoveredService {
            name: &service.name,
            crate_name: &service.crate_name,
            model: &service.model,
            service_shape: service.service_shape.as_str(),
            skips,
        })
        .collect();
    let coverage_config = CoverageConfig {
        path: &config.path,
        root: &config.root,
        store: &store,
        services: &configured,
    };
    let report = snapshot_coverage::collect(&coverage_config, &covered, inputs)?;
    let written = match format {
        CoverageFormat::Json => render::json(&report, out),
        CoverageFormat::Table => render::table(&report, out),
        CoverageFormat::Markdown => render::markdown(&report, out),
    };
    match written {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(CliError::Output),
    }
}
