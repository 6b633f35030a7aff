//! Exit 0 means whole: a backup that exits 0 verifies and restores to the same files, whatever
//! the filestore folder holds. Tested as a property over generated filestores (stray files,
//! odd names, empty files, subfolders, links that lead somewhere, nowhere or back up the tree,
//! pipes), in both archive formats.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt as _;
use std::path::Path;
use std::process::Command as Process;

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, files_under};

/// A small deterministic generator: the same seed makes the same tree, so a failure can be
/// replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Names a filestore folder gathers besides Odoo's own `<xx>/<sha1>`.
const ODD_NAMES: &[&str] = &[
    ".DS_Store",
    "Thumbs.db",
    "#draft#",
    ".~lock.report.odt#",
    ".rsync-tmp.Xy12ab",
    "name with spaces.txt",
    "ünïcödé-€.pdf",
    "percent%20encoded",
    "semi;colon&amp",
    "quote'and\"double",
    "UPPER.TXT",
    "ab",
    "0123456789abcdef0123456789abcdef01234567",
    "very-long-name-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

const FOLDERS: &[&str] = &["checklist", "ab", "tmp", "sub dir", "ñ", "deep", ".hidden"];

/// Builds a generated filestore under `root`; returns the files a restore must give back
/// (relative path → content) and how many entries a backup must leave out.
fn generate(rng: &mut Rng, root: &Path) -> (BTreeMap<String, Vec<u8>>, usize) {
    let mut kept = BTreeMap::new();
    let mut leaf_dirs: Vec<String> = Vec::new();
    for _ in 0..(8 + rng.below(12)) {
        let depth = rng.below(4);
        let mut parts: Vec<String> = (0..depth).map(|_| rng.pick(FOLDERS).to_string()).collect();
        let folder = parts.join("/");
        parts.push(format!("{}{}", rng.pick(ODD_NAMES), rng.below(3)));
        let relative = parts.join("/");
        if kept.keys().any(|k: &String| k.starts_with(&format!("{relative}/")))
            || kept.contains_key(&folder)
        {
            continue;
        }
        let size = match rng.below(4) {
            0 => 0,
            1 => 1,
            2 => rng.below(4096),
            _ => rng.below(300_000),
        };
        let content: Vec<u8> =
            (0..size).map(|_| u8::try_from(rng.next() & 0xff).unwrap()).collect();
        let path = root.join(&relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &content).unwrap();
        kept.insert(relative, content);
        if !folder.is_empty() {
            leaf_dirs.push(folder);
        }
    }
    // A link to a file inside is followed, as Odoo's copy does: it restores as a file.
    let (target, content) = kept.iter().nth(rng.below(kept.len())).unwrap();
    let (target, content) = (target.clone(), content.clone());
    std::os::unix::fs::symlink(root.join(&target), root.join("linked-file")).unwrap();
    kept.insert("linked-file".into(), content);
    // A link to a folder of plain files: its files restore under the link's name.
    if let Some(folder) = leaf_dirs.first() {
        let copies: Vec<(String, Vec<u8>)> = kept
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(&format!("{folder}/"))
                    .map(|r| (format!("linked-dir/{r}"), v.clone()))
            })
            .collect();
        std::os::unix::fs::symlink(root.join(folder), root.join("linked-dir")).unwrap();
        kept.extend(copies);
    }
    // What no archive that restores can carry: left out, and said so.
    let mut left_out = 0;
    std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling")).unwrap();
    left_out += 1;
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    left_out += 1;
    let status = Process::new("mkfifo").arg(root.join("a-pipe")).status().unwrap();
    assert!(status.success());
    left_out += 1;
    std::fs::write(root.join("new\nline"), b"x").unwrap();
    left_out += 1;
    std::fs::write(root.join("back\\slash"), b"x").unwrap();
    left_out += 1;
    std::fs::write(root.join(OsStr::from_bytes(b"latin1-\xe9t\xe9")), b"x").unwrap();
    left_out += 1;
    std::fs::create_dir_all(root.join(".odoodb-dump")).unwrap();
    std::fs::write(root.join(".odoodb-dump/x"), b"x").unwrap();
    left_out += 1;
    (kept, left_out)
}

