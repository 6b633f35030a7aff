//! Build, then install: the new database is built under temporary names (journaled, so a kill -9
//! is settled by the next run), and takes its name only once the whole build succeeded. Any
//! failure or Ctrl-C during the build removes the temporaries; what held the name is untouched.

use anyhow::Result;

use crate::context::Context;
use crate::error::{Failure, one_line};
use crate::pg::Client;
use crate::safe::install::{self, Install};

/// The new database to make.
pub struct Spec<'n> {
    /// Who makes it, for the journal and `odoodb recover` (`duplicate`, `restore`, …).
    pub operation: &'static str,
    pub name: &'n str,
    /// What holds the name may be replaced (it goes once the new one is in place).
    pub replace: bool,
    /// The new database comes with a filestore folder.
    pub with_folder: bool,
    /// An upgrade in place: what holds the name is kept under this name, not dropped, and is
    /// opened to connections again however the change ends.
    pub keep_previous_as: Option<&'n str>,
    /// The sessions of the database being replaced may be ended at the swap (the user said so).
    pub end_sessions: bool,
}

/// Why no new database took the name; in every case what held it is as it was.
pub enum NotMade {
    /// The change could not start (the journal, a name already in use).
    NotStarted(anyhow::Error),
    /// The build failed or was interrupted, and its temporaries were removed — unless
    /// `cleanup` says why not (then the next run, or `odoodb recover`, removes them).
    Abandoned { error: anyhow::Error, cleanup: Option<anyhow::Error>, interrupted: bool },
    /// The build was complete, but putting it in place failed and was rolled back.
    NotInstalled(anyhow::Error),
}

impl NotMade {
    /// The usual message: `<what> failed; nothing was changed (…)`; plain "interrupted" after
    /// Ctrl-C once the temporaries are gone.
    pub fn explain(self, what: &str) -> anyhow::Error {
        match self {
            Self::NotStarted(error) | Self::NotInstalled(error) => error,
            Self::Abandoned { interrupted: true, cleanup: None, .. } => {
                Failure::interrupted().into()
            }
            Self::Abandoned { error, cleanup: None, .. } => error.context(format!(
                "{what} failed; nothing was changed (its temporary database and folder were removed)"
            )),
            Self::Abandoned { error, cleanup: Some(cleanup), interrupted } => {
                let message = format!(
                    "{what} failed, and removing its temporary copy failed too ({}); `odoodb recover` removes it (so does the next odoodb run that changes something)",
                    one_line(&cleanup)
                );
                // Ctrl-C still ends the run with 130, whatever the cleanup met.
                let error = if interrupted { Failure::interrupted().into() } else { error };
                error.context(message)
            }
        }
    }
}

/// Builds the new database with `work` (given the install, whose temporary names it fills),
/// then puts it in place under `spec.name`; returns what the build returned.
pub async fn make<T>(
    ctx: &Context,
    admin_client: &Client,
    spec: &Spec<'_>,
    work: impl AsyncFnOnce(&mut Install<'_, '_>) -> Result<T>,
) -> Result<T, NotMade> {
    let site = ctx.site(admin_client);
    let begun = match spec.keep_previous_as {
        Some(keep_as) => install::begin_upgrade(&site, spec.operation, spec.name, keep_as).await,
        None => {
            install::begin(&site, spec.operation, spec.name, spec.replace, spec.with_folder).await
        }
    };
    let mut install = begun.map_err(NotMade::NotStarted)?;
    let built = match work(&mut install).await {
        Ok(built) => built,
        Err(error) => {
            let interrupted = ctx.cancel.is_set();
            let cleanup = install.abandon().await.err();
            return Err(NotMade::Abandoned { error, cleanup, interrupted });
        }
    };
    let installed = install.complete(spec.end_sessions).await.map_err(NotMade::NotInstalled)?;
    // What was replaced but could not be removed: the next run removes it.
    if let Some(leftover) = &installed.leftover {
        ctx.printer.warn(leftover);
    }
    Ok(built)
}
