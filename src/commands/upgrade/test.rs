//! `odoodb upgrade test <db> --target V`: an upgraded, neutralized copy under a new name. The
//! original is only read (pg_dump's snapshot: Odoo keeps running); the copy is built under a
//! temporary name through the install change and appears under its name only when complete.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::engine::{self, Downloaded, Hop, Remote, Resolved};
use crate::cli::{UpgradeNeutralizeArgs, UpgradeTestArgs};
use crate::context::Context;
use crate::error::Failure;
use crate::neutralize;
use crate::odoo::{self, identity};
use crate::pg::admin;
use crate::safe::install;
use crate::upgrade::platform::Aim;
use crate::upgrade::target::Series;
use crate::{confirm, filestore};

#[derive(Debug, Serialize)]
pub(super) struct Report {
    pub database: String,
    pub test_copy: String,
    pub target: String,
    pub engine: &'static str,
    pub request_id: Option<i64>,
    pub hops: Vec<Hop>,
    pub replaced_existing: bool,
    pub uuid: String,
    pub neutralized_rows: u64,
    pub filestore_files: u64,
    pub platform_log: Option<PathBuf>,
    pub total_seconds: f64,
}

/// What the copy is built from, once the upgrade itself is done or under way.
pub(super) enum Source {
    /// The platform's download.
    Platform(Downloaded),
    /// The original's dump, to restore and then upgrade with the local command.
    Command { dump: PathBuf, hops: Vec<Hop> },
}

/// Everything the install of a test copy needs.
pub(super) struct Job<'a> {
    pub db: &'a str,
    pub name: &'a str,
    pub replace: bool,
    pub target: String,
    /// The options of a local command upgrade (its program and hops).
    pub run: Option<&'a Resolved>,
    pub jobs: u32,
    pub neutralize: neutralize::module_files::Options,
}

pub async fn run(ctx: &Context, args: &UpgradeTestArgs) -> Result<()> {
    let started = Instant::now();
    odoo::name::validate_existing(&args.db)?;
    let run = Resolved::new(ctx, &args.db, &args.run)?;
    let name = args.name.clone().unwrap_or_else(|| default_name(&args.db, &run.target));
    odoo::name::validate(&name)?;
    if name == args.db {
        return Err(crate::error::usage_error(
            "the test copy cannot have the original's name",
            "choose another --name (default <db>_test_<target>)",
        ));
    }
    let admin_client = ctx.connect_admin().await?;
    let sweep = ctx.recover(&admin_client).await;
    sweep.require_free(&args.db)?;
    sweep.require_free(&name)?;
    let original = ctx.open_odoo(&admin_client, &args.db).await?;
    ctx.require_filestore_if_needed(&original, &args.db, false).await?;
    let replace = target_exists(ctx, &admin_client, &name).await?;
    if replace && !args.force {
        return Err(Failure::failed(format!("{name} already exists; nothing was changed"))
            .hint("choose another --name, or pass --force to replace it once the new copy is complete")
            .into());
    }
    engine::preflight(ctx, &args.db, &run).await?;
    if replace {
        let action = "replace it with a new upgraded test copy";
        match confirm::production_reason(ctx, &name) {
            Some(reason) => confirm::guard_production(ctx, &name, &reason, action, None).await?,
            None => confirm::typed_name(ctx, action, &name).await?,
        }
    }
    let _work = engine::work_dir(&run.work_dir)?;
    let mut remote = None;
    let job = Job {
        db: &args.db,
        name: &name,
        replace,
        target: run.target.to_string(),
        run: Some(&run),
        jobs: run.jobs,
        neutralize: module_files(&run.addons_path, &args.neutralize),
    };
    let made = make_copy(ctx, &admin_client, &job, &run, original, &mut remote).await;
    let mut report = match made {
        Ok(report) => report,
        // A platform request can be resumed: its dump (and download) stay for it.
        Err(error) if remote.is_some() => return Err(kept_for_resume(ctx, error, &args.db, &run)),
        Err(error) => {
            engine::remove_work_dir(&run.work_dir)?;
            return Err(error);
        }
    };
    report.request_id = remote.as_ref().map(|r| r.state.request_id);
    report.total_seconds = started.elapsed().as_secs_f64();
    if let Some(remote) = &mut remote {
        remote.save("finished")?;
    }
    engine::remove_work_dir(&run.work_dir)?;
    emit(ctx, &report)
}

