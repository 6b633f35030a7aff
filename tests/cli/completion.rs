//! Dynamic completion: the shell calls odoodb back with `COMPLETE=<shell>` and the words of the
//! line; database names come from the server, step ids from the neutralize registry.

use crate::support::{PgTestDb, TestEnv};

/// Candidates for the last word of `line`, as bash asks for them (one per line).
fn complete(env: &TestEnv, line: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = env.cmd();
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (line.len() - 1).to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(line);
    cmd.assert()
}

fn candidates(assert: &assert_cmd::assert::Assert) -> Vec<String> {
    String::from_utf8(assert.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn database_names_come_from_the_server() {
    let env = TestEnv::new();
    let db = PgTestDb::empty("complete_me");
    let prefix = &db.name[..db.name.len() - 3];
    for line in [
        vec!["odoodb", "info", prefix],
        vec!["odoodb", "delete", "--yes", prefix],
        vec!["odoodb", "duplicate", prefix],
        vec!["odoodb", "rename", prefix],
        vec!["odoodb", "neutralize", "--check", prefix],
    ] {
        let assert = complete(&env, &line).success().stderr("");
        assert_eq!(candidates(&assert), vec![db.name.as_str()], "{line:?}");
    }
    // The target of a copy is a new name: nothing to offer from the server.
    let assert = complete(&env, &["odoodb", "duplicate", "x", prefix]).success();
    assert!(candidates(&assert).is_empty());
    // System databases are not offered.
    let assert = complete(&env, &["odoodb", "info", "templ"]).success();
    assert!(candidates(&assert).is_empty(), "{:?}", candidates(&assert));
}

#[test]
fn the_command_lines_own_options_choose_the_server() {
    let env = TestEnv::new();
    let db = PgTestDb::empty("complete_flag");
    let server = crate::support::Server::get();
    // No odoo.conf, and PG* variables that lead nowhere: only --host and --port on the line
    // find the server.
    let mut cmd = env.bare_cmd();
    cmd.env("COMPLETE", "bash")
        .env("PGHOST", env.root.join("no-server-here"))
        .env("PGPORT", "1")
        .env("_CLAP_COMPLETE_INDEX", "6")
        .env("PGUSER", &server.user)
        .arg("--")
        .args(["odoodb", "--host", &server.host, "--port", &server.port.to_string(), "info"])
        .arg(&db.name);
    let assert = cmd.assert().success().stderr("");
    assert_eq!(candidates(&assert), vec![db.name.as_str()]);
}

#[test]
fn no_server_means_no_candidates_quickly_and_silently() {
    let env = TestEnv::new();
    let started = std::time::Instant::now();
    // A TEST-NET address (RFC 5737): nothing answers there, so only the deadline ends the wait.
    let mut cmd = env.bare_cmd();
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("PGHOST", "192.0.2.1")
        .args(["--", "odoodb", "info", "pro"]);
    cmd.assert().success().stdout("").stderr("");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    let mut broken = env.bare_cmd();
    broken
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("ODOO_RC", env.root.join("missing.conf"))
        .args(["--", "odoodb", "info", "pro"]);
    broken.assert().success().stdout("").stderr("");
}

#[test]
fn neutralize_steps_complete_after_only_and_skip() {
    let env = TestEnv::new();
    let assert = complete(&env, &["odoodb", "neutralize", "--only", "cr"]).success();
    assert_eq!(candidates(&assert), ["crons"]);
    let assert =
        complete(&env, &["odoodb", "neutralize", "x", "--skip", "crons,outgoing-m"]).success();
    assert_eq!(candidates(&assert), ["crons,outgoing-mail"]);
    let assert = complete(&env, &["odoodb", "neutralize", "--skip", ""]).success();
    let all = candidates(&assert);
    assert!(all.contains(&"payment".to_string()) && all.contains(&"flag".to_string()), "{all:?}");
}

#[test]
fn the_registration_script_calls_odoodb_back() {
    let env = TestEnv::new();
    let mut cmd = env.bare_cmd();
    cmd.env("COMPLETE", "bash");
    cmd.assert()
        .success()
        .stdout(predicates::str::contains("complete -o nospace -o bashdefault"))
        .stdout(predicates::str::contains("odoodb"));
}
