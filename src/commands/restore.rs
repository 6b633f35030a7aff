//! `odoodb restore <archive> [<db>]`: any backup format into a new database, atomically.
//!
//! The shape of `duplicate`: read and check what can be checked up front (a zip's whole table of
//! contents, a tar's manifest and declared sizes), plan, confirm, then build under temporary
//! names through the safe-change module — database created as Odoo creates it, dump loaded,
//! filestore extracted (each entry checked before it is written, and written only into the
//! temporaries), identity renewed (`--copy`), neutralized if asked — and install under the
//! target's name only when complete. A failure (a bad entry found late included), Ctrl-C or
//! kill -9 leaves nothing behind; the archive itself is only ever read.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::archive::detect::{Format, Input};
use crate::cli::RestoreArgs;
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::filestore::{self};
use crate::odoo::{self, identity};
use crate::output::bytes;
use crate::pg::admin;
use crate::pg::load::Loader;
use crate::pg::tools::Tool;
use crate::restore::{self, Described, Source, dump_headers, load_source};
use crate::safe::install::{self, Install};
use crate::sessions::{self, Consent};
use crate::{confirm, fault, neutralize};

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
    filestore_files: u64,
    filestore_bytes: u64,
    /// Attachments stored in the filestore while the archive carried no file at all (a dump
    /// alone): their content is not in the restored database's folder.
    attachments_without_files: i64,
    load_seconds: f64,
    total_seconds: f64,
}

struct Plan {
    target: String,
    replace: bool,
    owner: String,
    copy: bool,
    neutralize: Option<neutralize::module_files::Options>,
    jobs: u32,
    with_folder: bool,
}

struct Built {
    identity: identity::NewIdentity,
    neutralized: Option<Vec<(String, u64)>>,
    files: u64,
    bytes: u64,
    attachments_without_files: i64,
    load_seconds: f64,
}

