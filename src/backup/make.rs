//! Making one backup: the manifest read from the database, pg_dump matched to the server, the
//! archive written to its destination (a temporary file, an upload), given its final name, the
//! cheap check, and retention.

use std::time::Instant;

use anyhow::{Context as _, Result};

use crate::archive::BackupFormat;
use crate::archive::Manifest;
use crate::archive::crypt::Recipients;
use crate::archive::files;
use crate::archive::manifest::{DumpPart, Ours};
use crate::archive::output::{Destination, Placed};
use crate::context::Context;
use crate::error::Failure;
use crate::pg::Client;
use crate::pg::tools::Tool;
use crate::{fault, odoo};

use super::archive::Archive;
use super::check::quick_check;
use super::pg_dump::write_dump;
use super::retention::{self, prune};
use super::{FilestorePlan, Report, Request, Target, Written, format_name, suffix};

/// Odoo's own part of the manifest, read from the database.
async fn odoo_manifest(client: &Client, admin_client: &Client, db: &str) -> Result<Manifest> {
    let base = odoo::base_version(client).await?.unwrap_or_default();
    let version = odoo::version::series(&base).unwrap_or_else(|| "unknown".into());
    let numbers: Vec<u64> = version
        .trim_start_matches("saas~")
        .split('.')
        .filter_map(|part| part.parse().ok())
        .collect();
    let major = numbers.first().copied().unwrap_or(0);
    let minor = numbers.get(1).copied().unwrap_or(0);
    let rows = client
        .query("SELECT name, latest_version FROM ir_module_module WHERE state = 'installed'", &[])
        .await
        .context("cannot read the installed modules")?;
    let modules = rows
        .iter()
        .map(|row| {
            let version: Option<String> = row.get(1);
            (row.get::<_, String>(0), version.unwrap_or_default())
        })
        .collect();
    let server = crate::pg::admin::server_version_num(admin_client).await?;
    Ok(Manifest {
        odoo_dump: "1".into(),
        db_name: db.to_string(),
        version: version.clone(),
        version_info: serde_json::json!([major, minor, 0, "final", 0, ""]),
        major_version: format!("{major}.{minor}"),
        // As Odoo computes it: "%d.%d" % divmod(server_version / 100, 100).
        pg_version: format!("{}.{}", server / 10_000, (server / 100) % 100),
        modules,
        odoodb: None,
    })
}

