//! `odoodb backups [DIR]`: the backups in a folder, newest first; with `--max-age`, a check for
//! monitoring (exit 4 when an Odoo database's newest backup is too old or missing).

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use crate::backup::{self, Found, all_backups, glob_matches};
use crate::cli::BackupsArgs;
use crate::context::Context;
use crate::duration::parse_duration;
use crate::error::Failure;
use crate::output::bytes;

#[derive(Debug, Serialize)]
struct Listing {
    dir: String,
    backups: Vec<Found>,
    /// With --max-age: each expected database and its newest backup's age.
    checked: Option<Vec<Freshness>>,
}

#[derive(Debug, Serialize)]
struct Freshness {
    database: String,
    newest: Option<chrono::NaiveDateTime>,
    age_seconds: Option<i64>,
    ok: bool,
}

pub async fn run(ctx: &Context, args: &BackupsArgs) -> Result<()> {
    let max_age =
        args.max_age.as_deref().map(|text| parse_duration("--max-age", text)).transpose()?;
    let dir = args
        .dir
        .clone()
        .or_else(|| ctx.config.settings.backup.to.clone())
        .unwrap_or_else(|| backup::backup_dir(ctx).display().to_string());
    let all = if crate::objects::is_object(&dir) {
        let prefix = crate::objects::Address::parse(&dir)?;
        let prefix = if prefix.is_prefix() { prefix } else { prefix.child("/") };
        backup::all_backups_under(ctx, &prefix).await?
    } else {
        all_backups(std::path::Path::new(&dir))?
    };
    let found: Vec<Found> = all
        .into_iter()
        .filter(|b| {
            args.matches.is_empty() || args.matches.iter().any(|p| glob_matches(p, &b.database))
        })
        .collect();
    let checked = match max_age {
        Some(max_age) => Some(freshness(ctx, args, &found, max_age).await?),
        None => None,
    };
    let stale: Vec<String> =
        checked.iter().flatten().filter(|f| !f.ok).map(|f| f.database.clone()).collect();
    let listing = Listing { dir: dir.clone(), backups: found, checked };
    ctx.printer.emit(&listing, || human(ctx, &listing))?;
    if stale.is_empty() {
        return Ok(());
    }
    Err(Failure::check_failed(format!(
        "no backup newer than {} in {} for: {}",
        args.max_age.as_deref().unwrap_or_default(),
        dir,
        stale.join(", ")
    ))
    .hint("check the backup job (its cron mail or `journalctl -u odoodb-backup`)")
    .into())
}

/// The server's Odoo databases (narrowed by --match), each with its newest backup's age.
async fn freshness(
    ctx: &Context,
    args: &BackupsArgs,
    found: &[Found],
    max_age: chrono::TimeDelta,
) -> Result<Vec<Freshness>> {
    let selection = backup::odoo_databases(ctx, &args.matches).await?;
    let mut newest: BTreeMap<&str, chrono::NaiveDateTime> = BTreeMap::new();
    for backup in found {
        let entry = newest.entry(&backup.database).or_insert(backup.time);
        *entry = (*entry).max(backup.time);
    }
    let now = chrono::Local::now().naive_local();
    let names = selection.databases.iter().chain(selection.unreadable.iter().map(|o| &o.database));
    let mut checked: Vec<Freshness> = names
        .map(|db| {
            let newest = newest.get(db.as_str()).copied();
            let age = newest.map(|time| now - time);
            Freshness {
                database: db.clone(),
                newest,
                age_seconds: age.map(|a| a.num_seconds()),
                ok: age.is_some_and(|a| a <= max_age),
            }
        })
        .collect();
    checked.sort_by(|a, b| a.database.cmp(&b.database));
    Ok(checked)
}

fn human(ctx: &Context, listing: &Listing) -> String {
    let mut out = String::new();
    if listing.backups.is_empty() {
        out = format!("No backups in {}.", listing.dir);
    } else {
        let mut table =
            ctx.printer.table(&["DATABASE", "TIME", "FORMAT", "ENCRYPTED", "SIZE", "FILE"]);
        for backup in &listing.backups {
            table.add_row(vec![
                backup.database.clone(),
                backup.time.format("%Y-%m-%d %H:%M:%S").to_string(),
                backup.format.to_string(),
                if backup.encrypted { "age".into() } else { "no".into() },
                bytes(backup.bytes),
                backup.path.display().to_string(),
            ]);
        }
        out.push_str(&table.to_string());
    }
    if let Some(checked) = &listing.checked {
        let mut table = ctx.printer.table(&["DATABASE", "NEWEST BACKUP", "AGE", "RESULT"]);
        for fresh in checked {
            table.add_row(vec![
                fresh.database.clone(),
                fresh
                    .newest
                    .map_or_else(|| "none".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
                fresh.age_seconds.map_or_else(String::new, age),
                if fresh.ok { "ok".into() } else { "TOO OLD".into() },
            ]);
        }
        out.push('\n');
        out.push_str(&table.to_string());
    }
    crate::output::terminal_safe(&out)
}

fn age(seconds: i64) -> String {
    match seconds {
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 * 2 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        s => format!("{}d{}h", s / 86_400, (s % 86_400) / 3600),
    }
}
