//! Files a run must name (pg_dump writes to a path; an archive is renamed into place) in a
//! folder that is not odoodb's own: the backup folder, the temporary folder. kill -9 runs no
//! cleanup, so each such file carries its run's mark, `.odoodb-run-<id>.`, and the run holds
//! an exclusive lock (flock) on `.odoodb-run-<id>.lock` for its whole life. The kernel drops the
//! lock when the process dies, however it dies: the next run into that folder, and `recover`,
//! take a free lock as proof that its run is gone and remove what it left — copies of a
//! database, mode 0600, that nobody else would ever find.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Result;
use nix::fcntl::Flock;

pub const PREFIX: &str = ".odoodb-run-";
const LOCK: &str = "lock";
/// A lock file is made under this suffix, locked, then renamed: a lock seen under its final
/// name is always held by a live run or by nobody.
const UNLOCKED: &str = "lock.new";
/// How long an unrenamed lock file may be taken for a run that is starting.
const STARTING: Duration = Duration::from_mins(1);

/// This run's mark in one folder. Dropping it removes the lock file (the marked files are
/// removed by their own owners first; `sweep` catches what a crash left).
pub struct RunFiles {
    dir: PathBuf,
    id: String,
    lock: Option<Flock<File>>,
}

impl RunFiles {
    /// Claims a mark in `dir`, after removing what dead runs left there.
    pub fn claim(dir: &Path) -> Result<Self> {
        sweep(dir);
        let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        let fresh = dir.join(format!("{PREFIX}{id}.{UNLOCKED}"));
        let lock =
            crate::locked_file::create(&fresh, &dir.join(format!("{PREFIX}{id}.{LOCK}")), b"")?;
        Ok(Self { dir: dir.to_path_buf(), id, lock: Some(lock) })
    }

    /// The name prefix of this run's files here: `.odoodb-run-<id>.`.
    pub fn prefix(&self) -> String {
        format!("{PREFIX}{}.", self.id)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for RunFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.dir.join(format!("{PREFIX}{}.{LOCK}", self.id)));
        drop(self.lock.take());
    }
}

/// Removes, in `dir`, the files of every run whose lock is free; returns what it removed.
/// Best effort: a folder it cannot read is left as it is (the run will fail on it soon enough
/// if it matters), and a file it cannot remove is left for the next sweep.
pub fn sweep(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with(PREFIX))
        .collect();
    let mut removed = Vec::new();
    for name in &names {
        let Some(id) =
            name.strip_prefix(PREFIX).and_then(|rest| rest.strip_suffix(&format!(".{LOCK}")))
        else {
            continue;
        };
        // Only an id of ours: `.odoodb-run-<id>.dump.lock`, planted in a shared folder, would
        // otherwise pass for the lock of a run `<id>.dump` and take a live run's dump with it.
        if !is_run_id(id) {
            continue;
        }
        let lock_path = dir.join(name);
        // Held: the run is alive. Free: it is gone, and holding it now keeps a second sweeper
        // from racing this one.
        let Some(_held) = crate::locked_file::take_abandoned(&lock_path) else { continue };
        let marked = format!("{PREFIX}{id}.");
        for other in &names {
            if other.starts_with(&marked) && other != name {
                let path = dir.join(other);
                if remove(&path) {
                    removed.push(path);
                }
            }
        }
        if std::fs::remove_file(&lock_path).is_ok() {
            removed.push(lock_path);
        }
    }
    // A lock file never renamed: its run died between making it and locking it.
    for name in &names {
        if !name.ends_with(&format!(".{UNLOCKED}")) {
            continue;
        }
        let path = dir.join(name);
        let old = std::fs::metadata(&path)
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age > STARTING);
        if old && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// A run id as `claim` makes them: 12 lowercase hex digits.
fn is_run_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn remove(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path).is_ok(),
        Ok(_) => std::fs::remove_file(path).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_runs_files_stay_and_a_dead_ones_go() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let live = RunFiles::claim(dir.path())?;
        let live_file = dir.path().join(format!("{}dump", live.prefix()));
        std::fs::write(&live_file, b"live")?;
        // A dead run: its lock file exists, nobody holds it.
        let dead_lock = dir.path().join(format!("{PREFIX}deadbeef0000.{LOCK}"));
        std::fs::write(&dead_lock, b"")?;
        let dead_file = dir.path().join(format!("{PREFIX}deadbeef0000.prod.tar.gz.partial"));
        std::fs::write(&dead_file, b"copy of a database")?;
        let unrelated = dir.path().join(".hidden-of-the-user");
        std::fs::write(&unrelated, b"mine")?;

        let removed = sweep(dir.path());
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert!(!dead_file.exists() && !dead_lock.exists());
        assert!(live_file.exists() && unrelated.exists());
        drop(live);
        assert!(!dir.path().join(format!("{PREFIX}{}", "x")).exists());
        Ok(())
    }
}
