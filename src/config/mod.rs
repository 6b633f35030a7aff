//! Where every setting comes from: command-line flags > odoo.conf > PG* environment and
//! ~/.pgpass > libpq's defaults.

mod describe;
mod environment;
mod odoo_conf;
mod resolve;
mod settings;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use environment::{Environment, ProcessEnvironment};
pub use odoo_conf::OdooConf;
pub use settings::{BackupSettings, S3Settings, Settings};

use crate::pg::{ConnectParams, RootCert, SslMode};
use crate::secret::Secret;

/// What the command line says: the flags that beat odoo.conf and the environment. Built from
/// the parsed arguments where the command line is wired to the layers, so config knows no clap.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `-c`/`--config`: the odoo.conf to read.
    pub odoo_config: Option<PathBuf>,
    /// `--settings`: odoodb's own settings file.
    pub settings: Option<PathBuf>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub sslmode: Option<SslMode>,
    pub data_dir: Option<PathBuf>,
}

/// Where a resolved value came from, shown by `odoodb config` and `-v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    OdooConf(&'static str),
    Env(&'static str),
    /// A key of odoodb's own settings file.
    Settings(&'static str),
    Default(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(flag) => write!(f, "flag {flag}"),
            Self::OdooConf(key) => write!(f, "odoo.conf {key}"),
            Self::Env(var) => write!(f, "environment {var}"),
            Self::Settings(key) => write!(f, "settings {key}"),
            Self::Default(why) => write!(f, "default ({why})"),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    fn new(value: T, source: Source) -> Self {
        Self { value, source }
    }
}

/// Every setting odoodb runs with, each with its origin.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub odoo_conf: Option<OdooConf>,
    pub settings: Settings,
    pub host: Sourced<String>,
    pub port: Sourced<u16>,
    pub user: Sourced<String>,
    pub password: Option<Sourced<Secret>>,
    pub sslmode: Sourced<SslMode>,
    pub passfile: PathBuf,
    /// `PGSSLROOTCERT` (`system`: the OS store), else `~/.postgresql/root.crt` if it exists.
    pub root_cert: Option<Sourced<RootCert>>,
    /// `PGSSLCERT`/`PGSSLKEY`, else `~/.postgresql/postgresql.crt`/`.key`.
    pub client_cert: Option<Sourced<PathBuf>>,
    pub client_key: Option<PathBuf>,
    pub connect_timeout: Sourced<Duration>,
    pub data_dir: Sourced<PathBuf>,
    pub addons_path: Vec<PathBuf>,
    /// Where pg_dump, pg_restore and psql live, if odoo.conf says.
    pub pg_path: Option<PathBuf>,
    /// odoo.conf `db_name`: the database(s) this Odoo serves, i.e. production.
    pub served_databases: Vec<String>,
}

impl Resolved {
    /// Odoo's HTTP port (odoo.conf `http_port`, before 11 `xmlrpc_port`), default 8069: a copy's
    /// base URL points there, as Odoo's own duplicate does.
    pub fn http_port(&self) -> u16 {
        let conf = |key: &str| self.odoo_conf.as_ref().and_then(|c| c.get(key)?.parse().ok());
        conf("http_port").or_else(|| conf("xmlrpc_port")).unwrap_or(8069)
    }

    pub fn connect_params(&self) -> ConnectParams {
        ConnectParams {
            host: self.host.value.clone(),
            port: self.port.value,
            user: self.user.value.clone(),
            password: self.password.as_ref().map(|p| p.value.clone()),
            sslmode: self.sslmode.value,
            passfile: Some(self.passfile.clone()),
            root_cert: self.root_cert.as_ref().map(|r| r.value.clone()),
            client_cert: self.client_cert.as_ref().map(|c| c.value.clone()),
            client_key: self.client_key.clone(),
            connect_timeout: self.connect_timeout.value,
            may_prompt: true,
        }
    }
}
