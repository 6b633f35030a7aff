//! `odoodb upgrade production <db> --target V`: the upgrade of the real database, the way
//! Odoo.sh does it — closed to connections, backed up first, upgraded on a copy, swapped in,
//! the original kept — with every failure put back to exactly what was there.
//!
//! The original is never written: once it is closed, a frozen template copy of it is what the
//! backup reads and what is upgraded (pg_dump could not connect to a closed database anyway).
//! The change is an install with `keep_previous_as` and `reopen` in its journal, so a kill -9
//! at any point is settled by the next odoodb run: temporaries dropped, connections allowed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::engine::{self, Hop, Remote, Resolved};
use crate::archive::BackupFormat;
use crate::backup;
use crate::cli::{Compression, UpgradeProductionArgs};
use crate::confirm;
use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::pg::admin::{self, CopyStrategy};
use crate::safe::install::{self, Install};
use crate::upgrade::platform::Aim;
use crate::upgrade::target::Series;

/// From this size on, a file copy (one checkpoint) beats WAL-logging every block.
const LARGE_DATABASE: i64 = 1 << 30;

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

/// What the steps before the swap produced.
struct Upgraded {
    backup: String,
    hops: Vec<Hop>,
}

/// Times the phases, and names the one under way for the error message.
#[derive(Default)]
struct Phases {
    done: Vec<(String, f64)>,
    current: Option<(String, Instant)>,
}

impl Phases {
    fn start(&mut self, ctx: &Context, name: &str) {
        self.end();
        ctx.printer.verbose(1, &format!("phase: {name}"));
        self.current = Some((name.to_string(), Instant::now()));
    }

    fn end(&mut self) {
        if let Some((name, started)) = self.current.take() {
            self.done.push((name, started.elapsed().as_secs_f64()));
        }
    }

    fn current(&self) -> &str {
        self.current.as_ref().map_or("the start", |(name, _)| name.as_str())
    }
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

