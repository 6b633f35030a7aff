//! `odoodb restore`: every format restores whole (row counts of every table, the filestore
//! file for file), identity as asked, atomically; every bad input is refused with a clear
//! message and leaves nothing behind.

use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::Spawned;
use crate::support::archives::{self, Entry};
use crate::support::fixtures::{self, Real};
use crate::support::{
    PgTestDb, TestEnv, database_exists, files_under, json, leftovers, row_counts,
};

const SHA: &str = "ab1234567890abcdef1234567890abcdef123456";

fn restore(env: &TestEnv, archive: &Path, db: &str, extra: &[&str]) -> std::process::Output {
    env.cmd().arg("restore").arg(archive).arg(db).args(extra).output().unwrap()
}

fn assert_ok(output: &std::process::Output) {
    assert!(output.status.success(), "restore failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// The restored database has every row and every file of the source.
fn assert_same(env: &TestEnv, source: &str, restored: &str) {
    assert_eq!(row_counts(restored), row_counts(source), "row counts differ");
    assert_eq!(files_under(&env.filestore(restored)), files_under(&env.filestore(source)));
}

/// Nothing of a failed restore remains: no database, no folder, no temporaries, no journal.
fn assert_nothing_left(env: &TestEnv, db: &str) {
    assert!(!database_exists(db), "{db} exists after a failed restore");
    assert!(!env.filestore(db).exists(), "a folder for {db} exists after a failed restore");
    assert_eq!(leftovers(env, db), Vec::<String>::new());
}

fn real_zip(version: Real, tag: &str) {
    let env = TestEnv::new();
    let Some(reference) = fixtures::real(&env, version, tag) else { return };
    let zip = fixtures::real_file(version, "odoo-backup.zip").unwrap();
    let target = PgTestDb::reserve(&format!("{tag}_r"));
    let output = restore(&env, &zip, &target.name, &["--json"]);
    assert_ok(&output);
    let report = json(&output);
    assert_eq!(report["format"], "zip");
    assert_eq!(report["mode"], "copy");
    // The fixture's db.dump and filestore.tar.gz are the same database as the zip.
    assert_same(&env, &reference.name, &target.name);
    assert_ne!(target.param("database.uuid"), reference.param("database.uuid"));
    assert_eq!(target.param("web.base.url").as_deref(), Some("http://localhost:8069"));
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn odoo17_zip_restores_like_the_fixture() {
    real_zip(Real::Odoo17, "rs_zip17");
}

#[test]
fn odoo15_zip_restores_like_the_fixture() {
    real_zip(Real::Odoo15, "rs_zip15");
}

#[test]
fn pg_dump_files_folders_and_sql_restore_whole() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_fmt_src");
    let custom = archives::path_in(&env, "prod.dump");
    let folder = archives::path_in(&env, "prod_dir");
    let sql = archives::path_in(&env, "prod.sql");
    let sql_gz = archives::path_in(&env, "prod.sql.gz");
    archives::pg_dump(&source.name, &["-Fc"], &custom);
    archives::pg_dump(&source.name, &["-Fd"], &folder);
    archives::pg_dump(&source.name, &["-Fp"], &sql);
    archives::gzip(&sql, &sql_gz);
    for (tag, archive) in [("c", &custom), ("d", &folder), ("p", &sql), ("g", &sql_gz)] {
        let target = PgTestDb::reserve(&format!("rs_fmt_{tag}"));
        assert_ok(&restore(&env, archive, &target.name, &["--move", "--jobs", "2"]));
        assert_eq!(row_counts(&target.name), row_counts(&source.name), "format {tag}");
        assert_eq!(target.param("database.uuid"), source.param("database.uuid"));
        // A dump has no filestore: the new database gets no folder.
        assert!(!env.filestore(&target.name).exists());
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
    }
    // Standard input, told by content; the name must then be given.
    let target = PgTestDb::reserve("rs_fmt_stdin");
    let output = env
        .cmd()
        .args(["restore", "-", &target.name, "--move"])
        .pipe_stdin(&sql_gz)
        .unwrap()
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(row_counts(&target.name), row_counts(&source.name));
}

#[test]
fn our_tar_gz_in_every_dump_form_restores_whole() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_tar_src");
    for form in ["custom", "directory", "plain"] {
        let archive = archives::path_in(&env, &format!("{form}.tar.gz"));
        archives::our_tar_gz(&env, &source.name, form, &archive, |_, _| {});
        let target = PgTestDb::reserve(&format!("rs_tar_{}", &form[..3]));
        assert_ok(&restore(&env, &archive, &target.name, &["--move"]));
        assert_same(&env, &source.name, &target.name);
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
        // The archive is only read.
        assert!(archive.is_file());
    }
    // --inspect shows the manifest and sizes and restores nothing.
    let archive = archives::path_in(&env, "custom.tar.gz");
    let output = env.cmd().args(["restore", "--inspect", "--json"]).arg(&archive).output().unwrap();
    assert_ok(&output);
    let inspection = json(&output);
    assert_eq!(inspection["format"], "tar");
    assert_eq!(inspection["declared"]["files"], 2);
    assert_eq!(inspection["pg_dump_version"], "15.18");
}

#[test]
fn copy_renews_the_identity_and_move_keeps_it() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_id_src");
    let archive = archives::path_in(&env, "id.zip");
    archives::odoo_zip(&env, &source.name, &archive);
    let copied = PgTestDb::reserve("rs_id_copy");
    let output = restore(&env, &archive, &copied.name, &[]);
    assert_ok(&output);
    // No terminal and no flag: a copy, and it says so.
    assert!(String::from_utf8_lossy(&output.stderr).contains("as a copy"));
    assert_ne!(copied.param("database.uuid"), source.param("database.uuid"));
    assert_ne!(copied.param("database.secret"), source.param("database.secret"));
    assert_eq!(copied.param("database.enterprise_code"), None);
    let moved = PgTestDb::reserve("rs_id_move");
    assert_ok(&restore(&env, &archive, &moved.name, &["--move"]));
    for key in ["database.uuid", "database.secret", "database.enterprise_code", "web.base.url"] {
        assert_eq!(moved.param(key), source.param(key), "{key}");
    }
    assert_same(&env, &source.name, &moved.name);
}

