//! Recovery: finds the journals of changes whose run is gone (its advisory lock is free) and
//! completes or rolls each one back. A run that is alive — here, on another host, in another
//! container — is left alone, whatever its pid. What recovery cannot do is reported, never an
//! error for the command that happened to run it: only a command that would touch the same
//! names must wait.

use std::collections::HashSet;

use anyhow::Result;
use serde::Serialize;

use super::journal::{self, Change, Journal};
use super::{Site, delete, install, lock, lock_client, names, rename};
use crate::pg::admin;

/// What a sweep found and did.
#[derive(Debug, Default, Serialize)]
pub struct Sweep {
    /// Changes of dead runs, completed or rolled back: one line each.
    pub settled: Vec<String>,
    /// Changes whose run is alive.
    pub in_progress: Vec<Pending>,
    /// What could not be settled (kept for the next run).
    pub problems: Vec<Problem>,
    /// Temporaries no journal here accounts for: another data_dir's, or made by hand. Never
    /// touched; listed so someone can look.
    pub strangers: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    pub message: String,
    /// The user databases it concerns, which no command may touch until it is settled.
    #[serde(skip)]
    names: Vec<String>,
}

impl Problem {
    /// A problem that concerns no database (a file the sweep could not remove).
    pub fn unnamed(message: String) -> Self {
        Self { message, names: Vec::new() }
    }

    fn new(message: String, change: Option<&Change>) -> Self {
        let names = change.map(|c| c.names().into_iter().map(String::from).collect());
        Self { message, names: names.unwrap_or_default() }
    }
}

#[derive(Debug, Serialize)]
pub struct Pending {
    pub change: String,
    pub host: String,
    pub pid: u32,
    pub started_at: String,
    #[serde(skip)]
    names: Vec<String>,
}

impl Sweep {
    /// What is under way or unsettled about `name`, one line each.
    pub fn concerning(&self, name: &str) -> Vec<String> {
        let pending =
            self.in_progress.iter().filter(|p| p.names.iter().any(|n| n == name)).map(|p| {
                format!(
                    "odoodb run under way: {} (on {} pid {}, since {})",
                    p.change, p.host, p.pid, p.started_at
                )
            });
        let problems = self
            .problems
            .iter()
            .filter(|p| p.names.iter().any(|n| n == name))
            .map(|p| p.message.clone());
        pending.chain(problems).collect()
    }

    /// Fails when `name` is part of a change still under way or not settled.
    pub fn require_free(&self, name: &str) -> Result<()> {
        if let Some(pending) = self.in_progress.iter().find(|p| p.names.iter().any(|n| n == name)) {
            return Err(crate::error::Failure::failed(format!(
                "{name} is being changed by another odoodb run ({}, on {} pid {}, since {})",
                pending.change, pending.host, pending.pid, pending.started_at
            ))
            .hint("wait for it to finish, then run this again")
            .into());
        }
        if let Some(problem) = self.problems.iter().find(|p| p.names.iter().any(|n| n == name)) {
            return Err(crate::error::Failure::failed(format!(
                "{name} has an interrupted change that could not be settled: {}",
                problem.message
            ))
            .hint(
                "fix what it names (permissions, disk), then run this again: it is completed first",
            )
            .into());
        }
        Ok(())
    }
}

/// Settles every abandoned change of this site.
pub async fn sweep(site: &Site<'_>) -> Sweep {
    run(site, true).await
}

/// What a sweep would find, changing nothing: for `list` and `info`. An abandoned change is
/// reported as a problem to settle.
pub async fn survey(site: &Site<'_>) -> Sweep {
    run(site, false).await
}

async fn run(site: &Site<'_>, settle: bool) -> Sweep {
    let mut sweep = Sweep::default();
    let cluster = site.cluster().await;
    let mut known: HashSet<String> = HashSet::new();
    let (journals, problems) = journal::read_dir(&site.journal_dir());
    sweep.problems.extend(problems.into_iter().map(|p| Problem::new(p, None)));
    for journal in journals {
        known.extend(temporaries(&journal.entry.change));
        if journal.entry.cluster == cluster {
            settle_one(site, journal, settle, &mut sweep).await;
        } else {
            // Another server's (or this one's before a pg_upgrade changed its identifier):
            // its names mean nothing here, so it is only shown.
            sweep.strangers.push(format!(
                "journal {} belongs to another PostgreSQL server ({}): {}; settle it with odoodb pointed at that server, or remove it",
                journal.path().display(),
                journal.entry.cluster,
                journal.entry.change.describe()
            ));
        }
    }
    if settle {
        half_written(site, &mut sweep).await;
    }
    orphans(site, &known, &mut sweep).await;
    sweep
}

