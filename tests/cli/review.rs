//! An adversarial review of "exit 0 means whole": a filestore that changes under a backup, an
//! output name that appears while the backup runs, hostile names in shared folders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv};

/// A pg_dump that says it has started (`<dir>/started`), then waits for `<dir>/go` before it
/// runs the real one: what the test changes meanwhile, the backup has already listed.
fn held_pg_dump(env: &TestEnv) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let real = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v pg_dump"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let bin = env.root.join("held-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("pg_dump");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then exec {real} --version; fi\n\
             touch {dir}/started\n\
             i=0; while [ ! -f {dir}/go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n\
             exec {real} \"$@\"\n",
            real = real.trim(),
            dir = bin.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
    std::fs::write(&env.odoo_conf, format!("{conf}pg_path = {}\n", bin.display())).unwrap();
    bin
}

fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_mins(1);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A file that grows after the backup listed it (Odoo writing an attachment, a log appended)
/// must not go into an archive cut at its listed size with exit 0: that archive restores a
/// torn file. GNU tar says "file changed as we read it" and exits 1; so must odoodb (or carry
/// the whole file).
#[test]
fn a_file_that_grows_after_the_listing_is_not_archived_torn_with_exit_0() {
    for format in ["tar.gz", "zip"] {
        let env = TestEnv::new();
        let source = fixtures::modern(&env, "grow");
        let root = env.filestore(&source.name);
        let stray = root.join("checklist").join("growing.log");
        std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
        std::fs::write(&stray, b"first line\n").unwrap();
        let bin = held_pg_dump(&env);
        let archive = env.root.join(format!("grow.{format}"));
        let child = env.spawn(["backup", &source.name, "--format", format, "-o"], |c| {
            c.arg(&archive);
        });
        wait_for(&bin.join("started"));
        // The listing runs beside pg_dump (tar.gz) or before it (zip): give it its moment.
        std::thread::sleep(Duration::from_millis(500));
        let mut file = std::fs::OpenOptions::new().append(true).open(&stray).unwrap();
        std::io::Write::write_all(&mut file, b"second line, appended while backing up\n").unwrap();
        drop(file);
        std::fs::write(bin.join("go"), b"").unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            assert!(stderr.contains("changed"), "{format}: {stderr}");
            assert!(!archive.exists(), "{format}: a failed backup left its archive");
            continue;
        }
        // Exit 0: then the archive must restore the file whole (with the real tools again).
        let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
        let conf: String =
            conf.lines().filter(|l| !l.starts_with("pg_path")).flat_map(|l| [l, "\n"]).collect();
        std::fs::write(&env.odoo_conf, conf).unwrap();
        let restored = PgTestDb::reserve("grow_r");
        let output = env.cmd().arg("restore").arg(&archive).arg(&restored.name).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let back =
            std::fs::read(env.filestore(&restored.name).join("checklist/growing.log")).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&back),
            String::from_utf8_lossy(&std::fs::read(&stray).unwrap()),
            "{format}: the backup exited 0 with a torn copy of a file that grew"
        );
    }
}

/// `-o NEW` is checked to be new at the start; a file that takes that name while the backup
/// runs (the user's, another run's) must not be replaced at the end without --force.
#[test]
fn a_file_that_appears_under_the_output_name_meanwhile_is_not_replaced_without_force() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "clobber");
    let archive = env.root.join("clobber.tar.gz");
    let resume = env.root.join("resume");
    let child = env.spawn(["backup", &source.name, "-o"], |c| {
        c.arg(&archive)
            .env("ODOODB_FAULT", "pause:backup:before-rename")
            .env("ODOODB_FAULT_RESUME", &resume);
    });
    // The partial archive is whole once the pause is reached; its lock file says the run lives.
    let deadline = Instant::now() + Duration::from_mins(1);
    loop {
        let partial_done = std::fs::read_dir(&env.root).unwrap().flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".partial") && e.metadata().is_ok_and(|m| m.len() > 0)
        });
        if partial_done {
            break;
        }
        assert!(Instant::now() < deadline, "the backup never wrote its archive");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(&archive, b"the user's own file, made meanwhile").unwrap();
    std::fs::write(&resume, b"").unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(&archive).unwrap()[..20]),
        "the user's own file,",
        "replaced without --force (exit {:?}): {stderr}",
        output.status.code()
    );
    assert!(!output.status.success(), "exit 0, but the archive is not where it says: {stderr}");
    let hidden: Vec<String> = std::fs::read_dir(&env.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".odoodb-run-"))
        .collect();
    assert_eq!(hidden, Vec::<String>::new(), "left behind");
}

