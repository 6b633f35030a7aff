//! Free space before a backup into a local folder (`--dir`, `-o FILE`, `--all`): what the
//! archives may need, from the database's size (`pg_database_size`) and its filestore folder's
//! (the files' sizes, walked once), against what the folder's filesystem has free; checked before
//! anything is dumped, skipped with `--no-space-check`. A tar.gz made for stdout, a pipe or
//! object storage keeps no archive here, but spools its dump in the temporary folder meanwhile
//! (often a small tmpfs): that folder is checked for the dumps instead.
//!
//! The estimate is an upper bound in practice, not a promise: a compressed archive is usually
//! much smaller than the database's files (which hold indexes and free space), and only the
//! attachments already compressed (images, PDFs) keep their size.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::{Request, Target, retention::would_prune};
use crate::archive::BackupFormat;
use crate::context::Context;
use crate::error::Failure;
use crate::output::bytes;
use crate::pg::Client;

/// Added to the estimate, in percent.
pub const MARGIN_PERCENT: u64 = 10;

/// A test hook, read here only: the free space to assume (in bytes) instead of the
/// filesystem's, so the tests need no full disk.
const FAKE_FREE_ENV: &str = "ODOODB_TEST_FREE_BYTES";

/// What one database's backup may take in its target's folder.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    pub database: String,
    /// `pg_database_size`.
    pub database_bytes: u64,
    /// The filestore folder's files (0 when it is left out).
    pub filestore_bytes: u64,
    /// The archive: at most about database + filestore (the dump format: the database alone).
    pub archive_bytes: u64,
    /// tar.gz: the uncompressed dump, spooled beside the target while the archive is made and
    /// removed after (at most about the database's size).
    pub spool_bytes: u64,
    /// Older backups of the database that retention removes once the new one is complete.
    pub freed_bytes: u64,
}

impl Estimate {
    pub fn new(
        database: &str,
        database_bytes: u64,
        filestore_bytes: u64,
        format: BackupFormat,
        freed_bytes: u64,
    ) -> Self {
        let (archive_bytes, spool_bytes) = match format {
            BackupFormat::TarGz => (database_bytes + filestore_bytes, database_bytes),
            BackupFormat::Zip => (database_bytes + filestore_bytes, 0),
            BackupFormat::Dump => (database_bytes, 0),
        };
        Self {
            database: database.to_string(),
            database_bytes,
            filestore_bytes,
            archive_bytes,
            spool_bytes,
            freed_bytes,
        }
    }
}

/// The folder's free space against what the backups may need.
#[derive(Debug, Clone, Serialize)]
pub struct Space {
    pub folder: PathBuf,
    /// The estimate, margin included.
    pub needed_bytes: u64,
    pub free_bytes: u64,
    pub margin_percent: u64,
    /// The temporary folder, where only the tar.gz dumps pass (no archive stays).
    pub spool_only: bool,
}

impl Space {
    pub fn enough(&self) -> bool {
        self.free_bytes >= self.needed_bytes
    }

    /// The one-line refusal when there is not enough.
    pub fn require(&self, estimates: &[Estimate], parallel: usize) -> Result<()> {
        if self.enough() {
            return Ok(());
        }
        if self.spool_only {
            return Err(Failure::failed(crate::output::terminal_safe(&format!(
                "not enough free space in the temporary folder {}: the tar.gz needs its dump spooled there while it is made, about {} ({} at a time, plus {}%), {} free; nothing was backed up",
                self.folder.display(),
                bytes(self.needed_bytes),
                parallel.max(1),
                self.margin_percent,
                bytes(self.free_bytes)
            )))
            .hint(
                "point TMPDIR at a folder with room, or use --format zip or dump (which spool \
                 nothing); --no-space-check skips the check",
            )
            .into());
        }
        let what = match estimates {
            [one] => format!(
                "the backup of {} needs about {} (database {} + filestore {}{}, plus {}%)",
                one.database,
                bytes(self.needed_bytes),
                bytes(one.database_bytes),
                bytes(one.filestore_bytes),
                if one.spool_bytes > 0 { ", and the dump spooled beside the archive" } else { "" },
                self.margin_percent
            ),
            many => format!(
                "the backups of {} databases need about {} (each database + its filestore, {} at a time{}, less the older backups retention removes as each completes, plus {}%)",
                many.len(),
                bytes(self.needed_bytes),
                parallel.max(1),
                if many.iter().any(|e| e.spool_bytes > 0) {
                    " with their dumps spooled beside the archives"
                } else {
                    ""
                },
                self.margin_percent
            ),
        };
        Err(Failure::failed(crate::output::terminal_safe(&format!(
            "not enough free space in {}: {what}, {} free; nothing was backed up",
            self.folder.display(),
            bytes(self.free_bytes)
        )))
        .hint(
            "free some space or choose another folder (--dir); the estimate is an upper bound \
             (compression usually makes archives smaller), and --no-space-check skips it where \
             the free space misleads (compressing or network filesystems)",
        )
        .into())
    }
}

