//! One file per subcommand, each `run(ctx, args)`; this file dispatches and maps the outcome
//! to an exit code.

mod completions;
mod config;
mod delete;
mod duplicate;
mod info;
mod list;
mod man;
mod neutralize;
mod rename;

use anyhow::Result;
use tokio::sync::watch;

use crate::cli::{Cli, Command};
use crate::config::{ProcessEnvironment, Resolved};
use crate::context::Context;
use crate::error::{self, Failure, exit};
use crate::output::{self, Printer};

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> u8 {
    let printer = Printer::new(&cli.global);
    let outcome = match &cli.command {
        // These need no settings, so a broken odoo.conf cannot stop them.
        Command::Completions(args) => completions::run(&printer, args),
        Command::Man(args) => man::run(&printer, args),
        _ => run_with_context(cli, printer).await,
    };
    match outcome {
        Ok(()) => exit::OK,
        Err(error) if error::is_broken_pipe(&error) => exit::OK,
        Err(error) => {
            let (code, hint) = error::classify(&error);
            output::print_error(&error::one_line(&error), hint.as_deref());
            code
        }
    }
}

async fn run_with_context(cli: Cli, printer: Printer) -> Result<()> {
    let config = Resolved::resolve(&cli.global, &ProcessEnvironment)?;
    for (name, value, source) in config.describe() {
        printer.verbose(1, &format!("setting {name} = {value}  [{source}]"));
    }
    let ctx = Context::new(config, printer, cli.global.yes, listen_for_interrupt());
    let work = dispatch(&ctx, &cli.command);
    if changes_databases(&cli.command) {
        // These watch for Ctrl-C themselves, so they can clean up before they stop.
        return work.await;
    }
    tokio::select! {
        result = work => result,
        () = ctx.wait_interrupt() => Err(Failure::interrupted().into()),
    }
}

fn changes_databases(command: &Command) -> bool {
    matches!(command, Command::Duplicate(_) | Command::Rename(_) | Command::Delete(_))
}

async fn dispatch(ctx: &Context, command: &Command) -> Result<()> {
    match command {
        Command::List(args) => list::run(ctx, args).await,
        Command::Info(args) => info::run(ctx, args).await,
        Command::Duplicate(args) => duplicate::run(ctx, args).await,
        Command::Rename(args) => rename::run(ctx, args).await,
        Command::Delete(args) => delete::run(ctx, args).await,
        Command::Neutralize(args) => neutralize::run(ctx, args).await,
        Command::Config => config::run(ctx),
        Command::Completions(_) | Command::Man(_) => Ok(()),
    }
}

/// Ctrl-C and SIGTERM set the flag; the command decides how to stop.
fn listen_for_interrupt() -> watch::Receiver<bool> {
    let (sender, receiver) = watch::channel(false);
    tokio::spawn(async move {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = terminate => {}
        }
        let _ = sender.send(true);
        // Keep the sender alive so receivers still see the flag.
        std::future::pending::<()>().await;
    });
    receiver
}
