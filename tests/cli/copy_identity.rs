//! A copy's identity reaches the Odoo.com sign-in provider: its client id is the database uuid,
//! so every copy (duplicate, restore as a copy, neutralize's new uuid) gives it the new one, as
//! Odoo's own copy does, and leaves the other providers alone.

use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, TestEnv, archives};

const GOOGLE_CLIENT: &str = "123-prod.apps.googleusercontent.com";

/// The modern fixture (whose `auth_oauth_provider` has Odoo's columns) with the provider Odoo's
/// auth_oauth installs: client id = the database uuid, endpoints on accounts.odoo.com.
pub(crate) fn with_odoo_com_provider(env: &TestEnv, tag: &str) -> PgTestDb {
    let db = fixtures::modern(env, tag);
    db.client()
        .batch_execute(
            "INSERT INTO auth_oauth_provider (name, client_id, auth_endpoint, validation_endpoint, enabled) \
             SELECT 'Odoo.com Accounts', value, 'https://accounts.odoo.com/oauth2/auth', \
                    'https://accounts.odoo.com/oauth2/tokeninfo', true \
               FROM ir_config_parameter WHERE key = 'database.uuid'",
        )
        .unwrap();
    db
}

pub(crate) fn odoo_com_client(db: &PgTestDb) -> Option<String> {
    db.scalar_string(
        "SELECT client_id FROM auth_oauth_provider WHERE auth_endpoint LIKE 'https://accounts.odoo.com/%'",
    )
}

fn google_client(db: &PgTestDb) -> Option<String> {
    db.scalar_string("SELECT client_id FROM auth_oauth_provider WHERE name = 'Google OAuth2'")
}

#[test]
fn a_duplicate_gives_the_odoo_com_provider_its_new_uuid() {
    let env = TestEnv::new();
    let source = with_odoo_com_provider(&env, "oauth_dup_src");
    let production_uuid = source.param("database.uuid");
    assert_eq!(odoo_com_client(&source), production_uuid);
    let target = PgTestDb::reserve("oauth_dup_dst");
    let output = env.cmd().args(["duplicate", &source.name, &target.name]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let copy_uuid = target.param("database.uuid");
    assert_ne!(copy_uuid, production_uuid);
    assert_eq!(odoo_com_client(&target), copy_uuid, "Odoo.com knows the copy by its own uuid");
    assert_eq!(google_client(&target).as_deref(), Some(GOOGLE_CLIENT), "other providers kept");
    assert_eq!(odoo_com_client(&source), production_uuid, "the source is untouched");
    env.cmd().args(["neutralize", "--check", &target.name]).assert().code(4);
}

#[test]
fn a_restore_as_a_copy_renews_it_and_a_move_keeps_it() {
    let env = TestEnv::new();
    let source = with_odoo_com_provider(&env, "oauth_rs_src");
    let archive = archives::path_in(&env, "oauth.zip");
    archives::odoo_zip(&env, &source.name, &archive);
    let restore = |db: &PgTestDb, extra: &[&str]| {
        let output = env
            .cmd()
            .args(["restore", archive.to_str().unwrap(), &db.name])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };

    let copied = PgTestDb::reserve("oauth_rs_copy");
    restore(&copied, &[]);
    assert_ne!(copied.param("database.uuid"), source.param("database.uuid"));
    assert_eq!(odoo_com_client(&copied), copied.param("database.uuid"));

    let moved = PgTestDb::reserve("oauth_rs_move");
    restore(&moved, &["--move"]);
    assert_eq!(odoo_com_client(&moved), source.param("database.uuid"), "a move keeps it");
}

#[test]
fn neutralize_gives_it_the_new_uuid_and_check_finds_a_stale_one() {
    let env = TestEnv::new();
    let db = with_odoo_com_provider(&env, "oauth_nz");
    let production_uuid = db.param("database.uuid");
    let output = env.cmd().args(["neutralize", &db.name, "--yes"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_ne!(db.param("database.uuid"), production_uuid);
    assert_eq!(odoo_com_client(&db), db.param("database.uuid"));
    assert_eq!(google_client(&db).as_deref(), Some(GOOGLE_CLIENT));
    env.cmd().args(["neutralize", "--check", &db.name]).assert().code(0);

    // A copy whose provider still carries production's uuid is still live.
    db.client()
        .execute(
            "UPDATE auth_oauth_provider SET client_id = $1 WHERE name = 'Odoo.com Accounts'",
            &[&production_uuid],
        )
        .unwrap();
    let output = env.cmd().args(["neutralize", "--check", &db.name]).output().unwrap();
    assert_eq!(output.status.code(), Some(4));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("auth_oauth_provider.client_id of Odoo.com"), "{text}");
    env.cmd().args(["neutralize", &db.name, "--yes"]).assert().code(0);
    assert_eq!(odoo_com_client(&db), db.param("database.uuid"));
}

#[test]
fn without_auth_oauth_a_copy_is_made_as_before() {
    let env = TestEnv::new();
    let source = fixtures::legacy(&env, "oauth_none_src");
    source.client().batch_execute("DROP TABLE IF EXISTS auth_oauth_provider CASCADE").unwrap();
    let target = PgTestDb::reserve("oauth_none_dst");
    env.cmd().args(["duplicate", &source.name, &target.name]).assert().code(0);
    assert_ne!(target.param("database.uuid"), source.param("database.uuid"));
    env.cmd().args(["neutralize", &target.name, "--yes"]).assert().code(0);
}

#[test]
fn the_real_odoo_17_copy_identifies_as_itself_to_odoo_com() {
    let env = TestEnv::new();
    let Some(source) = fixtures::real(&env, Real::Odoo17, "oauth_real") else { return };
    let production_uuid = source.param("database.uuid");
    assert_eq!(odoo_com_client(&source), production_uuid, "auth_oauth is installed there");
    let target = PgTestDb::reserve("oauth_real_dst");
    env.cmd().args(["duplicate", &source.name, &target.name]).assert().code(0);
    assert_ne!(target.param("database.uuid"), production_uuid);
    assert_eq!(odoo_com_client(&target), target.param("database.uuid"));
    assert_eq!(
        target.scalar_string("SELECT client_id FROM auth_oauth_provider WHERE id = 3").as_deref(),
        Some("123456789-prod.apps.googleusercontent.com")
    );
}
