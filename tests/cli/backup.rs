//! `odoodb backup`: each format on the project fixture and the real Odoo 17 and 15 databases,
//! checked with the standard tools (tar, unzip, pg_restore), plus the guarantees: mode 0600,
//! nothing under the final name after a failure or Ctrl-C, --keep, stdout.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use sha2::Digest as _;

use crate::support::fixtures::{self, Real};
use crate::support::{TestEnv, database_exists, json};

fn out_dir(env: &TestEnv) -> PathBuf {
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a backup into `dir`; returns the JSON report.
fn backup(env: &TestEnv, db: &str, format: &str, dir: &Path) -> serde_json::Value {
    let output = env
        .cmd()
        .args(["--json", "backup", db, "--format", format, "--dir"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    json(&output)
}

fn run_tool(program: &str, args: &[&str], file: &Path) -> String {
    let output = Process::new(program).args(args).arg(file).output().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?} refused {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn sha256(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    sha2::Sha256::digest(bytes).iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn list_digest(names: &[String]) -> String {
    let mut names = names.to_vec();
    names.sort();
    sha256(names.iter().flat_map(|n| [n.as_str(), "\n"]).collect::<String>().as_bytes())
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Checks a tar.gz end to end with `tar`, and the manifest against what the archive holds.
fn check_tar_gz(path: &Path, db: &str, filestore: &Path) -> serde_json::Value {
    let listing = run_tool("tar", &["tzf"], path);
    let names: Vec<&str> = listing.lines().collect();
    assert_eq!(&names[..2], ["manifest.json", "dump.pgdump"]);
    let extracted = tempfile::tempdir().unwrap();
    let status =
        Process::new("tar").arg("xzf").arg(path).arg("-C").arg(extracted.path()).status().unwrap();
    assert!(status.success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(extracted.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["db_name"], db);
    let ours = &manifest["odoodb"];
    assert_eq!(ours["format"], "tar.gz");
    assert_eq!(ours["dump"]["path"], "dump.pgdump");
    assert_eq!(ours["dump"]["format"], "custom");
    let dump = std::fs::read(extracted.path().join("dump.pgdump")).unwrap();
    assert_eq!(ours["dump"]["sha256"], sha256(&dump));
    assert_eq!(ours["dump"]["bytes"], dump.len() as u64);
    run_tool("pg_restore", &["--list"], &extracted.path().join("dump.pgdump"));
    let files = crate::support::files_under(&extracted.path().join("filestore"));
    assert_eq!(files, crate::support::files_under(filestore), "the filestore, file for file");
    for file in &files {
        assert_eq!(
            std::fs::read(extracted.path().join("filestore").join(file)).unwrap(),
            std::fs::read(filestore.join(file)).unwrap()
        );
    }
    assert_eq!(ours["filestore"]["files"], files.len() as u64);
    assert_eq!(ours["filestore"]["list_sha256"], list_digest(&files));
    manifest
}

/// Checks a zip with `unzip` and Python's zipfile (what Odoo reads it with); returns the
/// member names in order and the manifest.
fn check_zip(path: &Path, db: &str) -> (Vec<String>, serde_json::Value) {
    run_tool("unzip", &["-tq"], path);
    let script = r"
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
m = json.loads(z.read('manifest.json'))
h = hashlib.sha256()
with z.open('dump.sql') as f:
    for chunk in iter(lambda: f.read(1 << 20), b''):
        h.update(chunk)
names = [i.filename for i in z.infolist()]
files = sorted(n[len('filestore/'):] for n in names if n.startswith('filestore/'))
print(json.dumps({'names': names, 'manifest': m, 'dump_sha256': h.hexdigest(),
  'list': hashlib.sha256(''.join(f + '\n' for f in files).encode()).hexdigest(),
  'stored': [i.filename for i in z.infolist() if i.compress_type == zipfile.ZIP_STORED]}))
";
    let output = Process::new("python3").args(["-c", script]).arg(path).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = seen["manifest"].clone();
    assert_eq!(manifest["db_name"], db);
    assert_eq!(manifest["odoodb"]["dump"]["sha256"], seen["dump_sha256"]);
    assert_eq!(manifest["odoodb"]["dump"]["path"], "dump.sql");
    assert_eq!(manifest["odoodb"]["filestore"]["list_sha256"], seen["list"]);
    let names: Vec<String> =
        seen["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    assert_eq!(&names[..2], ["dump.sql", "manifest.json"], "Odoo's member order");
    assert!(names[2..].iter().all(|n| n.starts_with("filestore/")));
    // Already-compressed files are stored, the others deflated.
    for stored in seen["stored"].as_array().unwrap() {
        assert!(stored.as_str().unwrap().starts_with("filestore/"), "{stored}");
    }
    (names, manifest)
}

#[test]
fn every_format_on_the_project_fixture() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_modern");
    let dir = out_dir(&env);

    let report = backup(&env, &db.name, "tar.gz", &dir);
    let path = PathBuf::from(report["path"].as_str().unwrap());
    assert_eq!(mode(&path), 0o600, "a backup holds every password hash");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("{}_", db.name)) && name.ends_with(".tar.gz"), "{name}");
    assert_eq!(report["filestore"]["files"], 2);
    assert_eq!(report["missing_attachments"], 0);
    let manifest = check_tar_gz(&path, &db.name, &env.filestore(&db.name));
    assert_eq!(report["dump"]["sha256"], manifest["odoodb"]["dump"]["sha256"]);
    assert_eq!(report["bytes"], std::fs::metadata(&path).unwrap().len());

    std::thread::sleep(Duration::from_millis(1100));
    let report = backup(&env, &db.name, "zip", &dir);
    let path = PathBuf::from(report["path"].as_str().unwrap());
    assert_eq!(mode(&path), 0o600);
    let (names, manifest) = check_zip(&path, &db.name);
    assert_eq!(names.len(), 4);
    for key in ["odoo_dump", "db_name", "version", "version_info", "major_version", "pg_version"] {
        assert!(manifest.get(key).is_some(), "{key}");
    }
    assert_eq!(report["filestore"]["stored_uncompressed"], 2, "a PNG and a PDF");

    std::thread::sleep(Duration::from_millis(1100));
    let report = backup(&env, &db.name, "dump", &dir);
    let path = PathBuf::from(report["path"].as_str().unwrap());
    assert_eq!(mode(&path), 0o600);
    let toc = run_tool("pg_restore", &["--list"], &path);
    assert!(toc.contains("ir_attachment"));
    assert!(report["filestore"].is_null());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3, "no temporary file left");
}

/// The real Odoo databases: our zip has the member order and manifest keys of the zip Odoo
/// made of the same database, and the same members.
fn real_fixture(version: Real, tag: &str) {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, version, tag) else { return };
    let dir = out_dir(&env);
    let odoo_listing =
        std::fs::read_to_string(fixtures::real_file(version, "odoo-backup.listing.txt").unwrap())
            .unwrap();
    let odoo_names: Vec<&str> = odoo_listing
        .lines()
        .filter_map(|line| {
            let name = line.split_whitespace().nth(3)?;
            (name == "dump.sql" || name == "manifest.json" || name.starts_with("filestore/"))
                .then_some(name)
        })
        .collect();
    let odoo_keys: Vec<String> = odoo_listing
        .lines()
        .filter(|l| l.starts_with("    \"") && !l.starts_with("        "))
        .map(|l| l.trim().split('"').nth(1).unwrap().to_string())
        .collect();

    let report = backup(&env, &db.name, "zip", &dir);
    let (names, manifest) = check_zip(Path::new(report["path"].as_str().unwrap()), &db.name);
    assert_eq!(&names[..2], &odoo_names[..2]);
    let mut ours_sorted = names.clone();
    ours_sorted.sort();
    let mut odoo_sorted: Vec<String> = odoo_names.iter().map(ToString::to_string).collect();
    odoo_sorted.sort();
    assert_eq!(ours_sorted, odoo_sorted, "the same members as Odoo's own zip");
    let keys: Vec<String> =
        manifest.as_object().unwrap().keys().filter(|k| *k != "odoodb").cloned().collect();
    let mut odoo_sorted_keys = odoo_keys.clone();
    odoo_sorted_keys.sort();
    let mut keys_sorted = keys;
    keys_sorted.sort();
    assert_eq!(keys_sorted, odoo_sorted_keys);
    let installed =
        db.scalar_i64("SELECT count(*) FROM ir_module_module WHERE state = 'installed'");
    assert_eq!(i64::try_from(manifest["modules"].as_object().unwrap().len()).unwrap(), installed);
    assert!(manifest["pg_version"].as_str().unwrap().len() >= 3);

    std::thread::sleep(Duration::from_millis(1100));
    let report = backup(&env, &db.name, "tar.gz", &dir);
    check_tar_gz(Path::new(report["path"].as_str().unwrap()), &db.name, &env.filestore(&db.name));

    std::thread::sleep(Duration::from_millis(1100));
    let report = backup(&env, &db.name, "dump", &dir);
    run_tool("pg_restore", &["--list"], Path::new(report["path"].as_str().unwrap()));
}

#[test]
fn every_format_on_the_real_odoo_17_database() {
    real_fixture(Real::Odoo17, "bk_real17");
}

#[test]
fn every_format_on_the_real_odoo_15_database() {
    real_fixture(Real::Odoo15, "bk_real15");
}

#[test]
fn a_missing_filestore_is_refused_unless_no_filestore() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_nofs");
    std::fs::remove_dir_all(env.filestore(&db.name)).unwrap();
    let dir = out_dir(&env);
    env.cmd().args(["backup", &db.name, "--dir"]).arg(&dir).assert().code(1).stderr(
        predicate::str::contains("2 attachments").and(predicate::str::contains("--no-filestore")),
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let output = env
        .cmd()
        .args(["--json", "backup", &db.name, "--no-filestore", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    assert!(report["filestore"].is_null());
    let listing = run_tool("tar", &["tzf"], Path::new(report["path"].as_str().unwrap()));
    assert_eq!(listing.lines().collect::<Vec<_>>(), ["manifest.json", "dump.pgdump"]);
}

#[test]
fn attachments_whose_file_is_missing_are_reported() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_missing");
    let gone = db.add_attachment(&env, "gone.txt", b"this file will vanish");
    std::fs::remove_file(env.filestore(&db.name).join(&gone)).unwrap();
    let dir = out_dir(&env);
    let output = env
        .cmd()
        .args(["--json", "backup", &db.name, "--format", "zip", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains(&gone));
    let report = json(&output);
    assert_eq!(report["missing_attachments"], 1);
    assert_eq!(report["missing_examples"][0], gone);
}

#[test]
fn keep_prunes_only_older_backups_of_the_same_database() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_keep");
    let dir = out_dir(&env);
    let old = [
        format!("{}_2020-01-01_00-00-00.zip", db.name),
        format!("{}_2021-01-01_00-00-00.tar.gz", db.name),
        format!("{}_2022-01-01_00-00-00.dump", db.name),
    ];
    let others = [
        format!("{}x_2020-01-01_00-00-00.zip", db.name),
        format!("{}_copy_2020-01-01_00-00-00.zip", db.name),
        "other_2020-01-01_00-00-00.tar.gz".to_string(),
        format!("{}_notes.txt", db.name),
        format!("{}_2020-01-01.zip", db.name),
    ];
    for name in old.iter().chain(&others) {
        std::fs::write(dir.join(name), b"x").unwrap();
    }
    let output = env
        .cmd()
        .args(["--json", "backup", &db.name, "--keep", "2", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    let mut pruned: Vec<String> = report["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Path::new(p.as_str().unwrap()).file_name().unwrap().to_string_lossy().into())
        .collect();
    pruned.sort();
    assert_eq!(pruned, [old[0].clone(), old[1].clone()]);
    assert!(dir.join(&old[2]).exists(), "the newest older backup is kept");
    assert!(Path::new(report["path"].as_str().unwrap()).exists(), "never the new one");
    for name in &others {
        assert!(dir.join(name).exists(), "{name} is not a backup of this database");
    }
}

#[test]
fn dash_o_dash_streams_the_archive_to_stdout() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_stdout");
    for (format, magic) in
        [("tar.gz", &b"\x1f\x8b"[..]), ("zip", b"PK\x03\x04"), ("dump", b"PGDMP")]
    {
        let output =
            env.cmd().args(["backup", &db.name, "--format", format, "-o", "-"]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.starts_with(magic), "{format}");
        let file = env.root.join(format!("piped.{format}"));
        std::fs::write(&file, &output.stdout).unwrap();
        match format {
            "tar.gz" => {
                run_tool("tar", &["tzf"], &file);
            }
            "zip" => {
                check_zip(&file, &db.name);
            }
            _ => {
                run_tool("pg_restore", &["--list"], &file);
            }
        }
    }
}

#[test]
fn ctrl_c_leaves_nothing_under_the_final_name() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_sigint");
    for format in ["tar.gz", "zip"] {
        let dir = env.root.join(format!("sigint-{format}"));
        std::fs::create_dir_all(&dir).unwrap();
        let child = env.spawn(["backup", &db.name, "--format", format, "--dir"], |c| {
            c.arg(&dir)
                .env("ODOODB_FAULT", "pause:backup:after-dump")
                .stdout(std::process::Stdio::piped());
        });
        // The partial file appears at the start; the dump of this fixture takes well under the
        // pause's minute.
        let deadline = Instant::now() + Duration::from_secs(90);
        while std::fs::read_dir(&dir).unwrap().count() == 0 {
            assert!(Instant::now() < deadline, "the backup never started");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_secs(3));
        child.signal(nix::sys::signal::Signal::SIGINT);
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
        let left: Vec<_> =
            std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(left.is_empty(), "{format}: {left:?}");
    }
}

/// A pg_path whose pg_dump says its version, then fails.
fn failing_pg_path(env: &TestEnv) -> PathBuf {
    pg_path_with(
        env,
        "failing-bin",
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 99.1'; exit 0; fi\necho 'pg_dump: error: connection lost' >&2\nexit 1\n",
    )
}

/// A folder holding a `pg_dump` made of `script`, set as odoo.conf's `pg_path`.
fn pg_path_with(env: &TestEnv, name: &str, script: &str) -> PathBuf {
    let bin = env.root.join(name);
    std::fs::create_dir_all(&bin).unwrap();
    let program = bin.join("pg_dump");
    std::fs::write(&program, script).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Another test thread may fork while the script is open for writing (its child then holds
    // the descriptor until it execs): running the script at once could fail with ETXTBSY.
    std::thread::sleep(Duration::from_millis(300));
    let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
    std::fs::write(&env.odoo_conf, format!("{conf}pg_path = {}\n", bin.display())).unwrap();
    bin
}

#[test]
fn a_failing_pg_dump_leaves_nothing() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_pgfail");
    failing_pg_path(&env);
    let dir = out_dir(&env);
    for format in ["tar.gz", "zip", "dump"] {
        env.cmd()
            .args(["backup", &db.name, "--format", format, "--dir"])
            .arg(&dir)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("connection lost"));
        let left: Vec<_> =
            std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(left.is_empty(), "{format}: {left:?}");
    }
}

#[test]
fn delete_backup_first_backs_up_before_dropping_and_drops_nothing_if_it_fails() {
    let env = TestEnv::new();
    let dir = out_dir(&env);
    let settings = env.home.join(".config/odoodb");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(settings.join("config.toml"), format!("[backup]\ndir = {dir:?}\n")).unwrap();

    let db = fixtures::modern(&env, "bk_delete");
    let before = env.root.join("filestore-before");
    fixtures::copy_tree(&env.filestore(&db.name), &before);
    env.cmd()
        .args(["delete", &db.name, "--yes", "--backup-first"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Backed up"));
    assert!(!database_exists(&db.name));
    let made: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(made.len(), 1);
    check_tar_gz(&made[0], &db.name, &before);

    let kept = fixtures::modern(&env, "bk_delete_fail");
    // delete shows the newest backup it finds.
    let stamp = format!("{}_2024-05-01_10-00-00.zip", kept.name);
    std::fs::write(dir.join(&stamp), b"x").unwrap();
    failing_pg_path(&env);
    env.cmd().args(["delete", &kept.name, "--yes", "--backup-first"]).assert().code(1).stderr(
        predicate::str::contains(&stamp).and(predicate::str::contains("nothing was changed")),
    );
    assert!(database_exists(&kept.name));
    assert!(env.filestore(&kept.name).exists());
}

/// Backup, then `odoodb restore` and `backup --verify` of each format: every table's row count
/// and the filestore (file for file, byte for byte) come back.
fn round_trip(env: &TestEnv, source: &crate::support::PgTestDb, tag: &str) {
    let dir = out_dir(env);
    for format in ["tar.gz", "zip", "dump"] {
        let report = backup(env, &source.name, format, &dir);
        let archive = PathBuf::from(report["path"].as_str().unwrap());
        let verified = env.cmd().args(["backup", "--verify"]).arg(&archive).output().unwrap();
        assert!(
            verified.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&verified.stderr)
        );
        let target = crate::support::PgTestDb::reserve(&format!("{tag}_{}", &format[..3]));
        // --move: the identity is kept, so every table keeps its row count (a copy drops the
        // enterprise code).
        let output = env
            .cmd()
            .arg("restore")
            .arg(&archive)
            .arg(&target.name)
            .arg("--move")
            .output()
            .unwrap();
        assert!(output.status.success(), "{format}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(
            crate::support::row_counts(&target.name),
            crate::support::row_counts(&source.name),
            "{format}: row counts"
        );
        if format != "dump" {
            let files = crate::support::files_under(&env.filestore(&source.name));
            assert_eq!(crate::support::files_under(&env.filestore(&target.name)), files);
            for file in &files {
                assert_eq!(
                    std::fs::read(env.filestore(&target.name).join(file)).unwrap(),
                    std::fs::read(env.filestore(&source.name).join(file)).unwrap(),
                    "{format}: {file}"
                );
            }
        }
        std::fs::remove_file(&archive).unwrap();
    }
}

#[test]
fn every_format_round_trips_through_restore() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "bk_rt_modern");
    round_trip(&env, &source, "bk_rt_m");
}

#[test]
fn the_real_odoo_17_database_round_trips_through_restore() {
    let env = TestEnv::new();
    let Some(source) = fixtures::real(&env, Real::Odoo17, "bk_rt_real17") else { return };
    round_trip(&env, &source, "bk_rt_r");
}

/// Incompressible bytes, so an archive really is as large as its files.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn a_reader_that_goes_away_fails_a_backup_to_stdout() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_pipe");
    // Larger than a pipe's buffer, so the early close is seen.
    db.add_attachment(&env, "big.bin", &noise(4 << 20, 7));
    for format in ["tar.gz", "zip"] {
        let command = env.cmd();
        let odoodb = command.get_program().to_owned();
        let script = format!(
            "\"$0\" backup {} --format {format} -o - | head -c 100 >/dev/null; echo \"exit=${{PIPESTATUS[0]}}\"",
            db.name
        );
        let output = Process::new("bash")
            .arg("-c")
            .arg(script)
            .arg(&odoodb)
            .envs(command.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stdout.contains("exit=1"), "{format}: {stdout} {stderr}");
        assert!(stderr.contains("incomplete"), "{format}: {stderr}");
    }
}

#[test]
fn a_damaged_tar_gz_is_refused_by_restore_and_verify() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_damage");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let report = backup(&env, &db.name, "tar.gz", &dir);
    let archive = PathBuf::from(report["path"].as_str().unwrap());
    // Four bytes changed in the middle of the compressed stream: only the gzip CRC can tell.
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 4] {
        *byte ^= 0x5a;
    }
    let damaged = dir.join("damaged.tar.gz");
    std::fs::write(&damaged, &bytes).unwrap();
    let target = crate::support::PgTestDb::reserve("bk_damage_rs");
    let output =
        env.cmd().arg("restore").arg(&damaged).args([&target.name, "--move"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!database_exists(&target.name));
    assert!(!env.filestore(&target.name).exists());
    env.cmd().args(["backup", "--verify"]).arg(&damaged).assert().code(4);
}

#[test]
fn an_output_that_is_a_folder_is_refused_before_anything_runs() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_odir");
    let dir = env.root.join("a-folder");
    std::fs::create_dir_all(&dir).unwrap();
    env.cmd()
        .args(["backup", &db.name, "-o"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder").and(predicate::str::contains("--dir")));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

/// A pg_dump older than the server cannot dump it: the server's own (Debian's side-by-side
/// `/usr/lib/postgresql/<major>/bin`) is taken instead, and said; without one, a one-line error
/// names the package to install, and nothing is made.
#[test]
fn an_old_pg_dump_gives_way_to_the_servers_own() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "bk_oldpgdump");
    pg_path_with(
        &env,
        "old-bin",
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 9.6.24'; exit 0; fi\nexit 1\n",
    );
    let server_major = support_admin_version() / 10_000;
    let own = std::path::Path::new("/usr/lib/postgresql")
        .join(server_major.to_string())
        .join("bin/pg_dump");
    let dir = out_dir(&env);
    let output = env
        .cmd()
        .args(["backup", &db.name, "--format", "dump", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if own.is_file() {
        assert!(output.status.success(), "{stderr}");
        assert!(
            stderr.contains("older than the server") && stderr.contains(&own.display().to_string()),
            "{stderr}"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    } else {
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&format!("postgresql-client-{server_major}")), "{stderr}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }
}

fn support_admin_version() -> i32 {
    let row = crate::support::admin().query_one("SHOW server_version_num", &[]).unwrap();
    row.get::<_, String>(0).parse().unwrap()
}
