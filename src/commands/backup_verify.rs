//! `odoodb backup --verify FILE`: reads an archive end to end and checks it (see
//! `archive::verify`); exit 4 with the table of findings when anything is wrong.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::archive::detect::Input;
use crate::archive::verify;
use crate::context::Context;
use crate::error::Failure;
use crate::output::Printer;
use crate::pg::tools::Tool;

pub async fn run(ctx: &Context, file: &Path) -> Result<()> {
    let input = Input::parse(&file.to_string_lossy())?;
    let pg_restore = Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let program = pg_restore.program.clone();
    ctx.printer.status(&format!("Verifying {} …", input.describe()));
    let timeouts = ctx.download_timeouts(None, None);
    let cancel = ctx.cancel.clone();
    let report =
        tokio::task::spawn_blocking(move || verify::verify(&input, &program, timeouts, &cancel))
            .await
            .context("the verification stopped unexpectedly")?;
    ctx.check_interrupt()?;
    let print = if report.ok() { Printer::done } else { Printer::emit };
    print(&ctx.printer, &report, || {
        let mut table = ctx.printer.table(&["CHECK", "RESULT", "DETAIL"]);
        for finding in &report.findings {
            table.add_row(vec![
                finding.check.clone(),
                if finding.ok { "ok".to_string() } else { "FAILED".to_string() },
                crate::output::terminal_safe(&finding.detail),
            ]);
        }
        table.to_string()
    })?;
    if !report.ok() {
        let problems = report.findings.iter().filter(|f| !f.ok).count();
        return Err(Failure::check_failed(format!(
            "{} is damaged: {problems} check(s) failed",
            report.archive
        ))
        .hint("do not trust this backup; make a new one")
        .into());
    }
    Ok(())
}
