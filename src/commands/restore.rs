//! `odoodb restore <archive> [<db>]`: any backup format into a new database, atomically.
//!
//! The shape of `duplicate`: open and check what can be checked up front (`restore::open`),
//! plan, confirm, then build under temporary names (`restore::build`) and install under the
//! target's name only when complete (`copy::make`). A failure (a bad entry found late
//! included), Ctrl-C or kill -9 leaves nothing behind; the archive itself is only ever read.

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::archive::crypt::Keys;
use crate::archive::detect::{Format, Input};
use crate::cli::RestoreArgs;
use crate::context::Context;
use crate::error::usage_error;
use crate::odoo::{self, identity};
use crate::output::bytes;
use crate::pg::admin;
use crate::pg::load::Loader;
use crate::pg::tools::Tool;
use crate::restore::{self, Wanted};
use crate::sessions::{self, Consent};
use crate::{confirm, copy, filestore};

#[derive(Debug, Serialize)]
struct Report {
    archive: String,
    format: Format,
    database: String,
    replaced_existing: bool,
    /// `copy` (new identity) or `move` (identity kept).
    mode: &'static str,
    identity: identity::NewIdentity,
    neutralized: Option<Vec<(String, u64)>>,
    /// What `--pseudonymize` did (with the new password when odoodb made it).
    pseudonymized: Option<crate::pseudonymize::Summary>,
    filestore_files: u64,
    filestore_bytes: u64,
    /// Attachments stored in the filestore while the archive carried no file at all (a dump
    /// alone): their content is not in the restored database's folder.
    attachments_without_files: i64,
    load_seconds: f64,
    total_seconds: f64,
}

pub async fn run(ctx: &Context, args: &RestoreArgs) -> Result<()> {
    let started = Instant::now();
    if !args.neutralize && args.module_files.any() {
        return Err(usage_error(
            "the module neutralize.sql options only apply with --neutralize",
            "add --neutralize, or leave them out",
        ));
    }
    let pseudonymize = super::pseudonymization_request(
        ctx,
        args.pseudonymize,
        args.neutralize,
        &args.pseudonymize_options,
    )?;
    if args.jobs == Some(0) {
        return Err(usage_error("--jobs must be at least 1", "leave it out to use every core"));
    }
    let input = Input::parse(&args.archive, &ctx.config.settings.backup.s3)?;
    let timeouts = ctx.download_timeouts(args.connect_timeout, args.read_timeout);
    let pg_restore = Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let keys = Keys::chosen(args.identity.as_deref(), &ctx.config.settings)?;
    if args.inspect {
        let inspection = restore::inspect(ctx, &input, &keys, timeouts, &pg_restore).await?;
        return ctx.printer.emit(&inspection, || restore::inspection_text(ctx, &inspection));
    }
    if let Some(db) = &args.db {
        odoo::name::validate(db)?;
    }
    let psql = Tool::find("psql", ctx.config.pg_path.as_deref(), &ctx.params)?;
    filestore::require_root_usable(&ctx.filestore_root())?;

    ctx.printer.status(&format!("Reading {} …", input.describe()));
    let (described, source) =
        restore::open_checked(ctx, &input, &keys, timeouts, &pg_restore).await?;
    let target = match args.db.clone() {
        Some(db) => db,
        None => restore::default_name(&described, &input)?,
    };

    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        let sweep = ctx.recover(&admin_client).await;
        sweep.require_free(&target)?;
    }
    let wanted = Wanted {
        target,
        force: args.force,
        owner: args.owner.clone(),
        neutralize: args.neutralize.then(|| ctx.module_file_options(&args.module_files)),
        pseudonymize,
        jobs: args.jobs,
    };
    let mut plan = restore::prepare(ctx, &admin_client, wanted, &described).await?;
    plan.copy = decide_copy(ctx, args).await?;
    if args.change.dry_run {
        let steps = restore::describe(&plan, &described);
        let dry = serde_json::json!({ "dry_run": true, "steps": steps });
        return ctx
            .printer
            .emit(&dry, || format!("Plan (nothing changed):\n  {}", steps.join("\n  ")));
    }
    if plan.replace {
        let action = format!("replace it with the restore of {}", input.describe());
        copy::confirm_replace(ctx, &plan.target, &action).await?;
    }
    let built =
        install(ctx, &admin_client, args, &plan, (psql, pg_restore), &input, source).await?;
    let report = Report {
        archive: input.describe(),
        format: described.format,
        database: plan.target.clone(),
        replaced_existing: plan.replace,
        mode: if plan.copy { "copy" } else { "move" },
        identity: built.identity,
        neutralized: built.neutralized,
        pseudonymized: built.pseudonymized,
        filestore_files: built.files,
        filestore_bytes: built.bytes,
        attachments_without_files: built.attachments_without_files,
        load_seconds: built.load_seconds,
        total_seconds: started.elapsed().as_secs_f64(),
    };
    if report.attachments_without_files > 0 {
        ctx.printer.warn(&format!(
            "{} attachments of {} are stored in the filestore, but the archive carried no filestore: their files are missing from {}",
            report.attachments_without_files,
            report.database,
            ctx.filestore(&report.database).display()
        ));
    }
    // A password made here is shown even under --quiet: it is not written anywhere else.
    if report.pseudonymized.as_ref().is_some_and(|p| p.new_password.is_some()) {
        return ctx.printer.emit(&report, || human(&report));
    }
    ctx.printer.done(&report, || human(&report))
}

