//! `upgrade check` against a target's addons path made of stub manifests: Odoo's own module
//! merges, renames and removals are reported as such (not as missing modules), step by step
//! across majors; the local upgrade program is looked up and probed, never run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pretty_assertions::assert_eq;
use serde_json::Value;

use crate::support::fixtures::{self, MODERN_SQL};
use crate::support::{PgTestDb, TestEnv, json, text};

/// The modern fixture's installed modules (base at 17.0).
const FIXTURE_MODULES: [&str; 7] = ["base", "web", "mail", "payment", "delivery", "website", "iap"];

/// A database at `series` with `modules` installed too, each with its license.
fn database(tag: &str, series: &str, modules: &[(&str, &str)]) -> PgTestDb {
    let db = PgTestDb::from_sql(tag, MODERN_SQL);
    let mut client = db.client();
    client
        .batch_execute(&format!(
            "ALTER TABLE ir_module_module ADD COLUMN license varchar;
             UPDATE ir_module_module SET latest_version = '{series}.1.3' WHERE name = 'base'"
        ))
        .unwrap();
    for (module, license) in modules {
        client
            .execute(
                "INSERT INTO ir_module_module (name, state, latest_version, license) \
                 VALUES ($1, 'installed', $2, $3)",
                &[module, &format!("{series}.1.0"), license],
            )
            .unwrap();
    }
    db
}

/// An addons folder holding a manifest for each of `modules`, as the target's code.
fn addons(env: &TestEnv, name: &str, modules: &[&str]) -> PathBuf {
    let dir = env.root.join(name);
    for module in FIXTURE_MODULES.iter().chain(modules) {
        std::fs::create_dir_all(dir.join(module)).unwrap();
        std::fs::write(dir.join(module).join("__manifest__.py"), "{'name': 'x'}\n").unwrap();
    }
    dir
}

fn check(
    env: &TestEnv,
    db: &str,
    target: &str,
    addons: &Path,
    extra: &[&str],
) -> std::process::Output {
    env.cmd()
        .args(["upgrade", "check", db, "--target", target, "--engine", "command", "--json"])
        .arg("--addons-path")
        .arg(addons)
        .args(extra)
        .output()
        .unwrap()
}

/// The checks at `level`, by name.
fn checks_at(doc: &Value, level: &str) -> Vec<String> {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["level"] == level)
        .map(|c| c["check"].as_str().unwrap().to_string())
        .collect()
}

