//! The single source of `completions/` and `man/`: both are generated from the clap
//! definitions, committed, and checked by a test.
//!
//! The man pages are assembled here rather than by `clap_mangen::Man::render`, which leaves a
//! subcommand's page without the global options, names the synopsis `odoodb-duplicate`, files
//! the exit codes under `EXTRA` and points at an `odoodb-help(1)` that does not exist. What
//! clap cannot know (exit status, environment, files, examples) is written once below, next to
//! the code that renders it.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::Arg;
use clap_complete::Shell;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

pub const SHELLS: [Shell; 5] =
    [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish];

/// The completion script for one shell.
pub fn completion(shell: Shell) -> Result<String> {
    let mut command = crate::wiring::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "odoodb", &mut buffer);
    String::from_utf8(buffer).context("completion script is not UTF-8")
}

/// The file name a shell expects its completion script under.
pub fn completion_file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "odoodb.bash",
        Shell::Zsh => "_odoodb",
        Shell::Fish => "odoodb.fish",
        Shell::PowerShell => "_odoodb.ps1",
        Shell::Elvish => "odoodb.elv",
        _ => "odoodb.completion",
    }
}

/// Every generated file, as (relative path, content): `completions/…` and `man/…`.
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in SHELLS {
        files.push((
            Path::new("completions").join(completion_file_name(shell)),
            completion(shell)?.into_bytes(),
        ));
    }
    for (name, page) in man_pages()? {
        files.push((Path::new("man").join(name), page));
    }
    Ok(files)
}

/// `odoodb.1`, then `odoodb-<sub>.1` for every subcommand but `help`.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = crate::wiring::command();
    // Building propagates the global options into each subcommand and names each one as it is
    // typed (`odoodb duplicate`), which is what a page must show.
    root.build();
    // A command group (`upgrade`) gets a page, and so does each of its subcommands.
    let mut commands: Vec<&clap::Command> = Vec::new();
    for sub in documented(&root) {
        commands.push(sub);
        for nested in documented(sub) {
            if nested.has_subcommands() {
                bail!("{} nests subcommands too deep for the man pages", page_name(Some(nested)));
            }
            commands.push(nested);
        }
    }
    let siblings: Vec<String> = commands.iter().map(|sub| page_name(Some(sub))).collect();
    let mut pages = vec![("odoodb.1".to_string(), man_page(&root, None, &siblings)?)];
    for sub in commands {
        pages.push((format!("{}.1", page_name(Some(sub))), man_page(sub, Some(&root), &siblings)?));
    }
    Ok(pages)
}

pub fn main_man_page() -> Result<String> {
    let pages = man_pages()?;
    let (_, page) = pages.into_iter().next().context("no man page was generated")?;
    String::from_utf8(page).context("man page is not UTF-8")
}

