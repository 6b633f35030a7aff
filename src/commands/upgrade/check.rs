//! `odoodb upgrade check <db> --target V`: the preflight of an upgrade. Reads only (besides the
//! stubs it is asked to write) and exits 4 when something would make the upgrade fail.

use anyhow::Result;

use crate::cli::{UpgradeCheckArgs, UpgradeEngine};
use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::upgrade::assess::{Inputs, assess, print};
use crate::upgrade::target::parse_target;

pub async fn run(ctx: &Context, args: &UpgradeCheckArgs) -> Result<()> {
    odoo::name::validate(&args.db)?;
    let target = parse_target(&args.target)?;
    super::require_addons_dirs(&args.addons_path)?;
    let inputs = Inputs {
        db: &args.db,
        target: &target,
        contract: args.contract.as_deref(),
        addons_path: &args.addons_path,
        write_stubs: args.write_stubs.as_deref(),
        work_dir: args.work_dir.clone().unwrap_or_else(std::env::temp_dir),
        platform: args.engine == UpgradeEngine::Platform,
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
