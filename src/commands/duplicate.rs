//! `odoodb duplicate <source> <target>`: a template copy and a filestore copy built under
//! temporary names, given a new identity (and neutralized, if asked), and installed under the
//! target's name only when complete — through the safe-change module, so that no crash can
//! leave a half-made target or lose the one it replaces.

use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::{CopyStrategy as CliStrategy, DuplicateArgs, FilestoreMode};
use crate::context::Context;
use crate::copy;
use crate::copy::template::{Plan, build, describe};
use crate::error::{Failure, usage_error};
use crate::filestore::{self, Mode, Requested};
use crate::odoo::{self, identity};
use crate::output::bytes;
use crate::pg::Client;
use crate::pg::admin::{self, CopyStrategy};
use crate::sessions::{self, Consent};

#[derive(Debug, Serialize)]
struct Report {
    source: String,
    target: String,
    replaced_existing: bool,
    strategy: Option<CopyStrategy>,
    database_seconds: f64,
    /// The copy's identity as it is in the copy now (after neutralization, if any).
    identity: identity::NewIdentity,
    /// Rows changed by `--neutralize`, per step, when asked.
    neutralized: Option<Vec<(String, u64)>>,
    /// What `--pseudonymize` did (with the new password when odoodb made it).
    pseudonymized: Option<crate::pseudonymize::Summary>,
    filestore_mode: Option<Mode>,
    filestore_files: u64,
    filestore_bytes: u64,
    filestore_seconds: f64,
    total_seconds: f64,
}

#[derive(Debug, Serialize)]
struct DryRun {
    dry_run: bool,
    steps: Vec<String>,
}

pub async fn run(ctx: &Context, args: &DuplicateArgs) -> Result<()> {
    let started = Instant::now();
    odoo::name::validate_existing(&args.source)?;
    odoo::name::validate(&args.target)?;
    if args.source == args.target {
        return Err(usage_error(
            "the source and the target are the same database",
            "name a new database as the target",
        ));
    }
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
    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        let sweep = ctx.recover(&admin_client).await;
        sweep.require_free(&args.source)?;
        sweep.require_free(&args.target)?;
    }
    let mut plan = prepare(ctx, &admin_client, args).await?;
    plan.pseudonymize = pseudonymize;
    if args.change.dry_run {
        let dry = DryRun { dry_run: true, steps: describe(&plan) };
        return ctx
            .printer
            .emit(&dry, || format!("Plan (nothing changed):\n  {}", dry.steps.join("\n  ")));
    }
    if plan.replace {
        let action = format!("replace it with a copy of {}", plan.source);
        copy::confirm_replace(ctx, &plan.target, &action).await?;
        backup_replaced(ctx, &admin_client, args, &plan).await?;
    }
    let source_consent =
        sessions::consent(ctx, &admin_client, &plan.source, args.change.force_disconnect).await?;
    let target_consent = if plan.replace
        && admin::database_exists(&admin_client, &plan.target).await?
    {
        sessions::consent(ctx, &admin_client, &plan.target, args.change.force_disconnect).await?
    } else {
        Consent::NotNeeded
    };

    let spec = copy::Spec {
        operation: "duplicate",
        name: &plan.target,
        replace: plan.replace,
        with_folder: plan.filestore_mode.is_some(),
        keep_previous_as: None,
        end_sessions: target_consent == Consent::Granted,
    };
    let built = copy::make(ctx, &admin_client, &spec, async |install| {
        build(ctx, &admin_client, &plan, install, source_consent).await
    })
    .await
    .map_err(|not_made| {
        not_made.explain(&format!("duplicating {} to {}", plan.source, plan.target))
    })?;
    let report = Report {
        source: plan.source.clone(),
        target: plan.target.clone(),
        replaced_existing: plan.replace,
        strategy: plan.strategy,
        database_seconds: built.database_seconds,
        identity: built.identity,
        neutralized: built.neutralized,
        pseudonymized: built.pseudonymized,
        filestore_mode: plan.filestore_mode,
        filestore_files: built.stats.files,
        filestore_bytes: built.stats.bytes,
        filestore_seconds: built.filestore_seconds,
        total_seconds: started.elapsed().as_secs_f64(),
    };
    // A password made here is shown even under --quiet: it is not written anywhere else.
    if report.pseudonymized.as_ref().is_some_and(|p| p.new_password.is_some()) {
        return ctx.printer.emit(&report, || human(&report));
    }
    ctx.printer.done(&report, || human(&report))
}

/// `--backup-first`: the database about to be replaced is backed up (a failure stops all).
async fn backup_replaced(
    ctx: &Context,
    admin_client: &Client,
    args: &DuplicateArgs,
    plan: &Plan,
) -> Result<()> {
    if args.backup_first && admin::database_exists(admin_client, &plan.target).await? {
        crate::backup::before_change(ctx, &plan.target, None).await?;
    }
    Ok(())
}

