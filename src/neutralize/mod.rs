//! Neutralization: the steps that make a copy of a production database unable to reach the
//! outside world, and the engine that plans, applies and checks them.
//!
//! Each step (one file each) is a probe: given the database's schema it returns the actions it
//! can take there, or why it is skipped. An action is one table's worth of SQL: a count of the
//! rows still live, and the statements that switch them off. Every statement only touches rows
//! that are still live, so a second run changes nothing, and `--check` is the same count run
//! without changing anything. The same code serves Odoo 12 to 19, by schema, not by version.

mod api_keys;
mod banner;
mod base_url;
mod calendar_sync;
mod calls;
mod captcha;
mod certificates;
mod cloud_storage;
pub mod columns;
mod crons;
mod delivery;
mod edi;
mod flag;
mod iap;
mod identity;
mod incoming_mail;
pub mod inventory;
mod mail_queue;
mod mail_templates;
pub mod module_files;
mod oauth;
mod outgoing_mail;
mod parts;
mod payment;
mod pos_terminals;
mod web_push;
mod webhooks;
mod website;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use crate::context::Context;
use crate::odoo;
use crate::pg::quote_ident;

pub use module_files::{ModuleFile, ModuleFileStatus};

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
    banner::STEP,
    flag::STEP,
];

/// The id of the step that always runs last, after the module files.
pub const FLAG_STEP: &str = "flag";

pub fn step(id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|step| step.id == id)
}

/// Which columns the tables the steps care about have in this database.
#[derive(Debug, Default)]
pub struct Schema {
    tables: HashMap<String, HashSet<String>>,
}

impl Schema {
    /// Reads the columns of every table the steps name, in one catalog query.
    pub async fn load(client: &impl GenericClient) -> Result<Self> {
        let names: Vec<&str> = STEPS.iter().flat_map(|step| step.tables.iter().copied()).collect();
        let rows = client
            .query(
                "SELECT c.relname::text, a.attname::text \
                   FROM pg_class c \
                   JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' \
                   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
                  WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1)",
                &[&names],
            )
            .await
            .context("cannot read the database's schema")?;
        let mut tables: HashMap<String, HashSet<String>> = HashMap::new();
        for row in rows {
            tables.entry(row.get(0)).or_default().insert(row.get(1));
        }
        Ok(Self { tables })
    }

    /// A schema from a literal list, for unit tests.
    #[cfg(test)]
    pub fn from_list(tables: &[(&str, &[&str])]) -> Self {
        Self {
            tables: tables
                .iter()
                .map(|(t, cols)| {
                    ((*t).to_string(), cols.iter().map(|c| (*c).to_string()).collect())
                })
                .collect(),
        }
    }

    /// A schema from owned names, for tests that build one from data.
    #[cfg(test)]
    pub fn from_owned(tables: Vec<(String, Vec<String>)>) -> Self {
        Self {
            tables: tables.into_iter().map(|(t, cols)| (t, cols.into_iter().collect())).collect(),
        }
    }

    pub fn has(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    pub fn has_column(&self, table: &str, column: &str) -> bool {
        self.tables.get(table).is_some_and(|columns| columns.contains(column))
    }

    pub fn has_columns(&self, table: &str, columns: &[&str]) -> bool {
        columns.iter().all(|column| self.has_column(table, column))
    }
}

/// One unit of change: a count of the live rows and the statements that switch them off.
#[derive(Debug, Clone)]
pub struct Action {
    /// What is live, in words: "active crons other than base.autovacuum_job".
    pub what: String,
    pub table: String,
    /// `SELECT count(*) …`: the rows the statements would change.
    pub live_sql: String,
    /// Statements run in order; `changed` is then the live rows they made neutral.
    pub apply_sql: Vec<String>,
    /// Text bind parameters shared by `live_sql` and every statement (`$1`, `$2`…).
    pub params: Vec<String>,
    /// Whether a live row is a finding for `--check`: true for everything a step would change
    /// (`--check` is exhaustive), false only where the content cannot tell (see `identity`).
    pub finding: bool,
}

