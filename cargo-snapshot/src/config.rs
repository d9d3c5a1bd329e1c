//! `snapshot.toml`: finding it, parsing it strictly and resolving it into typed settings.
//!
//! Parsing happens in two layers: `Raw*` types mirror the file (serde, `deny_unknown_fields`,
//! spans kept for messages), and [`Config`] is the validated result with absolute paths and
//! typed choices ([`CrateSource`], and the generator's own [`Overrides`]). Unknown keys are
//! found before typed deserialization so the message can point at the key and suggest the
//! closest valid one.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use snapshot_model::ShapeId;
use snapshot_runner::Partition;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::errors::{closest, ConfigError, ConfigLocation, ConfigProblem};

/// The config file name looked for when `--config` is not given.
pub const CONFIG_FILE_NAME: &str = "snapshot.toml";

/// Environment variable that overrides `models_dir`.
pub const MODELS_DIR_ENV: &str = "SNAPSHOT_MODELS_DIR";

/// A byte range in the config text.
type Span = std::ops::Range<usize>;

const DEFAULT_SNAPSHOT_DIR: &str = "snapshots";

/// A loaded, validated `snapshot.toml`. Every path is absolute.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The config file.
    pub path: PathBuf,
    /// The directory holding the config file; relative paths in it start here.
    pub root: PathBuf,
    /// Where snapshots are stored (`snapshot_dir`, default `snapshots`).
    pub snapshot_dir: PathBuf,
    /// The base for relative `model` paths (`$SNAPSHOT_MODELS_DIR`, else `models_dir`, else
    /// [`Config::root`]).
    pub models_dir: PathBuf,
    /// The services, in file order.
    pub services: Vec<ServiceConfig>,
    /// Operations that are not snapshotted, each with its reason.
    pub skips: Vec<Skip>,
    /// Values the generator must use for given members: the built-in overrides and, on top
    /// of them, `[overrides]`.
    pub overrides: Overrides,
}

/// One `[[service]]`: a Smithy model and the client crate generated from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The short name used by `--service` and `[[skip]]` (default: the crate name without
    /// `aws-sdk-`).
    pub name: String,
    /// The client crate's package name.
    pub crate_name: String,
    /// Where the crate comes from.
    pub source: CrateSource,
    /// The Smithy JSON AST model file.
    pub model: PathBuf,
    /// The service shape to use when the model defines several.
    pub service_shape: Option<ShapeId>,
}

/// Where a client crate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateSource {
    /// A crates.io release: `version = "=1.124.0"`.
    Registry {
        /// The version requirement, as cargo reads it.
        version: String,
    },
    /// A crate on disk: `path = "../sdk/aws-sdk-sts"` (absolute here).
    Path {
        /// The crate directory.
        path: PathBuf,
    },
    /// Neither given: a member of the current workspace, found through `cargo metadata`.
    WorkspaceMember,
}

/// One `[[skip]]`: an operation that is not snapshotted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The [`ServiceConfig::name`] of the service (a crate name in the file is resolved).
    pub service: String,
    /// The operation name as in the model (`SelectObjectContent`).
    pub operation: String,
    /// Why it is skipped; reported with every run.
    pub reason: String,
}

/// The keys and values of `[overrides]`: the value generator's own types, parsed once here
/// and handed to it as they are.
pub use snapshot_values::{OverrideKey, OverrideValue, Overrides};

