//! Adversarial cases of `upgrade test|production`: what a user's folders, a malicious platform
//! or names already taken must never make odoodb lose or move.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::fixtures;
use crate::support::platform::{Script, StandIn};
use crate::support::text;
use crate::support::{PgTestDb, TestEnv, database_exists, files_under, leftovers};

/// As in upgrade_command.rs: base moves to the hop's version.
const UPGRADER: &str = r#"psql -X -q -v ON_ERROR_STOP=1 -c "UPDATE ir_module_module SET latest_version = '$ODOODB_TARGET.1.0' WHERE name = 'base'""#;

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `--work-dir` naming a folder that already holds the user's files: odoodb must not chmod it
/// nor remove it (with everything in it) once the copy is made.
#[test]
fn a_work_dir_holding_other_files_is_never_removed() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "urv_work");
    let copy = PgTestDb::reserve("urv_work_copy");
    let work = env.root.join("my-files");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("notes.txt"), b"the user's own file").unwrap();
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name])
        .arg("--work-dir")
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(work.join("notes.txt")).ok().as_deref(),
        Some(&b"the user's own file"[..]),
        "the user's folder was emptied: {}",
        text(&output.stderr)
    );
    assert_eq!(mode(&work), 0o755, "the user's folder was chmodded");
    assert!(!output.status.success(), "a folder with other files is refused");
    assert!(text(&output.stderr).contains("--work-dir"), "{}", text(&output.stderr));
    assert!(!database_exists(&copy.name));
}

/// A work folder that is a symbolic link (the default one is in the shared /tmp, where anyone
/// can plant one): what it points at is neither chmodded nor filled with the dump.
#[test]
fn a_work_dir_that_is_a_link_is_refused() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "urv_wlink");
    let copy = PgTestDb::reserve("urv_wlink_copy");
    let elsewhere = env.root.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let work = env.root.join("work-link");
    std::os::unix::fs::symlink(&elsewhere, &work).unwrap();
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &copy.name])
        .arg("--work-dir")
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(mode(&elsewhere), 0o755, "the link's target was chmodded");
    assert_eq!(files_under(&elsewhere), Vec::<String>::new(), "the dump went through the link");
    assert!(!output.status.success(), "{}", text(&output.stderr));
    assert!(!database_exists(&copy.name));
}

/// The platform answers with a `filestore` that is a symbolic link to a local folder: odoodb
/// must not follow it (chown it, move what it holds into the copy).
#[test]
fn a_linked_filestore_from_the_platform_is_refused_and_its_target_untouched() {
    let Some(standin) = StandIn::with_data_server(Script::default()) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "urv_pflink");
    let copy = PgTestDb::reserve("urv_pflink_copy");
    let victim = env.root.join("victim");
    std::fs::create_dir_all(victim.join("ab")).unwrap();
    std::fs::write(victim.join("ab/secret.txt"), b"not the platform's").unwrap();
    let child =
        env.spawn(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name], |c| {
            // Slow polls: the test changes the platform's files between "done" and the download.
            c.args(standin.product_args("4"));
        });
    standin.wait_started();
    standin.wait_upgrade(Duration::from_mins(1));
    let served = standin.data_server().data_dir().join("filestore");
    std::fs::remove_dir_all(&served).unwrap();
    std::os::unix::fs::symlink(&victim, &served).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        files_under(&victim),
        vec!["ab/secret.txt".to_string()],
        "what the link pointed at was moved: {}",
        text(&output.stderr)
    );
    assert!(!files_under(&env.filestore(&copy.name)).contains(&"ab/secret.txt".to_string()));
    assert!(!output.status.success(), "a linked filestore is refused");
    assert!(!database_exists(&copy.name));
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
}

/// The name the original is kept under is taken by a folder (a database deleted by hand, its
/// filestore left): the original's filestore must not end up orphaned under a temporary name
/// with the kept database paired to someone else's files.
#[test]
fn a_kept_name_whose_folder_exists_is_refused_before_anything_changes() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "urv_keep");
    let files_before = files_under(&env.filestore(&db.name));
    let now = chrono::Local::now();
    for second in 0..120 {
        let at = now + chrono::Duration::seconds(second);
        let name = format!("{}_pre_18.0_{}", db.name, at.format("%Y-%m-%d_%H-%M-%S"));
        let folder = env.filestore(&name).join("zz");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("stranger"), b"not the original's").unwrap();
    }
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let output = env
        .cmd()
        .args(["--yes", "upgrade", "production", &db.name, "--target", "18.0", "--engine"])
        .args(["command", "--upgrade-command", UPGRADER, "--json", "--backup-dir"])
        .arg(&backups)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    if output.status.success() {
        let report = crate::support::json(&output);
        let kept = report["kept_as"].as_str().unwrap().to_string();
        let kept_files = files_under(&env.filestore(&kept));
        crate::support::drop_database(&kept);
        assert_eq!(kept_files, files_before, "the kept database has the original's files");
    } else {
        assert!(stderr.contains("_pre_18.0_"), "{stderr}");
        assert_eq!(files_under(&env.filestore(&db.name)), files_before);
        assert_eq!(
            db.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
            Some("17.0.1.3".into())
        );
    }
    let strays: Vec<String> = std::fs::read_dir(env.data_dir.join("filestore"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("__odoodb_"))
        .collect();
    assert_eq!(strays, Vec::<String>::new(), "an orphaned temporary folder: {stderr}");
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
}

/// Two upgrades of one database at once (a test upgrade still under way, then another, or a
/// production one) share the default work folder: the second would remove the first's dump and
/// download into the same folder, so one could restore the other's result. It is refused.
#[test]
fn a_second_run_on_the_same_work_folder_is_refused_while_the_first_runs() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "urv_twice");
    let (first, second) = (PgTestDb::reserve("urv_twice_a"), PgTestDb::reserve("urv_twice_b"));
    let work = env.root.join("work");
    let started = env.root.join("started");
    let slow = format!("touch '{}' && sleep 4 && {UPGRADER}", started.display());
    let child =
        env.spawn(["upgrade", "test", &source.name, "-t", "18.0", "--engine", "command"], |c| {
            c.args(["--upgrade-command", &slow, "--name", &first.name, "--work-dir"]).arg(&work);
        });
    let deadline = Instant::now() + Duration::from_mins(1);
    while !started.exists() {
        assert!(Instant::now() < deadline, "the first run never got to its command");
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", UPGRADER, "--name", &second.name, "--work-dir"])
        .arg(&work)
        .output()
        .unwrap();
    let first_run = child.wait_with_output().unwrap();
    assert!(first_run.status.success(), "{}", text(&first_run.stderr));
    assert!(!output.status.success(), "the second run shared the folder");
    assert!(text(&output.stderr).contains("in use"), "{}", text(&output.stderr));
    assert!(!database_exists(&second.name));
}

#[test]
fn a_link_inside_the_platforms_dump_is_refused() {
    let Some(standin) = StandIn::with_data_server(Script::default()) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "urv_dumplink");
    let copy = PgTestDb::reserve("urv_dumplink_copy");
    let child =
        env.spawn(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name], |c| {
            c.args(standin.product_args("4"));
        });
    standin.wait_started();
    standin.wait_upgrade(Duration::from_mins(1));
    let dump = standin.data_server().data_dir().join("upgraded.dump");
    std::os::unix::fs::symlink("/etc/passwd", dump.join("9999.dat.gz")).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("which is not a plain file"), "{stderr}");
    assert!(!database_exists(&copy.name));
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
}
