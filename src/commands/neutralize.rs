//! `odoodb neutralize <db>`: plan, confirm, apply in one transaction, verify; or `--check`.

use std::fmt::Write as _;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::NeutralizeArgs;
use crate::confirm;
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::neutralize::{
    self, ModuleFileStatus, Report, STEPS, Selection, StepReport, StepStatus, module_files,
};
use crate::odoo;
use crate::output::{Printer, terminal_safe};

/// The step whose findings only `--clear-unknown-secrets` clears.
const UNKNOWN_SECRETS: &str = "unknown-secrets";

pub async fn run(ctx: &Context, args: &NeutralizeArgs) -> Result<()> {
    if args.list_steps {
        return list_steps(ctx);
    }
    let Some(db) = args.db.as_deref() else {
        return Err(usage_error("name the database to neutralize", "odoodb neutralize <db>"));
    };
    odoo::name::validate_existing(db)?;
    let selection = Selection {
        only: args.only.clone(),
        skip: args.skip.clone(),
        clear_unknown_secrets: args.clear_unknown_secrets,
    };
    let unknown = selection.unknown();
    if !unknown.is_empty() {
        let ids: Vec<&str> = STEPS.iter().map(|s| s.id).collect();
        return Err(usage_error(
            format!("unknown step {}", unknown.join(", ")),
            format!("the steps are: {}", ids.join(", ")),
        ));
    }
    if args.interactive && !ctx.interactive {
        return Err(usage_error(
            "--interactive needs a terminal to ask on",
            "run it at a terminal, or use --yes to apply every step",
        ));
    }
    let admin_client = ctx.connect_admin().await?;
    let mut client = ctx.open_odoo(&admin_client, db).await?;
    drop(admin_client);
    if args.check {
        return check(ctx, &client, db, &selection).await;
    }

    let files = ctx.module_file_options(&args.module_files);
    // The plan is counted outside any transaction, so no lock is held while the user reads it.
    let was_flagged = neutralize::is_flagged(&client).await?;
    let mode = if args.dry_run { "dry-run" } else { "apply" };
    let mut report = Report::new(db, mode, was_flagged);
    report.steps = neutralize::plan(&client, &selection).await?;
    report.live = neutralize::to_change(&report.steps);
    if !files.addons_path.is_empty() {
        report.module_files = module_files::plan(&client, &files).await?;
    }
    let planned_files =
        report.module_files.iter().filter(|m| m.status == ModuleFileStatus::Planned).count();
    if was_flagged {
        ctx.printer.status(&format!(
            "{} is already flagged as neutralized: re-checking every step",
            terminal_safe(db)
        ));
    }

    if args.dry_run {
        report.set_findings(neutralize::planned_findings(&report.steps));
        return ctx.printer.emit(&report, || plan_text(ctx, &report, true));
    }
    if report.live == 0 && planned_files == 0 {
        // Only what is reported and not changed can be live here (unknown secrets).
        report.set_findings(neutralize::planned_findings(&report.steps));
        warn_findings(ctx, &report);
        let print = if report.findings.is_empty() { Printer::done } else { Printer::emit };
        print(&ctx.printer, &report, || {
            format!(
                "Nothing to do: {} is already neutralized ({} steps checked, {} skipped: no table).",
                terminal_safe(db),
                report.steps.iter().filter(|s| s.status == StepStatus::NothingToDo).count(),
                report.skipped().count()
            )
        })?;
        return still_live(db, &report);
    }

    if !ctx.printer.is_json() {
        let text = plan_text(ctx, &report, false);
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        ctx.printer.status(&lines.join("\n"));
    }
    let files = consent(ctx, args, db, &mut report, files, planned_files).await?;
    ctx.check_interrupt()?;

    let transaction = neutralize::begin(&mut client).await?;
    let log = |line: &str| ctx.printer.verbose(1, line);
    // A statement waiting on a row Odoo holds (a cron job running) stops at Ctrl-C, not at
    // the lock timeout; and a signal that comes as the work ends still rolls it all back.
    let work = async {
        replan(ctx, &transaction, &selection, &mut report).await?;
        neutralize::run_all(&transaction, &mut report, &files, &ctx.cancel, &log).await?;
        ctx.check_interrupt()
    };
    let outcome = ctx.interruptible(transaction.cancel_token(), work).await;
    if let Err(error) = outcome {
        let _ = transaction.rollback().await;
        return Err(crate::neutralize::explain(
            error
                .context(format!("{db} was not changed: the whole neutralization was rolled back")),
        ));
    }
    transaction.commit().await.context("cannot commit the neutralization")?;
    report.committed = true;
    finish(ctx, db, &report)
}

