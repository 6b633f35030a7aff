//! `flag`: `database.is_neutralized` = true, always last.

use super::{Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "flag",
    title: "database.is_neutralized = true (always last)",
    why: "Odoo shows it, keeps crons from being re-enabled, and tools recognise a safe copy",
    tables: &["ir_config_parameter"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    Ok(vec![
        params::upsert("database.is_neutralized not set", "database.is_neutralized", "true")
            .finding(),
    ])
}
