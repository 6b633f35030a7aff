//! `upgrade rollback`: after a production upgrade, the kept original takes the name back,
//! whole (rows and files), the upgraded one is set aside closed (or dropped); the kept twin is
//! closed to connections from the swap on; and a kill -9 at every step of the rollback is
//! settled by the next run — never a mix of the two, never a copy lost.

use crate::support::fixtures;
use crate::support::{
    PgTestDb, TestEnv, allows_connections, checksums, comment, database_exists, databases_like,
    json, text,
};
use crate::upgrade_command::{UPGRADER, file_contents, production};

/// The steps of a rollback, in order, where a run can die.
const STEPS: &[&str] = &[
    "put-back:closed",
    "put-back:upgraded-aside",
    "put-back:upgraded-folder-aside",
    "put-back:original-folder-in-place",
    "put-back:original-in-place",
    "put-back:committed",
    "put-back:drop-upgraded",
];

/// An upgraded production: returns (the original's rows, its files, the upgraded rows).
fn upgraded(env: &TestEnv, db: &PgTestDb) -> (Snapshot, Snapshot) {
    let original = snapshot(env, &db.name);
    let output = production(env, &db.name, UPGRADER, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let kept = json(&output)["kept_as"].as_str().unwrap().to_string();
    assert!(!allows_connections(&kept), "the kept original is closed from the swap on");
    assert!(comment(&kept).is_some_and(|c| c.starts_with("odoodb: the original of")));
    (original, snapshot(env, &db.name))
}

type Snapshot = (std::collections::BTreeMap<String, String>, Vec<(String, Vec<u8>)>);

fn snapshot(env: &TestEnv, db: &str) -> Snapshot {
    (checksums(db), file_contents(&env.filestore(db)))
}

fn rollback(env: &TestEnv, db: &str, extra: &[&str]) -> std::process::Output {
    env.cmd().args(["--yes", "upgrade", "rollback", db, "--json"]).args(extra).output().unwrap()
}

#[test]
fn rollback_puts_the_original_back_whole_and_sets_the_upgrade_aside_closed() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "urb_ok");
    let (original, upgrade) = upgraded(&env, &db);

    let listed = env.cmd().args(["list", "--json"]).output().unwrap();
    let listing = json(&listed);
    let kept = &databases_like(&format!("{}_pre_", db.name))[0];
    let entry = crate::support::listed(&listing, kept);
    assert!(entry["kept"].as_str().is_some_and(|k| k.contains("rollback")), "{entry}");
    let info = env.cmd().args(["info", kept, "--json"]).output().unwrap();
    assert!(info.status.success(), "{}", text(&info.stderr));
    assert!(json(&info)["kept"].as_str().is_some_and(|k| k.contains("kept by its upgrade")));
    let neutralize = env.cmd().args(["neutralize", kept, "--dry-run"]).output().unwrap();
    assert_eq!(neutralize.status.code(), Some(1), "a command that would open it says why");
    assert!(text(&neutralize.stderr).contains("kept by its upgrade"));

    let dry = rollback(&env, &db.name, &["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert_eq!(snapshot(&env, &db.name), upgrade, "a dry run changes nothing");

    let marks = env.root.join("service.log");
    let stop = format!("echo stop >> {}", marks.display());
    let start = format!("echo start >> {}", marks.display());
    let done = rollback(&env, &db.name, &["--stop-cmd", &stop, "--start-cmd", &start]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let report = json(&done);
    assert_eq!(report["original"].as_str(), Some(kept.as_str()));
    let aside = report["aside"].as_str().unwrap().to_string();
    assert!(aside.starts_with(&format!("{}_failed_18.0_", db.name)), "{aside}");
    assert_eq!(std::fs::read_to_string(&marks).unwrap(), "stop\nstart\n");

    assert!(allows_connections(&db.name), "production is open");
    assert_eq!(comment(&db.name), None, "and no longer marked");
    assert!(!database_exists(kept), "the kept original is production now");
    assert_eq!(snapshot(&env, &db.name), original, "production is the original, rows and files");
    assert!(!allows_connections(&aside), "the upgraded twin is closed");
    assert!(comment(&aside).is_some_and(|c| c.contains("set aside by a rollback")));
    assert_eq!(snapshot(&env, &aside), upgrade, "the upgrade is kept aside, whole");

    // Nothing more to go back to: refused, nothing changed.
    let again = rollback(&env, &db.name, &[]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("no kept original"), "{}", text(&again.stderr));
    assert_eq!(snapshot(&env, &db.name), original);
    crate::support::drop_database(&aside);
}

#[test]
fn drop_upgraded_removes_the_upgrade_once_the_original_is_back() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "urb_drop");
    let (original, _) = upgraded(&env, &db);
    let refused =
        env.cmd().args(["upgrade", "rollback", &db.name, "--drop-upgraded"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "no terminal, no --yes: {}", text(&refused.stderr));
    let done = rollback(&env, &db.name, &["--drop-upgraded"]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let aside = json(&done)["aside"].as_str().unwrap().to_string();
    assert!(!database_exists(&aside) && !env.filestore(&aside).exists(), "dropped, files too");
    assert_eq!(snapshot(&env, &db.name), original);
    assert!(databases_like(&format!("{}_pre_", db.name)).is_empty());
}

#[test]
fn a_kill_at_each_step_of_a_rollback_is_settled_by_the_next_run() {
    for point in STEPS {
        let env = TestEnv::new();
        let db = fixtures::modern(&env, "urb_kill");
        let (original, upgrade) = upgraded(&env, &db);
        let kept = databases_like(&format!("{}_pre_", db.name))[0].clone();
        let killed = env
            .cmd()
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .args(["--yes", "upgrade", "rollback", &db.name, "--drop-upgraded"])
            .output()
            .unwrap();
        assert_eq!(killed.status.code(), None, "{point}: {}", text(&killed.stderr));
        let recovered = env.cmd().arg("recover").output().unwrap();
        assert!(recovered.status.success(), "{point}: {}", text(&recovered.stderr));
        assert!(allows_connections(&db.name), "{point}: production is open again");
        let now = snapshot(&env, &db.name);
        let failed = databases_like(&format!("{}_failed_", db.name));
        if now == original {
            // Completed: the original is production, the upgrade dropped as asked.
            assert!(!database_exists(&kept), "{point}");
            assert!(failed.is_empty(), "{point}: {failed:?}");
        } else {
            // Not begun: the upgrade is production, the original still kept, closed.
            assert_eq!(now, upgrade, "{point}: production is neither the original nor the upgrade");
            assert_eq!(*point, "put-back:closed", "{point}: the swap had begun, so it completes");
            assert!(!allows_connections(&kept), "{point}: the kept original stays closed");
            assert_eq!(snapshot(&env, &kept), original, "{point}: the kept original is whole");
            crate::support::drop_database(&kept);
        }
        assert!(crate::support::leftovers(&env, &db.name).is_empty(), "{point}");
    }
}

#[test]
fn a_kept_original_renamed_by_hand_without_its_folder_is_refused() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "urb_hand");
    let (_, upgrade) = upgraded(&env, &db);
    let kept = databases_like(&format!("{}_pre_", db.name))[0].clone();
    // Renamed by hand: the mark goes with the database, the folder stays behind.
    let moved = format!("{}_by_hand", db.name);
    crate::support::admin()
        .batch_execute(&format!("ALTER DATABASE \"{kept}\" RENAME TO \"{moved}\""))
        .unwrap();
    let refused = rollback(&env, &db.name, &[]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("has no filestore folder"), "{}", text(&refused.stderr));
    assert_eq!(snapshot(&env, &db.name), upgrade, "nothing changed");
    assert!(allows_connections(&db.name));
    assert!(env.filestore(&kept).is_dir(), "the original's files stay where they were");
    crate::support::drop_database(&moved);
}
