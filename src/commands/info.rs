//! `odoodb info <db>`: one database in depth.

use std::fmt::Write as _;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::InfoArgs;
use crate::context::Context;
use crate::error::Failure;
use crate::filestore;
use crate::odoo::{self, ActiveArchived, AttachmentCounts, Module};
use crate::output::{bytes, terminal_safe};
use crate::pg::admin::{self, Session};

/// How many names of missing or unreferenced files the human view shows.
const SHOWN_FILES: usize = 5;

#[derive(Debug, Serialize)]
struct Info {
    name: String,
    owner: String,
    size_bytes: Option<i64>,
    version: Option<String>,
    module_version: Option<String>,
    modules_installed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    modules: Option<Vec<Module>>,
    uuid: Option<String>,
    enterprise_code_present: bool,
    base_url: Option<String>,
    neutralized: bool,
    outgoing_mail_servers: Option<ActiveArchived>,
    incoming_mail_servers: Option<ActiveArchived>,
    crons: Option<ActiveArchived>,
    attachments: AttachmentCounts,
    filestore: FilestoreInfo,
    sessions: Vec<Session>,
}

#[derive(Debug, Serialize)]
struct FilestoreInfo {
    path: String,
    exists: bool,
    files: u64,
    bytes: u64,
    checklist_markers: u64,
    missing_files: Vec<String>,
    unreferenced_files: Vec<String>,
}

pub async fn run(ctx: &Context, args: &InfoArgs) -> Result<()> {
    odoo::name::validate_existing(&args.db)?;
    let admin_client = ctx.connect_admin().await?;
    if let Some(twin) = crate::safe::kept::closed_twin(&admin_client, &args.db).await? {
        return closed_twin(ctx, &admin_client, &args.db, &twin).await;
    }
    let client = ctx.open_odoo(&admin_client, &args.db).await?;
    let Some(row) = admin::find_database(&admin_client, &args.db).await? else {
        return Err(Failure::failed(format!("database {:?} disappeared", args.db)).into());
    };
    // Our own session to the database is not one of its users.
    let own: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .context("cannot read this session's process id")?
        .get(0);
    let sessions: Vec<Session> = admin::sessions(&admin_client, &args.db)
        .await?
        .into_iter()
        .filter(|session| session.pid != own)
        .collect();
    let survey = crate::safe::recover::survey(&ctx.site(&admin_client)).await;
    for line in survey.concerning(&args.db) {
        ctx.printer.warn(&line);
    }
    drop(admin_client);

    let module_version = odoo::base_version(&client).await?;
    let modules = odoo::installed_modules(&client).await?;
    let referenced = odoo::stored_file_names(&client).await?;
    let path = ctx.filestore(&args.db);
    let scan_path = path.clone();
    let (usage, health) = tokio::task::spawn_blocking(move || -> Result<_> {
        Ok((filestore::measure(&scan_path)?, filestore::health(&scan_path, &referenced)?))
    })
    .await??;

    let info = Info {
        name: row.name,
        owner: row.owner,
        size_bytes: row.size_bytes,
        version: module_version.as_deref().and_then(odoo::version::series),
        module_version,
        modules_installed: modules.len(),
        modules: args.modules.then(|| modules.clone()),
        uuid: odoo::param(&client, odoo::PARAM_UUID).await?,
        enterprise_code_present: odoo::param(&client, odoo::PARAM_ENTERPRISE_CODE)
            .await?
            .is_some_and(|c| !c.trim().is_empty()),
        base_url: odoo::param(&client, odoo::PARAM_BASE_URL).await?,
        neutralized: odoo::is_neutralized(&client).await?,
        outgoing_mail_servers: odoo::active_counts(&client, "ir_mail_server").await?,
        incoming_mail_servers: odoo::active_counts(&client, "fetchmail_server").await?,
        crons: odoo::active_counts(&client, "ir_cron").await?,
        attachments: odoo::attachment_counts(&client).await?,
        filestore: FilestoreInfo {
            path: path.display().to_string(),
            exists: usage.exists,
            files: usage.files,
            bytes: usage.bytes,
            checklist_markers: health.checklist_markers,
            missing_files: health.missing,
            unreferenced_files: health.unreferenced,
        },
        sessions,
    };
    ctx.printer.emit(&info, || human(ctx, &info))
}

