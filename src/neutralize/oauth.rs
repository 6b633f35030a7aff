//! `oauth`: sign-in through OAuth providers (Odoo.com, Google, Facebook…) off.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "oauth",
    title: "OAuth sign-in providers disabled",
    why: "production's OAuth client ids would let real accounts sign in to the copy",
    tables: &["auth_oauth_provider"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column("auth_oauth_provider", "enabled") {
        return Err("no auth_oauth_provider table (auth_oauth not installed)".into());
    }
    // Odoo writes false on every row, NULL ones included.
    Ok(vec![
        Action::update(
            "OAuth providers not disabled",
            "auth_oauth_provider",
            "enabled = false",
            "enabled IS DISTINCT FROM false",
        )
        .finding(),
    ])
}
