//! `odoodb duplicate <source> <target>`: a template copy and a filestore copy built under
//! temporary names, given a new identity, and swapped in only when complete.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio::sync::Mutex;

use crate::cli::{CopyStrategy as CliStrategy, DuplicateArgs, FilestoreMode};
use crate::context::Context;
use crate::error::Failure;
use crate::filestore::{self, Mode, Requested};
use crate::odoo::{self, identity};
use crate::output::bytes;
use crate::pg::Client;
use crate::pg::admin::{self, CopyStrategy};
use crate::sessions::{self, Consent};
use crate::tempname::{self, Kind};
use crate::{confirm, fault, recovery};

/// From this size on, a file copy (one checkpoint) beats WAL-logging every block.
const LARGE_DATABASE: i64 = 1 << 30;

#[derive(Debug, Serialize)]
struct Report {
    source: String,
    target: String,
    replaced_existing: bool,
    strategy: Option<CopyStrategy>,
    database_seconds: f64,
    identity: Option<identity::NewIdentity>,
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
    temporary: String,
    replace: bool,
    strategy: Option<CopyStrategy>,
    create_sql: String,
    keep_enterprise_code: bool,
    neutralize: bool,
    filestore_mode: Option<Mode>,
    source_folder: PathBuf,
    target_folder: PathBuf,
    temporary_folder: PathBuf,
    source_usage: filestore::Usage,
}

/// What exists only because of this run, so a failure can take it away again.
#[derive(Default)]
struct Undo {
    temporary_db: Option<String>,
    temporary_folder: Option<PathBuf>,
    previous_db: Option<String>,
    previous_folder: Option<PathBuf>,
}

pub async fn run(ctx: &Context, args: &DuplicateArgs) -> Result<()> {
    let started = Instant::now();
    let admin_client = ctx.connect_admin().await?;
    let plan = prepare(ctx, &admin_client, args).await?;
    if args.change.dry_run {
        let dry = DryRun { dry_run: true, steps: describe(&plan) };
        return ctx
            .printer
            .emit(&dry, || format!("Plan (nothing changed):\n  {}", dry.steps.join("\n  ")));
    }
    if plan.replace {
        confirm::typed_name(
            ctx,
            &format!("replace it with a copy of {}", plan.source),
            &plan.target,
        )
        .await?;
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

    let undo = Mutex::new(Undo::default());
    match execute(ctx, &admin_client, &plan, source_consent, target_consent, &undo).await {
        Ok(mut report) => {
            report.total_seconds = started.elapsed().as_secs_f64();
            ctx.printer.emit(&report, || human(&report))
        }
        Err(error) => {
            let undo = undo.into_inner();
            let cleanup = clean_up(&admin_client, &plan, &undo).await;
            match cleanup {
                Ok(()) => Err(error.context(format!(
                    "duplicating {} to {} failed; nothing was changed (temporary copies removed)",
                    plan.source, plan.target
                ))),
                Err(cleanup_error) => Err(error.context(format!(
                    "duplicating {} to {} failed, and cleaning up failed too ({}); the next odoodb run will finish the cleanup",
                    plan.source,
                    plan.target,
                    crate::error::one_line(&cleanup_error)
                ))),
            }
        }
    }
}

async fn prepare(ctx: &Context, admin_client: &Client, args: &DuplicateArgs) -> Result<Plan> {
    odoo::name::validate(&args.source)?;
    odoo::name::validate(&args.target)?;
    if args.source == args.target {
        return Err(Failure::usage("the source and the target are the same database")
            .hint("name a new database as the target")
            .into());
    }
    if !args.change.dry_run {
        recovery::sweep(ctx, admin_client).await?;
    }
    if !admin::database_exists(admin_client, &args.source).await? {
        return Err(Failure::failed(format!("database {:?} does not exist", args.source))
            .hint("`odoodb list` shows the Odoo databases on this server")
            .into());
    }
    odoo::require_odoo(&ctx.connect(&args.source).await?, &args.source).await?;

    let target_folder = ctx.filestore(&args.target);
    let target_db_exists = admin::database_exists(admin_client, &args.target).await?;
    let replace = target_db_exists || target_folder.exists();
    if replace && !args.force {
        let what = if target_db_exists { "database" } else { "filestore folder" };
        return Err(Failure::failed(format!(
            "{} already exists (as a {what}{})",
            args.target,
            if target_db_exists {
                String::new()
            } else {
                format!(" at {}", target_folder.display())
            }
        ))
        .hint("choose another name, or pass --force to replace it once the copy is complete")
        .into());
    }

    let source_folder = ctx.filestore(&args.source);
    let root = filestore::root(&ctx.config.data_dir.value);
    let requested = requested_mode(ctx, args.filestore)?;
    let source_usage = filestore::measure(&source_folder)?;
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
        if !source_usage.exists && requested != Requested::None {
            ctx.printer.warn(&format!(
                "{} has no filestore folder at {}: the copy gets none either",
                args.source,
                source_folder.display()
            ));
        }
        None
    };

    let strategy = choose_strategy(admin_client, args).await?;
    let temporary = tempname::make(&args.target, Kind::Building);
    let create_sql =
        admin::create_from_template_sql(&temporary, &args.source, &ctx.config.user.value, strategy);
    Ok(Plan {
        source: args.source.clone(),
        target: args.target.clone(),
        temporary_folder: root.join(&temporary),
        temporary,
        replace,
        strategy,
        create_sql,
        keep_enterprise_code: args.keep_enterprise_code,
        neutralize: args.neutralize,
        filestore_mode,
        source_folder,
        target_folder,
        source_usage,
    })
}

