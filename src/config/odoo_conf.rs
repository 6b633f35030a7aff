//! Odoo's config file (odoo.conf): an INI file read by Python's `ConfigParser`, whose
//! `[options]` section carries the settings we need.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::error::Failure;

/// The `[options]` of one odoo.conf, with `False`, `None` and empty values already dropped.
#[derive(Debug, Clone, Default)]
pub struct OdooConf {
    pub path: PathBuf,
    options: BTreeMap<String, String>,
}

impl OdooConf {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::failed(format!("cannot read Odoo config file {}: {e}", path.display()))
                .hint("pass the right file with -c/--config, or fix its permissions")
        })?;
        // Bad input, like a bad settings file: exit 2, the line named, nothing of it echoed.
        let options = parse(&text).map_err(|e| {
            crate::error::Failure::usage(format!(
                "Odoo config file {} is not valid: {e}",
                path.display()
            ))
            .hint("fix that line (odoo.conf lines are `key = value` under [options])")
        })?;
        Ok(Self { path: path.to_path_buf(), options })
    }

    /// A set option; Odoo treats `False`, `None` and an empty value as "not set".
    pub fn get(&self, key: &str) -> Option<&str> {
        self.options.get(key).map(String::as_str)
    }

    /// A comma-separated list option (`addons_path`, `db_name`).
    pub fn list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|value| {
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Parses the `[options]` section the way `ConfigParser` does: `key = value` or `key: value`,
/// keys case-insensitive, `#`/`;` comment lines, indented continuation lines.
fn parse(text: &str) -> Result<BTreeMap<String, String>> {
    let mut options = BTreeMap::new();
    let mut in_options = false;
    let mut last_key: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if raw.starts_with([' ', '\t'])
            && let Some(value) = last_key.as_ref().and_then(|key| options.get_mut(key))
        {
            let value: &mut String = value;
            value.push('\n');
            value.push_str(trimmed);
            continue;
        }
        if let Some(section) = trimmed.strip_prefix('[') {
            let name = section
                .strip_suffix(']')
                .with_context(|| format!("line {line_no}: section header without `]`"))?;
            in_options = name.trim() == "options";
            last_key = None;
            continue;
        }
        // The line may hold a secret (`db_password hunter2`): name its first word, never the rest.
        let split_at = trimmed.find(['=', ':']).with_context(|| {
            let first_word = trimmed.split_whitespace().next().unwrap_or_default();
            format!(
                "line {line_no}: expected `key = value`, found a line starting with {first_word:?}"
            )
        })?;
        if !in_options {
            continue;
        }
        let key = trimmed[..split_at].trim().to_lowercase();
        let value = trimmed[split_at + 1..].trim().to_string();
        options.insert(key.clone(), value);
        last_key = Some(key);
    }
    options.retain(|_, value| !matches!(value.as_str(), "" | "False" | "None"));
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options_and_drops_unset_values() {
        let parsed = parse(
            "; comment\n[options]\nDB_HOST = False\ndb_port: 5433\ndb_user = odoo\n\
             db_password =\ndata_dir = /var/lib/odoo\naddons_path = /a,\n  /b\n[other]\nx = y\n",
        )
        .unwrap_or_default();
        assert_eq!(parsed.get("db_host"), None);
        assert_eq!(parsed.get("db_port").map(String::as_str), Some("5433"));
        assert_eq!(parsed.get("db_password"), None);
        assert_eq!(parsed.get("data_dir").map(String::as_str), Some("/var/lib/odoo"));
        assert_eq!(parsed.get("addons_path").map(String::as_str), Some("/a,\n/b"));
        assert_eq!(parsed.get("x"), None);
    }

    #[test]
    fn lists_split_on_commas() {
        let conf = OdooConf {
            path: PathBuf::new(),
            options: parse("[options]\naddons_path = /a, /b ,,/c\n").unwrap_or_default(),
        };
        assert_eq!(conf.list("addons_path"), vec!["/a", "/b", "/c"]);
    }

    #[test]
    fn garbage_is_an_error_naming_the_line() {
        let error = parse("[options]\nthis is not a setting\n").err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("line 2: expected `key = value`, found a line starting with \"this\"")
        );
        let error = parse("[options]\ndb_password hunter2\n").err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("db_password") && !e.contains("hunter2")));
    }
}
