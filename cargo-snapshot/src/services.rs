//! The services a command works on, with their models loaded: the `[[service]]` entries of
//! `snapshot.toml`, or every service of the model files given with `--models`.

use std::path::{Path, PathBuf};

use snapshot_model::{Model, ModelError, ServiceIndex, ShapeId};

use crate::config::{default_service_name, Config, ServiceConfig};
use crate::errors::{closest, CliError};

/// A service whose model is loaded and whose service shape and protocol are known to be usable.
#[derive(Debug)]
pub struct LoadedService {
    /// The short name (`sts`), used by `--service`.
    pub name: String,
    /// The client crate (`aws-sdk-sts`).
    pub crate_name: String,
    /// The model file relative to the models directory it came from (`sts.json`), for display.
    pub model_label: String,
    /// The loaded model.
    pub model: Model,
    /// The service shape within the model.
    pub service_shape: ShapeId,
    /// The `[[service]]` entry, when the service comes from `snapshot.toml`.
    pub config: Option<ServiceConfig>,
}

impl LoadedService {
    /// The service's closure and protocol. Loading already built it once, so this only fails
    /// if the model was changed in memory since.
    pub fn index(&self) -> Result<ServiceIndex<'_>, ModelError> {
        self.model.service_index(Some(self.service_shape.as_str()))
    }
}

/// Loads the models of the services `requested` selects (all when empty) from the config,
/// and checks that every `[[skip]]` of those services names a real operation.
pub fn from_config(config: &Config, requested: &[String]) -> Result<Vec<LoadedService>, CliError> {
    from_selection(config, config.select_services(requested)?)
}

/// Loads the models of `selected` (entries of `config`), and checks that every `[[skip]]` of
/// those services names a real operation.
pub fn from_selection(
    config: &Config,
    selected: Vec<&ServiceConfig>,
) -> Result<Vec<LoadedService>, CliError> {
    let mut loaded = Vec::with_capacity(selected.len());
    for service in selected {
        let started = std::time::Instant::now();
        let model = Model::load(&service.model).map_err(CliError::model)?;
        let requested_shape = service.service_shape.as_ref().map(ShapeId::as_str);
        let index = model
            .service_index(requested_shape)
            .map_err(CliError::model)?;
        tracing::info!(
            service = %service.name,
            model = %service.model.display(),
            elapsed = ?started.elapsed(),
            "loaded model"
        );
        for skip in config
            .skips
            .iter()
            .filter(|skip| skip.service == service.name)
        {
            if index.operation(&skip.operation).is_none() {
                let names = index.operations().iter().map(|op| op.name());
                return Err(CliError::StaleSkip {
                    config: config.path.clone(),
                    service: service.name.clone(),
                    operation: skip.operation.clone(),
                    suggestion: closest(&skip.operation, names),
                });
            }
        }
        let service_shape = index.id().clone();
        loaded.push(LoadedService {
            name: service.name.clone(),
            crate_name: service.crate_name.clone(),
            model_label: relative_label(&service.model, &config.models_dir),
            model,
            service_shape,
            config: Some(service.clone()),
        });
    }
    Ok(loaded)
}

/// Every service shape of `model` with the client crate name smithy-rs gives it.
fn service_crates(model: &Model) -> Result<Vec<(ShapeId, String)>, CliError> {
    let mut found = Vec::new();
    for service_shape in model.services() {
        // Builds the closure once so a model without a usable protocol fails here.
        let index = model
            .service_index(Some(service_shape.as_str()))
            .map_err(CliError::model)?;
        let crate_name = match index.aws_service() {
            Some(aws) => sdk_crate_name(&aws.sdk_id),
            None => service_shape.name().to_lowercase(),
        };
        found.push((service_shape.clone(), crate_name));
    }
    Ok(found)
}

