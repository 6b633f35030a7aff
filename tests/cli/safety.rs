//! Bad input and odd filesystems: each is refused up front with a clear error, or handled and
//! reported as it really happened — and nothing is changed that was not meant to be.

use std::os::unix::fs::symlink;

use predicates::prelude::*;

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, admin, database_exists, files_under, json, leftovers};

#[test]
fn names_in_the_temporary_pattern_are_refused() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "sf_res_src");
    for args in [
        vec!["duplicate", source.name.as_str(), "x__odoodb_tmp_12", "--yes"],
        vec!["rename", source.name.as_str(), "x__odoodb_old_12", "--yes"],
        vec!["duplicate", source.name.as_str(), "_odoodb_new_0000abcd", "--yes"],
    ] {
        env.cmd().args(&args).assert().code(2).stderr(predicate::str::contains("error:"));
    }
    assert!(database_exists(&source.name));
    assert_eq!(files_under(&env.filestore(&source.name)).len(), 2);
}

#[test]
fn options_that_contradict_each_other_are_refused() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "sf_opt_src");
    let target = PgTestDb::reserve("sf_opt_dst");
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--neutralize", "--keep-enterprise-code"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--ignore-module", "mail"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only apply with --neutralize"));
    assert!(!database_exists(&target.name));
}

#[test]
fn a_symlinked_filestore_is_unlinked_not_emptied_and_said_so() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "sf_link");
    let elsewhere = env.root.join("elsewhere");
    std::fs::rename(env.filestore(&db.name), &elsewhere).unwrap();
    symlink(&elsewhere, env.filestore(&db.name)).unwrap();
    let output = env.cmd().args(["delete", &db.name, "--yes"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("symbolic link"), "{stdout}");
    assert!(!database_exists(&db.name));
    assert!(env.filestore(&db.name).symlink_metadata().is_err(), "the link is gone");
    assert_eq!(files_under(&elsewhere).len(), 2, "what it pointed to is left as it was");
}

#[test]
fn odd_things_at_filestore_paths_are_refused_before_anything_starts() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "sf_odd_src");
    let target = PgTestDb::reserve("sf_odd_dst");
    // A dangling link where the copy's folder would go.
    symlink(env.root.join("nowhere"), env.filestore(&target.name)).unwrap();
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--force", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("symbolic link"));
    assert!(!database_exists(&target.name));
    std::fs::remove_file(env.filestore(&target.name)).unwrap();
    // A file where the copy's folder would go.
    std::fs::write(env.filestore(&target.name), "not a folder").unwrap();
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--force", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a folder"));
    assert!(!database_exists(&target.name));
    assert_eq!(std::fs::read_to_string(env.filestore(&target.name)).unwrap(), "not a folder");
    std::fs::remove_file(env.filestore(&target.name)).unwrap();
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());

    // A source whose filestore is a file.
    let files = env.root.join("moved");
    std::fs::rename(env.filestore(&source.name), &files).unwrap();
    std::fs::write(env.filestore(&source.name), "oops").unwrap();
    env.cmd()
        .args(["duplicate", &source.name, &target.name])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a folder"));
    assert!(!database_exists(&target.name));
    std::fs::remove_file(env.filestore(&source.name)).unwrap();
    std::fs::rename(&files, env.filestore(&source.name)).unwrap();
}

#[test]
fn a_filestore_root_that_is_a_file_is_refused() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "sf_root_src");
    let target = PgTestDb::reserve("sf_root_dst");
    let root = env.data_dir.join("filestore");
    let aside = env.root.join("filestore-aside");
    std::fs::rename(&root, &aside).unwrap();
    std::fs::write(&root, "a file").unwrap();
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--filestore", "none"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the filestore root"));
    assert!(!database_exists(&target.name));
    std::fs::remove_file(&root).unwrap();
    std::fs::rename(&aside, &root).unwrap();
}

