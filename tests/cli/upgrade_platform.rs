//! `upgrade test|production|resume` against the stand-in platform: HTTPS on 127.0.0.1, a real
//! sshd + rsync data server, and a real (fake) upgrade of what was uploaded.

use std::path::Path;
use std::time::Duration;

use crate::support::fixtures;
use crate::support::platform::{
    Fault, GOOD_CONTRACT, MARKER_TABLE, Outcome, Script, StandIn, TOKEN, new_files,
    upgraded_base_version,
};
use crate::support::{
    PgTestDb, TestEnv, database_exists, databases_like, files_under, json, leftovers,
};
use crate::support::{allows_connections, checksums, text};

fn no_secret(output: &std::process::Output) {
    for stream in [&output.stdout, &output.stderr] {
        let shown = text(stream);
        assert!(!shown.contains(GOOD_CONTRACT), "the contract leaked: {shown}");
        assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
    }
}

fn sha1_name(content: &[u8]) -> String {
    let sha = sha1_smol::Sha1::from(content).digest().to_string();
    format!("{}/{sha}", &sha[..2])
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_test_upgrade_through_the_platform_makes_a_neutralized_whole_copy() {
    let Some(standin) = StandIn::with_data_server(Script::default()) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_src");
    let copy = PgTestDb::reserve("upl_copy");
    let before = checksums(&source.name);
    let files_before = files_under(&env.filestore(&source.name));
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "18.0", "--name", &copy.name, "--json"])
        .args(standin.product_args("0.2"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    no_secret(&output);
    let report = json(&output);
    assert_eq!(report["request_id"], 4242);
    assert_eq!(report["engine"], "platform");
    assert_eq!(report["filestore_files"], 4, "the original's two and the platform's two");

    // What the platform did reached the copy.
    assert_eq!(
        copy.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some(upgraded_base_version("18.0"))
    );
    assert_eq!(
        copy.scalar_string(&format!("SELECT target FROM {MARKER_TABLE}")),
        Some("18.0".into())
    );
    let check = env.cmd().args(["neutralize", &copy.name, "--check"]).output().unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert_ne!(copy.param("database.uuid"), source.param("database.uuid"));
    // The full filestore: the original's files, and the platform's new ones.
    let mut expected = files_before.clone();
    expected.extend(new_files("18.0").iter().map(|(_, content)| sha1_name(content)));
    expected.sort();
    let mut got = files_under(&env.filestore(&copy.name));
    got.sort();
    assert_eq!(got, expected);

    // What odoodb sent, and how.
    let upgrade = standin.wait_upgrade(Duration::from_secs(30));
    assert!(upgrade.scratch_dropped);
    assert!(standin.uploads().iter().any(|files| files.iter().any(|f| f == "toc.dat")));
    let create = standin.seen().into_iter().find(|s| s.path == "/upgrade/request/create").unwrap();
    let key = create.json()["params"]["ssh_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("ssh-ed25519 "), "a fresh ed25519 key: {key}");
    let state = env.home.join(".local/state/odoodb/upgrade");
    let private = state.join(format!("{}-test.key", source.name));
    assert_eq!(mode(&private), 0o600);
    assert_eq!(
        std::fs::read_to_string(state.join(format!("{}-test.key.pub", source.name))).unwrap(),
        key
    );
    assert_eq!(mode(&state.join(format!("{}-test.json", source.name))), 0o600);

    // The original, byte for byte.
    assert_eq!(checksums(&source.name), before);
    assert_eq!(files_under(&env.filestore(&source.name)), files_before);
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());

    let status = env
        .cmd()
        .args(["upgrade", "status", &source.name, "--upgrade-ca"])
        .arg(&standin.ca)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", text(&status.stderr));
    assert!(text(&status.stdout).contains("done"), "{}", text(&status.stdout));
}

#[test]
fn a_cut_upload_is_resumed_by_rsync_and_the_upgrade_goes_on() {
    let script = Script { fault: Fault::CutUpload(3000), ..Script::default() };
    let Some(standin) = StandIn::with_data_server(script) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_cut");
    let copy = PgTestDb::reserve("upl_cut_copy");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name])
        .args(standin.product_args("0.2"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let uploads = standin
        .data_server()
        .commands()
        .iter()
        .filter(|c| c.contains("rsync --server") && !c.contains("--sender"))
        .count();
    assert!(uploads >= 2, "the cut upload was tried again: {uploads}");
    assert!(database_exists(&copy.name));
}

#[test]
fn an_unknown_host_key_is_refused_and_nothing_is_sent() {
    let script = Script { fault: Fault::WrongHostKey, ..Script::default() };
    let Some(standin) = StandIn::with_data_server(script) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_mitm");
    let copy = PgTestDb::reserve("upl_mitm_copy");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name])
        .args(standin.product_args("0.2"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("host key"), "{stderr}");
    assert!(standin.uploads().is_empty(), "nothing reached the server");
    assert!(!database_exists(&copy.name));
    no_secret(&output);
}