/// After the commit: what is still live, what was left out, which module files failed (exit
/// status 3, so a script can tell a partial run from a clean one).
fn finish(ctx: &Context, db: &str, report: &Report) -> Result<()> {
    warn_findings(ctx, report);
    left_out_note(ctx, report);
    let failed: Vec<&neutralize::ModuleFile> =
        report.module_files.iter().filter(|m| m.status == ModuleFileStatus::Failed).collect();
    for file in &failed {
        ctx.printer.warn(&format!(
            "module {}: its data/neutralize.sql failed and was rolled back ({}); the rest was committed",
            file.module,
            file.error.as_deref().unwrap_or("unknown error")
        ));
    }
    if report.findings.is_empty() && failed.is_empty() {
        ctx.printer.done(report, || done_text(ctx, report))?;
    } else {
        ctx.printer.emit(report, || done_text(ctx, report))?;
    }
    if failed.is_empty() {
        return still_live(db, report);
    }
    let modules: Vec<&str> = failed.iter().map(|m| m.module.as_str()).collect();
    Err(Failure::new(
        crate::error::Kind::Partial,
        format!(
            "{db} was neutralized except the neutralize.sql of {} (--continue-on-error)",
            modules.join(", ")
        ),
    )
    .hint("exit status 3: fix the file and run again, or --ignore-module it")
    .into())
}

/// One warning per finding still live after a run.
fn warn_findings(ctx: &Context, report: &Report) {
    for finding in &report.findings {
        let verb = if finding.step == UNKNOWN_SECRETS { "not cleared" } else { "still live" };
        ctx.printer.warn(&format!(
            "{verb} after neutralizing: {} (step {}: {})",
            finding.what, finding.step, finding.count
        ));
    }
}

/// The hint for findings: what switches them off.
fn findings_hint(db: &str, report: &Report) -> String {
    let secrets = report.findings.iter().any(|f| f.step == UNKNOWN_SECRETS);
    let others = report.findings.iter().any(|f| f.step != UNKNOWN_SECRETS);
    match (secrets, others) {
        (true, false) => format!(
            "`odoodb neutralize {db} --clear-unknown-secrets` blanks the parameters that look \
             like credentials (or --skip unknown-secrets if they are not)"
        ),
        (true, true) => format!(
            "`odoodb neutralize {db} --clear-unknown-secrets` switches them off, blanking the \
             parameters that look like credentials too"
        ),
        _ => format!("`odoodb neutralize {db}` switches them off"),
    }
}

/// Committed, but findings stay live (steps declined at `--interactive`, or rows that came back):
/// done, but partly, so exit status 3 as with a failed module file.
fn still_live(db: &str, report: &Report) -> Result<()> {
    if report.findings.is_empty() {
        return Ok(());
    }
    let declined: Vec<&str> =
        report.steps.iter().filter(|s| s.status == StepStatus::Declined).map(|s| s.id).collect();
    let why = if declined.is_empty() {
        String::new()
    } else {
        format!(" (declined: {})", declined.join(", "))
    };
    Err(Failure::new(
        crate::error::Kind::Partial,
        format!(
            "{db} was neutralized only in part: {} findings still live{why}",
            report.findings.len()
        ),
    )
    .hint(format!("exit status 3: {}", findings_hint(db, report)))
    .into())
}

/// Says once how many steps `--only`/`--skip` left out (they are neither run nor reported).
fn left_out_note(ctx: &Context, report: &Report) {
    if !report.left_out.is_empty() {
        ctx.printer.status(&format!(
            "{} steps left out by --only/--skip, not checked: {}",
            report.left_out.len(),
            report.left_out.join(", ")
        ));
    }
}

/// Counts again inside the transaction that applies, keeping the user's choices: Odoo may have
/// written since the plan was shown.
async fn replan(
    ctx: &Context,
    transaction: &tokio_postgres::Transaction<'_>,
    selection: &Selection,
    report: &mut Report,
) -> Result<()> {
    let shown = report.live;
    let declined: Vec<&str> =
        report.steps.iter().filter(|s| s.status == StepStatus::Declined).map(|s| s.id).collect();
    let mut steps = neutralize::plan(transaction, selection).await?;
    for step in steps.iter_mut().filter(|s| declined.contains(&s.id)) {
        step.status = StepStatus::Declined;
    }
    report.steps = steps;
    report.live = neutralize::to_change(&report.steps);
    if report.live != shown {
        ctx.printer.status(&format!(
            "the database changed since the plan was shown: {} rows are live now (the plan said {shown})",
            report.live
        ));
    }
    Ok(())
}