fn run(command: &mut assert_cmd::Command) -> std::process::Output {
    command.output().unwrap()
}

#[test]
fn a_backup_that_exits_0_verifies_and_restores_the_same_files_whatever_the_folder_holds() {
    let env = TestEnv::new();
    let out = env.root.join("backups");
    std::fs::create_dir_all(&out).unwrap();
    for seed in 1..=4u64 {
        for format in ["tar.gz", "zip"] {
            let source = fixtures::modern(&env, "prop");
            let root = env.filestore(&source.name);
            let odoo_files: Vec<(String, Vec<u8>)> = files_under(&root)
                .into_iter()
                .map(|relative| {
                    let content = std::fs::read(root.join(&relative)).unwrap();
                    (relative, content)
                })
                .collect();
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let (mut expected, left_out) = generate(&mut rng, &root);
            expected.extend(odoo_files);
            let archive = out.join(format!("seed{seed}.{format}"));
            let output = run(env
                .cmd()
                .args(["backup", &source.name, "--format", format, "-o"])
                .arg(&archive));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "seed {seed} {format}: backup failed: {stderr}");
            assert!(
                stderr.contains(&format!("{left_out} entries of the filestore folder")),
                "seed {seed} {format}: the left-out entries are not reported: {stderr}"
            );

            let output = run(env.cmd().args(["backup", "--verify"]).arg(&archive));
            assert_eq!(
                output.status.code(),
                Some(0),
                "seed {seed} {format}: a backup that exited 0 does not verify: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );

            let restored = PgTestDb::reserve("propr");
            let output = run(env.cmd().arg("restore").arg(&archive).arg(&restored.name));
            assert!(
                output.status.success(),
                "seed {seed} {format}: a backup that exited 0 does not restore: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let back = env.filestore(&restored.name);
            let got: BTreeMap<String, Vec<u8>> = files_under(&back)
                .into_iter()
                .map(|relative| {
                    let content = std::fs::read(back.join(&relative)).unwrap();
                    (relative, content)
                })
                .collect();
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>(),
                "seed {seed} {format}: the restored files"
            );
            for (relative, content) in &expected {
                assert!(got[relative] == *content, "seed {seed} {format}: {relative} differs");
            }
        }
    }
}

/// `-o` writes through what must not be replaced: a named pipe and a character device get the
/// archive streamed into them, stdout under another name is stdout, a link is followed (never
/// replaced), an existing file needs --force, and a name that says another format is refused.
#[test]
fn backup_output_writes_through_pipes_devices_and_links_and_replaces_nothing_unasked() {
    use std::os::unix::fs::FileTypeExt as _;
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "outp");
    let dir = env.root.join("out");
    std::fs::create_dir_all(&dir).unwrap();

    // A named pipe: a reader gets the whole archive, the pipe stays a pipe.
    let fifo = dir.join("pipe");
    assert!(Process::new("mkfifo").arg(&fifo).status().unwrap().success());
    let received = dir.join("received.tar.gz");
    let reader = {
        let (fifo, received) = (fifo.clone(), received.clone());
        std::thread::spawn(move || {
            let bytes = std::fs::read(&fifo).unwrap();
            std::fs::write(&received, bytes).unwrap();
        })
    };
    let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&fifo));
    // Should the backup never have opened the pipe, a writer of ours lets the reader go.
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let _ = std::fs::OpenOptions::new().write(true).custom_flags(0o4000).open(&fifo);
    }
    reader.join().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let output = run(env.cmd().args(["backup", "--verify"]).arg(&received));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));

    // A character device (a /dev/null of our own, where we are allowed to make one).
    let null = dir.join("null");
    if Process::new("mknod").arg(&null).args(["c", "1", "3"]).status().is_ok_and(|s| s.success()) {
        let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&null));
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_char_device());
    }

    // /dev/stdout is stdout: the archive on it, the summary on stderr, nothing in /dev.
    let output = run(env.cmd().args(["backup", &source.name, "-o", "/dev/stdout"]));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.stdout[..2], [0x1f, 0x8b], "stdout holds the archive");
    assert!(String::from_utf8_lossy(&output.stderr).contains("Backed up"));
    let piped = dir.join("piped.tar.gz");
    std::fs::write(&piped, &output.stdout).unwrap();
    let output = run(env.cmd().args(["backup", "--verify"]).arg(&piped));
    assert_eq!(output.status.code(), Some(0));

    // An existing file: refused, untouched; replaced with --force.
    let existing = dir.join("existing.tar.gz");
    std::fs::write(&existing, b"the user's file").unwrap();
    let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&existing));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"the user's file");
    let output = run(env.cmd().args(["backup", &source.name, "--force", "-o"]).arg(&existing));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read(&existing).unwrap()[..2], [0x1f, 0x8b]);

    // A link: followed, never replaced; a link to nothing is refused.
    let real = dir.join("real.tar.gz");
    std::fs::write(&real, b"old").unwrap();
    let link = dir.join("link.tar.gz");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&link));
    assert_eq!(output.status.code(), Some(2), "a link to an existing file needs --force");
    let output = run(env.cmd().args(["backup", &source.name, "--force", "-o"]).arg(&link));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read(&real).unwrap()[..2], [0x1f, 0x8b], "written through the link");
    let dangling = dir.join("dangling.tar.gz");
    std::os::unix::fs::symlink(dir.join("nowhere.tar.gz"), &dangling).unwrap();
    let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&dangling));
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.join("nowhere.tar.gz").exists());
    assert!(std::fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());

    // A name whose extension contradicts --format is refused with the fix; without --format
    // the name chooses.
    let named = dir.join("prod.dump");
    let output =
        run(env.cmd().args(["backup", &source.name, "--format", "tar.gz", "-o"]).arg(&named));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format dump"));
    assert!(!named.exists());
    let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&named));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(&std::fs::read(&named).unwrap()[..4], b"PGDM");

    // Nothing of odoodb's stays in the folder.
    let hidden: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(hidden, Vec::<String>::new());
}

