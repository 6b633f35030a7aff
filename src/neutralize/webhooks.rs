//! `webhooks`: server actions that call a URL get a dead one.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "webhooks",
    title: "Webhook server actions pointed at a dead URL",
    why: "a copy must not notify production's integrations of test orders",
    tables: &["ir_act_server"],
    probe,
};

pub const DEAD_URL: &str = "neutralization - disable webhook";

fn probe(schema: &Schema) -> Probe {
    if !schema.has_columns("ir_act_server", &["state", "webhook_url"]) {
        return Err("no ir_act_server.webhook_url column (webhooks are Odoo 17+)".into());
    }
    Ok(vec![
        Action::update(
            "ir_act_server.webhook_url live on webhook actions",
            "ir_act_server",
            "webhook_url = $1::text",
            "state = 'webhook' AND webhook_url IS DISTINCT FROM $1::text",
        )
        .with_params(vec![DEAD_URL.into()])
        .finding(),
    ])
}
