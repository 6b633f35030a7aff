//! Object storage: `backup --to s3://…` (and `--all`), `restore s3://…`, `backup --verify
//! s3://…`, `backups s3://…`, retention on a prefix, and what a failure, a kill or a silent
//! server leaves — against a real S3-protocol server that checks every signature (s3s-fs).

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::s3::S3Server;
use crate::support::{PREFIX, TestEnv, checksums, files_under, fixtures, json, text};

fn file_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap()))
        .collect()
}

/// The upload records odoodb keeps in this test's home.
fn records(env: &TestEnv) -> Vec<String> {
    let dir = env.home.join(".local/state/odoodb/uploads");
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default()
}

#[test]
fn three_databases_round_trip_through_object_storage() {
    let Some(s3) = S3Server::start("the object-storage round trip") else { return };
    let env = TestEnv::new();
    let dbs = [
        fixtures::modern(&env, "s3rt_a"),
        fixtures::modern(&env, "s3rt_b"),
        fixtures::legacy(&env, "s3rt_c"),
    ];
    let before: Vec<_> = dbs
        .iter()
        .map(|db| (checksums(&db.name), file_contents(&env.filestore(&db.name))))
        .collect();
    let bucket = s3.bucket("roundtrip");
    let prefix = format!("s3://{bucket}/nightly/");
    let glob = format!("{PREFIX}{}_*_s3rt_?", std::process::id());

    let mut backup = env.cmd();
    backup.envs(s3.vars());
    let output = backup
        .args(["--json", "backup", "--all", "--match", &glob, "--to", &prefix])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(json(&output)["failed"], 0);
    let objects = s3.objects(&bucket, "nightly/");
    assert_eq!(objects.len(), 3, "{objects:?}");
    assert!(s3.open_uploads().is_empty(), "every upload completed: {:?}", s3.open_uploads());
    assert!(records(&env).is_empty(), "no upload record left: {:?}", records(&env));

    // What `backups` lists is what the server holds.
    let mut list = env.cmd();
    list.envs(s3.vars());
    let listed = list.args(["--json", "backups", &prefix, "--match", &glob]).output().unwrap();
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let listed = json(&listed);
    assert_eq!(listed["backups"].as_array().unwrap().len(), 3, "{listed}");
    for backup in listed["backups"].as_array().unwrap() {
        let key = backup["path"].as_str().unwrap().trim_start_matches(&format!("s3://{bucket}/"));
        let stored = std::fs::metadata(s3.object_path(&bucket, key)).unwrap().len();
        assert_eq!(backup["bytes"].as_u64(), Some(stored), "{key}");
    }

    for (db, (rows, files)) in dbs.iter().zip(&before) {
        let key = objects.iter().find(|k| k.contains(&db.name)).unwrap();
        let address = format!("s3://{bucket}/{key}");
        let mut verify = env.cmd();
        verify.envs(s3.vars());
        let verified = verify.args(["backup", "--verify", &address]).output().unwrap();
        assert!(verified.status.success(), "{}", text(&verified.stdout));

        // The source goes, and comes back from the object alone.
        crate::support::drop_database(&db.name);
        std::fs::remove_dir_all(env.filestore(&db.name)).unwrap();
        let mut restore = env.cmd();
        restore.envs(s3.vars());
        let restored =
            restore.args(["restore", &address, &db.name, "--move", "--yes"]).output().unwrap();
        assert!(restored.status.success(), "{}", text(&restored.stderr));
        assert_eq!(&checksums(&db.name), rows, "{}: the same rows", db.name);
        assert_eq!(&file_contents(&env.filestore(&db.name)), files, "{}: the same files", db.name);
    }

    // A dry run names, per database, the one older object --keep 1 would remove, and removes
    // nothing.
    let mut dry = env.cmd();
    dry.envs(s3.vars());
    let output = dry
        .args(["--json", "backup", "--all", "--match", &glob, "--to", &prefix, "--dry-run"])
        .args(["--keep", "1"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let plan = json(&output);
    for planned in plan["databases"].as_array().unwrap() {
        let db = planned["database"].as_str().unwrap();
        let older = objects.iter().find(|k| k.contains(db)).unwrap();
        assert_eq!(
            planned["would_remove"],
            serde_json::json!([format!("s3://{bucket}/{older}")]),
            "{db}"
        );
    }
    assert_eq!(s3.objects(&bucket, "nightly/"), objects, "the dry run changed nothing");

    // Retention on the prefix: a second run keeping one leaves the new ones only.
    let mut again = env.cmd();
    again.envs(s3.vars());
    let output = again
        .args(["--json", "backup", "--all", "--match", &glob, "--to", &prefix, "--keep", "1"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let now = s3.objects(&bucket, "nightly/");
    assert_eq!(now.len(), 3, "{now:?}");
    assert!(now.iter().all(|key| !objects.contains(key)), "the older ones went: {now:?}");

    // Monitoring reads the prefix too.
    let mut check = env.cmd();
    check.envs(s3.vars());
    check.args(["backups", &prefix, "--match", &glob, "--max-age", "1h"]).assert().success();
}

#[test]
fn zip_and_dump_archives_stream_up_and_back() {
    let Some(s3) = S3Server::start("zip and dump through object storage") else { return };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "s3fmt");
    // Random bytes that do not compress: the zip spans several parts of the upload.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let noise: Vec<u8> = (0..12 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect();
    db.add_attachment(&env, "noise.bin", &noise);
    let bucket = s3.bucket("formats");
    let rows = checksums(&db.name);
    let files = file_contents(&env.filestore(&db.name));
    for format in ["zip", "dump"] {
        let prefix = format!("s3://{bucket}/{format}/");
        let mut backup = env.cmd();
        backup.envs(s3.vars());
        let made = backup
            .args(["backup", &db.name, "--format", format, "--to", &prefix])
            .output()
            .unwrap();
        assert!(made.status.success(), "{}", text(&made.stderr));
        let keys = s3.objects(&bucket, &format!("{format}/"));
        assert_eq!(keys.len(), 1, "{keys:?}");
        assert!(keys[0].ends_with(&format!(".{format}")), "{keys:?}");
        let copy = format!("{}_{format}", db.name);
        let mut restore = env.cmd();
        restore.envs(s3.vars());
        let restored = restore
            .args(["restore", &format!("s3://{bucket}/{}", keys[0]), &copy, "--move", "--yes"])
            .output()
            .unwrap();
        assert!(restored.status.success(), "{}", text(&restored.stderr));
        assert_eq!(checksums(&copy), rows, "{format}: the same rows");
        if format == "zip" {
            let stored = std::fs::metadata(s3.object_path(&bucket, &keys[0])).unwrap().len();
            assert!(stored > 10 << 20, "several parts: {stored} bytes");
            assert_eq!(file_contents(&env.filestore(&copy)), files, "the same files");
        }
        crate::support::drop_database(&copy);
    }
}

#[test]
fn wrong_credentials_a_missing_bucket_or_key_fail_in_one_line_and_leave_nothing() {
    let Some(s3) = S3Server::start("object-storage failures") else { return };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "s3bad");
    let bucket = s3.bucket("bad");
    let prefix = format!("s3://{bucket}/p/");

    let mut wrong = env.cmd();
    wrong.envs(s3.vars());
    let output = wrong
        .env("AWS_SECRET_ACCESS_KEY", "not-the-secret-9d1")
        .args(["backup", &db.name, "--to", &prefix])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refused the credentials from AWS_ACCESS_KEY_ID"), "{stderr}");
    assert!(!stderr.contains("not-the-secret-9d1"), "never the secret: {stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("error:")).count(), 1, "{stderr}");

    let mut missing = env.cmd();
    missing.envs(s3.vars());
    let output =
        missing.args(["backup", &db.name, "--to", "s3://no-such-bucket-x/p/"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("the bucket \"no-such-bucket-x\" does not exist"),
        "{}",
        text(&output.stderr)
    );

    let mut no_key = env.cmd();
    no_key.envs(s3.vars());
    let output = no_key
        .args(["restore", &format!("s3://{bucket}/p/nothing.tar.gz"), "s3bad_x", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no such object"), "{}", text(&output.stderr));

    // An archive that cannot be reached is no damaged archive: exit 1, not 4.
    let mut verify_missing = env.cmd();
    verify_missing.envs(s3.vars());
    let output = verify_missing
        .args(["backup", "--verify", &format!("s3://{bucket}/p/nothing.tar.gz")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("no such object"), "{}", text(&output.stderr));

    let mut no_credentials = env.cmd();
    no_credentials.env("AWS_ENDPOINT_URL", s3.endpoint());
    let output = no_credentials.args(["backup", &db.name, "--to", &prefix]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("no credentials for object storage"),
        "{}",
        text(&output.stderr)
    );

    let output = env
        .cmd()
        .args(["backup", &db.name, "--to", &format!("s3://{bucket}/a-key")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "an object where a prefix belongs is bad input");

    assert!(s3.objects(&bucket, "").is_empty(), "{:?}", s3.objects(&bucket, ""));
    assert!(s3.open_uploads().is_empty(), "{:?}", s3.open_uploads());
    assert!(records(&env).is_empty());
}

#[test]
fn a_killed_upload_never_shows_and_recover_aborts_it() {
    let Some(s3) = S3Server::start("a killed upload") else { return };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "s3kill");
    let bucket = s3.bucket("kill");
    // Each step boundary of a backup while its upload is open: after the dump went up, and
    // with every part sent but the upload not completed.
    for point in ["backup:after-dump", "backup:before-rename"] {
        let mut backup = env.cmd();
        backup.envs(s3.vars());
        let output = backup
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .args(["backup", &db.name, "--to", &format!("s3://{bucket}/p/")])
            .output()
            .unwrap();
        assert!(!output.status.success(), "{point}");
        assert!(s3.objects(&bucket, "").is_empty(), "{point}: nothing under a key");
        assert_eq!(s3.open_upload_count(), 1, "{point}: the upload is left open");
        let left = records(&env);
        assert_eq!(left.len(), 1, "{point}: and recorded: {left:?}");
        let record =
            std::fs::read_to_string(env.home.join(".local/state/odoodb/uploads").join(&left[0]))
                .unwrap();
        assert!(!record.contains(&s3.secret_key), "no secret on disk: {record}");

        let mut recover = env.cmd();
        recover.envs(s3.vars());
        let output = recover.arg("recover").output().unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(text(&output.stderr).contains("aborted the upload of"), "{}", text(&output.stderr));
        assert!(s3.open_uploads().is_empty(), "{point}: {:?}", s3.open_uploads());
        assert!(records(&env).is_empty(), "{point}");
    }

    // Killed once the upload was completed but before the object was checked: the object is
    // there, complete but unchecked, and `recover` removes it rather than trust it.
    let mut backup = env.cmd();
    backup.envs(s3.vars());
    let output = backup
        .env("ODOODB_FAULT", "crash:upload:after-complete")
        .args(["backup", &db.name, "--to", &format!("s3://{bucket}/p/")])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_eq!(s3.objects(&bucket, "").len(), 1, "completed before the kill");
    assert_eq!(records(&env).len(), 1, "still recorded");
    let mut recover = env.cmd();
    recover.envs(s3.vars());
    let output = recover.arg("recover").output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("removed the unchecked object"),
        "{}",
        text(&output.stderr)
    );
    assert!(s3.objects(&bucket, "").is_empty(), "{:?}", s3.objects(&bucket, ""));
    assert!(records(&env).is_empty());

    // A check that fails after completion: the object is not kept, and the run says so.
    let mut backup = env.cmd();
    backup.envs(s3.vars());
    let output = backup
        .env("ODOODB_FAULT", "fail:upload:after-complete")
        .args(["backup", &db.name, "--to", &format!("s3://{bucket}/p/")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let error = text(&output.stderr);
    let error = error.lines().find(|l| l.starts_with("error:")).unwrap_or_default().to_string();
    assert!(error.starts_with("error: injected failure"), "the cause first: {error}");
    assert!(error.contains("was not kept"), "{error}");
    assert!(s3.objects(&bucket, "").is_empty(), "{:?}", s3.objects(&bucket, ""));
    assert!(s3.open_uploads().is_empty());
    assert!(records(&env).is_empty());
}

#[test]
fn a_tar_gz_upload_needs_room_for_its_spooled_dump_in_the_temporary_folder() {
    let Some(s3) = S3Server::start("the temporary folder's space") else { return };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "s3spool");
    let bucket = s3.bucket("spool");
    let prefix = format!("s3://{bucket}/p/");
    let run = |args: &[&str]| {
        let mut cmd = env.cmd();
        cmd.envs(s3.vars()).env("ODOODB_TEST_FREE_BYTES", "4096");
        cmd.args(args).output().unwrap()
    };
    let output = run(&["backup", &db.name, "--to", &prefix]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("not enough free space in the temporary folder"),
        "{}",
        text(&output.stderr)
    );
    assert!(s3.open_uploads().is_empty() && s3.objects(&bucket, "").is_empty(), "nothing sent");

    let output = run(&["backup", &db.name, "--to", &prefix, "--dry-run"]);
    assert_eq!(output.status.code(), Some(1), "the dry run exits as the run would");
    let said = text(&output.stdout);
    let temp = std::env::temp_dir();
    assert!(said.contains(&format!("spooled in {}", temp.display())), "{said}");
    assert!(said.contains("Free space in the temporary folder"), "{said}");

    // A zip spools nothing: no such check.
    let output = run(&["backup", &db.name, "--to", &prefix, "--format", "zip"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(s3.objects(&bucket, "").len(), 1);
}

#[test]
fn a_server_gone_mid_upload_fails_the_backup_and_leaves_nothing_after_recover() {
    let Some(mut s3) = S3Server::start("a server gone mid-upload") else { return };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "s3gone");
    let bucket = s3.bucket("gone");
    let resume = env.root.join("resume");
    let settings = env.home.join(".config/odoodb");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(settings.join("config.toml"), "[backup.s3]\ntimeout = 2\n").unwrap();
    let backup = env.spawn(["backup", &db.name, "--to", &format!("s3://{bucket}/p/")], |c| {
        c.envs(s3.vars());
        c.env("ODOODB_FAULT", "pause:backup:after-dump").env("ODOODB_FAULT_RESUME", &resume);
    });
    let deadline = Instant::now() + Duration::from_mins(1);
    while s3.open_upload_count() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(s3.open_upload_count(), 1, "the upload began");
    s3.stop();
    std::fs::write(&resume, b"").unwrap();
    let output = backup.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let error = text(&output.stderr);
    let error = error.lines().find(|l| l.starts_with("error:")).unwrap_or_default().to_string();
    let (cause, then) = error.split_once("; the parts sent stay on the server").unwrap_or_default();
    assert!(cause.contains("failed: cannot connect to"), "the cause first: {error}");
    assert!(then.contains("until `odoodb recover` aborts them"), "{error}");

    s3.restart();
    assert!(s3.objects(&bucket, "").is_empty(), "no object under a key");
    let mut recover = env.cmd();
    recover.envs(s3.vars());
    recover.arg("recover").assert().success();
    assert!(s3.open_uploads().is_empty(), "{:?}", s3.open_uploads());
    assert!(records(&env).is_empty());
}

/// A server that accepts connections and never answers.
fn silent_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(90);
        while Instant::now() < until {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    let mut buf = [0u8; 1024];
                    let _ = stream.set_read_timeout(Some(Duration::from_millis(10)));
                    let _ = stream.read(&mut buf);
                    let _ = stream.flush();
                    held.push(stream);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    (port, handle)
}

#[test]
fn a_silent_server_fails_within_the_timeout_and_ctrl_c_stops_the_wait() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "s3silent");
    let (port, _server) = silent_server();
    let settings = env.home.join(".config/odoodb");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(settings.join("config.toml"), "[backup.s3]\ntimeout = 2\n").unwrap();
    let endpoint = format!("http://127.0.0.1:{port}");
    let server = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "k"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
    ];

    let started = Instant::now();
    let mut backup = env.cmd();
    backup.envs(server);
    let output = backup.args(["backup", &db.name, "--to", "s3://silent/p/"]).output().unwrap();
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("did not answer within 2 s"), "{}", text(&output.stderr));
    assert!(took < Duration::from_secs(30), "bounded: {took:?}");

    let restore = env.spawn(["restore", "s3://silent/p/x.tar.gz", "s3silent_x", "--yes"], |c| {
        c.envs(server);
    });
    std::thread::sleep(Duration::from_millis(700));
    let interrupted = Instant::now();
    restore.signal(nix::sys::signal::Signal::SIGINT);
    let output = restore.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(interrupted.elapsed() < Duration::from_secs(5), "Ctrl-C is honoured at once");

    // An upload a killed run left on the silent server: `recover` gives up on it within the
    // timeout (keeping its record), and gives way to Ctrl-C.
    let uploads = env.home.join(".local/state/odoodb/uploads");
    std::fs::create_dir_all(&uploads).unwrap();
    let record = serde_json::json!({
        "endpoint": endpoint, "region": "us-east-1", "bucket": "silent", "key": "p/x.tar.gz",
        "upload_id": "u1", "started_at": "2026-01-01T00:00:00Z", "pid": 1,
    });
    std::fs::write(uploads.join("left.json"), record.to_string()).unwrap();
    let started = Instant::now();
    let mut recover = env.cmd();
    recover.envs(server);
    let output = recover.arg("recover").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("did not answer within 2 s"), "{}", text(&output.stderr));
    assert!(started.elapsed() < Duration::from_secs(20), "bounded: {:?}", started.elapsed());
    assert_eq!(records(&env), ["left.json"], "kept for the next try");

    let recover = env.spawn(["recover"], |c| {
        c.envs(server);
    });
    std::thread::sleep(Duration::from_millis(700));
    let interrupted = Instant::now();
    recover.signal(nix::sys::signal::Signal::SIGINT);
    let output = recover.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(interrupted.elapsed() < Duration::from_secs(5), "Ctrl-C is honoured at once");
}
