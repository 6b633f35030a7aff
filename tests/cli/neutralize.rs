use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, TestEnv, json};

/// Every table's content, hashed: equal fingerprints mean nothing changed.
pub fn fingerprint(db: &PgTestDb) -> BTreeMap<String, String> {
    let mut client = db.client();
    crate::support::public_tables(&mut client)
        .into_iter()
        .map(|table| {
            let sql = format!(
                "SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM {} x",
                crate::support::quote(&table)
            );
            let hash: String = client.query_one(&sql, &[]).unwrap().get(0);
            (table, hash)
        })
        .collect()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// How many steps `--list-steps` shows.
const STEPS_COUNT: usize = 27;

fn step<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()
}

#[test]
fn neutralizes_the_modern_fixture_and_proves_it() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_modern");
    let uuid = db.param("database.uuid");
    let secret = db.param("database.secret");

    let check = env.cmd().args(["neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(check.status.code(), Some(4), "{}", stderr(&check));
    let table = stdout(&check);
    assert!(
        table.contains("STILL LIVE")
            && table.contains("ir_mail_server.active on real outgoing servers"),
        "{table}"
    );
    assert!(stderr(&check).contains("is not neutralized"), "{}", stderr(&check));

    let output = env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["committed"], true);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(step(&report, "crons")["changed"], 3);
    assert_eq!(step(&report, "website")["status"], "skipped");
    assert!(step(&report, "website")["reason"].as_str().unwrap().contains("no website table"));

    // crons: only the autovacuum job is left active.
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_cron WHERE active"), 1);
    assert_eq!(
        db.scalar_string("SELECT cron_name FROM ir_cron WHERE active").as_deref(),
        Some("Base: Auto-vacuum internal data")
    );
    // outgoing mail: everything archived but one dummy that cannot deliver.
    assert_eq!(
        db.scalar_string(
            "SELECT smtp_host || ':' || smtp_port || ':' || smtp_encryption FROM ir_mail_server WHERE active"
        )
        .as_deref(),
        Some("invalid:1025:none")
    );
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_mail_server"), 4);
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM fetchmail_server WHERE active OR state <> 'draft'"),
        0
    );
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM mail_mail WHERE state IN ('outgoing', 'exception')"),
        0
    );
    assert_eq!(db.scalar_i64("SELECT count(*) FROM mail_mail WHERE state = 'sent'"), 1);
    assert_eq!(db.param("web.base.url").as_deref(), Some("http://localhost:8069"));
    assert_eq!(db.param("web.base.url.freeze").as_deref(), Some("True"));
    assert_eq!(db.param("mail.catchall.domain").as_deref(), Some("localhost"));
    assert_ne!(db.param("database.uuid"), uuid);
    assert_ne!(db.param("database.secret"), secret);
    assert_eq!(db.param("database.enterprise_code"), None);
    assert_eq!(
        db.scalar_string("SELECT string_agg(state, ',' ORDER BY id) FROM payment_provider")
            .as_deref(),
        Some("disabled,test,disabled")
    );
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM payment_provider WHERE stripe_secret_key IS NOT NULL"),
        0
    );
    assert_eq!(db.scalar_i64("SELECT count(*) FROM delivery_carrier WHERE prod_environment"), 0);
    assert_eq!(
        db.scalar_string("SELECT account_token FROM iap_account").as_deref(),
        Some("0123456789abcdef0123456789abcdef+disabled")
    );
    assert_eq!(
        db.scalar_string("SELECT webhook_url FROM ir_act_server WHERE state = 'webhook'")
            .as_deref(),
        Some("neutralization - disable webhook")
    );
    assert_eq!(db.param("database.is_neutralized").as_deref(), Some("true"));
    assert_17_shaped_steps(&db);

    let check = env.cmd().args(["neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stdout(&check).contains("nothing live"), "{}", stdout(&check));
}

/// The 17-shaped tables of the modern fixture: banner, templates, OAuth, EDI, alias domains.
fn assert_17_shaped_steps(db: &PgTestDb) {
    assert_eq!(
        db.scalar_string("SELECT active::text FROM ir_ui_view WHERE key = 'web.neutralize_banner'")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM mail_template WHERE mail_server_id IS NOT NULL"),
        0
    );
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM auth_oauth_provider WHERE enabled IS NOT FALSE"),
        0
    );
    assert_eq!(
        db.scalar_string(
            "SELECT string_agg(proxy_type || ':' || edi_mode || ':' || active, ',' ORDER BY id) \
               FROM account_edi_proxy_client_user"
        )
        .as_deref(),
        Some("peppol:test:true,l10n_it_edi:demo:true,l10n_my_edi:prod:false")
    );
    assert_eq!(
        db.scalar_string("SELECT string_agg(name, ',' ORDER BY id) FROM mail_alias_domain")
            .as_deref(),
        Some("localhost,d2.localhost")
    );
    assert_eq!(
        db.scalar_string("SELECT string_agg(alias_domain_name, ',' ORDER BY id) FROM res_company")
            .as_deref(),
        Some("localhost,d2.localhost")
    );
    assert_eq!(
        db.scalar_string("SELECT string_agg(alias_full_name, ',' ORDER BY id) FROM mail_alias")
            .as_deref(),
        Some("sales@localhost,jobs@d2.localhost")
    );
}

