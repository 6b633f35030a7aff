//! The application shell: parse, start the runtime and the signal listener, run the command,
//! and turn the outcome into an exit code and one error line with its hints.

use std::process::ExitCode;

use anyhow::Result;
use clap_complete::CompleteEnv;

use crate::cancel::Cancel;
use crate::cli::{Cli, Command};
use crate::commands::{self, Cancellation};
use crate::config::{ProcessEnvironment, Resolved};
use crate::context::Context;
use crate::error::{self, Failure, exit};
use crate::output::{self, Printer};

/// Parses the command line, runs the command, and turns the outcome into an exit code.
pub fn main_entry() -> ExitCode {
    // The shell calling back for candidates (`COMPLETE=bash odoodb -- …`): answer on stdout and
    // stop before parsing, which would reject the unfinished line.
    let current_dir = std::env::current_dir().ok();
    match CompleteEnv::with_factory(crate::wiring::command)
        .try_complete(std::env::args_os(), current_dir.as_deref())
    {
        Ok(true) => return ExitCode::from(exit::OK),
        Ok(false) => {}
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(exit::USAGE);
        }
    }
    let cli = match crate::wiring::parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    let runtime =
        match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                output::print_error(&format!("cannot start the async runtime: {error}"), None);
                return ExitCode::from(exit::FAILED);
            }
        };
    ExitCode::from(runtime.block_on(run(cli)))
}

async fn run(cli: Cli) -> u8 {
    let printer = Printer::new(&cli.global);
    let outcome = match &cli.command {
        // These need no settings, so a broken odoo.conf cannot stop them.
        Command::Completions(args) => commands::completions::run(&printer, args),
        Command::Man(args) => commands::man::run(&printer, args),
        _ => Box::pin(run_with_context(cli, printer)).await,
    };
    match outcome {
        Ok(()) => exit::OK,
        Err(error) if error::is_broken_pipe(&error) => exit::OK,
        Err(error) => {
            let (code, hints) = error::classify(&error, crate::pg::explain);
            output::print_error(&error::one_line(&error), hints.as_deref());
            code
        }
    }
}

async fn run_with_context(cli: Cli, printer: Printer) -> Result<()> {
    // A password file an older odoodb left (killed before it could remove it) goes at once;
    // `recover` does the same and reports it with the rest of what it settled.
    if !matches!(cli.command, Command::Recover(_)) {
        let old = crate::pg::tools::remove_old_passfiles();
        for path in &old.removed {
            printer.warn(&format!(
                "removed {}, a password file an older odoodb left behind",
                path.display()
            ));
        }
        for problem in &old.problems {
            printer.warn(problem);
        }
    }
    let config = Resolved::resolve(&(&cli.global).into(), &ProcessEnvironment)?;
    for (name, value, source) in config.describe() {
        printer.verbose(1, &format!("setting {name} = {value}  [{source}]"));
    }
    let ctx = Context::new(config, printer, cli.global.yes, Cancel::on_signals());
    let work = commands::dispatch(&ctx, &cli.command);
    match commands::cancellation(&cli.command) {
        // The command stops itself at Ctrl-C, once it has put everything back.
        Cancellation::Cooperative => work.await,
        Cancellation::Drop => tokio::select! {
            result = work => result,
            () = ctx.cancel.wait() => Err(Failure::interrupted().into()),
        },
    }
}
