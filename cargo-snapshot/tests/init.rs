//! `cargo snapshot init` on cargo workspaces shaped like smithy-rs's output: members with a
//! `[package.metadata.smithy]` table and the service's config layer in `src/config.rs`. Each
//! test builds its workspace in a temporary directory, runs the binary there and snapshots
//! what the user sees (stdout, the written `snapshot.toml`, or the error).

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use snapshot_corpus::{models_dir, workspace_root};
use snapshot_model::test_util::Fixtures;

/// A cargo workspace of generated crates and a `models/` directory.
struct Workspace {
    dir: tempfile::TempDir,
    members: Vec<String>,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
            members: Vec::new(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A member as smithy-rs generates it: the smithy metadata table, and a `config.rs` whose
    /// service runtime plugin names its config layer after `service` (when given).
    fn generated_crate(self, name: &str, service: Option<&str>) -> Self {
        self.generated_crate_at(&format!("crates/{name}"), name, service)
    }

    /// A generated crate named `name` in the member directory `member`.
    fn generated_crate_at(mut self, member: &str, name: &str, service: Option<&str>) -> Self {
        let dir = self.root().join(member);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.1\"\nedition = \"2021\"\n\n\
                 [package.metadata.smithy]\ncodegen-version = \"0.1.25\"\n"
            ),
        )
        .unwrap();
        std::fs::write(dir.join("src/lib.rs"), "pub mod config;\n").unwrap();
        let config = match service {
            Some(service) => format!(
                "pub fn plugin() {{\n    let mut cfg = ::aws_smithy_types::config_bag::Layer::new(\"{service}\");\n}}\n"
            ),
            None => String::new(),
        };
        std::fs::write(dir.join("src/config.rs"), config).unwrap();
        self.members.push(member.to_owned());
        self
    }

    /// A smithy-build projection as smithy-rs's generated workspaces lay it out: the crate in
    /// `<module>/rust-client-codegen/`, the projected model in `<module>/model/model.json`.
    fn projection(mut self, module: &str, service: &str, model: &Path) -> Self {
        let crate_dir = format!("{module}/rust-client-codegen");
        self = self.generated_crate_at(&crate_dir, module, Some(service));
        let model_dir = self.root().join(module).join("model");
        std::fs::create_dir_all(&model_dir).unwrap();
        std::fs::copy(model, model_dir.join("model.json")).unwrap();
        self
    }

    /// A member that smithy-rs did not generate (no metadata table).
    fn hand_written_crate(mut self, name: &str) -> Self {
        let dir = self.root().join(name);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.0.1\"\nedition = \"2021\"\n"),
        )
        .unwrap();
        std::fs::write(dir.join("src/lib.rs"), "").unwrap();
        self.members.push(name.to_owned());
        self
    }

    /// Copies `source` into `models/` as `name`.
    fn model(self, source: &Path, name: &str) -> Self {
        let models = self.root().join("models");
        std::fs::create_dir_all(&models).unwrap();
        std::fs::copy(source, models.join(name)).unwrap();
        self
    }

    fn finish(self) -> Self {
        let members = self
            .members
            .iter()
            .map(|member| format!("\"{member}\""))
            .collect::<Vec<_>>()
            .join(", ");
        std::fs::write(
            self.root().join("Cargo.toml"),
            format!("[workspace]\nresolver = \"2\"\nmembers = [{members}]\n"),
        )
        .unwrap();
        self
    }

    fn init(&self, args: &[&str]) -> Output {
        Command::cargo_bin("cargo-snapshot")
            .unwrap()
            .current_dir(self.root())
            .env_remove("SNAPSHOT_MODELS_DIR")
            .env_remove("CARGO_SNAPSHOT_LOG")
            .env("NO_COLOR", "1")
            .arg("init")
            .args(args)
            .output()
            .unwrap()
    }

    fn config(&self) -> String {
        std::fs::read_to_string(self.root().join("snapshot.toml")).unwrap()
    }

    fn redact(&self, text: &[u8]) -> String {
        let root = self.root().canonicalize().unwrap();
        String::from_utf8(text.to_vec())
            .unwrap()
            .replace(&root.display().to_string(), "[WORKSPACE]")
            .replace(&self.root().display().to_string(), "[WORKSPACE]")
    }

    fn success(&self, args: &[&str]) -> String {
        let output = self.init(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "stderr: {}",
            self.redact(&output.stderr)
        );
        self.redact(&output.stdout)
    }

    fn usage_error(&self, args: &[&str]) -> String {
        let output = self.init(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "stdout: {}",
            self.redact(&output.stdout)
        );
        assert!(output.stdout.is_empty());
        self.redact(&output.stderr)
    }
}

fn fixture(name: &str) -> PathBuf {
    Fixtures::Models.path(name)
}

