//! `odoodb backup <db>`: one archive of the database and its filestore; `--verify FILE`.

use anyhow::Result;

use crate::cli::BackupArgs;
use crate::context::Context;
use crate::error::Failure;

pub async fn run(ctx: &Context, args: &BackupArgs) -> Result<()> {
    if let Some(file) = &args.verify {
        return super::backup_verify::run(ctx, file).await;
    }
    Err(Failure::failed("backup is being built").into())
}
