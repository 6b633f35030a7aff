//! The production upgrade's steps, the way Odoo.sh does it — closed to connections, backed up
//! first, upgraded on a copy, swapped in, the original kept — with every failure put back to
//! exactly what was there.
//!
//! The original is never written: once it is closed, a frozen template copy of it is what the
//! backup reads and what is upgraded (pg_dump could not connect to a closed database anyway).
//! The change is an install with `keep_previous_as` and `reopen` in its journal, so a kill -9
//! at any point is settled by the next odoodb run: temporaries dropped, connections allowed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};

use crate::archive::BackupFormat;
use crate::backup;
use crate::cli::Compression;
use crate::context::Context;
use crate::copy::{self, NotMade};
use crate::error::Failure;
use crate::odoo;
use crate::pg::admin;
use crate::safe::install::Install;
use crate::secret::Secret;
use crate::upgrade::platform::Aim;
use crate::upgrade::target::current_series;
use crate::upgrade::{self as engine, Hop, Remote, Resolved};

/// The service's commands around the upgrade (`--stop-cmd`, `--post-command`, `--start-cmd`).
#[derive(Default)]
pub struct Service<'a> {
    pub stop: Option<&'a str>,
    /// Run on the upgraded copy, before the swap.
    pub post: Option<&'a str>,
    pub start: Option<&'a str>,
}

/// Everything the upgrade of production needs, decided and confirmed.
pub struct Job<'a> {
    pub db: &'a str,
    pub run: &'a Resolved,
    pub keep_as: &'a str,
    pub backup_dir: &'a PathBuf,
    pub owner: &'a str,
    pub size: i64,
    pub contract: Option<&'a Secret>,
    pub hops: &'a [Hop],
    pub service: Service<'a>,
    /// A module update within the version (`odoodb update`): the command runs once, and base
    /// must stay on the version it was.
    pub update: bool,
}

/// A finished upgrade.
pub struct Done {
    pub request_id: Option<i64>,
    pub hops: Vec<Hop>,
    /// Where the backup taken before the upgrade is.
    pub backup: String,
    pub phases: Vec<(String, f64)>,
    /// `--start-cmd` failed after a good upgrade: reported after the upgrade itself.
    pub start_failed: Option<anyhow::Error>,
}

