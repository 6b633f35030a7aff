//! Our tar.gz: `manifest.json`, the dump, `filestore/…`, in one gzip member compressed on every
//! core (see `pipeline`); files already compressed go in as stored deflate blocks.

use crate::cancel::Cancel;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use indicatif::ProgressBar;

use super::files::{FileReader, Listing, already_compressed, content_addressed};
use super::output::Counting;
use super::pipeline::{Blocks, DEFLATE_END, Done, Encoding, Pipeline, Sink};

/// Writes gzip framing around the blocks: one member, as `gzip`/`tar xzf` read it.
pub struct GzipSink {
    out: Counting,
    crc: crc32fast::Hasher,
    len: u64,
    started: bool,
}

impl GzipSink {
    pub fn new(out: Counting) -> Self {
        Self { out, crc: crc32fast::Hasher::new(), len: 0, started: false }
    }

    fn header(&mut self) -> Result<()> {
        if !self.started {
            // Magic, deflate, no flags, no mtime, no extra flags, OS unix.
            self.out.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])?;
            self.started = true;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Counting> {
        self.header()?;
        self.out.write_all(&DEFLATE_END)?;
        self.out.write_all(&self.crc.clone().finalize().to_le_bytes())?;
        // ISIZE is the length modulo 2^32, by definition.
        #[allow(clippy::cast_possible_truncation, reason = "gzip stores the size modulo 2^32")]
        self.out.write_all(&(self.len as u32).to_le_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl Sink<()> for GzipSink {
    fn block(&mut self, done: Done) -> Result<()> {
        self.header()?;
        self.out.write_all(&done.output).context("cannot write the archive")?;
        self.crc.combine(&done.crc);
        self.len += done.input_len;
        Ok(())
    }

    fn marker(&mut self, (): ()) -> Result<()> {
        Ok(())
    }
}

pub struct Options {
    pub level: u32,
    pub jobs: usize,
    /// Ctrl-C: the next write fails.
    pub cancel: Cancel,
    /// Seconds since the epoch, for the entries' mtime.
    pub mtime: u64,
}

/// What the filestore pass found.
#[derive(Debug, Default)]
pub struct FilesStats {
    /// Data files whose content does not match the sha1 of their name.
    pub mismatched: Vec<String>,
    /// Files put in without compression (already compressed).
    pub stored: u64,
}

/// A block-cutting writer over the gzip pipeline.
type GzBlocks = Blocks<(), GzipSink>;

#[allow(clippy::too_many_arguments, reason = "one call site, each argument distinct")]
pub fn write(
    out: Counting,
    manifest: &[u8],
    dump: (&Path, &str),
    filestore: Option<&Listing>,
    options: &Options,
    dump_bar: &ProgressBar,
    files_bar: &ProgressBar,
    between: &mut dyn FnMut() -> Result<()>,
) -> Result<(Counting, FilesStats)> {
    let level = Encoding::Deflate(options.level);
    let pipeline = Pipeline::new(GzipSink::new(out), options.jobs);
    let mut tar = tar::Builder::new(Blocks::new(pipeline, level, &options.cancel));
    tar.mode(tar::HeaderMode::Deterministic);

    append(&mut tar, "manifest.json", manifest.len() as u64, options.mtime, &mut &manifest[..])?;
    let (dump_path, dump_name) = dump;
    let dump_len = std::fs::metadata(dump_path)
        .with_context(|| format!("cannot stat {}", dump_path.display()))?
        .len();
    let file = std::fs::File::open(dump_path)
        .with_context(|| format!("cannot open {}", dump_path.display()))?;
    let mut reader = dump_bar.wrap_read(file);
    append(&mut tar, dump_name, dump_len, options.mtime, &mut reader)?;
    dump_bar.finish_and_clear();
    between()?;

    let mut stats = FilesStats::default();
    if let Some(listing) = filestore {
        for entry in listing.entries()? {
            let (relative, size) = entry?;
            let check = content_addressed(&relative);
            let mut reader = FileReader::open(&listing.root.join(&relative), check)?;
            let compressed = already_compressed(reader.head());
            tar.get_mut().set_encoding(if compressed { Encoding::Deflate(0) } else { level })?;
            if compressed {
                stats.stored += 1;
            }
            append(&mut tar, &format!("filestore/{relative}"), size, options.mtime, &mut reader)?;
            reader.check_whole(&relative, size)?;
            files_bar.inc(size);
            if check && reader.sha1_hex().is_some_and(|sha| !relative.ends_with(&sha)) {
                stats.mismatched.push(relative);
            }
        }
    }
    files_bar.finish_and_clear();
    let blocks = tar.into_inner().context("cannot finish the tar stream")?;
    let sink = blocks.finish()?;
    Ok((sink.finish()?, stats))
}

fn append(
    tar: &mut tar::Builder<GzBlocks>,
    path: &str,
    size: u64,
    mtime: u64,
    data: &mut dyn Read,
) -> Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    // Exactly `size` bytes, whatever the file does meanwhile: a short read is caught by the
    // caller, a longer file is cut at the size the header announced.
    let mut limited = data.take(size);
    tar.append_data(&mut header, path, &mut limited)
        .with_context(|| format!("cannot add {path} to the archive"))
}
