//! A request on the upgrade platform, driven from wherever it is to the downloaded result.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::run::Resolved;
use super::work::{DUMP_NAME, RESULT_DIR, WorkLock};
use crate::context::Context;
use crate::error::Failure;
use crate::filestore;
use crate::secret::Secret;
use crate::upgrade::keys;
use crate::upgrade::platform::{Aim, LogDecoder, Platform, Transfer};
use crate::upgrade::state::{self, RequestState};
use crate::upgrade::transfer::{self, Endpoint};

/// A request on the platform, and what is stored of it.
pub(crate) struct Remote {
    pub state: RequestState,
    dir: PathBuf,
    platform: Platform,
    /// `process` said the local PostgreSQL cannot restore the result.
    pg_incompatible: bool,
    /// Held for the run: one request per database and aim at a time, or a second run would
    /// replace the first's key and state under it.
    _lock: WorkLock,
}

/// Locks the request of `db` for `aim` (its key and state) for this run.
fn lock_request(dir: &Path, db: &str, aim: Aim) -> Result<WorkLock> {
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{db}-{}.lock", aim.as_str()));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(WorkLock(lock)),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Err(Failure::failed(format!(
            "another odoodb run is already working on the {} upgrade request of {db}",
            aim.as_str()
        ))
        .unchanged()
        .hint("wait for it to end (`odoodb upgrade status` shows where it is)")
        .into()),
        Err((_, error)) => Err(error).with_context(|| format!("cannot lock {}", path.display())),
    }
}

/// What the platform gave back, in the work folder.
pub(crate) struct Downloaded {
    pub dump: PathBuf,
    pub filestore: Option<PathBuf>,
    pub log: Option<PathBuf>,
}

impl Remote {
    /// A new request (a fresh key pair sent with it), stored before anything else happens.
    pub async fn create(
        ctx: &Context,
        run: &Resolved,
        db: &str,
        aim: Aim,
        contract: &Secret,
    ) -> Result<Self> {
        let dir = state::default_dir()?;
        let lock = lock_request(&dir, db, aim)?;
        let stem = format!("{db}-{}", aim.as_str());
        let pair = keys::generate(&dir, &stem).await?;
        let main = Platform::new(&run.platform)?.until(&ctx.cancel);
        ctx.printer.status(&format!(
            "Requesting a {} upgrade of {db} to {} from {} …",
            aim.as_str(),
            run.target,
            main.base()
        ));
        let created = main
            .create(contract, &run.target.to_string(), aim, &pair.public_text()?, &run.env)
            .await?;
        if let Some(info) = created.info.as_deref().filter(|i| !i.trim().is_empty()) {
            ctx.printer.status(&crate::output::terminal_safe(info.trim()));
        }
        let platform = main.at_host(&created.assigned_host_uri)?;
        let state = RequestState {
            db: db.to_string(),
            aim,
            target: run.target.to_string(),
            server: run.platform.server.clone(),
            request_id: created.request_id,
            token: created.token.expose().to_string(),
            host: created.assigned_host_uri.clone(),
            private_key: pair.private,
            public_key: pair.public,
            phase: "created".to_string(),
            names: std::collections::BTreeMap::new(),
            work_dir: Some(run.work_dir.clone()),
            data_server_user: Some(run.data_user.clone()),
            data_server_path: Some(run.data_path.clone()),
            replace: false,
            created_at: chrono::Utc::now(),
        };
        let mut remote = Self { state, dir, platform, pg_incompatible: false, _lock: lock };
        remote.save("created")?;
        Ok(remote)
    }

    /// The stored request of `db`, talking to its assigned host.
    pub fn load(
        ctx: &Context,
        db: &str,
        aim: Aim,
        platform: &crate::upgrade::platform::Options,
    ) -> Result<Self> {
        let dir = state::default_dir()?;
        let lock = lock_request(&dir, db, aim)?;
        let state = state::load(&dir, db, Some(aim))?;
        let platform = Platform::new(platform)?.until(&ctx.cancel).at_host(&state.host)?;
        Ok(Self { state, dir, platform, pg_incompatible: false, _lock: lock })
    }

    pub fn save(&mut self, phase: &str) -> Result<()> {
        phase.clone_into(&mut self.state.phase);
        state::save(&self.dir, &self.state).map(drop)
    }

