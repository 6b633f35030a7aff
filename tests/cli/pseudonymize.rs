//! `odoodb pseudonymize` and `--pseudonymize`: on the real Odoo 15 and 17 databases, no source
//! value of a covered column is left in the copy (every row compared), the same email gets the
//! same pseudonym in every table, the new password logs in (checked by Python's own PBKDF2),
//! second factors and API keys are gone, `--seed` repeats, the source is untouched, and
//! `--check --against` proves it (and fails when it should).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command as Process;

use serde_json::Value;

use crate::neutralize::fingerprint;
use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, TestEnv, json, row_counts, text};

/// People's attachments in the real fixtures, as the tests state them: every record of these
/// models is about a person (the companies' own partners excepted).
pub const PEOPLE_ATTACHMENTS: &str = "res_model IN ('res.partner', 'res.users', 'account.move', \
     'calendar.event', 'sale.order', 'account.bank.statement', 'crm.lead', 'hr.employee', 'hr.applicant', \
     'hr.candidate', 'mail.channel', 'discuss.channel') \
     AND NOT (res_model = 'res.partner' AND res_id IN (SELECT partner_id FROM res_company))";

/// The rows odoodb keeps as they are, as the issue says: the companies' own partners, Odoo's
/// technical users, and attachments of records that are not people's.
fn kept(table: &str) -> String {
    match table {
        "res_partner" => "id IN (SELECT partner_id FROM res_company)".into(),
        "res_users" => "login IN ('__system__', 'default', 'portaltemplate', 'public')".into(),
        "ir_attachment" => format!("res_model IS NULL OR NOT ({PEOPLE_ATTACHMENTS})"),
        _ => "false".into(),
    }
}

/// `(id, value)` of every row of `table.column` with a value, rows kept left out.
fn values(db: &PgTestDb, table: &str, column: &str, only_rewritten: bool) -> BTreeMap<i32, String> {
    let keep = if only_rewritten { kept(table) } else { "false".into() };
    let sql = format!(
        "SELECT id, \"{column}\"::text FROM \"{table}\" \
          WHERE \"{column}\" IS NOT NULL AND \"{column}\"::text <> '' AND NOT ({keep})"
    );
    db.client()
        .query(&sql, &[])
        .unwrap()
        .iter()
        .map(|row| (row.get::<_, i32>(0), row.get::<_, String>(1)))
        .collect()
}

/// The tables and columns the plan says it rewrites.
fn covered(plan: &Value) -> Vec<(String, String)> {
    plan["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|table| {
            let name = table["table"].as_str().unwrap().to_string();
            table["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |c| (name.clone(), c.as_str().unwrap().to_string()))
        })
        .collect()
}

/// Odoo's check of a password against its stored hash, by Python's own PBKDF2 (hashlib), not
/// by odoodb's code.
fn python_verifies(hash: &str, password: &str) -> bool {
    let script = r"
import base64, hashlib, sys
_, scheme, rounds, salt, check = sys.argv[1].split('$')
unab = lambda s: base64.b64decode(s.replace('.', '+') + '=' * (-len(s) % 4))
assert scheme == 'pbkdf2-sha512'
got = hashlib.pbkdf2_hmac('sha512', sys.argv[2].encode(), unab(salt), int(rounds), 64)
sys.exit(0 if got == unab(check) else 1)
";
    Process::new("python3")
        .args(["-c", script, hash, password])
        .status()
        .is_ok_and(|status| status.success())
}

/// Credentials to be removed: a second factor, an API key, a trusted device, an OAuth token.
fn add_credentials(db: &PgTestDb) {
    db.client()
        .batch_execute(
            "UPDATE res_users SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DP', \
                    oauth_access_token = 'ya29.a0-secret-token' WHERE login = 'admin'; \
             INSERT INTO res_users_apikeys (id, name, user_id, scope, index, key) \
             SELECT 900, 'ci key', id, NULL, 'abcd1234', '$pbkdf2-sha512$6000$c2FsdA$aGFzaA' \
               FROM res_users WHERE login = 'admin'; \
             INSERT INTO auth_totp_device (id, name, user_id, scope, index, key) \
             SELECT 901, 'laptop', id, 'browser', 'efgh5678', '$pbkdf2-sha512$6000$c2FsdA$aGFzaA' \
               FROM res_users WHERE login = 'admin';",
        )
        .unwrap();
}

