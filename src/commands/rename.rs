//! `odoodb rename <old> <new>`: the database and its filestore folder together, or neither,
//! through the safe-change module (journaled, recovered after a crash).

use anyhow::Result;
use serde::Serialize;

use crate::cli::RenameArgs;
use crate::confirm;
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::filestore::{self, Entry};
use crate::odoo;
use crate::pg::admin;
use crate::safe::rename;
use crate::sessions::{self, Consent};

#[derive(Debug, Serialize)]
struct Report {
    old: String,
    new: String,
    filestore_moved: bool,
    dry_run: bool,
    steps: Vec<String>,
}

pub async fn run(ctx: &Context, args: &RenameArgs) -> Result<()> {
    odoo::name::validate_existing(&args.old)?;
    odoo::name::validate(&args.new)?;
    if args.old == args.new {
        return Err(usage_error(
            "the old and the new name are the same",
            "name a new database name",
        ));
    }
    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        let sweep = ctx.recover(&admin_client).await;
        sweep.require_free(&args.old)?;
        sweep.require_free(&args.new)?;
    }
    let client = ctx.open_odoo(&admin_client, &args.old).await?;
    ctx.require_filestore_if_needed(&client, &args.old, args.force).await?;
    drop(client);
    let root = ctx.filestore_root();
    filestore::require_root_usable(&root)?;
    let old_folder = ctx.filestore(&args.old);
    let new_folder = ctx.filestore(&args.new);
    if admin::database_exists(&admin_client, &args.new).await? {
        return Err(Failure::failed(format!("database {} already exists", args.new))
            .unchanged()
            .hint("choose another name")
            .into());
    }
    let taken = match filestore::entry(&new_folder)? {
        Entry::Absent => None,
        Entry::Folder => Some("a filestore folder"),
        Entry::Link(_) => Some("a symbolic link"),
        Entry::Other => Some("a file"),
    };
    if let Some(what) = taken {
        return Err(Failure::failed(format!("{what} already exists at {}", new_folder.display()))
            .unchanged()
            .hint("choose another name, or move it away if it is a leftover")
            .into());
    }
    let move_folder = filestore::entry(&old_folder)? != Entry::Absent;
    if move_folder {
        filestore::require_writable(&root)?;
    }
    let mut steps = vec![format!("{};", admin::rename_sql(&args.old, &args.new))];
    steps.push(if move_folder {
        format!("mv {} → {}", old_folder.display(), new_folder.display())
    } else {
        format!("no filestore folder at {}: nothing to move", old_folder.display())
    });
    if args.change.dry_run {
        let report = Report {
            old: args.old.clone(),
            new: args.new.clone(),
            filestore_moved: false,
            dry_run: true,
            steps,
        };
        return ctx
            .printer
            .emit(&report, || format!("Plan (nothing changed):\n  {}", report.steps.join("\n  ")));
    }

    let action = format!(
        "rename it to {} (clients configured with the old name will stop working)",
        args.new
    );
    match confirm::production_reason(ctx, &args.old) {
        Some(reason) => {
            confirm::guard_production(ctx, &args.old, &reason, &action, Some(args.force)).await?;
        }
        None => confirm::typed_name(ctx, &action, &args.old).await?,
    }
    let consent =
        sessions::consent(ctx, &admin_client, &args.old, args.change.force_disconnect).await?;
    ctx.check_interrupt()?;
    let site = ctx.site(&admin_client);
    let renaming = rename::begin(&site, "rename", &args.old, &args.new, move_folder).await?;
    renaming.complete(consent == Consent::Granted, &ctx.cancel).await?;
    let report = Report {
        old: args.old.clone(),
        new: args.new.clone(),
        filestore_moved: move_folder,
        dry_run: false,
        steps,
    };
    ctx.printer.done(&report, || {
        format!(
            "Renamed {} → {}{}",
            report.old,
            report.new,
            if move_folder { " (database and filestore)" } else { " (no filestore folder)" }
        )
    })
}
