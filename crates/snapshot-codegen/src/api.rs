//! What a client crate's public API offers, read with `syn` from the source smithy-rs generated,
//! so the code generator can tell a model member the crate lacks (model newer than crate) before
//! writing code that would not compile, and a crate member the model lacks.
//!
//! Where smithy-rs puts things (checked against the published `aws-sdk-*` crates):
//! * `src/types/_<shape>.rs`: a structure or union of the model (`pub struct Name` with a `pub`
//!   field per member, or `pub enum Name` with a variant per member) and the structure's
//!   builder (`NameBuilder` with `set_<member>` setters);
//! * `src/types/error/_<shape>.rs`: an error structure and its builder;
//! * `src/operation/<op>.rs`: the operation's error enum (`<Op>Error`, a variant per declared
//!   error); `src/operation/<op>/_<op>_input.rs` and `_<op>_output.rs`: its input and output
//!   structures and builders; `src/operation/<op>/builders.rs`: the fluent builder
//!   (`<Op>FluentBuilder`, a `set_<member>` per input member).
//!
//! Only `pub` items count: smithy-rs keeps request ids and error metadata in `pub(crate)` fields.
//!
//! Reading is kept cheap, since an SDK crate is megabytes of source (aws-sdk-s3: 11 MB):
//! * the fluent builders (`operation/<op>/builders.rs`) are not read: their setters are those of
//!   the input builder, which `_<op>_input.rs` defines;
//! * of `operation/<op>.rs` (runtime plugins, serializers, tests) only its top-level `pub enum`s
//!   are parsed, each cut out from its `pub enum` line to the next line holding only `}`
//!   (smithy-rs writes these files rustfmt-formatted); the whole file is parsed if that fails;
//! * doc-comment lines (`///`, 60% of the rest) are blanked before parsing, and the whole text
//!   parsed if that fails;
//! * [`ClientApi::read_cached`] keeps the result per crate, valid while no file changes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use syn::{Fields, ImplItem, Item, Type, Visibility};

/// The module of a client crate a type is defined for.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ApiModule {
    /// `crate::types` (structures, unions, enums and their builders).
    Types,
    /// `crate::types::error` (error structures and their builders).
    TypesError,
    /// `crate::operation::<module>` (input, output, error enum, builders of one operation).
    Operation(String),
}

/// A type of the client crate: its module and name (`ApiModule::Types`, `Credentials`).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct TypeKey {
    /// Where it is defined.
    pub module: ApiModule,
    /// Its Rust name.
    pub name: String,
}

impl TypeKey {
    /// The type `name` in `module`.
    pub fn new(module: ApiModule, name: impl Into<String>) -> Self {
        TypeKey {
            module,
            name: name.into(),
        }
    }
}

impl std::fmt::Display for TypeKey {
    /// The path a user writes: `types::Credentials`, `operation::assume_role::AssumeRoleOutput`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.module {
            ApiModule::Types => write!(f, "types::{}", self.name),
            ApiModule::TypesError => write!(f, "types::error::{}", self.name),
            ApiModule::Operation(module) => write!(f, "operation::{module}::{}", self.name),
        }
    }
}

/// The public surface of one type: fields (structures), methods of its inherent impls, and
/// variants (enums). Names as written in the source, raw identifiers with their `r#`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeApi {
    /// `pub` fields.
    pub fields: BTreeSet<String>,
    /// `pub fn`s of inherent impls.
    pub methods: BTreeSet<String>,
    /// Enum variants.
    pub variants: BTreeSet<String>,
}

/// The public types of a client crate and its operation modules.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClientApi {
    #[serde(with = "entries")]
    types: BTreeMap<TypeKey, TypeApi>,
    operations: BTreeSet<String>,
}

/// A source file of the client crate that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the client's API from {}: {reason}", path.display())]
pub struct ApiReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