/// The request (platform), the dump, the upgrade and the install of the copy.
async fn make_copy(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    job: &Job<'_>,
    run: &Resolved,
    original: crate::pg::Client,
    remote: &mut Option<Remote>,
) -> Result<Report> {
    // The request first: a refused contract or target costs seconds, not a dump.
    if run.uses_platform() {
        let contract = engine::contract(ctx, run.contract_flag.as_deref(), &original).await?;
        let mut created = Remote::create(ctx, run, job.db, Aim::Test, &contract).await?;
        created.state.names.insert("result".into(), job.name.to_string());
        created.state.replace = job.replace;
        created.save("created")?;
        *remote = Some(created);
    }
    let current = current_series(&original).await?;
    drop(original);
    let dump = engine::dump(ctx, job.db, &run.work_dir, run.jobs).await?;
    let source = match remote {
        Some(remote) => {
            remote.save("dumped")?;
            Source::Platform(remote.drive(ctx, run.poll).await?)
        }
        None => Source::Command { dump, hops: engine::hops(&current, &run.target) },
    };
    install_copy(ctx, admin_client, job, source).await
}

/// `<db>_test_<major>` (`prod_test_18`), `<db>_test_saas-18.3` for a saas target.
fn default_name(db: &str, target: &Series) -> String {
    if target.saas {
        format!("{db}_test_saas-{}.{}", target.major, target.minor)
    } else {
        format!("{db}_test_{}", target.major)
    }
}

async fn target_exists(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    name: &str,
) -> Result<bool> {
    let folder = ctx.filestore(name);
    filestore::require_folder_or_absent(&folder, &format!("the filestore of {name}"))?;
    Ok(admin::database_exists(admin_client, name).await? || folder.symlink_metadata().is_ok())
}

pub(super) async fn current_series(client: &crate::pg::Client) -> Result<Series> {
    let version = odoo::base_version(client).await?;
    version
        .as_deref()
        .and_then(odoo::version::series)
        .as_deref()
        .and_then(Series::parse)
        .ok_or_else(|| {
            Failure::failed(format!(
                "cannot read the database's version (module base is at {})",
                version.as_deref().unwrap_or("nothing")
            ))
            .into()
        })
}

/// The test copy's neutralize.sql files come from the target's addons path, never from
/// odoo.conf's (the current version's code).
pub(super) fn module_files(
    addons_path: &[PathBuf],
    args: &UpgradeNeutralizeArgs,
) -> neutralize::module_files::Options {
    neutralize::module_files::Options {
        addons_path: if args.no_module_files { Vec::new() } else { addons_path.to_vec() },
        ignore: args.ignore_module.clone(),
        continue_on_error: false,
    }
}

fn kept_for_resume(ctx: &Context, error: anyhow::Error, db: &str, run: &Resolved) -> anyhow::Error {
    let resume = format!(
        "the request and its files stay in {} until then (remove the folder to give up)",
        run.work_dir.display()
    );
    if ctx.cancel.is_set() {
        ctx.printer.status(&format!(
            "Interrupted: nothing was created; `odoodb upgrade resume {db}` continues where the platform is; {resume}"
        ));
        return error;
    }
    error.context(format!(
        "the test upgrade of {db} stopped; nothing was created (`odoodb upgrade resume {db}` continues where the platform is; {resume})"
    ))
}

