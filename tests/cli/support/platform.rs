//! A stand-in for the Odoo upgrade platform: HTTPS on 127.0.0.1 with a certificate made for
//! the test run (trusted with `--upgrade-ca`), the endpoints of protocol 0.2 as the official
//! client uses them, and every way the real one fails. It stops when dropped.
//!
//! Two ways to start it:
//! - `StandIn::start(script)`: the API only; `transfer/start` gives a canned port (2222) and
//!   known_hosts, `process` does nothing.
//! - `StandIn::with_data_server(script)`: also a real `sshd` (see `sshd.rs`) that `create`
//!   authorizes the request's key on, so the product's real `ssh`+`rsync` transfer works, and
//!   a `process` that really upgrades: the uploaded `<data>/origin.dump` (`pg_dump -Fd`) is
//!   restored into a scratch database, "upgraded" (`base`'s `latest_version` becomes
//!   `<target>.1.0`, e.g. `18.0.1.0`, and a marker table `odoodb_standin_upgraded (target,
//!   upgraded_at)` gets one row), dumped to `<data>/upgraded.dump` (`pg_dump --no-owner -Fd`),
//!   and the scratch database is dropped. It also writes a partial filestore (two new files,
//!   each named by the sha1 of its content, with their `ir_attachment` rows when the table
//!   exists), `upgrade-report.html` and `upgrade.log`, and appends to the log `logs` serves.
//!
//! Statuses follow the real life-cycle unless the script lists them: `new` until an upload is
//! stopped with `<data>/origin.dump/toc.dat` present, then `pending`; `process` → `progress`;
//! then `done`, `failed` or `cancelled` (`Script::outcome`) when the upgrade has finished
//! and its scratch database is gone.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{Value, json};

use super::sshd::{self, Sshd};
use super::{PREFIX, Server, admin, quote};

pub const GOOD_CONTRACT: &str = "M2024-STANDIN-SECRET-CONTRACT";
pub const TOKEN: &str = "tok-3f9a-standin-token";

/// How the stand-in misbehaves.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    None,
    /// Every API answer is HTML, not JSON-RPC.
    Malformed,
    /// Every answer is HTTP 500.
    Http500,
    /// Every answer comes after this long.
    Slow(Duration),
    /// After this many requests, the server closes every connection unanswered and stops
    /// listening.
    VanishAfter(usize),
    /// (Data server) `transfer/start` returns the known_hosts line of another host key:
    /// `ssh -o StrictHostKeyChecking=yes` must refuse the server.
    WrongHostKey,
    /// (Data server) the first upload's stream is cut after this many bytes (rsync fails
    /// mid-way, `--partial` keeps what arrived); later uploads go through.
    CutUpload(usize),
}

/// How the stand-in's upgrade ends (data server only).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Outcome {
    /// `upgraded.dump`, the partial filestore, the report and the log are written: `done`.
    #[default]
    Done,
    /// The upgrade stops after restoring the upload: status `failed` with this reason.
    Failed(String),
    /// The same, status `cancelled` with this reason.
    Cancelled(String),
}

/// What the stand-in says, set by the test.
#[derive(Debug, Clone)]
pub struct Script {
    /// Status answers in order, the last one repeated: (status, reason). Empty (the default):
    /// the real life-cycle, `new` → `pending` → `progress` → `done` | `failed` | `cancelled`.
    pub statuses: Vec<(String, Option<String>)>,
    /// The log at the start; the stand-in's upgrade appends its lines. Each `logs` call makes
    /// `chunk` more bytes of it visible, as a log that grows while the upgrade runs.
    pub log: Vec<u8>,
    pub chunk: usize,
    pub fault: Fault,
    pub pg_compatible: bool,
    /// How the upgrade ends (data server only).
    pub outcome: Outcome,
    /// How long the upgrade stays in `progress` before it does its work (data server only).
    pub work_time: Duration,
}

impl Default for Script {
    fn default() -> Self {
        Self {
            statuses: Vec::new(),
            log: Vec::new(),
            chunk: usize::MAX,
            fault: Fault::None,
            pg_compatible: true,
            outcome: Outcome::Done,
            work_time: Duration::ZERO,
        }
    }
}

