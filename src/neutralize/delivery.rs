//! `delivery`: shipping connectors out of production.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "delivery",
    title: "Carriers out of production mode; carriers other than fixed/rule-based archived",
    why: "a copy must not book real shipments or labels with a carrier",
    tables: &["delivery_carrier"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    let table = "delivery_carrier";
    if !schema.has_column(table, "prod_environment") {
        return Err("no delivery_carrier table (delivery not installed)".into());
    }
    let mut actions = vec![
        Action::update(
            "delivery_carrier.prod_environment true (production)",
            table,
            "prod_environment = false",
            "prod_environment IS TRUE",
        )
        .finding(),
    ];
    if schema.has_columns(table, &["active", "delivery_type"]) {
        actions.push(Action::update(
            "delivery_carrier.active on carriers of an external service",
            table,
            "active = false",
            "active IS TRUE AND delivery_type NOT IN ('fixed', 'base_on_rule')",
        ));
    }
    if schema.has_column(table, "mondialrelay_brand") {
        actions.push(Action::update(
            "delivery_carrier.mondialrelay_brand not the test brand",
            table,
            "mondialrelay_brand = 'BDTEST  '",
            "mondialrelay_brand IS DISTINCT FROM 'BDTEST  '",
        ));
    }
    Ok(actions)
}
