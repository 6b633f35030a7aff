//! What `upgrade test`, `production` and `resume` share: the options resolved once, the
//! preflight, the platform request driven from wherever it is to the downloaded result, the
//! local command run once per major version, the dump, and the restore of a result into the
//! install's temporary database and folder.

use std::os::fd::AsFd as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::check;
use crate::cli::{UpgradeEngine, UpgradeRunArgs};
use crate::context::Context;
use crate::error::{Failure, usage_error};
use crate::filestore::{self, Owner, Requested};
use crate::odoo;
use crate::pg::admin;
use crate::pg::load::{self, Loader};
use crate::pg::tools::Tool;
use crate::safe::install::Install;
use crate::secret::Secret;
use crate::upgrade::keys;
use crate::upgrade::platform::{Aim, LogDecoder, Platform, Transfer};
use crate::upgrade::state::{self, RequestState};
use crate::upgrade::target::Series;
use crate::upgrade::transfer::{self, Endpoint};

/// The dump sent to the platform, in the work folder (the name the official client uses).
const DUMP_NAME: &str = "origin.dump";
/// Where the platform's result lands in the work folder.
const RESULT_DIR: &str = "result";

/// The options of a run, resolved (flags, then settings, then defaults).
pub(super) struct Resolved {
    pub target: Series,
    pub engine: UpgradeEngine,
    pub command: Option<String>,
    pub contract_flag: Option<String>,
    pub addons_path: Vec<PathBuf>,
    pub work_dir: PathBuf,
    pub jobs: u32,
    pub env: Vec<String>,
    pub data_user: String,
    pub data_path: String,
    pub poll: Duration,
    pub platform: crate::upgrade::platform::Options,
}

impl Resolved {
    pub fn new(ctx: &Context, db: &str, args: &UpgradeRunArgs) -> Result<Self> {
        let target = check::parse_target(&args.target)?;
        check::require_addons_dirs(&args.addons_path)?;
        match (args.engine, &args.upgrade_command) {
            (UpgradeEngine::Command, None) => {
                return Err(usage_error(
                    "--engine command needs --upgrade-command",
                    "give the program that upgrades the copy, e.g. --upgrade-command './upgrade.sh'",
                ));
            }
            (UpgradeEngine::Command, Some(command)) => require_program(command)?,
            (UpgradeEngine::Platform, Some(_)) => {
                return Err(usage_error(
                    "--upgrade-command is only used with --engine command",
                    "add --engine command, or leave --upgrade-command out",
                ));
            }
            _ => {}
        }
        let mut env = args.env.clone();
        if let Some(file) = &args.env_file {
            let text = std::fs::read_to_string(file).map_err(|e| {
                Failure::usage(format!("cannot read --env-file {}: {e}", file.display()))
            })?;
            env.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .map(String::from),
            );
        }
        for pair in &env {
            let valid = pair.split_once('=').is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if !valid {
                // Only the key: the value may be a secret.
                let key = pair.split('=').next().unwrap_or_default();
                return Err(usage_error(
                    format!(
                        "the environment entry {:?}… is not KEY=VALUE",
                        crate::output::terminal_safe(&key.chars().take(40).collect::<String>())
                    ),
                    "write each as NAME=value (--env, or one per line in --env-file)",
                ));
            }
        }
        if !(args.poll_interval > 0.0 && args.poll_interval <= 3600.0) {
            return Err(usage_error("--poll-interval must be between 0 and 3600 seconds", ""));
        }
        let settings = &ctx.config.settings.upgrade;
        Ok(Self {
            target,
            engine: args.engine,
            command: args.upgrade_command.clone(),
            contract_flag: args.contract.clone(),
            addons_path: args.addons_path.clone(),
            work_dir: args
                .work_dir
                .clone()
                .unwrap_or_else(|| std::env::temp_dir().join(format!("odoodb-upgrade-{db}"))),
            jobs: args.jobs.unwrap_or_else(default_jobs),
            env,
            data_user: args
                .data_server_user
                .clone()
                .unwrap_or_else(|| settings.data_server_user.clone()),
            data_path: args
                .data_server_path
                .clone()
                .unwrap_or_else(|| settings.data_server_path.clone()),
            poll: Duration::from_secs_f64(args.poll_interval),
            platform: super::platform_options(ctx, &args.platform),
        })
    }

    pub fn uses_platform(&self) -> bool {
        self.engine == UpgradeEngine::Platform
    }
}

