//! A copy's own identity. Odoo's servers (and the upgrade platform, IAP, the mobile apps) tell
//! databases apart by `database.uuid`; a copy that keeps it poses as production.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::Client;

use super::{
    PARAM_CREATE_DATE, PARAM_ENTERPRISE_CODE, PARAM_SECRET, PARAM_UUID, delete_param, set_param,
};

#[derive(Debug, Clone, Serialize)]
pub struct NewIdentity {
    pub uuid: String,
    pub create_date: String,
    pub enterprise_code_removed: bool,
}

/// New uuid, secret and create date (as Odoo's duplicate does), and the enterprise code
/// removed unless asked to keep it; all in one transaction.
pub async fn renew(client: &mut Client, keep_enterprise_code: bool) -> Result<NewIdentity> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let secret = uuid::Uuid::new_v4().to_string();
    let create_date = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let transaction = client.transaction().await.context("cannot start a transaction")?;
    set_param(&transaction, PARAM_UUID, &uuid).await?;
    set_param(&transaction, PARAM_SECRET, &secret).await?;
    set_param(&transaction, PARAM_CREATE_DATE, &create_date).await?;
    let enterprise_code_removed = if keep_enterprise_code {
        false
    } else {
        delete_param(&transaction, PARAM_ENTERPRISE_CODE).await?
    };
    transaction.commit().await.context("cannot save the new identity")?;
    Ok(NewIdentity { uuid, create_date, enterprise_code_removed })
}
