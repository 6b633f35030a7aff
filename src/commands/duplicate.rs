//! `odoodb duplicate <source> <target>`: a template copy and a filestore copy built under
//! temporary names, given a new identity (and neutralized, if asked), and installed under the
//! target's name only when complete — through the safe-change module, so that no crash can
//! leave a half-made target or lose the one it replaces.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::{CopyStrategy as CliStrategy, DuplicateArgs, FilestoreMode};
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::filestore::{self, Mode, Requested};
use crate::odoo::{self, identity};
use crate::output::bytes;
use crate::pg::Client;
use crate::pg::admin::{self, CopyStrategy};
use crate::safe::install::{self, Install};
use crate::sessions::{self, Consent};
use crate::{confirm, fault, neutralize};

/// From this size on, a file copy (one checkpoint) beats WAL-logging every block.
const LARGE_DATABASE: i64 = 1 << 30;

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

/// Everything decided before anything changes.
struct Plan {
    source: String,
    target: String,
    replace: bool,
    strategy: Option<CopyStrategy>,
    /// The role that owns the copy.
    owner: String,
    identity: identity::Options,
    neutralize: Option<neutralize::module_files::Options>,
    filestore_mode: Option<Mode>,
    source_folder: PathBuf,
    target_folder: PathBuf,
    source_usage: filestore::Usage,
}

/// What the build produced, before it is installed.
struct Built {
    database_seconds: f64,
    identity: identity::NewIdentity,
    neutralized: Option<Vec<(String, u64)>>,
    stats: filestore::CopyStats,
    filestore_seconds: f64,
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
    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        let sweep = ctx.recover(&admin_client).await;
        sweep.require_free(&args.source)?;
        sweep.require_free(&args.target)?;
    }
    let plan = prepare(ctx, &admin_client, args).await?;
    if args.change.dry_run {
        let dry = DryRun { dry_run: true, steps: describe(&plan) };
        return ctx
            .printer
            .emit(&dry, || format!("Plan (nothing changed):\n  {}", dry.steps.join("\n  ")));
    }
    if plan.replace {
        if let Some(reason) = confirm::production_reason(ctx, &plan.target) {
            confirm::guard_production(ctx, &plan.target, &reason, "replace it", None).await?;
        } else {
            confirm::typed_name(
                ctx,
                &format!("replace it with a copy of {}", plan.source),
                &plan.target,
            )
            .await?;
        }
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

    let site = ctx.site(&admin_client);
    let install = install::begin(
        &site,
        "duplicate",
        &plan.target,
        plan.replace,
        plan.filestore_mode.is_some(),
    )
    .await?;
    let built = match build(ctx, &admin_client, &plan, &install, source_consent).await {
        Ok(built) => built,
        Err(error) => {
            return Err(match install.abandon().await {
                Ok(()) => error.context(format!(
                    "duplicating {} to {} failed; nothing was changed (temporary copies removed)",
                    plan.source, plan.target
                )),
                Err(cleanup) => error.context(format!(
                    "duplicating {} to {} failed, and removing the temporary copy failed too ({}); `odoodb recover` removes it (so does the next odoodb run that changes something)",
                    plan.source,
                    plan.target,
                    crate::error::one_line(&cleanup)
                )),
            });
        }
    };
    let installed = install.complete(target_consent == Consent::Granted).await?;
    if let Some(leftover) = installed.leftover {
        ctx.printer.warn(&leftover);
    }
    let report = Report {
        source: plan.source.clone(),
        target: plan.target.clone(),
        replaced_existing: plan.replace,
        strategy: plan.strategy,
        database_seconds: built.database_seconds,
        identity: built.identity,
        neutralized: built.neutralized,
        filestore_mode: plan.filestore_mode,
        filestore_files: built.stats.files,
        filestore_bytes: built.stats.bytes,
        filestore_seconds: built.filestore_seconds,
        total_seconds: started.elapsed().as_secs_f64(),
    };
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
    let target_entry = filestore::require_folder_or_absent(
        &target_folder,
        &format!("the filestore of {}", args.target),
    )?;
    let target_db_exists = admin::database_exists(admin_client, &args.target).await?;
    let replace = target_db_exists || target_entry != filestore::Entry::Absent;
    if replace && !args.force {
        let what = if target_db_exists {
            "database".to_string()
        } else {
            format!("filestore folder at {}", target_folder.display())
        };
        return Err(Failure::failed(format!(
            "{} already exists (as a {what}); nothing was changed",
            args.target
        ))
        .hint("choose another name, or pass --force to replace it once the copy is complete")
        .into());
    }

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
    if replace && target_entry == filestore::Entry::Folder {
        filestore::require_writable(&root)?;
    }

    let source_row = admin::find_database(admin_client, &args.source)
        .await?
        .with_context(|| format!("database {} disappeared", args.source))?;
    let strategy = choose_strategy(admin_client, args, source_row.size_bytes).await?;
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
            "the filestore of {} at {} is not a folder; nothing was changed",
            args.source,
            folder.display()
        ))
        .hint("check data_dir (-c odoo.conf or --data-dir), or move that file away")
        .into());
    }
    let usage = filestore::measure(folder)?;
    if usage.exists || requested == Requested::None {
        return Ok(usage);
    }
    let needed = odoo::attachment_counts(source_client).await?.in_filestore;
    if needed > 0 {
        return Err(Failure::failed(format!(
            "{} has {needed} attachments stored in the filestore, but there is no folder at {} (data_dir {}, from {}); nothing was changed",
            args.source,
            folder.display(),
            ctx.config.data_dir.value.display(),
            ctx.config.data_dir.source
        ))
        .hint("point odoodb at Odoo's data_dir (-c /etc/odoo/odoo.conf or --data-dir), or pass --filestore none to copy without files")
        .into());
    }
    Ok(usage)
}

