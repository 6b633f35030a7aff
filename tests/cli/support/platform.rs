//! A stand-in for the Odoo upgrade platform: HTTPS on 127.0.0.1 with a certificate made for
//! the test run (trusted with `--upgrade-ca`), the endpoints of protocol 0.2 as the official
//! client uses them, and every way the real one fails. It stops when dropped.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{Value, json};

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
}

/// What the stand-in says, set by the test.
#[derive(Debug, Clone)]
pub struct Script {
    /// Status answers in order, the last one repeated: (status, reason).
    pub statuses: Vec<(String, Option<String>)>,
    /// The whole log; each `logs` call makes `chunk` more bytes of it visible, as a log that
    /// grows while the upgrade runs.
    pub log: Vec<u8>,
    pub chunk: usize,
    pub fault: Fault,
    pub pg_compatible: bool,
}

impl Default for Script {
    fn default() -> Self {
        Self {
            statuses: vec![("progress".into(), None)],
            log: Vec::new(),
            chunk: usize::MAX,
            fault: Fault::None,
            pg_compatible: true,
        }
    }
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
    pub fn start(script: Script) -> Self {
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
        let shared = Arc::new(Mutex::new(Shared { script, ..Shared::default() }));
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
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().unwrap().seen.clone()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn serve(
    stream: TcpStream,
    acceptor: &native_tls::TlsAcceptor,
    shared: &Mutex<Shared>,
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
            answer(&seen, &mut shared.lock().unwrap())
        }
        Fault::None | Fault::VanishAfter(_) => answer(&seen, &mut shared.lock().unwrap()),
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

fn answer(seen: &Seen, shared: &mut Shared) -> (u16, &'static str, Vec<u8>) {
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
        let log = &shared.script.log;
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
        let host = seen.header("host").unwrap_or_default().to_string();
        return rpc_result(&json!({"request_id": 4242, "token": TOKEN, "assigned_host_uri": host}));
    }
    if params["token"] != TOKEN {
        return rpc_error("Invalid token");
    }
    match seen.path.as_str() {
        "/upgrade/request/status" => {
            let statuses = &shared.script.statuses;
            let (status, reason) = statuses[shared.status_calls.min(statuses.len() - 1)].clone();
            shared.status_calls += 1;
            let host = seen.header("host").unwrap_or_default();
            rpc_result(
                &json!({"status": status, "host_uri": host, "reason": reason, "archived": false}),
            )
        }
        "/upgrade/request/process" => {
            rpc_result(&json!({"is_pg_version_compatible": shared.script.pg_compatible}))
        }
        "/upgrade/request/transfer/start" => {
            let mut result =
                json!({"ssh_port": 2222, "known_hosts": "[127.0.0.1]:2222 ssh-ed25519 AAAAC3Nz"});
            if params["transfer_type"] == "download" {
                result["dump_name"] = json!("upgraded.dump");
            }
            rpc_result(&result)
        }
        "/upgrade/request/transfer/stop" => rpc_result(&json!({})),
        _ => (404, "text/plain", b"no such endpoint".to_vec()),
    }
}
