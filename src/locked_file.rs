//! A file held under an exclusive lock (flock) for as long as its run lives, so that a free
//! lock proves the run gone, however it died (the kernel drops the lock with the process).
//! The run-files marks and the upload records are such files.

use std::fs::File;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use nix::fcntl::{Flock, FlockArg};

/// Creates `fresh` (new, mode 0600), locks it, writes and syncs `contents`, then renames it to
/// `path`: a file seen under its final name is held by a live run or by nobody, and always
/// whole. A `fresh` left behind means its run died before the rename.
pub fn create(fresh: &Path, path: &Path, contents: &[u8]) -> Result<Flock<File>> {
    let folder = || path.parent().unwrap_or(path).display().to_string();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(fresh)
        .with_context(|| format!("cannot create a file in {}", folder()))?;
    let mut lock = Flock::lock(file, FlockArg::LockExclusiveNonblock)
        .map_err(|(_, errno)| anyhow::anyhow!("cannot lock {}: {errno}", fresh.display()))?;
    if !contents.is_empty() {
        lock.write_all(contents)
            .and_then(|()| lock.sync_all())
            .with_context(|| format!("cannot write {}", fresh.display()))?;
    }
    std::fs::rename(fresh, path)
        .with_context(|| format!("cannot create a file in {}", folder()))?;
    Ok(lock)
}

/// Opens such a file to test its lock, if it is one: a regular file, not through a link. A
/// named pipe under that name (anyone can make one in the temporary folder) would otherwise
/// keep the open waiting for a writer forever, where Ctrl-C cannot reach.
pub fn open(path: &Path) -> Option<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags((nix::fcntl::OFlag::O_NONBLOCK | nix::fcntl::OFlag::O_NOFOLLOW).bits())
        .open(path)
        .ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// The lock of such a file whose run is gone (`None` while its run lives).
pub fn take_abandoned(path: &Path) -> Option<Flock<File>> {
    Flock::lock(open(path)?, FlockArg::LockExclusiveNonblock).ok()
}
