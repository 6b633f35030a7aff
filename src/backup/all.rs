//! `backup --all`: every Odoo database of the server (as `list` shows them: not templates, not
//! the system's, not an odoodb run's temporaries), or those whose name matches, one archive
//! each, a few at a time. One database failing does not stop the others.

use std::time::Instant;

use anyhow::{Context as _, Result};
use futures_util::{StreamExt as _, stream};
use serde::Serialize;

use super::{Request, Target, make};
use crate::context::Context;
use crate::error::{Failure, Kind};
use crate::odoo;
use crate::output::Printer;
use crate::pg::admin::{self, SYSTEM_DATABASES};

/// What became of one database's backup.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub database: String,
    /// The archive's path, when it was made (and checked under its name).
    pub archive: Option<String>,
    pub bytes: u64,
    pub seconds: f64,
    /// Older backups removed by the retention rules.
    pub pruned: Vec<String>,
    /// Filestore files already damaged on disk, archived as they are (the run ends "partly").
    pub damaged_files: usize,
    pub error: Option<String>,
}

impl Outcome {
    fn failed(database: &str, seconds: f64, error: String) -> Self {
        Self {
            database: database.to_string(),
            archive: None,
            bytes: 0,
            seconds,
            pruned: Vec::new(),
            damaged_files: 0,
            error: Some(error),
        }
    }
}

/// The databases `--all` takes: those to back up, and those it cannot even look at (no
/// access, no connection), which count as failures — never silently left out.
pub struct Selection {
    pub databases: Vec<String>,
    pub unreadable: Vec<Outcome>,
}

impl Selection {
    /// Fails when there is nothing to back up, naming what was looked for.
    pub fn require_some(&self, ctx: &Context, matches: &[String]) -> Result<()> {
        if !self.databases.is_empty() || !self.unreadable.is_empty() {
            return Ok(());
        }
        let matching = if matches.is_empty() {
            String::new()
        } else {
            format!(" matches {}", matches.join(" or "))
        };
        Err(Failure::failed(format!("no Odoo database{matching} on {}", ctx.params.describe()))
            .hint("`odoodb list` shows the databases odoodb sees")
            .into())
    }
}

/// The Odoo databases to back up, by name; `patterns` (shell globs, `*` and `?`) narrow them
/// when given.
pub async fn odoo_databases(ctx: &Context, patterns: &[String]) -> Result<Selection> {
    let admin_client = ctx.connect_admin().await?;
    let rows = admin::list_databases(&admin_client).await?;
    drop(admin_client);
    let mut selection = Selection { databases: Vec::new(), unreadable: Vec::new() };
    for row in rows {
        let candidate = !row.is_template
            && !row.invalid
            && !SYSTEM_DATABASES.contains(&row.name.as_str())
            && !crate::safe::names::is_temporary(&row.name)
            && (patterns.is_empty() || patterns.iter().any(|p| glob_matches(p, &row.name)));
        if !candidate {
            continue;
        }
        let twin = row.comment.as_deref().and_then(crate::safe::kept::Twin::from_comment);
        if let Some(twin) = twin.filter(|_| !row.allows_connections) {
            // A frozen twin of production, not a database anyone works in.
            ctx.printer.verbose(1, &format!("{}: {}; not backed up", row.name, twin.describe()));
            continue;
        }
        if !row.allows_connections {
            // As Odoo and `list` do, it is left out; but said, since production is closed like
            // this during `upgrade production`, and a night without its backup must be seen.
            ctx.printer.warn(&format!(
                "{} is closed to connections (an upgrade under way?): not backed up",
                row.name
            ));
            continue;
        }
        if row.size_bytes.is_none() {
            let why = format!("role {} may not connect to it", ctx.config.user.value);
            selection.unreadable.push(Outcome::failed(&row.name, 0.0, why));
            continue;
        }
        let odoo = match ctx.connect(&row.name).await {
            Ok(client) => odoo::is_odoo(&client).await,
            Err(error) => Err(error),
        };
        match odoo {
            Ok(true) => selection.databases.push(row.name),
            Ok(false) => {}
            Err(error) => {
                let why = format!("cannot be inspected: {}", crate::error::one_line(&error));
                selection.unreadable.push(Outcome::failed(&row.name, 0.0, why));
            }
        }
    }
    Ok(selection)
}

/// Backs up each of `databases` with `request`, `parallel` at a time, in their order.
pub async fn make_each(
    ctx: &Context,
    databases: &[String],
    request: &Request,
    parallel: usize,
) -> Vec<Outcome> {
    stream::iter(databases)
        .map(|db| async move {
            let started = Instant::now();
            let made = if ctx.cancel.is_set() {
                Err(crate::error::Failure::interrupted().into())
            } else {
                make(ctx, db, request).await
            };
            let seconds = started.elapsed().as_secs_f64();
            match made {
                Ok(report) => Outcome {
                    database: db.clone(),
                    archive: Some(report.path),
                    bytes: report.bytes,
                    seconds,
                    pruned: report.pruned,
                    damaged_files: report.filestore.map_or(0, |f| f.name_mismatches.len()),
                    error: None,
                },
                Err(error) => Outcome::failed(db, seconds, crate::error::one_line(&error)),
            }
        })
        .buffered(parallel.max(1))
        .collect()
        .await
}

