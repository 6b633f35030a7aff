//! `banner`: Odoo's own "neutralized" banner (back end) and ribbon (website) shown.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "banner",
    title: "Neutralized banner and website ribbon views activated",
    why: "users of the copy see at a glance that it is not production",
    tables: &["ir_ui_view"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has_columns("ir_ui_view", &["key", "active"]) {
        return Err("no ir_ui_view table".into());
    }
    // The views exist from Odoo 16 on; on older databases there is simply nothing to activate.
    Ok(vec![Action::update(
        "ir_ui_view.active false on the neutralized banner/ribbon views",
        "ir_ui_view",
        "active = true",
        "key IN ('web.neutralize_banner', 'website.neutralize_ribbon') AND active IS NOT TRUE",
    )])
}
