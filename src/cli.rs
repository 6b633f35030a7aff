//! Every clap definition of the command line, and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where the settings come from: the first paragraph after `odoodb --help` (the exit codes,
/// from their table, follow it where the command is assembled).
pub const SETTINGS_ORDER: &str = "\
Connection and data_dir come from, in order: command-line flags, the Odoo config file
(-c, else $ODOO_RC, else ~/.odoorc), the PG* environment variables and ~/.pgpass, then
libpq's defaults (local socket, current OS user). Passwords are never taken from a flag.";

/// Back up, restore, copy, rename, delete and neutralize Odoo databases and their filestores.
#[derive(Debug, Parser)]
#[command(name = "odoodb", version, max_term_width = 100)]
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
    #[arg(short = 'p', long, value_name = "PORT", global = true, help_heading = "Connection")]
    pub port: Option<u16>,

    /// PostgreSQL role to connect as
    #[arg(short = 'U', long, value_name = "ROLE", global = true, help_heading = "Connection")]
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
    /// Back up a database and its filestore into one archive (tar.gz, Odoo's zip, or a
    /// pg_dump file); or check an archive with --verify
    Backup(BackupArgs),
    /// List the backups in a folder, newest first; with --max-age, exit 4 when a database's
    /// newest backup is older or missing (for monitoring)
    Backups(BackupsArgs),
    /// Restore a backup (ours, Odoo's zip, a pg_dump file or folder, plain SQL) into a new
    /// database, atomically
    Restore(RestoreArgs),
    /// Copy a database and its filestore under a new name, with a new identity
    Duplicate(DuplicateArgs),
    /// Rename a database and its filestore together, or neither
    Rename(RenameArgs),
    /// Drop a database and remove its filestore, after a typed confirmation
    Delete(DeleteArgs),
    /// Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction;
    /// or audit one with --check
    #[command(after_help = NEUTRALIZE_AFTER_HELP)]
    Neutralize(NeutralizeArgs),
    /// Rewrite every person's data of a copy into consistent pseudonyms and reset every
    /// credential, in one transaction; or prove a copy with --check --against its source
    #[command(after_help = PSEUDONYMIZE_AFTER_HELP)]
    Pseudonymize(PseudonymizeArgs),
    /// Upgrade a database (Odoo's upgrade platform, or a local program such as OpenUpgrade):
    /// preflight, an upgraded test copy, production with a backup first and an automatic
    /// revert, a platform request's status and log
    Upgrade(UpgradeArgs),
    /// Update production's modules within its version (`-u` after a code deploy): closed,
    /// backed up, updated on a copy, checked, swapped in; the original kept closed for
    /// `odoodb upgrade rollback`
    #[command(after_help = UPDATE_AFTER_HELP)]
    Update(Box<UpdateArgs>),
    /// Complete or roll back the changes of odoodb runs that were killed (every changing
    /// command does this first); list the ones still under way
    Recover(RecoverArgs),
    /// Show the resolved settings and where each one came from
    Config,
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page, or write every page into a directory
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct BackupsArgs {
    /// The folder, or an object-storage prefix s3://BUCKET/PREFIX/ [default: settings
    /// backup.to, else backup.dir, else the current folder]
    #[arg(value_name = "DIR")]
    pub dir: Option<String>,

    /// Only the databases whose name matches this shell glob (`*`, `?`); repeatable
    #[arg(long = "match", value_name = "GLOB")]
    pub matches: Vec<String>,

    /// Exit 4 when an Odoo database of the server (those --match names) has no backup in the
    /// folder newer than this: 90m, 26h, 7d, 3600s
    #[arg(long, value_name = "DURATION")]
    pub max_age: Option<String>,
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

/// How `duplicate` brings the filestore along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FilestoreMode {
    /// Reflinks where the filesystem can, else hard links on one filesystem, else a copy
    Auto,
    /// A full, independent copy of every file
    Copy,
    /// Hard links: instant and free of space; safe because Odoo never rewrites a filestore
    /// file (files are named by the sha1 of their content)
    Hardlink,
    /// Copy-on-write clones (btrfs, XFS): instant, and independent copies
    Reflink,
    /// No filestore for the copy
    None,
}

/// How PostgreSQL copies the template database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CopyStrategy {
    /// WAL_LOG below 1 GiB (no checkpoint: several times faster there, see benches/), FILE_COPY
    /// from 1 GiB on; before PostgreSQL 15 the file copy is the only way
    Auto,
    /// WAL-logged block copy (PostgreSQL 15+ default; no checkpoint, more WAL)
    WalLog,
    /// File-level copy with a checkpoint (the only strategy before PostgreSQL 15)
    FileCopy,
}

