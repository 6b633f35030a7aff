//! Fault injection for the tests, at named points between the steps of a change:
//! `ODOODB_FAULT=fail:<point>` makes the point fail (the run's own cleanup then runs),
//! `ODOODB_FAULT=crash:<point>` aborts the process on the spot (as kill -9 or a power cut would:
//! no cleanup, no destructor), `ODOODB_FAULT=pause:<point>` waits there up to a minute or until
//! Ctrl-C (so a test can signal or kill the process at that point).
//! Unset in normal use, where every point is a no-op.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::cancel::Cancel;

fn spec() -> Option<(String, String)> {
    let spec = std::env::var("ODOODB_FAULT").ok()?;
    let (action, at) = spec.split_once(':')?;
    Some((action.to_string(), at.to_string()))
}

/// A point between two steps that must not wait (inside a swap).
pub fn step(name: &str) -> Result<()> {
    match spec() {
        Some((action, at)) if at == name => match action.as_str() {
            "fail" => bail!("injected failure at {name}"),
            "crash" => std::process::abort(),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A point that may also pause.
pub async fn point(name: &str, cancel: &Cancel) -> Result<()> {
    match spec() {
        Some((action, at)) if at == name && action == "pause" => {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_mins(1)) => Ok(()),
                () = cancel.wait() => Ok(()),
            }
        }
        _ => step(name),
    }
}
