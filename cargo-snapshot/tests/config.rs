//! `snapshot.toml`: parsing, defaults, path resolution, validation messages and discovery.

use std::path::{Path, PathBuf};

use cargo_snapshot::config::{Config, CrateSource, OverrideKey, OverrideValue, CONFIG_FILE_NAME};
use cargo_snapshot::errors::{ConfigError, ConfigProblem};
use snapshot_values::OverrideSource;

const PATH: &str = "/ws/snapshot.toml";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new(PATH), None)
}

fn rejected(text: &str) -> (ConfigError, String) {
    let error = parse(text).expect_err("the config should be rejected");
    let message = error.to_string();
    (error, message)
}

const FULL: &str = r#"
snapshot_dir = "out/snaps"
models_dir = "../shared/models"

[[service]]
model = "sts.json"
crate = "aws-sdk-sts"
version = "=1.124.0"

[[service]]
model = "/abs/s3.json"
crate = "aws-sdk-s3"
path = "../sdk/aws-sdk-s3"
name = "simple-storage"

[[service]]
model = "local.json"
crate = "my-client"
service_shape = "com.example#Local"

[[skip]]
service = "aws-sdk-s3"
operation = "SelectObjectContent"
reason = "needs an event-stream response"

[overrides]
ChecksumAlgorithm = "CRC64NVME"
"com.amazonaws.s3#PutObjectRequest$ChecksumAlgorithm" = "SHA256"
MaxKeys = 7
Ratio = 0.5
Enabled = true
"#;

#[test]
fn a_full_config_resolves_to_absolute_paths_and_typed_sources() {
    let config = parse(FULL).unwrap();
    assert_eq!(config.path, PathBuf::from("/ws/snapshot.toml"));
    assert_eq!(config.root, PathBuf::from("/ws"));
    assert_eq!(config.snapshot_dir, PathBuf::from("/ws/out/snaps"));
    assert_eq!(config.models_dir, PathBuf::from("/shared/models"));

    let names: Vec<&str> = config.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["sts", "simple-storage", "my-client"]);
    let sts = &config.services[0];
    assert_eq!(sts.crate_name, "aws-sdk-sts");
    assert_eq!(sts.model, PathBuf::from("/shared/models/sts.json"));
    assert_eq!(
        sts.source,
        CrateSource::Registry {
            version: "=1.124.0".into()
        }
    );
    assert_eq!(sts.service_shape, None);
    let s3 = &config.services[1];
    assert_eq!(
        s3.model,
        PathBuf::from("/abs/s3.json"),
        "absolute model paths stay as they are"
    );
    assert_eq!(
        s3.source,
        CrateSource::Path {
            path: PathBuf::from("/sdk/aws-sdk-s3")
        }
    );
    let local = &config.services[2];
    assert_eq!(local.source, CrateSource::WorkspaceMember);
    assert_eq!(
        local.service_shape.as_ref().map(|id| id.as_str()),
        Some("com.example#Local")
    );

    // The skip names the crate; it is resolved to the service name.
    assert_eq!(config.skips.len(), 1);
    assert_eq!(config.skips[0].service, "simple-storage");
    assert!(config
        .skip("simple-storage", "SelectObjectContent")
        .is_some());
    assert!(config.skip("simple-storage", "GetObject").is_none());

    let put_object = "com.amazonaws.s3#PutObjectRequest".parse().unwrap();
    let other = "com.amazonaws.s3#CopyObjectRequest".parse().unwrap();
    let value = |shape, member| {
        let found = config.overrides.lookup(shape, member)?;
        assert_eq!(found.source, OverrideSource::User, "{member}");
        Some(found.value.clone())
    };
    // An entry for exactly that member wins over one for the member name.
    assert_eq!(
        value(&put_object, "ChecksumAlgorithm"),
        Some(OverrideValue::String("SHA256".into()))
    );
    assert_eq!(
        config
            .overrides
            .lookup(&put_object, "ChecksumAlgorithm")
            .unwrap()
            .key,
        &OverrideKey::Qualified {
            shape: put_object.clone(),
            member: "ChecksumAlgorithm".into()
        }
    );
    assert_eq!(
        value(&other, "ChecksumAlgorithm"),
        Some(OverrideValue::String("CRC64NVME".into()))
    );
    assert_eq!(value(&other, "MaxKeys"), Some(OverrideValue::Integer(7)));
    assert_eq!(value(&other, "Ratio"), Some(OverrideValue::Float(0.5)));
    assert_eq!(value(&other, "Enabled"), Some(OverrideValue::Boolean(true)));
    assert_eq!(config.overrides.lookup(&other, "Missing"), None);
    // The built-in overrides stay under the configured ones.
    assert_eq!(
        config.overrides.lookup(&other, "AccountId").unwrap().source,
        OverrideSource::BuiltIn
    );
}

