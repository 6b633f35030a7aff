//! What Odoo's own neutralize.sql misses: OCA queue_job's queue, automation rules that reach
//! outside (15–16, 17–18 and 19 shapes), incoming webhook secrets, the frozen base URL, and
//! parameters that look like credentials.

use serde_json::Value;

use crate::neutralize::fingerprint;
use crate::support::fixtures::{self, LEGACY_SQL, MODERN_SQL, Real};
use crate::support::{PgTestDb, TestEnv, json};

const EXTRAS_SQL: &str = include_str!("../fixtures/neutralize-extras.sql");
const AUTOMATION_15_SQL: &str = include_str!("../fixtures/automation-15.sql");
const AUTOMATION_17_SQL: &str = include_str!("../fixtures/automation-17.sql");

/// The values of the credentials in `neutralize-extras.sql`: never printed.
const SECRET_VALUES: &[&str] =
    &["prod-connector-token-9f8e", "prod-bridge-password", "BEGIN PRIVATE KEY"];
const SECRET_KEYS: &[&str] =
    &["my_connector.api_token", "shipping_bridge.password", "x_erp_sync.private_key"];

/// Odoo 19 links a `multi` action's children by `ir_act_server.parent_id`, not a table.
const TO_19_SQL: &str = "ALTER TABLE ir_act_server ADD COLUMN parent_id integer \
       REFERENCES ir_act_server (id) ON DELETE CASCADE; \
     UPDATE ir_act_server c SET parent_id = r.server_id FROM rel_server_actions r \
      WHERE r.action_id = c.id; \
     DROP TABLE rel_server_actions;";

fn v17(tag: &str) -> PgTestDb {
    PgTestDb::from_sql(tag, &format!("{MODERN_SQL}\n{EXTRAS_SQL}\n{AUTOMATION_17_SQL}"))
}

