//! The build of a restore, in the install's temporary database and folder.

use std::time::Instant;

use anyhow::{Context as _, Result};

use super::plan::Plan;
use super::{Source, load_source};
use crate::context::Context;
use crate::copy;
use crate::error::Failure;
use crate::fault;
use crate::filestore;
use crate::odoo::{self, identity};
use crate::pg::Client;
use crate::pg::load::Loader;
use crate::safe::install::Install;

/// What the build made, before it is installed.
pub struct Built {
    pub identity: identity::NewIdentity,
    pub neutralized: Option<Vec<(String, u64)>>,
    pub pseudonymized: Option<crate::pseudonymize::Summary>,
    pub files: u64,
    pub bytes: u64,
    /// Attachments stored in the filestore while the archive carried no file at all.
    pub attachments_without_files: i64,
    pub load_seconds: f64,
}

/// Builds the restore in the install's temporary names: the database created as Odoo creates
/// it, the source loaded (dump and filestore at once where the format allows), checked to be
/// Odoo's, then finished (grant, identity when a copy, neutralization when asked).
pub async fn build(
    ctx: &Context,
    admin_client: &Client,
    plan: &Plan,
    install: &mut Install<'_, '_>,
    loader: Loader,
    source: Source,
) -> Result<Built> {
    let building = install.building().to_string();
    ctx.create_odoo_database(admin_client, &building, &plan.owner).await?;
    install.label_building(&format!("restore into {}", plan.target)).await?;
    fault::point("restore:after-create", &ctx.cancel).await?;
    ctx.check_interrupt()?;

    let step = Instant::now();
    ctx.printer.status(&format!("Loading into {} …", plan.target));
    let owner = filestore::owner_like_root(&ctx.filestore_root())?;
    let folder = install.building_folder();
    let bar = load_bar(ctx, &source);
    let progress_bar = bar.clone();
    let db = building.clone();
    let work_folder = folder.clone();
    let counts = tokio::task::spawn_blocking(move || {
        load_source(source, &loader, &db, &work_folder, owner, &|n| progress_bar.inc(n))
    })
    .await
    .context("the restore stopped unexpectedly")??;
    bar.finish_and_clear();
    let load_seconds = step.elapsed().as_secs_f64();
    fault::point("restore:after-load", &ctx.cancel).await?;
    ctx.check_interrupt()?;

    let mut client = ctx.connect(&building).await?;
    odoo::require_odoo(&client, &plan.target).await.map_err(|error| {
        Failure::failed(format!(
            "the dump loaded, but it is not an Odoo database ({})",
            crate::error::one_line(&error)
        ))
        .hint("odoodb restores Odoo databases; use pg_restore or psql for others")
    })?;
    let attachments_without_files =
        if counts.files == 0 { odoo::attachment_counts(&client).await?.in_filestore } else { 0 };
    let finish = copy::Finish {
        grant: true,
        identity: plan.copy.then(|| identity::Options {
            keep_enterprise_code: false,
            base_url: identity::local_base_url(ctx.config.http_port()),
            mark_regenerated: plan.neutralize.is_some(),
        }),
        neutralize: plan.neutralize.as_ref(),
        pseudonymize: plan.pseudonymize.as_ref(),
        label: &format!("the restore of {}", plan.target),
        ..copy::Finish::default()
    };
    let finished = copy::finish(ctx, &mut client, &building, &finish).await?;
    drop(client);
    if plan.pseudonymize.is_some() {
        copy::remove_pseudonymized_files(ctx, &building, &folder).await?;
    }
    if !plan.with_folder {
        // The scratch space of a dump-only restore: the new database has no folder of its own.
        filestore::remove(&folder)?;
    }
    fault::point("before-swap", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    Ok(Built {
        neutralized: finished.neutralized_steps(),
        pseudonymized: finished.pseudonymized,
        identity: finished.identity,
        files: counts.files,
        bytes: counts.file_bytes,
        attachments_without_files,
        load_seconds,
    })
}

/// The load's progress: against the sizes the archive declares where it declares them (our
/// manifest, a zip's directory), else what has been read so far; a dump pg_restore reads by
/// itself shows only that it is working.
fn load_bar(ctx: &Context, source: &Source) -> indicatif::ProgressBar {
    let total =
        match source {
            Source::Tar { head, .. } => head.manifest.odoodb.as_ref().map(|ours| {
                ours.dump.bytes + ours.filestore.as_ref().map_or(0, |files| files.bytes)
            }),
            Source::Zip(file) => file
                .try_clone()
                .ok()
                .and_then(|file| ::zip::ZipArchive::new(file).ok())
                .map(|mut zip| {
                    (0..zip.len())
                        .filter_map(|index| zip.by_index_raw(index).ok().map(|entry| entry.size()))
                        .sum()
                }),
            Source::CustomFile(_) | Source::Directory(_) => {
                let bar = ctx.printer.bar(0, "{spinner} pg_restore {elapsed}");
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                return bar;
            }
            Source::CustomStream(_) | Source::Sql(_) => None,
        };
    let bar = match total {
        Some(total) => ctx.printer.bar(
            total,
            "{spinner} load [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        ),
        None => ctx.printer.bar(0, "{spinner} {bytes} read {bytes_per_sec} {elapsed}"),
    };
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
