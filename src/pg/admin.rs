//! Server-level administration: databases, their sizes and owners, and who is connected.

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio_postgres::Client;

use super::quote_ident;

/// Databases no command may ever operate on.
pub const SYSTEM_DATABASES: [&str; 3] = ["postgres", "template0", "template1"];

#[derive(Debug, Clone, Serialize)]
pub struct DatabaseRow {
    pub name: String,
    pub owner: String,
    /// `None` when the connecting role may not connect to it.
    pub size_bytes: Option<i64>,
    pub is_template: bool,
    pub allows_connections: bool,
    /// Left invalid by an interrupted DROP DATABASE: it can only be dropped.
    pub invalid: bool,
    /// Its COMMENT (odoodb marks its temporaries and kept twins with one).
    pub comment: Option<String>,
}

/// The columns of a `DatabaseRow`; a database the role may not connect to, or an invalid one,
/// is not sized.
const DATABASE_COLUMNS: &str = "datname, pg_get_userbyid(datdba), \
    CASE WHEN has_database_privilege(oid, 'CONNECT') AND datconnlimit <> -2 \
         THEN pg_database_size(oid) END, \
    datistemplate, datallowconn, datconnlimit = -2, shobj_description(oid, 'pg_database')";

impl DatabaseRow {
    fn from_row(row: &tokio_postgres::Row) -> Self {
        Self {
            name: row.get(0),
            owner: row.get(1),
            size_bytes: row.get(2),
            is_template: row.get(3),
            allows_connections: row.get(4),
            invalid: row.get(5),
            comment: row.get(6),
        }
    }
}

/// Every database on the server, system ones included, by name.
pub async fn list_databases(client: &Client) -> Result<Vec<DatabaseRow>> {
    let rows = client
        .query(&format!("SELECT {DATABASE_COLUMNS} FROM pg_database ORDER BY datname"), &[])
        .await
        .context("cannot list the databases")?;
    Ok(rows.iter().map(DatabaseRow::from_row).collect())
}

/// One database's row, if it exists (only that database is sized: sizing reads its files).
pub async fn find_database(client: &Client, name: &str) -> Result<Option<DatabaseRow>> {
    let row = client
        .query_opt(
            &format!("SELECT {DATABASE_COLUMNS} FROM pg_database WHERE datname = $1"),
            &[&name],
        )
        .await
        .context("cannot look up the database")?;
    Ok(row.as_ref().map(DatabaseRow::from_row))
}

/// Every database name on the server, without sizing anything.
pub async fn list_database_names(client: &Client) -> Result<Vec<String>> {
    let rows = client
        .query("SELECT datname::text FROM pg_database ORDER BY 1", &[])
        .await
        .context("cannot list the databases")?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// Whether a database is there, and usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatabaseState {
    Absent,
    Valid,
    /// Left by an interrupted DROP DATABASE (PostgreSQL 15+ marks it with datconnlimit -2):
    /// nobody can connect, and it can only be dropped.
    Invalid,
}

pub async fn database_state(client: &Client, name: &str) -> Result<DatabaseState> {
    let row = client
        .query_opt("SELECT datconnlimit = -2 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .context("cannot look up the database")?;
    Ok(match row.map(|row| row.get::<_, bool>(0)) {
        None => DatabaseState::Absent,
        Some(false) => DatabaseState::Valid,
        Some(true) => DatabaseState::Invalid,
    })
}

/// How often the end-sessions-then-run cycle is tried while clients keep coming back.
const ATTEMPTS: u32 = 6;

/// Runs `statement` (which needs `db` free of other sessions), ending those sessions first when
/// `end_sessions`, and again after a short wait while Odoo's workers reconnect.
pub async fn retry_in_use<F, Fut>(
    client: &Client,
    db: &str,
    end_sessions: bool,
    mut statement: F,
) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        if end_sessions {
            terminate_sessions(client, db).await?;
        }
        match statement().await {
            Err(error) if super::is_object_in_use(&error) && attempt < ATTEMPTS => {
                tokio::time::sleep(std::time::Duration::from_millis(100 * u64::from(attempt)))
                    .await;
            }
            other => return other,
        }
    }
}

pub async fn database_exists(client: &Client, name: &str) -> Result<bool> {
    let row = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .context("cannot look up the database")?;
    Ok(row.is_some())
}

#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub pid: i32,
    pub user: Option<String>,
    pub application: String,
    pub client: String,
    pub state: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

/// Who else is connected to `db` (our own session excluded).
pub async fn sessions(client: &Client, db: &str) -> Result<Vec<Session>> {
    let rows = client
        .query(
            "SELECT pid, usename::text, coalesce(application_name, ''), \
                    coalesce(host(client_addr), 'local socket'), state, backend_start \
               FROM pg_stat_activity \
              WHERE datname = $1 AND pid <> pg_backend_pid() \
                AND backend_type = 'client backend' \
              ORDER BY backend_start",
            &[&db],
        )
        .await
        .context("cannot read pg_stat_activity")?;
    Ok(rows
        .iter()
        .map(|row| Session {
            pid: row.get(0),
            user: row.get(1),
            application: row.get(2),
            client: row.get(3),
            state: row.get(4),
            since: row.get(5),
        })
        .collect())
}

