//! What must hold before a database is sent to the platform: local tools, free disk, and the
//! installed modules that the target version's code lacks (on Odoo.sh those make the update
//! fail; the fix is an empty stub module).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warning,
    Blocker,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Blocker => "BLOCKER",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub check: String,
    pub level: Level,
    pub detail: String,
}

impl Item {
    pub fn new(check: &str, level: Level, detail: impl Into<String>) -> Self {
        Self { check: check.to_string(), level, detail: detail.into() }
    }
}

/// A local program the workflow runs, and the oldest version that does the job.
struct Tool {
    name: &'static str,
    version_flag: &'static str,
    /// (major, minor) at least; `None`: the PostgreSQL server's major.
    minimum: Option<(u32, u32)>,
    why: &'static str,
}

const TOOLS: [Tool; 4] = [
    Tool { name: "pg_dump", version_flag: "--version", minimum: None, why: "dumps the database" },
    Tool {
        name: "pg_restore",
        version_flag: "--version",
        minimum: None,
        why: "restores the upgraded dump",
    },
    Tool { name: "ssh", version_flag: "-V", minimum: Some((7, 0)), why: "carries the transfer" },
    Tool {
        name: "rsync",
        version_flag: "--version",
        minimum: Some((3, 1)),
        why: "transfers the dump (3.1 brings --ignore-missing-args)",
    },
];

/// pg_dump/pg_restore (from `pg_path` when odoo.conf sets it), ssh and rsync: present and new
/// enough (pg_dump at least the server's major, or it refuses to dump).
pub async fn tools(pg_path: Option<&Path>, server_major: u32) -> Vec<Item> {
    let mut items = Vec::new();
    for tool in &TOOLS {
        let program = match (tool.name.starts_with("pg_"), pg_path) {
            (true, Some(dir)) => dir.join(tool.name),
            _ => PathBuf::from(tool.name),
        };
        let minimum = tool.minimum.unwrap_or((server_major, 0));
        let item = match version_of(&program, tool.version_flag).await {
            Err(error) => Item::new(
                tool.name,
                Level::Blocker,
                format!("{}: {error:#}; it {}", program.display(), tool.why),
            ),
            Ok(None) => Item::new(
                tool.name,
                Level::Blocker,
                format!("{} does not say its version", program.display()),
            ),
            Ok(Some(found)) if found < minimum => Item::new(
                tool.name,
                Level::Blocker,
                format!(
                    "{} is {}.{}, at least {}.{} is needed ({})",
                    program.display(),
                    found.0,
                    found.1,
                    minimum.0,
                    minimum.1,
                    if tool.minimum.is_none() { "the server's major" } else { tool.why }
                ),
            ),
            Ok(Some(found)) => Item::new(
                tool.name,
                Level::Ok,
                format!("{} {}.{}", program.display(), found.0, found.1),
            ),
        };
        items.push(item);
    }
    items
}

/// The version a program prints (on stdout or stderr, as ssh does), within 10 seconds.
async fn version_of(program: &Path, flag: &str) -> Result<Option<(u32, u32)>> {
    let run = tokio::process::Command::new(program)
        .arg(flag)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(Duration::from_secs(10), run).await {
        Err(_) => anyhow::bail!("did not answer {flag} within 10 s"),
        Ok(Err(error)) if error.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("not found")
        }
        Ok(result) => result.with_context(|| format!("cannot run {flag}"))?,
    };
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(parse_version(&text))
}

/// The first `major.minor` in a version banner: `pg_dump (PostgreSQL) 15.4 (Debian…)`,
/// `OpenSSH_9.2p1 Debian…`, `rsync  version 3.2.7  protocol version 31`.
fn parse_version(text: &str) -> Option<(u32, u32)> {
    let line = text.lines().find(|line| !line.trim().is_empty())?;
    let bytes = line.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if bytes[start].is_ascii_digit()
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_')
        {
            let rest = &line[start..];
            let major_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            let major = rest[..major_end].parse().ok()?;
            let after = &rest[major_end..];
            let minor = after
                .strip_prefix('.')
                .map(|m| m.chars().take_while(char::is_ascii_digit).collect::<String>())
                .and_then(|m| m.parse().ok())
                .unwrap_or(0);
            return Some((major, minor));
        }
        start += 1;
    }
    None
}

