//! Integration tests: the real binary against a real PostgreSQL server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

mod support;

mod backup;
mod backup_all;
mod backups;
mod completion;
mod config;
mod connect;
mod copy_identity;
mod crash;
mod delete;
mod docs;
mod duplicate;
mod encryption;
mod errors;
mod faults;
mod harness;
mod info;
mod layout;
mod list;
mod neutralize;
mod neutralize_extras;
mod neutralize_inventory;
mod objects;
mod pseudonymize;
mod pseudonymize_files;
mod quiet;
mod rename;
mod restore;
mod restore_owner;
mod retention;
mod review;
mod safety;
mod secrets;
mod snapshots;
mod space;
mod standin;
mod terminal;
mod upgrade;
mod upgrade_command;
mod upgrade_platform;
mod upgrade_review;
mod verify;
mod waits;
mod whole;