pub(super) fn default_jobs() -> u32 {
    std::thread::available_parallelism()
        .map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
        .clamp(1, 16)
}

/// The preflight of `upgrade check`; blockers stop the run (exit 4) with the table shown.
pub(super) async fn preflight(ctx: &Context, db: &str, run: &Resolved) -> Result<()> {
    ctx.printer.status(&format!("Checking {db} for the upgrade to {} …", run.target));
    let inputs = check::Inputs {
        db,
        target: &run.target,
        contract: run.contract_flag.as_deref(),
        addons_path: &run.addons_path,
        write_stubs: None,
        work_dir: run.work_dir.clone(),
        platform: run.uses_platform(),
    };
    let report = check::assess(ctx, &inputs).await?;
    if report.blockers > 0 {
        if !ctx.printer.is_json() {
            check::print(ctx, &report)?;
        }
        return Err(Failure::check_failed(format!(
            "{db} cannot be upgraded to {} yet: {} blocker(s) found by the preflight{}",
            run.target,
            report.blockers,
            if ctx.printer.is_json() { "" } else { " (above)" }
        ))
        .hint(format!(
            "`odoodb upgrade check {db} --target {}{}` shows them",
            run.target,
            if run.uses_platform() { "" } else { " --engine command" }
        ))
        .into());
    }
    Ok(())
}

/// The contract: flag, settings, then the database's own code. Never printed.
pub(super) async fn contract(
    ctx: &Context,
    flag: Option<&str>,
    client: &crate::pg::Client,
) -> Result<Secret> {
    if let Some(code) = flag.map(str::trim).filter(|c| !c.is_empty()) {
        return Ok(Secret::new(code.to_string()));
    }
    if let Some(code) =
        ctx.config.settings.upgrade.contract.as_ref().filter(|c| !c.expose().trim().is_empty())
    {
        return Ok(Secret::new(code.expose().trim().to_string()));
    }
    match odoo::param(client, odoo::PARAM_ENTERPRISE_CODE).await? {
        Some(code) if !code.trim().is_empty() => Ok(Secret::new(code.trim().to_string())),
        _ => Err(Failure::failed("no contract: the platform upgrades Enterprise databases only")
            .hint("pass --contract, or use --engine command (OpenUpgrade) for a community database")
            .into()),
    }
}

/// The file that marks a folder as an upgrade's work folder: only such a folder is reused (by
/// `resume`) and removed at the end.
const WORK_MARK: &str = ".odoodb-upgrade-work";

/// The private work folder of a run (dump, download). Made here, or odoodb's own from an
/// earlier run, or empty: never a link (the default is in the shared temporary folder), never
/// another user's, never a folder of the user's files (it is removed at the end).
///
/// The returned lock is held for as long as the run uses the folder: two runs on the same
/// database (a test upgrade still waiting on the platform, then a production one) would
/// otherwise share its dump and its download, and restore each other's result.
pub(super) fn work_dir(path: &Path) -> Result<WorkLock> {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _, PermissionsExt as _};
    let refuse = |why: &str| -> anyhow::Error {
        Failure::failed(format!("the work folder {} {why}; nothing was changed", path.display()))
            .hint("choose an empty or new folder with --work-dir (it is removed at the end)")
            .into()
    };
    match path.symlink_metadata() {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
        }
        Err(error) => {
            return Err(error).with_context(|| format!("cannot look at {}", path.display()));
        }
        Ok(meta) if meta.file_type().is_symlink() => return Err(refuse("is a symbolic link")),
        Ok(meta) if !meta.is_dir() => return Err(refuse("is not a folder")),
        Ok(meta) if meta.uid() != nix::unistd::geteuid().as_raw() => {
            return Err(refuse("belongs to another user"));
        }
        Ok(_) => {
            let ours = path.join(WORK_MARK).is_file();
            let empty = std::fs::read_dir(path)
                .with_context(|| format!("cannot read {}", path.display()))?
                .next()
                .is_none();
            if !ours && !empty {
                return Err(refuse("(--work-dir) already holds files odoodb did not put there"));
            }
        }
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", path.display()))?;
    let mark = path.join(WORK_MARK);
    std::fs::write(&mark, b"odoodb upgrade work folder: removed when the upgrade is over\n")
        .with_context(|| format!("cannot write {}", mark.display()))?;
    let file =
        std::fs::File::open(&mark).with_context(|| format!("cannot open {}", mark.display()))?;
    match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(WorkLock(lock)),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Err(Failure::failed(format!(
            "the work folder {} is in use by another odoodb upgrade; nothing was changed",
            path.display()
        ))
        .hint("wait for it to end, or give this one its own --work-dir")
        .into()),
        Err((_, error)) => Err(error).with_context(|| format!("cannot lock {}", mark.display())),
    }
}