/// The local folder whose free space a backup needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Room {
    /// The archives stay there (and a tar.gz's dump is spooled beside them meanwhile).
    Archives(PathBuf),
    /// The temporary folder, where a tar.gz made for a stream or object storage spools its
    /// dump; nothing stays.
    Spool(PathBuf),
}

impl Room {
    pub fn folder(&self) -> &Path {
        match self {
            Self::Archives(folder) | Self::Spool(folder) => folder,
        }
    }
}

/// Where `request`'s backups take room locally; `None` when they take none (a zip or a dump
/// for stdout, a pipe, a device or object storage).
pub fn room(request: &Request) -> Option<Room> {
    match &request.target {
        Target::Dir(dir) => Some(Room::Archives(dir.clone())),
        Target::File(path, _) => Some(Room::Archives(match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        })),
        Target::Stdout | Target::Stream(_) | Target::Objects(_)
            if request.format == BackupFormat::TarGz =>
        {
            Some(Room::Spool(std::env::temp_dir()))
        }
        Target::Stdout | Target::Stream(_) | Target::Objects(_) => None,
    }
}

/// The local file the backup of `db` would write if made at `when`
/// (`<dir>/<db>_<YYYY-mm-dd_HH-MM-SS>.<ext>` in a folder); `None` for stdout and object storage.
pub fn would_write(
    db: &str,
    request: &Request,
    when: chrono::DateTime<chrono::Local>,
) -> Option<PathBuf> {
    match &request.target {
        Target::Dir(dir) => Some(dir.join(format!(
            "{db}_{}.{}",
            when.format("%Y-%m-%d_%H-%M-%S"),
            super::suffix(request.format, request.encrypt.is_some())
        ))),
        Target::File(path, _) | Target::Stream(path) => Some(path.clone()),
        Target::Stdout | Target::Objects(_) => None,
    }
}

/// A backup folder must be there: it is never created (a typo would hide the backups).
pub fn require_folder(target: &Target) -> Result<()> {
    if let Target::Dir(dir) = target
        && !dir.is_dir()
    {
        return Err(Failure::failed(format!("the backup folder {} does not exist", dir.display()))
            .hint("create it, or choose another with --dir (or backup.dir in the settings)")
            .into());
    }
    Ok(())
}

/// The bytes the backups of `estimates` may need at most in their folder, `parallel` at a time,
/// margin included. Every new archive stays, less the older backups retention removes once it
/// is complete; while a backup is made, its spooled dump and the backups it will replace are
/// there too, for the `parallel` biggest at once. In the temporary folder (`spool_only`), only
/// the spooled dumps, `parallel` at once.
pub fn needed(estimates: &[Estimate], parallel: usize, spool_only: bool) -> u64 {
    let lasting: u64 = if spool_only {
        0
    } else {
        estimates.iter().map(|e| e.archive_bytes.saturating_sub(e.freed_bytes)).sum()
    };
    let mut while_made: Vec<u64> = estimates
        .iter()
        .map(|e| e.spool_bytes + if spool_only { 0 } else { e.freed_bytes.min(e.archive_bytes) })
        .collect();
    while_made.sort_unstable_by(|a, b| b.cmp(a));
    let at_once: u64 = while_made.iter().take(parallel.max(1)).sum();
    let total = lasting + at_once;
    total + total.div_ceil(100) * MARGIN_PERCENT
}

/// Bytes free for this user on the filesystem holding `folder`.
pub fn free_bytes(folder: &Path) -> Result<u64> {
    if let Some(faked) = std::env::var(FAKE_FREE_ENV).ok().and_then(|v| v.trim().parse().ok()) {
        return Ok(faked);
    }
    crate::filestore::free_bytes(folder)
}

/// What the backup of `db` (which exists) may need; `new` is the archive it would write, for
/// what retention would then remove.
pub async fn estimate(
    ctx: &Context,
    admin_client: &Client,
    db: &str,
    request: &Request,
    new: Option<&Path>,
) -> Result<Estimate> {
    let database_bytes = crate::pg::admin::find_database(admin_client, db)
        .await?
        .and_then(|row| row.size_bytes)
        .and_then(|size| u64::try_from(size).ok())
        .unwrap_or(0);
    let filestore_bytes = if request.no_filestore || request.format == BackupFormat::Dump {
        0
    } else {
        let folder = ctx.filestore(db);
        // An unreadable filestore is the backup's own failure to report, with its reason.
        tokio::task::spawn_blocking(move || crate::filestore::measure(&folder))
            .await
            .ok()
            .and_then(Result::ok)
            .map_or(0, |usage| usage.bytes)
    };
    let freed_bytes = new
        .map(|new| would_prune(db, new, &request.retention))
        .unwrap_or_default()
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|meta| meta.len())
        .sum();
    Ok(Estimate::new(db, database_bytes, filestore_bytes, request.format, freed_bytes))
}

