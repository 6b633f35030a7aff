//! `odoodb backup <db>`: one archive of the database and its filestore; `--verify FILE`.
//!
//! The archive is written to a temporary file beside its target and renamed only when whole;
//! the database is read in pg_dump's one snapshot (Odoo may keep running); the filestore is
//! walked once for its list and once into the archive, and no file is ever held in memory.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde::Serialize;

use crate::archive::Manifest;
use crate::archive::files::{self, Listing};
use crate::archive::manifest::{DumpPart, FilestorePart, Ours};
use crate::archive::output::{self, Destination, Resolved};
use crate::archive::{tar_gz, zip};
use crate::cli::{BackupArgs, BackupFormat, Compression};
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::output::bytes;
use crate::pg::Client;
use crate::pg::tools::Tool;
use crate::{fault, odoo};

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
}

/// A backup to make.
#[derive(Debug, Clone)]
pub struct Request {
    pub format: BackupFormat,
    pub target: Target,
    pub keep: Option<u32>,
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
            keep: None,
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

pub async fn run(ctx: &Context, args: &BackupArgs) -> Result<()> {
    if let Some(file) = &args.verify {
        return super::backup_verify::run(ctx, file).await;
    }
    let db = args.db.as_deref().ok_or_else(|| {
        usage_error("name the database to back up", "odoodb backup <db>, or --verify FILE")
    })?;
    let request = request(ctx, args)?;
    let stdout = matches!(request.target, Target::Stdout);
    let report = make(ctx, db, &request).await?;
    if stdout {
        // stdout holds the archive: the summary goes to stderr.
        ctx.printer.status(&human(&report));
    } else {
        ctx.printer.done(&report, || human(&report))?;
    }
    damaged_source(&report)
}

/// Exit 0 means an archive that verifies: one that faithfully holds files already damaged on
/// disk (content that does not match the sha1 of their name) is kept, as the best copy there
/// is, but the run says "done, partly" (exit 3), so cron's mail tells the admin.
fn damaged_source(report: &Report) -> Result<()> {
    let Some(files) = &report.filestore else { return Ok(()) };
    if files.name_mismatches.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        crate::error::Kind::Partial,
        format!(
            "the backup of {} is complete, but {} of its filestore files were already damaged on disk (see the warning above); `backup --verify` will report them",
            report.database,
            files.name_mismatches.len()
        ),
    )
    .hint("restore those files from an older backup, or accept them as lost; the archive holds them as they are on disk")
    .into())
}

fn request(ctx: &Context, args: &BackupArgs) -> Result<Request> {
    let mut format = args.format;
    let target = match &args.output {
        Some(path) if path.as_os_str() == "-" => Target::Stdout,
        // Checked now, not after an hour of dumping.
        Some(path) => match output::resolve(path, args.force)? {
            Resolved::Stdout => Target::Stdout,
            Resolved::Stream(path) => Target::Stream(path),
            Resolved::File(real) => {
                let named = format_of_name(path);
                match (format, named) {
                    (Some(asked), Some(named)) if asked != named => {
                        return Err(usage_error(
                            format!(
                                "-o {} names a {} file, but --format is {}; nothing was backed up",
                                path.display(),
                                extension(named),
                                extension(asked)
                            ),
                            format!(
                                "use --format {} or a name ending in .{}",
                                extension(named),
                                extension(asked)
                            ),
                        ));
                    }
                    (None, Some(named)) => format = Some(named),
                    _ => {}
                }
                Target::File(real, args.force)
            }
        },
        None => Target::Dir(args.dir.clone().unwrap_or_else(|| backup_dir(ctx))),
    };
    if matches!(target, Target::Stdout) && ctx.printer.is_json() {
        return Err(usage_error(
            "--json and -o - both want stdout",
            "write the archive to a file (-o FILE or --dir), or leave out --json",
        ));
    }
    let keep = args.keep.or(ctx.config.settings.backup.keep);
    if keep == Some(0) {
        return Err(usage_error("--keep 0 would remove the new backup too", "keep at least 1"));
    }
    let streamed = matches!(target, Target::Stdout | Target::Stream(_));
    if args.keep.is_some() && streamed {
        return Err(usage_error("--keep needs a folder, not a stream", "use --dir DIR"));
    }
    let jobs = match args.jobs {
        Some(0) => {
            return Err(usage_error("--jobs must be at least 1", "leave it out to use every core"));
        }
        Some(n) => usize::try_from(n).unwrap_or(1),
        None => default_jobs(),
    };
    let keep = if streamed { None } else { keep };
    Ok(Request {
        format: format.unwrap_or_else(|| default_format(ctx)),
        target,
        keep,
        no_filestore: args.no_filestore,
        compression: args.compression,
        jobs,
        read_from: None,
    })
}

