//! `odoodb upgrade status <db>`: what the platform says of the stored request.

use anyhow::Result;
use serde::Serialize;

use crate::cli::UpgradeStatusArgs;
use crate::context::Context;
use crate::upgrade::platform::{Aim, Status};

#[derive(Serialize)]
struct Report<'a> {
    database: &'a str,
    aim: Aim,
    target: &'a str,
    request_id: i64,
    host: &'a str,
    phase: &'a str,
    #[serde(flatten)]
    platform: &'a Status,
}

pub async fn run(ctx: &Context, args: &UpgradeStatusArgs) -> Result<()> {
    let (request, platform) = super::stored_request(ctx, &args.db, args.aim, &args.platform)?;
    let status = platform.status(&request.token()).await?;
    let report = Report {
        database: &request.db,
        aim: request.aim,
        target: &request.target,
        request_id: request.request_id,
        host: &request.host,
        phase: &request.phase,
        platform: &status,
    };
    ctx.printer.emit(&report, || {
        let mut table = ctx.printer.table(&[]);
        table.add_row(vec!["database", request.db.as_str()]);
        table.add_row(vec!["upgrade", &format!("{} to {}", request.aim.as_str(), request.target)]);
        table.add_row(vec!["request", &format!("#{} on {}", request.request_id, request.host)]);
        table.add_row(vec!["status", status.status.as_str()]);
        if let Some(reason) = status.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            table.add_row(vec!["reason", reason.trim()]);
        }
        if status.archived == Some(true) {
            table.add_row(vec!["archived", "yes: the platform no longer keeps the result"]);
        }
        table.add_row(vec!["local phase", request.phase.as_str()]);
        crate::output::terminal_safe(&table.to_string())
    })?;
    status.require_not_failed()
}
