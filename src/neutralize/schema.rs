//! Which columns the tables the steps care about have in one database: steps probe this, never
//! a version string.

use std::collections::{HashMap, HashSet};

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;

use super::STEPS;

/// Which columns the tables the steps care about have in this database.
#[derive(Debug, Default)]
pub struct Schema {
    tables: HashMap<String, HashSet<String>>,
}

impl Schema {
    /// Reads the columns of every table the steps name, in one catalog query.
    pub async fn load(client: &impl GenericClient) -> Result<Self> {
        let names: Vec<&str> = STEPS.iter().flat_map(|step| step.tables.iter().copied()).collect();
        let rows = client
            .query(
                "SELECT c.relname::text, a.attname::text \
                   FROM pg_class c \
                   JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' \
                   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
                  WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1)",
                &[&names],
            )
            .await
            .context("cannot read the database's schema")?;
        let mut tables: HashMap<String, HashSet<String>> = HashMap::new();
        for row in rows {
            tables.entry(row.get(0)).or_default().insert(row.get(1));
        }
        Ok(Self { tables })
    }

    /// A schema from a literal list, for unit tests.
    #[cfg(test)]
    pub fn from_list(tables: &[(&str, &[&str])]) -> Self {
        Self {
            tables: tables
                .iter()
                .map(|(t, cols)| {
                    ((*t).to_string(), cols.iter().map(|c| (*c).to_string()).collect())
                })
                .collect(),
        }
    }

    /// A schema from owned names, for tests that build one from data.
    #[cfg(test)]
    pub fn from_owned(tables: Vec<(String, Vec<String>)>) -> Self {
        Self {
            tables: tables.into_iter().map(|(t, cols)| (t, cols.into_iter().collect())).collect(),
        }
    }

    pub fn has(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    pub fn has_column(&self, table: &str, column: &str) -> bool {
        self.tables.get(table).is_some_and(|columns| columns.contains(column))
    }

    pub fn has_columns(&self, table: &str, columns: &[&str]) -> bool {
        columns.iter().all(|column| self.has_column(table, column))
    }
}