#[test]
fn a_second_run_changes_nothing_and_says_so() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_twice");
    env.cmd().args(["neutralize", &db.name, "--yes"]).assert().success();
    let after_first = fingerprint(&db);
    // No --yes and no terminal: fine, because there is nothing to confirm.
    let output = env.cmd().args(["neutralize", &db.name]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Nothing to do"), "{}", stdout(&output));
    assert!(stderr(&output).contains("already flagged as neutralized: re-checking"));
    let report =
        json(&env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap());
    assert_eq!(report["changed"], 0);
    assert_eq!(report["live"], 0);
    assert_eq!(report["was_flagged"], true);
    assert_eq!(fingerprint(&db), after_first);
}

#[test]
fn a_flagged_database_is_rechecked_not_trusted() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_flagged");
    db.client()
        .batch_execute("INSERT INTO ir_config_parameter (key, value) VALUES ('database.is_neutralized', 'true')")
        .unwrap();
    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    let report = json(&check);
    assert_eq!(report["was_flagged"], true);
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["step"] == "crons"));
    env.cmd().args(["neutralize", &db.name, "--yes"]).assert().success();
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_cron WHERE active"), 1);
}

#[test]
fn dry_run_changes_nothing_and_shows_the_sql_with_v() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_dry");
    let before = fingerprint(&db);
    let output = env.cmd().args(["neutralize", &db.name, "--dry-run", "-v"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Dry run, nothing changed"), "{text}");
    assert!(text.contains("UPDATE \"ir_cron\" SET active = false"), "{text}");
    let report =
        json(&env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap());
    assert_eq!(report["mode"], "dry-run");
    assert_eq!(report["committed"], false);
    assert_eq!(step(&report, "crons")["live"], 3);
    assert_eq!(step(&report, "crons")["status"], "planned");
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn without_a_terminal_it_needs_yes_and_changes_nothing() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_notty");
    let before = fingerprint(&db);
    let output = env.cmd().args(["neutralize", &db.name]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("without confirmation"), "{}", stderr(&output));
    assert!(stderr(&output).contains("hint: pass --yes"), "{}", stderr(&output));
    let output = env.cmd().args(["neutralize", &db.name, "--interactive"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_production_looking_database_needs_its_name_or_force() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_prod");
    let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
    std::fs::write(&env.odoo_conf, format!("{conf}db_name = {}\n", db.name)).unwrap();
    let before = fingerprint(&db);
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("looks like production"), "{}", stderr(&output));
    assert_eq!(fingerprint(&db), before);
    env.cmd().args(["neutralize", &db.name, "--yes", "--force"]).assert().success();

    // Listed in the settings' protect list: even a flagged copy needs the name.
    let settings = env.home.join(".config/odoodb/config.toml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, format!("[neutralize]\nprotect = [\"{}\"]\n", db.name)).unwrap();
    db.client().batch_execute("UPDATE ir_cron SET active = true").unwrap();
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("protect"), "{}", stderr(&output));
}

#[test]
fn a_failure_midway_leaves_the_database_exactly_as_before() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_fail");
    // The delivery step runs after crons, mail, identity and payment have changed rows.
    db.client()
        .batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \
               $$BEGIN RAISE EXCEPTION 'carrier rows are locked by a test'; END$$; \
             CREATE TRIGGER refuse BEFORE UPDATE ON delivery_carrier FOR EACH ROW EXECUTE FUNCTION refuse();",
        )
        .unwrap();
    let before = fingerprint(&db);
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("was not changed: the whole neutralization was rolled back"), "{err}");
    assert!(err.contains("step delivery failed") && err.contains("locked by a test"), "{err}");
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn steps_can_be_chosen_and_listed() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_only");
    let output = env
        .cmd()
        .args(["neutralize", &db.name, "--yes", "--json", "--only", "crons,flag"])
        .output()
        .unwrap();
    let report = json(&output);
    assert_eq!(step(&report, "crons")["status"], "changed");
    assert_eq!(step(&report, "payment")["status"], "excluded");
    // The flag means "safe": not set while left-out steps are still live.
    assert_eq!(step(&report, "flag")["status"], "withheld");
    assert!(step(&report, "flag")["reason"].as_str().unwrap().contains("outgoing-mail"));
    assert_eq!(db.param("database.is_neutralized"), None);
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_mail_server WHERE active"), 2);
    // What was left out is not reported as live, but counted once.
    // Only the withheld flag itself is reported.
    assert!(report["findings"].as_array().unwrap().iter().all(|f| f["step"] == "flag"), "{report}");
    assert!(report["left_out"].as_array().unwrap().iter().any(|s| s == "outgoing-mail"));
    let err = stderr(&output);
    assert!(!err.contains("(step outgoing-mail"), "{err}");
    assert_eq!(report["left_out"].as_array().unwrap().len(), STEPS_COUNT - 2);
    // Without --json, the user is told once, and nothing of those steps is reported live.
    let check =
        env.cmd().args(["neutralize", "--check", &db.name, "--only", "crons"]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let err = stderr(&check);
    assert_eq!(err.matches("left out by --only/--skip").count(), 1, "{err}");
    assert!(err.contains(&format!("{} steps left out", STEPS_COUNT - 1)), "{err}");
    let check = env.cmd().args(["neutralize", "--check", &db.name, "--skip", "outgoing-mail,mail-templates,incoming-mail,mail-queue,base-url,identity,payment,delivery,edi,iap,oauth,webhooks,banner,flag"]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));

    let output = env.cmd().args(["neutralize", &db.name, "--only", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown step nope") && stderr(&output).contains("crons"));

    let steps = json(&env.cmd().args(["neutralize", "--list-steps", "--json"]).output().unwrap());
    let ids: Vec<&str> =
        steps.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), STEPS_COUNT);
    assert_eq!(ids.first(), Some(&"crons"));
    assert_eq!(ids.last(), Some(&"flag"));
    for id in [
        "outgoing-mail",
        "incoming-mail",
        "mail-queue",
        "base-url",
        "identity",
        "payment",
        "delivery",
        "edi",
        "iap",
        "calendar-sync",
        "website",
        "webhooks",
        "banner",
        "pos-terminals",
        "cloud-storage",
        "certificates",
        "api-keys",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn the_legacy_fixture_and_missing_optional_tables_are_skipped_not_errors() {
    let env = TestEnv::new();
    let db = fixtures::legacy(&env, "nz_legacy");
    let report =
        json(&env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap());
    assert_eq!(report["committed"], true);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(db.scalar_i64("SELECT count(*) FROM payment_acquirer WHERE state = 'enabled'"), 0);
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM payment_acquirer WHERE stripe_secret_key IS NOT NULL"),
        0
    );
    assert_eq!(db.scalar_i64("SELECT count(*) FROM fetchmail_server WHERE active"), 0);
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM ir_mail_server WHERE active AND smtp_host = 'invalid'"),
        1
    );
    for id in ["delivery", "website", "webhooks", "iap", "certificates", "pos-terminals"] {
        assert_eq!(step(&report, id)["status"], "skipped", "{id}");
    }
    // No push tables before 17, but the VAPID parameters are still looked for.
    assert_eq!(step(&report, "web-push")["status"], "nothing-to-do");
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);

    // A modern database without payment, delivery and website.
    let db = fixtures::modern(&env, "nz_minimal");
    db.client().batch_execute("DROP TABLE payment_provider, delivery_carrier").unwrap();
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("skipped: no payment_provider or payment_acquirer table"), "{text}");
    assert!(text.contains("skipped: no delivery_carrier table"), "{text}");
    assert!(text.contains("skipped: no website table"), "{text}");
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
}

