//! `oauth`: sign-in through OAuth providers (Odoo.com, Google, Facebook…) off, and the access
//! tokens users signed in with cleared.

use super::columns::{self, all};
use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "oauth",
    title: "OAuth sign-in providers disabled, users' OAuth access tokens cleared",
    why: "production's OAuth client ids would let real accounts sign in to the copy",
    tables: &["auth_oauth_provider", "res_users"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    let mut actions = Vec::new();
    if schema.has_column("auth_oauth_provider", "enabled") {
        // Odoo writes false on every row, NULL ones included.
        actions.push(
            Action::update(
                "auth_oauth_provider.enabled not false",
                "auth_oauth_provider",
                "enabled = false",
                "enabled IS DISTINCT FROM false",
            )
            .finding(),
        );
    }
    // Beyond Odoo: the tokens are still valid at the provider.
    actions.extend(columns::actions(schema, "res_users", &[all("oauth_access_token", "NULL")]));
    if actions.is_empty() {
        return Err("no auth_oauth_provider table (auth_oauth not installed)".into());
    }
    Ok(actions)
}
