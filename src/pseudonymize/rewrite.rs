//! The rules made into statements: one UPDATE per table, every covered column of a row
//! rewritten in the same pass (the physical floor: each table rewritten once).

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;

use super::Options;
use super::profile::Choice;
use super::rules::{Keep, RULES, Rule};
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

/// One table's columns to rewrite, the built-in rules and the profile's merged.
#[derive(Debug)]
pub struct Spec {
    pub table: String,
    pub columns: Vec<(String, Kind)>,
    pub keep: Keep,
}

/// The built-in rules with the profile's columns: a kept column leaves its rule, a named one
/// takes the profile's shape, a custom one joins its table's rule (and its kept rows) or makes
/// a rule of its own.
pub fn specs(options: &Options) -> Vec<Spec> {
    let profile = &options.profile;
    let mut specs: Vec<Spec> = RULES
        .iter()
        .map(|rule: &Rule| Spec {
            table: rule.table.to_string(),
            columns: rule
                .columns
                .iter()
                .filter_map(|&(column, kind)| match profile.choice(rule.table, column) {
                    Some(Choice::Keep) => None,
                    Some(Choice::Rewrite(chosen)) => Some((column.to_string(), chosen)),
                    None => Some((column.to_string(), kind)),
                })
                .collect(),
            keep: rule.keep,
        })
        .collect();
    for (table, column, choice) in &profile.columns {
        let Choice::Rewrite(kind) = *choice else { continue };
        if specs.iter().any(|s| &s.table == table && s.columns.iter().any(|(c, _)| c == column)) {
            continue;
        }
        match specs.iter_mut().find(|s| &s.table == table && s.keep != Keep::SiteAttachments) {
            Some(spec) => spec.columns.push((column.clone(), kind)),
            None => specs.push(Spec {
                table: table.clone(),
                columns: vec![(column.clone(), kind)],
                keep: Keep::Nothing,
            }),
        }
    }
    specs
}

/// The statements of the rules for this database; the tables (and the profile's columns) it
/// lacks are returned apart. A profile's column whose type cannot take the shape asked is an
/// error: the user asked for it.
pub fn rewrites(schema: &Schema, options: &Options) -> Result<(Vec<Rewrite>, Vec<String>)> {
    for (table, column, choice) in &options.profile.columns {
        let (Choice::Rewrite(kind), Some(found)) = (*choice, schema.column(table, column)) else {
            continue;
        };
        if value_sql(kind, found, column).is_none() {
            return Err(crate::error::usage_error(
                format!(
                    "the profile's column {table}.{column} is of type {}{}: it cannot take that shape",
                    found.data_type,
                    if found.nullable { "" } else { " NOT NULL" }
                ),
                "give it \"clear\" (a nullable column), \"keep\", or a text column's shape",
            ));
        }
    }
    let mut planned = Vec::new();
    let mut absent = Vec::new();
    for spec in specs(options) {
        if !schema.has(&spec.table) {
            if !absent.contains(&spec.table) {
                absent.push(spec.table.clone());
            }
            continue;
        }
        if let Some(rewrite) = rewrite(schema, &spec, options) {
            planned.push(rewrite);
        }
    }
    for (table, column, _) in &options.profile.columns {
        if schema.has(table) && schema.column(table, column).is_none() {
            absent.push(format!("{table}.{column}"));
        }
    }
    Ok((planned, absent))
}

/// The SQL of `kind`'s pseudonym for `column`, or `None` where its type cannot take that shape
/// (a number, a key, a structure: only clearing applies).
fn value_sql(kind: Kind, column: &super::schema::Column, quoted: &str) -> Option<String> {
    let text = matches!(column.data_type.as_str(), "character varying" | "text" | "character");
    Some(match column.data_type.as_str() {
        // Cleared: NULL where allowed, else an empty text.
        _ if kind == Kind::Clear => match (column.nullable, text) {
            (true, _) => "NULL".to_string(),
            (false, true) => "''".to_string(),
            (false, false) => return None,
        },
        // A translatable text: one value, in the language Odoo falls back to.
        "jsonb" if matches!(kind, Kind::Text | Kind::Html | Kind::Person | Kind::Company) => {
            format!(
                "CASE WHEN {quoted} IS NULL THEN NULL ELSE jsonb_build_object('en_US', {}) END",
                expression(kind, &format!("({quoted}::text)"))
            )
        }
        "date" if kind == Kind::Date => expression(kind, quoted),
        _ if text => {
            let shaped = expression(kind, quoted);
            match column.max_length {
                Some(limit) => format!("left({shaped}, {limit})"),
                None => shaped,
            }
        }
        _ => return None,
    })
}

