//! `odoodb backup <db>`: one archive of the database and its filestore; `--verify FILE`.
//!
//! The archive is written to a temporary file beside its target and renamed only when whole;
//! the database is read in pg_dump's one snapshot (Odoo may keep running); the filestore is
//! walked once for its list and once into the archive, and no file is ever held in memory.

use std::path::Path;

use anyhow::Result;

use crate::archive::BackupFormat;
use crate::archive::crypt::{Keys, Recipients};
use crate::archive::detect::Input;
use crate::archive::output::{self, Resolved};
use crate::backup::{
    self, Policy, Report, Request, Target, backup_dir, default_format, default_jobs, extension,
    make, make_each, odoo_databases, verify_archive,
};
use crate::cli::BackupArgs;
use crate::context::Context;
use crate::duration::parse_duration;
use crate::error::{Failure, usage_error};
use crate::output::{Printer, bytes};

pub async fn run(ctx: &Context, args: &BackupArgs) -> Result<()> {
    if let Some(file) = &args.verify {
        return verify(ctx, file, args.identity.as_deref()).await;
    }
    if args.all {
        return all(ctx, args).await;
    }
    let db = args.db.as_deref().ok_or_else(|| {
        usage_error("name the database to back up", "odoodb backup <db>, or --verify FILE")
    })?;
    let request = request(ctx, args)?;
    if args.dry_run {
        return dry_run(ctx, args, &[db.to_string()], Vec::new(), &request, 1).await;
    }
    if !args.no_space_check {
        backup::preflight(ctx, &[db.to_string()], &request, 1).await?;
    }
    let stdout = matches!(request.target, Target::Stdout);
    let report = make(ctx, db, &request).await?;
    if stdout {
        // stdout holds the archive: the summary goes to stderr.
        ctx.printer.status(&human(&report));
    } else {
        ctx.printer.done(&report, || human(&report))?;
    }
    damaged_source(&report)
}

/// Exit 0 means an archive that verifies: one that faithfully holds files already damaged on
/// disk (content that does not match the sha1 of their name) is kept, as the best copy there
/// is, but the run says "done, partly" (exit 3), so cron's mail tells the admin.
fn damaged_source(report: &Report) -> Result<()> {
    let Some(files) = &report.filestore else { return Ok(()) };
    if files.name_mismatches.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        crate::error::Kind::Partial,
        format!(
            "the backup of {} is complete, but {} of its filestore files were already damaged on disk (see the warning above); `backup --verify` will report them",
            report.database,
            files.name_mismatches.len()
        ),
    )
    .hint("restore those files from an older backup, or accept them as lost; the archive holds them as they are on disk")
    .into())
}

fn request(ctx: &Context, args: &BackupArgs) -> Result<Request> {
    let mut format = args.format.map(BackupFormat::from);
    let target = match &args.output {
        Some(path) if path.as_os_str() == "-" => Target::Stdout,
        // Checked now, not after an hour of dumping.
        Some(path) => match output::resolve(path, args.force)? {
            Resolved::Stdout => Target::Stdout,
            Resolved::Stream(path) => Target::Stream(path),
            Resolved::File(real) => {
                let named = backup::format_of_name(path);
                match (format, named) {
                    (Some(asked), Some(named)) if asked != named => {
                        return Err(usage_error(
                            format!(
                                "-o {} names a {} file, but --format is {}; nothing was backed up",
                                path.display(),
                                extension(named),
                                extension(asked)
                            ),
                            format!(
                                "use --format {} or a name ending in .{}",
                                extension(named),
                                extension(asked)
                            ),
                        ));
                    }
                    (None, Some(named)) => format = Some(named),
                    _ => {}
                }
                Target::File(real, args.force)
            }
        },
        None => match (&args.dir, &args.to, &ctx.config.settings.backup.to) {
            (Some(dir), _, _) => Target::Dir(dir.clone()),
            (None, Some(to), _) | (None, None, Some(to)) => Target::from_to(to)?,
            (None, None, None) => Target::Dir(backup_dir(ctx)),
        },
    };
    if matches!(target, Target::Stdout) && ctx.printer.is_json() {
        return Err(usage_error(
            "--json and -o - both want stdout",
            "write the archive to a file (-o FILE or --dir), or leave out --json",
        ));
    }
    let streamed = matches!(target, Target::Stdout | Target::Stream(_));
    let flags = Policy {
        last: args.keep,
        daily: args.keep_daily,
        weekly: args.keep_weekly,
        monthly: args.keep_monthly,
    };
    let retention = backup::retention_policy(flags, &ctx.config.settings.backup, streamed)?;
    let jobs = match args.jobs {
        Some(0) => {
            return Err(usage_error("--jobs must be at least 1", "leave it out to use every core"));
        }
        Some(n) => usize::try_from(n).unwrap_or(1),
        None => default_jobs(),
    };
    Ok(Request {
        format: format.unwrap_or_else(|| default_format(ctx)),
        target,
        retention,
        no_filestore: args.no_filestore,
        compression: args.compression,
        jobs,
        read_from: None,
        encrypt: Recipients::chosen(&args.encrypt_to, &args.encrypt_to_file, &ctx.config.settings)?,
    })
}

