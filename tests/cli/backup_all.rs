//! `backup --all`: every Odoo database (narrowed by `--match`), one archive each, one report;
//! exit 1 when any failed, the others still made and kept.

use crate::support::{TestEnv, fixtures};

/// This process's databases with this test's tags, and no other test's (they share the server).
fn glob_of() -> String {
    format!("{}{}_*_allx_?", crate::support::PREFIX, std::process::id())
}

fn archives(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The run's lock file stays, hidden (removing it would race with a waiting run).
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn every_matching_database_gets_a_checked_archive_and_one_failure_fails_the_run() {
    let env = TestEnv::new();
    let one = fixtures::modern(&env, "allx_a");
    let two = fixtures::modern(&env, "allx_b");
    let three = fixtures::legacy(&env, "allx_c");
    let names = [one.name.as_str(), two.name.as_str(), three.name.as_str()];
    let glob = glob_of();
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();

    let output = env
        .cmd()
        .args(["--json", "backup", "--all", "--match", &glob, "--parallel", "2", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["failed"], 0);
    let mut done: Vec<&str> = report["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["database"].as_str().unwrap())
        .collect();
    done.sort_unstable();
    let mut want = names.to_vec();
    want.sort_unstable();
    assert_eq!(done, want, "every match, nothing else");
    let made = archives(&dir);
    assert_eq!(made.len(), 3, "{made:?}");
    for archive in &made {
        env.cmd().args(["backup", "--verify"]).arg(dir.join(archive)).assert().success();
    }

    // -q: nothing at all on success.
    let quiet = env
        .cmd()
        .args(["-q", "backup", "--all", "--match", &glob, "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty(), "{quiet:?}");

    // A file already damaged on disk (content not matching its sha1 name): every archive is
    // made, but the run ends "partly" (3) and says where, even under -q.
    let victim = walk(&env.filestore(&three.name)).into_iter().next().unwrap();
    std::fs::write(&victim, b"bit rot").unwrap();
    let damaged = env.root.join("damaged");
    std::fs::create_dir_all(&damaged).unwrap();
    let partly = env
        .cmd()
        .args(["-q", "backup", "--all", "--match", &glob, "--dir"])
        .arg(&damaged)
        .output()
        .unwrap();
    assert_eq!(partly.status.code(), Some(3), "{}", String::from_utf8_lossy(&partly.stderr));
    assert_eq!(archives(&damaged).len(), 3);
    let table = String::from_utf8_lossy(&partly.stdout);
    assert!(table.contains("damaged") && table.contains(&three.name), "{table}");
    assert!(String::from_utf8_lossy(&partly.stderr).contains(&three.name));
    std::fs::remove_file(&victim).unwrap();

    // One database whose filestore is a file: it fails, the others are made, exit 1, and the
    // table says which and why even under -q.
    let broken = env.filestore(&two.name);
    std::fs::remove_dir_all(&broken).unwrap();
    std::fs::write(&broken, b"not a folder").unwrap();
    let later = env.root.join("later");
    std::fs::create_dir_all(&later).unwrap();
    let failed = env
        .cmd()
        .args(["-q", "backup", "--all", "--match", &glob, "--dir"])
        .arg(&later)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&failed.stdout);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stdout.contains("FAILED") && stdout.contains(&two.name), "{stdout}");
    assert!(stderr.contains(&format!("1 of 3 backups failed: {}", two.name)), "{stderr}");
    let made = archives(&later);
    assert_eq!(made.len(), 2, "{made:?}");
    assert!(made.iter().all(|name| !name.starts_with(&format!("{}_", two.name))));

    // A pattern that matches nothing is a failure, not a silent empty run.
    let none = env
        .cmd()
        .args(["backup", "--all", "--match", "no_such_database_*", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no Odoo database matches"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files.sort();
    files
}

/// One `backup --all` per folder at a time: a second one exits 1 naming the holder, or with
/// `--wait` waits for it and then runs.
#[test]
fn a_second_run_into_the_same_folder_waits_or_says_who_holds_it() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "lockx_a");
    let glob = format!("{}{}_*_lockx_?", crate::support::PREFIX, std::process::id());
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    // Another run, as far as the lock goes: flock(1) holds it for a few seconds.
    let mut holder = std::process::Command::new("flock")
        .arg("-x")
        .arg(dir.join(".odoodb-backup-all.lock"))
        .args(["-c", "sleep 6"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));

    let refused =
        env.cmd().args(["backup", "--all", "--match", &glob, "--dir"]).arg(&dir).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("another odoodb backup --all is writing into"), "{stderr}");
    assert!(stderr.contains("--wait"), "{stderr}");
    assert!(archives(&dir).is_empty(), "nothing was made");

    let waited = env
        .cmd()
        .args(["backup", "--all", "--match", &glob, "--wait", "60s", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(waited.status.success(), "{}", String::from_utf8_lossy(&waited.stderr));
    assert!(String::from_utf8_lossy(&waited.stderr).contains("waiting for it"));
    assert_eq!(archives(&dir).len(), 1);
    holder.wait().unwrap();

    // A database closed to connections (production during an upgrade) is left out, but said.
    crate::support::admin()
        .batch_execute(&format!("ALTER DATABASE \"{}\" ALLOW_CONNECTIONS false", db.name))
        .unwrap();
    let closed = env
        .cmd()
        .args(["-q", "backup", "--all", "--match", &glob, "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert!(stderr.contains(&format!("{} is closed to connections", db.name)), "{stderr}");
    assert_eq!(closed.status.code(), Some(1), "nothing else matches: {stderr}");
}
