//! A real OpenSSH server for the upgrade platform's stand-in: `/usr/sbin/sshd -D -e` on
//! 127.0.0.1 and a free port, with its own host key, configuration and `authorized_keys` in a
//! temp dir, accepting only the keys the stand-in adds. The product's real `ssh`+`rsync`
//! transfer runs against it. It is killed (with every session it started) when dropped.
//!
//! Every added key is bound to a forced command (`session.sh` in the temp dir) that logs the
//! command the client asked for and runs it, or, when a cut was armed, feeds only the first N
//! bytes of the next upload to `rsync --server`: a transfer broken mid-way, deterministically.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";
const INSTALL: &str = "apt-get install -y openssh-server rsync";

/// How long sshd may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Sshd {
    dir: tempfile::TempDir,
    data: tempfile::TempDir,
    /// The port sshd listens on, on 127.0.0.1.
    pub port: u16,
    /// `[127.0.0.1]:<port> ssh-ed25519 AAAA…`: the line a client's known_hosts needs.
    pub known_hosts: String,
    /// The account the clients log in as (the user running the tests).
    pub user: String,
    child: Mutex<Option<Child>>,
}

/// Why the data server cannot run here, if it cannot: a missing program.
pub fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if !Path::new(SSHD).is_file() {
        missing.push(SSHD.to_string());
    }
    for tool in ["ssh", "ssh-keygen", "rsync"] {
        let found = Command::new(tool)
            .arg(if tool == "rsync" { "--version" } else { "-V" })
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if !found {
            missing.push(tool.to_string());
        }
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// `true` when ssh, sshd and rsync are here. Otherwise: under CI (env `CI` set) a panic with
/// the install command; elsewhere a "SKIPPED" line and `false`, and the test returns.
pub fn available(what: &str) -> bool {
    let Some(missing) = missing_tools() else { return true };
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} needs {missing}, which CI must install: {INSTALL}"
    );
    eprintln!("SKIPPED {what}: {missing} not installed ({INSTALL})");
    false
}

/// Runs `ssh-keygen -t ed25519 -N ''` for `path` (and `path.pub`); returns the public line.
pub fn keygen(path: &Path, comment: &str) -> String {
    let output = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("ssh-keygen could not run");
    assert!(
        output.status.success(),
        "ssh-keygen failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let public = std::fs::read_to_string(format!("{}.pub", path.display())).unwrap();
    public.trim().to_string()
}

/// A host key that no stand-in serves, made once per run: the "wrong known_hosts" fault.
pub fn foreign_host_key() -> &'static str {
    static KEY: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    &KEY.get_or_init(|| {
        let dir = tempfile::Builder::new().prefix("odoodb-foreign-key-").tempdir().unwrap();
        let public = keygen(&dir.path().join("host_ed25519"), "not-the-stand-in");
        (dir, public)
    })
    .1
}

fn whoami() -> String {
    let output = Command::new("whoami").output().expect("whoami could not run");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}

impl Sshd {
    /// Starts sshd, or `None` (after saying the test is skipped) when ssh, sshd or rsync is
    /// missing outside CI.
    pub fn start(what: &str) -> Option<Self> {
        if !available(what) {
            return None;
        }
        // Privilege separation needs this directory (made by the service, which is not running).
        let _ = std::fs::create_dir_all("/run/sshd");
        let dir = tempfile::Builder::new().prefix("odoodb-sshd-").tempdir().unwrap();
        let data = tempfile::Builder::new().prefix("odoodb-data-server-").tempdir().unwrap();
        let host_key = dir.path().join("host_ed25519");
        let host_public = keygen(&host_key, "odoodb-standin-host");
        let session = dir.path().join("session.sh");
        std::fs::write(&session, session_script(dir.path())).unwrap();
        std::fs::set_permissions(&session, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        std::fs::write(dir.path().join("authorized_keys"), "").unwrap();
        // A port found free can be taken before sshd binds it: then try another one.
        let mut log = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut child = spawn(dir.path(), &host_key, port);
            match wait_ready(&mut child, port, &dir.path().join("sshd.log")) {
                Ok(()) => {
                    return Some(Self {
                        port,
                        known_hosts: format!("[127.0.0.1]:{port} {host_public}"),
                        user: whoami(),
                        child: Mutex::new(Some(child)),
                        dir,
                        data,
                    });
                }
                Err(text) if text.contains("Address already in use") => log = text,
                Err(text) => panic!("sshd did not start on 127.0.0.1:{port}:\n{text}"),
            }
        }
        panic!("sshd found no free port on 127.0.0.1:\n{log}");
    }

