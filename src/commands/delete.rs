//! `odoodb delete <db>`: drop a database and remove its filestore, after showing what goes and
//! a typed confirmation.

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::DeleteArgs;
use crate::context::Context;
use crate::error::Failure;
use crate::filestore;
use crate::odoo;
use crate::output::bytes;
use crate::pg::admin;
use crate::pg::schema::table_exists;
use crate::sessions::{self, Consent};
use crate::tempname::{self, Kind};
use crate::{confirm, fault, recovery};

#[derive(Debug, Serialize)]
struct Report {
    database: String,
    odoo: bool,
    size_bytes: Option<i64>,
    filestore_path: String,
    filestore: filestore::Usage,
    filestore_removed: bool,
    last_login: Option<String>,
    dry_run: bool,
    steps: Vec<String>,
}

pub async fn run(ctx: &Context, args: &DeleteArgs) -> Result<()> {
    odoo::name::validate(&args.db)?;
    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        recovery::sweep(ctx, &admin_client).await?;
    }
    let Some(row) = admin::find_database(&admin_client, &args.db).await? else {
        return Err(Failure::failed(format!("database {:?} does not exist", args.db))
            .hint("`odoodb list --all` shows the databases on this server")
            .into());
    };
    let client = ctx.connect(&args.db).await?;
    let is_odoo = odoo::is_odoo(&client).await?;
    if !is_odoo && !args.force {
        return Err(Failure::failed(format!(
            "{:?} is not an Odoo database; nothing was changed",
            args.db
        ))
        .hint("pass --force to drop it anyway")
        .into());
    }
    let last_login = if is_odoo { last_login(&client).await? } else { None };
    drop(client);

    let folder = ctx.filestore(&args.db);
    let usage = filestore::measure(&folder)?;
    let root = filestore::root(&ctx.config.data_dir.value);
    let remove_folder = usage.exists && !args.keep_filestore;
    if remove_folder {
        filestore::require_writable(&root)?;
    }
    let force = admin::server_version_num(&admin_client).await? >= 130_000;
    let drop_sql = admin::drop_sql(&args.db, force);
    let mut steps = vec![format!("{drop_sql};")];
    steps.push(match (usage.exists, args.keep_filestore) {
        (true, false) => format!("rm -r {}", folder.display()),
        (true, true) => format!("keep {}", folder.display()),
        (false, _) => format!("no filestore folder at {}", folder.display()),
    });
    let mut report = Report {
        database: args.db.clone(),
        odoo: is_odoo,
        size_bytes: row.size_bytes,
        filestore_path: folder.display().to_string(),
        filestore: usage.clone(),
        filestore_removed: false,
        last_login,
        dry_run: args.change.dry_run,
        steps,
    };
    ctx.printer.status(&summary(&report));
    if args.change.dry_run {
        return ctx
            .printer
            .emit(&report, || format!("Plan (nothing changed):\n  {}", report.steps.join("\n  ")));
    }

    confirm::typed_name(ctx, "delete it for good", &args.db).await?;
    let consent =
        sessions::consent(ctx, &admin_client, &args.db, args.change.force_disconnect).await?;
    // The folder is moved aside first, so a failed drop can put it back untouched.
    let aside = root.join(tempname::make(&args.db, Kind::Deleting));
    if remove_folder {
        filestore::rename(&folder, &aside)?;
    }
    let sql = if consent == Consent::Granted { drop_sql } else { admin::drop_sql(&args.db, false) };
    let dropped = async {
        fault::point(ctx, "before-drop").await?;
        sessions::run_exclusive(ctx, &admin_client, &args.db, consent, &sql).await
    }
    .await;
    if let Err(error) = dropped {
        if remove_folder {
            filestore::rename(&aside, &folder)
                .context("the drop failed and the filestore folder could not be put back")?;
        }
        return Err(error.context(format!("dropping {} failed; nothing was changed", args.db)));
    }
    if remove_folder {
        filestore::remove(&aside).with_context(|| {
            format!("{} was dropped, but its filestore (moved to {}) could not be removed: remove it by hand", args.db, aside.display())
        })?;
        report.filestore_removed = true;
    }
    ctx.printer.emit(&report, || {
        format!(
            "Deleted {}{}",
            args.db,
            if report.filestore_removed { " and its filestore" } else { "" }
        )
    })
}

fn summary(report: &Report) -> String {
    let size =
        report.size_bytes.map_or_else(|| "?".into(), |n| bytes(u64::try_from(n).unwrap_or(0)));
    let filestore = if report.filestore.exists {
        format!(
            "{} in {} files at {}",
            bytes(report.filestore.bytes),
            report.filestore.files,
            report.filestore_path
        )
    } else {
        "no filestore folder".to_string()
    };
    let login = report
        .last_login
        .as_deref()
        .map_or_else(|| "no login recorded".into(), |t| format!("last login {t}"));
    format!(
        "{}: database {size}, filestore {filestore}, {login}.\nodoodb knows of no backup of this database: once deleted, it is gone.",
        report.database
    )
}

/// The last time anyone logged in, from Odoo's login log.
async fn last_login(client: &crate::pg::Client) -> Result<Option<String>> {
    if !table_exists(client, "res_users_log").await? {
        return Ok(None);
    }
    let row = client
        .query_one("SELECT to_char(max(create_date), 'YYYY-MM-DD HH24:MI') FROM res_users_log", &[])
        .await
        .context("cannot read res_users_log")?;
    Ok(row.get(0))
}
