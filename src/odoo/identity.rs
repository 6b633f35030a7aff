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

/// New uuid, secret, create date and base URL (what Odoo's duplicate changes), and the
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
    transaction.commit().await.context("cannot save the new identity")?;
    read(&*client).await
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
