//! The dump inside an archive, checked as it streams by (`pg_restore --list` for a custom dump,
//! pg_dump's first and last lines for plain SQL, the `toc.dat` of a folder), and
//! `pg_restore --list` of a dump on disk.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result};
use sha1::Digest as _;

use super::DumpForm;
use crate::pg::plain_dump::Edges;

/// Checks a dump as it streams by: a custom dump is piped into `pg_restore --list`; plain SQL
/// must be text, begin as pg_dump begins and end as pg_dump ends; a directory dump's
/// `toc.dat` is listed by pg_restore at the end.
pub(super) struct DumpChecker {
    form: DumpForm,
    pg_restore: PathBuf,
    pub(super) bytes: u64,
    hasher: sha2::Sha256,
    /// pg_restore --list, and the files its stdout and stderr go to.
    child: Option<(std::process::Child, std::fs::File, std::fs::File)>,
    /// The first and last bytes of plain SQL, for its sanity check.
    edges: Edges,
    pub(super) toc: Option<Vec<u8>>,
}

impl DumpChecker {
    pub(super) fn new(form: DumpForm, pg_restore: &Path) -> Self {
        // Its list goes to unnamed files, not pipes: a pipe nobody reads while the dump is
        // still being fed would stop pg_restore, and so the feed.
        let child = (form == DumpForm::Custom).then(|| {
            let stdout = tempfile::tempfile().ok()?;
            let stderr = tempfile::tempfile().ok()?;
            let child = Command::new(pg_restore)
                .arg("--list")
                .stdin(Stdio::piped())
                .stdout(stdout.try_clone().ok()?)
                .stderr(stderr.try_clone().ok()?)
                .spawn()
                .ok()?;
            Some((child, stdout, stderr))
        });
        Self {
            form,
            pg_restore: pg_restore.to_path_buf(),
            bytes: 0,
            hasher: sha2::Sha256::new(),
            child: child.flatten(),
            edges: Edges::default(),
            toc: None,
        }
    }

    pub(super) fn sha256_hex(&self) -> String {
        super::hex(&self.hasher.clone().finalize())
    }

    pub(super) fn conclude(mut self) -> Result<String> {
        match self.form {
            DumpForm::Custom => {
                use std::io::Seek as _;
                let (mut child, mut stdout, mut stderr) =
                    self.child.take().context("cannot run pg_restore --list")?;
                drop(child.stdin.take());
                let status = child.wait().context("pg_restore --list did not finish")?;
                let mut output =
                    std::process::Output { status, stdout: Vec::new(), stderr: Vec::new() };
                stdout.rewind()?;
                stdout.read_to_end(&mut output.stdout)?;
                stderr.rewind()?;
                stderr.read_to_end(&mut output.stderr)?;
                listed(&output)
            }
            DumpForm::Directory => {
                let toc = self.toc.take().context("the dump folder has no toc.dat")?;
                let dir = tempfile::tempdir().context("cannot create a temporary folder")?;
                std::fs::write(dir.path().join("toc.dat"), toc)?;
                list_dump(&self.pg_restore, dir.path())
                    .map(|n| format!("pg_restore --list: {n} entries"))
            }
            DumpForm::Plain => {
                if self.edges.nul {
                    anyhow::bail!("the SQL dump contains NUL bytes: not SQL text");
                }
                if !self.edges.begins_as_pg_dump() {
                    anyhow::bail!("plain SQL that does not begin as pg_dump's output does");
                }
                if !self.edges.ends_as_pg_dump() {
                    anyhow::bail!(crate::pg::plain_dump::CUT);
                }
                Ok(format!("plain SQL from pg_dump, complete ({} bytes)", self.bytes))
            }
        }
    }
}

impl std::io::Write for DumpChecker {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.hasher.update(buf);
        match self.form {
            DumpForm::Custom => {
                // pg_restore --list stops reading after the table of contents.
                if let Some((child, _, _)) = self.child.as_mut()
                    && let Some(stdin) = child.stdin.as_mut()
                    && stdin.write_all(buf).is_err()
                {
                    drop(child.stdin.take());
                }
            }
            DumpForm::Plain => {
                self.edges.observe(buf);
            }
            DumpForm::Directory => {}
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn listed(output: &std::process::Output) -> Result<String> {
    if output.status.success() {
        let text = String::from_utf8_lossy(&output.stdout);
        let entries = text.lines().filter(|l| !l.starts_with(';') && !l.trim().is_empty()).count();
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix(";     Dumped by pg_dump version: "))
            .unwrap_or("?");
        Ok(format!("pg_restore --list: {entries} entries (pg_dump {version})"))
    } else {
        let text = String::from_utf8_lossy(&output.stderr);
        anyhow::bail!("pg_restore cannot read the dump: {}", text.trim().replace('\n', " | "))
    }
}

/// The text of `pg_restore --list` of a dump file or folder, once pg_restore accepted it.
fn list_text(pg_restore: &Path, dump: &Path) -> Result<String> {
    let output = Command::new(pg_restore)
        .arg("--list")
        .arg(dump)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", pg_restore.display()))?;
    listed(&output)?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `pg_restore --list` of a dump file or folder; the number of entries.
pub fn list_dump(pg_restore: &Path, dump: &Path) -> Result<usize> {
    let text = list_text(pg_restore, dump)?;
    Ok(text.lines().filter(|l| !l.starts_with(';') && !l.trim().is_empty()).count())
}

/// The header lines of `pg_restore --list` (versions, format, database), for `--inspect`.
pub fn dump_header(pg_restore: &Path, dump: &Path) -> Result<Vec<(String, String)>> {
    let text = list_text(pg_restore, dump)?;
    Ok(text
        .lines()
        .filter_map(|l| l.strip_prefix(';'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect())
}
