//! The generated harness for a hand-written model: the files a user's build compiles,
//! reviewed as goldens, plus the properties other stages rely on.

use std::collections::BTreeSet;
use std::path::Path;

use snapshot_codegen::{
    generate_harness, workspace_files, ClientCrate, ClientFacts, ClientSource, GeneratedHarness,
    HarnessOperation,
};
use snapshot_model::test_util::Fixtures;
use snapshot_model::Model;
use snapshot_values::{Generator, Mode, Overrides};

fn weather() -> Model {
    Fixtures::Models.load("weather.json")
}

fn client() -> ClientCrate {
    ClientCrate {
        package: "example-weather".into(),
        source: ClientSource::Registry {
            version: "=0.1.0".into(),
        },
    }
}

/// The harness of the weather fixture with every operation's max input.
fn weather_harness(model: &Model) -> GeneratedHarness {
    let index = model.service_index(None).unwrap();
    let overrides = Overrides::builtin();
    let generator = Generator::new(model, &overrides);
    let operations: Vec<HarnessOperation<'_>> = index
        .operations()
        .iter()
        .map(|operation| {
            let mut variants = generator.input_variants(operation.shape).unwrap();
            let (mode, input) = variants.remove(0);
            assert_eq!(mode, Mode::Max);
            HarnessOperation {
                operation: *operation,
                input,
                variants,
                rejected_headers: Vec::new(),
            }
        })
        .collect();
    generate_harness(&index, &client(), &ClientFacts::unknown(), &operations).unwrap()
}

#[test]
fn generated_harness_files() {
    let model = weather();
    let index = model.service_index(None).unwrap();
    let harness = weather_harness(&model);
    assert!(harness.failed.is_empty(), "{:?}", harness.failed);
    assert_eq!(harness.package, "harness-example-weather");
    // Every operation has its own file, so compiler errors map back to one operation.
    assert_eq!(harness.operation_files.len(), index.operations().len());
    for file in &harness.files {
        let name = file.path.to_string_lossy().replace('\\', "/");
        insta::assert_snapshot!(name.clone(), file.contents);
    }
}

#[test]
fn workspace_embeds_the_runtime_and_one_profile() {
    let model = weather();
    let index = model.service_index(None).unwrap();
    let harness = generate_harness(&index, &client(), &ClientFacts::unknown(), &[]).unwrap();
    let files = workspace_files(&[&harness]).unwrap();
    let paths: Vec<&Path> = files.iter().map(|file| file.path.as_path()).collect();
    for expected in [
        "Cargo.toml",
        "snapshot-harness/Cargo.toml",
        "snapshot-harness/src/runner.rs",
        "snapshot-records/src/lib.rs",
    ] {
        assert!(
            paths.contains(&Path::new(expected)),
            "missing {expected} in {paths:?}"
        );
    }
    let root = &files[0].contents;
    assert!(root.contains("\"harness-example-weather\""), "{root}");
    assert!(root.contains("debug = 0"), "{root}");
    // The shared crates are optimized, the client crate is not (build time).
    let manifest: toml::Table = root.parse().unwrap();
    let level = |package: &str| {
        manifest["profile"]["dev"]["package"][package]["opt-level"]
            .as_integer()
            .unwrap()
    };
    assert_eq!(level("*"), 2, "{root}");
    assert_eq!(level("snapshot-harness"), 2, "{root}");
    assert_eq!(level("snapshot-records"), 2, "{root}");
    assert_eq!(level(&client().package), 0, "{root}");
    // The embedded manifests must stand alone (no `workspace = true` inheritance).
    for file in files
        .iter()
        .filter(|file| file.path.ends_with("Cargo.toml"))
    {
        assert!(
            !file.contents.contains("workspace = true"),
            "{}: {}",
            file.path.display(),
            file.contents
        );
    }
}

/// `::snapshot_harness::<module>::<item>` paths in `texts`, as `(module, item)`.
fn runtime_paths<'t>(texts: impl IntoIterator<Item = &'t str>) -> BTreeSet<(String, String)> {
    let mut paths = BTreeSet::new();
    for text in texts {
        let mut rest = text;
        while let Some(at) = rest.find("::snapshot_harness::") {
            rest = &rest[at + "::snapshot_harness::".len()..];
            let segments: Vec<&str> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or_default()
                .split("::")
                .collect();
            if let [module, item, ..] = segments.as_slice() {
                paths.insert(((*module).to_owned(), (*item).to_owned()));
            }
        }
    }
    paths
}

/// The code generator's own sources: every runtime path it can emit is written there.
fn codegen_sources() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            sources.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    sources
}

/// Whether `file` declares a public item `name` (or re-exports one under that name).
fn declares_pub(file: &syn::File, name: &str) -> bool {
    file.items.iter().any(|item| {
        let (vis, ident) = match item {
            syn::Item::Fn(item) => (&item.vis, &item.sig.ident),
            syn::Item::Struct(item) => (&item.vis, &item.ident),
            syn::Item::Enum(item) => (&item.vis, &item.ident),
            syn::Item::Const(item) => (&item.vis, &item.ident),
            syn::Item::Static(item) => (&item.vis, &item.ident),
            syn::Item::Type(item) => (&item.vis, &item.ident),
            syn::Item::Trait(item) => (&item.vis, &item.ident),
            syn::Item::Use(item) => {
                let public = matches!(item.vis, syn::Visibility::Public(_));
                return public && quote::quote!(#item).to_string().contains(name);
            }
            _ => return false,
        };
        matches!(vis, syn::Visibility::Public(_)) && ident == name
    })
}

/// The arrow from generated code to the runtime it links: every `::snapshot_harness::...` path
/// the code generator can emit (its sources) or did emit (the weather harness) names a public
/// item of a module the workspace ships (or a crate the runtime re-exports), so renaming one in
/// `snapshot-harness` fails here, not in a user's build.
#[test]
fn generated_code_calls_only_what_the_shipped_runtime_declares() {
    let model = weather();
    let harness = weather_harness(&model);
    let shipped = workspace_files(&[&harness]).unwrap();
    let source = |path: &str| -> syn::File {
        let file = shipped
            .iter()
            .find(|file| file.path == Path::new(path))
            .unwrap_or_else(|| panic!("the workspace does not ship {path}"));
        syn::parse_file(&file.contents).unwrap_or_else(|error| panic!("{path}: {error}"))
    };
    let lib = source("snapshot-harness/src/lib.rs");
    let sources = codegen_sources();
    let paths = runtime_paths(
        harness
            .files
            .iter()
            .map(|file| file.contents.as_str())
            .chain(sources.iter().map(String::as_str)),
    );
    assert!(paths.len() >= 20, "{paths:?}");
    for (module, item) in &paths {
        let module_path = format!("snapshot-harness/src/{module}.rs");
        if shipped
            .iter()
            .any(|file| file.path == Path::new(&module_path))
        {
            assert!(
                declares_pub(&source(&module_path), item),
                "generated code calls ::snapshot_harness::{module}::{item}, which {module_path} does not declare"
            );
        } else {
            // A re-exported crate (`smithy_types`): the runtime must re-export it by that name.
            assert!(
                declares_pub(&lib, module),
                "generated code calls ::snapshot_harness::{module}, which snapshot-harness does not ship"
            );
        }
    }
}
