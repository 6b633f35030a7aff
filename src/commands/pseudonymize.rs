//! `odoodb pseudonymize <db>`: plan, confirm, rewrite in one transaction, report; `--dry-run`;
//! or `--check <copy> --against <source>`.

use anyhow::Result;

use crate::cli::PseudonymizeArgs;
use crate::confirm;
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::fault;
use crate::odoo;
use crate::output::terminal_safe;
use crate::pseudonymize::{self, NewPassword, Report, check};

pub async fn run(ctx: &Context, args: &PseudonymizeArgs) -> Result<()> {
    let db = args.db.as_str();
    odoo::name::validate_existing(db)?;
    let options = super::pseudonymization_options(ctx, &args.options)?;
    if args.check {
        let Some(source) = args.against.as_deref() else {
            return Err(usage_error("--check needs the source", "add --against SOURCE"));
        };
        return prove(ctx, db, source, &options).await;
    }
    let admin_client = ctx.connect_admin().await?;
    let mut client = ctx.open_odoo(&admin_client, db).await?;
    let neutralized = crate::neutralize::is_flagged(&client).await?;
    drop(admin_client);
    // A run cut after its commit left files to remove: that run is finished first.
    pseudonymize::attachments::settle(&client, &ctx.filestore(db)).await?;
    let mut report = pseudonymize::plan(&client, db, &options).await?;
    if args.dry_run {
        return ctx.printer.emit(&report, || text(&report, None, "Dry run: nothing was changed."));
    }
    if !ctx.printer.is_json() {
        ctx.printer.status(&text(&report, None, "The plan:"));
    }
    // Read first, so a bad file changes nothing.
    let new_password = NewPassword::choose(args.options.password_file.as_deref())?;
    consent(ctx, args, db, &report, neutralized).await?;
    ctx.check_interrupt()?;
    let log = |line: &str| ctx.printer.verbose(2, line);
    pseudonymize::transact(
        &mut client,
        &mut report,
        &options,
        &new_password,
        &ctx.cancel,
        &ctx.params,
        &log,
    )
    .await
    .map_err(|error| error.context(format!("{db} was not changed: it was all rolled back")))?;
    fault::point("pseudonymize:after-commit", &ctx.cancel).await?;
    let removed = pseudonymize::attachments::settle(&client, &ctx.filestore(db)).await?;
    if let Some(attachments) = &mut report.attachments {
        attachments.files_removed = removed;
    }
    let shown = new_password.generated.then(|| new_password.secret.expose().to_string());
    let done = super::Pseudonymized { report: &report, new_password: shown.as_deref() };
    // A password made here is shown even under --quiet: it is not written anywhere else.
    let print =
        if shown.is_some() { crate::output::Printer::emit } else { crate::output::Printer::done };
    print(&ctx.printer, &done, || text(&report, shown.as_deref(), "Pseudonymized:"))
}

/// Production (odoo.conf db_name, `protect`, or not neutralized) needs its name typed, `--yes`
/// or not; anything else a yes.
async fn consent(
    ctx: &Context,
    args: &PseudonymizeArgs,
    db: &str,
    report: &Report,
    neutralized: bool,
) -> Result<()> {
    let production = confirm::production_reason(ctx, db)
        .or_else(|| (!neutralized).then(|| "it is not neutralized".to_string()));
    if let Some(reason) = &production
        && !args.force
    {
        // The typed name is the confirmation.
        return confirm::guard_production(ctx, db, reason, "pseudonymize it", Some(false)).await;
    }
    if !neutralized {
        ctx.printer.warn(&format!(
            "{db} is not neutralized: pseudonymize resets users' credentials, not the servers' (mail, payment, API keys); run `odoodb neutralize {db}` too"
        ));
    }
    let question = format!(
        "Pseudonymize {db}: rewrite {} rows in {} tables and reset every credential?",
        report.rows(),
        report.tables.len()
    );
    if confirm::yes_no(ctx, &question, "pseudonymize it", db).await? {
        Ok(())
    } else {
        Err(Failure::declined_for(db).into())
    }
}

/// `--check`: exit 4 naming what survived.
async fn prove(
    ctx: &Context,
    copy: &str,
    source: &str,
    options: &pseudonymize::Options,
) -> Result<()> {
    odoo::name::validate_existing(source)?;
    let admin_client = ctx.connect_admin().await?;
    let copy_client = ctx.open_odoo(&admin_client, copy).await?;
    let source_client = ctx.open_odoo(&admin_client, source).await?;
    drop(admin_client);
    let report =
        check::check(&copy_client, &source_client, (copy, source), options, &ctx.cancel).await?;
    let text = || {
        let mut table = ctx.printer.table(&["COLUMN", "ROWS STILL THE SOURCE'S"]);
        for finding in &report.findings {
            table.add_row(vec![finding.what.clone(), finding.rows.to_string()]);
        }
        let head = format!(
            "{} against {}: {} columns, {} rows compared",
            terminal_safe(copy),
            terminal_safe(source),
            report.columns,
            report.rows_compared
        );
        if report.findings.is_empty() { head } else { format!("{head}\n{table}") }
    };
    if report.findings.is_empty() {
        return ctx.printer.done(&report, text);
    }
    ctx.printer.emit(&report, text)?;
    Err(Failure::check_failed(format!(
        "{copy} still holds values or credentials of {source}: {} columns",
        report.findings.len()
    ))
    .hint(format!("run `odoodb pseudonymize {copy}` (with the options the copy was made with)"))
    .into())
}

fn text(report: &Report, new_password: Option<&str>, head: &str) -> String {
    use std::fmt::Write as _;
    let mut text = head.to_string();
    for table in &report.tables {
        let _ =
            write!(text, "\n  {}: {} rows ({})", table.table, table.rows, table.columns.join(", "));
    }
    for derived in report.derived.iter().filter(|d| d.rows > 0) {
        let _ = write!(
            text,
            "\n  {}: {} rows made again from the pseudonyms",
            derived.column, derived.rows
        );
    }
    for reset in report.credentials.iter().filter(|c| c.rows > 0) {
        let _ = write!(text, "\n  {}: {} rows", reset.what, reset.rows);
    }
    if let Some(files) = report.attachments.as_ref().filter(|a| a.rows > 0) {
        let _ = write!(
            text,
            "\n  ir_attachment: {} files of people's records ({}{})",
            files.rows,
            files.mode.as_str(),
            if files.files_removed > 0 {
                format!("; {} removed from the filestore", files.files_removed)
            } else {
                String::new()
            }
        );
    }
    if !report.absent.is_empty() {
        let _ = write!(text, "\n  not in this database: {}", report.absent.join(", "));
    }
    if let Some(password) = new_password {
        let _ = write!(
            text,
            "\nEvery user's password is now: {password}\n(shown this once; hashed with {} rounds as Odoo does)",
            report.password_rounds
        );
    }
    terminal_safe(&text)
}
