//! Our tar.gz, read as a stream: `manifest.json` first (it says where the dump is and how big
//! everything is), then the dump, then `filestore/`. Only regular files and folders with safe
//! names pass; sizes beyond what the manifest declares are refused before they are read.

use std::io::{Cursor, Read};

use anyhow::{Context as _, Result, bail};

use super::detect::Stream;
use super::names::{self, DumpLocation, Role, Seen};
use super::{Counts, DumpForm, Manifest, Visitor};
use crate::error::Failure;

/// What the manifest says about the rest of the archive.
#[derive(Debug, Clone)]
pub struct Head {
    pub manifest: Manifest,
    pub dump: DumpLocation,
    pub form: DumpForm,
}

impl Head {
    pub fn of(manifest: Manifest) -> Result<Self> {
        let (dump, form) = match &manifest.odoodb {
            Some(ours) => {
                let form = DumpForm::parse(&ours.dump.format).ok_or_else(|| {
                    Failure::failed(format!(
                        "the manifest names an unknown dump format {:?}",
                        ours.dump.format
                    ))
                })?;
                let mut dump = DumpLocation::parse(&ours.dump.path)?;
                dump.folder = form == DumpForm::Directory;
                (dump, form)
            }
            // Odoo's own layout, tarred: a plain dump.sql.
            None => (DumpLocation { name: "dump.sql".into(), folder: false }, DumpForm::Plain),
        };
        Ok(Self { manifest, dump, form })
    }

    /// The most bytes the archive may unpack to: the declared parts, plus tar's own headers
    /// and padding (two blocks per entry, and room for long-name records).
    pub fn declared_total(&self) -> Option<u64> {
        let ours = self.manifest.odoodb.as_ref()?;
        let (files, bytes) = ours.filestore.as_ref().map_or((0, 0), |f| (f.files, f.bytes));
        Some(ours.dump.bytes + bytes + (files + 4096) * 2048 + (16 << 20))
    }
}

/// Reads the first entry, which must be `manifest.json`, and gives back a stream that still
/// starts at the beginning of the archive.
pub fn read_head(mut stream: Stream) -> Result<(Head, Stream)> {
    let mut header = [0u8; 512];
    stream.read_exact(&mut header).map_err(|e| truncated(&e))?;
    let parsed = tar::Header::from_byte_slice(&header);
    let path = parsed.path_bytes().into_owned();
    let size = parsed.entry_size().context("the first tar header is corrupt")?;
    if path != b"manifest.json" || !parsed.entry_type().is_file() {
        bail!(Failure::failed(format!(
            "the archive does not start with manifest.json (found {:?}); it was not made by odoodb",
            String::from_utf8_lossy(&path)
        )));
    }
    if size > super::MAX_MANIFEST {
        bail!(Failure::failed("manifest.json is too large to be a manifest"));
    }
    let mut text = vec![0u8; usize::try_from(size).unwrap_or(0)];
    stream.read_exact(&mut text).map_err(|e| truncated(&e))?;
    let manifest = super::parse_manifest(&mut text.as_slice())?;
    let rest: Stream = Box::new(Cursor::new(header).chain(Cursor::new(text)).chain(stream));
    Ok((Head::of(manifest)?, rest))
}

fn truncated(error: &std::io::Error) -> anyhow::Error {
    Failure::failed(format!("the archive is truncated or corrupt ({error})")).into()
}

