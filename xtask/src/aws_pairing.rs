//! Pairing a model revision with the `aws-sdk-*` release generated from it.
//!
//! The SDK for Rust publishes a crate only when it changed (its model, or the code generator
//! and runtime for every crate at once), usually in the day's release around 19:00 UTC. So
//! the release closest to a model revision, without models from a later day, is the **last
//! release published no later than [`MARGIN`] after the revision's commit**: its model is
//! that revision's unless the service changed between that release and the commit.
//!
//! The rule is then checked: the crate's operation modules (`src/operation/<snake_case>/`, read
//! from the source cargo unpacks) must be the model's operations. When they are not, the next
//! [`LATER_CANDIDATES`] releases are tried in order (a service that changed just before the
//! commit appears in the next release that carries it); the first whose operations match is
//! the pair. If none matches, the rule's first candidate stays paired and the difference is
//! recorded in the manifest, where `cargo xtask corpus` and the run summary report it.
//!
//! Release times come from the crates.io sparse index (`pubtime`, which cargo also reads),
//! fetched with curl; crate sources come from `cargo fetch` of a scratch package, so they land
//! in cargo's registry cache where builds find them too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// How long after the models' commit a release may be published and still count as built
/// from them: the SDK for Rust publishes the day's models the same day.
pub const MARGIN: Duration = Duration::days(1);

/// Releases after the rule's first candidate that are tried when its operations differ.
pub const LATER_CANDIDATES: usize = 3;

/// One published, not yanked release of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Its version, without the `=`.
    pub version: String,
    /// When crates.io published it.
    pub published: OffsetDateTime,
}

impl Release {
    /// `published` as RFC 3339 (`2025-03-28T19:04:59Z`).
    pub fn published_text(&self) -> String {
        rfc3339(self.published)
    }
}

/// Operations only one side of a pair has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationDifference {
    /// Operations of the model (Smithy names) without a module in the crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_model: Vec<String>,
    /// Operation modules of the crate (snake_case) the model does not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_crate: Vec<String>,
}

impl OperationDifference {
    /// Whether both sides have the same operations.
    pub fn is_empty(&self) -> bool {
        self.only_model.is_empty() && self.only_crate.is_empty()
    }

    /// Compares the model's operations with the crate's operation modules.
    pub fn of(model_operations: &[String], crate_modules: &BTreeSet<String>) -> Self {
        let (only_model, only_crate) = pair_difference(model_operations, crate_modules);
        OperationDifference {
            only_model,
            only_crate,
        }
    }

    /// `only in the model: A, B; only in the crate: c`.
    pub fn describe(&self) -> String {
        let list = |names: &[String]| {
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        };
        format!(
            "only in the model: {}; only in the crate: {}",
            list(&self.only_model),
            list(&self.only_crate)
        )
    }
}

/// What the rule paired a model with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pairing {
    /// A release whose operations are the model's.
    Matched(Release),
    /// No candidate's operations are the model's: the rule's first candidate, and how it
    /// differs.
    Differs(Release, OperationDifference),
    /// Nothing to pair with, and why.
    Unpaired(String),
}

/// The releases the rule tries, in order: the last one published at or before
/// `reference + MARGIN`, then the next [`LATER_CANDIDATES`] after it. With none that early,
/// the first releases after the reference (the crate is newer than the models).
/// `releases` must be sorted by publication time.
pub fn candidates(releases: &[Release], reference: OffsetDateTime) -> &[Release] {
    let until = reference + MARGIN;
    let first = releases
        .iter()
        .rposition(|release| release.published <= until)
        .unwrap_or(0);
    let end = (first + 1 + LATER_CANDIDATES).min(releases.len());
    &releases[first..end]
}

/// Chooses among `candidates` (in the rule's order) by the operation check: `differences`
/// gives a candidate's difference from the model, or `None` when its source is not at hand
/// yet. Returns the pairing once it is decided, or the first candidate still to look at.
pub fn decide(
    candidates: &[Release],
    mut differences: impl FnMut(&Release) -> Option<OperationDifference>,
) -> Result<Pairing, &Release> {
    let mut first_difference = None;
    for release in candidates {
        match differences(release) {
            None => return Err(release),
            Some(difference) if difference.is_empty() => {
                return Ok(Pairing::Matched(release.clone()))
            }
            Some(difference) => {
                first_difference.get_or_insert((release.clone(), difference));
            }
        }
    }
    Ok(match first_difference {
        Some((release, difference)) => Pairing::Differs(release, difference),
        None => Pairing::Unpaired("crates.io lists no release of it".to_owned()),
    })
}

