//! `odoodb upgrade check <db> --target V`: the preflight of an upgrade. Reads only (besides the
//! stubs it is asked to write, and the probe command it is given to run) and exits 4 when
//! something would make the upgrade fail.

use std::time::Duration;

use anyhow::Result;

use crate::cli::{UpgradeCheckArgs, UpgradeEngine};
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::odoo;
use crate::upgrade::assess::{Inputs, assess, print};
use crate::upgrade::target::parse_target;

pub async fn run(ctx: &Context, args: &UpgradeCheckArgs) -> Result<()> {
    odoo::name::validate(&args.db)?;
    let target = parse_target(&args.target)?;
    super::require_addons_dirs(&args.addons_path)?;
    let platform = args.engine == UpgradeEngine::Platform;
    if platform && args.upgrade_command.is_some() {
        return Err(usage_error(
            "--upgrade-command is only used with --engine command",
            "add --engine command, or leave --upgrade-command out",
        ));
    }
    let inputs = Inputs {
        db: &args.db,
        target: &target,
        contract: args.contract.as_deref(),
        addons_path: &args.addons_path,
        write_stubs: args.write_stubs.as_deref(),
        work_dir: args.work_dir.clone().unwrap_or_else(std::env::temp_dir),
        platform,
        upgrade_command: args.upgrade_command.as_deref(),
        probe: args
            .upgrade_probe
            .as_deref()
            .map(|probe| (probe, Duration::from_secs(args.upgrade_probe_timeout))),
    };
    let report = assess(ctx, &inputs).await?;
    print(ctx, &report)?;
    if report.blockers > 0 {
        return Err(Failure::check_failed(format!(
            "{} cannot be upgraded to {target} yet: {} blocker(s) above",
            args.db, report.blockers
        ))
        .into());
    }
    Ok(())
}
