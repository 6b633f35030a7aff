//! pg_dump for a backup: its compression flag, its progress read off the file it writes, and
//! the `dump` format (pg_dump's own custom file).

use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context as _, Result};

use crate::archive::crypt::Recipients;
use crate::archive::output::Destination;
use crate::cli::Compression;
use crate::context::Context;
use crate::pg::tools::Tool;

use super::{DumpReport, Request, Written};

/// What a failed pg_dump left: nothing.
pub(super) const NO_BACKUP: &str = "no backup was made; the message above is pg_dump's";

pub(super) fn pg_dump_level(compression: Compression) -> Option<&'static str> {
    match compression {
        Compression::Fast => Some("-Z1"),
        Compression::Default => None,
        Compression::Best => Some("-Z9"),
    }
}

/// Moves `bar` along with the size of the file pg_dump is writing.
pub(super) fn watch_size(bar: &indicatif::ProgressBar, path: &Path) -> tokio::task::JoinHandle<()> {
    let (bar, path) = (bar.clone(), path.to_path_buf());
    tokio::spawn(async move {
        loop {
            if let Ok(meta) = std::fs::metadata(&path) {
                bar.set_position(meta.len());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    })
}

/// The `dump` format: pg_dump's custom format, as Odoo's "dump" backups.
pub(super) async fn write_dump(
    ctx: &Context,
    db: &str,
    request: &Request,
    tool: &Tool,
    destination: &Destination,
    pg_dump_version: String,
) -> Result<Written> {
    let step = Instant::now();
    let mut command = tool.command(db)?;
    command.args(["--format=custom", "--no-owner"]);
    if let Some(level) = pg_dump_level(request.compression) {
        command.arg(level);
    }
    let bar = ctx.printer.bar(0, "{spinner} pg_dump {bytes} {bytes_per_sec} {elapsed}");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    // pg_dump writes its standard output: the temporary file, or a named pipe or a device; only
    // `-o -` (or stdout under another name) is our stdout, which a stream's dump must never go
    // to (a cron mail, a log). A descriptor rather than `--file NAME`: a pg_dump that outlives
    // a killed run cannot recreate a name the next run's sweep removed. Custom format seeks in
    // a regular file on stdout as in one it opened, so the data offsets are written.
    // Encrypted, it always passes through the archive writer, which encrypts.
    let encrypt = request.encrypt.as_ref();
    let size = match (destination.stream_file().filter(|_| encrypt.is_none()), destination) {
        (Some(file), _) => {
            let file = file.try_clone().context("cannot write the archive")?;
            command.stdout(Stdio::from(file));
            direct(ctx, command, destination, &bar).await?
        }
        (None, Destination::Stdout { .. }) if encrypt.is_none() => {
            command.stdout(Stdio::inherit());
            direct(ctx, command, destination, &bar).await?
        }
        // An upload, or an encrypted dump: pg_dump's output passes through the archive writer.
        (None, _) => through_writer(ctx, command, destination, encrypt, &bar).await?,
    };
    Ok(Written {
        size,
        dump: DumpReport {
            format: "custom",
            path: None,
            bytes: size,
            sha256: None,
            seconds: step.elapsed().as_secs_f64(),
            pg_dump_version,
        },
        files: None,
        missing: Vec::new(),
    })
}

/// pg_dump writes the file (or pipe, or stdout) itself; returns the size it wrote.
async fn direct(
    ctx: &Context,
    command: tokio::process::Command,
    destination: &Destination,
    bar: &indicatif::ProgressBar,
) -> Result<u64> {
    let watch = destination.temp_path().map(|path| watch_size(bar, path));
    let result = crate::pg::dump::run(&ctx.cancel, command, NO_BACKUP).await;
    if let Some(watch) = watch {
        watch.abort();
    }
    // Cleared now: the watcher's copy of the bar goes only when its task is reaped, after the
    // error would have been printed under a bar still standing.
    bar.finish_and_clear();
    result?;
    Ok(destination.temp_path().and_then(|p| std::fs::metadata(p).ok()).map_or(0, |m| m.len()))
}

/// pg_dump writes into a pipe that a blocking thread copies into the archive writer (an
/// upload, an encryption); returns the size stored.
async fn through_writer(
    ctx: &Context,
    mut command: tokio::process::Command,
    destination: &Destination,
    encrypt: Option<&Recipients>,
    bar: &indicatif::ProgressBar,
) -> Result<u64> {
    let (mut reader, writer) = std::io::pipe().context("cannot make a pipe for pg_dump")?;
    command.stdout(Stdio::from(writer));
    let mut out = destination.writer(encrypt)?;
    let (bar_copy, cancel) = (bar.clone(), ctx.cancel.clone());
    let copy = tokio::task::spawn_blocking(move || -> Result<u64> {
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            cancel.check()?;
            let n = std::io::Read::read(&mut reader, &mut buffer)
                .context("cannot read pg_dump's output")?;
            if n == 0 {
                break;
            }
            std::io::Write::write_all(&mut out, &buffer[..n])
                .context("cannot write the archive")?;
            bar_copy.inc(n as u64);
        }
        out.finish()
    });
    // `command` (and the pipe's write end it holds) goes when pg_dump is done, so the copy
    // sees the end of its output.
    let dumped = crate::pg::dump::run(&ctx.cancel, command, NO_BACKUP).await;
    let copied = copy.await.context("the archive writer stopped unexpectedly")?;
    bar.finish_and_clear();
    // The writer's failure first: pg_dump then only saw its reader go away.
    let size = copied?;
    dumped?;
    Ok(size)
}