/// Makes the backup; used by `backup` itself and by the commands that back up first.
#[allow(clippy::too_many_lines, reason = "the steps read in order")]
pub async fn make(ctx: &Context, db: &str, request: &Request) -> Result<Report> {
    let started = Instant::now();
    odoo::name::validate_existing(db)?;
    let admin_client = ctx.connect_admin().await?;
    let rows_db = request.read_from.as_deref().unwrap_or(db);
    let client = ctx.open_odoo(&admin_client, rows_db).await?;
    let mut manifest = odoo_manifest(&client, &admin_client, db).await?;
    let server = crate::pg::admin::server_version_num(&admin_client).await?;
    let server_major = u32::try_from(server / 10_000).unwrap_or(0);
    let note = |line: &str| ctx.printer.status(line);
    let (tool, (dump_major, dump_minor)) = Tool::find_for_server(
        "pg_dump",
        ctx.config.pg_path.as_deref(),
        &ctx.params,
        server_major,
        &note,
    )
    .await?;
    let pg_dump_version = format!("{dump_major}.{dump_minor}");

    let plan = filestore_plan(ctx, &client, db, request).await?;
    let referenced = match &plan {
        FilestorePlan::Skip => Vec::new(),
        _ => odoo::stored_file_names(&client).await?,
    };
    drop(client);

    let created = chrono::Local::now();
    let suffix = suffix(request.format, request.encrypt.is_some());
    let stamped = |when: chrono::DateTime<chrono::Local>| {
        format!("{db}_{}.{suffix}", when.format("%Y-%m-%d_%H-%M-%S"))
    };
    let target = match &request.target {
        Target::File(path, _) | Target::Stream(path) => Some(path.clone()),
        Target::Dir(dir) => {
            super::space::require_folder(&request.target)?;
            Some(dir.join(stamped(created)))
        }
        Target::Stdout | Target::Objects(_) => None,
    };
    let destination = match (&request.target, &target) {
        (Target::Objects(prefix), _) => {
            // The upload's parts are sized for it (memory holds a few).
            let estimate = super::space::estimate(ctx, &admin_client, db, request, None).await?;
            let begin = begin_upload(ctx, prefix, created, &stamped, estimate.archive_bytes);
            Destination::object(begin).await?
        }
        (Target::Stream(path), _) => {
            let waiting = || {
                ctx.printer.status(&format!(
                    "Waiting for a reader on {} (Ctrl-C to stop) …",
                    path.display()
                ));
            };
            Destination::stream(path, &ctx.cancel, &waiting).await?
        }
        // Only `-o FILE --force` may replace a file: a backup folder's name taken meanwhile
        // (another backup of the same second) is not replaced either.
        (Target::File(_, true), Some(path)) => Destination::file(path, true)?,
        (_, Some(path)) => Destination::file(path, false)?,
        (_, None) => Destination::stdout()?,
    };
    ctx.printer.status(&format!(
        "Backing up {db} ({}{}) to {} …",
        format_name(request.format),
        if request.encrypt.is_some() { ", encrypted" } else { "" },
        match destination.shown().as_str() {
            "-" => "stdout".to_string(),
            shown => shown.to_string(),
        }
    ));

    let mut ours = Ours {
        format: format_name(request.format).to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: created
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        pg_dump_version: pg_dump_version.clone(),
        dump: DumpPart {
            path: String::new(),
            format: String::new(),
            bytes: 0,
            sha256: String::new(),
        },
        filestore: None,
    };
    let written = write(
        ctx,
        rows_db,
        request,
        &tool,
        &destination,
        &plan,
        referenced,
        pg_dump_version,
        &mut manifest,
        &mut ours,
    )
    .await;
    let written = match written {
        Ok(written) => written,
        Err(error) => return Err(destination.abandon(error).await),
    };
    let size = written.size;
    let shown = destination.shown();
    // Two backups of one database in one second (cron and a hand-made one) would want one
    // name: the later takes the next free second, so both are kept and retention reads both.
    let mut later = 0;
    let mut another = || {
        let Target::Dir(dir) = &request.target else { return None };
        later += 1;
        (later <= 60).then(|| dir.join(stamped(created + chrono::Duration::seconds(later))))
    };
    let placed = destination.commit(size, &mut another).await?;
    let shown = match &placed {
        Placed::File(path) => path.display().to_string(),
        Placed::Object(stored) => stored.address.to_string(),
        Placed::Streamed => shown,
    };
    if let Placed::File(path) = &placed {
        let format = if request.encrypt.is_some() { None } else { Some(request.format) };
        quick_check(path, format, size, ctx, db, &tool.program).await?;
    }
    let pruned = match &placed {
        _ if request.retention.is_empty() => Vec::new(),
        Placed::File(path) => prune(db, path, &request.retention)?,
        Placed::Object(stored) => {
            retention::prune_objects(ctx, db, &stored.address, &request.retention).await?
        }
        Placed::Streamed => Vec::new(),
    };
    let report = Report {
        database: db.to_string(),
        path: shown,
        format: format_name(request.format),
        bytes: size,
        created_at: ours.created_at.clone(),
        dump: written.dump,
        missing_attachments: written.missing.len() as u64,
        missing_examples: written.missing.iter().take(20).cloned().collect(),
        filestore: written.files,
        pruned,
        encrypted_to: request.encrypt.as_ref().map(Recipients::shown).unwrap_or_default(),
        total_seconds: started.elapsed().as_secs_f64(),
    };
    warn_about(ctx, &report);
    Ok(report)
}