/// An addons path with modules written for the test: `web` valid, `mail` failing after a
/// valid statement, `iap` without a neutralize.sql; `payment` (installed) is absent.
fn addons(root: &Path) -> std::path::PathBuf {
    let addons = root.join("addons");
    let module = |name: &str, sql: Option<&str>| {
        let dir = addons.join(name);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("__manifest__.py"), "{'name': 'test'}\n").unwrap();
        if let Some(sql) = sql {
            std::fs::write(dir.join("data/neutralize.sql"), sql).unwrap();
        }
    };
    module(
        "web",
        Some(
            "UPDATE ir_config_parameter SET value = 'from-web' WHERE key = 'mail.catchall.alias';\n",
        ),
    );
    module(
        "mail",
        Some(
            "UPDATE ir_config_parameter SET value = 'from-mail' WHERE key = 'mail.bounce.alias';\nUPDATE no_such_table SET x = 1;\n",
        ),
    );
    module("iap", None);
    addons
}

#[test]
fn module_files_run_in_savepoints_and_are_reported() {
    let env = TestEnv::new();
    let addons = addons(&env.root);
    let path = addons.to_str().unwrap();

    // One bad file rolls everything back without --continue-on-error.
    let db = fixtures::modern(&env, "nz_files_fail");
    let before = fingerprint(&db);
    let output =
        env.cmd().args(["neutralize", &db.name, "--yes", "--addons-path", path]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("module mail failed") && err.contains("no_such_table"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(fingerprint(&db), before);

    // With it: the good files and the built-in steps stay, the bad file's own changes do not;
    // a warning names the module and the exit status (3) tells a script it was partial.
    let output = env
        .cmd()
        .args([
            "neutralize",
            &db.name,
            "--yes",
            "--json",
            "--continue-on-error",
            "--addons-path",
            path,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("warning: module mail: its data/neutralize.sql failed"), "{err}");
    assert!(err.contains("except the neutralize.sql of mail"), "{err}");
    let report = json(&output);
    assert_eq!(report["committed"], true);
    let status = |module: &str| {
        report["module_files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["module"] == module)
            .map(|m| m["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("web").as_deref(), Some("ran"));
    assert_eq!(status("mail").as_deref(), Some("failed"));
    assert_eq!(status("payment").as_deref(), Some("not-found"));
    assert_eq!(status("iap"), None, "a module without the file is not listed");
    let mail =
        report["module_files"].as_array().unwrap().iter().find(|m| m["module"] == "mail").unwrap();
    assert!(mail["error"].as_str().unwrap().contains("no_such_table"));
    assert_eq!(db.param("mail.catchall.alias").as_deref(), Some("from-web"));
    assert_eq!(
        db.param("mail.bounce.alias").as_deref(),
        Some("bounce"),
        "savepoint undid mail's file"
    );
    assert_eq!(db.param("database.is_neutralized").as_deref(), Some("true"));

    // --ignore-module, with the addons path from odoo.conf.
    let db = fixtures::modern(&env, "nz_files_ignore");
    let conf = std::fs::read_to_string(&env.odoo_conf).unwrap();
    std::fs::write(&env.odoo_conf, format!("{conf}addons_path = {path}\n")).unwrap();
    let output = env
        .cmd()
        .args(["neutralize", &db.name, "--yes", "--ignore-module", "mail"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("module mail: ignored (--ignore-module)"), "{text}");
    assert!(text.contains("module web: ran"), "{text}");
    assert!(text.contains("module payment: installed but not found on the addons path"), "{text}");
    assert_eq!(db.param("mail.catchall.alias").as_deref(), Some("from-web"));
}

/// Columns whose value Odoo's neutralization changed, per row of the oracle.
fn changed_columns(before: &Value, after: &Value) -> Vec<String> {
    after
        .as_object()
        .unwrap()
        .iter()
        .filter(|(column, value)| before.get(column.as_str()) != Some(value))
        .map(|(column, _)| column.clone())
        .collect()
}

fn row_json(
    db: &PgTestDb,
    table: &str,
    key_column: &str,
    key: &str,
    columns: &[String],
) -> Option<Value> {
    let sql = format!(
        "SELECT row_to_json(x)::text FROM (SELECT {} FROM {table} WHERE {key_column}::text = $1) x",
        columns.join(", ")
    );
    db.client()
        .query_opt(&sql, &[&key])
        .unwrap()
        .map(|row| serde_json::from_str(&row.get::<_, String>(0)).unwrap())
}

/// Every value Odoo's neutralization changed (or row it added or deleted) is the same in `db`;
/// returns how many values were compared.
fn compare_with_oracle(db: &PgTestDb, oracle: &Value) -> usize {
    let mut compared = 0;
    for (table, after_rows) in oracle["after"].as_object().unwrap() {
        let before_rows = &oracle["before"][table];
        let key_of = |row: &Value| {
            if row.get("id").is_some() {
                ("id", row["id"].to_string())
            } else {
                ("key", row["key"].as_str().unwrap().to_string())
            }
        };
        let after: BTreeMap<String, &Value> =
            after_rows.as_array().unwrap().iter().map(|r| (key_of(r).1, r)).collect();
        for row in before_rows.as_array().unwrap() {
            let (key_column, key) = key_of(row);
            match after.get(&key) {
                None => {
                    // Odoo deleted it: so must we.
                    let found = row_json(db, table, key_column, &key, &[key_column.to_string()]);
                    assert!(found.is_none(), "{table} {key} should be deleted");
                    compared += 1;
                }
                Some(after_row) => {
                    let columns = changed_columns(row, after_row);
                    if columns.is_empty() {
                        continue;
                    }
                    let ours = row_json(db, table, key_column, &key, &columns)
                        .unwrap_or_else(|| panic!("{table} {key} is gone"));
                    for column in &columns {
                        assert_eq!(ours[column], after_row[column], "{table} {key}.{column}");
                        compared += 1;
                    }
                }
            }
        }
        // Rows Odoo added (the dummy mail server, database.is_neutralized): ours has the same.
        for after_row in after_rows.as_array().unwrap() {
            let (key_column, key) = key_of(after_row);
            let existed = before_rows.as_array().unwrap().iter().any(|r| key_of(r).1 == key);
            if existed {
                continue;
            }
            let columns: Vec<String> =
                after_row.as_object().unwrap().keys().filter(|c| *c != "id").cloned().collect();
            let (match_column, match_key) = if key_column == "id" {
                ("name", after_row["name"].as_str().unwrap().to_string())
            } else {
                (key_column, key.clone())
            };
            let ours = row_json(db, table, match_column, &match_key, &columns)
                .unwrap_or_else(|| panic!("{table}: no row like {after_row}"));
            for column in &columns {
                assert_eq!(ours[column], after_row[column], "{table} new row {match_key}.{column}");
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn conforms_to_odoo_17s_own_neutralization() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo17, "nz_odoo17") else { return };
    let oracle: Value = serde_json::from_str(
        &std::fs::read_to_string(
            fixtures::real_file(Real::Odoo17, "neutralize-oracle.json").unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let uuid = db.param("database.uuid");
    let secret = db.param("database.secret");
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(4);

    let started = std::time::Instant::now();
    let output = env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap();
    let elapsed = started.elapsed();
    assert!(output.status.success(), "{}", stderr(&output));
    eprintln!("neutralizing the Odoo 17 fixture took {elapsed:?} (debug build, process included)");
    let report = json(&output);
    assert_eq!(report["findings"], serde_json::json!([]));

    let compared = compare_with_oracle(&db, &oracle);
    assert!(compared > 60, "only {compared} values compared");

    // On top of Odoo: identity, base URL, mail domain, mail queue, incoming mail state.
    assert_ne!(db.param("database.uuid"), uuid);
    assert_ne!(db.param("database.secret"), secret);
    assert_eq!(db.param("web.base.url").as_deref(), Some("http://localhost:8069"));
    assert_eq!(db.param("mail.catchall.domain").as_deref(), Some("localhost"));
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM mail_mail WHERE state IN ('outgoing', 'exception')"),
        0
    );
    assert_eq!(
        db.scalar_string("SELECT state FROM fetchmail_server WHERE id = 1").as_deref(),
        Some("draft")
    );
    // 17 keeps mail domains in mail_alias_domain, copied into companies and aliases.
    assert_eq!(
        db.scalar_string("SELECT string_agg(DISTINCT name, ',') FROM mail_alias_domain").as_deref(),
        Some("localhost")
    );
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM res_company WHERE alias_domain_id IS NOT NULL \
               AND alias_domain_name IS DISTINCT FROM 'localhost'"
        ),
        0
    );
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM mail_alias WHERE alias_domain_id IS NOT NULL \
               AND alias_name IS NOT NULL AND alias_full_name NOT LIKE '%@localhost'"
        ),
        0
    );
    assert!(
        db.scalar_i64("SELECT count(*) FROM mail_alias WHERE alias_full_name LIKE '%@localhost'")
            > 0
    );

    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
    let again =
        json(&env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap());
    assert_eq!(again["changed"], 0);
}

#[test]
fn switches_off_everything_odoo_15_leaves_live() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo15, "nz_odoo15") else { return };
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(4);
    let output = env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));

    // 1–2: every server archived, one dummy with all of the NOT NULL columns Odoo 15 has.
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_mail_server"), 3);
    assert_eq!(
        db.scalar_string(
            "SELECT concat_ws(',', name, smtp_host, smtp_port, smtp_encryption, smtp_authentication) \
               FROM ir_mail_server WHERE active"
        )
        .as_deref(),
        Some("neutralization - disable emails,invalid,1025,none,login")
    );
    // 3: only base.autovacuum_job (id 1).
    assert_eq!(
        db.scalar_string("SELECT string_agg(id::text, ',') FROM ir_cron WHERE active").as_deref(),
        Some("1")
    );
    // 4
    assert_eq!(db.param("database.is_neutralized").as_deref(), Some("true"));
    // 5
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM mail_template WHERE mail_server_id IS NOT NULL"),
        0
    );
    // 6
    assert_eq!(db.scalar_i64("SELECT count(*) FROM fetchmail_server WHERE active"), 0);
    // 7–8
    assert_eq!(db.scalar_i64("SELECT count(*) FROM payment_acquirer WHERE state = 'enabled'"), 0);
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM payment_acquirer WHERE stripe_secret_key IS NOT NULL \
               OR stripe_publishable_key IS NOT NULL OR stripe_webhook_secret IS NOT NULL"
        ),
        0
    );
    // 9
    assert_eq!(db.scalar_i64("SELECT count(*) FROM delivery_carrier WHERE prod_environment"), 0);
    assert_eq!(db.scalar_i64("SELECT count(*) FROM delivery_carrier WHERE active"), 3);
    // 10
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM website WHERE domain IS NOT NULL OR cdn_activated \
               OR robots_txt IS DISTINCT FROM E'User-agent: *\\nDisallow: /'"
        ),
        0
    );
    assert_eq!(
        db.scalar_string("SELECT cdn_url FROM website WHERE id = 1").as_deref(),
        Some("https://cdn.example.com")
    );
    // 11
    assert_eq!(
        db.scalar_string("SELECT account_token FROM iap_account WHERE id = 1").as_deref(),
        Some("a1b2c3d4e5f60718293a4b5c6d7e8f90+disabled")
    );
    // 12
    assert_eq!(db.param("account_edi_proxy_client.demo").as_deref(), Some("true"));
    // 13
    assert_eq!(db.scalar_i64("SELECT count(*) FROM auth_oauth_provider WHERE enabled"), 0);

    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
}

