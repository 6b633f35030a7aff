//! Fault injection for the tests, at named points between the steps of a change:
//! `ODOODB_FAULT=fail:<point>` makes the point fail (the run's own cleanup then runs),
//! `ODOODB_FAULT=crash:<point>` aborts the process on the spot (as kill -9 or a power cut would:
//! no cleanup, no destructor), `ODOODB_FAULT=pause:<point>` waits there up to a minute, until Ctrl-C,
//! or until the file named by `ODOODB_FAULT_RESUME` exists (so a test can signal or kill the
//! process at that point, or change the world under it and let it go on).
//! Several can be given, comma-separated (a failure, then a crash while undoing it).
//! Unset in normal use, where every point is a no-op.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::cancel::Cancel;

/// What is asked of the point `name`, if anything.
fn action(name: &str) -> Option<String> {
    let specs = std::env::var("ODOODB_FAULT").ok()?;
    specs.split(',').find_map(|spec| {
        let (action, at) = spec.split_once(':')?;
        (at == name).then(|| action.to_string())
    })
}

/// A point between two steps that must not wait (inside a swap).
pub fn step(name: &str) -> Result<()> {
    match action(name).as_deref() {
        Some("fail") => bail!("injected failure at {name}"),
        Some("crash") => std::process::abort(),
        _ => Ok(()),
    }
}

/// A point that may also pause.
pub async fn point(name: &str, cancel: &Cancel) -> Result<()> {
    if action(name).as_deref() == Some("pause") {
        let resume = std::env::var_os("ODOODB_FAULT_RESUME").map(std::path::PathBuf::from);
        let resumed = async {
            loop {
                if resume.as_ref().is_some_and(|file| file.exists()) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::select! {
            () = tokio::time::sleep(Duration::from_mins(1)) => {}
            () = cancel.wait() => {}
            () = resumed => {}
        }
        return Ok(());
    }
    step(name)
}
