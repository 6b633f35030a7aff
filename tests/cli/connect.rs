//! Connecting as libpq does (issue 9): sslmode allow/prefer fall back, a pinned root CA is the
//! only one trusted, one timeout covers the whole connection, a server that is not PostgreSQL is
//! named, and a missing password is asked for on a terminal or explained without one.
//!
//! Fake servers listen on 127.0.0.1 inside the test; the real server is reached over TCP
//! 127.0.0.1:5432 with a role the test creates. Nothing on the server is reconfigured.

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::{PasswordRole, PgTestDb, TestEnv, admin};

const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
const REAL_SERVER: &str = "127.0.0.1:5432";

/// What a fake server does with its n-th connection.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Accept and never say a word.
    Silent,
    /// Answer anything with an HTTP error, and keep the connection open.
    Http,
    /// A PostgreSQL server with `ssl = off`: `N` to an SSLRequest, the rest passed to the real
    /// server.
    NoTls,
    /// Accept TLS (`S`), then hang up before the handshake.
    TlsThenHangUp,
    /// Refuse a plain connection as pg_hba.conf's `hostssl` lines do.
    RefusePlain,
    /// Pass everything to the real server (TLS included).
    Proxy,
}

/// A listener on 127.0.0.1 that plays `script` (the last entry for every later connection) and
/// records the first 8 bytes each client sent.
struct FakeServer {
    port: u16,
    first_packets: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl FakeServer {
    fn start(script: &[Behaviour]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let first_packets = Arc::new(Mutex::new(Vec::new()));
        let script = script.to_vec();
        let packets = Arc::clone(&first_packets);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { return };
                let behaviour = script[n.min(script.len() - 1)];
                let packets = Arc::clone(&packets);
                std::thread::spawn(move || serve(stream, behaviour, &packets));
            }
        });
        Self { port, first_packets }
    }

    /// Whether each connection so far began with an SSLRequest (true) or a startup packet.
    fn tls_requests(&self) -> Vec<bool> {
        self.first_packets.lock().unwrap().iter().map(|p| p.as_slice() == SSL_REQUEST).collect()
    }
}

fn serve(mut client: TcpStream, behaviour: Behaviour, packets: &Mutex<Vec<Vec<u8>>>) {
    let mut first = [0_u8; 8];
    match behaviour {
        Behaviour::Silent => {
            std::thread::sleep(Duration::from_mins(2));
            return;
        }
        Behaviour::Http => {
            let _ = client.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            std::thread::sleep(Duration::from_mins(2));
            return;
        }
        _ => {}
    }
    if client.read_exact(&mut first).is_err() {
        return;
    }
    packets.lock().unwrap().push(first.to_vec());
    let is_ssl_request = first == SSL_REQUEST;
    match behaviour {
        Behaviour::NoTls if is_ssl_request => {
            let _ = client.write_all(b"N");
            proxy(client, &[]);
        }
        Behaviour::TlsThenHangUp if is_ssl_request => {
            let _ = client.write_all(b"S");
            let _ = client.shutdown(Shutdown::Both);
        }
        Behaviour::RefusePlain if !is_ssl_request => {
            let mut message = Vec::new();
            for field in [
                &b"SFATAL"[..],
                b"VFATAL",
                b"C28000",
                b"Mno pg_hba.conf entry for host \"127.0.0.1\", no encryption",
            ] {
                message.extend_from_slice(field);
                message.push(0);
            }
            message.push(0);
            let mut reply = vec![b'E'];
            reply.extend_from_slice(&u32::try_from(message.len() + 4).unwrap().to_be_bytes());
            reply.extend_from_slice(&message);
            let _ = client.write_all(&reply);
            std::thread::sleep(Duration::from_millis(200));
        }
        _ => proxy(client, &first),
    }
}