impl Action {
    /// `UPDATE table SET set WHERE live`, counting the rows matching `live`.
    pub fn update(what: &str, table: &str, set: &str, live: &str) -> Self {
        let quoted = quote_ident(table);
        Self {
            what: what.to_string(),
            table: table.to_string(),
            live_sql: format!("SELECT count(*) FROM {quoted} WHERE {live}"),
            apply_sql: vec![format!("UPDATE {quoted} SET {set} WHERE {live}")],
            params: Vec::new(),
            finding: true,
        }
    }

    /// Sets `column` to the SQL expression `value` where it differs.
    pub fn set_column(what: &str, table: &str, column: &str, value: &str) -> Self {
        let column = quote_ident(column);
        Self::update(
            what,
            table,
            &format!("{column} = {value}"),
            &format!("{column} IS DISTINCT FROM {value}"),
        )
    }

    /// Deletes the rows matching `live`.
    pub fn delete(what: &str, table: &str, live: &str) -> Self {
        let quoted = quote_ident(table);
        Self {
            what: what.to_string(),
            table: table.to_string(),
            live_sql: format!("SELECT count(*) FROM {quoted} WHERE {live}"),
            apply_sql: vec![format!("DELETE FROM {quoted} WHERE {live}")],
            params: Vec::new(),
            finding: true,
        }
    }

    /// Makes a live row a finding of `--check`.
    #[must_use]
    pub fn finding(mut self) -> Self {
        self.finding = true;
        self
    }

    #[must_use]
    pub fn with_params(mut self, params: Vec<String>) -> Self {
        self.params = params;
        self
    }

    async fn count(&self, client: &impl GenericClient) -> Result<i64> {
        let params = self.bind(&self.live_sql);
        let row = client
            .query_one(self.live_sql.as_str(), &params)
            .await
            .with_context(|| format!("cannot count {}", self.what))?;
        Ok(row.get(0))
    }

    async fn apply(&self, client: &impl GenericClient) -> Result<()> {
        for statement in &self.apply_sql {
            client
                .execute(statement.as_str(), &self.bind(statement))
                .await
                .with_context(|| format!("cannot neutralize {}", self.what))?;
        }
        Ok(())
    }

    /// The parameters `sql` uses: `$1` up to the highest it names (PostgreSQL rejects extra
    /// ones, so each statement gets the prefix it needs).
    fn bind(&self, sql: &str) -> Vec<&(dyn ToSql + Sync)> {
        let used = used_params(sql).min(self.params.len());
        self.params[..used].iter().map(|p| p as &(dyn ToSql + Sync)).collect()
    }
}

/// The highest `$n` a statement uses.
fn used_params(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let mut highest = 0;
    for (i, byte) in bytes.iter().enumerate() {
        if *byte == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>() {
                highest = highest.max(n);
            }
        }
    }
    highest
}

/// Helpers for `ir_config_parameter`, which many steps touch.
pub mod params {
    use super::Action;

    pub const TABLE: &str = "ir_config_parameter";

    /// The skip reason of every step that works on parameters alone.
    pub fn require(schema: &super::Schema) -> Result<(), String> {
        if schema.has(TABLE) { Ok(()) } else { Err("no ir_config_parameter table".into()) }
    }

    /// Sets `key` to `value`, inserting it when absent.
    pub fn upsert(what: &str, key: &str, value: &str) -> Action {
        Action {
            what: what.to_string(),
            table: TABLE.to_string(),
            live_sql: "SELECT count(*) FROM (SELECT 1 WHERE NOT EXISTS \
                         (SELECT 1 FROM ir_config_parameter WHERE key = $1::text AND value = $2::text)) AS live"
                .to_string(),
            apply_sql: vec![
                "UPDATE ir_config_parameter SET value = $2::text \
                  WHERE key = $1::text AND value IS DISTINCT FROM $2::text"
                    .to_string(),
                "INSERT INTO ir_config_parameter (key, value) SELECT $1::text, $2::text \
                  WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = $1::text)"
                    .to_string(),
            ],
            params: vec![key.to_string(), value.to_string()],
            finding: true,
        }
    }

    /// Sets `key` to `value` where it exists with another value.
    pub fn set_existing(what: &str, key: &str, value: &str) -> Action {
        Action::update(
            what,
            TABLE,
            "value = $2::text",
            "key = $1::text AND value IS DISTINCT FROM $2::text",
        )
        .with_params(vec![key.to_string(), value.to_string()])
    }

