//! The local upgrade program before it runs: its program found and executable, and, when the
//! user names one, a harmless probe command that shows it works. The upgrade itself is never
//! run here.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::Result;

use crate::cancel::Cancel;
use crate::error::{Failure, usage_error};
use crate::upgrade::preflight::{Item, Level};

/// What the first word of an upgrade command names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Program {
    /// No word at all.
    Empty,
    /// A builtin, or a word with quotes, variables or operators: the shell's to read.
    Shell(String),
    Found(PathBuf),
    /// There, but the shell could not run it.
    NotExecutable(PathBuf),
    Missing(String),
}

/// Looks the command's program up as `sh` will: a word with a slash is a path (relative to
/// the current folder), any other is searched on PATH.
pub(crate) fn resolve(command: &str) -> Program {
    let Some(word) = command.split_whitespace().next() else { return Program::Empty };
    if word.contains(['\'', '"', '$', '`', '=', '(', ';', '&', '|', '<', '>']) || is_builtin(word) {
        return Program::Shell(word.to_string());
    }
    if word.contains('/') {
        let path = PathBuf::from(word);
        return if !path.is_file() {
            Program::Missing(word.to_string())
        } else if executable(&path) {
            Program::Found(path)
        } else {
            Program::NotExecutable(path)
        };
    }
    let candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join(word)).collect())
        .unwrap_or_default();
    let files: Vec<&PathBuf> = candidates.iter().filter(|path| path.is_file()).collect();
    match (files.iter().find(|path| executable(path)), files.first()) {
        (Some(found), _) => Program::Found((*found).clone()),
        (None, Some(file)) => Program::NotExecutable((*file).clone()),
        (None, None) => Program::Missing(word.to_string()),
    }
}

fn executable(path: &Path) -> bool {
    nix::unistd::access(path, nix::unistd::AccessFlags::X_OK).is_ok()
}

/// The upgrade command must name a program that is there: found after a long dump and
/// restore, a typo would cost the user their time.
pub(crate) fn require_program(command: &str) -> Result<()> {
    match resolve(command) {
        Program::Empty => Err(usage_error(
            "--upgrade-command is empty",
            "give the program that upgrades the copy, e.g. --upgrade-command './upgrade.sh'",
        )),
        Program::Missing(word) => Err(usage_error(
            format!("the upgrade command's program {word:?} was not found"),
            "give its path, or check PATH",
        )),
        Program::NotExecutable(path) => Err(usage_error(
            format!("the upgrade command's program {} is not executable", path.display()),
            "make it executable (chmod +x), or run it through its interpreter (sh …, python3 …)",
        )),
        Program::Found(_) | Program::Shell(_) => Ok(()),
    }
}

/// The check's line for the upgrade command: a program that is not there blocks.
pub(crate) fn check(command: &str) -> Item {
    const CHECK: &str = "upgrade command";
    match resolve(command) {
        Program::Empty => Item::new(CHECK, Level::Blocker, "--upgrade-command is empty"),
        Program::Shell(word) => Item::new(
            CHECK,
            Level::Ok,
            format!("{word}: the shell's to read (a builtin or an expression), not looked up"),
        ),
        Program::Found(path) => Item::new(CHECK, Level::Ok, path.display().to_string()),
        Program::NotExecutable(path) => Item::new(
            CHECK,
            Level::Blocker,
            format!(
                "{} is not executable: make it so (chmod +x), or run it through its interpreter",
                path.display()
            ),
        ),
        Program::Missing(word) => Item::new(
            CHECK,
            Level::Blocker,
            format!("{word} was not found ({}): give its path, or fix PATH", searched(&word)),
        ),
    }
}

fn searched(word: &str) -> &'static str {
    if word.contains('/') { "no such file" } else { "not on PATH" }
}

