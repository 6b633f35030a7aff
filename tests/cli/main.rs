//! Integration tests: the real binary against a real PostgreSQL server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

mod support;

mod backup;
mod completion;
mod config;
mod connect;
mod crash;
mod delete;
mod docs;
mod duplicate;
mod errors;
mod faults;
mod info;
mod list;
mod neutralize;
mod neutralize_inventory;
mod rename;
mod restore;
mod safety;
mod secrets;
mod standin;
mod terminal;
mod upgrade;
mod upgrade_command;
mod upgrade_platform;
mod upgrade_review;
mod verify;
mod whole;
