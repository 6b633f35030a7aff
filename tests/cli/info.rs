use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, Server, TestEnv, json};

#[test]
fn shows_identity_mail_crons_and_filestore_health() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "info_modern");
    let output = env.cmd().args(["info", &db.name, "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let info = json(&output);
    assert_eq!(info["version"], "17.0");
    assert_eq!(info["module_version"], "17.0.1.3");
    assert_eq!(info["modules_installed"], 7);
    assert!(info.get("modules").is_none(), "module list only with --modules");
    assert_eq!(info["uuid"].as_str(), db.param("database.uuid").as_deref());
    assert_eq!(info["enterprise_code_present"], true);
    assert_eq!(info["base_url"], "https://erp.example.com");
    assert_eq!(info["outgoing_mail_servers"], serde_json::json!({"active": 2, "archived": 1}));
    assert_eq!(info["incoming_mail_servers"], serde_json::json!({"active": 1, "archived": 0}));
    assert_eq!(info["crons"]["active"], db.scalar_i64("SELECT count(*) FROM ir_cron WHERE active"));
    assert_eq!(info["attachments"], serde_json::json!({"in_filestore": 2, "in_database": 1}));
    assert_eq!(info["filestore"]["files"], 2);
    assert_eq!(info["filestore"]["missing_files"], serde_json::json!([]));
    assert_eq!(info["neutralized"], false);
    let code = db.param("database.enterprise_code").unwrap();
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains(&code),
        "the enterprise code is never printed"
    );

    let human = env.cmd().args(["info", &db.name]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("present (not shown)") && !text.contains(&code), "{text}");
}

#[test]
fn filestore_health_counts_missing_and_unreferenced_files() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "info_health");
    let gone = db.add_attachment(&env, "gone.bin", b"this file will vanish");
    std::fs::remove_file(env.filestore(&db.name).join(&gone)).unwrap();
    let stray = env.add_file(&db.name, b"no attachment points here");
    let info = json(&env.cmd().args(["info", &db.name, "--json"]).output().unwrap());
    assert_eq!(info["filestore"]["missing_files"], serde_json::json!([gone]));
    assert_eq!(info["filestore"]["unreferenced_files"], serde_json::json!([stray]));
}

#[test]
fn lists_modules_and_who_is_connected() {
    let env = TestEnv::new();
    let db = fixtures::legacy(&env, "info_sessions");
    let server = Server::get();
    let mut config = postgres::Config::new();
    config
        .host_path(&server.host)
        .port(server.port)
        .user(&server.user)
        .dbname(&db.name)
        .application_name("odoo-worker-7");
    let _session = config.connect(postgres::NoTls).unwrap();

    let info = json(&env.cmd().args(["info", &db.name, "--modules", "--json"]).output().unwrap());
    let names: Vec<&str> =
        info["modules"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["base", "fetchmail", "mail", "payment", "web"]);
    let sessions = info["sessions"].as_array().unwrap();
    assert!(sessions.iter().any(|s| s["application"] == "odoo-worker-7"), "{sessions:?}");
    assert_eq!(sessions.len(), 1, "odoodb's own session is not one of the database's users");
    assert_eq!(info["version"], "15.0");
}

#[test]
fn refuses_unknown_invalid_and_non_odoo_databases() {
    let env = TestEnv::new();
    let missing = PgTestDb::reserve("info_missing");
    env.cmd().args(["info", &missing.name]).assert().code(1).stderr(
        predicates::str::contains("does not exist")
            .and(predicates::str::contains("hint: `odoodb list`")),
    );
    // A name Odoo's rule would refuse may still exist (made by hand): it is looked up, not refused.
    env.cmd()
        .args(["info", "bad name"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("does not exist"));
    env.cmd()
        .args(["info", "../etc"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used as a filestore folder name"));
    env.cmd()
        .args(["info", "template1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("system database"));
    let plain = PgTestDb::empty("info_plain");
    env.cmd()
        .args(["info", &plain.name])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is not an Odoo database"));
}

use predicates::prelude::PredicateBooleanExt as _;

#[test]
fn real_odoo_databases_report_true_figures() {
    for version in [Real::Odoo17, Real::Odoo15] {
        let env = TestEnv::new();
        let Some(db) = fixtures::real(&env, version, "info_real") else { return };
        let info = json(&env.cmd().args(["info", &db.name, "--json"]).output().unwrap());
        let (modules, markers, unreferenced, in_filestore) = match version {
            Real::Odoo17 => (89, 592, 9, 882),
            Real::Odoo15 => (71, 227, 10, 446),
        };
        assert_eq!(info["modules_installed"], modules);
        assert_eq!(info["attachments"]["in_filestore"], in_filestore);
        assert_eq!(info["filestore"]["checklist_markers"], markers);
        assert_eq!(info["filestore"]["unreferenced_files"].as_array().unwrap().len(), unreferenced);
        assert_eq!(info["filestore"]["missing_files"], serde_json::json!([]));
        assert_eq!(info["uuid"].as_str(), db.param("database.uuid").as_deref());
        assert_eq!(info["outgoing_mail_servers"]["active"], 2);

        let victim = db.scalar_string("SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL ORDER BY id LIMIT 1").unwrap();
        std::fs::remove_file(env.filestore(&db.name).join(&victim)).unwrap();
        let after = json(&env.cmd().args(["info", &db.name, "--json"]).output().unwrap());
        assert_eq!(after["filestore"]["missing_files"], serde_json::json!([victim]));
    }
}
