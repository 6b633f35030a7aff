//! `odoodb update <db> --command '…'`: a module update of production within its version, the
//! way `upgrade production --engine command` goes (closed, backed up, updated on a copy,
//! checked, swapped in, the original kept closed), undone by `odoodb upgrade rollback`.

use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::UpdateArgs;
use crate::confirm;
use crate::context::Context;
use crate::odoo;
use crate::pg::admin;
use crate::upgrade::program::require_program;
use crate::upgrade::target::current_series;
use crate::upgrade::{Resolved, default_jobs};
use crate::upgrade::{prepare, production};

#[derive(Debug, Serialize)]
struct Report {
    database: String,
    series: String,
    /// The original, as it was before the update (database and filestore), closed.
    kept_as: String,
    backup: String,
    total_seconds: f64,
}

pub async fn run(ctx: &Context, args: &UpdateArgs) -> Result<()> {
    let started = Instant::now();
    let db = args.db.as_str();
    odoo::name::validate_existing(db)?;
    require_program(&args.command)?;
    let admin_client = ctx.connect_admin().await?;
    ctx.recover(&admin_client).await.require_free(db)?;
    let original = ctx.open_odoo(&admin_client, db).await?;
    ctx.require_filestore_if_needed(&original, db, false).await?;
    let current = current_series(&original).await?;
    drop(original);
    let keep_as = prepare::kept_name(ctx, &admin_client, db, "update").await?;
    let backup_dir = prepare::backup_dir(ctx, args.backup_dir.as_deref())?;
    let row = admin::find_database(&admin_client, db)
        .await?
        .with_context(|| format!("database {db} disappeared"))?;
    let run = Resolved::for_update(
        ctx,
        db,
        current.clone(),
        &args.command,
        args.jobs.unwrap_or_else(default_jobs),
    );
    ctx.printer.status(&describe(args, db, &keep_as, &backup_dir));
    confirm::typed_name(ctx, "update its modules in place", db).await?;

    let job = production::Job {
        db,
        run: &run,
        keep_as: &keep_as,
        backup_dir: &backup_dir,
        owner: &row.owner,
        size: row.size_bytes.unwrap_or(0),
        contract: None,
        hops: &[],
        update: true,
        service: production::Service {
            stop: args.service.stop_cmd.as_deref(),
            post: None,
            start: args.service.start_cmd.as_deref(),
        },
    };
    let updated = production::upgrade(ctx, &admin_client, &job).await?;
    let report = Report {
        database: db.to_string(),
        series: current.to_string(),
        kept_as: keep_as.clone(),
        backup: std::fs::canonicalize(&updated.backup)
            .map_or(updated.backup, |path| path.display().to_string()),
        total_seconds: started.elapsed().as_secs_f64(),
    };
    ctx.printer.done(&report, || {
        format!(
            "Updated {db} in {:.0}s; backup {}.\nThe original is kept as {keep_as}, closed to connections: `odoodb upgrade rollback {db}` puts it back, `odoodb delete {keep_as}` removes it once the update is confirmed",
            report.total_seconds, report.backup
        )
    })?;
    match updated.start_failed {
        None => Ok(()),
        Some(error) => Err(error.context(format!(
            "{db} was updated (the original is kept as {keep_as}), but the service could not be started again"
        ))),
    }
}

/// What is about to happen, for the user to read before typing the name.
fn describe(args: &UpdateArgs, db: &str, keep_as: &str, backup_dir: &std::path::Path) -> String {
    let mut lines = vec![format!("Module update of {db}, in place:")];
    if let Some(command) = &args.service.stop_cmd {
        lines.push(format!("  - the service is stopped: {command}"));
    }
    lines.push(format!("  - {db} is closed to connections: Odoo cannot use it until the end"));
    lines.push(format!("  - a full backup into {} (checked end to end)", backup_dir.display()));
    lines.push(format!("  - on a copy of it: {}", args.command));
    lines.push("  - the check: same version, no module left to upgrade or install".to_string());
    lines.push(format!("  - the swap: {db} becomes {keep_as} (closed), the updated copy {db}"));
    if let Some(command) = &args.service.start_cmd {
        lines.push(format!("  - the service is started: {command}"));
    }
    lines.push(format!("  - any failure before the swap puts {db} back as it was"));
    lines.join("\n")
}