/// Runs the user's probe (`odoo-bin --version`) by `sh -c`, without the database's connection
/// (it must not need one), in a process group of its own that is stopped whole when it takes
/// longer than `limit`. A failure, or no answer in time, blocks.
pub(crate) async fn probe(
    command: &str,
    limit: Duration,
    target: &str,
    cancel: &Cancel,
) -> Result<Item> {
    const CHECK: &str = "upgrade probe";
    let mut shell = tokio::process::Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .env("ODOODB_TARGET", target)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let child = match shell.spawn() {
        Ok(child) => child,
        Err(error) => {
            return Ok(Item::new(CHECK, Level::Blocker, format!("cannot run sh: {error}")));
        }
    };
    // Stopped whole however this ends (done, too slow, or the check dropped at Ctrl-C): what
    // the probe left running in its group has no business running on.
    let _group = Group(child.id().and_then(|id| i32::try_from(id).ok()));
    let output = tokio::select! {
        output = child.wait_with_output() => output,
        () = tokio::time::sleep(limit) => {
            return Ok(Item::new(
                CHECK,
                Level::Blocker,
                format!("`{command}` did not finish within {} s (stopped)", limit.as_secs()),
            ));
        }
        () = cancel.wait() => return Err(Failure::interrupted().into()),
    };
    let output = match output {
        Ok(output) => output,
        Err(error) => return Ok(Item::new(CHECK, Level::Blocker, format!("`{command}`: {error}"))),
    };
    let said = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes).lines().map(str::trim).find(|l| !l.is_empty()).map(short)
    };
    let (stdout, stderr) = (said(&output.stdout), said(&output.stderr));
    Ok(if output.status.success() {
        let answer = stdout.or(stderr).unwrap_or_else(|| "no output".to_string());
        Item::new(CHECK, Level::Ok, format!("`{command}`: {answer}"))
    } else {
        let why = stderr.or(stdout).map(|line| format!(": {line}")).unwrap_or_default();
        Item::new(CHECK, Level::Blocker, format!("`{command}` failed ({}){why}", output.status))
    })
}

/// A process group, killed when dropped.
struct Group(Option<i32>);

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(id) = self.0 {
            // ESRCH (nothing left) is the usual answer.
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(id),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

/// One line of a program's output, cut to what a table cell can hold.
fn short(line: &str) -> String {
    const MAX: usize = 160;
    if line.chars().count() <= MAX {
        return line.to_string();
    }
    let cut: String = line.chars().take(MAX).collect();
    format!("{cut}…")
}

fn is_builtin(word: &str) -> bool {
    matches!(
        word,
        "true"
            | "false"
            | "exit"
            | "cd"
            | "test"
            | "["
            | "echo"
            | "printf"
            | "set"
            | "export"
            | "exec"
            | "."
            | ":"
            | "if"
            | "for"
            | "while"
            | "case"
            | "{"
            | "!"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_looked_up_as_the_shell_would() {
        assert_eq!(resolve("  "), Program::Empty);
        assert_eq!(resolve("true && x"), Program::Shell("true".into()));
        assert_eq!(resolve("\"$HOME/up.sh\" 18"), Program::Shell("\"$HOME/up.sh\"".into()));
        assert_eq!(resolve("/bin/sh -c x"), Program::Found("/bin/sh".into()));
        assert_eq!(resolve("/nonexistent/up.sh"), Program::Missing("/nonexistent/up.sh".into()));
        let plain = tempfile::NamedTempFile::new().unwrap_or_else(|e| unreachable!("{e}"));
        let command = format!("{} --all", plain.path().display());
        assert_eq!(resolve(&command), Program::NotExecutable(plain.path().to_path_buf()));
        assert!(matches!(resolve("sh -c x"), Program::Found(_)));
        assert_eq!(
            resolve("no-such-program-odoodb"),
            Program::Missing("no-such-program-odoodb".into())
        );
    }

    #[test]
    fn long_output_is_cut() {
        assert_eq!(short("Odoo Server 18.0"), "Odoo Server 18.0");
        assert_eq!(short(&"x".repeat(200)).chars().count(), 161);
    }
}
