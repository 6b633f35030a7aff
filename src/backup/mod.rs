//! A backup run: the request (format, target, retention), one archive of the database and its
//! filestore written to a temporary file beside its target and renamed only when whole, the
//! check under its final name, and retention. The database is read in pg_dump's one snapshot
//! (Odoo may keep running); the filestore is walked once for its list and once into the
//! archive, and no file is ever held in memory. Used by `backup`, and by the commands that back
//! up before a change (`delete --backup-first`, `upgrade production`).

mod all;
mod archive;
mod check;
mod dry_run;
mod pg_dump;
mod policy;
mod retention;
mod space;
mod verify;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::archive::BackupFormat;
use crate::archive::Manifest;
use crate::archive::files;
use crate::archive::manifest::{DumpPart, Ours};
use crate::archive::output::{Destination, Placed};
use crate::cli::Compression;
use crate::context::Context;
use crate::error::Failure;
use crate::pg::Client;
use crate::pg::tools::Tool;
use crate::{fault, odoo};

pub use all::{
    folder_lock, glob_matches, lock_target, make_each, odoo_databases, outcomes_table, prefix_lock,
    verdict,
};
use archive::Archive;
use check::quick_check;
pub use dry_run::dry_run;
use pg_dump::write_dump;
pub use policy::Policy;
use retention::prune;
pub use retention::{Found, all_backups, backups_of, retention_policy};
pub use space::{preflight, require_folder};
pub use verify::{findings_table, verify_archive};

/// Where the archive goes.
#[derive(Debug, Clone)]
pub enum Target {
    /// `-o FILE`; whether a file that is there when the archive is complete may be replaced
    /// (`--force`). Without it, one that took the name while the backup ran is kept.
    File(PathBuf, bool),
    /// `<dir>/<db>_<YYYY-mm-dd_HH-MM-SS>.<ext>`.
    Dir(PathBuf),
    /// `-o -` (or stdout under another name).
    Stdout,
    /// `-o` a named pipe or a character device: written through.
    Stream(PathBuf),
    /// `--to s3://bucket/prefix/`: `<prefix><db>_<YYYY-mm-dd_HH-MM-SS>.<ext>`.
    Objects(crate::objects::Address),
}

/// A backup to make.
#[derive(Debug, Clone)]
pub struct Request {
    pub format: BackupFormat,
    pub target: Target,
    /// Which older backups of the database in the folder stay once the new one is complete.
    pub retention: Policy,
    pub no_filestore: bool,
    pub compression: Compression,
    pub jobs: usize,
    /// Read the rows from this database instead: a frozen copy of the one backed up, made
    /// while that one is closed to connections (which pg_dump could not open either). The
    /// archive is still the backed-up database's: its name, its filestore.
    pub read_from: Option<String>,
}

