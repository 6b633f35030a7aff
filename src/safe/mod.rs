//! Safe changes: every change of more than one step (database + folder, swap, replace) goes
//! through here. A change works under temporary names, writes its intent to a journal before
//! each step, holds an advisory lock for as long as it runs, and can always be completed or
//! rolled back — by the run itself on failure or Ctrl-C, or by any later run (on any host
//! sharing the server and data directory) after kill -9 or a power cut. Never a mix, and the
//! only copy of anything is never dropped: a previous database is dropped only once its
//! replacement is in place under both names.
//!
//! Each change kind is one file with the same shape: `begin` (journal + lock), the steps of the
//! live run, and `settle`, which recovery calls with the journal of a dead run. Every step
//! checks the state it is about to change, so running a step twice, or after a crash half way
//! through the sequence, is harmless.

pub mod delete;
pub mod install;
pub mod journal;
pub mod kept;
mod lock;
pub mod names;
pub mod put_back;
pub mod recover;
pub mod rename;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use tokio_postgres::Client;

use crate::cancel::Cancel;
use crate::pg::{self, ConnectParams, admin};
pub use journal::{Change, Phase};
use journal::{Entry, Journal};
pub use names::RunId;

/// Where changes happen: one PostgreSQL server (through a connection to its maintenance
/// database) and one filestore root, which also keeps the journal — the one place every run
/// working on these folders, from any host or user, finds it.
pub struct Site<'a> {
    pub admin: &'a Client,
    pub params: &'a ConnectParams,
    pub filestore_root: PathBuf,
    /// Ctrl-C: cuts short the waits of a cleanup (never the cleanup's steps).
    pub cancel: &'a Cancel,
}

impl Site<'_> {
    pub fn journal_dir(&self) -> PathBuf {
        self.filestore_root.join(journal::DIR_NAME)
    }

    pub fn folder(&self, name: &str) -> PathBuf {
        self.filestore_root.join(name)
    }

    async fn cluster(&self) -> String {
        lock::cluster_id(self.admin, &self.params.describe()).await
    }

    pub async fn db_exists(&self, name: &str) -> Result<bool> {
        admin::database_exists(self.admin, name).await
    }
}

/// A change this process is making: its journal, and its lock held on the site's connection.
pub struct Run<'s, 'a> {
    site: &'s Site<'a>,
    journal: Journal,
}

impl<'s, 'a> Run<'s, 'a> {
    /// Takes the lock and writes the first journal record; nothing is changed yet.
    /// `change` gets the run id, since temporary names are made from it.
    async fn begin(
        site: &'s Site<'a>,
        command: &str,
        phase: Phase,
        change: impl FnOnce(RunId) -> Change,
    ) -> Result<Self> {
        let run = RunId::new();
        let change = change(run);
        lock::acquire(site.admin, run).await?;
        // Claim the names, so that two runs that both found them free cannot interleave.
        if let Err(error) = lock::claim_names(site.admin, &change.names()).await {
            let _ = lock::release(site.admin, run).await;
            return Err(error);
        }
        if let Err(error) = crate::filestore::ensure_root(&site.filestore_root) {
            let _ = lock::release_names(site.admin, &change.names()).await;
            let _ = lock::release(site.admin, run).await;
            return Err(error);
        }
        let entry = Entry::new(
            run,
            command,
            site.cluster().await,
            lock::current_database(site.admin).await?,
            &site.filestore_root,
            phase,
            change,
        );
        let names: Vec<String> = entry.change.names().into_iter().map(String::from).collect();
        match Journal::create(&site.journal_dir(), entry) {
            Ok(journal) => Ok(Self { site, journal }),
            Err(error) => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let _ = lock::release_names(site.admin, &names).await;
                let _ = lock::release(site.admin, run).await;
                Err(error)
            }
        }
    }

    pub fn id(&self) -> RunId {
        self.journal.entry.run
    }

    pub fn change(&self) -> &Change {
        &self.journal.entry.change
    }

    pub fn journal_path(&self) -> &Path {
        self.journal.path()
    }

    /// Records the next phase, once sure the lock is still ours (a lost connection means
    /// another run may be recovering this change: stop rather than race it).
    async fn set_phase(&mut self, phase: Phase) -> Result<()> {
        if !lock::still_held(self.site.admin, self.id()).await? {
            bail!("lost the connection that proves this run alive; stopping before the next step");
        }
        self.journal.set_phase(phase)
    }

    /// Records what the change has come to be, once sure the lock is still ours.
    async fn set_change(&mut self, change: Change) -> Result<()> {
        if !lock::still_held(self.site.admin, self.id()).await? {
            bail!("lost the connection that proves this run alive; stopping before the next step");
        }
        self.journal.set_change(change)
    }

    /// Records that `stopped_by` stopped the Odoo service (and `start_cmd` starts it), so a
    /// recovery of this change says it must be started again.
    async fn service_stopped(&mut self, stopped_by: &str, start_cmd: Option<&str>) -> Result<()> {
        let mut change = self.change().clone();
        if let Change::Install { service, .. } | Change::PutBack { service, .. } = &mut change {
            *service = Some(journal::Service {
                stopped_by: stopped_by.to_string(),
                start_cmd: start_cmd.map(str::to_string),
            });
        }
        self.set_change(change).await
    }

    /// The change is complete or undone: the journal goes, then the locks.
    async fn end(self) -> Result<()> {
        let run = self.id();
        let names: Vec<String> = self.change().names().into_iter().map(String::from).collect();
        self.journal.remove()?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        lock::release_names(self.site.admin, &names).await?;
        lock::release(self.site.admin, run).await
    }
}

