//! Install: a new database (and filestore folder) is built under temporary names, then takes
//! the target's name; an existing target is moved aside first and dropped only once the new one
//! is in place under both names (or kept, when the caller names where).
//!
//! Commit order: old database aside, old folder aside, new folder in place, new database in
//! place — so the target name appears last, with its folder already there.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use super::journal::{Change, Phase};
use super::names::Role;
use super::{Run, Site, move_folder, present, run_freeing};
use crate::fault;
use crate::pg::{admin, quote_ident, quote_literal};

/// An install in progress.
pub struct Install<'s, 'a> {
    run: Run<'s, 'a>,
}

/// What the end of an install left to say.
#[derive(Debug, Default)]
pub struct Installed {
    /// Set when the previous target could not be removed (the next run removes it).
    pub leftover: Option<String>,
}

/// Starts an install of `target`; `keep_previous` names where an existing target is kept
/// (otherwise it is dropped once replaced).
pub async fn begin<'s, 'a>(
    site: &'s Site<'a>,
    command: &str,
    target: &str,
    keep_previous: Option<&str>,
    with_folder: bool,
) -> Result<Install<'s, 'a>> {
    let run = Run::begin(site, command, Phase::Build, |id| Change::Install {
        target: target.to_string(),
        building: id.temporary(Role::Building),
        previous: keep_previous.map_or_else(|| id.temporary(Role::Previous), String::from),
        keep_previous: keep_previous.is_some(),
        with_folder,
    })
    .await?;
    Ok(Install { run })
}

impl Install<'_, '_> {
    /// The temporary database to build.
    pub fn building(&self) -> &str {
        match self.run.change() {
            Change::Install { building, .. } => building,
            _ => "",
        }
    }

    /// The temporary folder to build the filestore in.
    pub fn building_folder(&self) -> PathBuf {
        self.run.site.folder(self.building())
    }

    /// Says on the temporary database what it is, for anyone looking at the server.
    pub async fn label_building(&self, what: &str) -> Result<()> {
        let text = format!(
            "odoodb run {} ({what}): temporary, do not use; journal {}",
            self.run.id(),
            self.run.journal_path().display()
        );
        self.run
            .site
            .admin
            .batch_execute(&format!(
                "COMMENT ON DATABASE {} IS {}",
                quote_ident(self.building()),
                quote_literal(&text)
            ))
            .await
            .context("cannot label the temporary database")
    }

    /// Gives up: the temporaries go, nothing the user has was touched.
    pub async fn abandon(self) -> Result<()> {
        remove_building(self.run.site, self.run.change()).await?;
        self.run.end().await
    }

    /// Puts the finished build in place. A failure half way rolls every step back and removes
    /// the build, so the target is exactly what it was.
    pub async fn complete(mut self, end_target_sessions: bool) -> Result<Installed> {
        let site = self.run.site;
        self.run.set_phase(Phase::Commit).await?;
        let change = self.run.change().clone();
        if let Err(error) = commit(site, &change, end_target_sessions).await {
            let undone = async {
                roll_back(site, &change).await?;
                remove_building(site, &change).await
            }
            .await;
            return Err(match undone {
                Ok(()) => {
                    self.run.end().await?;
                    error.context("putting the new copy in place failed; every step was undone")
                }
                Err(undo_error) => error.context(format!(
                    "putting the new copy in place failed, and undoing it failed too ({}); the next odoodb run completes it",
                    crate::error::one_line(&undo_error)
                )),
            });
        }
        self.run.set_phase(Phase::Finish).await?;
        if let Err(error) = finish(site, &change).await {
            return Ok(Installed {
                leftover: Some(format!(
                    "the new copy is in place, but the previous one could not be removed ({}); the next odoodb run removes it",
                    crate::error::one_line(&error)
                )),
            });
        }
        self.run.end().await?;
        Ok(Installed::default())
    }
}

struct Names<'c> {
    target: &'c str,
    building: &'c str,
    previous: &'c str,
    keep_previous: bool,
    with_folder: bool,
}

fn names(change: &Change) -> Option<Names<'_>> {
    match change {
        Change::Install { target, building, previous, keep_previous, with_folder } => Some(Names {
            target,
            building,
            previous,
            keep_previous: *keep_previous,
            with_folder: *with_folder,
        }),
        _ => None,
    }
}

