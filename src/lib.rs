//! odoodb: back up, restore, copy, rename, delete and neutralize Odoo databases.
//!
//! A binary first: the library exists so that the tests reach the command-line definition, the
//! generated documentation and the upgrade platform's client (driven against a stand-in).
//! Everything else is private, so dead code shows.

mod app;
mod archive;
mod backup;
mod cancel;
pub mod cli;
mod commands;
mod completion;
mod config;
mod confirm;
mod context;
mod copy;
pub mod docs;
mod duration;
mod error;
mod fault;
mod filestore;
mod locked_file;
mod neutralize;
mod objects;
mod odoo;
mod output;
mod pg;
mod pseudonymize;
mod restore;
mod run_files;
mod safe;
mod secret;
mod sessions;
pub mod upgrade;
mod wiring;

pub use app::main_entry;
pub use cli::Cli;
