//! `-q`: "Print only errors and warnings". A command that succeeds prints nothing at all, so the
//! cron job that runs it mails nothing; `--json` still prints its document; a failure still says
//! why. And `backup --keep` removes (and says it removed) the oldest backups first.

use std::path::Path;

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, archives, database_exists, json};

/// Runs `args` with `-q`, expects success and nothing on either stream.
fn silent(env: &TestEnv, args: &[&str]) {
    let output = env.cmd().arg("-q").args(args).current_dir(&env.root).output().unwrap();
    let (out, err) =
        (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{args:?} failed: {err}");
    assert_eq!(out, "", "{args:?} printed a result under -q");
    assert_eq!(err, "", "{args:?} printed on stderr under -q");
}

#[test]
fn quiet_commands_print_nothing_on_success() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "q_src");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();

    silent(&env, &["backup", &db.name, "--dir", dir_arg]);
    let archive = std::fs::read_dir(&dir).unwrap().flatten().next().unwrap().path();
    silent(&env, &["backup", "--verify", archive.to_str().unwrap()]);

    let copy = PgTestDb::reserve("q_copy");
    silent(&env, &["duplicate", &db.name, &copy.name]);
    assert!(database_exists(&copy.name));
    silent(&env, &["neutralize", &copy.name, "--yes", "--no-module-files"]);
    silent(&env, &["neutralize", &copy.name, "--yes", "--no-module-files"]);
    silent(&env, &["neutralize", "--check", &copy.name]);

    let renamed = PgTestDb::reserve("q_renamed");
    silent(&env, &["rename", &copy.name, &renamed.name, "--yes"]);
    assert!(database_exists(&renamed.name));

    let restored = PgTestDb::reserve("q_restored");
    let zip = archives::path_in(&env, "q.zip");
    archives::odoo_zip(&env, &db.name, &zip);
    silent(&env, &["restore", zip.to_str().unwrap(), &restored.name]);
    assert!(database_exists(&restored.name));

    silent(&env, &["delete", &restored.name, "--yes"]);
    assert!(!database_exists(&restored.name));
    silent(&env, &["recover"]);

    // --json is asked for explicitly: it still comes.
    let output = env.cmd().args(["-q", "--json", "neutralize", "--check", &renamed.name]).output();
    assert_eq!(json(&output.unwrap())["findings"], serde_json::json!([]));
    // A failure still says so.
    let output = env.cmd().args(["-q", "neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error:"));
    assert!(!output.stdout.is_empty(), "the findings are shown");
}

#[test]
fn keep_removes_the_oldest_first_and_says_so_in_that_order() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "q_keep");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let old = [
        format!("{}_2020-01-01_00-00-00.zip", db.name),
        format!("{}_2021-01-01_00-00-00.tar.gz", db.name),
        format!("{}_2022-01-01_00-00-00.dump", db.name),
        format!("{}_2023-01-01_00-00-00.zip", db.name),
    ];
    for name in &old {
        std::fs::write(dir.join(name), b"x").unwrap();
    }
    let output =
        env.cmd().args(["backup", &db.name, "--keep", "2", "--dir"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let removed: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("Removed older backup "))
        .map(|path| Path::new(path).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(removed, [old[0].clone(), old[1].clone(), old[2].clone()], "{text}");
    assert!(dir.join(&old[3]).exists());

    // The JSON report lists them in the same order.
    std::fs::write(dir.join(&old[0]), b"x").unwrap();
    std::fs::write(dir.join(&old[1]), b"x").unwrap();
    let output = env
        .cmd()
        .args(["--json", "backup", &db.name, "--keep", "1", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let pruned: Vec<String> = json(&output)["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Path::new(p.as_str().unwrap()).file_name().unwrap().to_string_lossy().into())
        .collect();
    assert_eq!(pruned[..3], [old[0].clone(), old[1].clone(), old[3].clone()], "{pruned:?}");
}