impl ClientApi {
    /// Reads the crate whose root directory is `crate_dir` (the one holding `src/`).
    ///
    /// # Errors
    /// [`ApiReadError`] when a file under `src/types` or `src/operation` cannot be read or is
    /// not Rust that `syn` parses.
    pub fn read(crate_dir: &Path) -> Result<ClientApi, ApiReadError> {
        let files = source_files(crate_dir)?;
        ClientApi::read_files(crate_dir, &files)
    }

    /// [`ClientApi::read`], kept in `cache_dir` and read from there while every source file has
    /// the size and modification time it had (a registry crate never changes; a path crate is
    /// read again after its code is regenerated). A cache that cannot be written is skipped.
    ///
    /// # Errors
    /// As [`ClientApi::read`].
    pub fn read_cached(crate_dir: &Path, cache_dir: &Path) -> Result<ClientApi, ApiReadError> {
        let files = source_files(crate_dir)?;
        let cache_file = cache_dir.join(cache_name(crate_dir));
        let cached = std::fs::read(&cache_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CachedApi>(&bytes).ok())
            .filter(|cached| cached.crate_dir == crate_dir && cached.files == files);
        if let Some(cached) = cached {
            return Ok(cached.api);
        }
        let api = ClientApi::read_files(crate_dir, &files)?;
        let cached = CachedApi {
            crate_dir: crate_dir.to_owned(),
            files,
            api,
        };
        // A cache that cannot be written only costs the next run a second reading.
        if let Ok(bytes) = serde_json::to_vec(&cached) {
            let _ = std::fs::create_dir_all(cache_dir)
                .and_then(|()| std::fs::write(&cache_file, bytes));
        }
        Ok(cached.api)
    }

    fn read_files(crate_dir: &Path, files: &[SourceFile]) -> Result<ClientApi, ApiReadError> {
        let src = crate_dir.join("src");
        let mut api = ClientApi::default();
        for file in files {
            let path = src.join(&file.relative);
            let text = std::fs::read_to_string(&path).map_err(|error| ApiReadError {
                path: path.clone(),
                reason: error.to_string(),
            })?;
            api.add_file(&file.relative, &text)
                .map_err(|reason| ApiReadError { path, reason })?;
        }
        Ok(api)
    }

    /// Adds the items of one source file, at `relative` to `src/` (`types/_tag.rs`).
    ///
    /// # Errors
    /// The parser's message when `text` is not Rust.
    pub fn add_file(&mut self, relative: &Path, text: &str) -> Result<(), String> {
        let Some(module) = module_of(relative) else {
            return Ok(());
        };
        if let ApiModule::Operation(name) = &module {
            self.operations.insert(name.clone());
        }
        let items = match (&module, relative.file_name().and_then(|name| name.to_str())) {
            (ApiModule::Operation(_), Some("builders.rs")) => return Ok(()),
            (ApiModule::Operation(name), Some(file)) if file == format!("{name}.rs") => {
                top_level_enums(text)
            }
            _ => parse_items(text)?,
        };
        for item in items {
            self.add_item(&module, item);
        }
        Ok(())
    }

    fn add_item(&mut self, module: &ApiModule, item: Item) {
        match item {
            Item::Struct(item) if is_pub(&item.vis) => {
                let fields = match item.fields {
                    Fields::Named(named) => named
                        .named
                        .into_iter()
                        .filter(|field| is_pub(&field.vis))
                        .filter_map(|field| field.ident.map(|ident| ident.to_string()))
                        .collect(),
                    _ => BTreeSet::new(),
                };
                self.entry(module, item.ident.to_string())
                    .fields
                    .extend(fields);
            }
            Item::Enum(item) if is_pub(&item.vis) => {
                let variants = item.variants.into_iter().map(|v| v.ident.to_string());
                self.entry(module, item.ident.to_string())
                    .variants
                    .extend(variants);
            }
            Item::Impl(item) if item.trait_.is_none() => {
                let Type::Path(self_type) = *item.self_ty else {
                    return;
                };
                let Some(name) = self_type.path.segments.last().map(|s| s.ident.to_string()) else {
                    return;
                };
                let methods = item.items.into_iter().filter_map(|member| match member {
                    ImplItem::Fn(function) if is_pub(&function.vis) => {
                        Some(function.sig.ident.to_string())
                    }
                    _ => None,
                });
                self.entry(module, name).methods.extend(methods);
            }
            _ => {}
        }
    }