fn default_format(ctx: &Context) -> BackupFormat {
    ctx.config.settings.backup.format.unwrap_or(BackupFormat::TarGz)
}

fn default_jobs() -> usize {
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
fn format_of_name(path: &Path) -> Option<BackupFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let said =
        |ext: &str| Path::new(&name).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
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
    let tool = Tool::find("pg_dump", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let (dump_major, dump_minor) = tool.version().await?;
    let server_major = u32::try_from(server / 10_000).unwrap_or(0);
    if dump_major < server_major {
        return Err(Failure::failed(format!(
            "{} is version {dump_major}.{dump_minor}, older than the server ({server_major}): it cannot dump this database",
            tool.program.display()
        ))
        .hint(format!("install PostgreSQL {server_major}'s client programs, or point pg_path in odoo.conf at them"))
        .into());
    }
    let pg_dump_version = format!("{dump_major}.{dump_minor}");

    let plan = filestore_plan(ctx, &client, db, request).await?;
    let referenced = match &plan {
        FilestorePlan::Skip => Vec::new(),
        _ => odoo::stored_file_names(&client).await?,
    };
    drop(client);

    let created = chrono::Local::now();
    let target = match &request.target {
        Target::File(path, _) | Target::Stream(path) => Some(path.clone()),
        Target::Dir(dir) => {
            if !dir.is_dir() {
                return Err(Failure::failed(format!(
                    "the backup folder {} does not exist",
                    dir.display()
                ))
                .hint("create it, or choose another with --dir (or backup.dir in the settings)")
                .into());
            }
            Some(dir.join(format!(
                "{db}_{}.{}",
                created.format("%Y-%m-%d_%H-%M-%S"),
                extension(request.format)
            )))
        }
        Target::Stdout => None,
    };
    let destination = match (&request.target, &target) {
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
        target.as_ref().map_or_else(|| "stdout".to_string(), |p| p.display().to_string())
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
    let cancel = Arc::new(AtomicBool::new(false));
    let written = match request.format {
        BackupFormat::Dump => {
            write_dump(ctx, rows_db, request, &tool, &destination, pg_dump_version).await?
        }
        BackupFormat::TarGz | BackupFormat::Zip => {
            let spool_dir = destination.spool_dir();
            let listing_task = {
                let spool_dir = spool_dir.clone();
                let folder = match &plan {
                    FilestorePlan::Folder(folder) => Some(folder.clone()),
                    _ => None,
                };
                tokio::task::spawn_blocking(move || {
                    folder.map(|folder| files::list(&folder, referenced, &spool_dir)).transpose()
                })
            };
            let archive = Archive {
                ctx,
                db: rows_db,
                request,
                tool: &tool,
                spool_dir,
                cancel: &cancel,
                plan: &plan,
            };
            archive.write(&destination, listing_task, &mut manifest, &mut ours).await?
        }
    };
    ctx.check_interrupt()?;
    fault::point("backup:before-rename", &ctx.cancel).await?;
    ctx.check_interrupt()?;
    let size = written.size;
    let shown = destination.shown();
    // Two backups of one database in one second (cron and a hand-made one) would want one
    // name: the later takes the next free second, so both are kept and retention reads both.
    let mut later = 0;
    let mut another = || {
        let Target::Dir(dir) = &request.target else { return None };
        later += 1;
        (later <= 60).then(|| {
            let when = created + chrono::Duration::seconds(later);
            dir.join(format!(
                "{db}_{}.{}",
                when.format("%Y-%m-%d_%H-%M-%S"),
                extension(request.format)
            ))
        })
    };
    let path = destination.commit(&mut another)?;
    let shown = path.as_ref().map_or(shown, |p| p.display().to_string());
    if let Some(path) = &path {
        quick_check(path, request.format, size, ctx, db).await?;
    }
    let pruned = match (&path, request.keep) {
        (Some(path), Some(keep)) => prune(db, path, keep)?,
        _ => Vec::new(),
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
    let needed = odoo::attachment_counts(client).await?.in_filestore;
    if needed > 0 {
        return Err(Failure::failed(format!(
            "{db} has {needed} attachments stored in the filestore, but there is no folder at {} (data_dir {}, from {}); no backup was made",
            folder.display(),
            ctx.config.data_dir.value.display(),
            ctx.config.data_dir.source
        ))
        .hint("point odoodb at Odoo's data_dir (-c /etc/odoo/odoo.conf or --data-dir), or pass --no-filestore to back up the database alone")
        .into());
    }
    Ok(FilestorePlan::Empty)
}

/// What the writing produced.
struct Written {
    size: u64,
    dump: DumpReport,
    files: Option<FilesReport>,
    missing: Vec<String>,
}

/// pg_dump's messages go to an unnamed file, read only when it fails (a pipe could fill and
/// stall it; a named file would outlive a killed run).
fn stderr_file() -> Result<(std::fs::File, std::fs::File)> {
    let file = tempfile::tempfile().context("cannot create a temporary file")?;
    Ok((file.try_clone().context("cannot open a temporary file")?, file))
}

fn pg_dump_failed(status: std::process::ExitStatus, stderr: &std::fs::File) -> anyhow::Error {
    use std::io::{Read as _, Seek as _};
    let mut text = String::new();
    let mut file = stderr;
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    let text = text.trim();
    Failure::failed(format!(
        "pg_dump failed ({status}){}",
        if text.is_empty() { String::new() } else { format!(": {text}") }
    ))
    .hint("no backup was made; the message above is pg_dump's")
    .into()
}

/// Runs pg_dump to its end, or until Ctrl-C (then kills it and fails as interrupted).
async fn run_pg_dump(ctx: &Context, mut command: tokio::process::Command) -> Result<()> {
    let (stderr, stderr_tmp) = stderr_file()?;
    command.stdin(Stdio::null()).stderr(Stdio::from(stderr));
    let mut child = command.spawn().context("cannot start pg_dump")?;
    tokio::select! {
        status = child.wait() => {
            let status = status.context("pg_dump did not finish")?;
            if status.success() { Ok(()) } else { Err(pg_dump_failed(status, &stderr_tmp)) }
        }
        () = ctx.cancel.wait() => {
            let _ = child.kill().await;
            Err(Failure::interrupted().into())
        }
    }
}

fn pg_dump_level(compression: Compression) -> Option<&'static str> {
    match compression {
        Compression::Fast => Some("-Z1"),
        Compression::Default => None,
        Compression::Best => Some("-Z9"),
    }
}

/// Moves `bar` along with the size of the file pg_dump is writing.
fn watch_size(bar: &indicatif::ProgressBar, path: &Path) -> tokio::task::JoinHandle<()> {
    let (bar, path) = (bar.clone(), path.to_path_buf());
    tokio::spawn(async move {
        loop {
            if let Ok(meta) = std::fs::metadata(&path) {
                bar.set_position(meta.len());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    })
}

/// The `dump` format: pg_dump's custom format, as Odoo's "dump" backups.
async fn write_dump(
    ctx: &Context,
    db: &str,
    request: &Request,
    tool: &Tool,
    destination: &Destination,
    pg_dump_version: String,
) -> Result<Written> {
    let step = Instant::now();
    let mut command = tool.command(db)?;
    command.args(["--format=custom", "--no-owner"]);
    if let Some(level) = pg_dump_level(request.compression) {
        command.arg(level);
    }
    let bar = ctx.printer.bar(0, "{spinner} pg_dump {bytes} {bytes_per_sec} {elapsed}");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    // pg_dump writes its standard output: the temporary file, or a named pipe or a device; only
    // `-o -` (or stdout under another name) is our stdout, which a stream's dump must never go
    // to (a cron mail, a log). A descriptor rather than `--file NAME`: a pg_dump that outlives
    // a killed run cannot recreate a name the next run's sweep removed. Custom format seeks in
    // a regular file on stdout as in one it opened, so the data offsets are written.
    match destination.stream_file() {
        Some(file) => {
            let file = file.try_clone().context("cannot write the archive")?;
            command.stdout(Stdio::from(file));
        }
        None => {
            command.stdout(Stdio::inherit());
        }
    }
    let watch = destination.temp_path().map(|path| watch_size(&bar, path));
    let result = run_pg_dump(ctx, command).await;
    if let Some(watch) = watch {
        watch.abort();
    }
    // Cleared now: the watcher's copy of the bar goes only when its task is reaped, after the
    // error would have been printed under a bar still standing.
    bar.finish_and_clear();
    result?;
    bar.finish_and_clear();
    let size =
        destination.temp_path().and_then(|p| std::fs::metadata(p).ok()).map_or(0, |m| m.len());
    Ok(Written {
        size,
        dump: DumpReport {
            format: "custom",
            path: None,
            bytes: size,
            sha256: None,
            seconds: step.elapsed().as_secs_f64(),
            pg_dump_version,
        },
        files: None,
        missing: Vec::new(),
    })
}

/// A tar.gz or zip in the making.
struct Archive<'a> {
    ctx: &'a Context,
    db: &'a str,
    request: &'a Request,
    tool: &'a Tool,
    spool_dir: PathBuf,
    cancel: &'a Arc<AtomicBool>,
    plan: &'a FilestorePlan,
}

type ListingTask = tokio::task::JoinHandle<Result<Option<Listing>>>;

impl Archive<'_> {
    #[allow(clippy::too_many_lines, reason = "each format's steps read in order")]
    async fn write(
        &self,
        destination: &Destination,
        listing_task: ListingTask,
        manifest: &mut Manifest,
        ours: &mut Ours,
    ) -> Result<Written> {
        let out = destination.writer()?;
        // pg_dump's output has no size known in advance (the database's size is not it): a
        // count of what it wrote; the archive's copy of the dump then has an exact total.
        let pg_dump_bar =
            self.ctx.printer.bar(0, "{spinner} pg_dump   {bytes} {bytes_per_sec} {elapsed}");
        pg_dump_bar.enable_steady_tick(std::time::Duration::from_millis(120));
        let dump_bar = self.ctx.printer.bar(
            0,
            "{spinner} dump      [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        );
        let pg_dump_version = ours.pg_dump_version.clone();
        match self.request.format {
            BackupFormat::TarGz => {
                // The manifest comes first and carries the dump's checksum, and a tar entry
                // announces its size: the dump is made whole first, beside the target. pg_dump
                // writes it uncompressed (-Z0) into a seekable file (so pg_restore --jobs can
                // restore it in parallel), and the archive compresses it once, on every core.
                let step = Instant::now();
                let spool = tempfile::Builder::new()
                    .prefix(&format!("{}dump.", destination.run().prefix()))
                    .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
                    .tempfile_in(&self.spool_dir)
                    .with_context(|| {
                        format!("cannot create a file in {}", self.spool_dir.display())
                    })?;
                let mut command = self.tool.command(self.db)?;
                // Its standard output, not `--file NAME` (see write_dump).
                command.args(["--format=custom", "--no-owner", "-Z0"]).stdout(Stdio::from(
                    spool.as_file().try_clone().context("cannot write the dump")?,
                ));
                let watch = watch_size(&pg_dump_bar, spool.path());
                // The filestore is walked while pg_dump runs.
                let (dumped, listing) = tokio::join!(run_pg_dump(self.ctx, command), listing_task);
                watch.abort();
                pg_dump_bar.finish_and_clear();
                dumped?;
                let listing = listing.context("the filestore walk stopped")??;
                let dump_path = spool.path().to_path_buf();
                let sha = tokio::task::spawn_blocking(move || files::sha256_file(&dump_path))
                    .await
                    .context("hashing the dump stopped")??;
                let dump_bytes = std::fs::metadata(spool.path()).map_or(0, |m| m.len());
                ours.dump = DumpPart {
                    path: "dump.pgdump".into(),
                    format: "custom".into(),
                    bytes: dump_bytes,
                    sha256: sha.clone(),
                };
                ours.filestore = self.filestore_part(listing.as_ref());
                manifest.odoodb = Some(ours.clone());
                let text =
                    serde_json::to_vec_pretty(manifest).context("cannot encode the manifest")?;
                dump_bar.set_length(dump_bytes);
                let dump_seconds_so_far = step.elapsed().as_secs_f64();
                let files_bar = self.files_bar(listing.as_ref());
                let options = tar_gz::Options {
                    level: level(self.request.compression),
                    jobs: self.request.jobs,
                    cancel: Arc::clone(self.cancel),
                    mtime: u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0),
                };
                let step = Instant::now();
                let handle = tokio::runtime::Handle::current();
                let cancel_signal = self.ctx.cancel.clone();
                let spool_path = spool.path().to_path_buf();
                let result = self
                    .blocking(move || {
                        let mut in_archive = 0.0;
                        let mut between = || {
                            in_archive = step.elapsed().as_secs_f64();
                            handle.block_on(fault::point("backup:after-dump", &cancel_signal))
                        };
                        let (out, stats) = tar_gz::write(
                            out,
                            &text,
                            (&spool_path, "dump.pgdump"),
                            listing.as_ref(),
                            &options,
                            &dump_bar,
                            &files_bar,
                            &mut between,
                        )?;
                        Ok((out.position(), stats, listing, in_archive))
                    })
                    .await?;
                drop(spool);
                let (size, stats, listing, in_archive) = result;
                let dump_seconds = dump_seconds_so_far + in_archive;
                Ok(Written {
                    size,
                    dump: DumpReport {
                        format: "custom",
                        path: Some("dump.pgdump".into()),
                        bytes: dump_bytes,
                        sha256: Some(sha),
                        seconds: dump_seconds,
                        pg_dump_version,
                    },
                    missing: listing.as_ref().map(|l| l.missing.clone()).unwrap_or_default(),
                    files: self.files_report(
                        listing.as_ref(),
                        stats,
                        step.elapsed().as_secs_f64() - in_archive,
                    ),
                })
            }
            BackupFormat::Zip => {
                // dump.sql comes first in Odoo's zips: pg_dump streams straight into it.
                let listing = listing_task.await.context("the filestore walk stopped")??;
                let files_bar = self.files_bar(listing.as_ref());
                ours.dump.path = "dump.sql".into();
                ours.dump.format = "plain".into();
                ours.filestore = self.filestore_part(listing.as_ref());
                let mut command = self.tool.command(self.db)?;
                command.args(["--format=plain", "--no-owner"]);
                let (stderr, stderr_tmp) = stderr_file()?;
                command
                    .as_std_mut()
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::from(stderr));
                let options = zip::Options {
                    level: level(self.request.compression),
                    jobs: self.request.jobs,
                    cancel: Arc::clone(self.cancel),
                    dos: zip::dos_time(&chrono::Local::now().naive_local()),
                };
                let pid = Arc::new(AtomicU32::new(0));
                let (child_pid, handle, cancel_signal) =
                    (Arc::clone(&pid), tokio::runtime::Handle::current(), self.ctx.cancel.clone());
                let spool_dir = self.spool_dir.clone();
                let (mut manifest, ours) = (manifest.clone(), ours.clone());
                let step = Instant::now();
                let result = self
                    .blocking_with_child(pid, move || {
                        let mut child = ChildGuard(
                            command.as_std_mut().spawn().context("cannot start pg_dump")?,
                        );
                        child_pid.store(child.0.id(), Ordering::SeqCst);
                        let mut stdout = child.0.stdout.take().context("pg_dump has no output")?;
                        let mut dump_seconds = 0.0;
                        let mut between = || {
                            dump_seconds = step.elapsed().as_secs_f64();
                            let status = child.0.wait().context("pg_dump did not finish")?;
                            if !status.success() {
                                return Err(pg_dump_failed(status, &stderr_tmp));
                            }
                            handle.block_on(fault::point("backup:after-dump", &cancel_signal))
                        };
                        let mut make_manifest = |dump: &zip::DumpWritten| {
                            let mut ours = ours.clone();
                            ours.dump.bytes = dump.bytes;
                            ours.dump.sha256.clone_from(&dump.sha256);
                            manifest.odoodb = Some(ours);
                            serde_json::to_vec_pretty(&manifest)
                                .context("cannot encode the manifest")
                        };
                        let (out, dump, stats) = zip::write(
                            out,
                            &spool_dir,
                            &mut stdout,
                            &mut make_manifest,
                            listing.as_ref(),
                            &options,
                            &pg_dump_bar,
                            &files_bar,
                            &mut between,
                        )?;
                        Ok((out.position(), dump, stats, listing, dump_seconds))
                    })
                    .await?;
                let (size, dump, stats, listing, dump_seconds) = result;
                Ok(Written {
                    size,
                    dump: DumpReport {
                        format: "plain",
                        path: Some("dump.sql".into()),
                        bytes: dump.bytes,
                        sha256: Some(dump.sha256),
                        seconds: dump_seconds,
                        pg_dump_version,
                    },
                    missing: listing.as_ref().map(|l| l.missing.clone()).unwrap_or_default(),
                    files: self.files_report(
                        listing.as_ref(),
                        stats,
                        step.elapsed().as_secs_f64() - dump_seconds,
                    ),
                })
            }
            BackupFormat::Dump => bail!("the dump format has no archive"),
        }
    }

    fn filestore_part(&self, listing: Option<&Listing>) -> Option<FilestorePart> {
        match (self.plan, listing) {
            (FilestorePlan::Skip, _) => None,
            (_, Some(listing)) => Some(FilestorePart {
                files: listing.files,
                bytes: listing.bytes,
                list_sha256: listing.list_sha256.clone(),
            }),
            (_, None) => Some(FilestorePart {
                files: 0,
                bytes: 0,
                list_sha256: files::hex(&<sha2::Sha256 as sha2::Digest>::digest(b"")),
            }),
        }
    }

    fn files_bar(&self, listing: Option<&Listing>) -> indicatif::ProgressBar {
        let (total, count) = listing.map_or((0, 0), |l| (l.bytes, l.files));
        let bar = self.ctx.printer.bar(
            total,
            "{spinner} filestore [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
        );
        bar.set_message(format!("{count} files"));
        bar
    }

    fn files_report(
        &self,
        listing: Option<&Listing>,
        stats: tar_gz::FilesStats,
        seconds: f64,
    ) -> Option<FilesReport> {
        let part = self.filestore_part(listing)?;
        Some(FilesReport {
            files: part.files,
            bytes: part.bytes,
            list_sha256: part.list_sha256,
            stored_uncompressed: stats.stored,
            name_mismatches: stats.mismatched,
            skipped: listing.map_or(0, |l| l.skipped),
            skipped_examples: listing.map(|l| l.skipped_examples.clone()).unwrap_or_default(),
            seconds: seconds.max(0.0),
        })
    }

    /// Runs the archive writer on a blocking thread; Ctrl-C makes it stop at its next write.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.blocking_with_child(Arc::new(AtomicU32::new(0)), work).await
    }

    /// The same, and Ctrl-C also ends the child process whose pid is in `pid` (a pg_dump the
    /// writer is reading, which could otherwise keep it waiting).
    async fn blocking_with_child<T: Send + 'static>(
        &self,
        pid: Arc<AtomicU32>,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let task = tokio::task::spawn_blocking(work);
        tokio::pin!(task);
        let result = tokio::select! {
            result = &mut task => result,
            () = self.ctx.cancel.wait() => {
                self.cancel.store(true, Ordering::SeqCst);
                let pid = pid.load(Ordering::SeqCst);
                if pid != 0 {
                    let _ = nix::sys::signal::kill(
                        nix::unistd::Pid::from_raw(i32::try_from(pid).unwrap_or(0)),
                        nix::sys::signal::Signal::SIGTERM,
                    );
                }
                task.await
            }
        };
        let result = result.context("the archive writer stopped unexpectedly")?;
        if self.ctx.cancel.is_set() {
            return Err(Failure::interrupted().into());
        }
        result
    }
}