/// A lock-file name another local user can plant in the shared temporary folder: a named pipe.
/// Opening it for reading would wait for a writer forever, so `backup -o -` and `recover` hung
/// (no Ctrl-C: the wait is in the kernel, not in odoodb).
#[test]
fn a_pipe_planted_under_a_run_lock_name_hangs_neither_backup_nor_recover() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "fifo_lock");
    let tmp = env.root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let planted = tmp.join(".odoodb-run-0123456789ab.lock");
    assert!(std::process::Command::new("mkfifo").arg(&planted).status().unwrap().success());
    let output = env
        .cmd()
        .env("TMPDIR", &tmp)
        .args(["backup", &source.name, "-o", "-"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "backup -o - with a pipe in the temporary folder: {:?} {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    let output = env
        .cmd()
        .env("TMPDIR", &tmp)
        .arg("recover")
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(output.status.code().is_some(), "recover hung on a planted pipe");
}

/// A sweep takes what follows `.odoodb-run-` up to `.lock` for a run id: a stray
/// `.odoodb-run-<id>.<name>.lock` (planted, or anything so named) passed for the free lock of a
/// run `<id>.<name>`, and `recover` removed the live run's partial archive with it.
#[test]
fn a_sweep_never_takes_a_live_runs_files_for_another_runs() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "sweep_id");
    let dir = env.root.join("shared");
    std::fs::create_dir_all(&dir).unwrap();
    let archive = dir.join("x.tar.gz");
    let resume = env.root.join("resume");
    let child = env.spawn(["backup", &source.name, "-o"], |c| {
        c.arg(&archive)
            .env("ODOODB_FAULT", "pause:backup:before-rename")
            .env("ODOODB_FAULT_RESUME", &resume);
    });
    let deadline = Instant::now() + Duration::from_mins(1);
    let id = loop {
        let found = std::fs::read_dir(&dir).unwrap().flatten().find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_prefix(".odoodb-run-")?.split('.').next()?.to_string();
            (name.ends_with(".partial") && e.metadata().is_ok_and(|m| m.len() > 0)).then_some(id)
        });
        if let Some(id) = found {
            break id;
        }
        assert!(Instant::now() < deadline, "the backup never wrote its archive");
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(dir.join(format!(".odoodb-run-{id}.x.tar.gz.lock")), b"").unwrap();
    let output = env.cmd().current_dir(&dir).arg("recover").output().unwrap();
    assert!(output.status.code().is_some());
    std::fs::write(&resume, b"").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "a sweep took the live run's files: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(archive.exists());
}

/// A filestore folder holding a link to the backup folder (an administrator's shortcut) walks
/// into the run's own scratch files: the dump being written and the partial archive. They must
/// not go into the archive — a torn copy of the whole database, restored into the filestore of
/// every copy — nor make every backup fail as "changed while archived".
#[test]
fn a_backup_never_reads_its_own_scratch_files_into_the_archive() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "self_read");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), b"the administrator's notes").unwrap();
    std::os::unix::fs::symlink(&dir, env.filestore(&source.name).join("backups-link")).unwrap();
    for format in ["tar.gz", "zip"] {
        let output = env
            .cmd()
            .args(["--json", "backup", &source.name, "--format", format, "--dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{format}: a link to the backup folder fails the backup: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = crate::support::json(&output);
        let archive = PathBuf::from(report["path"].as_str().unwrap());
        let listing = if format == "zip" {
            std::process::Command::new("unzip").arg("-Z1").arg(&archive).output().unwrap()
        } else {
            std::process::Command::new("tar").arg("tzf").arg(&archive).output().unwrap()
        };
        let names = String::from_utf8_lossy(&listing.stdout).into_owned();
        assert!(names.contains("backups-link/notes.txt"), "{format}: {names}");
        let scratch: Vec<&str> = names.lines().filter(|n| n.contains(".odoodb-run-")).collect();
        assert_eq!(scratch, Vec::<&str>::new(), "{format}: the run's scratch files went in");
        let output = env.cmd().args(["backup", "--verify"]).arg(&archive).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
        std::fs::remove_file(&archive).unwrap();
    }
}

/// `--format dump -o PIPE` (or a tape, `/dev/null`): the dump must go into what -o names. It went
/// to odoodb's own stdout instead — the whole database into a cron mail or a log — while the
/// pipe's reader got nothing, and the backup exited 0.
#[test]
fn a_dump_format_backup_to_a_pipe_goes_into_the_pipe_not_stdout() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dump_fifo");
    let fifo = env.root.join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).unwrap())
    };
    let output = env
        .cmd()
        .args(["backup", &source.name, "--format", "dump", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    let received = reader.join().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        !output.stdout.windows(5).any(|w| w == b"PGDMP"),
        "the dump went to stdout ({} bytes), not into the pipe",
        output.stdout.len()
    );
    assert!(received.starts_with(b"PGDMP"), "the pipe got {} bytes", received.len());
}

/// Two backups of one database into one folder with --keep (a cron run overlapping a manual
/// one): the one that finishes last must not remove a backup newer than its own — the most
/// recent state of the database — as if it were an "older backup beyond the newest N".
#[test]
fn keep_never_removes_a_backup_newer_than_the_new_one() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "keep_race");
    let dir = env.root.join("nightly");
    std::fs::create_dir_all(&dir).unwrap();
    let resume = env.root.join("resume");
    let slow = env.spawn(["backup", &source.name, "--keep", "1", "--dir"], |c| {
        c.arg(&dir)
            .env("ODOODB_FAULT", "pause:backup:before-rename")
            .env("ODOODB_FAULT_RESUME", &resume);
    });
    std::thread::sleep(Duration::from_millis(1500));
    let output = env
        .cmd()
        .args(["--json", "backup", &source.name, "--keep", "1", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let newer = PathBuf::from(crate::support::json(&output)["path"].as_str().unwrap());
    std::fs::write(&resume, b"").unwrap();
    let output = slow.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        newer.exists(),
        "the older run removed the newer backup: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
