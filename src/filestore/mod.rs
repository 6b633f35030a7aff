//! Odoo's filestore on disk: `<data_dir>/filestore/<db>/<2 hex>/<sha1>`, content-addressed and
//! never rewritten in place.

mod copy;

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;

pub use copy::{CopyStats, Mode, Owner, Requested, copy_tree, resolve_mode};

/// Odoo's garbage-collection bookkeeping: empty marker files, not attachment data.
pub const CHECKLIST_DIR: &str = "checklist";

pub fn root(data_dir: &Path) -> PathBuf {
    data_dir.join("filestore")
}

pub fn path(data_dir: &Path, db: &str) -> PathBuf {
    root(data_dir).join(db)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Usage {
    pub exists: bool,
    /// Regular files, checklist markers included.
    pub files: u64,
    pub bytes: u64,
}

/// Counts files and bytes under a filestore folder (a missing folder is empty, not an error).
pub fn measure(dir: &Path) -> Result<Usage> {
    if !dir.exists() {
        return Ok(Usage::default());
    }
    let mut usage = Usage { exists: true, ..Usage::default() };
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.with_context(|| format!("cannot read filestore {}", dir.display()))?;
        if entry.file_type().is_file() {
            usage.files += 1;
            usage.bytes += entry
                .metadata()
                .with_context(|| format!("cannot stat {}", entry.path().display()))?
                .len();
        }
    }
    Ok(usage)
}

/// Bytes free for an unprivileged writer on the filesystem holding `path`.
pub fn free_bytes(path: &Path) -> Result<u64> {
    let stat = nix::sys::statvfs::statvfs(path)
        .with_context(|| format!("cannot read free space of {}", path.display()))?;
    Ok(stat.blocks_available().saturating_mul(stat.fragment_size()))
}

/// The device a path lives on: hard links and reflinks only work within one.
pub fn device(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path).with_context(|| format!("cannot stat {}", path.display()))?.dev())
}

/// Fails unless the current user may create entries in `dir` (checked before anything changes).
pub fn require_writable(dir: &Path) -> Result<()> {
    nix::unistd::access(dir, nix::unistd::AccessFlags::W_OK | nix::unistd::AccessFlags::X_OK)
        .map_err(|errno| {
            crate::error::Failure::failed(format!("cannot write in {}: {}", dir.display(), errno.desc()))
                .hint("run odoodb as the user that owns the filestore (often `odoo`), or fix the folder's permissions")
        })?;
    Ok(())
}

/// Renames a filestore folder (same parent, so same filesystem: atomic), durably: the rename
/// reaches the disk before the next step of a change is journaled.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))?;
    let parent = to.parent().unwrap_or(Path::new("."));
    std::fs::File::open(parent)
        .and_then(|dir| dir.sync_all())
        .with_context(|| format!("cannot sync {}", parent.display()))
}

/// Makes sure the filestore root exists, creating it as Odoo would have: with the data_dir's
/// owner and mode, so that a run as root never locks Odoo's service user out of it.
pub fn ensure_root(root: &Path) -> Result<()> {
    if root.is_dir() {
        return Ok(());
    }
    let data_dir = root.parent().unwrap_or(Path::new("/"));
    let meta = std::fs::metadata(data_dir).map_err(|e| {
        crate::error::Failure::failed(format!(
            "the data_dir {} cannot be used: {e}",
            data_dir.display()
        ))
        .hint("point odoodb at Odoo's data_dir: -c /etc/odoo/odoo.conf, or --data-dir")
    })?;
    std::fs::create_dir(root).with_context(|| format!("cannot create {}", root.display()))?;
    if nix::unistd::geteuid().is_root() {
        nix::unistd::chown(
            root,
            Some(nix::unistd::Uid::from_raw(meta.uid())),
            Some(nix::unistd::Gid::from_raw(meta.gid())),
        )
        .with_context(|| format!("cannot give {} its owner", root.display()))?;
    }
    std::fs::set_permissions(root, meta.permissions())
        .with_context(|| format!("cannot set the mode of {}", root.display()))
}

/// Who new filestore folders belong to, and with which mode: the filestore root's (else the
/// data_dir's), so that files written by a run as root stay writable by Odoo's service user.
pub fn owner_like_root(root: &Path) -> Result<Owner> {
    let meta = std::fs::metadata(root)
        .or_else(|_| std::fs::metadata(root.parent().unwrap_or(Path::new("/"))))
        .with_context(|| format!("cannot stat {}", root.display()))?;
    Ok(Owner::of(&meta))
}

