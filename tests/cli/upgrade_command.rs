//! `upgrade test|production --engine command`: the local upgrade program run on a copy, with
//! everything around it (copy, backup, swap, revert, neutralize) proven on a real server.

use std::fmt::Write as _;
use std::path::Path;

use crate::support::fixtures;
use crate::support::{
    PgTestDb, TestEnv, database_exists, databases_like, files_under, json, leftovers, row_counts,
};
use crate::support::{allows_connections, checksums, text};

/// A program that "upgrades" like OpenUpgrade would, as far as a test can tell: base moves to
/// the hop's version, a marker table records each hop. It uses only what odoodb gives it.
pub const UPGRADER: &str = r#"psql -X -q -v ON_ERROR_STOP=1 -c "UPDATE ir_module_module SET latest_version = '$ODOODB_TARGET.1.0' WHERE name = 'base'; CREATE TABLE IF NOT EXISTS upgrade_marker (hop text, came_from text); INSERT INTO upgrade_marker VALUES ('$ODOODB_TARGET', '$ODOODB_FROM');""#;

/// One that changes the copy half way, then fails.
const BROKEN: &str = r#"psql -X -q -c "CREATE TABLE upgrade_marker (hop text); UPDATE ir_config_parameter SET value = 'broken' WHERE key = 'database.uuid'" && echo 'migration of sale failed' >&2 && exit 1"#;

pub fn file_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap()))
        .collect()
}

#[test]
fn test_copy_is_upgraded_neutralized_and_whole_and_the_original_untouched() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upc_src");
    let copy = PgTestDb::reserve("upc_copy");
    let (before, files_before) =
        (checksums(&source.name), file_contents(&env.filestore(&source.name)));
    let work = env.root.join("work");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name, "--json"])
        .arg("--work-dir")
        .arg(&work)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(report["test_copy"], copy.name.as_str());
    assert_eq!(report["hops"].as_array().map(Vec::len), Some(1));

    assert_eq!(copy.scalar_string("SELECT hop FROM upgrade_marker"), Some("18.0".into()));
    assert_eq!(
        copy.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some("18.0.1.0".into())
    );
    assert_ne!(copy.param("database.uuid"), source.param("database.uuid"));
    assert_eq!(copy.param("database.enterprise_code"), None);
    let check = env.cmd().args(["neutralize", &copy.name, "--check"]).output().unwrap();
    assert!(check.status.success(), "the copy passes neutralize --check: {}", text(&check.stdout));
    assert_eq!(file_contents(&env.filestore(&copy.name)), files_before, "the full filestore");

    assert_eq!(checksums(&source.name), before, "the original is byte for byte unchanged");
    assert_eq!(file_contents(&env.filestore(&source.name)), files_before);
    assert!(allows_connections(&source.name), "a test never closes the original");
    assert!(!work.exists(), "the work folder goes once the copy is made");
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
}

#[test]
fn a_target_several_majors_ahead_runs_one_hop_per_major() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "uph_src");
    let copy = PgTestDb::reserve("uph_copy");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "19.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name, "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let hops: Vec<(String, String)> = copy
        .client()
        .query("SELECT came_from, hop FROM upgrade_marker ORDER BY hop", &[])
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(hops, [("17.0".into(), "18.0".into()), ("18.0".into(), "19.0".into())]);
    assert_eq!(json(&output)["hops"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_failing_command_leaves_no_copy_and_says_which_hop() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upf_src");
    let copy = PgTestDb::reserve("upf_copy");
    let before = checksums(&source.name);
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", BROKEN, "--name", &copy.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(!std::env::temp_dir().join(format!("odoodb-upgrade-{}", source.name)).exists());
    assert!(stderr.contains("hop 1/1 (17.0 → 18.0)"), "{stderr}");
    assert!(
        stderr.contains("migration of sale failed"),
        "the program's own output is shown: {stderr}"
    );
    assert!(!database_exists(&copy.name));
    assert!(!env.filestore(&copy.name).exists());
    assert_eq!(checksums(&source.name), before);
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
}

#[test]
fn a_command_that_does_not_upgrade_base_is_a_failure() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upn_src");
    let copy = PgTestDb::reserve("upn_copy");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", "true", "--name", &copy.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("module base is at 17.0.1.3 instead of 18.0"));
    assert!(!database_exists(&copy.name));
}

