//! What `upgrade test`, `production` and `resume` share: the options resolved once, the
//! preflight, the platform request driven from wherever it is to the downloaded result, the
//! local command run once per major version, the dump, and the restore of a result into the
//! install's temporary database and folder.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

mod local;
mod remote;
mod result;
mod work;

use super::check;
use crate::cli::{UpgradeEngine, UpgradeRunArgs};
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::odoo;
use crate::secret::Secret;
use crate::upgrade::target::Series;
use local::require_program;
pub(super) use local::{
    Hop, hops, run_hop, run_hops, run_service_command, run_shell, run_shell_to_the_end,
};
pub(super) use remote::{Downloaded, Remote};
pub(super) use result::{build_filestore, restore_dump};
pub(super) use work::{discard_dumps, dump, remove_work_dir, work_dir};

/// The options of a run, resolved (flags, then settings, then defaults).
pub(super) struct Resolved {
    pub target: Series,
    pub engine: UpgradeEngine,
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
    pub fn new(ctx: &Context, db: &str, args: &UpgradeRunArgs) -> Result<Self> {
        let target = check::parse_target(&args.target)?;
        check::require_addons_dirs(&args.addons_path)?;
        match (args.engine, &args.upgrade_command) {
            (UpgradeEngine::Command, None) => {
                return Err(usage_error(
                    "--engine command needs --upgrade-command",
                    "give the program that upgrades the copy, e.g. --upgrade-command './upgrade.sh'",
                ));
            }
            (UpgradeEngine::Command, Some(command)) => require_program(command)?,
            (UpgradeEngine::Platform, Some(_)) => {
                return Err(usage_error(
                    "--upgrade-command is only used with --engine command",
                    "add --engine command, or leave --upgrade-command out",
                ));
            }
            _ => {}
        }
        let mut env = args.env.clone();
        if let Some(file) = &args.env_file {
            let text = std::fs::read_to_string(file).map_err(|e| {
                Failure::usage(format!("cannot read --env-file {}: {e}", file.display()))
            })?;
            env.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .map(String::from),
            );
        }
        for pair in &env {
            let valid = pair.split_once('=').is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if !valid {
                // Only the key: the value may be a secret.
                let key = pair.split('=').next().unwrap_or_default();
                return Err(usage_error(
                    format!(
                        "the environment entry {:?}… is not KEY=VALUE",
                        crate::output::terminal_safe(&key.chars().take(40).collect::<String>())
                    ),
                    "write each as NAME=value (--env, or one per line in --env-file)",
                ));
            }
        }
        if !(args.poll_interval > 0.0 && args.poll_interval <= 3600.0) {
            return Err(usage_error("--poll-interval must be between 0 and 3600 seconds", ""));
        }
        let settings = &ctx.config.settings.upgrade;
        Ok(Self {
            target,
            engine: args.engine,
            command: args.upgrade_command.clone(),
            contract_flag: args.contract.clone(),
            addons_path: args.addons_path.clone(),
            work_dir: args
                .work_dir
                .clone()
                .unwrap_or_else(|| std::env::temp_dir().join(format!("odoodb-upgrade-{db}"))),
            jobs: args.jobs.unwrap_or_else(default_jobs),
            env,
            data_user: args
                .data_server_user
                .clone()
                .unwrap_or_else(|| settings.data_server_user.clone()),
            data_path: args
                .data_server_path
                .clone()
                .unwrap_or_else(|| settings.data_server_path.clone()),
            poll: Duration::from_secs_f64(args.poll_interval),
            platform: super::platform_options(ctx, &args.platform),
        })
    }

    pub fn uses_platform(&self) -> bool {
        self.engine == UpgradeEngine::Platform
    }
}

pub(super) fn default_jobs() -> u32 {
    std::thread::available_parallelism()
        .map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
        .clamp(1, 16)
}

/// The preflight of `upgrade check`; blockers stop the run (exit 4) with the table shown.
pub(super) async fn preflight(ctx: &Context, db: &str, run: &Resolved) -> Result<()> {
    ctx.printer.status(&format!("Checking {db} for the upgrade to {} …", run.target));
    let inputs = check::Inputs {
        db,
        target: &run.target,
        contract: run.contract_flag.as_deref(),
        addons_path: &run.addons_path,
        write_stubs: None,
        work_dir: run.work_dir.clone(),
        platform: run.uses_platform(),
    };
    let report = check::assess(ctx, &inputs).await?;
    if report.blockers > 0 {
        if !ctx.printer.is_json() {
            check::print(ctx, &report)?;
        }
        return Err(Failure::check_failed(format!(
            "{db} cannot be upgraded to {} yet: {} blocker(s) found by the preflight{}",
            run.target,
            report.blockers,
            if ctx.printer.is_json() { "" } else { " (above)" }
        ))
        .hint(format!(
            "`odoodb upgrade check {db} --target {}{}` shows them",
            run.target,
            if run.uses_platform() { "" } else { " --engine command" }
        ))
        .into());
    }
    Ok(())
}

/// The contract: flag, settings, then the database's own code. Never printed.
pub(super) async fn contract(
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