    /// Deletes `key`.
    pub fn delete(what: &str, key: &str) -> Action {
        Action::delete(what, TABLE, "key = $1::text").with_params(vec![key.to_string()])
    }
}

/// A step's state in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Dry run or check: rows are live and would change.
    Planned,
    /// Rows were changed.
    Changed,
    /// Everything this step covers is already neutral.
    NothingToDo,
    /// The tables it needs are absent from this database.
    Skipped,
    /// Left out by `--only`/`--skip`.
    Excluded,
    /// Declined at the `--interactive` prompt.
    Declined,
    /// `flag` only: not set, because something is still live (a step was left out or declined).
    Withheld,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionReport {
    pub what: String,
    pub table: String,
    /// Rows live before (the plan).
    pub live: i64,
    /// Rows changed by the statements (apply only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<u64>,
    /// Whether a live row counts as a finding for `--check`.
    pub finding: bool,
    #[serde(skip)]
    pub sql: Vec<String>,
    #[serde(skip)]
    pub params: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub id: &'static str,
    pub title: &'static str,
    pub status: StepStatus,
    /// Why the step was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Parts of the step this database has no table for (the rest was done).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unprobed: Vec<String>,
    pub live: i64,
    pub changed: u64,
    pub actions: Vec<ActionReport>,
    #[serde(skip)]
    prepared: Vec<Action>,
}

/// Something still live after (or without) neutralization.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub step: &'static str,
    pub what: String,
    pub table: String,
    pub count: i64,
}

/// What a run did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub database: String,
    /// `apply`, `dry-run` or `check`.
    pub mode: &'static str,
    /// `database.is_neutralized` was set before this run.
    pub was_flagged: bool,
    pub steps: Vec<StepReport>,
    pub module_files: Vec<ModuleFile>,
    /// Rows live before the run, over every included step.
    pub live: i64,
    /// Rows changed by the built-in steps.
    pub changed: u64,
    /// What is still live (for `--check`, the audit; after apply, the verification), in the
    /// steps the run included.
    pub findings: Vec<Finding>,
    /// Steps left out by `--only`/`--skip`: not run, and not reported as live.
    pub left_out: Vec<&'static str>,
    pub committed: bool,
}

impl Report {
    pub fn new(database: &str, mode: &'static str, was_flagged: bool) -> Self {
        Self {
            database: database.to_string(),
            mode,
            was_flagged,
            steps: Vec::new(),
            module_files: Vec::new(),
            live: 0,
            changed: 0,
            findings: Vec::new(),
            left_out: Vec::new(),
            committed: false,
        }
    }

    pub fn skipped(&self) -> impl Iterator<Item = &StepReport> {
        self.steps.iter().filter(|s| s.status == StepStatus::Skipped)
    }

    /// Keeps the findings of the included steps only, and names the steps left out.
    pub fn set_findings(&mut self, findings: Vec<Finding>) {
        self.left_out =
            self.steps.iter().filter(|s| s.status == StepStatus::Excluded).map(|s| s.id).collect();
        self.findings = findings.into_iter().filter(|f| !self.left_out.contains(&f.step)).collect();
    }
}

/// Which steps run: all, or `--only`, minus `--skip`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<String>,
    pub skip: Vec<String>,
}

impl Selection {
    pub fn includes(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|o| o == id))
            && !self.skip.iter().any(|s| s == id)
    }

    /// The ids that name no step.
    pub fn unknown(&self) -> Vec<String> {
        self.only.iter().chain(&self.skip).filter(|id| step(id).is_none()).cloned().collect()
    }
}

