//! Template copies, renames and drops need a database nobody is connected to. This module
//! shows who is, gets the user's consent (or `--force-disconnect`) to end those sessions, and
//! runs the statement right after ending them, since Odoo's workers reconnect within moments.

use anyhow::Result;

use crate::confirm;
use crate::context::Context;
use crate::error::Failure;
use crate::output::terminal_safe;
use crate::pg::{self, Client, admin};

/// Whether other sessions may be ended when the statement runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Granted,
    /// Nobody was connected when we looked; a newcomer who stays makes the statement fail.
    NotNeeded,
}

/// Shows who is connected to `db` and decides whether they may be disconnected.
pub async fn consent(
    ctx: &Context,
    admin_client: &Client,
    db: &str,
    force_disconnect: bool,
) -> Result<Consent> {
    // Other odoodb runs (a `list` probing every database) come and go within moments; the
    // statement waits for them instead of asking anyone to end them.
    let sessions: Vec<_> = admin::sessions(admin_client, db)
        .await?
        .into_iter()
        .filter(|s| s.application != "odoodb")
        .collect();
    if sessions.is_empty() {
        return Ok(Consent::NotNeeded);
    }
    let mut table = ctx.printer.table(&["PID", "APPLICATION", "CLIENT", "USER", "SINCE"]);
    for s in &sessions {
        table.add_row(vec![
            s.pid.to_string(),
            terminal_safe(&s.application),
            s.client.clone(),
            s.user.clone().unwrap_or_default(),
            s.since.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default(),
        ]);
    }
    ctx.printer.status(&format!("{} session(s) connected to {db}:\n{table}", sessions.len()));
    if force_disconnect {
        return Ok(Consent::Granted);
    }
    if ctx.interactive && !ctx.assume_yes {
        let question = format!("Disconnect the {} session(s) of {db}?", sessions.len());
        if confirm::yes_no(ctx, &question, "disconnect its sessions", db).await? {
            return Ok(Consent::Granted);
        }
        return Err(Failure::declined().into());
    }
    Err(Failure::failed(format!("{db} has {} connected session(s)", sessions.len()))
        .unchanged()
        .hint("stop Odoo (or its workers) first, or pass --force-disconnect to end the sessions")
        .into())
}

/// Runs `sql` (which needs `db` free), ending `db`'s sessions first when consent was given,
/// and cancelling the statement cleanly at Ctrl-C.
pub async fn run_exclusive(
    ctx: &Context,
    admin_client: &Client,
    db: &str,
    consent: Consent,
    sql: &str,
) -> Result<()> {
    ctx.printer.verbose(1, &format!("sql: {sql}"));
    admin::retry_in_use(admin_client, db, consent == Consent::Granted, || {
        run_cancellable(ctx, admin_client, sql)
    })
    .await
}

/// Runs `sql`; at Ctrl-C asks the server to cancel it and waits for the statement to end, so
/// nothing runs on behind us. What it did then is for the caller to read back from the server:
/// a cancel can arrive too late.
pub async fn run_cancellable(ctx: &Context, client: &Client, sql: &str) -> Result<()> {
    let statement = async { client.batch_execute(sql).await.map_err(anyhow::Error::from) };
    pg::interruptible(&ctx.cancel, &ctx.params, client.cancel_token(), statement).await
}

/// Ends every session of `db` — closed to new connections by the caller, so none comes back —
/// and waits (up to 10 s, Ctrl-C stops it) until the server lists none.
pub async fn end_all(ctx: &Context, admin_client: &Client, db: &str) -> Result<()> {
    for _ in 0..100 {
        admin::terminate_sessions(admin_client, db).await?;
        if admin::sessions(admin_client, db).await?.is_empty() {
            return Ok(());
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_millis(100)) => {}
            () = ctx.cancel.wait() => return Err(Failure::interrupted().into()),
        }
    }
    Err(Failure::failed(format!("the sessions of {db} did not end within 10 s")).into())
}
