//! Helpers for `ir_config_parameter`, which many steps touch.

use super::{Action, Schema};

pub const TABLE: &str = "ir_config_parameter";

/// The skip reason of every step that works on parameters alone.
pub fn require(schema: &Schema) -> Result<(), String> {
    if schema.has(TABLE) { Ok(()) } else { Err("no ir_config_parameter table".into()) }
}

/// Sets `key` to `value`, inserting it when absent.
pub fn upsert(what: &str, key: &str, value: &str) -> Action {
    Action {
        what: what.to_string(),
        table: TABLE.to_string(),
        live_sql: "SELECT count(*) FROM (SELECT 1 WHERE NOT EXISTS \
                     (SELECT 1 FROM ir_config_parameter WHERE key = $1::text AND value = $2::text)) AS live"
            .to_string(),
        apply_sql: vec![
            "UPDATE ir_config_parameter SET value = $2::text \
              WHERE key = $1::text AND value IS DISTINCT FROM $2::text"
                .to_string(),
            "INSERT INTO ir_config_parameter (key, value) SELECT $1::text, $2::text \
              WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = $1::text)"
                .to_string(),
        ],
        params: vec![key.to_string(), value.to_string()],
        finding: true,
        names_sql: None,
    }
}

/// Sets `key` to `value` where it exists with another value.
pub fn set_existing(what: &str, key: &str, value: &str) -> Action {
    Action::update(
        what,
        TABLE,
        "value = $2::text",
        "key = $1::text AND value IS DISTINCT FROM $2::text",
    )
    .with_params(vec![key.to_string(), value.to_string()])
}

/// Deletes `key`.
pub fn delete(what: &str, key: &str) -> Action {
    Action::delete(what, TABLE, "key = $1::text").with_params(vec![key.to_string()])
}