    // The request before the downtime: a refused contract or target costs nothing.
    let mut remote = match &contract {
        Some(contract) => Some(Remote::create(ctx, &run, db, Aim::Production, contract).await?),
        None => None,
    };
    let _work = engine::work_dir(&run.work_dir)?;
    let site = ctx.site(&admin_client);
    let mut install = install::begin_upgrade(&site, "upgrade production", db, &keep_as).await?;
    let mut phases = Phases::default();
    let steps = Steps {
        ctx,
        admin_client: &admin_client,
        db,
        owner: &owner,
        size,
        run: &run,
        args,
        backup_dir: &backup_dir,
        hops: &hops,
    };
    let upgraded = steps.before_swap(&mut install, remote.as_mut(), &mut phases).await;
    let outcome = swap_or_put_back(ctx, db, install, upgraded, &mut phases).await;
    let started_again = start_service(ctx, args, db).await;
    let upgraded = match outcome {
        Ok(upgraded) => upgraded,
        Err(error) => {
            // A production upgrade is never resumed: its dumps (copies of production) go; the
            // platform's log and report stay for the post-mortem.
            let logs_kept = engine::discard_dumps(&run.work_dir)?;
            let error = with_logs(error, remote.as_ref(), logs_kept.then_some(&run.work_dir));
            if let Err(start) = started_again {
                ctx.printer.warn(&format!(
                    "{}: start the Odoo service by hand",
                    crate::error::one_line(&start)
                ));
            }
            return Err(error);
        }
    };
    if let Some(remote) = &mut remote {
        remote.save("finished")?;
    }
    engine::remove_work_dir(&run.work_dir)?;
    let report = Report {
        database: db.to_string(),
        target: run.target.to_string(),
        engine: if run.uses_platform() { "platform" } else { "command" },
        request_id: remote.as_ref().map(|r| r.state.request_id),
        hops: upgraded.hops,
        kept_as: keep_as.clone(),
        backup: std::fs::canonicalize(&upgraded.backup)
            .map_or(upgraded.backup, |path| path.display().to_string()),
        phases: phases.done.into_iter().map(|(phase, seconds)| Timing { phase, seconds }).collect(),
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
    started_again.map_err(|error| {
        error.context(format!(
            "{db} was upgraded (the original is kept as {keep_as}), but the service could not be started again"
        ))
    })
}

/// The swap when everything before it went well; else everything put back as it was.
async fn swap_or_put_back(
    ctx: &Context,
    db: &str,
    install: Install<'_, '_>,
    upgraded: Result<Upgraded>,
    phases: &mut Phases,
) -> Result<Upgraded> {
    match upgraded {
        Ok(upgraded) => {
            phases.start(ctx, "swap");
            match install.complete(true).await {
                Ok(installed) => {
                    if let Some(leftover) = installed.leftover {
                        ctx.printer.warn(&leftover);
                    }
                    phases.end();
                    Ok(upgraded)
                }
                Err(error) => {
                    let settled = settle_after_lost_session(ctx, db).await;
                    Err(error.context(format!("the swap of {db} failed{settled}")))
                }
            }
        }
        Err(error) => {
            let failed_at = phases.current().to_string();
            let interrupted = ctx.cancel.is_set();
            let error = match install.abandon().await {
                Ok(()) if interrupted => {
                    ctx.printer.status(&format!(
                        "Interrupted during {failed_at}: {db} is back as it was, open to connections again; nothing was left behind"
                    ));
                    error
                }
                Ok(()) => error.context(format!(
                    "the upgrade of {db} failed during {failed_at}; {db} is back as it was, open to connections again (nothing was left behind)"
                )),
                Err(cleanup) => {
                    let settled = settle_after_lost_session(ctx, db).await;
                    error.context(format!(
                        "the upgrade of {db} failed during {failed_at}, and putting things back failed too ({}){settled}",
                        crate::error::one_line(&cleanup)
                    ))
                }
            };
            Err(if interrupted { Failure::interrupted().into() } else { error })
        }
    }
}

/// When putting things back fails, the likeliest cause is a server that went away (restarted,
/// crashed, failed over) and took the run's session with it — production then stays closed,
/// Odoo down, until someone runs odoodb again. The run's lock died with that session, so the
/// recovery every odoodb run does can finish the job now: wait (a bounded, interruptible while)
/// for the server to answer, let recovery settle the journal, and say where things stand.
async fn settle_after_lost_session(ctx: &Context, db: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    let admin_client = loop {
        match ctx.connect_admin().await {
            Ok(client) => break client,
            Err(_) if std::time::Instant::now() < deadline && !ctx.cancel.is_set() => {
                tokio::select! {
                    () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                    () = ctx.cancel.wait() => {}
                }
            }
            Err(_) => {
                return format!(
                    "; the server does not answer: once it does, run `odoodb recover` to reopen {db} (with --stop-cmd, start the service again)"
                );
            }
        }
    };
    let sweep = ctx.recover(&admin_client).await;
    let open = crate::pg::admin::find_database(&admin_client, db)
        .await
        .ok()
        .flatten()
        .is_some_and(|row| row.allows_connections);
    if sweep.problems.is_empty() && open {
        format!(
            "; recovery settled the change once the server answered: {db} is open to connections again"
        )
    } else {
        format!(
            "; {db} may still be closed to connections: run `odoodb recover` (with --stop-cmd, start the service again)"
        )
    }
}

/// The checks, the preflight and the typed confirmation: nothing is changed before it.
async fn prepare(
    ctx: &Context,
    args: &UpgradeProductionArgs,
    admin_client: &crate::pg::Client,
) -> Result<Plan> {
    let db = args.db.as_str();
    let run = Resolved::new(ctx, db, &args.run)?;
    let sweep = ctx.recover(admin_client).await;
    sweep.require_free(db)?;
    let original = ctx.open_odoo(admin_client, db).await?;
    ctx.require_filestore_if_needed(&original, db, false).await?;
    let current = super::test::current_series(&original).await?;
    let keep_as = kept_name(db, &run.target)?;
    let kept_folder = ctx.filestore(&keep_as);
    if admin::database_exists(admin_client, &keep_as).await?
        || kept_folder.symlink_metadata().is_ok()
    {
        return Err(Failure::failed(format!(
            "{keep_as}, the name that would keep the original, is taken (a database, or the folder {}); nothing was changed",
            kept_folder.display()
        ))
        .hint("rename or remove it, or wait a second and run this again")
        .into());
    }
    let backup_dir = args.backup_dir.clone().unwrap_or_else(|| backup::backup_dir(ctx));
    if !backup_dir.is_dir() {
        let what = if backup_dir.exists() { "is not a folder" } else { "does not exist" };
        return Err(Failure::failed(format!(
            "the backup folder {} {what}; nothing was changed",
            backup_dir.display()
        ))
        .hint("create it, or choose another with --backup-dir (or backup.dir in the settings)")
        .into());
    }
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
    let backup_dir = std::fs::canonicalize(&backup_dir).unwrap_or(backup_dir);
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
    if let Some(command) = &args.stop_cmd {
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
    if let Some(command) = &args.start_cmd {
        lines.push(format!("  - the service is started: {command}"));
    }
    lines.push(format!("  - any failure before the swap puts {db} back as it was"));
    lines.join("\n")
}

/// `<db>_pre_<series>_<YYYY-mm-dd_HH-MM-SS>`: a valid Odoo name that sorts by time, stamped as
/// Odoo stamps its backups.
fn kept_name(db: &str, target: &Series) -> Result<String> {
    let series = if target.saas {
        format!("saas-{}.{}", target.major, target.minor)
    } else {
        format!("{}.{}", target.major, target.minor)
    };
    let name = format!("{db}_pre_{series}_{}", chrono::Local::now().format("%Y-%m-%d_%H-%M-%S"));
    if name.len() > 63 {
        return Err(Failure::failed(format!(
            "the name that would keep the original, {name}, is longer than PostgreSQL's 63 bytes"
        ))
        .hint("rename the database to something shorter first (odoodb rename)")
        .into());
    }
    odoo::name::validate(&name)?;
    Ok(name)
}

/// Runs --start-cmd, whatever happened before (the service must come back either way).
async fn start_service(ctx: &Context, args: &UpgradeProductionArgs, db: &str) -> Result<()> {
    let Some(command) = &args.start_cmd else { return Ok(()) };
    ctx.printer.status(&format!("Starting the service: {command}"));
    engine::run_shell_to_the_end(ctx, command, db).await.map_err(|error| {
        Failure::failed(format!("--start-cmd failed ({})", crate::error::one_line(&error)))
            .hint("start the Odoo service by hand")
            .into()
    })
}

/// Adds where the platform's log is to a failure.
fn with_logs(
    error: anyhow::Error,
    remote: Option<&Remote>,
    logs: Option<&PathBuf>,
) -> anyhow::Error {
    match (remote, logs) {
        (Some(remote), Some(dir)) => error.context(format!(
            "the platform's log: `odoodb upgrade log {} --aim production`, and its files in {}",
            remote.state.db,
            dir.display()
        )),
        (Some(remote), None) => error.context(format!(
            "the platform's log: `odoodb upgrade log {} --aim production`",
            remote.state.db
        )),
        _ => error,
    }
}

struct Steps<'a> {
    ctx: &'a Context,
    admin_client: &'a crate::pg::Client,
    db: &'a str,
    owner: &'a str,
    size: i64,
    run: &'a Resolved,
    args: &'a UpgradeProductionArgs,
    backup_dir: &'a PathBuf,
    hops: &'a [Hop],
}

impl Steps<'_> {
    /// Everything up to the swap, on temporaries only; the original is closed and read.
    async fn before_swap(
        &self,
        install: &mut Install<'_, '_>,
        remote: Option<&mut Remote>,
        phases: &mut Phases,
    ) -> Result<Upgraded> {
        let (ctx, db) = (self.ctx, self.db);
        let building = install.building().to_string();
        if let Some(command) = &self.args.stop_cmd {
            phases.start(ctx, "--stop-cmd");
            ctx.printer.status(&format!("Stopping the service: {command}"));
            engine::run_service_command(ctx, command, db).await.context("--stop-cmd failed")?;
            install.service_stopped(command, self.args.start_cmd.as_deref()).await?;
        }
        phases.start(ctx, "closing the database");
        self.close().await?;
        crate::fault::point("upgrade:closed", &ctx.cancel).await?;

        phases.start(ctx, "freezing a copy");
        ctx.printer.status(&format!("Copying {db} (closed) to work on …"));
        let strategy = strategy(self.admin_client, self.size).await?;
        let sql = admin::create_from_template_sql(&building, db, self.owner, strategy);
        crate::pg::admin::retry_in_use(self.admin_client, db, true, || async {
            crate::sessions::run_cancellable(ctx, self.admin_client, &sql).await
        })
        .await?;
        install.label_building(&format!("upgrade of {db} to {}", self.run.target)).await?;
        ctx.check_interrupt()?;

        phases.start(ctx, "backup");
        let backup = self.backup(&building).await?;
        crate::fault::point("upgrade:after-backup", &ctx.cancel).await?;

        let files_from_platform = if let Some(remote) = remote {
            phases.start(ctx, "dump");
            engine::dump(ctx, &building, &self.run.work_dir, self.run.jobs).await?;
            remote.save("dumped")?;
            self.admin_client
                .batch_execute(&admin::drop_sql(&building, false))
                .await
                .context("cannot drop the frozen copy once dumped")?;
            phases.start(ctx, "upgrade on the platform");
            let downloaded = remote.drive(ctx, self.run.poll).await?;
            phases.start(ctx, "restore of the result");
            ctx.create_odoo_database(self.admin_client, &building, self.owner).await?;
            install.label_building(&format!("upgrade of {db} to {}", self.run.target)).await?;
            engine::restore_dump(
                ctx,
                &downloaded.dump,
                "the upgraded database",
                &building,
                self.owner,
                self.run.jobs,
            )
            .await?;
            downloaded.filestore
        } else {
            phases.start(ctx, "upgrade command");
            // The program upgrades a database whose files are there, as Odoo's own would.
            engine::build_filestore(ctx, &ctx.filestore(db), install, None).await?;
            engine::run_hops(ctx, self.run, &building, self.hops).await?;
            None
        };
        ctx.check_interrupt()?;
        let client = ctx.connect(&building).await?;
        odoo::require_odoo(&client, db).await?;
        let series = super::test::current_series(&client).await?;
        if series != self.run.target {
            return Err(Failure::failed(format!(
                "the upgraded database is at {series}, not {}: it is not swapped in",
                self.run.target
            ))
            .into());
        }
        crate::odoo::grant_like_odoo(&client).await?;
        drop(client);

        phases.start(ctx, "filestore");
        engine::build_filestore(ctx, &ctx.filestore(db), install, files_from_platform.as_deref())
            .await?;
        if let Some(command) = &self.args.post_command {
            phases.start(ctx, "--post-command");
            ctx.printer
                .status(&format!("Running the post-command on the upgraded copy: {command}"));
            let target = self.run.target.to_string();
            engine::run_shell(ctx, command, &building, &[("ODOODB_TARGET", &target)])
                .await
                .context("--post-command failed")?;
        }
        crate::fault::point("upgrade:before-swap", &ctx.cancel).await?;
        ctx.check_interrupt()?;
        Ok(Upgraded { backup, hops: self.hops.to_vec() })
    }

