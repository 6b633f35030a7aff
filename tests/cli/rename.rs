use predicates::prelude::*;

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, database_exists, files_under, odoo_session};

#[test]
fn moves_the_database_and_its_filestore_together_keeping_the_uuid() {
    let env = TestEnv::new();
    let old = fixtures::modern(&env, "ren_old");
    let new = PgTestDb::reserve("ren_new");
    let uuid = old.param("database.uuid");
    let files = files_under(&env.filestore(&old.name));
    env.cmd()
        .args(["rename", &old.name, &new.name])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no terminal"));
    assert!(database_exists(&old.name), "nothing changes without --yes");

    env.cmd().args(["rename", &old.name, &new.name, "--yes"]).assert().success();
    assert!(!database_exists(&old.name) && database_exists(&new.name));
    assert!(!env.filestore(&old.name).exists());
    assert_eq!(files_under(&env.filestore(&new.name)), files);
    assert_eq!(new.param("database.uuid"), uuid, "the same database keeps its identity");
}

#[test]
fn refuses_taken_names_and_busy_databases() {
    let env = TestEnv::new();
    let old = fixtures::modern(&env, "ren_ref_old");
    let taken = PgTestDb::empty("ren_ref_taken");
    let free = PgTestDb::reserve("ren_ref_free");
    env.cmd()
        .args(["rename", &old.name, &taken.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    std::fs::create_dir_all(env.filestore(&free.name)).unwrap();
    env.cmd()
        .args(["rename", &old.name, &free.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("filestore folder already exists"));
    std::fs::remove_dir(env.filestore(&free.name)).unwrap();
    env.cmd().args(["rename", &old.name, "-bad", "--yes"]).assert().code(2);
    env.cmd()
        .args(["rename", "odoodbt_missing_db", &free.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));

    let _session = odoo_session(&old.name);
    env.cmd()
        .args(["rename", &old.name, &free.name, "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force-disconnect"));
    assert!(database_exists(&old.name) && !database_exists(&free.name));
    assert_eq!(files_under(&env.filestore(&old.name)).len(), 2);

    env.cmd()
        .args(["rename", &old.name, &free.name, "--yes", "--force-disconnect"])
        .assert()
        .success();
    assert!(database_exists(&free.name) && env.filestore(&free.name).exists());
}

#[test]
fn a_failed_folder_move_renames_the_database_back() {
    let env = TestEnv::new();
    let old = fixtures::modern(&env, "ren_fail_old");
    let new = PgTestDb::reserve("ren_fail_new");
    env.cmd()
        .args(["rename", &old.name, &new.name, "--yes"])
        .env("ODOODB_FAULT", "fail:rename:folder")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("renamed back")
                .and(predicate::str::contains("nothing was changed")),
        );
    assert!(database_exists(&old.name) && !database_exists(&new.name));
    assert_eq!(files_under(&env.filestore(&old.name)).len(), 2);
    assert!(!env.filestore(&new.name).exists());
}

#[test]
fn dry_run_changes_nothing() {
    let env = TestEnv::new();
    let old = fixtures::legacy(&env, "ren_dry_old");
    let new = PgTestDb::reserve("ren_dry_new");
    env.cmd()
        .args(["rename", &old.name, &new.name, "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("RENAME TO"));
    assert!(database_exists(&old.name) && !database_exists(&new.name));
}