/// `--all`: each database in turn, then one table (or one JSON document) for the run.
async fn all(ctx: &Context, args: &BackupArgs) -> Result<()> {
    if args.parallel == Some(0) {
        return Err(usage_error("--parallel must be at least 1", "leave it out for one at a time"));
    }
    let wait = args.wait.as_deref().map(|text| parse_duration("--wait", text)).transpose()?;
    let request = request(ctx, args)?;
    // A dry run writes nothing, not even the lock file.
    let _lock = if args.dry_run {
        backup::require_folder(&request.target)?;
        None
    } else {
        Some(backup::lock_target(ctx, &request.target, wait.and_then(|w| w.to_std().ok())).await?)
    };
    let selection = odoo_databases(ctx, &args.matches).await?;
    selection.require_some(ctx, &args.matches)?;
    let parallel = args.parallel.unwrap_or(1);
    if args.dry_run {
        let unreadable = selection.unreadable.into_iter().map(|o| (o.database, o.error)).collect();
        return dry_run(ctx, args, &selection.databases, unreadable, &request, parallel).await;
    }
    if !args.no_space_check {
        backup::preflight(ctx, &selection.databases, &request, parallel).await?;
    }
    let mut outcomes = make_each(ctx, &selection.databases, &request, parallel).await;
    ctx.check_interrupt()?;
    outcomes.extend(selection.unreadable);
    outcomes.sort_by(|a, b| a.database.cmp(&b.database));
    let failed: Vec<&str> =
        outcomes.iter().filter(|o| o.error.is_some()).map(|o| o.database.as_str()).collect();
    let damaged: Vec<&str> =
        outcomes.iter().filter(|o| o.damaged_files > 0).map(|o| o.database.as_str()).collect();
    let run = serde_json::json!({ "databases": outcomes, "failed": failed.len() });
    // Failures are shown even under -q: a cron mail carries them.
    let print = if failed.is_empty() && damaged.is_empty() { Printer::done } else { Printer::emit };
    print(&ctx.printer, &run, || backup::outcomes_table(&ctx.printer, &outcomes))?;
    backup::verdict(&failed, &damaged, outcomes.len())
}

/// `--dry-run`: what the backup would do, and exit as it would (see `backup::dry_run`).
async fn dry_run(
    ctx: &Context,
    args: &BackupArgs,
    databases: &[String],
    unreadable: Vec<(String, Option<String>)>,
    request: &Request,
    parallel: usize,
) -> Result<()> {
    let check = !args.no_space_check;
    let plan =
        backup::dry_run(ctx, databases, unreadable, request, parallel, args.all, check).await?;
    ctx.printer.emit(&plan, || plan.text())?;
    plan.verdict()
}

fn human(report: &Report) -> String {
    use std::fmt::Write as _;
    let files = report.filestore.as_ref().map_or_else(
        || "no filestore".to_string(),
        |f| format!("filestore {} files, {} ({:.1}s)", f.files, bytes(f.bytes), f.seconds),
    );
    let mut text = format!(
        "Backed up {} to {} ({}, {}) in {:.1}s: dump {} ({:.1}s), {files}",
        report.database,
        report.path,
        report.format,
        bytes(report.bytes),
        report.total_seconds,
        bytes(report.dump.bytes),
        report.dump.seconds,
    );
    if !report.encrypted_to.is_empty() {
        let _ = write!(text, "\nEncrypted (age) to {}", report.encrypted_to.join(", "));
    }
    if report.missing_attachments > 0 {
        let _ = write!(text, "\n{} attachments without a file", report.missing_attachments);
    }
    for path in &report.pruned {
        let _ = write!(text, "\nRemoved older backup {path}");
    }
    text
}

/// `--verify FILE`: the table of findings; exit 4 when anything is wrong. An encrypted archive
/// is decrypted with `identity` (else `ODOODB_AGE_IDENTITY`, else the settings').
async fn verify(ctx: &Context, file: &Path, identity: Option<&Path>) -> Result<()> {
    let keys = Keys::chosen(identity, &ctx.config.settings)?;
    ctx.printer.status(&format!(
        "Verifying {} …",
        Input::parse(&file.to_string_lossy(), &ctx.config.settings.backup.s3)?.describe()
    ));
    let report = verify_archive(ctx, &file.to_string_lossy(), &keys).await?;
    let print = if report.ok() { Printer::done } else { Printer::emit };
    print(&ctx.printer, &report, || backup::findings_table(&ctx.printer, &report))?;
    if !report.ok() {
        let problems = report.findings.iter().filter(|f| !f.ok).count();
        return Err(Failure::check_failed(format!(
            "{} is damaged: {problems} check(s) failed",
            report.archive
        ))
        .hint("do not trust this backup; make a new one")
        .into());
    }
    Ok(())
}
