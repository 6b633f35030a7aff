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
