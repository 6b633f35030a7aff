//! Backups of a database in a folder, by their name, and `--keep`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// A backup file name of `db`: `<db>_<YYYY-mm-dd_HH-MM-SS>.<tar.gz|zip|dump>`, Odoo's download
/// name; returns its time.
pub fn backup_time(db: &str, file_name: &str) -> Option<chrono::NaiveDateTime> {
    let rest = file_name.strip_prefix(db)?.strip_prefix('_')?;
    let stamp = ["tar.gz", "zip", "dump"]
        .iter()
        .find_map(|ext| rest.strip_suffix(ext)?.strip_suffix('.'))?;
    if stamp.len() != 19 {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").ok()
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

/// Removes the backups of `db` beside `new` beyond the newest `keep` (the new one counts and is
/// never removed), oldest first; returns what was removed, in that order.
pub(super) fn prune(db: &str, new: &Path, keep: u32) -> Result<Vec<String>> {
    let dir = match new.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let new_name = new.file_name();
    // Only backups older than the new one: a newer one is another run's that finished first
    // (a cron run overlapping a manual one), the latest state of the database, never "older".
    let new_time = new_name.and_then(|name| backup_time(db, &name.to_string_lossy()));
    let older: Vec<PathBuf> = backups_of(db, dir)
        .into_iter()
        .filter(|(time, _)| new_time.is_none_or(|new_time| *time < new_time))
        .map(|(_, path)| path)
        .filter(|path| path.file_name() != new_name)
        .collect();
    let keep_others = usize::try_from(keep).unwrap_or(usize::MAX).saturating_sub(1);
    // Oldest first: stopped midway, what is left is the newer ones.
    let mut doomed: Vec<PathBuf> = older.into_iter().skip(keep_others).collect();
    doomed.reverse();
    let mut removed = Vec::new();
    for path in doomed {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        removed.push(path.display().to_string());
    }
    Ok(removed)
}