pub fn production(env: &TestEnv, db: &str, command: &str, extra: &[&str]) -> std::process::Output {
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    env.cmd()
        .args(["--yes", "upgrade", "production", db, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", command, "--json"])
        .arg("--backup-dir")
        .arg(&backups)
        .arg("--work-dir")
        .arg(env.root.join("work"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn production_swaps_in_the_upgrade_and_keeps_the_original_and_a_verified_backup() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_ok");
    let (before, files_before) = (checksums(&db.name), file_contents(&env.filestore(&db.name)));
    let uuid = db.param("database.uuid");
    let marks = env.root.join("service.log");
    let stop = format!("echo stop:$ODOODB_DB >> {}", marks.display());
    let start = format!("echo start >> {}", marks.display());
    let post = format!(
        "psql -X -q -c 'SELECT 1 FROM upgrade_marker' && echo post:$ODOODB_TARGET >> {}",
        marks.display()
    );
    let output = production(
        &env,
        &db.name,
        UPGRADER,
        &["--stop-cmd", &stop, "--start-cmd", &start, "--post-command", &post],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = json(&output);
    let kept = report["kept_as"].as_str().unwrap().to_string();
    assert!(kept.starts_with(&format!("{}_pre_18.0_", db.name)), "{kept}");

    assert_eq!(db.scalar_string("SELECT hop FROM upgrade_marker"), Some("18.0".into()));
    assert_eq!(db.param("database.uuid"), uuid, "production keeps its identity");
    assert!(db.param("database.enterprise_code").is_some());
    assert_eq!(checksums(&kept), before, "the kept original is exactly what was there");
    assert_eq!(file_contents(&env.filestore(&kept)), files_before);
    assert_eq!(file_contents(&env.filestore(&db.name)), files_before);
    // Production's twin runs nothing: closed, and marked as what it is.
    assert!(allows_connections(&db.name) && !allows_connections(&kept));
    assert!(
        crate::support::comment(&kept).is_some_and(
            |c| c.contains(&format!("the original of {} kept by its upgrade", db.name))
        )
    );
    let service = std::fs::read_to_string(&marks).unwrap();
    assert_eq!(service, format!("stop:{}\npost:18.0\nstart\n", db.name));

    let backup = report["backup"].as_str().unwrap();
    assert!(Path::new(backup).starts_with(env.root.join("backups")));
    let verify = env.cmd().args(["backup", "--verify", backup]).output().unwrap();
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    let inspect = env.cmd().args(["restore", "--inspect", backup, "--json"]).output().unwrap();
    assert_eq!(
        json(&inspect)["manifest"]["db_name"],
        db.name.as_str(),
        "{}",
        text(&inspect.stdout)
    );
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
    crate::support::drop_database(&kept);
}

#[test]
fn a_failed_production_upgrade_puts_everything_back() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_fail");
    let (before, files_before) = (checksums(&db.name), file_contents(&env.filestore(&db.name)));
    let marks = env.root.join("service.log");
    let start = format!("echo start >> {}", marks.display());
    let output = production(&env, &db.name, BROKEN, &["--start-cmd", &start]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("back as it was"), "{stderr}");
    assert!(!env.root.join("work").exists(), "no copy of production is left in the work folder");
    assert_eq!(checksums(&db.name), before);
    assert_eq!(file_contents(&env.filestore(&db.name)), files_before);
    assert!(allows_connections(&db.name), "connections are allowed again");
    assert_eq!(databases_like(&format!("{}_pre_", db.name)), Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(&marks).unwrap(), "start\n", "the service is started again");
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn a_failed_post_command_puts_everything_back() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_post");
    let before = checksums(&db.name);
    let output = production(&env, &db.name, UPGRADER, &["--post-command", "exit 3"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("--post-command failed"), "{}", text(&output.stderr));
    assert_eq!(checksums(&db.name), before);
    assert!(allows_connections(&db.name));
    assert_eq!(databases_like(&format!("{}_pre_", db.name)), Vec::<String>::new());
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

#[test]
fn production_refuses_without_a_terminal_or_yes() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_tty");
    let before = checksums(&db.name);
    let output = env
        .cmd()
        .args(["upgrade", "production", &db.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert_eq!(checksums(&db.name), before);
    assert!(allows_connections(&db.name));
}

#[test]
fn a_kill_at_each_step_of_production_is_settled_by_the_next_run() {
    let env = TestEnv::new();
    for point in [
        "upgrade:closed",
        "upgrade:after-backup",
        "upgrade:before-swap",
        "install:new-folder-in-place",
        "install:keep-previous",
        "install:close-kept",
        "install:keep-previous-folder",
    ] {
        let db = fixtures::modern(&env, "upp_kill");
        let before = checksums(&db.name);
        let backups = env.root.join("backups");
        std::fs::create_dir_all(&backups).unwrap();
        let output = env
            .cmd()
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .args(["--yes", "upgrade", "production", &db.name, "--target", "18.0"])
            .args(["--engine", "command", "--upgrade-command", UPGRADER])
            .arg("--backup-dir")
            .arg(&backups)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), None, "{point}: killed there: {}", text(&output.stderr));
        if !point.starts_with("install:") {
            assert!(!allows_connections(&db.name), "{point}: the kill left it closed");
        }
        let recovered = env.cmd().arg("recover").output().unwrap();
        assert!(recovered.status.success(), "{point}: {}", text(&recovered.stderr));
        assert!(allows_connections(&db.name), "{point}: connections allowed again");
        let kept = databases_like(&format!("{}_pre_", db.name));
        let upgraded =
            db.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'");
        if point.starts_with("install:") {
            // The swap had begun: it is completed, the original kept.
            assert_eq!(upgraded.as_deref(), Some("18.0.1.0"), "{point}");
            assert_eq!(kept.len(), 1, "{point}");
            assert_eq!(checksums(&kept[0]), before, "{point}");
            assert!(!allows_connections(&kept[0]), "{point}: the kept original stays closed");
            assert!(env.filestore(&kept[0]).is_dir(), "{point}");
            crate::support::drop_database(&kept[0]);
        } else {
            assert_eq!(upgraded.as_deref(), Some("17.0.1.3"), "{point}");
            assert_eq!(checksums(&db.name), before, "{point}");
            assert!(kept.is_empty(), "{point}");
        }
        assert!(env.filestore(&db.name).is_dir(), "{point}");
        assert_eq!(leftovers(&env, &db.name), Vec::<String>::new(), "{point}");
        let _ = row_counts(&db.name);
    }
}

#[test]
fn sigterm_during_the_upgrade_puts_everything_back_and_exits_130() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_term");
    let before = checksums(&db.name);
    let started = env.root.join("started");
    let survivor = env.root.join("survivor");
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    // The program's own child must stop too, not only the shell.
    let command =
        format!("touch {}; (sleep 5; touch {}) & wait", started.display(), survivor.display());
    let marks = env.root.join("service.log");
    let start = format!("echo start >> {}", marks.display());
    let child = env.spawn(["--yes", "upgrade", "production", &db.name, "--target", "18.0"], |c| {
        c.args(["--engine", "command", "--upgrade-command", &command, "--start-cmd", &start])
            .arg("--backup-dir")
            .arg(&backups);
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while !started.exists() {
        assert!(std::time::Instant::now() < deadline, "the upgrade command never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!allows_connections(&db.name), "closed while it upgrades");
    child.signal(nix::sys::signal::Signal::SIGTERM);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("is back as it was"), "{}", text(&output.stderr));
    assert_eq!(checksums(&db.name), before);
    assert!(allows_connections(&db.name));
    assert_eq!(std::fs::read_to_string(&marks).unwrap(), "start\n");
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert!(!survivor.exists(), "the program's children were stopped with it");
}

#[test]
fn a_hop_that_fails_keeps_the_last_good_hops_copy_neutralized() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upk_src");
    let copy = PgTestDb::reserve("upk_copy");
    let command = format!(
        r#"[ "$ODOODB_TARGET" = 19.0 ] && echo 'hop to 19 broke' >&2 && exit 1; {UPGRADER}"#
    );
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "19.0", "--engine", "command"])
        .args(["--upgrade-command", &command, "--name", &copy.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let kept = format!("{}_18", copy.name);
    assert!(stderr.contains("hop 2/2 (18.0 → 19.0)"), "{stderr}");
    assert!(stderr.contains(&format!("kept, neutralized, as {kept}")), "{stderr}");
    assert!(!database_exists(&copy.name), "no copy under the final name");
    let version: String = crate::support::Server::get()
        .client(&kept)
        .query_one("SELECT latest_version FROM ir_module_module WHERE name = 'base'", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, "18.0.1.0");
    let check = env.cmd().args(["neutralize", &kept, "--check"]).output().unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert_eq!(files_under(&env.filestore(&kept)), files_under(&env.filestore(&source.name)));
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
}

#[test]
fn a_killed_test_upgrade_leaves_nothing_once_recovered() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upt_kill");
    let copy = PgTestDb::reserve("upt_kill_copy");
    let before = checksums(&source.name);
    for point in ["upgrade:before-swap", "install:new-folder-in-place"] {
        let output = env
            .cmd()
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
            .args(["--upgrade-command", UPGRADER, "--name", &copy.name])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), None, "{point}: killed there: {}", text(&output.stderr));
        assert!(!leftovers(&env, &copy.name).is_empty(), "{point}: the kill left temporaries");
        let recovered = env.cmd().arg("recover").output().unwrap();
        assert!(recovered.status.success(), "{point}: {}", text(&recovered.stderr));
        if point.starts_with("install:") {
            // The swap had begun: the copy is completed.
            assert!(database_exists(&copy.name), "{point}");
            assert!(env.filestore(&copy.name).is_dir(), "{point}");
            crate::support::drop_database(&copy.name);
            std::fs::remove_dir_all(env.filestore(&copy.name)).unwrap();
        } else {
            assert!(!database_exists(&copy.name), "{point}");
            assert!(!env.filestore(&copy.name).exists(), "{point}");
        }
        assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new(), "{point}");
        assert_eq!(checksums(&source.name), before, "{point}");
    }
}

#[test]
fn the_program_works_on_a_copy_with_its_files_and_may_add_some() {
    let env = TestEnv::new();
    for aim in ["test", "production"] {
        let db = fixtures::modern(&env, "upp_files");
        let copy = PgTestDb::reserve("upp_files_copy");
        let originals = files_under(&env.filestore(&db.name));
        let content = format!("written by the upgrade of {aim}");
        let sha = sha1_smol::Sha1::from(content.as_bytes()).digest().to_string();
        let new_file = format!("{}/{sha}", &sha[..2]);
        // Fails unless every original file is there, then adds one as Odoo would.
        let mut command = String::new();
        for file in &originals {
            let _ = write!(command, "test -f \"$ODOODB_FILESTORE/{file}\" || exit 9; ");
        }
        let _ = write!(
            command,
            "mkdir -p \"$ODOODB_FILESTORE/{}\" && printf '%s' '{content}' > \"$ODOODB_FILESTORE/{new_file}\"; {UPGRADER}",
            &sha[..2]
        );
        let output = if aim == "test" {
            env.cmd()
                .args(["upgrade", "test", &db.name, "-t", "18.0", "--engine", "command"])
                .args(["--upgrade-command", &command, "--name", &copy.name])
                .output()
                .unwrap()
        } else {
            production(&env, &db.name, &command, &[])
        };
        assert!(output.status.success(), "{aim}: {}", text(&output.stderr));
        let upgraded = if aim == "test" { copy.name.clone() } else { db.name.clone() };
        let mut expected = originals.clone();
        expected.push(new_file.clone());
        expected.sort();
        let mut got = files_under(&env.filestore(&upgraded));
        got.sort();
        assert_eq!(got, expected, "{aim}");
        if aim == "test" {
            assert_eq!(files_under(&env.filestore(&db.name)), originals, "the original's folder");
        } else {
            let kept = databases_like(&format!("{}_pre_", db.name));
            assert_eq!(files_under(&env.filestore(&kept[0])), originals, "the kept folder");
            crate::support::drop_database(&kept[0]);
        }
        assert_eq!(leftovers(&env, &db.name), Vec::<String>::new(), "{aim}");
    }
}

/// Run as root, odoodb runs the program as root: what it writes into the copy's filestore must
/// still be Odoo's service user's (the filestore root's owner), or Odoo cannot write beside it.
#[test]
fn what_the_program_adds_belongs_to_the_filestore_roots_owner() {
    use std::os::unix::fs::MetadataExt as _;
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIPPED: only root gives files away");
        return;
    }
    let env = TestEnv::new();
    std::os::unix::fs::chown(env.data_dir.join("filestore"), Some(1234), Some(1234)).unwrap();
    let owner = |path: &Path| {
        let meta = std::fs::symlink_metadata(path).unwrap();
        (meta.uid(), meta.gid())
    };
    let add = |name: &str| {
        format!("mkdir -p \"$ODOODB_FILESTORE/zz\" && printf x > \"$ODOODB_FILESTORE/zz/{name}\"")
    };
    for aim in ["test", "production"] {
        let db = fixtures::modern(&env, "upp_owner");
        let copy = PgTestDb::reserve("upp_owner_copy");
        let originals = files_under(&env.filestore(&db.name));
        let command = format!("{} && {UPGRADER}", add("by-the-upgrade"));
        let output = if aim == "test" {
            env.cmd()
                .args(["upgrade", "test", &db.name, "-t", "18.0", "--engine", "command"])
                .args(["--upgrade-command", &command, "--name", &copy.name])
                .output()
                .unwrap()
        } else {
            production(&env, &db.name, &command, &["--post-command", &add("by-the-post-command")])
        };
        assert!(output.status.success(), "{aim}: {}", text(&output.stderr));
        let (upgraded, original) = if aim == "test" {
            (copy.name.clone(), db.name.clone())
        } else {
            (db.name.clone(), databases_like(&format!("{}_pre_", db.name))[0].clone())
        };
        let folder = env.filestore(&upgraded);
        let mut added = vec!["zz", "zz/by-the-upgrade"];
        if aim == "production" {
            added.push("zz/by-the-post-command");
        }
        for path in added {
            assert_eq!(owner(&folder.join(path)), (1234, 1234), "{aim}: {path}");
        }
        for file in &originals {
            // The copy's files are the original's (hard links): theirs stays theirs.
            assert_eq!(owner(&folder.join(file)), (0, 0), "{aim}: {file}");
            assert_eq!(owner(&env.filestore(&original).join(file)), (0, 0), "{aim}: {file}");
        }
        if aim == "production" {
            crate::support::drop_database(&original);
        }
    }
}

#[test]
fn a_start_command_that_fails_after_a_good_upgrade_says_both() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_start");
    let output = production(&env, &db.name, UPGRADER, &["--start-cmd", "exit 4"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let kept = report["kept_as"].as_str().unwrap().to_string();
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("{} was upgraded (the original is kept as {kept})", db.name)),
        "{stderr}"
    );
    assert!(stderr.contains("--start-cmd failed"), "{stderr}");
    assert!(Path::new(report["backup"].as_str().unwrap()).is_absolute());
    assert_eq!(db.scalar_string("SELECT hop FROM upgrade_marker"), Some("18.0".into()));
    assert!(!env.root.join("work").exists());
    crate::support::drop_database(&kept);
}

