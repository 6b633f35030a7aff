//! Put back: the kept original of a database (see `kept`) takes its name again, database and
//! folder, and what had the name (the upgraded one) is set aside under another — closed and
//! marked — or, when asked, dropped once the original is in place.
//!
//! Commit order: the upgraded database aside, its folder aside, the original's folder in place,
//! the original database in place; then the name opened, the one aside closed. Each step runs
//! only where the state shows it has not, so a dead run's commit is completed by recovery (or,
//! when it cannot be and the original had not taken the name yet, rolled back). Before the
//! commit, the only change is the target closed to connections: recovery opens it again.

use anyhow::{Context as _, Result};

use super::journal::{Change, Phase};
use super::kept::{self, Twin};
use super::{Run, Site, move_folder, present, run_freeing};
use crate::fault;
use crate::pg::admin;

/// The names of a put-back.
struct Names<'c> {
    target: &'c str,
    original: &'c str,
    aside: &'c str,
    drop_aside: bool,
}

fn names(change: &Change) -> Option<Names<'_>> {
    match change {
        Change::PutBack { target, original, aside, drop_aside, .. } => {
            Some(Names { target, original, aside, drop_aside: *drop_aside })
        }
        _ => None,
    }
}

pub struct PuttingBack<'s, 'a> {
    run: Run<'s, 'a>,
}

/// Starts putting `original` back as `target`, `target` going to `aside`.
pub async fn begin<'s, 'a>(
    site: &'s Site<'a>,
    command: &str,
    target: &str,
    original: &str,
    aside: &str,
    drop_aside: bool,
) -> Result<PuttingBack<'s, 'a>> {
    let run = Run::begin(site, command, Phase::Build, |_| Change::PutBack {
        target: target.to_string(),
        original: original.to_string(),
        aside: aside.to_string(),
        drop_aside,
        service: None,
    })
    .await?;
    // Checked again now that the names are this run's: since the plan, another run may have
    // put the original back, or someone may have deleted or renamed it.
    if let Err(error) = require_in_place(site, target, original, aside).await {
        run.end().await?;
        return Err(error);
    }
    Ok(PuttingBack { run })
}

/// The target and the original are there, the aside name is free, and the original has its
/// folder where the target has one (a database renamed by hand leaves its folder behind: put
/// back without it, production would come back without its files).
async fn require_in_place(
    site: &Site<'_>,
    target: &str,
    original: &str,
    aside: &str,
) -> Result<()> {
    let refuse = |message: String| -> Result<()> {
        Err(crate::error::Failure::failed(message).unchanged().into())
    };
    for db in [target, original] {
        if !site.db_exists(db).await? {
            return refuse(format!("{db} is gone since the plan was made; nothing was changed"));
        }
    }
    if site.db_exists(aside).await? || present(&site.folder(aside)) {
        return refuse(format!("{aside} was taken since the plan was made; nothing was changed"));
    }
    let (original_dir, target_dir) = (site.folder(original), site.folder(target));
    if !present(&original_dir) && present(&target_dir) {
        return refuse(format!(
            "the kept original {original} has no filestore folder ({}) while {target} has one: if the database was renamed by hand, give its folder the same name; nothing was changed",
            original_dir.display()
        ));
    }
    Ok(())
}

impl PuttingBack<'_, '_> {
    /// Records that `stopped_by` stopped the service, for a recovery to say so.
    pub async fn service_stopped(
        &mut self,
        stopped_by: &str,
        start_cmd: Option<&str>,
    ) -> Result<()> {
        self.run.service_stopped(stopped_by, start_cmd).await
    }

    /// Gives up before the commit: the target is opened again, nothing else had changed.
    pub async fn abandon(self) -> Result<()> {
        if let Some(n) = names(self.run.change()) {
            open_target(self.run.site, n.target).await?;
        }
        self.run.end().await
    }

    /// Closes the target and ends its sessions, then swaps; a failure before the original has
    /// the name puts every step back. With `drop_aside`, the upgraded database goes once the
    /// original is in place; when that fails, what is left is said (`Some`), not an error.
    pub async fn complete(mut self) -> Result<Option<String>> {
        let site = self.run.site;
        let change = self.run.change().clone();
        let Some(n) = names(&change) else { return self.run.end().await.map(|()| None) };
        site.admin
            .batch_execute(&admin::allow_connections_sql(n.target, false))
            .await
            .with_context(|| format!("cannot close {} to connections", n.target))?;
        fault::step("put-back:closed")?;
        self.run.set_phase(Phase::Commit).await?;
        if let Err(error) = commit(site, &change).await {
            if !site.db_exists(n.original).await? {
                // The original has the name: only forward is safe, as recovery does.
                return Err(error.context(format!(
                    "{} is back as {}, but the last steps failed; the next odoodb run completes them",
                    n.original, n.target
                )));
            }
            let undone = async {
                roll_back(site, &change).await?;
                self.run.journal.set_phase(Phase::Build)?;
                open_target(site, n.target).await
            }
            .await;
            return Err(match undone {
                Ok(()) => {
                    self.run.end().await?;
                    error.context(format!(
                        "putting {} back failed; every step was undone",
                        n.original
                    ))
                }
                Err(undo) => error.context(format!(
                    "putting {} back failed, and undoing it failed too ({}); the next odoodb run settles it",
                    n.original,
                    crate::error::one_line(&undo)
                )),
            });
        }
        self.run.set_phase(Phase::Finish).await?;
        if let Err(error) = finish(site, &change).await {
            // The rollback is done; what is left is removed by the next run (journaled).
            return Ok(Some(format!(
                "{} is back as {}, but the upgraded database {} could not be dropped ({}); the next odoodb run drops it",
                n.original,
                n.target,
                n.aside,
                crate::error::one_line(&error)
            )));
        }
        self.run.end().await?;
        Ok(None)
    }
}

