//! The house rules of the source tree, so a move that breaks them fails here rather than in a
//! review: engines live below `commands/`, no command reaches into another, no file grows past
//! what one sitting can read.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(src()).unwrap().display().to_string()
}

/// The names of the command files (`backup`, `restore`, … and `upgrade`'s own).
fn commands(dir: &Path) -> Vec<String> {
    rust_files(dir)
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|name| name != "mod")
        .collect()
}

#[test]
fn no_command_imports_another() {
    let dir = src().join("commands");
    let names = commands(&dir);
    let mut found = Vec::new();
    for file in rust_files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let own = file.file_stem().unwrap().to_string_lossy().into_owned();
        for name in names.iter().filter(|name| **name != own) {
            for pattern in [
                format!("super::{name}::"),
                format!("super::{name}::{{"),
                format!("commands::{name}"),
            ] {
                if text.contains(&pattern) {
                    found.push(format!("{} uses {pattern}", relative(&file)));
                }
            }
        }
    }
    assert!(found.is_empty(), "commands import commands:\n{}", found.join("\n"));
}

#[test]
fn no_source_file_is_over_500_lines() {
    // The clap definitions and the man pages' prose are long by nature.
    let exempt = ["cli.rs", "docs.rs", "docs/prose.rs"];
    let long: Vec<String> = rust_files(&src())
        .iter()
        .filter(|file| !exempt.contains(&relative(file).as_str()))
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).unwrap().lines().count();
            (lines > 500).then(|| format!("{} has {lines} lines", relative(file)))
        })
        .collect();
    assert!(long.is_empty(), "split by job:\n{}", long.join("\n"));
}

#[test]
fn the_backup_and_restore_commands_stay_small() {
    for name in ["backup.rs", "restore.rs"] {
        let lines =
            std::fs::read_to_string(src().join("commands").join(name)).unwrap().lines().count();
        assert!(
            lines <= 250,
            "commands/{name} has {lines} lines: its engine belongs below commands/"
        );
    }
}

#[test]
fn the_lower_layers_know_nothing_of_the_command_line() {
    let mut found = Vec::new();
    for file in rust_files(&src().join("config")) {
        if std::fs::read_to_string(&file).unwrap().contains("crate::cli") {
            found.push(format!("{} imports crate::cli", relative(&file)));
        }
    }
    // The clap definitions stand alone: completers and the exit table are attached where the
    // command line is assembled.
    let cli = std::fs::read_to_string(src().join("cli.rs")).unwrap();
    if cli
        .lines()
        .any(|line| line.trim_start().starts_with("use crate::") || line.contains("crate::"))
    {
        found.push("cli.rs uses crate::".to_string());
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
