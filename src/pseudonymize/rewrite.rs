//! The rules made into statements: one UPDATE per table, every covered column of a row
//! rewritten in the same pass (the physical floor: each table rewritten once).

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;

use super::Options;
use super::rules::{Keep, PEOPLE_MODELS, RULES, Rule};
use super::schema::Schema;
use super::shapes::{Kind, expression};

/// What a rule does in one database.
#[derive(Debug, Clone, Serialize)]
pub struct Rewrite {
    pub table: String,
    /// The columns rewritten (those the table has).
    pub columns: Vec<String>,
    /// Rows to change (the plan), then rows changed.
    pub rows: u64,
    #[serde(skip)]
    set: String,
    #[serde(skip)]
    rows_sql: String,
}

/// The statements of the rules for this database; the tables it lacks are returned apart.
pub fn rewrites(schema: &Schema, options: &Options) -> (Vec<Rewrite>, Vec<String>) {
    let mut planned = Vec::new();
    let mut absent = Vec::new();
    for rule in RULES {
        if !schema.has(rule.table) {
            if !absent.iter().any(|t| t == rule.table) {
                absent.push(rule.table.to_string());
            }
            continue;
        }
        if let Some(rewrite) = rewrite(schema, rule, options) {
            planned.push(rewrite);
        }
    }
    (planned, absent)
}

fn rewrite(schema: &Schema, rule: &Rule, options: &Options) -> Option<Rewrite> {
    let mut sets = Vec::new();
    let mut present = Vec::new();
    let mut columns = Vec::new();
    for &(name, kind) in rule.columns {
        let Some(column) = schema.column(rule.table, name) else { continue };
        let kind = match kind {
            Kind::Partner if schema.column(rule.table, "is_company").is_none() => Kind::Person,
            other => other,
        };
        let quoted = format!("\"{name}\"");
        let value = match column.data_type.as_str() {
            // A translatable text: one value, in the language Odoo falls back to.
            "jsonb" if matches!(kind, Kind::Text | Kind::Html | Kind::Person | Kind::Company) => {
                format!(
                    "CASE WHEN {quoted} IS NULL THEN NULL ELSE jsonb_build_object('en_US', {}) END",
                    expression(kind, &quoted)
                )
            }
            "jsonb" => continue,
            "date" | "timestamp without time zone" if kind == Kind::Date => {
                expression(kind, &quoted)
            }
            "character varying" | "text" | "character" => {
                let shaped = expression(kind, &quoted);
                match column.max_length {
                    Some(limit) => format!("left({shaped}, {limit})"),
                    None => shaped,
                }
            }
            _ if kind == Kind::Clear && column.nullable => "NULL".to_string(),
            _ => continue,
        };
        sets.push(format!("{quoted} = {value}"));
        present.push(match (kind, column.data_type.as_str()) {
            (Kind::Clear | Kind::Date, _) | (_, "jsonb") => format!("{quoted} IS NOT NULL"),
            _ => format!("({quoted} IS NOT NULL AND {quoted} <> '')"),
        });
        columns.push(name.to_string());
    }
    if sets.is_empty() {
        return None;
    }
    let keep = keep_sql(schema, rule, options);
    let rows_sql = format!("NOT ({keep}) AND ({})", present.join(" OR "));
    Some(Rewrite {
        table: rule.table.to_string(),
        columns,
        rows: 0,
        set: sets.join(", "),
        rows_sql,
    })
}

/// The SQL condition of the rows `rule` leaves as they are.
fn keep_sql(schema: &Schema, rule: &Rule, options: &Options) -> String {
    match rule.keep {
        Keep::Nothing => "false".into(),
        Keep::OwnPartners => {
            let mut kept = vec![
                "id IN (SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)"
                    .to_string(),
            ];
            if options.keep_internal && schema.column("res_users", "share").is_some() {
                kept.push(
                    "id IN (SELECT partner_id FROM res_users WHERE share IS NOT TRUE AND partner_id IS NOT NULL)"
                        .into(),
                );
            }
            kept.join(" OR ")
        }
        Keep::TechnicalUsers => {
            // Odoo's own technical users name no one.
            let mut kept =
                vec!["login IN ('__system__', 'default', 'portaltemplate', 'public')".to_string()];
            if options.keep_admin {
                kept.push(ADMIN_SQL.into());
            }
            kept.join(" OR ")
        }
        Keep::NotPeoples => {
            let models =
                PEOPLE_MODELS.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", ");
            format!("res_model IS NULL OR res_model NOT IN ({models})")
        }
    }
}

/// The administrator (`base.user_admin`).
pub const ADMIN_SQL: &str = "id IN (SELECT res_id FROM ir_model_data \
     WHERE module = 'base' AND name = 'user_admin' AND model = 'res.users')";

impl Rewrite {
    pub async fn count(&mut self, client: &impl GenericClient) -> Result<()> {
        let sql = format!("SELECT count(*) FROM \"{}\" WHERE {}", self.table, self.rows_sql);
        let row = client
            .query_one(&sql, &[])
            .await
            .with_context(|| format!("cannot count the rows of {}", self.table))?;
        self.rows = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
        Ok(())
    }

    pub async fn apply(&mut self, client: &impl GenericClient) -> Result<()> {
        let sql = format!("UPDATE \"{}\" SET {} WHERE {}", self.table, self.set, self.rows_sql);
        self.rows = client
            .execute(&sql, &[])
            .await
            .with_context(|| format!("cannot pseudonymize {}", self.table))?;
        Ok(())
    }

    /// The statement, for `-vv`.
    pub fn sql(&self) -> String {
        format!("UPDATE \"{}\" SET {} WHERE {}", self.table, self.set, self.rows_sql)
    }
}

/// A covered column, for `check`: the rows whose value must have changed.
#[derive(Debug, Clone)]
pub struct Covered {
    pub table: &'static str,
    pub column: &'static str,
    /// SQL condition of the rows pseudonymized (not kept, value present).
    pub rows: String,
}

/// Every column the rules rewrite in this database (cleared ones included).
pub fn covered(schema: &Schema, options: &Options) -> Vec<Covered> {
    let mut covered = Vec::new();
    for rule in RULES.iter().filter(|rule| schema.has(rule.table)) {
        let keep = keep_sql(schema, rule, options);
        for &(column, _) in rule.columns {
            let Some(found) = schema.column(rule.table, column) else { continue };
            let present = match found.data_type.as_str() {
                "character varying" | "text" | "character" => {
                    format!("\"{column}\" IS NOT NULL AND \"{column}\"::text <> ''")
                }
                _ => format!("\"{column}\" IS NOT NULL"),
            };
            covered.push(Covered {
                table: rule.table,
                column,
                rows: format!("NOT ({keep}) AND {present}"),
            });
        }
    }
    covered
}
