//! The local upgrade program: run once per major version, in its own process group, with the
//! connection in its environment.

use std::os::fd::AsFd as _;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::run::Resolved;
use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::pg::tools::Tool;
use crate::upgrade::target::Series;

/// One run of the local upgrade program: from which series to which.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Hop {
    pub from: String,
    pub to: String,
}

/// The hops from `current` to `target`: one per major (OpenUpgrade's way), or one straight to
/// a `saas~` target or the next major.
pub(crate) fn hops(current: &Series, target: &Series) -> Vec<Hop> {
    if target.saas || target.major <= current.major + 1 {
        return vec![Hop { from: current.to_string(), to: target.to_string() }];
    }
    let mut hops = Vec::new();
    let mut from = current.to_string();
    for major in current.major + 1..=target.major {
        let to = format!("{major}.0");
        hops.push(Hop { from: from.clone(), to: to.clone() });
        from = to;
    }
    hops
}

/// Runs the upgrade command once per hop against `db`, a copy of the database whose filestore
/// folder is `original`; after each, base must be at the hop's version (a program that exits 0
/// without upgrading is a failure too).
pub(crate) async fn run_hops(
    ctx: &Context,
    run: &Resolved,
    db: &str,
    original: &Path,
    hops: &[Hop],
) -> Result<()> {
    for index in 0..hops.len() {
        run_hop(ctx, run, db, original, hops, index).await?;
    }
    Ok(())
}

/// Runs hop `index` of `hops` against `db` (a copy of the database whose filestore folder is
/// `original`).
pub(crate) async fn run_hop(
    ctx: &Context,
    run: &Resolved,
    db: &str,
    original: &Path,
    hops: &[Hop],
    index: usize,
) -> Result<()> {
    let command = run.command.as_deref().unwrap_or_default();
    let hop = &hops[index];
    let label = format!("hop {}/{} ({} → {})", index + 1, hops.len(), hop.from, hop.to);
    ctx.printer.status(&format!("Upgrading, {label}: {command}"));
    let started = Instant::now();
    let extra = [("ODOODB_TARGET", hop.to.as_str()), ("ODOODB_FROM", hop.from.as_str())];
    let result = run_shell(ctx, command, db, &extra).await;
    let stopped = |error: anyhow::Error| {
        let done = if index == 0 {
            String::new()
        } else {
            format!(" (the hops before it succeeded, up to {})", hop.from)
        };
        error.context(format!("the upgrade stopped at {label}{done}"))
    };
    result.map_err(stopped)?;
    super::result::adopt_added(ctx, original, &ctx.filestore(db)).map_err(stopped)?;
    let client = ctx.connect(db).await?;
    let now = odoo::base_version(&client).await?;
    let series = now.as_deref().and_then(odoo::version::series);
    if series.as_deref() != Some(hop.to.as_str()) {
        return Err(stopped(
            Failure::failed(format!(
                "the command exited 0, but module base is at {} instead of {}",
                now.as_deref().unwrap_or("nothing"),
                hop.to
            ))
            .into(),
        ));
    }
    ctx.printer.verbose(1, &format!("{label} done in {:.1}s", started.elapsed().as_secs_f64()));
    Ok(())
}

/// Runs a module update (`odoodb update`) once against `db` (a copy of the database whose
/// filestore folder is `original`); base must still be on `series`
/// after it (an update never changes the version).
pub(crate) async fn run_update(
    ctx: &Context,
    run: &Resolved,
    db: &str,
    original: &Path,
) -> Result<()> {
    let command = run.command.as_deref().unwrap_or_default();
    let series = run.target.to_string();
    ctx.printer.status(&format!("Updating the copy: {command}"));
    run_shell(ctx, command, db, &[("ODOODB_SERIES", series.as_str())])
        .await
        .context("the update program failed")?;
    super::result::adopt_added(ctx, original, &ctx.filestore(db))?;
    let client = ctx.connect(db).await?;
    let now = odoo::base_version(&client).await?;
    if now.as_deref().and_then(odoo::version::series).as_deref() != Some(series.as_str()) {
        return Err(Failure::failed(format!(
            "the update left module base at {} instead of {series}: an update stays on its version",
            now.as_deref().unwrap_or("nothing")
        ))
        .hint("upgrade to another version with `odoodb upgrade production`")
        .into());
    }
    Ok(())
}