/// Asks (or refuses) as the confirmation policy says; returns the module files still to run.
async fn consent(
    ctx: &Context,
    args: &NeutralizeArgs,
    db: &str,
    report: &mut Report,
    mut files: module_files::Options,
    planned_files: usize,
) -> Result<module_files::Options> {
    // A database flagged neutralized is a copy, even when odoo.conf serves it.
    let production = confirm::production_reason(ctx, db)
        .filter(|reason| !report.was_flagged || reason.contains("protect"));
    let typed = match &production {
        Some(reason) if !args.force => {
            confirm::guard_production(ctx, db, reason, "neutralize it", Some(false)).await?;
            true
        }
        _ => false,
    };
    if args.interactive {
        choose_steps(ctx, report).await?;
        if planned_files > 0
            && !confirm::ask(
                ctx,
                &format!("Run the data/neutralize.sql of {planned_files} modules?"),
            )
            .await?
        {
            files.addons_path.clear();
            report.module_files.clear();
        }
        return Ok(files);
    }
    if typed {
        // The typed name was the confirmation.
        return Ok(files);
    }
    let steps = report.steps.iter().filter(|s| s.status == StepStatus::Planned).count();
    let extra = if planned_files > 0 {
        format!(" and run {planned_files} module neutralize.sql files")
    } else {
        String::new()
    };
    let question = format!("Neutralize {db}: change {} rows in {steps} steps{extra}?", report.live);
    if confirm::yes_no(ctx, &question, "neutralize it", db).await? {
        Ok(files)
    } else {
        Err(Failure::declined_for(db).into())
    }
}

/// The audit: counts what is still live, changes nothing, fails with exit 4 on any finding.
async fn check(
    ctx: &Context,
    client: &tokio_postgres::Client,
    db: &str,
    selection: &Selection,
) -> Result<()> {
    let was_flagged = neutralize::is_flagged(client).await?;
    let mut report = Report::new(db, "check", was_flagged);
    report.steps = neutralize::plan(client, selection).await?;
    report.live = neutralize::to_change(&report.steps);
    report.set_findings(neutralize::planned_findings(&report.steps));
    left_out_note(ctx, &report);
    let print = if report.findings.is_empty() { Printer::done } else { Printer::emit };
    print(&ctx.printer, &report, || {
        if report.findings.is_empty() {
            return format!(
                "{} is neutralized: nothing live ({} steps checked, {} skipped: no table).",
                terminal_safe(db),
                report.steps.iter().filter(|s| s.status != StepStatus::Skipped).count(),
                report.skipped().count()
            );
        }
        let mut table = ctx.printer.table(&["STEP", "STILL LIVE", "COUNT"]);
        for finding in &report.findings {
            table.add_row(vec![
                finding.step.to_string(),
                finding.what.clone(),
                finding.count.to_string(),
            ]);
        }
        table.to_string()
    })?;
    if report.findings.is_empty() {
        Ok(())
    } else {
        Err(Failure::check_failed(format!(
            "{db} is not neutralized: {} findings",
            report.findings.len()
        ))
        .hint(findings_hint(db, &report))
        .into())
    }
}

/// `--interactive`: each step with live rows is confirmed or skipped. The flag is not asked
/// about: it is set exactly when nothing the run includes stays live.
async fn choose_steps(ctx: &Context, report: &mut Report) -> Result<()> {
    let asked = report
        .steps
        .iter_mut()
        .filter(|s| s.status == StepStatus::Planned && s.id != neutralize::FLAG_STEP);
    for step in asked {
        let detail = live_detail(step);
        if !confirm::ask(ctx, &format!("{} — {}: {detail}. Apply?", step.id, step.title)).await? {
            step.status = StepStatus::Declined;
        }
    }
    Ok(())
}

/// A step's text, followed by the parts it found no table for.
fn with_unprobed(text: String, step: &StepReport) -> String {
    if step.unprobed.is_empty() {
        text
    } else {
        format!("{text}; not probed: {}", step.unprobed.join("; "))
    }
}

/// A step whose live rows are reported, not changed.
fn report_only(step: &StepReport) -> String {
    format!("{} — reported only: --clear-unknown-secrets clears them", live_detail(step))
}

fn live_detail(step: &StepReport) -> String {
    step.actions
        .iter()
        .filter(|a| a.live > 0)
        .map(|a| format!("{} ({})", a.what, a.live))
        .collect::<Vec<_>>()
        .join("; ")
}

