//! `odoodb rename <old> <new>`: the database and its filestore folder together, or neither.

use anyhow::Result;
use serde::Serialize;

use crate::cli::RenameArgs;
use crate::context::Context;
use crate::error::Failure;
use crate::filestore;
use crate::odoo;
use crate::pg::admin;
use crate::sessions::{self, Consent};
use crate::{confirm, fault, recovery};

#[derive(Debug, Serialize)]
struct Report {
    old: String,
    new: String,
    filestore_moved: bool,
    dry_run: bool,
    steps: Vec<String>,
}

#[allow(
    clippy::too_many_lines,
    reason = "one linear story: check, plan, confirm, rename, move or roll back"
)]
pub async fn run(ctx: &Context, args: &RenameArgs) -> Result<()> {
    odoo::name::validate(&args.old)?;
    odoo::name::validate(&args.new)?;
    if args.old == args.new {
        return Err(Failure::usage("the old and the new name are the same")
            .hint("name a new database name")
            .into());
    }
    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        recovery::sweep(ctx, &admin_client).await?;
    }
    if !admin::database_exists(&admin_client, &args.old).await? {
        return Err(Failure::failed(format!("database {:?} does not exist", args.old))
            .hint("`odoodb list` shows the Odoo databases on this server")
            .into());
    }
    odoo::require_odoo(&ctx.connect(&args.old).await?, &args.old).await?;
    let old_folder = ctx.filestore(&args.old);
    let new_folder = ctx.filestore(&args.new);
    if admin::database_exists(&admin_client, &args.new).await? {
        return Err(Failure::failed(format!("database {} already exists", args.new))
            .hint("choose another name")
            .into());
    }
    if new_folder.exists() {
        return Err(Failure::failed(format!(
            "a filestore folder already exists at {}",
            new_folder.display()
        ))
        .hint("choose another name, or move that folder away if it is a leftover")
        .into());
    }
    let move_folder = old_folder.exists();
    if move_folder {
        filestore::require_writable(&filestore::root(&ctx.config.data_dir.value))?;
    }
    let rename_sql = admin::rename_sql(&args.old, &args.new);
    let mut steps = vec![format!("{rename_sql};")];
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

    confirm::typed_name(
        ctx,
        &format!(
            "rename it to {} (clients configured with the old name will stop working)",
            args.new
        ),
        &args.old,
    )
    .await?;
    let consent =
        sessions::consent(ctx, &admin_client, &args.old, args.change.force_disconnect).await?;
    sessions::run_exclusive(ctx, &admin_client, &args.old, consent, &rename_sql).await?;
    let moved = async {
        fault::point(ctx, "before-filestore-move").await?;
        if move_folder { filestore::rename(&old_folder, &new_folder) } else { Ok(()) }
    }
    .await;
    if let Err(error) = moved {
        let back = sessions::run_exclusive(
            ctx,
            &admin_client,
            &args.new,
            Consent::Granted,
            &admin::rename_sql(&args.new, &args.old),
        )
        .await;
        return Err(match back {
            Ok(()) => error.context(format!("moving the filestore failed, so the database was renamed back to {}; nothing was changed", args.old)),
            Err(back_error) => error.context(format!(
                "moving the filestore failed, and renaming the database back failed too ({}): the database is now {}, its filestore still {}",
                crate::error::one_line(&back_error),
                args.new,
                old_folder.display()
            )),
        });
    }
    let report = Report {
        old: args.old.clone(),
        new: args.new.clone(),
        filestore_moved: move_folder,
        dry_run: false,
        steps,
    };
    ctx.printer.emit(&report, || {
        format!(
            "Renamed {} → {}{}",
            report.old,
            report.new,
            if move_folder { " (database and filestore)" } else { " (no filestore folder)" }
        )
    })
}