    fn entry(&mut self, module: &ApiModule, name: String) -> &mut TypeApi {
        self.types
            .entry(TypeKey::new(module.clone(), name))
            .or_default()
    }

    /// The surface of one type, if the crate defines it.
    pub fn get(&self, key: &TypeKey) -> Option<&TypeApi> {
        self.types.get(key)
    }

    /// Every type the crate defines, by key.
    pub fn types(&self) -> impl Iterator<Item = (&TypeKey, &TypeApi)> {
        self.types.iter()
    }

    /// The operation modules (`assume_role`), sorted.
    pub fn operations(&self) -> &BTreeSet<String> {
        &self.operations
    }
}

/// A source file the API is read from, as the cache recognises it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct SourceFile {
    /// Relative to `src/`.
    relative: PathBuf,
    len: u64,
    /// Modification time since the Unix epoch: seconds and nanoseconds.
    modified: (u64, u32),
}

/// What [`ClientApi::read_cached`] keeps.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedApi {
    crate_dir: PathBuf,
    files: Vec<SourceFile>,
    api: ClientApi,
}

/// The `.rs` files under `src/types` and `src/operation`, sorted.
fn source_files(crate_dir: &Path) -> Result<Vec<SourceFile>, ApiReadError> {
    let src = crate_dir.join("src");
    let mut files = Vec::new();
    for top in ["types", "operation"] {
        let dir = src.join(top);
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|error| ApiReadError {
                path: dir.clone(),
                reason: error.to_string(),
            })?;
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension() != Some("rs".as_ref()) {
                continue;
            }
            let metadata = entry.metadata().map_err(|error| ApiReadError {
                path: path.to_owned(),
                reason: error.to_string(),
            })?;
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |since| (since.as_secs(), since.subsec_nanos()));
            files.push(SourceFile {
                relative: path.strip_prefix(&src).unwrap_or(path).to_owned(),
                len: metadata.len(),
                modified,
            });
        }
    }
    Ok(files)
}

/// The cache file of a crate: its directory name (a registry crate's holds its version) and a
/// hash of its path, so two crates of one name never share a file.
fn cache_name(crate_dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    crate_dir.hash(&mut hasher);
    let name = crate_dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}-{:016x}.json", hasher.finish())
}

