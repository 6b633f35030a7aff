//! Snapshots of the human output (no `--json`): what a user reads, on stdout and stderr, with
//! the exit code, for every command and for the errors a user meets most. The other test
//! modules assert the server's state; these show every wording change in review.
//!
//! Each snapshot is one transcript: the command line, `exit: <code>`, stdout, stderr. Filters
//! (`filters()`) replace what changes from run to run: the test's database names (by
//! placeholder: `[DB]`, `[COPY]`…), temp paths (`[ROOT]`, `[FIXTURES]`), the server's address
//! and role, durations, sizes, uuids, dates and times, run ids, hashes, tool versions, the
//! number of jobs; the `list` table has its column padding collapsed, since its widths follow
//! every database on the shared server. Runs have no terminal and `COLUMNS=200`.
//!
//! The snapshots are in `tests/cli/snapshots/`. After an intended change of output, bless them
//! (no `cargo insta` needed) and review the diff:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test cli snapshots::
//! git diff tests/cli/snapshots/
//! ```
//!
//! Otherwise a mismatch fails the test: with `CI` set (or `INSTA_UPDATE=no`) nothing is
//! written; on a workstation insta also leaves a `.snap.new` beside the snapshot
//! (`cargo insta review` takes it, or delete it).

use std::path::Path;
use std::process::Output;

use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, Server, TestEnv};

/// What varies between runs of the same snapshot, in the order it is replaced.
fn filters(env: &TestEnv, names: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut names = names.to_vec();
    // The longest first: a name may contain another.
    names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    for (name, placeholder) in names {
        out.push((regex_escape(&name), placeholder));
    }
    out.push((regex_escape(&env.root.display().to_string()), "[ROOT]".into()));
    if let Some(dir) = fixtures::fixtures_dir() {
        // As given (`../shared/fixtures` joined to the project, or $ODOODB_FIXTURES) and as
        // the file system names it.
        out.push((regex_escape(&dir.display().to_string()), "[FIXTURES]".into()));
        if let Ok(real) = std::fs::canonicalize(&dir) {
            out.push((regex_escape(&real.display().to_string()), "[FIXTURES]".into()));
        }
    }
    let server = Server::get();
    let address = if server.host.starts_with('/') {
        format!("{}/.s.PGSQL.{}", server.host, server.port)
    } else {
        format!("{}:{}", server.host, server.port)
    };
    out.push((regex_escape(&address), "[SERVER]".into()));
    if server.host.starts_with('/') {
        // The same socket folder with another port (a server that is not there).
        out.push((
            format!("{}/\\.s\\.PGSQL", regex_escape(&server.host)),
            "[PGHOST]/.s.PGSQL".into(),
        ));
    }
    out.push((
        format!("role {}", regex_escape(&format!("{:?}", server.user))),
        "role [USER]".into(),
    ));
    out.push((r"(?m)^( Owner +)\S+$".into(), "$1[USER]".into()));
    let generic: &[(&str, &str)] = &[
        // odoodb's temporary databases and folders, and a run's id.
        (r"_odoodb_[a-z]+_[0-9a-f]+", "_odoodb_[TMP]"),
        (r"\brun [0-9a-f]{8}\b", "run [RUN]"),
        (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[UUID]"),
        (r"\b[0-9a-f]{64}\b", "[SHA256]"),
        // Times: ISO timestamps, the date-time in names (`_pre_18.0_…`, backups), dates.
        (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?", "[TIMESTAMP]"),
        (r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}", "[DATETIME]"),
        (r"\b\d{4}-\d{2}-\d{2}\b", "[DATE]"),
        // Durations: 0.4s, 12ms, 1m 3s, 2 s.
        (r"\b(\d+m )?\d+(\.\d+)? ?(ms|s)\b", "[TIME]"),
        // Sizes.
        (r"\b\d+(\.\d+)? ?(B|KiB|MiB|GiB|TiB|bytes)\b", "[SIZE]"),
        // Versions of the server and its tools, and of odoodb.
        (r"\b(pg_dump|pg_restore|psql|server) \d+(\.\d+)+( \([^)]*\))?", "$1 [VERSION]"),
        (r"\bPostgreSQL \d+(\.\d+)?\b", "PostgreSQL [VERSION]"),
        (r"\bodoodb \d+\.\d+\.\d+\b", "odoodb [VERSION]"),
        // Parallel jobs follow the number of CPUs.
        (r"\b\d+ jobs\b", "[N] jobs"),
    ];
    out.extend(generic.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())));
    out
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One snapshot's environment: the database names to hide behind placeholders.
struct Snap<'a> {
    env: &'a TestEnv,
    names: Vec<(String, String)>,
    /// Filters of this snapshot only, after the others.
    extra: Vec<(String, String)>,
}

