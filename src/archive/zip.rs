//! Odoo's zip, written as a stream: `dump.sql` (plain SQL, straight from pg_dump), then
//! `manifest.json`, then `filestore/…` — the member order of the zips Odoo makes. Entries are
//! deflated on every core (see `pipeline`) or stored when already compressed; sizes and CRCs
//! follow each entry in a data descriptor (so nothing seeks, and stdout works); ZIP64 records
//! are written where sizes, offsets or the entry count need them. The central directory is
//! spooled to a temporary file, so memory does not grow with the number of files.

use crate::cancel::Cancel;
use std::io::{BufWriter, Read, Seek as _, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use indicatif::ProgressBar;

use super::files::{FileReader, Listing, already_compressed, content_addressed};
use super::hex;
use super::output::Counting;
use super::pipeline::{BLOCK, Blocks, DEFLATE_END, Done, Encoding, Pipeline, Sink};
use super::tar_gz::FilesStats;

const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// Sizes and CRC come after the data; names are UTF-8.
const FLAGS: u16 = 0x0008 | 0x0800;
const U32_MAX: u64 = 0xFFFF_FFFF;

pub enum Marker {
    Start { name: String, method: u16, zip64: bool },
    End,
}

struct Current {
    name: String,
    method: u16,
    zip64: bool,
    offset: u64,
    crc: crc32fast::Hasher,
    compressed: u64,
    size: u64,
}

pub struct ZipSink {
    out: Counting,
    /// MS-DOS time and date of every entry (the backup's).
    dos: (u16, u16),
    current: Option<Current>,
    central: BufWriter<std::fs::File>,
    /// Unnamed, so that a killed run leaves nothing behind.
    central_file: std::fs::File,
    entries: u64,
}

impl ZipSink {
    pub fn new(out: Counting, dos: (u16, u16), spool_dir: &Path) -> Result<Self> {
        let central_file = tempfile::tempfile_in(spool_dir).with_context(|| {
            format!("cannot create a temporary file in {}", spool_dir.display())
        })?;
        let central = BufWriter::new(central_file.try_clone().context("cannot open a spool file")?);
        Ok(Self { out, dos, current: None, central, central_file, entries: 0 })
    }

    fn start(&mut self, name: String, method: u16, zip64: bool) -> Result<()> {
        let offset = self.out.position();
        let mut header = Vec::with_capacity(64 + name.len());
        put32(&mut header, 0x0403_4b50);
        put16(&mut header, if zip64 { 45 } else { 20 });
        put16(&mut header, FLAGS);
        put16(&mut header, method);
        put16(&mut header, self.dos.0);
        put16(&mut header, self.dos.1);
        put32(&mut header, 0);
        let unknown = if zip64 { 0xFFFF_FFFF } else { 0 };
        put32(&mut header, unknown);
        put32(&mut header, unknown);
        put16(&mut header, u16::try_from(name.len()).context("file name too long")?);
        put16(&mut header, if zip64 { 20 } else { 0 });
        header.extend_from_slice(name.as_bytes());
        if zip64 {
            put16(&mut header, 1);
            put16(&mut header, 16);
            put64(&mut header, 0);
            put64(&mut header, 0);
        }
        self.out.write_all(&header)?;
        self.current = Some(Current {
            name,
            method,
            zip64,
            offset,
            crc: crc32fast::Hasher::new(),
            compressed: 0,
            size: 0,
        });
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        let Some(mut entry) = self.current.take() else { bail!("zip entry ended twice") };
        if entry.method == DEFLATED {
            self.out.write_all(&DEFLATE_END)?;
            entry.compressed += DEFLATE_END.len() as u64;
        }
        let crc = entry.crc.clone().finalize();
        let mut descriptor = Vec::with_capacity(24);
        put32(&mut descriptor, 0x0807_4b50);
        put32(&mut descriptor, crc);
        if entry.zip64 {
            put64(&mut descriptor, entry.compressed);
            put64(&mut descriptor, entry.size);
        } else {
            if entry.compressed > U32_MAX || entry.size > U32_MAX {
                bail!("{} is larger than 4 GiB", entry.name);
            }
            put32(&mut descriptor, low32(entry.compressed));
            put32(&mut descriptor, low32(entry.size));
        }
        self.out.write_all(&descriptor)?;

        // The central directory record, with ZIP64 fields for whatever does not fit in 32 bits.
        let mut extra = Vec::new();
        let size32 = if entry.size >= U32_MAX {
            put64(&mut extra, entry.size);
            U32_MAX
        } else {
            entry.size
        };
        let compressed32 = if entry.compressed >= U32_MAX {
            put64(&mut extra, entry.compressed);
            U32_MAX
        } else {
            entry.compressed
        };
        let offset32 = if entry.offset >= U32_MAX {
            put64(&mut extra, entry.offset);
            U32_MAX
        } else {
            entry.offset
        };
        let mut record = Vec::with_capacity(64 + entry.name.len());
        put32(&mut record, 0x0201_4b50);
        put16(&mut record, 0x032D); // made by: unix, 4.5
        put16(&mut record, if entry.zip64 || !extra.is_empty() { 45 } else { 20 });
        put16(&mut record, FLAGS);
        put16(&mut record, entry.method);
        put16(&mut record, self.dos.0);
        put16(&mut record, self.dos.1);
        put32(&mut record, crc);
        put32(&mut record, low32(compressed32));
        put32(&mut record, low32(size32));
        put16(&mut record, u16::try_from(entry.name.len()).context("file name too long")?);
        put16(&mut record, if extra.is_empty() { 0 } else { u16::try_from(extra.len() + 4)? });
        put16(&mut record, 0); // comment
        put16(&mut record, 0); // disk
        put16(&mut record, 0); // internal attributes
        put32(&mut record, 0o100_600 << 16); // regular file, rw-------
        put32(&mut record, low32(offset32));
        record.extend_from_slice(entry.name.as_bytes());
        if !extra.is_empty() {
            put16(&mut record, 1);
            put16(&mut record, u16::try_from(extra.len())?);
            record.extend_from_slice(&extra);
        }
        self.central.write_all(&record).context("cannot write the zip directory")?;
        self.entries += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Counting> {
        self.central.flush().context("cannot write the zip directory")?;
        let start = self.out.position();
        let mut central = &self.central_file;
        central.seek(SeekFrom::Start(0))?;
        std::io::copy(&mut central, &mut self.out).context("cannot write the zip directory")?;
        let size = self.out.position() - start;
        let mut tail = Vec::new();
        let zip64 = self.entries >= 0xFFFF || start >= U32_MAX || size >= U32_MAX;
        if zip64 {
            let record_at = self.out.position();
            put32(&mut tail, 0x0606_4b50);
            put64(&mut tail, 44);
            put16(&mut tail, 0x032D);
            put16(&mut tail, 45);
            put32(&mut tail, 0);
            put32(&mut tail, 0);
            put64(&mut tail, self.entries);
            put64(&mut tail, self.entries);
            put64(&mut tail, size);
            put64(&mut tail, start);
            put32(&mut tail, 0x0706_4b50);
            put32(&mut tail, 0);
            put64(&mut tail, record_at);
            put32(&mut tail, 1);
        }
        put32(&mut tail, 0x0605_4b50);
        put16(&mut tail, 0);
        put16(&mut tail, 0);
        let count16 = u16::try_from(self.entries.min(0xFFFF)).unwrap_or(u16::MAX);
        put16(&mut tail, count16);
        put16(&mut tail, count16);
        put32(&mut tail, low32(size.min(U32_MAX)));
        put32(&mut tail, low32(start.min(U32_MAX)));
        put16(&mut tail, 0);
        self.out.write_all(&tail)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl Sink<Marker> for ZipSink {
    fn block(&mut self, done: Done) -> Result<()> {
        let Some(entry) = self.current.as_mut() else { bail!("zip data outside an entry") };
        self.out.write_all(&done.output).context("cannot write the archive")?;
        entry.crc.combine(&done.crc);
        entry.compressed += done.output.len() as u64;
        entry.size += done.input_len;
        Ok(())
    }

    fn marker(&mut self, marker: Marker) -> Result<()> {
        match marker {
            Marker::Start { name, method, zip64 } => self.start(name, method, zip64),
            Marker::End => self.end(),
        }
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// The low 32 bits (callers have already capped the value).
fn low32(value: u64) -> u32 {
    u32::try_from(value & U32_MAX).unwrap_or(u32::MAX)
}

/// MS-DOS time and date of a local time.
pub fn dos_time(time: &chrono::NaiveDateTime) -> (u16, u16) {
    use chrono::{Datelike as _, Timelike as _};
    let clock = (time.hour() << 11) | (time.minute() << 5) | (time.second() / 2);
    let year = u32::try_from(time.year().clamp(1980, 2107) - 1980).unwrap_or(0);
    let date = (year << 9) | (time.month() << 5) | time.day();
    (u16::try_from(clock).unwrap_or(0), u16::try_from(date).unwrap_or(0))
}

pub struct Options {
    pub level: u32,
    pub jobs: usize,
    /// Ctrl-C: the next write fails.
    pub cancel: Cancel,
    pub dos: (u16, u16),
}

/// What was written of the dump.
pub struct DumpWritten {
    pub bytes: u64,
    pub sha256: String,
}

type ZipBlocks = Blocks<Marker, ZipSink>;

/// Writes the whole zip. `manifest` is asked for once the dump is in (it carries the dump's
/// checksum); `between` runs between the parts (fault points, Ctrl-C checks).
#[allow(clippy::too_many_arguments, reason = "one call site, each argument distinct")]
pub fn write(
    out: Counting,
    spool_dir: &Path,
    dump: &mut dyn Read,
    manifest: &mut dyn FnMut(&DumpWritten) -> Result<Vec<u8>>,
    filestore: Option<&Listing>,
    options: &Options,
    dump_bar: &ProgressBar,
    files_bar: &ProgressBar,
    between: &mut dyn FnMut() -> Result<()>,
) -> Result<(Counting, DumpWritten, FilesStats)> {
    use sha2::Digest as _;
    let level = Encoding::Deflate(options.level);
    let sink = ZipSink::new(out, options.dos, spool_dir)?;
    let mut blocks: ZipBlocks =
        Blocks::new(Pipeline::new(sink, options.jobs), level, &options.cancel);

    blocks.marker(Marker::Start { name: "dump.sql".into(), method: DEFLATED, zip64: true })?;
    let mut digest = sha2::Sha256::new();
    let mut bytes = 0u64;
    let mut buffer = vec![0u8; BLOCK];
    loop {
        let n = dump.read(&mut buffer).context("cannot read pg_dump's output")?;
        if n == 0 {
            break;
        }
        digest.update(&buffer[..n]);
        blocks.write_all(&buffer[..n]).context("cannot write the archive")?;
        bytes += n as u64;
        dump_bar.inc(n as u64);
    }
    blocks.marker(Marker::End)?;
    dump_bar.finish_and_clear();
    let written = DumpWritten { bytes, sha256: hex(&digest.finalize()) };
    between()?;

    let text = manifest(&written)?;
    blocks.marker(Marker::Start {
        name: "manifest.json".into(),
        method: DEFLATED,
        zip64: false,
    })?;
    blocks.write_all(&text)?;
    blocks.marker(Marker::End)?;

    let mut stats = FilesStats::default();
    if let Some(listing) = filestore {
        for entry in listing.entries()? {
            let (relative, size) = entry?;
            let check = content_addressed(&relative);
            let mut reader = FileReader::open(&listing.root.join(&relative), check)?;
            let compressed = already_compressed(reader.head());
            let (encoding, method) =
                if compressed { (Encoding::Raw, STORED) } else { (level, DEFLATED) };
            if compressed {
                stats.stored += 1;
            }
            blocks.set_encoding(encoding)?;
            blocks.marker(Marker::Start {
                name: format!("filestore/{relative}"),
                method,
                // Announced up front when it may be needed: the local header cannot change later.
                zip64: size >= U32_MAX / 2,
            })?;
            let copied = std::io::copy(&mut (&mut reader).take(size), &mut blocks)
                .with_context(|| format!("cannot add filestore/{relative} to the archive"))?;
            blocks.marker(Marker::End)?;
            if copied != size {
                bail!("{relative} changed size while it was being archived; run the backup again");
            }
            reader.check_whole(&relative, size)?;
            files_bar.inc(size);
            if check && reader.sha1_hex().is_some_and(|sha| !relative.ends_with(&sha)) {
                stats.mismatched.push(relative);
            }
        }
    }
    files_bar.finish_and_clear();
    let sink = blocks.finish()?;
    Ok((sink.finish()?, written, stats))
}
