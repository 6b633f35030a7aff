//! `odoodb upgrade production <db> --target V`: the checks, the plan on screen and the typed
//! name; then the upgrade (`upgrade::production`: closed, backed up, upgraded on a copy,
//! swapped in, the original kept, any failure put back) and its report.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::UpgradeProductionArgs;
use crate::confirm;
use crate::context::Context;
use crate::odoo;
use crate::pg::admin;
use crate::upgrade::target::{Series, current_series};
use crate::upgrade::{self as engine, Hop, Resolved, prepare, production};

#[derive(Debug, Serialize)]
struct Report {
    database: String,
    target: String,
    engine: &'static str,
    request_id: Option<i64>,
    hops: Vec<Hop>,
    /// The original, as it was before the upgrade (database and filestore).
    kept_as: String,
    backup: String,
    phases: Vec<Timing>,
    total_seconds: f64,
}

#[derive(Debug, Serialize)]
struct Timing {
    phase: String,
    seconds: f64,
}

/// Everything decided before anything changes.
struct Plan {
    run: Resolved,
    keep_as: String,
    backup_dir: PathBuf,
    owner: String,
    size: i64,
    contract: Option<crate::secret::Secret>,
    hops: Vec<Hop>,
}

pub async fn run(ctx: &Context, args: &UpgradeProductionArgs) -> Result<()> {
    let started = Instant::now();
    let db = args.db.as_str();
    odoo::name::validate_existing(db)?;
    let admin_client = ctx.connect_admin().await?;
    let Plan { run, keep_as, backup_dir, owner, size, contract, hops } =
        prepare(ctx, args, &admin_client).await?;

    let job = production::Job {
        db,
        run: &run,
        keep_as: &keep_as,
        backup_dir: &backup_dir,
        owner: &owner,
        size,
        contract: contract.as_ref(),
        hops: &hops,
        update: false,
        service: production::Service {
            stop: args.service.stop_cmd.as_deref(),
            post: args.post_command.as_deref(),
            start: args.service.start_cmd.as_deref(),
        },
    };
    let upgraded = production::upgrade(ctx, &admin_client, &job).await?;
    let report = Report {
        database: db.to_string(),
        target: run.target.to_string(),
        engine: if run.uses_platform() { "platform" } else { "command" },
        request_id: upgraded.request_id,
        hops: upgraded.hops,
        kept_as: keep_as.clone(),
        backup: std::fs::canonicalize(&upgraded.backup)
            .map_or(upgraded.backup, |path| path.display().to_string()),
        phases: upgraded
            .phases
            .into_iter()
            .map(|(phase, seconds)| Timing { phase, seconds })
            .collect(),
        total_seconds: started.elapsed().as_secs_f64(),
    };
    ctx.printer.done(&report, || {
        format!(
            "Upgraded {db} to {} in {:.0}s ({}); backup {}.\nThe original is kept as {keep_as} (database and filestore): a twin of production (same uuid, crons, mail servers), so keep Odoo off it (dbfilter) and drop it once the upgrade is confirmed (odoodb delete {keep_as})",
            report.target,
            report.total_seconds,
            if report.engine == "command" { "local command" } else { "Odoo's platform" },
            report.backup
        )
    })?;
    match upgraded.start_failed {
        None => Ok(()),
        Some(error) => Err(error.context(format!(
            "{db} was upgraded (the original is kept as {keep_as}), but the service could not be started again"
        ))),
    }
}

/// The checks, the preflight and the typed confirmation: nothing is changed before it.
async fn prepare(
    ctx: &Context,
    args: &UpgradeProductionArgs,
    admin_client: &crate::pg::Client,
) -> Result<Plan> {
    let db = args.db.as_str();
    let run = super::resolve(ctx, db, &args.run)?;
    let sweep = ctx.recover(admin_client).await;
    sweep.require_free(db)?;
    let original = ctx.open_odoo(admin_client, db).await?;
    ctx.require_filestore_if_needed(&original, db, false).await?;
    let current = current_series(&original).await?;
    let keep_as = prepare::kept_name(ctx, admin_client, db, &kept_series(&run.target)).await?;
    let backup_dir = prepare::backup_dir(ctx, args.backup_dir.as_deref())?;
    let row = admin::find_database(admin_client, db)
        .await?
        .with_context(|| format!("database {db} disappeared"))?;
    engine::preflight(ctx, db, &run).await?;
    let contract = if run.uses_platform() {
        Some(engine::contract(ctx, run.contract_flag.as_deref(), &original).await?)
    } else {
        None
    };
    drop(original);
    let hops = if run.uses_platform() { Vec::new() } else { engine::hops(&current, &run.target) };
    let sessions = admin::sessions(admin_client, db).await?.len();
    ctx.printer.status(&describe(args, db, &current, &run, &keep_as, &backup_dir, sessions));
    confirm::typed_name(ctx, &format!("upgrade it to {} in place", run.target), db).await?;
    Ok(Plan {
        run,
        keep_as,
        backup_dir,
        owner: row.owner,
        size: row.size_bytes.unwrap_or(0),
        contract,
        hops,
    })
}

/// What is about to happen, for the user to read before typing the name.
fn describe(
    args: &UpgradeProductionArgs,
    db: &str,
    current: &Series,
    run: &Resolved,
    keep_as: &str,
    backup_dir: &std::path::Path,
    sessions: usize,
) -> String {
    let engine = if run.uses_platform() { "Odoo's upgrade platform" } else { "the local command" };
    let mut lines =
        vec![format!("Upgrade of {db} from {current} to {} by {engine}, in place:", run.target)];
    if let Some(command) = &args.service.stop_cmd {
        lines.push(format!("  - the service is stopped: {command}"));
    }
    let ended = match sessions {
        0 => "no session is open now".to_string(),
        1 => "its open session is ended".to_string(),
        n => format!("its {n} open sessions are ended"),
    };
    lines.push(format!(
        "  - {db} is closed to connections ({ended}): Odoo cannot use it until the end (downtime)"
    ));
    lines.push(format!("  - a full backup into {} (checked end to end)", backup_dir.display()));
    lines.push("  - the upgrade of a copy of it".to_string());
    if let Some(command) = &args.post_command {
        lines.push(format!("  - on the upgraded copy: {command}"));
    }
    lines.push(format!(
        "  - the swap: {db} becomes {keep_as}, the upgraded copy becomes {db} (same identity)"
    ));
    if let Some(command) = &args.service.start_cmd {
        lines.push(format!("  - the service is started: {command}"));
    }
    lines.push(format!("  - any failure before the swap puts {db} back as it was"));
    lines.join("\n")
}

/// The series as the kept name shows it (`18.0`, `saas-17.2`).
fn kept_series(target: &Series) -> String {
    if target.saas {
        format!("saas-{}.{}", target.major, target.minor)
    } else {
        format!("{}.{}", target.major, target.minor)
    }
}
