//! The PostgreSQL layer: connecting (parameters, TLS, pgpass, what a failure means),
//! server-level administration, and the client programs (pg_dump, pg_restore, psql).

pub mod admin;
mod connect;
mod diagnose;
pub mod dump;
pub mod load;
mod params;
pub mod pgpass;
pub mod plain_dump;
pub mod prompt;
pub mod schema;
mod tls;
pub mod tools;

pub use connect::{connect, interruptible};
pub use diagnose::{explain, is_object_in_use, is_permission_denied};
pub use params::{
    ConnectParams, DEFAULT_CONNECT_TIMEOUT, RootCert, SslMode, connect_timeout_from_secs,
};
pub use tokio_postgres::Client;

/// Quotes an identifier for DDL, which cannot take bind parameters.
pub fn quote_ident(name: &str) -> String {
    postgres_protocol::escape::escape_identifier(name)
}

/// Quotes a string literal for DDL.
pub fn quote_literal(value: &str) -> String {
    postgres_protocol::escape::escape_literal(value)
}
