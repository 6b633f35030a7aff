//! `odoodb delete <db>`: drop a database and remove its filestore, after showing what goes and
//! a typed confirmation.

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::DeleteArgs;
use crate::context::Context;
use crate::error::Failure;
use crate::filestore::{self, Entry};
use crate::odoo;
use crate::output::bytes;
use crate::pg::admin::{self, DatabaseState};
use crate::pg::schema::table_exists;
use crate::safe::delete::{self, Outcome};
use crate::sessions::{self, Consent};
use crate::{confirm, fault};

/// What `delete` removed from the filestore root.
#[derive(Debug, PartialEq, Eq)]
enum Removed {
    Nothing,
    Folder,
    /// A symbolic link; not what it points to.
    Link,
}

#[derive(Debug, Serialize)]
struct Report {
    database: String,
    /// `None` when it could not be told (an invalid database).
    odoo: Option<bool>,
    size_bytes: Option<i64>,
    filestore_path: String,
    filestore: filestore::Usage,
    /// Whether the filestore folder (or the link standing for it) was removed.
    filestore_removed: bool,
    /// Where the filestore path pointed, when it was a symbolic link: only the link is removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    filestore_link_target: Option<String>,
    last_login: Option<String>,
    dry_run: bool,
    steps: Vec<String>,
}

pub async fn run(ctx: &Context, args: &DeleteArgs) -> Result<()> {
    odoo::name::validate_existing(&args.db)?;
    let admin_client = ctx.connect_admin().await?;
    if !args.change.dry_run {
        ctx.recover(&admin_client).await.require_free(&args.db)?;
    }
    let Some(row) = admin::find_database(&admin_client, &args.db).await? else {
        return absent(ctx, &admin_client, args).await;
    };
    let (is_odoo, last_login) = inspect(ctx, &admin_client, args).await?;

    let folder = ctx.filestore(&args.db);
    let root = ctx.filestore_root();
    filestore::require_root_usable(&root)?;
    let entry = filestore::entry(&folder)?;
    if entry == Entry::Other {
        return Err(Failure::failed(format!("{} is not a folder", folder.display()))
            .unchanged()
            .hint("move that file away (it is not a filestore), or pass --keep-filestore")
            .into());
    }
    let usage = filestore::measure(&folder)?;
    let remove_folder = entry != Entry::Absent && !args.keep_filestore;
    if remove_folder {
        filestore::require_writable(&root)?;
    }
    let backup_dir = args.dir.clone().unwrap_or_else(|| crate::backup::backup_dir(ctx));
    let mut steps = Vec::new();
    if args.backup_first {
        steps.push(format!("back up {} into {} first", args.db, shown_dir(&backup_dir)));
    }
    steps.extend(drop_steps(&admin_client, args).await?);
    steps.push(filestore_step(&entry, args.keep_filestore, &folder));
    let mut report = Report {
        database: args.db.clone(),
        odoo: is_odoo,
        size_bytes: row.size_bytes,
        filestore_path: folder.display().to_string(),
        filestore: usage.clone(),
        filestore_removed: false,
        filestore_link_target: match &entry {
            Entry::Link(target) => Some(target.display().to_string()),
            _ => None,
        },
        last_login,
        dry_run: args.change.dry_run,
        steps,
    };
    ctx.printer.status(&summary(&report, &backup_line(args, &backup_dir)));
    if args.change.dry_run {
        return ctx
            .printer
            .emit(&report, || format!("Plan (nothing changed):\n  {}", report.steps.join("\n  ")));
    }

    match confirm::production_reason(ctx, &args.db) {
        Some(reason) => {
            confirm::guard_production(
                ctx,
                &args.db,
                &reason,
                "delete it for good",
                Some(args.force),
            )
            .await?;
        }
        None => confirm::typed_name(ctx, "delete it for good", &args.db).await?,
    }
    if args.backup_first {
        crate::backup::before_change(ctx, &args.db, Some(&backup_dir)).await?;
    }
    let consent =
        sessions::consent(ctx, &admin_client, &args.db, args.change.force_disconnect).await?;
    ctx.check_interrupt()?;

    let removed = execute(ctx, &admin_client, args, consent, remove_folder, &entry).await?;
    report.filestore_removed = removed != Removed::Nothing;
    ctx.printer.done(&report, || {
        let filestore = match (&removed, &entry) {
            (Removed::Folder, _) => " and its filestore".to_string(),
            (Removed::Link, Entry::Link(target)) => format!(
                " and the symbolic link {} (its target {} was left as it is)",
                report.filestore_path,
                target.display()
            ),
            _ => String::new(),
        };
        format!("Deleted {}{filestore}", args.db)
    })
}

/// The delete itself, through the safe-change module; returns what left the filestore root.
async fn execute(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    args: &DeleteArgs,
    consent: Consent,
    remove_folder: bool,
    entry: &Entry,
) -> Result<Removed> {
    let site = ctx.site(admin_client);
    let deleting = delete::begin(&site, "delete", &args.db, remove_folder).await?;
    let dropped = async {
        deleting.set_folder_aside()?;
        fault::point("before-drop", &ctx.cancel).await?;
        // WITH (FORCE) (PostgreSQL 13+) ends the sessions in the same breath as the drop.
        let force = consent == Consent::Granted
            && admin::server_version_num(admin_client).await? >= 130_000;
        let sql = admin::drop_existing_sql(&args.db, force);
        sessions::run_exclusive(ctx, admin_client, &args.db, consent, &sql).await
    }
    .await;
    // Whatever the drop answered, the server says what happened; the folder follows that.
    match (deleting.conclude().await?, dropped) {
        (Outcome::Kept, Err(error)) => {
            Err(error.context(format!("dropping {} failed; nothing was changed", args.db)))
        }
        (Outcome::Kept, Ok(())) => {
            Err(Failure::failed(format!("{} is still there after DROP DATABASE", args.db))
                .unchanged()
                .into())
        }
        (Outcome::Dropped { folder_removed, leftover }, dropped) => {
            if dropped.is_err() {
                ctx.printer.warn(&format!(
                    "the drop of {} had taken effect when it was interrupted: finished deleting it",
                    args.db
                ));
            }
            if let Some(leftover) = leftover {
                ctx.printer.warn(&leftover);
            }
            Ok(match (entry, remove_folder && folder_removed) {
                (_, false) => Removed::Nothing,
                (Entry::Link(_), true) => Removed::Link,
                (_, true) => Removed::Folder,
            })
        }
    }
}