/// How `--all` ends: 1 naming the failed databases (the others made and kept), 3 when all
/// were made but some filestores hold files already damaged on disk, else 0.
pub fn verdict(failed: &[&str], damaged: &[&str], total: usize) -> Result<()> {
    if failed.is_empty() && damaged.is_empty() {
        return Ok(());
    }
    if failed.is_empty() {
        return Err(Failure::new(
            Kind::Partial,
            format!(
                "every backup was made, but the filestores of {} hold files already damaged on disk",
                damaged.join(", ")
            ),
        )
        .hint("restore those files from an older backup, or accept them as lost; the archives hold them as they are on disk")
        .into());
    }
    Err(Failure::failed(format!(
        "{} of {} backups failed: {}",
        failed.len(),
        total,
        failed.join(", ")
    ))
    .hint("the others were made and kept; each error is in the table")
    .into())
}

/// The run's table: one row per database, what became of it.
pub fn outcomes_table(printer: &Printer, outcomes: &[Outcome]) -> String {
    let mut table = printer.table(&["DATABASE", "ARCHIVE", "SIZE", "SECONDS", "RESULT"]);
    for outcome in outcomes {
        table.add_row(vec![
            outcome.database.clone(),
            outcome.archive.clone().unwrap_or_default(),
            if outcome.archive.is_some() {
                crate::output::bytes(outcome.bytes)
            } else {
                String::new()
            },
            format!("{:.1}", outcome.seconds),
            outcome
                .error
                .as_ref()
                .map_or_else(|| "ok, checked".to_string(), |e| format!("FAILED: {e}")),
        ]);
    }
    crate::output::terminal_safe(&table.to_string())
}

/// Held while a `backup --all` writes into a folder: one such run per folder at a time (two
/// would dump every database twice, and prune each other's view).
pub struct TargetLock(
    #[allow(dead_code, reason = "held, never read")] nix::fcntl::Flock<std::fs::File>,
);

const LOCK_NAME: &str = ".odoodb-backup-all.lock";

/// Takes the folder's lock, waiting up to `wait` (Ctrl-C stops the wait) for a run that holds
/// it; without `wait`, a held lock is an error naming its holder.
/// The lock of `backup --all` into a folder: a file in it, so runs from other machines that
/// mount it see it too; under an object-storage prefix, a file of this machine's named after
/// the prefix (object storage has no lock to take). Returns it and the target, for messages.
fn lock_of(target: &Target) -> Result<(std::path::PathBuf, String)> {
    match target {
        Target::Dir(dir) => Ok((dir.join(LOCK_NAME), dir.display().to_string())),
        Target::Objects(prefix) => Ok((prefix_lock(prefix)?, prefix.to_string())),
        _ => Err(crate::error::usage_error(
            "--all writes into a folder or an object-storage prefix",
            "use --dir DIR or --to s3://BUCKET/PREFIX/",
        )),
    }
}

fn prefix_lock(prefix: &crate::objects::Address) -> Result<std::path::PathBuf> {
    use sha2::Digest as _;
    let dir = crate::objects::state_dir()?.join("locks");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let digest = crate::archive::hex(&sha2::Sha256::digest(prefix.to_string().as_bytes()));
    Ok(dir.join(format!("backup-all-{}.lock", &digest[..16])))
}

pub async fn lock_target(
    ctx: &Context,
    target: &Target,
    wait: Option<std::time::Duration>,
) -> Result<TargetLock> {
    use std::io::{Read as _, Seek as _, Write as _};
    use std::os::unix::fs::OpenOptionsExt as _;
    let (path, shown) = lock_of(target)?;
    let deadline = wait.map(|wait| Instant::now() + wait);
    let mut said = false;
    loop {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o644)
            .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
            Ok(mut lock) => {
                let holder = format!(
                    "pid {} on {}, since {}\n",
                    std::process::id(),
                    nix::unistd::gethostname()
                        .map_or_else(|_| "?".into(), |h| h.to_string_lossy().into_owned()),
                    chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
                );
                // Who holds it, for a run that finds it held; a failure to say so is harmless.
                let _ = lock
                    .set_len(0)
                    .and_then(|()| lock.rewind())
                    .and_then(|()| lock.write_all(holder.as_bytes()));
                return Ok(TargetLock(lock));
            }
            Err((mut file, nix::errno::Errno::EWOULDBLOCK)) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = crate::output::terminal_safe(holder.trim());
                match deadline {
                    Some(deadline) if Instant::now() < deadline => {
                        if !said {
                            ctx.printer.status(&format!(
                                "Another odoodb backup --all is writing into {shown} ({holder}); waiting for it …"
                            ));
                            said = true;
                        }
                        tokio::select! {
                            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                            () = ctx.cancel.wait() => return Err(Failure::interrupted().into()),
                        }
                    }
                    _ => {
                        return Err(Failure::failed(format!(
                            "another odoodb backup --all is writing into {shown} ({holder}){}",
                            if deadline.is_some() {
                                ", and still was when --wait ran out"
                            } else {
                                ""
                            }
                        ))
                        .unchanged()
                        .hint("let it finish, or pass --wait 2h to wait for it")
                        .into());
                    }
                }
            }
            Err((_, error)) => {
                return Err(error).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}

/// A shell glob over a whole name: `*` any run of characters, `?` one character.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match with one backtrack point: linear in practice.
    let (mut p, mut n, mut star, mut mark) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            n = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn globs_match_whole_names() {
        assert!(glob_matches("prod*", "prod_2024"));
        assert!(glob_matches("*_test_??", "prod_test_18"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "aXXbYYc"));
        assert!(!glob_matches("prod", "prod2"));
        assert!(!glob_matches("*_test_??", "prod_test_1"));
        assert!(!glob_matches("a*b*c", "aXXbYY"));
    }
}
