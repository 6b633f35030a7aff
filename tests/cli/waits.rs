//! Every wait gives way: a download that stalls fails after its read timeout, and Ctrl-C or
//! SIGTERM stops a restore blocked on a silent server or an empty pipe at once (exit 130),
//! leaving nothing behind.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use crate::support::Spawned;
use crate::support::archives;
use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, database_exists, leftovers, temporary_databases, text};

/// What the stalling server does once it has read a request.
#[derive(Clone)]
enum Stall {
    /// Accepts, reads the request, and never answers.
    Silent,
    /// Answers 200 with the whole length announced, sends these first bytes of the body, then
    /// nothing more (the connection stays open).
    After(Vec<u8>, usize),
}

/// A server on 127.0.0.1 that stalls every request the same way, for the test's life (a minute
/// at most). Connections are held open until it is dropped.
struct StallingServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StallingServer {
    fn start(stall: Stall) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            let deadline = Instant::now() + Duration::from_mins(1);
            while !stopping.load(Ordering::Relaxed) && Instant::now() < deadline {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                read_request(&mut stream);
                if let Stall::After(body, sent) = &stall {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(&body[..*sent]);
                    let _ = stream.flush();
                }
                held.push(stream);
            }
        });
        Self { port, stop, thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/backups/prod.tar.gz", self.port)
    }
}

impl Drop for StallingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads up to the blank line that ends the request's headers.
fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => return,
        }
    }
}

