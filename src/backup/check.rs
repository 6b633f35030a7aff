//! The cheap check of a new backup under its final name (`backup --verify` reads it whole).

use std::path::Path;
use std::process::Stdio;

use anyhow::{Context as _, Result};

use crate::archive::BackupFormat;
use crate::context::Context;
use crate::error::Failure;
use crate::pg::tools::Tool;

/// A cheap check of the file under its final name: its size, its framing, and for a dump its
/// table of contents; of an encrypted one (`format` None), its size and its age header.
/// (`backup --verify` reads it end to end.)
pub(super) async fn quick_check(
    path: &Path,
    format: Option<BackupFormat>,
    size: u64,
    ctx: &Context,
    db: &str,
    pg_dump: &Path,
) -> Result<()> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let broken = |what: &str| -> anyhow::Error {
        Failure::failed(format!("the new backup {} is {what}", path.display()))
            .hint("check the disk (full? failing?) and run the backup again")
            .into()
    };
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot stat {}", path.display()))?;
    if meta.len() != size {
        return Err(broken(&format!("{} bytes on disk, {size} written", meta.len())));
    }
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let Some(format) = format else {
        let mut head = [0u8; crate::archive::crypt::MAGIC.len()];
        file.read_exact(&mut head).map_err(|_| broken("too short"))?;
        if !crate::archive::crypt::is_age(&head) {
            return Err(broken("not an age-encrypted file"));
        }
        return Ok(());
    };
    let mut head = [0u8; 4];
    file.read_exact(&mut head).map_err(|_| broken("empty"))?;
    match format {
        BackupFormat::TarGz if head[..2] != [0x1f, 0x8b] => return Err(broken("not gzip")),
        BackupFormat::Zip => {
            let mut tail = [0u8; 22];
            file.seek(SeekFrom::End(-22)).map_err(|_| broken("too short"))?;
            file.read_exact(&mut tail).map_err(|_| broken("too short"))?;
            if head != *b"PK\x03\x04" || tail[..4] != *b"PK\x05\x06" {
                return Err(broken("not a complete zip"));
            }
        }
        BackupFormat::Dump => {
            if head[..4] != *b"PGDM" {
                return Err(broken("not a pg_dump custom archive"));
            }
            // The pg_restore of the pg_dump that wrote it (one found older than the server gave
            // way to the server's own; its folder holds the matching pg_restore).
            let beside = pg_dump.parent().filter(|dir| dir.join("pg_restore").is_file());
            let pg_dir = beside.or(ctx.config.pg_path.as_deref());
            let pg_restore = Tool::find("pg_restore", pg_dir, &ctx.params)?;
            let output = pg_restore
                .command(db)?
                .arg("--list")
                .arg(path)
                .stdout(Stdio::null())
                .output()
                .await
                .context("cannot run pg_restore --list")?;
            if !output.status.success() {
                return Err(broken("not readable by pg_restore --list"));
            }
        }
        BackupFormat::TarGz => {}
    }
    Ok(())
}
