//! `restore --owner ROLE` run by a superuser, on dumps as Odoo makes them (they create pg_trgm
//! and comment on it): the database, its tables and its extensions belong to the role, as when
//! Odoo itself, connected as that role, restores.

use std::path::Path;

use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, TestEnv, admin, archives, quote};

/// A login role made for the test, dropped (with what it still owns) at the end.
struct Role(String);

impl Role {
    fn new(tag: &str) -> Self {
        let name = format!("{}{}_{tag}", crate::support::PREFIX, std::process::id());
        admin()
            .batch_execute(&format!("DROP ROLE IF EXISTS {0}; CREATE ROLE {0} LOGIN", quote(&name)))
            .unwrap();
        Self(name)
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        let _ = admin().batch_execute(&format!("DROP ROLE IF EXISTS {}", quote(&self.0)));
    }
}

/// The modern fixture with pg_trgm, as every Odoo database has it (Odoo creates it).
fn with_pg_trgm(env: &TestEnv, tag: &str) -> PgTestDb {
    let db = fixtures::modern(env, tag);
    db.client().batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm").unwrap();
    db
}

fn assert_owned_by(db: &PgTestDb, role: &str) {
    let owner = |sql: &str| db.scalar_string(sql).unwrap_or_default();
    assert_eq!(
        owner(&format!(
            "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = '{}'",
            db.name
        )),
        role
    );
    assert_eq!(
        owner(
            "SELECT string_agg(DISTINCT tableowner::text, ',') FROM pg_tables WHERE schemaname = 'public'"
        ),
        role,
        "the tables are the role's"
    );
    assert_eq!(
        owner("SELECT pg_get_userbyid(extowner)::text FROM pg_extension WHERE extname = 'pg_trgm'"),
        role,
        "the role created pg_trgm, as under Odoo"
    );
}

fn restore_as(env: &TestEnv, archive: &Path, db: &PgTestDb, role: &str) {
    let output =
        env.cmd().arg("restore").arg(archive).args([&db.name, "--owner", role]).output().unwrap();
    assert!(output.status.success(), "restore failed: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn owner_takes_a_dump_with_pg_trgm_in_every_form() {
    let env = TestEnv::new();
    let role = Role::new("rs_owner");
    let source = with_pg_trgm(&env, "rs_owner_src");

    let custom = archives::path_in(&env, "trgm.dump");
    archives::pg_dump(&source.name, &["-Fc"], &custom);
    let restored = PgTestDb::reserve("rs_owner_fc");
    restore_as(&env, &custom, &restored, &role.0);
    assert_owned_by(&restored, &role.0);

    // Odoo's zip: plain SQL, loaded by psql.
    let zip = archives::path_in(&env, "trgm.zip");
    archives::odoo_zip(&env, &source.name, &zip);
    let restored = PgTestDb::reserve("rs_owner_zip");
    restore_as(&env, &zip, &restored, &role.0);
    assert_owned_by(&restored, &role.0);
}

#[test]
fn owner_takes_the_real_odoo_17_dump() {
    let env = TestEnv::new();
    let Some(dump) = fixtures::real_file(Real::Odoo17, "db.dump") else {
        fixtures::skip("rs_owner_real");
        return;
    };
    let role = Role::new("rs_owner_real");
    let restored = PgTestDb::reserve("rs_owner_real");
    restore_as(&env, &dump, &restored, &role.0);
    assert_owned_by(&restored, &role.0);
    assert_eq!(restored.scalar_i64("SELECT count(*) FROM res_partner"), 42);
}