/// (module, change, into, version) of each of Odoo's changes the check reports.
fn changes(doc: &Value) -> Vec<(String, String, Option<String>, String)> {
    let mut found: Vec<_> = doc["module_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["module"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
                c["into"].as_str().map(String::from),
                c["version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

fn change(
    module: &str,
    kind: &str,
    into: Option<&str>,
    version: &str,
) -> (String, String, Option<String>, String) {
    (module.into(), kind.into(), into.map(String::from), version.into())
}

#[test]
fn odoos_own_merges_pass_and_an_unknown_module_still_blocks() {
    let env = TestEnv::new();
    let gone = [
        "account_payment_term",
        "sale_product_configurator",
        "website_form_project",
        "spreadsheet_dashboard_purchase",
        "spreadsheet_dashboard_purchase_stock",
    ];
    let installed: Vec<(&str, &str)> =
        ["account", "sale", "project", "purchase", "purchase_stock", "spreadsheet_dashboard"]
            .iter()
            .chain(&gone)
            .map(|m| (*m, "LGPL-3"))
            .collect();
    let db = database("upk_merge", "17.0", &installed);
    let target = ["account", "sale", "project", "purchase", "purchase_stock", "website_project"];
    let addons18 = addons(&env, "addons18", &[&target[..], &["spreadsheet_dashboard"]].concat());

    let output = check(&env, &db.name, "18.0", &addons18, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let doc = json(&output);
    assert_eq!(doc["missing_modules"], serde_json::json!([]));
    assert_eq!(
        changes(&doc),
        [
            change("account_payment_term", "merged", Some("account"), "saas~17.2"),
            change("sale_product_configurator", "merged", Some("sale"), "saas~17.3"),
            change("spreadsheet_dashboard_purchase", "removed", None, "saas~17.5"),
            change("spreadsheet_dashboard_purchase_stock", "removed", None, "saas~17.5"),
            change("website_form_project", "renamed", Some("website_project"), "saas~17.1"),
        ]
    );
    assert_eq!(checks_at(&doc, "blocker"), Vec::<String>::new(), "{doc:#}");
    assert!(checks_at(&doc, "warning").contains(&"modules removed".to_string()), "{doc:#}");

    // The table says it in words.
    let table = env
        .cmd()
        .args(["upgrade", "check", &db.name, "-t", "18.0", "--engine", "command", "--addons-path"])
        .arg(&addons18)
        .output()
        .unwrap();
    let stdout = text(&table.stdout);
    for words in [
        "account_payment_term merged into account (saas~17.2)",
        "website_form_project renamed to website_project (saas~17.1)",
        "spreadsheet_dashboard_purchase_stock removed by Odoo in saas~17.5 (moved to Enterprise)",
    ] {
        assert!(stdout.contains(words), "{words}: {stdout}");
    }

    // A module nothing explains still blocks, and only it gets a stub.
    db.client()
        .execute("INSERT INTO ir_module_module (name, state) VALUES ('x_custom', 'installed')", &[])
        .unwrap();
    let output = check(&env, &db.name, "18.0", &addons18, &[]);
    assert_eq!(output.status.code(), Some(4));
    let doc = json(&output);
    assert_eq!(doc["missing_modules"], serde_json::json!(["x_custom"]));
    assert_eq!(checks_at(&doc, "blocker"), ["modules"]);
    let stubs = env.root.join("stubs");
    let output =
        check(&env, &db.name, "18.0", &addons18, &["--write-stubs", stubs.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let written: Vec<String> = std::fs::read_dir(&stubs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, ["x_custom"]);

    // A successor the addons path lacks is a real finding: Odoo's code must be there.
    std::fs::remove_dir_all(addons18.join("website_project")).unwrap();
    let output =
        check(&env, &db.name, "18.0", &addons18, &["--write-stubs", stubs.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(4));
    let doc = json(&output);
    assert_eq!(checks_at(&doc, "blocker"), ["modules merged or renamed"]);
    let detail = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "modules merged or renamed")
        .map(|c| c["detail"].as_str().unwrap().to_string())
        .unwrap();
    assert!(
        detail.contains("website_project (saas~17.1), which the addons path lacks"),
        "{detail}"
    );
    assert!(!stubs.join("website_project").exists(), "no stub stands in for Odoo's own code");
}

#[test]
fn a_check_across_two_majors_follows_each_step() {
    let env = TestEnv::new();
    let db = database(
        "upk_chain",
        "16.0",
        &[
            ("account", "LGPL-3"),
            ("website_sale", "LGPL-3"),
            ("l10n_generic_coa", "LGPL-3"),
            ("website_sale_product_configurator", "LGPL-3"),
            // Enterprise: merged into l10n_mx_edi_stock_extended in saas~16.3, which is merged
            // into l10n_mx_edi_stock in saas~17.5.
            ("l10n_mx_edi_stock_extended_40", "OEEL-1"),
        ],
    );
    let addons18 = addons(&env, "addons18", &["account", "website_sale", "l10n_mx_edi_stock"]);
    let output = check(&env, &db.name, "18.0", &addons18, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        changes(&json(&output)),
        [
            change("l10n_generic_coa", "merged", Some("account"), "saas~16.2"),
            change(
                "l10n_mx_edi_stock_extended_40",
                "merged",
                Some("l10n_mx_edi_stock"),
                "saas~17.5"
            ),
            change(
                "website_sale_product_configurator",
                "merged",
                Some("website_sale"),
                "saas~17.3"
            ),
        ]
    );
    // One step only: 17.0's changes are not yet made.
    let addons17 = addons(
        &env,
        "addons17",
        &[
            "account",
            "website_sale",
            "website_sale_product_configurator",
            "l10n_mx_edi_stock_extended",
        ],
    );
    let output = check(&env, &db.name, "17.0", &addons17, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        changes(&json(&output)),
        [
            change("l10n_generic_coa", "merged", Some("account"), "saas~16.2"),
            change(
                "l10n_mx_edi_stock_extended_40",
                "merged",
                Some("l10n_mx_edi_stock_extended"),
                "saas~16.3"
            ),
        ]
    );
    // An Enterprise module's name held by a module that is not Enterprise's is someone's own.
    db.client()
        .batch_execute("UPDATE ir_module_module SET license = 'LGPL-3' WHERE name = 'l10n_mx_edi_stock_extended_40'")
        .unwrap();
    let output = check(&env, &db.name, "18.0", &addons18, &[]);
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        json(&output)["missing_modules"],
        serde_json::json!(["l10n_mx_edi_stock_extended_40"])
    );
}

#[test]
fn the_upgrade_program_is_looked_up_and_probed_never_run() {
    let env = TestEnv::new();
    let db = database("upk_prog", "17.0", &[]);
    let addons18 = addons(&env, "addons18", &[]);
    let marker = env.root.join("ran");
    let script = env.root.join("upgrade.sh");
    std::fs::write(&script, format!("#!/bin/sh\ntouch {}\n", marker.display())).unwrap();
    let run = |command: &str, extra: &[&str]| {
        let mut args = vec!["--upgrade-command", command];
        args.extend_from_slice(extra);
        check(&env, &db.name, "18.0", &addons18, &args)
    };
    let detail = |output: &std::process::Output, name: &str| {
        json(output)["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == name)
            .map(|c| {
                (
                    c["level"].as_str().unwrap().to_string(),
                    c["detail"].as_str().unwrap().to_string(),
                )
            })
            .unwrap()
    };

    // Not executable, then missing: blockers (exit 4), as the check's other findings.
    let output = run(&format!("{} --all", script.display()), &[]);
    assert_eq!(output.status.code(), Some(4));
    let (level, said) = detail(&output, "upgrade command");
    assert_eq!(level, "blocker");
    assert!(said.contains("is not executable"), "{said}");
    let output = run("/nonexistent/upgrade.sh --all", &[]);
    assert_eq!(output.status.code(), Some(4));
    assert!(detail(&output, "upgrade command").1.contains("/nonexistent/upgrade.sh was not found"));
    let output = run("no-such-upgrader-odoodb 18.0", &[]);
    assert_eq!(output.status.code(), Some(4));
    assert!(detail(&output, "upgrade command").1.contains("not on PATH"));

    // There and executable: fine, and never run.
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let command = format!("{} --all", script.display());
    let output = run(&command, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(detail(&output, "upgrade command"), ("ok".into(), script.display().to_string()));
    assert!(!marker.exists(), "the check ran the upgrade program");

    // The probe: its answer shown; a failure, or no answer in time, blocks.
    let probe = "test \"$ODOODB_TARGET\" = 18.0 && echo 'Odoo Server 18.0'";
    let output = run(&command, &["--upgrade-probe", probe]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(detail(&output, "upgrade probe").1.ends_with(": Odoo Server 18.0"));
    let output =
        run(&command, &["--upgrade-probe", "echo 'no module named openupgradelib' >&2; exit 3"]);
    assert_eq!(output.status.code(), Some(4));
    let (level, said) = detail(&output, "upgrade probe");
    assert_eq!(level, "blocker");
    assert!(said.contains("exit status: 3): no module named openupgradelib"), "{said}");
    let started = Instant::now();
    let output = run(&command, &["--upgrade-probe", "sleep 30", "--upgrade-probe-timeout", "1"]);
    assert_eq!(output.status.code(), Some(4));
    assert!(started.elapsed() < Duration::from_secs(20), "the probe was not stopped");
    assert!(detail(&output, "upgrade probe").1.contains("did not finish within 1 s"));

    // Usage: the command belongs to --engine command; the probe needs a command.
    let output = env
        .cmd()
        .args(["upgrade", "check", &db.name, "-t", "18.0", "--upgrade-command", &command])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--upgrade-command is only used with --engine command"));
    let output = env
        .cmd()
        .args(["upgrade", "check", &db.name, "-t", "18.0", "--engine", "command"])
        .args(["--upgrade-probe", "true"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_blocked_test_upgrade_hints_the_check_with_its_addons_path_and_command() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "upk_hint");
    db.client()
        .execute("INSERT INTO ir_module_module (name, state) VALUES ('x_custom', 'installed')", &[])
        .unwrap();
    let addons18 = addons(&env, "addons 18", &[]);
    let output = env
        .cmd()
        .args(["upgrade", "test", &db.name, "-t", "18.0", "--engine", "command"])
        .args(["--upgrade-command", "true # upgrade"])
        .arg("--addons-path")
        .arg(&addons18)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let stderr = text(&output.stderr);
    let expected = format!(
        "`odoodb upgrade check {} --target 18.0 --engine command --addons-path '{}' \
         --upgrade-command 'true # upgrade'` shows them",
        db.name,
        addons18.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}
