//! `odoodb list`: every Odoo database on the server, with its filestore.

use anyhow::Result;
use futures_util::{StreamExt as _, stream};
use serde::Serialize;

use crate::cli::ListArgs;
use crate::context::Context;
use crate::filestore;
use crate::odoo;
use crate::output::{bytes, terminal_safe};
use crate::pg::admin::{self, DatabaseRow, SYSTEM_DATABASES};

/// How many databases are probed at once: enough to list 200 in seconds, few enough not to
/// crowd the server's connection slots.
const PARALLEL_PROBES: usize = 8;

#[derive(Debug, Serialize)]
struct Entry {
    name: String,
    odoo: bool,
    version: Option<String>,
    owner: String,
    size_bytes: Option<i64>,
    modules: Option<i64>,
    neutralized: Option<bool>,
    /// Left by an interrupted DROP DATABASE.
    invalid: bool,
    /// The role may not connect to it or read its tables, so what it is cannot be told.
    no_access: bool,
    /// A twin of production an upgrade or a rollback left, closed (see `odoodb upgrade
    /// rollback`).
    kept: Option<String>,
    filestore: filestore::Usage,
    filestore_path: String,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Listing {
    server: String,
    data_dir: String,
    databases: Vec<Entry>,
    /// What plain `list` left out (`--all` shows them).
    hidden: Hidden,
}

#[derive(Debug, Default, Serialize)]
struct Hidden {
    not_odoo: usize,
    /// Databases the role may not connect to or read: maybe Odoo's, maybe not.
    no_access: usize,
}

pub async fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let admin_client = ctx.connect_admin().await?;
    let rows = admin::list_databases(&admin_client).await?;
    let survey = crate::safe::recover::survey(&ctx.site(&admin_client)).await;
    drop(admin_client);
    let candidates: Vec<DatabaseRow> = rows
        .into_iter()
        .filter(|row| {
            !row.is_template
                && (row.allows_connections || twin(row).is_some())
                && !SYSTEM_DATABASES.contains(&row.name.as_str())
        })
        .collect();
    // A data_dir with no filestore folder at all is one mistake (the wrong data_dir), not one
    // per database: say it once.
    let root = ctx.filestore_root();
    let root_missing = !root.is_dir();
    if root_missing {
        ctx.printer.warn(&format!(
            "there is no filestore folder at {} (data_dir from {}): filestore figures are empty",
            root.display(),
            ctx.config.data_dir.source
        ));
    }
    let entries: Vec<Entry> = stream::iter(candidates)
        .map(|row| probe(ctx, row, root_missing))
        .buffered(PARALLEL_PROBES)
        .collect()
        .await;
    let mut hidden = Hidden::default();
    let mut databases = Vec::new();
    for entry in entries {
        if args.all || entry.odoo || entry.invalid {
            databases.push(entry);
        } else if entry.no_access {
            hidden.no_access += 1;
        } else {
            hidden.not_odoo += 1;
        }
    }
    for pending in &survey.in_progress {
        ctx.printer.warn(&format!(
            "odoodb run under way: {} (on {} pid {}, since {})",
            pending.change, pending.host, pending.pid, pending.started_at
        ));
    }
    for line in survey.problems.iter().map(|p| &p.message).chain(&survey.strangers) {
        ctx.printer.warn(line);
    }
    let listing = Listing {
        server: ctx.params.describe(),
        data_dir: ctx.config.data_dir.value.display().to_string(),
        databases,
        hidden,
    };
    ctx.printer.emit(&listing, || human(ctx, &listing))
}

