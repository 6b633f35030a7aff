//! Loading a dump into a database: `pg_restore` (in parallel where the format allows) and
//! `psql` with `ON_ERROR_STOP` for plain SQL. Blocking: run off the async runtime, inside it
//! (the child processes are tokio's, waited for on the runtime's handle, so Ctrl-C ends them).
//!
//! Every load is all or nothing for the caller: a dump that fails half way is an error, and the
//! caller drops the database it was loading into.

use std::collections::VecDeque;
use std::io::{BufRead as _, Read, Write as _};
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, bail};

use super::plain_dump::{CUT, Edges};
use super::tools::Tool;
use crate::cancel::Cancel;
use crate::error::Failure;

/// The session settings of a load: nothing is lost by not waiting for each commit's flush,
/// since a restore that does not finish is dropped anyway.
const SESSION_OPTIONS: &str = "-c synchronous_commit=off";

pub struct Loader {
    pub psql: Tool,
    pub pg_restore: Tool,
    /// `SET ROLE` for the load, so the objects belong to the database's owner.
    pub role: Option<String>,
    pub jobs: u32,
    pub cancel: Cancel,
}

/// Where pg_restore reads from.
pub enum Archive<'a> {
    Path(&'a Path),
    Stream(&'a mut dyn Read),
}

/// Which of the dump's sections a `pg_restore` run loads: all of them, or the two halves of
/// one restore — the schema (read from the dump's table of contents alone, so it can start
/// while the rest of the dump is still being written out) and then the data and what follows
/// it (indexes, constraints), in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sections {
    All,
    PreData,
    DataAndPostData,
}

impl Loader {
    /// `pg_restore --no-owner --exit-on-error` into `db`, with `--jobs` for a file or folder.
    pub fn pg_restore(&self, db: &str, archive: Archive<'_>) -> Result<()> {
        self.pg_restore_sections(db, archive, Sections::All, &self.cancel)
    }

    /// `pg_restore` of some sections, stopped by `cancel` (which may be a linked handle).
    pub fn pg_restore_sections(
        &self,
        db: &str,
        archive: Archive<'_>,
        sections: Sections,
        cancel: &Cancel,
    ) -> Result<()> {
        let mut command = self.pg_restore.command(db)?;
        command.env("PGOPTIONS", SESSION_OPTIONS).args([
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            db,
        ]);
        match sections {
            Sections::All => {}
            Sections::PreData => {
                command.arg("--section=pre-data");
            }
            Sections::DataAndPostData => {
                command.args(["--section=data", "--section=post-data"]);
            }
        }
        if let Some(role) = &self.role {
            command.arg(format!("--role={role}"));
        }
        match archive {
            Archive::Path(path) => {
                if self.jobs > 1 {
                    command.arg(format!("--jobs={}", self.jobs));
                } else {
                    command.arg("--single-transaction");
                }
                command.arg(path).stdin(Stdio::null());
                Self::run(command, None, cancel)
            }
            Archive::Stream(reader) => {
                // From a pipe pg_restore cannot seek, so no parallel jobs: one transaction.
                command.arg("--single-transaction").stdin(Stdio::piped());
                // The schema alone is read from the table of contents at the dump's head:
                // pg_restore stops reading there, and the rest of the feed is not needed.
                let partial = sections == Sections::PreData;
                let feed = Feed { reader, preamble: String::new(), text: false, partial };
                Self::run(command, Some(feed), cancel)
            }
        }
    }

    /// `psql` with `ON_ERROR_STOP`, in one transaction, fed `sql`. A NUL byte (never in SQL
    /// text) stops it: that is a binary file, or a decompression bomb of zeros.
    pub fn psql(&self, db: &str, sql: &mut dyn Read) -> Result<()> {
        self.psql_until(db, sql, &self.cancel)
    }

    /// `psql`, stopped by `cancel` (which may be a linked handle).
    pub fn psql_until(&self, db: &str, sql: &mut dyn Read, cancel: &Cancel) -> Result<()> {
        let mut command = self.psql.command(db)?;
        command
            .env("PGOPTIONS", SESSION_OPTIONS)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"])
            .stdin(Stdio::piped());
        let preamble = self
            .role
            .as_ref()
            .map(|role| format!("SET ROLE {};\n", super::quote_ident(role)))
            .unwrap_or_default();
        Self::run(command, Some(Feed { reader: sql, preamble, text: true, partial: false }), cancel)
    }

