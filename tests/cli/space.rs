//! The free-space preflight of `backup` into a local folder (faked with the hidden test hook
//! `ODOODB_TEST_FREE_BYTES`), `--no-space-check`, and `backup --dry-run`: what it would write,
//! the space it may need, and what retention would remove, without writing anything.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDateTime};

use crate::support::{PREFIX, TestEnv, fixtures};

const STAMP: &str = "%Y-%m-%d_%H-%M-%S";
const FREE: &str = "ODOODB_TEST_FREE_BYTES";

/// Every name in `dir`, hidden ones (temporaries, the lock file) included.
fn everything(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn too_little_free_space_refuses_before_anything_is_written() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "spc_one");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();

    // Into the folder: exit 1, one line naming the folder, what is needed and what is free.
    let refused =
        env.cmd().args(["backup", &db.name, "--dir"]).arg(&dir).env(FREE, "1000").output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let message = stderr(&refused);
    let first = message.lines().next().unwrap();
    assert!(first.contains("not enough free space"), "{message}");
    assert!(first.contains(&dir.display().to_string()), "{message}");
    assert!(first.contains("needs about") && first.contains("1000 B free"), "{message}");
    assert!(first.contains("plus 10%"), "{message}");
    assert!(message.contains("--no-space-check"), "{message}");
    assert!(everything(&dir).is_empty(), "written: {:?}", everything(&dir));

    // -o FILE: its folder is checked the same way.
    let file = dir.join("one.tar.gz");
    let refused = env.cmd().args(["backup", &db.name, "-o"]).arg(&file).env(FREE, "1000").output();
    let refused = refused.unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("not enough free space"));
    assert!(everything(&dir).is_empty(), "written: {:?}", everything(&dir));

    // --no-space-check: the backup is made.
    let made = env
        .cmd()
        .args(["backup", &db.name, "--no-space-check", "--dir"])
        .arg(&dir)
        .env(FREE, "1000")
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let names = everything(&dir);
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with(&format!("{}_", db.name))), "{names:?}");

    // Enough free space: no refusal.
    let enough = env
        .cmd()
        .args(["backup", &db.name, "-o"])
        .arg(&file)
        .env(FREE, "1000000000000")
        .output()
        .unwrap();
    assert!(enough.status.success(), "{}", stderr(&enough));
    assert!(file.is_file());

    // stdout is not a folder, but a tar.gz spools its dump in the temporary folder meanwhile:
    // that folder is checked; a zip spools nothing and is never checked.
    let piped = env.cmd().args(["backup", &db.name, "-o", "-"]).env(FREE, "1").output().unwrap();
    assert_eq!(piped.status.code(), Some(1), "{}", stderr(&piped));
    assert!(stderr(&piped).contains("in the temporary folder"), "{}", stderr(&piped));
    assert!(piped.stdout.is_empty(), "nothing written");
    let piped = env
        .cmd()
        .args(["backup", &db.name, "--format", "zip", "-o", "-"])
        .env(FREE, "1")
        .output()
        .unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(!piped.stdout.is_empty());
}

/// This process's databases with this test's tag, and no other test's.
fn glob_of() -> String {
    format!("{PREFIX}{}_*_spcx_?", std::process::id())
}

