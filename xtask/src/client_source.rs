//! Where a client crate's source is on disk: the cargo registry's unpacked copy of the version
//! the corpus config pins.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::corpus;

/// A corpus service's client crate at its pinned version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSource {
    /// Short service name (`sts`).
    pub service: String,
    /// Package name (`aws-sdk-sts`).
    pub crate_name: String,
    /// Exact version (`1.124.0`).
    pub version: String,
    /// The unpacked crate (`~/.cargo/registry/src/<index>/aws-sdk-sts-1.124.0`).
    pub dir: PathBuf,
}

impl ClientSource {
    /// The client of corpus service `service`, found in the cargo registry. It is there once
    /// any build has used that version (a `cargo snapshot write` of the service does).
    pub fn of(config: &toml::Table, service: &str) -> Result<ClientSource> {
        let (crate_name, requirement) = corpus::crate_of(config, service)?;
        let Some(version) = requirement.strip_prefix('=') else {
            bail!(
                "service `{service}` in {} has version `{requirement}`; pin it as `={requirement}`",
                corpus::config_path().display()
            );
        };
        let registry = cargo_home().join("registry/src");
        let wanted = format!("{crate_name}-{version}");
        let indexes = std::fs::read_dir(&registry)
            .with_context(|| format!("reading the cargo registry {}", registry.display()))?;
        let mut found: Vec<PathBuf> = indexes
            .filter_map(Result::ok)
            .map(|index| index.path().join(&wanted))
            .filter(|dir| dir.join("Cargo.toml").is_file())
            .collect();
        found.sort();
        let Some(dir) = found.into_iter().next() else {
            bail!(
                "{wanted} is not unpacked in {}; fetch it with \
                 `cargo snapshot write --service {service}` (or `cargo fetch` in a crate that \
                 depends on it) and try again",
                registry.display()
            );
        };
        Ok(ClientSource {
            service: service.to_owned(),
            crate_name,
            version: version.to_owned(),
            dir,
        })
    }

    /// The crate's `src/`.
    pub fn src(&self) -> PathBuf {
        self.dir.join("src")
    }
}

fn cargo_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home);
    }
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(".cargo")
}
