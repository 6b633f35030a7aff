//! A real S3-protocol server for the tests: `s3s-fs` (crates.io; it checks every request's
//! SigV4 signature against its one access key) on 127.0.0.1, serving a temporary folder, one
//! per test; each bucket is a folder in it, made by the test. `.ci/run` installs it.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL: &str = "cargo install s3s-fs --version 0.14.1 --features binary --locked";

pub struct S3Server {
    child: Option<Child>,
    pub port: u16,
    pub root: tempfile::TempDir,
    pub access_key: String,
    pub secret_key: String,
}

fn program() -> Option<PathBuf> {
    let on_path = Command::new("s3s-fs")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if on_path {
        return Some(PathBuf::from("s3s-fs"));
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let installed = home.join("bin/s3s-fs");
    installed.is_file().then_some(installed)
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}

impl S3Server {
    /// Starts a server, or `None` (after saying the test is skipped) when s3s-fs is not
    /// installed outside CI; under CI (env `CI`) its absence is a failure.
    pub fn start(what: &str) -> Option<Self> {
        let Some(program) = program() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{what} needs s3s-fs, which CI must install: {INSTALL}"
            );
            eprintln!("SKIPPED {what}: s3s-fs not installed ({INSTALL})");
            return None;
        };
        let root = tempfile::Builder::new().prefix("odoodb-s3-").tempdir().unwrap();
        let tag = format!("{:x}", std::process::id());
        let mut server = Self {
            child: None,
            port: 0,
            root,
            access_key: format!("odoodbtest{tag}"),
            secret_key: format!("s3cr3t-{tag}-{}", uuid_like()),
        };
        server.run(&program);
        Some(server)
    }

    fn run(&mut self, program: &Path) {
        for _ in 0..5 {
            let port = if self.port == 0 { free_port() } else { self.port };
            let log = std::fs::File::create(self.root.path().with_extension("log")).unwrap();
            let child = Command::new(program)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--access-key", &self.access_key, "--secret-key", &self.secret_key])
                .arg(self.root.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("s3s-fs could not start");
            self.child = Some(child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                    self.port = port;
                    return;
                }
                if let Some(child) = self.child.as_mut()
                    && child.try_wait().unwrap().is_some()
                {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            self.stop();
        }
        panic!("s3s-fs did not start");
    }

    /// Stops the server (as a crash would: SIGKILL).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and folder.
    pub fn restart(&mut self) {
        self.stop();
        self.run(&program().unwrap());
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A new, empty bucket named after the test.
    pub fn bucket(&self, tag: &str) -> String {
        let name = format!("odoodbt-{}-{}", std::process::id(), tag.replace('_', "-"));
        std::fs::create_dir_all(self.root.path().join(&name)).unwrap();
        name
    }

    /// The server's address and this server's credentials, as every S3 tool reads them.
    pub fn vars(&self) -> [(&'static str, String); 4] {
        [
            ("AWS_ENDPOINT_URL", self.endpoint()),
            ("AWS_ACCESS_KEY_ID", self.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_key.clone()),
            ("AWS_REGION", "us-east-1".into()),
        ]
    }

    /// The objects under `prefix` of `bucket`, by key, sorted.
    pub fn objects(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let dir = self.root.path().join(bucket);
        crate::support::files_under(&dir)
            .into_iter()
            .filter(|key| key.starts_with(prefix))
            .collect()
    }

    /// The object's bytes, as stored.
    pub fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.root.path().join(bucket).join(key)
    }

    /// Multipart uploads begun and neither completed nor aborted: s3s-fs keeps a
    /// `.upload-<id>.json` for each, and its parts as `.upload_id-<id>.part-<n>`; both count.
    pub fn open_uploads(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| {
                (name.starts_with(".upload-") && name.ends_with("json"))
                    || name.starts_with(".upload_id-")
            })
            .collect();
        names.sort();
        names
    }

    /// The uploads begun and not settled (their markers only).
    pub fn open_upload_count(&self) -> usize {
        self.open_uploads().iter().filter(|name| name.starts_with(".upload-")).count()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(self.root.path().with_extension("log"));
    }
}

fn uuid_like() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{nanos:08x}")
}
