//! The harness crate for one client crate: its manifest, its `main.rs` with the operation
//! table, the client setup module, and one module per operation.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use snapshot_model::traits::AuthScheme;
use snapshot_model::{OperationRef, ServiceIndex};
use snapshot_records::{HeaderFault, RejectedHeader};
use snapshot_values::{Mode, Value};

use crate::construct::Constructor;
use crate::drift::ClientDrift;
use crate::read;
use crate::rust_types::{ident, ClientTypes};
use crate::{manifest, naming, ClientFacts, CodegenError};

/// The client crate under test, as the harness depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCrate {
    /// Package name (`aws-sdk-sts`).
    pub package: String,
    /// Where the harness gets it from.
    pub source: ClientSource,
}

/// Where the client crate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientSource {
    /// crates.io with a version requirement (`=1.124.0`).
    Registry {
        /// Version requirement.
        version: String,
    },
    /// A local directory (a path crate or a workspace member).
    Path {
        /// Absolute path of the crate directory.
        path: PathBuf,
    },
}

impl ClientCrate {
    /// The Rust library name (`aws_sdk_sts`).
    pub fn lib_name(&self) -> String {
        naming::crate_lib_name(&self.package)
    }

    /// The harness package built for this client.
    pub fn harness_package(&self) -> String {
        format!("harness-{}", self.package)
    }
}

/// One operation with the inputs the harness sends.
#[derive(Debug, Clone)]
pub struct HarnessOperation<'m> {
    /// The operation.
    pub operation: OperationRef<'m>,
    /// The max input (a structure value of the input shape): what response and error cases
    /// send, and request cases of any variant not in `variants`.
    pub input: Value,
    /// Further input variants (min, edge), each sent by the request case naming it.
    pub variants: Vec<(Mode, Value)>,
    /// The rejected-header cases: the max input with one member set to the value given here
    /// (the member's own value, not the input structure), each sent by the
    /// `Case::RejectedHeader` naming it.
    pub rejected_headers: Vec<(RejectedHeader, Value)>,
}

/// A file of the generated workspace, relative to its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the harness workspace root.
    pub path: PathBuf,
    /// File contents.
    pub contents: String,
}

/// The generated harness crate of one client.
#[derive(Debug, Clone)]
pub struct GeneratedHarness {
    /// The harness package name (also its binary name).
    pub package: String,
    /// The client crate's package name (`aws-sdk-sts`); the workspace profile builds it
    /// unoptimized (see [`crate::workspace_files`]).
    pub client_package: String,
    /// The crate directory relative to the workspace root.
    pub dir: PathBuf,
    /// All files of the crate.
    pub files: Vec<GeneratedFile>,
    /// Operation name by the file (relative to the workspace root) holding its code, so that
    /// compiler diagnostics can be traced back to one operation.
    pub operation_files: BTreeMap<PathBuf, String>,
    /// Operations whose code could not be generated, with the reason.
    pub failed: Vec<(String, CodegenError)>,
}

