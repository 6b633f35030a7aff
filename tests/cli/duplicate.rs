use std::os::unix::fs::MetadataExt as _;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::Spawned;
use crate::support::fixtures::{self, Real};
use crate::support::{
    Immutable, PgTestDb, TestEnv, database_exists, files_under, json, leftovers, odoo_session,
    row_counts,
};

/// Asserts that nothing of `target` exists: no database, no folder, no temporaries.
fn assert_absent(env: &TestEnv, target: &PgTestDb) {
    assert!(!database_exists(&target.name), "{} must not exist", target.name);
    assert!(!env.filestore(&target.name).exists(), "no filestore folder for {}", target.name);
    assert_eq!(leftovers(env, &target.name), Vec::<String>::new());
}

#[test]
fn the_copy_has_the_same_data_a_new_identity_and_the_same_files() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_src");
    let target = PgTestDb::reserve("dup_dst");
    let source_uuid = source.param("database.uuid");
    let output = env
        .cmd()
        .args(["duplicate", &source.name, &target.name, "--filestore", "copy", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    assert_eq!(report["filestore_mode"], "copy");
    assert_eq!(report["filestore_files"], 2);

    let (mut source_rows, mut target_rows) = (row_counts(&source.name), row_counts(&target.name));
    let (source_params, target_params) =
        (source_rows.remove("ir_config_parameter"), target_rows.remove("ir_config_parameter"));
    assert_eq!(source_params, target_params.map(|n| n + 1), "only the enterprise code is gone");
    assert_eq!(source_rows, target_rows);
    assert_ne!(target.param("database.uuid"), source_uuid);
    assert_eq!(report["identity"]["uuid"].as_str(), target.param("database.uuid").as_deref());
    assert_ne!(target.param("database.secret"), source.param("database.secret"));
    assert_ne!(target.param("database.create_date"), source.param("database.create_date"));
    assert_eq!(
        target.param("database.enterprise_code"),
        None,
        "a copy never poses as the subscription"
    );
    assert_eq!(source.param("database.uuid"), source_uuid, "the source is untouched");
    assert!(source.param("database.enterprise_code").is_some());

    let (src_dir, dst_dir) = (env.filestore(&source.name), env.filestore(&target.name));
    assert_eq!(files_under(&src_dir), files_under(&dst_dir));
    for file in files_under(&dst_dir) {
        assert_eq!(
            std::fs::read(src_dir.join(&file)).unwrap(),
            std::fs::read(dst_dir.join(&file)).unwrap()
        );
        assert_eq!(
            std::fs::metadata(dst_dir.join(&file)).unwrap().nlink(),
            1,
            "a copy, not a link"
        );
    }
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn hard_links_share_the_files_and_the_enterprise_code_can_be_kept() {
    let env = TestEnv::new();
    let source = fixtures::legacy(&env, "dup_hl_src");
    source.client().batch_execute("INSERT INTO ir_config_parameter (key, value) VALUES ('database.enterprise_code', 'M15code')").unwrap();
    let target = PgTestDb::reserve("dup_hl_dst");
    env.cmd()
        .args([
            "duplicate",
            &source.name,
            &target.name,
            "--filestore",
            "hardlink",
            "--keep-enterprise-code",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("Duplicated {} → {}", source.name, target.name)));
    let files = files_under(&env.filestore(&target.name));
    assert_eq!(files, files_under(&env.filestore(&source.name)));
    assert!(!files.is_empty());
    for file in files {
        assert!(std::fs::metadata(env.filestore(&target.name).join(file)).unwrap().nlink() > 1);
    }
    assert_eq!(target.param("database.enterprise_code").as_deref(), Some("M15code"));
}

#[test]
fn the_real_odoo_17_database_copies_whole() {
    let env = TestEnv::new();
    let Some(source) = fixtures::real(&env, Real::Odoo17, "dup_real") else { return };
    let target = PgTestDb::reserve("dup_real_dst");
    let report = json(
        &env.cmd().args(["duplicate", &source.name, &target.name, "--json"]).output().unwrap(),
    );
    assert_eq!(report["filestore_files"], 1184);
    assert_eq!(
        report["filestore_mode"], "hardlink",
        "auto picks hard links on one ext4 filesystem"
    );
    assert_eq!(row_counts(&source.name), row_counts(&target.name));
    assert_eq!(
        files_under(&env.filestore(&source.name)),
        files_under(&env.filestore(&target.name))
    );
    assert_ne!(source.param("database.uuid"), target.param("database.uuid"));
}

#[test]
fn refusals_change_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_ref_src");
    let existing = fixtures::legacy(&env, "dup_ref_exists");
    let target = PgTestDb::reserve("dup_ref_dst");
    let before = row_counts(&existing.name);

    env.cmd()
        .args(["duplicate", &source.name, "bad name"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid database name"));
    env.cmd().args(["duplicate", &source.name, &source.name]).assert().code(2);
    env.cmd()
        .args(["duplicate", "odoodbt_no_such_db", &target.name])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
    env.cmd().args(["duplicate", &source.name, &existing.name]).assert().code(1).stderr(
        predicate::str::contains("already exists").and(predicate::str::contains("--force")),
    );
    assert_eq!(row_counts(&existing.name), before);

    std::fs::create_dir_all(env.filestore(&target.name)).unwrap();
    env.cmd()
        .args(["duplicate", &source.name, &target.name])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("as a filestore folder"));
    std::fs::remove_dir(env.filestore(&target.name)).unwrap();

    let plain = PgTestDb::empty("dup_ref_plain");
    env.cmd()
        .args(["duplicate", &plain.name, &target.name])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not an Odoo database"));
    assert_absent(&env, &target);
}

#[test]
fn connected_sessions_stop_the_copy_unless_force_disconnect() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_sess_src");
    let target = PgTestDb::reserve("dup_sess_dst");
    let mut session = odoo_session(&source.name);
    env.cmd()
        .args(["duplicate", &source.name, &target.name])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("connected session")
                .and(predicate::str::contains("odoo-worker")),
        )
        .stderr(predicate::str::contains("--force-disconnect"));
    assert_absent(&env, &target);
    assert!(session.simple_query("SELECT 1").is_ok(), "the session was left alone");

    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--force-disconnect"])
        .assert()
        .success();
    assert!(database_exists(&target.name));
    assert!(session.simple_query("SELECT 1").is_err(), "the session was ended");
}

