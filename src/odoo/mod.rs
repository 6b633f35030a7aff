//! What an Odoo database is and holds: detection, version, modules, parameters, attachments.

pub mod identity;
pub mod name;
pub mod version;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;

use crate::error::Failure;
use crate::pg::schema::table_exists;

/// Module states that count as installed (Odoo's own neutralize uses the same set).
pub const INSTALLED_STATES: [&str; 3] = ["installed", "to upgrade", "to remove"];

pub const PARAM_UUID: &str = "database.uuid";
pub const PARAM_SECRET: &str = "database.secret";
pub const PARAM_CREATE_DATE: &str = "database.create_date";
pub const PARAM_ENTERPRISE_CODE: &str = "database.enterprise_code";
pub const PARAM_NEUTRALIZED: &str = "database.is_neutralized";
pub const PARAM_BASE_URL: &str = "web.base.url";
/// odoodb's record of the uuid it gave a copy, so neutralizing it again keeps that uuid.
pub const PARAM_NEUTRALIZED_UUID: &str = "odoodb.neutralized_uuid";

/// A database is Odoo's when it has the module registry.
pub async fn is_odoo(client: &impl GenericClient) -> Result<bool> {
    table_exists(client, "ir_module_module").await
}

/// Fails with a clear message when `db` is not an Odoo database.
pub async fn require_odoo(client: &impl GenericClient, db: &str) -> Result<()> {
    if is_odoo(client).await? {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{db:?} is not an Odoo database (it has no ir_module_module table)"
        ))
        .hint("`odoodb list` shows the Odoo databases; `--all` shows the others too")
        .into())
    }
}

/// `latest_version` of module `base`, e.g. `17.0.1.3`.
pub async fn base_version(client: &impl GenericClient) -> Result<Option<String>> {
    let row = client
        .query_opt(
            "SELECT latest_version FROM ir_module_module WHERE name = 'base' AND state = ANY($1)",
            &[&&INSTALLED_STATES[..]],
        )
        .await
        .context("cannot read the version of module base")?;
    Ok(row.and_then(|row| row.get(0)))
}

