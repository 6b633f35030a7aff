//! `pseudonymize --check <copy> --against <source>`: the proof. For each covered column, rows of
//! the source are compared with the same rows of the copy (by id): a value still equal is a
//! finding; so is a user whose password hash is the source's, or a credential still there. The
//! report names tables and columns, never a value.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;

use super::{Options, credentials, rewrite, schema::Schema};

/// How many rows of each column are compared (chosen at random when there are more).
pub const SAMPLE: i64 = 10_000;

#[derive(Debug, Serialize)]
pub struct Finding {
    /// `table.column`, or the credential.
    pub what: String,
    /// Rows still holding the source's value (of those compared), or credentials left.
    pub rows: u64,
}

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub copy: String,
    pub source: String,
    /// Columns compared, and rows compared in all.
    pub columns: usize,
    pub rows_compared: u64,
    pub findings: Vec<Finding>,
}

pub async fn check(
    copy: &impl GenericClient,
    source: &impl GenericClient,
    names: (&str, &str),
    options: &Options,
    cancel: &crate::cancel::Cancel,
) -> Result<CheckReport> {
    let tables = super::tables(options);
    let source_schema = Schema::load(source, &tables).await?;
    let copy_schema = Schema::load(copy, &tables).await?;
    let mut report = CheckReport {
        copy: names.0.to_string(),
        source: names.1.to_string(),
        columns: 0,
        rows_compared: 0,
        findings: Vec::new(),
    };
    let mut columns = rewrite::covered(&source_schema, options);
    columns.retain(|c| copy_schema.column(&c.table, &c.column).is_some());
    columns.push(rewrite::Covered {
        table: "res_users".into(),
        column: "password".into(),
        rows: "coalesce(password, '') <> ''".into(),
    });
    for covered in &columns {
        cancel.check()?;
        let (compared, same) = compare(copy, source, covered).await?;
        report.columns += 1;
        report.rows_compared += compared;
        if same > 0 {
            report.findings.push(Finding {
                what: format!("{}.{}", covered.table, covered.column),
                rows: same,
            });
        }
    }
    // Credentials the copy must not hold at all (passwords are compared above).
    for mut reset in credentials::plan(copy, &copy_schema).await? {
        if reset.what.starts_with("res_users.password") || reset.what.contains("links shared") {
            continue;
        }
        reset.count(copy).await?;
        if reset.rows > 0 {
            report.findings.push(Finding { what: reset.what.clone(), rows: reset.rows });
        }
    }
    Ok(report)
}

/// Rows compared, and rows of the copy still holding the source's value.
async fn compare(
    copy: &impl GenericClient,
    source: &impl GenericClient,
    covered: &rewrite::Covered,
) -> Result<(u64, u64)> {
    let (table, column) = (covered.table.as_str(), covered.column.as_str());
    let sample = format!(
        "SELECT id::text, \"{column}\"::text FROM \"{table}\" WHERE {} ORDER BY random() LIMIT {SAMPLE}",
        covered.rows
    );
    let rows = source
        .query(&sample, &[])
        .await
        .with_context(|| format!("cannot read {table}.{column} of the source"))?;
    if rows.is_empty() {
        return Ok((0, 0));
    }
    // A custom table's id may be a bigint: compared as text, never read as the wrong type.
    let (ids, values): (Vec<String>, Vec<String>) = rows
        .iter()
        .filter_map(|row| Some((row.try_get::<_, String>(0).ok()?, row.try_get(1).ok()?)))
        .unzip();
    let same = format!(
        "SELECT count(*) FROM \"{table}\" t \
           JOIN unnest($1::text[], $2::text[]) AS s(id, value) ON t.id = s.id::bigint \
          WHERE t.\"{column}\"::text = s.value"
    );
    let row = copy
        .query_one(&same, &[&ids, &values])
        .await
        .with_context(|| format!("cannot read {table}.{column} of the copy"))?;
    let same = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
    Ok((u64::try_from(rows.len()).unwrap_or(0), same))
}
