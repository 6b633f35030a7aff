//! Where an archive goes: a temporary file beside the target (mode 0600: a backup holds every
//! password hash and API key of the company), synced and renamed into place only when complete,
//! so a failure or Ctrl-C never leaves a file under the final name; or stdout, for pipes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context as _, Result};

pub enum Destination {
    File { target: PathBuf, temp: tempfile::TempPath, file: File },
    Stdout,
}

impl Destination {
    /// A temporary file in `target`'s folder, named after it and hidden.
    pub fn file(target: &Path) -> Result<Self> {
        let dir = parent(target);
        let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into());
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .permissions(std::fs::Permissions::from_mode(0o600))
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        let (file, temp) = temp.into_parts();
        Ok(Self::File { target: target.to_path_buf(), temp, file })
    }

    /// A writer for the archive, counting what it writes.
    ///
    /// (On stdout, a reader that goes away is a failed backup, not the "closed pipe is success"
    /// of `list | head`: see `PipeEnd`.)
    pub fn writer(&self) -> Result<Counting> {
        let inner: Box<dyn Write + Send> = match self {
            Self::File { file, .. } => {
                Box::new(file.try_clone().context("cannot write the archive")?)
            }
            Self::Stdout => Box::new(PipeEnd(std::io::stdout())),
        };
        Ok(Counting { inner: BufWriter::with_capacity(1 << 20, inner), count: Arc::default() })
    }

    /// Where pg_dump may write a dump it needs whole before the archive starts: beside the
    /// target (same filesystem, same free space), or the system's temporary folder for stdout.
    pub fn spool_dir(&self) -> PathBuf {
        match self {
            Self::File { target, .. } => parent(target).to_path_buf(),
            Self::Stdout => std::env::temp_dir(),
        }
    }

    /// The temporary file, for a tool that writes it by itself (pg_dump -f).
    pub fn temp_path(&self) -> Option<&Path> {
        match self {
            Self::File { temp, .. } => Some(temp),
            Self::Stdout => None,
        }
    }

    /// Syncs the file and gives it its final name (then syncs the folder, so the name survives
    /// a power cut).
    pub fn commit(self) -> Result<Option<PathBuf>> {
        match self {
            Self::File { target, temp, file } => {
                file.sync_all().context("cannot sync the archive to disk")?;
                drop(file);
                temp.persist(&target).map_err(|e| e.error).with_context(|| {
                    format!("cannot give the archive its name {}", target.display())
                })?;
                let dir = parent(&target);
                File::open(dir)
                    .and_then(|d| d.sync_all())
                    .with_context(|| format!("cannot sync {}", dir.display()))?;
                Ok(Some(target))
            }
            Self::Stdout => Ok(None),
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A buffered writer that counts bytes; the count can be read from another thread.
pub struct Counting {
    inner: BufWriter<Box<dyn Write + Send>>,
    count: Arc<AtomicU64>,
}

impl Counting {
    pub fn position(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

impl Write for Counting {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(data)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
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