/// Ends every other session on `db` that this role may end; returns how many were signalled.
/// A role that is not superuser may not end a superuser's session (an administrator's psql) nor
/// an autovacuum worker: those are skipped, not an error, so the statement that follows fails
/// as "in use" and is retried, and the sessions this role may end are ended all the same.
pub async fn terminate_sessions(client: &Client, db: &str) -> Result<u64> {
    let rows = client
        .query(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&db],
        )
        .await
        .with_context(|| format!("cannot disconnect the sessions of {db:?}"))?;
    let mut signalled = 0;
    for row in rows {
        let pid: i32 = row.get(0);
        match client.query_one("SELECT pg_terminate_backend($1)", &[&pid]).await {
            Ok(_) => signalled += 1,
            Err(error)
                if error.code()
                    == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {}
            Err(error) => {
                return Err(anyhow::Error::from(error)
                    .context(format!("cannot disconnect the sessions of {db:?}")));
            }
        }
    }
    Ok(signalled)
}

/// Who is still on `db`, one short description each (any kind of backend: an autovacuum
/// worker keeps a database busy too).
pub async fn describe_sessions(client: &Client, db: &str) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT pid, coalesce(usename::text, ''), coalesce(application_name, ''), \
                    coalesce(backend_type, '') \
               FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() \
              ORDER BY backend_start",
            &[&db],
        )
        .await
        .context("cannot read pg_stat_activity")?;
    Ok(rows
        .iter()
        .map(|row| {
            let (pid, user, application, kind): (i32, String, String, String) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let mut parts = vec![format!("pid {pid}")];
            if kind != "client backend" {
                parts.push(kind);
            }
            if !user.is_empty() {
                parts.push(format!("role {user}"));
            }
            if !application.is_empty() {
                parts.push(application);
            }
            parts.join(", ")
        })
        .collect())
}

/// `server_version_num`, e.g. 150018.
pub async fn server_version_num(client: &Client) -> Result<i32> {
    let row = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .context("cannot read the server version")?;
    Ok(row.get(0))
}

/// How PostgreSQL (15+) copies a template: WAL-logged block by block, or by files with a
/// checkpoint. Older servers only know the file copy and take no clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyStrategy {
    WalLog,
    FileCopy,
}

impl CopyStrategy {
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::WalLog => "WAL_LOG",
            Self::FileCopy => "FILE_COPY",
        }
    }
}

/// The SQL of a template copy, for running and for `--dry-run`.
pub fn create_from_template_sql(
    target: &str,
    template: &str,
    owner: &str,
    strategy: Option<CopyStrategy>,
) -> String {
    let mut sql = format!(
        "CREATE DATABASE {} WITH TEMPLATE {} OWNER {}",
        quote_ident(target),
        quote_ident(template),
        quote_ident(owner)
    );
    if let Some(strategy) = strategy {
        sql.push_str(" STRATEGY ");
        sql.push_str(strategy.as_sql());
    }
    sql
}

/// Closes a database to new connections (sessions already open stay), or opens it again.
pub fn allow_connections_sql(db: &str, allow: bool) -> String {
    format!("ALTER DATABASE {} ALLOW_CONNECTIONS {allow}", quote_ident(db))
}

pub fn rename_sql(old: &str, new: &str) -> String {
    format!("ALTER DATABASE {} RENAME TO {}", quote_ident(old), quote_ident(new))
}

/// A drop that fails when the database is not there: for `delete`, where a database that
/// vanished must not pass for one that was dropped.
pub fn drop_existing_sql(name: &str, force: bool) -> String {
    let force = if force { " WITH (FORCE)" } else { "" };
    format!("DROP DATABASE {}{force}", quote_ident(name))
}

/// `WITH (FORCE)` ends the remaining sessions atomically (PostgreSQL 13+).
pub fn drop_sql(name: &str, force: bool) -> String {
    let force = if force { " WITH (FORCE)" } else { "" };
    format!("DROP DATABASE IF EXISTS {}{force}", quote_ident(name))
}

/// The empty database as Odoo's restore creates it (odoo/service/db.py `_create_empty_database`):
/// UTF-8, collation `C` (only allowed from template0), owned by the role Odoo connects as.
pub fn create_like_odoo_sql(name: &str, owner: &str) -> String {
    format!(
        "CREATE DATABASE {} WITH OWNER {} ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE \"template0\"",
        quote_ident(name),
        quote_ident(owner)
    )
}

/// What Odoo runs in a new database before loading it: `pg_trgm`, and `unaccent` when
/// odoo.conf enables it.
pub fn odoo_extensions_sql(unaccent: bool) -> String {
    let mut sql = String::from("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
    if unaccent {
        sql.push_str(" CREATE EXTENSION IF NOT EXISTS unaccent;");
    }
    sql
}

/// Odoo 17+ grants this on every database it creates (PostgreSQL 15 took it from PUBLIC).
pub const GRANT_PUBLIC_SCHEMA_SQL: &str = "GRANT CREATE ON SCHEMA public TO PUBLIC";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_as_odoo_does() {
        assert_eq!(
            create_like_odoo_sql("a\"b", "odoo"),
            "CREATE DATABASE \"a\"\"b\" WITH OWNER \"odoo\" ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE \"template0\""
        );
        assert!(odoo_extensions_sql(true).contains("unaccent"));
        assert!(!odoo_extensions_sql(false).contains("unaccent"));
    }
}