/// Kills and reaps pg_dump if the writer gives up before it is done.
struct ChildGuard(std::process::Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A cheap check of the file under its final name: its size, its framing, and for a dump its
/// table of contents. (`backup --verify` reads it end to end.)
async fn quick_check(
    path: &Path,
    format: BackupFormat,
    size: u64,
    ctx: &Context,
    db: &str,
) -> Result<()> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let broken = |what: &str| -> anyhow::Error {
        Failure::failed(format!("the new backup {} is {what}", path.display()))
            .hint("check the disk (full? failing?) and run the backup again")
            .into()
    };
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot stat {}", path.display()))?;
    if meta.len() != size {
        return Err(broken(&format!("{} bytes on disk, {size} written", meta.len())));
    }
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut head = [0u8; 4];
    file.read_exact(&mut head).map_err(|_| broken("empty"))?;
    match format {
        BackupFormat::TarGz if head[..2] != [0x1f, 0x8b] => return Err(broken("not gzip")),
        BackupFormat::Zip => {
            let mut tail = [0u8; 22];
            file.seek(SeekFrom::End(-22)).map_err(|_| broken("too short"))?;
            file.read_exact(&mut tail).map_err(|_| broken("too short"))?;
            if head != *b"PK\x03\x04" || tail[..4] != *b"PK\x05\x06" {
                return Err(broken("not a complete zip"));
            }
        }
        BackupFormat::Dump => {
            if head[..4] != *b"PGDM" {
                return Err(broken("not a pg_dump custom archive"));
            }
            let pg_restore = Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?;
            let output = pg_restore
                .command(db)?
                .arg("--list")
                .arg(path)
                .stdout(Stdio::null())
                .output()
                .await
                .context("cannot run pg_restore --list")?;
            if !output.status.success() {
                return Err(broken("not readable by pg_restore --list"));
            }
        }
        BackupFormat::TarGz => {}
    }
    Ok(())
}