    /// The folder clients read and write (the product's `--data-server-path`).
    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// `--data-server-user U --data-server-path P`, as the product takes them.
    pub fn product_args(&self) -> Vec<std::ffi::OsString> {
        vec![
            "--data-server-user".into(),
            self.user.clone().into(),
            "--data-server-path".into(),
            self.data_dir().as_os_str().to_owned(),
        ]
    }

    /// Lets the holder of this public key (the text of a `.pub` file) in.
    pub fn authorize(&self, public_key: &str) {
        let key = public_key.trim();
        assert!(
            key.starts_with("ssh-") && !key.contains('\n'),
            "not one OpenSSH public key: {key:?}"
        );
        let session = self.dir.path().join("session.sh");
        let line = format!(
            "command=\"{}\",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding {key}\n",
            session.display()
        );
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(self.dir.path().join("authorized_keys"))
            .unwrap();
        file.write_all(line.as_bytes()).unwrap();
    }

    /// The next upload (`rsync --server` receiving) gets only its first `bytes` bytes, then
    /// its input ends: the transfer breaks mid-way. Later ones go through.
    pub fn cut_next_upload(&self, bytes: usize) {
        std::fs::write(self.dir.path().join("cut-after"), bytes.to_string()).unwrap();
    }

    /// The commands clients ran, in order (`rsync --server …`).
    pub fn commands(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("commands.log"))
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    /// sshd's own log (its stderr), for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// Stops the server and every session it started (a data server that vanishes).
    pub fn stop(&self) {
        let Some(mut child) = self.child.lock().unwrap().take() else { return };
        let root = child.id();
        for pid in descendants(root) {
            kill(pid);
        }
        let _ = child.kill();
        let _ = child.wait();
        // Sessions forked meanwhile.
        for pid in descendants(root) {
            kill(pid);
        }
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(dir: &Path, host_key: &Path, port: u16) -> Child {
    let config = dir.join("sshd_config");
    std::fs::write(&config, sshd_config(dir, host_key, port)).unwrap();
    Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {SSHD}: {e}"))
}

/// Waits until the port accepts a connection; `Err(sshd's log)` when sshd exited or the wait
/// ran out.
fn wait_ready(child: &mut Child, port: u16, log: &Path) -> Result<(), String> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + READY_TIMEOUT;
    let read_log = || std::fs::read_to_string(log).unwrap_or_default();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("sshd exited ({status}):\n{}", read_log()));
        }
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "sshd did not accept connections within {READY_TIMEOUT:?}:\n{}",
                read_log()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn sshd_config(dir: &Path, host_key: &Path, port: u16) -> String {
    format!(
        "ListenAddress 127.0.0.1\n\
         Port {port}\n\
         HostKey {host_key}\n\
         PidFile {dir}/sshd.pid\n\
         AuthorizedKeysFile {dir}/authorized_keys\n\
         PubkeyAuthentication yes\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         UsePAM no\n\
         StrictModes no\n\
         PermitRootLogin prohibit-password\n\
         PrintMotd no\n\
         Subsystem sftp internal-sftp\n",
        host_key = host_key.display(),
        dir = dir.display(),
    )
}

/// The forced command of every key: logs the command asked for, and runs it; an upload gets
/// only `cut-after` bytes of its input when that file exists (one-shot).
fn session_script(dir: &Path) -> String {
    format!(
        r#"#!/bin/sh
printf '%s\n' "$SSH_ORIGINAL_COMMAND" >> '{dir}/commands.log'
case "$SSH_ORIGINAL_COMMAND" in
    *--sender*) ;;
    "rsync --server"*)
        if [ -f '{dir}/cut-after' ]; then
            bytes=$(cat '{dir}/cut-after')
            rm -f '{dir}/cut-after'
            dd bs=4096 count="$bytes" iflag=count_bytes status=none | sh -c "$SSH_ORIGINAL_COMMAND"
            exit 12
        fi
        ;;
esac
exec sh -c "$SSH_ORIGINAL_COMMAND"
"#,
        dir = dir.display()
    )
}

/// Every process below `root`, from /proc (sshd's sessions run in sessions of their own, so
/// a process group would miss them).
fn descendants(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
            let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else { continue };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
                parents.push((pid, ppid));
            }
        }
    }
    let mut found = vec![root];
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        found.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        index += 1;
    }
    found.remove(0);
    found
}

fn kill(pid: u32) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}