#[test]
fn failed_and_cancelled_upgrades_make_no_copy_and_say_why() {
    for (outcome, word) in [
        (Outcome::Failed("Module sale_custom: column x does not exist".into()), "failed"),
        (Outcome::Cancelled("cancelled by Odoo support".into()), "cancelled"),
    ] {
        let script = Script { outcome: outcome.clone(), ..Script::default() };
        let Some(standin) = StandIn::with_data_server(script) else { return };
        let env = TestEnv::new();
        let source = fixtures::modern(&env, "upl_fail");
        let copy = PgTestDb::reserve("upl_fail_copy");
        let output = env
            .cmd()
            .args(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name])
            .args(standin.product_args("0.2"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{word}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(&format!("was {word}")), "{stderr}");
        let reason = match &outcome {
            Outcome::Failed(r) | Outcome::Cancelled(r) => r.clone(),
            Outcome::Done => unreachable!(),
        };
        assert!(stderr.contains(&reason), "the platform's reason is shown: {stderr}");
        assert!(!database_exists(&copy.name));
        assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
    }
}

#[test]
fn an_old_postgresql_downloads_the_result_and_says_so() {
    let script = Script { pg_compatible: false, ..Script::default() };
    let Some(standin) = StandIn::with_data_server(script) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_oldpg");
    let copy = PgTestDb::reserve("upl_oldpg_copy");
    let work = env.root.join("work");
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name])
        .args(standin.product_args("0.2"))
        .arg("--work-dir")
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("too old"), "{stderr}");
    assert!(work.join("result/upgraded.dump/toc.dat").is_file(), "the result is downloaded");
    assert!(stderr.contains(&work.join("result/upgraded.dump").display().to_string()), "{stderr}");
    assert!(!database_exists(&copy.name));
}

#[test]
fn a_refused_request_costs_no_dump_and_changes_nothing() {
    let Some(standin) = StandIn::with_data_server(Script::default()) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_refused");
    let work = env.root.join("work");
    let mut args = standin.product_args("0.2");
    args[1] = "M-WRONG-CONTRACT".into();
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "-t", "18.0"])
        .args(args)
        .arg("--work-dir")
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("Unable to find a valid subscription"));
    assert!(!text(&output.stderr).contains("M-WRONG-CONTRACT"));
    assert!(!work.join("origin.dump").exists(), "no dump was made");
    assert!(databases_like(&format!("{}_test", source.name)).is_empty());
}

