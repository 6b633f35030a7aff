//! Databases to test on: the project's own SQL fixtures (any machine), and the real Odoo
//! databases of `../shared/fixtures` (or `$ODOODB_FIXTURES`), restored once per test run into a
//! template and copied per test.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::{Mutex, OnceLock};

use super::{PREFIX, PgTestDb, Server, TEMPLATE_LOCK, TestEnv, admin, quote};

pub const MODERN_SQL: &str = include_str!("../../fixtures/odoo-modern.sql");
pub const LEGACY_SQL: &str = include_str!("../../fixtures/odoo-legacy.sql");
pub const ODOO18_SQL: &str = include_str!("../../fixtures/odoo18.sql");
pub const ODOO19_SQL: &str = include_str!("../../fixtures/odoo19.sql");

/// The modern fixture with the Odoo 18 (and with `version` 19, also 19) shape of the tables
/// neutralization touches.
pub fn shaped(version: u32, tag: &str) -> PgTestDb {
    let mut sql = format!("{MODERN_SQL}\n{ODOO18_SQL}");
    if version >= 19 {
        sql = format!("{sql}\n{ODOO19_SQL}");
    }
    PgTestDb::from_sql(tag, &sql)
}

/// An Odoo 16–18 shaped database with two real filestore attachments.
pub fn modern(env: &TestEnv, tag: &str) -> PgTestDb {
    let db = PgTestDb::from_sql(tag, MODERN_SQL);
    db.add_attachment(env, "logo.png", b"\x89PNG fake image bytes");
    db.add_attachment(env, "invoice.pdf", b"%PDF-1.4 fake invoice");
    db
}

/// An Odoo ≤ 15 shaped database (payment_acquirer, fetchmail module).
pub fn legacy(env: &TestEnv, tag: &str) -> PgTestDb {
    let db = PgTestDb::from_sql(tag, LEGACY_SQL);
    db.add_attachment(env, "old.txt", b"an Odoo 15 attachment");
    db
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Real {
    Odoo17,
    Odoo15,
}

impl Real {
    pub fn dir_name(self) -> &'static str {
        match self {
            Self::Odoo17 => "odoo17",
            Self::Odoo15 => "odoo15",
        }
    }
}

/// Where the real fixtures are, if they are on this machine.
pub fn fixtures_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ODOODB_FIXTURES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures"),
        PathBuf::from,
    );
    dir.join("odoo17/db.dump").is_file().then_some(dir)
}

pub fn real_file(version: Real, file: &str) -> Option<PathBuf> {
    fixtures_dir().map(|dir| dir.join(version.dir_name()).join(file))
}

/// Says the test is skipped, or fails when CI requires the fixtures.
pub fn skip(what: &str) {
    assert!(
        std::env::var_os("ODOODB_REQUIRE_FIXTURES").is_none(),
        "the real Odoo fixtures are required (ODOODB_REQUIRE_FIXTURES) but missing: set ODOODB_FIXTURES"
    );
    eprintln!(
        "SKIPPED {what}: real Odoo fixtures not found (../shared/fixtures or $ODOODB_FIXTURES)"
    );
}

/// A fresh copy of a real Odoo database, with its filestore in `env`'s data_dir.
/// `None` (after saying so) when the fixtures are not on this machine.
pub fn real(env: &TestEnv, version: Real, tag: &str) -> Option<PgTestDb> {
    let Some(dir) = fixtures_dir() else {
        skip(tag);
        return None;
    };
    let template = real_template(version, &dir);
    let db = PgTestDb::reserve(tag);
    {
        let _guard = TEMPLATE_LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        admin()
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE {}",
                quote(&db.name),
                quote(&template)
            ))
            .unwrap();
    }
    let extracted = real_filestore(version, &dir);
    copy_tree(&extracted, &env.filestore(&db.name));
    Some(db)
}

/// The per-run template of a real fixture, restored from its `db.dump` on first use.
fn real_template(version: Real, dir: &Path) -> String {
    static TEMPLATES: Mutex<Vec<(Real, String)>> = Mutex::new(Vec::new());
    let mut templates = TEMPLATES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, name)) = templates.iter().find(|(v, _)| *v == version) {
        return name.clone();
    }
    let name = format!("{PREFIX}{}_tpl_{}", std::process::id(), version.dir_name());
    admin().batch_execute(&format!("CREATE DATABASE {}", quote(&name))).unwrap();
    let server = Server::get();
    let status = Process::new("pg_restore")
        .args([
            "--no-owner",
            "--exit-on-error",
            "-h",
            &server.host,
            "-p",
            &server.port.to_string(),
            "-U",
            &server.user,
            "-d",
            &name,
        ])
        .arg(dir.join(version.dir_name()).join("db.dump"))
        .status()
        .unwrap();
    assert!(status.success(), "pg_restore of the {} fixture failed", version.dir_name());
    templates.push((version, name.clone()));
    name
}

/// The fixture's `filestore.tar.gz`, extracted once per test run.
fn real_filestore(version: Real, dir: &Path) -> PathBuf {
    static EXTRACTED: OnceLock<tempfile::TempDir> = OnceLock::new();
    let base = EXTRACTED
        .get_or_init(|| tempfile::Builder::new().prefix("odoodb-fixtures-").tempdir().unwrap());
    let target = base.path().join(version.dir_name());
    let _guard = TEMPLATE_LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !target.exists() {
        let partial = base.path().join(format!("{}.partial", version.dir_name()));
        std::fs::create_dir_all(&partial).unwrap();
        let status = Process::new("tar")
            .arg("-C")
            .arg(&partial)
            .arg("-xzf")
            .arg(dir.join(version.dir_name()).join("filestore.tar.gz"))
            .status()
            .unwrap();
        assert!(status.success(), "extracting the {} filestore failed", version.dir_name());
        std::fs::rename(&partial, &target).unwrap();
    }
    target
}

/// `cp -a` of a directory tree (regular files and folders).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