/// Waits for the child to exit, at most `limit`; kills it and fails the test past that.
fn wait_at_most(mut child: Spawned, limit: Duration, what: &str) -> (Output, Duration) {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            let elapsed = started.elapsed();
            return (child.wait_with_output().unwrap(), elapsed);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "{what}: still running after {limit:?}; killed. stderr: {}",
                text(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Spawned, signal: Signal) {
    child.signal(signal);
}

/// Nothing of the restore into `db` remains: no database, folder, temporary or journal.
fn assert_nothing_left(env: &TestEnv, db: &str, what: &str) {
    assert!(!database_exists(db), "{what}: {db} exists");
    assert!(!env.filestore(db).exists(), "{what}: a folder for {db} exists");
    assert_eq!(leftovers(env, db), Vec::<String>::new(), "{what}");
}

/// The first half of an odoodb tar.gz of the modern fixture: enough for the manifest and the
/// start of the dump, so the restore has made its temporary database when the bytes stop.
fn half_an_archive(env: &TestEnv, tag: &str) -> (Vec<u8>, usize) {
    let source = fixtures::modern(env, tag);
    let path = archives::path_in(env, "stall.tar.gz");
    archives::our_tar_gz(env, &source.name, "custom", &path, |_, _| {});
    let bytes = std::fs::read(&path).unwrap();
    let half = bytes.len() / 2;
    (bytes, half)
}

/// Waits until the restore of this environment has made its temporary database.
fn wait_for_temporary(env: &TestEnv, child: &mut Spawned) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while temporary_databases(env).is_empty() {
        assert!(child.try_wait().unwrap().is_none(), "the restore ended before stalling");
        assert!(Instant::now() < deadline, "the restore never made its temporary database");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_silent_server_fails_after_the_read_timeout_and_leaves_nothing() {
    let env = TestEnv::new();
    let server = StallingServer::start(Stall::Silent);
    let target = PgTestDb::reserve("wt_silent");
    let child = env.spawn(["restore", &server.url(), &target.name, "--read-timeout", "2"], |_| {});
    let (output, took) = wait_at_most(child, Duration::from_secs(15), "silent server");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert!(stderr.contains("127.0.0.1") && stderr.contains("2 s"), "{stderr}");
    assert!(stderr.contains("--read-timeout"), "the setting to change is named: {stderr}");
    assert_eq!(stderr.trim_end().lines().filter(|l| l.starts_with("error:")).count(), 1);
    assert_nothing_left(&env, &target.name, "silent server");
}

#[test]
fn a_download_that_stalls_midway_fails_after_the_read_timeout_and_leaves_nothing() {
    let env = TestEnv::new();
    let (body, half) = half_an_archive(&env, "wt_mid_src");
    let server = StallingServer::start(Stall::After(body, half));
    let target = PgTestDb::reserve("wt_mid");
    let mut child =
        env.spawn(["restore", &server.url(), &target.name, "--read-timeout", "2"], |_| {});
    wait_for_temporary(&env, &mut child);
    let (output, took) = wait_at_most(child, Duration::from_secs(20), "stalled download");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(stderr.contains("127.0.0.1") && stderr.contains("--read-timeout"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_nothing_left(&env, &target.name, "stalled download");
}

#[test]
fn sigterm_and_ctrl_c_stop_a_restore_waiting_on_a_silent_server() {
    let env = TestEnv::new();
    let server = StallingServer::start(Stall::Silent);
    for (tag, sig) in [("t", Signal::SIGTERM), ("i", Signal::SIGINT)] {
        let target = PgTestDb::reserve(&format!("wt_sil_{tag}"));
        let child = env.spawn(["restore", &server.url(), &target.name], |_| {});
        std::thread::sleep(Duration::from_secs(1));
        signal(&child, sig);
        let (output, took) = wait_at_most(child, Duration::from_secs(10), &format!("{sig}"));
        assert_eq!(output.status.code(), Some(130), "{sig}: {}", text(&output.stderr));
        assert!(took < Duration::from_secs(2), "{sig}: took {took:?}");
        assert_nothing_left(&env, &target.name, &format!("{sig}"));
    }
}

#[test]
fn sigterm_and_ctrl_c_stop_a_restore_whose_download_stalled_midway() {
    let env = TestEnv::new();
    let (body, half) = half_an_archive(&env, "wt_smid_src");
    let server = StallingServer::start(Stall::After(body, half));
    for (tag, sig) in [("t", Signal::SIGTERM), ("i", Signal::SIGINT)] {
        let target = PgTestDb::reserve(&format!("wt_smid_{tag}"));
        let mut child = env.spawn(["restore", &server.url(), &target.name], |_| {});
        wait_for_temporary(&env, &mut child);
        std::thread::sleep(Duration::from_secs(1));
        signal(&child, sig);
        let (output, took) = wait_at_most(child, Duration::from_secs(10), &format!("{sig}"));
        assert_eq!(output.status.code(), Some(130), "{sig}: {}", text(&output.stderr));
        assert!(took < Duration::from_secs(2), "{sig}: took {took:?}");
        assert_nothing_left(&env, &target.name, &format!("{sig}"));
    }
}

#[test]
fn ctrl_c_stops_a_restore_from_a_pipe_that_sends_nothing() {
    let env = TestEnv::new();
    let target = PgTestDb::reserve("wt_pipe");
    let mut child = env.spawn(["restore", "-", &target.name], |c| {
        c.stdin(Stdio::piped());
    });
    // Held open, never written to: the restore waits for its first bytes.
    let _pipe = child.stdin.take().unwrap();
    std::thread::sleep(Duration::from_secs(1));
    signal(&child, Signal::SIGINT);
    let (output, took) = wait_at_most(child, Duration::from_secs(10), "empty pipe");
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_nothing_left(&env, &target.name, "empty pipe");
}

/// Waits until a session whose statement mentions `db` waits for a lock.
fn wait_for_lock_wait(db: &str, child: &mut Spawned) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = crate::support::admin()
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                  WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() \
                    AND (datname = $1 OR position($1 IN query) > 0)",
                &[&db],
            )
            .unwrap()
            .get(0);
        if waiting > 0 {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "it ended before waiting on the lock");
        assert!(Instant::now() < deadline, "it never waited on the lock");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_and_sigterm_stop_a_neutralize_waiting_on_a_locked_row() {
    let env = TestEnv::new();
    for (tag, sig) in [("i", Signal::SIGINT), ("t", Signal::SIGTERM)] {
        let db = fixtures::modern(&env, &format!("wt_lock_{tag}"));
        let crons = db.scalar_i64("SELECT count(*) FROM ir_cron WHERE active");
        assert!(crons > 1, "the fixture has active crons");
        let before = crate::neutralize::fingerprint(&db);
        // Odoo in the middle of a webhook action: its row is locked until that transaction ends.
        let mut odoo = db.client();
        let mut holding = odoo.transaction().unwrap();
        let locked = holding
            .query("SELECT id FROM ir_act_server WHERE state = 'webhook' FOR UPDATE", &[])
            .unwrap();
        assert!(!locked.is_empty(), "the fixture has a webhook action");
        let mut child = env.spawn(["neutralize", &db.name, "--yes"], |_| {});
        wait_for_lock_wait(&db.name, &mut child);
        std::thread::sleep(Duration::from_millis(500));
        signal(&child, sig);
        let (output, took) = wait_at_most(child, Duration::from_mins(1), &format!("{sig}"));
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{sig}: {stderr}");
        assert!(took < Duration::from_secs(3), "{sig}: took {took:?}");
        assert!(stderr.contains("rolled back"), "{sig}: {stderr}");
        holding.rollback().unwrap();
        // No step applied: the crons (the first step) are still on, and nothing else moved.
        assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_cron WHERE active"), crons, "{sig}");
        assert_eq!(crate::neutralize::fingerprint(&db), before, "{sig}");
    }
}

#[test]
fn ctrl_c_stops_a_rename_waiting_on_a_lock_and_changes_nothing() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "wt_ren");
    let new = PgTestDb::reserve("wt_ren_new");
    // Another session in the middle of changing the database's comment holds a lock on it
    // that the rename must wait for.
    let mut other = crate::support::admin();
    let mut holding = other.transaction().unwrap();
    holding
        .batch_execute(&format!(
            "COMMENT ON DATABASE {} IS 'held by a test'",
            crate::support::quote(&db.name)
        ))
        .unwrap();
    let mut child = env.spawn(["--yes", "rename", &db.name, &new.name], |_| {});
    wait_for_lock_wait(&db.name, &mut child);
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, Signal::SIGINT);
    let (output, took) = wait_at_most(child, Duration::from_mins(1), "rename");
    let stderr = text(&output.stderr);
    holding.rollback().unwrap();
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert!(database_exists(&db.name) && !database_exists(&new.name));
    assert!(env.filestore(&db.name).is_dir() && !env.filestore(&new.name).exists());
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn ctrl_c_stops_an_upgrade_waiting_on_a_silent_platform() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "wt_plat");
    // Accepts the connection and never answers, not even the TLS handshake.
    let server = StallingServer::start(Stall::Silent);
    let mut child = env.spawn(
        ["--yes", "upgrade", "test", &db.name, "--target", "18.0", "--contract", "M1"],
        |c| {
            c.args(["--upgrade-server", &format!("https://127.0.0.1:{}", server.port)]);
        },
    );
    std::thread::sleep(Duration::from_secs(3));
    assert!(child.try_wait().unwrap().is_none(), "it waits on the platform");
    signal(&child, Signal::SIGINT);
    let (output, took) = wait_at_most(child, Duration::from_mins(2), "upgrade test");
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}
