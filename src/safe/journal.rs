//! The intent journal: one small JSON file per change in progress, written and fsynced before
//! each step, so that whatever stops the process (kill -9, a power cut) leaves a record of what
//! was under way, from which names to which. It lives beside the folders it moves (the filestore
//! root), so every run that works on those folders finds it; without a filestore root, in the
//! user's state directory.

use std::fs::{self, File};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use super::names::RunId;

/// The folder under the filestore root that holds the journal.
pub const DIR_NAME: &str = ".odoodb-journal";
const FORMAT: u32 = 1;
/// What a journal is written as before it is renamed into place.
const PARTIAL_SUFFIX: &str = ".json.partial";

/// How far a change got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Temporaries are being built; nothing the user has was touched. Undone by removing them.
    Build,
    /// Names are being swapped or moved; completed (or, where the first step never happened,
    /// rolled back) by recovery.
    Commit,
    /// Everything is in place; only leftovers (the previous copy) remain to be removed.
    Finish,
}

/// What a change does, with every name it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// A database (and folder) built under `building` takes the name `target`; an existing
    /// `target` (only when `replace`) is moved to `previous` first, then dropped.
    Install {
        target: String,
        building: String,
        previous: String,
        replace: bool,
        /// Whether a folder is built too (else the new database has none).
        with_folder: bool,
        /// Keep the replaced target (database and folder) under this name instead of dropping
        /// it: an upgrade keeps the database it upgraded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep_previous_as: Option<String>,
        /// The run closed the target to new connections: they are allowed again however the
        /// change ends (completed, undone, or settled by a later run).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        reopen: bool,
        /// The service the run stopped (`upgrade production --stop-cmd`): recovery reopens the
        /// database but does not start it, so it says so, with the start command if one was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<Service>,
    },
    /// A database and its folder renamed together.
    Rename { old: String, new: String, with_folder: bool },
    /// A database dropped after its folder was moved to `aside`.
    Delete { database: String, aside: String, with_folder: bool },
    /// The kept `original` of `target` takes its name back; `target` goes to `aside` (dropped
    /// at the end with `drop_aside`).
    PutBack {
        target: String,
        original: String,
        aside: String,
        drop_aside: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<Service>,
    },
}

/// A service a change stopped, and how it was to be started again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// The command that stopped it (`--stop-cmd`).
    pub stopped_by: String,
    /// The command that starts it (`--start-cmd`), if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_cmd: Option<String>,
}

impl Change {
    /// The user-visible database names the change is about.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Self::Install { target, keep_previous_as: Some(kept), .. } => vec![target, kept],
            Self::Install { target, .. } => vec![target],
            Self::Rename { old, new, .. } => vec![old, new],
            Self::Delete { database, .. } => vec![database],
            Self::PutBack { target, original, aside, .. } => vec![target, original, aside],
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Install { target, .. } => format!("installing a new {target}"),
            Self::Rename { old, new, .. } => format!("renaming {old} to {new}"),
            Self::Delete { database, .. } => format!("deleting {database}"),
            Self::PutBack { target, original, .. } => {
                format!("putting {original} back as {target}")
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub format: u32,
    pub run: RunId,
    /// The odoodb command, for people reading the file.
    pub command: String,
    pub host: String,
    pub pid: u32,
    pub started_at: String,
    /// Which PostgreSQL server the names belong to.
    pub cluster: String,
    /// The database whose advisory lock proves the run alive.
    pub lock_database: String,
    pub filestore_root: PathBuf,
    pub phase: Phase,
    pub change: Change,
}

impl Entry {
    pub fn new(
        run: RunId,
        command: &str,
        cluster: String,
        lock_database: String,
        filestore_root: &Path,
        phase: Phase,
        change: Change,
    ) -> Self {
        Self {
            format: FORMAT,
            run,
            command: command.to_string(),
            host: nix::unistd::gethostname()
                .map(|h| h.to_string_lossy().into_owned())
                .unwrap_or_default(),
            pid: std::process::id(),
            started_at: chrono::Utc::now().to_rfc3339(),
            cluster,
            lock_database,
            filestore_root: filestore_root.to_path_buf(),
            phase,
            change,
        }
    }
}

/// A journal file and what it says.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    pub entry: Entry,
}

impl Journal {
    /// Reads the journal again, as it is now: `None` when it is gone (another run settled it).
    pub fn reread(&self) -> Result<Option<Self>> {
        match fs::read(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", self.path.display())),
            Ok(bytes) => Ok(Some(Self {
                path: self.path.clone(),
                entry: serde_json::from_slice(&bytes)
                    .with_context(|| format!("cannot read {}", self.path.display()))?,
            })),
        }
    }