/// What the stand-in's upgrade did.
#[derive(Debug, Clone, Default)]
pub struct Upgrade {
    /// The target of `create`.
    pub target: String,
    /// The database the upload was restored into (named `odoodbt_<pid>_standin…`).
    pub scratch_db: String,
    /// The scratch database was dropped again.
    pub scratch_dropped: bool,
    /// The upgrade's work is over (whatever its outcome); `scratch_dropped` is final.
    pub finished: bool,
    /// The status it ended with: `done`, `failed` or `cancelled`.
    pub status: String,
    /// What went wrong, for `failed` (scripted or real, e.g. pg_restore's message).
    pub reason: Option<String>,
    /// The files of the partial filestore it wrote, `xx/sha1`.
    pub filestore: Vec<String>,
}

/// A request the stand-in received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

#[derive(Default)]
struct Shared {
    script: Script,
    seen: Vec<Seen>,
    status_calls: usize,
    visible: usize,
    requests: usize,
    /// The log served by `logs`: the script's, then the upgrade's lines.
    log: Vec<u8>,
    /// The life-cycle status and reason.
    status: String,
    reason: Option<String>,
    /// The target of the last `create`.
    target: String,
    /// The kind of the last `transfer/start`.
    transfer: Option<&'static str>,
    /// The files under `origin.dump` at each `transfer/stop` after an upload.
    uploads: Vec<Vec<String>>,
    downloads: usize,
    cut_armed: bool,
    upgrade: Option<Upgrade>,
    sshd: Option<Arc<Sshd>>,
    worker: Option<JoinHandle<()>>,
}

pub struct StandIn {
    /// `https://127.0.0.1:<port>`: the main server.
    pub url: String,
    /// `127.0.0.1:<port>`: what `create` assigns.
    pub host: String,
    pub ca: PathBuf,
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    sshd: Option<Arc<Sshd>>,
}

struct Certificate {
    _dir: tempfile::TempDir,
    cert: PathBuf,
    key: PathBuf,
}

/// One certificate for the whole run, made with the openssl command.
fn certificate() -> &'static Certificate {
    static CERT: OnceLock<Certificate> = OnceLock::new();
    CERT.get_or_init(|| {
        let dir = tempfile::Builder::new().prefix("odoodb-standin-").tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        let status = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
            .args(["-nodes", "-days", "2", "-subj", "/CN=odoodb stand-in"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "openssl could not make the stand-in's certificate");
        Certificate { _dir: dir, cert, key }
    })
}

impl StandIn {
    /// The API only (no data server: canned transfer answers, `process` does nothing).
    pub fn start(script: Script) -> Self {
        Self::launch(script, None)
    }

    /// The API with a real sshd and a `process` that upgrades; `None` (after saying the test
    /// is skipped) when ssh, sshd or rsync is missing outside CI.
    pub fn with_data_server(script: Script) -> Option<Self> {
        let sshd = Sshd::start("the upgrade platform's data server")?;
        Some(Self::launch(script, Some(Arc::new(sshd))))
    }

    fn launch(script: Script, sshd: Option<Arc<Sshd>>) -> Self {
        let certificate = certificate();
        let identity = native_tls::Identity::from_pkcs8(
            &std::fs::read(&certificate.cert).unwrap(),
            &std::fs::read(&certificate.key).unwrap(),
        )
        .unwrap();
        let acceptor = Arc::new(native_tls::TlsAcceptor::new(identity).unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Mutex::new(Shared {
            log: script.log.clone(),
            script,
            status: "new".into(),
            target: String::new(),
            sshd: sshd.clone(),
            ..Shared::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (shared, stop, acceptor) =
                                (Arc::clone(&shared), Arc::clone(&stop), Arc::clone(&acceptor));
                            std::thread::spawn(move || serve(stream, &acceptor, &shared, &stop));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
                // The listener is dropped here: later connections are refused.
            })
        };
        Self {
            url: format!("https://127.0.0.1:{port}"),
            host: format!("127.0.0.1:{port}"),
            ca: certificate.cert.clone(),
            shared,
            stop,
            accept: Some(accept),
            sshd,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().unwrap().seen.clone()
    }

    /// The data server (panics for a stand-in started without one).
    pub fn data_server(&self) -> &Sshd {
        self.sshd.as_deref().expect("this stand-in was started without a data server")
    }

    /// `--data-server-user U --data-server-path P` for the product.
    pub fn data_server_args(&self) -> Vec<std::ffi::OsString> {
        self.data_server().product_args()
    }

    /// Everything that points odoodb at this stand-in: the good contract, the server and its
    /// CA, polls every `poll` seconds, and the data server.
    pub fn product_args(&self, poll: &str) -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> = vec![
            "--contract".into(),
            GOOD_CONTRACT.into(),
            "--upgrade-server".into(),
            self.url.clone().into(),
            "--upgrade-ca".into(),
            self.ca.clone().into(),
            "--poll-interval".into(),
            poll.into(),
        ];
        args.extend(self.data_server_args());
        args
    }