/// The items of a source file, parsed without its doc comments when that works.
fn parse_items(text: &str) -> Result<Vec<Item>, String> {
    let undocumented: String = text
        .lines()
        .map(|line| match line.trim_start().starts_with("///") {
            true => "\n",
            false => line,
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    match syn::parse_file(&undocumented) {
        Ok(file) => Ok(file.items),
        Err(_) => syn::parse_file(text)
            .map(|file| file.items)
            .map_err(|error| error.to_string()),
    }
}

/// The top-level `pub enum`s of an operation module (see the module docs for the cut).
fn top_level_enums(text: &str) -> Vec<Item> {
    let lines: Vec<&str> = text.lines().collect();
    let mut items = Vec::new();
    let mut start = 0;
    while let Some(offset) = lines[start..]
        .iter()
        .position(|line| line.starts_with("pub enum "))
    {
        let first = start + offset;
        let Some(length) = lines[first..].iter().position(|line| *line == "}") else {
            break;
        };
        let source = lines[first..=first + length].join("\n");
        match syn::parse_str::<syn::ItemEnum>(&source) {
            Ok(item) => items.push(Item::Enum(item)),
            // Not the shape smithy-rs writes: read the whole file instead.
            Err(_) => return parse_items(text).unwrap_or_default(),
        }
        start = first + length + 1;
    }
    items
}

/// JSON objects need string keys: the type map is kept as a list of pairs.
mod entries {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serializer};

    use super::{TypeApi, TypeKey};

    pub(super) fn serialize<S: Serializer>(
        map: &BTreeMap<TypeKey, TypeApi>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(map.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<TypeKey, TypeApi>, D::Error> {
        Ok(Vec::<(TypeKey, TypeApi)>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

/// The module a file under `src/` defines types for, if it is one smithy-rs writes types into.
fn module_of(relative: &Path) -> Option<ApiModule> {
    let parts: Vec<String> = relative
        .components()
        .filter_map(|part| match part {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["types", "error.rs"] | ["types", "error", ..] => Some(ApiModule::TypesError),
        ["types", ..] => Some(ApiModule::Types),
        ["operation", file] => file
            .strip_suffix(".rs")
            .map(|module| ApiModule::Operation(module.to_owned())),
        ["operation", module, ..] => Some(ApiModule::Operation((*module).to_owned())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_to_the_modules_smithy_rs_defines_them_for() {
        let cases = [
            ("types/_tag.rs", Some(ApiModule::Types)),
            ("types/builders.rs", Some(ApiModule::Types)),
            ("types/error.rs", Some(ApiModule::TypesError)),
            ("types/error/_expired.rs", Some(ApiModule::TypesError)),
            (
                "operation/assume_role.rs",
                Some(ApiModule::Operation("assume_role".into())),
            ),
            (
                "operation/assume_role/builders.rs",
                Some(ApiModule::Operation("assume_role".into())),
            ),
            ("config.rs", None),
            ("protocol_serde/shape_tag.rs", None),
        ];
        for (path, module) in cases {
            assert_eq!(module_of(Path::new(path)), module, "{path}");
        }
    }

    #[test]
    fn reads_pub_fields_methods_and_variants_only() {
        let mut api = ClientApi::default();
        api.add_file(
            Path::new("operation/get_thing/_get_thing_output.rs"),
            "pub struct GetThingOutput { pub r#type: Option<String>, pub size: i32, _request_id: Option<String> }
             impl GetThingOutput { pub fn size(&self) -> i32 { self.size } fn hidden(&self) {} }
             impl ::std::fmt::Debug for GetThingOutput { fn fmt(&self) {} }
             impl crate::operation::get_thing::builders::GetThingOutputBuilder { pub fn set_size(self) -> Self { self } }",
        )
        .unwrap();
        api.add_file(
            Path::new("operation/get_thing.rs"),
            "pub struct GetThing;\nimpl GetThing { fn ignored() { let _ = \"}\"; } }\n\
             pub enum GetThingError {\n    NotFound(crate::types::error::NotFound),\n    Unhandled(Unhandled),\n}\n",
        )
        .unwrap();
        let module = ApiModule::Operation("get_thing".into());
        let output = api
            .get(&TypeKey::new(module.clone(), "GetThingOutput"))
            .unwrap();
        assert_eq!(output.fields.iter().collect::<Vec<_>>(), ["r#type", "size"]);
        assert_eq!(output.methods.iter().collect::<Vec<_>>(), ["size"]);
        let builder = api
            .get(&TypeKey::new(module.clone(), "GetThingOutputBuilder"))
            .unwrap();
        assert!(builder.methods.contains("set_size"));
        let error = api.get(&TypeKey::new(module, "GetThingError")).unwrap();
        assert_eq!(
            error.variants.iter().collect::<Vec<_>>(),
            ["NotFound", "Unhandled"]
        );
        assert_eq!(api.operations().iter().collect::<Vec<_>>(), ["get_thing"]);
        assert_eq!(
            TypeKey::new(ApiModule::Operation("get_thing".into()), "GetThingOutput").to_string(),
            "operation::get_thing::GetThingOutput"
        );
    }

    #[test]
    fn a_file_that_is_not_rust_is_an_error() {
        let error = ClientApi::default()
            .add_file(
                Path::new("types/_tag.rs"),
                "pub struct Tag {\n  pub key: ,\n}",
            )
            .unwrap_err();
        assert!(error.contains("expected"), "{error}");
    }
}