/// Options shared by the commands that change databases.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// End other sessions on the database without asking (Odoo reconnects fast)
    #[arg(long)]
    pub force_disconnect: bool,

    /// Print the plan (SQL and filesystem steps) and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DuplicateArgs {
    /// The database to copy
    pub source: String,
    /// The name of the copy
    pub target: String,

    /// How to bring the filestore along
    #[arg(long, value_enum, value_name = "MODE")]
    pub filestore: Option<FilestoreMode>,

    /// How PostgreSQL copies the database
    #[arg(long, value_enum, value_name = "STRATEGY", default_value_t = CopyStrategy::Auto)]
    pub strategy: CopyStrategy,

    /// Neutralize the copy (every `odoodb neutralize` step, in one transaction, parameters that
    /// look like credentials blanked too) before it gets its final name, so it is never
    /// reachable un-neutralized
    #[arg(long)]
    pub neutralize: bool,

    /// Keep database.enterprise_code in the copy (by default it is removed, so the copy never
    /// poses as the production subscription; a neutralized copy never keeps it)
    #[arg(long, conflicts_with = "neutralize")]
    pub keep_enterprise_code: bool,

    /// Replace an existing TARGET (database and filestore), after confirmation; the old one is
    /// removed only once the new copy is complete
    #[arg(long)]
    pub force: bool,

    /// The role that owns the copy [default: the source's owner, so the Odoo that serves the
    /// source lists the copy too]
    #[arg(long, value_name = "ROLE")]
    pub owner: Option<String>,

    /// With --neutralize: how the modules' data/neutralize.sql files run
    #[command(flatten)]
    pub module_files: ModuleFileArgs,

    /// Pseudonymize the new database (every person's data rewritten, every credential
    /// reset; see `odoodb pseudonymize`) before it gets its name
    #[arg(long)]
    pub pseudonymize: bool,

    #[command(flatten)]
    pub pseudonymize_options: PseudonymizeOptions,

    /// With --force: back up the database being replaced into the backup folder (settings
    /// backup.dir) first, and change nothing if that fails
    #[arg(long, requires = "force")]
    pub backup_first: bool,

    #[command(flatten)]
    pub change: ChangeArgs,
}

