//! Crash consistency: every changing command is aborted on the spot (as kill -9 or a power cut
//! would: no cleanup, no destructor) at each boundary between two of its steps, then a later
//! run recovers. The outcome is always the whole old state or the whole new one — never a mix,
//! never a lost copy — and nothing is left behind.

use std::path::Path;

use predicates::prelude::*;

use crate::support::Spawned;
use crate::support::fixtures;
use crate::support::{
    PgTestDb, TestEnv, admin, database_exists, files_under, leftovers, quote, temporary_databases,
};

/// Runs odoodb with a crash injected at `point`; asserts that it died there.
fn crash_at(env: &TestEnv, point: &str, args: &[&str]) {
    let output =
        env.cmd().args(args).env("ODOODB_FAULT", format!("crash:{point}")).output().unwrap();
    assert_eq!(
        output.status.code(),
        None,
        "odoodb {args:?} should have died at {point}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What a later run does first: settle the interrupted change.
fn recover(env: &TestEnv) -> String {
    let output = env.cmd().args(["recover"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "recover failed: {stderr}");
    stderr
}

fn base_url(db: &str) -> Option<String> {
    crate::support::Server::get()
        .client(db)
        .query_opt("SELECT value FROM ir_config_parameter WHERE key = 'web.base.url'", &[])
        .unwrap()
        .map(|row| row.get(0))
}

/// The copy is in place, whole: its database (with the copy's base URL) and all its files.
fn assert_new_copy(env: &TestEnv, source: &PgTestDb, target: &str, point: &str) {
    assert!(database_exists(target), "{point}: the copy must be in place");
    assert_eq!(base_url(target).as_deref(), Some("http://localhost:8069"), "{point}");
    assert_eq!(
        files_under(&env.filestore(target)),
        files_under(&env.filestore(&source.name)),
        "{point}: the copy's files must be in place"
    );
}

const DUPLICATE_POINTS: &[&str] = &[
    "after-database-copy",
    "before-swap",
    "install:old-database-aside",
    "install:old-folder-aside",
    "install:new-folder-in-place",
    "install:new-database-in-place",
    "install:committed",
];

/// Once the commit has begun (every `install:` point), recovery completes the copy; before it,
/// nothing the user has was touched.
fn committed(point: &str) -> bool {
    point.starts_with("install:")
}

#[test]
fn a_duplicate_killed_between_any_two_steps_is_completed_or_undone() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_dup_src");
    for (n, point) in DUPLICATE_POINTS.iter().enumerate() {
        let target = PgTestDb::reserve(&format!("cr_dup_{n}"));
        crash_at(&env, point, &["duplicate", &source.name, &target.name]);
        assert!(
            !database_exists(&target.name) || committed(point),
            "{point}: the target name appears only once the copy is whole"
        );
        recover(&env);
        if committed(point) {
            assert_new_copy(&env, &source, &target.name, point);
        } else {
            assert!(!database_exists(&target.name), "{point}: nothing of the copy remains");
            assert!(!env.filestore(&target.name).exists(), "{point}");
        }
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new(), "{point}");
    }
}

#[test]
fn a_replacing_duplicate_killed_anywhere_never_loses_the_old_target() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_rep_src");
    let points: Vec<&str> = DUPLICATE_POINTS
        .iter()
        .copied()
        .chain(["install:drop-previous", "install:remove-previous-folder"])
        .collect();
    for (n, point) in points.iter().enumerate() {
        let target = fixtures::legacy(&env, &format!("cr_rep_{n}"));
        let old_files = files_under(&env.filestore(&target.name));
        let old_url = base_url(&target.name);
        crash_at(&env, point, &["duplicate", &source.name, &target.name, "--force", "--yes"]);
        recover(&env);
        let build_phase = matches!(*point, "after-database-copy" | "before-swap");
        if build_phase {
            assert_eq!(base_url(&target.name), old_url, "{point}: the old target is intact");
            assert_eq!(files_under(&env.filestore(&target.name)), old_files, "{point}");
        } else {
            assert_new_copy(&env, &source, &target.name, point);
        }
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new(), "{point}");
    }
}