/// Builds the copy under a temporary name and installs it under its name; any failure removes
/// the temporaries and leaves everything as it was.
pub(super) async fn install_copy(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    job: &Job<'_>,
    source: Source,
) -> Result<Report> {
    let owner = admin::find_database(admin_client, job.db)
        .await?
        .with_context(|| format!("database {} disappeared", job.db))?
        .owner;
    let site = ctx.site(admin_client);
    let install = install::begin(&site, "upgrade test", job.name, job.replace, true).await?;
    let built = build(ctx, admin_client, &site, job, &install, &owner, source).await;
    let report = match built {
        Ok(report) => report,
        Err(error) => {
            let interrupted = ctx.cancel.is_set();
            let error = match install.abandon().await {
                Ok(()) => error.context(format!(
                    "the upgraded test copy {} was not made (its temporary database and folder were removed)",
                    job.name
                )),
                Err(cleanup) => error.context(format!(
                    "the upgraded test copy {} was not made, and removing its temporary copy failed too ({}); `odoodb recover` removes it (so does the next odoodb run that changes something)",
                    job.name,
                    crate::error::one_line(&cleanup)
                )),
            };
            return Err(if interrupted { Failure::interrupted().into() } else { error });
        }
    };
    let installed = install.complete(true).await?;
    if let Some(leftover) = installed.leftover {
        ctx.printer.warn(&leftover);
    }
    Ok(report)
}