/// Writes the man pages into `dir`; returns their paths.
pub fn write_man_pages(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, page) in man_pages()? {
        let path = dir.join(name);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The subcommands that get a page: all but clap's `help`.
fn documented(root: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    root.get_subcommands().filter(|sub| sub.get_name() != "help" && !sub.is_hide_set())
}

/// `odoodb` or `odoodb-<sub>`: the page's name, as `man` looks it up.
fn page_name(sub: Option<&clap::Command>) -> String {
    sub.map_or_else(
        || "odoodb".to_string(),
        |sub| format!("odoodb-{}", command_key(sub).replace(' ', "-")),
    )
}

/// `duplicate`, `upgrade check`: the command as typed after `odoodb` (the built command's bin
/// name), the key of its EXAMPLES.
fn command_key(sub: &clap::Command) -> String {
    sub.get_bin_name()
        .and_then(|name| name.strip_prefix("odoodb "))
        .map_or_else(|| sub.get_name().to_string(), ToString::to_string)
}

fn man_page(
    command: &clap::Command,
    parent: Option<&clap::Command>,
    siblings: &[String],
) -> Result<Vec<u8>> {
    let sub = parent.map(|_| command);
    let name = page_name(sub);
    let typed = command.get_bin_name().unwrap_or(&name).to_string();
    let version = parent.unwrap_or(command).get_version().unwrap_or_default();
    let mut roff = Roff::new();

    // An empty date would shift the source and manual into its place, so it is written `""`:
    // a date would make the pages change with every build.
    let source = format!("odoodb {version}");
    roff.control("TH", [name.to_uppercase().as_str(), "1", "\"\"", &source, "odoodb manual"]);

    roff.control("SH", ["NAME"]);
    let about = command.get_about().map(ToString::to_string).unwrap_or_default();
    roff.text([roman(format!("{name} - {}", first_line(&about)))]);

    roff.control("SH", ["SYNOPSIS"]);
    roff.text(synopsis(command, &typed));

    roff.control("SH", ["DESCRIPTION"]);
    let description = command.get_long_about().or_else(|| command.get_about());
    paragraphs(&mut roff, &description.map(ToString::to_string).unwrap_or_default());
    if let Some(after) = command.get_after_long_help().or_else(|| command.get_after_help()) {
        roff.control("PP", []);
        paragraphs(&mut roff, &after.to_string());
    }

    options_section(&mut roff, command, sub.is_some());

    if sub.is_none() || command.has_subcommands() {
        roff.control("SH", ["COMMANDS"]);
        for child in documented(command) {
            roff.control("TP", []);
            roff.text([bold(page_name(Some(child))), roman("(1)")]);
            let about = child.get_about().map(ToString::to_string).unwrap_or_default();
            roff.text([roman(first_line(&about))]);
        }
    }

    roff.control("SH", ["EXIT STATUS"]);
    for status in crate::error::exit::TABLE {
        roff.control("TP", []);
        roff.text([bold(status.code.to_string())]);
        roff.text([roman(status.meaning)]);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    for (variable, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*variable)]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["FILES"]);
    for (path, meaning) in FILES {
        roff.control("TP", []);
        roff.text([italic(*path)]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["EXAMPLES"]);
    let key = sub.map_or_else(String::new, command_key);
    let Some((_, examples)) = EXAMPLES.iter().find(|(command, _)| *command == key) else {
        bail!("no examples for the man page of {typed}: add them to EXAMPLES in src/docs.rs");
    };
    for (line, meaning) in *examples {
        roff.control("TP", []);
        roff.text([bold(*line)]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["SEE ALSO"]);
    let mut see_also: Vec<String> = Vec::new();
    if sub.is_some() {
        see_also.push("odoodb".to_string());
    }
    see_also.extend(siblings.iter().filter(|sibling| **sibling != name).cloned());
    see_also.extend(["psql".to_string(), "pg_dump".to_string()]);
    let mut line = Vec::new();
    for (index, page) in see_also.into_iter().enumerate() {
        if index > 0 {
            line.push(roman(", "));
        }
        line.push(bold(page));
        line.push(roman("(1)"));
    }
    roff.text(line);

    let mut buffer = Vec::new();
    roff.to_writer(&mut buffer).with_context(|| format!("cannot render the man page of {name}"))?;
    Ok(buffer)
}

/// `odoodb duplicate [OPTIONS] <SOURCE> <TARGET>`: clap's own usage line, so it reads as
/// `--help` does, with the command in bold and the placeholders in italics.
fn synopsis(command: &clap::Command, typed: &str) -> Vec<Inline> {
    let usage = command.clone().render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    let rest = usage.strip_prefix(typed).unwrap_or(usage);
    let mut line = vec![bold(typed)];
    for word in rest.split_whitespace() {
        line.push(roman(" "));
        let (open, inner, close) = match (word.chars().next(), word.chars().last()) {
            (Some('<'), Some('>')) => ("<", &word[1..word.len() - 1], ">"),
            (Some('['), Some(']')) => ("[", &word[1..word.len() - 1], "]"),
            _ => ("", word, ""),
        };
        line.extend([roman(open), italic(inner), roman(close)]);
    }
    line
}

/// OPTIONS: the command's own arguments (positionals first), its own headings, then the
/// global options under theirs, each heading a subsection so the page keeps one OPTIONS.
fn options_section(roff: &mut Roff, command: &clap::Command, is_sub: bool) {
    let visible = || command.get_arguments().filter(|arg| !arg.is_hide_set());
    // On a subcommand's page the global options come from `odoodb` itself; they follow the
    // command's own, as in `odoodb --help`.
    let own = |arg: &&Arg| !is_sub || !arg.is_global_set();
    let mut groups: Vec<(Option<String>, Vec<&Arg>)> = Vec::new();
    let mut ordered: Vec<&Arg> = visible().filter(|arg| own(arg) && arg.is_positional()).collect();
    ordered.extend(visible().filter(|arg| own(arg) && !arg.is_positional()));
    for arg in ordered {
        add_to(&mut groups, arg.get_help_heading().map(ToString::to_string), arg);
    }
    for arg in visible().filter(|arg| !own(arg)) {
        let heading = arg.get_help_heading().unwrap_or("Global options");
        add_to(&mut groups, Some(heading.to_string()), arg);
    }

    roff.control("SH", ["OPTIONS"]);
    for (heading, args) in groups {
        if let Some(heading) = heading {
            roff.control("SS", [heading.as_str()]);
        }
        for arg in args {
            option(roff, arg);
        }
    }
}

/// Adds `arg` under `heading`, which keeps the place of its first argument.
fn add_to<'a>(
    groups: &mut Vec<(Option<String>, Vec<&'a Arg>)>,
    heading: Option<String>,
    arg: &'a Arg,
) {
    match groups.iter_mut().find(|(known, _)| *known == heading) {
        Some((_, args)) => args.push(arg),
        None => groups.push((heading, vec![arg])),
    }
}

fn option(roff: &mut Roff, arg: &Arg) {
    roff.control("TP", []);
    let mut tag = Vec::new();
    if arg.is_positional() {
        tag.extend([roman("<"), italic(value_name(arg)), roman(">")]);
    } else {
        if let Some(short) = arg.get_short() {
            tag.push(bold(format!("-{short}")));
        }
        if let Some(long) = arg.get_long() {
            if !tag.is_empty() {
                tag.push(roman(", "));
            }
            tag.push(bold(format!("--{long}")));
        }
        if arg.get_action().takes_values() {
            tag.extend([roman(" <"), italic(value_name(arg)), roman(">")]);
        }
    }
    if arg.is_positional() || arg.get_action().takes_values() {
        let defaults: Vec<String> =
            arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() && !arg.is_hide_default_value_set() {
            tag.push(roman(format!(" [default: {}]", defaults.join(","))));
        }
    }
    roff.text(tag);

    let help = arg.get_long_help().or_else(|| arg.get_help()).map(ToString::to_string);
    item_paragraphs(roff, &help.unwrap_or_default());

    if arg.is_hide_possible_values_set() || !arg.get_action().takes_values() {
        return;
    }
    let values: Vec<_> =
        arg.get_possible_values().into_iter().filter(|value| !value.is_hide_set()).collect();
    if values.is_empty() {
        return;
    }
    if values.iter().any(|value| value.get_help().is_some()) {
        roff.control("RS", []);
        for value in values {
            roff.control("IP", ["\\(bu", "2"]);
            let help = value.get_help().map(ToString::to_string).unwrap_or_default();
            roff.text([bold(value.get_name()), roman(format!(": {help}"))]);
        }
        roff.control("RE", []);
    } else {
        let names: Vec<&str> = values.iter().map(clap::builder::PossibleValue::get_name).collect();
        roff.control("IP", []);
        roff.text([roman(format!("Possible values: {}.", names.join(", ")))]);
    }
}

fn value_name(arg: &Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string)
}

/// Text as roff paragraphs: a blank line starts a new one; roff fills the lines of each.
fn paragraphs(roff: &mut Roff, text: &str) {
    for (index, paragraph) in text.trim().split("\n\n").enumerate() {
        if index > 0 {
            roff.control("PP", []);
        }
        roff.text([roman(paragraph.trim())]);
    }
}

/// The same inside a `.TP` item, whose indentation `.IP` keeps and `.PP` would end.
fn item_paragraphs(roff: &mut Roff, text: &str) {
    for (index, paragraph) in text.trim().split("\n\n").enumerate() {
        if index > 0 {
            roff.control("IP", []);
        }
        roff.text([roman(paragraph.trim())]);
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Every variable odoodb reads (see `config/`, `output.rs`, `context.rs`).
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "ODOO_RC",
        "The Odoo config file to read when -c/--config is not given, as odoo-bin reads it; \
         without it, ~/.odoorc.",
    ),
    (
        "PGHOST",
        "PostgreSQL host name, or the directory of its Unix socket, when neither --host nor \
         odoo.conf db_host is set. Default: the local socket (/var/run/postgresql).",
    ),
    ("PGPORT", "PostgreSQL port, when neither --port nor odoo.conf db_port is set. Default: 5432."),
    (
        "PGUSER",
        "PostgreSQL role, when neither --user nor odoo.conf db_user is set. Default: the OS user.",
    ),
    (
        "PGPASSWORD",
        "The password, when odoo.conf has no db_password. A password is never taken from a flag \
         and never printed.",
    ),
    ("PGPASSFILE", "The password file to read instead of ~/.pgpass."),
    (
        "PGSSLMODE",
        "TLS policy for TCP connections (disable, allow, prefer, require, verify-ca, \
         verify-full), when neither --sslmode nor odoo.conf db_sslmode is set. Default: prefer.",
    ),
    (
        "PGSSLROOTCERT",
        "The root certificate that verify-ca and verify-full check the server against, instead \
         of ~/.postgresql/root.crt.",
    ),
    (
        "PGCONNECT_TIMEOUT",
        "Seconds to wait for the server when connecting, as libpq reads it. Completing a \
         database name in the shell never waits more than 2 seconds.",
    ),
    ("NO_COLOR", "When set, --color auto uses no colours."),
    (
        "XDG_STATE_HOME",
        "Where upgrade requests are stored (odoodb/upgrade/ under it); default ~/.local/state.",
    ),
    ("COLUMNS", "The width of tables, instead of the terminal's."),
    (
        "HOME",
        "Where ~/.odoorc, ~/.pgpass, ~/.postgresql/root.crt, ~/.config/odoodb/config.toml and \
         the default data_dir ~/.local/share/Odoo are looked for.",
    ),
    (
        "COMPLETE",
        "Set to a shell's name (bash, zsh, fish, elvish, powershell), odoodb prints that shell's \
         dynamic completion instead of running a command: source <(COMPLETE=bash odoodb).",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "odoo.conf",
        "Odoo's config file: -c FILE, else $ODOO_RC, else ~/.odoorc (or ~/.openerp_serverrc). \
         odoodb reads [options] db_host, db_port, db_user, db_password, db_sslmode, data_dir, \
         addons_path, pg_path and db_name (False or empty means unset).",
    ),
    (
        "~/.config/odoodb/config.toml",
        "odoodb's own settings (TOML), unless --settings names another file; unknown keys are an \
         error.",
    ),
    ("/etc/odoodb/config.toml", "The settings when ~/.config/odoodb/config.toml does not exist."),
    (
        "~/.local/state/odoodb/upgrade/<db>-<aim>.json",
        "A stored upgrade request (its id, token, assigned host, keys and phase), private to its \
         owner; under $XDG_STATE_HOME/odoodb/upgrade when that is set.",
    ),
    (
        "~/.pgpass",
        "Passwords, as libpq reads them (or $PGPASSFILE); ignored, as libpq does, when others can \
         read it.",
    ),
    (
        "~/.postgresql/root.crt",
        "The root certificate for verify-ca and verify-full, unless \
         $PGSSLROOTCERT.",
    ),
    (
        "<data_dir>/filestore/<db>",
        "A database's filestore, which odoodb copies, renames and \
         removes with it.",
    ),
    (
        "<data_dir>/filestore/.odoodb-journal/",
        "The intent journals of changes under way. A killed run leaves its journal; the next \
         duplicate, rename, delete or recover completes or rolls back the change.",
    ),
];

/// Two to four real command lines per page, keyed by subcommand ("" for odoodb.1); a page
/// without its entry fails to generate.
const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "",
        &[
            (
                "odoodb -c /etc/odoo/odoo.conf list",
                "The Odoo databases of the server that Odoo's \
              config file names, with filestores from its data_dir.",
            ),
            ("odoodb info prod --modules", "One database in depth, with every installed module."),
            (
                "odoodb duplicate prod staging --neutralize --yes",
                "A neutralized copy of \
              production, for scripts.",
            ),
            (
                "odoodb neutralize --check staging",
                "Audit a copy: exit status 4 when anything is \
              still live.",
            ),
        ],
    ),
    (
        "list",
        &[
            (
                "odoodb -c /etc/odoo/odoo.conf list",
                "The Odoo databases of the server that Odoo's \
              config file names, with filestores from its data_dir.",
            ),
            ("odoodb list --all --json", "Every database, as one JSON document for scripts."),
        ],
    ),
    (
        "info",
        &[
            (
                "odoodb info prod",
                "Version, modules, uuid, base URL, mail servers, crons, \
              filestore health and sessions.",
            ),
            ("odoodb info prod --modules", "The same, and every installed module."),
            ("odoodb info prod --json", "The same, as one JSON document."),
        ],
    ),
    (
        "backup",
        &[
            (
                "odoodb backup prod",
                "prod and its filestore into prod_<date>.tar.gz in the backup folder.",
            ),
            (
                "odoodb backup --all --dir /var/backups/odoo --encrypt-to age1… --keep-daily 7 --keep-weekly 4 --keep-monthly 3 -q",
                "Every Odoo database, nightly from cron, encrypted to an age public key (<db>_<date>.tar.gz.age): silent unless something failed.",
            ),
            (
                "odoodb backup --all --dir /var/backups/odoo --keep-daily 7 --dry-run",
                "What that run would write, the space it may need against the space free, and the old backups retention would remove; nothing is written.",
            ),
            (
                "odoodb backup --verify prod_2026-11-22_03-00-00.tar.gz",
                "Check an archive end to end: exit 4 when anything is wrong.",
            ),
        ],
    ),
    (
        "backups",
        &[
            ("odoodb backups /var/backups/odoo", "The backups in the folder, newest first."),
            (
                "odoodb backups /var/backups/odoo --max-age 26h",
                "For monitoring: exit 4 when an Odoo database has no backup from the last 26 hours.",
            ),
        ],
    ),
    (
        "restore",
        &[
            (
                "odoodb restore prod_2026-11-22_03-00-00.tar.gz staging",
                "A new database staging, as a copy (new uuid).",
            ),
            (
                "odoodb restore prod.zip --move --force",
                "Put prod back from Odoo's zip, identity kept, replacing the current prod once the restore is complete.",
            ),
            (
                "odoodb restore prod_2026-11-22_03-00-00.dump.age ci_copy --identity key.txt --neutralize --yes",
                "A neutralized copy for CI from an encrypted backup, decrypted as it is read with the age identity file key.txt.",
            ),
            ("odoodb restore --inspect prod.zip", "What the archive holds, without restoring it."),
        ],
    ),
    (
        "duplicate",
        &[
            (
                "odoodb duplicate prod staging",
                "A full copy with a hard-linked filestore and a new \
              uuid.",
            ),
            (
                "odoodb duplicate prod staging --force --yes",
                "Replace staging, once the new copy \
              is complete.",
            ),
            (
                "odoodb duplicate prod ci_copy --neutralize --yes",
                "A copy that is neutralized \
              before it gets its name, so it is never reachable un-neutralized.",
            ),
            (
                "odoodb duplicate prod staging --dry-run",
                "The SQL and filesystem steps; nothing \
              changes.",
            ),
        ],
    ),
    (
        "rename",
        &[
            (
                "odoodb rename staging qa",
                "Database and filestore folder together, after typing \
              the name.",
            ),
            ("odoodb rename staging qa --yes", "The same, without a question (scripts)."),
        ],
    ),
    (
        "delete",
        &[
            ("odoodb delete qa", "Shows what goes, and asks for \"qa\" to be typed."),
            (
                "odoodb delete ci_copy --yes --if-exists",
                "For scripts that clean up: no \
              question, and success when it is already gone.",
            ),
            (
                "odoodb delete qa --keep-filestore --yes",
                "Drop the database, keep its filestore \
              folder.",
            ),
        ],
    ),
    (
        "neutralize",
        &[
            (
                "odoodb neutralize prod_copy",
                "Shows the plan, asks once, applies it in one \
              transaction.",
            ),
            (
                "odoodb neutralize prod_copy --dry-run -v",
                "The plan with row counts and the SQL; \
              nothing changes.",
            ),
            (
                "odoodb neutralize prod_copy --only crons,outgoing-mail",
                "Only these steps; \
              --list-steps lists them all.",
            ),
            (
                "odoodb neutralize --check prod_copy || exit 1",
                "In CI: exit status 4, and a table \
              of what is still live, unless the copy is safe.",
            ),
        ],
    ),
    (
        "pseudonymize",
        &[
            (
                "odoodb duplicate prod dev_copy --neutralize --pseudonymize --yes",
                "A copy safe to hand to a developer: neutralized, every person's data \
              rewritten, one new password for every user (printed once).",
            ),
            (
                "odoodb pseudonymize ci_copy --seed \"$CI_SEED\" --password-file pw.txt --yes",
                "In CI: the same pseudonyms on every run, and a known password.",
            ),
            (
                "odoodb pseudonymize dev_copy --check --against prod",
                "The proof: exit status 4, naming table and column, when a value or a \
              credential of prod is still in the copy.",
            ),
        ],
    ),
    (
        "upgrade",
        &[
            (
                "odoodb upgrade check prod --target 18.0 --addons-path /opt/odoo18/addons,/opt/custom18",
                "Everything an upgrade of prod to 18.0 needs, checked before anything is sent.",
            ),
            ("odoodb upgrade log prod -f", "Follow the platform's log of prod's upgrade request."),
        ],
    ),
    (
        "upgrade check",
        &[
            (
                "odoodb upgrade check prod --target 18.0",
                "Versions, contract, local tools and free disk; exit status 4 when something \
                 blocks.",
            ),
            (
                "odoodb upgrade check prod -t 18.0 --addons-path /opt/odoo18/addons,/opt/custom18 \
                 --write-stubs /opt/stubs18",
                "Also the installed modules missing from 18.0's code, with an empty installable \
                 module written for each into /opt/stubs18 (Odoo's own merged, renamed or removed \
                 modules are listed as such, without stubs).",
            ),
            (
                "odoodb upgrade check community -t 18.0 --engine command --upgrade-command \
                 '/opt/openupgrade/upgrade.sh' --upgrade-probe '/opt/odoo18/odoo-bin --version'",
                "For a local upgrade: no contract nor ssh needed; the upgrade program must be \
                 there and executable, and the probe must answer (the upgrade itself is not run).",
            ),
        ],
    ),
    (
        "upgrade test",
        &[
            (
                "odoodb upgrade test prod --target 18.0 --addons-path /opt/odoo18/addons",
                "An upgraded, neutralized copy of prod named prod_test_18, made by Odoo's \
                 platform; prod keeps running and is not changed.",
            ),
            (
                "odoodb upgrade test prod -t 18.0 --name prod_try2 --force",
                "Make the copy as prod_try2, replacing an older one of that name once the new \
                 one is complete (after typing its name).",
            ),
            (
                "odoodb upgrade test community -t 17.0 --engine command --upgrade-command \
                 '/opt/openupgrade/upgrade.sh'",
                "A community database upgraded by a local program (OpenUpgrade), once per major \
                 version: 15.0 → 16.0 → 17.0.",
            ),
        ],
    ),
    (
        "upgrade production",
        &[
            (
                "odoodb upgrade production prod --target 18.0 --stop-cmd 'systemctl stop odoo' \
                 --start-cmd 'systemctl start odoo'",
                "Stop Odoo, close prod, back it up, upgrade it, swap it in, keep the original \
                 as prod_pre_18.0_<YYYY-mm-dd_HH-MM-SS>, start Odoo again; any failure puts prod \
                 back.",
            ),
            (
                "odoodb --yes upgrade production prod -t 18.0 --backup-dir /srv/backups \
                 --post-command 'odoo-bin -c /etc/odoo18.conf -d \"$ODOODB_DB\" -u all \
                 --stop-after-init'",
                "From a script: the backup into /srv/backups, and the custom modules updated on \
                 the upgraded copy before the swap (a failure there puts prod back).",
            ),
        ],
    ),
    (
        "update",
        &[
            (
                "odoodb update prod --command 'odoo-bin -c /etc/odoo.conf -d \"$ODOODB_DB\" -u all \
                 --stop-after-init' --stop-cmd 'systemctl stop odoo' --start-cmd 'systemctl start odoo'",
                "After a code deploy: stop Odoo, close prod, back it up, update every module on a \
                 copy, check it, swap it in (the original kept closed as prod_pre_update_<time>), \
                 start Odoo; `odoodb upgrade rollback prod` undoes it.",
            ),
            (
                "odoodb --yes update prod --backup-dir /srv/backups --command './deploy/update.sh' \
             --json",
                "From a deploy script: the backup into /srv/backups, the site's own update program, \
             a JSON report naming the kept original and the backup.",
            ),
        ],
    ),
    (
        "upgrade rollback",
        &[
            (
                "odoodb upgrade rollback prod --stop-cmd 'systemctl stop odoo' \
                 --start-cmd 'systemctl start odoo'",
                "Undo prod's last production upgrade: the kept original (prod_pre_18.0_<time>) \
                 takes the name back with its filestore; the upgraded one is kept as \
                 prod_failed_18.0_<time>, closed to connections.",
            ),
            (
                "odoodb upgrade rollback prod --dry-run",
                "What it would do: which kept original comes back, where the upgrade goes.",
            ),
        ],
    ),
    (
        "upgrade resume",
        &[
            (
                "odoodb upgrade resume prod",
                "Continue prod's interrupted test upgrade from where the platform is: the upload \
                 again only if the platform still waits for it.",
            ),
            (
                "odoodb upgrade resume prod --addons-path /opt/odoo18/addons --json",
                "The same, running the 18.0 modules' data/neutralize.sql on the copy, with a \
                 JSON report.",
            ),
        ],
    ),
    (
        "upgrade status",
        &[
            ("odoodb upgrade status prod", "The platform's status of prod's stored request."),
            (
                "odoodb upgrade status prod --aim production --json",
                "The production request's status, as JSON; exit status 1 when it failed or was \
                 cancelled.",
            ),
        ],
    ),
    (
        "upgrade log",
        &[
            ("odoodb upgrade log prod", "The platform's log of prod's request so far."),
            (
                "odoodb upgrade log prod -f",
                "Follow the log until the request is done, failed or cancelled; Ctrl-C stops.",
            ),
        ],
    ),
    (
        "recover",
        &[
            (
                "odoodb recover",
                "Complete or roll back what killed runs left, and list what is \
              still under way.",
            ),
            (
                "odoodb -c /etc/odoo/odoo.conf recover",
                "The same, for the data_dir and server \
              that Odoo's config file names.",
            ),
        ],
    ),
    (
        "config",
        &[
            ("odoodb config", "The settings in force, and where each came from."),
            (
                "odoodb -c /etc/odoo/odoo.conf config --json",
                "The same for one odoo.conf, as \
              JSON.",
            ),
        ],
    ),
    (
        "completions",
        &[
            (
                "odoodb completions bash > ~/.local/share/bash-completion/completions/odoodb",
                "The \
              static script: commands and options.",
            ),
            (
                "source <(COMPLETE=bash odoodb)",
                "Dynamic completion, which also completes \
              database names from the server and neutralize step ids (in ~/.bashrc).",
            ),
            ("odoodb completions zsh > ~/.zfunc/_odoodb", "The static script for zsh."),
        ],
    ),
    (
        "man",
        &[
            ("odoodb man | man -l -", "Read this manual's first page."),
            ("odoodb man --dir /usr/local/share/man/man1", "Install every page."),
        ],
    ),
];