/// What Odoo 17+ grants on a database it creates (`CREATE` on schema public to everyone), done
/// when the database (restored, upgraded) is at 17 or later.
pub async fn grant_like_odoo(client: &impl GenericClient) -> Result<()> {
    let series = base_version(client).await?.as_deref().and_then(version::series);
    let major = series
        .as_deref()
        .and_then(|s| s.trim_start_matches("saas~").split('.').next()?.parse::<u32>().ok());
    if major.is_some_and(|m| m >= 17) {
        client
            .batch_execute(crate::pg::admin::GRANT_PUBLIC_SCHEMA_SQL)
            .await
            .context("cannot grant CREATE on schema public, as Odoo 17+ does")?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Module {
    pub name: String,
    pub version: Option<String>,
    pub state: String,
}

pub async fn installed_modules(client: &impl GenericClient) -> Result<Vec<Module>> {
    let rows = client
        .query(
            "SELECT name, latest_version, state FROM ir_module_module \
              WHERE state = ANY($1) ORDER BY name",
            &[&&INSTALLED_STATES[..]],
        )
        .await
        .context("cannot read the installed modules")?;
    Ok(rows
        .iter()
        .map(|row| Module { name: row.get(0), version: row.get(1), state: row.get(2) })
        .collect())
}

/// The installed modules licensed as Odoo Enterprise's (OEEL-1, what every Enterprise
/// manifest says). Read through the row's JSON: a database without the column has none.
pub async fn enterprise_modules(client: &impl GenericClient) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT name::text FROM ir_module_module m \
              WHERE state = ANY($1) AND to_jsonb(m) ->> 'license' = 'OEEL-1' ORDER BY name",
            &[&&INSTALLED_STATES[..]],
        )
        .await
        .context("cannot read the modules' licenses")?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

pub async fn installed_module_count(client: &impl GenericClient) -> Result<i64> {
    let row = client
        .query_one(
            "SELECT count(*) FROM ir_module_module WHERE state = ANY($1)",
            &[&&INSTALLED_STATES[..]],
        )
        .await
        .context("cannot count the installed modules")?;
    Ok(row.get(0))
}

/// One `ir_config_parameter` value.
pub async fn param(client: &impl GenericClient, key: &str) -> Result<Option<String>> {
    if !table_exists(client, "ir_config_parameter").await? {
        return Ok(None);
    }
    let row = client
        .query_opt("SELECT value FROM ir_config_parameter WHERE key = $1", &[&key])
        .await
        .with_context(|| format!("cannot read parameter {key}"))?;
    Ok(row.map(|row| row.get(0)))
}

/// Whether `database.is_neutralized` says so (Odoo's own flag, whoever set it).
pub async fn is_neutralized(client: &impl GenericClient) -> Result<bool> {
    Ok(is_true(param(client, PARAM_NEUTRALIZED).await?.as_deref()))
}

/// Odoo stores the flag as the text `true`; anything Python would read as true counts.
pub fn is_true(value: Option<&str>) -> bool {
    value.is_some_and(|v| matches!(v.trim().to_lowercase().as_str(), "true" | "1" | "t" | "yes"))
}

/// Attachments whose bytes live in the filestore, by distinct `store_fname`.
pub async fn stored_file_names(client: &impl GenericClient) -> Result<Vec<String>> {
    if !table_exists(client, "ir_attachment").await? {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL AND store_fname <> ''",
            &[],
        )
        .await
        .context("cannot read ir_attachment")?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AttachmentCounts {
    /// Attachments whose bytes are in the filestore.
    pub in_filestore: i64,
    /// Attachments whose bytes are in the database (`db_datas`).
    pub in_database: i64,
}

pub async fn attachment_counts(client: &impl GenericClient) -> Result<AttachmentCounts> {
    if !table_exists(client, "ir_attachment").await? {
        return Ok(AttachmentCounts::default());
    }
    let row = client
        .query_one(
            "SELECT count(*) FILTER (WHERE store_fname IS NOT NULL AND store_fname <> ''), \
                    count(*) FILTER (WHERE db_datas IS NOT NULL) \
               FROM ir_attachment",
            &[],
        )
        .await
        .context("cannot count attachments")?;
    Ok(AttachmentCounts { in_filestore: row.get(0), in_database: row.get(1) })
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ActiveArchived {
    pub active: i64,
    pub archived: i64,
}

/// Active and archived rows of a table with an `active` column; `None` when the table is absent.
pub async fn active_counts(
    client: &impl GenericClient,
    table: &str,
) -> Result<Option<ActiveArchived>> {
    if !table_exists(client, table).await? {
        return Ok(None);
    }
    let row = client
        .query_one(
            &format!(
                "SELECT count(*) FILTER (WHERE active), count(*) FILTER (WHERE NOT active OR active IS NULL) FROM {}",
                crate::pg::quote_ident(table)
            ),
            &[],
        )
        .await
        .with_context(|| format!("cannot count rows of {table}"))?;
    Ok(Some(ActiveArchived { active: row.get(0), archived: row.get(1) }))
}

/// Sets an `ir_config_parameter`, inserting it when absent.
pub async fn set_param(
    client: &impl tokio_postgres::GenericClient,
    key: &str,
    value: &str,
) -> Result<()> {
    let updated = client
        .execute("UPDATE ir_config_parameter SET value = $2 WHERE key = $1", &[&key, &value])
        .await
        .with_context(|| format!("cannot set parameter {key}"))?;
    if updated == 0 {
        client
            .execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES ($1, $2)",
                &[&key, &value],
            )
            .await
            .with_context(|| format!("cannot add parameter {key}"))?;
    }
    Ok(())
}

/// Removes an `ir_config_parameter`; returns whether it was there.
pub async fn delete_param(client: &impl tokio_postgres::GenericClient, key: &str) -> Result<bool> {
    let deleted = client
        .execute("DELETE FROM ir_config_parameter WHERE key = $1", &[&key])
        .await
        .with_context(|| format!("cannot remove parameter {key}"))?;
    Ok(deleted > 0)
}
