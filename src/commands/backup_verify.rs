//! `odoodb backup --verify FILE`: reads an archive end to end and checks it.

use std::path::Path;

use anyhow::Result;

use crate::context::Context;
use crate::error::Failure;

pub async fn run(_ctx: &Context, _file: &Path) -> Result<()> {
    Err(Failure::failed("backup --verify is being built").into())
}