#[test]
fn duplicate_neutralize_needs_no_prompt_and_reports_the_identity_the_copy_has() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_unattended");
    let copy = PgTestDb::reserve("nz_unattended_copy");
    let output = env
        .cmd()
        .args(["duplicate", &db.name, &copy.name, "--neutralize", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report = crate::support::json(&output);
    assert!(report["neutralized"].as_array().is_some_and(|steps| !steps.is_empty()));
    assert_eq!(copy.param("database.is_neutralized").as_deref(), Some("true"));
    // Identity is written once: the report shows the uuid the copy really has.
    assert_eq!(report["identity"]["uuid"].as_str(), copy.param("database.uuid").as_deref());
    assert_ne!(copy.param("database.uuid"), db.param("database.uuid"));
    assert_eq!(report["identity"]["enterprise_code_kept"], false);
    env.cmd().args(["neutralize", "--check", &copy.name]).assert().code(0);
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(4);
}

#[test]
fn the_plan_and_the_result_count_the_same_rows() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_counts");
    let plan =
        json(&env.cmd().args(["neutralize", &db.name, "--dry-run", "--json"]).output().unwrap());
    let done = json(&env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap());
    assert!(plan["live"].as_i64().unwrap() > 30, "{plan}");
    assert_eq!(done["live"], plan["live"]);
    assert_eq!(done["changed"], plan["live"]);
    for planned in plan["steps"].as_array().unwrap() {
        let id = planned["id"].as_str().unwrap();
        assert_eq!(step(&done, id)["changed"], planned["live"], "step {id}");
    }
}