    /// Closes the database to new connections and ends the sessions it has.
    async fn close(&self) -> Result<()> {
        let (ctx, db) = (self.ctx, self.db);
        ctx.printer.status(&format!("Closing {db} to connections and ending its sessions …"));
        self.admin_client
            .batch_execute(&admin::allow_connections_sql(db, false))
            .await
            .with_context(|| format!("cannot close {db} to connections"))?;
        for _ in 0..100 {
            admin::terminate_sessions(self.admin_client, db).await?;
            if admin::sessions(self.admin_client, db).await?.is_empty() {
                return Ok(());
            }
            tokio::select! {
                () = tokio::time::sleep(std::time::Duration::from_millis(100)) => {}
                () = ctx.cancel.wait() => return Err(Failure::interrupted().into()),
            }
        }
        Err(Failure::failed(format!("the sessions of {db} did not end within 10 s")).into())
    }

    /// A full backup of the frozen copy, under the original's name, checked end to end.
    async fn backup(&self, building: &str) -> Result<String> {
        let ctx = self.ctx;
        let request = backup::Request {
            format: BackupFormat::TarGz,
            target: backup::Target::Dir(self.backup_dir.clone()),
            keep: None,
            no_filestore: false,
            compression: Compression::Default,
            jobs: usize::try_from(self.run.jobs).unwrap_or(1),
            read_from: Some(building.to_string()),
        };
        let report = backup::make(ctx, self.db, &request).await?;
        ctx.printer.status(&format!("Backed up {} to {}; verifying …", self.db, report.path));
        let input = crate::archive::detect::Input::parse(&report.path)?;
        let pg_restore =
            crate::pg::tools::Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
        let program = pg_restore.program.clone();
        let (timeouts, cancel) = (ctx.download_timeouts(None, None), ctx.cancel.clone());
        let verified = tokio::task::spawn_blocking(move || {
            crate::archive::verify::verify(&input, &program, timeouts, &cancel)
        })
        .await
        .context("the verification stopped unexpectedly")?;
        ctx.check_interrupt()?;
        if !verified.ok() {
            let failed: Vec<String> = verified
                .findings
                .iter()
                .filter(|f| !f.ok)
                .map(|f| format!("{}: {}", f.check, f.detail))
                .collect();
            return Err(Failure::failed(format!(
                "the backup {} does not verify ({})",
                report.path,
                failed.join("; ")
            ))
            .into());
        }
        Ok(report.path)
    }
}

async fn strategy(admin_client: &crate::pg::Client, size: i64) -> Result<Option<CopyStrategy>> {
    if admin::server_version_num(admin_client).await? < 150_000 {
        return Ok(None);
    }
    Ok(Some(if size < LARGE_DATABASE { CopyStrategy::WalLog } else { CopyStrategy::FileCopy }))
}
