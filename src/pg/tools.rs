//! PostgreSQL's client programs (pg_dump, pg_restore, psql): found in odoo.conf `pg_path`, else
//! on PATH, and run with the same connection as odoodb's own — the password through a private
//! password file, never on a command line nor in the environment of other processes.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use tokio::process::Command;

use super::ConnectParams;
use crate::error::Failure;

/// One of PostgreSQL's client programs, and how to connect it.
pub struct Tool {
    pub program: PathBuf,
    params: ConnectParams,
    /// The password file made for this run (removed when the tool is dropped).
    passfile: Option<tempfile::TempPath>,
}

impl Tool {
    /// Finds `name` (`pg_dump`, `pg_restore`, `psql`) in `pg_path`, else on PATH.
    pub fn find(name: &str, pg_path: Option<&Path>, params: &ConnectParams) -> Result<Self> {
        let program = match pg_path {
            Some(dir) => dir.join(name),
            None => which(name).ok_or_else(|| {
                Failure::failed(format!("{name} was not found on PATH"))
                    .hint("install PostgreSQL's client programs (apt-get install postgresql-client), or set pg_path in odoo.conf")
            })?,
        };
        if !program.is_file() {
            return Err(Failure::failed(format!("{} does not exist", program.display()))
                .hint("check pg_path in odoo.conf")
                .into());
        }
        let passfile = match &params.password {
            Some(password) => Some(private_passfile(params, password.expose())?),
            None => None,
        };
        Ok(Self { program, params: params.clone(), passfile })
    }

    /// The program's version, e.g. (15, 18), from `--version`.
    pub async fn version(&self) -> Result<(u32, u32)> {
        let output = Command::new(&self.program)
            .arg("--version")
            .output()
            .await
            .with_context(|| format!("cannot run {}", self.program.display()))?;
        let text = String::from_utf8_lossy(&output.stdout);
        parse_version(&text).with_context(|| {
            format!("cannot read the version of {} from {text:?}", self.program.display())
        })
    }

    /// A command for `database`, connected as odoodb is (host, port, user, sslmode, password).
    pub fn command(&self, database: &str) -> Command {
        let mut command = Command::new(&self.program);
        command
            .env("PGHOST", &self.params.host)
            .env("PGPORT", self.params.port.to_string())
            .env("PGUSER", &self.params.user)
            .env("PGDATABASE", database)
            .env("PGSSLMODE", self.params.sslmode.as_str())
            .env("PGAPPNAME", "odoodb")
            .env_remove("PGPASSWORD")
            .kill_on_drop(true);
        match &self.params.root_cert {
            Some(super::connect::RootCert::File(path)) => {
                command.env("PGSSLROOTCERT", path);
            }
            Some(super::connect::RootCert::System) => {
                command.env("PGSSLROOTCERT", "system");
            }
            None => {}
        }
        if let Some(cert) = &self.params.client_cert {
            command.env("PGSSLCERT", cert);
        }
        if let Some(key) = &self.params.client_key {
            command.env("PGSSLKEY", key);
        }
        command.env("PGCONNECT_TIMEOUT", self.params.connect_timeout.as_secs().max(2).to_string());
        match (&self.passfile, &self.params.passfile) {
            (Some(file), _) => {
                command.env("PGPASSFILE", file);
            }
            (None, Some(file)) => {
                command.env("PGPASSFILE", file);
            }
            (None, None) => {}
        }
        command
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join(name)).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|candidate| candidate.is_file())
}

/// A 0600 password file holding one line for this server: libpq reads it, nobody else can.
fn private_passfile(params: &ConnectParams, password: &str) -> Result<tempfile::TempPath> {
    let escape = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
    let file = tempfile::Builder::new()
        .prefix("odoodb-pgpass-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .tempfile()
        .context("cannot create a private password file")?;
    let path = file.into_temp_path();
    let mut handle = std::fs::OpenOptions::new()
        .write(true)
        .mode(0o600)
        .open(&path)
        .context("cannot write the private password file")?;
    writeln!(handle, "*:*:*:{}:{}", escape(&params.user), escape(password))
        .context("cannot write the private password file")?;
    Ok(path)
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    // "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let number = text
        .split_whitespace()
        .find(|word| word.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    let mut parts = number.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn reads_versions() {
        assert_eq!(
            parse_version("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"),
            Some((15, 18))
        );
        assert_eq!(parse_version("psql (PostgreSQL) 17beta1"), Some((17, 0)));
        assert_eq!(parse_version("nothing"), None);
    }
}
