//! Project tasks: `cargo xtask e2e` (the end-to-end corpus), `cargo xtask bench` (what
//! cargo-snapshot costs a CI run), `cargo xtask codegen` (protocol-test models from Maven),
//! and what the snapshots would catch: `cargo xtask serde-coverage` (the client's wire code
//! they execute) and `cargo xtask mutants` (the mutations of it they detect). `cargo xtask` is
//! an alias in `.cargo/config.toml`.

mod aws_corpus;
mod aws_pairing;
mod aws_run;
mod aws_summary;
mod bench;
mod client_source;
mod codegen;
mod corpus;
mod e2e;
mod llvm;
mod mutants;
mod process;
mod scratch;
mod serde_coverage;
mod table;

use clap::{Parser, Subcommand};

/// cargo-snapshot's project tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Run `cargo snapshot compare` (or `write`) over the e2e corpus, then print its coverage
    E2e(e2e::E2eArgs),
    /// Measure cold `write` against a plain `cargo build`, warm `compare`, harness time per
    /// operation and peak memory, in one run on this machine, and print a table
    Bench(bench::BenchArgs),
    /// Resolve the pinned Smithy artifacts with Maven and build one JSON AST model per
    /// protocol-test service into target/codegen/models
    Codegen(codegen::CodegenArgs),
    /// Lines and regions of each client crate's `src/protocol_serde/` (and `src/`) that the
    /// snapshot cases execute, from an instrumented `cargo snapshot write`
    SerdeCoverage(serde_coverage::SerdeCoverageArgs),
    /// Mutate a client crate's `src/protocol_serde/` with cargo-mutants and count the mutants
    /// `cargo snapshot compare` catches
    Mutants(mutants::MutantsArgs),
    /// Every AWS service model at the manifest's pinned revision, paired with its aws-sdk-*
    /// crate, as a snapshot.toml (`--run P`: and a measured, partitioned run of it)
    Corpus(aws_corpus::CorpusArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::E2e(args) => e2e::run(&args),
        Task::Bench(args) => bench::run(&args),
        Task::Codegen(args) => codegen::run(&args),
        Task::SerdeCoverage(args) => serde_coverage::run(&args),
        Task::Mutants(args) => mutants::run(&args),
        Task::Corpus(args) => aws_corpus::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}
