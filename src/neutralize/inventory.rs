//! The committed inventory (`docs/neutralize-inventory.md`): every effect of every Odoo 16–19
//! `data/neutralize.sql`, and the step that covers it. Parsed here for the tests only: the unit
//! tests (`coverage.rs`) prove each row covered by its step, and the integration tests (which
//! include this file by path) prove it live before, checked, and neutralized after. Depends on
//! nothing else in the crate, for that reason.
#![allow(dead_code, reason = "the integration tests use what the unit tests do not")]

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
