//! Rename: a database and its filestore folder take a new name together, or neither does.
//! The database goes first (the step that can be refused, by sessions or rights), the folder
//! second; a dead run is completed when its database already has the new name, and rolled back
//! when it does not.

use anyhow::Result;

use super::journal::{Change, Phase};
use super::{Run, Site, move_folder, present, run_freeing};
use crate::cancel::Cancel;
use crate::fault;
use crate::pg::{self, admin};

pub struct Renaming<'s, 'a> {
    run: Run<'s, 'a>,
}

pub async fn begin<'s, 'a>(
    site: &'s Site<'a>,
    command: &str,
    old: &str,
    new: &str,
    with_folder: bool,
) -> Result<Renaming<'s, 'a>> {
    let run = Run::begin(site, command, Phase::Commit, |_| Change::Rename {
        old: old.to_string(),
        new: new.to_string(),
        with_folder,
    })
    .await?;
    Ok(Renaming { run })
}

impl Renaming<'_, '_> {
    /// Renames both; on failure puts back whatever moved. Ctrl-C (`cancel`) cancels the
    /// rename while it waits (on a lock, say); one that came too late completes the change.
    pub async fn complete(self, end_sessions: bool, cancel: &Cancel) -> Result<()> {
        let site = self.run.site;
        let Change::Rename { old, new, with_folder } = self.run.change().clone() else {
            return self.run.end().await;
        };
        // Claimed now, but someone may have taken the new name since it was checked.
        if site.db_exists(&new).await? || present(&site.folder(&new)) {
            self.run.end().await?;
            return Err(crate::error::Failure::failed(format!(
                "{new} was taken (a database or a folder) while this run was starting"
            ))
            .unchanged()
            .into());
        }
        fault::step("rename:database")?;
        let sql = admin::rename_sql(&old, &new);
        let renamed = admin::retry_in_use(site.admin, &old, end_sessions, || {
            let statement = async { site.admin.batch_execute(&sql).await.map_err(Into::into) };
            pg::interruptible(cancel, site.params, site.admin.cancel_token(), statement)
        })
        .await;
        // What the server did is what counts: a cancel can arrive after the rename is done.
        if let Err(error) = renamed
            && (!cancel.is_set() || !site.db_exists(&new).await? || site.db_exists(&old).await?)
        {
            self.run.end().await?;
            return Err(error.context(format!("renaming {old} failed; nothing was changed")));
        }
        let moved = fault::step("rename:folder").and_then(|()| {
            if with_folder { move_folder(&site.folder(&old), &site.folder(&new)) } else { Ok(()) }
        });
        if let Err(error) = moved {
            return match run_freeing(site.admin, &new, &admin::rename_sql(&new, &old), true).await
            {
                Ok(()) => {
                    self.run.end().await?;
                    Err(error.context(format!(
                        "moving the filestore failed, so the database was renamed back to {old}; nothing was changed"
                    )))
                }
                Err(back) => Err(error.context(format!(
                    "moving the filestore failed, and renaming the database back failed too ({}); the next odoodb run puts them together",
                    crate::error::one_line(&back)
                ))),
            };
        }
        fault::step("rename:done")?;
        self.run.end().await
    }
}

/// Recovery of a dead run's rename.
pub async fn settle(site: &Site<'_>, change: &Change) -> Result<String> {
    let Change::Rename { old, new, with_folder } = change else { return Ok(String::new()) };
    let (old_dir, new_dir) = (site.folder(old), site.folder(new));
    let renamed = site.db_exists(new).await? && !site.db_exists(old).await?;
    if renamed {
        if *with_folder && present(&old_dir) && present(&new_dir) {
            anyhow::bail!(
                "the database is {new}, but there are folders at both {} and {}: move the files of the old one into the new one (they are named by content), remove it, and run `odoodb recover`",
                old_dir.display(),
                new_dir.display()
            );
        }
        if *with_folder
            && present(&old_dir)
            && !present(&new_dir)
            && let Err(error) = move_folder(&old_dir, &new_dir)
        {
            run_freeing(site.admin, new, &admin::rename_sql(new, old), true).await?;
            return Ok(format!(
                "{}: the folder could not follow ({}), so the database was renamed back",
                change.describe(),
                crate::error::one_line(&error)
            ));
        }
        return Ok(format!("{}: completed", change.describe()));
    }
    if *with_folder && present(&new_dir) && !present(&old_dir) {
        move_folder(&new_dir, &old_dir)?;
    }
    Ok(format!("{}: had not happened; nothing is changed", change.describe()))
}