/// Backup formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackupFormat {
    /// manifest.json, the database dump, filestore/: restored by odoodb, in parallel
    #[value(name = "tar.gz")]
    TarGz,
    /// Odoo's own layout (dump.sql, manifest.json, filestore/): for Odoo's database manager,
    /// `odoo-bin db load` and the upgrade platform
    #[value(name = "zip")]
    Zip,
    /// pg_dump's custom format, no filestore: Odoo's "dump" backups, pg_restore
    #[value(name = "dump")]
    Dump,
}

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Compression {
    Fast,
    #[default]
    Default,
    Best,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The database to back up
    #[arg(required_unless_present_any = ["verify", "all"])]
    pub db: Option<String>,

    /// Back up every Odoo database of the server (not templates, not the system's), one
    /// archive each into --dir; exit 1 if any failed (the others are still made and kept)
    #[arg(long, conflicts_with_all = ["db", "output", "verify"], help_heading = "Every database")]
    pub all: bool,

    /// With --all: only the databases whose name matches this shell glob (`*`, `?`);
    /// repeatable
    #[arg(long = "match", value_name = "GLOB", requires = "all", help_heading = "Every database")]
    pub matches: Vec<String>,

    /// With --all: how many databases at a time (pg_dump and compression already use the
    /// cores) [default: 1]
    #[arg(long, value_name = "N", requires = "all", help_heading = "Every database")]
    pub parallel: Option<usize>,

    /// With --all: when another `backup --all` is writing into the same folder, wait this long
    /// for it (90m, 2h, …) instead of exiting 1 at once
    #[arg(long, value_name = "DURATION", requires = "all", help_heading = "Every database")]
    pub wait: Option<String>,

    /// Archive format [default: settings backup.format, else tar.gz]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<BackupFormat>,

    /// Write the archive here instead of into --dir: a new file (its extension chooses the
    /// format when --format is not given), `-` for stdout, or a named pipe or device, written
    /// through; an existing file only with --force, a link is followed
    #[arg(short = 'o', long, value_name = "FILE", conflicts_with = "dir")]
    pub output: Option<PathBuf>,

    /// Write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> into this folder [default: settings backup.dir,
    /// else the current folder]
    #[arg(long, value_name = "DIR", conflicts_with = "to")]
    pub dir: Option<PathBuf>,

    /// Write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> under this object-storage prefix
    /// (s3://BUCKET/PREFIX/), or into this folder; credentials and endpoint from AWS_* and
    /// ~/.aws as every S3 tool reads them, or [backup.s3] in the settings [default: settings
    /// backup.to]
    #[arg(long, value_name = "TARGET", conflicts_with = "output")]
    pub to: Option<String>,

    /// Replace the file named with -o if it exists (once the new backup is complete)
    #[arg(long, requires = "output")]
    pub force: bool,

    /// Once the new backup is complete and verified, keep only the newest N backups of this
    /// database in the folder [default: settings backup.keep]
    #[arg(long, value_name = "N", help_heading = "Retention")]
    pub keep: Option<u32>,

    /// Also keep the newest backup of each of the last N days that have one (restic's rule;
    /// with --keep-weekly and --keep-monthly, what any rule keeps stays) [default: settings
    /// backup.keep_daily]
    #[arg(long, value_name = "N", help_heading = "Retention")]
    pub keep_daily: Option<u32>,

    /// Keep the newest backup of each of the last N ISO weeks that have one [default: settings
    /// backup.keep_weekly]
    #[arg(long, value_name = "N", help_heading = "Retention")]
    pub keep_weekly: Option<u32>,

    /// Keep the newest backup of each of the last N calendar months that have one [default:
    /// settings backup.keep_monthly]
    #[arg(long, value_name = "N", help_heading = "Retention")]
    pub keep_monthly: Option<u32>,

    /// Leave the filestore out (a backup of the database alone)
    #[arg(long)]
    pub no_filestore: bool,

    /// How hard to compress
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Compression::Default)]
    pub compression: Compression,

    /// Parallel pg_dump/compression jobs [default: the number of cores]
    #[arg(long, value_name = "N")]
    pub jobs: Option<u32>,

    /// Check everything and write nothing: for each database the archive it would write, the
    /// space it may need and the space free, and the older backups retention would remove
    #[arg(long, conflicts_with = "verify")]
    pub dry_run: bool,

    /// Do not check the target folder's free space first (for filesystems whose free space
    /// misleads: compressing ones, some network mounts)
    #[arg(long, conflicts_with = "verify")]
    pub no_space_check: bool,

    /// Encrypt the whole archive with age to this public key (age1…), as `age -r` does; its
    /// name then ends in .age; repeatable [default: settings backup.encrypt_to]
    #[arg(long, value_name = "RECIPIENT", help_heading = "Encryption")]
    pub encrypt_to: Vec<String>,

    /// Encrypt to the public keys in this file, one a line (`#` comments), as `age -R` reads;
    /// repeatable
    #[arg(long, value_name = "FILE", help_heading = "Encryption")]
    pub encrypt_to_file: Vec<PathBuf>,

    /// Check an archive (a file, an http(s) URL or s3://BUCKET/KEY) end to end (checksums,
    /// manifest, dump, filestore names) instead of making one; exit 4 when anything is wrong
    #[arg(long, value_name = "FILE", conflicts_with_all = ["db", "output", "dir", "to", "keep", "keep_daily", "keep_weekly", "keep_monthly", "all", "format", "encrypt_to", "encrypt_to_file"])]
    pub verify: Option<PathBuf>,

    /// With --verify: the age identity file (AGE-SECRET-KEY-1… lines) that decrypts an
    /// encrypted archive [default: $ODOODB_AGE_IDENTITY, else settings restore.identity]
    #[arg(long, value_name = "FILE", requires = "verify", help_heading = "Encryption")]
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The archive: our tar.gz, Odoo's zip, a pg_dump file or folder, .sql or .sql.gz, `-` for
    /// stdin, an http(s) URL, or an object s3://BUCKET/KEY
    pub archive: String,

    /// The new database's name [default: the manifest's db_name, else the file's name]
    pub db: Option<String>,

    /// Restore as a copy: new uuid, secret and create date, no enterprise code, web.base.url
    /// reset (as Odoo's "copied") [default in scripts]
    #[arg(long, conflicts_with = "move_")]
    pub copy: bool,

    /// Restore as the same database moved here: identity kept (as Odoo's "moved")
    #[arg(long = "move", id = "move_")]
    pub move_: bool,

    /// Neutralize the restored database before it gets its name (every `odoodb neutralize`
    /// step, parameters that look like credentials blanked too)
    #[arg(long, conflicts_with = "move_")]
    pub neutralize: bool,

    /// Replace an existing database of that name (after confirmation), once the restore is
    /// complete
    #[arg(long)]
    pub force: bool,

    /// The role that owns the restored database [default: the connecting role]
    #[arg(long, value_name = "ROLE")]
    pub owner: Option<String>,

    /// Parallel pg_restore jobs [default: the number of cores]
    #[arg(long, value_name = "N")]
    pub jobs: Option<u32>,

    /// Show what the archive holds (manifest, format, versions, sizes) and restore nothing
    #[arg(long)]
    pub inspect: bool,

    /// The age identity file (AGE-SECRET-KEY-1… lines) that decrypts an encrypted archive
    /// [default: $ODOODB_AGE_IDENTITY, else settings restore.identity]
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,

    /// For an http(s) archive: seconds to wait for its server to accept the connection
    /// [default: settings [restore] connect_timeout, else 30]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub connect_timeout: Option<u64>,

    /// For an http(s) archive: seconds its server may send nothing (its answer, then each part
    /// of the download) before the restore gives up [default: settings [restore] read_timeout,
    /// else 60]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub read_timeout: Option<u64>,

    /// With --neutralize: how the modules' data/neutralize.sql files run
    #[command(flatten)]
    pub module_files: ModuleFileArgs,

    /// Pseudonymize the new database (every person's data rewritten, every credential
    /// reset; see `odoodb pseudonymize`) before it gets its name
    #[arg(long)]
    pub pseudonymize: bool,

    #[command(flatten)]
    pub pseudonymize_options: PseudonymizeOptions,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The database's current name
    pub old: String,
    /// The new name
    pub new: String,

    /// Do not ask for the name of a database that looks like production (odoo.conf db_name, or
    /// listed in the settings' [neutralize] protect); --yes alone is not enough for those
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The database to drop
    pub db: String,

    /// Leave the filestore folder on disk
    #[arg(long)]
    pub keep_filestore: bool,

    /// Succeed, changing nothing, when the database does not exist (for scripts that clean up)
    #[arg(long)]
    pub if_exists: bool,

    /// Make a backup into the backup folder (--dir, else settings backup.dir) first, and drop
    /// nothing if it fails
    #[arg(long)]
    pub backup_first: bool,

    /// With --backup-first: write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> into this folder [default:
    /// settings backup.dir, else the current folder]
    #[arg(long, value_name = "DIR", requires = "backup_first")]
    pub dir: Option<PathBuf>,

    /// Also drop a database that is not Odoo's, and one that looks like production (odoo.conf
    /// db_name, or listed in the settings' [neutralize] protect) without typing its name
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub change: ChangeArgs,
}