#[test]
fn a_missing_program_or_a_bad_target_is_refused_before_anything_is_done() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upc_bad");
    let work = env.root.join("work");
    let output = env
        .cmd()
        .args(["upgrade", "test", &db.name, "-t", "18.0", "--engine", "command"])
        .args(["--upgrade-command", "/nonexistent/upgrade.sh --all"])
        .arg("--work-dir")
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("\"/nonexistent/upgrade.sh\" was not found"));
    assert!(!work.exists(), "no dump was made");

    let check = env.cmd().args(["upgrade", "check", &db.name, "-t", "18.1"]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    assert!(text(&check.stdout).contains("majors are N.0"), "{}", text(&check.stdout));
}

#[test]
fn the_check_for_a_local_command_needs_no_contract_nor_ssh() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upc_comm");
    db.client()
        .batch_execute("DELETE FROM ir_config_parameter WHERE key = 'database.enterprise_code'")
        .unwrap();
    let platform = env.cmd().args(["upgrade", "check", &db.name, "-t", "18.0"]).output().unwrap();
    assert_eq!(platform.status.code(), Some(4), "a community database cannot use the platform");
    let local = env
        .cmd()
        .args(["upgrade", "check", &db.name, "-t", "18.0", "--engine", "command", "--json"])
        .output()
        .unwrap();
    assert!(local.status.success(), "{}", text(&local.stdout));
    let report = json(&local);
    let checks: Vec<&str> =
        report["checks"].as_array().unwrap().iter().map(|c| c["check"].as_str().unwrap()).collect();
    assert!(!checks.contains(&"ssh") && !checks.contains(&"rsync"), "{checks:?}");
}