/// `aws-sdk-weather` by its package name, `legacy_client` (an arbitrary module name) by the
/// service its config names; a hand-written member is not a candidate.
fn weather_and_legacy() -> Workspace {
    Workspace::new()
        .generated_crate("aws-sdk-weather", Some("Weather"))
        .generated_crate("legacy_client", Some("Legacy"))
        .hand_written_crate("tools")
        .model(&fixture("weather.json"), "weather.json")
        .model(&fixture("legacy.json"), "legacy.json")
        .finish()
}

#[test]
fn matched_services_are_written_and_the_file_is_a_working_config() {
    let workspace = weather_and_legacy();
    insta::assert_snapshot!("matched_output", workspace.success(&[]));
    insta::assert_snapshot!("matched_config", workspace.config());

    // The other commands read the written file as it is.
    let list = Command::cargo_bin("cargo-snapshot")
        .unwrap()
        .current_dir(workspace.root())
        .env_remove("SNAPSHOT_MODELS_DIR")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(list.status.code(), Some(0), "{list:?}");
    let listed = String::from_utf8(list.stdout).unwrap();
    assert!(listed.contains("legacy_client") && listed.contains("aws-sdk-weather"));
}

#[test]
fn unmatched_services_and_crates_are_reported() {
    let workspace = Workspace::new()
        .generated_crate("aws-sdk-weather", Some("Weather"))
        .generated_crate("orphan", Some("Orphan"))
        .model(&fixture("weather.json"), "weather.json")
        .model(&models_dir().join("sts.json"), "sts.json")
        .finish();
    insta::assert_snapshot!("unmatched_output", workspace.success(&[]));
    assert!(!workspace.config().contains("sts.json"));
}

#[test]
fn an_existing_file_is_only_replaced_with_force() {
    let workspace = weather_and_legacy();
    std::fs::write(workspace.root().join("snapshot.toml"), "# mine\n").unwrap();
    insta::assert_snapshot!("existing_file", workspace.usage_error(&[]));
    assert_eq!(workspace.config(), "# mine\n", "left untouched");

    workspace.success(&["--force"]);
    assert!(workspace.config().contains("legacy_client"));
}

#[test]
fn two_models_for_one_crate_are_left_to_the_user() {
    let workspace = Workspace::new()
        .generated_crate("aws-sdk-weather", Some("Weather"))
        .generated_crate("legacy_client", Some("Legacy"))
        .model(&fixture("weather.json"), "weather-2024.json")
        .model(&fixture("weather.json"), "weather-2025.json")
        .model(&fixture("legacy.json"), "legacy.json")
        .finish();
    insta::assert_snapshot!("two_models_output", workspace.success(&[]));
    let config = workspace.config();
    assert!(!config.contains("weather-"), "{config}");
    assert!(config.contains("legacy_client"), "{config}");

    // With nothing else to write, no file is written at all.
    let only_weather = Workspace::new()
        .generated_crate("aws-sdk-weather", Some("Weather"))
        .model(&fixture("weather.json"), "weather-2024.json")
        .model(&fixture("weather.json"), "weather-2025.json")
        .finish();
    insta::assert_snapshot!("two_models_nothing_matched", only_weather.usage_error(&[]));
    assert!(!only_weather.root().join("snapshot.toml").exists());
}

#[test]
fn a_workspace_without_generated_crates_is_refused() {
    let workspace = Workspace::new()
        .hand_written_crate("tools")
        .model(&fixture("weather.json"), "weather.json")
        .finish();
    insta::assert_snapshot!("no_generated_crates", workspace.usage_error(&[]));
}

#[test]
fn models_can_be_elsewhere_and_the_config_named() {
    let workspace = Workspace::new()
        .generated_crate("aws-sdk-weather", Some("Weather"))
        .finish();
    let models = fixture("weather.json");
    let models = models.to_str().unwrap();
    let output = workspace.success(&["--models", models, "--config", "ci/snapshot.toml"]);
    assert!(
        output.contains("wrote ci/snapshot.toml: 1 service"),
        "{output}"
    );
    let config = std::fs::read_to_string(workspace.root().join("ci/snapshot.toml")).unwrap();
    let fixtures = workspace_root().join("fixtures/models");
    assert!(
        config.contains(&format!("models_dir = \"{}\"", fixtures.display())),
        "{config}"
    );
}

#[test]
fn models_beside_the_crates_in_smithy_builds_layout_need_no_flag() {
    let workspace = Workspace::new()
        .projection("weather_client", "Weather", &fixture("weather.json"))
        .projection("legacy_client", "Legacy", &fixture("legacy.json"))
        .finish();
    insta::assert_snapshot!("beside_crates_output", workspace.success(&[]));
    insta::assert_snapshot!("beside_crates_config", workspace.config());
    let list = Command::cargo_bin("cargo-snapshot")
        .unwrap()
        .current_dir(workspace.root())
        .env_remove("SNAPSHOT_MODELS_DIR")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(list.status.code(), Some(0), "{list:?}");
}

#[test]
fn no_models_anywhere_says_where_they_were_looked_for() {
    let workspace = Workspace::new()
        .generated_crate("aws-sdk-weather", Some("Weather"))
        .finish();
    insta::assert_snapshot!("no_models", workspace.usage_error(&[]));
}
