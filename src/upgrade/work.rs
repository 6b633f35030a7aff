//! The work folder of a run: made private, locked, marked, removed; and the dump into it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::error::Failure;
use crate::filestore;
use crate::pg::tools::Tool;

/// The dump sent to the platform, in the work folder (the name the official client uses).
pub(crate) const DUMP_NAME: &str = "origin.dump";
/// Where the platform's result lands in the work folder.
pub(crate) const RESULT_DIR: &str = "result";

/// The file that marks a folder as an upgrade's work folder: only such a folder is reused (by
/// `resume`) and removed at the end.
const WORK_MARK: &str = ".odoodb-upgrade-work";

/// The private work folder of a run (dump, download). Made here, or odoodb's own from an
/// earlier run, or empty: never a link (the default is in the shared temporary folder), never
/// another user's, never a folder of the user's files (it is removed at the end).
///
/// The returned lock is held for as long as the run uses the folder: two runs on the same
/// database (a test upgrade still waiting on the platform, then a production one) would
/// otherwise share its dump and its download, and restore each other's result.
pub(crate) fn work_dir(path: &Path) -> Result<WorkLock> {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _, PermissionsExt as _};
    let refuse = |why: &str| -> anyhow::Error {
        Failure::failed(format!("the work folder {} {why}", path.display()))
            .unchanged()
            .hint("choose an empty or new folder with --work-dir (it is removed at the end)")
            .into()
    };
    match path.symlink_metadata() {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
        }
        Err(error) => {
            return Err(error).with_context(|| format!("cannot look at {}", path.display()));
        }
        Ok(meta) if meta.file_type().is_symlink() => return Err(refuse("is a symbolic link")),
        Ok(meta) if !meta.is_dir() => return Err(refuse("is not a folder")),
        Ok(meta) if meta.uid() != nix::unistd::geteuid().as_raw() => {
            return Err(refuse("belongs to another user"));
        }
        Ok(_) => {
            let ours = path.join(WORK_MARK).is_file();
            let empty = std::fs::read_dir(path)
                .with_context(|| format!("cannot read {}", path.display()))?
                .next()
                .is_none();
            if !ours && !empty {
                return Err(refuse("(--work-dir) already holds files odoodb did not put there"));
            }
        }
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", path.display()))?;
    let mark = path.join(WORK_MARK);
    std::fs::write(&mark, b"odoodb upgrade work folder: removed when the upgrade is over\n")
        .with_context(|| format!("cannot write {}", mark.display()))?;
    let file =
        std::fs::File::open(&mark).with_context(|| format!("cannot open {}", mark.display()))?;
    match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(WorkLock(lock)),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Err(Failure::failed(format!(
            "the work folder {} is in use by another odoodb upgrade",
            path.display()
        ))
        .unchanged()
        .hint("wait for it to end, or give this one its own --work-dir")
        .into()),
        Err((_, error)) => Err(error).with_context(|| format!("cannot lock {}", mark.display())),
    }
}

/// Held while a run uses its work folder.
pub(crate) struct WorkLock(
    #[allow(dead_code, reason = "held, never read")] pub(crate) nix::fcntl::Flock<std::fs::File>,
);

/// Removes the database dumps of a work folder made by `work_dir` (the upload and the
/// download), keeping the platform's log and report; the folder goes too when nothing else is
/// left. Returns whether something was kept.
pub(crate) fn discard_dumps(path: &Path) -> Result<bool> {
    let ours =
        path.symlink_metadata().is_ok_and(|meta| meta.is_dir()) && path.join(WORK_MARK).is_file();
    if !ours {
        return Ok(false);
    }
    filestore::remove(&path.join(DUMP_NAME))?;
    let result = path.join(RESULT_DIR);
    let mut kept = false;
    if let Ok(entries) = std::fs::read_dir(&result) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_log = name == "upgrade.log" || name == "upgrade-report.html";
            if is_log && entry.file_type().is_ok_and(|t| t.is_file()) {
                kept = true;
            } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
                filestore::remove(&entry.path())?;
            } else {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    if !kept {
        filestore::remove(path)?;
    }
    Ok(kept)
}

/// Removes a work folder made by `work_dir`; anything else is left alone.
pub(crate) fn remove_work_dir(path: &Path) -> Result<()> {
    let ours =
        path.symlink_metadata().is_ok_and(|meta| meta.is_dir()) && path.join(WORK_MARK).is_file();
    if ours { filestore::remove(path) } else { Ok(()) }
}

/// `pg_dump --no-owner -Fd --jobs N` of `db` into `<work>/origin.dump` (replacing an older
/// one). Odoo may keep running: pg_dump reads one consistent snapshot.
pub(crate) async fn dump(ctx: &Context, db: &str, work: &Path, jobs: u32) -> Result<PathBuf> {
    let target = work.join(DUMP_NAME);
    filestore::remove(&target)?;
    let server = crate::pg::admin::server_version_num(&ctx.connect_admin().await?).await?;
    let note = |line: &str| ctx.printer.status(line);
    let (tool, _) = Tool::find_for_server(
        "pg_dump",
        ctx.config.pg_path.as_deref(),
        &ctx.params,
        u32::try_from(server / 10_000).unwrap_or(0),
        &note,
    )
    .await?;
    ctx.printer.status(&format!("Dumping {db} (pg_dump -Fd, {jobs} jobs) …"));
    let bar = ctx.printer.bar(0, "{spinner} dump {msg} {elapsed}");
    bar.enable_steady_tick(Duration::from_millis(200));
    // The dump's size as it grows: pg_dump says nothing while it works.
    let watch = {
        let (bar, folder) = (bar.clone(), target.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let measured = folder.clone();
                let size = tokio::task::spawn_blocking(move || filestore::measure(&measured))
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .map_or(0, |usage| usage.bytes);
                bar.set_message(crate::output::bytes(size));
            }
        })
    };
    let mut command = tool.command(db)?;
    command
        .args(["--no-owner", "--format=directory"])
        .arg(format!("--jobs={jobs}"))
        .arg("--file")
        .arg(&target)
        .stdout(std::process::Stdio::null());
    let result = crate::pg::dump::run(&ctx.cancel, command, "the message above is pg_dump's").await;
    watch.abort();
    bar.finish_and_clear();
    if let Err(error) = result {
        let _ = filestore::remove(&target);
        return Err(error);
    }
    Ok(target)
}
