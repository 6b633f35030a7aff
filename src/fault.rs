//! Fault injection for the tests: `ODOODB_FAULT=fail:<point>` makes the named point fail,
//! `ODOODB_FAULT=pause:<point>` makes it wait (so a test can kill the process there).
//! Unset in normal use, where every point is a no-op.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::context::Context;

pub async fn point(ctx: &Context, name: &str) -> Result<()> {
    let Ok(spec) = std::env::var("ODOODB_FAULT") else { return Ok(()) };
    match spec.split_once(':') {
        Some(("fail", at)) if at == name => bail!("injected failure at {name}"),
        Some(("pause", at)) if at == name => {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_mins(1)) => Ok(()),
                () = ctx.wait_interrupt() => Ok(()),
            }
        }
        _ => Ok(()),
    }
}