/// Passes `already` and then everything both ways between `client` and the real server.
fn proxy(client: TcpStream, already: &[u8]) {
    let Ok(mut server) = TcpStream::connect(REAL_SERVER) else { return };
    if server.write_all(already).is_err() {
        return;
    }
    let (mut client_in, mut server_out) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_in, &mut server_out);
        let _ = server_out.shutdown(Shutdown::Write);
    });
    let mut client_out = client;
    let _ = std::io::copy(&mut server, &mut client_out);
    let _ = client_out.shutdown(Shutdown::Write);
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_silent_server_times_out_with_a_hint() {
    let env = TestEnv::new();
    let fake = FakeServer::start(&[Behaviour::Silent]);
    let port = fake.port.to_string();
    let started = Instant::now();
    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--port", &port, "--user", "nobody", "list"])
        .env("PGCONNECT_TIMEOUT", "2")
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "error: cannot connect to PostgreSQL at 127.0.0.1:{port} as role \"nobody\" \
             (database \"postgres\"): no answer within 2 s\nhint: "
        )))
        .stderr(predicate::str::contains("PGCONNECT_TIMEOUT"));
    // 2 s for the connection and at most a second to look at what answers there: not one
    // timeout per database tried.
    assert!(started.elapsed() < Duration::from_secs(8), "took {:?}", started.elapsed());

    // The settings file's [connection] connect_timeout, when PGCONNECT_TIMEOUT is not set.
    let settings = env.root.join("settings.toml");
    std::fs::write(&settings, "[connection]\nconnect_timeout = 3\n").unwrap();
    env.bare_cmd()
        .args(["--settings", settings.to_str().unwrap(), "--host", "127.0.0.1", "--port", &port])
        .args(["--user", "nobody", "list"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no answer within 3 s"));
    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--port", &port, "list"])
        .env("PGCONNECT_TIMEOUT", "soon")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PGCONNECT_TIMEOUT is \"soon\""));
}

#[test]
fn a_server_that_is_not_postgresql_is_named() {
    let env = TestEnv::new();
    let fake = FakeServer::start(&[Behaviour::Http]);
    let port = fake.port.to_string();
    for sslmode in ["prefer", "disable", "require"] {
        let output = env
            .bare_cmd()
            .args(["--host", "127.0.0.1", "--port", &port, "--user", "nobody"])
            .args(["--sslmode", sslmode, "list"])
            .env("PGCONNECT_TIMEOUT", "3")
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(1), "{sslmode}: {stderr}");
        assert!(
            stderr.contains("this is not a PostgreSQL server (it answered \"HTTP/1.1 400 Bad"),
            "{sslmode}: {stderr}"
        );
        assert!(stderr.contains("\nhint: check the host and port"), "{sslmode}: {stderr}");
        assert_eq!(stderr.lines().count(), 2, "{sslmode}: one error line and a hint: {stderr}");
    }
}

#[test]
fn allow_tries_plain_first_then_tls() {
    let env = TestEnv::new();
    let role = PasswordRole::new("callow");
    let run = |port: u16| {
        env.bare_cmd()
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--user", &role.name])
            .args(["--sslmode", "allow", "list"])
            .env("PGPASSWORD", &role.password)
            .timeout(Duration::from_mins(1))
            .output()
            .unwrap()
    };
    // A server without TLS: allow connects, plainly, asking for no TLS at all.
    let no_tls = FakeServer::start(&[Behaviour::NoTls]);
    let output = run(no_tls.port);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(no_tls.tls_requests().first(), Some(&false), "allow starts without TLS");

    // A server whose pg_hba.conf only has hostssl lines: the plain try is refused, TLS follows.
    let tls_only = FakeServer::start(&[Behaviour::RefusePlain, Behaviour::Proxy]);
    let output = run(tls_only.port);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(tls_only.tls_requests()[..2], [false, true]);
}