#[allow(clippy::too_many_lines, reason = "the command's steps in order, as duplicate's")]
pub async fn run(ctx: &Context, args: &RestoreArgs) -> Result<()> {
    let started = Instant::now();
    if !args.neutralize && args.module_files.any() {
        return Err(usage_error(
            "the module neutralize.sql options only apply with --neutralize",
            "add --neutralize, or leave them out",
        ));
    }
    if args.jobs == Some(0) {
        return Err(usage_error("--jobs must be at least 1", "leave it out to use every core"));
    }
    let input = Input::parse(&args.archive)?;
    if args.inspect {
        return inspect(ctx, args, &input).await;
    }
    if let Some(db) = &args.db {
        odoo::name::validate(db)?;
    }
    let pg_restore = Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let psql = Tool::find("psql", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let root = ctx.filestore_root();
    filestore::require_root_usable(&root)?;

    ctx.printer.status(&format!("Reading {} …", input.describe()));
    let (described, source) = open_checked(ctx, args, &input, &pg_restore).await?;
    let target = match args.db.clone() {
        Some(db) => db,
        None => default_name(&described, &input)?,
    };

    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        let sweep = ctx.recover(&admin_client).await;
        sweep.require_free(&target)?;
    }
    let plan = prepare(ctx, &admin_client, args, &described, target).await?;
    if args.change.dry_run {
        let steps = describe(&plan, &described);
        let dry = serde_json::json!({ "dry_run": true, "steps": steps });
        return ctx
            .printer
            .emit(&dry, || format!("Plan (nothing changed):\n  {}", steps.join("\n  ")));
    }
    if plan.replace {
        if let Some(reason) = confirm::production_reason(ctx, &plan.target) {
            confirm::guard_production(ctx, &plan.target, &reason, "replace it", None).await?;
        } else {
            confirm::typed_name(
                ctx,
                &format!("replace it with the restore of {}", input.describe()),
                &plan.target,
            )
            .await?;
        }
    }
    let target_consent = if plan.replace
        && admin::database_exists(&admin_client, &plan.target).await?
    {
        sessions::consent(ctx, &admin_client, &plan.target, args.change.force_disconnect).await?
    } else {
        Consent::NotNeeded
    };
    let loader = Loader {
        psql,
        pg_restore,
        role: (plan.owner != ctx.params.user).then(|| plan.owner.clone()),
        jobs: plan.jobs,
        cancel: ctx.cancel.clone(),
    };

    let site = ctx.site(&admin_client);
    let install =
        install::begin(&site, "restore", &plan.target, plan.replace, plan.with_folder).await?;
    let built = match build(ctx, &admin_client, &plan, &install, loader, source).await {
        Ok(built) => built,
        Err(error) => {
            let interrupted = ctx.cancel.is_set();
            let error = match install.abandon().await {
                Ok(()) => error.context(format!(
                    "restoring {} into {} failed; nothing was changed (temporary database and folder removed)",
                    input.describe(),
                    plan.target
                )),
                Err(cleanup) => error.context(format!(
                    "restoring into {} failed, and removing the temporary copy failed too ({}); `odoodb recover` removes it (so does the next odoodb run that changes something)",
                    plan.target,
                    crate::error::one_line(&cleanup)
                )),
            };
            return Err(if interrupted { Failure::interrupted().into() } else { error });
        }
    };
    let installed = install.complete(target_consent == Consent::Granted).await?;
    if let Some(leftover) = installed.leftover {
        ctx.printer.warn(&leftover);
    }
    let report = Report {
        archive: input.describe(),
        format: described.format,
        database: plan.target.clone(),
        replaced_existing: plan.replace,
        mode: if plan.copy { "copy" } else { "move" },
        identity: built.identity,
        neutralized: built.neutralized,
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
    ctx.printer.done(&report, || human(&report))
}

/// Opens the archive, tells its format, and checks everything that can be checked before a
/// byte is written: a zip's every entry (its table of contents); our tar.gz's manifest, whose
/// declared sizes bound the rest, which is checked entry by entry as it comes, before each is
/// written into the install's temporary names (a tar without declared sizes, when local, is
/// checked whole in a first pass).
async fn open_checked(
    ctx: &Context,
    args: &RestoreArgs,
    input: &Input,
    pg_restore: &Tool,
) -> Result<(Described, Source)> {
    let (connect_timeout, read_timeout) = (args.connect_timeout, args.read_timeout);
    let input = input.clone();
    let spool_dir = spool_dir(ctx);
    let program = pg_restore.program.clone();
    let cancel = ctx.cancel.clone();
    let timeouts = ctx.download_timeouts(connect_timeout, read_timeout);
    let work = tokio::task::spawn_blocking(move || {
        restore::open(&input, &program, &spool_dir, timeouts, &cancel)
    });
    let result = work.await.context("reading the archive stopped unexpectedly")?;
    if ctx.cancel.is_set() {
        return Err(Failure::interrupted().into());
    }
    result
}

/// Where a zip that arrives as a stream is spooled: beside the filestore (same disk as what
/// it becomes), in an unnamed file that vanishes with the process, even at kill -9.
fn spool_dir(ctx: &Context) -> PathBuf {
    let root = ctx.filestore_root();
    if root.is_dir() { root } else { ctx.config.data_dir.value.clone() }
}

/// The manifest's `db_name`, else the file's name: valid by Odoo's rule, or the user must say.
fn default_name(described: &Described, input: &Input) -> Result<String> {
    let (name, from) = match (&described.manifest, input.stem()) {
        (Some(manifest), _) => (manifest.db_name.clone(), "the manifest's db_name"),
        (None, Some(stem)) => (stem, "the file's name"),
        (None, None) => {
            return Err(usage_error(
                "no database name: the archive has no manifest and no file name",
                "give the name: odoodb restore - <db>",
            ));
        }
    };
    odoo::name::validate(&name).map_err(|error| {
        Failure::usage(format!(
            "{from} {:?} is not a usable database name ({})",
            crate::output::terminal_safe(&name),
            crate::error::one_line(&error)
        ))
        .hint("give the name: odoodb restore <archive> <db>")
    })?;
    Ok(name)
}

async fn prepare(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    args: &RestoreArgs,
    described: &Described,
    target: String,
) -> Result<Plan> {
    let root = ctx.filestore_root();
    let target_folder = ctx.filestore(&target);
    let target_entry =
        filestore::require_folder_or_absent(&target_folder, &format!("the filestore of {target}"))?;
    let target_db_exists = admin::database_exists(admin_client, &target).await?;
    let replace = target_db_exists || target_entry != filestore::Entry::Absent;
    if replace && !args.force {
        let what = if target_db_exists {
            "database".to_string()
        } else {
            format!("filestore folder at {}", target_folder.display())
        };
        return Err(Failure::failed(format!(
            "{target} already exists (as a {what}); nothing was changed"
        ))
        .hint("restore under another name (odoodb restore <archive> <db>), or pass --force to replace it once the restore is complete")
        .into());
    }
    let with_folder = match described.format {
        Format::Zip => described.declared.is_some_and(|c| c.files > 0),
        // A backup made with --no-filestore says so; Odoo's layout, tarred, may hold one.
        Format::Tar => described
            .manifest
            .as_ref()
            .and_then(|m| m.odoodb.as_ref())
            .is_none_or(|ours| ours.filestore.is_some()),
        Format::PgCustom | Format::PgDirectory | Format::Sql => false,
    };
    if with_folder || described.format == Format::Tar || replace {
        let writable = if root.is_dir() { root.clone() } else { ctx.config.data_dir.value.clone() };
        filestore::require_writable(&writable)?;
        // What the restore writes into the data_dir: the filestore, and for our tar.gz the
        // dump while it loads.
        let needed = described.declared.map_or(0, |c| {
            c.file_bytes
                + c.files * 4096
                + if described.format == Format::Tar { c.dump_bytes } else { 0 }
        });
        let free = filestore::free_bytes(&writable)?;
        if free < needed + needed / 20 {
            return Err(Failure::failed(format!(
                "not enough free space in {}: the restore needs {}, {} free; nothing was changed",
                writable.display(),
                bytes(needed),
                bytes(free)
            ))
            .hint("free some space in the data_dir, or restore on another machine")
            .into());
        }
    }
    let copy = decide_copy(ctx, args).await?;
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
    });
    Ok(Plan {
        target,
        replace,
        owner: args.owner.clone().unwrap_or_else(|| ctx.params.user.clone()),
        copy,
        neutralize: args.neutralize.then(|| ctx.module_file_options(&args.module_files)),
        jobs,
        with_folder,
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

fn describe(plan: &Plan, described: &Described) -> Vec<String> {
    const TEMP: &str = "<temporary>";
    let mut steps = vec![format!(
        "{}; {} (under a temporary name, journaled)",
        admin::create_like_odoo_sql(TEMP, &plan.owner),
        admin::odoo_extensions_sql(false)
    )];
    let psql = "psql -v ON_ERROR_STOP=1 --single-transaction".to_string();
    let ours = described.manifest.as_ref().and_then(|m| m.odoodb.as_ref());
    let loader = match described.format {
        Format::Sql => psql,
        Format::Zip => format!("{psql}, the filestore extracted alongside"),
        // Odoo's layout, tarred, holds a plain dump.sql too.
        Format::Tar if ours.is_none_or(|o| o.dump.format == "plain") => psql,
        Format::Tar if ours.is_some_and(|o| o.dump.format == "custom") => format!(
            "pg_restore --no-owner --exit-on-error: --section=pre-data while the dump is written out, then --section=data --section=post-data --jobs {} while the filestore is extracted",
            plan.jobs
        ),
        _ => format!("pg_restore --no-owner --exit-on-error --jobs {}", plan.jobs),
    };
    steps.push(format!("load the {} dump with {loader}", described.format.as_str()));
    if let Some(counts) = described.declared.filter(|_| plan.with_folder) {
        steps.push(format!(
            "filestore: {} files, {} → {TEMP}",
            counts.files,
            bytes(counts.file_bytes)
        ));
    }
    if plan.copy {
        steps.push("new database.uuid, database.secret, database.create_date; enterprise code removed; web.base.url reset".into());
    } else {
        steps.push("identity kept (moved)".into());
    }
    if plan.neutralize.is_some() {
        steps.push("every neutralize step, in one transaction".into());
    }
    if plan.replace {
        steps.push(format!("the existing {} moved aside", plan.target));
    }
    steps.push(format!("the restore takes the name {}", plan.target));
    if plan.replace {
        steps.push(format!("the previous {} dropped and its folder removed", plan.target));
    }
    steps
}

async fn build(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    plan: &Plan,
    install: &Install<'_, '_>,
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
    odoo::grant_like_odoo(&client).await?;
    let attachments_without_files =
        if counts.files == 0 { odoo::attachment_counts(&client).await?.in_filestore } else { 0 };
    if plan.copy {
        identity::renew(
            &mut client,
            &identity::Options {
                keep_enterprise_code: false,
                base_url: identity::local_base_url(ctx.config.http_port()),
                mark_regenerated: plan.neutralize.is_some(),
            },
        )
        .await?;
    }
    ctx.check_interrupt()?;
    let neutralized = match &plan.neutralize {
        Some(files) => {
            ctx.printer.status(&format!("Neutralizing the restore of {} …", plan.target));
            let log = |line: &str| ctx.printer.verbose(1, line);
            let report = neutralize::unattended(
                &mut client,
                &building,
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
    let identity = identity::read(&client).await?;
    drop(client);
    if !plan.with_folder {
        // The scratch space of a dump-only restore: the new database has no folder of its own.
        filestore::remove(&folder)?;
    }
    fault::point("before-swap", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    Ok(Built {
        identity,
        neutralized,
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
    )
}

#[derive(Debug, Serialize)]
struct Inspection {
    #[serde(flatten)]
    described: Described,
    odoo_version: Option<String>,
    /// The PostgreSQL version of the server the dump was made on.
    pg_version: Option<String>,
    pg_dump_version: Option<String>,
    dump_format: Option<String>,
}

/// `--inspect`: what the archive holds, from its manifest and table of contents; nothing is
/// restored.
async fn inspect(ctx: &Context, args: &RestoreArgs, input: &Input) -> Result<()> {
    let pg_restore = Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let (described, source) = open_checked(ctx, args, input, &pg_restore).await?;
    let program = pg_restore.program.clone();
    let headers = tokio::task::spawn_blocking(move || dump_headers(source, &program))
        .await
        .context("reading the archive stopped unexpectedly")??;
    let get = |key: &str| headers.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let manifest = described.manifest.as_ref();
    let ours = manifest.and_then(|m| m.odoodb.as_ref());
    let inspection = Inspection {
        odoo_version: manifest.map(|m| m.version.clone()),
        pg_version: manifest
            .map(|m| m.pg_version.clone())
            .or_else(|| get("Dumped from database version")),
        pg_dump_version: ours
            .map(|o| o.pg_dump_version.clone())
            .or_else(|| get("Dumped by pg_dump version")),
        dump_format: ours.map(|o| o.dump.format.clone()).or_else(|| get("Format")),
        described,
    };
    ctx.printer.emit(&inspection, || inspection_text(ctx, &inspection))
}

fn inspection_text(ctx: &Context, inspection: &Inspection) -> String {
    let d = &inspection.described;
    let mut table = ctx.printer.table(&[]);
    let unknown = || "?".to_string();
    table.add_row(vec!["archive".to_string(), d.archive.clone()]);
    table.add_row(vec![
        "format".to_string(),
        format!("{}{}", d.format.as_str(), if d.gzipped { ", gzipped" } else { "" }),
    ]);
    if let Some(manifest) = &d.manifest {
        table.add_row(vec!["database name".to_string(), manifest.db_name.clone()]);
        table.add_row(vec!["modules".to_string(), manifest.modules.len().to_string()]);
        if let Some(ours) = &manifest.odoodb {
            table.add_row(vec![
                "made by".to_string(),
                format!("odoodb {} at {}", ours.tool_version, ours.created_at),
            ]);
        } else {
            table.add_row(vec!["made by".to_string(), "Odoo (no checksums)".to_string()]);
        }
    }
    table.add_row(vec![
        "Odoo version".to_string(),
        inspection.odoo_version.clone().unwrap_or_else(unknown),
    ]);
    table.add_row(vec![
        "PostgreSQL (origin)".to_string(),
        inspection.pg_version.clone().unwrap_or_else(unknown),
    ]);
    table.add_row(vec![
        "pg_dump version".to_string(),
        inspection.pg_dump_version.clone().unwrap_or_else(unknown),
    ]);
    if let Some(form) = &inspection.dump_format {
        table.add_row(vec!["dump format".to_string(), form.clone()]);
    }
    if let Some(counts) = d.declared {
        table.add_row(vec!["dump size".to_string(), bytes(counts.dump_bytes)]);
        table.add_row(vec![
            "filestore".to_string(),
            format!("{} files, {}", counts.files, bytes(counts.file_bytes)),
        ]);
    }
    table.to_string()
}
