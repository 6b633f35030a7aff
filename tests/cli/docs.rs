//! `completions/` and `man/` are generated from the clap definitions; they must not go stale.
//! `ODOODB_BLESS=1 cargo test docs` rewrites them.

use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = odoodb::docs::generated_files().unwrap();
    let bless = std::env::var_os("ODOODB_BLESS").is_some();
    let mut stale = Vec::new();
    for (relative, content) in &files {
        let path = root.join(relative);
        if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(relative.display().to_string());
            }
        }
    }
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
            let relative = Path::new(dir).join(entry.file_name());
            if !files.iter().any(|(known, _)| *known == relative) {
                if bless {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    stale.push(format!("{} (not generated any more)", relative.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `ODOODB_BLESS=1 cargo test docs` and commit"
    );
}

#[test]
fn completions_and_man_are_printed_on_demand() {
    let env = crate::support::TestEnv::new();
    env.cmd()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicates::str::contains("_odoodb()"));
    env.cmd().arg("man").assert().success().stdout(predicates::str::contains(".TH odoodb 1"));
    let out = env.root.join("man");
    env.cmd().args(["man", "--dir", out.to_str().unwrap()]).assert().success();
    assert!(out.join("odoodb-list.1").is_file());
}