impl<'a> Snap<'a> {
    fn new(env: &'a TestEnv) -> Self {
        Self { env, names: Vec::new(), extra: Vec::new() }
    }

    /// Also replaces `regex` by `replacement`.
    fn filter(mut self, regex: &str, replacement: &str) -> Self {
        self.extra.push((regex.to_string(), replacement.to_string()));
        self
    }

    /// Shows `name` as `[placeholder]`.
    fn name(mut self, name: &str, placeholder: &str) -> Self {
        self.names.push((name.to_string(), format!("[{placeholder}]")));
        self
    }

    /// Runs `odoodb args` in the test's folder and compares the transcript with the snapshot.
    fn run(&self, snapshot: &str, args: &[&str]) -> Output {
        self.run_with(snapshot, args, |_| {})
    }

    fn run_with(
        &self,
        snapshot: &str,
        args: &[&str],
        setup: impl FnOnce(&mut assert_cmd::Command),
    ) -> Output {
        let mut cmd = self.env.cmd();
        cmd.current_dir(&self.env.root).args(args);
        setup(&mut cmd);
        let output = cmd.output().unwrap();
        self.assert(snapshot, args, &output);
        output
    }

    /// A read-only command run again while its output shows another test's odoodb connected
    /// to this test's database: `list` (run by other tests) opens every Odoo database on the
    /// shared server, and `info` lists the sessions.
    fn run_alone(&self, snapshot: &str, args: &[&str]) -> Output {
        let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
        loop {
            let output = self.env.cmd().current_dir(&self.env.root).args(args).output().unwrap();
            let visited = String::from_utf8_lossy(&output.stdout).contains("odoodb from ");
            if !visited || std::time::Instant::now() > deadline {
                self.assert(snapshot, args, &output);
                return output;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }

    /// `odoodb recover` with nothing of this test to recover, run again while another test's
    /// killed run has a temporary on the shared server (its warning also takes the place of
    /// "Nothing to recover.").
    fn run_settled(&self, snapshot: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
        loop {
            let output =
                self.env.cmd().current_dir(&self.env.root).arg("recover").output().unwrap();
            let strangers = String::from_utf8_lossy(&output.stderr).lines().any(is_stranger);
            if !strangers || std::time::Instant::now() > deadline {
                self.assert(snapshot, &["recover"], &output);
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }

    fn assert(&self, snapshot: &str, args: &[&str], output: &Output) {
        let text = transcript(args, output, str::to_string);
        self.assert_text(snapshot, &text);
    }

    fn assert_text(&self, snapshot: &str, text: &str) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        for (regex, replacement) in
            filters(self.env, &self.names).into_iter().chain(self.extra.clone())
        {
            settings.add_filter(&regex, replacement);
        }
        settings.bind(|| insta::assert_snapshot!(snapshot, text));
    }
}

/// `$ odoodb …`, the exit code, stdout (as `shape` makes it) and stderr, trailing blanks off.
fn transcript(args: &[&str], output: &Output, shape: impl Fn(&str) -> String) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if a.contains([' ', '\'', '"', '$', ';']) { format!("'{a}'") } else { (*a).to_string() }
        })
        .collect();
    let stdout = shape(&String::from_utf8_lossy(&output.stdout));
    let stderr: String = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !is_stranger(line))
        .flat_map(|line| [line, "\n"])
        .collect();
    let trim = |text: &str| -> String {
        text.lines().flat_map(|l| [l.trim_end(), "\n"]).collect::<String>()
    };
    let code =
        output.status.code().map_or_else(|| format!("{:?}", output.status), |c| c.to_string());
    format!(
        "$ odoodb {}\nexit: {code}\n--- stdout\n{}--- stderr\n{}",
        quoted.join(" "),
        trim(&stdout),
        trim(&stderr)
    )
}

/// The warning every command that settles interrupted runs (and `list`) gives about a
/// temporary database of another data_dir whose run is gone: on the server the tests share,
/// another test's killed run, until that test recovers it. Not this test's output.
fn is_stranger(line: &str) -> bool {
    line.starts_with("warning: database _odoodb_")
        && line.contains(" is an odoodb temporary with no journal in this data directory")
}

