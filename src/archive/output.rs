//! Where an archive goes: a temporary file beside the target (mode 0600: a backup holds every
//! password hash and API key of the company), synced and renamed into place only when complete,
//! so a failure or Ctrl-C never leaves a file under the final name; an object in object
//! storage, which likewise appears only when its upload is completed; or stdout, for pipes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context as _, Result};

use super::crypt::Recipients;
use crate::run_files::RunFiles;

/// What `-o PATH` names, once looked at (links followed): what the archive goes into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file to write beside and rename onto (new, or existing and `--force`).
    File(PathBuf),
    /// A named pipe or a character device (`/dev/null`, a tape): written through, never
    /// replaced.
    Stream(PathBuf),
    /// The process's own stdout under another name (`/dev/stdout`, `/proc/self/fd/1`).
    Stdout,
}

/// Looks at `-o PATH` before any work: a link is followed to what it names (never replaced), a
/// pipe or a device is written through, an existing file is replaced only with `force`.
pub fn resolve(path: &Path, force: bool) -> Result<Resolved> {
    use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
    let shown = path.display();
    if let Ok(meta) = std::fs::metadata(path)
        && let Ok(stdout) = nix::sys::stat::fstat(std::io::stdout())
        && stdout.st_dev == meta.dev()
        && stdout.st_ino == meta.ino()
    {
        return Ok(Resolved::Stdout);
    }
    let real = match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Resolved::File(path.to_path_buf()));
        }
        Err(error) => return Err(error).with_context(|| format!("cannot look at -o {shown}")),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(real) => real,
            // `/proc/self/fd/N`, `/dev/fd/N`: a link to a pipe or a device that has no path,
            // which opening the link itself reaches.
            Err(_)
                if std::fs::metadata(path)
                    .is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_char_device()) =>
            {
                path.to_path_buf()
            }
            Err(_) => {
                return Err(crate::error::usage_error(
                    format!(
                        "-o {shown} is a symbolic link to something that does not exist; nothing was backed up"
                    ),
                    "name the file itself with -o, or remove the link",
                ));
            }
        },
        Ok(_) => path.to_path_buf(),
    };
    let meta = std::fs::metadata(&real).with_context(|| format!("cannot look at -o {shown}"))?;
    let kind = meta.file_type();
    if kind.is_fifo() || kind.is_char_device() {
        return Ok(Resolved::Stream(real));
    }
    if meta.is_dir() {
        return Err(crate::error::usage_error(
            format!("-o {shown} is a folder; nothing was backed up"),
            "name a file with -o, or use --dir for a folder",
        ));
    }
    if !meta.is_file() {
        return Err(crate::error::usage_error(
            format!(
                "-o {shown} is neither a file, a named pipe nor a character device; nothing was backed up"
            ),
            "name a new file with -o",
        ));
    }
    if !force {
        return Err(crate::error::usage_error(
            format!("-o {shown} already exists; nothing was backed up"),
            "choose a new name, or pass --force to replace it once the new backup is complete",
        ));
    }
    Ok(Resolved::File(real))
}

/// Where a finished archive ended up.
#[derive(Debug)]
pub enum Placed {
    File(PathBuf),
    Object(crate::objects::Stored),
    /// stdout, a pipe, a device: nothing to name or look at again.
    Streamed,
}

pub enum Destination {
    /// A temporary file beside the target, renamed onto it once whole.
    /// `replace`: a file found under the target's name at the end may be replaced.
    File { target: PathBuf, temp: tempfile::TempPath, file: File, run: RunFiles, replace: bool },
    /// stdout, for pipes; what must be spooled goes to the temporary folder.
    Stdout { run: RunFiles },
    /// A named pipe or a device, written through as the archive is made.
    Stream { path: PathBuf, file: File, run: RunFiles },
    /// An object, uploaded as the archive is made; its scratch files go to the temporary
    /// folder.
    Object { upload: Box<crate::objects::Upload>, run: RunFiles },
}

