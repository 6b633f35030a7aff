//! What a database's schema has: the same code serves every Odoo version by asking.

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;

pub async fn table_exists(client: &impl GenericClient, table: &str) -> Result<bool> {
    let row = client
        .query_one("SELECT to_regclass('public.' || quote_ident($1)) IS NOT NULL", &[&table])
        .await
        .with_context(|| format!("cannot look up table {table}"))?;
    Ok(row.get(0))
}