/// Builds the restore under temporary names and installs it under its name.
async fn install(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    args: &RestoreArgs,
    plan: &restore::Plan,
    tools: (Tool, Tool),
    input: &Input,
    source: restore::Source,
) -> Result<restore::Built> {
    let target_consent =
        if plan.replace && admin::database_exists(admin_client, &plan.target).await? {
            sessions::consent(ctx, admin_client, &plan.target, args.change.force_disconnect).await?
        } else {
            Consent::NotNeeded
        };
    let loader = Loader {
        psql: tools.0,
        pg_restore: tools.1,
        role: (plan.owner != ctx.params.user).then(|| plan.owner.clone()),
        jobs: plan.jobs,
        cancel: ctx.cancel.clone(),
    };
    let spec = copy::Spec {
        operation: "restore",
        name: &plan.target,
        replace: plan.replace,
        with_folder: plan.with_folder,
        keep_previous_as: None,
        end_sessions: target_consent == Consent::Granted,
    };
    copy::make(ctx, admin_client, &spec, async |install| {
        restore::build(ctx, admin_client, plan, install, loader, source).await
    })
    .await
    .map_err(|not_made| {
        not_made.explain(&format!("restoring {} into {}", input.describe(), plan.target))
    })
}

/// `--copy` or `--move`; neither: asked at a terminal as Odoo's form does, else a copy (which
/// never makes two databases pose as one).
async fn decide_copy(ctx: &Context, args: &RestoreArgs) -> Result<bool> {
    if args.copy || args.neutralize {
        return Ok(true);
    }
    if args.move_ {
        return Ok(false);
    }
    if ctx.interactive && !ctx.assume_yes && !args.change.dry_run {
        let moved = confirm::ask(
            ctx,
            "Was this database moved here (keep its identity: uuid, secret)? No restores it as a copy with a new identity",
        )
        .await?;
        return Ok(!moved);
    }
    ctx.printer.status(
        "Restoring as a copy (new database.uuid and secret, no enterprise code); pass --move to keep the identity",
    );
    Ok(true)
}

fn human(report: &Report) -> String {
    let neutralized = report.neutralized.as_ref().map_or_else(String::new, |steps| {
        format!("\nNeutralized: {} rows changed", steps.iter().map(|(_, n)| n).sum::<u64>())
    });
    format!(
        "Restored {} ({}) → {} in {:.1}s (load {:.1}s; filestore {} files, {}){}\n{}: database.uuid {}; web.base.url {}{neutralized}",
        report.archive,
        report.format.as_str(),
        report.database,
        report.total_seconds,
        report.load_seconds,
        report.filestore_files,
        bytes(report.filestore_bytes),
        if report.replaced_existing { "; the previous database was replaced" } else { "" },
        if report.mode == "copy" { "As a copy" } else { "Moved (identity kept)" },
        report.identity.uuid,
        report.identity.base_url,
    ) + &super::pseudonymization_text(report.pseudonymized.as_ref())
}