/// One model to pair: its crate and its operations.
#[derive(Debug, Clone)]
pub struct PairRequest {
    /// The client crate (`aws-sdk-sso`).
    pub crate_name: String,
    /// The model's operations (Smithy names).
    pub operations: Vec<String>,
}

/// Pairs every request with a release of its crate by the rule, fetching the sources the
/// operation check needs with cargo (in rounds, one scratch package per round under
/// `scratch`). Results are in the order of `requests`.
pub fn pair_all(
    requests: &[PairRequest],
    reference: OffsetDateTime,
    scratch: &Path,
) -> Result<Vec<Pairing>> {
    let mut releases = Vec::new();
    for request in requests {
        releases.push(crate_releases(&request.crate_name)?);
    }
    for round in 0..=LATER_CANDIDATES {
        let mut wanted = Vec::new();
        for (request, releases) in requests.iter().zip(&releases) {
            let Some(releases) = releases else { continue };
            if let Err(release) = decide(candidates(releases, reference), |release| {
                difference(request, release)
            }) {
                wanted.push((request.crate_name.as_str(), release.version.as_str()));
            }
        }
        if wanted.is_empty() {
            break;
        }
        println!(
            "pairing, round {}: fetching {} crate source(s) for the operation check",
            round + 1,
            wanted.len()
        );
        fetch_sources(&wanted, &scratch.join(format!("round-{}", round + 1)))?;
    }
    Ok(requests
        .iter()
        .zip(&releases)
        .map(|(request, releases)| match releases {
            None => Pairing::Unpaired(format!("crates.io has no crate {}", request.crate_name)),
            Some(releases) => decide(candidates(releases, reference), |release| {
                difference(request, release)
            })
            .unwrap_or_else(|release| {
                Pairing::Unpaired(format!(
                    "the source of {} {} could not be read after cargo fetched it",
                    request.crate_name, release.version
                ))
            }),
        })
        .collect())
}

fn difference(request: &PairRequest, release: &Release) -> Option<OperationDifference> {
    let source = registry_source(&request.crate_name, &release.version)?;
    let modules = crate_operation_modules(&source)?;
    Some(OperationDifference::of(&request.operations, &modules))
}

