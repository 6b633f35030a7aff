//! Backups of a database in a folder, by their name, and `--keep`: which would go once a new
//! one exists (`would_prune`, also for `--dry-run`), and their removal (`prune`).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::policy::{Policy, kept};
use crate::error::usage_error;

/// The formats' extensions, as backup names end (before `.age`, when encrypted).
const EXTENSIONS: [&str; 3] = ["tar.gz", "zip", "dump"];

/// A name without its `.age` (an encrypted backup's), and whether it had one.
fn unsealed(file_name: &str) -> (&str, bool) {
    match file_name.strip_suffix(".age") {
        Some(name) => (name, true),
        None => (file_name, false),
    }
}

/// A backup file name of `db`: `<db>_<YYYY-mm-dd_HH-MM-SS>.<tar.gz|zip|dump>[.age]`, Odoo's
/// download name (encrypted: with `.age`); returns its time.
pub fn backup_time(db: &str, file_name: &str) -> Option<chrono::NaiveDateTime> {
    let rest = unsealed(file_name).0.strip_prefix(db)?.strip_prefix('_')?;
    let stamp = EXTENSIONS.iter().find_map(|ext| rest.strip_suffix(ext)?.strip_suffix('.'))?;
    if stamp.len() != 19 {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").ok()
}

/// Whether a backup's name says it is encrypted (age): it ends in `.age`.
pub fn encrypted_name(file_name: &str) -> bool {
    unsealed(file_name).1
}

/// A backup file name of any database (encrypted or not): `(db, time, extension)`.
pub fn parse_backup_name(file_name: &str) -> Option<(String, chrono::NaiveDateTime, &'static str)> {
    let file_name = unsealed(file_name).0;
    let (rest, ext) = EXTENSIONS
        .iter()
        .find_map(|ext| Some((file_name.strip_suffix(ext)?.strip_suffix('.')?, *ext)))?;
    let split = rest.len().checked_sub(20)?;
    let (db, stamp) = (rest.get(..split)?, rest.get(split..)?.strip_prefix('_')?);
    let time = chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").ok()?;
    (!db.is_empty()).then(|| (db.to_string(), time, ext))
}

/// Every backup in `dir` by its name, newest first.
pub fn all_backups(dir: &Path) -> Result<Vec<Found>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut found: Vec<Found> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let (database, time, format) = parse_backup_name(&name)?;
            let encrypted = encrypted_name(&name);
            let bytes = entry.metadata().ok()?.len();
            Some(Found { database, time, format, encrypted, path: entry.path(), bytes })
        })
        .collect();
    found.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.database.cmp(&b.database)));
    Ok(found)
}

/// Every backup under an object-storage prefix by its name, newest first.
pub async fn all_backups_under(
    ctx: &crate::context::Context,
    prefix: &crate::objects::Address,
) -> Result<Vec<Found>> {
    let store = crate::objects::store(&ctx.config.settings.backup.s3, prefix)?;
    let mut found: Vec<Found> =
        crate::objects::or_cancel(&ctx.cancel, crate::objects::list(&store, prefix))
            .await?
            .into_iter()
            .filter_map(|listed| {
                let name = listed.address.name();
                let (database, time, format) = parse_backup_name(name)?;
                let encrypted = encrypted_name(name);
                let path = PathBuf::from(listed.address.to_string());
                Some(Found { database, time, format, encrypted, path, bytes: listed.bytes })
            })
            .collect();
    found.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.database.cmp(&b.database)));
    Ok(found)
}

/// A backup found in a folder.
#[derive(Debug, serde::Serialize)]
pub struct Found {
    pub database: String,
    pub time: chrono::NaiveDateTime,
    pub format: &'static str,
    /// Encrypted with age (a `.age` name).
    pub encrypted: bool,
    pub path: PathBuf,
    pub bytes: u64,
}