#[test]
fn a_step_with_only_part_of_its_tables_does_that_part() {
    let env = TestEnv::new();
    // VAPID keys, but no push tables (as on a database whose mail module lost them).
    let db = fixtures::modern(&env, "nz_part");
    db.client()
        .batch_execute(
            "INSERT INTO ir_config_parameter (key, value) VALUES \
               ('mail.web_push_vapid_private_key', 'prod-private'), \
               ('mail.web_push_vapid_public_key', 'prod-public')",
        )
        .unwrap();
    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    let report = json(&check);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["what"] == "parameter mail.web_push_vapid_private_key"));
    let unprobed = step(&report, "web-push")["unprobed"].to_string();
    assert!(unprobed.contains("queued pushes") && unprobed.contains("push devices"), "{unprobed}");

    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("web-push"), "{}", stdout(&output));
    assert_eq!(db.param("mail.web_push_vapid_private_key"), None);
    assert_eq!(db.param("mail.web_push_vapid_public_key"), None);
    let dry = stdout(&env.cmd().args(["neutralize", &db.name, "--dry-run"]).output().unwrap());
    assert!(dry.contains("not probed: queued pushes"), "{dry}");
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
}

#[test]
fn a_database_flagged_by_odoo_alone_is_judged_on_its_content() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "nz_odoo_flag");
    env.cmd().args(["neutralize", &db.name, "--yes"]).assert().success();
    // As if Odoo had neutralized it: flagged, but no odoodb marker, and production's uuid.
    db.client()
        .batch_execute(
            "DELETE FROM ir_config_parameter WHERE key = 'odoodb.neutralized_uuid'; \
             UPDATE ir_config_parameter SET value = '5f0c2a4e-2b1d-11ef-9c0a-0242ac120002' \
              WHERE key = 'database.uuid'",
        )
        .unwrap();
    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    // Something live is still found.
    db.client().batch_execute("UPDATE ir_cron SET active = true").unwrap();
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(4);
    // Neutralizing regenerates the uuid all the same.
    env.cmd().args(["neutralize", &db.name, "--yes"]).assert().success();
    assert_ne!(db.param("database.uuid").as_deref(), Some("5f0c2a4e-2b1d-11ef-9c0a-0242ac120002"));
}