/// Writes the archive into `destination` (not yet under its final name).
#[allow(clippy::too_many_arguments, reason = "the parts of one backup, each distinct")]
async fn write(
    ctx: &Context,
    rows_db: &str,
    request: &Request,
    tool: &Tool,
    destination: &Destination,
    plan: &FilestorePlan,
    referenced: Vec<String>,
    pg_dump_version: String,
    manifest: &mut Manifest,
    ours: &mut Ours,
) -> Result<Written> {
    let written = match request.format {
        BackupFormat::Dump => {
            write_dump(ctx, rows_db, request, tool, destination, pg_dump_version).await?
        }
        BackupFormat::TarGz | BackupFormat::Zip => {
            let spool_dir = destination.spool_dir();
            let listing_task = {
                let spool_dir = spool_dir.clone();
                let folder = match plan {
                    FilestorePlan::Folder(folder) => Some(folder.clone()),
                    _ => None,
                };
                tokio::task::spawn_blocking(move || {
                    folder.map(|folder| files::list(&folder, referenced, &spool_dir)).transpose()
                })
            };
            let archive = Archive { ctx, db: rows_db, request, tool, spool_dir, plan };
            archive.write(destination, listing_task, manifest, ours).await?
        }
    };
    ctx.check_interrupt()?;
    fault::point("backup:before-rename", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    Ok(written)
}

/// Starts the upload of a new backup under `prefix`, at the first free second from `created`
/// (an object is replaced by an upload of its key, so a taken name is looked for first).
async fn begin_upload(
    ctx: &Context,
    prefix: &crate::objects::Address,
    created: chrono::DateTime<chrono::Local>,
    stamped: &dyn Fn(chrono::DateTime<chrono::Local>) -> String,
    expected: u64,
) -> Result<crate::objects::Upload> {
    let store = crate::objects::store(&ctx.config.settings.backup.s3, prefix)?;
    let settings = &ctx.config.settings.backup.s3;
    let swept = crate::objects::settle_abandoned_in(settings, &store, &ctx.cancel).await?;
    // Settling another run's leftovers is no news for cron; failing to is.
    for line in &swept.aborted {
        ctx.printer.status(line);
    }
    for line in &swept.problems {
        ctx.printer.warn(line);
    }
    let taken =
        crate::objects::or_cancel(&ctx.cancel, crate::objects::names_under(&store, prefix)).await?;
    for later in 0..=60 {
        let name = stamped(created + chrono::Duration::seconds(later));
        if !taken.contains(&name) {
            return crate::objects::Upload::begin(
                &store,
                &prefix.child(&name),
                expected,
                &ctx.cancel,
            )
            .await;
        }
    }
    Err(Failure::failed(format!("every name for a backup in {prefix} this minute is taken"))
        .hint("run the backup again in a minute")
        .into())
}

pub(super) async fn filestore_plan(
    ctx: &Context,
    client: &Client,
    db: &str,
    request: &Request,
) -> Result<FilestorePlan> {
    if request.no_filestore || request.format == BackupFormat::Dump {
        return Ok(FilestorePlan::Skip);
    }
    let folder = ctx.filestore(db);
    if folder.is_dir() {
        return Ok(FilestorePlan::Folder(folder));
    }
    if folder.exists() {
        return Err(Failure::failed(format!(
            "the filestore of {db} at {} is not a folder",
            folder.display()
        ))
        .hint("check data_dir (-c odoo.conf or --data-dir), or pass --no-filestore")
        .into());
    }
    ctx.require_no_attachment_in_filestore(
        client,
        db,
        "no backup was made",
        ", or pass --no-filestore to back up the database alone",
    )
    .await?;
    Ok(FilestorePlan::Empty)
}

fn warn_about(ctx: &Context, report: &Report) {
    if report.missing_attachments > 0 {
        ctx.printer.warn(&format!(
            "{} attachments of {} have no file in the filestore (their content was already lost), e.g. {}",
            report.missing_attachments,
            report.database,
            report.missing_examples.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(files) = &report.filestore
        && !files.name_mismatches.is_empty()
    {
        ctx.printer.warn(&format!(
            "{} filestore files do not match the sha1 their name claims (damaged on disk?), e.g. {}",
            files.name_mismatches.len(),
            files.name_mismatches.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(files) = &report.filestore
        && files.skipped > 0
    {
        ctx.printer.warn(&format!(
            "{} entries of the filestore folder of {} were left out of the archive, e.g. {}",
            files.skipped,
            report.database,
            files.skipped_examples.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
}