#[test]
fn force_replaces_an_existing_target_only_after_confirmation() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_force_src");
    let target = fixtures::legacy(&env, "dup_force_dst");
    let old_files = files_under(&env.filestore(&target.name));

    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no terminal").and(predicate::str::contains("--yes")));
    assert_eq!(
        target.param("web.base.url").as_deref(),
        Some("https://erp15.example.com"),
        "untouched without --yes"
    );

    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--force", "--yes"])
        .assert()
        .success();
    assert_eq!(
        target.param("mail.catchall.domain"),
        source.param("mail.catchall.domain"),
        "now a copy of the source"
    );
    // As Odoo's own duplicate does: links in the copy point at the copy, not at production.
    assert_eq!(target.param("web.base.url").as_deref(), Some("http://localhost:8069"));
    assert_eq!(
        files_under(&env.filestore(&target.name)),
        files_under(&env.filestore(&source.name))
    );
    assert_ne!(files_under(&env.filestore(&target.name)), old_files);
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_dry_src");
    let target = PgTestDb::reserve("dup_dry_dst");
    env.cmd()
        .args(["duplicate", &source.name, &target.name, "--dry-run"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("CREATE DATABASE")
                .and(predicate::str::contains("takes the name")),
        );
    assert_absent(&env, &target);
}

#[test]
fn injected_failures_leave_nothing_behind() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_fail_src");
    let target = PgTestDb::reserve("dup_fail_dst");
    let before = row_counts(&source.name);
    for point in ["after-database-copy", "before-swap"] {
        env.cmd()
            .args(["duplicate", &source.name, &target.name])
            .env("ODOODB_FAULT", format!("fail:{point}"))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("injected failure at {point}")))
            .stderr(predicate::str::contains("nothing was changed"));
        assert_absent(&env, &target);
    }
    assert_eq!(row_counts(&source.name), before);
    assert_eq!(files_under(&env.filestore(&source.name)).len(), 2);
}

#[test]
fn an_unwritable_filestore_is_refused_before_anything_starts() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_ro_src");
    let target = PgTestDb::reserve("dup_ro_dst");
    let Some(lock) = Immutable::new(&env.data_dir.join("filestore")) else {
        eprintln!("SKIPPED: chattr +i is not available here");
        return;
    };
    env.cmd()
        .args(["duplicate", &source.name, &target.name])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write in"));
    drop(lock);
    assert_absent(&env, &target);
}