const NEUTRALIZE_AFTER_HELP: &str = "\
Shows the plan (each step, how many rows), asks once, applies everything in one transaction and
prints what changed. `--list-steps` lists the steps. Where an addons path is known (--addons-path,
else odoo.conf addons_path), the data/neutralize.sql of every installed module runs too, each in
its own savepoint.

`odoodb neutralize --check <db>` changes nothing and exits 4 when anything is still live: the
command a CI pipeline runs before it trusts a copy.";

/// The help heading of the module-file options (set per argument: a heading set on the group
/// would carry over to the options flattened after it).
const MODULE_FILES: &str = "Module neutralize.sql files";

/// How the data/neutralize.sql of each installed module runs: shared by every command that
/// neutralizes.
#[derive(Debug, Args, Clone, Default)]
pub struct ModuleFileArgs {
    /// Where to find modules' data/neutralize.sql (comma-separated) [default: odoo.conf
    /// addons_path]
    #[arg(long, value_name = "DIRS", value_delimiter = ',', help_heading = MODULE_FILES)]
    pub addons_path: Vec<PathBuf>,

    /// Do not run any module's data/neutralize.sql, only the built-in steps
    #[arg(
        long,
        conflicts_with_all = ["addons_path", "continue_on_error", "ignore_module"],
        help_heading = MODULE_FILES
    )]
    pub no_module_files: bool,

    /// Do not run this module's data/neutralize.sql (repeatable)
    #[arg(long, value_name = "MODULE", help_heading = MODULE_FILES)]
    pub ignore_module: Vec<String>,

    /// Keep going when a module's neutralize.sql fails (its own changes are undone; the run
    /// then exits 3); without it, one failure rolls everything back
    #[arg(long, help_heading = MODULE_FILES)]
    pub continue_on_error: bool,
}

impl ModuleFileArgs {
    /// Whether any of these options was given.
    pub fn any(&self) -> bool {
        !self.addons_path.is_empty()
            || self.no_module_files
            || !self.ignore_module.is_empty()
            || self.continue_on_error
    }
}

#[derive(Debug, Args)]
pub struct NeutralizeArgs {
    /// The database to neutralize (or to audit with --check)
    #[arg(required_unless_present = "list_steps")]
    pub db: Option<String>,

    /// Audit only: list what is still live and exit 4 if anything is
    #[arg(long, conflicts_with_all = ["dry_run", "interactive"])]
    pub check: bool,

    /// Show the plan with row counts (and the SQL with -v); change nothing
    #[arg(long, conflicts_with = "interactive")]
    pub dry_run: bool,

    /// Confirm or skip each step, then commit once at the end
    #[arg(long)]
    pub interactive: bool,

    /// Run only these steps (comma-separated ids, see --list-steps)
    #[arg(long, value_name = "STEP", value_delimiter = ',')]
    pub only: Vec<String>,

    /// Leave out these steps (comma-separated ids)
    #[arg(long, value_name = "STEP", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// List the steps and exit
    #[arg(long)]
    pub list_steps: bool,