/// Walks every entry after checking it, handing dump parts and files to `visit`. With the
/// odoodb manifest, sizes and counts must match what it declares.
pub fn walk(stream: Stream, head: &Head, visit: &mut dyn Visitor) -> Result<Counts> {
    let declared = head.manifest.odoodb.as_ref();
    let stream: Stream = match head.declared_total() {
        Some(limit) => Box::new(super::Limited::new(stream, limit, "the archive")),
        None => stream,
    };
    let mut archive = tar::Archive::new(stream);
    let mut counts = Counts::default();
    let mut seen = Seen::default();
    let mut first = true;
    let mut dump_seen = false;
    for entry in archive.entries().map_err(|e| corrupt(&e))? {
        let mut entry = entry.map_err(|e| corrupt(&e))?;
        let kind = entry.header().entry_type();
        let raw = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let is_dir = match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => false,
            tar::EntryType::Directory => true,
            other => return Err(names::refusal(&shown, kind_name(other)).into()),
        };
        let role = names::classify(&raw, is_dir, &head.dump)?;
        seen.insert(&raw)?;
        let size = entry.size();
        match role {
            Role::Manifest if first => {}
            Role::Manifest => return Err(names::refusal(&shown, "a second manifest").into()),
            Role::Folder => {}
            Role::Dump(part) => {
                dump_seen = true;
                counts.dump_files += 1;
                counts.dump_bytes += size;
                if let Some(ours) = declared
                    && counts.dump_bytes > ours.dump.bytes
                {
                    return Err(bomb("the dump", ours.dump.bytes));
                }
                visit.dump(&part, size, &mut entry).map_err(|e| reading(e, &shown))?;
            }
            Role::File(relative) => {
                counts.files += 1;
                counts.file_bytes += size;
                if let Some(ours) = declared {
                    let (files, bytes) =
                        ours.filestore.as_ref().map_or((0, 0), |f| (f.files, f.bytes));
                    if counts.file_bytes > bytes || counts.files > files {
                        return Err(bomb("the filestore", bytes));
                    }
                }
                visit.file(&relative, size, &mut entry).map_err(|e| reading(e, &shown))?;
            }
        }
        first = false;
    }
    // Read to the very end: the gzip trailer (its CRC and length) comes after tar's end marker,
    // and only reading it tells a damaged archive from a good one.
    let mut rest = archive.into_inner();
    std::io::copy(&mut rest, &mut std::io::sink()).map_err(|e| corrupt(&e))?;
    if first {
        bail!(Failure::failed("the archive is empty"));
    }
    if !dump_seen {
        bail!(Failure::failed(format!(
            "the archive holds no database dump ({} is missing): it is incomplete",
            head.dump.name
        )));
    }
    if let Some(ours) = declared {
        let files = ours.filestore.as_ref().map_or(0, |f| f.files);
        if counts.files != files || counts.dump_bytes != ours.dump.bytes {
            bail!(Failure::failed(format!(
                "the archive is incomplete: {} of {files} filestore files and {} of {} dump bytes (truncated?)",
                counts.files, counts.dump_bytes, ours.dump.bytes
            )));
        }
    }
    Ok(counts)
}

fn kind_name(kind: tar::EntryType) -> &'static str {
    match kind {
        tar::EntryType::Symlink => "a symbolic link",
        tar::EntryType::Link => "a hard link",
        tar::EntryType::Char | tar::EntryType::Block => "a device",
        tar::EntryType::Fifo => "a FIFO",
        _ => "not a regular file or folder",
    }
}

fn corrupt(error: &std::io::Error) -> anyhow::Error {
    Failure::failed(format!("the archive is truncated or corrupt: {error}")).into()
}

fn reading(error: anyhow::Error, name: &str) -> anyhow::Error {
    let bad_data = error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::Other
            )
        })
    });
    if bad_data && error.downcast_ref::<Failure>().is_none() {
        let text = crate::error::one_line(&error);
        return Failure::failed(format!(
            "the archive is truncated or corrupt (at {}): {text}",
            crate::output::terminal_safe(name)
        ))
        .hint("restore another backup; `odoodb backup --verify` checks one before you rely on it")
        .into();
    }
    error
}

fn bomb(what: &str, declared: u64) -> anyhow::Error {
    Failure::failed(format!(
        "{what} in the archive is larger than its manifest declares ({declared} bytes): a decompression bomb, or a tampered archive; refused"
    ))
    .into()
}