impl Request {
    /// The backup that `delete --backup-first` and `duplicate --force --backup-first` make:
    /// default format, into the backup folder, no pruning.
    pub fn before_change(ctx: &Context) -> Self {
        Self {
            format: default_format(ctx),
            target: Target::Dir(backup_dir(ctx)),
            retention: Policy::default(),
            no_filestore: false,
            compression: Compression::Default,
            jobs: default_jobs(),
            read_from: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub database: String,
    /// `-` for stdout.
    pub path: String,
    pub format: &'static str,
    pub bytes: u64,
    pub created_at: String,
    pub dump: DumpReport,
    pub filestore: Option<FilesReport>,
    /// Attachments whose file is not in the filestore (their bytes are lost already).
    pub missing_attachments: u64,
    pub missing_examples: Vec<String>,
    /// Backups of this database removed by `--keep`.
    pub pruned: Vec<String>,
    pub total_seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct DumpReport {
    /// `plain`, `custom`.
    pub format: &'static str,
    /// Inside the archive (`None` for the dump format, which is the dump).
    pub path: Option<String>,
    pub bytes: u64,
    pub sha256: Option<String>,
    pub seconds: f64,
    pub pg_dump_version: String,
}

#[derive(Debug, Serialize)]
pub struct FilesReport {
    pub files: u64,
    pub bytes: u64,
    pub list_sha256: String,
    /// Files stored as they are (already compressed: images, PDFs, office files).
    pub stored_uncompressed: u64,
    /// Data files whose content does not match the sha1 their name claims.
    pub name_mismatches: Vec<String>,
    /// Entries of the filestore folder left out (a link to nothing, a socket, a name no
    /// archive can carry), and the first of them with the reason.
    pub skipped: u64,
    pub skipped_examples: Vec<String>,
    pub seconds: f64,
}

pub fn default_format(ctx: &Context) -> BackupFormat {
    ctx.config.settings.backup.format.unwrap_or(BackupFormat::TarGz)
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// The settings' `backup.dir`, else the current folder.
pub fn backup_dir(ctx: &Context) -> PathBuf {
    ctx.config.settings.backup.dir.clone().unwrap_or_else(|| PathBuf::from("."))
}

pub fn extension(format: BackupFormat) -> &'static str {
    match format {
        BackupFormat::TarGz => "tar.gz",
        BackupFormat::Zip => "zip",
        BackupFormat::Dump => "dump",
    }
}

/// The format a file name's extension says, if it says one.
pub fn format_of_name(path: &std::path::Path) -> Option<BackupFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let said = |ext: &str| {
        std::path::Path::new(&name).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    if name.ends_with(".tar.gz") || said("tgz") {
        Some(BackupFormat::TarGz)
    } else if said("zip") {
        Some(BackupFormat::Zip)
    } else if said("dump") || said("pgdump") {
        Some(BackupFormat::Dump)
    } else {
        None
    }
}

fn format_name(format: BackupFormat) -> &'static str {
    extension(format)
}

fn level(compression: Compression) -> u32 {
    match compression {
        Compression::Fast => 1,
        Compression::Default => 6,
        Compression::Best => 9,
    }
}

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

/// Backs up `db` before a change that drops or replaces it (`delete --backup-first`,
/// `duplicate --force --backup-first`), into `dir` (else the backup folder); a failure stops
/// the change before it starts.
pub async fn before_change(ctx: &Context, db: &str, dir: Option<&std::path::Path>) -> Result<()> {
    let mut request = Request::before_change(ctx);
    if let Some(dir) = dir {
        request.target = Target::Dir(dir.to_path_buf());
    }
    let report = make(ctx, db, &request).await.map_err(|error| {
        error.context(format!(
            "the backup of {db} made before the change failed; nothing was changed"
        ))
    })?;
    ctx.printer.status(&format!(
        "Backed up {db} to {} ({})",
        report.path,
        crate::output::bytes(report.bytes)
    ));
    Ok(())
}

/// What is known of the filestore before the archive is written.
enum FilestorePlan {
    /// `--no-filestore`.
    Skip,
    /// No folder, and no attachment needs one.
    Empty,
    Folder(PathBuf),
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
    let stamped = |when: chrono::DateTime<chrono::Local>| {
        format!("{db}_{}.{}", when.format("%Y-%m-%d_%H-%M-%S"), extension(request.format))
    };
    let target = match &request.target {
        Target::File(path, _) | Target::Stream(path) => Some(path.clone()),
        Target::Dir(dir) => {
            space::require_folder(&request.target)?;
            Some(dir.join(stamped(created)))
        }
        Target::Stdout | Target::Objects(_) => None,
    };
    let destination = match (&request.target, &target) {
        (Target::Objects(prefix), _) => {
            Destination::object(begin_upload(ctx, prefix, created, &stamped).await?)?
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
        "Backing up {db} ({}) to {} …",
        format_name(request.format),
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
        quick_check(path, request.format, size, ctx, db, &tool.program).await?;
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
) -> Result<crate::objects::Upload> {
    let store = crate::objects::store(&ctx.config.settings.backup.s3, prefix)?;
    let (settled, problems) =
        crate::objects::settle_abandoned(&ctx.config.settings.backup.s3).await;
    for line in settled.iter().chain(&problems) {
        ctx.printer.warn(line);
    }
    let taken = crate::objects::names_under(&store, prefix).await?;
    for later in 0..=60 {
        let name = stamped(created + chrono::Duration::seconds(later));
        if !taken.contains(&name) {
            return crate::objects::Upload::begin(&store, &prefix.child(&name)).await;
        }
    }
    Err(Failure::failed(format!("every name for a backup in {prefix} this minute is taken"))
        .hint("run the backup again in a minute")
        .into())
}

async fn filestore_plan(
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

/// What the writing produced.
struct Written {
    size: u64,
    dump: DumpReport,
    files: Option<FilesReport>,
    missing: Vec<String>,
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
