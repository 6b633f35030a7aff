//! No secret on disk: PostgreSQL's tools get the password through a file that exists only in
//! memory, so not even kill -9 leaves it behind; the password files older versions left in the
//! temp folder are removed, and said so.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::fixtures;
use crate::support::{PasswordRole, PgTestDb, TestEnv, admin, quote, row_counts, text};

/// A superuser role with a password (so that it may dump anything), reached over TCP.
fn superuser_role(tag: &str) -> PasswordRole {
    let role = PasswordRole::new(tag);
    admin().batch_execute(&format!("ALTER ROLE {} SUPERUSER", quote(&role.name))).unwrap();
    role
}

/// Points the environment's odoo.conf at 127.0.0.1 as `role` (its password comes from
/// PGPASSWORD, so that only odoodb can put it in a file), with the tools of `pg_path`.
fn connect_as(env: &TestEnv, role: &PasswordRole, pg_path: &Path) {
    std::fs::write(
        &env.odoo_conf,
        format!(
            "[options]\ndata_dir = {}\ndb_host = 127.0.0.1\ndb_port = 5432\ndb_user = {}\npg_path = {}\n",
            env.data_dir.display(),
            role.name,
            pg_path.display()
        ),
    )
    .unwrap();
}

/// The real program `name`, from PATH.
fn real_tool(name: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("{name} is not on PATH"))
}

/// A pg_path whose pg_dump runs `body` (sh) before the real pg_dump, and whose pg_restore and
/// psql are the real ones.
fn pg_path_with(env: &TestEnv, body: &str) -> PathBuf {
    let bin = env.root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let real = real_tool("pg_dump");
    let script = bin.join("pg_dump");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then exec {real} --version; fi\n{body}\nexec {real} \"$@\"\n",
            real = real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    for tool in ["pg_restore", "psql"] {
        std::os::unix::fs::symlink(real_tool(tool), bin.join(tool)).unwrap();
    }
    // Another test thread may fork while the script is open for writing (its child then holds
    // the descriptor until it execs): running the script at once could fail with ETXTBSY.
    std::thread::sleep(Duration::from_millis(300));
    bin
}