#[test]
fn a_rename_killed_between_its_steps_keeps_database_and_folder_together() {
    let env = TestEnv::new();
    for (n, point) in ["rename:database", "rename:folder", "rename:done"].iter().enumerate() {
        let old = fixtures::modern(&env, &format!("cr_ren_{n}"));
        let new = PgTestDb::reserve(&format!("cr_ren_new_{n}"));
        crash_at(&env, point, &["rename", &old.name, &new.name, "--yes"]);
        recover(&env);
        let (at, gone) = if database_exists(&new.name) { (&new, &old) } else { (&old, &new) };
        assert!(database_exists(&at.name) && !database_exists(&gone.name), "{point}");
        assert_eq!(files_under(&env.filestore(&at.name)).len(), 2, "{point}: folder follows");
        assert!(!env.filestore(&gone.name).exists(), "{point}");
        assert_eq!(leftovers(&env, &old.name), Vec::<String>::new(), "{point}");
        if *point != "rename:database" {
            assert!(database_exists(&new.name), "{point}: a started rename is completed");
        }
    }
}

#[test]
fn a_delete_killed_between_its_steps_removes_both_or_neither() {
    let env = TestEnv::new();
    for (n, point) in ["delete:folder-aside", "delete:drop", "before-drop", "delete:remove-folder"]
        .iter()
        .enumerate()
    {
        let db = fixtures::modern(&env, &format!("cr_del_{n}"));
        crash_at(&env, point, &["delete", &db.name, "--yes"]);
        recover(&env);
        let kept = database_exists(&db.name);
        assert_eq!(kept, env.filestore(&db.name).exists(), "{point}: both or neither");
        if kept {
            assert_eq!(files_under(&env.filestore(&db.name)).len(), 2, "{point}");
        }
        assert_eq!(*point == "delete:remove-folder", !kept, "{point}");
        assert_eq!(leftovers(&env, &db.name), Vec::<String>::new(), "{point}");
    }
}

#[test]
fn names_at_the_63_byte_limit_survive_a_crash_mid_swap() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_long_src");
    let target = fixtures::legacy(&env, "cr_long_dst");
    let long = format!("{}{}", target.name, "x".repeat(63 - target.name.len()));
    assert_eq!(long.len(), 63);
    admin()
        .batch_execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote(&target.name),
            quote(&long)
        ))
        .unwrap();
    std::fs::rename(env.filestore(&target.name), env.filestore(&long)).unwrap();
    let target = PgTestDb { name: long };
    crash_at(
        &env,
        "install:new-folder-in-place",
        &["duplicate", &source.name, &target.name, "--force", "--yes"],
    );
    recover(&env);
    assert_new_copy(&env, &source, &target.name, "63 bytes");
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn a_live_run_is_never_recovered_whatever_its_pid_says() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_live_src");
    let target = PgTestDb::reserve("cr_live_dst");
    let other = fixtures::legacy(&env, "cr_live_other");
    let renamed = PgTestDb::reserve("cr_live_renamed");
    let mut child = crate::duplicate::paused_duplicate(&env, &source, &target);
    // Make the journal look like a run on another host whose pid means nothing here.
    let journal_dir = env.data_dir.join("filestore/.odoodb-journal");
    for entry in std::fs::read_dir(&journal_dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        doc["host"] = "another-host".into();
        doc["pid"] = 999_999_999u32.into();
        std::fs::write(entry.path(), doc.to_string()).unwrap();
    }
    let temporaries = temporary_databases(&env);
    assert_eq!(temporaries.len(), 1);
    // An unrelated change on the same server and data_dir must not touch the live run's copy.
    env.cmd().args(["rename", &other.name, &renamed.name, "--yes"]).assert().success();
    let output = env.cmd().args(["recover", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("another-host"));
    assert_eq!(temporary_databases(&env), temporaries, "the live run's copy is untouched");
    // A command on the same target waits for the live run instead.
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--force", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("being changed by another odoodb run"));
    child.kill().unwrap();
    child.wait().unwrap();
    recover(&env);
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
    assert!(!database_exists(&target.name));
}