/// Counts, for every selected step, the rows still live. Runs on a client or a transaction.
pub async fn plan(client: &impl GenericClient, selection: &Selection) -> Result<Vec<StepReport>> {
    let schema = Schema::load(client).await?;
    let mut reports = Vec::new();
    for step in STEPS {
        let mut report = StepReport {
            id: step.id,
            title: step.title,
            status: StepStatus::NothingToDo,
            reason: None,
            unprobed: Vec::new(),
            live: 0,
            changed: 0,
            actions: Vec::new(),
            prepared: Vec::new(),
        };
        if !selection.includes(step.id) {
            // Not run, but kept so the verification after applying still sees what it covers.
            report.status = StepStatus::Excluded;
            report.prepared = (step.probe)(&schema).unwrap_or_default();
            reports.push(report);
            continue;
        }
        match (step.probe)(&schema) {
            Err(reason) => {
                report.status = StepStatus::Skipped;
                report.reason = Some(reason);
            }
            Ok(actions) => {
                report.unprobed = parts::unprobed(step.id, &schema);
                for action in actions {
                    let live = action.count(client).await?;
                    report.live += live;
                    report.actions.push(ActionReport {
                        what: action.what.clone(),
                        table: action.table.clone(),
                        live,
                        changed: None,
                        finding: action.finding,
                        sql: action.apply_sql.clone(),
                        params: action.params.clone(),
                    });
                    report.prepared.push(action);
                }
                if report.live > 0 {
                    report.status = StepStatus::Planned;
                }
            }
        }
        reports.push(report);
    }
    Ok(reports)
}

/// Runs one planned step's statements (only those of actions with live rows).
pub async fn apply_step(client: &impl GenericClient, report: &mut StepReport) -> Result<()> {
    if report.status != StepStatus::Planned {
        return Ok(());
    }
    let mut total = 0;
    for (action, action_report) in report.prepared.iter().zip(report.actions.iter_mut()) {
        if action_report.live == 0 {
            action_report.changed = Some(0);
            continue;
        }
        action.apply(client).await.with_context(|| format!("step {} failed", report.id))?;
        // Rows changed = rows that were live and are not any more, so the result adds up to
        // the plan (the statements' own counts include follow-up rows, such as the companies
        // and aliases that copy a mail domain).
        let remaining = action.count(client).await?;
        let changed = u64::try_from(action_report.live - remaining).unwrap_or(0);
        action_report.changed = Some(changed);
        total += changed;
    }
    report.changed = total;
    report.status = if total > 0 { StepStatus::Changed } else { StepStatus::NothingToDo };
    Ok(())
}

/// Every finding action that still has live rows, recounted now.
pub async fn findings(client: &impl GenericClient, steps: &[StepReport]) -> Result<Vec<Finding>> {
    let mut found = Vec::new();
    for report in steps {
        for action in report.prepared.iter().filter(|a| a.finding) {
            let count = action.count(client).await?;
            if count > 0 {
                found.push(Finding {
                    step: report.id,
                    what: action.what.clone(),
                    table: action.table.clone(),
                    count,
                });
            }
        }
    }
    Ok(found)
}

/// The findings of a fresh plan: finding actions with live rows, without counting again.
pub fn planned_findings(steps: &[StepReport]) -> Vec<Finding> {
    steps
        .iter()
        .flat_map(|step| {
            step.actions.iter().filter(|a| a.finding && a.live > 0).map(|a| Finding {
                step: step.id,
                what: a.what.clone(),
                table: a.table.clone(),
                count: a.live,
            })
        })
        .collect()
}

/// Whether the database says it is neutralized.
pub async fn is_flagged(client: &impl GenericClient) -> Result<bool> {
    let schema_has = client
        .query_one("SELECT to_regclass('public.ir_config_parameter') IS NOT NULL", &[])
        .await
        .context("cannot look up ir_config_parameter")?
        .get::<_, bool>(0);
    if !schema_has {
        return Ok(false);
    }
    let row = client
        .query_opt(
            "SELECT value FROM ir_config_parameter WHERE key = $1",
            &[&odoo::PARAM_NEUTRALIZED],
        )
        .await
        .context("cannot read database.is_neutralized")?;
    Ok(odoo::is_true(row.map(|r| r.get::<_, String>(0)).as_deref()))
}

/// The one transaction a neutralization runs in. A row locked by a running Odoo (a cron job in
/// progress) makes it fail after a while, rolled back, instead of waiting forever.
pub async fn begin(client: &mut tokio_postgres::Client) -> Result<tokio_postgres::Transaction<'_>> {
    let transaction = client.transaction().await.context("cannot start a transaction")?;
    transaction
        .batch_execute("SET LOCAL lock_timeout = '30s'")
        .await
        .context("cannot set a lock timeout")?;
    Ok(transaction)
}

