//! odoodb: back up, restore, copy, rename, delete and neutralize Odoo databases.

pub mod cli;
pub mod commands;
pub mod config;
pub mod confirm;
pub mod context;
pub mod docs;
pub mod error;
pub mod fault;
pub mod filestore;
pub mod neutralize;
pub mod odoo;
pub mod output;
pub mod pg;
pub mod recovery;
pub mod secret;
pub mod sessions;
pub mod tempname;

use std::process::ExitCode;

use clap::Parser as _;

pub use cli::Cli;

use crate::error::exit;

/// Parses the command line, runs the command, and turns the outcome into an exit code.
pub fn main_entry() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    let runtime =
        match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                output::print_error(&format!("cannot start the async runtime: {error}"), None);
                return ExitCode::from(exit::FAILED);
            }
        };
    ExitCode::from(runtime.block_on(commands::run(cli)))
}
