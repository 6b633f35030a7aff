//! Retention by policy (`--keep-daily`, `--keep-weekly`, `--keep-monthly`, with `--keep`): after
//! a new backup, the older backups of that database that no rule keeps are removed. The kept set
//! is computed here independently, from restic's rules as documented.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike as _, Duration, NaiveDateTime};

use crate::support::{TestEnv, fixtures};

const STAMP: &str = "%Y-%m-%d_%H-%M-%S";

/// 100 days of made-up backups ending yesterday: one or two a day, some days skipped.
fn history(db: &str, now: NaiveDateTime) -> Vec<(NaiveDateTime, String)> {
    let mut found = Vec::new();
    for day in 1..=100_i64 {
        if day % 9 == 4 {
            continue;
        }
        let date = (now - Duration::days(day)).date();
        let hours: &[u32] = if day % 4 == 0 { &[2, 14] } else { &[3] };
        for &hour in hours {
            let time = date.and_hms_opt(hour, 7, 0).unwrap();
            let ext = ["tar.gz", "zip", "dump"][usize::try_from(day % 3).unwrap()];
            found.push((time, format!("{db}_{}.{ext}", time.format(STAMP))));
        }
    }
    found
}

/// The newest of each of the `n` newest buckets.
fn newest_per_bucket<K: Ord>(
    times: &[NaiveDateTime],
    n: usize,
    bucket: impl Fn(&NaiveDateTime) -> K,
) -> BTreeSet<NaiveDateTime> {
    let mut newest: BTreeMap<K, NaiveDateTime> = BTreeMap::new();
    for time in times {
        let entry = newest.entry(bucket(time)).or_insert(*time);
        *entry = (*entry).max(*time);
    }
    newest.into_values().rev().take(n).collect()
}

fn expected(
    times: &[NaiveDateTime],
    daily: usize,
    weekly: usize,
    monthly: usize,
) -> BTreeSet<NaiveDateTime> {
    let mut kept = newest_per_bucket(times, daily, NaiveDateTime::date);
    kept.extend(newest_per_bucket(times, weekly, |t| (t.iso_week().year(), t.iso_week().week())));
    kept.extend(newest_per_bucket(times, monthly, |t| (t.year(), t.month())));
    kept
}

fn left(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A backup folder holding `history` of `db`; returns it, the time it was made for, and the
/// history.
fn folder_with_history(
    env: &TestEnv,
    db: &str,
) -> (std::path::PathBuf, NaiveDateTime, Vec<(NaiveDateTime, String)>) {
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let now = chrono::Local::now().naive_local();
    let old = history(db, now);
    for (_, name) in &old {
        std::fs::write(dir.join(name), b"x").unwrap();
    }
    (dir, now, old)
}

#[test]
fn the_policy_keeps_exactly_what_its_rules_say_and_the_new_backup() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "ret_policy");
    let (dir, _, old) = folder_with_history(&env, &db.name);
    // Another database's backups and stray files are never candidates.
    std::fs::write(dir.join("other_2020-01-01_00-00-00.zip"), b"x").unwrap();
    std::fs::write(dir.join(format!("{}_notes.txt", db.name)), b"x").unwrap();

    let output = env
        .cmd()
        .args(["--json", "backup", &db.name, "--keep-daily", "7", "--keep-weekly", "5"])
        .args(["--keep-monthly", "3", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let new_name = std::path::Path::new(report["path"].as_str().unwrap())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let new_time =
        NaiveDateTime::parse_from_str(&new_name[db.name.len() + 1..db.name.len() + 20], STAMP)
            .unwrap();

    let mut times: Vec<NaiveDateTime> = old.iter().map(|(time, _)| *time).collect();
    times.push(new_time);
    let kept = expected(&times, 7, 5, 3);
    let mut want: BTreeSet<String> =
        old.iter().filter(|(time, _)| kept.contains(time)).map(|(_, name)| name.clone()).collect();
    want.insert(new_name);
    want.insert("other_2020-01-01_00-00-00.zip".into());
    want.insert(format!("{}_notes.txt", db.name));
    assert_eq!(left(&dir), want);
    // Each removal is reported, and only those.
    let pruned = report["pruned"].as_array().unwrap().len();
    assert_eq!(pruned, old.len() + 3 - want.len());
    assert!(pruned > 50, "the policy should remove most of 100 days: {pruned}");
}

#[test]
fn the_settings_hold_the_policy_and_a_failed_backup_removes_nothing() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "ret_settings");
    let (dir, now, old) = folder_with_history(&env, &db.name);
    let settings = env.root.join("settings.toml");
    std::fs::write(
        &settings,
        format!(
            "[backup]\ndir = {:?}\nkeep_daily = 3\nkeep_monthly = 2\n",
            dir.display().to_string()
        ),
    )
    .unwrap();

    // A backup that fails before it is complete leaves every old one.
    let failed = env
        .cmd()
        .arg("--settings")
        .arg(&settings)
        .args(["backup", &db.name])
        .env("ODOODB_FAULT", "fail:backup:before-rename")
        .output()
        .unwrap();
    assert!(!failed.status.success());
    assert_eq!(left(&dir).len(), old.len(), "a failed backup removed something");

    let output =
        env.cmd().arg("--settings").arg(&settings).args(["backup", &db.name]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // The new one, the newest of the last 3 days (today's is the new one), of the last 2 months.
    let mut times: Vec<NaiveDateTime> = old.iter().map(|(time, _)| *time).collect();
    times.push(now);
    let kept = expected(&times, 3, 0, 2);
    let kept_old = old.iter().filter(|(time, _)| kept.contains(time)).count();
    assert_eq!(left(&dir).len(), kept_old + 1, "{:?}", left(&dir));

    // A rule of 0 is refused before anything is done.
    let zero = env
        .cmd()
        .args(["backup", &db.name, "--keep-weekly", "0", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(zero.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zero.stderr).contains("--keep-weekly 0"));
}