/// Plans and applies every built-in step, then the module files of the configured addons path
/// (failing on any module-file error), in one transaction, without a prompt. For `duplicate
/// --neutralize` and other callers that already have the user's consent.
pub async fn neutralize_unattended(ctx: &Context, db: &str) -> Result<Report> {
    let mut client = ctx.connect(db).await?;
    odoo::require_odoo(&client, db).await?;
    let transaction = begin(&mut client).await?;
    let was_flagged = is_flagged(&transaction).await?;
    let mut report = Report::new(db, "apply", was_flagged);
    report.steps = plan(&transaction, &Selection::default()).await?;
    report.live = report.steps.iter().map(|s| s.live).sum();
    let files = module_files::Options {
        addons_path: ctx.config.addons_path.clone(),
        ignore: Vec::new(),
        continue_on_error: false,
    };
    run_all(ctx, &transaction, &mut report, &files).await?;
    transaction.commit().await.context("cannot commit the neutralization")?;
    report.committed = true;
    Ok(report)
}

/// Applies the planned steps (flag last, after the module files) and verifies, inside the
/// caller's transaction. Fails, leaving the transaction to be rolled back, on the first error.
pub async fn run_all(
    ctx: &Context,
    transaction: &tokio_postgres::Transaction<'_>,
    report: &mut Report,
    files: &module_files::Options,
) -> Result<()> {
    for step in report.steps.iter_mut().filter(|s| s.id != FLAG_STEP) {
        ctx.check_interrupt()?;
        apply_step(transaction, step).await?;
        if step.changed > 0 {
            ctx.printer.verbose(1, &format!("{}: {} rows changed", step.id, step.changed));
        }
    }
    if !files.addons_path.is_empty() {
        report.module_files = module_files::run(transaction, files).await?;
        if let Some(failed) =
            report.module_files.iter().find(|m| m.status == ModuleFileStatus::Failed)
            && !files.continue_on_error
        {
            return Err(crate::error::Failure::failed(format!(
                "the neutralize.sql of module {} failed: {}",
                failed.module,
                failed.error.as_deref().unwrap_or("unknown error")
            ))
            .hint("fix the file, skip it with --ignore-module, or pass --continue-on-error")
            .into());
        }
    }
    // The flag says "safe": it is only set when nothing else is live any more.
    let live = findings(transaction, &report.steps).await?;
    let others: Vec<&Finding> = live.iter().filter(|f| f.step != FLAG_STEP).collect();
    if let Some(step) = report.steps.iter_mut().find(|s| s.id == FLAG_STEP) {
        if others.is_empty() {
            apply_step(transaction, step).await?;
        } else if step.status == StepStatus::Planned {
            step.status = StepStatus::Withheld;
            let mut steps: Vec<&str> = others.iter().map(|f| f.step).collect();
            steps.dedup();
            step.reason = Some(format!(
                "database.is_neutralized not set: steps {} still have live rows",
                steps.join(", ")
            ));
        }
    }
    report.changed = report.steps.iter().map(|s| s.changed).sum();
    let live = findings(transaction, &report.steps).await?;
    report.set_findings(live);
    Ok(())
}

/// Where module files are looked up: `--addons-path`, else odoo.conf `addons_path`.
pub fn addons_path(explicit: &[PathBuf], ctx: &Context) -> Vec<PathBuf> {
    if explicit.is_empty() { ctx.config.addons_path.clone() } else { explicit.to_vec() }
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
    fn counts_parameters() {
        assert_eq!(used_params("SELECT 1"), 0);
        assert_eq!(used_params("WHERE key = $1 AND value = $2"), 2);
        assert_eq!(used_params("$10 $2"), 10);
    }

    #[test]
    fn selection_filters() {
        let selection = Selection { only: vec!["crons".into()], skip: vec![] };
        assert!(selection.includes("crons") && !selection.includes("payment"));
        let selection = Selection { only: vec![], skip: vec!["payment".into(), "nope".into()] };
        assert!(selection.includes("crons") && !selection.includes("payment"));
        assert_eq!(selection.unknown(), vec!["nope".to_string()]);
    }
}
