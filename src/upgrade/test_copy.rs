//! The upgraded test copy: the request and the dump of the original (only read, pg_dump's
//! snapshot while Odoo keeps running), the upgrade (platform or local command), then a copy
//! built under a temporary name — restored, upgraded hop by hop, made usable (grant, new
//! identity, neutralized and checked, filestore) — and installed under its name when complete.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::context::Context;
use crate::copy;
use crate::neutralize;
use crate::odoo::{self, identity};
use crate::pg::admin;
use crate::safe::install;
use crate::upgrade::platform::Aim;
use crate::upgrade::target::current_series;
use crate::upgrade::{self as engine, Downloaded, Hop, Remote, Resolved};

#[derive(Debug, Serialize)]
pub struct Report {
    pub database: String,
    pub test_copy: String,
    pub target: String,
    pub engine: &'static str,
    pub request_id: Option<i64>,
    pub hops: Vec<Hop>,
    pub replaced_existing: bool,
    pub uuid: String,
    pub neutralized_rows: u64,
    /// What `--pseudonymize` did (with the new password when odoodb made it).
    pub pseudonymized: Option<crate::pseudonymize::Summary>,
    pub filestore_files: u64,
    pub platform_log: Option<PathBuf>,
    pub total_seconds: f64,
}

/// What the copy is built from, once the upgrade itself is done or under way.
pub enum Source {
    /// The platform's download.
    Platform(Downloaded),
    /// The original's dump, to restore and then upgrade with the local command.
    Command { dump: PathBuf, hops: Vec<Hop> },
}

/// Everything the install of a test copy needs.
pub struct Job<'a> {
    pub db: &'a str,
    pub name: &'a str,
    pub replace: bool,
    pub target: String,
    /// The options of a local command upgrade (its program and hops).
    pub run: Option<&'a Resolved>,
    pub jobs: u32,
    pub neutralize: neutralize::module_files::Options,
    pub pseudonymize: Option<&'a crate::pseudonymize::Request>,
}

/// The request (platform), the dump, the upgrade and the install of the copy.
pub async fn make_copy(
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

/// Builds the copy under a temporary name and installs it under its name; any failure removes
/// the temporaries and leaves everything as it was.
pub async fn install_copy(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    job: &Job<'_>,
    source: Source,
) -> Result<Report> {
    let owner = admin::find_database(admin_client, job.db)
        .await?
        .with_context(|| format!("database {} disappeared", job.db))?
        .owner;
    let spec = copy::Spec {
        operation: "upgrade test",
        name: job.name,
        replace: job.replace,
        with_folder: true,
        keep_previous_as: None,
        end_sessions: true,
    };
    copy::make(ctx, admin_client, &spec, async |install| {
        build(ctx, admin_client, job, install, &owner, source).await
    })
    .await
    .map_err(|not_made| not_made.explain(&format!("making the upgraded test copy {}", job.name)))
}

async fn build(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    job: &Job<'_>,
    install: &mut install::Install<'_, '_>,
    owner: &str,
    source: Source,
) -> Result<Report> {
    let site = ctx.site(admin_client);
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
            hops_keeping_the_last_good(ctx, &site, job, &building, owner, run, &hops).await?;
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
        pseudonymized: done.pseudonymized,
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
        if let Err(error) =
            engine::run_hop(ctx, run, building, &ctx.filestore(job.db), hops, index).await
        {
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
    pseudonymized: Option<crate::pseudonymize::Summary>,
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
    let finish = copy::Finish {
        grant: true,
        identity: Some(identity::Options {
            keep_enterprise_code: false,
            base_url: identity::local_base_url(ctx.config.http_port()),
            mark_regenerated: true,
        }),
        neutralize: Some(&job.neutralize),
        pseudonymize: job.pseudonymize,
        require_neutral: true,
        label: name,
    };
    let finished = copy::finish(ctx, &mut client, &building, &finish).await?;
    drop(client);
    ctx.check_interrupt()?;
    let stats =
        engine::build_filestore(ctx, &ctx.filestore(job.db), install, platform_files).await?;
    if job.pseudonymize.is_some() {
        copy::remove_pseudonymized_files(ctx, &building, &install.building_folder()).await?;
    }
    Ok(Usable {
        uuid: finished.identity.uuid,
        neutralized_rows: finished.neutralized.map_or(0, |report| report.changed),
        pseudonymized: finished.pseudonymized,
        filestore_files: stats.files,
    })
}