#[test]
fn a_wrong_data_dir_is_refused_when_attachments_need_files() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "sf_wrong_src");
    let target = PgTestDb::reserve("sf_wrong_dst");
    let elsewhere = env.root.join("empty-data");
    std::fs::create_dir_all(elsewhere.join("filestore")).unwrap();
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--data-dir"])
        .arg(&elsewhere)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("attachments stored in the filestore")
                .and(predicate::str::contains("--data-dir"))
                .and(predicate::str::contains("--filestore none")),
        );
    assert!(!database_exists(&target.name));
    // Asked for explicitly, a copy without files is made.
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--filestore", "none", "--data-dir"])
        .arg(&elsewhere)
        .assert()
        .success();
    assert!(database_exists(&target.name));
}

#[test]
fn an_invalid_database_left_by_an_interrupted_drop_is_listed_and_finished_by_delete() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "sf_invalid");
    admin()
        .batch_execute(&format!(
            "UPDATE pg_database SET datconnlimit = -2 WHERE datname = '{}'",
            db.name
        ))
        .unwrap();
    let listing = json(&env.cmd().args(["list", "--json"]).output().unwrap());
    let entry = crate::support::listed(&listing, &db.name);
    assert_eq!(entry["invalid"], true, "{listing}");
    env.cmd()
        .args(["delete", &db.name, "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("invalid"));
    assert!(!database_exists(&db.name));
    assert!(!env.filestore(&db.name).exists());
}

#[test]
fn a_password_on_a_broken_config_line_is_never_printed() {
    let env = TestEnv::new();
    let conf = env.root.join("broken.conf");
    std::fs::write(&conf, "[options]\ndb_host = /tmp\ndb_password hunter2-secret\n").unwrap();
    let output = env.bare_cmd().args(["-c", conf.to_str().unwrap(), "list"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 3") && stderr.contains("db_password"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn production_needs_its_name_typed_even_with_yes() {
    let env = TestEnv::new();
    let prod = fixtures::modern(&env, "sf_prod");
    let source = fixtures::legacy(&env, "sf_prod_src");
    let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
    std::fs::write(&env.odoo_conf, format!("{conf}db_name = {}\n", prod.name)).unwrap();
    let renamed = PgTestDb::reserve("sf_prod_renamed");
    for args in [
        vec!["delete", prod.name.as_str(), "--yes"],
        vec!["rename", prod.name.as_str(), renamed.name.as_str(), "--yes"],
        vec!["duplicate", source.name.as_str(), prod.name.as_str(), "--force", "--yes"],
        vec![
            "upgrade",
            "test",
            source.name.as_str(),
            "-t",
            "18.0",
            "--engine",
            "command",
            "--upgrade-command",
            "true",
            "--name",
            prod.name.as_str(),
            "--force",
            "--yes",
        ],
    ] {
        env.cmd()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("looks like production"));
    }
    assert!(database_exists(&prod.name) && !database_exists(&renamed.name));
    assert_eq!(prod.param("web.base.url").as_deref(), Some("https://erp.example.com"));
    // --force is the script's way to say it knows.
    env.cmd().args(["delete", &prod.name, "--yes", "--force"]).assert().success();
    assert!(!database_exists(&prod.name));
}

#[test]
fn rename_and_delete_refuse_to_part_a_database_from_its_files_under_a_wrong_data_dir() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "sf_part");
    let renamed = PgTestDb::reserve("sf_part_new");
    let elsewhere = env.root.join("other-data");
    std::fs::create_dir_all(elsewhere.join("filestore")).unwrap();
    for args in [
        vec!["rename", db.name.as_str(), renamed.name.as_str(), "--yes"],
        vec!["delete", db.name.as_str(), "--yes"],
    ] {
        env.cmd().args(&args).arg("--data-dir").arg(&elsewhere).assert().code(1).stderr(
            predicate::str::contains("attachments stored in the filestore")
                .and(predicate::str::contains("--force")),
        );
    }
    assert!(database_exists(&db.name) && !database_exists(&renamed.name));
    // The files are really gone: --force says so.
    std::fs::remove_dir_all(env.filestore(&db.name)).unwrap();
    env.cmd().args(["delete", &db.name, "--yes", "--force"]).assert().success();
    assert!(!database_exists(&db.name));
}
