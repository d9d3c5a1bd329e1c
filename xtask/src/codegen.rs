//! `cargo xtask codegen`: the front half of the codegen pipeline (SPEC §12). Resolves the
//! pinned Smithy artifacts with Maven (`xtask/codegen/pom.xml`, cached in `~/.m2`), runs
//! `smithy build` with one projection per protocol-test service, and writes each service's
//! model as JSON AST to `<out>/models/<module>.json`, the layout `cargo snapshot init` reads.
//!
//! The projections name the services smithy-rs generates its own protocol-test clients from
//! (`codegen-client-test/build.gradle.kts`, with its module names), plus the AWS services whose
//! customization tests ship in the same jar and whose clients are published crates. Generating
//! the clients needs smithy-rs's codegen (`software.amazon.smithy.rust:codegen-client`), which
//! the Maven registry these machines reach does not serve (README, "Smithy artifacts on Maven
//! Central"), so this task stops at the models.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use snapshot_model::Model;

use crate::corpus::workspace_root;

/// Options of `cargo xtask codegen`.
#[derive(Debug, clap::Args)]
pub struct CodegenArgs {
    /// Output directory [default: target/codegen]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// The client a projection's model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// A client smithy-rs generates from the model, under this module (crate) name.
    Generated {
        /// smithy-rs's `module` setting, which becomes the package name.
        module: &'static str,
    },
    /// A client published on crates.io (the model only carries that service's customization
    /// tests, a few of its operations).
    Published {
        /// The crate.
        crate_name: &'static str,
    },
}

/// One service, built into its own model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projection {
    /// The service shape.
    pub service: &'static str,
    /// Its client.
    pub client: Client,
}

impl Projection {
    /// The projection's name and the model's file stem: the module name for generated
    /// clients, the crate name for published ones.
    pub fn name(&self) -> &'static str {
        match self.client {
            Client::Generated { module } => module,
            Client::Published { crate_name } => crate_name,
        }
    }
}

const fn generated(service: &'static str, module: &'static str) -> Projection {
    Projection {
        service,
        client: Client::Generated { module },
    }
}

const fn published(service: &'static str, crate_name: &'static str) -> Projection {
    Projection {
        service,
        client: Client::Published { crate_name },
    }
}

/// Every projection: one service per protocol (restXml also with a namespace, awsJson1_0 and
/// rpcv2Cbor also query-compatible), then the AWS customization tests.
pub const PROJECTIONS: &[Projection] = &[
    generated("aws.protocoltests.restjson#RestJson", "rest_json"),
    generated("aws.protocoltests.restxml#RestXml", "rest_xml"),
    generated(
        "aws.protocoltests.restxml.xmlns#RestXmlWithNamespace",
        "rest_xml_namespace",
    ),
    generated("aws.protocoltests.query#AwsQuery", "aws_query"),
    generated("aws.protocoltests.ec2#AwsEc2", "ec2_query"),
    generated("aws.protocoltests.json10#JsonRpc10", "json_rpc10"),
    generated(
        "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
        "json_rpc10_query_compatible",
    ),
    generated("aws.protocoltests.json#JsonProtocol", "json_rpc11"),
    generated("smithy.protocoltests.rpcv2Cbor#RpcV2Protocol", "rpcv2Cbor"),
    generated(
        "aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol",
        "rpcv2cbor_query_compatible",
    ),
    generated(
        "aws.protocoltests.rpcv2cbor#NonQueryCompatibleRpcV2Protocol",
        "rpcv2cbor_non_query_compatible",
    ),
    published("com.amazonaws.s3#AmazonS3", "aws-sdk-s3"),
    published("com.amazonaws.glacier#Glacier", "aws-sdk-glacier"),
    published(
        "com.amazonaws.apigateway#BackplaneControlService",
        "aws-sdk-apigateway",
    ),
    published(
        "com.amazonaws.machinelearning#AmazonML_20141212",
        "aws-sdk-machinelearning",
    ),
];

/// Where a projection's model goes: `models/` for generated clients (what `init` reads),
/// `customizations/` for published ones.
pub fn model_path(out: &Path, projection: &Projection) -> PathBuf {
    let dir = match projection.client {
        Client::Generated { .. } => "models",
        Client::Published { .. } => "customizations",
    };
    out.join(dir).join(format!("{}.json", projection.name()))
}