/// base's own file, written from what it does (neutralize-effects.md): every outgoing server
/// archived, then a dummy added that cannot deliver.
const BASE_NEUTRALIZE_SQL: &str = "UPDATE ir_mail_server SET active = false;\n\
    INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, smtp_authentication, active) \
    VALUES ('neutralization - disable emails', 'invalid', 1025, 'none', 'login', true);\n";

#[test]
fn with_bases_own_file_one_dummy_mail_server_is_left() {
    let env = TestEnv::new();
    let addons = env.root.join("addons-base");
    std::fs::create_dir_all(addons.join("base/data")).unwrap();
    std::fs::write(addons.join("base/__manifest__.py"), "{'name': 'base'}\n").unwrap();
    std::fs::write(addons.join("base/data/neutralize.sql"), BASE_NEUTRALIZE_SQL).unwrap();
    let db = fixtures::modern(&env, "nz_one_dummy");
    let servers_before = db.scalar_i64("SELECT count(*) FROM ir_mail_server");
    let output = env
        .cmd()
        .args(["neutralize", &db.name, "--yes", "--addons-path", addons.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("module base: ran"), "{}", stdout(&output));
    let dummies = "FROM ir_mail_server WHERE name = 'neutralization - disable emails' AND smtp_host = 'invalid'";
    assert_eq!(
        db.scalar_i64(&format!("SELECT count(*) {dummies}")),
        1,
        "one dummy, as Odoo leaves"
    );
    assert_eq!(db.scalar_i64(&format!("SELECT count(*) {dummies} AND active")), 1);
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_mail_server WHERE active"), 1);
    assert_eq!(db.scalar_i64("SELECT count(*) FROM ir_mail_server"), servers_before + 1);
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);
}