/// The `list` table reduced to the rows of `names` (the server is shared with other tests),
/// its columns separated by two blanks whatever their width.
/// Rows come in the order of `names` (the listing's order follows the names' unique parts).
fn own_rows(stdout: &str, names: &[&str]) -> String {
    let cells = |line: &str| -> Vec<String> {
        line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
    };
    let mut header = String::new();
    let mut footer = String::new();
    let mut rows: Vec<(usize, String)> = Vec::new();
    for line in stdout.lines() {
        if let Some((_, rest)) = line.split_once(" databases on ") {
            footer = format!("[N] databases on {rest}\n");
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or_default();
        if first == "NAME" {
            header = cells(line).join("  ") + "\n";
        } else if let Some(at) = names.iter().position(|name| *name == first) {
            let mut row = cells(line);
            if row.len() > 2 {
                row[2] = "[USER]".into();
            }
            rows.push((at, row.join("  ") + "\n"));
        }
    }
    rows.sort();
    header + &rows.into_iter().map(|(_, row)| row).collect::<String>() + &footer
}

/// Waits (at most a minute) until no session is open on `db`.
fn wait_for_no_sessions(db: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    loop {
        let open: i64 = crate::support::admin()
            .query_one("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", &[&db])
            .unwrap()
            .get(0);
        if open == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{open} sessions stay open on {db}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn backups(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Reading: list, info.

#[test]
fn list() {
    let env = TestEnv::new();
    let modern = fixtures::modern(&env, "snap_list_m");
    let legacy = fixtures::legacy(&env, "snap_list_l");
    // Attachments whose folder is gone: a warning in its row.
    let bare = PgTestDb::from_sql("snap_list_b", fixtures::MODERN_SQL);
    bare.client()
        .execute(
            "INSERT INTO ir_attachment (name, type, store_fname) VALUES ('x', 'binary', 'ab/cd')",
            &[],
        )
        .unwrap();
    let args = ["list"];
    let output = env.cmd().current_dir(&env.root).args(args).output().unwrap();
    let names = [modern.name.as_str(), legacy.name.as_str(), bare.name.as_str()];
    let text = transcript(&args, &output, |stdout| own_rows(stdout, &names));
    Snap::new(&env)
        .name(&modern.name, "MODERN")
        .name(&legacy.name, "LEGACY")
        .name(&bare.name, "NO_FILESTORE")
        .assert_text("list", &text);
}

#[test]
fn info() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_info");
    let snap = Snap::new(&env).name(&db.name, "DB");
    snap.run_alone("info", &["info", &db.name]);
    snap.run_alone("info_modules", &["info", &db.name, "--modules"]);
}

#[test]
fn info_of_a_real_odoo_17() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo17, "snap_info17") else { return };
    Snap::new(&env).name(&db.name, "DB").run_alone("info_real_odoo17", &["info", &db.name]);
}

// ---------------------------------------------------------------------------------------------
// Backup and restore.

#[test]
fn backup_verify_and_restore() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_bk");
    let restored = PgTestDb::reserve("snap_bk_restored");
    let archive = env.root.join("prod.tar.gz");
    let snap = Snap::new(&env).name(&db.name, "DB").name(&restored.name, "RESTORED");
    let output = snap.run("backup", &["backup", &db.name, "-o", path(&archive)]);
    assert!(output.status.success());
    snap.run("backup_verify", &["backup", "--verify", path(&archive)]);
    let output = snap.run("restore", &["restore", path(&archive), &restored.name]);
    assert!(output.status.success());
    snap.run("restore_existing_target_without_force", &["restore", path(&archive), &restored.name]);

    // Damaged: the first two thirds of the archive.
    let bytes = std::fs::read(&archive).unwrap();
    let cut = env.root.join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    snap.run("backup_verify_damaged", &["backup", "--verify", path(&cut)]);
    let target = PgTestDb::reserve("snap_bk_cut");
    Snap::new(&env)
        .name(&target.name, "TARGET")
        .run("restore_truncated_archive", &["restore", path(&cut), &target.name]);
}

#[test]
fn backup_in_each_format() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_fmt");
    let snap = Snap::new(&env).name(&db.name, "DB");
    let dir = backups(&env);
    for format in ["zip", "dump"] {
        let output = snap.run(
            &format!("backup_{format}"),
            &["backup", &db.name, "--format", format, "--dir", path(&dir)],
        );
        assert!(output.status.success());
    }
}

