//! The e2e corpus: the workspace's `snapshot.toml` (28 real AWS services) and its core set.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use toml::{Table, Value};

/// The core set (one or more services per protocol, with the largest (s3) and event streams)
/// and the workspace root, shared with the workspace's tests.
pub use snapshot_corpus::{workspace_root, CORE_SERVICES as CORE};

/// The corpus config, `snapshot.toml` at the workspace root.
pub fn config_path() -> PathBuf {
    workspace_root().join("snapshot.toml")
}

/// The corpus config as a TOML table.
pub fn load_config() -> Result<Table> {
    let path = config_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    text.parse()
        .with_context(|| format!("parsing {}", path.display()))
}

/// A `[[service]]` entry's short name: `name`, else the crate without `aws-sdk-`.
fn service_name(entry: &Table) -> Option<String> {
    if let Some(name) = entry.get("name").and_then(Value::as_str) {
        return Some(name.to_owned());
    }
    let krate = entry.get("crate").and_then(Value::as_str)?;
    Some(krate.strip_prefix("aws-sdk-").unwrap_or(krate).to_owned())
}

/// The `[[service]]` entries of `config`.
fn services(config: &Table) -> Vec<&Table> {
    config
        .get("service")
        .and_then(Value::as_array)
        .map(|entries| entries.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

/// The client crate and version requirement of service `name`.
pub fn crate_of(config: &Table, name: &str) -> Result<(String, String)> {
    let Some(entry) = services(config)
        .into_iter()
        .find(|entry| service_name(entry).as_deref() == Some(name))
    else {
        bail!("{} has no service `{name}`", config_path().display());
    };
    let krate = entry.get("crate").and_then(Value::as_str);
    let version = entry.get("version").and_then(Value::as_str);
    match (krate, version) {
        (Some(krate), Some(version)) => Ok((krate.to_owned(), version.to_owned())),
        _ => bail!(
            "service `{name}` in {} needs `crate` and `version` for a plain build",
            config_path().display()
        ),
    }
}

/// The model file (absolute) and service shape (when the model has several) of service `name`.
pub fn model_of(config: &Table, name: &str) -> Result<(PathBuf, Option<String>)> {
    let Some(entry) = services(config)
        .into_iter()
        .find(|entry| service_name(entry).as_deref() == Some(name))
    else {
        bail!("{} has no service `{name}`", config_path().display());
    };
    let Some(model) = entry.get("model").and_then(Value::as_str) else {
        bail!(
            "service `{name}` in {} has no `model`",
            config_path().display()
        );
    };
    let root = workspace_root();
    let models_dir = std::env::var_os("SNAPSHOT_MODELS_DIR").map_or_else(
        || {
            config
                .get("models_dir")
                .and_then(Value::as_str)
                .map_or_else(|| root.clone(), |dir| root.join(dir))
        },
        PathBuf::from,
    );
    let shape = entry
        .get("service_shape")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((models_dir.join(model), shape))
}

/// A copy of the corpus config reduced to `names`, with snapshots in `snapshot_dir` and the
/// models directory made absolute, so it works from anywhere.
pub fn reduced_config(config: &Table, names: &[&str], snapshot_dir: &Path) -> Result<String> {
    toml::to_string(&reduced(config, names, snapshot_dir)?).context("writing the reduced config")
}

/// [`reduced_config`] as a table, for further changes.
pub fn reduced(config: &Table, names: &[&str], snapshot_dir: &Path) -> Result<Table> {
    let root = workspace_root();
    let mut reduced = config.clone();
    let models_dir = config
        .get("models_dir")
        .and_then(Value::as_str)
        .map_or_else(|| root.clone(), |dir| root.join(dir));
    reduced.insert(
        "models_dir".to_owned(),
        Value::String(models_dir.display().to_string()),
    );
    reduced.insert(
        "snapshot_dir".to_owned(),
        Value::String(snapshot_dir.display().to_string()),
    );
    for name in names {
        if !services(config)
            .iter()
            .any(|entry| service_name(entry).as_deref() == Some(*name))
        {
            bail!("{} has no service `{name}`", config_path().display());
        }
    }
    let keep = |entry: &Value| {
        entry
            .as_table()
            .and_then(service_name)
            .is_some_and(|name| names.contains(&name.as_str()))
    };
    if let Some(Value::Array(entries)) = reduced.get_mut("service") {
        entries.retain(keep);
    }
    if let Some(Value::Array(skips)) = reduced.get_mut("skip") {
        skips.retain(|skip| {
            skip.get("service")
                .and_then(Value::as_str)
                .is_some_and(|service| {
                    names.contains(&service)
                        || names
                            .iter()
                            .any(|name| service == format!("aws-sdk-{name}"))
                })
        });
    }
    Ok(reduced)
}

/// Points service `name` of a (reduced) config at the crate in `path` instead of a registry
/// version.
pub fn use_path_crate(config: &mut Table, name: &str, path: &Path) -> Result<()> {
    let entry = config
        .get_mut("service")
        .and_then(Value::as_array_mut)
        .and_then(|entries| {
            entries
                .iter_mut()
                .filter_map(Value::as_table_mut)
                .find(|entry| service_name(entry).as_deref() == Some(name))
        })
        .with_context(|| format!("the config has no service `{name}`"))?;
    entry.remove("version");
    entry.insert("path".to_owned(), Value::String(path.display().to_string()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_set_is_in_the_corpus_config_with_pinned_versions() {
        let config = load_config().unwrap();
        for name in CORE {
            let (krate, version) = crate_of(&config, name).unwrap();
            assert!(krate.starts_with("aws-sdk-"), "{krate}");
            assert!(version.starts_with('='), "{name} is not pinned: {version}");
        }
    }

    #[test]
    fn a_reduced_config_keeps_only_the_named_services_and_their_skips() {
        let config: Table = r#"
            models_dir = "../models"
            [[service]]
            model = "a.json"
            crate = "aws-sdk-a"
            version = "=1.0.0"
            [[service]]
            model = "b.json"
            crate = "aws-sdk-b"
            version = "=1.0.0"
            [[skip]]
            service = "a"
            operation = "X"
            reason = "r"
            [[skip]]
            service = "aws-sdk-b"
            operation = "Y"
            reason = "r"
        "#
        .parse()
        .unwrap();
        let reduced: Table = reduced_config(&config, &["b"], Path::new("/tmp/snaps"))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(services(&reduced).len(), 1);
        assert_eq!(service_name(services(&reduced)[0]).as_deref(), Some("b"));
        let skips = reduced["skip"].as_array().unwrap();
        assert_eq!(skips.len(), 1);
        assert_eq!(skips[0]["operation"].as_str(), Some("Y"));
        assert_eq!(reduced["snapshot_dir"].as_str(), Some("/tmp/snaps"));
        assert!(Path::new(reduced["models_dir"].as_str().unwrap()).is_absolute());
        assert!(reduced_config(&config, &["c"], Path::new("/tmp")).is_err());
    }
}
