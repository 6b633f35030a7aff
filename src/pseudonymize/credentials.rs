//! Credentials of a copy: every user's password replaced (one password, in Odoo's own hash
//! format, so logging in with it works), second factors and trusted devices removed, API keys,
//! passkeys and OAuth tokens deleted (their clear values were never stored: they cannot be
//! handed out again), the tokens of shared links (`access_token`) renewed or cleared, and the
//! wizards' tables that may still hold a password in clear emptied.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use super::schema::Schema;

/// One credential action, its rows to change (the plan), then changed.
#[derive(Debug, Clone, Serialize)]
pub struct Reset {
    pub what: String,
    pub rows: u64,
    #[serde(skip)]
    count_sql: String,
    #[serde(skip)]
    apply_sql: String,
    /// The statement takes the password hash as `$1`.
    #[serde(skip)]
    takes_hash: bool,
}

/// Tables emptied: keys, devices, passkeys, and wizards that may hold a password in clear.
const EMPTIED: &[(&str, &str)] = &[
    ("res_users_apikeys", "API keys"),
    ("auth_totp_device", "trusted devices (second factor)"),
    ("auth_passkey_key", "passkeys"),
    ("auth_totp_wizard", "second-factor set-ups in progress"),
    ("auth_totp_rate_limit_log", "second-factor attempts (IP addresses)"),
    ("change_password_user", "password changes in progress"),
    ("change_password_own", "password changes in progress"),
    ("res_users_identitycheck", "identity checks in progress"),
];

/// Columns cleared, table by table: second factors, OAuth and calendar tokens.
const CLEARED: &[(&str, &[&str])] = &[
    // Reset-password links, on every partner (kept ones too).
    ("res_partner", &["signup_token", "signup_expiration"]),
    (
        "res_users",
        &[
            "totp_secret",
            "totp_last_counter",
            "oauth_access_token",
            "oauth_uid",
            "microsoft_calendar_token",
            "microsoft_calendar_rtoken",
        ],
    ),
    (
        "res_users_settings",
        &[
            "google_calendar_rtoken",
            "google_calendar_token",
            "google_calendar_sync_token",
            "microsoft_calendar_sync_token",
        ],
    ),
    ("google_calendar_credentials", &["calendar_rtoken", "calendar_token", "calendar_sync_token"]),
];

/// The tables the actions may touch (for the schema).
pub fn tables() -> Vec<&'static str> {
    let mut tables: Vec<&str> = EMPTIED.iter().map(|(t, _)| *t).collect();
    tables.extend(CLEARED.iter().map(|(t, _)| *t));
    tables.push("ir_config_parameter");
    tables
}

/// The credential actions this database needs.
pub async fn plan(client: &impl GenericClient, schema: &Schema) -> Result<Vec<Reset>> {
    let mut resets = Vec::new();
    if schema.column("res_users", "password").is_some() {
        resets.push(Reset {
            what: "res_users.password (every user's, to the new one)".into(),
            rows: 0,
            count_sql: "SELECT count(*) FROM res_users WHERE coalesce(password, '') <> ''".into(),
            apply_sql: "UPDATE res_users SET password = $1 WHERE coalesce(password, '') <> ''"
                .into(),
            takes_hash: true,
        });
    }
    for (table, columns) in CLEARED {
        for column in columns.iter().filter(|c| schema.column(table, c).is_some()) {
            resets.push(Reset {
                what: format!("{table}.{column}"),
                rows: 0,
                count_sql: format!(
                    "SELECT count(*) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"
                ),
                apply_sql: format!(
                    "UPDATE \"{table}\" SET \"{column}\" = NULL WHERE \"{column}\" IS NOT NULL"
                ),
                takes_hash: false,
            });
        }
    }
    for (table, what) in EMPTIED.iter().filter(|(t, _)| schema.has(t)) {
        resets.push(Reset {
            what: format!("{table} ({what})"),
            rows: 0,
            count_sql: format!("SELECT count(*) FROM \"{table}\""),
            apply_sql: format!("DELETE FROM \"{table}\""),
            takes_hash: false,
        });
    }
    // Mailed codes at login would never arrive from a neutralized copy: the new password alone
    // must let a developer in.
    if schema.has("ir_config_parameter") {
        resets.push(Reset {
            what: "ir_config_parameter auth_totp.policy (codes mailed at login)".into(),
            rows: 0,
            count_sql: "SELECT count(*) FROM ir_config_parameter WHERE key = 'auth_totp.policy'"
                .into(),
            apply_sql: "DELETE FROM ir_config_parameter WHERE key = 'auth_totp.policy'".into(),
            takes_hash: false,
        });
    }
    resets.extend(shared_link_tokens(client).await?);
    Ok(resets)
}

/// Every `access_token` (and survey `invite_token`) column: a token of a shared link (portal,
/// attachment, survey). Cleared where Odoo makes one again on demand; renewed where it must be
/// there (and unique).
async fn shared_link_tokens(client: &impl GenericClient) -> Result<Vec<Reset>> {
    let mut resets = Vec::new();
    for column in ["access_token", "invite_token"] {
        for (table, nullable) in Schema::tables_with(client, column).await? {
            let value = if nullable {
                "NULL"
            } else {
                "md5(random()::text || clock_timestamp()::text || ctid::text)"
            };
            resets.push(Reset {
                what: format!("{table}.{column} (links shared before)"),
                rows: 0,
                count_sql: format!(
                    "SELECT count(*) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"
                ),
                apply_sql: format!(
                    "UPDATE \"{table}\" SET \"{column}\" = {value} WHERE \"{column}\" IS NOT NULL"
                ),
                takes_hash: false,
            });
        }
    }
    Ok(resets)
}

impl Reset {
    pub async fn count(&mut self, client: &impl GenericClient) -> Result<()> {
        let row = client
            .query_one(&self.count_sql, &[])
            .await
            .with_context(|| format!("cannot count {}", self.what))?;
        self.rows = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
        Ok(())
    }

    /// `hash`: the stored form of the new password.
    pub async fn apply(&mut self, client: &impl GenericClient, hash: &str) -> Result<()> {
        let params: &[&(dyn ToSql + Sync)] = if self.takes_hash { &[&hash] } else { &[] };
        self.rows = client
            .execute(&self.apply_sql, params)
            .await
            .with_context(|| format!("cannot reset {}", self.what))?;
        Ok(())
    }
}