#[test]
fn a_recovery_problem_is_a_warning_for_unrelated_commands() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "cr_prob");
    let renamed = PgTestDb::reserve("cr_prob_renamed");
    let journal_dir = env.data_dir.join("filestore/.odoodb-journal");
    std::fs::create_dir_all(&journal_dir).unwrap();
    std::fs::write(journal_dir.join("0badf00d.json"), "{ not json").unwrap();
    env.cmd()
        .args(["rename", &db.name, &renamed.name, "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("unreadable odoodb journal"));
    env.cmd().args(["recover"]).assert().code(1);
    std::fs::remove_file(journal_dir.join("0badf00d.json")).unwrap();
    env.cmd().args(["recover"]).assert().success();
    assert!(Path::new(&env.filestore(&renamed.name)).exists());
}

#[test]
fn a_crash_while_undoing_a_failed_swap_never_costs_the_old_target() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_undo_src");
    for (n, faults) in [
        "fail:install:new-folder-in-place,crash:install:undo",
        "fail:install:new-database-in-place,crash:install:remove-building-folder",
        "fail:install:committed,crash:install:undo",
    ]
    .iter()
    .enumerate()
    {
        let target = fixtures::legacy(&env, &format!("cr_undo_{n}"));
        let old_files = files_under(&env.filestore(&target.name));
        let old_url = base_url(&target.name);
        let output = env
            .cmd()
            .args(["duplicate", &source.name, &target.name, "--force", "--yes"])
            .env("ODOODB_FAULT", faults)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), None, "{faults}: should have died while undoing");
        recover(&env);
        // Still in the commit phase, recovery may complete the swap (the copy is whole); once the
        // undo was journaled, it finishes the undo. Either way a whole state, nothing lost.
        if base_url(&target.name) == old_url {
            assert_eq!(files_under(&env.filestore(&target.name)), old_files, "{faults}");
        } else {
            assert!(!faults.contains("remove-building-folder"), "{faults}: the undo was journaled");
            assert_new_copy(&env, &source, &target.name, faults);
        }
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new(), "{faults}");
    }
}

/// A duplicate paused at `before-swap` until `resume` exists.
fn paused_until(env: &TestEnv, args: &[&str], point: &str, resume: &Path) -> Spawned {
    let child = env.spawn(args, |c| {
        c.env("ODOODB_FAULT", format!("pause:{point}"))
            .env("ODOODB_FAULT_RESUME", resume)
            .stdout(std::process::Stdio::piped());
    });
    let journal = env.data_dir.join("filestore/.odoodb-journal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while std::fs::read_dir(&journal).map_or(0, Iterator::count) == 0 {
        assert!(std::time::Instant::now() < deadline, "the run never started its change");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The journal is written first; give the run time to reach its pause.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child
}

#[test]
fn a_target_that_appears_during_the_copy_is_never_replaced_without_force() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_appear_src");
    let target = PgTestDb::reserve("cr_appear_dst");
    let resume = env.root.join("resume");
    let child =
        paused_until(&env, &["duplicate", &source.name, &target.name], "before-swap", &resume);
    // Someone else makes the same name meanwhile.
    admin().batch_execute(&format!("CREATE DATABASE {}", quote(&target.name))).unwrap();
    target.client().batch_execute("CREATE TABLE theirs (x int)").unwrap();
    std::fs::create_dir_all(env.filestore(&target.name).join("ab")).unwrap();
    std::fs::write(env.filestore(&target.name).join("ab/theirs"), "x").unwrap();
    std::fs::write(&resume, "").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("created by someone else"));
    assert_eq!(target.scalar_i64("SELECT count(*) FROM pg_tables WHERE tablename = 'theirs'"), 1);
    assert_eq!(files_under(&env.filestore(&target.name)), vec!["ab/theirs".to_string()]);
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn a_failed_drop_merges_the_folder_back_when_a_new_one_appeared() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "cr_merge");
    let before = files_under(&env.filestore(&db.name));
    let resume = env.root.join("resume");
    let child = paused_until(&env, &["delete", &db.name, "--yes"], "before-drop", &resume);
    // Odoo serves the database again and writes an asset into a fresh folder.
    let session = crate::support::odoo_session(&db.name);
    std::fs::create_dir_all(env.filestore(&db.name).join("cd")).unwrap();
    std::fs::write(env.filestore(&db.name).join("cd/asset"), "css").unwrap();
    std::fs::write(&resume, "").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    drop(session);
    assert!(database_exists(&db.name));
    let mut expected = before;
    expected.push("cd/asset".to_string());
    expected.sort();
    assert_eq!(files_under(&env.filestore(&db.name)), expected, "both sets of files are there");
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn a_rename_that_finds_two_folders_keeps_its_journal_and_says_why() {
    let env = TestEnv::new();
    let old = fixtures::modern(&env, "cr_mix_old");
    let new = PgTestDb::reserve("cr_mix_new");
    crash_at(&env, "rename:folder", &["rename", &old.name, &new.name, "--yes"]);
    std::fs::create_dir_all(env.filestore(&new.name)).unwrap();
    env.cmd()
        .args(["recover"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("folders at both"));
    assert_eq!(files_under(&env.filestore(&old.name)).len(), 2, "nothing was moved");
    std::fs::remove_dir(env.filestore(&new.name)).unwrap();
    recover(&env);
    assert!(database_exists(&new.name));
    assert_eq!(files_under(&env.filestore(&new.name)).len(), 2);
    assert_eq!(leftovers(&env, &new.name), Vec::<String>::new());
}

#[test]
fn a_symlinked_filestore_root_works_and_the_copy_carries_no_temporary_label() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_linkroot_src");
    let target = PgTestDb::reserve("cr_linkroot_dst");
    let root = env.data_dir.join("filestore");
    let real = env.root.join("real-filestore");
    std::fs::rename(&root, &real).unwrap();
    std::os::unix::fs::symlink(&real, &root).unwrap();
    env.cmd().args(["duplicate", &source.name, &target.name]).assert().success();
    let label: Option<String> = admin()
        .query_one(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            &[&target.name],
        )
        .unwrap()
        .get(0);
    assert_eq!(label, None, "the finished copy is not labelled temporary");
    env.cmd().args(["delete", &target.name, "--yes"]).assert().success();
    assert!(!database_exists(&target.name));
    assert!(root.is_dir(), "the root link is left alone");
}

