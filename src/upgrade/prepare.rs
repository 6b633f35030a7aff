//! What a change of production (`upgrade production`, `update`) decides before anything
//! changes: the free name the original is kept under, and the folder the backup goes to.

use std::path::PathBuf;

use anyhow::Result;

use crate::backup;
use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::pg::admin;

/// `<db>_pre_<what>_<YYYY-mm-dd_HH-MM-SS>` (`what`: the target series, or `update`), free: a
/// valid Odoo name that sorts by time, stamped as Odoo stamps its backups.
pub async fn kept_name(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    db: &str,
    what: &str,
) -> Result<String> {
    let name = format!("{db}_pre_{what}_{}", chrono::Local::now().format("%Y-%m-%d_%H-%M-%S"));
    if name.len() > 63 {
        return Err(Failure::failed(format!(
            "the name that would keep the original, {name}, is longer than PostgreSQL's 63 bytes"
        ))
        .hint("rename the database to something shorter first (odoodb rename)")
        .into());
    }
    odoo::name::validate(&name)?;
    let folder = ctx.filestore(&name);
    if admin::database_exists(admin_client, &name).await? || folder.symlink_metadata().is_ok() {
        return Err(Failure::failed(format!(
            "{name}, the name that would keep the original, is taken (a database, or the folder {})",
            folder.display()
        ))
        .unchanged()
        .hint("rename or remove it, or wait a second and run this again")
        .into());
    }
    Ok(name)
}

/// The folder the backup made first goes to: `--backup-dir`, else the settings'; it must be
/// there.
pub fn backup_dir(ctx: &Context, given: Option<&std::path::Path>) -> Result<PathBuf> {
    let dir = given.map_or_else(|| backup::backup_dir(ctx), std::path::Path::to_path_buf);
    if !dir.is_dir() {
        let what = if dir.exists() { "is not a folder" } else { "does not exist" };
        return Err(Failure::failed(format!("the backup folder {} {what}", dir.display()))
            .unchanged()
            .hint("create it, or choose another with --backup-dir (or backup.dir in the settings)")
            .into());
    }
    Ok(std::fs::canonicalize(&dir).unwrap_or(dir))
}
