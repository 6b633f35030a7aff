//! `odoodb recover`: settles what killed runs left, and lists the changes still under way.

use anyhow::Result;

use crate::cli::RecoverArgs;
use crate::context::Context;
use crate::error::Failure;

pub async fn run(ctx: &Context, _args: &RecoverArgs) -> Result<()> {
    let admin_client = ctx.connect_admin().await?;
    let sweep = ctx.recover(&admin_client).await;
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
