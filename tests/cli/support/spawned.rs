//! A background run of the binary (`TestEnv::spawn`) that cannot outlive its test: a watchdog
//! kills it (and its own children) past a deadline, and dropping it unwaited kills it.
//!
//! The watchdog signals by pid, so it must never signal a pid the kernel has given to another
//! process: the waits here first wait for the exit *without reaping* (`waitid` with
//! `WNOWAIT`), tell the watchdog under its lock that the child is done, and only then reap.

use std::io::Read as _;
use std::ops::{Deref, DerefMut};
use std::process::{Child, ExitStatus, Output};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;

/// What the test and the watchdog share.
#[derive(Default)]
struct Watch {
    /// `done`: the child has exited (not yet reaped, or reaped) and must not be signalled;
    /// `killed`: the watchdog killed it.
    state: Mutex<(bool, bool)>,
    wake: Condvar,
}

/// The child of `TestEnv::spawn`. Derefs to `std::process::Child` for its pipes
/// (`stdin`, `stdout`, `stderr`) and `id()`; waiting and killing go through the methods here.
pub struct Spawned {
    child: Child,
    watch: Arc<Watch>,
    timeout: Duration,
    reaped: bool,
}

impl Spawned {
    pub(super) fn start(command: &mut std::process::Command, timeout: Duration) -> Self {
        let child = command.spawn().expect("cannot start the odoodb binary");
        let watch = Arc::new(Watch::default());
        let pid = pid_of(&child);
        let watcher = Arc::clone(&watch);
        std::thread::spawn(move || {
            let state = watcher.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (mut state, _) = watcher
                .wake
                .wait_timeout_while(state, timeout, |(done, _)| !*done)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !state.0 {
                eprintln!("odoodb (pid {pid}) still running after {timeout:?}: killed");
                kill_tree(pid);
                state.1 = true;
            }
        });
        Self { child, watch, timeout, reaped: false }
    }

    pub fn pid(&self) -> Pid {
        pid_of(&self.child)
    }

    /// Sends `signal` to the child (as Ctrl-C, SIGTERM, or kill -9 would).
    pub fn signal(&self, signal: Signal) {
        kill(self.pid(), signal).unwrap();
    }

    /// SIGKILL to the child alone (its own children are orphaned, as by `kill -9`).
    pub fn kill(&mut self) -> std::io::Result<()> {
        self.child.kill()
    }

    pub fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
        if !self.reaped {
            match waitid(Id::Pid(self.pid()), exited() | WaitPidFlag::WNOHANG) {
                Ok(WaitStatus::StillAlive) => return Ok(None),
                Ok(_) => self.done(),
                Err(e) => return Err(e.into()),
            }
        }
        self.child.try_wait()
    }

    /// Waits for the exit (closing stdin first, as `Child::wait` does).
    pub fn wait(&mut self) -> std::io::Result<ExitStatus> {
        drop(self.child.stdin.take());
        if !self.reaped {
            loop {
                match waitid(Id::Pid(self.pid()), exited()) {
                    Ok(_) => break,
                    Err(nix::errno::Errno::EINTR) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            self.done();
        }
        self.child.wait()
    }

    /// Reads stdout and stderr (those that are piped) to their end and waits for the exit.
    /// Panics, with what the child wrote on stderr, when the watchdog had to kill it.
    pub fn wait_with_output(mut self) -> std::io::Result<Output> {
        let stdout = self.child.stdout.take().map(|pipe| read_all(Box::new(pipe)));
        let stderr = self.child.stderr.take().map(|pipe| read_all(Box::new(pipe)));
        let status = self.wait()?;
        let collect = |reader: Option<std::thread::JoinHandle<Vec<u8>>>| {
            reader.map(|r| r.join().unwrap_or_default()).unwrap_or_default()
        };
        let output = Output { status, stdout: collect(stdout), stderr: collect(stderr) };
        assert!(
            !self.killed(),
            "odoodb ran longer than {:?} and was killed. stderr: {}",
            self.timeout,
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(output)
    }

    /// Marks the child as exited (the watchdog leaves it alone from now on); it is reaped next.
    fn done(&mut self) {
        let mut state = self.watch.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.0 = true;
        self.watch.wake.notify_all();
        self.reaped = true;
    }

    fn killed(&self) -> bool {
        self.watch.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1
    }
}

impl Deref for Spawned {
    type Target = Child;

    fn deref(&self) -> &Child {
        &self.child
    }
}

impl DerefMut for Spawned {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for Spawned {
    /// A child the test did not wait for (it failed half way, or had no need): killed, with
    /// its own children, and reaped.
    fn drop(&mut self) {
        if self.reaped {
            return;
        }
        if matches!(self.try_wait(), Ok(None)) {
            kill_tree(self.pid());
        }
        let _ = self.wait();
    }
}

fn exited() -> WaitPidFlag {
    WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT
}

fn pid_of(child: &Child) -> Pid {
    Pid::from_raw(i32::try_from(child.id()).unwrap())
}

fn read_all(mut pipe: Box<dyn std::io::Read + Send>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// SIGKILL to `pid` and every process below it (found before the kill, when their parents
/// are still known).
fn kill_tree(pid: Pid) {
    let mut tree = vec![pid.as_raw()];
    let mut at = 0;
    let parents = parents();
    while at < tree.len() {
        let parent = tree[at];
        tree.extend(parents.iter().filter(|(_, p)| *p == parent).map(|(c, _)| *c));
        at += 1;
    }
    for pid in tree {
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

/// (pid, parent pid) of each live process.
fn parents() -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return out };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // pid (comm) state ppid …: comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|at| &stat[at + 2..]) else { continue };
        let Some(parent) = rest.split(' ').nth(1).and_then(|p| p.parse().ok()) else { continue };
        out.push((pid, parent));
    }
    out
}
