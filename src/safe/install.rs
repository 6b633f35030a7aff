//! Install: a new database (and filestore folder) is built under temporary names, then takes
//! the target's name; an existing target (only with `replace`) is moved aside first and dropped
//! only once the new one is in place under both names.
//!
//! Commit order: old database aside, old folder aside, new folder in place, new database in
//! place — so the target name appears last, with its folder already there, and "the building
//! database is gone" means every step before it is done.
//!
//! Undo order: the commit's steps reversed, then the phase goes back to `Build` (journaled),
//! and only then are the temporaries removed — so recovery never mistakes a half-removed build
//! for a finished commit.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use super::journal::{Change, Journal, Phase, Service};
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

/// Starts an install of `target`; `replace` says an existing target may be replaced (it is
/// dropped once the new one is in place). Without it, a target that appears meanwhile stops the
/// install.
pub async fn begin<'s, 'a>(
    site: &'s Site<'a>,
    command: &str,
    target: &str,
    replace: bool,
    with_folder: bool,
) -> Result<Install<'s, 'a>> {
    let run = Run::begin(site, command, Phase::Build, |id| Change::Install {
        target: target.to_string(),
        building: id.temporary(Role::Building),
        previous: id.temporary(Role::Previous),
        replace,
        with_folder,
        keep_previous_as: None,
        reopen: false,
        service: None,
    })
    .await?;
    Ok(Install { run })
}

/// Starts the install of an upgraded `target` over the existing one, which is kept under
/// `keep_as` (database and folder) rather than dropped. The journal says, before the caller
/// closes `target` to connections, that they must be allowed again however this ends.
pub async fn begin_upgrade<'s, 'a>(
    site: &'s Site<'a>,
    command: &str,
    target: &str,
    keep_as: &str,
) -> Result<Install<'s, 'a>> {
    let run = Run::begin(site, command, Phase::Build, |id| Change::Install {
        target: target.to_string(),
        building: id.temporary(Role::Building),
        previous: id.temporary(Role::Previous),
        replace: true,
        with_folder: true,
        keep_previous_as: Some(keep_as.to_string()),
        reopen: true,
        service: None,
    })
    .await?;
    Ok(Install { run })
}

impl Install<'_, '_> {
    /// Records that `stopped_by` stopped the service (and `start_cmd` starts it), so a
    /// recovery of this change reminds whoever runs it to start the service again.
    pub async fn service_stopped(
        &mut self,
        stopped_by: &str,
        start_cmd: Option<&str>,
    ) -> Result<()> {
        self.run.service_stopped(stopped_by, start_cmd).await
    }

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
            "{} ({what}): temporary, do not use; journal {}",
            label_prefix(self.run.id()),
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
        reopen(self.run.site, self.run.change()).await?;
        self.run.end().await
    }

    /// Puts the finished build in place. A failure half way rolls every step back and removes
    /// the build, so the target is exactly what it was.
    pub async fn complete(mut self, end_target_sessions: bool) -> Result<Installed> {
        let site = self.run.site;
        let change = self.run.change().clone();
        // The files must be on disk before the change can be completed without them.
        sync_build(site, &change)?;
        self.run.set_phase(Phase::Commit).await?;
        if let Err(error) = commit(site, &change, end_target_sessions).await {
            let undone = async {
                roll_back(site, &change).await?;
                fault::step("install:undo")?;
                self.run.journal.set_phase(Phase::Build)?;
                remove_building(site, &change).await?;
                reopen(site, &change).await
            }
            .await;
            return Err(match undone {
                Ok(()) => {
                    self.run.end().await?;
                    error.context("putting the new copy in place failed; every step was undone")
                }
                Err(undo_error) => error.context(format!(
                    "putting the new copy in place failed, and undoing it failed too ({}); the next odoodb run settles it",
                    crate::error::one_line(&undo_error)
                )),
            });
        }
        self.run.set_phase(Phase::Finish).await?;
        if let Err(error) = finish(site, &change, self.run.id()).await {
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

fn label_prefix(run: super::RunId) -> String {
    format!("odoodb run {run}")
}

struct Names<'c> {
    target: &'c str,
    building: &'c str,
    previous: &'c str,
    replace: bool,
    with_folder: bool,
    keep_previous_as: Option<&'c str>,
    reopen: bool,
    service: Option<&'c Service>,
}

fn names(change: &Change) -> Option<Names<'_>> {
    match change {
        Change::Install {
            target,
            building,
            previous,
            replace,
            with_folder,
            keep_previous_as,
            reopen,
            service,
        } => Some(Names {
            target,
            building,
            previous,
            replace: *replace,
            with_folder: *with_folder,
            keep_previous_as: keep_previous_as.as_deref(),
            reopen: *reopen,
            service: service.as_ref(),
        }),
        _ => None,
    }
}

