//! One file per subcommand, each `run(ctx, args)`; this file dispatches, and says how each
//! command stops at Ctrl-C.

mod backup;
mod backups;
pub mod completions;
mod config;
mod delete;
mod duplicate;
mod info;
mod list;
pub mod man;
mod neutralize;
mod pseudonymize;
mod recover;
mod rename;
mod restore;
mod update;
mod upgrade;

use anyhow::Result;

use crate::cli::{Command, UpgradeArgs, UpgradeCommand};
use crate::context::Context;

/// How a command stops at Ctrl-C or SIGTERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancellation {
    /// It only reads: its work may simply be dropped.
    Drop,
    /// It changes things: it watches `ctx.cancel` itself and returns (exit 130) only once it has
    /// cleaned up. Never dropped half way.
    Cooperative,
}

/// Every command declares its policy here; there is no default arm, so a new command cannot be
/// added without choosing one.
pub fn cancellation(command: &Command) -> Cancellation {
    match command {
        Command::List(_)
        | Command::Info(_)
        | Command::Backups(_)
        | Command::Config
        | Command::Completions(_)
        | Command::Man(_)
        // upgrade check only reads (its stubs are written without an await in between, each
        // whole or absent; its probe's process group is killed when dropped); status and log
        // only ask the platform.
        | Command::Upgrade(UpgradeArgs {
            command: UpgradeCommand::Check(_) | UpgradeCommand::Status(_) | UpgradeCommand::Log(_),
        }) => Cancellation::Drop,
        Command::Backup(_)
        | Command::Restore(_)
        | Command::Duplicate(_)
        | Command::Rename(_)
        | Command::Delete(_)
        | Command::Neutralize(_)
        | Command::Pseudonymize(_)
        | Command::Recover(_)
        | Command::Update(_)
        | Command::Upgrade(UpgradeArgs {
            command:
                UpgradeCommand::Test(_)
                | UpgradeCommand::Production(_)
                | UpgradeCommand::Rollback(_)
                | UpgradeCommand::Resume(_),
        }) => Cancellation::Cooperative,
    }
}

pub async fn dispatch(ctx: &Context, command: &Command) -> Result<()> {
    match command {
        Command::List(args) => list::run(ctx, args).await,
        Command::Info(args) => info::run(ctx, args).await,
        Command::Backup(args) => backup::run(ctx, args).await,
        Command::Backups(args) => backups::run(ctx, args).await,
        Command::Restore(args) => restore::run(ctx, args).await,
        Command::Duplicate(args) => duplicate::run(ctx, args).await,
        Command::Rename(args) => rename::run(ctx, args).await,
        Command::Delete(args) => delete::run(ctx, args).await,
        Command::Neutralize(args) => neutralize::run(ctx, args).await,
        Command::Pseudonymize(args) => pseudonymize::run(ctx, args).await,
        Command::Recover(args) => recover::run(ctx, args).await,
        Command::Upgrade(args) => upgrade::run(ctx, args).await,
        Command::Update(args) => update::run(ctx, args).await,
        Command::Config => config::run(ctx),
        Command::Completions(_) | Command::Man(_) => Ok(()),
    }
}

/// The pseudonymization options as the layer takes them, the profile and hooks read (and
/// checked) now.
pub(crate) fn pseudonymization_options(
    ctx: &Context,
    args: &crate::cli::PseudonymizeOptions,
) -> anyhow::Result<crate::pseudonymize::Options> {
    Ok(crate::pseudonymize::Options {
        // The environment keeps the seed out of `ps`.
        seed: args.seed.clone().or_else(|| {
            std::env::var("ODOODB_PSEUDONYMIZE_SEED").ok().filter(|seed| !seed.is_empty())
        }),
        keep_admin: args.keep_admin,
        keep_internal: args.keep_internal,
        files: match args.attachments {
            Some(crate::cli::AttachmentFiles::Keep) => {
                crate::pseudonymize::attachments::Files::Keep
            }
            Some(crate::cli::AttachmentFiles::Drop) => {
                crate::pseudonymize::attachments::Files::Drop
            }
            Some(crate::cli::AttachmentFiles::Placeholder) | None => {
                crate::pseudonymize::attachments::Files::Placeholder
            }
        },
        profile: crate::pseudonymize::profile::Profile::load(
            &ctx.config.settings.pseudonymize.columns,
            args.profile.as_deref(),
            &args.sql,
        )?,
    })
}

/// What a pseudonymization reports, with the new password when it was made here (shown once).
#[derive(serde::Serialize)]
struct Pseudonymized<'r> {
    #[serde(flatten)]
    report: &'r crate::pseudonymize::Report,
    new_password: Option<&'r str>,
}

/// The pseudonymization `--pseudonymize` asks of a new database; its options alone are a usage
/// error. The new password is chosen now, so a bad file changes nothing.
pub(crate) fn pseudonymization_request(
    ctx: &Context,
    asked: bool,
    neutralized: bool,
    args: &crate::cli::PseudonymizeOptions,
) -> anyhow::Result<Option<crate::pseudonymize::Request>> {
    if asked && !neutralized {
        ctx.printer.warn(
            "--pseudonymize without --neutralize: people's data and users' credentials are reset, but the copy keeps the servers' (mail, payment, API keys) and can still reach them; add --neutralize",
        );
    }
    if !asked {
        if args.any() {
            return Err(crate::error::usage_error(
                "--seed, --attachments, --password-file, --keep-admin, --keep-internal, --profile and --sql only apply with --pseudonymize",
                "add --pseudonymize, or leave them out",
            ));
        }
        return Ok(None);
    }
    Ok(Some(crate::pseudonymize::Request {
        options: pseudonymization_options(ctx, args)?,
        password: crate::pseudonymize::NewPassword::choose(args.password_file.as_deref())?,
    }))
}

/// The lines a command's report adds for a pseudonymized new database.
pub(crate) fn pseudonymization_text(summary: Option<&crate::pseudonymize::Summary>) -> String {
    use std::fmt::Write as _;
    let Some(summary) = summary else { return String::new() };
    let mut text = format!(
        "\nPseudonymized: {} rows in {} tables; every credential reset",
        summary.rows, summary.tables
    );
    if let Some(files) = summary.attachments.as_ref().filter(|a| a.rows > 0) {
        let _ = write!(
            text,
            "\nPeople's attachments: {} ({}); their files are not in the new filestore",
            files.rows,
            files.mode.as_str()
        );
    }
    if let Some(password) = &summary.new_password {
        text = format!("{text}\nEvery user's password is now: {password} (shown this once)");
    }
    text
}