/// Runs the task.
pub fn run(args: &CodegenArgs) -> Result<ExitCode> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| workspace_root().join("target").join("codegen"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let out = out.canonicalize()?;
    resolve(&out)?;
    let config = out.join("smithy-build.json");
    std::fs::write(&config, smithy_build_json(PROJECTIONS)?)
        .with_context(|| format!("writing {}", config.display()))?;
    smithy_build(&out, &config)?;
    println!(
        "{:<44} {:<60} {:<10} {:>10}  CLIENT",
        "MODEL", "SERVICE", "PROTOCOL", "OPERATIONS"
    );
    for projection in PROJECTIONS {
        let built = out
            .join("build")
            .join(projection.name())
            .join("model")
            .join("model.json");
        let target = model_path(&out, projection);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(&built, &target).with_context(|| {
            format!(
                "smithy build wrote no model for {} (expected {})",
                projection.service,
                built.display()
            )
        })?;
        // Our own loader must accept what smithy-build wrote.
        let model = Model::load(&target)?;
        let index = model.service_index(Some(projection.service))?;
        let client = match projection.client {
            Client::Generated { module } => format!("{module} (smithy-rs codegen)"),
            Client::Published { crate_name } => format!("{crate_name} (crates.io)"),
        };
        println!(
            "{:<44} {:<60} {:<10} {:>10}  {client}",
            target.strip_prefix(&out).unwrap_or(&target).display(),
            projection.service,
            index.protocol().name(),
            index.operations().len(),
        );
    }
    println!("\nmodels written to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// Copies the Smithy CLI and the model jars the pom pins into `<out>/cli` and
/// `<out>/models-jars`.
fn resolve(out: &Path) -> Result<()> {
    let pom = workspace_root()
        .join("xtask")
        .join("codegen")
        .join("pom.xml");
    let mut command = Command::new("mvn");
    command
        .args(["-B", "-q", "-Dstyle.color=never", "-f"])
        .arg(&pom)
        .args([
            "dependency:copy-dependencies@cli",
            "dependency:copy-dependencies@models",
        ])
        .arg(format!("-Dcodegen.out={}", out.display()));
    run_tool(
        &mut command,
        "mvn",
        "install Maven 3 (`apt-get install maven`) and Java 17",
    )
    .with_context(|| format!("resolving the Smithy artifacts pinned in {}", pom.display()))
}

/// Runs `smithy build` over the model jars with `config`.
fn smithy_build(out: &Path, config: &Path) -> Result<()> {
    let mut jars: Vec<PathBuf> = std::fs::read_dir(out.join("models-jars"))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()?;
    jars.sort();
    let classpath = out.join("cli").join("*");
    let mut command = Command::new("java");
    command
        .arg("-cp")
        .arg(classpath)
        .arg("software.amazon.smithy.cli.SmithyCli")
        .args(["build", "--quiet", "--config"])
        .arg(config)
        .arg("--output")
        .arg(out.join("build"))
        .args(&jars);
    run_tool(
        &mut command,
        "java",
        "install Java 17 (`apt-get install openjdk-17-jre-headless`)",
    )
    .context("running smithy build over the protocol-test models")
}

/// Runs a tool quietly; its output is shown only when it fails.
fn run_tool(command: &mut Command, name: &str, fix: &str) -> Result<()> {
    let output = match command.output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            bail!("`{name}` is not installed; {fix}")
        }
        Err(error) => return Err(error).with_context(|| format!("starting `{name}`")),
    };
    if !output.status.success() {
        bail!(
            "`{name}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// `smithy-build.json`: per projection, keep one service and what it uses, and write the
/// result with the `model` plugin (JSON AST).
#[derive(Serialize)]
struct SmithyBuild {
    version: &'static str,
    projections: std::collections::BTreeMap<&'static str, ProjectionConfig>,
}

#[derive(Serialize)]
struct ProjectionConfig {
    transforms: Vec<Transform>,
    plugins: std::collections::BTreeMap<&'static str, serde_json::Value>,
}

#[derive(Serialize)]
struct Transform {
    name: &'static str,
    args: serde_json::Value,
}

fn smithy_build_json(projections: &[Projection]) -> Result<String> {
    let config = SmithyBuild {
        version: "1.0",
        projections: projections
            .iter()
            .map(|projection| {
                let config = ProjectionConfig {
                    transforms: vec![
                        Transform {
                            name: "includeServices",
                            args: serde_json::json!({ "services": [projection.service] }),
                        },
                        Transform {
                            name: "removeUnusedShapes",
                            args: serde_json::json!({}),
                        },
                    ],
                    plugins: [("model", serde_json::json!({}))].into_iter().collect(),
                };
                (projection.name(), config)
            })
            .collect(),
    };
    Ok(serde_json::to_string_pretty(&config)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smithy_build_keeps_one_service_per_uniquely_named_projection() {
        let names: std::collections::BTreeSet<&str> =
            PROJECTIONS.iter().map(Projection::name).collect();
        assert_eq!(names.len(), PROJECTIONS.len());
        let json: serde_json::Value =
            serde_json::from_str(&smithy_build_json(PROJECTIONS).unwrap()).unwrap();
        let projection = &json["projections"]["ec2_query"];
        assert_eq!(
            projection["transforms"][0]["args"]["services"][0],
            "aws.protocoltests.ec2#AwsEc2"
        );
        assert!(projection["plugins"]["model"].is_object());
        assert_eq!(
            model_path(Path::new("/o"), &PROJECTIONS[0]),
            Path::new("/o/models/rest_json.json")
        );
    }
}
