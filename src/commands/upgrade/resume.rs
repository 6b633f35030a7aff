//! `odoodb upgrade resume <db>`: continues an interrupted test upgrade from the state the
//! platform reports — the upload again only while the platform still says `new` (rsync's
//! `--partial` keeps what arrived), `process` again while `pending`, the wait while it works,
//! then the download and the install of the copy.
//!
//! A production upgrade is never resumed: every interruption puts the original back and opens
//! it again, so its dump is out of date the moment anyone uses it. It is run again instead.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::UpgradeResumeArgs;
use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::upgrade::platform::Aim;
use crate::upgrade::state;
use crate::upgrade::test_copy::{self, Job, Source};
use crate::upgrade::{self as engine, Remote};

pub async fn run(ctx: &Context, args: &UpgradeResumeArgs) -> Result<()> {
    let started = Instant::now();
    let db = args.db.as_str();
    odoo::name::validate_existing(db)?;
    let pseudonymize = crate::commands::pseudonymization_request(
        ctx,
        args.pseudonymize,
        // A test copy is always neutralized.
        true,
        &args.pseudonymize_options,
    )?;
    if !(args.poll_interval > 0.0 && args.poll_interval <= 3600.0) {
        return Err(crate::error::usage_error(
            "--poll-interval must be between 0 and 3600 seconds",
            "",
        ));
    }
    let dir = state::default_dir()?;
    if !state::path(&dir, db, Aim::Test).is_file()
        && state::path(&dir, db, Aim::Production).is_file()
    {
        return Err(Failure::failed(format!(
            "the stored request of {db} is a production upgrade, which is never resumed: an interrupted one was put back, and its dump is out of date"
        ))
        .hint(format!("run `odoodb upgrade production {db} --target …` again"))
        .into());
    }
    let mut remote =
        Remote::load(ctx, db, Aim::Test, &super::platform_options(ctx, &args.platform))?;
    if remote.state.phase == "finished" {
        return Err(Failure::failed(format!(
            "the test upgrade of {db} (request #{}) is already finished",
            remote.state.request_id
        ))
        .hint("`odoodb upgrade test` makes a new one")
        .into());
    }
    let Some(name) = remote.state.names.get("result").cloned() else {
        return Err(Failure::failed("the stored request does not say which copy it makes")
            .hint("run `odoodb upgrade test` again")
            .into());
    };
    let work = remote
        .state
        .work_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("odoodb-upgrade-{db}")));
    remote.state.work_dir = Some(work.clone());
    super::require_addons_dirs(&args.addons_path)?;

    let admin_client = ctx.connect_admin().await?;
    let sweep = ctx.recover(&admin_client).await;
    sweep.require_free(db)?;
    sweep.require_free(&name)?;
    crate::context::require_exists(ctx, &admin_client, db).await?;
    if !remote.state.replace && crate::pg::admin::database_exists(&admin_client, &name).await? {
        return Err(Failure::failed(format!("{name} exists now"))
            .unchanged()
            .hint("remove or rename it, then resume again")
            .into());
    }
    ctx.printer.status(&format!(
        "Resuming the test upgrade of {db} to {} (request #{}, last step: {}) …",
        remote.state.target, remote.state.request_id, remote.state.phase
    ));
    let _work = engine::work_dir(&work)?;
    let jobs = args.jobs.unwrap_or_else(engine::default_jobs);
    if remote.state.phase == "created" {
        // The dump never finished: nothing reached the platform, so a new one is as good.
        engine::dump(ctx, db, &work, jobs).await?;
        remote.save("dumped")?;
    }
    let downloaded = remote.drive(ctx, Duration::from_secs_f64(args.poll_interval)).await?;
    let job = Job {
        db,
        name: &name,
        replace: remote.state.replace,
        target: remote.state.target.clone(),
        run: None,
        jobs,
        neutralize: super::module_files(&args.addons_path, &args.neutralize),
        pseudonymize: pseudonymize.as_ref(),
    };
    let mut report =
        test_copy::install_copy(ctx, &admin_client, &job, Source::Platform(downloaded)).await?;
    report.request_id = Some(remote.state.request_id);
    report.total_seconds = started.elapsed().as_secs_f64();
    remote.save("finished")?;
    engine::remove_work_dir(&work)?;
    super::emit_test_copy(ctx, &report)
}