async fn prepare(ctx: &Context, admin_client: &Client, args: &DuplicateArgs) -> Result<Plan> {
    let source_client = ctx.open_odoo(admin_client, &args.source).await?;
    let root = ctx.filestore_root();
    filestore::require_root_usable(&root)?;
    let source_folder = ctx.filestore(&args.source);
    let target_folder = ctx.filestore(&args.target);
    let existing = copy::existing(ctx, admin_client, &args.target).await?;
    existing.require_free_unless(
        args.force,
        ctx,
        &args.target,
        "choose another name, or pass --force to replace it once the copy is complete",
    )?;
    let replace = existing.taken();

    let requested = requested_mode(ctx, args.filestore);
    let source_usage =
        source_filestore(ctx, &source_client, args, &source_folder, requested).await?;
    let filestore_mode = if source_usage.exists && requested != Requested::None {
        filestore::require_writable(&root)?;
        let mode = filestore::resolve_mode(requested, &source_folder, &root)?;
        if mode == Some(Mode::Copy) {
            let free = filestore::free_bytes(&root)?;
            let needed = source_usage.bytes + source_usage.bytes / 20;
            if free < needed {
                return Err(Failure::failed(format!(
                    "not enough free space for the filestore copy: {} needed in {}, {} free",
                    bytes(needed),
                    root.display(),
                    bytes(free)
                ))
                .hint("free some space, or use --filestore hardlink (no extra space on one filesystem)")
                .into());
            }
        }
        mode
    } else {
        None
    };
    if existing.folder {
        filestore::require_writable(&root)?;
    }

    let source_row = admin::find_database(admin_client, &args.source)
        .await?
        .with_context(|| format!("database {} disappeared", args.source))?;
    let asked = match args.strategy {
        CliStrategy::Auto => None,
        CliStrategy::WalLog => Some(CopyStrategy::WalLog),
        CliStrategy::FileCopy => Some(CopyStrategy::FileCopy),
    };
    let strategy = copy::template_strategy(admin_client, asked, source_row.size_bytes).await?;
    Ok(Plan {
        source: args.source.clone(),
        target: args.target.clone(),
        replace,
        strategy,
        owner: args.owner.clone().unwrap_or(source_row.owner),
        identity: identity::Options {
            keep_enterprise_code: args.keep_enterprise_code,
            base_url: identity::local_base_url(ctx.config.http_port()),
            mark_regenerated: args.neutralize,
        },
        neutralize: args.neutralize.then(|| ctx.module_file_options(&args.module_files)),
        pseudonymize: None,
        filestore_mode,
        source_folder,
        target_folder,
        source_usage,
    })
}

/// Measures the source's filestore, refusing a missing one that attachments need: the commonest
/// way to make a copy whose files are all broken is a wrong data_dir.
async fn source_filestore(
    ctx: &Context,
    source_client: &Client,
    args: &DuplicateArgs,
    folder: &std::path::Path,
    requested: Requested,
) -> Result<filestore::Usage> {
    if folder.exists() && !folder.is_dir() {
        return Err(Failure::failed(format!(
            "the filestore of {} at {} is not a folder",
            args.source,
            folder.display()
        ))
        .unchanged()
        .hint("check data_dir (-c odoo.conf or --data-dir), or move that file away")
        .into());
    }
    let usage = filestore::measure(folder)?;
    if usage.exists || requested == Requested::None {
        return Ok(usage);
    }
    ctx.require_no_attachment_in_filestore(
        source_client,
        &args.source,
        "nothing was changed",
        ", or pass --filestore none to copy without files",
    )
    .await?;
    Ok(usage)
}

fn requested_mode(ctx: &Context, flag: Option<FilestoreMode>) -> Requested {
    match flag {
        Some(FilestoreMode::Auto) => Requested::Auto,
        Some(FilestoreMode::Copy) => Requested::Copy,
        Some(FilestoreMode::Hardlink) => Requested::Hardlink,
        Some(FilestoreMode::Reflink) => Requested::Reflink,
        Some(FilestoreMode::None) => Requested::None,
        None => ctx.config.settings.duplicate.filestore.unwrap_or(Requested::Auto),
    }
}

fn human(report: &Report) -> String {
    let mode = report.filestore_mode.map_or("none", Mode::as_str);
    let neutralized = report.neutralized.as_ref().map_or_else(String::new, |steps| {
        format!("\nNeutralized: {} rows changed", steps.iter().map(|(_, n)| n).sum::<u64>())
    });
    format!(
        "Duplicated {} → {} in {:.1}s (database {:.1}s; filestore {} files, {}, {mode}, {:.1}s){neutralized}\nNew database.uuid {}; web.base.url {}{}",
        report.source,
        report.target,
        report.total_seconds,
        report.database_seconds,
        report.filestore_files,
        bytes(report.filestore_bytes),
        report.filestore_seconds,
        report.identity.uuid,
        report.identity.base_url,
        if report.identity.enterprise_code_kept { "; enterprise code kept" } else { "" }
    ) + &super::pseudonymization_text(report.pseudonymized.as_ref())
}