async fn open_target(site: &Site<'_>, target: &str) -> Result<()> {
    if site.db_exists(target).await? {
        site.admin
            .batch_execute(&admin::allow_connections_sql(target, true))
            .await
            .with_context(|| format!("cannot open {target} to connections again"))?;
    }
    Ok(())
}

/// The swap, each step where it has not happened. While the original still has its kept
/// name, the original's database has not moved: that is what the steps read.
async fn commit(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let (target_dir, original_dir, aside_dir) =
        (site.folder(n.target), site.folder(n.original), site.folder(n.aside));
    let original_waiting = site.db_exists(n.original).await?;
    fault::step("put-back:upgraded-aside")?;
    if original_waiting && site.db_exists(n.target).await? && !site.db_exists(n.aside).await? {
        run_freeing(site.admin, n.target, &admin::rename_sql(n.target, n.aside), true).await?;
    }
    fault::step("put-back:upgraded-folder-aside")?;
    // The target's folder is the upgraded one's while the original's is still in its place.
    if original_waiting && present(&original_dir) && present(&target_dir) && !present(&aside_dir) {
        move_folder(&target_dir, &aside_dir)?;
    }
    fault::step("put-back:original-folder-in-place")?;
    if original_waiting && present(&original_dir) && !present(&target_dir) {
        move_folder(&original_dir, &target_dir)?;
    }
    fault::step("put-back:original-in-place")?;
    if original_waiting && !site.db_exists(n.target).await? {
        run_freeing(site.admin, n.original, &admin::rename_sql(n.original, n.target), true)
            .await
            .with_context(|| format!("cannot give {} the name {}", n.original, n.target))?;
    }
    fault::step("put-back:committed")?;
    kept::reopen(site.admin, n.target).await?;
    if site.db_exists(n.aside).await? {
        kept::close(site.admin, n.aside, &Twin::Upgraded { of: n.target.to_string() }).await?;
    }
    Ok(())
}

/// The steps of `commit` undone, last first, each only where it had happened.
async fn roll_back(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let (target_dir, original_dir, aside_dir) =
        (site.folder(n.target), site.folder(n.original), site.folder(n.aside));
    if !site.db_exists(n.original).await? && site.db_exists(n.target).await? {
        run_freeing(site.admin, n.target, &admin::rename_sql(n.target, n.original), true).await?;
    }
    // Where the target has a folder, the original has one until it moves
    // (`require_in_place`): its absence means it moved.
    if !present(&original_dir) && present(&target_dir) {
        move_folder(&target_dir, &original_dir)?;
    }
    if present(&aside_dir) && !present(&target_dir) {
        move_folder(&aside_dir, &target_dir)?;
    }
    if site.db_exists(n.aside).await? && !site.db_exists(n.target).await? {
        site.admin.batch_execute(&admin::rename_sql(n.aside, n.target)).await?;
    }
    if site.db_exists(n.original).await? {
        kept::close(site.admin, n.original, &Twin::Original { of: n.target.to_string() }).await?;
    }
    Ok(())
}

/// Drops the upgraded database set aside, when asked: the original is in place by now.
async fn finish(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    if !n.drop_aside {
        return Ok(());
    }
    fault::step("put-back:drop-upgraded")?;
    super::drop_database(site, n.aside).await.context("cannot drop the upgraded database")?;
    crate::filestore::remove(&site.folder(n.aside))
}

/// Recovery of a dead run's put-back.
pub async fn settle(site: &Site<'_>, journal: &mut super::journal::Journal) -> Result<String> {
    let change = journal.entry.change.clone();
    let Some(n) = names(&change) else { return Ok(String::new()) };
    let line = match journal.entry.phase {
        Phase::Build => {
            open_target(site, n.target).await?;
            format!("{}: had not begun; {} is open again", change.describe(), n.target)
        }
        Phase::Commit => {
            if let Err(error) = commit(site, &change).await {
                if !site.db_exists(n.original).await? {
                    // The original has its name: only forward is safe.
                    return Err(error);
                }
                roll_back(site, &change).await?;
                journal.set_phase(Phase::Build)?;
                open_target(site, n.target).await?;
                return Ok(format!(
                    "{}: could not be completed ({}), so it was undone",
                    change.describe(),
                    crate::error::one_line(&error)
                ));
            }
            journal.set_phase(Phase::Finish)?;
            finish(site, &change).await?;
            format!("{}: completed", change.describe())
        }
        Phase::Finish => {
            finish(site, &change).await?;
            format!("{}: completed", change.describe())
        }
    };
    let Change::PutBack { service: Some(service), .. } = &change else { return Ok(line) };
    let start = service.start_cmd.as_deref().map_or_else(
        || "start it again (no --start-cmd was given)".to_string(),
        |command| format!("start it again: {command}"),
    );
    Ok(format!(
        "{line}; the Odoo service that --stop-cmd ({}) stopped is still stopped: {start}",
        service.stopped_by
    ))
}