#[test]
fn an_interrupted_test_upgrade_is_resumed_where_the_platform_is() {
    let script = Script { work_time: Duration::from_secs(4), ..Script::default() };
    let Some(standin) = StandIn::with_data_server(script) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_resume");
    let copy = PgTestDb::reserve("upl_resume_copy");
    let mut args: Vec<std::ffi::OsString> =
        ["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name]
            .iter()
            .map(Into::into)
            .collect();
    args.extend(standin.product_args("0.2"));
    let child = env.spawn(&args, |_| {});
    standin.wait_status("progress");
    child.signal(nix::sys::signal::Signal::SIGINT);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(!database_exists(&copy.name));
    let uploads = standin.uploads().len();

    let output = env
        .cmd()
        .args(["upgrade", "resume", &source.name, "--poll-interval", "0.2", "--upgrade-ca"])
        .arg(&standin.ca)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(standin.uploads().len(), uploads, "no second upload: the platform had it");
    assert_eq!(
        copy.scalar_string("SELECT latest_version FROM ir_module_module WHERE name = 'base'"),
        Some(upgraded_base_version("18.0"))
    );
    assert_eq!(leftovers(&env, &copy.name), Vec::<String>::new());
    let again = env
        .cmd()
        .args(["upgrade", "resume", &source.name, "--upgrade-ca"])
        .arg(&standin.ca)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already finished"));
}

fn production_args(env: &TestEnv, standin: &StandIn, db: &str) -> Vec<std::ffi::OsString> {
    let backups = env.root.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let mut args: Vec<std::ffi::OsString> =
        ["--yes", "upgrade", "production", db, "-t", "18.0", "--json", "--backup-dir"]
            .iter()
            .map(Into::into)
            .collect();
    args.push(backups.into());
    args.extend(standin.product_args("0.2"));
    args
}

#[test]
fn production_through_the_platform_swaps_and_keeps_the_original() {
    let Some(standin) = StandIn::with_data_server(Script::default()) else { return };
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upl_prod");
    let before = checksums(&db.name);
    let files_before = files_under(&env.filestore(&db.name));
    let uuid = db.param("database.uuid");
    let output = env.cmd().args(production_args(&env, &standin, &db.name)).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    no_secret(&output);
    let report = json(&output);
    let kept = report["kept_as"].as_str().unwrap().to_string();
    assert_eq!(
        db.scalar_string(&format!("SELECT target FROM {MARKER_TABLE}")),
        Some("18.0".into())
    );
    assert_eq!(db.param("database.uuid"), uuid, "production keeps its identity");
    assert_eq!(checksums(&kept), before);
    assert_eq!(files_under(&env.filestore(&kept)), files_before);
    assert!(files_under(&env.filestore(&db.name)).len() == files_before.len() + 2);
    assert!(allows_connections(&db.name) && !allows_connections(&kept), "the twin is closed");
    let verify = env
        .cmd()
        .args(["backup", "--verify", report["backup"].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());

    // And back: the original is production again, rows and files; the upgrade set aside.
    let rollback = ["--yes", "upgrade", "rollback", &db.name, "--json"];
    let back = env.cmd().args(rollback).output().unwrap();
    assert!(back.status.success(), "{}", text(&back.stderr));
    let aside = json(&back)["aside"].as_str().unwrap().to_string();
    assert_eq!(checksums(&db.name), before, "the original is back");
    assert_eq!(files_under(&env.filestore(&db.name)), files_before);
    assert!(allows_connections(&db.name) && !allows_connections(&aside));
    assert_eq!(files_under(&env.filestore(&aside)).len(), files_before.len() + 2);
    assert_eq!(leftovers(&env, &db.name), Vec::<String>::new());
    crate::support::drop_database(&aside);
}

#[test]
fn every_platform_failure_in_production_puts_the_original_back() {
    let cases = [
        (
            Script {
                outcome: Outcome::Failed("upgrade script crashed".into()),
                ..Script::default()
            },
            GOOD_CONTRACT,
        ),
        (
            Script { outcome: Outcome::Cancelled("cancelled".into()), ..Script::default() },
            GOOD_CONTRACT,
        ),
        (Script { fault: Fault::WrongHostKey, ..Script::default() }, GOOD_CONTRACT),
        (Script { pg_compatible: false, ..Script::default() }, GOOD_CONTRACT),
        // create, status, transfer/start, then the server is gone.
        (Script { fault: Fault::VanishAfter(3), ..Script::default() }, GOOD_CONTRACT),
        (Script { fault: Fault::Malformed, ..Script::default() }, GOOD_CONTRACT),
        (Script { fault: Fault::Slow(Duration::from_secs(8)), ..Script::default() }, GOOD_CONTRACT),
        (Script::default(), "M-NOT-A-CONTRACT"),
    ];
    for (script, contract) in cases {
        let what =
            format!("{:?}/{:?}/{}/{contract}", script.fault, script.outcome, script.pg_compatible);
        let Some(standin) = StandIn::with_data_server(script) else { return };
        let env = TestEnv::new();
        let db = fixtures::modern(&env, "upl_prod_fail");
        let before = checksums(&db.name);
        let files_before = files_under(&env.filestore(&db.name));
        let mut args = production_args(&env, &standin, &db.name);
        args.extend(["--upgrade-timeout".into(), "5".into()]);
        let at = args.iter().position(|a| a == "--contract").unwrap();
        args[at + 1] = contract.into();
        let output = env.cmd().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{what}: {}", text(&output.stderr));
        let stderr = text(&output.stderr);
        // A request that was never made changed nothing; one that was is put back.
        let requested = standin.seen().iter().any(|s| s.path == "/upgrade/request/transfer/start");
        assert!(!requested || stderr.contains("back as it was"), "{what}: {stderr}");
        assert_eq!(checksums(&db.name), before, "{what}");
        assert_eq!(files_under(&env.filestore(&db.name)), files_before, "{what}");
        assert!(allows_connections(&db.name), "{what}");
        assert!(databases_like(&format!("{}_pre_", db.name)).is_empty(), "{what}");
        assert_eq!(leftovers(&env, &db.name), Vec::<String>::new(), "{what}");
        no_secret(&output);
    }
}

#[test]
fn a_second_request_for_the_same_database_waits_for_the_first() {
    let script = Script { work_time: Duration::from_secs(3), ..Script::default() };
    let Some(standin) = StandIn::with_data_server(script) else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "upl_twice");
    let copy = PgTestDb::reserve("upl_twice_copy");
    let mut args: Vec<std::ffi::OsString> =
        ["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name]
            .iter()
            .map(Into::into)
            .collect();
    args.extend(standin.product_args("0.2"));
    let first = env.spawn(&args, |_| {});
    standin.wait_status("progress");
    let key = env.home.join(format!(".local/state/odoodb/upgrade/{}-test.key", source.name));
    let key_before = std::fs::read(&key).unwrap();
    let second =
        env.cmd().args(&args).arg("--work-dir").arg(env.root.join("other-work")).output().unwrap();
    assert_eq!(second.status.code(), Some(1));
    assert!(text(&second.stderr).contains("already working on the test upgrade request"));
    assert_eq!(std::fs::read(&key).unwrap(), key_before, "the first run's key is untouched");
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(database_exists(&copy.name));
}

#[test]
fn a_real_odoo_17_database_through_the_platform() {
    use crate::support::fixtures::Real;
    let Some(standin) = StandIn::with_data_server(Script::default()) else { return };
    let env = TestEnv::new();
    let Some(source) = fixtures::real(&env, Real::Odoo17, "upl_real17") else { return };
    let copy = PgTestDb::reserve("upl_real17_copy");
    let before = checksums(&source.name);
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "-t", "18.0", "--name", &copy.name])
        .args(standin.product_args("0.2"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    no_secret(&output);
    assert_eq!(
        copy.scalar_string(&format!("SELECT target FROM {MARKER_TABLE}")),
        Some("18.0".into())
    );
    let check = env.cmd().args(["neutralize", &copy.name, "--check"]).output().unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
    let mut expected = files_under(&env.filestore(&source.name));
    expected.extend(new_files("18.0").iter().map(|(_, content)| sha1_name(content)));
    expected.sort();
    let mut got = files_under(&env.filestore(&copy.name));
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(checksums(&source.name), before);
}