#[test]
fn backup_all_checks_the_space_of_every_database_first_and_dry_run_writes_nothing() {
    let env = TestEnv::new();
    let one = fixtures::modern(&env, "spcx_a");
    let two = fixtures::modern(&env, "spcx_b");
    // A filestore the estimate must count: every byte of its files.
    env.add_file(&two.name, &vec![7_u8; 300_000]);
    let glob = glob_of();
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();

    // The dry run: both databases, their sizes as the server and the folder say, nothing
    // written (not even the lock file).
    let dry = env
        .cmd()
        .args(["--json", "backup", "--all", "--match", &glob, "--parallel", "2", "--dry-run"])
        .arg("--dir")
        .arg(&dir)
        .env(FREE, "1000000000000")
        .output()
        .unwrap();
    assert!(dry.status.success(), "{}", stderr(&dry));
    let plan: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(plan["dry_run"], true);
    let planned = plan["databases"].as_array().unwrap();
    let mut names: Vec<&str> = planned.iter().map(|d| d["database"].as_str().unwrap()).collect();
    names.sort_unstable();
    let mut want = vec![one.name.as_str(), two.name.as_str()];
    want.sort_unstable();
    assert_eq!(names, want);
    let mut sum = 0;
    for entry in planned {
        let name = entry["database"].as_str().unwrap();
        let estimate = &entry["estimate"];
        let db = if name == one.name { &one } else { &two };
        // The server's own figure (autovacuum may have grown the files a little since).
        let server = db.scalar_i64("SELECT pg_database_size(current_database())");
        let size = estimate["database_bytes"].as_i64().unwrap();
        assert!((server - size).abs() < 1 << 20, "{entry}: the server says {server}");
        let files: u64 = crate::support::files_under(&env.filestore(name))
            .iter()
            .map(|f| std::fs::metadata(env.filestore(name).join(f)).unwrap().len())
            .sum();
        assert_eq!(estimate["filestore_bytes"].as_u64().unwrap(), files, "{entry}");
        // tar.gz: the archive and, meanwhile, its dump spooled beside it.
        assert_eq!(estimate["archive_bytes"].as_u64().unwrap(), size.unsigned_abs() + files);
        assert_eq!(estimate["spool_bytes"].as_u64().unwrap(), size.unsigned_abs());
        sum += 2 * size.unsigned_abs() + files;
        let archive = entry["archive"].as_str().unwrap();
        assert!(archive.starts_with(&dir.join(format!("{name}_")).display().to_string()));
        assert!(archive.ends_with(".tar.gz"), "{archive}");
    }
    // Two at a time, nothing to prune: both archives and both dumps, plus 10%.
    let needed = plan["space"]["needed_bytes"].as_u64().unwrap();
    assert_eq!(needed, sum + sum.div_ceil(100) * 10);
    assert_eq!(plan["space"]["free_bytes"], 1_000_000_000_000_u64);
    assert!(everything(&dir).is_empty(), "written: {:?}", everything(&dir));

    // Too little for both: exit 1 before any database is dumped, both counted.
    let refused = env
        .cmd()
        .args(["backup", "--all", "--match", &glob, "--parallel", "2", "--dir"])
        .arg(&dir)
        .env(FREE, (needed - 1).to_string())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("not enough free space") && message.contains("2 databases"));
    assert!(message.contains(&format!("{} free", indicatif::HumanBytes(needed - 1))));
    let left: Vec<String> = everything(&dir).into_iter().filter(|n| !n.starts_with('.')).collect();
    assert!(left.is_empty(), "written: {left:?}");
}

/// Made-up backups of `db` over the last ten days (two on some), ending yesterday.
fn history(db: &str, now: NaiveDateTime) -> Vec<(NaiveDateTime, String)> {
    let mut found = Vec::new();
    for day in 1..=10_i64 {
        let date = (now - Duration::days(day)).date();
        let hours: &[u32] = if day % 3 == 1 { &[2, 14] } else { &[3] };
        for &hour in hours {
            let time = date.and_hms_opt(hour, 5, 0).unwrap();
            found.push((time, format!("{db}_{}.tar.gz", time.format(STAMP))));
        }
    }
    found
}

#[test]
fn dry_run_lists_exactly_what_retention_would_remove_and_removes_nothing() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "spc_dry");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let now = chrono::Local::now().naive_local();
    let old = history(&db.name, now);
    for (_, name) in &old {
        std::fs::write(dir.join(name), b"x").unwrap();
    }
    std::fs::write(dir.join("other_2020-01-01_00-00-00.zip"), b"x").unwrap();
    let before = everything(&dir);

    // The new backup is today's: --keep-daily 2 keeps it and yesterday's newest; the rest go.
    let yesterday = old.iter().filter(|(t, _)| t.date() == (now - Duration::days(1)).date());
    let kept = yesterday.max_by_key(|(t, _)| *t).unwrap().1.clone();
    let want: BTreeSet<String> = old
        .iter()
        .filter(|(_, name)| *name != kept)
        .map(|(_, name)| dir.join(name).display().to_string())
        .collect();
    assert_eq!(want.len(), old.len() - 1);

    let dry = env
        .cmd()
        .args(["--json", "backup", &db.name, "--dry-run", "--keep-daily", "2", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(dry.status.success(), "{}", stderr(&dry));
    let plan: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    let entry = &plan["databases"][0];
    assert_eq!(entry["database"], db.name.as_str());
    let listed: BTreeSet<String> = entry["would_remove"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, want);
    assert_eq!(everything(&dir), before, "the dry run changed the folder");

    // The human plan says the same, line by line.
    let human = env
        .cmd()
        .args(["backup", &db.name, "--dry-run", "--keep-daily", "2", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(human.status.success(), "{}", stderr(&human));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("nothing was written"), "{text}");
    let shown: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("retention would remove "))
        .map(str::to_string)
        .collect();
    assert_eq!(shown, want, "{text}");
    assert!(text.contains("Free space in"), "{text}");
    assert_eq!(everything(&dir), before);

    // The real run removes exactly what the dry run listed.
    let real = env
        .cmd()
        .args(["--json", "backup", &db.name, "--keep-daily", "2", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(real.status.success(), "{}", stderr(&real));
    let report: serde_json::Value = serde_json::from_slice(&real.stdout).unwrap();
    let pruned: BTreeSet<String> = report["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    assert_eq!(pruned, want);
}
