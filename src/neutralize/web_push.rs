//! `web-push`: browser push notifications: the VAPID key pair, registered devices and queued
//! pushes. Each part is done wherever its table exists: 17's `mail_notification_web_push` and
//! `mail_partner_device`, 18's `mail_push` and `mail_push_device`, and the keys in parameters.

use super::{Action, Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "web-push",
    title: "Web push: VAPID keys, registered devices and queued notifications removed",
    why: "a copy holding production's push keys and devices notifies real users' browsers",
    tables: &[params::TABLE, QUEUES[0], QUEUES[1], DEVICES[0], DEVICES[1]],
    probe,
};

/// Queued pushes, then devices (a queued push refers to its device): 18+ names first.
const QUEUES: [&str; 2] = ["mail_push", "mail_notification_web_push"];
const DEVICES: [&str; 2] = ["mail_push_device", "mail_partner_device"];
const KEYS: [&str; 2] = ["mail.web_push_vapid_private_key", "mail.web_push_vapid_public_key"];

fn probe(schema: &Schema) -> Probe {
    let mut actions = Vec::new();
    for (tables, what) in
        [(QUEUES, "queued web push notifications"), (DEVICES, "registered push devices")]
    {
        for table in tables.iter().filter(|t| schema.has(t)) {
            actions.push(Action::delete(&format!("{table}: {what}"), table, "true").finding());
        }
    }
    if schema.has(params::TABLE) {
        for key in KEYS {
            actions.push(params::delete(&format!("parameter {key}"), key).finding());
        }
    }
    if actions.is_empty() {
        return Err("no web push tables and no ir_config_parameter table".into());
    }
    Ok(actions)
}