/// Runs a statement that needs `db` free, ending its sessions first when allowed, and again
/// while Odoo's workers reconnect.
async fn run_freeing(client: &Client, db: &str, sql: &str, end_sessions: bool) -> Result<()> {
    admin::retry_in_use(client, db, end_sessions, || async {
        client.batch_execute(sql).await.map_err(anyhow::Error::from)
    })
    .await
}

/// How long a drop of one of this change's databases waits for sessions it may not end (a
/// superuser's, an autovacuum worker's) to go: a failure must leave no database behind.
const DROP_PATIENCE: Duration = Duration::from_secs(30);

/// Drops a database of this change if it is there, ending its sessions first (without `WITH
/// (FORCE)`, which PostgreSQL 12 lacks), and waiting, up to `DROP_PATIENCE`, for those this role
/// may not end. What it cannot drop is named, with the command that finishes it.
async fn drop_database(site: &Site<'_>, name: &str) -> Result<()> {
    let deadline = Instant::now() + DROP_PATIENCE;
    // A Ctrl-C that came before is what this cleanup is for; one that comes while it waits
    // means the user will not wait.
    let may_stop = !site.cancel.is_set();
    loop {
        let result = run_freeing(site.admin, name, &admin::drop_sql(name, false), true).await;
        let error = match result {
            Err(error) if pg::is_object_in_use(&error) => error,
            other => return other,
        };
        let stopped = may_stop && site.cancel.is_set();
        if stopped || Instant::now() >= deadline {
            return Err(still_there(site, name, error, stopped).await);
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            () = site.cancel.wait(), if may_stop => {}
        }
    }
}

/// The drop of `name` gave up: says what is left, who holds it, and how to finish.
async fn still_there(
    site: &Site<'_>,
    name: &str,
    error: anyhow::Error,
    stopped: bool,
) -> anyhow::Error {
    let holders = admin::describe_sessions(site.admin, name).await.unwrap_or_default();
    let who =
        if holders.is_empty() { String::new() } else { format!(" by {}", holders.join("; ")) };
    let waited = if stopped {
        "the wait was interrupted".to_string()
    } else {
        format!("waited {} s", DROP_PATIENCE.as_secs())
    };
    error.context(format!(
        "the database {name} is left: it is in use{who}, sessions role {} may not end ({waited}); run `odoodb recover` once they are gone",
        site.params.user
    ))
}

/// A folder exists, as a folder, a file or a link (even a dangling one).
fn present(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Renames a folder within the filestore root, durably.
fn move_folder(from: &Path, to: &Path) -> Result<()> {
    crate::filestore::rename(from, to)
}

/// Connects to the database holding a journal's lock when it is not the site's.
async fn lock_client(site: &Site<'_>, database: &str) -> Result<Option<Client>> {
    if lock::current_database(site.admin).await? == database {
        Ok(None)
    } else {
        Ok(Some(pg::connect(site.params, database).await?))
    }
}