/// Held while a run uses its work folder.
pub(super) struct WorkLock(
    #[allow(dead_code, reason = "held, never read")] nix::fcntl::Flock<std::fs::File>,
);

/// Removes the database dumps of a work folder made by `work_dir` (the upload and the
/// download), keeping the platform's log and report; the folder goes too when nothing else is
/// left. Returns whether something was kept.
pub(super) fn discard_dumps(path: &Path) -> Result<bool> {
    let ours =
        path.symlink_metadata().is_ok_and(|meta| meta.is_dir()) && path.join(WORK_MARK).is_file();
    if !ours {
        return Ok(false);
    }
    filestore::remove(&path.join(DUMP_NAME))?;
    let result = path.join(RESULT_DIR);
    let mut kept = false;
    if let Ok(entries) = std::fs::read_dir(&result) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_log = name == "upgrade.log" || name == "upgrade-report.html";
            if is_log && entry.file_type().is_ok_and(|t| t.is_file()) {
                kept = true;
            } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
                filestore::remove(&entry.path())?;
            } else {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    if !kept {
        filestore::remove(path)?;
    }
    Ok(kept)
}

/// Removes a work folder made by `work_dir`; anything else is left alone.
pub(super) fn remove_work_dir(path: &Path) -> Result<()> {
    let ours =
        path.symlink_metadata().is_ok_and(|meta| meta.is_dir()) && path.join(WORK_MARK).is_file();
    if ours { filestore::remove(path) } else { Ok(()) }
}

/// `pg_dump --no-owner -Fd --jobs N` of `db` into `<work>/origin.dump` (replacing an older
/// one). Odoo may keep running: pg_dump reads one consistent snapshot.
pub(super) async fn dump(ctx: &Context, db: &str, work: &Path, jobs: u32) -> Result<PathBuf> {
    let target = work.join(DUMP_NAME);
    filestore::remove(&target)?;
    let tool = Tool::find("pg_dump", ctx.config.pg_path.as_deref(), &ctx.params)?;
    ctx.printer.status(&format!("Dumping {db} (pg_dump -Fd, {jobs} jobs) …"));
    let bar = ctx.printer.bar(0, "{spinner} dump {elapsed} {msg}");
    let mut command = tool.command(db);
    command
        .args(["--no-owner", "--format=directory"])
        .arg(format!("--jobs={jobs}"))
        .arg("--file")
        .arg(&target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let result = run_child(ctx, command, "pg_dump").await;
    bar.finish_and_clear();
    if let Err(error) = result {
        let _ = filestore::remove(&target);
        return Err(error);
    }
    Ok(target)
}

/// Runs a program to its end; Ctrl-C kills it (exit 130). Its last error lines make the error.
async fn run_child(ctx: &Context, mut command: tokio::process::Command, name: &str) -> Result<()> {
    command.kill_on_drop(true);
    let child = command.spawn().with_context(|| format!("cannot run {name}"))?;
    let output = child.wait_with_output();
    tokio::pin!(output);
    let output = tokio::select! {
        output = &mut output => output.with_context(|| format!("{name} did not finish"))?,
        () = ctx.cancel.wait() => return Err(Failure::interrupted().into()),
    };
    if output.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = tail[tail.len().saturating_sub(3)..].join(" / ");
    Err(Failure::failed(format!(
        "{name} failed ({}): {}",
        output.status,
        crate::output::terminal_safe(&tail)
    ))
    .into())
}

/// A request on the platform, and what is stored of it.
pub(super) struct Remote {
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
            "another odoodb run is already working on the {} upgrade request of {db}; nothing was changed",
            aim.as_str()
        ))
        .hint("wait for it to end (`odoodb upgrade status` shows where it is)")
        .into()),
        Err((_, error)) => Err(error).with_context(|| format!("cannot lock {}", path.display())),
    }
}

