//! What `upgrade test`, `production` and `resume` share: the options resolved once, the
//! preflight, the platform request driven from wherever it is to the downloaded result, the
//! local command run once per major version, the dump, and the restore of a result into the
//! install's temporary database and folder.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use super::assess::{self, Inputs};
use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::secret::Secret;
use crate::upgrade::target::Series;

/// Who upgrades the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Odoo's upgrade platform (Enterprise, a contract).
    Platform,
    /// A local program (OpenUpgrade, a script), once per major version.
    Command,
}

/// The options of a run, resolved (flags, then settings, then defaults).
pub struct Resolved {
    pub target: Series,
    pub engine: Engine,
    pub command: Option<String>,
    pub contract_flag: Option<String>,
    pub addons_path: Vec<PathBuf>,
    pub work_dir: PathBuf,
    pub jobs: u32,
    pub env: Vec<String>,
    pub data_user: String,
    pub data_path: String,
    pub poll: Duration,
    pub platform: crate::upgrade::platform::Options,
}

impl Resolved {
    pub fn uses_platform(&self) -> bool {
        self.engine == Engine::Platform
    }

    /// A module update of `db` by `command`, staying on `current`: the local engine, no
    /// platform.
    pub fn for_update(ctx: &Context, db: &str, current: Series, command: &str, jobs: u32) -> Self {
        let settings = &ctx.config.settings.upgrade;
        Self {
            target: current,
            engine: Engine::Command,
            command: Some(command.to_string()),
            contract_flag: None,
            addons_path: Vec::new(),
            work_dir: std::env::temp_dir().join(format!("odoodb-update-{db}")),
            jobs,
            env: Vec::new(),
            data_user: settings.data_server_user.clone(),
            data_path: settings.data_server_path.clone(),
            poll: Duration::from_secs(10),
            platform: crate::upgrade::platform::Options {
                server: crate::upgrade::platform::DEFAULT_SERVER.to_string(),
                ca: None,
                timeout: crate::upgrade::platform::DEFAULT_TIMEOUT,
            },
        }
    }
}

pub fn default_jobs() -> u32 {
    std::thread::available_parallelism()
        .map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
        .clamp(1, 16)
}

/// The preflight of `upgrade check`; blockers stop the run (exit 4) with the table shown.
pub async fn preflight(ctx: &Context, db: &str, run: &Resolved) -> Result<()> {
    ctx.printer.status(&format!("Checking {db} for the upgrade to {} …", run.target));
    let inputs = Inputs {
        db,
        target: &run.target,
        contract: run.contract_flag.as_deref(),
        addons_path: &run.addons_path,
        write_stubs: None,
        work_dir: run.work_dir.clone(),
        platform: run.uses_platform(),
        upgrade_command: run.command.as_deref(),
        probe: None,
    };
    let report = assess::assess(ctx, &inputs).await?;
    if report.blockers > 0 {
        if !ctx.printer.is_json() {
            assess::print(ctx, &report)?;
        }
        return Err(Failure::check_failed(format!(
            "{db} cannot be upgraded to {} yet: {} blocker(s) found by the preflight{}",
            run.target,
            report.blockers,
            if ctx.printer.is_json() { "" } else { " (above)" }
        ))
        .hint(format!("`{}` shows them", check_command(db, run)))
        .into());
    }
    Ok(())
}

/// The `upgrade check` that shows what this run's preflight found: with its engine, addons path
/// and upgrade command (without them it would check something else). Never the contract.
fn check_command(db: &str, run: &Resolved) -> String {
    let mut words = vec![
        "odoodb".to_string(),
        "upgrade".into(),
        "check".into(),
        shell_word(db),
        "--target".into(),
        shell_word(&run.target.to_string()),
    ];
    if !run.uses_platform() {
        words.extend(["--engine".into(), "command".into()]);
    }
    if !run.addons_path.is_empty() {
        let dirs: Vec<String> =
            run.addons_path.iter().map(|dir| dir.to_string_lossy().into_owned()).collect();
        words.extend(["--addons-path".into(), shell_word(&dirs.join(","))]);
    }
    if let Some(command) = run.command.as_deref().filter(|_| !run.uses_platform()) {
        words.extend(["--upgrade-command".into(), shell_word(command)]);
    }
    crate::output::terminal_safe(&words.join(" "))
}

/// `word` as one shell word: as is when plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && !word.starts_with('~')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || "_-./,:=@%+~".contains(c));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', "'\\''")) }
}

/// The contract: flag, settings, then the database's own code. Never printed.
pub async fn contract(
    ctx: &Context,
    flag: Option<&str>,
    client: &crate::pg::Client,
) -> Result<Secret> {
    if let Some(code) = flag.map(str::trim).filter(|c| !c.is_empty()) {
        return Ok(Secret::new(code.to_string()));
    }
    if let Some(code) =
        ctx.config.settings.upgrade.contract.as_ref().filter(|c| !c.expose().trim().is_empty())
    {
        return Ok(Secret::new(code.expose().trim().to_string()));
    }
    match odoo::param(client, odoo::PARAM_ENTERPRISE_CODE).await? {
        Some(code) if !code.trim().is_empty() => Ok(Secret::new(code.trim().to_string())),
        _ => Err(Failure::failed("no contract: the platform upgrades Enterprise databases only")
            .hint("pass --contract, or use --engine command (OpenUpgrade) for a community database")
            .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_survive_the_shell() {
        assert_eq!(shell_word("saas~18.3"), "saas~18.3");
        assert_eq!(
            shell_word("/opt/odoo 18/addons,/opt/custom"),
            "'/opt/odoo 18/addons,/opt/custom'"
        );
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
