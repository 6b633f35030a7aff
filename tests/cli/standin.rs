//! The upgrade platform's stand-in on its own, without odoodb's binary: the library's client
//! for the API, the system's `ssh`+`rsync` for the transfer, as the product does it. If these
//! pass, a failing `upgrade` test is the product's fault, not the stand-in's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use odoodb::upgrade::Secret;
use odoodb::upgrade::platform::{Aim, Created, Options, Platform, Transfer};
use pretty_assertions::assert_eq;

use crate::support::platform::{
    self, Fault, GOOD_CONTRACT, MARKER_TABLE, ORIGIN_DUMP, Outcome, Script, StandIn, UPGRADED_DUMP,
};
use crate::support::text;
use crate::support::{PgTestDb, Server, TestEnv, database_exists, fixtures, sshd};

const TARGET: &str = "18.0";

/// The client side of one request: a key pair, the runtime for the library's async client.
struct Client {
    dir: tempfile::TempDir,
    key: PathBuf,
    public_key: String,
    runtime: tokio::runtime::Runtime,
    platform: Platform,
}

impl Client {
    fn new(standin: &StandIn) -> Self {
        let dir = tempfile::Builder::new().prefix("odoodb-standin-client-").tempdir().unwrap();
        let key = dir.path().join("id_ed25519");
        sshd::keygen(&key, "odoodb-request");
        // The text of the .pub file, trailing newline included, as the official client sends.
        let public_key = std::fs::read_to_string(dir.path().join("id_ed25519.pub")).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let platform = Platform::new(&Options {
            server: standin.url.clone(),
            ca: Some(standin.ca.clone()),
            timeout: Duration::from_secs(10),
        })
        .unwrap();
        Self { dir, key, public_key, runtime, platform }
    }

    /// `create`, then the client for the assigned host.
    fn create(&self) -> (Created, Platform) {
        let created = self
            .runtime
            .block_on(self.platform.create(
                &Secret::new(GOOD_CONTRACT),
                TARGET,
                Aim::Test,
                &self.public_key,
                &[],
            ))
            .unwrap();
        let host = self.platform.at_host(&created.assigned_host_uri).unwrap();
        (created, host)
    }

    /// `transfer/start`; writes the known_hosts it returned; the `-e` of rsync.
    fn start(&self, host: &Platform, token: &Secret, kind: Transfer) -> (String, Option<String>) {
        let info = self.runtime.block_on(host.transfer_start(token, kind)).unwrap();
        let known_hosts = self.dir.path().join("known_hosts");
        std::fs::write(&known_hosts, &info.known_hosts).unwrap();
        let ssh = format!(
            "ssh -F /dev/null -p {} -i {} -o StrictHostKeyChecking=yes -o UserKnownHostsFile={} \
             -o IdentitiesOnly=yes -o BatchMode=yes",
            info.ssh_port,
            self.key.display(),
            known_hosts.display()
        );
        (ssh, info.dump_name)
    }

    fn stop(&self, host: &Platform, token: &Secret) {
        self.runtime.block_on(host.transfer_stop(token)).unwrap();
    }

    fn status(&self, host: &Platform, token: &Secret) -> (String, Option<String>) {
        let status = self.runtime.block_on(host.status(token)).unwrap();
        (status.status, status.reason)
    }

