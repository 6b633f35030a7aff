//! `odoodb upgrade log <db> [-f]`: the platform's log of the stored request, from its first
//! byte; `-f` follows it until the request is done, failed or cancelled.

use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use crate::cli::UpgradeLogArgs;
use crate::context::Context;
use crate::upgrade::Secret;
use crate::upgrade::platform::{LogDecoder, Platform, Status};

/// How long to wait before asking again when nothing new came.
const POLL: Duration = Duration::from_secs(1);

#[derive(Serialize)]
struct Report {
    database: String,
    request_id: i64,
    log: String,
    bytes: u64,
    status: Option<String>,
}

pub async fn run(ctx: &Context, args: &UpgradeLogArgs) -> Result<()> {
    let (request, platform) = super::stored_request(ctx, &args.db, args.aim, &args.platform)?;
    let token = request.token();
    let mut decoder = LogDecoder::default();
    // In JSON mode the log is one document at the end; else it is printed as it comes.
    let mut collected = String::new();
    let mut show = |text: String| -> Result<()> {
        if ctx.printer.is_json() {
            collected.push_str(&text);
            Ok(())
        } else {
            ctx.printer.stream(&crate::output::terminal_safe(&text))
        }
    };
    let mut finished: Option<Status> = None;
    loop {
        drain(&platform, &token, &mut decoder, &mut show).await?;
        if !args.follow {
            break;
        }
        let status = platform.status(&token).await?;
        if status.is_finished() {
            // What the platform wrote between the last read and its end.
            drain(&platform, &token, &mut decoder, &mut show).await?;
            finished = Some(status);
            break;
        }
        tokio::time::sleep(POLL).await;
    }
    show(decoder.finish())?;
    if ctx.printer.is_json() {
        let report = Report {
            database: request.db.clone(),
            request_id: request.request_id,
            log: collected,
            bytes: decoder.offset,
            status: finished.as_ref().map(|s| s.status.clone()),
        };
        ctx.printer.emit(&report, String::new)?;
    }
    match finished {
        Some(status) => status.require_not_failed(),
        None => Ok(()),
    }
}

/// Reads until the platform has nothing new, each read starting at the exact byte after the
/// last one.
async fn drain(
    platform: &Platform,
    token: &Secret,
    decoder: &mut LogDecoder,
    show: &mut impl FnMut(String) -> Result<()>,
) -> Result<()> {
    loop {
        let bytes = platform.logs(token, decoder.offset).await?;
        if bytes.is_empty() {
            return Ok(());
        }
        show(decoder.feed(&bytes))?;
    }
}