/// A run killed while writing its journal leaves `<run>.json.partial`: recovery removes it once
/// the run is provably dead, alone or beside the run's journal, which it settles as usual.
#[test]
fn a_half_written_journal_of_a_dead_run_is_removed_by_recover() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_part_src");
    let journal_dir = env.data_dir.join("filestore/.odoodb-journal");
    std::fs::create_dir_all(&journal_dir).unwrap();
    // Killed during its very first write: cut off before it even names its lock's database.
    let alone = journal_dir.join("0badf00d.json.partial");
    std::fs::write(&alone, "{\n  \"format\": 1,\n  \"run\": 19").unwrap();
    let output = env.cmd().arg("recover").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!alone.exists(), "the half-written journal of a dead run stays: {stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Nothing to recover"));

    // Killed while moving its journal to the next phase, half way through a swap.
    let target = PgTestDb::reserve("cr_part_dst");
    crash_at(&env, "install:new-folder-in-place", &["duplicate", &source.name, &target.name]);
    let journal = std::fs::read_dir(&journal_dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "json"))
        .unwrap();
    let text = std::fs::read_to_string(&journal).unwrap();
    let beside = journal.with_extension("json.partial");
    std::fs::write(&beside, &text[..text.len() / 2]).unwrap();
    recover(&env);
    assert!(!beside.exists(), "the half-written update stays");
    assert_new_copy(&env, &source, &target.name, "install:new-folder-in-place");
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

/// A live run's `.json.partial` may be a write under way: never touched.
#[test]
fn a_half_written_journal_of_a_live_run_is_left_alone() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "cr_plive_src");
    let target = PgTestDb::reserve("cr_plive_dst");
    let resume = env.root.join("resume");
    let mut child =
        paused_until(&env, &["duplicate", &source.name, &target.name], "before-swap", &resume);
    let journal_dir = env.data_dir.join("filestore/.odoodb-journal");
    let journal = std::fs::read_dir(&journal_dir).unwrap().flatten().next().unwrap().path();
    let partial = journal.with_extension("json.partial");
    std::fs::write(&partial, "{").unwrap();
    env.cmd().arg("recover").assert().success();
    assert!(partial.exists(), "a live run's file was removed");
    child.kill().unwrap();
    child.wait().unwrap();
    recover(&env);
    assert!(!partial.exists());
    assert!(!database_exists(&target.name));
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}
