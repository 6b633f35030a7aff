//! Opening a restore's source: what it is (sniffed, never trusted by its name), and every check
//! that can be made before a byte is written — a zip's whole table of contents, our tar.gz's
//! manifest and declared sizes, a pg_dump file's or folder's table of contents.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::archive::crypt::Keys;
use crate::archive::detect::{self, Format, Input, Stream};
use crate::archive::extract::Watched;
use crate::archive::feed::Timeouts;
use crate::archive::{self, Counts, Manifest, read_tar, read_zip};
use crate::cancel::Cancel;
use crate::context::Context;
use crate::error::Failure;
use crate::pg::tools::Tool;

use super::Source;

/// What the archive is, for the plan, `--inspect` and the report.
#[derive(Debug, Clone, Serialize)]
pub struct Described {
    pub archive: String,
    pub format: Format,
    pub gzipped: bool,
    /// Encrypted (age): the recipients its header names.
    pub encrypted_to: Option<Vec<String>>,
    pub manifest: Option<Manifest>,
    /// Sizes known before reading: from the zip's table of contents or our manifest.
    pub declared: Option<Counts>,
}

/// Opens `input`, tells its format, and checks what can be checked before the load (blocking):
/// an encrypted one is decrypted with `keys` as it is read (never to a file); a zip that
/// arrives as a stream (or encrypted) is spooled into an unnamed file in `spool_dir`;
/// pg_restore (`program`) lists a dump's table of contents.
pub fn open(
    input: &Input,
    keys: &Keys,
    program: &Path,
    spool_dir: &Path,
    timeouts: Timeouts,
    cancel: &Cancel,
) -> Result<(Described, Source)> {
    let archive = input.describe();
    if let Input::Folder(path) = &input {
        detect::require_dump_folder(path)?;
        archive::verify::list_dump(program, path)?;
        let described = Described {
            archive,
            format: Format::PgDirectory,
            gzipped: false,
            encrypted_to: None,
            manifest: None,
            declared: None,
        };
        return Ok((described, Source::Directory(path.clone())));
    }
    let sniffed = detect::sniff(input.open(timeouts, cancel)?, &archive, keys)?;
    // The file itself, when what it holds is the archive as read (not encrypted).
    let plain_file = match &input {
        Input::File(path) if sniffed.encrypted_to.is_none() => Some(path),
        _ => None,
    };
    let mut described = Described {
        archive,
        format: sniffed.format,
        gzipped: sniffed.gzipped,
        encrypted_to: sniffed.encrypted_to,
        manifest: None,
        declared: None,
    };
    let source = match sniffed.format {
        Format::Zip => {
            let file = match plain_file {
                Some(path) => std::fs::File::open(path)
                    .with_context(|| format!("cannot open {}", path.display()))?,
                None => spool(sniffed.stream, spool_dir, cancel)?,
            };
            let mut zip = read_zip::open(file.try_clone()?)?;
            let head = read_zip::scan(&mut zip)?;
            described.manifest.clone_from(&head.manifest);
            described.declared = Some(head.counts);
            Source::Zip(file)
        }
        Format::Tar => {
            let (head, stream) = read_tar::read_head(sniffed.stream)?;
            described.manifest = Some(head.manifest.clone());
            described.declared = head.manifest.odoodb.as_ref().map(|ours| Counts {
                files: ours.filestore.as_ref().map_or(0, |f| f.files),
                file_bytes: ours.filestore.as_ref().map_or(0, |f| f.bytes),
                dump_files: 1,
                dump_bytes: ours.dump.bytes,
            });
            if described.declared.is_none()
                && let Input::File(_) = &input
            {
                // Odoo's layout, tarred: no sizes declared, so nothing to cut a bomb off
                // at or to check the free space against. A local archive is then read
                // twice: every entry checked (and counted) before any is written.
                drop(stream);
                let again =
                    detect::sniff(input.open(timeouts, cancel)?, &described.archive, keys)?.stream;
                let watched = CancelRead { inner: again, cancel: cancel.clone() };
                let counts = read_tar::walk(Box::new(watched), &head, &mut archive::Skip)?;
                described.declared = Some(counts);
                let stream =
                    detect::sniff(input.open(timeouts, cancel)?, &described.archive, keys)?.stream;
                Source::Tar { head: Box::new(head), stream }
            } else {
                // Our own tar.gz declares every size: it is read once, each entry checked
                // as it comes, before it is written, and written only into the install's
                // temporary database and folder, which any failure drops (a bad entry
                // late in the archive included). Sizes beyond the declared ones are cut.
                Source::Tar { head: Box::new(head), stream }
            }
        }
        Format::PgCustom => match plain_file {
            Some(path) => {
                archive::verify::list_dump(program, path)?;
                Source::CustomFile(path.clone())
            }
            None => Source::CustomStream(sniffed.stream),
        },
        Format::PgDirectory => unreachable_folder()?,
        Format::Sql => Source::Sql(sniffed.stream),
    };
    Ok((described, source))
}

fn unreachable_folder() -> Result<Source> {
    Err(Failure::failed("a pg_dump folder must be given as a folder").into())
}

/// A reader that stops at Ctrl-C (for the pre-scan, which has no progress to show).
struct CancelRead {
    inner: Stream,
    cancel: crate::cancel::Cancel,
}

impl std::io::Read for CancelRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_set() {
            return Err(std::io::Error::other("interrupted"));
        }
        self.inner.read(buf)
    }
}

fn spool(mut stream: Stream, dir: &Path, cancel: &crate::cancel::Cancel) -> Result<std::fs::File> {
    let mut file = tempfile::tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let mut watched = Watched { inner: &mut stream, cancel, progress: &|_| {} };
    std::io::copy(&mut watched, &mut file).context("cannot read the archive")?;
    Ok(file)
}

/// Opens the archive, tells its format, and checks everything that can be checked before a
/// byte is written: a zip's every entry (its table of contents); our tar.gz's manifest, whose
/// declared sizes bound the rest, which is checked entry by entry as it comes, before each is
/// written into the install's temporary names (a tar without declared sizes, when local, is
/// checked whole in a first pass).
pub async fn open_checked(
    ctx: &Context,
    input: &Input,
    keys: &Keys,
    timeouts: Timeouts,
    pg_restore: &Tool,
) -> Result<(Described, Source)> {
    let (input, keys) = (input.clone(), keys.clone());
    let spool_dir = spool_dir(ctx);
    let program = pg_restore.program.clone();
    let cancel = ctx.cancel.clone();
    let work = tokio::task::spawn_blocking(move || {
        open(&input, &keys, &program, &spool_dir, timeouts, &cancel)
    });
    let result = work.await.context("reading the archive stopped unexpectedly")?;
    if ctx.cancel.is_set() {
        return Err(Failure::interrupted().into());
    }
    result
}

/// Where a zip that arrives as a stream is spooled: beside the filestore (same disk as what
/// it becomes), in an unnamed file that vanishes with the process, even at kill -9.
fn spool_dir(ctx: &Context) -> PathBuf {
    let root = ctx.filestore_root();
    if root.is_dir() { root } else { ctx.config.data_dir.value.clone() }
}
