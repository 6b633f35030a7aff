//! A copy's own identity. Odoo's servers (and the upgrade platform, IAP, the mobile apps) tell
//! databases apart by `database.uuid`; a copy that keeps it poses as production. This is the one
//! place that writes a copy's identity: duplicate and restore-as-copy call it, and neutralize's
//! identity step recognises what it wrote by the marker.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::Client;

use super::{
    PARAM_BASE_URL, PARAM_CREATE_DATE, PARAM_ENTERPRISE_CODE, PARAM_NEUTRALIZED_UUID, PARAM_SECRET,
    PARAM_UUID, delete_param, param, set_param,
};

#[derive(Debug, Clone, Serialize)]
pub struct NewIdentity {
    pub uuid: String,
    pub create_date: String,
    pub base_url: String,
    /// Whether `database.enterprise_code` is still there (only with --keep-enterprise-code).
    pub enterprise_code_kept: bool,
}

/// What a copy gets besides a new uuid, secret and create date.
#[derive(Debug, Clone)]
pub struct Options {
    pub keep_enterprise_code: bool,
    /// `web.base.url` of the copy, as Odoo's own duplicate sets it (`http://localhost:<port>`).
    pub base_url: String,
    /// Records the new uuid as odoodb's own, so neutralizing the copy keeps it.
    pub mark_regenerated: bool,
}

/// `http://localhost:<http_port>`, Odoo's default for a copy's base URL.
pub fn local_base_url(http_port: u16) -> String {
    format!("http://localhost:{http_port}")
}

/// New uuid, secret, create date and base URL (what Odoo's duplicate changes), the Odoo.com
/// sign-in provider's client id set to the new uuid (when auth_oauth is installed), and the
/// enterprise code removed unless asked to keep it; all in one transaction.
pub async fn renew(client: &mut Client, options: &Options) -> Result<NewIdentity> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let secret = uuid::Uuid::new_v4().to_string();
    let create_date = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let transaction = client.transaction().await.context("cannot start a transaction")?;
    set_param(&transaction, PARAM_UUID, &uuid).await?;
    set_param(&transaction, PARAM_SECRET, &secret).await?;
    set_param(&transaction, PARAM_CREATE_DATE, &create_date).await?;
    set_param(&transaction, PARAM_BASE_URL, &options.base_url).await?;
    if options.mark_regenerated {
        set_param(&transaction, PARAM_NEUTRALIZED_UUID, &uuid).await?;
    }
    if !options.keep_enterprise_code {
        delete_param(&transaction, PARAM_ENTERPRISE_CODE).await?;
    }
    if has_odoo_com_provider_table(&transaction).await? {
        transaction
            .execute(
                &format!(
                    "UPDATE {OAUTH_TABLE} SET client_id = $1::text \
                      WHERE {ODOO_COM_PROVIDER} AND client_id IS DISTINCT FROM $1::text"
                ),
                &[&uuid],
            )
            .await
            .context("cannot give the Odoo.com sign-in provider the new uuid")?;
    }
    transaction.commit().await.context("cannot save the new identity")?;
    read(&*client).await
}

/// The table of OAuth sign-in providers (module auth_oauth).
pub const OAUTH_TABLE: &str = "auth_oauth_provider";

/// The columns the Odoo.com provider is recognised and renewed by.
pub const OAUTH_COLUMNS: [&str; 3] = ["client_id", "auth_endpoint", "validation_endpoint"];

/// The Odoo.com sign-in provider, as a condition on `auth_oauth_provider`: its endpoints are on
/// odoo.com. Its client id *is* the database uuid, so a copy gets the new one, as Odoo's own
/// copy does; with production's, the copy still identifies as production to odoo.com.
pub const ODOO_COM_PROVIDER: &str = "(auth_endpoint ~* '^https?://([a-z0-9-]+[.])*odoo[.]com(:[0-9]+)?(/|$)' \
     OR validation_endpoint ~* '^https?://([a-z0-9-]+[.])*odoo[.]com(:[0-9]+)?(/|$)')";

/// Whether the database has the providers' table with the columns renewing needs.
async fn has_odoo_com_provider_table(client: &impl tokio_postgres::GenericClient) -> Result<bool> {
    let row = client
        .query_one(
            "SELECT count(*) FROM pg_attribute a \
               JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p') \
               JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' \
              WHERE c.relname = $1 AND a.attname = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped",
            &[&OAUTH_TABLE, &OAUTH_COLUMNS.as_slice()],
        )
        .await
        .context("cannot read the database's schema")?;
    Ok(row.get::<_, i64>(0) == i64::try_from(OAUTH_COLUMNS.len()).unwrap_or(i64::MAX))
}

/// The identity a database has now: what a report must show, whoever wrote it last.
pub async fn read(client: &impl tokio_postgres::GenericClient) -> Result<NewIdentity> {
    Ok(NewIdentity {
        uuid: param(client, PARAM_UUID).await?.unwrap_or_default(),
        create_date: param(client, PARAM_CREATE_DATE).await?.unwrap_or_default(),
        base_url: param(client, PARAM_BASE_URL).await?.unwrap_or_default(),
        enterprise_code_kept: param(client, PARAM_ENTERPRISE_CODE).await?.is_some(),
    })
}