/// What the platform gave back, in the work folder.
pub(super) struct Downloaded {
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
        let dir = super::state_dir()?;
        let lock = lock_request(&dir, db, aim)?;
        let stem = format!("{db}-{}", aim.as_str());
        let pair = keys::generate(&dir, &stem).await?;
        let main = Platform::new(&run.platform)?;
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
        platform: &crate::cli::PlatformArgs,
    ) -> Result<Self> {
        let dir = super::state_dir()?;
        let lock = lock_request(&dir, db, aim)?;
        let state = state::load(&dir, db, Some(aim))?;
        let platform =
            Platform::new(&super::platform_options(ctx, platform))?.at_host(&state.host)?;
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

/// Creates `db` as Odoo does (encoding, collation, extensions), owned by `owner`.
pub(super) async fn create_odoo_database(
    ctx: &Context,
    admin_client: &crate::pg::Client,
    db: &str,
    owner: &str,
) -> Result<()> {
    admin_client
        .batch_execute(&admin::create_like_odoo_sql(db, owner))
        .await
        .with_context(|| format!("cannot create the database {db}"))?;
    let unaccent = odoo::is_true(ctx.config.odoo_conf.as_ref().and_then(|c| c.get("unaccent")));
    let client = ctx.connect(db).await?;
    client
        .batch_execute(&admin::odoo_extensions_sql(unaccent))
        .await
        .context("cannot create the extensions Odoo needs (pg_trgm)")
}

/// `pg_restore --jobs` of a `-Fd` dump into `db` (which exists, empty), as `owner`.
pub(super) async fn restore_dump(
    ctx: &Context,
    dump: &Path,
    what: &str,
    db: &str,
    owner: &str,
    jobs: u32,
) -> Result<()> {
    let loader = Loader {
        psql: Tool::find("psql", ctx.config.pg_path.as_deref(), &ctx.params)?,
        pg_restore: Tool::find("pg_restore", ctx.config.pg_path.as_deref(), &ctx.params)?,
        role: (owner != ctx.params.user).then(|| owner.to_string()),
        jobs,
        cancel: ctx.cancel.clone(),
    };
    ctx.printer.status(&format!("Restoring {what} ({jobs} jobs) …"));
    let bar = ctx.printer.bar(0, "{spinner} restore {elapsed}");
    let (dump, db) = (dump.to_path_buf(), db.to_string());
    let outcome =
        tokio::task::spawn_blocking(move || loader.pg_restore(&db, load::Archive::Path(&dump)))
            .await
            .context("the restore stopped unexpectedly");
    bar.finish_and_clear();
    outcome?
}

/// The grant Odoo 17+ makes on a new database, when the result is 17 or later.
pub(super) async fn grant_like_odoo(client: &crate::pg::Client) -> Result<()> {
    let series = odoo::base_version(client).await?.as_deref().and_then(odoo::version::series);
    let major = series.as_deref().and_then(Series::parse).map(|s| s.major);
    if major.is_some_and(|m| m >= 17) {
        client
            .batch_execute(admin::GRANT_PUBLIC_SCHEMA_SQL)
            .await
            .context("cannot grant CREATE on schema public, as Odoo 17+ does")?;
    }
    Ok(())
}

/// The original's filestore, hard-linked (else copied) into the install's folder, with the
/// platform's new files merged in, owned like the filestore root.
pub(super) async fn build_filestore(
    ctx: &Context,
    original: &Path,
    install: &Install<'_, '_>,
    from_platform: Option<&Path>,
) -> Result<filestore::CopyStats> {
    let folder = install.building_folder();
    let root = ctx.filestore_root();
    // Made already (before the upgrade program ran, which needs the files): only merge.
    let already_made = folder.symlink_metadata().is_ok();
    if already_made {
        filestore::require_folder_or_absent(&folder, "the copy's filestore")?;
    } else if original.is_dir() {
        let mode = filestore::resolve_mode(Requested::Auto, original, &root)?
            .unwrap_or(filestore::Mode::Copy);
        ctx.printer.status(&format!("Filestore: {} of {} …", mode.as_str(), original.display()));
        let (source, target) = (original.to_path_buf(), folder.clone());
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&cancel);
        let work = tokio::task::spawn_blocking(move || {
            filestore::copy_tree(&source, &target, mode, &flag, &|_| {})
        });
        tokio::pin!(work);
        let result = tokio::select! {
            result = &mut work => result,
            () = ctx.cancel.wait() => {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
                work.await
            }
        };
        result.context("the filestore copy stopped unexpectedly")??;
    } else {
        let owner = filestore::owner_like_root(&root)?;
        std::fs::create_dir(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        owner.apply(&folder)?;
    }
    ctx.check_interrupt()?;
    if let Some(new_files) = from_platform {
        let owner = Owner::of(
            &std::fs::metadata(&folder)
                .with_context(|| format!("cannot stat {}", folder.display()))?,
        );
        adopt(new_files, owner)?;
        filestore::merge_into(new_files, &folder)?;
    }
    let usage = filestore::measure(&folder)?;
    Ok(filestore::CopyStats { files: usage.files, bytes: usage.bytes })
}

/// Gives a downloaded tree the filestore's owner and modes, refusing anything but folders and
/// files (the platform has no business sending links).
fn adopt(dir: &Path, owner: Owner) -> Result<()> {
    owner.apply(dir)?;
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let kind =
            entry.file_type().with_context(|| format!("cannot stat {}", entry.path().display()))?;
        if kind.is_dir() {
            adopt(&entry.path(), owner)?;
        } else if kind.is_file() {
            owner.for_files().apply(&entry.path())?;
        } else {
            return Err(Failure::failed(format!(
                "the platform's filestore holds {}, which is not a plain file",
                entry.path().display()
            ))
            .into());
        }
    }
    Ok(())
}

