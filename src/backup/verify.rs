//! `--verify`: an archive read end to end and checked (see `archive::verify`), off the async
//! threads, stopped by Ctrl-C.

use anyhow::{Context as _, Result};

use crate::archive::crypt::Keys;
use crate::archive::detect::Input;
use crate::archive::verify::{self, Report};
use crate::context::Context;
use crate::output::Printer;
use crate::pg::tools::Tool;

/// Reads `archive` (a path or a URL) end to end, decrypted with `keys` when it is encrypted;
/// the report says what failed, if anything.
pub async fn verify_archive(ctx: &Context, archive: &str, keys: &Keys) -> Result<Report> {
    let input = Input::parse(archive, &ctx.config.settings.backup.s3)?;
    let pg_restore = Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let program = pg_restore.program.clone();
    let (timeouts, cancel) = (ctx.download_timeouts(None, None), ctx.cancel.clone());
    let keys = keys.clone();
    let report = tokio::task::spawn_blocking(move || {
        verify::verify(&input, &keys, &program, timeouts, &cancel)
    })
    .await
    .context("the verification stopped unexpectedly")?;
    ctx.check_interrupt()?;
    report
}

/// The findings as a table (CHECK, RESULT, DETAIL).
pub fn findings_table(printer: &Printer, report: &Report) -> String {
    let mut table = printer.table(&["CHECK", "RESULT", "DETAIL"]);
    for finding in &report.findings {
        table.add_row(vec![
            finding.check.clone(),
            if finding.ok { "ok".to_string() } else { "FAILED".to_string() },
            crate::output::terminal_safe(&finding.detail),
        ]);
    }
    table.to_string()
}