    /// Waits (a minute at most) until the request's status is `status`.
    pub fn wait_status(&self, status: &str) {
        let deadline = std::time::Instant::now() + Duration::from_mins(1);
        while self.status().0 != status {
            assert!(std::time::Instant::now() < deadline, "the request never reached {status}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (a minute at most) until the upgrade has started on the platform.
    pub fn wait_started(&self) {
        let deadline = std::time::Instant::now() + Duration::from_mins(1);
        while self.upgrade().is_none() {
            assert!(std::time::Instant::now() < deadline, "the upgrade never started");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The files (relative to `origin.dump`) present at each `transfer/stop` after an upload.
    pub fn uploads(&self) -> Vec<Vec<String>> {
        self.shared.lock().unwrap().uploads.clone()
    }

    /// How many downloads were started.
    pub fn downloads(&self) -> usize {
        self.shared.lock().unwrap().downloads
    }

    /// The life-cycle status as the stand-in sees it now, with its reason.
    pub fn status(&self) -> (String, Option<String>) {
        let shared = self.shared.lock().unwrap();
        (shared.status.clone(), shared.reason.clone())
    }

    /// The upgrade as it is now (`None` before `process` started one).
    pub fn upgrade(&self) -> Option<Upgrade> {
        self.shared.lock().unwrap().upgrade.clone()
    }

    /// Waits until the upgrade's work is over (its scratch database dropped or not); panics
    /// when no upgrade was started or it is still running after `timeout`.
    pub fn wait_upgrade(&self, timeout: Duration) -> Upgrade {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let upgrade = self.upgrade().expect("process never started an upgrade");
            if upgrade.finished {
                return upgrade;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the stand-in's upgrade is still running after {timeout:?}: {upgrade:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        // The upgrade ends (and drops its scratch database) before the test goes on.
        let worker = self.shared.lock().map(|mut shared| shared.worker.take()).ok().flatten();
        if let Some(worker) = worker {
            let _ = worker.join();
        }
        if let Some(sshd) = &self.sshd {
            sshd.stop();
        }
    }
}

fn serve(
    stream: TcpStream,
    acceptor: &native_tls::TlsAcceptor,
    shared: &Arc<Mutex<Shared>>,
    stop: &AtomicBool,
) {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let Ok(mut tls) = acceptor.accept(stream) else { return };
    let Some(seen) = read_request(&mut tls) else { return };
    let fault = {
        let mut shared = shared.lock().unwrap();
        shared.requests += 1;
        shared.seen.push(seen.clone());
        let fault = shared.script.fault.clone();
        if let Fault::VanishAfter(n) = fault
            && shared.requests > n
        {
            stop.store(true, Ordering::SeqCst);
            // Reset, unanswered: the server is gone.
            let _ = tls.get_ref().shutdown(std::net::Shutdown::Both);
            return;
        }
        fault
    };
    let (code, content_type, body) = match fault {
        Fault::Http500 => (500, "text/html", b"<h1>Internal Server Error</h1>".to_vec()),
        Fault::Malformed => (200, "text/html", b"<html>maintenance</html>".to_vec()),
        Fault::Slow(delay) => {
            std::thread::sleep(delay);
            answer(&seen, shared)
        }
        Fault::None | Fault::VanishAfter(_) | Fault::WrongHostKey | Fault::CutUpload(_) => {
            answer(&seen, shared)
        }
    };
    let reason = match code {
        200 => "OK",
        206 => "Partial Content",
        416 => "Range Not Satisfiable",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = tls.write_all(head.as_bytes());
    let _ = tls.write_all(&body);
    let _ = tls.flush();
    let _ = tls.shutdown();
}

fn read_request(tls: &mut native_tls::TlsStream<TcpStream>) -> Option<Seen> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let header_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = tls.read(&mut buffer).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&data[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let path = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let n = tls.read(&mut buffer).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
    }
    let body = String::from_utf8_lossy(&data[header_end..header_end + length]).into_owned();
    Some(Seen { method, path, headers, body })
}

fn rpc_result(result: &Value) -> (u16, &'static str, Vec<u8>) {
    let envelope = json!({"jsonrpc": "2.0", "id": "not_used", "result": result});
    (200, "application/json", envelope.to_string().into_bytes())
}

fn rpc_error(message: &str) -> (u16, &'static str, Vec<u8>) {
    let envelope = json!({"jsonrpc": "2.0", "id": "not_used", "error": {
        "code": 200, "message": "Odoo Server Error",
        "data": {"name": "odoo.exceptions.UserError", "message": message}}});
    (200, "application/json", envelope.to_string().into_bytes())
}

fn answer(seen: &Seen, arc: &Arc<Mutex<Shared>>) -> (u16, &'static str, Vec<u8>) {
    let mut guard = arc.lock().unwrap();
    let shared = &mut *guard;
    if seen.path.starts_with("/upgrade/request/logs") {
        let token_ok = seen.path.ends_with(&format!("?token={TOKEN}"));
        if !token_ok {
            return (403, "text/plain", b"bad token".to_vec());
        }
        let offset: usize = seen
            .header("range")
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let log = &shared.log;
        shared.visible = shared.visible.saturating_add(shared.script.chunk).min(log.len());
        if offset >= shared.visible {
            return (416, "text/plain", Vec::new());
        }
        return (206, "text/plain; charset=utf-8", log[offset..shared.visible].to_vec());
    }
    let request: Value = serde_json::from_str(&seen.body).unwrap_or_default();
    let params = &request["params"];
    if seen.path == "/upgrade/request/create" {
        if params["contract"] != GOOD_CONTRACT {
            // The platform's way for a refused request: an error inside the result.
            return rpc_result(
                &json!({"error": "Unable to find a valid subscription for this contract"}),
            );
        }
        let target = params["target"].as_str().unwrap_or_default();
        if !["17.0", "18.0", "saas~18.3"].contains(&target) {
            return rpc_error(&format!("The target version {target} is not supported"));
        }
        if let Some(sshd) = &shared.sshd {
            let Some(key) = params["ssh_key"].as_str() else {
                return rpc_error("ssh_key is missing");
            };
            sshd.authorize(key);
        }
        shared.target = target.to_string();
        let host = seen.header("host").unwrap_or_default().to_string();
        return rpc_result(&json!({"request_id": 4242, "token": TOKEN, "assigned_host_uri": host}));
    }
    if params["token"] != TOKEN {
        return rpc_error("Invalid token");
    }
    match seen.path.as_str() {
        "/upgrade/request/status" => {
            let statuses = &shared.script.statuses;
            let (status, reason) = if statuses.is_empty() {
                (shared.status.clone(), shared.reason.clone())
            } else {
                statuses[shared.status_calls.min(statuses.len() - 1)].clone()
            };
            shared.status_calls += 1;
            let host = seen.header("host").unwrap_or_default();
            rpc_result(
                &json!({"status": status, "host_uri": host, "reason": reason, "archived": false}),
            )
        }
        "/upgrade/request/process" => {
            if let Some(sshd) = shared.sshd.clone() {
                match shared.status.as_str() {
                    "new" => return rpc_error("The database has not been uploaded yet"),
                    "pending" => start_upgrade(shared, arc, sshd.data_dir()),
                    // Already running or over: calling it twice is safe.
                    _ => {}
                }
            }
            rpc_result(&json!({"is_pg_version_compatible": shared.script.pg_compatible}))
        }
        "/upgrade/request/transfer/start" => transfer_start(shared, params),
        "/upgrade/request/transfer/stop" => transfer_stop(shared),
        _ => (404, "text/plain", b"no such endpoint".to_vec()),
    }
}

/// The data server's port and host key (or canned ones without a data server); the fault of
/// a wrong host key, or a cut upload.
fn transfer_start(shared: &mut Shared, params: &Value) -> (u16, &'static str, Vec<u8>) {
    let kind = if params["transfer_type"] == "download" { "download" } else { "upload" };
    shared.transfer = Some(kind);
    let mut result = match shared.sshd.clone() {
        None => json!({"ssh_port": 2222, "known_hosts": "[127.0.0.1]:2222 ssh-ed25519 AAAAC3Nz"}),
        Some(sshd) => {
            let known_hosts = if shared.script.fault == Fault::WrongHostKey {
                format!("[127.0.0.1]:{} {}", sshd.port, sshd::foreign_host_key())
            } else {
                sshd.known_hosts.clone()
            };
            if let Fault::CutUpload(bytes) = shared.script.fault
                && kind == "upload"
                && !shared.cut_armed
            {
                sshd.cut_next_upload(bytes);
                shared.cut_armed = true;
            }
            json!({"ssh_port": sshd.port, "known_hosts": format!("{known_hosts}\n")})
        }
    };
    if kind == "download" {
        shared.downloads += 1;
        result["dump_name"] = json!(UPGRADED_DUMP);
    }
    rpc_result(&result)
}

/// After an upload: records what arrived; a complete dump (its `toc.dat` is there, which
/// rsync sends last) makes a `new` request `pending`.
fn transfer_stop(shared: &mut Shared) -> (u16, &'static str, Vec<u8>) {
    if let Some(sshd) = &shared.sshd
        && shared.transfer == Some("upload")
    {
        let origin = sshd.data_dir().join(ORIGIN_DUMP);
        shared.uploads.push(super::files_under(&origin));
        if origin.join("toc.dat").is_file() && shared.status == "new" {
            shared.status = "pending".into();
        }
    }
    shared.transfer = None;
    rpc_result(&json!({}))
}

/// What the client uploads, in the data dir.
pub const ORIGIN_DUMP: &str = "origin.dump";
/// What the upgrade writes, and `transfer/start` (download) names as `dump_name`.
pub const UPGRADED_DUMP: &str = "upgraded.dump";
/// The marker table the upgrade adds (one row: target, upgraded_at).
pub const MARKER_TABLE: &str = "odoodb_standin_upgraded";

/// `base`'s `latest_version` after the stand-in's upgrade to `target`: `<target>.1.0`.
pub fn upgraded_base_version(target: &str) -> String {
    format!("{target}.1.0")
}

/// The contents of the partial filestore the upgrade writes for `target` (the files are
/// named by the sha1 of these).
pub fn new_files(target: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("standin-upgrade-note.txt", format!("upgraded to {target} by the odoodb stand-in\n")),
        ("standin-assets.css", format!("/* web assets of {target}, odoodb stand-in */\n")),
    ]
    .into_iter()
    .map(|(name, text)| (name, text.into_bytes()))
    .collect()
}

/// One line of the platform's log, as Odoo writes them.
fn append_log(shared: &Mutex<Shared>, line: &str) {
    let stamp = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S,%3f");
    let mut shared = shared.lock().unwrap();
    shared
        .log
        .extend_from_slice(format!("{stamp} 1 INFO standin odoo.upgrade: {line}\n").as_bytes());
}

/// `pending` → `progress`, and the upgrade in a thread of its own.
fn start_upgrade(shared: &mut Shared, arc: &Arc<Mutex<Shared>>, data: &Path) {
    static SCRATCH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SCRATCH.fetch_add(1, Ordering::SeqCst);
    let scratch = format!("{PREFIX}{}_standin{n}", std::process::id());
    let target = if shared.target.is_empty() { "18.0".to_string() } else { shared.target.clone() };
    shared.status = "progress".into();
    shared.upgrade =
        Some(Upgrade { target: target.clone(), scratch_db: scratch.clone(), ..Upgrade::default() });
    let (arc, data) = (Arc::clone(arc), data.to_path_buf());
    let (outcome, work_time) = (shared.script.outcome.clone(), shared.script.work_time);
    shared.worker = Some(std::thread::spawn(move || {
        std::thread::sleep(work_time);
        // A panic (say, the server unreachable) is a failed request, never a hung one.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            upgrade(&arc, &data, &scratch, &target, &outcome)
        }))
        .unwrap_or_else(|_| Err("the stand-in's upgrade panicked".to_string()));
        let dropped = admin()
            .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote(&scratch)))
            .is_ok()
            && !super::database_exists(&scratch);
        let (status, reason) = match (result, outcome) {
            (Err(error), _) => ("failed", Some(error)),
            (Ok(files), Outcome::Done) => {
                let mut shared = arc.lock().unwrap();
                if let Some(upgrade) = shared.upgrade.as_mut() {
                    upgrade.filestore = files;
                }
                ("done", None)
            }
            (Ok(_), Outcome::Failed(reason)) => ("failed", Some(reason)),
            (Ok(_), Outcome::Cancelled(reason)) => ("cancelled", Some(reason)),
        };
        append_log(
            &arc,
            &format!(
                "request {status}{}",
                reason.as_deref().map_or(String::new(), |r| format!(": {r}"))
            ),
        );
        let mut shared = arc.lock().unwrap();
        if let Some(upgrade) = shared.upgrade.as_mut() {
            upgrade.scratch_dropped = dropped;
            upgrade.finished = true;
            upgrade.status = status.into();
            upgrade.reason.clone_from(&reason);
        }
        shared.status = status.into();
        shared.reason = reason;
    }));
}