    /// Also blank the parameters that look like credentials (keys with secret, token, api_key,
    /// password, private_key…) that no step covers; without it they are only reported, and
    /// --check counts them
    #[arg(long, conflicts_with = "check")]
    pub clear_unknown_secrets: bool,

    #[command(flatten)]
    pub module_files: ModuleFileArgs,

    /// Do not ask for the name of a database that looks like production (odoo.conf db_name,
    /// or listed in the settings' [neutralize] protect)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct PseudonymizeArgs {
    /// The database to pseudonymize (or to prove with --check)
    pub db: String,

    /// Prove a copy: compare it with its source (--against) and exit 4 when a value or a
    /// credential of the source is still there; changes nothing
    #[arg(long, requires = "against", conflicts_with = "dry_run")]
    pub check: bool,

    /// With --check: the source database the copy was made from
    #[arg(long, value_name = "SOURCE")]
    pub against: Option<String>,

    /// Show the plan with row counts; change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub options: PseudonymizeOptions,

    /// Do not ask for the name of a database that looks like production (odoo.conf db_name,
    /// listed in the settings' [neutralize] protect, or not neutralized)
    #[arg(long)]
    pub force: bool,
}

/// How pseudonyms and credentials are made: shared by every command that pseudonymizes.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Pseudonymization")]
pub struct PseudonymizeOptions {
    /// Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has
    /// it can test a guessed value, so keep copies made with it among those who may know.
    /// Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is
    /// pseudonymized): arguments are visible to every user of the machine
    #[arg(long, value_name = "SEED")]
    pub seed: Option<String>,

    /// The files attached to people's records (photos, CVs, IDs, documents sent to them):
    /// replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or
    /// kept; the filestore of the result then holds only what remains [default: placeholder]
    #[arg(long, value_name = "WHAT")]
    pub attachments: Option<AttachmentFiles>,

    /// Every user's new password: the first line of this file [default: a random one, printed
    /// once]
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// The administrator keeps its login (its password is reset all the same)
    #[arg(long)]
    pub keep_admin: bool,

    /// Internal users keep their names and details (portal users and contacts do not)
    #[arg(long)]
    pub keep_internal: bool,

    /// A TOML file whose [columns] table adds the columns of custom modules
    /// ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the
    /// settings' [pseudonymize.columns]
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// SQL run after the built-in rules, in the same transaction (repeatable): if it fails,
    /// nothing is changed
    #[arg(long = "sql", value_name = "FILE")]
    pub sql: Vec<PathBuf>,
}

/// What `--attachments` does with the files of people's attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttachmentFiles {
    Placeholder,
    Drop,
    Keep,
}

impl PseudonymizeOptions {
    /// Whether any was given (they only apply where something is pseudonymized).
    pub fn any(&self) -> bool {
        self.seed.is_some()
            || self.attachments.is_some()
            || self.password_file.is_some()
            || self.keep_admin
            || self.keep_internal
            || self.profile.is_some()
            || !self.sql.is_empty()
    }
}

const PSEUDONYMIZE_AFTER_HELP: &str = "\
Rewrites partners (names, emails, phones, addresses, VAT, bank accounts), users' logins and \
signatures, employees' private data, leads, applicants, messages, mails and tracked values, and \
the text indexed from attachments. The same value gives the same pseudonym in every table (an \
email stays an email at example.invalid, a phone a phone, an IBAN a valid IBAN); NULLs stay \
NULL; the companies' own partners are kept. Every user gets one new password, stored as Odoo \
stores it; second factors, trusted devices, API keys, passkeys, OAuth tokens and the tokens of \
shared links are removed. Tables a version lacks are skipped and listed.

A database that looks like production (odoo.conf db_name, [neutralize] protect, or not \
neutralized) needs its name typed, even with --yes. `odoodb pseudonymize --check COPY --against \
SOURCE` compares up to 10 000 rows of every covered column by id and exits 4 naming each table \
and column whose value survived (never the value).";

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    #[command(subcommand)]
    pub command: UpgradeCommand,
}

#[derive(Debug, Subcommand)]
pub enum UpgradeCommand {
    /// Preflight: versions, contract, local tools, free disk, and installed modules missing
    /// from the target version's code; exits 4 when something blocks the upgrade
    #[command(after_help = UPGRADE_CHECK_AFTER_HELP)]
    Check(UpgradeCheckArgs),
    /// A test upgrade: an upgraded, neutralized copy under a new name; the original is never
    /// closed or changed
    #[command(after_help = UPGRADE_TEST_AFTER_HELP)]
    Test(Box<UpgradeTestArgs>),
    /// Upgrade production: closed to connections, backed up, upgraded, swapped in; the original
    /// is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was
    #[command(after_help = UPGRADE_PRODUCTION_AFTER_HELP)]
    Production(Box<UpgradeProductionArgs>),
    /// Undo the last production upgrade: the kept original takes the name back (database and
    /// filestore), the upgraded database is set aside closed (or dropped)
    #[command(after_help = UPGRADE_ROLLBACK_AFTER_HELP)]
    Rollback(UpgradeRollbackArgs),
    /// Continue an interrupted test upgrade from where the platform is
    Resume(UpgradeResumeArgs),
    /// The platform's view of the upgrade request stored for a database
    Status(UpgradeStatusArgs),
    /// The platform's log of the upgrade request stored for a database
    Log(UpgradeLogArgs),
}

