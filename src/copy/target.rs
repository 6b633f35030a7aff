//! Whether the name a new database is to take is free, and the confirmation before a copy
//! replaces what holds it.

use anyhow::Result;

use crate::confirm;
use crate::context::Context;
use crate::error::Failure;
use crate::filestore::{self, Entry};
use crate::pg::{Client, admin};

/// What holds a name today: a database, a filestore folder, both or neither.
#[derive(Debug, Clone, Copy)]
pub struct Existing {
    pub database: bool,
    pub folder: bool,
}

impl Existing {
    /// The new database replaces what holds the name.
    pub fn taken(self) -> bool {
        self.database || self.folder
    }

    /// Refuses a taken name unless `force`; `hint` says what to do instead.
    pub fn require_free_unless(
        self,
        force: bool,
        ctx: &Context,
        name: &str,
        hint: &str,
    ) -> Result<()> {
        if !self.taken() || force {
            return Ok(());
        }
        let what = if self.database {
            "database".to_string()
        } else {
            format!("filestore folder at {}", ctx.filestore(name).display())
        };
        Err(Failure::failed(format!("{name} already exists (as a {what})"))
            .unchanged()
            .hint(hint)
            .into())
    }
}

/// Looks at `name`: its database, and its folder (which, if there, must be a folder).
pub async fn existing(ctx: &Context, admin_client: &Client, name: &str) -> Result<Existing> {
    let folder = ctx.filestore(name);
    let entry = filestore::require_folder_or_absent(&folder, &format!("the filestore of {name}"))?;
    Ok(Existing {
        database: admin::database_exists(admin_client, name).await?,
        folder: entry != Entry::Absent,
    })
}

/// The typed name before a copy replaces `name` (`action` says what happens to it) — a
/// production-looking name needs it typed even with `--yes`.
pub async fn confirm_replace(ctx: &Context, name: &str, action: &str) -> Result<()> {
    match confirm::production_reason(ctx, name) {
        Some(reason) => confirm::guard_production(ctx, name, &reason, "replace it", None).await,
        None => confirm::typed_name(ctx, action, name).await,
    }
}