#[test]
fn what_the_post_command_leaves_running_is_stopped_before_the_swap() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upp_linger");
    let survivor = env.root.join("survivor");
    let post = format!("(sleep 4; touch {}) & true", survivor.display());
    let output = production(&env, &db.name, UPGRADER, &["--post-command", &post]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let kept = json(&output)["kept_as"].as_str().unwrap().to_string();
    std::thread::sleep(std::time::Duration::from_secs(5));
    assert!(!survivor.exists(), "the post-command's background process was stopped");
    crate::support::drop_database(&kept);
}

#[test]
fn a_real_odoo_17_database_is_upgraded_to_a_neutralized_test_copy_and_in_production() {
    use crate::support::fixtures::Real;
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo17, "upr_real17") else { return };
    let copy = PgTestDb::reserve("upr_real17_copy");
    let files = files_under(&env.filestore(&db.name));
    assert!(files.len() > 100, "the real filestore: {}", files.len());
    let before = checksums(&db.name);
    let output = env
        .cmd()
        .args(["upgrade", "test", &db.name, "-t", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name, "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(json(&output)["filestore_files"].as_u64(), Some(files.len() as u64));
    let check = env.cmd().args(["neutralize", &copy.name, "--check"]).output().unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert_eq!(files_under(&env.filestore(&copy.name)), files);
    assert_eq!(checksums(&db.name), before);

    let output = production(&env, &db.name, UPGRADER, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let kept = json(&output)["kept_as"].as_str().unwrap().to_string();
    assert_eq!(checksums(&kept), before, "the real original, kept as it was");
    assert_eq!(files_under(&env.filestore(&kept)), files);
    assert_eq!(files_under(&env.filestore(&db.name)), files);
    assert_eq!(
        db.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some("18.0.1.0".into())
    );
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
    crate::support::drop_database(&kept);
}

#[test]
fn a_real_odoo_15_database_gets_a_neutralized_16_test_copy() {
    use crate::support::fixtures::Real;
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo15, "upr_real15") else { return };
    let copy = PgTestDb::reserve("upr_real15_copy");
    let before = checksums(&db.name);
    let output = env
        .cmd()
        .args(["upgrade", "test", &db.name, "-t", "16.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let check = env.cmd().args(["neutralize", &copy.name, "--check"]).output().unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert_eq!(files_under(&env.filestore(&copy.name)), files_under(&env.filestore(&db.name)));
    assert_eq!(checksums(&db.name), before);
}

#[test]
fn after_a_killed_production_upgrade_recovery_says_to_start_the_service_again() {
    let env = TestEnv::new();
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let started = env.root.join("service-started");
    let start_cmd = format!("touch {}", started.display());
    let stop_cmd = "echo stopping the service";
    for (point, start) in [
        ("upgrade:closed", Some(start_cmd.as_str())),
        ("install:keep-previous", Some(start_cmd.as_str())),
        ("upgrade:after-backup", None),
    ] {
        let db = fixtures::modern(&env, "upp_service");
        let mut command = env.cmd();
        command
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .args(["--yes", "upgrade", "production", &db.name, "--target", "18.0"])
            .args(["--engine", "command", "--upgrade-command", UPGRADER, "--stop-cmd", stop_cmd])
            .arg("--backup-dir")
            .arg(&backups);
        if let Some(start) = start {
            command.args(["--start-cmd", start]);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), None, "{point}: killed there: {}", text(&output.stderr));
        assert!(!started.exists(), "{point}: the kill left the service stopped");

        // `recover` itself, or the recovery at the start of any other command.
        let recovered = if start.is_some() {
            env.cmd().arg("recover").output().unwrap()
        } else {
            let copy = PgTestDb::reserve("upp_service_copy");
            env.cmd().args(["duplicate", &db.name, &copy.name]).output().unwrap()
        };
        assert!(recovered.status.success(), "{point}: {}", text(&recovered.stderr));
        assert!(allows_connections(&db.name), "{point}");
        let said = text(&recovered.stderr);
        assert!(
            said.contains(&format!("{} is open to connections again", db.name)),
            "{point}: {said}"
        );
        assert!(
            said.contains(&format!("--stop-cmd ({stop_cmd}) stopped is still stopped")),
            "{point}: {said}"
        );
        let expected = start.map_or_else(
            || "no --start-cmd was given".to_string(),
            |start| format!("start it again: {start}"),
        );
        assert!(said.contains(&expected), "{point}: {said}");
        assert!(!started.exists(), "{point}: recovery does not start services");
        for kept in databases_like(&format!("{}_pre_", db.name)) {
            crate::support::drop_database(&kept);
        }
    }
}

#[test]
fn the_test_copy_identifies_as_itself_to_odoo_com() {
    let env = TestEnv::new();
    let source = crate::copy_identity::with_odoo_com_provider(&env, "upc_oauth");
    let copy = PgTestDb::reserve("upc_oauth_copy");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name])
        .arg("--work-dir")
        .arg(env.root.join("work"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_ne!(copy.param("database.uuid"), source.param("database.uuid"));
    assert_eq!(crate::copy_identity::odoo_com_client(&copy), copy.param("database.uuid"));
    assert_eq!(crate::copy_identity::odoo_com_client(&source), source.param("database.uuid"));
}