async fn build(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    site: &crate::safe::Site<'_>,
    job: &Job<'_>,
    install: &install::Install<'_, '_>,
    owner: &str,
    source: Source,
) -> Result<Report> {
    let building = install.building().to_string();
    ctx.create_odoo_database(admin_client, &building, owner).await?;
    install.label_building(&format!("upgraded test copy of {} for {}", job.db, job.name)).await?;
    let (hops, platform_files, platform_log) = match source {
        Source::Platform(downloaded) => {
            engine::restore_dump(
                ctx,
                &downloaded.dump,
                "the upgraded database",
                &building,
                owner,
                job.jobs,
            )
            .await?;
            (Vec::new(), downloaded.filestore, downloaded.log)
        }
        Source::Command { dump, hops } => {
            engine::restore_dump(ctx, &dump, "the copy to upgrade", &building, owner, job.jobs)
                .await?;
            let run = job.run.context("a command upgrade needs its options")?;
            // The program upgrades a database whose files are there, as Odoo's own would.
            engine::build_filestore(ctx, &ctx.filestore(job.db), install, None).await?;
            hops_keeping_the_last_good(ctx, site, job, &building, owner, run, &hops).await?;
            (hops, None, None)
        }
    };
    let done = make_usable(ctx, job, job.name, install, platform_files.as_deref()).await?;
    crate::fault::point("upgrade:before-swap", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    Ok(Report {
        database: job.db.to_string(),
        test_copy: job.name.to_string(),
        target: job.target.clone(),
        engine: if hops.is_empty() { "platform" } else { "command" },
        request_id: None,
        hops,
        replaced_existing: job.replace,
        uuid: done.uuid,
        neutralized_rows: done.neutralized_rows,
        filestore_files: done.filestore_files,
        platform_log,
        total_seconds: 0.0,
    })
}

/// Runs the hops; before each hop after the first, the copy as the last hop left it is
/// snapshotted (journaled, as an install of its own), so that a failing hop leaves a usable,
/// neutralized copy at the last version reached, named `<name>_<version>`.
async fn hops_keeping_the_last_good(
    ctx: &Context,
    site: &crate::safe::Site<'_>,
    job: &Job<'_>,
    building: &str,
    owner: &str,
    run: &Resolved,
    hops: &[Hop],
) -> Result<()> {
    let mut snapshot: Option<(install::Install<'_, '_>, String)> = None;
    for index in 0..hops.len() {
        if index > 0 {
            if let Some((previous, _)) = snapshot.take() {
                previous.abandon().await?;
            }
            let major = hops[index].from.split('.').next().unwrap_or_default();
            let name = format!("{}_{major}", job.name);
            if name.len() <= 63
                && odoo::name::validate(&name).is_ok()
                && !site.db_exists(&name).await?
            {
                let keep = install::begin(site, "upgrade test (last good hop)", &name, false, true)
                    .await?;
                let sql = admin::create_from_template_sql(keep.building(), building, owner, None);
                let copied = admin::retry_in_use(site.admin, building, true, || async {
                    crate::sessions::run_cancellable(ctx, site.admin, &sql).await
                })
                .await;
                let files = match copied {
                    Ok(()) => engine::build_filestore(ctx, &site.folder(building), &keep, None)
                        .await
                        .map(drop),
                    Err(error) => Err(error),
                };
                if let Err(error) = files {
                    keep.abandon().await?;
                    return Err(error);
                }
                keep.label_building(&format!("copy of {} at {}", job.name, hops[index].from))
                    .await?;
                ctx.printer.verbose(
                    1,
                    &format!("keeping the copy at {} in case the next hop fails", hops[index].from),
                );
                snapshot = Some((keep, name));
            }
        }
        if let Err(error) = engine::run_hop(ctx, run, building, hops, index).await {
            let Some((keep, name)) = snapshot else { return Err(error) };
            if ctx.cancel.is_set() {
                keep.abandon().await?;
                return Err(error);
            }
            ctx.printer.status(&format!("Keeping the copy at {} as {name} …", hops[index].from));
            let kept = match make_usable(ctx, job, &name, &keep, None).await {
                Ok(_) => keep.complete(false).await.map(drop),
                Err(why) => {
                    keep.abandon().await?;
                    Err(why)
                }
            };
            return Err(match kept {
                Ok(()) => error.context(format!(
                    "the copy upgraded up to {} is kept, neutralized, as {name}",
                    hops[index].from
                )),
                Err(why) => error.context(format!(
                    "the copy at {} could not be kept ({})",
                    hops[index].from,
                    crate::error::one_line(&why)
                )),
            });
        }
    }
    if let Some((keep, _)) = snapshot {
        keep.abandon().await?;
    }
    Ok(())
}

/// What a finished copy reports.
struct Usable {
    uuid: String,
    neutralized_rows: u64,
    filestore_files: u64,
}

/// Makes an install's database a test copy one can open: Odoo's grant, a new identity, every
/// neutralize step (checked), and the original's filestore (plus the platform's new files).
async fn make_usable(
    ctx: &Context,
    job: &Job<'_>,
    name: &str,
    install: &install::Install<'_, '_>,
    platform_files: Option<&std::path::Path>,
) -> Result<Usable> {
    let building = install.building().to_string();
    ctx.check_interrupt()?;
    let mut client = ctx.connect(&building).await?;
    odoo::require_odoo(&client, name).await?;
    crate::odoo::grant_like_odoo(&client).await?;
    identity::renew(
        &mut client,
        &identity::Options {
            keep_enterprise_code: false,
            base_url: identity::local_base_url(ctx.config.http_port()),
            mark_regenerated: true,
        },
    )
    .await?;
    ctx.printer.status(&format!("Neutralizing {name} …"));
    let log = |line: &str| ctx.printer.verbose(1, line);
    let neutralized = neutralize::unattended(
        &mut client,
        &building,
        &job.neutralize,
        &ctx.cancel,
        &ctx.params,
        &log,
    )
    .await
    .map_err(crate::neutralize::explain)?;
    if !neutralized.findings.is_empty() {
        let steps: Vec<&str> = neutralized.findings.iter().map(|f| f.step).collect();
        return Err(Failure::failed(format!(
            "the upgraded copy is not fully neutralized: steps {} still find live rows",
            steps.join(", ")
        ))
        .into());
    }
    let uuid = identity::read(&client).await?.uuid;
    drop(client);
    ctx.check_interrupt()?;
    let stats =
        engine::build_filestore(ctx, &ctx.filestore(job.db), install, platform_files).await?;
    Ok(Usable { uuid, neutralized_rows: neutralized.changed, filestore_files: stats.files })
}

pub(super) fn emit(ctx: &Context, report: &Report) -> Result<()> {
    ctx.printer.done(report, || {
        let hops = match report.hops.first() {
            Some(first) if report.hops.len() > 1 => {
                let path: Vec<&str> = report.hops.iter().map(|h| h.to.as_str()).collect();
                format!(", {} → {}", first.from, path.join(" → "))
            }
            _ => String::new(),
        };
        format!(
            "Upgraded test copy {} of {} is ready ({}{hops}, {:.0}s): neutralized ({} rows changed), new database.uuid {}, {} filestore files.\nOpen it with Odoo {}: odoo-bin -d {} (the original {} was not changed)",
            report.test_copy,
            report.database,
            if report.engine == "command" { "local command" } else { "Odoo's platform" },
            report.total_seconds,
            report.neutralized_rows,
            report.uuid,
            report.filestore_files,
            report.target,
            report.test_copy,
            report.database
        )
    })
}
