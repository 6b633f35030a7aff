//! `odoodb backup <db>`: one archive of the database and its filestore; `--verify FILE`.

use anyhow::Result;

use crate::cli::BackupArgs;
use crate::context::Context;
use crate::error::Failure;

pub async fn run(_ctx: &Context, _args: &BackupArgs) -> Result<()> {
    Err(Failure::failed("backup is being built").into())
}
