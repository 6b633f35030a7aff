//! `web-push`: browser push notifications: keys, registered devices and queued pushes.

use super::{Action, Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "web-push",
    title: "Web push: VAPID keys, registered devices and queued notifications removed",
    why: "a copy holding production's push keys and devices notifies real users' browsers",
    tables: &["ir_config_parameter", "mail_partner_device", "mail_notification_web_push"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has("mail_partner_device") && !schema.has("mail_notification_web_push") {
        return Err("no web push tables (Odoo 17+)".into());
    }
    let mut actions = Vec::new();
    if schema.has("mail_notification_web_push") {
        actions.push(
            Action::delete("queued web push notifications", "mail_notification_web_push", "true")
                .finding(),
        );
    }
    if schema.has("mail_partner_device") {
        actions.push(
            Action::delete("registered push devices", "mail_partner_device", "true").finding(),
        );
    }
    if schema.has(params::TABLE) {
        for key in ["mail.web_push_vapid_private_key", "mail.web_push_vapid_public_key"] {
            actions.push(params::delete(&format!("parameter {key}"), key).finding());
        }
    }
    Ok(actions)
}
