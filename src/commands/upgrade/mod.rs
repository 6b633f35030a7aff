//! `odoodb upgrade …`: one file per subcommand, and what they share (where the platform is,
//! where requests are stored).

mod check;
mod engine;
mod log;
mod production;
mod resume;
mod status;
mod test;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::cli::{PlatformArgs, UpgradeAim, UpgradeArgs, UpgradeCommand};
use crate::config::{Environment as _, ProcessEnvironment};
use crate::context::Context;
use crate::upgrade::platform::{self, Aim, Options, Platform};
use crate::upgrade::state::{self, RequestState};

pub async fn run(ctx: &Context, args: &UpgradeArgs) -> Result<()> {
    match &args.command {
        UpgradeCommand::Check(args) => check::run(ctx, args).await,
        UpgradeCommand::Test(args) => test::run(ctx, args).await,
        UpgradeCommand::Production(args) => production::run(ctx, args).await,
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

fn state_dir() -> Result<PathBuf> {
    let env = ProcessEnvironment;
    state::dir(env.var("XDG_STATE_HOME").map(PathBuf::from).as_deref(), env.home().as_deref())
}

/// The stored request of `db` and a client talking to its assigned host.
fn stored_request(
    ctx: &Context,
    db: &str,
    wanted: Option<UpgradeAim>,
    args: &PlatformArgs,
) -> Result<(RequestState, Platform)> {
    crate::odoo::name::validate(db)?;
    let request = state::load(&state_dir()?, db, aim(wanted))?;
    let platform = Platform::new(&platform_options(ctx, args))?.at_host(&request.host)?;
    Ok((request, platform))
}
