//! Odoo's zip (web manager, `odoo-bin db dump`, Odoo.sh and Online downloads): `dump.sql`,
//! `manifest.json`, `filestore/…`, in whatever order. A zip has its table of contents at the
//! end, so every name, kind and size is checked before anything is written.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt as _;
use std::sync::Arc;

use anyhow::{Result, bail};
use zip::ZipArchive;

use super::names::{self, DumpLocation, Role, Seen};
use super::{Counts, Manifest, Visitor};
use crate::error::Failure;

/// What the table of contents says, once every entry passed.
#[derive(Debug, Clone)]
pub struct Head {
    pub manifest: Option<Manifest>,
    pub counts: Counts,
}

const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;

pub fn open(file: File) -> Result<ZipArchive<File>> {
    ZipArchive::new(file).map_err(|e| {
        Failure::failed(format!("the zip archive is corrupt or truncated: {e}"))
            .hint("download or copy the backup again")
            .into()
    })
}

/// The zip file read at its own position: clones share the file but not a position, so two
/// threads can read two members of one zip at once (`ZipArchive::clone` keeps the parsed table
/// of contents).
#[derive(Debug, Clone)]
pub struct At {
    file: Arc<File>,
    position: u64,
}

impl At {
    pub fn new(file: File) -> Self {
        Self { file: Arc::new(file), position: 0 }
    }
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read_at(buf, self.position)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for At {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
            SeekFrom::End(delta) => self.file.metadata()?.len().checked_add_signed(delta),
        };
        self.position = target.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the file's start")
        })?;
        Ok(self.position)
    }
}

/// Opens a zip for reading by several threads at once (clone the archive for each).
pub fn open_shared(file: File) -> Result<ZipArchive<At>> {
    ZipArchive::new(At::new(file)).map_err(|e| {
        Failure::failed(format!("the zip archive is corrupt or truncated: {e}"))
            .hint("download or copy the backup again")
            .into()
    })
}

/// Which members a walk hands over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    All,
    Dump,
    Files,
}

fn dump_location() -> DumpLocation {
    DumpLocation { name: "dump.sql".into(), folder: false }
}

/// Checks every entry (names, kinds, duplicates, encryption) and reads the manifest.
pub fn scan<R: Read + Seek>(archive: &mut ZipArchive<R>) -> Result<Head> {
    let dump = dump_location();
    let mut seen = Seen::default();
    let mut counts = Counts::default();
    let mut manifest = None;
    // The zip crate keeps one entry per name (the last one of the table of contents, at the
    // first one's place), so a name given twice never reaches `seen` below: one copy would be
    // checked while Odoo's `extractall` and `unzip` write the other over it. Asked here.
    if archive.has_duplicate_names() {
        return Err(Failure::failed(
            "the zip archive holds a name twice (its table of contents has more entries than names); refused, nothing was changed",
        )
        .hint("this archive was not made by Odoo or odoodb, or was tampered with; restore nothing from it")
        .into());
    }
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|e| corrupt(&e))?;
        let raw = entry.name_raw().to_vec();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        if entry.encrypted() {
            return Err(names::refusal(&shown, "encrypted entries are not supported").into());
        }
        let is_dir = match entry.unix_mode().map(|mode| mode & S_IFMT) {
            Some(S_IFLNK) => return Err(names::refusal(&shown, "a symbolic link").into()),
            Some(S_IFDIR) => true,
            Some(S_IFREG | 0) | None => entry.is_dir(),
            Some(_) => return Err(names::refusal(&shown, "a device or special file").into()),
        };
        let role = names::classify(&raw, is_dir, &dump)?;
        seen.insert(&raw)?;
        match role {
            Role::Manifest => {
                drop(entry);
                let mut entry = archive.by_index(index).map_err(|e| corrupt(&e))?;
                manifest = Some(super::parse_manifest(&mut entry)?);
            }
            Role::Dump(_) => {
                counts.dump_files += 1;
                counts.dump_bytes += entry.size();
            }
            Role::File(_) => {
                counts.files += 1;
                counts.file_bytes += entry.size();
            }
            Role::Folder => {}
        }
    }
    if counts.dump_files == 0 {
        bail!(
            Failure::failed(
                "the zip holds no dump.sql: it is not a database backup (or is incomplete)"
            )
            .unchanged()
            .hint("an Odoo backup zip has manifest.json, dump.sql and filestore/")
        );
    }
    Ok(Head { manifest, counts })
}

/// Reads every part (or only the dump, or only the filestore files), in the archive's order,
/// after `scan` passed. Each entry is read no further than its declared size, and its CRC is
/// checked at its end.
pub fn walk<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    visit: &mut dyn Visitor,
    members: Members,
) -> Result<Counts> {
    let dump = dump_location();
    let mut counts = Counts::default();
    for index in 0..archive.len() {
        let (raw, is_dir) = {
            let entry = archive.by_index_raw(index).map_err(|e| corrupt(&e))?;
            let is_dir = entry.is_dir() || entry.unix_mode().is_some_and(|m| m & S_IFMT == S_IFDIR);
            (entry.name_raw().to_vec(), is_dir)
        };
        let role = names::classify(&raw, is_dir, &dump)?;
        let wanted = matches!(
            (&role, members),
            (Role::Dump(_), Members::All | Members::Dump)
                | (Role::File(_), Members::All | Members::Files)
        );
        if !wanted {
            continue;
        }
        let entry = archive.by_index(index).map_err(|e| corrupt(&e))?;
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let size = entry.size();
        let mut reader = super::Limited::new(entry, size, shown.clone());
        match role {
            Role::Dump(part) => {
                counts.dump_files += 1;
                counts.dump_bytes += size;
                visit.dump(&part, size, &mut reader).map_err(|e| reading(e, &shown))?;
            }
            Role::File(relative) => {
                counts.files += 1;
                counts.file_bytes += size;
                visit.file(&relative, size, &mut reader).map_err(|e| reading(e, &shown))?;
            }
            Role::Manifest | Role::Folder => {}
        }
    }
    Ok(counts)
}

fn corrupt(error: &zip::result::ZipError) -> anyhow::Error {
    Failure::failed(format!("the zip archive is corrupt: {error}")).into()
}

fn reading(error: anyhow::Error, name: &str) -> anyhow::Error {
    if error.downcast_ref::<Failure>().is_some()
        || error.chain().any(|c| c.downcast_ref::<Failure>().is_some())
    {
        return error;
    }
    let io_data_error = error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::Other
            )
        })
    });
    if io_data_error {
        return Failure::failed(format!(
            "the zip archive is corrupt (at {}): {}",
            crate::output::terminal_safe(name),
            crate::error::one_line(&error)
        ))
        .into();
    }
    error
}
