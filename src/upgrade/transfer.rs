//! Moving dumps to and from the platform's data server with the system's `rsync` over `ssh`
//! (called, like pg_dump, never reimplemented). The server's host key must be the one the
//! platform announced (`StrictHostKeyChecking=yes` against a known_hosts file holding only
//! that: never trust on first use); the request's own key is the only identity offered;
//! `--partial` keeps what arrived, so a broken transfer resumes instead of starting over.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, Result};
use tokio::io::AsyncReadExt as _;

use crate::cancel::Cancel;
use crate::error::Failure;

/// How many times a transfer cut by the network is tried again before giving up.
const ATTEMPTS: u32 = 3;

/// Where the data server is and how to log in.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub user: String,
    /// The host part of the request's assigned host (`host:port` loses its port: that is the
    /// API's; ssh has its own).
    pub host: String,
    pub port: u16,
    pub known_hosts: PathBuf,
    pub key: PathBuf,
    /// The folder on the data server (`/data`).
    pub path: String,
}

/// The host of `host`, `host:port`, `[v6]` or `[v6]:port`.
pub fn host_part(assigned: &str) -> &str {
    if assigned.starts_with('[') {
        return assigned.find(']').map_or(assigned, |end| &assigned[..=end]);
    }
    match assigned.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => assigned,
    }
}

/// Writes the platform's known_hosts text to `path` (0600): the only host key ssh accepts.
pub fn write_known_hosts(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut text = text.trim_end().to_string();
    text.push('\n');
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))
}

/// A name the platform gives for a file on its server: one plain path component.
pub fn require_plain_name(name: &str) -> Result<()> {
    let plain = !name.is_empty()
        && !name.starts_with(['.', '-'])
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~'));
    if plain {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "the upgrade platform named an unsafe file to download: {:?}",
            crate::output::terminal_safe(name)
        ))
        .into())
    }
}

/// Sends the folder `local` (the `-Fd` dump) into the server's folder, under its own name.
pub async fn upload(
    endpoint: &Endpoint,
    local: &Path,
    cancel: &Cancel,
    progress: &(dyn Fn(u64, Option<u8>) + Sync),
) -> Result<()> {
    let destination = format!("{}:{}/", remote(endpoint), endpoint.path.trim_end_matches('/'));
    let sources = vec![local.as_os_str().to_os_string()];
    run(endpoint, &sources, destination.as_ref(), false, "upload", cancel, progress).await
}

/// Brings `names` (missing ones are skipped) from the server's folder into `local`.
pub async fn download(
    endpoint: &Endpoint,
    names: &[&str],
    local: &Path,
    cancel: &Cancel,
    progress: &(dyn Fn(u64, Option<u8>) + Sync),
) -> Result<()> {
    std::fs::create_dir_all(local).with_context(|| format!("cannot create {}", local.display()))?;
    let base = endpoint.path.trim_end_matches('/');
    let sources: Vec<std::ffi::OsString> =
        names.iter().map(|name| format!("{}:{base}/{name}", remote(endpoint)).into()).collect();
    let mut destination = local.as_os_str().to_os_string();
    destination.push("/");
    run(endpoint, &sources, &destination, true, "download", cancel, progress).await
}

fn remote(endpoint: &Endpoint) -> String {
    format!("{}@{}", endpoint.user, endpoint.host)
}

/// The `ssh` that rsync runs: only the request's key, only the announced host key, no user
/// configuration, no prompt, and keep-alives so a dead link fails instead of hanging.
fn ssh_command(endpoint: &Endpoint) -> Result<String> {
    let quoted = |path: &Path| -> Result<String> {
        let text = path.to_str().filter(|t| !t.contains(['\'', '"', '\n'])).ok_or_else(|| {
            Failure::failed(format!("cannot pass the path {} to ssh", path.display()))
        })?;
        Ok(format!("'{text}'"))
    };
    Ok(format!(
        "ssh -F /dev/null -p {} -i {} -o IdentitiesOnly=yes -o IdentityAgent=none \
         -o StrictHostKeyChecking=yes -o UserKnownHostsFile={} -o GlobalKnownHostsFile=/dev/null \
         -o BatchMode=yes -o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4",
        endpoint.port,
        quoted(&endpoint.key)?,
        quoted(&endpoint.known_hosts)?
    ))
}

