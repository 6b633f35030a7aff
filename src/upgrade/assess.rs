//! The preflight of an upgrade: every check `upgrade check` shows and `upgrade test` and
//! `production` run first. Reads only (besides the stubs it is asked to write).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::context::Context;
use crate::odoo;
use crate::upgrade::modules::{self, ModuleChange};
use crate::upgrade::preflight::{self, Item, Level};
use crate::upgrade::program;
use crate::upgrade::target::{LATEST_MAJOR, SUPPORTED_MAJORS, Series};

#[derive(Serialize)]
pub struct Report {
    database: String,
    current_version: Option<String>,
    target: String,
    server_version: String,
    database_bytes: u64,
    /// Where the contract would come from (`--contract`, settings, the database); never its
    /// value.
    contract_source: Option<&'static str>,
    checks: Vec<Item>,
    /// The installed modules the target's code lacks, that nothing explains (stubs are for
    /// them).
    missing_modules: Option<Vec<String>>,
    /// The installed modules the target's code lacks because Odoo's upgrade merges, renames or
    /// removes them.
    module_changes: Vec<ModuleChange>,
    stubs_written: Vec<PathBuf>,
    pub blockers: usize,
}

/// What the preflight looks at.
pub struct Inputs<'a> {
    pub db: &'a str,
    pub target: &'a Series,
    pub contract: Option<&'a str>,
    pub addons_path: &'a [PathBuf],
    pub write_stubs: Option<&'a std::path::Path>,
    pub work_dir: PathBuf,
    /// The platform engine needs a contract, ssh and rsync; a local command does not.
    pub platform: bool,
    /// The local upgrade program (`--upgrade-command`), looked up, never run.
    pub upgrade_command: Option<&'a str>,
    /// A harmless command that shows the upgrade program works, and how long it may take.
    pub probe: Option<(&'a str, Duration)>,
}

pub fn print(ctx: &Context, report: &Report) -> Result<()> {
    ctx.printer.emit(report, || {
        let mut table = ctx.printer.table(&["CHECK", "RESULT", "DETAIL"]);
        for item in &report.checks {
            table.add_row(vec![item.check.as_str(), item.level.label(), item.detail.as_str()]);
        }
        crate::output::terminal_safe(&table.to_string())
    })
}

/// Every check, read-only (besides stubs when asked).
pub async fn assess(ctx: &Context, inputs: &Inputs<'_>) -> Result<Report> {
    let target = inputs.target;
    let admin = ctx.connect_admin().await?;
    let client = ctx.open_odoo(&admin, inputs.db).await?;
    let mut checks = Vec::new();

    // Versions.
    let module_version = odoo::base_version(&client).await?;
    let (current, version_items) = versions(module_version.as_deref(), target);
    checks.extend(version_items);
    let server_num = crate::pg::admin::server_version_num(&admin).await?;
    let server_major = u32::try_from(server_num / 10_000).unwrap_or(0);
    let server_version = format!("{server_major}.{}", server_num % 10_000);
    checks.push(Item::new("postgresql", Level::Ok, format!("server {server_version}")));

    let contract_source = contract_source(ctx, inputs.contract, &client).await?;
    checks.push(match contract_source {
        _ if !inputs.platform => {
            Item::new("contract", Level::Ok, "not needed: a local command upgrades")
        }
        Some(source) => Item::new("contract", Level::Ok, format!("from {source}")),
        None => Item::new(
            "contract",
            Level::Blocker,
            "none: no --contract, no settings [upgrade] contract, no database.enterprise_code. \
             A community database cannot use the Odoo platform: its path is OpenUpgrade (OCA), \
             run locally (--engine command)",
        ),
    });

    // Local tools.
    let tools = preflight::tools(ctx.config.pg_path.as_deref(), server_major).await;
    checks
        .extend(tools.into_iter().filter(|item| inputs.platform || item.check.starts_with("pg_")));
    checks.extend(upgrade_program(ctx, inputs).await?);

    // Disk: the dump and the download in the work directory, the restore beside the data.
    let row = admin
        .query_one("SELECT pg_database_size($1::text)::bigint", &[&inputs.db])
        .await
        .context("cannot measure the database")?;
    let database_bytes = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
    let work_dir = existing_ancestor(&inputs.work_dir);
    let data_dir = ctx.config.data_dir.value.clone();
    checks.extend(preflight::disk(
        &[("work directory", work_dir.as_path()), ("data_dir", data_dir.as_path())],
        database_bytes,
    ));

    // Modules the target's code lacks.
    let current_series = current.as_deref().and_then(Series::parse);
    let request = modules::Request {
        addons_path: inputs.addons_path,
        write_stubs: inputs.write_stubs,
        current: current_series.as_ref(),
        target,
    };
    let modules = modules::check(&client, &request).await?;
    checks.extend(modules.items);

    let blockers = checks.iter().filter(|item| item.level == Level::Blocker).count();
    Ok(Report {
        database: inputs.db.to_string(),
        current_version: current,
        target: target.to_string(),
        server_version,
        database_bytes,
        contract_source,
        checks,
        missing_modules: modules.missing,
        module_changes: modules.changes,
        stubs_written: modules.stubs_written,
        blockers,
    })
}

