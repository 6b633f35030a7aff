//! Adversarial cases of `upgrade test|production`: what a user's folders, a malicious platform
//! or names already taken must never make odoodb lose or move.

use std::path::Path;

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, database_exists, files_under};

/// As in upgrade_command.rs: base moves to the hop's version.
const UPGRADER: &str = r#"psql -X -q -v ON_ERROR_STOP=1 -c "UPDATE ir_module_module SET latest_version = '$ODOODB_TARGET.1.0' WHERE name = 'base'""#;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

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
