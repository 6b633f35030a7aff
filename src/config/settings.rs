//! odoodb's own settings file (TOML): defaults that are ours, not Odoo's.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;

use crate::error::Failure;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub backup: BackupSettings,
    #[serde(default)]
    pub restore: RestoreSettings,
    #[serde(default)]
    pub duplicate: DuplicateSettings,
    #[serde(default)]
    pub neutralize: NeutralizeSettings,
    #[serde(default)]
    pub pseudonymize: PseudonymizeSettings,
    #[serde(default)]
    pub connection: ConnectionSettings,
    #[serde(default)]
    pub upgrade: UpgradeSettings,
    /// Where these settings were read from, if anywhere.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSettings {
    /// Where `backup` writes when no path is given (and where `delete` looks for backups).
    pub dir: Option<PathBuf>,
    /// How many backups of each database to keep in `dir`.
    pub keep: Option<u32>,
    /// Keep the newest backup of each of the last N days that have one.
    pub keep_daily: Option<u32>,
    /// Keep the newest backup of each of the last N ISO weeks that have one.
    pub keep_weekly: Option<u32>,
    /// Keep the newest backup of each of the last N months that have one.
    pub keep_monthly: Option<u32>,
    /// The default format (checked when the file is read).
    pub format: Option<crate::archive::BackupFormat>,
    /// Where `backup` writes when neither `-o`, `--dir` nor `--to` says: a folder, or an
    /// object-storage prefix `s3://bucket/prefix/` (then `dir` is only where `delete` looks).
    pub to: Option<String>,
    /// How to reach object storage, when the environment (`AWS_*`) does not say.
    #[serde(default)]
    pub s3: S3Settings,
    /// age public keys (`age1…`) every backup is encrypted to, when `--encrypt-to` and
    /// `--encrypt-to-file` do not say.
    #[serde(default)]
    pub encrypt_to: Vec<String>,
}

