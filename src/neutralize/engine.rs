//! The engine: plan (count what is live), apply (in the caller's transaction), verify.

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;

use super::module_files::{self, ModuleFileStatus};
use super::report::{ActionReport, Finding, Report, Selection, StepReport, StepStatus};
use super::{FLAG_STEP, STEPS, Schema, outgoing_mail, parts, to_change, unknown_secrets};
use crate::cancel::Cancel;
use crate::odoo;

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
                        what: describe(client, &action, live).await?,
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
                    report.status =
                        if step.id == unknown_secrets::ID && !selection.clear_unknown_secrets {
                            StepStatus::ReportOnly
                        } else {
                            StepStatus::Planned
                        };
                }
            }
        }
        reports.push(report);
    }
    Ok(reports)
}

/// What an action's live rows are, in words, naming them when the action can.
async fn describe(
    client: &impl GenericClient,
    action: &super::Action,
    live: i64,
) -> Result<String> {
    if live == 0 || action.names_sql.is_none() {
        return Ok(action.what.clone());
    }
    Ok(format!("{}: {}", action.what, action.names(client).await?.join(", ")))
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
                    what: describe(client, action, count).await?,
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
    odoo::is_neutralized(client).await
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

/// A module file failed and the caller did not ask to go on: everything is rolled back.
#[derive(Debug, thiserror::Error)]
#[error("the neutralize.sql of module {module} failed: {error}")]
pub struct ModuleFileFailed {
    pub module: String,
    pub error: String,
}

/// Adds what the user can do about a failed module file: the options every neutralizing command
/// shares (`--ignore-module`, `--continue-on-error`).
pub fn explain(error: anyhow::Error) -> anyhow::Error {
    if error.chain().any(|cause| cause.downcast_ref::<ModuleFileFailed>().is_some()) {
        return crate::error::Failure::failed(crate::error::one_line(&error))
            .hint("fix the file, skip it with --ignore-module, or pass --continue-on-error")
            .into();
    }
    error
}

/// Plans and applies every built-in step, then the module files, in one transaction, without a
/// prompt: for callers that already have the user's consent (`duplicate --neutralize`,
/// `restore --neutralize`). Commits only if everything succeeded; Ctrl-C cancels the statement
/// in flight (`params` reach the server for that) and rolls everything back.
pub async fn unattended(
    client: &mut tokio_postgres::Client,
    database: &str,
    files: &module_files::Options,
    cancel: &Cancel,
    params: &crate::pg::ConnectParams,
    log: &(dyn Fn(&str) + Sync),
) -> Result<Report> {
    odoo::require_odoo(&*client, database).await?;
    let transaction = begin(client).await?;
    let work = async {
        let was_flagged = is_flagged(&transaction).await?;
        let mut report = Report::new(database, "apply", was_flagged);
        // A copy is made to be handed out: the credentials the scan finds go too.
        let selection = Selection { clear_unknown_secrets: true, ..Selection::default() };
        report.steps = plan(&transaction, &selection).await?;
        report.live = to_change(&report.steps);
        run_all(&transaction, &mut report, files, cancel, log).await?;
        cancel.check()?;
        Ok(report)
    };
    // On an error the transaction is dropped, which rolls it back.
    let mut report =
        crate::pg::interruptible(cancel, params, transaction.cancel_token(), work).await?;
    transaction.commit().await.context("cannot commit the neutralization")?;
    report.committed = true;
    Ok(report)
}

/// Applies the planned steps (flag last, after the module files) and verifies, inside the
/// caller's transaction. Fails, leaving the transaction to be rolled back, on the first error
/// or at Ctrl-C between two steps.
pub async fn run_all(
    transaction: &tokio_postgres::Transaction<'_>,
    report: &mut Report,
    files: &module_files::Options,
    cancel: &Cancel,
    log: &(dyn Fn(&str) + Sync),
) -> Result<()> {
    // The module files may add their own dummy mail server next to ours: see below.
    let mail_servers = if files.addons_path.is_empty() {
        None
    } else {
        outgoing_mail::high_water(transaction).await?
    };
    for step in report.steps.iter_mut().filter(|s| s.id != FLAG_STEP) {
        cancel.check()?;
        apply_step(transaction, step).await?;
        if step.changed > 0 {
            log(&format!("{}: {} rows changed", step.id, step.changed));
        }
    }
    if !files.addons_path.is_empty() {
        cancel.check()?;
        report.module_files = module_files::run(transaction, files).await?;
        if let Some(failed) =
            report.module_files.iter().find(|m| m.status == ModuleFileStatus::Failed)
            && !files.continue_on_error
        {
            return Err(ModuleFileFailed {
                module: failed.module.clone(),
                error: failed.error.clone().unwrap_or_else(|| "unknown error".into()),
            }
            .into());
        }
        if let Some(since) = mail_servers {
            outgoing_mail::keep_one_dummy(transaction, since).await?;
        }
    }
    // The flag says "safe": it is only set when nothing else is live any more — as the known
    // steps judge it: the scan for unknown secrets is a guess by name, reported, not decisive.
    let live = findings(transaction, &report.steps).await?;
    let others: Vec<&Finding> =
        live.iter().filter(|f| f.step != FLAG_STEP && f.step != unknown_secrets::ID).collect();
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
