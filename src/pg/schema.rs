//! What a database's schema has: the same code serves every Odoo version by asking.

use anyhow::{Context as _, Result};
use tokio_postgres::Client;

pub async fn table_exists(client: &Client, table: &str) -> Result<bool> {
    let row = client
        .query_one("SELECT to_regclass('public.' || quote_ident($1)) IS NOT NULL", &[&table])
        .await
        .with_context(|| format!("cannot look up table {table}"))?;
    Ok(row.get(0))
}

pub async fn column_exists(client: &Client, table: &str, column: &str) -> Result<bool> {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
              WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2)",
            &[&table, &column],
        )
        .await
        .with_context(|| format!("cannot look up column {table}.{column}"))?;
    Ok(row.get(0))
}
