//! `backup --keep` removes (and says it removed) the oldest backups first.

use std::path::Path;

use crate::support::fixtures;
use crate::support::{TestEnv, json};

#[test]
fn keep_removes_the_oldest_first_and_says_so_in_that_order() {
    let env = TestEnv::new();
    let db = fixtures::modern(&env, "q_keep");
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let old = [
        format!("{}_2020-01-01_00-00-00.zip", db.name),
        format!("{}_2021-01-01_00-00-00.tar.gz", db.name),
        format!("{}_2022-01-01_00-00-00.dump", db.name),
        format!("{}_2023-01-01_00-00-00.zip", db.name),
    ];
    for name in &old {
        std::fs::write(dir.join(name), b"x").unwrap();
    }
    let output =
        env.cmd().args(["backup", &db.name, "--keep", "2", "--dir"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let removed: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("Removed older backup "))
        .map(|path| Path::new(path).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(removed, [old[0].clone(), old[1].clone(), old[2].clone()], "{text}");
    assert!(dir.join(&old[3]).exists());

    // The JSON report lists them in the same order.
    std::fs::write(dir.join(&old[0]), b"x").unwrap();
    std::fs::write(dir.join(&old[1]), b"x").unwrap();
    let output = env
        .cmd()
        .args(["--json", "backup", &db.name, "--keep", "1", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let pruned: Vec<String> = json(&output)["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Path::new(p.as_str().unwrap()).file_name().unwrap().to_string_lossy().into())
        .collect();
    assert_eq!(pruned[..3], [old[0].clone(), old[1].clone(), old[3].clone()], "{pruned:?}");
}
