//! Copying a filestore: full copies, hard links or reflinks, in parallel, with progress and
//! cancellation, and flat memory (a bounded queue between the walker and the workers).
//!
//! Hard links are safe here because Odoo never rewrites a filestore file: a file is named by
//! the sha1 of its content, written once, and replaced by a new file when the content changes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};

use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;

use crate::cancel::Cancel;
use crate::error::Failure;

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requested {
    Auto,
    Copy,
    Hardlink,
    Reflink,
    None,
}

/// What is actually done to each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Copy,
    Hardlink,
    Reflink,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Copy => "copy",
            Self::Hardlink => "hardlink",
            Self::Reflink => "reflink",
        }
    }
}

/// Files in flight between the walker and the workers: enough to keep disks busy, few enough
/// that memory does not grow with the filestore.
const QUEUE_DEPTH: usize = 1024;
const WORKERS: usize = 4;

/// Turns the request into a mode for copying `source` into a folder created in `target_parent`.
/// `None` means "no filestore copy".
pub fn resolve_mode(
    requested: Requested,
    source: &Path,
    target_parent: &Path,
) -> Result<Option<Mode>> {
    let same_device = super::device(source)? == super::device(target_parent)?;
    match requested {
        Requested::None => Ok(None),
        Requested::Copy => Ok(Some(Mode::Copy)),
        Requested::Hardlink if same_device => Ok(Some(Mode::Hardlink)),
        Requested::Hardlink => Err(Failure::usage(format!(
            "hard links need one filesystem, but {} and {} are on different ones",
            source.display(),
            target_parent.display()
        ))
        .hint("use --filestore copy (or auto)")
        .into()),
        Requested::Reflink if same_device && reflink_works(source, target_parent) => {
            Ok(Some(Mode::Reflink))
        }
        Requested::Reflink => Err(Failure::usage(format!(
            "the filesystem of {} cannot make reflinks (copy-on-write clones)",
            target_parent.display()
        ))
        .hint("use --filestore hardlink, copy or auto")
        .into()),
        Requested::Auto if !same_device => Ok(Some(Mode::Copy)),
        Requested::Auto if reflink_works(source, target_parent) => Ok(Some(Mode::Reflink)),
        Requested::Auto => Ok(Some(Mode::Hardlink)),
    }
}

/// Tries one reflink of a small probe file inside `target_parent`.
fn reflink_works(source: &Path, target_parent: &Path) -> bool {
    let Some(sample) = walkdir::WalkDir::new(source)
        .into_iter()
        .filter_map(std::result::Result::ok)
        .find(|e| e.file_type().is_file())
    else {
        return false;
    };
    let probe = target_parent.join(format!(".odoodb-reflink-probe-{}", std::process::id()));
    let works = reflink_copy::reflink(sample.path(), &probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    works
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CopyStats {
    pub files: u64,
    pub bytes: u64,
}

/// Copies the tree at `source` into `target` (which must not exist) in `mode`.
/// `progress` gets the bytes of each file done; `cancel` stops the work early (→ interrupted).
pub fn copy_tree(
    source: &Path,
    target: &Path,
    mode: Mode,
    cancel: &Cancel,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CopyStats> {
    // Set by Ctrl-C, or by the first failure, which stops the walker and the other workers.
    let (cancel, abort) = cancel.linked();
    std::fs::create_dir(target).with_context(|| format!("cannot create {}", target.display()))?;
    // Folders get their source's owner and mode once filled (a read-only source folder would
    // refuse its own files otherwise).
    let mut folders = vec![(target.to_path_buf(), Owner::of(&std::fs::metadata(source)?))];
    let files = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let fail = |error: anyhow::Error| {
        if let Ok(mut slot) = first_error.lock() {
            slot.get_or_insert(error);
        }
        abort.set();
    };
    let (sender, receiver) = mpsc::sync_channel::<(PathBuf, PathBuf, u64, Owner)>(QUEUE_DEPTH);
    let receiver = Mutex::new(receiver);
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                loop {
                    let job = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok((from, to, size, owner)) = job else { return };
                    if cancel.is_set() {
                        continue; // drain the queue so the walker is not blocked
                    }
                    // A hard link is the source's own inode: owner and mode come with it.
                    let placed = place(&from, &to, mode).and_then(|()| match mode {
                        Mode::Hardlink => Ok(()),
                        Mode::Copy | Mode::Reflink => owner.apply(&to),
                    });
                    match placed {
                        Ok(()) => {
                            files.fetch_add(1, Ordering::Relaxed);
                            bytes.fetch_add(size, Ordering::Relaxed);
                            progress(size);
                        }
                        Err(error) => fail(error),
                    }
                }
            });
        }
        for entry in walkdir::WalkDir::new(source).min_depth(1) {
            if cancel.is_set() {
                break;
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    fail(anyhow!(error).context(format!("cannot read {}", source.display())));
                    break;
                }
            };
            let relative = entry.path().strip_prefix(source).unwrap_or(entry.path());
            let destination = target.join(relative);
            let kind = entry.file_type();
            let meta = match entry.metadata() {
                Ok(meta) => meta,
                Err(error) => {
                    fail(anyhow!(error).context(format!("cannot stat {}", entry.path().display())));
                    break;
                }
            };
            if kind.is_dir() {
                if let Err(error) = std::fs::create_dir(&destination) {
                    fail(
                        anyhow!(error).context(format!("cannot create {}", destination.display())),
                    );
                    break;
                }
                folders.push((destination, Owner::of(&meta)));
            } else if kind.is_file() {
                let job = (entry.into_path(), destination, meta.len(), Owner::of(&meta));
                if sender.send(job).is_err() {
                    break;
                }
            }
        }
        drop(sender);
    });
    if let Some(error) = first_error.into_inner().ok().flatten() {
        return Err(error);
    }
    // Deepest first, so a folder made read-only does not stop its children being set.
    for (folder, owner) in folders.iter().rev() {
        owner.apply(folder)?;
    }
    if cancel.is_set() {
        return Err(Failure::interrupted().into());
    }
    Ok(CopyStats { files: files.into_inner(), bytes: bytes.into_inner() })
}

