use serde_json::Value;

use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, TestEnv, admin, json, quote};

fn entry<'a>(listing: &'a Value, name: &str) -> Option<&'a Value> {
    listing["databases"].as_array().unwrap().iter().find(|e| e["name"] == name)
}

#[test]
fn lists_odoo_databases_with_figures_that_match_the_server_and_disk() {
    let env = TestEnv::new();
    let modern = fixtures::modern(&env, "list_modern");
    let legacy = fixtures::legacy(&env, "list_legacy");
    let plain = PgTestDb::empty("list_plain");

    let size_of = |name: &str| -> i64 {
        admin().query_one("SELECT pg_database_size($1)", &[&name]).unwrap().get(0)
    };
    let size_before = size_of(&modern.name);
    let output = env.cmd().args(["list", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let listing = json(&output);
    let size_after = size_of(&modern.name);

    let m = entry(&listing, &modern.name).expect("modern database listed");
    assert_eq!(m["version"], "17.0");
    assert_eq!(m["odoo"], true);
    assert_eq!(m["modules"], modern.scalar_i64("SELECT count(*) FROM ir_module_module WHERE state IN ('installed','to upgrade','to remove')"));
    assert_eq!(m["modules"], 7);
    assert_eq!(m["neutralized"], false);
    assert_eq!(m["filestore"]["files"], 2);
    let bytes_on_disk: u64 = crate::support::files_under(&env.filestore(&modern.name))
        .iter()
        .map(|f| std::fs::metadata(env.filestore(&modern.name).join(f)).unwrap().len())
        .sum();
    assert_eq!(m["filestore"]["bytes"], bytes_on_disk);
    // Autovacuum may grow a fresh database's files while the test runs: the figure is the
    // server's at the moment list asked.
    let size = m["size_bytes"].as_i64().unwrap_or(-1);
    assert!(
        (size_before..=size_after).contains(&size),
        "{size} not in {size_before}..={size_after}"
    );
    assert_eq!(m["warnings"], serde_json::json!([]));

    let l = entry(&listing, &legacy.name).expect("legacy database listed");
    assert_eq!(l["version"], "15.0");
    assert_eq!(l["modules"], 5);

    assert!(entry(&listing, &plain.name).is_none(), "a non-Odoo database is hidden without --all");
    let all = json(&env.cmd().args(["list", "--all", "--json"]).output().unwrap());
    assert_eq!(entry(&all, &plain.name).expect("shown with --all")["odoo"], false);
}

#[test]
fn warns_about_a_missing_filestore_an_unreadable_version_and_a_foreign_owner() {
    let env = TestEnv::new();
    let no_files = fixtures::modern(&env, "list_nofs");
    std::fs::remove_dir_all(env.filestore(&no_files.name)).unwrap();
    let no_version = fixtures::modern(&env, "list_nover");
    no_version.client().batch_execute("DELETE FROM ir_module_module WHERE name = 'base'").unwrap();
    let foreign = fixtures::modern(&env, "list_owner");
    let role = format!("{}_role", foreign.name);
    admin().batch_execute(&format!("CREATE ROLE {} NOLOGIN", quote(&role))).unwrap();
    admin()
        .batch_execute(&format!(
            "ALTER DATABASE {} OWNER TO {}",
            quote(&foreign.name),
            quote(&role)
        ))
        .unwrap();

    let listing = json(&env.cmd().args(["list", "--json"]).output().unwrap());
    let warnings = |name: &str| entry(&listing, name).unwrap()["warnings"].to_string();
    assert!(
        warnings(&no_files.name).contains("filestore folder missing, but 2 attachments need it")
    );
    assert!(warnings(&no_version.name).contains("version not readable"));
    assert!(warnings(&foreign.name).contains(&format!("owned by {role}")));

    drop(foreign);
    admin().batch_execute(&format!("DROP ROLE {}", quote(&role))).unwrap();
}

#[test]
fn human_output_is_a_table_that_names_the_filestore_location() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "list_human");
    let output = env.cmd().arg("list").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout.lines().find(|l| l.contains(&db.name)).expect("a row for the database");
    assert!(line.contains(" 17.0 ") && line.ends_with(" no"), "{line}");
    assert!(
        stdout.contains(&format!(
            "filestores in {}/filestore (odoo.conf data_dir)",
            env.data_dir.display()
        )),
        "{stdout}"
    );
    // Other tests' crashed runs may leave temporaries on this shared server for a moment.
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.lines().all(|l| l.contains("odoodb temporary with no journal")),
        "nothing on stderr when all is well: {stderr}"
    );
}

#[test]
fn real_odoo_databases_are_listed_with_their_filestores() {
    for version in [Real::Odoo17, Real::Odoo15] {
        let env = TestEnv::new();
        let Some(db) = fixtures::real(&env, version, "list_real") else { return };
        let listing = json(&env.cmd().args(["list", "--json"]).output().unwrap());
        let e = entry(&listing, &db.name).unwrap();
        let (series, modules, files) = match version {
            Real::Odoo17 => ("17.0", 89, 1184),
            Real::Odoo15 => ("15.0", 71, 454),
        };
        assert_eq!(e["version"], series);
        assert_eq!(e["modules"], modules);
        assert_eq!(e["filestore"]["files"], files);
        assert_eq!(
            e["filestore"]["files"],
            crate::support::files_under(&env.filestore(&db.name)).len()
        );
        assert_eq!(e["neutralized"], false);
    }
}

#[test]
fn a_role_that_may_not_read_a_database_sees_no_access_not_not_odoo() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "list_noaccess");
    let role = format!("odoodbt_{}_reader", std::process::id());
    let quoted = crate::support::quote(&role);
    crate::support::admin()
        .batch_execute(&format!("CREATE ROLE {quoted} LOGIN PASSWORD 'reader-pw-1'"))
        .unwrap();
    let run = |args: &[&str]| {
        env.cmd()
            .args(["--host", "127.0.0.1", "--user", &role])
            .args(args)
            .env("PGPASSWORD", "reader-pw-1")
            .output()
            .unwrap()
    };
    let output = run(&["list"]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout.contains(&db.name), "{stdout}");
    assert!(stdout.contains(&format!("this role ({role}) may not read")), "{stdout}");
    let listing = json(&run(&["list", "--all", "--json"]));
    let entry = crate::support::listed(&listing, &db.name);
    assert_eq!(entry["no_access"], true, "{entry}");
    let table = String::from_utf8_lossy(&run(&["list", "--all"]).stdout).into_owned();
    let line = table.lines().find(|l| l.contains(&db.name)).unwrap_or_default().to_string();
    assert!(line.contains("(no access)"), "{line}");
    crate::support::admin().batch_execute(&format!("DROP ROLE {quoted}")).unwrap();
}

#[test]
fn a_data_dir_without_a_filestore_is_said_once() {
    let env = TestEnv::new();
    let _a = fixtures::modern(&env, "list_nodd_a");
    let _b = fixtures::modern(&env, "list_nodd_b");
    let output = env
        .cmd()
        .args(["list", "--data-dir"])
        .arg(env.root.join("no-such-data-dir"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("there is no filestore folder").count(), 1, "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("filestore folder missing"), "{stdout}");
}