async fn run(
    endpoint: &Endpoint,
    sources: &[std::ffi::OsString],
    destination: &std::ffi::OsStr,
    ignore_missing: bool,
    what: &str,
    cancel: &Cancel,
    progress: &(dyn Fn(u64, Option<u8>) + Sync),
) -> Result<()> {
    let ssh = ssh_command(endpoint)?;
    let mut attempt = 1;
    loop {
        let mut command = tokio::process::Command::new("rsync");
        command
            .args(["--archive", "--partial", "--info=progress2", "--no-inc-recursive"])
            .arg("--timeout=600")
            .arg("-e")
            .arg(&ssh);
        if ignore_missing {
            command.arg("--ignore-missing-args");
        }
        command.arg("--").args(sources).arg(destination);
        let outcome = run_once(command, cancel, progress).await?;
        let Err((code, tail)) = outcome else { return Ok(()) };
        let detail = tail.join(" / ");
        if detail.contains("Host key verification failed")
            || detail.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
            || detail.contains("No ED25519 host key is known")
            || detail.contains("host key for")
        {
            return Err(Failure::failed(format!(
                "the {what} was refused: the data server {}:{} did not show the host key the platform announced ({detail})",
                endpoint.host, endpoint.port
            ))
            .hint("nothing was sent; this may be a man-in-the-middle: do not work around it, ask Odoo's support")
            .into());
        }
        if detail.contains("Permission denied") {
            return Err(Failure::failed(format!(
                "the {what} was refused: the data server did not accept the request's key ({detail})"
            ))
            .hint("check --data-server-user; `odoodb upgrade resume <db>` tries again")
            .into());
        }
        // rsync's network and protocol failures: worth another try, where --partial resumes.
        let retryable = matches!(code, Some(10 | 11 | 12 | 23 | 30 | 35 | 255));
        if !retryable || attempt >= ATTEMPTS {
            return Err(Failure::failed(format!(
                "the {what} failed after {attempt} attempt(s) (rsync exit {}): {detail}",
                code.map_or_else(|| "by signal".to_string(), |c| c.to_string())
            ))
            .hint("what arrived is kept; `odoodb upgrade resume <db>` continues the transfer")
            .into());
        }
        attempt += 1;
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(2)) => {}
            () = cancel.wait() => return Err(Failure::interrupted().into()),
        }
    }
}

/// One rsync run: `Ok(Ok(()))` when it succeeded, `Ok(Err((exit code, last stderr lines)))`
/// when it failed.
async fn run_once(
    mut command: tokio::process::Command,
    cancel: &Cancel,
    progress: &(dyn Fn(u64, Option<u8>) + Sync),
) -> Result<std::result::Result<(), (Option<i32>, Vec<String>)>> {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| {
        Failure::failed(format!("cannot run rsync: {e}"))
            .hint("install rsync and the OpenSSH client (apt-get install rsync openssh-client)")
    })?;
    let stdout = child.stdout.take().context("no pipe from rsync")?;
    let stderr = child.stderr.take().context("no pipe from rsync")?;
    let errors = tokio::spawn(read_tail(stderr));
    let watch = watch_progress(stdout, progress);
    let status = tokio::select! {
        (status, ()) = async { tokio::join!(child.wait(), watch) } => status,
        () = cancel.wait() => {
            let _ = child.kill().await;
            return Err(Failure::interrupted().into());
        }
    };
    let status = status.context("rsync did not finish")?;
    let tail = errors.await.unwrap_or_default();
    if status.success() { Ok(Ok(())) } else { Ok(Err((status.code(), tail))) }
}

/// Reads rsync's `--info=progress2` lines (separated by carriage returns) and reports the
/// bytes moved and the percentage.
async fn watch_progress(
    mut stdout: tokio::process::ChildStdout,
    progress: &(dyn Fn(u64, Option<u8>) + Sync),
) {
    let mut buffer = [0u8; 4096];
    let mut line = Vec::new();
    while let Ok(n) = stdout.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        for &byte in &buffer[..n] {
            if byte == b'\r' || byte == b'\n' {
                if let Some((bytes, percent)) = parse_progress(&String::from_utf8_lossy(&line)) {
                    progress(bytes, Some(percent));
                }
                line.clear();
            } else if line.len() < 512 {
                line.push(byte);
            }
        }
    }
}

/// `      1,234,567  45%   12.34MB/s    0:00:12 (xfr#3, to-chk=0/10)` → (1234567, 45).
fn parse_progress(line: &str) -> Option<(u64, u8)> {
    let mut words = line.split_whitespace();
    let bytes = words.next()?.replace(',', "").parse().ok()?;
    let percent = words.next()?.strip_suffix('%')?.parse().ok()?;
    Some((bytes, percent))
}

async fn read_tail(mut stderr: tokio::process::ChildStderr) -> Vec<String> {
    let mut text = Vec::new();
    let mut buffer = [0u8; 4096];
    let mut tail: VecDeque<u8> = VecDeque::new();
    while let Ok(n) = stderr.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        tail.extend(&buffer[..n]);
        while tail.len() > 8192 {
            tail.pop_front();
        }
    }
    text.extend(tail);
    let text = String::from_utf8_lossy(&text).into_owned();
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(crate::output::terminal_safe)
        .collect();
    lines.into_iter().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_without_the_api_port() {
        assert_eq!(host_part("upgrade-3.odoo.com"), "upgrade-3.odoo.com");
        assert_eq!(host_part("127.0.0.1:8443"), "127.0.0.1");
        assert_eq!(host_part("[::1]:8443"), "[::1]");
        assert_eq!(host_part("[::1]"), "[::1]");
    }

    #[test]
    fn progress_lines() {
        assert_eq!(
            parse_progress("      1,234,567  45%   12.34MB/s    0:00:12 (xfr#3, to-chk=0/10)"),
            Some((1_234_567, 45))
        );
        assert_eq!(parse_progress("sending incremental file list"), None);
    }

    #[test]
    fn only_plain_names_are_downloaded() {
        assert!(require_plain_name("upgraded.dump").is_ok());
        for bad in ["../x", "/etc/passwd", "-e sh", ".ssh", "a b", ""] {
            assert!(require_plain_name(bad).is_err(), "{bad}");
        }
    }
}