/// Fails unless the filestore root is absent or a folder (a link to one is fine: a common
/// layout, and renames inside it stay on one filesystem).
pub fn require_root_usable(root: &Path) -> Result<()> {
    if root.exists() && !root.is_dir() {
        return Err(crate::error::Failure::failed(format!(
            "the filestore root {} is not a folder",
            root.display()
        ))
        .unchanged()
        .hint("check data_dir (-c odoo.conf or --data-dir): <data_dir>/filestore must be a folder")
        .into());
    }
    Ok(())
}

/// What is at a filestore path, without following a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Absent,
    Folder,
    /// A symbolic link (dangling or not), and where it points.
    Link(PathBuf),
    /// A file, socket, device…: never a filestore.
    Other,
}

pub fn entry(path: &Path) -> Result<Entry> {
    match path.symlink_metadata() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Entry::Absent),
        Err(e) => Err(e).with_context(|| format!("cannot stat {}", path.display())),
        Ok(meta) if meta.is_dir() => Ok(Entry::Folder),
        Ok(meta) if meta.file_type().is_symlink() => {
            Ok(Entry::Link(std::fs::read_link(path).unwrap_or_default()))
        }
        Ok(_) => Ok(Entry::Other),
    }
}

/// Fails unless `path` is absent or a real folder: odoodb moves and removes folders, never a
/// file or a link someone put there.
pub fn require_folder_or_absent(path: &Path, what: &str) -> Result<Entry> {
    let found = entry(path)?;
    match &found {
        Entry::Absent | Entry::Folder => Ok(found),
        Entry::Link(target) => Err(crate::error::Failure::failed(format!(
            "{what} {} is a symbolic link (to {}), not a folder",
            path.display(),
            target.display()
        ))
        .unchanged()
        .hint("replace the link by the folder itself (or remove it), then run this again")
        .into()),
        Entry::Other => {
            Err(crate::error::Failure::failed(format!("{what} {} is not a folder", path.display()))
                .unchanged()
                .hint("move that file away, then run this again")
                .into())
        }
    }
}

/// Moves everything of `from` into `to` where `to` lacks it, then removes `from`. Filestore
/// files are named by their content, so an entry both have is the same file.
pub fn merge_into(from: &Path, to: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        match (target.symlink_metadata(), entry.file_type()) {
            (Err(_), _) => rename(&source, &target)?,
            (Ok(meta), Ok(kind)) if meta.is_dir() && kind.is_dir() => merge_into(&source, &target)?,
            _ => {}
        }
    }
    remove(from)
}

/// Removes a filestore folder and everything in it; a missing folder is fine.
pub fn remove(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", dir.display()))
        }
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Health {
    /// `store_fname`s whose file is not on disk: those attachments are broken.
    pub missing: Vec<String>,
    /// Data files no attachment references (normal until Odoo's autovacuum runs).
    pub unreferenced: Vec<String>,
    /// Empty marker files under `checklist/`.
    pub checklist_markers: u64,
}

/// Compares the files on disk with the `store_fname`s the database references.
pub fn health(dir: &Path, referenced: &[String]) -> Result<Health> {
    let mut on_disk: HashSet<String> = HashSet::new();
    let mut checklist_markers = 0;
    if dir.exists() {
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry =
                entry.with_context(|| format!("cannot read filestore {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            if relative.starts_with(CHECKLIST_DIR) {
                checklist_markers += 1;
            } else {
                on_disk.insert(relative.to_string_lossy().into_owned());
            }
        }
    }
    let wanted: HashSet<&str> = referenced.iter().map(String::as_str).collect();
    let mut missing: Vec<String> = wanted
        .iter()
        .filter(|name| !on_disk.contains(**name))
        .map(|name| (*name).to_string())
        .collect();
    let mut unreferenced: Vec<String> =
        on_disk.into_iter().filter(|name| !wanted.contains(name.as_str())).collect();
    missing.sort();
    unreferenced.sort();
    Ok(Health { missing, unreferenced, checklist_markers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_finds_missing_and_unreferenced_files() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("odoodb-health-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for name in ["ab/ab01", "cd/cd02", "checklist/ab/ab01"] {
            let file = dir.join(name);
            std::fs::create_dir_all(file.parent().unwrap_or(&dir))?;
            std::fs::write(&file, name)?;
        }
        let health = health(&dir, &["ab/ab01".to_string(), "ef/ef03".to_string()])?;
        assert_eq!(health.missing, vec!["ef/ef03"]);
        assert_eq!(health.unreferenced, vec!["cd/cd02"]);
        assert_eq!(health.checklist_markers, 1);
        let usage = measure(&dir)?;
        assert_eq!((usage.files, usage.exists), (3, true));
        std::fs::remove_dir_all(&dir)?;
        assert!(!measure(&dir)?.exists);
        Ok(())
    }
}
