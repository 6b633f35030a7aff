//! `odoodb upgrade …`: one file per subcommand, and what they share (where the platform is,
//! where requests are stored).

mod check;
mod log;
mod production;
mod resume;
mod rollback;
mod status;
mod test;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::cli::{
    PlatformArgs, UpgradeAim, UpgradeArgs, UpgradeCommand, UpgradeEngine, UpgradeRunArgs,
};
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::upgrade::platform::{self, Aim, Options, Platform};
use crate::upgrade::program::require_program;
use crate::upgrade::state::{self, RequestState};
use crate::upgrade::target::parse_target;
use crate::upgrade::{Engine, Resolved};

pub async fn run(ctx: &Context, args: &UpgradeArgs) -> Result<()> {
    match &args.command {
        UpgradeCommand::Check(args) => check::run(ctx, args).await,
        UpgradeCommand::Test(args) => test::run(ctx, args).await,
        UpgradeCommand::Production(args) => production::run(ctx, args).await,
        UpgradeCommand::Rollback(args) => rollback::run(ctx, args).await,
        UpgradeCommand::Resume(args) => resume::run(ctx, args).await,
        UpgradeCommand::Status(args) => status::run(ctx, args).await,
        UpgradeCommand::Log(args) => log::run(ctx, args).await,
    }
}

/// Flag, else settings `[upgrade]`, else the official platform and its 60 s timeout.
fn platform_options(ctx: &Context, args: &PlatformArgs) -> Options {
    let settings = &ctx.config.settings.upgrade;
    Options {
        server: args
            .upgrade_server
            .clone()
            .or_else(|| settings.server.clone())
            .unwrap_or_else(|| platform::DEFAULT_SERVER.to_string()),
        ca: args.upgrade_ca.clone().or_else(|| settings.ca.clone()),
        timeout: args
            .upgrade_timeout
            .or_else(|| settings.timeout.map(std::num::NonZeroU64::get))
            .map_or(platform::DEFAULT_TIMEOUT, Duration::from_secs),
    }
}

fn aim(aim: Option<UpgradeAim>) -> Option<Aim> {
    aim.map(|aim| match aim {
        UpgradeAim::Test => Aim::Test,
        UpgradeAim::Production => Aim::Production,
    })
}

/// The stored request of `db` and a client talking to its assigned host.
fn stored_request(
    ctx: &Context,
    db: &str,
    wanted: Option<UpgradeAim>,
    args: &PlatformArgs,
) -> Result<(RequestState, Platform)> {
    crate::odoo::name::validate(db)?;
    let request = state::load(&state::default_dir()?, db, aim(wanted))?;
    let platform = Platform::new(&platform_options(ctx, args))?.at_host(&request.host)?;
    Ok((request, platform))
}

/// The options of a run: flags, then settings, then defaults; each checked.
fn resolve(ctx: &Context, db: &str, args: &UpgradeRunArgs) -> Result<Resolved> {
    let target = parse_target(&args.target)?;
    require_addons_dirs(&args.addons_path)?;
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
    Ok(Resolved {
        target,
        engine: match args.engine {
            UpgradeEngine::Platform => Engine::Platform,
            UpgradeEngine::Command => Engine::Command,
        },
        command: args.upgrade_command.clone(),
        contract_flag: args.contract.clone(),
        addons_path: args.addons_path.clone(),
        work_dir: args
            .work_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join(format!("odoodb-upgrade-{db}"))),
        jobs: args.jobs.unwrap_or_else(crate::upgrade::default_jobs),
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
        platform: platform_options(ctx, &args.platform),
    })
}

fn require_addons_dirs(addons_path: &[PathBuf]) -> Result<()> {
    for dir in addons_path {
        if !dir.is_dir() {
            return Err(usage_error(
                format!("addons path {} is not a directory", dir.display()),
                "--addons-path takes the folders of the target version's modules, comma-separated",
            ));
        }
    }
    Ok(())
}

/// The test copy's neutralize.sql files come from the target's addons path, never from
/// odoo.conf's (the current version's code).
fn module_files(
    addons_path: &[PathBuf],
    args: &crate::cli::UpgradeNeutralizeArgs,
) -> crate::neutralize::module_files::Options {
    crate::neutralize::module_files::Options {
        addons_path: if args.no_module_files { Vec::new() } else { addons_path.to_vec() },
        ignore: args.ignore_module.clone(),
        continue_on_error: false,
    }
}

/// What `upgrade test` and `upgrade resume` print when the copy is ready.
fn emit_test_copy(ctx: &Context, report: &crate::upgrade::test_copy::Report) -> Result<()> {
    // A password made here is shown even under --quiet: it is not written anywhere else.
    let print = if report.pseudonymized.as_ref().is_some_and(|p| p.new_password.is_some()) {
        crate::output::Printer::emit
    } else {
        crate::output::Printer::done
    };
    print(&ctx.printer, report, || {
        let hops = match report.hops.first() {
            Some(first) if report.hops.len() > 1 => {
                let path: Vec<&str> = report.hops.iter().map(|h| h.to.as_str()).collect();
                format!(", {} → {}", first.from, path.join(" → "))
            }
            _ => String::new(),
        };
        format!(
            "Upgraded test copy {} of {} is ready ({}{hops}, {:.0}s): neutralized ({} rows changed), new database.uuid {}, {} filestore files.\nOpen it with Odoo {}: odoo-bin -d {} (the original {} was not changed)",
            report.test_copy,
            report.database,
            if report.engine == "command" { "local command" } else { "Odoo's platform" },
            report.total_seconds,
            report.neutralized_rows,
            report.uuid,
            report.filestore_files,
            report.target,
            report.test_copy,
            report.database
        ) + &crate::commands::pseudonymization_text(report.pseudonymized.as_ref())
    })
}
