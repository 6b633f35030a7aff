//! The rollback of a production upgrade: the newest original its upgrades kept takes the name
//! back, the upgraded database goes aside (closed, marked) or is dropped — one journaled change
//! (`safe::put_back`), between `--stop-cmd` and `--start-cmd`.

use anyhow::Result;

use crate::context::Context;
use crate::error::Failure;
use crate::odoo;
use crate::pg::admin;
use crate::safe::{kept, put_back};

/// Everything decided before anything changes.
#[derive(Debug, serde::Serialize)]
pub struct Plan {
    pub database: String,
    /// The kept original that takes the name back.
    pub original: String,
    /// Where the upgraded database goes (dropped from there with `drop_upgraded`).
    pub aside: String,
    pub drop_upgraded: bool,
}

/// The service around the swap.
pub struct Service<'a> {
    pub stop: Option<&'a str>,
    pub start: Option<&'a str>,
}

/// Finds the newest kept original of `db` and names where the upgraded one goes; refuses when
/// there is nothing to go back to or a name is taken.
pub async fn plan(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    db: &str,
    drop_upgraded: bool,
) -> Result<Plan> {
    if !admin::database_exists(admin_client, db).await? {
        return Err(Failure::failed(format!("there is no database {db}"))
            .unchanged()
            .hint("`odoodb list --all` shows the databases, kept originals included")
            .into());
    }
    let Some(original) = kept::originals_of(admin_client, db).await?.into_iter().next() else {
        return Err(Failure::failed(format!(
            "{db} has no kept original to go back to (none named {db}_pre_… or marked as its original)"
        ))
        .unchanged()
        .hint("upgrade production and update keep one; to go further back, restore a backup (odoodb restore)")
        .into());
    };
    let series = match ctx.connect(db).await {
        Ok(client) => crate::upgrade::target::current_series(&client)
            .await
            .map_or_else(|_| "upgrade".to_string(), |series| series.to_string()),
        Err(_) => "upgrade".to_string(),
    };
    let aside =
        format!("{db}_failed_{series}_{}", chrono::Local::now().format("%Y-%m-%d_%H-%M-%S"));
    if aside.len() > 63 {
        return Err(Failure::failed(format!(
            "the name that would keep the upgraded database, {aside}, is longer than PostgreSQL's 63 bytes"
        ))
        .unchanged()
        .hint("rename the databases to something shorter first (odoodb rename)")
        .into());
    }
    odoo::name::validate(&aside)?;
    if admin::database_exists(admin_client, &aside).await?
        || ctx.filestore(&aside).symlink_metadata().is_ok()
    {
        return Err(Failure::failed(format!("{aside} is taken (a database or a folder)"))
            .unchanged()
            .hint("wait a second and run this again")
            .into());
    }
    Ok(Plan { database: db.to_string(), original, aside, drop_upgraded })
}

/// The plan's steps, for the screen and `--dry-run`.
pub fn describe(plan: &Plan, service: &Service<'_>) -> Vec<String> {
    let (db, original, aside) = (&plan.database, &plan.original, &plan.aside);
    let mut steps = Vec::new();
    if let Some(stop) = service.stop {
        steps.push(format!("the service is stopped: {stop}"));
    }
    steps.push(format!("{db} is closed to connections and its sessions ended"));
    steps.push(format!("{db} (database and filestore) becomes {aside}"));
    steps.push(format!("{original} (database and filestore) becomes {db}, opened again"));
    if plan.drop_upgraded {
        steps.push(format!("{aside} is dropped and its filestore removed"));
    } else {
        steps.push(format!("{aside} stays closed to connections, marked as set aside"));
    }
    if let Some(start) = service.start {
        steps.push(format!("the service is started: {start}"));
    }
    steps
}

/// The rollback; `--start-cmd` runs whatever happened. Nothing changes when `--stop-cmd` fails
/// or Ctrl-C comes before the swap.
pub async fn roll_back(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    plan: &Plan,
    service: &Service<'_>,
) -> Result<()> {
    let swapped = swap(ctx, admin_client, plan, service).await;
    let started = match service.start {
        Some(command) => {
            ctx.printer.status(&format!("Starting the service: {command}"));
            crate::upgrade::run_shell_to_the_end(ctx, command, &plan.database).await.map_err(
                |error| {
                    Failure::failed(format!(
                        "--start-cmd failed ({})",
                        crate::error::one_line(&error)
                    ))
                    .hint("start the Odoo service by hand")
                    .into()
                },
            )
        }
        None => Ok(()),
    };
    match (swapped, started) {
        (Err(error), Err(start)) => {
            ctx.printer.warn(&crate::error::one_line(&start));
            Err(error)
        }
        (Err(error), Ok(())) | (Ok(()), Err(error)) => Err(error),
        (Ok(()), Ok(())) => Ok(()),
    }
}

async fn swap(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    plan: &Plan,
    service: &Service<'_>,
) -> Result<()> {
    let site = ctx.site(admin_client);
    let mut change = put_back::begin(
        &site,
        "upgrade rollback",
        &plan.database,
        &plan.original,
        &plan.aside,
        plan.drop_upgraded,
    )
    .await?;
    if let Some(stop) = service.stop {
        ctx.printer.status(&format!("Stopping the service: {stop}"));
        let stopped = crate::upgrade::run_service_command(ctx, stop, &plan.database).await;
        let recorded = match stopped {
            Ok(()) => change.service_stopped(stop, service.start).await,
            Err(error) => Err(error.context("--stop-cmd failed; nothing was changed")),
        };
        if let Err(error) = recorded {
            change.abandon().await?;
            return Err(error);
        }
    }
    if let Err(error) = ctx.check_interrupt() {
        change.abandon().await?;
        return Err(error);
    }
    ctx.printer.status(&format!("Putting {} back as {} …", plan.original, plan.database));
    if let Some(leftover) = change.complete().await? {
        ctx.printer.warn(&leftover);
    }
    Ok(())
}