/// kill -9 in the middle of a backup leaves copies of the database beside the target (the
/// dump, the partial archive): the next backup into that folder, and `recover`, remove them
/// — and never a live run's.
#[test]
fn what_a_killed_backup_left_is_removed_by_the_next_run_and_by_recover() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "kill");
    let dir = env.root.join("nightly");
    let tmp = env.root.join("tmp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let settings = env.home.join(".config/odoodb");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(settings.join("config.toml"), format!("[backup]\ndir = {dir:?}\n")).unwrap();
    let hidden = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    for format in ["tar.gz", "zip"] {
        let output = run(env
            .cmd()
            .env("TMPDIR", &tmp)
            .env("ODOODB_FAULT", "crash:backup:after-dump")
            .args(["backup", &source.name, "--format", format]));
        assert!(!output.status.success(), "the crash point was not reached");
        assert!(!hidden(&dir).is_empty(), "{format}: the crash left nothing to test with");
        // The next backup into the folder removes them (and its own are gone at its end).
        let output =
            run(env.cmd().env("TMPDIR", &tmp).args(["backup", &source.name, "--format", format]));
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(hidden(&dir), Vec::<String>::new(), "{format}: left by the killed run");
    }
    // Killed while streaming to stdout: its dump waits in the temporary folder; `recover`
    // removes it, and what it left in the backup folder.
    let output = run(env
        .cmd()
        .env("TMPDIR", &tmp)
        .env("ODOODB_FAULT", "crash:backup:after-dump")
        .args(["backup", &source.name, "-o", "-"]));
    assert!(!output.status.success());
    let output = run(env
        .cmd()
        .env("TMPDIR", &tmp)
        .env("ODOODB_FAULT", "crash:backup:after-dump")
        .args(["backup", &source.name]));
    assert!(!output.status.success());
    assert!(!hidden(&tmp).is_empty() && !hidden(&dir).is_empty());
    let output = run(env.cmd().env("TMPDIR", &tmp).arg("recover"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(hidden(&tmp), Vec::<String>::new());
    assert_eq!(hidden(&dir), Vec::<String>::new());
}

/// What a terminal shows after a backup that fails half way: the error, and no progress line
/// left standing from the work that stopped.
#[test]
fn a_failed_backup_leaves_no_progress_line_on_the_terminal() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "tty_bar");
    // A pg_dump that writes for a while (so its bar is drawn), then fails.
    let bin = env.root.join("slow-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("pg_dump");
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 99.1'; exit 0; fi\n\
         out=/dev/stdout\nwhile [ $# -gt 0 ]; do [ \"$1\" = --file ] && out=$2; shift; done\n\
         i=0; while [ $i -lt 15 ]; do head -c 200000 /dev/zero >> \"$out\"; sleep 0.1; i=$((i+1)); done\n\
         echo 'pg_dump: error: connection lost' >&2; exit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
    std::fs::write(&env.odoo_conf, format!("{conf}pg_path = {}\n", bin.display())).unwrap();
    let out = env.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for format in ["tar.gz", "zip", "dump"] {
        let mut command = Process::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "\"$ODOODB\" backup {} --format {format} --dir {}; echo \"exit=$?\"",
                source.name,
                out.display()
            ))
            .env_clear()
            .env("ODOODB", assert_cmd::cargo::cargo_bin!("odoodb"))
            .env("HOME", &env.home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("ODOO_RC", &env.odoo_conf)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "120");
        let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
        let (before, _) = session.exp_regex("exit=[0-9]+").unwrap();
        // The screen as it is left: each line as the last carriage return left it, escape
        // sequences gone.
        let escape = without_escapes(&before);
        let shown: Vec<String> = escape
            .lines()
            .map(|line| line.rsplit('\r').next().unwrap_or_default().trim().to_string())
            .filter(|line| !line.is_empty())
            .collect();
        assert!(
            shown.iter().any(|line| line.contains("connection lost")),
            "{format}: no error shown: {shown:?}"
        );
        let stale: Vec<&String> = shown.iter().filter(|line| line.contains("B/s")).collect();
        assert!(stale.is_empty(), "{format}: a progress line was left on screen: {stale:?}");
    }
}

