//! `odoodb backups [DIR]`: the backups in a folder, and `--max-age` for monitoring.

use chrono::Duration;

use crate::support::{PREFIX, TestEnv, fixtures};

const STAMP: &str = "%Y-%m-%d_%H-%M-%S";

#[test]
fn lists_a_folder_and_max_age_names_the_stale_and_the_missing() {
    let env = TestEnv::new();
    let fresh = fixtures::modern(&env, "bks_fresh");
    let stale = fixtures::modern(&env, "bks_stale");
    let missing = fixtures::modern(&env, "bks_none");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let now = chrono::Local::now().naive_local();
    let name =
        |db: &str, ago: Duration, ext: &str| format!("{db}_{}.{ext}", (now - ago).format(STAMP));
    let files = [
        (name(&fresh.name, Duration::hours(1), "tar.gz"), 5_usize),
        (name(&fresh.name, Duration::days(2), "zip"), 7),
        (name(&stale.name, Duration::days(3), "dump"), 11),
    ];
    for (file, size) in &files {
        std::fs::write(dir.join(file), vec![b'x'; *size]).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), b"not a backup").unwrap();

    let output = env.cmd().args(["--json", "backups"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let listed: Vec<(String, String, u64)> = doc["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["database"].as_str().unwrap().to_string(),
                b["format"].as_str().unwrap().to_string(),
                b["bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (fresh.name.clone(), "tar.gz".into(), 5),
            (fresh.name.clone(), "zip".into(), 7),
            (stale.name.clone(), "dump".into(), 11)
        ],
        "newest first, the stray file left out"
    );

    // This test's databases only (the server is shared with other tests).
    let glob = format!("{PREFIX}{}_*_bks_*", std::process::id());
    let checked = env
        .cmd()
        .args(["backups", "--match", &glob, "--max-age", "26h"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(4), "{}", String::from_utf8_lossy(&checked.stderr));
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(stderr.contains(&stale.name) && stderr.contains(&missing.name), "{stderr}");
    assert!(!stderr.contains(&format!("{}, ", fresh.name)) && !stderr.ends_with(&fresh.name));
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(stdout.contains("TOO OLD") && stdout.contains("none"), "{stdout}");

    let only_fresh = format!("{PREFIX}{}_*_bks_fresh", std::process::id());
    env.cmd()
        .args(["backups", "--match", &only_fresh, "--max-age", "26h"])
        .arg(&dir)
        .assert()
        .success();

    let bad = env.cmd().args(["backups", "--max-age", "soon"]).arg(&dir).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
