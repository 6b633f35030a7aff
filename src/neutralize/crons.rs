//! `crons`: scheduled jobs off, except the autovacuum that keeps the database tidy.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "crons",
    title: "Scheduled actions off, except base.autovacuum_job",
    why: "crons send mail, fetch mail, charge subscriptions, sync with outside services",
    tables: &["ir_cron", "ir_model_data"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column("ir_cron", "active") {
        return Err("no ir_cron table".into());
    }
    let keep = if schema.has_columns("ir_model_data", &["module", "name", "model", "res_id"]) {
        " AND NOT EXISTS (SELECT 1 FROM ir_model_data d WHERE d.model = 'ir.cron' \
           AND d.module = 'base' AND d.name = 'autovacuum_job' AND d.res_id = ir_cron.id)"
    } else {
        ""
    };
    Ok(vec![
        Action::update(
            "ir_cron.active on crons other than base.autovacuum_job",
            "ir_cron",
            "active = false",
            &format!("active IS TRUE{keep}"),
        )
        .finding(),
    ])
}