#[test]
fn defaults_apply_when_keys_are_absent() {
    let config = parse("").unwrap();
    assert_eq!(config.snapshot_dir, PathBuf::from("/ws/snapshots"));
    assert_eq!(config.models_dir, PathBuf::from("/ws"));
    assert!(config.services.is_empty() && config.skips.is_empty());
    assert_eq!(config.overrides, snapshot_values::Overrides::builtin());

    let config = parse("[[service]]\nmodel = \"m/a.json\"\ncrate = \"client\"\n").unwrap();
    assert_eq!(
        config.services[0].model,
        PathBuf::from("/ws/m/a.json"),
        "relative to the config dir"
    );
    assert_eq!(
        config.services[0].name, "client",
        "a crate without aws-sdk- keeps its name"
    );
}

#[test]
fn the_models_dir_override_wins() {
    let config =
        Config::parse(FULL, Path::new(PATH), Some(Path::new("/elsewhere/models"))).unwrap();
    assert_eq!(config.models_dir, PathBuf::from("/elsewhere/models"));
    assert_eq!(
        config.services[0].model,
        PathBuf::from("/elsewhere/models/sts.json")
    );
}

#[test]
fn a_typo_names_the_position_and_the_closest_key() {
    let (error, message) = rejected("snapshot_dri = \"x\"\n");
    assert!(matches!(error, ConfigError::UnknownKey { .. }));
    assert_eq!(
        message,
        "/ws/snapshot.toml:1:1: unknown key `snapshot_dri` in the top level (did you mean `snapshot_dir`?); \
         valid keys there: `snapshot_dir`, `models_dir`, `service`, `skip`, `overrides`"
    );

    let (_, message) =
        rejected("[[service]]\nmodel = \"a.json\"\ncrate = \"c\"\n  verison = \"1\"\n");
    assert!(
        message.starts_with(
            "/ws/snapshot.toml:4:3: unknown key `verison` in [[service]] (did you mean `version`?)"
        ),
        "{message}"
    );

    let (_, message) = rejected(
        "[[service]]\nmodel = \"a.json\"\ncrate = \"c\"\n[[skip]]\nservice = \"c\"\noperation = \"Op\"\nreasons = \"r\"\n",
    );
    assert!(
        message.starts_with(
            "/ws/snapshot.toml:7:1: unknown key `reasons` in [[skip]] (did you mean `reason`?)"
        ),
        "{message}"
    );

    // Nothing close: no suggestion, but the valid keys are listed.
    let (_, message) = rejected("[[skip]]\nxyz = 1\n");
    assert!(
        message.contains(
            "unknown key `xyz` in [[skip]]; valid keys there: `service`, `operation`, `reason`"
        ),
        "{message}"
    );

    // With two typos the first in the file is reported.
    let (_, message) = rejected("zzz = 1\naaa = 2\n");
    assert!(message.contains("unknown key `zzz`"), "{message}");
}

#[test]
fn syntax_and_type_errors_have_positions() {
    let (error, message) = rejected("snapshot_dir = [1\n");
    assert!(matches!(error, ConfigError::Syntax { .. }));
    assert!(message.starts_with("/ws/snapshot.toml:1:18: "), "{message}");

    let (_, message) = rejected("[[service]]\nmodel = \"a.json\"\ncrate = 5\n");
    assert!(
        message.starts_with("/ws/snapshot.toml:3:9: invalid type: integer `5`, expected a string"),
        "{message}"
    );

    let (_, message) = rejected("[[service]]\nmodel = \"a.json\"\n");
    assert!(message.contains("missing field `crate`"), "{message}");

    let (_, message) = rejected("[overrides]\nTags = [\"a\"]\n");
    assert!(message.starts_with("/ws/snapshot.toml:2:8: "), "{message}");
    assert!(
        message.contains("expected a string, integer, float or boolean"),
        "{message}"
    );

    let (_, message) = rejected("service = \"sts\"\n");
    assert!(message.contains("invalid type"), "{message}");
}