impl Config {
    /// Finds `snapshot.toml` in `start` or its parents, stopping at the workspace root (the
    /// first directory whose `Cargo.toml` has a `[workspace]` table).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            if is_workspace_root(dir) {
                return None;
            }
        }
        None
    }

    /// Reads and validates a config file; `$SNAPSHOT_MODELS_DIR` overrides `models_dir`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Io {
            path: path.to_owned(),
            error,
        })?;
        let models_dir_env = std::env::var_os(MODELS_DIR_ENV).map(PathBuf::from);
        Config::parse(&text, path, models_dir_env.as_deref())
    }

    /// Validates config text; `path` is where it was read from (used for relative paths and
    /// messages), `models_dir_override` replaces `models_dir` when given.
    pub fn parse(
        text: &str,
        path: &Path,
        models_dir_override: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let syntax = |span: Option<Span>, message: &str| ConfigError::Syntax {
            at: Box::new(ConfigLocation::new(path, text, span.unwrap_or(0..0))),
            message: message.to_owned(),
        };
        let document =
            DeTable::parse(text).map_err(|error| syntax(error.span(), error.message()))?;
        check_keys(document.get_ref(), text, path)?;
        let raw = RawConfig::deserialize(toml::de::Deserializer::from(document))
            .map_err(|error| syntax(error.span(), error.message()))?;
        Resolver { text, path }.resolve(raw, models_dir_override)
    }

    /// A service by name or crate name.
    pub fn service(&self, name_or_crate: &str) -> Option<&ServiceConfig> {
        self.services
            .iter()
            .find(|service| service.name == name_or_crate || service.crate_name == name_or_crate)
    }

    /// The services `--service` selects (all when `requested` is empty), in config order.
    pub fn select_services(
        &self,
        requested: &[String],
    ) -> Result<Vec<&ServiceConfig>, ConfigError> {
        for name in requested {
            if self.service(name).is_none() {
                let names: Vec<&str> = self.services.iter().map(|s| s.name.as_str()).collect();
                return Err(ConfigError::UnknownService {
                    path: self.path.clone(),
                    requested: name.clone(),
                    suggestion: closest(name, names.iter().copied()),
                    known: if names.is_empty() {
                        "no [[service]] at all".to_owned()
                    } else {
                        names.join(", ")
                    },
                });
            }
        }
        Ok(self
            .services
            .iter()
            .filter(|service| {
                requested.is_empty()
                    || requested
                        .iter()
                        .any(|name| *name == service.name || *name == service.crate_name)
            })
            .collect())
    }

    /// The services of a run: those `requested` selects (all when empty), then, with a
    /// `partition`, only that partition's share of them (see [`Partition`]).
    pub fn select_partition(
        &self,
        requested: &[String],
        partition: Option<&Partition>,
    ) -> Result<Vec<&ServiceConfig>, ConfigError> {
        let selected = self.select_services(requested)?;
        Ok(match partition {
            Some(partition) => partition.select(selected, |service| service.name.as_str()),
            None => selected,
        })
    }

    /// The skip entry for an operation of a service, if any.
    pub fn skip(&self, service: &str, operation: &str) -> Option<&Skip> {
        self.skips
            .iter()
            .find(|skip| skip.service == service && skip.operation == operation)
    }
}