    fn known_hosts(&self) -> PathBuf {
        self.dir.join(format!("{}-{}.known_hosts", self.state.db, self.state.aim.as_str()))
    }

    fn work(&self) -> Result<PathBuf> {
        self.state.work_dir.clone().context("the stored request has no work folder")
    }

    /// Takes the request from wherever the platform has it to the downloaded result. The dump
    /// must be in the work folder when the platform still waits for it.
    pub async fn drive(&mut self, ctx: &Context, poll: Duration) -> Result<Downloaded> {
        let token = self.state.token();
        let status = self.platform.status(&token).await?;
        status.require_not_failed()?;
        let mut stage = status.status.clone();
        if stage == "new" {
            self.upload(ctx).await?;
            stage = "pending".into();
        }
        if stage == "pending" {
            ctx.printer.status("Starting the upgrade on the platform …");
            let compatible = self.platform.process(&token).await?;
            self.pg_incompatible = !compatible;
            self.save("processing")?;
        }
        if stage != "done" {
            self.follow(ctx, poll).await?;
        }
        self.save("done")?;
        self.download(ctx).await
    }

    async fn upload(&mut self, ctx: &Context) -> Result<()> {
        let dump = self.work()?.join(DUMP_NAME);
        if !matches!(self.state.phase.as_str(), "dumped" | "uploading" | "uploaded")
            || !dump.is_dir()
        {
            return Err(Failure::failed(format!(
                "the dump to send is not complete in {}",
                dump.display()
            ))
            .hint("run the upgrade again: a new request dumps the database again")
            .into());
        }
        let token = self.state.token();
        let info = self.platform.transfer_start(&token, Transfer::Upload).await?;
        let endpoint = self.endpoint(info.ssh_port, &info.known_hosts)?;
        self.save("uploading")?;
        let size = filestore::measure(&dump).map_or(0, |u| u.bytes);
        ctx.printer.status(&format!(
            "Uploading the dump ({}) to {} …",
            crate::output::bytes(size),
            endpoint.host
        ));
        let bar = ctx.printer.bar(100, "{spinner} upload [{bar:30}] {pos}% {msg}");
        let shown = bar.clone();
        let sent = transfer::upload(&endpoint, &dump, &ctx.cancel, &move |bytes, percent| {
            if let Some(p) = percent {
                shown.set_position(u64::from(p));
            }
            shown.set_message(crate::output::bytes(bytes));
        })
        .await;
        bar.finish_and_clear();
        sent?;
        self.platform.transfer_stop(&token).await?;
        self.save("uploaded")
    }

    fn endpoint(&self, port: u16, known_hosts: &str) -> Result<Endpoint> {
        let path = self.known_hosts();
        transfer::write_known_hosts(&path, known_hosts)?;
        Ok(Endpoint {
            user: self.state.data_server_user.clone().unwrap_or_else(|| "odoo".into()),
            host: transfer::host_part(&self.state.host).to_string(),
            port,
            known_hosts: path,
            key: self.state.private_key.clone(),
            path: self.state.data_server_path.clone().unwrap_or_else(|| "/data".into()),
        })
    }

