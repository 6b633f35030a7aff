//! Where the command line meets the layers. `cli.rs` holds the clap definitions and imports
//! nothing of ours; the layers take plain values and import nothing of `cli`; this file knows
//! both: it assembles the command odoodb runs (the definitions, the shell's dynamic completers,
//! the exit codes from their table) and turns the parsed values into the layers' own.

use clap::{CommandFactory as _, FromArgMatches as _};

use crate::cli::{self, Cli, GlobalArgs};
use crate::{archive, config, pg};

/// The whole command line, as parsed, completed and documented.
pub fn command() -> clap::Command {
    let after_help = format!("{}\n\n{}", cli::SETTINGS_ORDER, crate::error::exit::summary());
    crate::completion::attach(Cli::command()).after_help(after_help)
}

/// Parses the process's arguments against [`command`], as `Cli::try_parse` would.
pub fn parse() -> Result<Cli, clap::Error> {
    let mut command = command();
    let mut matches = command.try_get_matches_from_mut(std::env::args_os())?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|error| error.format(&mut command))
}

impl From<&GlobalArgs> for config::Flags {
    fn from(args: &GlobalArgs) -> Self {
        Self {
            odoo_config: args.odoo_config.clone(),
            settings: args.settings.clone(),
            host: args.host.clone(),
            port: args.port,
            user: args.user.clone(),
            sslmode: args.sslmode.map(pg::SslMode::from),
            data_dir: args.data_dir.clone(),
        }
    }
}

impl From<cli::SslMode> for pg::SslMode {
    fn from(mode: cli::SslMode) -> Self {
        match mode {
            cli::SslMode::Disable => Self::Disable,
            cli::SslMode::Allow => Self::Allow,
            cli::SslMode::Prefer => Self::Prefer,
            cli::SslMode::Require => Self::Require,
            cli::SslMode::VerifyCa => Self::VerifyCa,
            cli::SslMode::VerifyFull => Self::VerifyFull,
        }
    }
}

impl From<cli::BackupFormat> for archive::BackupFormat {
    fn from(format: cli::BackupFormat) -> Self {
        match format {
            cli::BackupFormat::TarGz => Self::TarGz,
            cli::BackupFormat::Zip => Self::Zip,
            cli::BackupFormat::Dump => Self::Dump,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assembled_command_is_consistent() {
        command().debug_assert();
    }
}