/// One run of the local upgrade program: from which series to which.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Hop {
    pub from: String,
    pub to: String,
}

/// The hops from `current` to `target`: one per major (OpenUpgrade's way), or one straight to
/// a `saas~` target or the next major.
pub(super) fn hops(current: &Series, target: &Series) -> Vec<Hop> {
    if target.saas || target.major <= current.major + 1 {
        return vec![Hop { from: current.to_string(), to: target.to_string() }];
    }
    let mut hops = Vec::new();
    let mut from = current.to_string();
    for major in current.major + 1..=target.major {
        let to = format!("{major}.0");
        hops.push(Hop { from: from.clone(), to: to.clone() });
        from = to;
    }
    hops
}

/// Runs the upgrade command once per hop against `db`; after each, base must be at the hop's
/// version (a program that exits 0 without upgrading is a failure too).
pub(super) async fn run_hops(ctx: &Context, run: &Resolved, db: &str, hops: &[Hop]) -> Result<()> {
    for index in 0..hops.len() {
        run_hop(ctx, run, db, hops, index).await?;
    }
    Ok(())
}

/// Runs hop `index` of `hops` against `db`.
pub(super) async fn run_hop(
    ctx: &Context,
    run: &Resolved,
    db: &str,
    hops: &[Hop],
    index: usize,
) -> Result<()> {
    let command = run.command.as_deref().unwrap_or_default();
    let hop = &hops[index];
    let label = format!("hop {}/{} ({} → {})", index + 1, hops.len(), hop.from, hop.to);
    ctx.printer.status(&format!("Upgrading, {label}: {command}"));
    let started = Instant::now();
    let extra = [("ODOODB_TARGET", hop.to.as_str()), ("ODOODB_FROM", hop.from.as_str())];
    let result = run_shell(ctx, command, db, &extra).await;
    let stopped = |error: anyhow::Error| {
        let done = if index == 0 {
            String::new()
        } else {
            format!(" (the hops before it succeeded, up to {})", hop.from)
        };
        error.context(format!("the upgrade stopped at {label}{done}"))
    };
    result.map_err(stopped)?;
    let client = ctx.connect(db).await?;
    let now = odoo::base_version(&client).await?;
    let series = now.as_deref().and_then(odoo::version::series);
    if series.as_deref() != Some(hop.to.as_str()) {
        return Err(stopped(
            Failure::failed(format!(
                "the command exited 0, but module base is at {} instead of {}",
                now.as_deref().unwrap_or("nothing"),
                hop.to
            ))
            .into(),
        ));
    }
    ctx.printer.verbose(1, &format!("{label} done in {:.1}s", started.elapsed().as_secs_f64()));
    Ok(())
}