/// `[backup.s3]`: the same facts every S3 tool reads from `AWS_*` and `~/.aws/`, for a cron
/// line that carries none of them. The environment wins over these.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    /// `https://…` of a server other than AWS (MinIO, Ceph, Garage): requests are then
    /// path-style.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// A profile of `~/.aws/credentials` and `~/.aws/config`.
    pub profile: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<crate::secret::Secret>,
    pub session_token: Option<crate::secret::Secret>,
    /// Seconds one request may take before it is retried, then given up [default: 120].
    pub timeout: Option<std::num::NonZeroU64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreSettings {
    /// Seconds to wait for the server of an http(s) archive to accept the connection.
    pub connect_timeout: Option<std::num::NonZeroU64>,
    /// Seconds the server of an http(s) archive may send nothing (its answer, then each part of
    /// the download) before the restore gives up.
    pub read_timeout: Option<std::num::NonZeroU64>,
    /// The age identity file (`AGE-SECRET-KEY-1…` lines) that decrypts encrypted backups, when
    /// neither `--identity` nor `ODOODB_AGE_IDENTITY` says.
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateSettings {
    /// Default filestore mode for `duplicate`: auto, copy, hardlink, reflink or none (checked
    /// when the file is read).
    pub filestore: Option<crate::filestore::Requested>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeutralizeSettings {
    /// Databases that are production: neutralizing them always needs the name typed.
    #[serde(default)]
    pub protect: Vec<String>,
}

/// `[pseudonymize]`: the columns of custom modules, and built-in ones to keep.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PseudonymizeSettings {
    /// `"table.column" = "shape"` (hash, clear, keep, name, email, …).
    #[serde(default)]
    pub columns: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSettings {
    /// Seconds to wait for a connection (TCP, TLS, startup and authentication together), as
    /// libpq's `connect_timeout`: 0 means the default, less than 2 means 2.
    pub connect_timeout: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpgradeSettings {
    /// The subscription code sent to the upgrade platform (else the database's own).
    pub contract: Option<crate::secret::Secret>,
    /// The upgrade platform's URL (https only).
    pub server: Option<String>,
    /// PEM roots trusted for the platform, on top of the system's.
    pub ca: Option<PathBuf>,
    /// Seconds to wait for each answer of the platform.
    pub timeout: Option<std::num::NonZeroU64>,
    /// The user rsync logs in as on the platform's host.
    #[serde(default = "default_data_server_user")]
    pub data_server_user: String,
    /// Where the dump goes on the platform's host.
    #[serde(default = "default_data_server_path")]
    pub data_server_path: String,
}

impl Default for UpgradeSettings {
    fn default() -> Self {
        Self {
            contract: None,
            server: None,
            ca: None,
            timeout: None,
            data_server_user: default_data_server_user(),
            data_server_path: default_data_server_path(),
        }
    }
}

fn default_data_server_user() -> String {
    "odoo".into()
}

fn default_data_server_path() -> String {
    "/data".into()
}

impl Settings {
    /// Reads the given file, which must exist, or the first default location that does.
    pub fn load(explicit: Option<&Path>, home: Option<&Path>) -> Result<Self> {
        if let Some(path) = explicit {
            return Self::read(path);
        }
        let mut candidates = Vec::new();
        if let Some(home) = home {
            candidates.push(home.join(".config/odoodb/config.toml"));
        }
        candidates.push(PathBuf::from("/etc/odoodb/config.toml"));
        match candidates.into_iter().find(|path| path.is_file()) {
            Some(path) => Self::read(&path),
            None => Ok(Self::default()),
        }
    }

    fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!("cannot read settings file {}: {e}", path.display()))
                .hint("pass an existing TOML file with --settings")
        })?;
        let mut settings: Self = toml::from_str(&text).map_err(|e| {
            let detail = e.message().to_string();
            Failure::usage(format!("settings file {} is not valid: {detail}", path.display()))
                .hint("see examples/config.toml for the keys odoodb knows")
        })?;
        settings.path = Some(path.to_path_buf());
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Settings>("[duplicate]\nfilestor = 'copy'\n").is_err());
        assert!(toml::from_str::<Settings>("colour = true\n").is_err());
        // A mode is checked when the file is read, not when a command first uses it.
        assert!(toml::from_str::<Settings>("[duplicate]\nfilestore = 'symlink'\n").is_err());
        assert!(toml::from_str::<Settings>("[connection]\nconnect_timeout = '5s'\n").is_err());
        assert!(toml::from_str::<Settings>("[connection]\nconnect_timeout = -1\n").is_err());
        assert!(toml::from_str::<Settings>("[connection]\nhost = 'x'\n").is_err());
        assert!(toml::from_str::<Settings>("[upgrade]\ncontrat = 'x'\n").is_err());
        assert!(toml::from_str::<Settings>("[upgrade]\ntimeout = 0\n").is_err());
        assert!(toml::from_str::<Settings>("[restore]\nread_timeout = 0\n").is_err());
        assert!(toml::from_str::<Settings>("[restore]\nread_timout = 5\n").is_err());
    }

    #[test]
    fn known_keys_are_read() {
        let settings: Settings = toml::from_str(
            "[duplicate]\nfilestore = 'hardlink'\n[neutralize]\nprotect = ['prod']\n\
             [connection]\nconnect_timeout = 9\n[restore]\nconnect_timeout = 4\nread_timeout = 7\n",
        )
        .unwrap_or_default();
        assert_eq!(settings.duplicate.filestore, Some(crate::filestore::Requested::Hardlink));
        assert_eq!(settings.neutralize.protect, vec!["prod"]);
        assert_eq!(settings.connection.connect_timeout, Some(9));
        assert_eq!(settings.restore.connect_timeout.map(std::num::NonZeroU64::get), Some(4));
        assert_eq!(settings.restore.read_timeout.map(std::num::NonZeroU64::get), Some(7));
        assert_eq!(settings.upgrade.data_server_user, "odoo");
        assert_eq!(settings.upgrade.data_server_path, "/data");
    }

    #[test]
    fn encryption_keys_are_read() {
        let settings: Settings = toml::from_str(
            "[backup]\nencrypt_to = ['age1x', 'age1y']\n[restore]\nidentity = '/k/key.txt'\n",
        )
        .unwrap_or_default();
        assert_eq!(settings.backup.encrypt_to, vec!["age1x", "age1y"]);
        assert_eq!(settings.restore.identity.as_deref(), Some(Path::new("/k/key.txt")));
        assert!(toml::from_str::<Settings>("[backup]\nencrypt_to = 'age1x'\n").is_err());
    }

    #[test]
    fn upgrade_keys_are_read() {
        let settings: Settings = toml::from_str(
            "[upgrade]\ncontract = 'M123'\nserver = 'https://u.example'\nca = '/ca.pem'\n\
             timeout = 5\ndata_server_user = 'up'\ndata_server_path = '/srv'\n",
        )
        .unwrap_or_default();
        assert_eq!(settings.upgrade.contract.as_ref().map(Secret::expose), Some("M123"));
        assert_eq!(settings.upgrade.server.as_deref(), Some("https://u.example"));
        assert_eq!(settings.upgrade.timeout.map(std::num::NonZeroU64::get), Some(5));
        assert_eq!(settings.upgrade.data_server_path, "/srv");
        assert!(!format!("{settings:?}").contains("M123"));
    }
}