#[test]
fn prefer_falls_back_to_plain_when_tls_fails() {
    let env = TestEnv::new();
    let role = PasswordRole::new("cprefer");
    let fake = FakeServer::start(&[Behaviour::TlsThenHangUp, Behaviour::Proxy]);
    let output = env
        .bare_cmd()
        .args(["--host", "127.0.0.1", "--port", &fake.port.to_string(), "--user", &role.name])
        .args(["--sslmode", "prefer", "list"])
        .env("PGPASSWORD", &role.password)
        .timeout(Duration::from_mins(1))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(fake.tls_requests()[..2], [true, false], "TLS first, then plain");

    // require never falls back.
    let fake = FakeServer::start(&[Behaviour::TlsThenHangUp]);
    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--port", &fake.port.to_string(), "--user", &role.name])
        .args(["--sslmode", "require", "list"])
        .env("PGPASSWORD", &role.password)
        .timeout(Duration::from_mins(1))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the TLS handshake failed"));
    assert!(fake.tls_requests().iter().all(|tls| *tls), "{:?}", fake.tls_requests());
}

/// A throwaway CA made with openssl; returns its certificate file.
fn throwaway_ca(dir: &Path) -> std::path::PathBuf {
    let cert = dir.join("throwaway-ca.crt");
    let status = StdCommand::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=odoodb throwaway test CA", "-keyout"])
        .arg(dir.join("throwaway-ca.key"))
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "openssl could not make a CA");
    cert
}

fn server_certificate() -> Option<std::path::PathBuf> {
    let ssl: String = admin().query_one("SHOW ssl", &[]).unwrap().get(0);
    let file: String = admin().query_one("SHOW ssl_cert_file", &[]).unwrap().get(0);
    let path = std::path::PathBuf::from(file);
    (ssl == "on" && path.is_file()).then_some(path)
}

#[test]
fn a_pinned_root_certificate_is_the_only_ca_trusted() {
    let Some(server_cert) = server_certificate() else {
        eprintln!("SKIPPED: the server has ssl = off or an unreadable certificate");
        return;
    };
    let env = TestEnv::new();
    let role = PasswordRole::new("cca");
    let ca = throwaway_ca(&env.root);
    let run = |mode: &str, root: &Path| {
        env.bare_cmd()
            .args(["--host", "127.0.0.1", "--user", &role.name, "--sslmode", mode, "list"])
            .env("PGPASSWORD", &role.password)
            .env("PGSSLROOTCERT", root)
            // The "system" store trusts the server's own certificate: a pinned CA must win.
            .env("SSL_CERT_FILE", &server_cert)
            .output()
            .unwrap()
    };
    for mode in ["verify-ca", "verify-full"] {
        let refused = run(mode, &ca);
        let stderr = stderr_of(&refused);
        assert_eq!(refused.status.code(), Some(1), "{mode} must refuse: {stderr}");
        assert!(
            stderr.contains(&format!(
                "the server's certificate is not signed by the CA in {}",
                ca.display()
            )),
            "{mode}: {stderr}"
        );
        assert!(stderr.contains("\nhint: check sslrootcert"), "{mode}: {stderr}");
        assert!(!stderr.contains("SSL routines"), "no raw OpenSSL text: {stderr}");
        assert_eq!(stderr.lines().count(), 2, "{stderr}");
    }
    // libpq: once a root certificate file is there, require verifies the chain too.
    assert_eq!(run("require", &ca).status.code(), Some(1));

    // The server's own (self-signed) certificate as the root: the chain verifies, the host
    // name (127.0.0.1, not in the certificate) does not.
    let accepted = run("verify-ca", &server_cert);
    assert!(accepted.status.success(), "{}", stderr_of(&accepted));
    let wrong_host = run("verify-full", &server_cert);
    assert_eq!(wrong_host.status.code(), Some(1));
    assert!(
        stderr_of(&wrong_host)
            .contains("the server's certificate is not issued for host \"127.0.0.1\""),
        "{}",
        stderr_of(&wrong_host)
    );

    // A root certificate file that is not there: refused for verify-*, as libpq does.
    let missing = env.root.join("no-such-root.crt");
    let output = run("verify-ca", &missing);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output)
            .contains(&format!("root certificate file {} does not exist", missing.display())),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn a_client_key_others_can_read_is_refused() {
    if server_certificate().is_none() {
        eprintln!("SKIPPED: the server has ssl = off");
        return;
    }
    let env = TestEnv::new();
    let role = PasswordRole::new("cccert");
    let ca = throwaway_ca(&env.root);
    let key = env.root.join("throwaway-ca.key");
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--user", &role.name, "--sslmode", "require", "list"])
        .env("PGPASSWORD", &role.password)
        .env("PGSSLCERT", &ca)
        .env("PGSSLKEY", &key)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "private key file {} has group or world access",
            key.display()
        )));
    // Mode 0600: the certificate is sent; this server does not ask for one, so it connects.
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--user", &role.name, "--sslmode", "require", "list"])
        .env("PGPASSWORD", &role.password)
        .env("PGSSLCERT", &ca)
        .env("PGSSLKEY", &key)
        .assert()
        .success();
}

