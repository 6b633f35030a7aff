//! The tar.gz and the zip: pg_dump's output and the filestore's files streamed into one archive
//! on blocking threads, Ctrl-C stopping the writer (and pg_dump) at its next write.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use crate::archive::BackupFormat;
use crate::archive::Manifest;
use crate::archive::files::{self, Listing};
use crate::archive::manifest::{DumpPart, FilestorePart, Ours};
use crate::archive::output::Destination;
use crate::archive::{tar_gz, zip};
use crate::context::Context;
use crate::error::Failure;
use crate::fault;
use crate::pg::tools::Tool;

use super::pg_dump::{NO_BACKUP, watch_size};
use super::{DumpReport, FilesReport, FilestorePlan, Request, Written, level};
use crate::pg::dump::{self as pg_dump, ChildGuard, Messages};

/// A tar.gz or zip in the making.
pub(super) struct Archive<'a> {
    pub(super) ctx: &'a Context,
    pub(super) db: &'a str,
    pub(super) request: &'a Request,
    pub(super) tool: &'a Tool,
    pub(super) spool_dir: PathBuf,
    pub(super) plan: &'a FilestorePlan,
}

pub(super) type ListingTask = tokio::task::JoinHandle<Result<Option<Listing>>>;

impl Archive<'_> {
    #[allow(clippy::too_many_lines, reason = "each format's steps read in order")]
    pub(super) async fn write(
        &self,
        destination: &Destination,
        listing_task: ListingTask,
        manifest: &mut Manifest,
        ours: &mut Ours,
    ) -> Result<Written> {
        let out = destination.writer(self.request.encrypt.as_ref())?;
        // pg_dump's output has no size known in advance (the database's size is not it): a
        // count of what it wrote; the archive's copy of the dump then has an exact total.
        let pg_dump_bar =
            self.ctx.printer.bar(0, "{spinner} pg_dump   {bytes} {bytes_per_sec} {elapsed}");
        pg_dump_bar.enable_steady_tick(std::time::Duration::from_millis(120));
        let dump_bar = self.ctx.printer.bar(
            0,
            "{spinner} dump      [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        );
        let pg_dump_version = ours.pg_dump_version.clone();
        match self.request.format {
            BackupFormat::TarGz => {
                // The manifest comes first and carries the dump's checksum, and a tar entry
                // announces its size: the dump is made whole first, beside the target. pg_dump
                // writes it uncompressed (-Z0) into a seekable file (so pg_restore --jobs can
                // restore it in parallel), and the archive compresses it once, on every core.
                let step = Instant::now();
                let spool = tempfile::Builder::new()
                    .prefix(&format!("{}dump.", destination.run().prefix()))
                    .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
                    .tempfile_in(&self.spool_dir)
                    .with_context(|| {
                        format!("cannot create a file in {}", self.spool_dir.display())
                    })?;
                let mut command = self.tool.command(self.db)?;
                // Its standard output, not `--file NAME` (see write_dump).
                command.args(["--format=custom", "--no-owner", "-Z0"]).stdout(Stdio::from(
                    spool.as_file().try_clone().context("cannot write the dump")?,
                ));
                let watch = watch_size(&pg_dump_bar, spool.path());
                // The filestore is walked while pg_dump runs.
                let (dumped, listing) =
                    tokio::join!(pg_dump::run(&self.ctx.cancel, command, NO_BACKUP), listing_task);
                watch.abort();
                pg_dump_bar.finish_and_clear();
                dumped?;
                let listing = listing.context("the filestore walk stopped")??;
                let dump_path = spool.path().to_path_buf();
                let sha = tokio::task::spawn_blocking(move || files::sha256_file(&dump_path))
                    .await
                    .context("hashing the dump stopped")??;
                let dump_bytes = std::fs::metadata(spool.path()).map_or(0, |m| m.len());
                ours.dump = DumpPart {
                    path: "dump.pgdump".into(),
                    format: "custom".into(),
                    bytes: dump_bytes,
                    sha256: sha.clone(),
                };
                ours.filestore = self.filestore_part(listing.as_ref());
                manifest.odoodb = Some(ours.clone());
                let text =
                    serde_json::to_vec_pretty(manifest).context("cannot encode the manifest")?;
                dump_bar.set_length(dump_bytes);
                let dump_seconds_so_far = step.elapsed().as_secs_f64();
                let files_bar = self.files_bar(listing.as_ref());
                let options = tar_gz::Options {
                    level: level(self.request.compression),
                    jobs: self.request.jobs,
                    cancel: self.ctx.cancel.clone(),
                    mtime: u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0),
                };
                let step = Instant::now();
                let handle = tokio::runtime::Handle::current();
                let cancel_signal = self.ctx.cancel.clone();
                let spool_path = spool.path().to_path_buf();
                let result = self
                    .blocking(move || {
                        let mut in_archive = 0.0;
                        let mut between = || {
                            in_archive = step.elapsed().as_secs_f64();
                            handle.block_on(fault::point("backup:after-dump", &cancel_signal))
                        };
                        let (out, stats) = tar_gz::write(
                            out,
                            &text,
                            (&spool_path, "dump.pgdump"),
                            listing.as_ref(),
                            &options,
                            &dump_bar,
                            &files_bar,
                            &mut between,
                        )?;
                        Ok((out.finish()?, stats, listing, in_archive))
                    })
                    .await?;
                drop(spool);
                let (size, stats, listing, in_archive) = result;
                let dump_seconds = dump_seconds_so_far + in_archive;
                Ok(Written {
                    size,
                    dump: DumpReport {
                        format: "custom",
                        path: Some("dump.pgdump".into()),
                        bytes: dump_bytes,
                        sha256: Some(sha),
                        seconds: dump_seconds,
                        pg_dump_version,
                    },
                    missing: listing.as_ref().map(|l| l.missing.clone()).unwrap_or_default(),
                    files: self.files_report(
                        listing.as_ref(),
                        stats,
                        step.elapsed().as_secs_f64() - in_archive,
                    ),
                })
            }
            BackupFormat::Zip => {
                // dump.sql comes first in Odoo's zips: pg_dump streams straight into it.
                let listing = listing_task.await.context("the filestore walk stopped")??;
                let files_bar = self.files_bar(listing.as_ref());
                ours.dump.path = "dump.sql".into();
                ours.dump.format = "plain".into();
                ours.filestore = self.filestore_part(listing.as_ref());
                let mut command = self.tool.command(self.db)?;
                command.args(["--format=plain", "--no-owner"]);
                let (messages, stderr) = Messages::new()?;
                command
                    .as_std_mut()
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::from(stderr));
                let options = zip::Options {
                    level: level(self.request.compression),
                    jobs: self.request.jobs,
                    cancel: self.ctx.cancel.clone(),
                    dos: zip::dos_time(&chrono::Local::now().naive_local()),
                };
                let pid = Arc::new(AtomicU32::new(0));
                let (child_pid, handle, cancel_signal) =
                    (Arc::clone(&pid), tokio::runtime::Handle::current(), self.ctx.cancel.clone());
                let spool_dir = self.spool_dir.clone();
                let (mut manifest, ours) = (manifest.clone(), ours.clone());
                let step = Instant::now();
                let result = self
                    .blocking_with_child(pid, move || {
                        let mut child = ChildGuard(
                            command.as_std_mut().spawn().context("cannot start pg_dump")?,
                        );
                        child_pid.store(child.0.id(), Ordering::SeqCst);
                        let mut stdout = child.0.stdout.take().context("pg_dump has no output")?;
                        let mut dump_seconds = 0.0;
                        let mut between = || {
                            dump_seconds = step.elapsed().as_secs_f64();
                            let status = child.0.wait().context("pg_dump did not finish")?;
                            if !status.success() {
                                return Err(messages.failure(status, NO_BACKUP));
                            }
                            handle.block_on(fault::point("backup:after-dump", &cancel_signal))
                        };
                        let mut make_manifest = |dump: &zip::DumpWritten| {
                            let mut ours = ours.clone();
                            ours.dump.bytes = dump.bytes;
                            ours.dump.sha256.clone_from(&dump.sha256);
                            manifest.odoodb = Some(ours);
                            serde_json::to_vec_pretty(&manifest)
                                .context("cannot encode the manifest")
                        };
                        let (out, dump, stats) = zip::write(
                            out,
                            &spool_dir,
                            &mut stdout,
                            &mut make_manifest,
                            listing.as_ref(),
                            &options,
                            &pg_dump_bar,
                            &files_bar,
                            &mut between,
                        )?;
                        Ok((out.finish()?, dump, stats, listing, dump_seconds))
                    })
                    .await?;
                let (size, dump, stats, listing, dump_seconds) = result;
                Ok(Written {
                    size,
                    dump: DumpReport {
                        format: "plain",
                        path: Some("dump.sql".into()),
                        bytes: dump.bytes,
                        sha256: Some(dump.sha256),
                        seconds: dump_seconds,
                        pg_dump_version,
                    },
                    missing: listing.as_ref().map(|l| l.missing.clone()).unwrap_or_default(),
                    files: self.files_report(
                        listing.as_ref(),
                        stats,
                        step.elapsed().as_secs_f64() - dump_seconds,
                    ),
                })
            }
            BackupFormat::Dump => bail!("the dump format has no archive"),
        }
    }

    fn filestore_part(&self, listing: Option<&Listing>) -> Option<FilestorePart> {
        match (self.plan, listing) {
            (FilestorePlan::Skip, _) => None,
            (_, Some(listing)) => Some(FilestorePart {
                files: listing.files,
                bytes: listing.bytes,
                list_sha256: listing.list_sha256.clone(),
            }),
            (_, None) => Some(FilestorePart {
                files: 0,
                bytes: 0,
                list_sha256: crate::archive::hex(&<sha2::Sha256 as sha2::Digest>::digest(b"")),
            }),
        }
    }

    fn files_bar(&self, listing: Option<&Listing>) -> indicatif::ProgressBar {
        let (total, count) = listing.map_or((0, 0), |l| (l.bytes, l.files));
        let bar = self.ctx.printer.bar(
            total,
            "{spinner} filestore [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
        );
        bar.set_message(format!("{count} files"));
        bar
    }

    fn files_report(
        &self,
        listing: Option<&Listing>,
        stats: tar_gz::FilesStats,
        seconds: f64,
    ) -> Option<FilesReport> {
        let part = self.filestore_part(listing)?;
        Some(FilesReport {
            files: part.files,
            bytes: part.bytes,
            list_sha256: part.list_sha256,
            stored_uncompressed: stats.stored,
            name_mismatches: stats.mismatched,
            skipped: listing.map_or(0, |l| l.skipped),
            skipped_examples: listing.map(|l| l.skipped_examples.clone()).unwrap_or_default(),
            seconds: seconds.max(0.0),
        })
    }

    /// Runs the archive writer on a blocking thread; Ctrl-C makes it stop at its next write.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.blocking_with_child(Arc::new(AtomicU32::new(0)), work).await
    }

    /// The same, and Ctrl-C also ends the child process whose pid is in `pid` (a pg_dump the
    /// writer is reading, which could otherwise keep it waiting).
    async fn blocking_with_child<T: Send + 'static>(
        &self,
        pid: Arc<AtomicU32>,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let task = tokio::task::spawn_blocking(work);
        tokio::pin!(task);
        let result = tokio::select! {
            result = &mut task => result,
            () = self.ctx.cancel.wait() => {
                // The writer polls the same handle and stops at its next write; pg_dump, which
                // it may be waiting for, is ended here.
                let pid = pid.load(Ordering::SeqCst);
                if pid != 0 {
                    let _ = nix::sys::signal::kill(
                        nix::unistd::Pid::from_raw(i32::try_from(pid).unwrap_or(0)),
                        nix::sys::signal::Signal::SIGTERM,
                    );
                }
                task.await
            }
        };
        let result = result.context("the archive writer stopped unexpectedly")?;
        if self.ctx.cancel.is_set() {
            return Err(Failure::interrupted().into());
        }
        result
    }
}
