//! `odoodb upgrade check|status|log` against the real Odoo 17 fixture and a stand-in of the
//! upgrade platform (HTTPS on 127.0.0.1, failing in every way the real one can).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use odoodb::upgrade::Secret;
use odoodb::upgrade::platform::{Aim, Options, Platform, Transfer};
use odoodb::upgrade::state::{self, RequestState};
use pretty_assertions::assert_eq;

use crate::support::fixtures::{self, Real};
use crate::support::platform::{Fault, GOOD_CONTRACT, Script, StandIn, TOKEN};
use crate::support::text;
use crate::support::{TestEnv, json};

const DB: &str = "prod_db";

/// A request stored as `upgrade test` stores it, pointing at the stand-in.
fn store_request(env: &TestEnv, standin: &StandIn) {
    let dir = env.home.join(".local/state/odoodb/upgrade");
    let request = RequestState {
        db: DB.into(),
        aim: Aim::Test,
        target: "18.0".into(),
        server: standin.url.clone(),
        request_id: 4242,
        token: TOKEN.into(),
        host: standin.host.clone(),
        private_key: env.home.join("key"),
        public_key: env.home.join("key.pub"),
        phase: "processing".into(),
        names: std::collections::BTreeMap::new(),
        work_dir: None,
        data_server_user: None,
        data_server_path: None,
        replace: false,
        created_at: chrono_now(),
    };
    state::save(&dir, &request).unwrap();
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn run(env: &TestEnv, standin: &StandIn, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(["upgrade"])
        .args(args)
        .arg("--upgrade-ca")
        .arg(&standin.ca)
        .args(["--upgrade-timeout", "2"])
        .output()
        .unwrap()
}

fn no_secret(output: &std::process::Output) {
    for secret in [GOOD_CONTRACT, TOKEN] {
        assert!(!text(&output.stdout).contains(secret), "{secret} on stdout");
        assert!(!text(&output.stderr).contains(secret), "{secret} on stderr");
    }
}

#[test]
fn status_shows_the_platforms_view() {
    let env = TestEnv::new();
    let standin =
        StandIn::start(Script { statuses: vec![("progress".into(), None)], ..Script::default() });
    store_request(&env, &standin);
    let output = run(&env, &standin, &["status", DB, "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let doc = json(&output);
    assert_eq!(doc["status"], "progress");
    assert_eq!(doc["request_id"], 4242);
    no_secret(&output);
    // The wire: JSON-RPC 2.0 with the official client's envelope and header.
    let seen = standin.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/upgrade/request/status");
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    let body = seen[0].json();
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["method"], "not_used");
    assert_eq!(body["id"], "not_used");
    assert_eq!(body["params"]["token"], TOKEN);
}

#[test]
fn failed_and_cancelled_requests_are_errors_with_the_reason() {
    for (status, reason) in [
        ("failed", "Upgrade script of module sale crashed"),
        ("cancelled", "Cancelled by Odoo support"),
    ] {
        let env = TestEnv::new();
        let standin = StandIn::start(Script {
            statuses: vec![(status.into(), Some(reason.into()))],
            ..Script::default()
        });
        store_request(&env, &standin);
        let output = run(&env, &standin, &["status", DB]);
        assert_eq!(output.status.code(), Some(1), "{status}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&format!("the upgrade request was {status}: {reason}")),
            "{stderr}"
        );
        assert!(text(&output.stdout).contains(status));
    }
}

#[test]
fn every_platform_failure_is_one_clear_line() {
    let cases: Vec<(Fault, &str)> = vec![
        (Fault::Http500, "answered HTTP 500 Internal Server Error to status"),
        (Fault::Malformed, "answer to status is malformed: not JSON"),
        (Fault::Slow(Duration::from_secs(6)), "did not answer within 2 s during status"),
        (Fault::VanishAfter(0), "during status"),
    ];
    for (fault, expected) in cases {
        let env = TestEnv::new();
        let standin = StandIn::start(Script { fault: fault.clone(), ..Script::default() });
        store_request(&env, &standin);
        let started = Instant::now();
        let output = run(&env, &standin, &["status", DB]);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{fault:?} took {:?}",
            started.elapsed()
        );
        assert_eq!(output.status.code(), Some(1), "{fault:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(expected), "{fault:?}: {stderr}");
        assert_eq!(stderr.lines().filter(|l| l.starts_with("error:")).count(), 1, "{stderr}");
        assert!(output.stdout.is_empty());
        no_secret(&output);
    }
}

#[test]
fn tls_is_verified_without_the_ca() {
    let env = TestEnv::new();
    let standin = StandIn::start(Script::default());
    store_request(&env, &standin);
    let output = env.cmd().args(["upgrade", "status", DB]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("cannot be reached"), "{stderr}");
    assert!(standin.seen().is_empty(), "a request went through an unverified connection");
}

#[test]
fn without_a_stored_request_it_says_where_it_looked() {
    let env = TestEnv::new();
    let output = env.cmd().args(["upgrade", "log", DB]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let looked = env.home.join(".local/state/odoodb/upgrade").join(format!("{DB}-test.json"));
    assert!(stderr.contains(&looked.display().to_string()), "{stderr}");
    assert!(stderr.contains("no upgrade request is stored"), "{stderr}");
}

/// A log with multi-byte characters, served 5 bytes at a time, so characters split.
fn utf8_log() -> Vec<u8> {
    "2025-01-01 INFO odoo: Mise à jour → 18.0 ✓\nmodule « sale » migré 🙂\nfin\n"
        .as_bytes()
        .to_vec()
}

#[test]
fn log_reads_every_byte_once_across_split_characters() {
    let env = TestEnv::new();
    let log = utf8_log();
    let standin = StandIn::start(Script { log: log.clone(), chunk: 5, ..Script::default() });
    store_request(&env, &standin);
    let output = run(&env, &standin, &["log", DB]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(output.stdout, log);
    // Each range starts exactly after the last byte read: nothing re-read, nothing skipped.
    let ranges: Vec<String> = standin
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/upgrade/request/logs"))
        .map(|s| s.header("range").unwrap().to_string())
        .collect();
    let expected: Vec<String> =
        (0..=log.len().div_ceil(5)).map(|i| format!("bytes={}-", (i * 5).min(log.len()))).collect();
    assert_eq!(ranges, expected);
}

#[test]
fn log_follow_ends_with_the_request() {
    let env = TestEnv::new();
    let log = utf8_log();
    let standin = StandIn::start(Script {
        log: log.clone(),
        chunk: 7,
        statuses: vec![("progress".into(), None), ("progress".into(), None), ("done".into(), None)],
        ..Script::default()
    });
    store_request(&env, &standin);
    let output = run(&env, &standin, &["log", DB, "-f"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(output.stdout, log);

    let failing = StandIn::start(Script {
        log: b"upgrading\n".to_vec(),
        statuses: vec![
            ("progress".into(), None),
            ("failed".into(), Some("Missing module x".into())),
        ],
        ..Script::default()
    });
    store_request(&env, &failing);
    let output = run(&env, &failing, &["log", DB, "--follow", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["log"], "upgrading\n");
    assert!(text(&output.stderr).contains("was failed: Missing module x"));
}

#[test]
fn log_follow_stops_at_ctrl_c_with_130() {
    let env = TestEnv::new();
    let standin = StandIn::start(Script { log: b"still going\n".to_vec(), ..Script::default() });
    store_request(&env, &standin);
    let child = env.spawn(["upgrade", "log", DB, "-f", "--upgrade-ca"], |c| {
        c.arg(&standin.ca).stdout(std::process::Stdio::piped());
    });
    // Wait until it is following (it has asked for the status at least once).
    let deadline = Instant::now() + Duration::from_secs(20);
    while !standin.seen().iter().any(|s| s.path == "/upgrade/request/status") {
        assert!(Instant::now() < deadline, "the log was never followed");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.signal(nix::sys::signal::Signal::SIGINT);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "still going\n");
}

fn options(standin: &StandIn, timeout: Duration) -> Options {
    Options { server: standin.url.clone(), ca: Some(standin.ca.clone()), timeout }
}

#[tokio::test]
async fn the_client_speaks_protocol_0_2() {
    let standin = StandIn::start(Script { pg_compatible: false, ..Script::default() });
    let platform = Platform::new(&options(&standin, Duration::from_secs(5))).unwrap();
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 odoodb\n";
    let created =
        platform.create(&Secret::new(GOOD_CONTRACT), "18.0", Aim::Test, key, &[]).await.unwrap();
    assert_eq!(created.request_id, 4242);
    assert_eq!(created.assigned_host_uri, standin.host);
    let body = standin.seen()[0].json();
    assert_eq!(
        body["params"],
        serde_json::json!({"contract": GOOD_CONTRACT, "target": "18.0", "aim": "test",
            "actuator": "cli", "env_vars": [], "ssh_key": key, "api_version": "0.2"})
    );
    let host = platform.at_host(&created.assigned_host_uri).unwrap();
    let upload = host.transfer_start(&created.token, Transfer::Upload).await.unwrap();
    assert_eq!(upload.ssh_port, 2222);
    let download = host.transfer_start(&created.token, Transfer::Download).await.unwrap();
    assert_eq!(download.dump_name.as_deref(), Some("upgraded.dump"));
    host.transfer_stop(&created.token).await.unwrap();
    assert!(!host.process(&created.token).await.unwrap(), "is_pg_version_compatible false");
    let paths: Vec<String> = standin.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/upgrade/request/create",
            "/upgrade/request/transfer/start",
            "/upgrade/request/transfer/start",
            "/upgrade/request/transfer/stop",
            "/upgrade/request/process"
        ]
    );
}

#[tokio::test]
async fn refused_requests_carry_the_platforms_message_not_the_contract() {
    let standin = StandIn::start(Script::default());
    let platform = Platform::new(&options(&standin, Duration::from_secs(5))).unwrap();
    let bad = "M-WRONG-CONTRACT-123";
    let error =
        platform.create(&Secret::new(bad), "18.0", Aim::Test, "k\n", &[]).await.unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("refused create: Unable to find a valid subscription"), "{message}");
    assert!(!message.contains(bad));
    let error = platform
        .create(&Secret::new(GOOD_CONTRACT), "19.5", Aim::Production, "k\n", &[])
        .await
        .unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("The target version 19.5 is not supported"), "{message}");
    assert!(!message.contains(GOOD_CONTRACT));
    assert!(
        Platform::new(&Options {
            server: "http://upgrade.odoo.com".into(),
            ca: None,
            timeout: Duration::from_secs(1)
        })
        .is_err()
    );
}

/// A folder of fake programs put first on PATH (rsync may be missing on the test machine).
fn fake_rsync(env: &TestEnv) -> String {
    let bin = env.root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let rsync = bin.join("rsync");
    std::fs::write(&rsync, "#!/bin/sh\necho 'rsync  version 3.2.7  protocol version 31'\n")
        .unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&rsync).unwrap().permissions(),
        0o755,
    );
    std::fs::set_permissions(&rsync, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// What Odoo's upgrade to 18.0 does to the fixture's modules that 18.0's code lacks (the
/// fixture is a plain 17.0 Community database: sales, purchase, stock, website shop).
const CHANGED_IN_18: [(&str, &str, Option<&str>); 6] = [
    ("account_payment_term", "merged", Some("account")),
    ("sale_product_configurator", "merged", Some("sale")),
    ("spreadsheet_dashboard_purchase", "removed", None),
    ("spreadsheet_dashboard_purchase_stock", "removed", None),
    ("website_sale_picking", "renamed", Some("website_sale_collect")),
    ("website_sale_product_configurator", "merged", Some("website_sale")),
];

/// An addons path shaped like 18.0's code plus only some of the custom ones: the installed
/// modules but those Odoo's upgrade changes (with their successors) and every fourth one.
fn partial_addons(env: &TestEnv, installed: &[String]) -> (PathBuf, Vec<String>) {
    let addons = env.root.join("addons18");
    let changed = |module: &str| CHANGED_IN_18.iter().any(|(name, _, _)| *name == module);
    let mut missing = Vec::new();
    let successors = CHANGED_IN_18.iter().filter_map(|(_, _, into)| *into);
    for (index, module) in installed.iter().map(String::as_str).chain(successors).enumerate() {
        if changed(module) {
            continue;
        }
        if index % 4 == 1 && index < installed.len() {
            missing.push(module.to_string());
            continue;
        }
        let dir = addons.join(module);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("__manifest__.py"), "{'name': 'x'}\n").unwrap();
    }
    (addons, missing)
}

fn python_literal(path: &Path) -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import ast,sys; m = ast.literal_eval(open(sys.argv[1]).read()); assert m['installable'] is True"])
        .arg(path)
        .status()
        .unwrap()
        .success()
}

#[test]
fn check_on_real_odoo17_finds_missing_modules_and_writes_stubs() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo17, "upgrade_check") else { return };
    let installed: Vec<String> = db
        .client()
        .query(
            "SELECT name::text FROM ir_module_module WHERE state IN ('installed','to upgrade','to remove') ORDER BY name",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let (addons, missing) = partial_addons(&env, &installed);
    assert!(!missing.is_empty());
    let path = fake_rsync(&env);
    let check = |extra: &[&str]| {
        env.cmd()
            .env("PATH", &path)
            .args(["upgrade", "check", &db.name, "--target", "18.0", "--work-dir"])
            .arg(&env.root)
            .arg("--addons-path")
            .arg(&addons)
            .args(extra)
            .output()
            .unwrap()
    };

    // Missing modules block; the contract is never shown.
    let output = check(&["--contract", GOOD_CONTRACT, "--json"]);
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    let doc = json(&output);
    assert_eq!(doc["current_version"], "17.0");
    assert_eq!(doc["contract_source"], "--contract");
    assert_eq!(doc["missing_modules"], serde_json::json!(missing));
    // Odoo's own changes are not missing modules.
    let changes: Vec<(&str, &str, Option<&str>)> = doc["module_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["module"].as_str().unwrap(), c["change"].as_str().unwrap(), c["into"].as_str()))
        .collect();
    assert_eq!(changes, CHANGED_IN_18);
    let blockers: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["level"] == "blocker")
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(blockers, ["modules"], "{doc:#}");
    no_secret(&output);

    // With --write-stubs: one installable empty module per missing one, and no blocker left.
    let stubs = env.root.join("stubs");
    let output = check(&["--contract", GOOD_CONTRACT, "--write-stubs", stubs.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("stubs are in"));
    let mut written: Vec<String> = std::fs::read_dir(&stubs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, missing);
    for module in &missing {
        let manifest = stubs.join(module).join("__manifest__.py");
        assert!(
            python_literal(&manifest),
            "{} is not a Python literal manifest",
            manifest.display()
        );
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.contains("\"version\": \"18.0.1.0\""), "{text}");
        assert!(text.contains("\"license\": \"LGPL-3\""), "{text}");
        assert_eq!(std::fs::read(stubs.join(module).join("__init__.py")).unwrap(), b"");
    }

    // A community database without a contract: its path is OpenUpgrade, said as a blocker.
    let output = check(&["--write-stubs", stubs.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(4));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("OpenUpgrade"), "{stdout}");

    // A target that is not newer, and one that is not a version.
    let output = check(&["--contract", GOOD_CONTRACT, "--target", "17.0"]);
    assert_eq!(output.status.code(), Some(2), "--target twice is a usage error");
    let output = env
        .cmd()
        .env("PATH", &path)
        .args(["upgrade", "check", &db.name, "--target", "16.0", "--contract", "x", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(text(&output.stdout).contains("16.0 is not newer than the database's 17.0"));
    // The table's headers are uppercase, as every other table's.
    let output = env
        .cmd()
        .env("PATH", &path)
        .args(["upgrade", "check", &db.name, "--target", "16.0", "--contract", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let table = text(&output.stdout);
    let header: Vec<&str> = table.lines().next().unwrap_or_default().split_whitespace().collect();
    assert_eq!(header, ["CHECK", "RESULT", "DETAIL"], "{table}");
    let output = env.cmd().args(["upgrade", "check", &db.name, "--target", "18"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("\"18\" is not an Odoo version"));
}