/// Loads a model file, or every `*.json` file of a directory (sorted by name, not
/// recursive), and returns every service they define, filtered by `requested`.
pub fn from_models(path: &Path, requested: &[String]) -> Result<Vec<LoadedService>, CliError> {
    let metadata = std::fs::metadata(path).map_err(|error| CliError::ModelsPath {
        path: path.to_owned(),
        error,
    })?;
    let (base, files) = if metadata.is_dir() {
        (path.to_owned(), model_files(path)?)
    } else {
        let base = path.parent().map(Path::to_owned).unwrap_or_default();
        (base, vec![path.to_owned()])
    };
    let mut loaded = Vec::new();
    for file in files {
        let started = std::time::Instant::now();
        let model = Model::load(&file).map_err(CliError::model)?;
        let mut found = service_crates(&model)?;
        if found.is_empty() {
            return Err(CliError::model(ModelError::NoService { path: file }));
        }
        let model_label = relative_label(&file, &base);
        // A model usually holds one service; clone it only for the extra ones.
        let last = found.pop();
        for (service_shape, crate_name) in found {
            loaded.push(LoadedService {
                name: default_service_name(&crate_name),
                crate_name,
                model_label: model_label.clone(),
                model: model.clone(),
                service_shape,
                config: None,
            });
        }
        if let Some((service_shape, crate_name)) = last {
            loaded.push(LoadedService {
                name: default_service_name(&crate_name),
                crate_name,
                model_label,
                model,
                service_shape,
                config: None,
            });
        }
        tracing::info!(
            model = %file.display(),
            elapsed = ?started.elapsed(),
            "loaded model"
        );
    }
    for name in requested {
        if !loaded
            .iter()
            .any(|service| service.name == *name || service.crate_name == *name)
        {
            let names: Vec<&str> = loaded.iter().map(|service| service.name.as_str()).collect();
            return Err(CliError::UnknownService {
                requested: name.clone(),
                suggestion: closest(name, names.iter().copied()),
                origin: format!("`--models {}`", path.display()),
                known: names.join(", "),
            });
        }
    }
    loaded.retain(|service| {
        requested.is_empty()
            || requested
                .iter()
                .any(|name| *name == service.name || *name == service.crate_name)
    });
    Ok(loaded)
}

fn model_files(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let io_error = |error| CliError::ModelsPath {
        path: dir.to_owned(),
        error,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(CliError::NoModels {
            path: dir.to_owned(),
        });
    }
    files.sort();
    Ok(files)
}

fn relative_label(file: &Path, base: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .display()
        .to_string()
}

/// The crate smithy-rs names for an AWS service: `aws-sdk-` and the `sdkId` lower-cased with
/// spaces and dashes removed, then a trailing `service` and a trailing `api` dropped
/// (`Config Service` → `aws-sdk-config`, `ApiGatewayManagementApi` →
/// `aws-sdk-apigatewaymanagement`), as smithy-rs's `buildSrc` `ServiceLoader` derives the module.
pub fn sdk_crate_name(sdk_id: &str) -> String {
    let squashed: String = sdk_id
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    let strip = |name: &str, suffix: &str| -> String {
        match name.strip_suffix(suffix) {
            Some(stripped) if !stripped.is_empty() => stripped.to_owned(),
            _ => name.to_owned(),
        }
    };
    let module = strip(&strip(&squashed, "service"), "api");
    format!("aws-sdk-{module}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_follow_smithy_rs() {
        for (sdk_id, expected) in [
            ("STS", "aws-sdk-sts"),
            ("Config Service", "aws-sdk-config"),
            ("SSO OIDC", "aws-sdk-ssooidc"),
            ("Route 53", "aws-sdk-route53"),
            ("ARC Region switch", "aws-sdk-arcregionswitch"),
            ("Service Quotas", "aws-sdk-servicequotas"),
            ("ApiGatewayManagementApi", "aws-sdk-apigatewaymanagement"),
            (
                "Resource Groups Tagging API",
                "aws-sdk-resourcegroupstagging",
            ),
        ] {
            assert_eq!(sdk_crate_name(sdk_id), expected, "{sdk_id}");
        }
    }
}