const UPGRADE_CHECK_AFTER_HELP: &str = "\
The contract comes from --contract, else the settings' [upgrade] contract, else the database's
database.enterprise_code; it is never printed. Community databases have none: their path is
OpenUpgrade (OCA), run locally, not the platform.

Installed modules that the target's addons path lacks make the upgrade fail (Odoo.sh's rule);
--write-stubs writes an installable empty module for each, to put on the target's addons path.
Odoo's own modules that the upgrade merges, renames or removes on the way (15.0 to 19.0, from
Odoo's upgrade scripts and OpenUpgrade's) are listed as \"merged into X\", \"renamed to Y\" or
\"removed by Odoo in <version>\" instead: only a successor the addons path lacks blocks.

With --engine command, --upgrade-command is looked up (its first word, as sh would: a path, else
PATH) and must be an executable program; the check never runs it. --upgrade-probe runs a
harmless command of yours instead (e.g. 'odoo-bin --version'), whose failure blocks.";

const UPDATE_AFTER_HELP: &str = "\
Steps: a typed confirmation stating the downtime, --stop-cmd, the database closed to new
connections and its sessions ended, a frozen copy of it, a full backup (tar.gz into
--backup-dir) checked end to end, --command run on the copy with its filestore (ODOODB_DB names
it; PGHOST, PGPORT, PGUSER, PGDATABASE and the password as a file are in its environment), the
check that base is still on the same version and no module is left to upgrade, install or
remove, the swap (the original kept as <db>_pre_update_<YYYY-mm-dd_HH-MM-SS>, closed to
connections), --start-cmd whatever happened. Any failure or Ctrl-C before the swap leaves
production as it was, open. `odoodb upgrade rollback <db>` undoes it.";

const UPGRADE_ROLLBACK_AFTER_HELP: &str = "\
Steps: a typed confirmation, --stop-cmd, the database closed and its sessions ended, then one
journaled swap: the upgraded database and its folder go to <db>_failed_<series>_<time>, the
newest kept original (<db>_pre_…, closed since the upgrade) and its folder take <db>, which is
opened again; the upgraded one stays closed and marked (or, with --drop-upgraded, is dropped).
Then --start-cmd, whatever happened. A kill -9 at any point is settled by the next odoodb run:
before the swap, the database is opened again; during it, the swap is completed.";

const UPGRADE_TEST_AFTER_HELP: &str = "\
Steps: preflight (as `upgrade check`; blockers stop it), dump of the database (pg_dump -Fd, Odoo
keeps running), the upgrade (platform: request, upload by rsync over ssh, processing, download;
command: the program run on a restored copy, once per major version), restore of the result
under a temporary name with the original's filestore (hard links) and the platform's new files,
a new identity, every neutralize step (and the check that nothing is live), then the name.
Interrupted? `odoodb upgrade resume <db>` continues from where the platform is.";

const UPGRADE_PRODUCTION_AFTER_HELP: &str = "\
Steps: preflight, the request (platform), a typed confirmation stating the downtime, --stop-cmd,
the database closed to new connections and its sessions ended, a frozen copy of it, a full
backup (tar.gz into --backup-dir) checked end to end, the upgrade of the copy, --post-command,
then the swap: the original becomes <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS> (database and
filestore; e.g. prod_pre_18.0_2026-12-02_12-46-04, local time; a saas~18.3 target is written
saas-18.3), the upgraded copy becomes <db> with the same identity, connections are allowed
again, --start-cmd. Any failure, Ctrl-C or SIGTERM before the swap puts everything back as it
was (connections allowed, --start-cmd run); after kill -9 the next odoodb run does.";

/// The help heading of the platform options.
const PLATFORM: &str = "Upgrade platform";

/// How the upgrade is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UpgradeEngine {
    /// Odoo's upgrade platform (Enterprise: needs a contract)
    Platform,
    /// A local program (OpenUpgrade through odoo-bin, a script…): --upgrade-command
    Command,
}

/// What test and production share: the target, the engine, and how to reach the platform.
#[derive(Debug, Args, Clone)]
pub struct UpgradeRunArgs {
    /// The version to upgrade to: 17.0, 18.0, saas~18.3…
    #[arg(long, short = 't', value_name = "VERSION")]
    pub target: String,

    /// Who upgrades: Odoo's platform, or a local program
    #[arg(long, value_enum, default_value_t = UpgradeEngine::Platform)]
    pub engine: UpgradeEngine,