/// What can be said of a twin of production closed to connections, without connecting: what
/// it is, its size, its filestore.
async fn closed_twin(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    db: &str,
    twin: &crate::safe::kept::Twin,
) -> Result<()> {
    #[derive(Serialize)]
    struct Twin {
        name: String,
        owner: String,
        size_bytes: Option<i64>,
        kept: String,
        allows_connections: bool,
        filestore: filestore::Usage,
        filestore_path: String,
    }
    let row = admin::find_database(admin_client, db)
        .await?
        .with_context(|| format!("database {db:?} disappeared"))?;
    let path = ctx.filestore(db);
    let scan = path.clone();
    let usage = tokio::task::spawn_blocking(move || filestore::measure(&scan)).await??;
    let info = Twin {
        name: row.name,
        owner: row.owner,
        size_bytes: row.size_bytes,
        kept: twin.describe(),
        allows_connections: false,
        filestore: usage,
        filestore_path: path.display().to_string(),
    };
    ctx.printer.emit(&info, || {
        let size =
            info.size_bytes.map_or_else(|| "-".into(), |n| bytes(u64::try_from(n).unwrap_or(0)));
        format!(
            "{}: {}
owner {}, {size}; filestore {} ({} in {} files)",
            terminal_safe(&info.name),
            info.kept,
            terminal_safe(&info.owner),
            info.filestore_path,
            bytes(info.filestore.bytes),
            info.filestore.files
        )
    })
}

fn human(ctx: &Context, info: &Info) -> String {
    let dash = || "-".to_string();
    let counts = |c: &Option<ActiveArchived>| {
        c.as_ref().map_or_else(
            || "(no table)".to_string(),
            |c| format!("{} active, {} archived", c.active, c.archived),
        )
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let fs = &info.filestore;
    let filestore_line = if fs.exists {
        format!("{} ({} in {} files)", fs.path, bytes(fs.bytes), fs.files)
    } else {
        format!("{} (missing)", fs.path)
    };
    let health = format!(
        "{} attachments in filestore, {} in database; {} missing files, {} unreferenced files, {} checklist markers",
        info.attachments.in_filestore,
        info.attachments.in_database,
        fs.missing_files.len(),
        fs.unreferenced_files.len(),
        fs.checklist_markers
    );
    let rows = vec![
        ("Database", terminal_safe(&info.name)),
        ("Owner", terminal_safe(&info.owner)),
        ("Size", info.size_bytes.map_or_else(dash, |n| bytes(u64::try_from(n).unwrap_or(0)))),
        (
            "Version",
            match (&info.version, &info.module_version) {
                (Some(series), Some(module)) => format!("{series} (base {module})"),
                _ => "not readable".to_string(),
            },
        ),
        ("Modules", format!("{} installed", info.modules_installed)),
        ("UUID", info.uuid.clone().unwrap_or_else(dash)),
        (
            "Enterprise code",
            if info.enterprise_code_present { "present (not shown)".into() } else { "none".into() },
        ),
        ("Base URL", info.base_url.clone().unwrap_or_else(dash)),
        ("Neutralized", yes_no(info.neutralized)),
        ("Outgoing mail", counts(&info.outgoing_mail_servers)),
        ("Incoming mail", counts(&info.incoming_mail_servers)),
        ("Crons", counts(&info.crons)),
        ("Filestore", filestore_line),
        ("Filestore health", health),
        ("Sessions", sessions_line(&info.sessions)),
    ];
    let mut table = ctx.printer.table(&[]);
    for (label, value) in rows {
        table.add_row(vec![label.to_string(), value]);
    }
    let mut text = table.to_string();
    if !fs.missing_files.is_empty() {
        let _ = write!(text, "\nMissing files: {}", shortlist(&fs.missing_files));
    }
    if let Some(modules) = &info.modules {
        let mut modules_table = ctx.printer.table(&["MODULE", "VERSION", "STATE"]);
        for module in modules {
            modules_table.add_row(vec![
                module.name.clone(),
                module.version.clone().unwrap_or_else(dash),
                module.state.clone(),
            ]);
        }
        text.push('\n');
        text.push_str(&modules_table.to_string());
    }
    text
}

fn shortlist(names: &[String]) -> String {
    let mut text = names.iter().take(SHOWN_FILES).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN_FILES {
        let _ = write!(text, " … and {} more (see --json)", names.len() - SHOWN_FILES);
    }
    text
}

fn sessions_line(sessions: &[Session]) -> String {
    if sessions.is_empty() {
        return "none".to_string();
    }
    sessions
        .iter()
        .map(|s| {
            let since = s.since.map_or_else(String::new, |t| {
                format!(" since {}", t.format("%Y-%m-%d %H:%M:%S UTC"))
            });
            let app = if s.application.is_empty() { "(unnamed)" } else { &s.application };
            format!("{} from {}{since}", terminal_safe(app), s.client)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
