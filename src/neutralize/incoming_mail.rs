//! `incoming-mail`: IMAP/POP servers off, and back to "not confirmed".

use super::columns::{self, all};
use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "incoming-mail",
    title: "Incoming mail servers (IMAP/POP) deactivated and reset to draft",
    why: "a copy fetching the production mailbox steals customers' replies from production",
    tables: &["fetchmail_server"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    let table = "fetchmail_server";
    if !schema.has_column(table, "active") {
        return Err("no fetchmail_server table (fetchmail/mail not installed)".into());
    }
    let mut actions = vec![
        Action::update(
            "fetchmail_server.active on incoming servers",
            table,
            "active = false",
            "active IS TRUE",
        )
        .finding(),
    ];
    if schema.has_column(table, "state") {
        // Odoo only deactivates; a draft server also needs "Test & Confirm" before it fetches.
        actions.push(Action::update(
            "fetchmail_server.state still confirmed (not draft)",
            table,
            "state = 'draft'",
            "state IS DISTINCT FROM 'draft'",
        ));
    }
    // Beyond Odoo: the mailbox password and OAuth tokens (the same columns as outgoing servers).
    actions.extend(columns::actions(schema, table, &[all("password", "NULL")]));
    actions.extend(columns::actions(schema, table, &super::outgoing_mail::CREDENTIALS[1..]));
    Ok(actions)
}
