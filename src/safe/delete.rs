//! Delete: the filestore folder is moved aside, the database dropped, then the folder removed.
//! Whether the drop happened is always read back from the server, never assumed: a drop
//! interrupted half way can leave the database gone, still there, or invalid (PostgreSQL 15+
//! marks it so, and it can then only be dropped), and the folder follows what really happened.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use super::journal::{Change, Phase};
use super::names::Role;
use super::{Run, Site, move_folder, present};
use crate::fault;
use crate::pg::admin::{self, DatabaseState};

pub struct Deleting<'s, 'a> {
    run: Run<'s, 'a>,
}

/// What a delete came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The database is gone; `folder_removed` says whether its folder went too (else it waits,
    /// aside, for the next run, and `leftover` says why).
    Dropped { folder_removed: bool, leftover: Option<String> },
    /// The database is still there (the drop failed or was cancelled in time); its folder is
    /// back in place.
    Kept,
}

pub async fn begin<'s, 'a>(
    site: &'s Site<'a>,
    command: &str,
    database: &str,
    with_folder: bool,
) -> Result<Deleting<'s, 'a>> {
    let run = Run::begin(site, command, Phase::Commit, |id| Change::Delete {
        database: database.to_string(),
        aside: id.temporary(Role::Deleting),
        with_folder,
    })
    .await?;
    Ok(Deleting { run })
}

impl Deleting<'_, '_> {
    fn names(&self) -> (String, PathBuf, PathBuf, bool) {
        match self.run.change() {
            Change::Delete { database, aside, with_folder } => (
                database.clone(),
                self.run.site.folder(database),
                self.run.site.folder(aside),
                *with_folder,
            ),
            _ => (String::new(), PathBuf::new(), PathBuf::new(), false),
        }
    }

    /// Moves the folder out of the way first, so a drop that does not happen can put it back
    /// untouched.
    pub fn set_folder_aside(&self) -> Result<()> {
        let (_, folder, aside, with_folder) = self.names();
        fault::step("delete:folder-aside")?;
        if with_folder {
            move_folder(&folder, &aside)?;
        }
        fault::step("delete:drop")?;
        Ok(())
    }

    /// After the drop was sent (whatever it answered): finishes or puts the folder back,
    /// following what the server says now.
    pub async fn conclude(mut self) -> Result<Outcome> {
        let (database, _, aside, _) = self.names();
        let site = self.run.site;
        let change = self.run.change().clone();
        if drop_if_needed(site, &database).await? == DatabaseState::Valid {
            put_back(site, &change)?;
            self.run.end().await?;
            return Ok(Outcome::Kept);
        }
        self.run.set_phase(Phase::Finish).await?;
        fault::step("delete:remove-folder")?;
        if let Err(error) = crate::filestore::remove(&aside) {
            return Ok(Outcome::Dropped {
                folder_removed: false,
                leftover: Some(format!(
                    "the database is dropped, but its filestore (moved to {}) could not be removed ({}); the next odoodb run removes it",
                    aside.display(),
                    crate::error::one_line(&error)
                )),
            });
        }
        self.run.end().await?;
        Ok(Outcome::Dropped { folder_removed: true, leftover: None })
    }
}

/// Finishes off a database an interrupted drop left invalid; returns what is there now.
async fn drop_if_needed(site: &Site<'_>, database: &str) -> Result<DatabaseState> {
    let state = admin::database_state(site.admin, database).await?;
    if state == DatabaseState::Invalid {
        super::drop_database(site, database)
            .await
            .context("cannot finish dropping the invalid database")?;
        return admin::database_state(site.admin, database).await;
    }
    Ok(state)
}

/// Puts the folder back; if something made a new one meanwhile (Odoo writes assets as soon as
/// it serves the database), the set-aside files are merged back into it.
fn put_back(site: &Site<'_>, change: &Change) -> Result<()> {
    let Change::Delete { database, aside, .. } = change else { return Ok(()) };
    let (folder, aside) = (site.folder(database), site.folder(aside));
    if !present(&aside) {
        return Ok(());
    }
    if present(&folder) {
        crate::filestore::merge_into(&aside, &folder)
    } else {
        move_folder(&aside, &folder)
    }
}

/// Recovery of a dead run's delete.
pub async fn settle(site: &Site<'_>, change: &Change, phase: Phase) -> Result<String> {
    let Change::Delete { database, aside, .. } = change else { return Ok(String::new()) };
    if phase == Phase::Commit && drop_if_needed(site, database).await? == DatabaseState::Valid {
        put_back(site, change)?;
        return Ok(format!(
            "{}: the database was not dropped; its filestore is back",
            change.describe()
        ));
    }
    crate::filestore::remove(&site.folder(aside))?;
    Ok(format!(
        "{}: completed (the database was dropped; its filestore is removed)",
        change.describe()
    ))
}
