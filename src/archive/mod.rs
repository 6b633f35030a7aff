//! Backup archives: what each format holds, the manifest that describes it, and (in the writer
//! and reader modules) how they are streamed in and out.
//!
//! Formats:
//! - `tar.gz` (ours): `manifest.json` first, then the database dump (its form and path inside
//!   the archive are named by the manifest), then `filestore/<xx>/<sha1>` (and `checklist/`).
//! - `zip` (Odoo's): `dump.sql` (plain SQL), `manifest.json`, `filestore/…` — the member order
//!   of the zips Odoo itself makes (see the fixtures), what Odoo's web manager, `odoo-bin db load`
//!   and the upgrade platform read.
//! - `dump`: `pg_dump --format=custom --no-owner`, no filestore, no manifest.
//!
//! Readers check every entry's name and kind (`names`) before any of it is written, and hand
//! each part to a `Visitor`: the restore's extractor (`extract`) or the verifier (`verify`).

pub mod crypt;
pub mod detect;
mod dump_check;
pub mod extract;
pub mod feed;
pub mod files;
pub mod growing;
pub mod manifest;
pub mod names;
pub mod output;
pub mod pipeline;
pub mod read_tar;
pub mod read_zip;
pub mod tar_gz;
pub mod verify;
pub mod zip;

use std::io::Read;

use anyhow::Result;

pub use manifest::Manifest;

/// What a reader hands over, part by part, in archive order.
pub trait Visitor {
    /// A part of the dump: the dump file (`part` empty) or a file of a dump folder.
    fn dump(&mut self, part: &str, size: u64, reader: &mut dyn Read) -> Result<()>;
    /// A filestore file, by its path relative to the filestore folder.
    fn file(&mut self, relative: &str, size: u64, reader: &mut dyn Read) -> Result<()>;
}

/// A visitor that reads nothing: a pre-scan only checks names, kinds and sizes.
pub struct Skip;

impl Visitor for Skip {
    fn dump(&mut self, _: &str, _: u64, _: &mut dyn Read) -> Result<()> {
        Ok(())
    }
    fn file(&mut self, _: &str, _: u64, _: &mut dyn Read) -> Result<()> {
        Ok(())
    }
}

/// The formats a backup writes, named as `--format` and the settings' `backup.format` name
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub enum BackupFormat {
    #[serde(rename = "tar.gz")]
    TarGz,
    #[serde(rename = "zip")]
    Zip,
    #[serde(rename = "dump")]
    Dump,
}

/// pg_dump's output form, as the manifest names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DumpForm {
    Plain,
    Custom,
    Directory,
}

impl DumpForm {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "plain" => Some(Self::Plain),
            "custom" => Some(Self::Custom),
            "directory" => Some(Self::Directory),
            _ => None,
        }
    }
}

/// What a walk through an archive found.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Counts {
    pub files: u64,
    pub file_bytes: u64,
    pub dump_files: u64,
    pub dump_bytes: u64,
}

/// Manifests are a few kilobytes; anything much bigger is not one.
pub const MAX_MANIFEST: u64 = 4 << 20;

pub fn parse_manifest(reader: &mut dyn Read) -> Result<Manifest> {
    let mut text = Vec::new();
    reader.take(MAX_MANIFEST + 1).read_to_end(&mut text)?;
    if text.len() as u64 > MAX_MANIFEST {
        return Err(
            crate::error::Failure::failed("manifest.json is too large to be a manifest").into()
        );
    }
    serde_json::from_slice(&text).map_err(|e| {
        crate::error::Failure::failed(format!("manifest.json is not a valid backup manifest: {e}"))
            .into()
    })
}

/// A reader that fails once more than `limit` bytes came out: a decompression bomb is cut off
/// at the size the archive declared, not when the disk is full.
pub struct Limited<R> {
    inner: R,
    left: u64,
    what: String,
}

impl<R> Limited<R> {
    pub fn new(inner: R, limit: u64, what: impl Into<String>) -> Self {
        Self { inner, left: limit, what: what.into() }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One more byte tells a stream that ends exactly at the limit from a larger one.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "{} is larger than declared (a decompression bomb, or a tampered archive)",
                    self.what
                ))),
            };
        }
        let max = usize::try_from(self.left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