    /// With --engine command: the program, run by `sh -c` against the copy (its filestore in
    /// place) with ODOODB_DB, ODOODB_FILESTORE, ODOODB_DATA_DIR, ODOODB_TARGET, ODOODB_FROM and
    /// PGHOST/PGPORT/PGUSER/PGDATABASE (password in PGPASSFILE) in its environment; once per
    /// major version when the target is further
    #[arg(long, value_name = "COMMAND")]
    pub upgrade_command: Option<String>,

    /// The subscription code the platform checks [default: settings [upgrade] contract, else
    /// the database's database.enterprise_code]
    #[arg(long, value_name = "CODE")]
    pub contract: Option<String>,

    /// The addons path of the TARGET version (comma-separated): installed modules missing
    /// from it block the upgrade (as `upgrade check`); a test copy runs its modules'
    /// data/neutralize.sql from it
    #[arg(long, value_name = "DIRS", value_delimiter = ',')]
    pub addons_path: Vec<PathBuf>,

    /// Where the dump and the download go [default: <temporary directory>/odoodb-upgrade-<db>]
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Parallel jobs of pg_dump and pg_restore [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,

    /// KEY=VALUE passed to the platform's upgrade (repeatable)
    #[arg(long = "env", value_name = "KEY=VALUE", help_heading = PLATFORM)]
    pub env: Vec<String>,

    /// A file of KEY=VALUE lines (blank lines and # comments skipped) passed like --env
    #[arg(long, value_name = "FILE", help_heading = PLATFORM)]
    pub env_file: Option<PathBuf>,

    /// The data server's ssh user [default: settings [upgrade] data_server_user, else odoo]
    #[arg(long, value_name = "USER", help_heading = PLATFORM)]
    pub data_server_user: Option<String>,

    /// The data server's folder [default: settings [upgrade] data_server_path, else /data]
    #[arg(long, value_name = "PATH", help_heading = PLATFORM)]
    pub data_server_path: Option<String>,

    /// Seconds between two questions to the platform while it works
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, hide = true)]
    pub poll_interval: f64,

    #[command(flatten)]
    pub platform: PlatformArgs,
}

#[derive(Debug, Args)]
pub struct UpgradeTestArgs {
    /// The database to upgrade a copy of
    pub db: String,

    /// The name of the upgraded copy [default: <db>_test_<target>, e.g. prod_test_18]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Replace an existing copy of that name (after typing its name), once the new one is
    /// complete
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub run: UpgradeRunArgs,

    #[command(flatten)]
    pub neutralize: UpgradeNeutralizeArgs,
    /// Pseudonymize the test copy too (every person's data, every credential; see `odoodb
    /// pseudonymize`); pass it again to `upgrade resume`
    #[arg(long)]
    pub pseudonymize: bool,

    #[command(flatten)]
    pub pseudonymize_options: PseudonymizeOptions,
}

/// How a test copy's modules' data/neutralize.sql run (from --addons-path, the target's).
#[derive(Debug, Args, Clone, Default)]
pub struct UpgradeNeutralizeArgs {
    /// Do not run any module's data/neutralize.sql on the test copy, only the built-in steps
    #[arg(long, help_heading = MODULE_FILES)]
    pub no_module_files: bool,

    /// Do not run this module's data/neutralize.sql (repeatable)
    #[arg(long, value_name = "MODULE", help_heading = MODULE_FILES)]
    pub ignore_module: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UpgradeProductionArgs {
    /// The database to upgrade in place
    pub db: String,

    /// Where the backup made first goes [default: settings backup.dir]
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,

    #[command(flatten)]
    pub service: ServiceArgs,

    /// Run against the upgraded copy before the swap (ODOODB_DB names it), e.g.
    /// 'odoo-bin -d "$ODOODB_DB" -u all --stop-after-init'; non-zero puts everything back
    #[arg(long, value_name = "COMMAND")]
    pub post_command: Option<String>,

    #[command(flatten)]
    pub run: UpgradeRunArgs,
}

/// The Odoo service around a change of production.
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before
    /// anything changed
    #[arg(long, value_name = "COMMAND")]
    pub stop_cmd: Option<String>,

    /// Run at the end, whatever happened (e.g. `systemctl start odoo`)
    #[arg(long, value_name = "COMMAND")]
    pub start_cmd: Option<String>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The database whose modules to update in place
    pub db: String,

    /// The program that updates the copy, e.g. 'odoo-bin -c /etc/odoo.conf -d "$ODOODB_DB"
    /// -u all --stop-after-init' (or -u mod1,mod2)
    #[arg(long, value_name = "COMMAND")]
    pub command: String,

    /// Where the backup made first goes [default: settings backup.dir]
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,

    #[command(flatten)]
    pub service: ServiceArgs,

    /// Parallel jobs of the backup [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
}

