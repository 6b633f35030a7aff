//! Uploads under way, on disk: an object appears under its key only when its multipart upload
//! is completed, but a run killed half way leaves the parts it sent on the server, billed and
//! invisible. Each upload is recorded here (`<state>/odoodb/uploads/<id>.json`) right after the
//! server gives it an id, and the record is locked (flock) for the run's whole life; the kernel
//! drops the lock when the process dies, however it dies. `recover`, and the next upload,
//! take a free lock as proof the run is gone and abort its upload on the server.

use std::fs::File;
use std::io::{Seek as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use nix::fcntl::Flock;
use serde::{Deserialize, Serialize};

use crate::config::Environment as _;

/// What an abort needs (no credential: those are read again when it runs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub started_at: String,
    pub pid: u32,
    /// Set just before the upload is completed: an object under `key` may then exist, complete
    /// but not yet checked against what was sent; a killed run's is removed, never trusted.
    #[serde(default)]
    pub completing: bool,
}

/// The folder of the records: `$XDG_STATE_HOME/odoodb/uploads`, else
/// `~/.local/state/odoodb/uploads`.
pub fn dir() -> Result<PathBuf> {
    Ok(state_dir()?.join("uploads"))
}

/// odoodb's own state folder: `$XDG_STATE_HOME/odoodb`, else `~/.local/state/odoodb`.
pub fn state_dir() -> Result<PathBuf> {
    let env = crate::config::ProcessEnvironment;
    let base = match (env.var("XDG_STATE_HOME").map(PathBuf::from), env.home()) {
        (Some(state), _) if state.is_absolute() => state,
        (_, Some(home)) => home.join(".local/state"),
        _ => anyhow::bail!(
            "cannot tell where to record uploads: neither XDG_STATE_HOME nor HOME is set"
        ),
    };
    Ok(base.join("odoodb"))
}

/// This run's record of one upload, locked while it lives; `done` removes it.
pub struct Held {
    path: PathBuf,
    lock: Flock<File>,
}

impl Held {
    /// Writes, syncs and locks the record (see `locked_file::create`).
    pub fn write(record: &Record) -> Result<Self> {
        let dir = dir()?;
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let text = serde_json::to_vec_pretty(record).context("cannot encode the upload record")?;
        let path = dir.join(format!("{id}.json"));
        let lock = crate::locked_file::create(&dir.join(format!(".{id}.new")), &path, &text)?;
        let _ = File::open(&dir).and_then(|d| d.sync_all());
        Ok(Self { path, lock })
    }

    /// Rewrites the record in place (it stays locked), synced before the step it announces.
    pub fn rewrite(&mut self, record: &Record) -> Result<()> {
        let text = serde_json::to_vec_pretty(record).context("cannot encode the upload record")?;
        let file: &mut File = &mut self.lock;
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(&text))
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// The upload is settled (completed or aborted): its record goes.
    pub fn done(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A record whose run is gone, with its lock now held by us (so two sweeps never both act).
pub struct Abandoned {
    pub path: PathBuf,
    pub record: Option<Record>,
    _lock: Flock<File>,
}

impl Abandoned {
    /// Settled: the record goes.
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The records of dead runs (their lock free). A record that cannot be read comes with
/// `record: None`, to be reported rather than dropped.
pub fn abandoned() -> Vec<Abandoned> {
    let Ok(dir) = dir() else { return Vec::new() };
    abandoned_in(&dir)
}

fn abandoned_in(dir: &Path) -> Vec<Abandoned> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let extension = Path::new(&name).extension().and_then(|e| e.to_str()).unwrap_or("");
        if name.starts_with('.') && extension == "new" {
            // Its run died between creating and naming it: no upload was recorded in it yet
            // that a named record does not also hold.
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 60);
            if old {
                let _ = std::fs::remove_file(&path);
            }
            continue;
        }
        if extension != "json" {
            continue;
        }
        let Some(lock) = crate::locked_file::take_abandoned(&path) else { continue };
        let record = std::fs::read(&path).ok().and_then(|text| serde_json::from_slice(&text).ok());
        found.push(Abandoned { path, record, _lock: lock });
    }
    found
}

#[cfg(test)]
mod tests {
    use nix::fcntl::FlockArg;

    use super::*;

    #[test]
    fn a_live_record_is_not_abandoned_and_a_dead_one_is() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.json");
        std::fs::write(&path, b"{}")?;
        let held = Flock::lock(File::open(&path)?, FlockArg::LockExclusiveNonblock)
            .map_err(|(_, e)| anyhow::anyhow!("{e}"))?;
        assert!(abandoned_in(dir.path()).is_empty());
        drop(held);
        let found = abandoned_in(dir.path());
        assert_eq!(found.len(), 1);
        assert!(found[0].record.is_none());
        Ok(())
    }
}