#[test]
fn neutralize_makes_the_restore_pass_the_check() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_neu_src");
    let archive = archives::path_in(&env, "n.zip");
    archives::odoo_zip(&env, &source.name, &archive);
    let target = PgTestDb::reserve("rs_neu_dst");
    assert_ok(&restore(&env, &archive, &target.name, &["--neutralize", "--no-module-files"]));
    env.cmd().args(["neutralize", "--check", &target.name]).assert().code(0);
}

#[test]
fn force_replaces_only_once_complete_and_needs_confirmation() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_force_src");
    let archive = archives::path_in(&env, "f.zip");
    archives::odoo_zip(&env, &source.name, &archive);
    let target = fixtures::legacy(&env, "rs_force_dst");
    let before = row_counts(&target.name);
    let old_files = files_under(&env.filestore(&target.name));

    let output = restore(&env, &archive, &target.name, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    let output = restore(&env, &archive, &target.name, &["--force"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    // A restore that fails leaves the old database as it was.
    let output = env
        .cmd()
        .arg("restore")
        .arg(&archive)
        .args([&target.name, "--force", "--yes"])
        .env("ODOODB_FAULT", "fail:before-swap")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(row_counts(&target.name), before);
    assert_eq!(files_under(&env.filestore(&target.name)), old_files);

    assert_ok(&restore(&env, &archive, &target.name, &["--force", "--yes", "--move"]));
    assert_same(&env, &source.name, &target.name);
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn the_filestore_belongs_to_the_owner_of_the_filestore_root() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIPPED ownership test: needs root");
        return;
    }
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_own_src");
    let archive = archives::path_in(&env, "o.zip");
    archives::odoo_zip(&env, &source.name, &archive);
    let root = env.data_dir.join("filestore");
    std::process::Command::new("chown").arg("65534:65534").arg(&root).status().unwrap();
    let target = PgTestDb::reserve("rs_own_dst");
    assert_ok(&restore(&env, &archive, &target.name, &[]));
    let folder = env.filestore(&target.name);
    for path in
        std::iter::once(folder.clone()).chain(files_under(&folder).iter().map(|f| folder.join(f)))
    {
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "{}", path.display());
    }
}