/// Generates the harness crate for `client` driving `operations` of the service.
pub fn generate_harness(
    index: &ServiceIndex<'_>,
    client: &ClientCrate,
    facts: &ClientFacts,
    operations: &[HarnessOperation<'_>],
) -> Result<GeneratedHarness, CodegenError> {
    let types = ClientTypes::new(index, &client.lib_name());
    let drift = facts.api().map(|api| ClientDrift::new(index, api));
    let package = client.harness_package();
    let dir = PathBuf::from(&package);
    let mut files = Vec::new();
    let mut operation_files = BTreeMap::new();
    let mut failed = Vec::new();
    let mut entries = Vec::new();
    for harness_operation in operations {
        let name = harness_operation.operation.name();
        match operation_module(&types, drift.as_ref(), harness_operation) {
            Ok(tokens) => {
                let module = module_name(name);
                let file = dir
                    .join("src")
                    .join("operations")
                    .join(format!("{module}.rs"));
                files.push(GeneratedFile {
                    path: file.clone(),
                    contents: render_file(&file, tokens)?,
                });
                operation_files.insert(file, name.to_owned());
                entries.push((name.to_owned(), module));
            }
            Err(error) => failed.push((name.to_owned(), error)),
        }
    }
    let main_path = dir.join("src").join("main.rs");
    files.push(GeneratedFile {
        contents: render_file(&main_path, main_module(&entries))?,
        path: main_path,
    });
    let client_path = dir.join("src").join("client.rs");
    files.push(GeneratedFile {
        contents: render_file(&client_path, client_module(&types, facts))?,
        path: client_path,
    });
    files.push(GeneratedFile {
        path: dir.join("Cargo.toml"),
        contents: manifest::harness_manifest(client, &package, &client_features(index))?,
    });
    Ok(GeneratedHarness {
        package,
        client_package: client.package.clone(),
        dir,
        files,
        operation_files,
        failed,
    })
}

/// The harness crate of `client` with its manifest and no code: what `cargo metadata` needs to
/// resolve (and if needed download) the client, so its [`ClientFacts`] can be read before the
/// code that depends on them is generated.
pub fn harness_manifest_only(
    index: &ServiceIndex<'_>,
    client: &ClientCrate,
) -> Result<GeneratedHarness, CodegenError> {
    let package = client.harness_package();
    let dir = PathBuf::from(&package);
    Ok(GeneratedHarness {
        files: vec![GeneratedFile {
            path: dir.join("Cargo.toml"),
            contents: manifest::harness_manifest(client, &package, &client_features(index))?,
        }],
        package,
        client_package: client.package.clone(),
        dir,
        operation_files: BTreeMap::new(),
        failed: Vec::new(),
    })
}

/// The client's features the harness turns on although it depends on the client without its
/// default features: `sigv4a` when the model signs with SigV4a (the `@aws.auth#sigv4a` trait,
/// or an endpoint rule listing the `sigv4a` auth scheme), which is exactly when smithy-rs
/// gives the crate that feature (on by default). Without it, an endpoint that requires SigV4a
/// (SESv2 `SendEmail` with an `EndpointId`, S3 multi-region access points) cannot be signed.
fn client_features(index: &ServiceIndex<'_>) -> Vec<&'static str> {
    let by_trait = index
        .auth_schemes()
        .iter()
        .any(|scheme| matches!(scheme, AuthScheme::Sigv4a { .. }));
    let by_endpoint = index
        .shape()
        .traits
        .endpoint_rule_set()
        .is_some_and(|rules| rules.endpoint_auth_schemes().contains("sigv4a"));
    if by_trait || by_endpoint {
        vec![SIGV4A_FEATURE]
    } else {
        Vec::new()
    }
}

/// The feature of smithy-rs clients that registers the SigV4a auth scheme.
const SIGV4A_FEATURE: &str = "sigv4a";

/// A module name for an operation that is never a keyword (`Match` → `match_`).
fn module_name(operation: &str) -> String {
    let snake = naming::snake_case(operation);
    match naming::escape_keyword(&snake) {
        escaped if escaped == snake => snake,
        _ => format!("{snake}_"),
    }
}

fn render_file(path: &std::path::Path, tokens: TokenStream) -> Result<String, CodegenError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| CodegenError::InvalidRust {
        file: path.display().to_string(),
        reason: error.to_string(),
    })?;
    Ok(format!(
        "// Generated by cargo-snapshot. Do not edit: it is rewritten on every run.\n{}",
        prettyplease::unparse(&file)
    ))
}

