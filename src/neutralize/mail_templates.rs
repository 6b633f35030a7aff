//! `mail-templates`: templates no longer name a (production) mail server.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "mail-templates",
    title: "Mail templates no longer pinned to an outgoing server",
    why: "a template pinned to the production server would pick it again if it were re-activated",
    tables: &["mail_template"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column("mail_template", "mail_server_id") {
        return Err("no mail_template.mail_server_id column".into());
    }
    Ok(vec![Action::update(
        "mail_template.mail_server_id set (pinned to a mail server)",
        "mail_template",
        "mail_server_id = NULL",
        "mail_server_id IS NOT NULL",
    )])
}
