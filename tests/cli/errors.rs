//! Bad input and unreachable servers: one `error:` line, a hint, a non-zero exit, no panic,
//! and never a password.

use std::os::unix::fs::PermissionsExt as _;

use predicates::prelude::*;

use crate::support::{PasswordRole, TestEnv, admin};

#[test]
fn an_unreachable_server_is_one_line_with_a_hint() {
    let env = TestEnv::new();
    env.cmd()
        .args(["--host", "127.0.0.1", "--port", "1", "list"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with("error: cannot connect to PostgreSQL at 127.0.0.1:1"))
        .stderr(predicate::str::contains("hint: is PostgreSQL running"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn a_wrong_password_is_reported_without_the_password() {
    let env = TestEnv::new();
    let role = PasswordRole::new("badpw");
    let wrong = "wrong-secret-4821";
    let output = env
        .bare_cmd()
        .args(["--host", "127.0.0.1", "--user", &role.name, "-v", "list"])
        .env("PGPASSWORD", wrong)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(all.contains("password authentication failed"), "{all}");
    assert!(all.contains("hint: check the role and its password"), "{all}");
    assert!(!all.contains(wrong), "the password leaked: {all}");
}

#[test]
fn passwords_come_from_odoo_conf_environment_or_pgpass() {
    let env = TestEnv::new();
    let role = PasswordRole::new("pw");
    let conf = env.root.join("pw.conf");
    std::fs::write(
        &conf,
        format!(
            "[options]\ndb_host = 127.0.0.1\ndb_user = {}\ndb_password = {}\n",
            role.name, role.password
        ),
    )
    .unwrap();
    let out = env.bare_cmd().args(["-c", conf.to_str().unwrap(), "list", "-v"]).output().unwrap();
    assert!(
        out.status.success(),
        "odoo.conf db_password: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains(&role.password),
        "-v must not show the password"
    );

    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--user", &role.name, "list"])
        .env("PGPASSWORD", &role.password)
        .assert()
        .success();

    let pgpass = env.home.join(".pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:5432:*:{}:{}\n", role.name, role.password)).unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.bare_cmd().args(["--host", "127.0.0.1", "--user", &role.name, "list"]).assert().success();

    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.bare_cmd()
        .args(["--host", "127.0.0.1", "--user", &role.name, "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("password file was ignored because others can read it"));
}

#[test]
fn tls_modes_are_honoured_over_tcp() {
    let env = TestEnv::new();
    let role = PasswordRole::new("tls");
    let ssl_on: String = admin().query_one("SHOW ssl", &[]).unwrap().get(0);
    if ssl_on != "on" {
        eprintln!("SKIPPED tls test: the server has ssl = off");
        return;
    }
    let run = |mode: &str| {
        env.bare_cmd()
            .args(["--host", "127.0.0.1", "--user", &role.name, "--sslmode", mode, "list"])
            .env("PGPASSWORD", &role.password)
            .output()
            .unwrap()
    };
    assert!(run("require").status.success());
    assert!(run("disable").status.success());
    // The server's certificate is self-signed (Debian's snakeoil): full verification must refuse it.
    let refused = run("verify-full");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot connect"));
}

#[test]
fn unreadable_or_invalid_config_files_are_named() {
    let env = TestEnv::new();
    env.bare_cmd()
        .args(["-c", "/nonexistent/odoo.conf", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read Odoo config file /nonexistent/odoo.conf"));
    let bad = env.root.join("bad.conf");
    std::fs::write(&bad, "[options]\nnot a setting\n").unwrap();
    env.bare_cmd().args(["-c", bad.to_str().unwrap(), "list"]).assert().code(2).stderr(
        predicate::str::contains(format!(
            "Odoo config file {} is not valid: line 2",
            bad.display()
        )),
    );
    let settings = env.root.join("settings.toml");
    std::fs::write(&settings, "[duplicate]\nretention = 3\n").unwrap();
    env.cmd()
        .args(["--settings", settings.to_str().unwrap(), "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "settings file {} is not valid",
            settings.display()
        )))
        .stderr(predicate::str::contains("retention"));
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    env.cmd().args(["list", "--no-such-flag"]).assert().code(2);
    env.cmd().args(["--port", "notanumber", "list"]).assert().code(2);
    env.cmd().assert().code(2);
    env.cmd().arg("--version").assert().code(0).stdout(predicate::str::starts_with("odoodb "));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = TestEnv::new();
    let _db = crate::support::fixtures::modern(&env, "err_pipe");
    let mut child = env.spawn(["completions", "bash"], |c| {
        c.stdout(std::process::Stdio::piped());
    });
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn an_unknown_database_suggests_the_closest_name() {
    let env = TestEnv::new();
    let db = crate::support::fixtures::modern(&env, "dym_prod17");
    let typo = db.name.replace("prod17", "prod71");
    for command in [&["info"][..], &["backup", "-o", "-"][..], &["delete", "--yes"][..]] {
        env.cmd()
            .args(command)
            .arg(&typo)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{typo:?} does not exist")))
            .stderr(predicate::str::contains(format!("hint: did you mean {}?", db.name)));
    }
    // Nothing close: no guess.
    env.cmd()
        .args(["info", "odoodbt_nothing_like_it_at_all"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean").not());
}