async fn probe(ctx: &Context, row: DatabaseRow, root_missing: bool) -> Entry {
    let mut warnings = Vec::new();
    let user = &ctx.config.user.value;
    if &row.owner != user {
        warnings.push(format!("owned by {}, not {user}: Odoo will not list it", row.owner));
    }
    if crate::safe::names::is_temporary(&row.name) {
        warnings.push(
            "temporary of an odoodb run (settled by `odoodb recover` once its run is gone)".into(),
        );
    }
    let path = ctx.filestore(&row.name);
    let closed_twin = twin(&row).filter(|_| !row.allows_connections);
    let mut entry = Entry {
        name: row.name.clone(),
        odoo: false,
        version: None,
        owner: row.owner,
        size_bytes: row.size_bytes,
        modules: None,
        neutralized: None,
        invalid: row.invalid,
        no_access: row.size_bytes.is_none() && !row.invalid,
        kept: None,
        filestore: filestore::Usage::default(),
        filestore_path: path.display().to_string(),
        warnings,
    };
    if let Some(twin) = closed_twin {
        // Closed, so not inspected: what it is, its mark says.
        entry.odoo = true;
        entry.no_access = false;
        entry.kept = Some(twin.describe());
        entry.warnings.push(twin.describe());
        entry.filestore = filestore::measure(&path).unwrap_or_default();
        return entry;
    }
    if entry.no_access {
        entry.warnings.push(format!("role {} may not connect to it", ctx.config.user.value));
        return entry;
    }
    if entry.invalid {
        entry.warnings.push(format!(
            "invalid: an interrupted DROP DATABASE left it; `odoodb delete {}` finishes it",
            row.name
        ));
        return entry;
    }
    let facts = match probe_database(ctx, &row.name).await {
        Ok(facts) => facts,
        Err(error) => {
            entry.no_access = crate::pg::is_permission_denied(&error);
            entry.warnings.push(format!("cannot inspect: {}", crate::error::one_line(&error)));
            return entry;
        }
    };
    let Some(facts) = facts else { return entry };
    entry.odoo = true;
    entry.version = facts.version.as_deref().and_then(odoo::version::series);
    if entry.version.is_none() {
        entry.warnings.push("version not readable (module base has no installed version)".into());
    }
    entry.modules = Some(facts.modules);
    entry.neutralized = Some(facts.neutralized);
    match tokio::task::spawn_blocking(move || filestore::measure(&path)).await {
        Ok(Ok(usage)) => entry.filestore = usage,
        Ok(Err(error)) => {
            entry
                .warnings
                .push(format!("filestore unreadable: {}", crate::error::one_line(&error)));
        }
        Err(error) => entry.warnings.push(format!("filestore unreadable: {error}")),
    }
    if !entry.filestore.exists && facts.files_needed > 0 && !root_missing {
        entry.warnings.push(format!(
            "filestore folder missing, but {} attachments need it",
            facts.files_needed
        ));
    }
    entry
}

/// The twin of production `row` is marked as, if any.
fn twin(row: &DatabaseRow) -> Option<crate::safe::kept::Twin> {
    row.comment.as_deref().and_then(crate::safe::kept::Twin::from_comment)
}

struct Facts {
    version: Option<String>,
    modules: i64,
    neutralized: bool,
    files_needed: i64,
}

/// `None` when the database is not Odoo's.
async fn probe_database(ctx: &Context, db: &str) -> Result<Option<Facts>> {
    let client = ctx.connect(db).await?;
    if !odoo::is_odoo(&client).await? {
        return Ok(None);
    }
    Ok(Some(Facts {
        version: odoo::base_version(&client).await?,
        modules: odoo::installed_module_count(&client).await?,
        neutralized: odoo::is_neutralized(&client).await?,
        files_needed: odoo::attachment_counts(&client).await?.in_filestore,
    }))
}

fn human(ctx: &Context, listing: &Listing) -> String {
    let mut table = ctx.printer.table(&[
        "NAME",
        "VERSION",
        "OWNER",
        "DB SIZE",
        "FILESTORE",
        "FILES",
        "MODULES",
        "NEUTRALIZED",
        "WARNINGS",
    ]);
    for entry in &listing.databases {
        let dash = || "-".to_string();
        table.add_row(vec![
            terminal_safe(&entry.name),
            entry.version.clone().unwrap_or_else(|| {
                if entry.odoo {
                    "?".into()
                } else if entry.no_access {
                    "(no access)".into()
                } else {
                    "(not Odoo)".into()
                }
            }),
            terminal_safe(&entry.owner),
            entry.size_bytes.map_or_else(dash, |n| bytes(u64::try_from(n).unwrap_or(0))),
            if entry.filestore.exists { bytes(entry.filestore.bytes) } else { dash() },
            if entry.filestore.exists { entry.filestore.files.to_string() } else { dash() },
            entry.modules.map_or_else(dash, |n| n.to_string()),
            entry.neutralized.map_or_else(dash, |n| if n { "yes".into() } else { "no".into() }),
            terminal_safe(&entry.warnings.join("; ")),
        ]);
    }
    let what = if listing.databases.len() == 1 { "database" } else { "databases" };
    let mut hidden = Vec::new();
    if listing.hidden.not_odoo > 0 {
        hidden.push(format!("{} not Odoo's", listing.hidden.not_odoo));
    }
    if listing.hidden.no_access > 0 {
        hidden.push(format!(
            "{} this role ({}) may not read",
            listing.hidden.no_access, ctx.config.user.value
        ));
    }
    let hidden = if hidden.is_empty() {
        String::new()
    } else {
        format!("\nnot shown: {} (--all lists them)", hidden.join(", "))
    };
    format!(
        "{table}\n{} {what} on {}; filestores in {}/filestore ({}){hidden}",
        listing.databases.len(),
        listing.server,
        listing.data_dir,
        ctx.config.data_dir.source
    )
}
