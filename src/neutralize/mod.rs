//! Neutralization: the steps that make a copy of a production database unable to reach the
//! outside world, and the engine that plans, applies and checks them.
//!
//! Each step (one file each) is a probe: given the database's schema it returns the actions it
//! can take there, or why it is skipped. An action is one table's worth of SQL: a count of the
//! rows still live, and the statements that switch them off. Every statement only touches rows
//! that are still live, so a second run changes nothing, and `--check` is the same count run
//! without changing anything. The same code serves Odoo 12 to 19, by schema, not by version.
//!
//! The engine takes a client or transaction, its options and a cancel handle: it knows nothing
//! of the command line.

mod action;
mod engine;
pub mod module_files;
mod params;
mod report;
mod schema;

mod api_keys;
mod automations;
mod banner;
mod base_url;
mod calendar_sync;
mod calls;
mod captcha;
mod certificates;
mod cloud_storage;
mod columns;
#[cfg(test)]
mod coverage;
mod crons;
mod delivery;
mod edi;
mod flag;
mod iap;
mod identity;
mod incoming_mail;
#[cfg(test)]
mod inventory;
mod mail_queue;
mod mail_templates;
mod oauth;
mod outgoing_mail;
mod parts;
mod payment;
mod pos_terminals;
mod queue_jobs;
mod unknown_secrets;
mod web_push;
mod webhooks;
mod website;

pub use action::Action;
pub use engine::{begin, explain, is_flagged, plan, planned_findings, run_all, unattended};
pub use module_files::{ModuleFile, ModuleFileStatus};
pub use report::{Report, Selection, StepReport, StepStatus, to_change};
pub use schema::Schema;

/// One step of the sanitizer.
pub struct Step {
    /// Short id for `--only` and `--skip`.
    pub id: &'static str,
    /// One line: what it does.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// Tables it reads (their columns are loaded once for all steps).
    pub tables: &'static [&'static str],
    /// What it can do on this schema, or why it is skipped.
    pub probe: fn(&Schema) -> Probe,
}

/// The actions a step takes on one database, or why it has nothing to work on.
pub type Probe = std::result::Result<Vec<Action>, String>;

/// Every step, in the order they run. `flag` is always last.
pub const STEPS: &[Step] = &[
    crons::STEP,
    outgoing_mail::STEP,
    mail_templates::STEP,
    incoming_mail::STEP,
    mail_queue::STEP,
    queue_jobs::STEP,
    web_push::STEP,
    calls::STEP,
    base_url::STEP,
    identity::STEP,
    payment::STEP,
    pos_terminals::STEP,
    delivery::STEP,
    edi::STEP,
    cloud_storage::STEP,
    certificates::STEP,
    api_keys::STEP,
    iap::STEP,
    calendar_sync::STEP,
    oauth::STEP,
    captcha::STEP,
    website::STEP,
    webhooks::STEP,
    automations::STEP,
    unknown_secrets::STEP,
    banner::STEP,
    flag::STEP,
];

/// The id of the step that always runs last, after the module files.
pub const FLAG_STEP: &str = "flag";

pub fn step(id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|step| step.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_flag_is_last() {
        let mut ids: Vec<&str> = STEPS.iter().map(|s| s.id).collect();
        assert_eq!(ids.last(), Some(&FLAG_STEP));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), STEPS.len());
    }

    #[test]
    fn every_step_skips_on_an_empty_schema() {
        let schema = Schema::default();
        for step in STEPS {
            assert!((step.probe)(&schema).is_err(), "{} should skip without its tables", step.id);
        }
    }

    fn probe(id: &str, schema: &Schema) -> Vec<Action> {
        (step(id).unwrap_or_else(|| unreachable!()).probe)(schema).unwrap_or_default()
    }

    #[test]
    fn probes_follow_the_schema_not_the_version() {
        // ≤ 15: acquirers, and the EDI mode lives in a parameter.
        let legacy = Schema::from_list(&[
            ("payment_acquirer", &["state", "provider", "stripe_secret_key"]),
            ("account_edi_proxy_client_user", &["id_client", "active"]),
            ("ir_config_parameter", &["key", "value"]),
        ]);
        let payment = probe("payment", &legacy);
        assert!(payment.iter().all(|a| a.table == "payment_acquirer"));
        assert!(payment[1].apply_sql[0].contains("stripe_secret_key = NULL"));
        let edi = probe("edi", &legacy);
        assert!(edi.iter().any(|a| a.what.contains("account_edi_proxy_client.demo")));
        assert!(!edi.iter().any(|a| a.table == "account_edi_proxy_client_user"));

        // 17: per-user modes; the dummy server gets only the columns the table has.
        let modern = Schema::from_list(&[
            ("account_edi_proxy_client_user", &["edi_mode", "proxy_type", "active"]),
            ("ir_mail_server", &["name", "smtp_host", "smtp_port", "active"]),
        ]);
        let edi = probe("edi", &modern);
        assert!(edi[0].apply_sql[0].contains("edi_mode = CASE"));
        let mail = probe("outgoing-mail", &modern);
        assert!(mail[1].apply_sql[0].contains("(name, smtp_host, active, smtp_port)"));
    }

    #[test]
    fn selection_filters() {
        let selection = Selection { only: vec!["crons".into()], ..Selection::default() };
        assert!(selection.includes("crons") && !selection.includes("payment"));
        let selection =
            Selection { skip: vec!["payment".into(), "nope".into()], ..Selection::default() };
        assert!(selection.includes("crons") && !selection.includes("payment"));
        assert_eq!(selection.unknown(), vec!["nope".to_string()]);
    }
}