impl Destination {
    /// A temporary file in `target`'s folder, named after it, hidden and marked as this run's.
    pub fn file(target: &Path, replace: bool) -> Result<Self> {
        let dir = parent(target);
        let run = RunFiles::claim(dir)?;
        let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into());
        let temp = tempfile::Builder::new()
            .prefix(&format!("{}{name}.", run.prefix()))
            .suffix(".partial")
            .permissions(std::fs::Permissions::from_mode(0o600))
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        let (file, temp) = temp.into_parts();
        Ok(Self::File { target: target.to_path_buf(), temp, file, run, replace })
    }

    /// An upload already begun.
    /// Claims this run's mark first, then starts the upload (`begin`): a claim failing after the
    /// upload began would leave it open on the server.
    pub async fn object(
        begin: impl Future<Output = Result<crate::objects::Upload>>,
    ) -> Result<Self> {
        let run = RunFiles::claim(&std::env::temp_dir())?;
        Ok(Self::Object { upload: Box::new(begin.await?), run })
    }

    pub fn stdout() -> Result<Self> {
        Ok(Self::Stdout { run: RunFiles::claim(&std::env::temp_dir())? })
    }

    /// Opens a named pipe or a device for writing. A pipe with no reader yet is waited for,
    /// and the wait gives way to Ctrl-C.
    pub async fn stream(
        path: &Path,
        cancel: &crate::cancel::Cancel,
        waiting: &(dyn Fn() + Sync),
    ) -> Result<Self> {
        use std::os::unix::fs::OpenOptionsExt as _;
        let run = RunFiles::claim(&std::env::temp_dir())?;
        let mut told = false;
        loop {
            cancel.check()?;
            let opened = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
                .open(path);
            match opened {
                Ok(file) => {
                    // Blocking writes from here on: the archive writer waits for a slow
                    // reader rather than failing.
                    let flags = nix::fcntl::fcntl(&file, nix::fcntl::FcntlArg::F_GETFL)
                        .map(nix::fcntl::OFlag::from_bits_truncate)
                        .with_context(|| format!("cannot write to {}", path.display()))?;
                    nix::fcntl::fcntl(
                        &file,
                        nix::fcntl::FcntlArg::F_SETFL(flags - nix::fcntl::OFlag::O_NONBLOCK),
                    )
                    .with_context(|| format!("cannot write to {}", path.display()))?;
                    return Ok(Self::Stream { path: path.to_path_buf(), file, run });
                }
                // A pipe nobody reads yet.
                Err(error) if error.raw_os_error() == Some(nix::libc::ENXIO) => {
                    if !told {
                        told = true;
                        waiting();
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(error) => {
                    return Err(error)
                        .with_context(|| format!("cannot open {} for writing", path.display()));
                }
            }
        }
    }

    /// A writer for the archive, counting what it writes.
    ///
    /// (On stdout or a pipe, a reader that goes away is a failed backup, not the "closed pipe
    /// is success" of `list | head`: see `PipeEnd`.)
    /// With `encrypt`, what is written is encrypted (age) on its way to the sink.
    pub fn writer(&self, encrypt: Option<&Recipients>) -> Result<Counting> {
        let sink: Box<dyn Sink> = match self {
            Self::File { file, .. } => {
                Box::new(file.try_clone().context("cannot write the archive")?)
            }
            Self::Stdout { .. } => Box::new(PipeEnd(std::io::stdout())),
            Self::Stream { file, .. } => {
                Box::new(PipeEnd(file.try_clone().context("cannot write the archive")?))
            }
            Self::Object { upload, .. } => Box::new(upload.writer()?),
        };
        let stored = BufWriter::with_capacity(1 << 20, Stored { sink, bytes: 0 });
        let inner = match encrypt {
            None => Layer::Plain(stored),
            Some(recipients) => {
                Layer::Age(recipients.encrypt(stored).context("cannot write the archive")?)
            }
        };
        Ok(Counting { inner, count: Arc::default() })
    }

    /// This run's mark where its scratch files go: beside the target (same filesystem, same
    /// free space), or the system's temporary folder for a stream.
    pub fn run(&self) -> &RunFiles {
        match self {
            Self::File { run, .. }
            | Self::Stdout { run }
            | Self::Stream { run, .. }
            | Self::Object { run, .. } => run,
        }
    }

    /// Where pg_dump may write a dump it needs whole before the archive starts.
    pub fn spool_dir(&self) -> PathBuf {
        self.run().dir().to_path_buf()
    }

    /// The temporary file, for a tool that writes it by itself (pg_dump -f).
    pub fn temp_path(&self) -> Option<&Path> {
        match self {
            Self::File { temp, .. } => Some(temp),
            Self::Stdout { .. } | Self::Stream { .. } | Self::Object { .. } => None,
        }
    }

    /// The temporary file, or the named pipe or device being written through, for a tool
    /// that writes it by itself as its standard output (pg_dump). A descriptor, not a name: a
    /// pg_dump that outlives a killed run never recreates a name the sweep removed.
    pub fn stream_file(&self) -> Option<&File> {
        match self {
            Self::Stream { file, .. } | Self::File { file, .. } => Some(file),
            Self::Stdout { .. } | Self::Object { .. } => None,
        }
    }

    /// What the archive was written to, for the report: a path, an `s3://` address, or `-`
    /// for stdout.
    pub fn shown(&self) -> String {
        match self {
            Self::File { target, .. } => target.display().to_string(),
            Self::Stream { path, .. } => path.display().to_string(),
            Self::Stdout { .. } => "-".into(),
            Self::Object { upload, .. } => upload.address().to_string(),
        }
    }

    /// The archive failed or was stopped: a temporary file goes with its handle; an upload is
    /// aborted on the server. Returns the error to report (an upload's own, when it failed
    /// first).
    pub async fn abandon(self, error: anyhow::Error) -> anyhow::Error {
        match self {
            Self::Object { upload, .. } => (*upload).abandon(error).await,
            Self::File { .. } | Self::Stdout { .. } | Self::Stream { .. } => error,
        }
    }

    /// Syncs the file and gives it its final name (then syncs the folder, so the name survives
    /// a power cut); returns it. A stream is flushed by its writer and has no name to give.
    /// The same; when the name was taken meanwhile (another run's archive, or the user's file)
    /// and `-o` did not say `--force`, the next name `another` offers is tried instead: a dated
    /// name in a backup folder moves on to the next second rather than fail a finished backup.
    /// An upload is completed, and its object checked against what was sent.
    pub async fn commit(
        self,
        size: u64,
        another: &mut dyn FnMut() -> Option<PathBuf>,
    ) -> Result<Placed> {
        match self {
            Self::Object { upload, run } => {
                let stored = (*upload).complete(size).await?;
                drop(run);
                Ok(Placed::Object(stored))
            }
            Self::File { mut target, mut temp, file, run, replace } => {
                file.sync_all().context("cannot sync the archive to disk")?;
                drop(file);
                loop {
                    // `-o NEW` was new when the run began; a file that took the name since (the
                    // user's, another run's) is not silently replaced: a plain rename would.
                    let persisted = if replace {
                        temp.persist(&target)
                    } else {
                        temp.persist_noclobber(&target)
                    };
                    let Err(failed) = persisted else { break };
                    if failed.error.kind() == std::io::ErrorKind::AlreadyExists {
                        if let Some(next) = another() {
                            target = next;
                            temp = failed.path;
                            continue;
                        }
                        return Err(crate::error::Failure::failed(format!(
                            "{} appeared while the backup ran; it was left as it is, and the new backup discarded",
                            target.display()
                        ))
                        .hint("choose another name, or pass --force to replace it")
                        .into());
                    }
                    return Err(anyhow::Error::from(failed.error).context(format!(
                        "cannot give the archive its name {}",
                        target.display()
                    )));
                }
                let dir = parent(&target);
                File::open(dir)
                    .and_then(|d| d.sync_all())
                    .with_context(|| format!("cannot sync {}", dir.display()))?;
                drop(run);
                Ok(Placed::File(target))
            }
            Self::Stdout { .. } | Self::Stream { .. } => Ok(Placed::Streamed),
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Where an archive's bytes land, closed once the archive is whole.
pub trait Sink: Write + Send {
    /// The archive is whole: what is held back goes out (an upload sends its last part).
    fn close(&mut self) -> std::io::Result<()> {
        self.flush()
    }
}

impl Sink for File {}

impl<W: Write + Send> Sink for PipeEnd<W> {}

impl Sink for crate::objects::PartWriter {
    fn close(&mut self) -> std::io::Result<()> {
        crate::objects::PartWriter::close(self)
    }
}

/// A buffered writer that counts bytes; the count can be read from another thread. What it
/// counts is the archive's own bytes (a zip's offsets are positions in it), before any
/// encryption; what reached the sink is counted below it.
pub struct Counting {
    inner: Layer,
    count: Arc<AtomicU64>,
}

/// The archive's bytes as they go to the sink: as they are, or encrypted (age).
enum Layer {
    Plain(BufWriter<Stored>),
    Age(age::stream::StreamWriter<BufWriter<Stored>>),
}

/// The sink, and how many bytes reached it: the size stored.
struct Stored {
    sink: Box<dyn Sink>,
    bytes: u64,
}

impl Write for Stored {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = self.sink.write(data)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.sink.flush()
    }
}

impl Counting {
    /// How many bytes of the archive were written (before any encryption).
    pub fn position(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The archive is whole: an age stream gets its last chunk, everything goes out, and the
    /// sink is closed. Returns the size of what was stored.
    pub fn finish(self) -> Result<u64> {
        let buffered = match self.inner {
            Layer::Plain(buffered) => buffered,
            Layer::Age(encrypting) => encrypting.finish().context("cannot write the archive")?,
        };
        let mut stored = buffered
            .into_inner()
            .map_err(|error| anyhow::Error::from(error.into_error()))
            .context("cannot write the archive")?;
        stored.sink.close().context("cannot write the archive")?;
        Ok(stored.bytes)
    }
}

impl Write for Counting {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = match &mut self.inner {
            Layer::Plain(buffered) => buffered.write(data)?,
            Layer::Age(encrypting) => encrypting.write(data)?,
        };
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.inner {
            Layer::Plain(buffered) => buffered.flush(),
            Layer::Age(encrypting) => encrypting.flush(),
        }
    }
}

/// stdout for an archive: a closed pipe means the archive is incomplete, which must fail the
/// backup (the shell's `list | head` rule, a closed pipe is success, does not hold here).
struct PipeEnd<W>(W);

impl<W: Write> Write for PipeEnd<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(incomplete)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(incomplete)
    }
}

fn incomplete(error: std::io::Error) -> std::io::Error {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::io::Error::other(
            "stdout was closed before the archive was complete: the backup is incomplete",
        )
    } else {
        error
    }
}