    /// Polls the status until it is finished; every status seen, in order, without repeats.
    fn wait_finished(&self, host: &Platform, token: &Secret) -> Vec<(String, Option<String>)> {
        let deadline = Instant::now() + Duration::from_mins(1);
        let mut seen: Vec<(String, Option<String>)> = Vec::new();
        loop {
            let status = self.status(host, token);
            if seen.last() != Some(&status) {
                seen.push(status.clone());
            }
            if matches!(status.0.as_str(), "done" | "failed" | "cancelled") {
                return seen;
            }
            assert!(Instant::now() < deadline, "the request never finished: {seen:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `pg_dump --no-owner -Fd` of `db` into `dir/name`.
fn dump(db: &str, dir: &Path, name: &str) -> PathBuf {
    let server = Server::get();
    let path = dir.join(name);
    let status = Command::new("pg_dump")
        .args(["-h", &server.host, "-p", &server.port.to_string(), "-U", &server.user])
        .args(["--no-owner", "-Fd", "-f"])
        .arg(&path)
        .arg(db)
        .status()
        .unwrap();
    assert!(status.success(), "pg_dump of {db} failed");
    path
}

fn rsync(ssh: &str, sources: &[String], destination: &str) -> Output {
    Command::new("rsync")
        .args(["-a", "--partial", "--ignore-missing-args", "--timeout=30", "-e", ssh])
        .args(sources)
        .arg(destination)
        .output()
        .unwrap()
}

fn remote(standin: &StandIn, path: &str) -> String {
    let server = standin.data_server();
    format!("{}@127.0.0.1:{}/{path}", server.user, server.data_dir().display())
}

fn upload(standin: &StandIn, ssh: &str, dump: &Path) -> Output {
    let source = format!("{}/", dump.display());
    rsync(ssh, &[source], &format!("{}/", remote(standin, ORIGIN_DUMP)))
}

/// Relative paths of every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    crate::support::files_under(dir)
}

#[test]
fn a_request_goes_through_the_whole_life_cycle_over_real_ssh() {
    let Some(standin) = StandIn::with_data_server(Script {
        work_time: Duration::from_millis(300),
        ..Script::default()
    }) else {
        return;
    };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "standin_life");
    let client = Client::new(&standin);
    let dumped = dump(&db.name, client.dir.path(), "origin");

    let (created, host) = client.create();
    assert_eq!(client.status(&host, &created.token).0, "new");
    // Nothing happens before an upload.
    let early = client.runtime.block_on(host.process(&created.token)).unwrap_err();
    assert!(format!("{early:#}").contains("not been uploaded"), "{early:#}");

    let (ssh, dump_name) = client.start(&host, &created.token, Transfer::Upload);
    assert_eq!(dump_name, None);
    let output = upload(&standin, &ssh, &dumped);
    assert!(output.status.success(), "upload failed: {}", text(&output.stderr));
    assert_eq!(client.status(&host, &created.token).0, "new", "pending only after the stop");
    client.stop(&host, &created.token);
    assert_eq!(client.status(&host, &created.token).0, "pending");
    assert_eq!(standin.uploads(), [files(&dumped)]);

    assert!(client.runtime.block_on(host.process(&created.token)).unwrap());
    // Twice is safe.
    assert!(client.runtime.block_on(host.process(&created.token)).unwrap());
    let statuses = client.wait_finished(&host, &created.token);
    assert_eq!(statuses, [("progress".to_string(), None), ("done".to_string(), None)]);
    let upgrade = standin.wait_upgrade(Duration::from_secs(5));
    assert!(upgrade.scratch_dropped, "{upgrade:?}");
    assert!(!database_exists(&upgrade.scratch_db));
    let log = text(&client.runtime.block_on(host.logs(&created.token, 0)).unwrap());
    assert!(log.contains("upgrading to 18.0") && log.contains("request done"), "{log}");

    // The download: one rsync of four sources, as the official client does it.
    let (ssh, dump_name) = client.start(&host, &created.token, Transfer::Download);
    assert_eq!(dump_name.as_deref(), Some(UPGRADED_DUMP));
    let local = client.dir.path().join("download");
    std::fs::create_dir_all(&local).unwrap();
    let sources: Vec<String> = [UPGRADED_DUMP, "filestore", "upgrade-report.html", "upgrade.log"]
        .iter()
        .map(|path| remote(&standin, path))
        .collect();
    let output = rsync(&ssh, &sources, &format!("{}/", local.display()));
    assert!(output.status.success(), "download failed: {}", text(&output.stderr));
    client.stop(&host, &created.token);
    assert_eq!(standin.downloads(), 1);
    assert_eq!(client.status(&host, &created.token).0, "done");

    // The partial filestore: new files only, each named by the sha1 of its content.
    let filestore = files(&local.join("filestore"));
    assert_eq!(filestore, upgrade.filestore);
    assert_eq!(filestore.len(), 2);
    for name in &filestore {
        let content = std::fs::read(local.join("filestore").join(name)).unwrap();
        let sha = sha1_smol::Sha1::from(&content).digest().to_string();
        assert_eq!(name, &format!("{}/{sha}", &sha[..2]));
    }
    assert!(text(&std::fs::read(local.join("upgrade-report.html")).unwrap()).contains("18.0"));
    assert!(text(&std::fs::read(local.join("upgrade.log")).unwrap()).contains("upgrading to"));

    // The result really differs from the input: base at the target, the marker, the files.
    let restored = PgTestDb::empty("standin_result");
    let server = Server::get();
    let status = Command::new("pg_restore")
        .args(["-h", &server.host, "-p", &server.port.to_string(), "-U", &server.user])
        .args(["--no-owner", "--exit-on-error", "-Fd", "-d", &restored.name])
        .arg(local.join(UPGRADED_DUMP))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        restored.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some(platform::upgraded_base_version(TARGET))
    );
    assert_eq!(platform::upgraded_base_version(TARGET), "18.0.1.0");
    assert_eq!(
        restored.scalar_string(&format!("SELECT target FROM {MARKER_TABLE}")),
        Some(TARGET.to_string())
    );
    assert_eq!(restored.scalar_i64(&format!("SELECT count(*) FROM {MARKER_TABLE}")), 1);
    for name in &filestore {
        let query = format!("SELECT count(*) FROM ir_attachment WHERE store_fname = '{name}'");
        assert_eq!(restored.scalar_i64(&query), 1, "{name}");
    }
    // The original is untouched.
    assert_eq!(
        db.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some("17.0.1.3".to_string())
    );
    let commands = standin.data_server().commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[1].contains("--sender"), "{commands:?}");
}

