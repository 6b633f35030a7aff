//! Everything a command runs with: resolved settings, the printer, the confirmation policy,
//! and the Ctrl-C signal.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use anyhow::Result;
use tokio::sync::watch;

use crate::config::Resolved;
use crate::error::Failure;
use crate::output::Printer;
use crate::pg::{self, Client};

pub struct Context {
    pub config: Resolved,
    pub printer: Printer,
    /// `--yes`: confirmations are answered yes.
    pub assume_yes: bool,
    /// stdin and stderr are terminals, so a prompt can be answered.
    pub interactive: bool,
    interrupt: watch::Receiver<bool>,
}

impl Context {
    pub fn new(
        config: Resolved,
        printer: Printer,
        assume_yes: bool,
        interrupt: watch::Receiver<bool>,
    ) -> Self {
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        Self { config, printer, assume_yes, interactive, interrupt }
    }

    pub async fn connect(&self, db: &str) -> Result<Client> {
        pg::connect(&self.config.connect_params(), db).await
    }

    /// A connection for server-level work: `postgres`, else `template1`, as libpq tools do.
    pub async fn connect_admin(&self) -> Result<Client> {
        match self.connect("postgres").await {
            Ok(client) => Ok(client),
            Err(first) => self.connect("template1").await.map_err(|_| first),
        }
    }

    pub fn filestore(&self, db: &str) -> PathBuf {
        crate::filestore::path(&self.config.data_dir.value, db)
    }

    /// Whether Ctrl-C was pressed.
    pub fn interrupted(&self) -> bool {
        *self.interrupt.borrow()
    }

    /// Fails with the interrupted kind (exit 130) once Ctrl-C was pressed.
    pub fn check_interrupt(&self) -> Result<()> {
        if self.interrupted() { Err(Failure::interrupted().into()) } else { Ok(()) }
    }

    /// Resolves when Ctrl-C is pressed.
    pub async fn wait_interrupt(&self) {
        let mut receiver = self.interrupt.clone();
        let _ = receiver.wait_for(|pressed| *pressed).await;
    }
}