#[derive(Debug, Args)]
pub struct UpgradeRollbackArgs {
    /// The database whose last upgrade to undo
    pub db: String,

    /// Drop the upgraded database (and its filestore) instead of setting it aside; asks for the
    /// typed name
    #[arg(long)]
    pub drop_upgraded: bool,

    #[command(flatten)]
    pub service: ServiceArgs,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct UpgradeResumeArgs {
    /// The database whose interrupted test upgrade to continue
    pub db: String,

    /// Parallel jobs of pg_dump and pg_restore [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,

    /// Seconds between two questions to the platform while it works
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, hide = true)]
    pub poll_interval: f64,

    /// The addons path of the target version, for the copy's modules' data/neutralize.sql
    #[arg(long, value_name = "DIRS", value_delimiter = ',')]
    pub addons_path: Vec<PathBuf>,

    #[command(flatten)]
    pub platform: PlatformArgs,

    #[command(flatten)]
    pub neutralize: UpgradeNeutralizeArgs,
    /// Pseudonymize the test copy too (every person's data, every credential; see `odoodb
    /// pseudonymize`); pass it again to `upgrade resume`
    #[arg(long)]
    pub pseudonymize: bool,

    #[command(flatten)]
    pub pseudonymize_options: PseudonymizeOptions,
}

/// Where the upgrade platform is and how long to wait for it: shared by every upgrade command
/// that talks to it.
#[derive(Debug, Args, Clone, Default)]
pub struct PlatformArgs {
    /// The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]
    #[arg(long, value_name = "URL", help_heading = PLATFORM)]
    pub upgrade_server: Option<String>,

    /// PEM file of root certificates to trust for the platform, on top of the system's (TLS
    /// is never turned off) [default: settings [upgrade] ca]
    #[arg(long, value_name = "FILE", help_heading = PLATFORM)]
    pub upgrade_ca: Option<PathBuf>,

    /// Seconds to wait for each answer of the platform [default: settings [upgrade] timeout,
    /// else 60]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..), help_heading = PLATFORM)]
    pub upgrade_timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub struct UpgradeCheckArgs {
    /// The database to upgrade
    pub db: String,

    /// The version to upgrade to: 17.0, 18.0, saas~18.3…
    #[arg(long, short = 't', value_name = "VERSION")]
    pub target: String,

    /// The subscription code the platform checks [default: settings [upgrade] contract, else
    /// the database's database.enterprise_code]
    #[arg(long, value_name = "CODE")]
    pub contract: Option<String>,

    /// The addons path of the TARGET version (comma-separated): installed modules missing
    /// from it are reported
    #[arg(long, value_name = "DIRS", value_delimiter = ',')]
    pub addons_path: Vec<PathBuf>,

    /// Write an installable empty module into DIR for each missing module (needs
    /// --addons-path)
    #[arg(long, value_name = "DIR", requires = "addons_path")]
    pub write_stubs: Option<PathBuf>,

    /// Where the dump and the download will go, checked for free space [default: the system's
    /// temporary directory]
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Who will upgrade: the platform needs a contract, ssh and rsync; a local command does not
    #[arg(long, value_enum, default_value_t = UpgradeEngine::Platform)]
    pub engine: UpgradeEngine,

    /// With --engine command: the program that will upgrade, as `upgrade test` takes it; its
    /// program (the first word) must be found and executable. The check never runs it
    #[arg(long, value_name = "COMMAND")]
    pub upgrade_command: Option<String>,

    /// A harmless command showing that the upgrade program works, e.g. 'odoo-bin --version':
    /// run by `sh -c` with ODOODB_TARGET set and no database connection; failing, or not done
    /// within --upgrade-probe-timeout, blocks
    #[arg(long, value_name = "COMMAND", requires = "upgrade_command")]
    pub upgrade_probe: Option<String>,

    /// Seconds the probe may take before it is stopped
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 60,
        requires = "upgrade_probe",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub upgrade_probe_timeout: u64,
}

/// Which stored request: needed only when a database has both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UpgradeAim {
    Test,
    Production,
}

#[derive(Debug, Args)]
pub struct UpgradeStatusArgs {
    /// The database whose request to ask about
    pub db: String,

    /// Which request, when the database has both a test and a production one
    #[arg(long, value_enum)]
    pub aim: Option<UpgradeAim>,

    #[command(flatten)]
    pub platform: PlatformArgs,
}

#[derive(Debug, Args)]
pub struct UpgradeLogArgs {
    /// The database whose request's log to show
    pub db: String,

    /// Which request, when the database has both a test and a production one
    #[arg(long, value_enum)]
    pub aim: Option<UpgradeAim>,

    /// Keep following the log until the request is done, failed or cancelled (Ctrl-C stops)
    #[arg(short, long)]
    pub follow: bool,

    #[command(flatten)]
    pub platform: PlatformArgs,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {}

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