fn rewrite(schema: &Schema, rule: &Spec, options: &Options) -> Option<Rewrite> {
    let mut sets = Vec::new();
    let mut present = Vec::new();
    let mut columns = Vec::new();
    for (name, kind) in &rule.columns {
        let (name, kind) = (name.as_str(), *kind);
        let Some(column) = schema.column(&rule.table, name) else { continue };
        let kind = match kind {
            Kind::Partner if schema.column(&rule.table, "is_company").is_none() => Kind::Person,
            other => other,
        };
        let quoted = format!("\"{name}\"");
        let Some(value) = value_sql(kind, column, &quoted) else { continue };
        // The administrator keeps its login (not its row: its signature names a person).
        let value = if options.keep_admin && rule.table == "res_users" && name == "login" {
            format!("CASE WHEN {ADMIN_SQL} THEN {quoted} ELSE {value} END")
        } else {
            value
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
    if rule.table == "res_partner" {
        sets.extend(derived_in_the_same_pass(schema, rule));
    }
    let keep = keep_sql(schema, rule, options);
    let rows_sql = format!("NOT ({keep}) AND ({})", present.join(" OR "));
    Some(Rewrite { table: rule.table.clone(), columns, rows: 0, set: sets.join(", "), rows_sql })
}

/// A partner's shown name and commercial company name, where they come from its own row alone
/// (no parent, its own commercial partner), set in the rewrite's own pass: on a large table a
/// second pass over every row would cost as much again. `derived` does the rest.
fn derived_in_the_same_pass(schema: &Schema, rule: &Spec) -> Vec<String> {
    let has = |column: &str| schema.column("res_partner", column).is_some();
    let shape = |column: &str| {
        rule.columns.iter().find(|(c, _)| c == column).map_or_else(
            || format!("\"{column}\""),
            |(_, kind)| {
                let kind =
                    if *kind == Kind::Partner && !has("is_company") { Kind::Person } else { *kind };
                expression(kind, &format!("\"{column}\""))
            },
        )
    };
    let mut sets = Vec::new();
    if !has("parent_id") || !has("company_name") || !has("is_company") {
        return sets;
    }
    let name = shape("name");
    for shown in ["complete_name", "display_name"].into_iter().filter(|c| has(c)) {
        sets.push(format!(
            "\"{shown}\" = CASE WHEN parent_id IS NULL AND coalesce(company_name, '') = '' \
             AND coalesce(name, '') <> '' THEN {name} ELSE \"{shown}\" END"
        ));
    }
    if has("commercial_company_name") && has("commercial_partner_id") {
        let company = shape("company_name");
        sets.push(format!(
            "commercial_company_name = CASE WHEN commercial_partner_id = id \
             THEN (CASE WHEN is_company THEN {name} ELSE {company} END) ELSE commercial_company_name END"
        ));
    }
    sets
}

/// The SQL condition of the rows `rule` leaves as they are.
fn keep_sql(schema: &Schema, rule: &Spec, options: &Options) -> String {
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
            // (`--keep-admin` keeps the administrator's login only: see `rewrite`.)
            "login IN ('__system__', 'default', 'portaltemplate', 'public')".to_string()
        }
        Keep::SiteAttachments => super::rules::site_attachments_sql(),
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
        self.rows = client.execute(&sql, &[]).await.map_err(|error| {
            // The server's DETAIL may quote the row (values not yet rewritten): never shown.
            let why = error.as_db_error().map_or_else(
                || "the connection failed".to_string(),
                |db| match db.constraint() {
                    Some(constraint) => format!("{} ({constraint})", db.message()),
                    None => db.message().to_string(),
                },
            );
            anyhow::anyhow!("cannot pseudonymize {}: {why}", self.table)
        })?;
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
    pub table: String,
    pub column: String,
    /// SQL condition of the rows pseudonymized (not kept, value present).
    pub rows: String,
}

/// Every column the rules rewrite in this database (cleared ones included).
pub fn covered(schema: &Schema, options: &Options) -> Vec<Covered> {
    let mut covered = Vec::new();
    for spec in specs(options).iter().filter(|spec| schema.has(&spec.table)) {
        let keep = keep_sql(schema, spec, options);
        for (column, kind) in &spec.columns {
            let Some(found) = schema.column(&spec.table, column) else { continue };
            if value_sql(*kind, found, column).is_none() {
                continue;
            }
            let present = match found.data_type.as_str() {
                "character varying" | "text" | "character" => {
                    format!("\"{column}\" IS NOT NULL AND \"{column}\"::text <> ''")
                }
                _ => format!("\"{column}\" IS NOT NULL"),
            };
            let admin = if options.keep_admin && spec.table == "res_users" && column == "login" {
                format!(" AND NOT ({ADMIN_SQL})")
            } else {
                String::new()
            };
            covered.push(Covered {
                table: spec.table.clone(),
                column: column.clone(),
                rows: format!("NOT ({keep}) AND {present}{admin}"),
            });
        }
        // The name Odoo shows, made again from the pseudonyms (a nameless address keeps its
        // company's name and its label, which may be the company's own).
        if spec.table == "res_partner" {
            for derived in ["complete_name", "display_name"] {
                if schema.column("res_partner", derived).is_some() {
                    covered.push(Covered {
                        table: spec.table.clone(),
                        column: derived.to_string(),
                        rows: format!(
                            "NOT ({keep}) AND {derived} IS NOT NULL AND coalesce(name, '') <> ''"
                        ),
                    });
                }
            }
        }
    }
    covered
}