/// A restore of `archive` that must fail with `message` and leave nothing.
fn refused(env: &TestEnv, archive: &Path, tag: &str, message: &str) {
    let target = PgTestDb::reserve(tag);
    let output = restore(env, archive, &target.name, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{tag}: restore succeeded");
    assert!(stderr.contains(message), "{tag}: expected {message:?} in: {stderr}");
    assert_nothing_left(env, &target.name);
}

#[test]
fn hostile_and_broken_archives_are_refused_and_leave_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_bad_src");
    let outside = env.root.join("outside");
    let cases: Vec<(&str, Entry, &str)> = vec![
        ("trav", Entry::File("filestore/../../outside".into(), b"x".to_vec()), "`..`"),
        ("abs", Entry::File(format!("{}", outside.display()), b"x".to_vec()), "absolute"),
        (
            "sym",
            Entry::Symlink(format!("filestore/ab/{SHA}"), "/etc/passwd".into()),
            "symbolic link",
        ),
        ("hard", Entry::HardLink(format!("filestore/ab/{SHA}"), "/etc/passwd".into()), "hard link"),
        ("dev", Entry::Device(format!("filestore/ab/{SHA}")), "device"),
        (
            "scratch",
            Entry::File("filestore/.odoodb-dump/toc.dat".into(), b"x".to_vec()),
            "scratch folder",
        ),
        ("newline", Entry::File("filestore/a\nb".into(), b"x".to_vec()), "control character"),
        ("other", Entry::File("etc/cron.d/x".into(), b"x".to_vec()), "not part of a backup"),
        ("dup", Entry::File(format!("filestore/ab/{SHA}"), b"y".to_vec()), "twice"),
    ];
    for (tag, bad, message) in cases {
        let archive = archives::path_in(&env, &format!("{tag}.tar.gz"));
        archives::our_tar_gz(&env, &source.name, "custom", &archive, |manifest, entries| {
            if tag == "dup" {
                entries.push(Entry::File(format!("filestore/ab/{SHA}"), b"x".to_vec()));
                manifest["odoodb"]["filestore"]["files"] = serde_json::json!(4);
                manifest["odoodb"]["filestore"]["bytes"] = serde_json::json!(1000);
            }
            entries.push(bad);
        });
        refused(&env, &archive, &format!("rs_bad_{tag}"), message);
        assert!(!outside.exists());
    }
    // The same in a zip: symlink and traversal.
    let zip = archives::path_in(&env, "sym.zip");
    archives::write_zip(
        &zip,
        &[
            Entry::File("dump.sql".into(), b"SELECT 1;".to_vec()),
            Entry::Symlink(format!("filestore/ab/{SHA}"), "/etc/passwd".into()),
        ],
    );
    refused(&env, &zip, "rs_bad_zsym", "symbolic link");
    let zip = archives::path_in(&env, "trav.zip");
    archives::write_zip(
        &zip,
        &[
            Entry::File("dump.sql".into(), b"SELECT 1;".to_vec()),
            Entry::File("filestore/../../x".into(), b"x".to_vec()),
        ],
    );
    refused(&env, &zip, "rs_bad_ztrav", "`..`");
    // A zip without dump.sql.
    let zip = archives::path_in(&env, "nodump.zip");
    let manifest = serde_json::to_vec(&archives::manifest("x", None)).unwrap();
    archives::write_zip(&zip, &[Entry::File("manifest.json".into(), manifest)]);
    refused(&env, &zip, "rs_bad_nodump", "no dump.sql");
    // A corrupt zip: one byte of the table of contents changed.
    let good = archives::path_in(&env, "good.zip");
    archives::odoo_zip(&env, &source.name, &good);
    let mut bytes = std::fs::read(&good).unwrap();
    let cut = bytes.len() - 30;
    bytes.truncate(cut);
    let zip = archives::path_in(&env, "corrupt.zip");
    std::fs::write(&zip, &bytes).unwrap();
    refused(&env, &zip, "rs_bad_corrupt", "corrupt");
    // A zip whose data was damaged (CRC).
    let mut bytes = std::fs::read(&good).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0xff;
    let zip = archives::path_in(&env, "crc.zip");
    std::fs::write(&zip, &bytes).unwrap();
    refused(&env, &zip, "rs_bad_crc", "failed");
    // A truncated tar.gz.
    let archive = archives::path_in(&env, "whole.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &archive, |_, _| {});
    let bytes = std::fs::read(&archive).unwrap();
    let truncated = archives::path_in(&env, "trunc.tar.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap();
    refused(&env, &truncated, "rs_bad_trunc", "truncated");
    // Cut inside the dump: the schema already loads from the part written out when the
    // archive ends.
    let truncated = archives::path_in(&env, "trunc_dump.tar.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() / 10]).unwrap();
    refused(&env, &truncated, "rs_bad_trdump", "truncated");
    // SQL that fails half way: nothing of it stays.
    let sql = archives::path_in(&env, "half.sql");
    archives::pg_dump(&source.name, &["-Fp"], &sql);
    let text = std::fs::read_to_string(&sql).unwrap();
    // Before pg_dump's closing line: a whole dump whose statement fails.
    let text = text.replacen(
        "--\n-- PostgreSQL database dump complete",
        "CREATE TABLE half_way (x int);\nSELECT no_such_function();\n\n--\n-- PostgreSQL database dump complete",
        1,
    );
    std::fs::write(&sql, text).unwrap();
    refused(&env, &sql, "rs_bad_half", "psql failed");
    // Not an archive at all.
    let junk = archives::path_in(&env, "junk.zip");
    std::fs::write(&junk, b"\x89PNG\r\n\x1a\n not a backup").unwrap();
    refused(&env, &junk, "rs_bad_junk", "is not a backup");
}

/// A zip is loaded by two readers at once (dump.sql into psql, the filestore into its folder):
/// a failure on either side stops both and leaves nothing.
#[test]
fn a_zip_failing_on_either_side_of_its_concurrent_restore_leaves_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_zc_src");
    // A zip whose SQL fails half way while its filestore is being extracted alongside, and
    // one whose filestore is damaged while its dump.sql loads: nothing of either stays.
    let scratch = archives::path_in(&env, "half_zip.sql");
    archives::pg_dump(&source.name, &["-Fp"], &scratch);
    let text = std::fs::read_to_string(&scratch).unwrap().replacen(
        "--\n-- PostgreSQL database dump complete",
        "SELECT no_such_function();\n\n--\n-- PostgreSQL database dump complete",
        1,
    );
    let text = text.into_bytes();
    let mut entries = vec![Entry::File("dump.sql".into(), text)];
    for (name, content) in archives::filestore_entries(&env, &source.name) {
        entries.push(Entry::File(format!("filestore/{name}"), content));
    }
    let zip = archives::path_in(&env, "half.zip");
    archives::write_zip(&zip, &entries);
    refused(&env, &zip, "rs_bad_zhalf", "psql failed");
    let mut bytes = std::fs::read(&zip).unwrap();
    let last = entries.last().map(|e| match e {
        Entry::File(name, _) => name.clone(),
        _ => unreachable!(),
    });
    let name = last.unwrap();
    // A byte of the last member's data, just after its local header (30 bytes, its name and
    // its extra field).
    let at = bytes.windows(name.len()).position(|w| w == name.as_bytes()).unwrap();
    let extra = usize::from(u16::from_le_bytes([bytes[at - 2], bytes[at - 1]]));
    bytes[at + name.len() + extra + 2] ^= 0xff;
    let zip = archives::path_in(&env, "crc_files.zip");
    std::fs::write(&zip, &bytes).unwrap();
    refused(&env, &zip, "rs_bad_zcrc", "corrupt");
}

#[test]
fn a_gzip_bomb_is_cut_off_at_the_declared_size() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_bomb_src");
    let archive = archives::path_in(&env, "bomb.tar.gz");
    let zeros = vec![0u8; 64 << 20];
    let name = archives::sha1(&zeros);
    archives::our_tar_gz(&env, &source.name, "custom", &archive, |_, entries| {
        entries.push(Entry::File(format!("filestore/{}/{name}", &name[..2]), zeros.clone()));
    });
    assert!(std::fs::metadata(&archive).unwrap().len() < 4 << 20);
    refused(&env, &archive, "rs_bomb", "larger than its manifest declares");
    // Plain SQL of zeros.
    let bomb = archives::path_in(&env, "zeros.sql.gz");
    let raw = archives::path_in(&env, "zeros.sql");
    // Text first (so it passes for SQL by its head), then the zeros.
    let mut text = "-- a dump\n".repeat(1000).into_bytes();
    text.extend_from_slice(&zeros);
    std::fs::write(&raw, text).unwrap();
    archives::gzip(&raw, &bomb);
    refused(&env, &bomb, "rs_bomb_sql", "NUL byte");
}

#[test]
fn an_existing_target_is_an_error_and_stays_untouched() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_exist");
    let archive = archives::path_in(&env, "e.zip");
    archives::odoo_zip(&env, &source.name, &archive);
    let before = row_counts(&source.name);
    let output = restore(&env, &archive, &source.name, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    assert_eq!(row_counts(&source.name), before);
}

#[test]
fn a_full_disk_is_refused_before_anything_is_written() {
    let env = TestEnv::new();
    let Some(_) = fixtures::real(&env, Real::Odoo17, "rs_full_ref") else { return };
    let small = env.root.join("small");
    std::fs::create_dir_all(&small).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED full-disk test: cannot mount a tmpfs here");
        return;
    }
    std::fs::create_dir_all(small.join("filestore")).unwrap();
    let zip = fixtures::real_file(Real::Odoo17, "odoo-backup.zip").unwrap();
    let target = PgTestDb::reserve("rs_full");
    let output = env
        .cmd()
        .args(["--data-dir"])
        .arg(&small)
        .arg("restore")
        .arg(&zip)
        .arg(&target.name)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let files = files_under(&small);
    std::process::Command::new("umount").arg(&small).status().unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not enough free space"), "{stderr}");
    assert!(!database_exists(&target.name));
    assert_eq!(files, Vec::<String>::new());
}

