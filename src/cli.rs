//! Every clap definition of the command line, and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Connection and data_dir come from, in order: command-line flags, the Odoo config file
(-c, else $ODOO_RC, else ~/.odoorc), the PG* environment variables and ~/.pgpass, then
libpq's defaults (local socket, current OS user). Passwords are never taken from a flag.

Exit codes: 0 ok · 1 failed or declined · 2 usage error (also: destructive command without a
terminal and without --yes) · 4 a check found a problem · 130 interrupted, after cleanup.";

/// Back up, restore, copy, rename, delete and neutralize Odoo databases and their filestores.
#[derive(Debug, Parser)]
#[command(name = "odoodb", version, about, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command understands, before or after the command name.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from
    /// [default: $ODOO_RC, else ~/.odoorc]
    #[arg(short = 'c', long = "config", value_name = "ODOO_CONF", global = true)]
    pub odoo_config: Option<PathBuf>,

    /// odoodb's own settings file (TOML) [default: ~/.config/odoodb/config.toml, else
    /// /etc/odoodb/config.toml]
    #[arg(long, value_name = "FILE", global = true)]
    pub settings: Option<PathBuf>,

    /// PostgreSQL host name, or the directory of its Unix socket
    #[arg(long, value_name = "HOST", global = true, help_heading = "Connection")]
    pub host: Option<String>,

    /// PostgreSQL port
    #[arg(long, value_name = "PORT", global = true, help_heading = "Connection")]
    pub port: Option<u16>,

    /// PostgreSQL role to connect as
    #[arg(long, value_name = "ROLE", global = true, help_heading = "Connection")]
    pub user: Option<String>,

    /// TLS policy for TCP connections (ignored on a Unix socket)
    #[arg(long, value_enum, value_name = "MODE", global = true, help_heading = "Connection")]
    pub sslmode: Option<SslMode>,

    /// Odoo's data directory; filestores live in <DATA_DIR>/filestore/<db>
    #[arg(long, value_name = "DIR", global = true, help_heading = "Connection")]
    pub data_dir: Option<PathBuf>,

    /// Answer yes to confirmations (required for destructive commands without a terminal)
    #[arg(short = 'y', long, global = true, help_heading = "Output")]
    pub yes: bool,

    /// Print one JSON document on stdout and nothing else there
    #[arg(long, global = true, help_heading = "Output")]
    pub json: bool,

    /// Print only errors and warnings
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = "Output")]
    pub quiet: bool,

    /// Say more: where each setting came from, the SQL that runs (repeat for more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true, help_heading = "Output")]
    pub verbose: u8,

    /// Never show progress bars
    #[arg(long, global = true, help_heading = "Output")]
    pub no_progress: bool,

    /// When to use colours
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true, help_heading = "Output")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings
    List(ListArgs),
    /// Show one database in detail: version, modules, identity, mail, crons, filestore health,
    /// sessions
    Info(InfoArgs),
    /// Show the resolved settings and where each one came from
    Config,
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page, or write every page into a directory
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Also list databases that are not Odoo's
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The database
    pub db: String,

    /// Also list every installed module with its version
    #[arg(long)]
    pub modules: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write odoodb.1 and one page per subcommand into this directory instead of printing
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_work_after_the_command() {
        let cli = Cli::try_parse_from(["odoodb", "list", "--json", "--host", "/tmp", "-vv"])
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(cli.global.json);
        assert_eq!(cli.global.host.as_deref(), Some("/tmp"));
        assert_eq!(cli.global.verbose, 2);
    }

    #[test]
    fn there_is_no_password_flag() {
        assert!(Cli::try_parse_from(["odoodb", "--password", "x", "list"]).is_err());
    }
}