/// The check before the backups of `databases` (`parallel` at a time) write anything: fails
/// when their folder (or, for a tar.gz streamed or uploaded, the temporary folder) has less
/// free space than they may need. Nothing for a folder that is not there (the backup says so
/// itself).
pub async fn preflight(
    ctx: &Context,
    databases: &[String],
    request: &Request,
    parallel: usize,
) -> Result<()> {
    let Some(room) = room(request) else { return Ok(()) };
    if !room.folder().is_dir() || databases.is_empty() {
        return Ok(());
    }
    let admin_client = ctx.connect_admin().await?;
    let now = chrono::Local::now();
    let mut estimates = Vec::new();
    for db in databases {
        // A name the backup would refuse, or a database that is not there: its own error.
        if crate::odoo::name::validate_existing(db).is_err()
            || crate::pg::admin::find_database(&admin_client, db).await?.is_none()
        {
            continue;
        }
        let new = would_write(db, request, now);
        estimates.push(estimate(ctx, &admin_client, db, request, new.as_deref()).await?);
    }
    let space = measure(&room, &estimates, parallel)?;
    ctx.printer.verbose(
        1,
        &format!(
            "Free space in {}: {} needed at most (plus {MARGIN_PERCENT}%), {} free",
            space.folder.display(),
            bytes(space.needed_bytes),
            bytes(space.free_bytes)
        ),
    );
    space.require(&estimates, parallel)
}

/// The folder's free space against what `estimates` need.
pub fn measure(room: &Room, estimates: &[Estimate], parallel: usize) -> Result<Space> {
    let spool_only = matches!(room, Room::Spool(_));
    Ok(Space {
        folder: room.folder().to_path_buf(),
        needed_bytes: needed(estimates, parallel, spool_only),
        free_bytes: free_bytes(room.folder())?,
        margin_percent: MARGIN_PERCENT,
        spool_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GB: u64 = 1_000_000_000;

    fn one(db: u64, files: u64, format: BackupFormat, freed: u64) -> Estimate {
        Estimate::new("x", db * GB, files * GB, format, freed * GB)
    }

    #[test]
    fn tar_gz_needs_room_for_the_spooled_dump_too() {
        assert_eq!(needed(&[one(2, 3, BackupFormat::TarGz, 0)], 1, false), 7 * GB + 7 * GB / 10);
        assert_eq!(needed(&[one(2, 3, BackupFormat::Zip, 0)], 1, false), 5 * GB + 5 * GB / 10);
        assert_eq!(needed(&[one(2, 3, BackupFormat::Dump, 0)], 1, false), 2 * GB + 2 * GB / 10);
    }

    #[test]
    fn every_archive_stays_and_the_biggest_are_made_at_once() {
        let zips = [
            one(1, 0, BackupFormat::TarGz, 0),
            one(4, 0, BackupFormat::TarGz, 0),
            one(2, 0, BackupFormat::TarGz, 0),
        ];
        // All three archives (7), and the spooled dumps of the biggest one or two.
        assert_eq!(needed(&zips, 1, false), (7 + 4) * GB + (7 + 4) * GB / 10);
        assert_eq!(needed(&zips, 2, false), (7 + 6) * GB + (7 + 6) * GB / 10);
        assert_eq!(needed(&zips, 9, false), (7 + 7) * GB + (7 + 7) * GB / 10);
    }

    #[test]
    fn retention_frees_only_once_each_new_one_is_complete() {
        // Each new archive replaces an old one of its size: only those being made at once
        // need room beside the old ones.
        let replaced = [one(0, 3, BackupFormat::Zip, 3), one(0, 1, BackupFormat::Zip, 1)];
        assert_eq!(needed(&replaced, 1, false), 3 * GB + 3 * GB / 10);
        assert_eq!(needed(&replaced, 2, false), 4 * GB + 4 * GB / 10);
        // A single backup gets no credit at all: its old ones go after it is made.
        assert_eq!(needed(&[one(0, 3, BackupFormat::Zip, 9)], 1, false), 3 * GB + 3 * GB / 10);
    }

    #[test]
    fn the_temporary_folder_holds_only_the_dumps_being_spooled() {
        let tars = [one(1, 5, BackupFormat::TarGz, 0), one(4, 5, BackupFormat::TarGz, 2)];
        assert_eq!(needed(&tars, 1, true), 4 * GB + 4 * GB / 10);
        assert_eq!(needed(&tars, 2, true), 5 * GB + 5 * GB / 10);
    }
}