/// A backup file name of `db`: `<db>_<YYYY-mm-dd_HH-MM-SS>.<tar.gz|zip|dump>`, Odoo's download
/// name; returns its time.
pub fn backup_time(db: &str, file_name: &str) -> Option<chrono::NaiveDateTime> {
    let rest = file_name.strip_prefix(db)?.strip_prefix('_')?;
    let stamp = ["tar.gz", "zip", "dump"]
        .iter()
        .find_map(|ext| rest.strip_suffix(ext)?.strip_suffix('.'))?;
    if stamp.len() != 19 {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").ok()
}

/// The backups of `db` in `dir`, newest first.
pub fn backups_of(db: &str, dir: &Path) -> Vec<(chrono::NaiveDateTime, PathBuf)> {
    let mut found: Vec<(chrono::NaiveDateTime, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            Some((backup_time(db, &name)?, entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found
}

/// Removes the backups of `db` beside `new` beyond the newest `keep` (the new one counts and is
/// never removed), oldest first; returns what was removed, in that order.
fn prune(db: &str, new: &Path, keep: u32) -> Result<Vec<String>> {
    let dir = match new.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let new_name = new.file_name();
    // Only backups older than the new one: a newer one is another run's that finished first
    // (a cron run overlapping a manual one), the latest state of the database, never "older".
    let new_time = new_name.and_then(|name| backup_time(db, &name.to_string_lossy()));
    let older: Vec<PathBuf> = backups_of(db, dir)
        .into_iter()
        .filter(|(time, _)| new_time.is_none_or(|new_time| *time < new_time))
        .map(|(_, path)| path)
        .filter(|path| path.file_name() != new_name)
        .collect();
    let keep_others = usize::try_from(keep).unwrap_or(usize::MAX).saturating_sub(1);
    // Oldest first: stopped midway, what is left is the newer ones.
    let mut doomed: Vec<PathBuf> = older.into_iter().skip(keep_others).collect();
    doomed.reverse();
    let mut removed = Vec::new();
    for path in doomed {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        removed.push(path.display().to_string());
    }
    Ok(removed)
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

fn human(report: &Report) -> String {
    use std::fmt::Write as _;
    let files = report.filestore.as_ref().map_or_else(
        || "no filestore".to_string(),
        |f| format!("filestore {} files, {} ({:.1}s)", f.files, bytes(f.bytes), f.seconds),
    );
    let mut text = format!(
        "Backed up {} to {} ({}, {}) in {:.1}s: dump {} ({:.1}s), {files}",
        report.database,
        report.path,
        report.format,
        bytes(report.bytes),
        report.total_seconds,
        bytes(report.dump.bytes),
        report.dump.seconds,
    );
    if report.missing_attachments > 0 {
        let _ = write!(text, "\n{} attachments without a file", report.missing_attachments);
    }
    for path in &report.pruned {
        let _ = write!(text, "\nRemoved older backup {path}");
    }
    text
}