/// The backups of `db` in `dir`, newest first.
pub fn backups_of(db: &str, dir: &Path) -> Vec<(chrono::NaiveDateTime, PathBuf)> {
    let mut found: Vec<(chrono::NaiveDateTime, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            Some((backup_time(db, &name)?, entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found
}

/// The backups of `db` beside `new` that `policy` does not keep once `new` exists (it counts as
/// the newest and is never among them), oldest first. Reads the folder, changes nothing: what
/// `prune` removes and what `backup --dry-run` shows.
pub(super) fn would_prune(db: &str, new: &Path, policy: &Policy) -> Vec<PathBuf> {
    if policy.is_empty() {
        return Vec::new();
    }
    let dir = match new.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let new_name = new.file_name();
    // Only backups older than the new one: a newer one is another run's that finished first
    // (a cron run overlapping a manual one), the latest state of the database, never "older".
    // A name without Odoo's stamp (`-o FILE`) was made just now.
    let new_time = new_name
        .and_then(|name| backup_time(db, &name.to_string_lossy()))
        .unwrap_or_else(|| chrono::Local::now().naive_local());
    let candidates: Vec<(chrono::NaiveDateTime, PathBuf)> = backups_of(db, dir)
        .into_iter()
        .filter(|(time, path)| *time < new_time && path.file_name() != new_name)
        .collect();
    // Oldest first: stopped midway, what is left is the newer ones.
    let_go(new_time, candidates, policy)
}

/// Removes the backups of `db` beside `new` that `policy` does not keep (`would_prune`), oldest
/// first; returns what was removed, in that order.
pub(super) fn prune(db: &str, new: &Path, policy: &Policy) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for path in would_prune(db, new, policy) {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        removed.push(path.display().to_string());
    }
    Ok(removed)
}

/// Which of `candidates` (backups of one database older than the new one, at `new_time`)
/// `policy` lets go, oldest first: the new backup takes part as the newest and is always kept.
fn let_go<T>(
    new_time: chrono::NaiveDateTime,
    mut candidates: Vec<(chrono::NaiveDateTime, T)>,
    policy: &Policy,
) -> Vec<T> {
    candidates.sort_by_key(|candidate| std::cmp::Reverse(candidate.0));
    let times: Vec<chrono::NaiveDateTime> =
        std::iter::once(new_time).chain(candidates.iter().map(|(time, _)| *time)).collect();
    let mut keep = kept(&times, policy).into_iter().skip(1);
    candidates.retain(|_| !keep.next().unwrap_or(true));
    candidates.into_iter().rev().map(|(_, item)| item).collect()
}

/// `would_prune` for a prefix in object storage: the objects of `db` beside `new` that `policy`
/// does not keep once `new` exists, oldest first (a listing; nothing is changed).
pub(super) async fn would_prune_objects(
    ctx: &crate::context::Context,
    db: &str,
    new: &crate::objects::Address,
    policy: &Policy,
) -> Result<Vec<crate::objects::Address>> {
    if policy.is_empty() {
        return Ok(Vec::new());
    }
    let prefix = new.parent();
    let store = crate::objects::store(&ctx.config.settings.backup.s3, &prefix)?;
    let new_time =
        backup_time(db, new.name()).unwrap_or_else(|| chrono::Local::now().naive_local());
    let candidates: Vec<(chrono::NaiveDateTime, crate::objects::Address)> =
        crate::objects::or_cancel(&ctx.cancel, crate::objects::list(&store, &prefix))
            .await?
            .into_iter()
            .filter_map(|listed| {
                let time = backup_time(db, listed.address.name())?;
                (time < new_time && listed.address != *new).then_some((time, listed.address))
            })
            .collect();
    Ok(let_go(new_time, candidates, policy))
}

/// `prune` for a prefix in object storage; returns what was removed, oldest first.
pub(super) async fn prune_objects(
    ctx: &crate::context::Context,
    db: &str,
    new: &crate::objects::Address,
    policy: &Policy,
) -> Result<Vec<String>> {
    let doomed = would_prune_objects(ctx, db, new, policy).await?;
    let store = crate::objects::store(&ctx.config.settings.backup.s3, &new.parent())?;
    let mut removed = Vec::new();
    for address in doomed {
        crate::objects::or_cancel(&ctx.cancel, crate::objects::delete(&store, &address)).await?;
        removed.push(address.to_string());
    }
    Ok(removed)
}

/// The retention rules of a backup: the flags' when any is given, else the settings'; none for
/// a stream (where flags are refused). A rule of 0 is refused: it would keep nothing.
pub fn retention_policy(
    flags: Policy,
    settings: &crate::config::BackupSettings,
    streamed: bool,
) -> Result<Policy> {
    if !flags.is_empty() && streamed {
        return Err(usage_error(
            "--keep needs a folder or a prefix, not a stream",
            "use --dir DIR or --to s3://BUCKET/PREFIX/",
        ));
    }
    if streamed {
        return Ok(Policy::default());
    }
    let policy = if flags.is_empty() { Policy::from(settings) } else { flags };
    if policy.last == Some(0) {
        return Err(usage_error("--keep 0 would remove the new backup too", "keep at least 1"));
    }
    for (name, value) in [
        ("--keep-daily", policy.daily),
        ("--keep-weekly", policy.weekly),
        ("--keep-monthly", policy.monthly),
    ] {
        if value == Some(0) {
            return Err(usage_error(
                format!("{name} 0 keeps nothing by that rule"),
                "leave it out, or keep at least 1",
            ));
        }
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_names_are_backups() {
        let time =
            chrono::NaiveDateTime::parse_from_str("2024-05-06_07-08-09", "%Y-%m-%d_%H-%M-%S").ok();
        assert_eq!(backup_time("prod", "prod_2024-05-06_07-08-09.tar.gz.age"), time);
        assert_eq!(backup_time("prod", "prod_2024-05-06_07-08-09.dump.age"), time);
        assert_eq!(backup_time("prod", "prod_2024-05-06_07-08-09.age"), None);
        assert_eq!(backup_time("prod", "prod_2024-05-06_07-08-09.zip.age.age"), None);
        assert_eq!(
            parse_backup_name("my_db_2024-05-06_07-08-09.zip.age").map(|(db, _, ext)| (db, ext)),
            Some(("my_db".to_string(), "zip"))
        );
        assert!(encrypted_name("my_db_2024-05-06_07-08-09.zip.age"));
        assert!(!encrypted_name("my_db_2024-05-06_07-08-09.zip"));
    }
}
