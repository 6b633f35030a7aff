//! The PostgreSQL layer: connecting (TLS, pgpass), server-level administration, and the
//! client programs (pg_dump, pg_restore, psql).

pub mod admin;
mod connect;
pub mod load;
pub mod pgpass;
pub mod plain_dump;
pub mod prompt;
pub mod schema;
pub mod tools;

pub use connect::{
    ConnectParams, DEFAULT_CONNECT_TIMEOUT, RootCert, SslMode, connect, connect_timeout_from_secs,
    interruptible,
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

/// The hint for a cause of a failed run that is a PostgreSQL error (see `error::Explain`).
pub fn explain(cause: &(dyn std::error::Error + 'static)) -> Option<crate::error::Explained> {
    let error = cause.downcast_ref::<tokio_postgres::Error>()?;
    Some(crate::error::Explained { hint: hint_for(error) })
}

/// What to tell the user after a PostgreSQL error, by its SQLSTATE or connection failure.
pub fn hint_for(error: &tokio_postgres::Error) -> Option<String> {
    use tokio_postgres::error::SqlState;
    if let Some(code) = error.code() {
        let message = error.as_db_error().map_or("", |db| db.message());
        let hint = if message.starts_with("no pg_hba.conf entry") {
            "no line of the server's pg_hba.conf lets this host, role and database in (hostssl \
             lines need TLS, hostnossl lines plain): add one, or change --sslmode or the role"
        } else if message.contains("client certificate") {
            "give a client certificate the server trusts: PGSSLCERT and PGSSLKEY, or \
             ~/.postgresql/postgresql.crt and .key"
        } else if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            "check the role and its password: db_user/db_password in odoo.conf, PGPASSWORD or \
             ~/.pgpass (chmod 600); passwords are never taken from a flag"
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            "`odoodb list --all` shows the databases on this server"
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            "connect as a role allowed to do this (--user, db_user in odoo.conf), e.g. the owner"
        } else if *code == SqlState::OBJECT_IN_USE {
            "close the other sessions, or pass --force-disconnect"
        } else if message.contains("not currently accepting connections") {
            "the database is closed to connections (ALLOW_CONNECTIONS false); if an odoodb \
             upgrade was interrupted, `odoodb recover` opens it again"
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            "the server has no free connection slot: retry later or raise max_connections"
        } else {
            return None;
        };
        return Some(hint.to_string());
    }
    let text = error.to_string();
    if text.contains("error connecting") || text.contains("timed out") || error.is_closed() {
        return Some(
            "is PostgreSQL running and reachable there? set --host/--port, db_host/db_port in \
             odoo.conf, or PGHOST/PGPORT"
                .to_string(),
        );
    }
    None
}

/// Whether the server refused for want of a privilege (to connect, or to read a table).
pub fn is_permission_denied(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(tokio_postgres::Error::code)
            .is_some_and(|code| *code == tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    })
}

/// Whether the error is "database is being accessed by other users".
pub fn is_object_in_use(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(tokio_postgres::Error::code)
            .is_some_and(|code| *code == tokio_postgres::error::SqlState::OBJECT_IN_USE)
    })
}