/// The template-copy strategy: the flag's, or by size on PostgreSQL 15+ (`None` before 15).
async fn choose_strategy(
    admin_client: &Client,
    args: &DuplicateArgs,
    source_size: Option<i64>,
) -> Result<Option<CopyStrategy>> {
    let server_version = admin::server_version_num(admin_client).await?;
    let strategy = match (args.strategy, server_version >= 150_000) {
        (CliStrategy::WalLog, true) => Some(CopyStrategy::WalLog),
        (CliStrategy::FileCopy, true) => Some(CopyStrategy::FileCopy),
        (CliStrategy::Auto, true) => {
            if source_size.unwrap_or(0) < LARGE_DATABASE {
                Some(CopyStrategy::WalLog)
            } else {
                Some(CopyStrategy::FileCopy)
            }
        }
        (CliStrategy::WalLog, false) => {
            return Err(Failure::usage("--strategy wal-log needs PostgreSQL 15 or later")
                .hint("use --strategy auto")
                .into());
        }
        (_, false) => None,
    };
    Ok(strategy)
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

fn create_sql(plan: &Plan, temporary: &str) -> String {
    admin::create_from_template_sql(temporary, &plan.source, &plan.owner, plan.strategy)
}

fn describe(plan: &Plan) -> Vec<String> {
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

async fn build(
    ctx: &Context,
    admin_client: &Client,
    plan: &Plan,
    install: &Install<'_, '_>,
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

    let mut copy = ctx.connect(install.building()).await?;
    identity::renew(&mut copy, &plan.identity).await?;
    ctx.check_interrupt()?;
    let neutralized = match &plan.neutralize {
        Some(files) => {
            ctx.printer.status(&format!("Neutralizing the copy of {} …", plan.source));
            let log = |line: &str| ctx.printer.verbose(1, line);
            let report = neutralize::unattended(
                &mut copy,
                install.building(),
                files,
                &ctx.cancel,
                &ctx.params,
                &log,
            )
            .await
            .map_err(crate::neutralize::explain)?;
            Some(report.steps.iter().map(|step| (step.id.to_string(), step.changed)).collect())
        }
        None => None,
    };
    let identity = identity::read(&copy).await?;
    drop(copy);
    ctx.check_interrupt()?;

    let step = Instant::now();
    let stats = match plan.filestore_mode {
        Some(mode) => copy_filestore(ctx, plan, mode, install.building_folder()).await?,
        None => filestore::CopyStats::default(),
    };
    let filestore_seconds = step.elapsed().as_secs_f64();
    fault::point("before-swap", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    Ok(Built { database_seconds, identity, neutralized, stats, filestore_seconds })
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
    )
}
