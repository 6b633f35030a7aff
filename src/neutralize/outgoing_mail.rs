//! `outgoing-mail`: every SMTP server archived, and one active server that cannot deliver, so
//! Odoo never falls back to the SMTP server of its config file or command line.

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;

use super::columns::{self, Neutral, all};
use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "outgoing-mail",
    title: "Outgoing mail servers archived, plus a dummy server that cannot deliver",
    why: "a copy must not send one e-mail to a customer; without an active server Odoo would use \
          the SMTP settings of odoo.conf",
    tables: &["ir_mail_server"],
    probe,
};

/// The dummy server Odoo's own neutralization adds; a second run recognises it by these.
pub const DUMMY_NAME: &str = "neutralization - disable emails";
pub const DUMMY_HOST: &str = "invalid";
const DUMMY_PORT: i32 = 1025;

fn probe(schema: &Schema) -> Probe {
    let table = "ir_mail_server";
    if !schema.has_columns(table, &["active", "smtp_host", "name"]) {
        return Err("no ir_mail_server table".into());
    }
    let dummy = format!("(smtp_host = '{DUMMY_HOST}' AND name = '{DUMMY_NAME}')");
    let archive = Action::update(
        "ir_mail_server.active on real outgoing servers",
        table,
        "active = false",
        &format!("active IS TRUE AND NOT {dummy}"),
    )
    .finding();

    let mut columns = vec!["name", "smtp_host", "active"];
    let mut values = vec![format!("'{DUMMY_NAME}'"), format!("'{DUMMY_HOST}'"), "true".to_string()];
    for (column, value) in [
        ("smtp_port", DUMMY_PORT.to_string()),
        ("smtp_encryption", "'none'".to_string()),
        ("smtp_authentication", "'login'".to_string()),
    ] {
        if schema.has_column(table, column) {
            columns.push(column);
            values.push(value);
        }
    }
    let live =
        format!("NOT EXISTS (SELECT 1 FROM ir_mail_server WHERE active IS TRUE AND {dummy})");
    let insert = Action {
        what: "no active dummy server (odoo.conf's SMTP server would be used)".into(),
        table: table.into(),
        live_sql: format!("SELECT count(*) FROM (SELECT 1 WHERE {live}) AS missing"),
        apply_sql: vec![format!(
            "INSERT INTO ir_mail_server ({}) SELECT {} WHERE {live}",
            columns.join(", "),
            values.join(", ")
        )],
        params: Vec::new(),
        finding: true,
        names_sql: None,
    };
    let mut actions = vec![archive, insert];
    actions.extend(columns::actions(schema, table, CREDENTIALS));
    Ok(actions)
}

/// Beyond Odoo: an archived server keeps its password and OAuth tokens, which still open
/// production's mailbox to whoever reactivates it or reads the table.
pub const CREDENTIALS: &[Neutral] = &[
    all("smtp_pass", "NULL"),
    all("google_gmail_refresh_token", "NULL"),
    all("google_gmail_access_token", "NULL"),
    all("google_gmail_access_token_expiration", "NULL"),
    all("microsoft_outlook_refresh_token", "NULL"),
    all("microsoft_outlook_access_token", "NULL"),
    all("microsoft_outlook_access_token_expiration", "NULL"),
];

/// The highest `ir_mail_server` id now (0 when empty), before anything runs; `None` without the
/// table. Rows above it were added by this run.
pub async fn high_water(client: &impl GenericClient) -> Result<Option<i64>> {
    let present: bool = client
        .query_one(
            "SELECT count(*) = 4 FROM pg_attribute a \
               JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p') \
               JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' \
              WHERE c.relname = 'ir_mail_server' AND a.attnum > 0 AND NOT a.attisdropped \
                AND a.attname IN ('id', 'name', 'smtp_host', 'active')",
            &[],
        )
        .await
        .context("cannot read the schema of ir_mail_server")?
        .get(0);
    if !present {
        return Ok(None);
    }
    let row = client
        .query_one("SELECT coalesce(max(id), 0)::bigint FROM ir_mail_server", &[])
        .await
        .context("cannot read the outgoing mail servers")?;
    Ok(Some(row.get(0)))
}

/// After the modules' own files: base's archives every server (the dummy this run added too) and
/// adds its own dummy. Of the dummies this run added (ids above `since`), only the newest active
/// one stays, so the database ends with one dummy, as after Odoo's own run. Returns how many
/// were removed; nothing is removed when no dummy added by this run is active.
pub async fn keep_one_dummy(client: &impl GenericClient, since: i64) -> Result<u64> {
    let dummy = format!("name = '{DUMMY_NAME}' AND smtp_host = '{DUMMY_HOST}'");
    client
        .execute(
            &format!(
                "DELETE FROM ir_mail_server WHERE id > $1::bigint AND {dummy} \
                   AND id <> (SELECT max(id) FROM ir_mail_server \
                               WHERE id > $1::bigint AND {dummy} AND active IS TRUE)"
            ),
            &[&since],
        )
        .await
        .context("cannot remove the extra dummy outgoing mail server")
}
