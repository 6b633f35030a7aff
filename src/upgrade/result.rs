//! The upgraded database put together under the install's temporary names: created as Odoo
//! does, restored, granted, and given its filestore.

use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::error::Failure;
use crate::filestore::{self, Owner, Requested};
use crate::pg::load::{self, Loader};
use crate::pg::tools::Tool;
use crate::safe::install::Install;

/// `pg_restore --jobs` of a `-Fd` dump into `db` (which exists, empty), as `owner`.
pub(crate) async fn restore_dump(
    ctx: &Context,
    dump: &Path,
    what: &str,
    db: &str,
    owner: &str,
    jobs: u32,
) -> Result<()> {
    let loader = Loader {
        psql: Tool::find("psql", ctx.config.pg_path.as_deref(), &ctx.params)?,
        pg_restore: Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?,
        role: (owner != ctx.params.user).then(|| owner.to_string()),
        jobs,
        cancel: ctx.cancel.clone(),
    };
    ctx.printer.status(&format!("Restoring {what} ({jobs} jobs) …"));
    let bar = ctx.printer.bar(0, "{spinner} restore {elapsed}");
    let (dump, db) = (dump.to_path_buf(), db.to_string());
    let outcome =
        tokio::task::spawn_blocking(move || loader.pg_restore(&db, load::Archive::Path(&dump)))
            .await
            .context("the restore stopped unexpectedly");
    bar.finish_and_clear();
    outcome?
}

/// The original's filestore, hard-linked (else copied) into the install's folder, with the
/// platform's new files merged in, owned like the filestore root.
pub(crate) async fn build_filestore(
    ctx: &Context,
    original: &Path,
    install: &Install<'_, '_>,
    from_platform: Option<&Path>,
) -> Result<filestore::CopyStats> {
    let folder = install.building_folder();
    let root = ctx.filestore_root();
    // Made already (before the upgrade program ran, which needs the files): only merge.
    let already_made = folder.symlink_metadata().is_ok();
    if already_made {
        filestore::require_folder_or_absent(&folder, "the copy's filestore")?;
    } else if original.is_dir() {
        let mode = filestore::resolve_mode(Requested::Auto, original, &root)?
            .unwrap_or(filestore::Mode::Copy);
        ctx.printer.verbose(1, &format!("filestore: {} of {}", mode.as_str(), original.display()));
        let (source, target) = (original.to_path_buf(), folder.clone());
        let cancel = ctx.cancel.clone();
        let result = tokio::task::spawn_blocking(move || {
            filestore::copy_tree(&source, &target, mode, &cancel, &|_| {})
        })
        .await;
        result.context("the filestore copy stopped unexpectedly")??;
    } else {
        let owner = filestore::owner_like_root(&root)?;
        std::fs::create_dir(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        owner.apply(&folder)?;
    }
    ctx.check_interrupt()?;
    if let Some(new_files) = from_platform {
        let owner = Owner::of(
            &std::fs::metadata(&folder)
                .with_context(|| format!("cannot stat {}", folder.display()))?,
        );
        adopt(new_files, owner)?;
        filestore::merge_into(new_files, &folder)?;
    }
    let usage = filestore::measure(&folder)?;
    Ok(filestore::CopyStats { files: usage.files, bytes: usage.bytes })
}

/// Gives what a program added to the copy's filestore `folder` (anything the original's folder
/// lacks) the owner and modes of the filestore root, as restore gives its files: the program
/// ran as us, often root, and Odoo's service user must be able to write beside those files.
/// What came from the original keeps its owner (a hard link is the original's own file), and
/// links are never followed nor given away. Only root can give files away.
pub(crate) fn adopt_added(ctx: &Context, original: &Path, folder: &Path) -> Result<()> {
    if !nix::unistd::geteuid().is_root() || !folder.is_dir() {
        return Ok(());
    }
    let owner = filestore::owner_like_root(&ctx.filestore_root())?;
    let mut adopted = 0_u64;
    for entry in walkdir::WalkDir::new(folder).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
        let kind = entry.file_type();
        if !kind.is_dir() && !kind.is_file() {
            continue;
        }
        let meta =
            entry.metadata().with_context(|| format!("cannot stat {}", entry.path().display()))?;
        if (meta.uid(), meta.gid()) == (owner.uid, owner.gid) {
            continue;
        }
        let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        if original.join(relative).symlink_metadata().is_ok() {
            continue;
        }
        if kind.is_dir() {
            owner.apply(entry.path())
        } else {
            owner.for_files().apply(entry.path())
        }?;
        adopted += 1;
    }
    if adopted > 0 {
        ctx.printer.verbose(
            1,
            &format!("filestore: {adopted} entries the program added given to uid {}", owner.uid),
        );
    }
    Ok(())
}

/// Gives a downloaded tree the filestore's owner and modes, refusing anything but folders and
/// files (the platform has no business sending links).
fn adopt(dir: &Path, owner: Owner) -> Result<()> {
    owner.apply(dir)?;
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let kind =
            entry.file_type().with_context(|| format!("cannot stat {}", entry.path().display()))?;
        if kind.is_dir() {
            adopt(&entry.path(), owner)?;
        } else if kind.is_file() {
            owner.for_files().apply(&entry.path())?;
        } else {
            return Err(Failure::failed(format!(
                "the platform's filestore holds {}, which is not a plain file",
                entry.path().display()
            ))
            .into());
        }
    }
    Ok(())
}
