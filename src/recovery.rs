//! Puts back what a killed odoodb left: a copy being built is removed, a database or folder
//! moved aside during a swap is moved back (or removed if the swap had finished), a folder
//! moved aside for a drop is restored if its database still exists.

use std::path::Path;

use anyhow::Result;

use crate::context::Context;
use crate::filestore;
use crate::pg::{Client, admin};
use crate::tempname::{self, Kind, Parsed};

/// Runs before every command that changes databases, so no run starts on a half-made state.
pub async fn sweep(ctx: &Context, admin_client: &Client) -> Result<()> {
    let databases: Vec<String> =
        admin::list_databases(admin_client).await?.into_iter().map(|row| row.name).collect();
    for name in &databases {
        let Some(parsed) = tempname::parse(name).filter(tempname::is_abandoned) else { continue };
        let base_exists = databases.contains(&parsed.base);
        let sql = match parsed.kind {
            Kind::Previous if !base_exists => admin::rename_sql(name, &parsed.base),
            Kind::Building | Kind::Previous | Kind::Deleting => admin::drop_sql(name, true),
        };
        ctx.printer.warn(&format!("recovering from an interrupted odoodb run: {sql}"));
        admin_client.batch_execute(&sql).await?;
    }
    let root = filestore::root(&ctx.config.data_dir.value);
    let Ok(entries) = std::fs::read_dir(&root) else { return Ok(()) };
    let databases: Vec<String> =
        admin::list_databases(admin_client).await?.into_iter().map(|row| row.name).collect();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(parsed) = tempname::parse(&name).filter(tempname::is_abandoned) else { continue };
        recover_folder(ctx, &root, &entry.path(), &parsed, databases.contains(&parsed.base))?;
    }
    Ok(())
}

fn recover_folder(
    ctx: &Context,
    root: &Path,
    folder: &Path,
    parsed: &Parsed,
    base_db_exists: bool,
) -> Result<()> {
    let base = root.join(&parsed.base);
    let put_back = match parsed.kind {
        Kind::Building => false,
        Kind::Previous => !base.exists(),
        Kind::Deleting => base_db_exists && !base.exists(),
    };
    if put_back {
        ctx.printer.warn(&format!(
            "recovering from an interrupted odoodb run: moving {} back to {}",
            folder.display(),
            base.display()
        ));
        filestore::rename(folder, &base)
    } else {
        ctx.printer.warn(&format!(
            "recovering from an interrupted odoodb run: removing {}",
            folder.display()
        ));
        filestore::remove(folder)
    }
}