#[test]
fn a_restore_killed_midway_is_cleaned_up_by_recover() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_crash_src");
    let archive = archives::path_in(&env, "k.tar.gz");
    archives::our_tar_gz(&env, &source.name, "directory", &archive, |_, _| {});
    for point in
        ["restore:after-create", "restore:after-load", "before-swap", "install:new-folder-in-place"]
    {
        let target = PgTestDb::reserve("rs_crash");
        let output = env
            .cmd()
            .arg("restore")
            .arg(&archive)
            .args([&target.name, "--move"])
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), None, "should have died at {point}");
        let output = env.cmd().arg("recover").output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new(), "after {point}");
        // Before the commit: nothing; at the commit: completed, whole.
        if database_exists(&target.name) {
            assert_same(&env, &source.name, &target.name);
        } else {
            assert!(!env.filestore(&target.name).exists(), "after {point}");
        }
    }
}

/// The binary, spawned (not waited for), with the test environment's odoo.conf.
fn spawn_restore(env: &TestEnv, archive: &str, db: &str, fault: &str) -> Spawned {
    env.spawn(["restore", archive, db, "--move"], |c| {
        c.env("ODOODB_FAULT", fault)
            // Never created: the pause lasts until the signal (or its minute).
            .env("ODOODB_FAULT_RESUME", env.root.join("never"))
            .stdout(std::process::Stdio::piped());
    })
}