/// Free space where the dump, the download and the restore go: about 3× the database, on each
/// filesystem (a path on a filesystem already checked is not counted twice).
pub fn disk(places: &[(&str, &Path)], database_bytes: u64) -> Vec<Item> {
    let needed = database_bytes.saturating_mul(3);
    let mut seen: Vec<u64> = Vec::new();
    let mut items = Vec::new();
    for (role, path) in places {
        let check = format!("disk ({role})");
        let existing = path.ancestors().find(|p| p.exists()).unwrap_or(Path::new("/"));
        let device = crate::filestore::device(existing).ok();
        if let Some(device) = device {
            if seen.contains(&device) {
                continue;
            }
            seen.push(device);
        }
        let item = match crate::filestore::free_bytes(existing) {
            Err(error) => Item::new(&check, Level::Blocker, format!("{error:#}")),
            Ok(free) if free < needed => Item::new(
                &check,
                Level::Blocker,
                format!(
                    "{}: {} free, about {} needed (3 × {})",
                    path.display(),
                    crate::output::bytes(free),
                    crate::output::bytes(needed),
                    crate::output::bytes(database_bytes)
                ),
            ),
            Ok(free) => Item::new(
                &check,
                Level::Ok,
                format!(
                    "{}: {} free, about {} needed",
                    path.display(),
                    crate::output::bytes(free),
                    crate::output::bytes(needed)
                ),
            ),
        };
        items.push(item);
    }
    items
}

/// Installed modules that no folder of the (target version's) addons path provides.
pub fn missing_modules(installed: &[String], addons_path: &[PathBuf]) -> Vec<String> {
    installed
        .iter()
        .filter(|module| {
            !addons_path.iter().any(|dir| {
                let folder = dir.join(module.as_str());
                folder.join("__manifest__.py").is_file() || folder.join("__openerp__.py").is_file()
            })
        })
        .cloned()
        .collect()
}

/// Odoo's technical names: what may safely become a folder name and a Python string.
fn is_module_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The manifest of an empty module standing in for `module` on `target`.
pub fn stub_manifest(module: &str, target: &str) -> String {
    format!(
        "{{\n    \"name\": \"{module} (upgrade stub)\",\n    \"version\": \"{target}.1.0\",\n    \
         \"summary\": \"Empty placeholder written by odoodb upgrade check: {module} is installed \
         but has no code for {target}\",\n    \"depends\": [\"base\"],\n    \"data\": [],\n    \
         \"installable\": True,\n    \"license\": \"LGPL-3\",\n}}\n"
    )
}

/// Writes an installable empty module for each of `modules` under `dir`; an existing folder is
/// left alone (it may be real code). Returns the folders written.
pub fn write_stubs(dir: &Path, modules: &[String], target: &str) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for module in modules {
        if !is_module_name(module) {
            anyhow::bail!(
                "cannot write a stub for {:?}: not a valid module name",
                crate::output::terminal_safe(module)
            );
        }
        let folder = dir.join(module);
        if folder.exists() {
            continue;
        }
        // Written beside, then renamed: a stub is whole or absent.
        let partial = dir.join(format!(".{module}.odoodb-partial"));
        let _ = std::fs::remove_dir_all(&partial);
        std::fs::create_dir(&partial)
            .and_then(|()| std::fs::write(partial.join("__init__.py"), ""))
            .and_then(|()| {
                std::fs::write(partial.join("__manifest__.py"), stub_manifest(module, target))
            })
            .and_then(|()| std::fs::rename(&partial, &folder))
            .with_context(|| format!("cannot write the stub module {}", folder.display()))?;
        written.push(folder);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_banners() {
        assert_eq!(parse_version("pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)\n"), Some((15, 4)));
        assert_eq!(parse_version("\nOpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\n"), Some((9, 2)));
        assert_eq!(parse_version("rsync  version 3.2.7  protocol version 31\n"), Some((3, 2)));
        assert_eq!(parse_version("pg_restore (PostgreSQL) 17beta1\n"), Some((17, 0)));
        assert_eq!(parse_version("no digits"), None);
    }

    #[test]
    fn stub_names_are_checked() {
        assert!(is_module_name("sale_custom2"));
        assert!(!is_module_name("../etc"));
        assert!(!is_module_name("a\"b"));
    }
}