/// Drops ANSI escape sequences (CSI `ESC [ … letter`) from terminal output.
fn without_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for next in chars.by_ref() {
                    if next.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// A dump alone (no filestore) restored from a database whose attachments live in the
/// filestore: said as a warning, with the count, not a silent "0 files".
#[test]
fn restoring_a_dump_without_filestore_warns_about_the_attachments_that_need_one() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "nofs");
    let dump = env.root.join("only.dump");
    crate::support::archives::pg_dump(&source.name, &["-Fc"], &dump);
    let target = PgTestDb::reserve("nofs_r");
    let output = run(env.cmd().args(["--json", "restore"]).arg(&dump).arg(&target.name));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("2 attachments of"), "{stderr}");
    assert_eq!(crate::support::json(&output)["attachments_without_files"], 2);
}

/// A data file whose content no longer matches the sha1 of its name (damaged on disk) goes
/// into the archive as it is, the best copy there is, but the run does not say "whole": exit 3,
/// as `backup --verify` of that archive will report it (exit 4).
#[test]
fn a_backup_of_files_already_damaged_on_disk_is_kept_but_not_called_whole() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "damaged");
    let root = env.filestore(&source.name);
    let victim = files_under(&root).into_iter().next().unwrap();
    std::fs::write(root.join(&victim), b"bit rot").unwrap();
    let archive = env.root.join("damaged.tar.gz");
    let output = run(env.cmd().args(["backup", &source.name, "-o"]).arg(&archive));
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already damaged on disk"));
    assert!(archive.exists(), "the archive is kept");
    let output = run(env.cmd().args(["backup", "--verify"]).arg(&archive));
    assert_eq!(output.status.code(), Some(4));
}

/// `-o /proc/self/fd/2` names stderr (a link to a pipe with no path): written through, not
/// refused as a link to nothing; and a stderr whose reader is gone ends the run with exit 1,
/// never a panic (101).
#[test]
fn an_output_on_a_descriptor_is_written_through_and_a_closed_stderr_is_no_panic() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "fd2");
    let output = run(env.cmd().args(["backup", &source.name, "-o", "/proc/self/fd/2"]));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.windows(2).any(|w| w == [0x1f, 0x8b]), "the archive went to stderr");
    let mut child = env.spawn(["backup", &source.name, "-o", "/proc/self/fd/2"], |_| {});
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "a closed stderr must fail the run cleanly");
}
