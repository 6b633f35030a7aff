//! `backup --dry-run`: every check a backup makes before it writes, then for each database the
//! archive it would write, what it may need against the folder's free space, and the older
//! backups retention would remove once it exists (counted as the newest). Writes nothing.

use anyhow::Result;
use serde::Serialize;

use super::make::filestore_plan;
use super::retention::{would_prune, would_prune_objects};
use super::space::{self, Estimate, Space, require_folder, would_write};
use super::{Request, Target, format_name};
use crate::context::Context;
use crate::odoo;
use crate::output::bytes;
use crate::pg::tools::Tool;

/// What the dry run found.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub dry_run: bool,
    pub databases: Vec<Planned>,
    /// Under `--all`: the databases that could not be backed up, and why.
    pub failed: Vec<Unplanned>,
    /// The target folder's free space against what the backups may need; for a tar.gz streamed
    /// or uploaded, the temporary folder's, for its spooled dump (none otherwise).
    pub space: Option<Space>,
    /// Whether the real run would check it (not with `--no-space-check`).
    pub space_check: bool,
    #[serde(skip)]
    estimates: Vec<Estimate>,
    #[serde(skip)]
    parallel: usize,
}

/// What the backup of one database would do.
#[derive(Debug, Serialize)]
pub struct Planned {
    pub database: String,
    /// The archive it would write (`-` for stdout).
    pub archive: String,
    pub format: &'static str,
    pub estimate: Estimate,
    /// The older backups retention would remove once the new one is complete, oldest first.
    pub would_remove: Vec<String>,
}

/// A database the run could not back up, and why.
#[derive(Debug, Serialize)]
pub struct Unplanned {
    pub database: String,
    pub error: String,
}

/// The dry run of the backups of `databases`, `parallel` at a time. One database's failed check
/// is the error of a single backup; with `keep_going` (`--all`) it is listed with those of
/// `unreadable`, as the run would list them.
pub async fn dry_run(
    ctx: &Context,
    databases: &[String],
    unreadable: Vec<(String, Option<String>)>,
    request: &Request,
    parallel: usize,
    keep_going: bool,
    space_check: bool,
) -> Result<Plan> {
    let when = chrono::Local::now();
    let mut planned = Vec::new();
    let mut failed: Vec<Unplanned> = unreadable
        .into_iter()
        .map(|(database, error)| Unplanned { database, error: error.unwrap_or_default() })
        .collect();
    for db in databases {
        match plan(ctx, db, request, when).await {
            Ok(plan) => planned.push(plan),
            Err(error) if keep_going => {
                let error = crate::error::one_line(&error);
                failed.push(Unplanned { database: db.clone(), error });
            }
            Err(error) => return Err(error),
        }
    }
    let estimates: Vec<Estimate> = planned.iter().map(|p| p.estimate.clone()).collect();
    let space =
        space::room(request).map(|room| space::measure(&room, &estimates, parallel)).transpose()?;
    Ok(Plan {
        dry_run: true,
        databases: planned,
        failed,
        space_check: space_check && space.is_some(),
        space,
        estimates,
        parallel,
    })
}

impl Plan {
    /// Exit as the real run would: not enough space fails (unless `--no-space-check`).
    pub fn verdict(&self) -> Result<()> {
        match &self.space {
            Some(space) if self.space_check => space.require(&self.estimates, self.parallel),
            _ => Ok(()),
        }
    }

    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut text = String::from("Dry run: nothing was written.");
        for plan in &self.databases {
            let estimate = &plan.estimate;
            let _ = write!(
                text,
                "\n{}: would write {} ({}), up to {} (database {}, filestore {}",
                plan.database,
                plan.archive,
                plan.format,
                bytes(estimate.archive_bytes),
                bytes(estimate.database_bytes),
                bytes(estimate.filestore_bytes),
            );
            if estimate.spool_bytes > 0 {
                let _ = write!(
                    text,
                    "; and its dump, up to {}, spooled {} meanwhile",
                    bytes(estimate.spool_bytes),
                    match &self.space {
                        Some(space) if space.spool_only => format!("in {}", space.folder.display()),
                        _ => "beside it".to_string(),
                    }
                );
            }
            text.push(')');
            match plan.would_remove.as_slice() {
                [] => text.push_str("\n  retention would remove nothing"),
                paths => {
                    for path in paths {
                        let _ = write!(text, "\n  retention would remove {path}");
                    }
                }
            }
        }
        for unplanned in &self.failed {
            let _ =
                write!(text, "\n{}: cannot be backed up: {}", unplanned.database, unplanned.error);
        }
        if let Some(space) = &self.space {
            let _ = write!(
                text,
                "\nFree space in {}{}: {}; needed at most about {} ({} at a time, plus {}%): {}",
                if space.spool_only { "the temporary folder " } else { "" },
                space.folder.display(),
                bytes(space.free_bytes),
                bytes(space.needed_bytes),
                self.parallel.max(1),
                space.margin_percent,
                if !self.space_check {
                    "not checked (--no-space-check)"
                } else if space.enough() {
                    "enough"
                } else {
                    "NOT ENOUGH"
                }
            );
        }
        crate::output::terminal_safe(&text)
    }
}

/// What the backup of `db` would do, after the checks `make` makes before it writes anything
/// (the name, an Odoo database this role can read, a pg_dump for its server, the filestore, the
/// folder); writes nothing.
async fn plan(
    ctx: &Context,
    db: &str,
    request: &Request,
    when: chrono::DateTime<chrono::Local>,
) -> Result<Planned> {
    odoo::name::validate_existing(db)?;
    let admin_client = ctx.connect_admin().await?;
    let client = ctx.open_odoo(&admin_client, db).await?;
    let server = crate::pg::admin::server_version_num(&admin_client).await?;
    let note = |line: &str| ctx.printer.status(line);
    Tool::find_for_server(
        "pg_dump",
        ctx.config.pg_path.as_deref(),
        &ctx.params,
        u32::try_from(server / 10_000).unwrap_or(0),
        &note,
    )
    .await?;
    filestore_plan(ctx, &client, db, request).await?;
    drop(client);
    require_folder(&request.target)?;
    let new = would_write(db, request, when);
    let estimate = space::estimate(ctx, &admin_client, db, request, new.as_deref()).await?;
    let shown = |paths: Vec<std::path::PathBuf>| -> Vec<String> {
        paths.iter().map(|p| p.display().to_string()).collect()
    };
    let (archive, would_remove) = match (&request.target, new) {
        (Target::Objects(prefix), _) => {
            let stamp = when.format("%Y-%m-%d_%H-%M-%S");
            let name = format!(
                "{db}_{stamp}.{}",
                super::suffix(request.format, request.encrypt.is_some())
            );
            let new = prefix.child(&name);
            let doomed = would_prune_objects(ctx, db, &new, &request.retention).await?;
            (new.to_string(), doomed.iter().map(ToString::to_string).collect())
        }
        (Target::Stream(path), _) => (path.display().to_string(), Vec::new()),
        (_, Some(new)) => {
            (new.display().to_string(), shown(would_prune(db, &new, &request.retention)))
        }
        (_, None) => ("-".to_string(), Vec::new()),
    };
    Ok(Planned {
        database: db.to_string(),
        archive,
        format: format_name(request.format),
        estimate,
        would_remove,
    })
}
