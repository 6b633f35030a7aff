//! `identity`: a new serial number and secret, and no enterprise code, so the copy is not
//! mistaken for production by Odoo's servers (IAP, publisher warranty, upgrade platform).

use super::{Action, Probe, Schema, Step, params};
use crate::odoo::identity::{OAUTH_COLUMNS, OAUTH_TABLE, ODOO_COM_PROVIDER};
use crate::pg::quote_literal;

pub const STEP: Step = Step {
    id: "identity",
    title: "New database.uuid and database.secret (the Odoo.com sign-in provider's client id too); \
            database.enterprise_code removed",
    why: "a copy with production's serial number and contract talks to Odoo's servers as \
          production, and shares its session-signing secret",
    tables: &["ir_config_parameter", OAUTH_TABLE],
    probe,
};

/// Records the uuid odoodb gave the copy, so a second run knows it was regenerated.
const MARKER: &str = crate::odoo::PARAM_NEUTRALIZED_UUID;

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    // Generated here, hex digits and dashes only: safe as literals, and the same value must go
    // into two rows.
    let uuid = quote_literal(&uuid::Uuid::new_v4().to_string());
    let secret = quote_literal(&uuid::Uuid::new_v4().to_string());
    let marker = quote_literal(MARKER);
    // Live while database.uuid is not the one odoodb wrote (no marker yet, or a new copy).
    let stale = format!(
        "NOT EXISTS (SELECT 1 FROM ir_config_parameter u JOIN ir_config_parameter m \
           ON m.key = {marker} AND m.value = u.value WHERE u.key = 'database.uuid')"
    );
    let upsert = |key: &str, value: &str| {
        let key = quote_literal(key);
        [
            format!("UPDATE ir_config_parameter SET value = {value} WHERE key = {key} AND {stale}"),
            format!(
                "INSERT INTO ir_config_parameter (key, value) SELECT {key}, {value} \
                  WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = {key})"
            ),
        ]
    };
    // The uuid last: the statements before it still see the old uuid, so still find it stale.
    let mut statements = Vec::new();
    statements.extend(upsert("database.secret", &secret));
    statements.extend(upsert(MARKER, &uuid));
    statements.extend(upsert("database.uuid", &uuid));
    // A database Odoo flagged neutralized without odoodb's marker is judged on its content: the
    // uuid's origin cannot be known, so it is not reported as live, but regenerated all the same.
    let flagged = "EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = 'database.is_neutralized' \
                   AND lower(value) IN ('true', '1'))";
    let serial = Action {
        what: "database.uuid and database.secret not regenerated".into(),
        table: params::TABLE.into(),
        live_sql: format!(
            "SELECT count(*) FROM (SELECT 1 WHERE {stale} AND NOT {flagged}) AS live"
        ),
        apply_sql: statements.clone(),
        params: Vec::new(),
        finding: true,
        names_sql: None,
    };
    let odoo_flagged = Action {
        what: "database.uuid of unknown origin (flagged neutralized by Odoo) regenerated".into(),
        live_sql: format!("SELECT count(*) FROM (SELECT 1 WHERE {stale} AND {flagged}) AS live"),
        apply_sql: statements,
        finding: false,
        ..serial.clone()
    };
    let mut actions = vec![
        serial,
        odoo_flagged,
        params::delete("database.enterprise_code present", "database.enterprise_code").finding(),
    ];
    if schema.has_columns(OAUTH_TABLE, &OAUTH_COLUMNS) {
        actions.extend(odoo_com_client_id(&stale, flagged));
    }
    Ok(actions)
}

/// The Odoo.com sign-in provider's client id is the database uuid: it follows the new one, as in
/// Odoo's own copy. These run after the uuid's statements, so they set the new value; they are
/// planned live while the uuid is still to be regenerated, or when the two differ.
fn odoo_com_client_id(stale: &str, flagged: &str) -> [Action; 2] {
    let uuid = "(SELECT value FROM ir_config_parameter WHERE key = 'database.uuid')";
    let provider = format!("{ODOO_COM_PROVIDER} AND EXISTS {uuid}");
    let set = |live: String, what: &str, finding: bool| {
        let action = Action::update(what, OAUTH_TABLE, &format!("client_id = {uuid}"), &live);
        Action { finding, ..action }
    };
    [
        set(
            format!(
                "{provider} AND (client_id IS DISTINCT FROM {uuid} OR ({stale} AND NOT {flagged}))"
            ),
            "auth_oauth_provider.client_id of Odoo.com not the database's own uuid",
            true,
        ),
        // Follows the uuid of unknown origin above, which is not a finding either.
        set(
            format!("{provider} AND client_id = {uuid} AND {stale} AND {flagged}"),
            "auth_oauth_provider.client_id of Odoo.com follows the regenerated uuid",
            false,
        ),
    ]
}
