//! The test harness: a `TestEnv` owning temp HOME/data_dir/odoo.conf and running the real
//! binary with a cleared environment, and `PgTestDb`, a uniquely named database on the real
//! PostgreSQL server that is dropped when the test ends (kept if it panicked).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr, dead_code)]

pub mod archives;
pub mod fixtures;
pub mod platform;
pub mod s3;
pub mod spawned;
pub mod sshd;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

pub use spawned::Spawned;

/// Every database the tests make starts with this, so a sweep can find leftovers.
pub const PREFIX: &str = "odoodbt_";

/// No command in a test may run longer than this.
const COMMAND_TIMEOUT: Duration = Duration::from_mins(2);

/// No background child (`TestEnv::spawn`) may live longer than this: longer than the tests'
/// own deadlines (at most two minutes), so only a hang reaches it.
const BACKGROUND_TIMEOUT: Duration = Duration::from_mins(5);

pub struct TestEnv {
    _dir: TempDir,
    pub root: PathBuf,
    pub home: PathBuf,
    pub data_dir: PathBuf,
    pub odoo_conf: PathBuf,
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("odoodb-test-").tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let home = root.join("home");
        let data_dir = root.join("data");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(data_dir.join("filestore")).unwrap();
        let odoo_conf = root.join("odoo.conf");
        let mut conf = format!("[options]\ndata_dir = {}\n", data_dir.display());
        let server = Server::get();
        let _ = write!(
            conf,
            "db_host = {}\ndb_port = {}\ndb_user = {}\n",
            server.host, server.port, server.user
        );
        std::fs::write(&odoo_conf, conf).unwrap();
        Self { _dir: dir, root, home, data_dir, odoo_conf }
    }

    /// The binary with a cleared environment: temp HOME, this env's odoo.conf, no terminal.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare_cmd();
        cmd.env("ODOO_RC", &self.odoo_conf);
        cmd
    }

    /// The binary with a cleared environment and no odoo.conf at all.
    pub fn bare_cmd(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("odoodb"));
        cmd.env_clear().envs(self.cleared_env()).timeout(COMMAND_TIMEOUT);
        cmd
    }

    /// What every run of the binary gets instead of the test's own environment: temp HOME,
    /// PATH, fixed `COLUMNS`, no colour.
    fn cleared_env(&self) -> [(&'static str, std::ffi::OsString); 4] {
        [
            ("HOME", self.home.clone().into_os_string()),
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("COLUMNS", "200".into()),
            ("NO_COLOR", "1".into()),
        ]
    }

    /// The binary as a background child process, for a test that acts while it runs (signals
    /// it, changes the server or files under it, runs another command meanwhile): this env's
    /// odoo.conf and cleared environment (as `cmd`), no terminal (stdin empty), stdout
    /// dropped, stderr piped. `setup` changes any of that (`env`, `stdout`, `stdin`,
    /// `current_dir`, `env_remove`). The child is watched: past `BACKGROUND_TIMEOUT` it is
    /// killed (with its own children) and the wait panics; dropped unwaited, it is killed.
    pub fn spawn<I, S>(&self, args: I, setup: impl FnOnce(&mut std::process::Command)) -> Spawned
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.spawn_within(BACKGROUND_TIMEOUT, args, setup)
    }

    /// `spawn` with another deadline than `BACKGROUND_TIMEOUT`.
    pub fn spawn_within<I, S>(
        &self,
        timeout: Duration,
        args: I,
        setup: impl FnOnce(&mut std::process::Command),
    ) -> Spawned
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("odoodb"));
        command
            .env_clear()
            .envs(self.cleared_env())
            .env("ODOO_RC", &self.odoo_conf)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        setup(&mut command);
        Spawned::start(&mut command, timeout)
    }

    pub fn filestore(&self, db: &str) -> PathBuf {
        self.data_dir.join("filestore").join(db)
    }

    /// Writes a file into `db`'s filestore the way Odoo does (named by its sha1); returns
    /// the `store_fname`.
    pub fn add_file(&self, db: &str, content: &[u8]) -> String {
        let sha = sha1_smol::Sha1::from(content).digest().to_string();
        let store_fname = format!("{}/{sha}", &sha[..2]);
        let path = self.filestore(db).join(&store_fname);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        store_fname
    }
}

/// Where the test server is: PGHOST/PGPORT/PGUSER of the test run, else the local socket as
/// the OS user (what `.ci/run` and `scripts/test` set up).
pub struct Server {
    pub host: String,
    pub port: u16,
    pub user: String,
}

impl Server {
    pub fn get() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            host: var("PGHOST").unwrap_or_else(|| "/var/run/postgresql".into()),
            port: var("PGPORT").and_then(|p| p.parse().ok()).unwrap_or(5432),
            user: var("PGUSER").or_else(|| var("USER")).unwrap_or_else(|| "root".into()),
        }
    }

    pub fn client(&self, db: &str) -> postgres::Client {
        let mut config = postgres::Config::new();
        if self.host.starts_with('/') {
            config.host_path(&self.host);
        } else {
            config.host(&self.host);
        }
        if let Ok(password) = std::env::var("PGPASSWORD") {
            config.password(&password);
        }
        config
            .port(self.port)
            .user(&self.user)
            .dbname(db)
            .connect_timeout(Duration::from_secs(10))
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server ({e}); run scripts/test, which starts it"))
    }
}