/// The upgrade's work: restore, change (stop here for a scripted failure or cancel), the
/// partial filestore with its attachment rows, dump, report and log. `Ok(filestore files
/// written)` or `Err(why)`. The caller drops the scratch database.
fn upgrade(
    shared: &Mutex<Shared>,
    data: &Path,
    scratch: &str,
    target: &str,
    outcome: &Outcome,
) -> Result<Vec<String>, String> {
    append_log(shared, &format!("restoring the uploaded database into {scratch}"));
    admin()
        .batch_execute(&format!("CREATE DATABASE {}", quote(scratch)))
        .map_err(|e| format!("cannot create the scratch database: {e}"))?;
    pg_tool(
        "pg_restore",
        &["--no-owner", "--exit-on-error", "-Fd", "-d", scratch],
        &data.join(ORIGIN_DUMP),
    )?;
    append_log(shared, &format!("upgrading to {target}"));
    let version = upgraded_base_version(target);
    let mut client = Server::get().client(scratch);
    client
        .execute("UPDATE ir_module_module SET latest_version = $1 WHERE name = 'base'", &[&version])
        .map_err(|e| format!("cannot upgrade base: {e}"))?;
    client
        .batch_execute(&format!(
            "CREATE TABLE {MARKER_TABLE} (target text, upgraded_at timestamptz)"
        ))
        .and_then(|()| {
            client.execute(&format!("INSERT INTO {MARKER_TABLE} VALUES ($1, now())"), &[&target])
        })
        .map_err(|e| format!("cannot write the marker: {e}"))?;
    if *outcome != Outcome::Done {
        return Ok(Vec::new());
    }
    // The partial filestore: new files only, each with its attachment row when Odoo's table is
    // there.
    let has_attachments = client
        .query_one("SELECT to_regclass('ir_attachment') IS NOT NULL", &[])
        .map_err(|e| e.to_string())?
        .get::<_, bool>(0);
    let mut written = Vec::new();
    for (name, content) in new_files(target) {
        let sha = sha1_smol::Sha1::from(&content).digest().to_string();
        let store_fname = format!("{}/{sha}", &sha[..2]);
        let path = data.join("filestore").join(&store_fname);
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(&path, &content).map_err(|e| e.to_string())?;
        if has_attachments {
            let size = i32::try_from(content.len()).unwrap_or(i32::MAX);
            client
                .execute(
                    "INSERT INTO ir_attachment (name, type, store_fname, checksum, file_size, mimetype) \
                     VALUES ($1, 'binary', $2, $3, $4, 'text/plain')",
                    &[&name, &store_fname, &sha, &size],
                )
                .map_err(|e| format!("cannot add the attachment {name}: {e}"))?;
        }
        written.push(store_fname);
    }
    drop(client);
    append_log(shared, &format!("dumping the upgraded database to {UPGRADED_DUMP}"));
    let dump = data.join(UPGRADED_DUMP);
    if dump.exists() {
        std::fs::remove_dir_all(&dump).map_err(|e| e.to_string())?;
    }
    pg_tool("pg_dump", &["--no-owner", "-Fd", scratch, "-f"], &dump)?;
    std::fs::write(
        data.join("upgrade-report.html"),
        format!("<html><body><h1>Upgrade report</h1><p>Upgraded to {target} by the odoodb stand-in.</p></body></html>\n"),
    )
    .map_err(|e| e.to_string())?;
    append_log(shared, "upgrade done");
    let log = shared.lock().unwrap().log.clone();
    std::fs::write(data.join("upgrade.log"), log).map_err(|e| e.to_string())?;
    Ok(written)
}

/// Runs `pg_dump`/`pg_restore` against the test server with `args` then `path`.
fn pg_tool(program: &str, args: &[&str], path: &Path) -> Result<(), String> {
    let server = Server::get();
    let output = std::process::Command::new(program)
        .args(["-h", &server.host, "-p", &server.port.to_string(), "-U", &server.user])
        .args(args)
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{program} failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
    }
}