/// The template-copy strategy: the flag's, or by size on PostgreSQL 15+ (`None` before 15).
async fn choose_strategy(
    admin_client: &Client,
    args: &DuplicateArgs,
) -> Result<Option<CopyStrategy>> {
    let server_version = admin::server_version_num(admin_client).await?;
    let strategy = match (args.strategy, server_version >= 150_000) {
        (CliStrategy::WalLog, true) => Some(CopyStrategy::WalLog),
        (CliStrategy::FileCopy, true) => Some(CopyStrategy::FileCopy),
        (CliStrategy::Auto, true) => {
            let size = admin::find_database(admin_client, &args.source)
                .await?
                .and_then(|row| row.size_bytes);
            if size.unwrap_or(0) < LARGE_DATABASE {
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

fn requested_mode(ctx: &Context, flag: Option<FilestoreMode>) -> Result<Requested> {
    let from_settings = ctx.config.settings.duplicate.filestore.as_deref();
    Ok(match (flag, from_settings) {
        (Some(FilestoreMode::Auto), _) | (None, None | Some("auto")) => Requested::Auto,
        (Some(FilestoreMode::Copy), _) | (None, Some("copy")) => Requested::Copy,
        (Some(FilestoreMode::Hardlink), _) | (None, Some("hardlink")) => Requested::Hardlink,
        (Some(FilestoreMode::Reflink), _) | (None, Some("reflink")) => Requested::Reflink,
        (Some(FilestoreMode::None), _) | (None, Some("none")) => Requested::None,
        (None, Some(other)) => {
            return Err(Failure::usage(format!(
                "settings duplicate.filestore is {other:?}, not a filestore mode"
            ))
            .hint("use auto, copy, hardlink, reflink or none")
            .into());
        }
    })
}

fn describe(plan: &Plan) -> Vec<String> {
    let mut steps = vec![format!("{};", plan.create_sql)];
    let mut identity =
        "in the copy: new database.uuid, database.secret and database.create_date".to_string();
    if !plan.keep_enterprise_code {
        identity.push_str("; database.enterprise_code removed");
    }
    steps.push(identity);
    if plan.neutralize {
        steps.push("in the copy: every neutralize step (see `odoodb neutralize --list-steps`), in one transaction".to_string());
    }
    match plan.filestore_mode {
        Some(mode) => steps.push(format!(
            "filestore ({}): {} → {} ({} files, {})",
            serde_json::to_value(mode)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            plan.source_folder.display(),
            plan.temporary_folder.display(),
            plan.source_usage.files,
            bytes(plan.source_usage.bytes)
        )),
        None => steps.push("filestore: none".to_string()),
    }
    if plan.replace {
        let previous = tempname::make(&plan.target, Kind::Previous);
        steps.push(format!(
            "{}; mv {} → {}",
            admin::rename_sql(&plan.target, &previous),
            plan.target_folder.display(),
            previous
        ));
    }
    steps.push(format!("{};", admin::rename_sql(&plan.temporary, &plan.target)));
    if plan.filestore_mode.is_some() {
        steps.push(format!(
            "mv {} → {}",
            plan.temporary_folder.display(),
            plan.target_folder.display()
        ));
    }
    if plan.replace {
        steps.push(format!(
            "{}; rm -r the old filestore folder",
            admin::drop_sql(&tempname::make(&plan.target, Kind::Previous), true)
        ));
    }
    steps
}

async fn execute(
    ctx: &Context,
    admin_client: &Client,
    plan: &Plan,
    source_consent: Consent,
    target_consent: Consent,
    undo: &Mutex<Undo>,
) -> Result<Report> {
    let step = Instant::now();
    ctx.printer.status(&format!("Copying database {} …", plan.source));
    undo.lock().await.temporary_db = Some(plan.temporary.clone());
    sessions::run_exclusive(ctx, admin_client, &plan.source, source_consent, &plan.create_sql)
        .await?;
    let database_seconds = step.elapsed().as_secs_f64();
    fault::point(ctx, "after-database-copy").await?;
    ctx.check_interrupt()?;

    let mut copy = ctx.connect(&plan.temporary).await?;
    let identity = identity::renew(&mut copy, plan.keep_enterprise_code).await?;
    drop(copy);
    ctx.check_interrupt()?;
    let neutralized = if plan.neutralize {
        ctx.printer.status(&format!("Neutralizing the copy of {} …", plan.source));
        let report = crate::neutralize::neutralize_unattended(ctx, &plan.temporary).await?;
        Some(report.steps.iter().map(|step| (step.id.to_string(), step.changed)).collect())
    } else {
        None
    };
    ctx.check_interrupt()?;

    let step = Instant::now();
    let stats = match plan.filestore_mode {
        Some(mode) => {
            undo.lock().await.temporary_folder = Some(plan.temporary_folder.clone());
            copy_filestore(ctx, plan, mode).await?
        }
        None => filestore::CopyStats::default(),
    };
    let filestore_seconds = step.elapsed().as_secs_f64();
    fault::point(ctx, "before-swap").await?;
    ctx.check_interrupt()?;

    swap(ctx, admin_client, plan, target_consent, undo).await?;
    Ok(Report {
        source: plan.source.clone(),
        target: plan.target.clone(),
        replaced_existing: plan.replace,
        strategy: plan.strategy,
        database_seconds,
        identity: Some(identity),
        neutralized,
        filestore_mode: plan.filestore_mode,
        filestore_files: stats.files,
        filestore_bytes: stats.bytes,
        filestore_seconds,
        total_seconds: 0.0,
    })
}

async fn copy_filestore(ctx: &Context, plan: &Plan, mode: Mode) -> Result<filestore::CopyStats> {
    let bar = ctx.printer.bar(
        plan.source_usage.bytes,
        "{spinner} filestore [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
    );
    bar.set_message(format!("{} files", plan.source_usage.files));
    let cancel = Arc::new(AtomicBool::new(false));
    let (source, target, flag, progress) = (
        plan.source_folder.clone(),
        plan.temporary_folder.clone(),
        Arc::clone(&cancel),
        bar.clone(),
    );
    let work = tokio::task::spawn_blocking(move || {
        filestore::copy_tree(&source, &target, mode, &flag, &|n| progress.inc(n))
    });
    tokio::pin!(work);
    let result = tokio::select! {
        result = &mut work => result,
        () = ctx.wait_interrupt() => {
            cancel.store(true, Ordering::SeqCst);
            work.await
        }
    };
    bar.finish_and_clear();
    result.context("the filestore copy stopped unexpectedly")?
}

/// Puts the finished copy in place. Once begun, it runs to the end or rolls back: a Ctrl-C
/// here waits, since the swap takes milliseconds.
async fn swap(
    ctx: &Context,
    admin_client: &Client,
    plan: &Plan,
    target_consent: Consent,
    undo: &Mutex<Undo>,
) -> Result<()> {
    let root = filestore::root(&ctx.config.data_dir.value);
    let previous = tempname::make(&plan.target, Kind::Previous);
    if plan.replace {
        if admin::database_exists(admin_client, &plan.target).await? {
            undo.lock().await.previous_db = Some(previous.clone());
            sessions::run_exclusive(
                ctx,
                admin_client,
                &plan.target,
                target_consent,
                &admin::rename_sql(&plan.target, &previous),
            )
            .await?;
        }
        if plan.target_folder.exists() {
            filestore::rename(&plan.target_folder, &root.join(&previous))?;
            undo.lock().await.previous_folder = Some(root.join(&previous));
        }
    }
    admin_client.batch_execute(&admin::rename_sql(&plan.temporary, &plan.target)).await?;
    if plan.filestore_mode.is_some()
        && let Err(error) = filestore::rename(&plan.temporary_folder, &plan.target_folder)
    {
        // Give the database its temporary name back, so the cleanup removes it.
        admin_client.batch_execute(&admin::rename_sql(&plan.target, &plan.temporary)).await?;
        return Err(error);
    }
    let mut undo = undo.lock().await;
    *undo = Undo::default();
    drop(undo);
    if plan.replace {
        let dropped = admin_client.batch_execute(&admin::drop_sql(&previous, true)).await;
        let removed = filestore::remove(&root.join(&previous));
        if let Err(error) = dropped.map_err(anyhow::Error::from).and(removed) {
            ctx.printer.warn(&format!(
                "the copy is in place, but the previous {} could not be removed ({}); the next odoodb run removes it",
                plan.target,
                crate::error::one_line(&error)
            ));
        }
    }
    Ok(())
}

/// Takes away what this run made and puts back what it moved aside.
async fn clean_up(admin_client: &Client, plan: &Plan, undo: &Undo) -> Result<()> {
    if let Some(temporary) = &undo.temporary_db {
        admin_client.batch_execute(&admin::drop_sql(temporary, true)).await?;
    }
    if let Some(folder) = &undo.temporary_folder {
        filestore::remove(folder)?;
    }
    if let Some(previous) = &undo.previous_db
        && !admin::database_exists(admin_client, &plan.target).await?
    {
        admin_client.batch_execute(&admin::rename_sql(previous, &plan.target)).await?;
    }
    if let Some(previous) = &undo.previous_folder
        && !plan.target_folder.exists()
    {
        filestore::rename(previous, &plan.target_folder)?;
    }
    Ok(())
}

fn human(report: &Report) -> String {
    let mode = report
        .filestore_mode
        .and_then(|m| serde_json::to_value(m).ok())
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| "none".into());
    format!(
        "Duplicated {} → {} in {:.1}s (database {:.1}s; filestore {} files, {}, {mode}, {:.1}s){}",
        report.source,
        report.target,
        report.total_seconds,
        report.database_seconds,
        report.filestore_files,
        bytes(report.filestore_bytes),
        report.filestore_seconds,
        report.neutralized.as_ref().map_or_else(String::new, |steps| format!(
            "\nNeutralized: {} rows changed",
            steps.iter().map(|(_, n)| n).sum::<u64>()
        )) + &report.identity.as_ref().map_or_else(String::new, |i| format!(
            "\nNew database.uuid {}{}",
            i.uuid,
            if i.enterprise_code_removed { "; enterprise code removed" } else { "" }
        )),
    )
}