pub fn admin() -> postgres::Client {
    Server::get().client("postgres")
}

pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn database_exists(name: &str) -> bool {
    database_exists_on(&Server::get(), name)
}

/// `database_exists` on `server`.
pub fn database_exists_on(server: &Server, name: &str) -> bool {
    server
        .client("postgres")
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_some()
}

/// Databases whose name starts with `prefix`.
pub fn databases_like(prefix: &str) -> Vec<String> {
    admin()
        .query(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1",
            &[&prefix],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

pub fn drop_database(name: &str) {
    admin()
        .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote(name)))
        .unwrap();
}

/// A database of this test run; dropped with every `<name>…` temporary at the end.
pub struct PgTestDb {
    pub name: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);
static SWEEP: Once = Once::new();
/// Template copies from one source must not overlap with that source being written.
pub static TEMPLATE_LOCK: Mutex<()> = Mutex::new(());

impl PgTestDb {
    /// A unique name (≤ 40 bytes, so commands can add suffixes), not yet created.
    pub fn reserve(tag: &str) -> Self {
        sweep_leftovers();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let mut name = format!("{PREFIX}{}_{n}_{tag}", std::process::id());
        name.truncate(40);
        Self { name }
    }

    pub fn empty(tag: &str) -> Self {
        let db = Self::reserve(tag);
        admin().batch_execute(&format!("CREATE DATABASE {}", quote(&db.name))).unwrap();
        db
    }

    /// A database built from SQL text.
    pub fn from_sql(tag: &str, sql: &str) -> Self {
        let db = Self::empty(tag);
        db.client().batch_execute(sql).unwrap();
        db
    }

    pub fn client(&self) -> postgres::Client {
        Server::get().client(&self.name)
    }

    pub fn scalar_i64(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).unwrap().get(0)
    }

    pub fn scalar_string(&self, sql: &str) -> Option<String> {
        self.client().query_opt(sql, &[]).unwrap().and_then(|row| row.get(0))
    }

    pub fn param(&self, key: &str) -> Option<String> {
        self.client()
            .query_opt("SELECT value FROM ir_config_parameter WHERE key = $1", &[&key])
            .unwrap()
            .map(|row| row.get(0))
    }

    /// Adds a filestore attachment: a real file in `env`'s filestore and its ir_attachment row.
    pub fn add_attachment(&self, env: &TestEnv, name: &str, content: &[u8]) -> String {
        let store_fname = env.add_file(&self.name, content);
        let checksum = store_fname.split('/').nth(1).unwrap().to_string();
        let size = i32::try_from(content.len()).unwrap();
        self.client()
            .execute(
                "INSERT INTO ir_attachment (name, type, store_fname, checksum, file_size) VALUES ($1, 'binary', $2, $3, $4)",
                &[&name, &store_fname, &checksum, &size],
            )
            .unwrap();
        store_fname
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("keeping database {} for inspection (test failed)", self.name);
            return;
        }
        for name in databases_like(&self.name) {
            drop_database(&name);
        }
    }
}

/// A login role with a password, for TCP connections; dropped at the end.
pub struct PasswordRole {
    pub name: String,
    pub password: String,
}

impl PasswordRole {
    pub fn new(tag: &str) -> Self {
        let name = format!("{PREFIX}{}_{tag}", std::process::id());
        let password = format!("pw-{tag}-7f3a9c");
        admin()
            .batch_execute(&format!("CREATE ROLE {} LOGIN PASSWORD '{password}'", quote(&name)))
            .unwrap();
        Self { name, password }
    }
}

impl Drop for PasswordRole {
    fn drop(&mut self) {
        let _ = admin().batch_execute(&format!("DROP ROLE IF EXISTS {}", quote(&self.name)));
    }
}

/// Drops the databases of earlier test runs whose process is gone (crashed or killed).
fn sweep_leftovers() {
    SWEEP.call_once(|| {
        for name in databases_like(PREFIX) {
            let pid = name[PREFIX.len()..].split('_').find_map(|part| part.parse::<u32>().ok());
            if let Some(pid) = pid
                && pid != std::process::id()
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                drop_database(&name);
            }
        }
    });
}

/// Every regular file under `dir`, as relative paths, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            out.extend(walkdir(&path));
        } else if kind.is_file() {
            out.push(path);
        }
    }
    out
}

/// The entry of database `name` in a `list --json` document (null when it is not listed).
pub fn listed(listing: &serde_json::Value, name: &str) -> serde_json::Value {
    listing["databases"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["name"] == name))
        .cloned()
        .unwrap_or_default()
}

/// Parses stdout as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout))
    })
}

