//! Values the shell asks for while completing (`source <(COMPLETE=bash odoodb)`): database names
//! from the server, and neutralize step ids. The committed static scripts in `completions/`
//! know neither; these run only when the shell calls odoodb back with `COMPLETE` set.
//!
//! A completer runs at every Tab press, so it must be quick and silent: no server, a bad
//! odoo.conf, a refused password or a slow network all give no candidates, never a message, a
//! prompt, or a wait longer than [`DEADLINE`].

use std::ffi::OsString;
use std::time::Duration;

use clap::{CommandFactory as _, FromArgMatches as _};
use clap_complete::{ArgValueCandidates, CompletionCandidate};

use crate::cli::{Cli, GlobalArgs};
use crate::config::{Flags, ProcessEnvironment, Resolved};
use crate::pg::{self, admin};

/// The longest a Tab press may wait for the server, whatever the connect timeout in force.
const DEADLINE: Duration = Duration::from_secs(2);

/// The arguments that name an existing database, by the subcommand path that holds them.
const DATABASE_ARGS: &[(&[&str], &str)] = &[
    (&["info"], "db"),
    (&["duplicate"], "source"),
    (&["rename"], "old"),
    (&["delete"], "db"),
    (&["neutralize"], "db"),
    (&["upgrade", "test"], "db"),
    (&["upgrade", "production"], "db"),
    (&["upgrade", "resume"], "db"),
    (&["upgrade", "check"], "db"),
    (&["upgrade", "status"], "db"),
    (&["upgrade", "log"], "db"),
];

/// The arguments that take neutralize step ids.
const STEP_ARGS: &[(&[&str], &str)] = &[(&["neutralize"], "only"), (&["neutralize"], "skip")];

/// The clap definitions with their dynamic completers attached: here rather than in `cli.rs`,
/// so the definitions import nothing of the layers a completer asks.
pub fn attach(mut command: clap::Command) -> clap::Command {
    for (path, arg) in DATABASE_ARGS {
        command = on_arg(command, path, arg, &ArgValueCandidates::new(databases));
    }
    for (path, arg) in STEP_ARGS {
        command = on_arg(command, path, arg, &ArgValueCandidates::new(steps));
    }
    command
}

/// Adds `candidates` to the argument `arg` of the subcommand at `path`. Each argument and
/// subcommand keeps its place (`mut_arg` would move it last, and reorder `--help` and the
/// generated completions).
fn on_arg(
    command: clap::Command,
    path: &[&str],
    arg: &str,
    candidates: &ArgValueCandidates,
) -> clap::Command {
    match path.split_first() {
        None => command.mut_args(|a| if a.get_id() == arg { a.add(candidates.clone()) } else { a }),
        Some((first, rest)) => command.mut_subcommands(|sub| {
            if sub.get_name() == *first { on_arg(sub, rest, arg, candidates) } else { sub }
        }),
    }
}

/// Database names on the server the command would use, without system databases and odoodb's
/// own temporaries (as bash-completion's `dropdb`/`psql` list the server's databases).
pub fn databases() -> Vec<CompletionCandidate> {
    database_names().unwrap_or_default().into_iter().map(CompletionCandidate::new).collect()
}

/// Every neutralize step id, with its one-line title as help (fish and zsh show it).
pub fn steps() -> Vec<CompletionCandidate> {
    crate::neutralize::STEPS
        .iter()
        .map(|step| CompletionCandidate::new(step.id).help(Some(step.title.into())))
        .collect()
}

fn database_names() -> Option<Vec<String>> {
    let flags = Flags::from(&global_args_of_the_line());
    let config = Resolved::resolve(&flags, &ProcessEnvironment).ok()?;
    // A Tab press never asks for a password: no answer is better than a prompt in the line.
    let params = pg::ConnectParams { may_prompt: false, ..config.connect_params() };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
    let names = runtime.block_on(async {
        tokio::time::timeout(DEADLINE, async {
            // Where libpq tools look for the server's list: `postgres`, else `template1`.
            let client = match pg::connect(&params, "postgres").await {
                Ok(client) => client,
                Err(_) => pg::connect(&params, "template1").await?,
            };
            admin::list_database_names(&client).await
        })
        .await
    });
    // A host name still being resolved holds a blocking thread; the shell must not wait for it.
    runtime.shutdown_background();
    let mut names = names.ok()?.ok()?;
    names.retain(|name| {
        !admin::SYSTEM_DATABASES.contains(&name.as_str()) && !crate::safe::names::is_temporary(name)
    });
    Some(names)
}

/// The global options typed so far (`-c`, `--host`, `--port`, `--user`…), read from the words
/// the shell passes after `--`, so `odoodb -c /etc/odoo/odoo.conf info <Tab>` asks the server
/// that file names. The line is unfinished, so parsing is best effort: anything unreadable
/// counts as not given.
fn global_args_of_the_line() -> GlobalArgs {
    let words: Vec<OsString> = std::env::args_os().skip_while(|arg| arg != "--").skip(1).collect();
    if words.is_empty() {
        return GlobalArgs::default();
    }
    Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(words)
        .ok()
        .and_then(|matches| GlobalArgs::from_arg_matches(&matches).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_a_candidate() {
        let ids: Vec<_> =
            steps().iter().map(|c| c.get_value().to_string_lossy().into_owned()).collect();
        assert_eq!(ids.len(), crate::neutralize::STEPS.len());
        assert!(ids.iter().any(|id| id == "crons") && ids.iter().any(|id| id == "flag"));
    }

    #[test]
    fn every_completed_argument_exists() {
        let command = Cli::command();
        for (path, arg) in DATABASE_ARGS.iter().chain(STEP_ARGS) {
            let sub = path.iter().try_fold(&command, |command, name| command.find_subcommand(name));
            let found = sub.is_some_and(|sub| sub.get_arguments().any(|a| a.get_id() == *arg));
            assert!(found, "no argument {arg} under {path:?}");
        }
    }
}