/// Starts a duplicate that pauses before the swap, and waits until it is there.
pub fn paused_duplicate(env: &TestEnv, source: &PgTestDb, target: &PgTestDb) -> Spawned {
    let child = env.spawn(["duplicate", &source.name, &target.name], |c| {
        c.env("ODOODB_FAULT", "pause:before-swap");
    });
    let deadline = Instant::now() + Duration::from_mins(1);
    // The pause comes after the filestore copy: wait for its folder.
    while !leftovers(env, &target.name).iter().any(|name| name.starts_with("folder ")) {
        assert!(Instant::now() < deadline, "the copy never reached the pause");
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

#[test]
fn ctrl_c_cleans_up_and_exits_130() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_int_src");
    let target = PgTestDb::reserve("dup_int_dst");
    let child = paused_duplicate(&env, &source, &target);
    child.signal(nix::sys::signal::Signal::SIGINT);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
    assert_absent(&env, &target);
}

#[test]
fn a_killed_run_is_recovered_by_the_next_one() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_kill_src");
    let target = PgTestDb::reserve("dup_kill_dst");
    let mut child = paused_duplicate(&env, &source, &target);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!database_exists(&target.name), "a killed copy is never visible under the target name");
    // The temporary folder stays until the next run on this data_dir (the temporary database
    // too, unless a concurrent test's odoodb run has already recovered it).
    assert!(
        leftovers(&env, &target.name).iter().any(|name| name.starts_with("folder ")),
        "the temporary folder remains until the next run"
    );

    env.cmd()
        .args(["duplicate", &source.name, &target.name])
        .assert()
        .success()
        .stderr(predicate::str::contains("recovered: interrupted odoodb run"));
    assert!(database_exists(&target.name));
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
}

#[test]
fn neutralize_makes_the_copy_pass_the_check_and_leaves_the_source_live() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_neut_src");
    let target = PgTestDb::reserve("dup_neut_dst");
    let output = env
        .cmd()
        .args(["duplicate", &source.name, &target.name, "--neutralize", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(json(&output)["neutralized"].as_array().is_some_and(|steps| !steps.is_empty()));
    env.cmd().args(["neutralize", "--check", &target.name]).assert().code(0);
    env.cmd().args(["neutralize", "--check", &source.name]).assert().code(4);
    assert_eq!(target.param("database.is_neutralized").as_deref(), Some("true"));
    assert_eq!(
        target.scalar_i64(
            "SELECT count(*) FROM ir_mail_server WHERE active AND smtp_host <> 'invalid'"
        ),
        0
    );
    assert_eq!(source.scalar_i64("SELECT count(*) FROM ir_mail_server WHERE active"), 2);
}

#[test]
fn a_copy_made_as_root_keeps_the_sources_owners_and_modes() {
    use std::os::unix::fs::PermissionsExt as _;
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIPPED: ownership is only changed when running as root");
        return;
    }
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "dup_own_src");
    let role = format!("{}_role", source.name);
    let admin = crate::support::admin;
    admin().batch_execute(&format!("CREATE ROLE {}", crate::support::quote(&role))).unwrap();
    admin()
        .batch_execute(&format!(
            "ALTER DATABASE {} OWNER TO {}",
            crate::support::quote(&source.name),
            crate::support::quote(&role)
        ))
        .unwrap();
    // Odoo's service user: not root, and a private folder.
    let folder = env.filestore(&source.name);
    let (uid, gid) = (65534, 65534);
    for entry in walkdir_all(&folder) {
        std::os::unix::fs::chown(&entry, Some(uid), Some(gid)).unwrap();
        if entry.is_dir() {
            std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o750)).unwrap();
        }
    }
    for mode in ["copy", "hardlink"] {
        let target = PgTestDb::reserve(&format!("dup_own_{mode}"));
        env.cmd()
            .args(["duplicate", &source.name, &target.name, "--filestore", mode])
            .assert()
            .success();
        let owner: String = admin()
            .query_one(
                "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1",
                &[&target.name],
            )
            .unwrap()
            .get(0);
        assert_eq!(owner, role, "{mode}: the copy keeps the source's owner, so Odoo lists it");
        for entry in walkdir_all(&env.filestore(&target.name)) {
            let meta = std::fs::metadata(&entry).unwrap();
            assert_eq!((meta.uid(), meta.gid()), (uid, gid), "{mode}: {}", entry.display());
            if meta.is_dir() {
                assert_eq!(meta.permissions().mode() & 0o777, 0o750, "{mode}: {}", entry.display());
            }
        }
        drop(target);
    }
    drop(source);
    admin().batch_execute(&format!("DROP ROLE {}", crate::support::quote(&role))).unwrap();
}

/// Every path under `dir`, `dir` included.
fn walkdir_all(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                out.extend(walkdir_all(&entry.path()));
            } else {
                out.push(entry.path());
            }
        }
    }
    out
}