    fn run(
        mut command: tokio::process::Command,
        feed: Option<Feed<'_>>,
        cancel: &Cancel,
    ) -> Result<()> {
        let program = command.as_std().get_program().to_string_lossy().into_owned();
        let program = Path::new(&program)
            .file_name()
            .map_or(program.clone(), |name| name.to_string_lossy().into_owned());
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        let handle = tokio::runtime::Handle::current();
        let mut child = {
            let _entered = handle.enter();
            command.spawn().with_context(|| format!("cannot run {program}"))?
        };
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let reader_thread =
            child.stderr.take().and_then(|stderr| stderr.into_owned_fd().ok()).map(|fd| {
                let tail = Arc::clone(&tail);
                std::thread::spawn(move || collect_tail(std::fs::File::from(fd), &tail))
            });
        let partial = feed.as_ref().is_some_and(|feed| feed.partial);
        let feeding = match feed {
            Some(feed) => {
                let stdin = child
                    .stdin
                    .take()
                    .context("no pipe to the child")?
                    .into_owned_fd()
                    .context("no pipe to the child")?;
                let mut stdin = std::fs::File::from(stdin);
                let outcome = feed.into(&mut stdin, cancel);
                if outcome.as_ref().is_err_and(|error| !is_broken_pipe(error)) {
                    // The dump is bad (cut, not text): stop the child before its input ends,
                    // at which psql would commit what it ran.
                    let _ = child.start_kill();
                }
                drop(stdin);
                outcome
            }
            None => Ok(()),
        };
        let status = handle.block_on(async {
            tokio::select! {
                status = child.wait() => Some(status),
                () = cancel.wait() => {
                    let _ = child.kill().await;
                    None
                }
            }
        });
        if let Some(thread) = reader_thread {
            let _ = thread.join();
        }
        let Some(status) = status else { return Err(Failure::interrupted().into()) };
        let status = status.with_context(|| format!("{program} did not finish"))?;
        let errors: Vec<String> =
            tail.lock().map(|lines| lines.iter().cloned().collect()).unwrap_or_default();
        if cancel.is_set() {
            return Err(Failure::interrupted().into());
        }
        // A feed that failed because of the data (NUL byte, a corrupt archive) is the story;
        // a broken pipe is only the child having stopped first.
        if let Err(error) = feeding {
            let broken_pipe = is_broken_pipe(&error);
            // The child's own error, when it printed one, came first: the feed only noticed
            // later (a statement that fails, then the end of a dump that is not whole).
            let child_failed_first =
                !status.success() && errors.iter().any(|line| line.contains("ERROR"));
            if !child_failed_first && (!broken_pipe || (status.success() && !partial)) {
                return Err(error);
            }
        }
        if !status.success() {
            let lines: Vec<&String> =
                errors.iter().filter(|line| !line.trim().is_empty()).collect();
            let detail = lines[lines.len().saturating_sub(6)..]
                .iter()
                .map(|line| line.as_str())
                .collect::<Vec<_>>()
                .join(" | ");
            bail!(
                Failure::failed(format!(
                    "{program} failed ({status}): {}",
                    if detail.is_empty() { "no message".into() } else { detail }
                ))
                .hint("the dump did not load completely; the partly loaded database was dropped")
            );
        }
        Ok(())
    }
}

/// The child stopped reading first (it failed, or needed no more): not the feed's own error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

struct Feed<'a> {
    reader: &'a mut dyn Read,
    preamble: String,
    /// SQL text: a NUL byte means it is not.
    text: bool,
    /// The child may stop reading before the end (and succeed).
    partial: bool,
}

impl Feed<'_> {
    fn into(self, stdin: &mut std::fs::File, cancel: &Cancel) -> Result<()> {
        stdin.write_all(self.preamble.as_bytes())?;
        let mut buf = vec![0u8; 256 * 1024];
        let mut edges = Edges::default();
        loop {
            if cancel.is_set() {
                return Err(Failure::interrupted().into());
            }
            let n = self.reader.read(&mut buf).context("cannot read the dump")?;
            if n == 0 {
                break;
            }
            if self.text {
                edges.observe(&buf[..n]);
                if edges.nul {
                    bail!(Failure::failed(
                        "the SQL dump contains a NUL byte: it is not SQL text (corrupt, or not a dump)"
                    ));
                }
            }
            stdin.write_all(&buf[..n]).context("cannot feed the dump")?;
        }
        // psql has run every statement it was given and would commit them: a dump cut at a
        // statement boundary must fail here, before the caller keeps what was loaded.
        if self.text && !edges.ends_as_pg_dump() {
            bail!(Failure::failed(CUT).hint(
                "nothing was restored; fetch or copy the whole dump again (`odoodb backup --verify FILE` checks one)"
            ));
        }
        Ok(())
    }
}

/// Keeps the last lines a child wrote to stderr, for the error message.
fn collect_tail(stderr: std::fs::File, tail: &Mutex<VecDeque<String>>) {
    for line in std::io::BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        if let Ok(mut lines) = tail.lock() {
            if lines.len() == 40 {
                lines.pop_front();
            }
            lines.push_back(crate::output::terminal_safe(&line));
        }
    }
}
