use predicates::prelude::*;

use crate::support::fixtures;
use crate::support::{
    PgTestDb, TestEnv, database_exists, files_under, json, leftovers, odoo_session,
};

#[test]
fn drops_the_database_and_removes_its_filestore_after_confirmation() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "del_main");
    env.cmd()
        .args(["delete", &db.name])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no terminal").and(predicate::str::contains("--yes")))
        .stderr(predicate::str::contains("no backup"));
    assert!(
        database_exists(&db.name) && env.filestore(&db.name).exists(),
        "nothing changes without --yes"
    );

    let output = env.cmd().args(["delete", &db.name, "--yes", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    assert_eq!(report["filestore_removed"], true);
    assert_eq!(report["filestore"]["files"], 2);
    assert!(!database_exists(&db.name));
    assert!(!env.filestore(&db.name).exists());
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn keep_filestore_keeps_the_folder() {
    let env = TestEnv::new();
    let db = fixtures::legacy(&env, "del_keep");
    env.cmd().args(["delete", &db.name, "--yes", "--keep-filestore"]).assert().success();
    assert!(!database_exists(&db.name));
    assert_eq!(files_under(&env.filestore(&db.name)).len(), 1);
}

#[test]
fn refuses_system_foreign_and_busy_databases() {
    let env = TestEnv::new();
    for system in ["postgres", "template0", "template1"] {
        env.cmd()
            .args(["delete", system, "--yes"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("system database"));
    }
    let plain = PgTestDb::empty("del_plain");
    env.cmd()
        .args(["delete", &plain.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not an Odoo database"));
    assert!(database_exists(&plain.name));
    env.cmd().args(["delete", &plain.name, "--yes", "--force"]).assert().success();
    assert!(!database_exists(&plain.name));

    let busy = fixtures::modern(&env, "del_busy");
    let _session = odoo_session(&busy.name);
    env.cmd()
        .args(["delete", &busy.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force-disconnect"));
    assert!(database_exists(&busy.name) && env.filestore(&busy.name).exists());
    env.cmd().args(["delete", &busy.name, "--yes", "--force-disconnect"]).assert().success();
    assert!(!database_exists(&busy.name));
    env.cmd()
        .args(["delete", "odoodbt_never_was", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn a_failed_drop_puts_the_filestore_back() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "del_fail");
    env.cmd()
        .args(["delete", &db.name, "--yes"])
        .env("ODOODB_FAULT", "fail:before-drop")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing was changed"));
    assert!(database_exists(&db.name));
    assert_eq!(files_under(&env.filestore(&db.name)).len(), 2);
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn if_exists_makes_a_missing_database_a_success_and_psql_short_options_work() {
    let env = TestEnv::new();
    let missing = PgTestDb::reserve("del_missing");
    env.cmd().args(["delete", &missing.name, "--yes"]).assert().code(1);
    env.cmd().args(["delete", &missing.name, "--yes", "--if-exists"]).assert().success();
    let db = fixtures::modern(&env, "del_short");
    let server = crate::support::Server::get();
    env.cmd()
        .args(["-p", &server.port.to_string(), "-U", &server.user, "delete", &db.name, "--yes"])
        .arg("--if-exists")
        .assert()
        .success();
    assert!(!database_exists(&db.name));
}

#[test]
fn ctrl_c_while_the_drop_waits_is_read_back_from_the_server() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "del_int");
    let before = files_under(&env.filestore(&db.name));
    // A transaction holding a lock on the database object makes DROP DATABASE wait.
    let mut holder = crate::support::admin();
    let mut transaction = holder.transaction().unwrap();
    transaction
        .batch_execute(&format!(
            "COMMENT ON DATABASE {} IS 'held'",
            crate::support::quote(&db.name)
        ))
        .unwrap();
    let child = env.spawn(["delete", &db.name, "--yes"], |c| {
        c.stdout(std::process::Stdio::piped());
    });
    // Wait until the DROP is waiting on the lock.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let waiting: i64 = crate::support::admin()
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'DROP DATABASE%' AND wait_event_type = 'Lock'",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the drop never waited");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.signal(nix::sys::signal::Signal::SIGINT);
    let output = child.wait_with_output().unwrap();
    transaction.rollback().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert!(database_exists(&db.name), "the drop was cancelled in time");
    assert_eq!(files_under(&env.filestore(&db.name)), before, "the folder is back");
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn dry_run_shows_the_drop_the_run_issues() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "del_dry_drop");
    let quoted = format!("DROP DATABASE \"{}\"", db.name);
    let _worker = odoo_session(&db.name);

    // Without --force-disconnect the run issues a plain drop, which open sessions stop.
    let output = env.cmd().args(["delete", &db.name, "--dry-run"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(plan.contains(&format!("{quoted};")), "{plan}");
    assert!(!plan.contains("WITH (FORCE)"), "{plan}");
    assert!(plan.contains("1 session(s) connected now"), "{plan}");
    env.cmd()
        .args(["delete", &db.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("connected session"));
    assert!(database_exists(&db.name));

    // With it, the sessions end in the drop itself.
    let output =
        env.cmd().args(["delete", &db.name, "--dry-run", "--force-disconnect"]).output().unwrap();
    let plan = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(plan.contains(&format!("{quoted} WITH (FORCE);")), "{plan}");
    assert!(!plan.contains("session(s) connected now"), "{plan}");
    assert!(database_exists(&db.name));
}

#[test]
fn backup_first_writes_into_dir_and_says_where_in_one_sentence() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "del_bk_dir");
    let dir = env.root.join("before-delete");
    std::fs::create_dir_all(&dir).unwrap();

    let output = env
        .cmd()
        .current_dir(&env.root)
        .args(["delete", &db.name, "--dry-run", "--backup-first"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!err.contains(".."), "no doubled period: {err}");
    assert!(err.contains(&format!("in {}.", env.root.display())), "the folder by its path: {err}");

    env.cmd()
        .current_dir(&env.root)
        .args(["delete", &db.name, "--yes", "--backup-first", "--dir"])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("in {}.", dir.display())))
        .stderr(predicate::str::contains("Backed up"));
    assert!(!database_exists(&db.name));
    let made: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].starts_with(&db.name) && made[0].ends_with(".tar.gz"), "{made:?}");
    assert!(
        files_under(&env.root)
            .iter()
            .all(|f| !f.ends_with(".tar.gz") || f.contains("before-delete"))
    );

    // --dir without --backup-first is a usage error.
    env.cmd().args(["delete", "whatever", "--dir"]).arg(&dir).assert().code(2);
}