/// Runs a user's shell command with the database's connection in its environment: the
/// password in a private password file, never in argv nor in PGPASSWORD.
pub(super) async fn run_shell(
    ctx: &Context,
    command: &str,
    db: &str,
    extra: &[(&str, &str)],
) -> Result<()> {
    run_shell_until(ctx, command, db, extra, Some(&ctx.cancel)).await
}

/// Runs a command that must run even after Ctrl-C (starting the service again).
pub(super) async fn run_shell_to_the_end(ctx: &Context, command: &str, db: &str) -> Result<()> {
    run_shell_until(ctx, command, db, &[], None).await
}

async fn run_shell_until(
    ctx: &Context,
    command: &str,
    db: &str,
    extra: &[(&str, &str)],
    cancel: Option<&crate::cancel::Cancel>,
) -> Result<()> {
    let psql = Tool::find("psql", ctx.config.pg_path.as_deref(), &ctx.params)?;
    let mut child = psql.command(db);
    // The connection environment of the pg tools, with the shell as the program.
    let std_command = child.as_std_mut();
    let envs: Vec<(std::ffi::OsString, Option<std::ffi::OsString>)> = std_command
        .get_envs()
        .map(|(k, v)| (k.to_os_string(), v.map(std::ffi::OsStr::to_os_string)))
        .collect();
    let mut shell = tokio::process::Command::new("sh");
    shell.arg("-c").arg(command);
    for (key, value) in envs {
        match value {
            Some(value) => shell.env(key, value),
            None => shell.env_remove(key),
        };
    }
    shell
        .env("ODOODB_DB", db)
        .env("ODOODB_DATA_DIR", &ctx.config.data_dir.value)
        .env("ODOODB_FILESTORE", ctx.filestore(db))
        .stdin(std::process::Stdio::null())
        // A group of its own: at Ctrl-C the whole program (odoo-bin and its workers, not just
        // the shell) is stopped, by us, before the copy it works on is dropped.
        .process_group(0)
        .kill_on_drop(true);
    for (key, value) in extra {
        shell.env(key, value);
    }
    // Its output is the user's to see, on stderr (stdout stays for --json).
    if let Ok(stderr) = std::io::stderr().as_fd().try_clone_to_owned() {
        shell.stdout(std::process::Stdio::from(stderr));
    }
    let mut process = shell.spawn().context("cannot run sh")?;
    let group = process.id().and_then(|id| i32::try_from(id).ok()).map(nix::unistd::Pid::from_raw);
    let cancelled = async {
        match cancel {
            Some(cancel) => cancel.wait().await,
            None => std::future::pending().await,
        }
    };
    let status = tokio::select! {
        status = process.wait() => status.context("the command did not finish")?,
        () = cancelled => {
            if let Some(group) = group {
                let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGTERM);
                let ended = tokio::time::timeout(Duration::from_secs(10), process.wait()).await;
                if ended.is_err() {
                    let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
                }
            }
            let _ = process.kill().await;
            return Err(Failure::interrupted().into());
        }
    };
    if !status.success() {
        return Err(Failure::failed(format!("`{command}` failed ({status})")).into());
    }
    Ok(())
}

/// The upgrade command must name a program that is there: found after a long dump and
/// restore, a typo would cost the user their time.
fn require_program(command: &str) -> Result<()> {
    let Some(program) = command.split_whitespace().next() else {
        return Err(usage_error(
            "--upgrade-command is empty",
            "give the program that upgrades the copy, e.g. --upgrade-command './upgrade.sh'",
        ));
    };
    // A shell word with quotes, variables or operators is the shell's to read.
    if program.contains(['\'', '"', '$', '`', '=', '(', ';', '&', '|', '<', '>']) {
        return Ok(());
    }
    let found = if program.contains('/') {
        Path::new(program).is_file()
    } else {
        is_shell_builtin(program)
            || std::env::var_os("PATH").is_some_and(|path| {
                std::env::split_paths(&path).any(|dir| dir.join(program).is_file())
            })
    };
    if found {
        Ok(())
    } else {
        Err(usage_error(
            format!("the upgrade command's program {program:?} was not found"),
            "give its path, or check PATH",
        ))
    }
}

fn is_shell_builtin(word: &str) -> bool {
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
