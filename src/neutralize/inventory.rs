//! The committed inventory (`docs/neutralize-inventory.md`): every effect of every Odoo 16–19
//! `data/neutralize.sql`, and the step that covers it. Parsed here so the tests can prove, row by
//! row, that the named step covers the effect on a schema of that version, and on a schema that
//! has nothing but the effect's own table.

/// The inventory's text, as committed.
pub const TEXT: &str = include_str!("../../docs/neutralize-inventory.md");

/// One effect of one module's `neutralize.sql`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub versions: Vec<u32>,
    pub module: String,
    pub table: String,
    /// A column, `key:<parameter>`, `*` (every row) or `+row` (a row added).
    pub target: String,
    /// SQL condition of the rows concerned (`true` for all).
    pub rows: String,
    /// An SQL value, `deleted`, `added`, or `like:<pattern>`.
    pub becomes: String,
    pub step: String,
}

impl Effect {
    /// The `ir_config_parameter` key, for a parameter effect.
    pub fn key(&self) -> Option<&str> {
        self.target.strip_prefix("key:")
    }

    /// The column the effect changes (`value` for a parameter), if it changes one.
    pub fn column(&self) -> Option<&str> {
        if self.key().is_some() {
            Some("value")
        } else if self.target == "*" || self.target == "+row" {
            None
        } else {
            Some(&self.target)
        }
    }

    /// The rows concerned, as SQL (a parameter's key included).
    pub fn row_condition(&self) -> String {
        match self.key() {
            Some(key) => format!("key = '{key}' AND ({})", self.rows),
            None => self.rows.clone(),
        }
    }

    /// SQL true for a row of `row_condition()` that already has the effect's value.
    pub fn neutral_condition(&self) -> Option<String> {
        let column = self.column()?;
        if let Some(pattern) = self.becomes.strip_prefix("like:") {
            return Some(format!("{column} LIKE '{pattern}'"));
        }
        match self.becomes.as_str() {
            "deleted" | "added" => None,
            value => Some(format!("{column} IS NOT DISTINCT FROM ({value})")),
        }
    }
}

/// Every row of the inventory's table.
pub fn effects() -> Vec<Effect> {
    TEXT.lines()
        .filter(|line| line.starts_with("| 1"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let rows = if cells[4] == "all" { "true" } else { cells[4] };
            Effect {
                versions: cells[0].split(' ').filter_map(|v| v.parse().ok()).collect(),
                module: cells[1].to_string(),
                table: cells[2].to_string(),
                target: cells[3].to_string(),
                rows: rows.to_string(),
                becomes: cells[5].to_string(),
                step: cells[6].to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a test names the uncovered row in its failure")]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::super::{Action, STEPS, Schema, step};
    use super::*;

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
            tables
                .entry("res_company".into())
                .or_default()
                .insert("account_peppol_proxy_state".into());
        }
        if version == 19 {
            tables
                .entry("account_edi_proxy_client_user".into())
                .or_default()
                .insert("token_sync_version".into());
        }
        tables
            .entry("ir_config_parameter".into())
            .or_default()
            .extend(["key".into(), "value".into()]);
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
                let named =
                    action.params.iter().any(|p| p == key) || sql.contains(&format!("'{key}'"));
                let kind = if effect.becomes == "deleted" {
                    sql.contains("DELETE")
                } else {
                    sql.contains("UPDATE") || sql.contains("INSERT")
                };
                named && kind
            }
            (None, "*") => sql.starts_with("DELETE FROM"),
            (None, "+row") => sql.contains(&format!("INSERT INTO {}", effect.table)),
            (None, column) => {
                sql.contains(&format!("{column} = ")) && action.live_sql.contains(column)
            }
        }
    }

    fn assert_covered(effect: &Effect, version: u32, schema: &Schema, how: &str) {
        let step =
            step(&effect.step).unwrap_or_else(|| panic!("{effect:?}: no step {}", effect.step));
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
                !effect.versions.is_empty()
                    && effect.versions.iter().all(|v| (16..=19).contains(v)),
                "{effect:?}"
            );
            assert!(STEPS.iter().any(|s| s.id == effect.step), "{effect:?}: unknown step");
            assert!(
                STEPS
                    .iter()
                    .any(|s| s.id == effect.step && s.tables.contains(&effect.table.as_str())),
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
}
