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
mod make;
mod pg_dump;
mod policy;
mod retention;
mod space;
mod verify;

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use crate::archive::BackupFormat;
use crate::archive::crypt::Recipients;
use crate::cli::Compression;
use crate::context::Context;

pub use all::{glob_matches, lock_target, make_each, odoo_databases, outcomes_table, verdict};
pub use dry_run::dry_run;
pub use make::make;
pub use policy::Policy;
pub use retention::{Found, all_backups, all_backups_under, backups_of, retention_policy};
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

impl Target {
    /// `--to` (or the settings' `backup.to`): an object-storage prefix, or a folder.
    pub fn from_to(to: &str) -> Result<Self> {
        if !crate::objects::is_object(to) {
            return Ok(Self::Dir(to.into()));
        }
        let address = crate::objects::Address::parse(to)?;
        if !address.is_prefix() {
            return Err(crate::error::usage_error(
                format!("--to {to} names an object; backups go under a prefix"),
                format!("end it with a slash: --to {to}/"),
            ));
        }
        Ok(Self::Objects(address))
    }
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
    /// Encrypt the whole archive (age) to these recipients; its name then ends in `.age`.
    pub encrypt: Option<Recipients>,
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
            encrypt: None,
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
    /// The age recipients the archive is encrypted to (empty: not encrypted).
    pub encrypted_to: Vec<String>,
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

/// A backup's file name: `.<ext>`, and `.age` after it when encrypted.
pub fn suffix(format: BackupFormat, encrypted: bool) -> String {
    format!("{}{}", extension(format), if encrypted { ".age" } else { "" })
}

/// The format a file name's extension says (under an `.age` one), if it says one.
pub fn format_of_name(path: &std::path::Path) -> Option<BackupFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".age").unwrap_or(&name).to_string();
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

/// What the writing produced.
struct Written {
    size: u64,
    dump: DumpReport,
    files: Option<FilesReport>,
    missing: Vec<String>,
}