/// Every file under `dir` whose content has `secret` in it.
fn files_containing(dir: &Path, secret: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = path.symlink_metadata() else { continue };
        if meta.is_dir() {
            found.extend(files_containing(&path, secret));
        } else if meta.is_file()
            && std::fs::read(&path)
                .is_ok_and(|bytes| bytes.windows(secret.len()).any(|w| w == secret.as_bytes()))
        {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_backup_killed_while_pg_dump_runs_leaves_no_password_on_disk() {
    let env = TestEnv::new();
    // First, so dropped last: it owns what the test makes as it.
    let role = superuser_role("seckill");
    let db = fixtures::modern(&env, "sec_kill");
    let tmp = env.root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let started = env.root.join("pg_dump-started");
    // pg_dump says it runs, then stays until killed (no exec: its pid is the script's).
    let bin = pg_path_with(&env, &format!("echo $$ > {}\nsleep 60", started.display()));
    connect_as(&env, &role, &bin);
    let out = env.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut child =
        env.spawn(["backup", &db.name, "--format", "dump", "--no-filestore", "--dir"], |c| {
            c.arg(&out).env("PGPASSWORD", &role.password).env("TMPDIR", &tmp);
        });
    let deadline = Instant::now() + Duration::from_mins(1);
    let pg_dump_pid = loop {
        if let Some(pid) =
            std::fs::read_to_string(&started).ok().and_then(|text| text.trim().parse::<i32>().ok())
        {
            break pid;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            panic!("the backup ended before pg_dump ran ({status}): {stderr}");
        }
        assert!(Instant::now() < deadline, "pg_dump never started");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(files_containing(&tmp, &role.password), Vec::<PathBuf>::new(), "while it runs");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pg_dump_pid),
        nix::sys::signal::Signal::SIGKILL,
    );
    assert_eq!(files_containing(&tmp, &role.password), Vec::<PathBuf>::new(), "after kill -9");
    assert_eq!(files_containing(&env.root, &role.password), Vec::<PathBuf>::new());
}

/// libpq opens the password file anew for each connection, and pg_dump and pg_restore with
/// `--jobs` open several: each must read the whole password, and none find it on disk.
#[test]
fn pg_dump_and_pg_restore_with_jobs_get_the_password_for_every_connection() {
    let env = TestEnv::new();
    // First, so dropped last: it owns what the test makes as it.
    let role = superuser_role("secjobs");
    let db = fixtures::modern(&env, "sec_jobs");
    let copy = PgTestDb::empty("sec_jobs_copy");
    let tmp = env.root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let dumped = env.root.join("jobs.dump");
    let found = env.root.join("found-in-tmp");
    // Before the backup's own dump: a directory dump and its restore with 4 jobs each, through
    // the connection odoodb hands pg_dump; and a look for the password in the temp folder.
    let body = format!(
        "{dump} --jobs=4 --format=directory --no-owner --file={dumped} || exit 11\n\
         {restore} --jobs=4 --no-owner --exit-on-error --dbname={copy} {dumped} || exit 12\n\
         grep -rlF -- \"{password}\" \"$TMPDIR\" > {found}\n",
        dump = real_tool("pg_dump").display(),
        restore = real_tool("pg_restore").display(),
        dumped = dumped.display(),
        copy = copy.name,
        password = role.password,
        found = found.display(),
    );
    let bin = pg_path_with(&env, &body);
    connect_as(&env, &role, &bin);
    let out = env.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let output = env
        .cmd()
        .args(["backup", &db.name, "--format", "dump", "--no-filestore", "--dir"])
        .arg(&out)
        .env("PGPASSWORD", &role.password)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(row_counts(&copy.name), row_counts(&db.name), "the 4-job restore is whole");
    assert_eq!(
        std::fs::read_to_string(&found).unwrap(),
        "",
        "no file in the temp folder holds the password while pg_dump runs"
    );
}

/// The upgrade program gets the connection too (its own psql reads the password), from no
/// file on disk.
#[test]
fn the_upgrade_program_connects_with_a_password_found_on_no_disk() {
    let env = TestEnv::new();
    // First, so dropped last: it owns what the test makes as it.
    let role = superuser_role("secup");
    let source = fixtures::modern(&env, "sec_up_src");
    let copy = PgTestDb::reserve("sec_up_copy");
    let tmp = env.root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    connect_as(&env, &role, Path::new(&real_tool("psql")).parent().unwrap());
    let command = format!(
        "if grep -rqF -- '{}' \"$TMPDIR\"; then echo 'the password is on disk' >&2; exit 9; fi; \
         psql -X -q -v ON_ERROR_STOP=1 -c \"UPDATE ir_module_module SET latest_version = '$ODOODB_TARGET.1.0' WHERE name = 'base'\"",
        role.password
    );
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--engine", "command"])
        .args(["--upgrade-command", &command, "--name", &copy.name])
        .arg("--work-dir")
        .arg(env.root.join("work"))
        .env("PGPASSWORD", &role.password)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        copy.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some("18.0.1.0".into())
    );
}

#[test]
fn password_files_an_older_version_left_are_removed_and_reported() {
    let env = TestEnv::new();
    let tmp = env.root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let plant = |name: &str| {
        let path = tmp.join(name);
        std::fs::write(&path, "*:*:*:odoo:old-secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path
    };
    let old = plant("odoodb-pgpass-x");
    // Another user's file, and a link, are not ours to remove.
    let foreign = plant("odoodb-pgpass-foreign");
    std::os::unix::fs::chown(&foreign, Some(65534), None).unwrap();
    let target = plant("unrelated");
    let link = tmp.join("odoodb-pgpass-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let output = env.cmd().arg("recover").env("TMPDIR", &tmp).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!old.exists(), "the old password file is removed");
    assert!(text(&output.stderr).contains(&old.display().to_string()), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).contains("Nothing to recover"), "{}", text(&output.stdout));
    assert!(foreign.exists() && target.exists() && link.symlink_metadata().is_ok());

    // Any other run removes one at its start too, and says so.
    let old = plant("odoodb-pgpass-y");
    let output = env.cmd().args(["list", "--all"]).env("TMPDIR", &tmp).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!old.exists());
    assert!(text(&output.stderr).contains("odoodb-pgpass-y"), "{}", text(&output.stderr));
}