/// The upgrade: the request (before the downtime: a refused contract or target costs nothing),
/// the steps up to the swap on temporaries, the swap, and `--start-cmd` whatever happened.
/// Any failure leaves production as it was, open, its dumps removed.
pub async fn upgrade(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    job: &Job<'_>,
) -> Result<Done> {
    let (db, run) = (job.db, job.run);
    let mut remote = match job.contract {
        Some(contract) => Some(Remote::create(ctx, run, db, Aim::Production, contract).await?),
        None => None,
    };
    let _work = engine::work_dir(&run.work_dir)?;
    let mut phases = Phases::default();
    let steps = Steps { ctx, admin_client, job };
    let spec = copy::Spec {
        operation: "upgrade production",
        name: db,
        replace: true,
        with_folder: true,
        keep_previous_as: Some(job.keep_as),
        end_sessions: true,
    };
    let made = copy::make(ctx, admin_client, &spec, async |install| {
        let upgraded = steps.before_swap(install, remote.as_mut(), &mut phases).await?;
        phases.start(ctx, "swap");
        Ok(upgraded)
    })
    .await;
    let outcome = match made {
        Ok(upgraded) => {
            phases.end();
            Ok(upgraded)
        }
        // Nothing was stopped or closed yet: nothing to put back, no service to start.
        Err(NotMade::NotStarted(error)) => return Err(error),
        Err(not_made) => Err(put_back(ctx, db, not_made, phases.current()).await),
    };
    let started_again = start_service(ctx, job.service.start, db).await;
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
    Ok(Done {
        request_id: remote.as_ref().map(|r| r.state.request_id),
        hops: upgraded.hops,
        backup: upgraded.backup,
        phases: phases.done,
        start_failed: started_again.err(),
    })
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

/// What a failed upgrade says: where it failed, and that production is back as it was — or,
/// when putting it back failed too, what recovery did about it.
async fn put_back(ctx: &Context, db: &str, not_made: NotMade, failed_at: &str) -> anyhow::Error {
    match not_made {
        NotMade::NotStarted(error) => error,
        NotMade::NotInstalled(error) => {
            let settled = settle_after_lost_session(ctx, db).await;
            error.context(format!("the swap of {db} failed{settled}"))
        }
        NotMade::Abandoned { error, cleanup: None, interrupted: true } => {
            ctx.printer.status(&format!(
                "Interrupted during {failed_at}: {db} is back as it was, open to connections again; nothing was left behind"
            ));
            drop(error);
            Failure::interrupted().into()
        }
        NotMade::Abandoned { error, cleanup: None, interrupted: false } => error.context(format!(
            "the upgrade of {db} failed during {failed_at}; {db} is back as it was, open to connections again (nothing was left behind)"
        )),
        NotMade::Abandoned { error, cleanup: Some(cleanup), interrupted } => {
            let settled = settle_after_lost_session(ctx, db).await;
            let error = error.context(format!(
                "the upgrade of {db} failed during {failed_at}, and putting things back failed too ({}){settled}",
                crate::error::one_line(&cleanup)
            ));
            if interrupted { Failure::interrupted().into() } else { error }
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

/// Runs --start-cmd, whatever happened before (the service must come back either way).
async fn start_service(ctx: &Context, command: Option<&str>, db: &str) -> Result<()> {
    let Some(command) = command else { return Ok(()) };
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
    job: &'a Job<'a>,
}

impl Steps<'_> {
    /// Everything up to the swap, on temporaries only; the original is closed and read.
    async fn before_swap(
        &self,
        install: &mut Install<'_, '_>,
        remote: Option<&mut Remote>,
        phases: &mut Phases,
    ) -> Result<Upgraded> {
        let (ctx, db) = (self.ctx, self.job.db);
        let building = install.building().to_string();
        if let Some(command) = self.job.service.stop {
            phases.start(ctx, "--stop-cmd");
            ctx.printer.status(&format!("Stopping the service: {command}"));
            engine::run_service_command(ctx, command, db).await.context("--stop-cmd failed")?;
            install.service_stopped(command, self.job.service.start).await?;
        }
        phases.start(ctx, "closing the database");
        self.close().await?;
        crate::fault::point("upgrade:closed", &ctx.cancel).await?;

        phases.start(ctx, "freezing a copy");
        ctx.printer.status(&format!("Copying {db} (closed) to work on …"));
        let strategy =
            copy::template_strategy(self.admin_client, None, Some(self.job.size)).await?;
        let sql = admin::create_from_template_sql(&building, db, self.job.owner, strategy);
        crate::pg::admin::retry_in_use(self.admin_client, db, true, || async {
            crate::sessions::run_cancellable(ctx, self.admin_client, &sql).await
        })
        .await?;
        install.label_building(&format!("upgrade of {db} to {}", self.job.run.target)).await?;
        ctx.check_interrupt()?;
        let pending_before = pending_modules(&ctx.connect(&building).await?).await?;

        phases.start(ctx, "backup");
        let backup = self.backup(&building).await?;
        crate::fault::point("upgrade:after-backup", &ctx.cancel).await?;

        let files_from_platform = if let Some(remote) = remote {
            phases.start(ctx, "dump");
            engine::dump(ctx, &building, &self.job.run.work_dir, self.job.run.jobs).await?;
            remote.save("dumped")?;
            self.admin_client
                .batch_execute(&admin::drop_sql(&building, false))
                .await
                .context("cannot drop the frozen copy once dumped")?;
            phases.start(ctx, "upgrade on the platform");
            let downloaded = remote.drive(ctx, self.job.run.poll).await?;
            phases.start(ctx, "restore of the result");
            ctx.create_odoo_database(self.admin_client, &building, self.job.owner).await?;
            install.label_building(&format!("upgrade of {db} to {}", self.job.run.target)).await?;
            engine::restore_dump(
                ctx,
                &downloaded.dump,
                "the upgraded database",
                &building,
                self.job.owner,
                self.job.run.jobs,
            )
            .await?;
            downloaded.filestore
        } else {
            phases.start(ctx, "upgrade command");
            // The program upgrades a database whose files are there, as Odoo's own would.
            engine::build_filestore(ctx, &ctx.filestore(db), install, None).await?;
            if self.job.update {
                engine::run_update(ctx, self.job.run, &building, &ctx.filestore(db)).await?;
            } else {
                engine::run_hops(ctx, self.job.run, &building, &ctx.filestore(db), self.job.hops)
                    .await?;
            }
            None
        };
        ctx.check_interrupt()?;
        let client = ctx.connect(&building).await?;
        odoo::require_odoo(&client, db).await?;
        let series = current_series(&client).await?;
        if series != self.job.run.target {
            return Err(Failure::failed(format!(
                "the upgraded database is at {series}, not {}: it is not swapped in",
                self.job.run.target
            ))
            .into());
        }
        crate::odoo::grant_like_odoo(&client).await?;
        drop(client);

        phases.start(ctx, "filestore");
        engine::build_filestore(ctx, &ctx.filestore(db), install, files_from_platform.as_deref())
            .await?;
        if let Some(command) = self.job.service.post {
            phases.start(ctx, "--post-command");
            ctx.printer
                .status(&format!("Running the post-command on the upgraded copy: {command}"));
            let target = self.job.run.target.to_string();
            engine::run_shell(ctx, command, &building, &[("ODOODB_TARGET", &target)])
                .await
                .context("--post-command failed")?;
            engine::adopt_added(ctx, &ctx.filestore(db), &install.building_folder())?;
        }
        // Last, so that what --post-command did is checked too.
        let client = ctx.connect(&building).await?;
        require_settled_modules(ctx, &client, &pending_before).await?;
        drop(client);
        crate::fault::point("upgrade:before-swap", &ctx.cancel).await?;
        ctx.check_interrupt()?;
        Ok(Upgraded { backup, hops: self.job.hops.to_vec() })
    }

    /// Closes the database to new connections and ends the sessions it has.
    async fn close(&self) -> Result<()> {
        let (ctx, db) = (self.ctx, self.job.db);
        ctx.printer.status(&format!("Closing {db} to connections and ending its sessions …"));
        self.admin_client
            .batch_execute(&admin::allow_connections_sql(db, false))
            .await
            .with_context(|| format!("cannot close {db} to connections"))?;
        crate::sessions::end_all(ctx, self.admin_client, db).await
    }

    /// A full backup of the frozen copy, under the original's name, checked end to end.
    async fn backup(&self, building: &str) -> Result<String> {
        let ctx = self.ctx;
        let request = backup::Request {
            format: BackupFormat::TarGz,
            target: backup::Target::Dir(self.job.backup_dir.clone()),
            retention: backup::Policy::default(),
            no_filestore: false,
            compression: Compression::Default,
            jobs: usize::try_from(self.job.run.jobs).unwrap_or(1),
            read_from: Some(building.to_string()),
            encrypt: None,
        };
        let report = backup::make(ctx, self.job.db, &request).await?;
        ctx.printer.status(&format!("Backed up {} to {}; verifying …", self.job.db, report.path));
        let verified =
            backup::verify_archive(ctx, &report.path, &crate::archive::crypt::Keys::none()).await?;
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

/// The modules Odoo would still upgrade, install or remove at its next start, as `name (state)`.
async fn pending_modules(client: &crate::pg::Client) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT name || ' (' || state || ')' FROM ir_module_module \
              WHERE state IN ('to upgrade', 'to install', 'to remove') ORDER BY name",
            &[],
        )
        .await
        .context("cannot read the modules' states")?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// A module the program left to upgrade, install or remove means it stopped half way: such a
/// database is not swapped in. One that was so before it ran (an Apps action never finished
/// in production) is the program's to leave: said, not refused.
async fn require_settled_modules(
    ctx: &Context,
    client: &crate::pg::Client,
    before: &[String],
) -> Result<()> {
    let after = pending_modules(client).await?;
    let left: Vec<&String> = after.iter().filter(|m| !before.contains(m)).collect();
    let stale: Vec<&String> = after.iter().filter(|m| before.contains(m)).collect();
    if !stale.is_empty() {
        let names: Vec<&str> = stale.iter().map(|m| m.as_str()).collect();
        ctx.printer.warn(&format!(
            "modules already pending before the program ran are still pending: {}",
            names.join(", ")
        ));
    }
    if left.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = left.iter().take(10).map(|m| m.as_str()).collect();
    Err(Failure::failed(format!(
        "the program left {} modules unfinished ({}{}): it is not swapped in",
        left.len(),
        shown.join(", "),
        if left.len() > shown.len() { ", …" } else { "" }
    ))
    .hint("run the program again so that it finishes (Odoo's -u with --stop-after-init), and check its log")
    .into())
}