fn is_workspace_root(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|manifest| manifest.contains_key("workspace"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    snapshot_dir: Option<Spanned<String>>,
    models_dir: Option<Spanned<String>>,
    #[serde(default)]
    service: Vec<Spanned<RawService>>,
    #[serde(default)]
    skip: Vec<Spanned<RawSkip>>,
    #[serde(default)]
    overrides: BTreeMap<Spanned<String>, OverrideValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    model: Spanned<String>,
    #[serde(rename = "crate")]
    crate_name: Spanned<String>,
    version: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    service_shape: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    service: Spanned<String>,
    operation: Spanned<String>,
    reason: Spanned<String>,
}

/// Rejects keys the file format does not define, pointing at the key and suggesting the
/// closest valid one. The valid keys come from the serde types themselves, so they cannot
/// drift from what deserialization accepts.
fn check_keys(document: &DeTable<'_>, text: &str, path: &Path) -> Result<(), ConfigError> {
    let mut unknown = Vec::new();
    collect_unknown(
        document,
        field_names::<RawConfig>(),
        "the top level",
        &mut unknown,
    );
    for (nested, valid, table) in [
        ("service", field_names::<RawService>(), "[[service]]"),
        ("skip", field_names::<RawSkip>(), "[[skip]]"),
    ] {
        if let Some(DeValue::Array(entries)) = document.get(nested).map(Spanned::get_ref) {
            for entry in entries {
                if let DeValue::Table(entry) = entry.get_ref() {
                    collect_unknown(entry, valid, table, &mut unknown);
                }
            }
        }
    }
    // Report the first unknown key in the file, not the first in key order.
    let Some((key, valid, table)) = unknown
        .into_iter()
        .min_by_key(|(key, _, _)| key.span().start)
    else {
        return Ok(());
    };
    Err(ConfigError::UnknownKey {
        at: Box::new(ConfigLocation::new(path, text, key.span())),
        key: key.get_ref().to_string(),
        table,
        suggestion: closest(key.get_ref(), valid.iter().copied()),
        expected: valid
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

type UnknownKey<'t, 'i> = (
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'static [&'static str],
    &'static str,
);

fn collect_unknown<'t, 'i>(
    table: &'t DeTable<'i>,
    valid: &'static [&'static str],
    name: &'static str,
    unknown: &mut Vec<UnknownKey<'t, 'i>>,
) {
    unknown.extend(
        table
            .keys()
            .filter(|key| !valid.contains(&key.get_ref().as_ref()))
            .map(|key| (key, valid, name)),
    );
}

/// The field names a derived `Deserialize` struct accepts, as serde passes them to
/// `deserialize_struct` (renames applied).
fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("fields recorded"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    // The probe always fails after recording the fields; the error carries nothing.
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

struct Resolver<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Resolver<'_> {
    fn at(&self, span: Span) -> ConfigLocation {
        ConfigLocation::new(self.path, self.text, span)
    }

    fn invalid(&self, span: Span, problem: ConfigProblem) -> ConfigError {
        ConfigError::Invalid {
            at: Box::new(self.at(span)),
            problem,
        }
    }

    fn non_empty(&self, key: &'static str, value: Spanned<String>) -> Result<String, ConfigError> {
        let span = value.span();
        let value = value.into_inner();
        if value.trim().is_empty() {
            return Err(self.invalid(span, ConfigProblem::Empty { key }));
        }
        Ok(value)
    }

    fn resolve(
        &self,
        raw: RawConfig,
        models_dir_override: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let path = std::path::absolute(self.path)
            .map(|path| normalize(&path))
            .map_err(|error| ConfigError::Io {
                path: self.path.to_owned(),
                error,
            })?;
        let root = path.parent().map(Path::to_owned).unwrap_or_default();
        let snapshot_dir = match raw.snapshot_dir {
            Some(dir) => normalize(&root.join(self.non_empty("snapshot_dir", dir)?)),
            None => root.join(DEFAULT_SNAPSHOT_DIR),
        };
        let models_dir = match (models_dir_override, raw.models_dir) {
            (Some(dir), _) => {
                normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()))
            }
            (None, Some(dir)) => normalize(&root.join(self.non_empty("models_dir", dir)?)),
            (None, None) => root.clone(),
        };
        let mut services: Vec<ServiceConfig> = Vec::new();
        let mut seen_names = BTreeMap::new();
        let mut seen_crates = BTreeMap::new();
        for service in raw.service {
            let (service, name_span, crate_span) =
                self.service(service.into_inner(), &root, &models_dir)?;
            for (what, value, span, seen) in [
                ("name", &service.name, name_span, &mut seen_names),
                ("crate", &service.crate_name, crate_span, &mut seen_crates),
            ] {
                if seen.insert(value.clone(), ()).is_some() {
                    let problem = ConfigProblem::Duplicate {
                        what,
                        name: value.clone(),
                    };
                    return Err(self.invalid(span, problem));
                }
            }
            services.push(service);
        }
        let skips = raw
            .skip
            .into_iter()
            .map(|skip| self.skip(skip.into_inner(), &services))
            .collect::<Result<Vec<_>, _>>()?;
        let mut overrides = Overrides::builtin();
        for (key, value) in raw.overrides {
            overrides = self.add_override(overrides, key, value)?;
        }
        Ok(Config {
            path,
            root,
            snapshot_dir,
            models_dir,
            services,
            skips,
            overrides,
        })
    }

    /// A resolved service with the spans of its name and crate (for duplicate reports).
    fn service(
        &self,
        raw: RawService,
        root: &Path,
        models_dir: &Path,
    ) -> Result<(ServiceConfig, Span, Span), ConfigError> {
        let crate_span = raw.crate_name.span();
        let name_span = raw.name.as_ref().map_or(crate_span.clone(), Spanned::span);
        let crate_name = self.non_empty("crate", raw.crate_name)?;
        let model = normalize(&models_dir.join(self.non_empty("model", raw.model)?));
        let source = match (raw.version, raw.path) {
            (Some(_), Some(path)) => {
                return Err(self.invalid(path.span(), ConfigProblem::VersionAndPath))
            }
            (Some(version), None) => CrateSource::Registry {
                version: self.non_empty("version", version)?,
            },
            (None, Some(path)) => CrateSource::Path {
                path: normalize(&root.join(self.non_empty("path", path)?)),
            },
            (None, None) => CrateSource::WorkspaceMember,
        };
        let service_shape = raw
            .service_shape
            .map(|text| {
                let span = text.span();
                text.get_ref().parse::<ShapeId>().map_err(|_| {
                    self.invalid(
                        span,
                        ConfigProblem::InvalidShapeId {
                            text: text.into_inner(),
                        },
                    )
                })
            })
            .transpose()?;
        let name = match raw.name {
            Some(name) => self.non_empty("name", name)?,
            None => default_service_name(&crate_name),
        };
        let service = ServiceConfig {
            name,
            crate_name,
            source,
            model,
            service_shape,
        };
        Ok((service, name_span, crate_span))
    }

    fn skip(&self, raw: RawSkip, services: &[ServiceConfig]) -> Result<Skip, ConfigError> {
        let reason_span = raw.reason.span();
        let reason = raw.reason.into_inner();
        if reason.trim().is_empty() {
            return Err(self.invalid(reason_span, ConfigProblem::EmptyReason));
        }
        let service_span = raw.service.span();
        let requested = self.non_empty("service", raw.service)?;
        let service = services
            .iter()
            .find(|service| service.name == requested || service.crate_name == requested)
            .ok_or_else(|| {
                let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
                self.invalid(
                    service_span,
                    ConfigProblem::UnknownSkipService {
                        suggestion: closest(&requested, names.iter().copied()),
                        service: requested.clone(),
                        known: names.join(", "),
                    },
                )
            })?;
        Ok(Skip {
            service: service.name.clone(),
            operation: self.non_empty("operation", raw.operation)?,
            reason,
        })
    }

    /// `overrides` with the `[overrides]` entry `key = value` added.
    fn add_override(
        &self,
        overrides: Overrides,
        key: Spanned<String>,
        value: OverrideValue,
    ) -> Result<Overrides, ConfigError> {
        let span = key.span();
        let key = key.into_inner();
        let parsed = key.parse::<OverrideKey>().map_err(|_| {
            self.invalid(
                span.clone(),
                ConfigProblem::InvalidOverrideKey { key: key.clone() },
            )
        })?;
        overrides
            .with_user_entries([(parsed, value)])
            .map_err(|error| {
                self.invalid(
                    span,
                    ConfigProblem::InvalidOverrideValue {
                        reason: error.to_string(),
                    },
                )
            })
    }
}

/// Removes `.` and `..` from an absolute path without touching the file system, as cargo does
/// for manifest paths, so messages show `/ws/fixtures/a.json` rather than `/ws/x/../fixtures/a.json`.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                // `/..` is `/`; a relative path keeps leading `..`s.
                if !normal.pop() && !normal.has_root() {
                    normal.push(component);
                }
            }
            other => normal.push(other),
        }
    }
    normal
}

/// The default `--service` name for a crate: its name without the `aws-sdk-` prefix.
pub fn default_service_name(crate_name: &str) -> String {
    crate_name
        .strip_prefix("aws-sdk-")
        .unwrap_or(crate_name)
        .to_owned()
}