/// Each step runs only if the state shows it has not run yet, so this also completes a commit
/// that a dead run left half way.
async fn commit(site: &Site<'_>, change: &Change, end_target_sessions: bool) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let (target_dir, building_dir, previous_dir) =
        (site.folder(n.target), site.folder(n.building), site.folder(n.previous));
    // While the build still has its temporary name, whatever has the target's name is the old one.
    let new_db_waiting = site.db_exists(n.building).await?;

    fault::step("install:old-database-aside")?;
    if new_db_waiting && site.db_exists(n.target).await? {
        run_freeing(
            site.admin,
            n.target,
            &admin::rename_sql(n.target, n.previous),
            end_target_sessions,
        )
        .await?;
    }
    fault::step("install:old-folder-aside")?;
    let old_folder_in_target = if n.with_folder { present(&building_dir) } else { new_db_waiting };
    if old_folder_in_target && present(&target_dir) && !present(&previous_dir) {
        move_folder(&target_dir, &previous_dir)?;
    }
    fault::step("install:new-folder-in-place")?;
    if n.with_folder && present(&building_dir) {
        move_folder(&building_dir, &target_dir)?;
    }
    fault::step("install:new-database-in-place")?;
    if new_db_waiting {
        site.admin
            .batch_execute(&admin::rename_sql(n.building, n.target))
            .await
            .context("cannot give the new database its name")?;
    }
    fault::step("install:committed")?;
    Ok(())
}

/// The steps of `commit` undone, last first, each only where it had happened.
async fn roll_back(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let (target_dir, building_dir, previous_dir) =
        (site.folder(n.target), site.folder(n.building), site.folder(n.previous));
    if !site.db_exists(n.building).await? && site.db_exists(n.target).await? {
        run_freeing(site.admin, n.target, &admin::rename_sql(n.target, n.building), true).await?;
    }
    if n.with_folder && !present(&building_dir) && present(&target_dir) {
        move_folder(&target_dir, &building_dir)?;
    }
    if present(&previous_dir) && !present(&target_dir) {
        move_folder(&previous_dir, &target_dir)?;
    }
    if site.db_exists(n.previous).await? && !site.db_exists(n.target).await? {
        site.admin.batch_execute(&admin::rename_sql(n.previous, n.target)).await?;
    }
    Ok(())
}

async fn remove_building(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    site.admin
        .batch_execute(&admin::drop_sql(n.building, true))
        .await
        .context("cannot drop the temporary database")?;
    crate::filestore::remove(&site.folder(n.building))
}

/// Drops the previous target (unless kept): it is replaced under both names by now.
async fn finish(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    if n.keep_previous {
        return Ok(());
    }
    fault::step("install:drop-previous")?;
    site.admin
        .batch_execute(&admin::drop_sql(n.previous, true))
        .await
        .context("cannot drop the previous database")?;
    fault::step("install:remove-previous-folder")?;
    crate::filestore::remove(&site.folder(n.previous))
}

/// Recovery of a dead run's install: a build is removed, a commit completed (or, if it cannot
/// be, rolled back), a finish finished.
pub async fn settle(site: &Site<'_>, change: &Change, phase: Phase) -> Result<String> {
    match phase {
        Phase::Build => {
            remove_building(site, change).await?;
            Ok(format!("{}: unfinished copy removed, nothing else had changed", change.describe()))
        }
        Phase::Commit => {
            if let Err(error) = commit(site, change, true).await {
                roll_back(site, change).await.with_context(|| {
                    format!(
                        "completing it failed ({}), and so did undoing it",
                        crate::error::one_line(&error)
                    )
                })?;
                remove_building(site, change).await?;
                return Ok(format!(
                    "{}: could not be completed ({}), so it was undone",
                    change.describe(),
                    crate::error::one_line(&error)
                ));
            }
            finish(site, change).await?;
            Ok(format!("{}: completed (the new copy was whole)", change.describe()))
        }
        Phase::Finish => {
            finish(site, change).await?;
            Ok(format!("{}: previous copy removed", change.describe()))
        }
    }
}
