//! `odoodb upgrade rollback <db>`: the plan on screen, the typed name, then the rollback
//! (`upgrade::rollback`) and its report.

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::cli::UpgradeRollbackArgs;
use crate::confirm;
use crate::context::Context;
use crate::odoo;
use crate::upgrade::rollback::{self, Plan, Service};

#[derive(Debug, Serialize)]
struct Report<'p> {
    #[serde(flatten)]
    plan: &'p Plan,
    dry_run: bool,
    steps: Vec<String>,
    total_seconds: f64,
}

pub async fn run(ctx: &Context, args: &UpgradeRollbackArgs) -> Result<()> {
    let started = Instant::now();
    let db = args.db.as_str();
    odoo::name::validate_existing(db)?;
    let admin_client = ctx.connect_admin().await?;
    if !args.dry_run {
        ctx.recover(&admin_client).await.require_free(db)?;
    }
    let plan = rollback::plan(ctx, &admin_client, db, args.drop_upgraded).await?;
    let service = Service {
        stop: args.service.stop_cmd.as_deref(),
        start: args.service.start_cmd.as_deref(),
    };
    let steps = rollback::describe(&plan, &service);
    let report = |dry_run: bool, steps: Vec<String>| Report {
        plan: &plan,
        dry_run,
        steps,
        total_seconds: 0.0,
    };
    if args.dry_run {
        let report = report(true, steps);
        return ctx.printer.emit(&report, || {
            format!(
                "Dry run, nothing was changed. The rollback of {db}:\n  - {}",
                report.steps.join("\n  - ")
            )
        });
    }
    if !ctx.printer.is_json() {
        ctx.printer.status(&format!("Rollback of {db}:\n  - {}", steps.join("\n  - ")));
    }
    let action = if args.drop_upgraded {
        format!("put {} back and drop the upgraded database", plan.original)
    } else {
        format!("put {} back", plan.original)
    };
    confirm::typed_name(ctx, &action, db).await?;
    rollback::roll_back(ctx, &admin_client, &plan, &service).await?;
    let mut report = report(false, steps);
    report.total_seconds = started.elapsed().as_secs_f64();
    ctx.printer.done(&report, || {
        let fate = if plan.drop_upgraded {
            "the upgraded database was dropped".to_string()
        } else {
            format!(
                "the upgraded one is {}, closed to connections (odoodb delete {} removes it)",
                plan.aside, plan.aside
            )
        };
        format!("Rolled back {db} to {} in {:.0}s; {fate}", plan.original, report.total_seconds)
    })
}
