//! The stored state of an upgrade request, `$XDG_STATE_HOME/odoodb/upgrade/<db>-<aim>.json`
//! (else `~/.local/state/…`): what a later run needs to follow or resume it. It holds the
//! request's token, so it is private to its owner (0600) and written atomically.

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use super::platform::Aim;
use crate::error::Failure;
use crate::secret::Secret;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestState {
    pub db: String,
    pub aim: Aim,
    pub target: String,
    pub server: String,
    pub request_id: i64,
    /// The request's token; only this file and the platform ever see it.
    pub token: String,
    /// `host` or `host:port`, as the platform assigned it.
    pub host: String,
    pub private_key: PathBuf,
    pub public_key: PathBuf,
    /// How far the workflow got (`created`, `uploaded`, `processing`, `downloaded`, …).
    pub phase: String,
    /// Names the workflow chose (result database, kept original…), by role.
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, String>,
    /// Where the dump and the download are kept until the upgrade is complete.
    #[serde(default)]
    pub work_dir: Option<PathBuf>,
    #[serde(default)]
    pub data_server_user: Option<String>,
    #[serde(default)]
    pub data_server_path: Option<String>,
    /// The test copy may replace an existing database of its name (`--force`, confirmed).
    #[serde(default)]
    pub replace: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl RequestState {
    pub fn token(&self) -> Secret {
        Secret::new(self.token.clone())
    }
}

/// The folder of this user's requests, from the process's environment (`XDG_STATE_HOME`, `HOME`).
pub fn default_dir() -> Result<PathBuf> {
    use crate::config::Environment as _;
    let env = crate::config::ProcessEnvironment;
    dir(env.var("XDG_STATE_HOME").map(PathBuf::from).as_deref(), env.home().as_deref())
}

/// The folder holding every request's state.
pub fn dir(xdg_state_home: Option<&Path>, home: Option<&Path>) -> Result<PathBuf> {
    let base = match (xdg_state_home.filter(|p| p.is_absolute()), home) {
        (Some(state), _) => state.to_path_buf(),
        (None, Some(home)) => home.join(".local/state"),
        (None, None) => {
            return Err(Failure::failed(
                "cannot tell where to keep upgrade requests: neither XDG_STATE_HOME nor HOME is set",
            )
            .into());
        }
    };
    Ok(base.join("odoodb/upgrade"))
}

pub fn path(dir: &Path, db: &str, aim: Aim) -> PathBuf {
    dir.join(format!("{db}-{}.json", aim.as_str()))
}

/// The stored request of `db` for `aim`, or, without an aim, the only one there is.
pub fn load(dir: &Path, db: &str, aim: Option<Aim>) -> Result<RequestState> {
    let aims = aim.map_or_else(|| vec![Aim::Test, Aim::Production], |aim| vec![aim]);
    let found: Vec<PathBuf> =
        aims.iter().map(|aim| path(dir, db, *aim)).filter(|p| p.is_file()).collect();
    match found.as_slice() {
        [one] => read(one),
        [] => {
            let looked: Vec<String> =
                aims.iter().map(|aim| path(dir, db, *aim).display().to_string()).collect();
            Err(Failure::failed(format!(
                "no upgrade request is stored for {db:?} (looked for {})",
                looked.join(" and ")
            ))
            .hint("a request is stored by `odoodb upgrade test` or `odoodb upgrade production` with Odoo's platform (a local --engine command stores none)")
            .into())
        }
        _ => Err(Failure::usage(format!(
            "{db:?} has both a test and a production upgrade request stored"
        ))
        .hint("say which with --aim test or --aim production")
        .into()),
    }
}

fn read(path: &Path) -> Result<RequestState> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the upgrade request {}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::failed(format!("the upgrade request {} is not valid: {e}", path.display())).into()
    })
}

/// Writes `state` atomically: a private temp file beside it, flushed to disk, renamed over.
pub fn save(dir: &Path, state: &RequestState) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", dir.display()))?;
    let target = path(dir, &state.db, state.aim);
    let temp = dir.join(format!(".{}.{}.tmp", state.db, std::process::id()));
    let text = serde_json::to_vec_pretty(state).context("cannot encode the upgrade request")?;
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temp)?;
        file.write_all(&text)?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(error).with_context(|| format!("cannot write {}", target.display()));
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RequestState {
        RequestState {
            db: "prod".into(),
            aim: Aim::Test,
            target: "18.0".into(),
            server: "https://upgrade.odoo.com".into(),
            request_id: 7,
            token: "tok".into(),
            host: "upgrade-1.odoo.com".into(),
            private_key: "/k".into(),
            public_key: "/k.pub".into(),
            phase: "created".into(),
            names: std::collections::BTreeMap::new(),
            work_dir: None,
            data_server_user: None,
            data_server_path: None,
            replace: false,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn saved_privately_and_read_back() {
        let temp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let dir = temp.path().join("odoodb/upgrade");
        let written = save(&dir, &sample()).unwrap_or_else(|e| unreachable!("{e}"));
        let mode = std::fs::metadata(&written).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
        let back = load(&dir, "prod", None).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(back.request_id, 7);
        assert_eq!(std::fs::read_dir(&dir).map(Iterator::count).ok(), Some(1));
        assert!(load(&dir, "other", None).is_err());
    }

    #[test]
    fn xdg_state_home_wins_over_home() {
        let dir = dir(Some(Path::new("/s")), Some(Path::new("/h")));
        assert_eq!(dir.ok(), Some(PathBuf::from("/s/odoodb/upgrade")));
        let dir = super::dir(None, Some(Path::new("/h")));
        assert_eq!(dir.ok(), Some(PathBuf::from("/h/.local/state/odoodb/upgrade")));
    }
}
