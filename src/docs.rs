//! The single source of `completions/` and `man/`: both are generated from the clap
//! definitions, committed, and checked by a test.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;
use clap_complete::Shell;

use crate::cli::Cli;

pub const SHELLS: [Shell; 5] =
    [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish];

/// The completion script for one shell.
pub fn completion(shell: Shell) -> Result<String> {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "odoodb", &mut buffer);
    String::from_utf8(buffer).context("completion script is not UTF-8")
}

/// The file name a shell expects its completion script under.
pub fn completion_file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "odoodb.bash",
        Shell::Zsh => "_odoodb",
        Shell::Fish => "odoodb.fish",
        Shell::PowerShell => "_odoodb.ps1",
        Shell::Elvish => "odoodb.elv",
        _ => "odoodb.completion",
    }
}

/// Every generated file, as (relative path, content): `completions/…` and `man/…`.
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in SHELLS {
        files.push((
            Path::new("completions").join(completion_file_name(shell)),
            completion(shell)?.into_bytes(),
        ));
    }
    for (name, page) in man_pages()? {
        files.push((Path::new("man").join(name), page));
    }
    Ok(files)
}

/// `odoodb.1`, then `odoodb-<sub>.1` for every subcommand (nested ones joined by `-`).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    let root = Cli::command();
    render(&root, "odoodb", &mut pages)?;
    Ok(pages)
}

fn render(command: &clap::Command, name: &str, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    let command = command.clone().name(name.to_string());
    let mut buffer = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut buffer)
        .with_context(|| format!("cannot render the man page of {name}"))?;
    pages.push((format!("{name}.1"), buffer));
    for sub in command.get_subcommands().filter(|sub| sub.get_name() != "help") {
        render(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub fn main_man_page() -> Result<String> {
    let pages = man_pages()?;
    let (_, page) = pages.into_iter().next().context("no man page was generated")?;
    String::from_utf8(page).context("man page is not UTF-8")
}

/// Writes the man pages into `dir`; returns their paths.
pub fn write_man_pages(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, page) in man_pages()? {
        let path = dir.join(name);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