fn plan_text(ctx: &Context, report: &Report, dry_run: bool) -> String {
    let mut table = ctx.printer.table(&["STEP", "ROWS", "WHAT"]);
    for step in &report.steps {
        let (rows, what) = match step.status {
            StepStatus::Planned => (step.live.to_string(), with_unprobed(live_detail(step), step)),
            StepStatus::ReportOnly => (step.live.to_string(), report_only(step)),
            StepStatus::Skipped => {
                ("-".into(), format!("skipped: {}", step.reason.as_deref().unwrap_or("")))
            }
            StepStatus::Excluded => ("-".into(), "excluded".into()),
            _ => ("0".into(), with_unprobed("nothing to do".into(), step)),
        };
        table.add_row(vec![step.id.to_string(), rows, what]);
    }
    let mut text = format!(
        "{} {}: {} rows to change\n{table}",
        if dry_run { "Dry run, nothing changed. Plan for" } else { "Plan for" },
        terminal_safe(&report.database),
        report.live
    );
    text.push_str(&module_files_text(report));
    if dry_run && ctx.printer.verbosity() >= 1 {
        text.push_str("\nSQL:");
        for step in report.steps.iter().filter(|s| s.status == StepStatus::Planned) {
            for action in step.actions.iter().filter(|a| a.live > 0) {
                let _ = write!(text, "\n  -- {}: {}", step.id, action.what);
                if !action.params.is_empty() {
                    let _ = write!(text, " (parameters: {:?})", action.params);
                }
                for sql in &action.sql {
                    let _ = write!(text, "\n  {sql};");
                }
            }
        }
    }
    text
}

fn module_files_text(report: &Report) -> String {
    let mut text = String::new();
    for file in &report.module_files {
        let status = match file.status {
            ModuleFileStatus::Planned => "would run".to_string(),
            ModuleFileStatus::Ran => "ran".to_string(),
            ModuleFileStatus::Failed => {
                format!("FAILED: {}", file.error.as_deref().unwrap_or("unknown error"))
            }
            ModuleFileStatus::NotFound => "installed but not found on the addons path".to_string(),
            ModuleFileStatus::Ignored => "ignored (--ignore-module)".to_string(),
            ModuleFileStatus::NotRun => "not run (an earlier file failed)".to_string(),
        };
        let path = file.path.as_deref().map_or_else(String::new, |p| format!(" ({p})"));
        let _ = write!(text, "\nmodule {}: {status}{path}", file.module);
    }
    text
}

fn done_text(ctx: &Context, report: &Report) -> String {
    let mut table = ctx.printer.table(&["STEP", "CHANGED", "WHAT"]);
    for step in &report.steps {
        let (rows, what) = match step.status {
            StepStatus::Changed => (
                step.changed.to_string(),
                step.actions
                    .iter()
                    .filter(|a| a.changed.unwrap_or(0) > 0)
                    .map(|a| format!("{} ({})", a.what, a.changed.unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            StepStatus::Skipped => {
                ("-".into(), format!("skipped: {}", step.reason.as_deref().unwrap_or("")))
            }
            StepStatus::Excluded => ("-".into(), "excluded".into()),
            StepStatus::Declined => ("-".into(), "declined".into()),
            StepStatus::Withheld => ("-".into(), step.reason.clone().unwrap_or_default()),
            StepStatus::ReportOnly => ("-".into(), report_only(step)),
            _ => ("0".into(), with_unprobed("nothing to do".into(), step)),
        };
        table.add_row(vec![step.id.to_string(), rows, what]);
    }
    let ran = report.module_files.iter().filter(|m| m.status == ModuleFileStatus::Ran).count();
    let verdict = if report.findings.is_empty() {
        "nothing is live any more".to_string()
    } else {
        format!("{} findings still live (see warnings)", report.findings.len())
    };
    let failed =
        report.module_files.iter().filter(|m| m.status == ModuleFileStatus::Failed).count();
    let failed =
        if failed > 0 { format!(", {failed} FAILED (rolled back)") } else { String::new() };
    let mut text = format!(
        "Neutralized {}: {} of {} live rows changed, {ran} module files run{failed}; {verdict}.\n{table}",
        terminal_safe(&report.database),
        report.changed,
        report.live
    );
    text.push_str(&module_files_text(report));
    text
}

#[derive(Serialize)]
struct StepInfo {
    id: &'static str,
    title: &'static str,
    why: &'static str,
}

fn list_steps(ctx: &Context) -> Result<()> {
    let steps: Vec<StepInfo> =
        STEPS.iter().map(|s| StepInfo { id: s.id, title: s.title, why: s.why }).collect();
    ctx.printer.emit(&steps, || {
        let mut table = ctx.printer.table(&["STEP", "WHAT"]);
        for step in &steps {
            table.add_row(vec![step.id, step.title]);
        }
        table.to_string()
    })
}