fn main_module(entries: &[(String, String)]) -> TokenStream {
    let modules = entries.iter().map(|(_, module)| ident(module));
    let table = entries.iter().map(|(name, module)| {
        let module = ident(module);
        quote!(::snapshot_harness::runner::OperationEntry { name: #name, call: operations::#module::call })
    });
    quote! {
        mod client;
        mod operations {
            #(pub(crate) mod #modules;)*
        }

        static OPERATIONS: &[::snapshot_harness::runner::OperationEntry] = &[#(#table),*];

        fn main() {
            ::snapshot_harness::runner::main(OPERATIONS);
        }
    }
}

fn client_module(types: &ClientTypes<'_, '_>, facts: &ClientFacts) -> TokenStream {
    let krate = types.krate();
    let index = types.index();
    let schemes = index.auth_schemes();
    let signs = schemes
        .iter()
        .any(|scheme| matches!(scheme, AuthScheme::Sigv4 { .. } | AuthScheme::Sigv4a { .. }));
    let credentials = signs.then(|| quote!(.credentials_provider(setup.credentials())));
    let token = schemes
        .iter()
        .any(|scheme| matches!(scheme, AuthScheme::HttpBearer))
        .then(|| quote!(.token_provider(::snapshot_harness::setup::bearer_token())));
    // The crate's source wins over the model: a crate newer than its model may have gained
    // idempotency tokens, and an unset provider would put random UUIDs into requests.
    let idempotency = facts
        .has_config_setter("idempotency_token_provider")
        .unwrap_or_else(|| uses_idempotency_tokens(index))
        .then(|| quote!(.idempotency_token_provider(::snapshot_harness::setup::IDEMPOTENCY_TOKEN)));
    // Emulators on an IP address cannot serve virtual-hosted buckets (`bucket.127.0.0.1`).
    let path_style = has_force_path_style(index).then(|| {
        quote! {
            if setup.is_live() {
                builder = builder.force_path_style(true);
            }
        }
    });
    // Built once per harness process and endpoint URL (`cached_client` says why that is safe).
    quote! {
        pub(crate) fn client(setup: ::snapshot_harness::runner::Setup) -> ::#krate::Client {
            ::snapshot_harness::runner::cached_client(&setup, build)
        }

        fn build(setup: &::snapshot_harness::runner::Setup) -> ::#krate::Client {
            let mut builder = ::#krate::Config::builder()
                .behavior_version(::#krate::config::BehaviorVersion::latest())
                .region(::#krate::config::Region::new(::snapshot_harness::setup::REGION))
                #credentials
                #token
                .http_client(setup.http.clone())
                .time_source(setup.time_source())
                .sleep_impl(::snapshot_harness::setup::sleep())
                .invocation_id_generator(::snapshot_harness::setup::FixedInvocationId)
                #idempotency
                .retry_config(::#krate::config::retry::RetryConfig::disabled());
            if let ::std::option::Option::Some(url) = setup.endpoint_url() {
                builder = builder.endpoint_url(url);
            }
            #path_style
            ::#krate::Client::from_conf(builder.build())
        }
    }
}

/// Built-in endpoint parameter behind the S3 config's `force_path_style` setter; smithy-rs
/// generates that setter only for services whose rule set declares it.
const FORCE_PATH_STYLE_BUILTIN: &str = "AWS::S3::ForcePathStyle";

fn has_force_path_style(index: &ServiceIndex<'_>) -> bool {
    index
        .shape()
        .traits
        .get("smithy.rules#endpointRuleSet")
        .and_then(|rules| rules.get("parameters"))
        .and_then(|parameters| parameters.as_object())
        .is_some_and(|parameters| {
            parameters.values().any(|parameter| {
                parameter.get("builtIn").and_then(|value| value.as_str())
                    == Some(FORCE_PATH_STYLE_BUILTIN)
            })
        })
}

fn uses_idempotency_tokens(index: &ServiceIndex<'_>) -> bool {
    let model = index.model();
    index
        .closure()
        .iter()
        .filter_map(|id| model.shape(id))
        .any(|shape| {
            shape
                .kind
                .members()
                .iter()
                .any(|member| member.traits.is_idempotency_token())
        })
}

fn operation_module(
    types: &ClientTypes<'_, '_>,
    drift: Option<&ClientDrift<'_, '_>>,
    harness_operation: &HarnessOperation<'_>,
) -> Result<TokenStream, CodegenError> {
    let model = types.model();
    let operation = harness_operation.operation;
    let name = operation.name();
    let constructor = Constructor::new(types, name);
    let fluent = ident(&naming::operation_fn(name));
    let input_shape = model
        .shape(&operation.operation.input)
        .filter(|input| !input.kind.members().is_empty());
    let send = |value: &Value| -> Result<TokenStream, CodegenError> {
        let setters = match input_shape {
            Some(input) => constructor.setters(input, value, input.id.name())?,
            None => Vec::new(),
        };
        Ok(quote!(client.#fluent() #(#setters)* .send().await))
    };
    let max = send(&harness_operation.input)?;
    // Only operations with other variants dispatch on the case's variant, so the code of an
    // operation with a max input only is what it was before variants.
    let (variant, call) = if harness_operation.variants.is_empty() {
        (None, quote!(let result = #max;))
    } else {
        let arms = harness_operation
            .variants
            .iter()
            .map(|(mode, value)| {
                let variant = variant_path(*mode);
                let call = send(value)?;
                Ok(quote!(#variant => #call,))
            })
            .collect::<Result<Vec<_>, CodegenError>>()?;
        let call = quote! {
            let result = match variant {
                #(#arms)*
                _ => #max,
            };
        };
        (Some(quote!(let variant = setup.variant;)), call)
    };
    let (rejected_header, call) = match (input_shape, harness_operation.rejected_headers.is_empty())
    {
        (Some(input), false) => {
            let base = constructor.setters(input, &harness_operation.input, input.id.name())?;
            let arms = harness_operation
                .rejected_headers
                .iter()
                .map(|(rejected, value)| {
                    let one = Value::Structure {
                        shape: input.id.clone(),
                        members: vec![(rejected.member.clone(), value.clone())],
                    };
                    let setter = constructor.setters(input, &one, input.id.name())?;
                    let member = rejected.member.as_str();
                    let fault = fault_path(rejected.fault);
                    Ok(quote!((#member, #fault) => fluent #(#setter)*,))
                })
                .collect::<Result<Vec<_>, CodegenError>>()?;
            let call = quote! {
                let result = if let ::std::option::Option::Some(rejected) = rejected_header {
                    let fluent = client.#fluent() #(#base)*;
                    let fluent = match (rejected.member.as_str(), rejected.fault) {
                        #(#arms)*
                        _ => fluent,
                    };
                    fluent.send().await
                } else {
                    #call
                    result
                };
            };
            (
                Some(quote!(let rejected_header = setup.rejected_header.clone();)),
                call,
            )
        }
        _ => (None, call),
    };
    let read = read::read_code(types, drift, operation);
    let outcome = read.outcome;
    let readers = read.items;
    Ok(quote! {
        pub(crate) fn call(setup: ::snapshot_harness::runner::Setup) -> ::snapshot_harness::runner::CallFuture {
            ::std::boxed::Box::pin(async move {
                #variant
                #rejected_header
                let client = crate::client::client(setup);
                #call
                #outcome
            })
        }

        #readers
    })
}

/// The harness runtime's name of a header fault.
fn fault_path(fault: HeaderFault) -> TokenStream {
    match fault {
        HeaderFault::Value => quote!(::snapshot_harness::records::HeaderFault::Value),
        HeaderFault::Name => quote!(::snapshot_harness::records::HeaderFault::Name),
    }
}

/// The harness runtime's name of an input variant.
fn variant_path(mode: Mode) -> TokenStream {
    match mode {
        Mode::Min => quote!(::snapshot_harness::records::InputVariant::Min),
        Mode::Max => quote!(::snapshot_harness::records::InputVariant::Max),
        Mode::Edge => quote!(::snapshot_harness::records::InputVariant::Edge),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use snapshot_model::Model;

    use super::*;

    fn storage_model(builtin: &str) -> Model {
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "example.storage#Storage": {{
                    "type": "service",
                    "version": "2024-01-01",
                    "traits": {{
                        "aws.protocols#restXml": {{}},
                        "smithy.rules#endpointRuleSet": {{
                            "version": "1.0",
                            "parameters": {{
                                "Region": {{"type": "string", "builtIn": "AWS::Region"}},
                                "PathStyle": {{"type": "boolean", "builtIn": "{builtin}"}}
                            }},
                            "rules": []
                        }}
                    }}
                }}
            }}}}"#
        );
        Model::from_json(json.as_bytes(), Path::new("storage.json")).unwrap()
    }

    fn client_code(model: &Model) -> String {
        let index = model.service_index(None).unwrap();
        let types = ClientTypes::new(&index, "example_storage");
        client_module(&types, &ClientFacts::unknown()).to_string()
    }

    #[test]
    fn live_runs_force_path_style_only_where_the_config_has_the_setter() {
        let s3_like = client_code(&storage_model(FORCE_PATH_STYLE_BUILTIN));
        assert!(s3_like.contains("force_path_style (true)"), "{s3_like}");
        assert!(s3_like.contains("setup . is_live ()"), "{s3_like}");
        let other = client_code(&storage_model("AWS::S3::Accelerate"));
        assert!(!other.contains("force_path_style"), "{other}");
        // Every client takes its endpoint URL from the setup (mock override or live endpoint).
        assert!(other.contains("setup . endpoint_url ()"), "{other}");
    }

    fn manifest_of(traits: &str) -> String {
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{"example.mail#Mail": {{"type": "service",
                "version": "1", "traits": {{"aws.protocols#restJson1": {{}}, {traits}}}}}}}}}"#
        );
        let model = Model::from_json(json.as_bytes(), Path::new("mail.json")).unwrap();
        let index = model.service_index(None).unwrap();
        let client = ClientCrate {
            package: "aws-sdk-mail".into(),
            source: ClientSource::Registry {
                version: "=1.0.0".into(),
            },
        };
        harness_manifest_only(&index, &client).unwrap().files[0]
            .contents
            .clone()
    }

    #[test]
    fn the_sigv4a_feature_is_on_exactly_when_the_model_signs_with_sigv4a() {
        let by_trait = manifest_of(r#""aws.auth#sigv4a": {"name": "mail"}"#);
        assert!(by_trait.contains(r#"features = ["sigv4a"]"#), "{by_trait}");
        let by_endpoint = manifest_of(
            r#""smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {},
                "rules": [{"type": "endpoint", "conditions": [], "endpoint": {
                    "url": "https://mail.example.com",
                    "properties": {"authSchemes": [{"name": "sigv4a", "signingName": "mail"}]}}}]}"#,
        );
        assert!(
            by_endpoint.contains(r#"features = ["sigv4a"]"#),
            "{by_endpoint}"
        );
        let plain = manifest_of(r#""aws.auth#sigv4": {"name": "mail"}"#);
        assert!(!plain.contains("features = ["), "{plain}");
        assert!(plain.contains("default-features = false"), "{plain}");
    }
}