#[test]
fn restore_of_odoos_own_zip() {
    let env = TestEnv::new();
    let Some(zip) = fixtures::real_file(Real::Odoo17, "odoo-backup.zip") else {
        fixtures::skip("restore_of_odoos_own_zip");
        return;
    };
    let target = PgTestDb::reserve("snap_zip17");
    let snap = Snap::new(&env).name(&target.name, "DB");
    let output = snap.run("restore_odoo17_zip", &["restore", path(&zip), &target.name]);
    assert!(output.status.success());
    snap.run("neutralize_dry_run_real_odoo17", &["neutralize", &target.name, "--dry-run"]);
}

#[test]
fn restore_errors() {
    let env = TestEnv::new();
    let target = PgTestDb::reserve("snap_rs_err");
    let snap = Snap::new(&env).name(&target.name, "TARGET");
    let junk = env.root.join("notes.tar.gz");
    std::fs::write(&junk, "not an archive\n").unwrap();
    snap.run("restore_not_an_archive", &["restore", path(&junk), &target.name]);
    let missing = env.root.join("missing.zip");
    snap.run("restore_missing_file", &["restore", path(&missing), &target.name]);
    snap.run("restore_invalid_database_name", &["restore", path(&junk), "bad/name"]);
    snap.run_with("restore_empty_stdin", &["restore", "-", &target.name], |cmd| {
        cmd.write_stdin("");
    });
}

// ---------------------------------------------------------------------------------------------
// Copies, renames, deletes.

#[test]
fn duplicate_rename_delete() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_dup");
    let copy = PgTestDb::reserve("snap_dup_copy");
    let renamed = PgTestDb::reserve("snap_dup_renamed");
    let snap = Snap::new(&env)
        .name(&db.name, "DB")
        .name(&copy.name, "COPY")
        .name(&renamed.name, "RENAMED");
    let output = snap.run("duplicate", &["duplicate", &db.name, &copy.name]);
    assert!(output.status.success());
    snap.run("duplicate_existing_target_without_force", &["duplicate", &db.name, &copy.name]);
    snap.run(
        "duplicate_bad_filestore_mode",
        &["duplicate", &db.name, &copy.name, "--filestore", "bogus"],
    );
    snap.run("rename_onto_existing", &["rename", &copy.name, &db.name, "--yes"]);
    snap.run("rename_without_terminal_or_yes", &["rename", &copy.name, &renamed.name]);
    let output = snap.run("rename", &["rename", &copy.name, &renamed.name, "--yes"]);
    assert!(output.status.success());
    snap.run("delete_without_terminal_or_yes", &["delete", &renamed.name]);
    let output = snap.run("delete", &["delete", &renamed.name, "--yes"]);
    assert!(output.status.success());
    snap.run("delete_system_database", &["delete", "postgres", "--yes"]);
}

#[test]
fn unknown_databases() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_dym");
    let typo = format!("{}x", &db.name[..db.name.len() - 1]);
    let snap = Snap::new(&env).name(&db.name, "DB").name(&typo, "TYPO");
    snap.run("info_unknown_database_did_you_mean", &["info", &typo]);
    snap.run("info_unknown_database", &["info", "odoodbt_nothing_like_it_at_all"]);
}

// ---------------------------------------------------------------------------------------------
// Neutralize.

#[test]
fn neutralize() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_neu");
    let snap = Snap::new(&env).name(&db.name, "DB");
    snap.run("neutralize_list_steps", &["neutralize", &db.name, "--list-steps"]);
    snap.run("neutralize_dry_run", &["neutralize", &db.name, "--dry-run"]);
    snap.run("neutralize_check_live", &["neutralize", &db.name, "--check"]);
    snap.run("neutralize_without_terminal_or_yes", &["neutralize", &db.name]);
    let output = snap.run("neutralize", &["neutralize", &db.name, "--yes"]);
    assert!(output.status.success());
    snap.run("neutralize_check_clean", &["neutralize", &db.name, "--check"]);
}

// ---------------------------------------------------------------------------------------------
// Recover.