#[test]
fn without_a_terminal_a_missing_password_names_the_ways_to_give_it() {
    let env = TestEnv::new();
    let role = PasswordRole::new("cnopw");
    let output = env
        .bare_cmd()
        .args(["--host", "127.0.0.1", "--user", &role.name, "list"])
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: cannot connect to PostgreSQL at 127.0.0.1:5432 as role \"{}\" (database \
             \"postgres\"): the server wants a password and none was given\n",
            role.name
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: give it in odoo.conf (db_password), in PGPASSWORD, or in"),
        "{stderr}"
    );
    assert!(stderr.contains(".pgpass (mode 0600)"), "{stderr}");
    assert!(!stderr.contains("invalid configuration"), "{stderr}");
}

/// Runs `args` under `script`, so stdin and stderr are a terminal; types `password` once the
/// prompt shows. Returns the exit code and everything the terminal showed.
fn on_a_terminal(env: &TestEnv, args: &str, password: &str) -> Option<(i32, String)> {
    if StdCommand::new("script").arg("--version").output().is_err() {
        return None;
    }
    let binary = assert_cmd::cargo::cargo_bin!("odoodb");
    let mut child = StdCommand::new("script")
        .args(["-qefc", &format!("{} {args}", binary.display()), "/dev/null"])
        .env_clear()
        .env("HOME", &env.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let shown = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = {
        let shown = Arc::clone(&shown);
        std::thread::spawn(move || {
            let mut buf = [0_u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let deadline = Instant::now() + Duration::from_mins(1);
    while !String::from_utf8_lossy(&shown.lock().unwrap()).contains("Password for user ") {
        assert!(
            Instant::now() < deadline,
            "no prompt: {}",
            String::from_utf8_lossy(&shown.lock().unwrap())
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{password}\n").as_bytes()).unwrap();
    // script waits for the end of its input before it ends.
    drop(stdin);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "did not finish: {}",
            String::from_utf8_lossy(&shown.lock().unwrap())
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let shown = String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
    Some((status.code().unwrap_or(-1), shown))
}

#[test]
fn on_a_terminal_the_password_is_asked_once_hidden() {
    let env = TestEnv::new();
    let role = PasswordRole::new("cprompt");
    // A database the role may connect to, so `list` opens more than the admin connection.
    let _db = PgTestDb::empty("prompt");
    let args = format!("--host 127.0.0.1 --user {} list --all", role.name);
    let Some((code, shown)) = on_a_terminal(&env, &args, &role.password) else {
        eprintln!("SKIPPED: no `script` command to give the test a terminal");
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown.matches("Password for user ").count(), 1, "asked once: {shown}");
    assert!(shown.contains(&format!("Password for user {}: ", role.name)), "{shown}");
    assert!(!shown.contains(&role.password), "the password was echoed: {shown}");
    assert!(shown.contains("127.0.0.1:5432"), "{shown}");

    let (code, shown) = on_a_terminal(&env, &args, "not-the-password-61c2").unwrap();
    assert_eq!(code, 1, "{shown}");
    assert!(shown.contains("password authentication failed"), "{shown}");
    assert!(!shown.contains("not-the-password-61c2"), "{shown}");
}