/// Runs a user's shell command with the database's connection in its environment: the
/// password in an in-memory password file handed to that program alone (PGPASSFILE=/dev/fd/N),
/// never in argv, in PGPASSWORD, nor on disk.
pub(crate) async fn run_shell(
    ctx: &Context,
    command: &str,
    db: &str,
    extra: &[(&str, &str)],
) -> Result<()> {
    run_shell_until(ctx, command, db, extra, Some(&ctx.cancel), Leftovers::Stop).await
}

/// Runs a service command (`--stop-cmd`): cancellable, and what it leaves running is its own.
pub(crate) async fn run_service_command(ctx: &Context, command: &str, db: &str) -> Result<()> {
    run_shell_until(ctx, command, db, &[], Some(&ctx.cancel), Leftovers::Leave).await
}

/// Runs a command that must run even after Ctrl-C (starting the service again).
pub(crate) async fn run_shell_to_the_end(ctx: &Context, command: &str, db: &str) -> Result<()> {
    run_shell_until(ctx, command, db, &[], None, Leftovers::Leave).await
}

/// What becomes of the processes a command left behind in its group once it exits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Leftovers {
    /// Stopped: they would work on (or hold sessions to) a copy about to be swapped or dropped.
    Stop,
    /// Left alone: a service the command started is meant to keep running.
    Leave,
}

async fn run_shell_until(
    ctx: &Context,
    command: &str,
    db: &str,
    extra: &[(&str, &str)],
    cancel: Option<&crate::cancel::Cancel>,
    leftovers: Leftovers,
) -> Result<()> {
    let psql = Tool::find("psql", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let mut shell = tokio::process::Command::new("sh");
    shell.arg("-c").arg(command);
    // The connection of the pg tools, password file included, with the shell as the program.
    psql.connect(&mut shell, db)?;
    shell
        .env("ODOODB_DB", db)
        .env("ODOODB_DATA_DIR", &ctx.config.data_dir.value)
        .env("ODOODB_FILESTORE", ctx.filestore(db))
        .stdin(std::process::Stdio::null())
        // A group of its own: at Ctrl-C the whole program (odoo-bin and its workers, not just
        // the shell) is stopped, by us, before the copy it works on is dropped.
        .process_group(0)
        .kill_on_drop(true);
    for (key, value) in extra {
        shell.env(key, value);
    }
    // Its output is the user's to see, on stderr (stdout stays for --json).
    if let Ok(stderr) = std::io::stderr().as_fd().try_clone_to_owned() {
        shell.stdout(std::process::Stdio::from(stderr));
    }
    let mut process = shell.spawn().context("cannot run sh")?;
    let group = process.id().and_then(|id| i32::try_from(id).ok()).map(nix::unistd::Pid::from_raw);
    let cancelled = async {
        match cancel {
            Some(cancel) => cancel.wait().await,
            None => std::future::pending().await,
        }
    };
    let status = tokio::select! {
        status = process.wait() => status.context("the command did not finish")?,
        () = cancelled => {
            if let Some(group) = group {
                let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGTERM);
                let ended = tokio::time::timeout(Duration::from_secs(10), process.wait()).await;
                if ended.is_err() {
                    let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
                }
            }
            let _ = process.kill().await;
            return Err(Failure::interrupted().into());
        }
    };
    if let (Some(group), Leftovers::Stop) = (group, leftovers) {
        // ESRCH (nothing left) is the usual answer.
        let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGTERM);
    }
    if !status.success() {
        return Err(Failure::failed(format!("`{command}` failed ({status})")).into());
    }
    Ok(())
}
