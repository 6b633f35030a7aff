//! `odoodb update`: a module update of production run on a copy, checked (same version, no
//! module left half way), swapped in with the original kept closed; any failure, a program
//! that leaves a module to upgrade, or Ctrl-C mid-program leaves production untouched and open;
//! `upgrade rollback` undoes a good one.

use crate::support::fixtures;
use crate::support::{
    TestEnv, allows_connections, checksums, comment, databases_like, json, leftovers, text,
};
use crate::upgrade_command::file_contents;

/// What `odoo-bin -u` does, as far as a test can tell: a module's data and version move on
/// within the version, base stays where it is.
const UPDATER: &str = r#"psql -X -q -v ON_ERROR_STOP=1 -c "CREATE TABLE update_marker (series text); INSERT INTO update_marker VALUES ('$ODOODB_SERIES'); UPDATE ir_module_module SET latest_version = latest_version || '.1' WHERE name <> 'base'""#;

fn update(env: &TestEnv, db: &str, command: &str, extra: &[&str]) -> std::process::Output {
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    env.cmd()
        .args(["--yes", "update", db, "--command", command, "--json", "--backup-dir"])
        .arg(&backups)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn an_update_is_swapped_in_and_a_rollback_undoes_it() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upd_ok");
    let (before, files) = (checksums(&db.name), file_contents(&env.filestore(&db.name)));
    let output = update(&env, &db.name, UPDATER, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = json(&output);
    let kept = report["kept_as"].as_str().unwrap().to_string();
    assert!(kept.starts_with(&format!("{}_pre_update_", db.name)), "{kept}");
    let series = report["series"].as_str().unwrap().to_string();
    assert_eq!(db.scalar_string("SELECT series FROM update_marker"), Some(series));
    assert!(allows_connections(&db.name) && !allows_connections(&kept));
    assert!(comment(&kept).is_some_and(|c| c.contains("upgrade rollback")));
    assert_eq!(checksums(&kept), before, "the kept original is what was there");
    assert_eq!(file_contents(&env.filestore(&db.name)), files);
    let backup = report["backup"].as_str().unwrap();
    let verify = env.cmd().args(["backup", "--verify", backup]).output().unwrap();
    assert!(verify.status.success(), "the backup made first verifies");

    let rollback = ["--yes", "upgrade", "rollback", &db.name, "--drop-upgraded"];
    let back = env.cmd().args(rollback).output().unwrap();
    assert!(back.status.success(), "{}", text(&back.stderr));
    assert_eq!(checksums(&db.name), before, "the rollback puts the original back");
    assert_eq!(file_contents(&env.filestore(&db.name)), files);
    assert!(allows_connections(&db.name));
    assert!(databases_like(&format!("{}_pre_", db.name)).is_empty());
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn a_failing_or_unfinished_update_leaves_production_untouched_and_open() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upd_fail");
    let before = checksums(&db.name);
    let marks = env.root.join("service.log");
    let start = format!("echo start >> {}", marks.display());
    for (command, said) in [
        ("echo 'module sale failed' >&2; exit 2", "the update program failed"),
        (
            r#"psql -X -q -c "UPDATE ir_module_module SET state = 'to install' WHERE name = 'crm'""#,
            "left 1 modules unfinished (crm (to install))",
        ),
        (
            r#"psql -X -q -c "UPDATE ir_module_module SET latest_version = '99.0.1.0' WHERE name = 'base'""#,
            "an update stays on its version",
        ),
    ] {
        let output = update(&env, &db.name, command, &["--start-cmd", &start]);
        assert_eq!(output.status.code(), Some(1), "{command}: {}", text(&output.stderr));
        assert!(text(&output.stderr).contains(said), "{command}: {}", text(&output.stderr));
        assert!(text(&output.stderr).contains("back as it was"), "{}", text(&output.stderr));
        assert_eq!(checksums(&db.name), before, "{command}: production untouched");
        assert!(allows_connections(&db.name), "{command}: and open");
        assert!(databases_like(&format!("{}_pre_", db.name)).is_empty(), "{command}");
        assert_eq!(leftovers(&env, &db.name), Vec::<String>::new(), "{command}");
    }
    assert_eq!(std::fs::read_to_string(&marks).unwrap(), "start\nstart\nstart\n");
}

#[test]
fn ctrl_c_mid_program_leaves_production_untouched_and_open() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upd_int");
    let before = checksums(&db.name);
    let started = env.root.join("started");
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let command = format!("touch {}; sleep 30", started.display());
    let child = env.spawn(["--yes", "update", &db.name], |c| {
        c.args(["--command", &command]).arg("--backup-dir").arg(&backups);
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while !started.exists() {
        assert!(std::time::Instant::now() < deadline, "the update program never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!allows_connections(&db.name), "closed while it updates");
    child.signal(nix::sys::signal::Signal::SIGINT);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert_eq!(checksums(&db.name), before);
    assert!(allows_connections(&db.name));
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}