/// Who owns a filestore entry and with which mode: a copy made as root must stay Odoo's, or
/// Odoo's service user can no longer write new attachments next to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
    pub mode: u32,
}

impl Owner {
    pub fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt as _;
        Self { uid: meta.uid(), gid: meta.gid(), mode: meta.mode() & 0o7777 }
    }

    /// Gives `path` this owner (only root may; anyone else's copies are theirs already) and mode.
    pub fn apply(self, path: &Path) -> Result<()> {
        use std::os::unix::fs::PermissionsExt as _;
        if nix::unistd::geteuid().is_root() {
            nix::unistd::chown(
                path,
                Some(nix::unistd::Uid::from_raw(self.uid)),
                Some(nix::unistd::Gid::from_raw(self.gid)),
            )
            .with_context(|| format!("cannot give {} its owner", path.display()))?;
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(self.mode))
            .with_context(|| format!("cannot set the mode of {}", path.display()))
    }
}

impl Owner {
    /// The same owner, with the mode a file gets in a folder of this mode: read and write
    /// bits only (filestore files are data, never programs).
    #[must_use]
    pub fn for_files(self) -> Self {
        Self { mode: self.mode & 0o666, ..self }
    }

    /// Gives an open file this owner and mode.
    pub fn apply_to_file(self, file: &std::fs::File, path: &Path) -> Result<()> {
        use std::os::unix::fs::PermissionsExt as _;
        if nix::unistd::geteuid().is_root() {
            nix::unistd::fchown(
                file,
                Some(nix::unistd::Uid::from_raw(self.uid)),
                Some(nix::unistd::Gid::from_raw(self.gid)),
            )
            .with_context(|| format!("cannot give {} its owner", path.display()))?;
        }
        file.set_permissions(std::fs::Permissions::from_mode(self.mode))
            .with_context(|| format!("cannot set the mode of {}", path.display()))
    }
}

fn place(from: &Path, to: &Path, mode: Mode) -> Result<()> {
    let result = match mode {
        Mode::Copy => std::fs::copy(from, to).map(|_| ()),
        Mode::Hardlink => std::fs::hard_link(from, to),
        Mode::Reflink => reflink_copy::reflink(from, to),
    };
    result.with_context(|| format!("cannot {} {} to {}", verb(mode), from.display(), to.display()))
}

fn verb(mode: Mode) -> &'static str {
    match mode {
        Mode::Copy => "copy",
        Mode::Hardlink => "hard-link",
        Mode::Reflink => "reflink",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(tag: &str) -> Result<PathBuf> {
        let root = std::env::temp_dir().join(format!("odoodb-copy-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (name, body) in [("ab/ab01", "one"), ("cd/cd02", "two!"), ("checklist/ab/ab01", "")] {
            let path = root.join("src").join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(&root))?;
            std::fs::write(path, body)?;
        }
        Ok(root)
    }

    #[test]
    fn copies_and_links_every_file() -> Result<()> {
        use std::os::unix::fs::MetadataExt as _;
        let root = tree("modes")?;
        for mode in [Mode::Copy, Mode::Hardlink] {
            let target = root.join(format!("{mode:?}"));
            let stats = copy_tree(&root.join("src"), &target, mode, &Cancel::never(), &|_| {})?;
            assert_eq!((stats.files, stats.bytes), (3, 7));
            assert_eq!(std::fs::read_to_string(target.join("cd/cd02"))?, "two!");
            let links = std::fs::metadata(target.join("ab/ab01"))?.nlink();
            assert_eq!(links > 1, mode == Mode::Hardlink);
        }
        std::fs::remove_dir_all(&root)?;
        Ok(())
    }

    #[test]
    fn a_cancelled_copy_reports_interruption() -> Result<()> {
        let root = tree("cancel")?;
        let (cancel, abort) = Cancel::never().linked();
        abort.set();
        let result = copy_tree(&root.join("src"), &root.join("dst"), Mode::Copy, &cancel, &|_| {});
        assert!(result.is_err());
        std::fs::remove_dir_all(&root)?;
        Ok(())
    }
}
