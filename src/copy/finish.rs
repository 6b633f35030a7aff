//! The finish of a new database, before it takes its name: Odoo's grant, a new identity, every
//! neutralize step, the pseudonymization — in the order that lets each see what the one before
//! did (the identity before neutralization, which marks the copy; the check after it).

use anyhow::Result;

use crate::context::Context;
use crate::error::Failure;
use crate::neutralize::{self, module_files};
use crate::odoo::{self, identity};
use crate::pg::Client;

/// What the finish does; each field one step, off by default.
#[derive(Default)]
pub struct Finish<'f> {
    /// Grants as Odoo's own restore does (a loaded dump; a template copy keeps its grants).
    pub grant: bool,
    /// A new identity (uuid, secret, create date, base URL); `None` keeps the source's.
    pub identity: Option<identity::Options>,
    /// Every neutralize step, with the modules' neutralize.sql as these options say.
    pub neutralize: Option<&'f module_files::Options>,
    /// Every person's data rewritten and every credential reset, after neutralizing.
    pub pseudonymize: Option<&'f crate::pseudonymize::Request>,
    /// No step may still find live rows after neutralizing (else the copy is not made).
    pub require_neutral: bool,
    /// The copy as the status line names it ("the copy of prod").
    pub label: &'f str,
}

/// What the finish did.
pub struct Finished {
    /// The identity the new database has now.
    pub identity: identity::NewIdentity,
    pub neutralized: Option<neutralize::Report>,
    pub pseudonymized: Option<crate::pseudonymize::Summary>,
}

impl Finished {
    /// Rows changed per neutralize step, for the reports.
    pub fn neutralized_steps(&self) -> Option<Vec<(String, u64)>> {
        self.neutralized
            .as_ref()
            .map(|report| report.steps.iter().map(|s| (s.id.to_string(), s.changed)).collect())
    }
}

/// Finishes `building` (the install's temporary database, `client` connected to it).
pub async fn finish(
    ctx: &Context,
    client: &mut Client,
    building: &str,
    finish: &Finish<'_>,
) -> Result<Finished> {
    if finish.grant {
        odoo::grant_like_odoo(client).await?;
    }
    if let Some(options) = &finish.identity {
        identity::renew(client, options).await?;
    }
    ctx.check_interrupt()?;
    let neutralized = match finish.neutralize {
        Some(files) => Some(neutralize_all(ctx, client, building, files, finish).await?),
        None => None,
    };
    ctx.check_interrupt()?;
    let pseudonymized = match finish.pseudonymize {
        Some(request) => {
            ctx.printer.status(&format!("Pseudonymizing {} …", finish.label));
            let log = |line: &str| ctx.printer.verbose(2, line);
            let summary = crate::pseudonymize::unattended(
                client,
                building,
                request,
                &ctx.cancel,
                &ctx.params,
                &log,
            )
            .await?;
            Some(summary)
        }
        None => None,
    };
    Ok(Finished { identity: identity::read(&*client).await?, neutralized, pseudonymized })
}

async fn neutralize_all(
    ctx: &Context,
    client: &mut Client,
    building: &str,
    files: &module_files::Options,
    finish: &Finish<'_>,
) -> Result<neutralize::Report> {
    ctx.printer.status(&format!("Neutralizing {} …", finish.label));
    let log = |line: &str| ctx.printer.verbose(1, line);
    let report = neutralize::unattended(client, building, files, &ctx.cancel, &ctx.params, &log)
        .await
        .map_err(neutralize::explain)?;
    if finish.require_neutral && !report.findings.is_empty() {
        let steps: Vec<&str> = report.findings.iter().map(|f| f.step).collect();
        return Err(Failure::failed(format!(
            "the copy is not fully neutralized: steps {} still find live rows",
            steps.join(", ")
        ))
        .into());
    }
    Ok(report)
}

/// Once a pseudonymized new database's filestore is in `folder`: the files of people's
/// attachments the pseudonymization emptied leave it, and so do the files no attachment uses
/// (deleted ones, anyone's). Unlinked only: they may be the source's, linked.
pub async fn remove_pseudonymized_files(
    ctx: &Context,
    building: &str,
    folder: &std::path::Path,
) -> Result<u64> {
    let client = ctx.connect(building).await?;
    let emptied = crate::pseudonymize::attachments::settle(&client, folder).await?;
    Ok(emptied + crate::pseudonymize::attachments::sweep(&client, folder).await?)
}
