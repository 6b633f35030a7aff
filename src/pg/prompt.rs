//! Asking for a password on the terminal, hidden, as psql does: echo off before the prompt
//! shows (so nothing typed early is echoed), the terminal put back even at Ctrl-C, and the
//! blocking read kept off the async runtime.

use std::fs::File;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

use anyhow::{Context as _, Result};
use nix::sys::termios::{self, LocalFlags, SetArg, Termios};

use crate::error::Failure;
use crate::secret::Secret;

/// Whether someone can answer: there is a controlling terminal to ask on (`/dev/tty`, as sudo
/// and psql ask), and the run is attended there (one of stdin, stdout, stderr is a terminal;
/// `odoodb delete x 2>&1 | tee log` is). cron has no controlling terminal.
pub fn can_ask() -> bool {
    let attended = std::io::stdin().is_terminal()
        || std::io::stdout().is_terminal()
        || std::io::stderr().is_terminal();
    attended && open_tty().is_ok()
}

/// The controlling terminal, to read the answer from and write the question to.
pub fn open_tty() -> std::io::Result<File> {
    std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// A line for the person at the prompt (a password refused), before the question comes again:
/// on the terminal the question is asked on.
pub fn say(text: &str) {
    if let Ok(mut tty) = open_tty() {
        let _ = writeln!(tty, "{text}");
    } else {
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}

/// Puts the terminal back as it was, however the prompt ends.
struct Restore {
    tty: File,
    original: Termios,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(&self.tty, SetArg::TCSANOW, &self.original);
    }
}

/// Shows `prompt` on the terminal and reads one line from it without echoing it.
pub async fn ask(prompt: &str) -> Result<Secret> {
    let tty = open_tty().context("cannot open the terminal to ask for the password")?;
    let original = termios::tcgetattr(&tty).context("cannot read the terminal's settings")?;
    let restore = Restore { tty: tty.try_clone()?, original: original.clone() };
    let mut hidden = original;
    hidden.local_flags.remove(LocalFlags::ECHO);
    termios::tcsetattr(&tty, SetArg::TCSANOW, &hidden)
        .context("cannot turn off echo to ask for the password")?;
    // The question goes where the answer comes from, not into a redirected stderr.
    let mut screen = tty.try_clone().context("cannot write to the terminal")?;
    let _ = screen.write_all(prompt.as_bytes());
    let _ = screen.flush();

    let (sender, receiver) = tokio::sync::oneshot::channel();
    // A plain thread, not spawn_blocking: a read nobody finishes must not hold up the exit.
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::BufReader::new(tty).read_line(&mut line).map(|n| (n, line));
        let _ = sender.send(read);
    });
    let read = tokio::select! {
        read = receiver => read,
        _ = tokio::signal::ctrl_c() => {
            drop(restore);
            let _ = screen.write_all(b"\n");
            return Err(Failure::interrupted().into());
        }
    };
    drop(restore);
    let _ = screen.write_all(b"\n");
    let (count, line) = read
        .context("the password prompt stopped")?
        .context("cannot read the password from the terminal")?;
    let password = line.trim_end_matches(['\r', '\n']);
    if count == 0 || password.is_empty() {
        return Err(Failure::failed("no password was typed")
            .hint("type the role's password at the prompt, or give it in odoo.conf, PGPASSWORD or ~/.pgpass")
            .into());
    }
    Ok(Secret::new(password))
}