/// The work directory may not exist yet: its space is its nearest existing parent's.
fn existing_ancestor(path: &std::path::Path) -> PathBuf {
    path.ancestors().find(|p| p.exists()).unwrap_or(std::path::Path::new("/")).to_path_buf()
}

/// Where the contract would come from: flag, settings, then the database's own code.
async fn contract_source(
    ctx: &Context,
    flag: Option<&str>,
    client: &crate::pg::Client,
) -> Result<Option<&'static str>> {
    let settings = ctx.config.settings.upgrade.contract.as_ref();
    Ok(if flag.is_some_and(|c| !c.trim().is_empty()) {
        Some("--contract")
    } else if settings.is_some_and(|c| !c.expose().trim().is_empty()) {
        Some("settings [upgrade] contract")
    } else if odoo::param(client, odoo::PARAM_ENTERPRISE_CODE)
        .await?
        .is_some_and(|c| !c.trim().is_empty())
    {
        Some("database.enterprise_code")
    } else {
        None
    })
}

/// The local upgrade program: its program found, and the user's probe answering. A check for
/// the platform has none.
async fn upgrade_program(ctx: &Context, inputs: &Inputs<'_>) -> Result<Vec<Item>> {
    let Some(command) = inputs.upgrade_command else {
        return Ok(if inputs.platform {
            Vec::new()
        } else {
            vec![Item::new(
                "upgrade command",
                Level::Warning,
                "not checked: pass --upgrade-command with the program that will upgrade",
            )]
        });
    };
    let mut items = vec![program::check(command)];
    if let Some((probe, limit)) = inputs.probe {
        let target = inputs.target.to_string();
        items.push(program::probe(probe, limit, &target, &ctx.cancel).await?);
    }
    Ok(items)
}

/// The database's series (from module base) and the target, each checked.
fn versions(module_version: Option<&str>, target: &Series) -> (Option<String>, Vec<Item>) {
    let mut items = Vec::new();
    let current = module_version.and_then(odoo::version::series);
    let current_series = current.as_deref().and_then(Series::parse);
    items.push(match &current_series {
        None => Item::new(
            "current version",
            Level::Blocker,
            format!(
                "cannot read it: module base's latest_version is {}",
                module_version.map_or("empty".to_string(), |v| format!("{v:?}"))
            ),
        ),
        Some(series) => Item::new("current version", Level::Ok, series.to_string()),
    });
    items.push(match &current_series {
        Some(current) if *target <= *current => Item::new(
            "target",
            Level::Blocker,
            format!("{target} is not newer than the database's {current}"),
        ),
        _ if !target.saas && target.minor != 0 => Item::new(
            "target",
            Level::Blocker,
            format!(
                "{target} is not an Odoo version: majors are N.0, the versions between them saas~N.M"
            ),
        ),
        _ if target.major > LATEST_MAJOR => Item::new(
            "target",
            Level::Warning,
            format!(
                "{target} is newer than the latest major odoodb knows ({LATEST_MAJOR}.0): the platform refuses a version that does not exist"
            ),
        ),
        _ if !target.is_supported() => Item::new(
            "target",
            Level::Warning,
            format!(
                "{target} is older than the last {SUPPORTED_MAJORS} majors Odoo supports \
                 (up to {LATEST_MAJOR}.0)"
            ),
        ),
        _ => Item::new("target", Level::Ok, target.to_string()),
    });
    (current, items)
}