/// The tables of the public schema, by name.
pub fn public_tables(client: &mut postgres::Client) -> Vec<String> {
    client
        .query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// Row counts of every table in the public schema.
pub fn row_counts(db: &str) -> std::collections::BTreeMap<String, i64> {
    row_counts_on(&Server::get(), db)
}

/// `row_counts` of a database on `server`.
pub fn row_counts_on(server: &Server, db: &str) -> std::collections::BTreeMap<String, i64> {
    let mut client = server.client(db);
    public_tables(&mut client)
        .into_iter()
        .map(|table| {
            let count: i64 = client
                .query_one(&format!("SELECT count(*) FROM {}", quote(&table)), &[])
                .unwrap()
                .get(0);
            (table, count)
        })
        .collect()
}

/// What odoodb runs of this test environment left: temporary databases (their COMMENT names
/// the journal, which lives in this environment's data_dir), temporary folders, and journals.
/// `_base` is kept for readability at the call sites: every name is the environment's own.
pub fn leftovers(env: &TestEnv, _base: &str) -> Vec<String> {
    leftovers_on(&Server::get(), env)
}

/// `leftovers` of `env`'s runs against `server`.
pub fn leftovers_on(server: &Server, env: &TestEnv) -> Vec<String> {
    let mut found = temporary_databases_on(server, env);
    let root = env.data_dir.join("filestore");
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("_odoodb_") || name.contains("__odoodb_") {
                found.push(format!("folder {name}"));
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join(".odoodb-journal")) {
        for entry in entries.flatten() {
            found.push(format!("journal {}", entry.file_name().to_string_lossy()));
        }
    }
    found
}

/// Temporary databases made by odoodb runs of this environment.
pub fn temporary_databases(env: &TestEnv) -> Vec<String> {
    temporary_databases_on(&Server::get(), env)
}

/// `temporary_databases` on `server`.
pub fn temporary_databases_on(server: &Server, env: &TestEnv) -> Vec<String> {
    let marker = env.data_dir.display().to_string();
    server
        .client("postgres")
        .query(
            "SELECT datname::text FROM pg_database \
              WHERE starts_with(datname, '_odoodb_') \
                AND position($1 IN coalesce(shobj_description(oid, 'pg_database'), '')) > 0 \
              ORDER BY 1",
            &[&marker],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        for name in temporary_databases(self) {
            drop_database(&name);
        }
    }
}

/// Opens a session on `db` that looks like an Odoo worker.
pub fn odoo_session(db: &str) -> postgres::Client {
    let server = Server::get();
    let mut config = postgres::Config::new();
    if server.host.starts_with('/') {
        config.host_path(&server.host);
    } else {
        config.host(&server.host);
    }
    config.port(server.port).user(&server.user).dbname(db).application_name("odoo-worker");
    config.connect(postgres::NoTls).unwrap()
}

/// Runs `chattr +i` on `dir` until dropped: not even root may create entries in it.
pub struct Immutable(PathBuf);

impl Immutable {
    pub fn new(dir: &Path) -> Option<Self> {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if ok { Some(Self(dir.to_path_buf())) } else { None }
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// A program's output as text, for messages and `contains`.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The COMMENT on database `db`.
pub fn comment(db: &str) -> Option<String> {
    admin()
        .query_one(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            &[&db],
        )
        .unwrap()
        .get(0)
}

/// Whether `db` accepts new connections (`ALLOW_CONNECTIONS`).
pub fn allows_connections(db: &str) -> bool {
    allows_connections_on(&Server::get(), db)
}

/// `allows_connections` on `server`.
pub fn allows_connections_on(server: &Server, db: &str) -> bool {
    server
        .client("postgres")
        .query_one("SELECT datallowconn FROM pg_database WHERE datname = $1", &[&db])
        .unwrap()
        .get(0)
}

/// Every row of every public table, as text, hashed per table: equal maps mean equal content.
pub fn checksums(db: &str) -> std::collections::BTreeMap<String, String> {
    checksums_on(&Server::get(), db)
}

/// `checksums` of a database on `server`. A database closed to connections (a kept original)
/// is opened for the reading and closed again: assert its closing before.
pub fn checksums_on(server: &Server, db: &str) -> std::collections::BTreeMap<String, String> {
    let closed = !allows_connections_on(server, db);
    let allow = |on: bool| {
        server
            .client("postgres")
            .batch_execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS {on}", quote(db)))
            .unwrap();
    };
    if closed {
        allow(true);
    }
    let sums = open_checksums_on(server, db);
    if closed {
        allow(false);
    }
    sums
}

fn open_checksums_on(server: &Server, db: &str) -> std::collections::BTreeMap<String, String> {
    let mut client = server.client(db);
    public_tables(&mut client)
        .into_iter()
        .map(|table| {
            let sql = format!(
                "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {} t",
                quote(&table)
            );
            let sum: String = client.query_one(&sql, &[]).unwrap().get(0);
            (table, sum)
        })
        .collect()
}
