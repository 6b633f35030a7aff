//! At a real terminal (a pseudo-terminal): every prompt waits for a whole line, takes y/yes/n/no,
//! and leaves nothing behind in the terminal's input for the next prompt or for the shell.

use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

use crate::support::fixtures;
use crate::support::{TestEnv, database_exists};

/// odoodb in a pseudo-terminal, through `sh` so that its exit status is printed at the end and
/// whatever it left unread in the terminal would reach `cat` (and show) instead of being lost.
fn spawn(env: &TestEnv, args: &str) -> PtySession {
    spawn_script(env, &format!("\"$ODOODB\" {args}"))
}

/// `script` (which runs odoodb as `"$ODOODB"`) in a pseudo-terminal, as `spawn` does.
fn spawn_script(env: &TestEnv, script: &str) -> PtySession {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "{script}; echo \"exit=$?\"; stty -icanon min 0 time 5; echo \"leftover=[$(cat)]\""
        ))
        .env_clear()
        .env("ODOODB", assert_cmd::cargo::cargo_bin!("odoodb"))
        .env("HOME", &env.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ODOO_RC", &env.odoo_conf)
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200");
    spawn_command(command, Some(60_000)).unwrap()
}

fn regex_step() -> rexpect::reader::Regex {
    // The reader sees bytes, not UTF-8: the dash between id and title is matched as any run.
    rexpect::reader::Regex::new(r"[a-z-]+ [^ \r\n]+ [^\r\n]*Apply\? \[y/N\]").unwrap()
}

#[test]
fn each_step_prompt_takes_its_own_line() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_steps");
    let mut p = spawn(&env, &format!("neutralize {} --interactive --no-module-files", db.name));
    // dialoguer re-prints a prompt with its answer: answer each step once, by its id.
    let mut answered: Vec<String> = Vec::new();
    loop {
        match p.exp_any(vec![
            rexpect::ReadUntil::Regex(regex_step()),
            rexpect::ReadUntil::String("exit=".into()),
        ]) {
            Ok((_, matched)) if matched.contains("Apply?") => {
                let line = matched.rsplit(['\r', '\n']).next().unwrap_or_default();
                let step = line.split(' ').next().unwrap_or_default().to_string();
                if !answered.contains(&step) {
                    answered.push(step);
                    p.send_line("y").unwrap();
                }
            }
            Ok(_) => break,
            Err(error) => panic!("no prompt and no end: {error}"),
        }
    }
    let asked = answered.len();
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "0");
    p.exp_string("leftover=[]").unwrap();
    assert!(asked > 5, "one question per step with live rows, got {asked}");
    assert!(!answered.iter().any(|s| s == "flag"), "the flag follows the others: {answered:?}");
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
}

#[test]
fn yes_in_full_is_one_answer_and_nothing_reaches_the_shell() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_yes");
    let mut p = spawn(&env, &format!("neutralize {} --no-module-files", db.name));
    p.exp_string("? [y/N]").unwrap();
    p.send_line("yes").unwrap();
    p.exp_string("exit=0").unwrap();
    p.exp_string("leftover=[]").unwrap();
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
}

#[test]
fn a_wrong_typed_name_changes_nothing_and_says_so() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_typed");
    let mut p = spawn(&env, &format!("delete {}", db.name));
    p.exp_string("Type the database name").unwrap();
    p.send_line("not-the-name").unwrap();
    p.exp_string("nothing was changed").unwrap();
    p.exp_string("exit=1").unwrap();
    assert!(database_exists(&db.name));
    assert!(env.filestore(&db.name).exists());
}

#[test]
fn no_lock_is_held_while_the_user_reads_the_plan() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_nolock");
    let mut p = spawn(&env, &format!("neutralize {} --no-module-files", db.name));
    p.exp_string("? [y/N]").unwrap();
    // Odoo (an upgrade, a module install) may need every lock while the question waits.
    let mut odoo = db.client();
    let mut transaction = odoo.transaction().unwrap();
    transaction
        .batch_execute("LOCK TABLE ir_cron, ir_mail_server, ir_config_parameter IN ACCESS EXCLUSIVE MODE NOWAIT")
        .unwrap();
    transaction.rollback().unwrap();
    p.send_line("n").unwrap();
    p.exp_string("nothing was changed").unwrap();
    p.exp_string("exit=1").unwrap();
}

#[test]
fn ctrl_c_at_a_prompt_exits_130_on_a_line_of_its_own() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_ctrlc");
    let mut p = spawn(&env, &format!("delete {}", db.name));
    p.exp_string("Type the database name").unwrap();
    p.send("pro").unwrap();
    p.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_control('c').unwrap();
    let before = p.exp_string("error: interrupted").unwrap_or_default();
    assert!(before.ends_with('\n'), "the error starts its own line: {before:?}");
    p.exp_string("exit=130").unwrap();
    assert!(database_exists(&db.name));
}

