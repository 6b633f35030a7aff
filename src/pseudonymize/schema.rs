//! The columns a database has, with their types: rules are applied by schema, so a table or
//! column of another version (or of a module not installed) is simply skipped.

use std::collections::HashMap;

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;

/// One column's type, as the rewrite needs it.
#[derive(Debug, Clone)]
pub struct Column {
    /// `character varying`, `text`, `jsonb`, `date`, …
    pub data_type: String,
    /// A `varchar(n)`'s n.
    pub max_length: Option<i32>,
    pub nullable: bool,
}

#[derive(Debug, Default)]
pub struct Schema {
    columns: HashMap<(String, String), Column>,
}

impl Schema {
    /// The columns of `tables` (of schema public), in one catalog query.
    pub async fn load(client: &impl GenericClient, tables: &[String]) -> Result<Self> {
        let rows = client
            .query(
                "SELECT table_name::text, column_name::text, data_type::text, \
                        character_maximum_length, is_nullable = 'YES' \
                   FROM information_schema.columns \
                  WHERE table_schema = 'public' AND table_name = ANY($1)",
                &[&tables],
            )
            .await
            .context("cannot read the database's schema")?;
        let columns = rows
            .iter()
            .map(|row| {
                (
                    (row.get::<_, String>(0), row.get::<_, String>(1)),
                    Column { data_type: row.get(2), max_length: row.get(3), nullable: row.get(4) },
                )
            })
            .collect();
        Ok(Self { columns })
    }

    pub fn column(&self, table: &str, column: &str) -> Option<&Column> {
        self.columns.get(&(table.to_string(), column.to_string()))
    }

    pub fn has(&self, table: &str) -> bool {
        self.columns.keys().any(|(t, _)| t == table)
    }

    /// The tables of schema public that have a column named `column`.
    pub async fn tables_with(
        client: &impl GenericClient,
        column: &str,
    ) -> Result<Vec<(String, bool)>> {
        let rows = client
            .query(
                "SELECT c.table_name::text, c.is_nullable = 'YES' \
                   FROM information_schema.columns c \
                   JOIN information_schema.tables t \
                     ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                  WHERE c.table_schema = 'public' AND c.column_name = $1 \
                    AND t.table_type = 'BASE TABLE' \
                  ORDER BY 1",
                &[&column],
            )
            .await
            .context("cannot read the database's schema")?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }
}
