//! Every question odoodb asks: typed database names for destructive work, yes/no questions, and
//! the production guard. The rules live here once: `--yes` answers for scripts, no terminal and
//! no `--yes` is a usage error (never a hang), a prompt waits for a whole line (so an Enter is
//! never taken as the answer to the next question), and Ctrl-C at a prompt is an interruption.

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::error::Failure;

/// Asks the user to type `name` to go on with `action`; `--yes` skips, no terminal refuses.
pub async fn typed_name(ctx: &Context, action: &str, name: &str) -> Result<()> {
    if ctx.assume_yes {
        return Ok(());
    }
    require_terminal(ctx, action, name)?;
    type_to_confirm(ctx, &format!("Type the database name ({name}) to {action}"), name).await
}

/// A yes/no question (default no); `--yes` answers yes, no terminal refuses.
pub async fn yes_no(ctx: &Context, question: &str, action: &str, name: &str) -> Result<bool> {
    if ctx.assume_yes {
        return Ok(true);
    }
    require_terminal(ctx, action, name)?;
    ask(ctx, question).await
}

/// A yes/no question asked even under `--yes` (the user chose to be asked, e.g.
/// `neutralize --interactive`); the caller made sure there is a terminal.
pub async fn ask(ctx: &Context, question: &str) -> Result<bool> {
    let prompt = format!("{question} [y/N]");
    let answer = prompt_line(ctx, move || {
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .allow_empty(true)
            .validate_with(|text: &String| -> Result<(), &str> {
                match parse_yes_no(text) {
                    Some(_) => Ok(()),
                    None => Err("answer y, yes, n or no"),
                }
            })
            .interact_text_on(&terminal()?)
    })
    .await?;
    Ok(parse_yes_no(&answer).unwrap_or(false))
}

/// Why `db` is production, if it is: listed in the settings' `protect`, or served by this Odoo
/// (odoo.conf `db_name`).
pub fn production_reason(ctx: &Context, db: &str) -> Option<String> {
    if ctx.config.settings.neutralize.protect.iter().any(|p| p == db) {
        return Some("it is listed in [neutralize] protect of the settings".into());
    }
    if ctx.config.served_databases.iter().any(|p| p == db) {
        return Some("it is odoo.conf's db_name".into());
    }
    None
}

/// Production needs its name typed, `--yes` or not; only `--force` skips the question, where
/// the command has one for it (`force` is `None` where it has not).
pub async fn guard_production(
    ctx: &Context,
    db: &str,
    reason: &str,
    action: &str,
    force: Option<bool>,
) -> Result<()> {
    if force == Some(true) {
        return Ok(());
    }
    if !ctx.interactive {
        let hint = if force.is_some() {
            "run it at a terminal to type the name, or pass --force as well if this is really meant"
        } else {
            "run it at a terminal to type the name"
        };
        return Err(Failure::usage(format!(
            "{db} looks like production ({reason}); its name must be typed to {action}"
        ))
        .unchanged()
        .hint(hint)
        .into());
    }
    type_to_confirm(
        ctx,
        &format!("{db} looks like production ({reason}). Type its name to {action}"),
        db,
    )
    .await
}

fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "" | "n" | "no" => Some(false),
        _ => None,
    }
}

async fn type_to_confirm(ctx: &Context, prompt: &str, name: &str) -> Result<()> {
    let prompt = prompt.to_string();
    let typed = prompt_line(ctx, move || {
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .allow_empty(true)
            .interact_text_on(&terminal()?)
    })
    .await?;
    if typed.trim() == name { Ok(()) } else { Err(Failure::declined_for(name).into()) }
}

fn require_terminal(ctx: &Context, action: &str, name: &str) -> Result<()> {
    if ctx.interactive {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "{name}: refusing to {action} without confirmation: no terminal to ask on"
        ))
        .unchanged()
        .hint("pass --yes to confirm from a script")
        .into())
    }
}

/// Runs a line prompt off the async runtime, racing Ctrl-C and SIGTERM.
async fn prompt_line(
    ctx: &Context,
    prompt: impl FnOnce() -> dialoguer::Result<String> + Send + 'static,
) -> Result<String> {
    let task = tokio::task::spawn_blocking(prompt);
    let answer = tokio::select! {
        answer = task => answer.context("the prompt stopped unexpectedly")?,
        () = ctx.cancel.wait() => {
            interrupted_at_prompt();
            return Err(Failure::interrupted().into());
        }
    };
    answer.map_err(|error| {
        let dialoguer::Error::IO(io) = error;
        if io.kind() == std::io::ErrorKind::Interrupted {
            interrupted_at_prompt();
            Failure::interrupted().into()
        } else {
            anyhow::Error::from(io).context("cannot read the answer")
        }
    })
}

/// The controlling terminal, where questions are asked and answered (as sudo and psql do): the
/// question is not lost when stderr goes to a pipe (`odoodb delete x 2>&1 | tee log`).
fn terminal() -> dialoguer::Result<console::Term> {
    let tty = crate::pg::prompt::open_tty()?;
    Ok(console::Term::read_write_pair(tty.try_clone()?, tty))
}

/// dialoguer hides the cursor while it waits, and the error must not land on the typed line.
fn interrupted_at_prompt() {
    if let Ok(term) = terminal() {
        let _ = term.show_cursor();
        let _ = term.write_line("");
    }
}

#[cfg(test)]
mod tests {
    use super::parse_yes_no;

    #[test]
    fn answers_are_whole_words() {
        assert_eq!(parse_yes_no("y"), Some(true));
        assert_eq!(parse_yes_no(" YES "), Some(true));
        assert_eq!(parse_yes_no(""), Some(false));
        assert_eq!(parse_yes_no("no"), Some(false));
        assert_eq!(parse_yes_no("yes please"), None);
        assert_eq!(parse_yes_no("es"), None);
    }
}