/// Whether the database is Odoo's (`None`: invalid, so it cannot be told) and when someone last
/// logged in; refuses a database that is not Odoo's without `--force`.
async fn inspect(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    args: &DeleteArgs,
) -> Result<(Option<bool>, Option<String>)> {
    let state = admin::database_state(admin_client, &args.db).await?;
    if state == DatabaseState::Invalid {
        // Nobody can connect to it; it can only be dropped, which is what was asked.
        ctx.printer.warn(&format!(
            "{} is invalid (an earlier DROP DATABASE was interrupted): it can only be dropped",
            args.db
        ));
        return Ok((None, None));
    }
    if let Some(twin) = crate::safe::kept::closed_twin(admin_client, &args.db).await? {
        // Closed to everyone: what it is, its mark says; it can be dropped as it is.
        ctx.printer.status(&format!("{} is {}", args.db, twin.describe()));
        return Ok((Some(true), None));
    }
    let client = ctx.connect(&args.db).await?;
    let is_odoo = odoo::is_odoo(&client).await?;
    if !is_odoo && !args.force {
        return Err(Failure::failed(format!("{:?} is not an Odoo database", args.db))
            .unchanged()
            .hint("pass --force to drop it anyway")
            .into());
    }
    if is_odoo && !args.keep_filestore {
        ctx.require_filestore_if_needed(&client, &args.db, args.force).await?;
    }
    let last_login = if is_odoo { last_login(&client).await? } else { None };
    Ok((Some(is_odoo), last_login))
}

/// The database is not there: fine with --if-exists, else an error naming the closest name.
async fn absent(ctx: &Context, admin_client: &crate::pg::Client, args: &DeleteArgs) -> Result<()> {
    if args.if_exists {
        ctx.printer.status(&format!("{} does not exist: nothing to delete", args.db));
        return Ok(());
    }
    let hint = crate::context::not_found_hint(
        admin_client,
        &args.db,
        "`odoodb list --all` shows the databases on this server",
    )
    .await;
    Err(Failure::failed(format!("database {:?} does not exist", args.db)).hint(hint).into())
}

/// What happens to the filestore folder, as the plan shows it.
fn filestore_step(entry: &Entry, keep: bool, folder: &std::path::Path) -> String {
    match (entry, keep) {
        (Entry::Link(target), false) => format!(
            "rm {} (a symbolic link: the link goes, its target {} is left as it is)",
            folder.display(),
            target.display()
        ),
        (Entry::Absent, _) => format!("no filestore folder at {}", folder.display()),
        (_, false) => format!("rm -r {}", folder.display()),
        (_, true) => format!("keep {}", folder.display()),
    }
}

/// The drop as the run will issue it: `WITH (FORCE)` only once ending the sessions is agreed
/// (--force-disconnect, or yes at the question), a plain drop otherwise, which the connected
/// sessions of now would stop.
async fn drop_steps(admin_client: &crate::pg::Client, args: &DeleteArgs) -> Result<Vec<String>> {
    let force =
        args.change.force_disconnect && admin::server_version_num(admin_client).await? >= 130_000;
    let mut steps = vec![format!("{};", admin::drop_existing_sql(&args.db, force))];
    let sessions = admin::sessions(admin_client, &args.db)
        .await?
        .into_iter()
        .filter(|s| s.application != "odoodb")
        .count();
    if sessions > 0 && !args.change.force_disconnect {
        steps.push(format!(
            "({sessions} session(s) connected now: the run asks to end them at a terminal, and \
             stops without one; --force-disconnect ends them)"
        ));
    }
    Ok(steps)
}

/// A folder as the messages show it: absolute, so the current folder is not a bare `.`.
fn shown_dir(dir: &std::path::Path) -> String {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()).display().to_string()
}

/// What the summary says of backups: the newest there is, and the one about to be made.
fn backup_line(args: &DeleteArgs, dir: &std::path::Path) -> String {
    let newest = newest_backup(&args.db, dir, args.backup_first);
    if args.backup_first {
        format!("{newest} A backup is made first (--backup-first).")
    } else {
        newest
    }
}

/// The newest backup of `db` in `dir`, as a sentence.
fn newest_backup(db: &str, dir: &std::path::Path, backup_first: bool) -> String {
    match crate::backup::backups_of(db, dir).first() {
        Some((time, path)) => {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            format!(
                "Newest backup of this database: {} ({}, {}).",
                path.display(),
                bytes(size),
                time.format("%Y-%m-%d %H:%M:%S")
            )
        }
        None if backup_first => {
            format!("odoodb knows of no earlier backup of this database in {}.", shown_dir(dir))
        }
        None => format!(
            "odoodb knows of no backup of this database in {}: once deleted, it is gone (--backup-first makes one).",
            shown_dir(dir)
        ),
    }
}

fn summary(report: &Report, backup: &str) -> String {
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
    format!("{}: database {size}; filestore: {filestore}; {login}.\n{backup}", report.database)
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