#[test]
fn recover() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_rec");
    let (rolled_back, completed) =
        (PgTestDb::reserve("snap_rec_back"), PgTestDb::reserve("snap_rec_done"));
    let snap = Snap::new(&env)
        .name(&db.name, "DB")
        .name(&rolled_back.name, "ROLLED_BACK")
        .name(&completed.name, "COMPLETED");
    snap.run_settled("recover_nothing");
    // A run killed (as kill -9 would) before its swap, then one killed once it had committed;
    // `recover` settles each (a changing command would settle the first before it starts).
    for (target, point, snapshot) in [
        (&rolled_back, "before-swap", "recover_rolled_back"),
        (&completed, "install:committed", "recover_completed"),
    ] {
        let output = env
            .cmd()
            .current_dir(&env.root)
            .args(["duplicate", &db.name, &target.name])
            .env("ODOODB_FAULT", format!("crash:{point}"))
            .output()
            .unwrap();
        assert!(!output.status.success(), "{point}: the run was meant to crash");
        snap.run(snapshot, &["recover"]);
    }
    assert!(!crate::support::database_exists(&rolled_back.name));
    assert!(crate::support::database_exists(&completed.name));
    assert_eq!(crate::support::leftovers(&env, &db.name), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Upgrade, with a local program as the engine (offline).

#[test]
fn upgrade_check_test_and_production() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "snap_up");
    let copy = PgTestDb::reserve("snap_up_copy");
    // The production plan counts the sessions open on the database: another test's `list`
    // (which opens every Odoo database on the shared server) may be one of them.
    let snap = Snap::new(&env).name(&db.name, "DB").name(&copy.name, "COPY").filter(
        r"\((no session is open now|its open session is ended|its \d+ open sessions are ended)\)",
        "([SESSIONS])",
    );
    let work = env.root.join("work");
    let engine = ["--engine", "command", "--work-dir", path(&work)];
    let upgrader = crate::upgrade_command::UPGRADER;
    let with = |args: &[&str]| -> Vec<String> {
        args.iter().chain(engine.iter()).map(|a| (*a).to_string()).collect()
    };
    let run = |name: &str, args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        snap.run(name, &args)
    };
    run("upgrade_check", with(&["upgrade", "check", &db.name, "--target", "18.0"]));
    run("upgrade_check_blocker", with(&["upgrade", "check", &db.name, "--target", "16.0"]));
    run(
        "upgrade_missing_program",
        with(&[
            "upgrade",
            "test",
            &db.name,
            "--target",
            "18.0",
            "--upgrade-command",
            "no-such-upgrader",
        ]),
    );
    let output = run(
        "upgrade_test",
        with(&[
            "upgrade",
            "test",
            &db.name,
            "--target",
            "18.0",
            "--upgrade-command",
            upgrader,
            "--name",
            &copy.name,
        ]),
    );
    assert!(output.status.success());
    // Those of the test upgrade are gone first (a closed connection's backend lingers a moment).
    wait_for_no_sessions(&db.name);
    let backups = backups(&env);
    let production = with(&[
        "upgrade",
        "production",
        &db.name,
        "--target",
        "18.0",
        "--upgrade-command",
        upgrader,
        "--backup-dir",
        path(&backups),
    ]);
    run("upgrade_production_without_terminal_or_yes", production.clone());
    let mut yes = vec!["--yes".to_string()];
    yes.extend(production);
    let output = run("upgrade_production", yes);
    assert!(output.status.success());
}

#[test]
fn upgrade_check_of_a_real_odoo_15() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo15, "snap_up15") else { return };
    let work = env.root.join("work");
    Snap::new(&env).name(&db.name, "DB").run(
        "upgrade_check_real_odoo15",
        &[
            "upgrade",
            "check",
            &db.name,
            "--target",
            "16.0",
            "--engine",
            "command",
            "--work-dir",
            path(&work),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Usage and setup errors.

#[test]
fn usage_and_setup_errors() {
    let env = TestEnv::new();
    let snap = Snap::new(&env);
    snap.run("usage_unknown_flag", &["list", "--no-such-flag"]);
    snap.run("usage_unknown_command", &["frobnicate"]);
    snap.run("usage_missing_argument", &["info"]);
    snap.run("usage_port_not_a_number", &["--port", "notanumber", "list"]);
    snap.run("no_server", &["--port", "1", "list"]);
    let missing = env.root.join("missing.conf");
    snap.run("missing_odoo_conf", &["-c", path(&missing), "list"]);
    let broken = env.root.join("broken.conf");
    std::fs::write(&broken, "this is not an ini file\n").unwrap();
    snap.run("invalid_odoo_conf", &["-c", path(&broken), "list"]);
}
