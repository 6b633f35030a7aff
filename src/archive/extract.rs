//! Writes what a reader hands over into the restore's temporary filestore folder: files under
//! names already checked (`names`), created new (never through an existing entry), owned and
//! moded like the filestore root; dump parts into a scratch folder inside it, which goes before
//! the folder takes its final name. Everything here lives under the install's temporary name,
//! so a failure, Ctrl-C or kill -9 leaves nothing the user can see.

use std::collections::HashSet;
use std::io::{Read, Write as _};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::Visitor;
use crate::cancel::Cancel;
use crate::error::Failure;
use crate::filestore::Owner;

/// The scratch folder for dump parts, inside the temporary filestore folder (a name no Odoo
/// file can have).
pub const SCRATCH: &str = ".odoodb-dump";

/// What happens to a plain-SQL dump: streamed into psql rather than written out.
pub type PlainSink<'a> = &'a mut dyn FnMut(&mut dyn Read) -> Result<()>;

pub struct Extractor<'a> {
    folder: PathBuf,
    owner: Owner,
    made: HashSet<PathBuf>,
    cancel: Cancel,
    progress: &'a (dyn Fn(u64) + Sync),
    plain: Option<PlainSink<'a>>,
    pub files: u64,
    pub bytes: u64,
}

impl<'a> Extractor<'a> {
    /// Creates `folder` (which must not exist yet) with the owner and mode of the root.
    pub fn new(
        folder: &Path,
        owner: Owner,
        cancel: Cancel,
        progress: &'a (dyn Fn(u64) + Sync),
        plain: Option<PlainSink<'a>>,
    ) -> Result<Self> {
        let mut extractor = Self {
            folder: folder.to_path_buf(),
            owner,
            made: HashSet::new(),
            cancel,
            progress,
            plain,
            files: 0,
            bytes: 0,
        };
        extractor.make_dir(folder)?;
        Ok(extractor)
    }

    pub fn scratch(&self) -> PathBuf {
        self.folder.join(SCRATCH)
    }

    fn make_dir(&mut self, dir: &Path) -> Result<()> {
        if self.made.contains(dir) {
            return Ok(());
        }
        if dir != self.folder
            && let Some(parent) = dir.parent()
        {
            self.make_dir(parent)?;
        }
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        self.owner.apply(dir)?;
        self.made.insert(dir.to_path_buf());
        Ok(())
    }

    fn write(&mut self, path: &Path, size: u64, reader: &mut dyn Read) -> Result<()> {
        if let Some(parent) = path.parent() {
            self.make_dir(parent)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut source = Watched { inner: reader, cancel: &self.cancel, progress: self.progress };
        // Not io::copy: a failed read is the archive's (cut, corrupt), a failed write the
        // disk's, and the error must say which.
        let mut buffer = vec![0_u8; 64 * 1024];
        let mut written = 0_u64;
        loop {
            let n = match source.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error.into()),
            };
            file.write_all(&buffer[..n])
                .with_context(|| format!("cannot write {}", path.display()))?;
            written += n as u64;
        }
        if written != size {
            return Err(Failure::failed(format!(
                "the archive is truncated: {} has {written} of {size} bytes",
                path.display()
            ))
            .into());
        }
        self.owner.for_files().apply_to_file(&file, path)?;
        Ok(())
    }
}

impl Visitor for Extractor<'_> {
    fn dump(&mut self, part: &str, size: u64, reader: &mut dyn Read) -> Result<()> {
        if part.is_empty()
            && let Some(plain) = self.plain.as_mut()
        {
            let mut source =
                Watched { inner: reader, cancel: &self.cancel, progress: self.progress };
            return plain(&mut source);
        }
        let scratch = self.scratch();
        let path = if part.is_empty() { scratch.join("dump") } else { scratch.join(part) };
        self.write(&path, size, reader)
    }

    fn file(&mut self, relative: &str, size: u64, reader: &mut dyn Read) -> Result<()> {
        let path = self.folder.join(relative);
        self.write(&path, size, reader)?;
        self.files += 1;
        self.bytes += size;
        Ok(())
    }
}

/// A reader that stops at Ctrl-C and reports progress.
pub struct Watched<'r> {
    pub inner: &'r mut dyn Read,
    pub cancel: &'r Cancel,
    pub progress: &'r (dyn Fn(u64) + Sync),
}

impl Read for Watched<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_set() {
            // Not `ErrorKind::Interrupted`, which io::copy would retry forever; the command
            // tells an interruption by the cancel flag.
            return Err(std::io::Error::other("interrupted"));
        }
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}