/// Makes cargo download and unpack `crates` (name, exact version) into its registry cache,
/// through a scratch package at `dir` that depends on them all.
fn fetch_sources(crates: &[(&str, &str)], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let mut manifest = String::from(
        "[package]\nname = \"aws-corpus-pairing\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[workspace]\n\n[dependencies]\n",
    );
    for (name, version) in crates {
        manifest.push_str(&format!(
            "{name} = {{ version = \"={version}\", default-features = false }}\n"
        ));
    }
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/lib.rs"), "")?;
    let output = crate::process::cargo()
        .current_dir(dir)
        .args(["fetch", "--quiet"])
        .output()
        .context("running cargo fetch")?;
    if !output.status.success() {
        bail!(
            "cargo fetch in {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// The operation modules of a crate source (`src/operation/<name>/`), for the pair check.
pub fn crate_operation_modules(crate_dir: &Path) -> Option<BTreeSet<String>> {
    let entries = std::fs::read_dir(crate_dir.join("src/operation")).ok()?;
    Some(
        entries
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_dir())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect(),
    )
}

/// The unpacked source of `crate_name` `version` in cargo's registry cache, if cargo has it.
pub fn registry_source(crate_name: &str, version: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    let wanted = format!("{crate_name}-{}", version.trim_start_matches('='));
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path().join(&wanted))
        .find(|dir| dir.is_dir())
}

/// Model operations as smithy-rs names their modules, against the crate's modules: (only in
/// the model, only in the crate).
fn pair_difference(
    model_operations: &[String],
    crate_modules: &BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    let expected: BTreeMap<String, &String> = model_operations
        .iter()
        .map(|name| (snapshot_codegen::naming::snake_case(name), name))
        .collect();
    let only_model = expected
        .iter()
        .filter(|(module, _)| !crate_modules.contains(*module))
        .map(|(_, name)| (*name).clone())
        .collect();
    let only_crate = crate_modules
        .iter()
        .filter(|module| !expected.contains_key(*module))
        .cloned()
        .collect();
    (only_model, only_crate)
}

/// One line of the crates.io sparse index.
#[derive(Debug, Deserialize)]
struct IndexLine {
    vers: String,
    #[serde(default)]
    yanked: bool,
    #[serde(default)]
    pubtime: Option<String>,
}

/// The releases of `crate_name` (not yanked, with a publication time), oldest first, from the
/// crates.io sparse index via curl; `None` when crates.io has no such crate.
pub fn crate_releases(crate_name: &str) -> Result<Option<Vec<Release>>> {
    let url = format!("https://index.crates.io/{}", index_path(crate_name));
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--fail", "--location", &url])
        .output()
        .context("running curl (is it installed?)")?;
    if output.status.code() == Some(22) {
        return Ok(None); // 404: no such crate
    }
    if !output.status.success() {
        bail!(
            "reading the index entry of {crate_name} ({url}): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(Some(parse_index(&String::from_utf8_lossy(&output.stdout))))
}

/// The index file's releases, oldest first (lines without `pubtime`, from before crates.io
/// recorded it, are left out).
fn parse_index(text: &str) -> Vec<Release> {
    let mut releases: Vec<Release> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<IndexLine>(line).ok())
        .filter(|line| !line.yanked)
        .filter_map(|line| {
            let published = OffsetDateTime::parse(line.pubtime.as_deref()?, &Rfc3339).ok()?;
            Some(Release {
                version: line.vers,
                published,
            })
        })
        .collect();
    releases.sort_by_key(|release| release.published);
    releases
}

/// The sparse index path of a crate name (cargo's layout: `1/`, `2/`, `3/x/`, `ab/cd/`).
fn index_path(name: &str) -> String {
    let lower = name.to_lowercase();
    match lower.len() {
        1 => format!("1/{lower}"),
        2 => format!("2/{lower}"),
        3 => format!("3/{}/{lower}", &lower[..1]),
        _ => format!("{}/{}/{lower}", &lower[..2], &lower[2..4]),
    }
}

/// A time as RFC 3339 in UTC (`2025-04-02T16:45:25Z`).
pub fn rfc3339(time: OffsetDateTime) -> String {
    time.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| time.unix_timestamp().to_string())
}

/// Reads an RFC 3339 time (the manifest's `committed`).
pub fn parse_rfc3339(text: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .with_context(|| format!("`{text}` is not an RFC 3339 time (2025-04-02T16:45:25Z)"))
}

/// Where the pairing's scratch packages go.
pub fn scratch_dir(out: &Path) -> PathBuf {
    out.join("pairing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(version: &str, published: &str) -> Release {
        Release {
            version: version.to_owned(),
            published: parse_rfc3339(published).unwrap(),
        }
    }

    /// aws-sdk-sso around the models' commit of 2025-04-02T16:45:25Z.
    fn sso() -> Vec<Release> {
        vec![
            release("1.62.0", "2025-03-11T21:53:35Z"),
            release("1.63.0", "2025-03-27T19:13:12Z"),
            release("1.64.0", "2025-03-28T19:04:59Z"),
            release("1.65.0", "2025-04-24T19:13:31Z"),
            release("1.66.0", "2025-04-25T19:00:00Z"),
            release("1.67.0", "2025-04-28T19:00:00Z"),
            release("1.68.0", "2025-04-29T19:00:00Z"),
        ]
    }

    #[test]
    fn the_first_candidate_is_the_last_release_up_to_a_day_after_the_commit() {
        let commit = parse_rfc3339("2025-04-02T16:45:25Z").unwrap();
        let releases = sso();
        let tried: Vec<&str> = candidates(&releases, commit)
            .iter()
            .map(|release| release.version.as_str())
            .collect();
        assert_eq!(tried, ["1.64.0", "1.65.0", "1.66.0", "1.67.0"]);

        // A release the same evening carries that day's models: it is the first candidate.
        let mut releases = sso();
        releases.insert(3, release("1.64.1", "2025-04-02T19:10:00Z"));
        assert_eq!(candidates(&releases, commit)[0].version, "1.64.1");
        // One two days later does not.
        releases[3] = release("1.64.1", "2025-04-04T19:10:00Z");
        assert_eq!(candidates(&releases, commit)[0].version, "1.64.0");
    }

    #[test]
    fn a_crate_newer_than_the_models_starts_at_its_first_release() {
        let commit = parse_rfc3339("2025-03-01T00:00:00Z").unwrap();
        let releases = sso();
        assert_eq!(candidates(&releases, commit)[0].version, "1.62.0");
        assert!(candidates(&[], commit).is_empty());
    }

    #[test]
    fn the_first_candidate_whose_operations_match_is_the_pair() {
        let commit = parse_rfc3339("2025-04-02T16:45:25Z").unwrap();
        let releases = sso();
        let model = ["GetRoleCredentials", "ListAccounts"].map(str::to_owned);
        let modules = |names: &[&str]| -> BTreeSet<String> {
            names.iter().map(|name| (*name).to_owned()).collect()
        };
        // 1.64.0 lacks ListAccounts; 1.65.0 has both.
        let pairing = decide(candidates(&releases, commit), |release| {
            Some(OperationDifference::of(
                &model,
                &match release.version.as_str() {
                    "1.64.0" => modules(&["get_role_credentials"]),
                    _ => modules(&["get_role_credentials", "list_accounts"]),
                },
            ))
        });
        assert_eq!(pairing, Ok(Pairing::Matched(releases[3].clone())));

        // No candidate matches: the first one stays, with its difference.
        let pairing = decide(candidates(&releases, commit), |_| {
            Some(OperationDifference::of(&model, &modules(&["logout"])))
        });
        let Ok(Pairing::Differs(paired, difference)) = pairing else {
            panic!("{pairing:?}");
        };
        assert_eq!(paired.version, "1.64.0");
        assert_eq!(
            difference.describe(),
            "only in the model: GetRoleCredentials, ListAccounts; only in the crate: logout"
        );

        // A candidate whose source is not at hand yet is what to fetch next.
        let pairing = decide(candidates(&releases, commit), |release| {
            (release.version == "1.64.0")
                .then(|| OperationDifference::of(&model, &modules(&["logout"])))
        });
        assert_eq!(pairing, Err(&releases[3]));
    }

    #[test]
    fn the_index_gives_releases_oldest_first_without_yanked_ones() {
        let index = [
            r#"{"name":"aws-sdk-sso","vers":"1.65.0","pubtime":"2025-04-24T19:13:31Z"}"#,
            r#"{"name":"aws-sdk-sso","vers":"1.64.0","pubtime":"2025-03-28T19:04:59Z"}"#,
            r#"{"name":"aws-sdk-sso","vers":"1.64.1","yanked":true,"pubtime":"2025-03-29T19:04:59Z"}"#,
            r#"{"name":"aws-sdk-sso","vers":"0.1.0"}"#,
        ]
        .join("\n");
        let releases = parse_index(&index);
        assert_eq!(releases, [sso()[2].clone(), sso()[3].clone()]);
        assert_eq!(releases[0].published_text(), "2025-03-28T19:04:59Z");
    }

    #[test]
    fn index_paths_follow_cargos_layout() {
        assert_eq!(index_path("aws-sdk-sts"), "aw/s-/aws-sdk-sts");
        assert_eq!(index_path("abc"), "3/a/abc");
        assert_eq!(index_path("a"), "1/a");
    }

    #[test]
    fn a_pair_differs_by_the_operations_only_one_side_has() {
        let crate_modules: BTreeSet<String> =
            ["get_role_credentials", "logout", "list_accounts_v2"]
                .map(str::to_owned)
                .into();
        let model = ["GetRoleCredentials", "Logout", "ListAccounts"].map(str::to_owned);
        let (only_model, only_crate) = pair_difference(&model, &crate_modules);
        assert_eq!(only_model, ["ListAccounts"]);
        assert_eq!(only_crate, ["list_accounts_v2"]);
    }
}
