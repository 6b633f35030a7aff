//! `odoodb restore <archive> [<db>]`: any backup format into a new database, atomically.

use anyhow::Result;

use crate::cli::RestoreArgs;
use crate::context::Context;
use crate::error::Failure;

pub async fn run(_ctx: &Context, _args: &RestoreArgs) -> Result<()> {
    Err(Failure::failed("restore is being built").into())
}
