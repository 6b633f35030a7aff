//! `certificates`: the passwords of stored certificates and keys (18+ `certificate` module)
//! replaced by a dummy, so the copy cannot sign as the company.

use super::columns::{self, all};
use super::{Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "certificates",
    title: "Certificate and private-key passwords replaced by a dummy",
    why: "with production's certificate passwords a copy signs invoices and requests to tax \
          authorities as the company",
    tables: &["certificate_certificate", "certificate_key"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    let mut actions =
        columns::actions(schema, "certificate_certificate", &[all("pkcs12_password", "'dummy'")]);
    actions.extend(columns::actions(schema, "certificate_key", &[all("password", "'dummy'")]));
    if actions.is_empty() {
        return Err("no certificate tables (certificate not installed, Odoo 18+)".into());
    }
    Ok(actions)
}
