//! Embeds the harness runtime: the crates named in this package's
//! `[package.metadata.harness-runtime]`, each its `Cargo.toml` and every file under `src/`, as
//! one JSON document in `$OUT_DIR/harness-runtime.json`. cargo-snapshot writes them into every
//! harness workspace, so an installed binary needs no checkout of this repository; the list of
//! files follows the crates' sources instead of being kept by hand.

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR"));
    let manifest = manifest_dir.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", manifest.display());
    let table: toml::Table = read(&manifest)
        .parse()
        .unwrap_or_else(|error| fail(&format!("{} does not parse: {error}", manifest.display())));
    let metadata = table
        .get("package")
        .and_then(|package| package.get("metadata"))
        .and_then(|metadata| metadata.get("harness-runtime"))
        .unwrap_or_else(|| fail("Cargo.toml has no [package.metadata.harness-runtime] table"));
    let crate_dirs: Vec<&str> = metadata
        .get("crates")
        .and_then(toml::Value::as_array)
        .map(|dirs| dirs.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_else(|| {
            fail("[package.metadata.harness-runtime] needs `crates`, a list of paths")
        });
    let linked = metadata
        .get("linked")
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| {
            fail("[package.metadata.harness-runtime] needs `linked`, a package name")
        });

    let mut crates = Vec::new();
    let mut files = Vec::new();
    for dir in crate_dirs {
        let dir = manifest_dir.join(dir);
        let crate_manifest = dir.join("Cargo.toml");
        let package = package_name(&crate_manifest);
        for file in crate_files(&dir) {
            let relative = file.strip_prefix(&dir).unwrap_or_else(|_| {
                fail(&format!("{} is outside {}", file.display(), dir.display()))
            });
            let path = Path::new(&package).join(relative);
            files.push(serde_json::json!({
                "path": path.to_string_lossy().replace('\\', "/"),
                "contents": read(&file),
            }));
        }
        println!("cargo:rerun-if-changed={}", crate_manifest.display());
        println!("cargo:rerun-if-changed={}", dir.join("src").display());
        crates.push(package);
    }
    if !crates.iter().any(|name| name == linked) {
        fail(&format!(
            "[package.metadata.harness-runtime] links `{linked}`, which is not one of its crates ({})",
            crates.join(", ")
        ));
    }
    let runtime = serde_json::json!({ "crates": crates, "linked": linked, "files": files });
    let out = PathBuf::from(env_var("OUT_DIR")).join("harness-runtime.json");
    std::fs::write(&out, runtime.to_string())
        .unwrap_or_else(|error| fail(&format!("cannot write {}: {error}", out.display())));
}

/// `Cargo.toml`, then every file under `src/`, sorted by path.
fn crate_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![dir.join("Cargo.toml")];
    let mut pending = vec![dir.join("src")];
    let mut sources = Vec::new();
    while let Some(next) = pending.pop() {
        let entries = std::fs::read_dir(&next)
            .unwrap_or_else(|error| fail(&format!("cannot list {}: {error}", next.display())));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|error| fail(&format!("cannot list {}: {error}", next.display())))
                .path();
            if path.is_dir() {
                pending.push(path);
            } else {
                sources.push(path);
            }
        }
    }
    sources.sort();
    files.extend(sources);
    files
}

fn package_name(manifest: &Path) -> String {
    let table: toml::Table = read(manifest)
        .parse()
        .unwrap_or_else(|error| fail(&format!("{} does not parse: {error}", manifest.display())));
    table
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| fail(&format!("{} has no package name", manifest.display())))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| fail(&format!("cannot read {}: {error}", path.display())))
}

fn env_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fail(&format!("cargo did not set {name}")))
}

fn fail(message: &str) -> ! {
    panic!("snapshot-codegen build script: {message}")
}