fn v15(tag: &str) -> PgTestDb {
    PgTestDb::from_sql(tag, &format!("{LEGACY_SQL}\n{EXTRAS_SQL}\n{AUTOMATION_15_SQL}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn step<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()
}

/// The live count of one action of a step, found by the start of its text.
fn live(report: &Value, id: &str, what: &str) -> i64 {
    step(report, id)["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["what"].as_str().unwrap().starts_with(what))
        .unwrap_or_else(|| panic!("{id}: no action {what}: {report}"))["live"]
        .as_i64()
        .unwrap()
}

fn finding_steps(report: &Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["step"].to_string()).collect()
}

/// The active rules, by name, in id order.
fn active_rules_17(db: &PgTestDb) -> String {
    db.scalar_string(
        "SELECT string_agg(name ->> 'en_US', ', ' ORDER BY id) FROM base_automation WHERE active",
    )
    .unwrap_or_default()
}

#[test]
fn dry_run_counts_and_check_finds_without_changing_anything() {
    let env = TestEnv::new();
    let db = v17("nzx_plan17");
    let before = fingerprint(&db);

    let output = env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(live(&report, "queue-jobs", "queue_job jobs pending"), 4);
    // Order confirmed (mail_post beside a code action), Call the ERP (webhook), Notify everyone
    // (a multi whose child texts); not Compute priority (code), the incoming webhook's rule
    // (code), nor the archived one.
    assert_eq!(live(&report, "automations", "active automation rules"), 3);
    assert_eq!(live(&report, "automations", "base_automation.webhook_uuid"), 6);
    assert_eq!(live(&report, "unknown-secrets", "parameters that look like credentials"), 3);
    assert_eq!(step(&report, "unknown-secrets")["status"], "report-only");
    assert_eq!(fingerprint(&db), before, "a dry run changes nothing");

    let human = env.cmd().args(["neutralize", &db.name, "--dry-run", "-v"]).output().unwrap();
    let out = text(&human.stdout);
    for key in SECRET_KEYS {
        assert!(out.contains(key), "{key} named in the plan: {out}");
    }
    assert!(out.contains("reported only: --clear-unknown-secrets clears them"), "{out}");

    let check = env.cmd().args(["neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    let (out, err) = (text(&check.stdout), text(&check.stderr));
    for id in ["queue-jobs", "automations", "unknown-secrets"] {
        assert!(out.contains(id), "{id} in the check: {out}");
    }
    for key in SECRET_KEYS {
        assert!(out.contains(key), "{out}");
    }
    for value in SECRET_VALUES {
        assert!(!out.contains(value) && !err.contains(value), "a value was printed: {out}{err}");
    }
    for setting in ["password.hashing.rounds", "portal.allow_api_keys", "mail.chat_from_token"] {
        assert!(!out.contains(setting), "{setting} is a setting, not a credential: {out}");
    }
    assert!(!out.contains("my_connector.token_enabled") && !out.contains("old_module.secret"));
    let json_check =
        env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    let json_text = text(&json_check.stdout);
    assert!(SECRET_VALUES.iter().all(|v| !json_text.contains(v)), "{json_text}");
    assert_eq!(fingerprint(&db), before, "a check changes nothing");
}

#[test]
fn neutralize_cancels_jobs_switches_rules_off_and_renews_webhook_uuids() {
    let env = TestEnv::new();
    let db = v17("nzx_apply17");
    let uuids =
        db.scalar_string("SELECT string_agg(webhook_uuid, ',' ORDER BY id) FROM base_automation");

    let output = env
        .cmd()
        .args(["neutralize", &db.name, "--yes", "--json", "--clear-unknown-secrets"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(step(&report, "queue-jobs")["changed"], 4);
    assert_eq!(step(&report, "automations")["changed"], 9);
    assert_eq!(step(&report, "unknown-secrets")["changed"], 3);

    // queue_job: the four waiting jobs cancelled as queue_job does it; the rest untouched.
    assert_eq!(
        db.scalar_string("SELECT string_agg(state, ',' ORDER BY id) FROM queue_job").as_deref(),
        Some("cancelled,cancelled,cancelled,cancelled,done,failed,cancelled")
    );
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM queue_job WHERE result = 'Cancelled by odoodb neutralize' \
               AND date_cancelled BETWEEN (now() AT TIME ZONE 'UTC') - interval '5 minutes' \
                                      AND (now() AT TIME ZONE 'UTC')"
        ),
        4
    );
    assert_eq!(
        db.scalar_string("SELECT result FROM queue_job WHERE id = 7").as_deref(),
        Some("Cancelled by Admin")
    );

    assert_eq!(active_rules_17(&db), "Compute priority, Shop webhook in");
    // Every uuid renewed, uuid-shaped, distinct.
    let renewed =
        db.scalar_string("SELECT string_agg(webhook_uuid, ',' ORDER BY id) FROM base_automation");
    assert_ne!(renewed, uuids);
    assert_eq!(
        db.scalar_i64(
            "SELECT count(DISTINCT webhook_uuid) FROM base_automation \
              WHERE webhook_uuid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
        ),
        6
    );
    for key in SECRET_KEYS {
        assert_eq!(db.param(key).as_deref(), Some(""), "{key}");
    }
    assert_eq!(db.param("password.hashing.rounds").as_deref(), Some("600000"));
    assert_eq!(db.param("auth_signup.reset_password").as_deref(), Some("True"));
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);

    // A second run changes nothing, and the uuids stay as the first run made them.
    let again =
        json(&env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap());
    assert_eq!(again["changed"], 0);
    assert_eq!(
        db.scalar_string("SELECT string_agg(webhook_uuid, ',' ORDER BY id) FROM base_automation"),
        renewed
    );

    // A rule re-enabled, a job queued again: the check sees both.
    db.client()
        .batch_execute(
            "UPDATE base_automation SET active = true WHERE id = 2; \
             UPDATE queue_job SET state = 'pending' WHERE id = 6;",
        )
        .unwrap();
    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    let steps = finding_steps(&json(&check));
    assert!(
        steps.contains(&"\"automations\"".into()) && steps.contains(&"\"queue-jobs\"".into()),
        "{steps:?}"
    );
}

#[test]
fn unknown_secrets_are_reported_not_cleared_without_the_option() {
    let env = TestEnv::new();
    let db = v17("nzx_secrets");
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    // Committed, but not whole: exit 3, the keys named, the way to clear them given.
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let err = text(&output.stderr);
    assert!(err.contains("not cleared after neutralizing"), "{err}");
    assert!(SECRET_KEYS.iter().all(|k| err.contains(k)), "{err}");
    assert!(err.contains("--clear-unknown-secrets"), "{err}");
    let all = format!("{err}{}", text(&output.stdout));
    assert!(SECRET_VALUES.iter().all(|v| !all.contains(v)), "{all}");
    assert_eq!(db.param("my_connector.api_token").as_deref(), Some("prod-connector-token-9f8e"));
    // The rest is neutralized, and flagged: the scan is a guess, it does not withhold the flag.
    assert_eq!(db.param("database.is_neutralized").as_deref(), Some("true"));
    assert_eq!(active_rules_17(&db), "Compute priority, Shop webhook in");

    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    assert_eq!(finding_steps(&json(&check)), vec!["\"unknown-secrets\"".to_string()]);
    // Nothing else to do: still exit 3 and named, until cleared or left out.
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(text(&output.stdout).contains("Nothing to do"));
    env.cmd()
        .args(["neutralize", "--check", &db.name, "--skip", "unknown-secrets"])
        .assert()
        .code(0);
    env.cmd().args(["neutralize", &db.name, "--yes", "--clear-unknown-secrets"]).assert().code(0);
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
    env.cmd().args(["neutralize", "--check", &db.name, "--clear-unknown-secrets"]).assert().code(2);
}

#[test]
fn automation_rules_of_15_and_19_and_old_queue_jobs() {
    let env = TestEnv::new();
    // 15: one action per rule; mail is `email`; children of multi actions nested two deep.
    let db = v15("nzx_15");
    let report =
        json(&env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap());
    assert_eq!(live(&report, "automations", "active automation rules"), 4);
    assert!(
        step(&report, "automations")["actions"].as_array().unwrap().len() == 1,
        "no webhook uuid before 17"
    );
    env.cmd().args(["neutralize", &db.name, "--yes", "--clear-unknown-secrets"]).assert().code(0);
    assert_eq!(
        db.scalar_string(
            "SELECT string_agg(a.name, ', ' ORDER BY b.id) FROM base_automation b \
               JOIN ir_act_server a ON a.id = b.action_server_id WHERE b.active"
        )
        .as_deref(),
        Some("Compute priority, Code only multi")
    );
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);

    // 19: children by parent_id.
    let db = v17("nzx_19");
    db.client().batch_execute(TO_19_SQL).unwrap();
    let report =
        json(&env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap());
    assert_eq!(live(&report, "automations", "active automation rules"), 3);
    env.cmd().args(["neutralize", &db.name, "--yes", "--clear-unknown-secrets"]).assert().code(0);
    assert_eq!(active_rules_17(&db), "Compute priority, Shop webhook in");

    // queue_job before 14.0.2 (no date_cancelled, no `cancelled` state): set to done.
    let db = v15("nzx_oldqueue");
    db.client().batch_execute("ALTER TABLE queue_job DROP COLUMN date_cancelled").unwrap();
    env.cmd().args(["neutralize", &db.name, "--yes", "--only", "queue-jobs"]).assert().code(0);
    assert_eq!(
        db.scalar_string("SELECT string_agg(state, ',' ORDER BY id) FROM queue_job").as_deref(),
        Some("done,done,done,done,done,failed,cancelled")
    );
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM queue_job WHERE date_done IS NULL AND state = 'done'"),
        0
    );

    // Without queue_job or base_automation the steps are skipped, not errors.
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nzx_absent");
    let report =
        json(&env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap());
    for id in ["queue-jobs", "automations"] {
        assert_eq!(step(&report, id)["status"], "skipped", "{id}");
    }
    assert_eq!(step(&report, "unknown-secrets")["status"], "nothing-to-do");
}

#[test]
fn a_frozen_base_url_never_keeps_production_s_url() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nzx_freeze");
    // Production's URL, frozen (as Odoo's own duplicate leaves it).
    env.cmd().args(["neutralize", &db.name, "--yes"]).assert().code(0);
    assert_eq!(db.param("web.base.url").as_deref(), Some("http://localhost:8069"));
    assert_eq!(db.param("web.base.url.freeze").as_deref(), Some("True"));
    // Production's URL back under the freeze (a restore of an old parameter): a finding.
    db.client()
        .batch_execute("UPDATE ir_config_parameter SET value = 'https://erp.example.com' WHERE key = 'web.base.url'")
        .unwrap();
    let check = env.cmd().args(["neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    assert!(text(&check.stdout).contains("web.base.url not on localhost"));
    // The freeze removed: a finding too (the first admin login would record a URL).
    db.client()
        .batch_execute(
            "UPDATE ir_config_parameter SET value = 'http://localhost:8069' WHERE key = 'web.base.url'; \
             DELETE FROM ir_config_parameter WHERE key = 'web.base.url.freeze'",
        )
        .unwrap();
    let check = env.cmd().args(["neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    assert!(text(&check.stdout).contains("web.base.url.freeze not set"));
}

#[test]
fn a_neutralized_copy_holds_no_unknown_secret() {
    let env = TestEnv::new();
    let source = v17("nzx_dup_src");
    let target = PgTestDb::reserve("nzx_dup_dst");
    let output = env
        .cmd()
        .args(["duplicate", &source.name, &target.name, "--neutralize", "--yes", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    for key in SECRET_KEYS {
        assert_eq!(target.param(key).as_deref(), Some(""), "{key}");
    }
    assert_eq!(active_rules_17(&target), "Compute priority, Shop webhook in");
    env.cmd().args(["neutralize", "--check", &target.name]).assert().code(0);
    // The source is untouched.
    assert_eq!(
        source.param("my_connector.api_token").as_deref(),
        Some("prod-connector-token-9f8e")
    );
    assert_eq!(source.scalar_i64("SELECT count(*) FROM queue_job WHERE state = 'pending'"), 1);
}

#[test]
fn real_fixtures_have_no_unknown_secret_and_still_pass_the_check() {
    let env = TestEnv::new();
    for version in [Real::Odoo17, Real::Odoo15] {
        let Some(db) = fixtures::real(&env, version, &format!("nzx_real_{}", version.dir_name()))
        else {
            return;
        };
        let report = json(
            &env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap(),
        );
        assert_eq!(step(&report, "unknown-secrets")["live"], 0, "{}", version.dir_name());
        let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
        env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
    }
}
