//! The `cargo-snapshot` binary; see the crate documentation and the README.

use std::process::ExitCode;

fn main() -> ExitCode {
    match cargo_snapshot::cli::run(std::env::args_os(), &mut std::io::stdout().lock()) {
        Ok(status) => status.into(),
        Err(error) => {
            cargo_snapshot::errors::report(&error);
            error.exit_status().into()
        }
    }
}