/// Removes the `<run>.json.partial` files of dead runs: a journal update that was being written
/// when its run was killed, never renamed into place, so the `<run>.json` beside it (if any) is
/// still the record that counts and has been settled above. A live run's is left alone: it may
/// be writing it this very moment.
async fn half_written(site: &Site<'_>, sweep: &mut Sweep) {
    for partial in journal::partials(&site.journal_dir()) {
        let Some(run) = partial.run else { continue };
        // The run's lock lives in the database its journal names; a partial cut off before
        // saying so was written by a run connected as this one is, to the same database.
        let database = match partial.lock_database.clone() {
            Some(database) => database,
            None => match lock::current_database(site.admin).await {
                Ok(database) => database,
                Err(_) => continue,
            },
        };
        let other = match lock_client(site, &database).await {
            Ok(other) => other,
            Err(error) => {
                sweep.problems.push(Problem::unnamed(format!(
                    "half-written journal {}: cannot check whether run {run} is alive: {}",
                    partial.path.display(),
                    crate::error::one_line(&error)
                )));
                continue;
            }
        };
        let lock_holder = other.as_ref().unwrap_or(site.admin);
        match lock::try_acquire(lock_holder, run).await {
            Ok(true) => {}
            Ok(false) | Err(_) => continue,
        }
        // The file may have become the journal (renamed) since the folder was read: then
        // there is nothing to remove.
        let removed = match std::fs::remove_file(&partial.path) {
            Ok(()) => journal::sync_parent(&partial.path).map(|()| true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(anyhow::Error::from(error)
                .context(format!("cannot remove {}", partial.path.display()))),
        };
        let _ = lock::release(lock_holder, run).await;
        match removed {
            Ok(true) => sweep.settled.push(format!(
                "interrupted odoodb run {run}: removed its half-written journal update {}",
                partial.path.display()
            )),
            Ok(false) => {}
            Err(error) => sweep.problems.push(Problem::unnamed(format!(
                "half-written journal of interrupted run {run}: {}",
                crate::error::one_line(&error)
            ))),
        }
    }
}

async fn settle_one(site: &Site<'_>, journal: Journal, settle: bool, sweep: &mut Sweep) {
    let entry = journal.entry.clone();
    let run = entry.run;
    let described = entry.change.describe();
    let journal_path = journal.path().to_path_buf();
    let other = match lock_client(site, &entry.lock_database).await {
        Ok(other) => other,
        Err(error) => {
            sweep.problems.push(Problem::new(
                format!(
                    "{described} (run {run}): cannot check whether its run is alive: {}",
                    crate::error::one_line(&error)
                ),
                Some(&entry.change),
            ));
            return;
        }
    };
    let lock_holder = other.as_ref().unwrap_or(site.admin);
    match acquire_from_the_dead(lock_holder, run, &entry.host, entry.pid).await {
        Ok(true) => {}
        Ok(false) => {
            sweep.in_progress.push(Pending {
                change: described,
                host: entry.host.clone(),
                pid: entry.pid,
                started_at: entry.started_at.clone(),
                names: entry.change.names().into_iter().map(String::from).collect(),
            });
            return;
        }
        Err(error) => {
            sweep.problems.push(Problem::new(
                format!("{described}: {}", crate::error::one_line(&error)),
                Some(&entry.change),
            ));
            return;
        }
    }
    // Read again under the lock: the run may have ended, or another recovery settled it, since
    // the folder was read.
    let mut journal = match journal.reread() {
        Ok(Some(journal)) => journal,
        Ok(None) => {
            let _ = lock::release(lock_holder, run).await;
            return;
        }
        Err(error) => {
            let _ = lock::release(lock_holder, run).await;
            sweep.problems.push(Problem::new(
                format!("{described}: {}", crate::error::one_line(&error)),
                Some(&entry.change),
            ));
            return;
        }
    };
    if !settle {
        let _ = lock::release(lock_holder, run).await;
        sweep.problems.push(Problem::new(
            format!("{described}: interrupted (run {run}); `odoodb recover` settles it"),
            Some(&entry.change),
        ));
        return;
    }
    let names = entry.change.names();
    if lock::claim_names(site.admin, &names).await.is_err() {
        // A live run is working on one of these names: leave it be for now.
        let _ = lock::release(lock_holder, run).await;
        sweep.in_progress.push(Pending {
            change: described,
            host: entry.host.clone(),
            pid: entry.pid,
            started_at: entry.started_at.clone(),
            names: names.into_iter().map(String::from).collect(),
        });
        return;
    }
    let settled = match &entry.change {
        Change::Install { .. } => install::settle(site, &mut journal).await,
        Change::Rename { .. } => rename::settle(site, &entry.change).await,
        Change::Delete { .. } => delete::settle(site, &entry.change, journal.entry.phase).await,
        Change::PutBack { .. } => super::put_back::settle(site, &mut journal).await,
    };
    let settled = settled.and_then(|line| journal.remove().map(|()| line));
    let _ = lock::release_names(site.admin, &names).await;
    match settled {
        Ok(line) => sweep.settled.push(format!("interrupted odoodb run {run} {line}")),
        Err(error) => sweep.problems.push(Problem::new(
            format!(
                "{described} (interrupted run {run}, journal {} kept): {}",
                journal_path.display(),
                crate::error::one_line(&error)
            ),
            Some(&entry.change),
        )),
    }
    let _ = lock::release(lock_holder, run).await;
}

/// The temporary names a change uses.
fn temporaries(change: &Change) -> Vec<String> {
    match change {
        Change::Install { building, previous, .. } => vec![building.clone(), previous.clone()],
        Change::Delete { aside, .. } => vec![aside.clone()],
        Change::Rename { .. } | Change::PutBack { .. } => Vec::new(),
    }
}

/// Temporaries no journal here accounts for: reported, never removed — they may belong to a
/// run that keeps its journal elsewhere (another data_dir), and may be the only copy.
async fn orphans(site: &Site<'_>, known: &HashSet<String>, sweep: &mut Sweep) {
    let mut found: Vec<String> = Vec::new();
    if let Ok(databases) = admin::list_database_names(site.admin).await {
        found.extend(
            databases
                .into_iter()
                .filter(|n| names::is_temporary(n) && !known.contains(n))
                .map(|n| format!("database {n}")),
        );
    }
    if let Ok(entries) = std::fs::read_dir(&site.filestore_root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if names::is_temporary(&name) && !known.contains(&name) {
                found.push(format!("folder {}", entry.path().display()));
            }
        }
    }
    let mut unclaimed = Vec::new();
    for what in found {
        // A live run whose journal is elsewhere (another data_dir) still holds its lock.
        let name = what.rsplit(['/', ' ']).next().unwrap_or_default();
        if let Some(run) = names::run_of(name) {
            match lock::try_acquire(site.admin, run).await {
                Ok(true) => {
                    let _ = lock::release(site.admin, run).await;
                }
                Ok(false) => continue,
                Err(_) => {}
            }
        }
        unclaimed.push(what);
    }
    for what in unclaimed {
        sweep.strangers.push(format!(
            "{what} is an odoodb temporary with no journal in this data directory: its COMMENT names the journal (run `odoodb recover` with that data_dir), or remove it by hand"
        ));
    }
}

/// Takes a dead run's lock. A run killed on this very host a moment ago (its process is gone)
/// may still hold it for as long as its server session takes to notice the closed connection:
/// that is waited out, a few seconds at most, rather than mistaken for a live run.
async fn acquire_from_the_dead(
    client: &tokio_postgres::Client,
    run: super::RunId,
    host: &str,
    pid: u32,
) -> anyhow::Result<bool> {
    let here = nix::unistd::gethostname().is_ok_and(|h| h.to_string_lossy() == host);
    let gone = here
        && i32::try_from(pid).is_ok_and(|pid| {
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None)
                == Err(nix::errno::Errno::ESRCH)
        });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if lock::try_acquire(client, run).await? {
            return Ok(true);
        }
        if !gone || std::time::Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