    /// Writes the first record of a change; fails before anything is changed if it cannot.
    pub fn create(dir: &Path, entry: Entry) -> Result<Self> {
        ensure_dir(dir)?;
        let journal = Self { path: dir.join(format!("{}.json", entry.run)), entry };
        journal.write()?;
        Ok(journal)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records what the change has come to be (e.g. a service it stopped); durable before it
    /// returns.
    pub fn set_change(&mut self, change: Change) -> Result<()> {
        self.entry.change = change;
        self.write()
    }

    /// Records that the change moves on to `phase`; durable before it returns.
    pub fn set_phase(&mut self, phase: Phase) -> Result<()> {
        self.entry.phase = phase;
        self.write()
    }

    /// The change is complete or undone: nothing is left to recover.
    pub fn remove(self) -> Result<()> {
        fs::remove_file(&self.path)
            .with_context(|| format!("cannot remove the journal {}", self.path.display()))?;
        sync_parent(&self.path)
    }

    fn write(&self) -> Result<()> {
        let text = serde_json::to_vec_pretty(&self.entry).context("cannot encode the journal")?;
        let partial = self.path.with_extension(&PARTIAL_SUFFIX[1..]);
        let written = (|| -> std::io::Result<()> {
            let mut file = File::create(&partial)?;
            file.write_all(&text)?;
            file.sync_all()?;
            fs::rename(&partial, &self.path)
        })();
        if let Err(error) = written {
            // The journal as it was before this step still stands: recovery knows what to undo.
            let _ = fs::remove_file(&partial);
            return Err(crate::error::Failure::failed(format!(
                "cannot write the journal {}: {error}",
                self.path.display()
            ))
            .hint("free space or fix permissions there, then run `odoodb recover`: the change is settled from the journal's last good state")
            .into());
        }
        sync_parent(&self.path)
    }
}

/// Every journal in `dir`; files that cannot be read are returned as problems, not errors.
pub fn read_dir(dir: &Path) -> (Vec<Journal>, Vec<String>) {
    let mut journals = Vec::new();
    let mut problems = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return (journals, problems);
        }
        Err(error) => {
            problems
                .push(format!("cannot read the odoodb journal folder {}: {error}", dir.display()));
            return (journals, problems);
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let parsed = fs::read(&path)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| Ok(serde_json::from_slice::<Entry>(&bytes)?));
        match parsed {
            Ok(entry) => journals.push(Journal { path, entry }),
            Err(error) => problems.push(format!(
                "unreadable odoodb journal {}: {}",
                path.display(),
                crate::error::one_line(&error)
            )),
        }
    }
    journals.sort_by(|a, b| a.entry.started_at.cmp(&b.entry.started_at));
    (journals, problems)
}

/// A journal update that was being written (`<run>.json.partial`): what can be told of it.
#[derive(Debug)]
pub struct Partial {
    pub path: PathBuf,
    /// From the file name; `None` for a name odoodb does not make (left alone).
    pub run: Option<RunId>,
    /// From the content when it was written whole, else from the journal beside it.
    pub lock_database: Option<String>,
}

/// The half-written journal updates in `dir`.
pub fn partials(dir: &Path) -> Vec<Partial> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(PARTIAL_SUFFIX) else { continue };
        let path = entry.path();
        let run = (stem.len() == 8)
            .then(|| u32::from_str_radix(stem, 16).ok())
            .flatten()
            .map(RunId)
            .filter(|run| run.to_string() == stem);
        let read = |path: &Path| {
            fs::read(path).ok().and_then(|bytes| serde_json::from_slice::<Entry>(&bytes).ok())
        };
        let lock_database = read(&path)
            .or_else(|| read(&dir.join(format!("{stem}.json"))))
            .map(|entry| entry.lock_database);
        found.push(Partial { path, run, lock_database });
    }
    found
}

/// Creates the journal folder, private, owned like its parent (so a run as root does not lock
/// out a later run as the Odoo user).
fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    // Not recursive: the filestore root above is made (owned like the data_dir) beforehand.
    fs::DirBuilder::new()
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create the journal folder {}", dir.display()))?;
    if let Some(parent) = dir.parent()
        && let Ok(meta) = fs::metadata(parent)
        && nix::unistd::geteuid().is_root()
    {
        let _ = nix::unistd::chown(
            dir,
            Some(nix::unistd::Uid::from_raw(meta.uid())),
            Some(nix::unistd::Gid::from_raw(meta.gid())),
        );
    }
    sync_parent(dir)
}

/// Makes a rename or creation in `path`'s folder durable.
pub fn sync_parent(path: &Path) -> Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    File::open(parent)
        .and_then(|dir| dir.sync_all())
        .with_context(|| format!("cannot sync {}", parent.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_survives_a_round_trip_and_its_removal() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("odoodb-journal-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let change = Change::Rename { old: "a1".into(), new: "b1".into(), with_folder: true };
        let entry = Entry::new(
            RunId(7),
            "rename",
            "c".into(),
            "postgres".into(),
            &dir,
            Phase::Commit,
            change.clone(),
        );
        let mut journal = Journal::create(&dir, entry)?;
        journal.set_phase(Phase::Finish)?;
        fs::write(dir.join("broken.json"), "{")?;
        let (found, problems) = read_dir(&dir);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entry.phase, Phase::Finish);
        assert_eq!(found[0].entry.change, change);
        assert_eq!(problems.len(), 1);
        journal.remove()?;
        assert!(read_dir(&dir).0.is_empty());
        fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