#[test]
fn a_wrong_host_key_is_refused_by_ssh() {
    let Some(standin) =
        StandIn::with_data_server(Script { fault: Fault::WrongHostKey, ..Script::default() })
    else {
        return;
    };
    let client = Client::new(&standin);
    let (created, host) = client.create();
    let (ssh, _) = client.start(&host, &created.token, Transfer::Upload);
    let local = client.dir.path().join("some.dump");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("toc.dat"), "x").unwrap();
    let output = upload(&standin, &ssh, &local);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("Host key verification failed"), "{stderr}");
    assert!(!standin.data_server().data_dir().join(ORIGIN_DUMP).exists());
    assert!(standin.data_server().commands().is_empty());
    // An unknown key is refused too, whatever the known_hosts.
    let stranger = client.dir.path().join("stranger");
    sshd::keygen(&stranger, "stranger");
    let ssh = ssh.replace(&client.key.display().to_string(), &stranger.display().to_string());
    let ssh = ssh.replace(
        "StrictHostKeyChecking=yes",
        "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null",
    );
    let output = upload(&standin, &ssh, &local);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("Permission denied"), "{}", text(&output.stderr));
}

#[test]
fn a_cut_upload_fails_and_resumes() {
    let Some(standin) =
        StandIn::with_data_server(Script { fault: Fault::CutUpload(3000), ..Script::default() })
    else {
        return;
    };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "standin_cut");
    let client = Client::new(&standin);
    let dumped = dump(&db.name, client.dir.path(), "origin");
    let (created, host) = client.create();

    let (ssh, _) = client.start(&host, &created.token, Transfer::Upload);
    let output = upload(&standin, &ssh, &dumped);
    assert!(!output.status.success(), "the cut upload succeeded");
    client.stop(&host, &created.token);
    assert_eq!(client.status(&host, &created.token).0, "new", "an incomplete upload is no upload");
    assert_ne!(standin.uploads()[0], files(&dumped));

    let (ssh, _) = client.start(&host, &created.token, Transfer::Upload);
    let output = upload(&standin, &ssh, &dumped);
    assert!(output.status.success(), "the resumed upload failed: {}", text(&output.stderr));
    client.stop(&host, &created.token);
    assert_eq!(client.status(&host, &created.token).0, "pending");
    assert_eq!(standin.uploads()[1], files(&dumped));
}

#[test]
fn failed_and_cancelled_upgrades_say_why_and_drop_their_scratch_database() {
    for (outcome, status, reason) in [
        (Outcome::Failed("module sale crashed".into()), "failed", "module sale crashed"),
        (Outcome::Cancelled("cancelled by support".into()), "cancelled", "cancelled by support"),
    ] {
        let Some(standin) = StandIn::with_data_server(Script { outcome, ..Script::default() })
        else {
            return;
        };
        let env = TestEnv::new();
        let db = fixtures::modern(&env, "standin_fail");
        let client = Client::new(&standin);
        let dumped = dump(&db.name, client.dir.path(), "origin");
        let (created, host) = client.create();
        let (ssh, _) = client.start(&host, &created.token, Transfer::Upload);
        assert!(upload(&standin, &ssh, &dumped).status.success());
        client.stop(&host, &created.token);
        client.runtime.block_on(host.process(&created.token)).unwrap();
        let statuses = client.wait_finished(&host, &created.token);
        assert_eq!(statuses.last().unwrap(), &(status.to_string(), Some(reason.to_string())));
        let upgrade = standin.wait_upgrade(Duration::from_secs(5));
        assert!(upgrade.scratch_dropped && !database_exists(&upgrade.scratch_db));
        assert!(!standin.data_server().data_dir().join(UPGRADED_DUMP).exists());
        assert_eq!(standin.status().0, status);
    }
}