    /// Polls the status (its phase on a spinner) and streams the log, byte for byte, until the
    /// request is done; failed and cancelled are errors with the platform's reason.
    async fn follow(&mut self, ctx: &Context, poll: Duration) -> Result<()> {
        let token = self.state.token();
        let spinner = ctx.printer.bar(0, "{spinner} platform: {msg} {elapsed}");
        let mut decoder = LogDecoder::default();
        let mut pending = String::new();
        let result = loop {
            let status = match self.platform.status(&token).await {
                Ok(status) => status,
                Err(error) => break Err(error),
            };
            spinner.set_message(status.status.clone());
            match self.platform.logs(&token, decoder.offset).await {
                Ok(bytes) => {
                    pending.push_str(&decoder.feed(&bytes));
                    while let Some(end) = pending.find('\n') {
                        let line: String = pending.drain(..=end).collect();
                        spinner.suspend(|| {
                            ctx.printer.status(&format!(
                                "  | {}",
                                crate::output::terminal_safe(line.trim_end())
                            ));
                        });
                    }
                }
                // The log is a comfort: a failed read of it does not fail the upgrade.
                Err(error) => ctx.printer.verbose(1, &format!("log: {error:#}")),
            }
            if status.is_finished() {
                break status.require_not_failed();
            }
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = ctx.cancel.wait() => break Err(Failure::interrupted().into()),
            }
        };
        spinner.finish_and_clear();
        pending.push_str(&decoder.finish());
        if !pending.trim().is_empty() {
            ctx.printer
                .status(&format!("  | {}", crate::output::terminal_safe(pending.trim_end())));
        }
        result
    }

    async fn download(&mut self, ctx: &Context) -> Result<Downloaded> {
        let token = self.state.token();
        let info = self.platform.transfer_start(&token, Transfer::Download).await?;
        let dump_name = info.dump_name.clone().unwrap_or_default();
        transfer::require_plain_name(&dump_name)?;
        let endpoint = self.endpoint(info.ssh_port, &info.known_hosts)?;
        let result_dir = self.work()?.join(RESULT_DIR);
        ctx.printer.status(&format!("Downloading the upgraded database from {} …", endpoint.host));
        let bar = ctx.printer.bar(100, "{spinner} download [{bar:30}] {pos}% {msg}");
        let shown = bar.clone();
        let names = [dump_name.as_str(), "filestore", "upgrade-report.html", "upgrade.log"];
        let fetched = transfer::download(
            &endpoint,
            &names,
            &result_dir,
            &ctx.cancel,
            &move |bytes, percent| {
                if let Some(p) = percent {
                    shown.set_position(u64::from(p));
                }
                shown.set_message(crate::output::bytes(bytes));
            },
        )
        .await;
        bar.finish_and_clear();
        fetched?;
        self.platform.transfer_stop(&token).await?;
        self.save("downloaded")?;
        let dump = result_dir.join(&dump_name);
        // rsync copies links as links: a link from the platform would make this run read, chown
        // or move a local folder of its choosing.
        for name in names {
            let path = result_dir.join(name);
            if path.symlink_metadata().is_ok_and(|meta| meta.file_type().is_symlink()) {
                return Err(Failure::failed(format!(
                    "the platform's result holds {name} as a symbolic link ({}): it is not used",
                    crate::output::terminal_safe(
                        &std::fs::read_link(&path).unwrap_or_default().display().to_string()
                    )
                ))
                .into());
            }
        }
        if !dump.exists() {
            return Err(Failure::failed(format!(
                "the platform's result has no {dump_name}: nothing to restore"
            ))
            .hint(format!("`odoodb upgrade log {}` shows what the platform did", self.state.db))
            .into());
        }
        require_plain_tree(&dump)?;
        if self.pg_incompatible {
            let server = crate::pg::admin::server_version_num(&ctx.connect_admin().await?).await?;
            return Err(Failure::failed(format!(
                "the platform says this PostgreSQL ({}) is too old to restore the upgraded database; it was downloaded to {}",
                server / 10_000,
                dump.display()
            ))
            .hint("restore it on a newer PostgreSQL (pg_restore --format=directory), or upgrade this server")
            .into());
        }
        let filestore = Some(result_dir.join("filestore")).filter(|p| p.is_dir());
        let log = Some(result_dir.join("upgrade.log")).filter(|p| p.is_file());
        Ok(Downloaded { dump, filestore, log })
    }
}

/// The downloaded dump is read by pg_restore as it is: only plain files and folders, one
/// level deep (a `-Fd` dump, or a single `-Fc` file), or a link or a device could make a root
/// run read what the platform chose.
fn require_plain_tree(dump: &Path) -> Result<()> {
    let refuse = |path: &Path| -> anyhow::Error {
        Failure::failed(format!(
            "the platform's dump holds {}, which is not a plain file: it is not used",
            crate::output::terminal_safe(&path.display().to_string())
        ))
        .into()
    };
    let meta =
        dump.symlink_metadata().with_context(|| format!("cannot stat {}", dump.display()))?;
    if meta.is_file() {
        return Ok(());
    }
    if !meta.is_dir() {
        return Err(refuse(dump));
    }
    for entry in
        std::fs::read_dir(dump).with_context(|| format!("cannot read {}", dump.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read {}", dump.display()))?;
        let kind =
            entry.file_type().with_context(|| format!("cannot stat {}", entry.path().display()))?;
        if !kind.is_file() {
            return Err(refuse(&entry.path()));
        }
    }
    Ok(())
}
