//! `odoodb recover`: settles what killed runs left, and lists the changes still under way.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::RecoverArgs;
use crate::context::Context;
use crate::error::Failure;
use crate::run_files;

pub async fn run(ctx: &Context, _args: &RecoverArgs) -> Result<()> {
    // Before connecting: a password file on disk is settled even when the server is down.
    let old = crate::pg::tools::remove_old_passfiles();
    for path in &old.removed {
        ctx.printer.warn(&format!(
            "removed {}, a password file an older odoodb left behind",
            path.display()
        ));
    }
    for problem in &old.problems {
        ctx.printer.warn(problem);
    }
    // Backups killed half way: their dump and partial archive beside the target, their spools
    // in the temporary folder, each marked with a run whose lock is now free.
    let mut folders = vec![std::env::temp_dir(), PathBuf::from(".")];
    if let Some(dir) = &ctx.config.settings.backup.dir {
        folders.push(dir.clone());
    }
    let scratch: Vec<PathBuf> = folders.iter().flat_map(|dir| run_files::sweep(dir)).collect();
    for path in &scratch {
        ctx.printer
            .warn(&format!("recovered: removed {}, left by a killed odoodb run", path.display()));
    }
    // Uploads killed half way: their parts, invisible and billed, are aborted on the server.
    let crate::objects::Settled { aborted, problems: upload_problems } =
        crate::objects::settle_abandoned(&ctx.config.settings.backup.s3, &ctx.cancel).await?;
    for line in &aborted {
        ctx.printer.warn(&format!("recovered: {line}"));
    }
    for line in &upload_problems {
        ctx.printer.warn(line);
    }
    let admin_client = ctx.connect_admin().await?;
    let mut sweep = ctx.recover(&admin_client).await;
    sweep.settled.extend(aborted);
    sweep.problems.extend(upload_problems.into_iter().map(crate::safe::recover::Problem::unnamed));
    sweep.settled.extend(
        scratch
            .iter()
            .map(|path| format!("removed {}, left by a killed odoodb run", path.display())),
    );
    sweep.settled.extend(
        old.removed.iter().map(|path| {
            format!("removed {}, a password file an older odoodb left", path.display())
        }),
    );
    sweep.problems.extend(old.problems.into_iter().map(crate::safe::recover::Problem::unnamed));
    ctx.printer.done(&sweep, || {
        let mut lines: Vec<String> = Vec::new();
        for pending in &sweep.in_progress {
            lines.push(format!(
                "under way: {} (on {} pid {}, since {})",
                pending.change, pending.host, pending.pid, pending.started_at
            ));
        }
        if lines.is_empty()
            && sweep.settled.is_empty()
            && sweep.problems.is_empty()
            && sweep.strangers.is_empty()
        {
            lines.push("Nothing to recover.".to_string());
        }
        lines.join("\n")
    })?;
    if sweep.problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{} interrupted change(s) or leftovers could not be settled (see the warnings above)",
            sweep.problems.len()
        ))
        .hint("fix what they name (permissions, disk space), then run `odoodb recover` again")
        .into())
    }
}
