//! The harness itself: every test file is compiled (a `.rs` file at the top of `tests/cli/`
//! that `main.rs` does not declare as a module would be silently ignored by cargo, its tests
//! never run), and a background run cannot hang a test.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{PgTestDb, TestEnv};

/// The modules `main.rs` declares (`mod name;` lines, `pub` or not).
fn declared(main: &str) -> BTreeSet<String> {
    main.lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix("pub ").unwrap_or(line).strip_prefix("mod "))
        .filter_map(|rest| rest.strip_suffix(';'))
        .map(|name| name.trim().to_string())
        .collect()
}

#[test]
fn every_test_file_is_declared_in_main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let declared = declared(&main);
    let mut undeclared = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() || path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem != "main" && !declared.contains(&stem) {
            undeclared.push(stem);
        }
    }
    undeclared.sort();
    assert!(
        undeclared.is_empty(),
        "tests/cli/{{{}}}.rs are not declared in tests/cli/main.rs (add `mod <name>;`), so \
         their tests never run",
        undeclared.join(",")
    );
}

#[test]
fn the_declarations_are_read_as_cargo_reads_them() {
    let main = "mod support;\n\nmod a;\npub mod b;\n// mod c;\n#[cfg(unix)]\nmod d;\n";
    let found: Vec<String> = declared(main).into_iter().collect();
    assert_eq!(found, ["a", "b", "d", "support"]);
}

#[test]
fn a_background_run_past_its_deadline_is_killed_and_its_wait_fails() {
    let env = TestEnv::new();
    let target = PgTestDb::reserve("hn_watch");
    // A restore from a pipe that stays open and silent waits for ever.
    let started = Instant::now();
    let mut child = env.spawn_within(Duration::from_secs(2), ["restore", "-", &target.name], |c| {
        c.stdin(std::process::Stdio::piped());
    });
    let _pipe = child.stdin.take().unwrap();
    let waited =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| child.wait_with_output()));
    assert!(waited.is_err(), "the wait of a killed run fails the test");
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[test]
fn a_background_run_dropped_unwaited_is_killed() {
    let env = TestEnv::new();
    let target = PgTestDb::reserve("hn_drop");
    let mut child = env.spawn(["restore", "-", &target.name], |c| {
        c.stdin(std::process::Stdio::piped());
    });
    let pipe = child.stdin.take().unwrap();
    let pid = child.pid();
    drop(child);
    // Reaped: the pid is no child of ours any more.
    assert!(nix::sys::wait::waitpid(pid, Some(nix::sys::wait::WaitPidFlag::WNOHANG)).is_err());
    drop(pipe);
}