#[test]
fn rule_violations_are_explained() {
    let service = "[[service]]\nmodel = \"a.json\"\ncrate = \"aws-sdk-a\"\n";
    let cases: Vec<(String, ConfigProblem, &str)> = vec![
        (
            format!("{service}version = \"1\"\npath = \"../a\"\n"),
            ConfigProblem::VersionAndPath,
            "/ws/snapshot.toml:5:8: a [[service]] has both `version` and `path`",
        ),
        (
            format!("{service}[[skip]]\nservice = \"a\"\noperation = \"Op\"\nreason = \"  \"\n"),
            ConfigProblem::EmptyReason,
            "/ws/snapshot.toml:7:10: [[skip]] needs a non-empty `reason`",
        ),
        (
            format!("{service}[[skip]]\nservice = \"b\"\noperation = \"Op\"\nreason = \"r\"\n"),
            ConfigProblem::UnknownSkipService { service: "b".into(), suggestion: None, known: "a".into() },
            "/ws/snapshot.toml:5:11: [[skip]] names service `b`, which no [[service]] defines; use one of: a",
        ),
        (
            format!("{service}{service}"),
            ConfigProblem::Duplicate { what: "name", name: "a".into() },
            "/ws/snapshot.toml:6:9: name `a` is used by two [[service]] entries",
        ),
        (
            format!("{service}[[service]]\nmodel = \"b.json\"\ncrate = \"aws-sdk-a\"\nname = \"b\"\n"),
            ConfigProblem::Duplicate { what: "crate", name: "aws-sdk-a".into() },
            "/ws/snapshot.toml:6:9: crate `aws-sdk-a` is used by two [[service]] entries",
        ),
        (
            format!("{service}service_shape = \"Local\"\n"),
            ConfigProblem::InvalidShapeId { text: "Local".into() },
            "/ws/snapshot.toml:4:17: `Local` is not an absolute Smithy shape id",
        ),
        (
            "[overrides]\n\"a b\" = 1\n".to_owned(),
            ConfigProblem::InvalidOverrideKey { key: "a b".into() },
            "/ws/snapshot.toml:2:1: `a b` is not a valid override key",
        ),
        (
            "[overrides]\n\"ns#Shape$\" = 1\n".to_owned(),
            ConfigProblem::InvalidOverrideKey { key: "ns#Shape$".into() },
            "/ws/snapshot.toml:2:1: `ns#Shape$` is not a valid override key",
        ),
        (
            "[overrides]\nRatio = nan\n".to_owned(),
            ConfigProblem::InvalidOverrideValue {
                reason: "override `Ratio` = NaN is invalid: the float is not finite; change the value in snapshot.toml".into(),
            },
            "/ws/snapshot.toml:2:1: override `Ratio` = NaN",
        ),
        (
            "[[service]]\nmodel = \"\"\ncrate = \"c\"\n".to_owned(),
            ConfigProblem::Empty { key: "model" },
            "/ws/snapshot.toml:2:9: `model` must not be empty",
        ),
    ];
    for (text, expected_problem, expected_start) in cases {
        let (error, message) = rejected(&text);
        let ConfigError::Invalid { problem, .. } = &error else {
            panic!("{text}: expected a rule violation, got {error:?}");
        };
        assert_eq!(*problem, expected_problem, "{text}");
        assert!(
            message.starts_with(expected_start),
            "{text}\n  gave: {message}\n  expected: {expected_start}"
        );
    }
}

#[test]
fn skip_service_typos_get_a_suggestion() {
    let (_, message) = rejected(
        "[[service]]\nmodel = \"a.json\"\ncrate = \"aws-sdk-dynamodb\"\n[[skip]]\nservice = \"dynamdb\"\noperation = \"Op\"\nreason = \"r\"\n",
    );
    assert!(
        message.contains(
            "names service `dynamdb`, which no [[service]] defines (did you mean `dynamodb`?)"
        ),
        "{message}"
    );
}

#[test]
fn service_selection_by_name_or_crate() {
    let config = parse(FULL).unwrap();
    let all = config.select_services(&[]).unwrap();
    assert_eq!(all.len(), 3);
    let picked = config
        .select_services(&["aws-sdk-sts".into(), "my-client".into()])
        .unwrap();
    let names: Vec<&str> = picked.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["sts", "my-client"]);
    let error = config
        .select_services(&["stss".into()])
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "unknown service `stss` (did you mean `sts`?); /ws/snapshot.toml defines: sts, simple-storage, my-client"
    );
}

#[test]
fn load_reports_a_missing_file() {
    let error = Config::load(Path::new("/nonexistent/snapshot.toml")).unwrap_err();
    assert!(matches!(error, ConfigError::Io { .. }));
    assert!(
        error
            .to_string()
            .starts_with("cannot read `/nonexistent/snapshot.toml`: "),
        "{error}"
    );
}

#[test]
fn discovery_walks_up_to_the_workspace_root_and_stops_there() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let nested = root.join("crates/a/src");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::write(
        root.join("crates/a/Cargo.toml"),
        "[package]\nname = \"a\"\n",
    )
    .unwrap();
    // A config above the workspace root is not this workspace's.
    std::fs::write(dir.path().join(CONFIG_FILE_NAME), "").unwrap();
    assert_eq!(Config::discover(&nested), None);

    std::fs::write(root.join(CONFIG_FILE_NAME), "").unwrap();
    assert_eq!(Config::discover(&nested), Some(root.join(CONFIG_FILE_NAME)));
    // The nearest one wins.
    std::fs::write(root.join("crates/a").join(CONFIG_FILE_NAME), "").unwrap();
    assert_eq!(
        Config::discover(&nested),
        Some(root.join("crates/a").join(CONFIG_FILE_NAME))
    );
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// Arbitrary text, including multi-byte characters, is accepted or rejected, never a panic.
        #[test]
        fn arbitrary_text(text in "\\PC{0,200}") {
            let _ = Config::parse(&text, Path::new(PATH), None);
        }

        /// The full example with bytes cut out or replaced keeps giving errors with positions.
        #[test]
        fn mutated_full_config(cut in 0..FULL.len(), len in 0..40usize, insert in "[\\PC\\n]{0,8}") {
            let mut text = FULL.to_owned();
            let start = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (start + len).min(text.len());
            let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(start..end, &insert);
            if let Err(error) = Config::parse(&text, Path::new(PATH), None) {
                let message = error.to_string();
                prop_assert!(message.contains("/ws/snapshot.toml"), "{}", message);
            }
        }
    }
}
