//! An action: one table's worth of change, as a count of the rows still live and the statements
//! that switch them off.

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use crate::pg::quote_ident;

/// One unit of change: a count of the live rows and the statements that switch them off.
#[derive(Debug, Clone)]
pub struct Action {
    /// What is live, in words: "active crons other than base.autovacuum_job".
    pub what: String,
    pub table: String,
    /// `SELECT count(*) …`: the rows the statements would change.
    pub live_sql: String,
    /// Statements run in order; `changed` is then the live rows they made neutral.
    pub apply_sql: Vec<String>,
    /// Text bind parameters shared by `live_sql` and every statement (`$1`, `$2`…).
    pub params: Vec<String>,
    /// Whether a live row is a finding for `--check`: true for everything a step would change
    /// (`--check` is exhaustive), false only where the content cannot tell (see `identity`).
    pub finding: bool,
    /// `SELECT name …`: what the live rows are called, one row each, for a plan and a finding
    /// that must name them (`unknown-secrets`: the keys, never their values).
    pub names_sql: Option<String>,
}

impl Action {
    /// `UPDATE table SET set WHERE live`, counting the rows matching `live`.
    pub fn update(what: &str, table: &str, set: &str, live: &str) -> Self {
        let quoted = quote_ident(table);
        Self {
            what: what.to_string(),
            table: table.to_string(),
            live_sql: format!("SELECT count(*) FROM {quoted} WHERE {live}"),
            apply_sql: vec![format!("UPDATE {quoted} SET {set} WHERE {live}")],
            params: Vec::new(),
            finding: true,
            names_sql: None,
        }
    }

    /// Sets `column` to the SQL expression `value` where it differs.
    pub fn set_column(what: &str, table: &str, column: &str, value: &str) -> Self {
        let column = quote_ident(column);
        Self::update(
            what,
            table,
            &format!("{column} = {value}"),
            &format!("{column} IS DISTINCT FROM {value}"),
        )
    }

    /// Deletes the rows matching `live`.
    pub fn delete(what: &str, table: &str, live: &str) -> Self {
        let quoted = quote_ident(table);
        Self {
            what: what.to_string(),
            table: table.to_string(),
            live_sql: format!("SELECT count(*) FROM {quoted} WHERE {live}"),
            apply_sql: vec![format!("DELETE FROM {quoted} WHERE {live}")],
            params: Vec::new(),
            finding: true,
            names_sql: None,
        }
    }

    /// Makes a live row a finding of `--check`.
    #[must_use]
    pub fn finding(mut self) -> Self {
        self.finding = true;
        self
    }

    #[must_use]
    pub fn with_params(mut self, params: Vec<String>) -> Self {
        self.params = params;
        self
    }

    pub(super) async fn count(&self, client: &impl GenericClient) -> Result<i64> {
        let params = self.bind(&self.live_sql);
        let row = client
            .query_one(self.live_sql.as_str(), &params)
            .await
            .with_context(|| format!("cannot count {}", self.what))?;
        Ok(row.get(0))
    }

    /// The names of the live rows (empty without `names_sql`).
    pub(super) async fn names(&self, client: &impl GenericClient) -> Result<Vec<String>> {
        let Some(sql) = &self.names_sql else {
            return Ok(Vec::new());
        };
        let rows = client
            .query(sql.as_str(), &self.bind(sql))
            .await
            .with_context(|| format!("cannot list {}", self.what))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    pub(super) async fn apply(&self, client: &impl GenericClient) -> Result<()> {
        for statement in &self.apply_sql {
            client
                .execute(statement.as_str(), &self.bind(statement))
                .await
                .with_context(|| format!("cannot neutralize {}", self.what))?;
        }
        Ok(())
    }

    /// The parameters `sql` uses: `$1` up to the highest it names (PostgreSQL rejects extra
    /// ones, so each statement gets the prefix it needs).
    fn bind(&self, sql: &str) -> Vec<&(dyn ToSql + Sync)> {
        let used = used_params(sql).min(self.params.len());
        self.params[..used].iter().map(|p| p as &(dyn ToSql + Sync)).collect()
    }
}

/// The highest `$n` a statement uses.
fn used_params(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let mut highest = 0;
    for (i, byte) in bytes.iter().enumerate() {
        if *byte == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>() {
                highest = highest.max(n);
            }
        }
    }
    highest
}

#[cfg(test)]
mod tests {
    use super::used_params;

    #[test]
    fn counts_parameters() {
        assert_eq!(used_params("SELECT 1"), 0);
        assert_eq!(used_params("WHERE key = $1 AND value = $2"), 2);
        assert_eq!(used_params("$10 $2"), 10);
    }
}
