//! Confirmations: typed database names for destructive work, yes/no for lesser questions.
//! Without a terminal, `--yes` is required: a script must never hang on a prompt.

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::error::Failure;

/// Asks the user to type `name` to go on with `action`; `--yes` skips, no terminal refuses.
pub async fn typed_name(ctx: &Context, action: &str, name: &str) -> Result<()> {
    if ctx.assume_yes {
        return Ok(());
    }
    require_terminal(ctx, action)?;
    let expected = name.to_string();
    let prompt = format!("Type the database name ({name}) to {action}");
    let answer = ask(ctx, move || {
        dialoguer::Input::<String>::new().with_prompt(prompt).allow_empty(true).interact_text()
    })
    .await?;
    if answer.trim() == expected { Ok(()) } else { Err(Failure::declined().into()) }
}

/// A yes/no question (default no); `--yes` answers yes, no terminal refuses.
pub async fn yes_no(ctx: &Context, question: &str, action: &str) -> Result<bool> {
    if ctx.assume_yes {
        return Ok(true);
    }
    require_terminal(ctx, action)?;
    let question = question.to_string();
    ask(ctx, move || dialoguer::Confirm::new().with_prompt(question).default(false).interact())
        .await
}

fn require_terminal(ctx: &Context, action: &str) -> Result<()> {
    if ctx.interactive {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "refusing to {action} without confirmation: no terminal to ask on"
        ))
        .hint("pass --yes to confirm from a script")
        .into())
    }
}

/// Runs a dialoguer prompt off the async runtime, racing Ctrl-C.
async fn ask<T: Send + 'static>(
    ctx: &Context,
    prompt: impl FnOnce() -> dialoguer::Result<T> + Send + 'static,
) -> Result<T> {
    let task = tokio::task::spawn_blocking(prompt);
    tokio::select! {
        answer = task => {
            let answer = answer.context("the prompt stopped unexpectedly")?;
            answer.map_err(|e| match e {
                dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => Failure::interrupted().into(),
                dialoguer::Error::IO(io) => anyhow::Error::from(io).context("cannot read the answer"),
            })
        }
        () = ctx.wait_interrupt() => {
            // Bring the cursor back: dialoguer hides it while it waits.
            let _ = console::Term::stderr().show_cursor();
            Err(Failure::interrupted().into())
        }
    }
}
