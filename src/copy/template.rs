//! A duplicate: a template copy of the source database and a copy of its filestore, built in
//! an install's temporary names and finished (new identity, neutralized if asked).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::fault;
use crate::filestore::{self, Mode};
use crate::neutralize::module_files;
use crate::odoo::identity;
use crate::output::bytes;
use crate::pg::Client;
use crate::pg::admin::{self, CopyStrategy};
use crate::safe::install::Install;
use crate::sessions::{self, Consent};

/// Everything decided before anything changes.
pub struct Plan {
    pub source: String,
    pub target: String,
    pub replace: bool,
    pub strategy: Option<CopyStrategy>,
    /// The role that owns the copy.
    pub owner: String,
    pub identity: identity::Options,
    pub neutralize: Option<module_files::Options>,
    pub pseudonymize: Option<crate::pseudonymize::Request>,
    pub filestore_mode: Option<Mode>,
    pub source_folder: PathBuf,
    pub target_folder: PathBuf,
    pub source_usage: filestore::Usage,
}

/// What the build produced, before it is installed.
pub struct Built {
    pub database_seconds: f64,
    pub identity: identity::NewIdentity,
    pub neutralized: Option<Vec<(String, u64)>>,
    pub pseudonymized: Option<crate::pseudonymize::Summary>,
    pub stats: filestore::CopyStats,
    pub filestore_seconds: f64,
}

fn create_sql(plan: &Plan, temporary: &str) -> String {
    admin::create_from_template_sql(temporary, &plan.source, &plan.owner, plan.strategy)
}

/// The plan's steps, for `--dry-run`.
pub fn describe(plan: &Plan) -> Vec<String> {
    const TEMP: &str = "<temporary>";
    let mut steps = vec![format!(
        "{}; (the copy is built under a temporary name, journaled)",
        admin::create_from_template_sql(TEMP, &plan.source, &plan.owner, plan.strategy)
    )];
    let mut identity = format!(
        "in the copy: new database.uuid, database.secret, database.create_date; web.base.url = {}",
        plan.identity.base_url
    );
    if !plan.identity.keep_enterprise_code {
        identity.push_str("; database.enterprise_code removed");
    }
    steps.push(identity);
    if plan.neutralize.is_some() {
        steps.push("in the copy: every neutralize step (see `odoodb neutralize --list-steps`), in one transaction".to_string());
    }
    match plan.filestore_mode {
        Some(mode) => steps.push(format!(
            "filestore ({}): {} → {TEMP} ({} files, {})",
            mode.as_str(),
            plan.source_folder.display(),
            plan.source_usage.files,
            bytes(plan.source_usage.bytes)
        )),
        None => steps.push("filestore: none".to_string()),
    }
    if plan.replace {
        steps.push(format!(
            "the existing {} (database and {}) moved aside",
            plan.target,
            plan.target_folder.display()
        ));
    }
    steps.push(format!("the copy takes the name {} (folder first, database last)", plan.target));
    if plan.replace {
        steps.push(format!("the previous {} dropped and its folder removed", plan.target));
    }
    steps
}

/// Builds the copy in the install's temporary names: the template copy (the source's sessions
/// ended first when allowed), the finish, then the filestore.
pub async fn build(
    ctx: &Context,
    admin_client: &Client,
    plan: &Plan,
    install: &mut Install<'_, '_>,
    source_consent: Consent,
) -> Result<Built> {
    let step = Instant::now();
    ctx.printer.status(&format!("Copying database {} …", plan.source));
    let sql = create_sql(plan, install.building());
    sessions::run_exclusive(ctx, admin_client, &plan.source, source_consent, &sql).await?;
    install.label_building(&format!("copy of {} for {}", plan.source, plan.target)).await?;
    let database_seconds = step.elapsed().as_secs_f64();
    fault::point("after-database-copy", &ctx.cancel).await?;
    ctx.check_interrupt()?;

    let mut client = ctx.connect(install.building()).await?;
    let finish = super::Finish {
        identity: Some(plan.identity.clone()),
        neutralize: plan.neutralize.as_ref(),
        pseudonymize: plan.pseudonymize.as_ref(),
        label: &format!("the copy of {}", plan.source),
        ..super::Finish::default()
    };
    let finished = super::finish(ctx, &mut client, install.building(), &finish).await?;
    drop(client);
    ctx.check_interrupt()?;

    let step = Instant::now();
    let stats = match plan.filestore_mode {
        Some(mode) => copy_filestore(ctx, plan, mode, install.building_folder()).await?,
        None => filestore::CopyStats::default(),
    };
    if plan.pseudonymize.is_some() {
        super::remove_pseudonymized_files(ctx, install.building(), &install.building_folder())
            .await?;
    }
    let filestore_seconds = step.elapsed().as_secs_f64();
    fault::point("before-swap", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    Ok(Built {
        database_seconds,
        neutralized: finished.neutralized_steps(),
        pseudonymized: finished.pseudonymized,
        identity: finished.identity,
        stats,
        filestore_seconds,
    })
}

async fn copy_filestore(
    ctx: &Context,
    plan: &Plan,
    mode: Mode,
    target: PathBuf,
) -> Result<filestore::CopyStats> {
    let bar = ctx.printer.bar(
        plan.source_usage.bytes,
        "{spinner} filestore [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
    );
    bar.set_message(format!("{} files", plan.source_usage.files));
    let (source, cancel, progress) = (plan.source_folder.clone(), ctx.cancel.clone(), bar.clone());
    let result = tokio::task::spawn_blocking(move || {
        filestore::copy_tree(&source, &target, mode, &cancel, &|n| progress.inc(n))
    })
    .await;
    bar.finish_and_clear();
    result.context("the filestore copy stopped unexpectedly")?
}
