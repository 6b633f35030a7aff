//! pg_dump as a child process: its messages spooled aside for the error, stopped at Ctrl-C.
//! Whoever runs it (a backup, an upgrade's dump) says where its output goes.

use std::process::Stdio;

use anyhow::{Context as _, Result};

use crate::cancel::Cancel;
use crate::error::Failure;

/// pg_dump's messages: an unnamed file, read only when it fails (a pipe could fill and stall
/// it; a named file would outlive a killed run).
pub struct Messages(std::fs::File);

impl Messages {
    /// The spool, and the handle to give the child as its stderr.
    pub fn new() -> Result<(Self, std::fs::File)> {
        let file = tempfile::tempfile().context("cannot create a temporary file")?;
        let for_child = file.try_clone().context("cannot open a temporary file")?;
        Ok((Self(file), for_child))
    }

    /// pg_dump's failure, with what it said; `hint` says what the failure left.
    pub fn failure(&self, status: std::process::ExitStatus, hint: &str) -> anyhow::Error {
        use std::io::{Read as _, Seek as _};
        let mut text = String::new();
        let mut file = &self.0;
        let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
        let text = crate::output::terminal_safe(text.trim());
        Failure::failed(format!(
            "pg_dump failed ({status}){}",
            if text.is_empty() { String::new() } else { format!(": {text}") }
        ))
        .hint(hint)
        .into()
    }
}

/// Runs pg_dump to its end, or until Ctrl-C (then kills it and fails as interrupted). Its
/// stdin is closed; its stdout is the caller's to set. `hint` goes with a failure.
pub async fn run(cancel: &Cancel, mut command: tokio::process::Command, hint: &str) -> Result<()> {
    let (messages, stderr) = Messages::new()?;
    command.kill_on_drop(true).stdin(Stdio::null()).stderr(Stdio::from(stderr));
    let mut child = command.spawn().context("cannot start pg_dump")?;
    tokio::select! {
        status = child.wait() => {
            let status = status.context("pg_dump did not finish")?;
            if status.success() { Ok(()) } else { Err(messages.failure(status, hint)) }
        }
        () = cancel.wait() => {
            let _ = child.kill().await;
            Err(Failure::interrupted().into())
        }
    }
}

/// Kills and reaps a pg_dump run on a blocking thread if its reader gives up before it is done.
pub struct ChildGuard(pub std::process::Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
