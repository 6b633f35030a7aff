//! `odoodb upgrade test <db> --target V`: an upgraded, neutralized copy under a new name. The
//! original is only read (pg_dump's snapshot: Odoo keeps running); the copy is built under a
//! temporary name through the install change and appears under its name only when complete.

use std::time::Instant;

use anyhow::Result;

use crate::cli::UpgradeTestArgs;
use crate::context::Context;
use crate::copy;
use crate::odoo;
use crate::upgrade::target::Series;
use crate::upgrade::test_copy::{Job, make_copy};
use crate::upgrade::{self as engine, Resolved};

pub async fn run(ctx: &Context, args: &UpgradeTestArgs) -> Result<()> {
    let started = Instant::now();
    odoo::name::validate_existing(&args.db)?;
    let pseudonymize = crate::commands::pseudonymization_request(
        ctx,
        args.pseudonymize,
        // A test copy is always neutralized.
        true,
        &args.pseudonymize_options,
    )?;
    let run = super::resolve(ctx, &args.db, &args.run)?;
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
    let existing = copy::existing(ctx, &admin_client, &name).await?;
    existing.require_free_unless(
        args.force,
        ctx,
        &name,
        "choose another --name, or pass --force to replace it once the new copy is complete",
    )?;
    let replace = existing.taken();
    engine::preflight(ctx, &args.db, &run).await?;
    if replace {
        copy::confirm_replace(ctx, &name, "replace it with a new upgraded test copy").await?;
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
        neutralize: super::module_files(&run.addons_path, &args.neutralize),
        pseudonymize: pseudonymize.as_ref(),
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
    super::emit_test_copy(ctx, &report)
}

/// `<db>_test_<major>` (`prod_test_18`), `<db>_test_saas-18.3` for a saas target.
fn default_name(db: &str, target: &Series) -> String {
    if target.saas {
        format!("{db}_test_saas-{}.{}", target.major, target.minor)
    } else {
        format!("{db}_test_{}", target.major)
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
