//! Every row of the inventory is covered by the step it names, on a schema of its version and
//! on a schema that has nothing but the row's own table (a missing table never skips the rest).
#![allow(clippy::panic, reason = "a failing test names the uncovered row")]

use std::collections::{BTreeMap, BTreeSet};

use super::inventory::{Effect, effects};
use super::{Action, STEPS, Schema, step};

/// Columns a step needs to recognise a table, beyond the effect's own column.
const BASE: &[(&str, &[&str])] = &[
    ("ir_config_parameter", &["key", "value"]),
    ("payment_provider", &["state", "code"]),
    ("ir_mail_server", &["name", "smtp_host", "smtp_port", "active"]),
    ("ir_cron", &["active"]),
    ("ir_model_data", &["module", "name", "model", "res_id"]),
    ("ir_act_server", &["state", "webhook_url"]),
    ("ir_ui_view", &["key", "active"]),
    ("fetchmail_server", &["active", "state"]),
    ("delivery_carrier", &["prod_environment", "active", "delivery_type"]),
    ("website", &["domain"]),
    ("account_edi_proxy_client_user", &["proxy_type", "active", "id_client"]),
];

/// What a database of `version` looks like to the steps: every table and column the
/// inventory names for it, with `only`, nothing but that table (and the parameters).
fn schema(version: u32, effects: &[Effect], only: Option<&str>) -> Schema {
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let wanted = |table: &str| only.is_none_or(|t| t == table);
    for effect in effects.iter().filter(|e| e.versions.contains(&version)) {
        if !wanted(&effect.table) {
            continue;
        }
        let columns = tables.entry(effect.table.clone()).or_default();
        if let Some(column) = effect.column() {
            columns.insert(column.to_string());
        }
        for (table, base) in BASE {
            if *table == effect.table {
                columns.extend(base.iter().map(|c| (*c).to_string()));
            }
        }
    }
    // Shapes the inventory implies without naming, kept even with `only` (they are how a
    // step knows a module is installed): 16 keeps the EDI mode in a parameter, beside proxy
    // users without a mode; 19's proxy users have token-sync columns.
    if version == 16 {
        tables
            .entry("account_edi_proxy_client_user".into())
            .or_default()
            .insert("id_client".into());
    }
    if version >= 17 && only.is_none() {
        tables.entry("res_company".into()).or_default().insert("account_peppol_proxy_state".into());
    }
    if version == 19 {
        tables
            .entry("account_edi_proxy_client_user".into())
            .or_default()
            .insert("token_sync_version".into());
    }
    tables.entry("ir_config_parameter".into()).or_default().extend(["key".into(), "value".into()]);
    let list: Vec<(String, Vec<String>)> =
        tables.into_iter().map(|(t, c)| (t, c.into_iter().collect())).collect();
    Schema::from_owned(list)
}

/// Whether `action` makes the effect happen and counts it as live.
fn covers(action: &Action, effect: &Effect) -> bool {
    if action.table != effect.table || !action.finding {
        return false;
    }
    let sql = action.apply_sql.join(";\n").replace('"', "");
    match (effect.key(), effect.target.as_str()) {
        (Some(key), _) => {
            let named = action.params.iter().any(|p| p == key) || sql.contains(&format!("'{key}'"));
            let kind = if effect.becomes == "deleted" {
                sql.contains("DELETE")
            } else {
                sql.contains("UPDATE") || sql.contains("INSERT")
            };
            named && kind
        }
        (None, "*") => sql.starts_with("DELETE FROM"),
        (None, "+row") => sql.contains(&format!("INSERT INTO {}", effect.table)),
        (None, column) => sql.contains(&format!("{column} = ")) && action.live_sql.contains(column),
    }
}

fn assert_covered(effect: &Effect, version: u32, schema: &Schema, how: &str) {
    let step = step(&effect.step).unwrap_or_else(|| panic!("{effect:?}: no step {}", effect.step));
    let actions = (step.probe)(schema).unwrap_or_else(|reason| {
        panic!(
            "{} {}.{} ({version}, {how}): step {} skipped: {reason}",
            effect.module, effect.table, effect.target, step.id
        )
    });
    assert!(
        actions.iter().any(|a| covers(a, effect)),
        "{} {}.{} on {version} ({how}) is not covered by step {}: {:#?}",
        effect.module,
        effect.table,
        effect.target,
        step.id,
        actions.iter().map(|a| &a.apply_sql).collect::<Vec<_>>()
    );
}

#[test]
fn the_inventory_is_complete_and_well_formed() {
    let effects = effects();
    assert!(effects.len() > 200, "{} rows", effects.len());
    for effect in &effects {
        assert!(
            !effect.versions.is_empty() && effect.versions.iter().all(|v| (16..=19).contains(v)),
            "{effect:?}"
        );
        assert!(STEPS.iter().any(|s| s.id == effect.step), "{effect:?}: unknown step");
        assert!(
            STEPS.iter().any(|s| s.id == effect.step && s.tables.contains(&effect.table.as_str())),
            "{effect:?}: step {} does not load table {}",
            effect.step,
            effect.table
        );
    }
    // Every version has Odoo's base effects.
    for version in 16..=19 {
        assert!(effects.iter().any(|e| e.module == "base" && e.versions.contains(&version)));
    }
}

#[test]
fn every_effect_is_covered_by_its_step_on_its_versions() {
    let effects = effects();
    for version in 16..=19 {
        let full = schema(version, &effects, None);
        for effect in effects.iter().filter(|e| e.versions.contains(&version)) {
            assert_covered(effect, version, &full, "every table of the version");
            // A missing table must never skip the rest: the effect's table alone suffices.
            let alone = schema(version, &effects, Some(&effect.table));
            assert_covered(effect, version, &alone, "its table alone");
        }
    }
}
