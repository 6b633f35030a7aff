//! `mail-queue`: queued outgoing mail cancelled, so nothing is sent later.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "mail-queue",
    title: "Queued outgoing mails (outgoing, exception) cancelled",
    why: "the queue of a production copy holds real mails to real customers",
    tables: &["mail_mail"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column("mail_mail", "state") {
        return Err("no mail_mail table".into());
    }
    Ok(vec![
        Action::update(
            "mail_mail.state queued (outgoing, exception)",
            "mail_mail",
            "state = 'cancel'",
            "state IN ('outgoing', 'exception')",
        )
        .finding(),
    ])
}