#[test]
fn a_pseudonymized_copy_of_real_odoo_keeps_no_source_value_and_logs_in_with_the_new_password() {
    for version in [Real::Odoo17, Real::Odoo15] {
        let env = TestEnv::new();
        let Some(source) = fixtures::real(&env, version, "ps_src") else { continue };
        add_credentials(&source);
        let before = fingerprint(&source);
        let copy = PgTestDb::reserve("ps_copy");
        let password_file = env.root.join("password.txt");
        std::fs::write(&password_file, "correct horse battery\n").unwrap();

        let plan = env.cmd().args(["pseudonymize", &source.name, "--dry-run", "--json"]).output();
        let plan = plan.unwrap();
        assert!(plan.status.success(), "{}", text(&plan.stderr));
        let plan = json(&plan);
        assert_eq!(fingerprint(&source), before, "{version:?}: a dry run changes nothing");

        let made = env
            .cmd()
            .args(["duplicate", &source.name, &copy.name, "--neutralize", "--pseudonymize"])
            .args(["--seed", "ci-seed", "--password-file"])
            .arg(&password_file)
            .args(["--yes", "--json"])
            .output()
            .unwrap();
        assert!(made.status.success(), "{version:?}: {}", text(&made.stderr));
        let report = json(&made);
        assert!(report["pseudonymized"]["rows"].as_u64().unwrap() > 100, "{report}");
        assert!(report["pseudonymized"]["new_password"].is_null(), "a given password is not shown");
        assert!(!text(&made.stdout).contains("correct horse"), "never printed");

        // Every row of every covered column: no source value left.
        let columns = covered(&plan);
        assert!(columns.len() > 40, "{version:?}: {columns:?}");
        let mut compared = 0;
        for (table, column) in &columns {
            let original = values(&source, table, column, true);
            let now = values(&copy, table, column, false);
            for (id, value) in &original {
                assert_ne!(
                    now.get(id),
                    Some(value),
                    "{version:?}: {table}.{column} of row {id} kept"
                );
                compared += 1;
            }
        }
        assert!(compared > 1000, "{version:?}: only {compared} values compared");
        // The name Odoo shows, derived from the pseudonyms, names no one either.
        let shown = if version == Real::Odoo17 { "complete_name" } else { "display_name" };
        let original = values(&source, "res_partner", shown, true);
        let now = values(&copy, "res_partner", shown, false);
        let names = values(&source, "res_partner", "name", true);
        for (id, value) in original.iter().filter(|(id, _)| names.contains_key(id)) {
            assert_ne!(now.get(id), Some(value), "{version:?}: {shown} of partner {id} kept");
        }
        // Rewritten, not removed: the rewritten tables keep every row (credentials and
        // neutralization add and remove their own).
        let (before_rows, after_rows) = (row_counts(&source.name), row_counts(&copy.name));
        for table in columns.iter().map(|(t, _)| t).collect::<BTreeSet<_>>() {
            assert_eq!(
                after_rows.get(table),
                before_rows.get(table),
                "{version:?}: rows of {table}"
            );
        }
        assert_eq!(fingerprint(&source), before, "{version:?}: the source is untouched");

        // The same email, the same pseudonym, in every table; shapes kept.
        let mut client = copy.client();
        let pair = source.client().query_opt(
            "SELECT p.id, m.id FROM res_partner p JOIN mail_message m \
               ON m.email_from ILIKE '%<' || p.email || '>%' WHERE p.email <> '' LIMIT 1",
            &[],
        );
        let (partner, message): (i32, i32) = pair.unwrap().map(|r| (r.get(0), r.get(1))).unwrap();
        let email: String = client
            .query_one("SELECT email FROM res_partner WHERE id = $1", &[&partner])
            .unwrap()
            .get(0);
        let from: String = client
            .query_one("SELECT email_from FROM mail_message WHERE id = $1", &[&message])
            .unwrap()
            .get(0);
        assert!(email.ends_with("@example.invalid"), "{email}");
        assert_eq!(email, from, "{version:?}: one pseudonym for one address");
        let mismatched: i64 = client
            .query_one(
                "SELECT count(*) FROM res_partner WHERE email_normalized IS DISTINCT FROM email \
                  AND email_normalized IS NOT NULL AND id NOT IN (SELECT partner_id FROM res_company)",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(mismatched, 0, "{version:?}: email_normalized follows email");
        let ibans: Vec<String> = client
            .query("SELECT acc_number FROM res_partner_bank", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(!ibans.is_empty() && ibans.iter().all(|a| a.len() >= 8), "{ibans:?}");

        assert_logins(&copy, version);
        assert_proof(&env, &copy, &source, version);
    }
}

/// Every user with a password has the new one, as Odoo checks it; no other credential is left.
fn assert_logins(copy: &PgTestDb, version: Real) {
    let mut client = copy.client();
    // Logging in: every user with a password has the new one, as Odoo checks it.
    let hashes: Vec<(String, String)> = client
        .query("SELECT login, password FROM res_users WHERE coalesce(password, '') <> ''", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(hashes.len() >= 3, "{hashes:?}");
    for (login, hash) in &hashes {
        assert!(python_verifies(hash, "correct horse battery"), "{version:?}: {login}: {hash}");
        assert!(!python_verifies(hash, "admin"), "{version:?}: {login} keeps no old password");
    }
    let rounds = if version == Real::Odoo17 { "$600000$" } else { "$25000$" };
    assert!(hashes.iter().all(|(_, h)| h.contains(rounds)), "{version:?}: Odoo's own rounds");
    for (what, sql) in [
        ("API keys", "SELECT count(*) FROM res_users_apikeys"),
        ("trusted devices", "SELECT count(*) FROM auth_totp_device"),
        ("TOTP", "SELECT count(*) FROM res_users WHERE totp_secret IS NOT NULL"),
        ("OAuth", "SELECT count(*) FROM res_users WHERE oauth_access_token IS NOT NULL"),
    ] {
        assert_eq!(copy.scalar_i64(sql), 0, "{version:?}: {what} removed");
    }
}

/// The proof passes on the copy, and fails on a database that is not one.
fn assert_proof(env: &TestEnv, copy: &PgTestDb, source: &PgTestDb, version: Real) {
    // The proof passes on the copy, and fails on a database that is not one.
    let check = env
        .cmd()
        .args(["pseudonymize", &copy.name, "--check", "--against", &source.name])
        .output()
        .unwrap();
    assert!(check.status.success(), "{version:?}: {}{}", text(&check.stdout), text(&check.stderr));
    let itself = env
        .cmd()
        .args(["pseudonymize", &source.name, "--check", "--against", &source.name, "--json"])
        .output()
        .unwrap();
    assert_eq!(itself.status.code(), Some(4), "{}", text(&itself.stderr));
    let found = json(&itself);
    let names: BTreeSet<&str> =
        found["findings"].as_array().unwrap().iter().map(|f| f["what"].as_str().unwrap()).collect();
    assert!(
        names.contains("res_partner.email") && names.contains("res_users.password"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("res_users_apikeys")), "{names:?}");
    assert!(!text(&itself.stdout).contains("yourcompany"), "never a value");
}

#[test]
fn the_same_seed_gives_the_same_pseudonyms_and_another_seed_others() {
    let env = TestEnv::new();
    let Some(source) = fixtures::real(&env, Real::Odoo15, "ps_seed") else { return };
    let names = |db: &PgTestDb| -> Vec<(i32, String, Option<String>)> {
        db.client()
            .query("SELECT id, name, email FROM res_partner ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    };
    let copy = |seed: &str| -> PgTestDb {
        let copy = PgTestDb::reserve("ps_seeded");
        let made = env
            .cmd()
            .args(["duplicate", &source.name, &copy.name, "--pseudonymize", "--seed", seed])
            .args(["--yes", "-q"])
            .output()
            .unwrap();
        assert!(made.status.success(), "{}", text(&made.stderr));
        // A password odoodb made is shown even under -q: nowhere else has it.
        assert!(
            text(&made.stdout).contains("Every user's password is now: "),
            "{}",
            text(&made.stdout)
        );
        copy
    };
    let (first, again, other) = (copy("one"), copy("one"), copy("two"));
    assert_eq!(names(&first), names(&again));
    assert_ne!(names(&first), names(&other));
    assert_ne!(names(&first), names(&source));
}

#[test]
fn pseudonymize_in_place_asks_for_the_name_of_what_looks_like_production() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo15, "ps_prod") else { return };
    let before = fingerprint(&db);
    // Not neutralized: --yes is not enough without a terminal to type the name on.
    let refused = env.cmd().args(["pseudonymize", &db.name, "--yes"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("it is not neutralized"), "{}", text(&refused.stderr));
    // --force lifts the typed name, not the confirmation: no terminal and no --yes is refused.
    let unconfirmed = env.cmd().args(["pseudonymize", &db.name, "--force"]).output().unwrap();
    assert_eq!(unconfirmed.status.code(), Some(2), "{}", text(&unconfirmed.stderr));
    // Options that only apply with --pseudonymize are refused elsewhere, changing nothing.
    let stray = env.cmd().args(["duplicate", &db.name, "x_never", "--seed", "s"]).output().unwrap();
    assert_eq!(stray.status.code(), Some(2), "{}", text(&stray.stderr));
    let missing = env.root.join("no-such-file");
    let bad = env
        .cmd()
        .args(["pseudonymize", &db.name, "--yes", "--force", "--password-file"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("cannot read the password file"), "{}", text(&bad.stderr));
    assert_eq!(fingerprint(&db), before, "nothing changed");

    let done = env
        .cmd()
        .args(["pseudonymize", &db.name, "--yes", "--force", "--keep-admin", "--json"])
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", text(&done.stderr));
    let report = json(&done);
    assert_eq!(report["committed"], true);
    assert!(report["new_password"].as_str().is_some_and(|p| p.len() == 20), "{report}");
    assert_eq!(
        db.scalar_string("SELECT login FROM res_users WHERE id = 2").as_deref(),
        Some("admin")
    );
}

const PEOPLE_19: &str = include_str!("../fixtures/people-19.sql");

/// An IBAN's own check: the rearranged number mod 97 is 1.
fn iban_is_valid(iban: &str) -> bool {
    let (head, rest) = iban.split_at(4);
    let mut remainder = 0u32;
    for c in rest.chars().chain(head.chars()) {
        let digits = if c.is_ascii_digit() { c.to_string() } else { (c as u32 - 55).to_string() };
        for d in digits.chars() {
            remainder = (remainder * 10 + d.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    remainder == 1
}

/// A failing hook rolls everything back; a profile's shape a column's type cannot take is
/// refused, naming it; nothing changes.
fn refuses_what_it_cannot_do(env: &TestEnv, db: &PgTestDb) {
    let broken = env.root.join("broken.sql");
    std::fs::write(&broken, "UPDATE no_such_table SET x = 1;\n").unwrap();
    let before = fingerprint(db);
    let failed = env
        .cmd()
        .args(["pseudonymize", &db.name, "--yes", "--force", "--sql"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed.stderr));
    assert!(text(&failed.stderr).contains("broken.sql failed"), "{}", text(&failed.stderr));
    assert_eq!(fingerprint(db), before, "a failing hook rolls everything back");
    let numbers = env.root.join("numbers.toml");
    std::fs::write(&numbers, "[columns]\n\"res_partner.x_score\" = \"hash\"\n").unwrap();
    db.client().batch_execute("ALTER TABLE res_partner ADD COLUMN x_score integer").unwrap();
    let before = fingerprint(db);
    let refused = env
        .cmd()
        .args(["pseudonymize", &db.name, "--yes", "--force", "--profile"])
        .arg(&numbers)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("res_partner.x_score is of type integer"));
    assert_eq!(fingerprint(db), before);
}

#[test]
fn odoo_19_people_are_pseudonymized_by_schema_and_nothing_of_them_is_left() {
    let env = TestEnv::new();
    let db = fixtures::shaped(19, "ps_people19");
    db.client().batch_execute(PEOPLE_19).unwrap();
    // A custom module's columns through a profile; a built-in one kept; a hook after the rules.
    let profile = env.root.join("profile.toml");
    std::fs::write(
        &profile,
        "[columns]\n\"res_partner.x_loyalty_ref\" = \"hash\"\n\"res_partner.x_notes\" = \"clear\"\n\"res_partner.x_code\" = \"clear\"\n\"res_partner.function\" = \"keep\"\n",
    )
    .unwrap();
    let hook = env.root.join("after.sql");
    std::fs::write(&hook, "UPDATE res_partner SET website = NULL WHERE website IS NOT NULL;\n")
        .unwrap();
    refuses_what_it_cannot_do(&env, &db);
    // A required text column cleared is emptied, not refused by the server.
    db.client()
        .batch_execute("ALTER TABLE res_partner ADD COLUMN x_code varchar NOT NULL DEFAULT 'C-77'")
        .unwrap();

    let done = env
        .cmd()
        .args(["pseudonymize", &db.name, "--yes", "--force", "--keep-admin", "--seed", "s"])
        .arg("--profile")
        .arg(&profile)
        .arg("--sql")
        .arg(&hook)
        .arg("--json")
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM res_partner WHERE x_code <> '' \
              AND id NOT IN (SELECT partner_id FROM res_company)"
        ),
        0
    );
    let report = json(&done);
    let hooks = &report["hooks"];
    assert_eq!(hooks[0].as_str().map(|h| h.ends_with("after.sql")), Some(true), "{report}");
    assert!(report["absent"].as_array().unwrap().iter().any(|t| t == "hr_candidate"), "{report}");

    // Not one of them is anywhere in the data any more.
    let dump = Process::new("pg_dump").args(["--data-only", &db.name]).output().unwrap();
    assert!(dump.status.success());
    let data = text(&dump.stdout);
    for original in [
        "Colleen",
        "Diaz",
        "Brandon",
        "Freeman",
        "colleen.diaz83",
        "mark.brown23",
        "Azure",
        "Julia",
        "EM123456",
        "830412",
        "BE68",
        "5390 0754",
        "NL91",
        "+32475123456",
        "475 12 34",
        "penicillin",
        "1-ABC-123",
        "041000000123",
        "Liège",
        "Bailli",
        "81.246.12.7",
        "1093847561",
        "JBSWY3DP",
        "f3c1a9e2",
        "7d1f0c2e9b8a4f6e",
        "CUST-0042",
        "wife Julia",
        "1983-04-12",
        "LOY-778899",
        "VIP since",
        "Diaz Consulting",
        "erp sync",
        "yubikey",
    ] {
        assert!(!data.contains(original), "{original:?} is still in the data");
    }
    assert!(data.contains("My Company"), "the company's own partner is kept");
    assert!(data.contains("Purchasing manager"), "a column the profile keeps is kept");
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM res_partner WHERE website IS NOT NULL"),
        0,
        "the hook ran"
    );

    // --keep-admin keeps the login, not the person: the signature is rewritten.
    assert_ne!(
        db.scalar_string("SELECT signature FROM res_users WHERE login = 'admin'").as_deref(),
        Some("<p>Administrator</p>")
    );
    assert_eq!(
        db.scalar_i64("SELECT count(DISTINCT login) FROM res_users WHERE login LIKE 'user-%'"),
        4
    );
    assert_one_pseudonym_per_value(&db);
}

/// One value, one pseudonym, in every table; what Odoo derives follows; credentials are gone.
fn assert_one_pseudonym_per_value(db: &PgTestDb) {
    let mut client = db.client();
    let one = |client: &mut postgres::Client, sql: &str| -> Option<String> {
        client.query_one(sql, &[]).unwrap().get(0)
    };
    // One address, one pseudonym, in every table; the sanitized forms follow.
    let colleen = one(&mut client, "SELECT email FROM res_partner WHERE id = 4").unwrap();
    assert!(colleen.ends_with("@example.invalid"), "{colleen}");
    for sql in [
        "SELECT email_normalized FROM res_partner WHERE id = 4",
        "SELECT email_normalized FROM crm_lead",
        "SELECT email_from FROM crm_lead",
        "SELECT email_from FROM mail_message WHERE author_id = 4",
        "SELECT login FROM res_users WHERE partner_id = 4",
        "SELECT private_email FROM hr_employee",
    ] {
        assert_eq!(one(&mut client, sql).as_deref(), Some(colleen.as_str()), "{sql}");
    }
    let brandon = one(&mut client, "SELECT email FROM res_partner WHERE id = 3").unwrap();
    assert_eq!(one(&mut client, "SELECT email FROM mailing_contact").unwrap(), brandon);
    let mark = one(&mut client, "SELECT email FROM res_partner WHERE id = 5").unwrap();
    assert_eq!(one(&mut client, "SELECT email FROM mail_blacklist").unwrap(), mark);
    assert_eq!(
        one(&mut client, "SELECT email_cc FROM crm_lead").unwrap(),
        format!("{brandon}, {mark}")
    );
    let sanitized =
        one(&mut client, "SELECT phone_sanitized FROM res_partner WHERE id = 4").unwrap();
    assert_eq!(one(&mut client, "SELECT number FROM phone_blacklist").unwrap(), sanitized);
    assert_eq!(one(&mut client, "SELECT phone_sanitized FROM crm_lead").unwrap(), sanitized);
    assert!(sanitized.starts_with("+32") && sanitized.len() == 12, "{sanitized}");
    // A person of a company reads as Odoo would write it, from the pseudonyms.
    let company = one(&mut client, "SELECT name FROM res_partner WHERE id = 2").unwrap();
    let person = one(&mut client, "SELECT name FROM res_partner WHERE id = 3").unwrap();
    assert_eq!(
        one(&mut client, "SELECT complete_name FROM res_partner WHERE id = 3").unwrap(),
        format!("{company}, {person}")
    );
    assert_eq!(
        one(&mut client, "SELECT commercial_company_name FROM res_partner WHERE id = 3").unwrap(),
        company
    );
    // The same name, the same pseudonym: the spouse is the emergency contact.
    assert_eq!(
        one(&mut client, "SELECT spouse_complete_name FROM hr_version"),
        one(&mut client, "SELECT emergency_contact FROM hr_employee")
    );
    // Bank accounts: valid IBANs of the same country, sanitized alike.
    for row in
        client.query("SELECT acc_number, sanitized_acc_number FROM res_partner_bank", &[]).unwrap()
    {
        let (number, sanitized): (String, String) = (row.get(0), row.get(1));
        assert_eq!(number, sanitized);
        assert!(iban_is_valid(&number), "{number}");
        assert!(number.starts_with("BE") || number.starts_with("NL"), "{number}");
    }
    // Credentials.
    assert_eq!(
        one(&mut client, "SELECT login FROM res_users WHERE login = 'admin'").as_deref(),
        Some("admin")
    );
    for sql in [
        "SELECT count(*)::text FROM res_users_apikeys",
        "SELECT count(*)::text FROM auth_passkey_key",
        "SELECT count(*)::text FROM res_users WHERE totp_secret IS NOT NULL OR totp_last_counter IS NOT NULL OR oauth_uid IS NOT NULL",
        "SELECT count(*)::text FROM res_device_log WHERE ip_address IS NOT NULL",
        "SELECT count(*)::text FROM sale_order WHERE access_token IS NOT NULL",
        "SELECT count(*)::text FROM mail_guest WHERE access_token IS NULL",
    ] {
        assert_eq!(one(&mut client, sql).as_deref(), Some("0"), "{sql}");
    }
}

#[test]
fn an_upgraded_test_copy_can_be_pseudonymized_too() {
    let env = TestEnv::new();
    let Some(source) = fixtures::real(&env, Real::Odoo15, "ps_upgrade") else { return };
    let copy = PgTestDb::reserve("ps_upg_copy");
    let emails = |db: &PgTestDb| values(db, "res_partner", "email", true);
    let before = emails(&source);
    let output = env
        .cmd()
        .args(["upgrade", "test", &source.name, "--target", "16.0", "--engine", "command"])
        .args(["--upgrade-command", crate::upgrade_command::UPGRADER, "--name", &copy.name])
        .args(["--pseudonymize", "--seed", "up", "-q"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("Every user's password is now: "), "shown even under -q");
    let after = emails(&copy);
    assert_eq!(after.len(), before.len());
    assert!(after.values().all(|e| e.ends_with("@example.invalid")), "{after:?}");
    assert_eq!(emails(&source), before, "the original is untouched");
    let check = env.cmd().args(["neutralize", &copy.name, "--check"]).output().unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));
}