#[test]
fn ctrl_c_during_a_restore_leaves_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_int_src");
    let archive = archives::path_in(&env, "int.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &archive, |_, _| {});
    let archive = archive.to_str().unwrap();
    for point in ["restore:after-create", "restore:after-load"] {
        let target = PgTestDb::reserve("rs_int");
        let child = spawn_restore(&env, archive, &target.name, &format!("pause:{point}"));
        // The temporary database exists from the create on; the pause follows it.
        let deadline = Instant::now() + Duration::from_secs(30);
        while crate::support::temporary_databases(&env).is_empty() {
            assert!(Instant::now() < deadline, "the restore never created its database");
            std::thread::sleep(Duration::from_millis(50));
        }
        if point == "restore:after-load" {
            // The folder is made by the load; wait until it is there and the load is over.
            let deadline = Instant::now() + Duration::from_mins(1);
            while !leftovers(&env, &target.name).iter().any(|l| l.starts_with("folder ")) {
                assert!(Instant::now() < deadline, "the restore never made its folder");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        std::thread::sleep(Duration::from_secs(1));
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap()),
            nix::sys::signal::Signal::SIGINT,
        )
        .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{point}: {stderr}");
        assert_nothing_left(&env, &target.name);
    }
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 for the test's life: each GET of a known path is
/// answered with the whole length announced, then `served` bytes of the body, then the
/// connection closed. It stops when dropped (or after a minute, whatever happens).
struct TinyHttp {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TinyHttp {
    /// `routes`: path → (body, bytes actually sent).
    fn serve(routes: Vec<(String, Vec<u8>, usize)>) -> Self {
        use std::io::{BufRead as _, Write as _};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_mins(1);
            while !stopping.load(Ordering::Relaxed) && Instant::now() < deadline {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    request.push_str(&line);
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut stream = stream;
                match routes.iter().find(|(p, _, _)| *p == path) {
                    Some((_, body, served)) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = stream.write_all(&body[..*served]);
                    }
                    None => {
                        let _ = stream.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                    }
                }
                let _ = stream.flush();
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        Self { port, stop, thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for TinyHttp {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
fn a_url_restores_streamed_and_a_cut_download_leaves_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_url_src");
    let tar = archives::path_in(&env, "u.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &tar, |_, _| {});
    let zip = archives::path_in(&env, "u.zip");
    archives::odoo_zip(&env, &source.name, &zip);
    let tar = std::fs::read(&tar).unwrap();
    let zip = std::fs::read(&zip).unwrap();
    let (whole_tar, whole_zip) = (tar.len(), zip.len());
    let server = TinyHttp::serve(vec![
        ("/b/prod.tar.gz".into(), tar.clone(), whole_tar),
        ("/b/prod.zip".into(), zip.clone(), whole_zip),
        // Cut after the dump (the load may have started) and early (in the dump).
        ("/b/cut.tar.gz".into(), tar.clone(), whole_tar * 9 / 10),
        ("/b/early.tar.gz".into(), tar, whole_tar / 4),
        ("/b/cut.zip".into(), zip, whole_zip / 2),
    ]);
    for (tag, path) in [("t", "/b/prod.tar.gz"), ("z", "/b/prod.zip")] {
        let target = PgTestDb::reserve(&format!("rs_url_{tag}"));
        let output = env
            .cmd()
            .args(["restore", &server.url(path), &target.name, "--move", "--json"])
            .output()
            .unwrap();
        assert_ok(&output);
        assert_same(&env, &source.name, &target.name);
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
    }
    for (tag, path) in [("c", "/b/cut.tar.gz"), ("e", "/b/early.tar.gz"), ("cz", "/b/cut.zip")] {
        let target = PgTestDb::reserve(&format!("rs_url_{tag}"));
        let output = env
            .cmd()
            .args(["restore", &server.url(path), &target.name, "--move"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{path}: {stderr}");
        assert!(!stderr.contains("panicked"), "{path}: {stderr}");
        assert_nothing_left(&env, &target.name);
    }
    // A missing file is an HTTP error, said as such.
    let target = PgTestDb::reserve("rs_url_404");
    let output =
        env.cmd().args(["restore", &server.url("/b/none.zip"), &target.name]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("404"));
    assert_nothing_left(&env, &target.name);
}

/// A dump cut short is refused whatever its form, and leaves nothing: psql runs every whole
/// statement it is given, so a plain dump cut at a statement boundary would otherwise load
/// "successfully" without its keys and indexes.
#[test]
fn a_cut_dump_is_refused_in_every_form_and_leaves_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "rs_cut_src");
    let sql = archives::path_in(&env, "whole.sql");
    archives::pg_dump(&source.name, &["-Fp"], &sql);
    let text = std::fs::read_to_string(&sql).unwrap();
    // At 99% of its bytes (mid-statement, as `head -c` cuts), and at the last statement
    // boundary before the constraints (what a copy that stopped between writes leaves).
    let at_99 = text.len() * 99 / 100;
    let boundary = text[..text.find("ADD CONSTRAINT").unwrap()].rfind(";\n").unwrap() + 2;
    for (tag, cut) in [("p99", &text.as_bytes()[..at_99]), ("pstmt", &text.as_bytes()[..boundary])]
    {
        let file = archives::path_in(&env, &format!("{tag}.sql"));
        std::fs::write(&file, cut).unwrap();
        refused(&env, &file, &format!("rs_cut_{tag}"), "closing line");
        // The same dump.sql inside an Odoo-style zip.
        let zip = archives::path_in(&env, &format!("{tag}.zip"));
        let manifest = serde_json::to_vec(&archives::manifest(&source.name, None)).unwrap();
        archives::write_zip(
            &zip,
            &[
                Entry::File("dump.sql".into(), cut.to_vec()),
                Entry::File("manifest.json".into(), manifest),
            ],
        );
        refused(&env, &zip, &format!("rs_cut_z{tag}"), "closing line");
    }
    // The whole dump still restores.
    let whole = PgTestDb::reserve("rs_cut_whole");
    assert_ok(&restore(&env, &sql, &whole.name, &["--move"]));
    assert_eq!(row_counts(&whole.name), row_counts(&source.name));

    // pg_dump's custom format, cut at 99% and at half.
    let dump = archives::path_in(&env, "whole.dump");
    archives::pg_dump(&source.name, &["-Fc"], &dump);
    let bytes = std::fs::read(&dump).unwrap();
    for (tag, len) in [("c99", bytes.len() * 99 / 100), ("c50", bytes.len() / 2)] {
        let file = archives::path_in(&env, &format!("{tag}.dump"));
        std::fs::write(&file, &bytes[..len]).unwrap();
        refused(&env, &file, &format!("rs_cut_{tag}"), "pg_restore");
    }
    // A directory dump with a table's data file missing, and one with its toc cut.
    let folder = archives::path_in(&env, "whole.dir");
    archives::pg_dump(&source.name, &["-Fd"], &folder);
    let data_file = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "gz" || e == "dat"))
        .unwrap();
    let missing = archives::path_in(&env, "missing.dir");
    crate::support::fixtures::copy_tree(&folder, &missing);
    std::fs::remove_file(missing.join(data_file.file_name().unwrap())).unwrap();
    refused(&env, &missing, "rs_cut_dmiss", "pg_restore");
    let cut_toc = archives::path_in(&env, "cuttoc.dir");
    crate::support::fixtures::copy_tree(&folder, &cut_toc);
    let toc = std::fs::read(folder.join("toc.dat")).unwrap();
    std::fs::write(cut_toc.join("toc.dat"), &toc[..toc.len() * 9 / 10]).unwrap();
    refused(&env, &cut_toc, "rs_cut_dtoc", "pg_restore");
}

/// A restore as a role that is not superuser fails while a superuser's session (which that
/// role may not end) is on the temporary database: the drop waits for it to go, and nothing is
/// left at exit.
#[test]
fn a_failed_restore_waits_out_a_session_it_may_not_end_and_leaves_nothing() {
    let env = TestEnv::new();
    // First, so dropped last: it owns what the test makes as it.
    let role = crate::support::PasswordRole::new("rssu");
    let source = fixtures::modern(&env, "rs_su_src");
    crate::support::admin()
        .batch_execute(&format!("ALTER ROLE {} CREATEDB", crate::support::quote(&role.name)))
        .unwrap();
    std::fs::write(
        &env.odoo_conf,
        format!(
            "[options]\ndata_dir = {}\ndb_host = 127.0.0.1\ndb_port = 5432\ndb_user = {}\n",
            env.data_dir.display(),
            role.name
        ),
    )
    .unwrap();
    // Cut inside the filestore: the database is made and loading has begun when it fails.
    let archive = archives::path_in(&env, "su.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &archive, |_, _| {});
    let bytes = std::fs::read(&archive).unwrap();
    std::fs::write(&archive, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let target = PgTestDb::reserve("rs_su");
    let resume = env.root.join("resume");
    let child = env.spawn(["restore"], |c| {
        c.arg(&archive)
            .arg(&target.name)
            .env("PGPASSWORD", &role.password)
            .env("ODOODB_FAULT", "pause:restore:after-create")
            .env("ODOODB_FAULT_RESUME", &resume);
    });
    let deadline = Instant::now() + Duration::from_mins(1);
    let temporary = loop {
        if let Some(name) = crate::support::temporary_databases(&env).pop() {
            break name;
        }
        assert!(Instant::now() < deadline, "the restore never created its database");
        std::thread::sleep(Duration::from_millis(50));
    };
    // An administrator's psql on the temporary: the restore's role may not end it.
    let superuser = crate::support::Server::get().client(&temporary);
    std::fs::write(&resume, "").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(4));
        drop(superuser);
    });
    let output = child.wait_with_output().unwrap();
    holder.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("truncated"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert!(!database_exists(&temporary), "{temporary} is left: {stderr}");
    assert_nothing_left(&env, &target.name);
}