#[test]
fn declined_steps_at_interactive_exit_3_done_but_partly() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_partial");
    let mut p = spawn(&env, &format!("neutralize {} --interactive --no-module-files", db.name));
    // The crons are declined, every other step applied.
    let mut answered: Vec<String> = Vec::new();
    loop {
        match p.exp_any(vec![
            rexpect::ReadUntil::Regex(regex_step()),
            rexpect::ReadUntil::String("exit=".into()),
        ]) {
            Ok((_, matched)) if matched.contains("Apply?") => {
                let line = matched.rsplit(['\r', '\n']).next().unwrap_or_default();
                let step = line.split(' ').next().unwrap_or_default().to_string();
                if !answered.contains(&step) {
                    p.send_line(if step == "crons" { "n" } else { "y" }).unwrap();
                    answered.push(step);
                }
            }
            Ok(_) => break,
            Err(error) => panic!("no prompt and no end: {error}"),
        }
    }
    assert!(answered.iter().any(|s| s == "crons"), "{answered:?}");
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "3", "committed, but the crons are still live");
    p.exp_string("leftover=[]").unwrap();
    // What was accepted is committed; the declined step is still live.
    assert_eq!(db.param("web.base.url").as_deref(), Some("http://localhost:8069"));
    assert!(db.scalar_i64("SELECT count(*) FROM ir_cron WHERE active") > 1);
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(4);
}

#[test]
fn man_on_a_terminal_is_rendered_and_the_source_without_man() {
    let env = TestEnv::new();
    let mut p = spawn_script(&env, "MANPAGER=cat PAGER=cat \"$ODOODB\" man");
    let shown = p.exp_string("exit=").unwrap();
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "0", "{shown}");
    assert!(!shown.contains(".TH") && !shown.contains(".SH"), "rendered, not roff: {shown}");
    assert!(shown.contains("odoodb"), "{shown}");

    // No `man` on the PATH: the roff source, as into a pipe.
    let mut p = spawn_script(&env, "PATH=/nonexistent \"$ODOODB\" man");
    let shown = p.exp_string("exit=").unwrap();
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "0", "{shown}");
    assert!(shown.contains(".TH"), "{shown}");
}

#[test]
fn a_wrong_password_is_said_to_be_wrong_before_it_is_asked_again() {
    let env = TestEnv::new();
    let role = crate::support::PasswordRole::new("tty_pw");
    let mut p = spawn(&env, &format!("--host 127.0.0.1 --user {} list --all", role.name));
    let prompt = format!("Password for user {}: ", role.name);
    p.exp_string(&prompt).unwrap();
    p.send_line("not-the-password-5e1d").unwrap();
    let between = p.exp_string(&prompt).unwrap();
    assert!(
        between.contains(&format!("password authentication failed for user {}", role.name)),
        "said before asking again: {between:?}"
    );
    p.send_line(&role.password).unwrap();
    let rest = p.exp_string("exit=").unwrap();
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "0", "{rest}");
    assert!(!rest.contains(&prompt), "asked no more: {rest}");

    // Three wrong ones: the error, and no fourth question.
    let mut p = spawn(&env, &format!("--host 127.0.0.1 --user {} list --all", role.name));
    for _ in 0..3 {
        p.exp_string(&prompt).unwrap();
        p.send_line("still-wrong-0b7a").unwrap();
    }
    let rest = p.exp_string("exit=").unwrap();
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "1", "{rest}");
    assert!(rest.contains("error:") && !rest.contains(&prompt), "{rest}");
    assert!(!rest.contains("still-wrong"), "never echoed: {rest}");
}

#[test]
fn questions_are_asked_on_the_terminal_when_stderr_is_piped() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_tee");
    let (log, rc) = (env.root.join("delete.log"), env.root.join("delete.rc"));
    let mut p = spawn_script(
        &env,
        &format!(
            "{{ \"$ODOODB\" delete {}; echo $? > {}; }} 2>&1 | tee {} >/dev/null",
            db.name,
            rc.display(),
            log.display()
        ),
    );
    p.exp_string("Type the database name").unwrap();
    p.send_line(&db.name).unwrap();
    p.exp_string("exit=").unwrap();
    assert_eq!(std::fs::read_to_string(&rc).unwrap().trim(), "0");
    assert!(!database_exists(&db.name));
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains(&format!("Deleted {}", db.name)), "{logged}");
    assert!(!logged.contains("Type the database name"), "the question is not in the log: {logged}");

    // The password prompt too, with stderr thrown away.
    let role = crate::support::PasswordRole::new("tty_tee_pw");
    let mut p = spawn_script(
        &env,
        &format!("\"$ODOODB\" --host 127.0.0.1 --user {} list --all 2>/dev/null", role.name),
    );
    p.exp_string(&format!("Password for user {}: ", role.name)).unwrap();
    p.send_line(&role.password).unwrap();
    p.exp_string("exit=0").unwrap();
}

#[test]
fn without_a_controlling_terminal_it_still_refuses_with_exit_2() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "tty_notty");
    // stdin is the pseudo-terminal, but the session has no controlling terminal any more.
    let mut p = spawn_script(&env, &format!("setsid -w \"$ODOODB\" delete {}", db.name));
    let said = p.exp_string("exit=").unwrap();
    let (_, code) = p.exp_regex("[0-9]+").unwrap();
    assert_eq!(code, "2", "{said}");
    assert!(said.contains("no terminal to ask on"), "{said}");
    assert!(database_exists(&db.name));
}