/// Allows connections again to what the change closed: the target (the original after an
/// undo, the new database after a commit, which never was closed). Never the kept original:
/// it stays closed (see `kept`).
async fn reopen(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    if !n.reopen {
        return Ok(());
    }
    for db in [n.target, n.previous] {
        if site.db_exists(db).await? {
            site.admin
                .batch_execute(&admin::allow_connections_sql(db, true))
                .await
                .with_context(|| format!("cannot open {db} to connections again"))?;
        }
    }
    Ok(())
}

/// Flushes the built folder's filesystem: copied files are not durable until then.
fn sync_build(site: &Site<'_>, change: &Change) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let dir = site.folder(n.building);
    if !n.with_folder || !dir.is_dir() {
        return Ok(());
    }
    let file =
        std::fs::File::open(&dir).with_context(|| format!("cannot open {}", dir.display()))?;
    nix::unistd::syncfs(&file).with_context(|| format!("cannot sync {}", dir.display()))
}

/// Each step runs only where the state shows it has not run yet, so this also completes a
/// commit that a dead run left half way. While the new database still has its temporary name,
/// nothing after it is done, and whatever has the target's name is the old one.
async fn commit(site: &Site<'_>, change: &Change, end_target_sessions: bool) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let (target_dir, building_dir, previous_dir) =
        (site.folder(n.target), site.folder(n.building), site.folder(n.previous));
    let new_db_waiting = site.db_exists(n.building).await?;
    // With a folder of its own, the new copy's folder is in the target's place once it has left
    // its temporary name; without one, nothing new ever is.
    let old_folder_in_place = new_db_waiting && (!n.with_folder || present(&building_dir));

    fault::step("install:old-database-aside")?;
    if new_db_waiting && site.db_exists(n.target).await? {
        if !n.replace {
            bail!("{} was created by someone else while the copy was being made", n.target);
        }
        run_freeing(
            site.admin,
            n.target,
            &admin::rename_sql(n.target, n.previous),
            end_target_sessions,
        )
        .await?;
    }
    fault::step("install:old-folder-aside")?;
    if old_folder_in_place && present(&target_dir) && !present(&previous_dir) {
        if !n.replace {
            bail!("a folder {} appeared while the copy was being made", target_dir.display());
        }
        move_folder(&target_dir, &previous_dir)?;
    }
    fault::step("install:new-folder-in-place")?;
    if new_db_waiting && n.with_folder && present(&building_dir) {
        move_folder(&building_dir, &target_dir)?;
    }
    fault::step("install:new-database-in-place")?;
    if new_db_waiting {
        // Only odoodb's own probes (a `list` of every database) ever connect to a temporary:
        // they are waited out or ended, never a reason to undo the swap.
        run_freeing(site.admin, n.building, &admin::rename_sql(n.building, n.target), true)
            .await
            .context("cannot give the new database its name")?;
    }
    fault::step("install:committed")?;
    Ok(())
}

/// The steps of `commit` undone, last first, each only where it had happened. Only ever run
/// while the journal says `Commit`: the building database has not been removed by an undo, so
/// its absence means the new database had taken the target's name.
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
    super::drop_database(site, n.building).await.context("cannot drop the temporary database")?;
    fault::step("install:remove-building-folder")?;
    crate::filestore::remove(&site.folder(n.building))
}

/// Drops the previous target (or gives it the name it is kept under): it is replaced under
/// both names by now. Also takes the temporary's label off the new database.
async fn finish(site: &Site<'_>, change: &Change, run: super::RunId) -> Result<()> {
    let Some(n) = names(change) else { return Ok(()) };
    let label = client_label(site, n.target).await?;
    if label.is_some_and(|text| text.starts_with(&label_prefix(run))) {
        site.admin
            .batch_execute(&format!("COMMENT ON DATABASE {} IS NULL", quote_ident(n.target)))
            .await
            .context("cannot take the temporary label off the new database")?;
    }
    if let Some(kept) = n.keep_previous_as {
        fault::step("install:keep-previous")?;
        if site.db_exists(n.previous).await? {
            run_freeing(site.admin, n.previous, &admin::rename_sql(n.previous, kept), true)
                .await
                .with_context(|| format!("cannot give the previous database the name {kept}"))?;
        }
        // Production's twin runs nothing: closed, and marked for `upgrade rollback`, before
        // anything else can stop this (a marked twin is listed, an unmarked closed one not).
        fault::step("install:close-kept")?;
        if site.db_exists(kept).await? {
            let twin = super::kept::Twin::Original { of: n.target.to_string() };
            super::kept::close(site.admin, kept, &twin).await?;
        }
        fault::step("install:keep-previous-folder")?;
        let (from, to) = (site.folder(n.previous), site.folder(kept));
        if present(&from) {
            if present(&to) {
                // Never leave the original's files under a temporary name nobody tracks.
                bail!(
                    "the previous folder {} cannot take the name {}: something else is there",
                    from.display(),
                    to.display()
                );
            }
            move_folder(&from, &to)?;
        }
        return reopen(site, change).await;
    }
    fault::step("install:drop-previous")?;
    super::drop_database(site, n.previous).await.context("cannot drop the previous database")?;
    fault::step("install:remove-previous-folder")?;
    crate::filestore::remove(&site.folder(n.previous))
}

async fn client_label(site: &Site<'_>, db: &str) -> Result<Option<String>> {
    let row = site
        .admin
        .query_opt(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            &[&db],
        )
        .await
        .context("cannot read the database's comment")?;
    Ok(row.and_then(|row| row.get(0)))
}

/// Recovery of a dead run's install: a build is removed, a commit completed (or, if it cannot
/// be and had not got to the new database's name, rolled back), a finish finished. When the run
/// had stopped the Odoo service, the line says it must be started again: recovery reopens the
/// database, it does not start services.
pub async fn settle(site: &Site<'_>, journal: &mut Journal) -> Result<String> {
    let line = settle_change(site, journal).await?;
    let change = &journal.entry.change;
    let Some((n, service)) = names(change).and_then(|n| n.service.map(|s| (n, s))) else {
        return Ok(line);
    };
    let start = match &service.start_cmd {
        Some(command) => format!("start it again: {command}"),
        None => "start it again (no --start-cmd was given)".to_string(),
    };
    Ok(format!(
        "{line}; {} is open to connections again, but the Odoo service that --stop-cmd ({}) stopped is still stopped: {start}",
        n.target, service.stopped_by
    ))
}

async fn settle_change(site: &Site<'_>, journal: &mut Journal) -> Result<String> {
    let change = journal.entry.change.clone();
    let run = journal.entry.run;
    match journal.entry.phase {
        Phase::Build => {
            remove_building(site, &change).await?;
            reopen(site, &change).await?;
            Ok(format!("{}: unfinished copy removed, nothing else had changed", change.describe()))
        }
        Phase::Commit => {
            if let Err(error) = commit(site, &change, true).await {
                let Some(n) = names(&change) else { return Err(error) };
                if !site.db_exists(n.building).await? {
                    // The new database has its name: only forward is safe.
                    return Err(error);
                }
                roll_back(site, &change).await.with_context(|| {
                    format!(
                        "completing it failed ({}), and so did undoing it",
                        crate::error::one_line(&error)
                    )
                })?;
                journal.set_phase(Phase::Build)?;
                remove_building(site, &change).await?;
                reopen(site, &change).await?;
                return Ok(format!(
                    "{}: could not be completed ({}), so it was undone",
                    change.describe(),
                    crate::error::one_line(&error)
                ));
            }
            journal.set_phase(Phase::Finish)?;
            finish(site, &change, run).await?;
            Ok(format!("{}: completed (the new copy was whole)", change.describe()))
        }
        Phase::Finish => {
            finish(site, &change, run).await?;
            let fate = match names(&change).and_then(|n| n.keep_previous_as) {
                Some(kept) => format!("previous copy kept as {kept}"),
                None => "previous copy removed".to_string(),
            };
            Ok(format!("{}: {fate}", change.describe()))
        }
    }
}
