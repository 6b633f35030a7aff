//! Where every setting comes from: command-line flags > odoo.conf > PG* environment and
//! ~/.pgpass > libpq's defaults.

mod odoo_conf;
mod settings;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

pub use odoo_conf::OdooConf;
pub use settings::Settings;

use crate::error::{Failure, usage_error};
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

/// The process environment as the resolver sees it, so tests can give their own.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
    fn home(&self) -> Option<PathBuf>;
    fn os_user(&self) -> Option<String>;
}

pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|value| !value.is_empty())
    }

    fn home(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from).or_else(|| {
            nix::unistd::User::from_uid(nix::unistd::geteuid()).ok().flatten().map(|user| user.dir)
        })
    }

    fn os_user(&self) -> Option<String> {
        nix::unistd::User::from_uid(nix::unistd::geteuid())
            .ok()
            .flatten()
            .map(|user| user.name)
            .or_else(|| self.var("USER"))
    }
}

/// libpq's socket directories, Debian's first.
const SOCKET_DIRS: [&str; 3] = ["/var/run/postgresql", "/run/postgresql", "/tmp"];

impl Resolved {
    #[allow(clippy::too_many_lines, reason = "one precedence rule per setting, read top to bottom")]
    pub fn resolve(args: &Flags, env: &dyn Environment) -> Result<Self> {
        let home = env.home();
        let odoo_conf = load_odoo_conf(args.odoo_config.as_deref(), env, home.as_deref())?;
        let settings = Settings::load(args.settings.as_deref(), home.as_deref())?;
        let conf = |key: &str| odoo_conf.as_ref().and_then(|c| c.get(key).map(String::from));

        let port = pick(
            args.port.map(|p| (p, Source::Flag("--port"))),
            conf("db_port")
                .map(|v| {
                    parse_port(&v, "odoo.conf db_port").map(|p| (p, Source::OdooConf("db_port")))
                })
                .transpose()?,
            env.var("PGPORT")
                .map(|v| parse_port(&v, "PGPORT").map(|p| (p, Source::Env("PGPORT"))))
                .transpose()?,
        )
        .unwrap_or_else(|| Sourced::new(5432, Source::Default("libpq")));

        let host = pick(
            args.host.clone().map(|h| (h, Source::Flag("--host"))),
            conf("db_host").map(|h| (h, Source::OdooConf("db_host"))),
            env.var("PGHOST").map(|h| (h, Source::Env("PGHOST"))),
        )
        .unwrap_or_else(|| {
            Sourced::new(default_socket_dir(port.value), Source::Default("local socket"))
        });

        let user = pick(
            args.user.clone().map(|u| (u, Source::Flag("--user"))),
            conf("db_user").map(|u| (u, Source::OdooConf("db_user"))),
            env.var("PGUSER").map(|u| (u, Source::Env("PGUSER"))),
        )
        .or_else(|| env.os_user().map(|u| Sourced::new(u, Source::Default("OS user"))))
        .ok_or_else(|| {
            usage_error(
                "cannot tell which PostgreSQL role to use",
                "pass --user, set db_user in odoo.conf, or PGUSER",
            )
        })?;

        let password = pick(
            None,
            conf("db_password").map(|p| (Secret::new(p), Source::OdooConf("db_password"))),
            env.var("PGPASSWORD").map(|p| (Secret::new(p), Source::Env("PGPASSWORD"))),
        );

        let sslmode = pick(
            args.sslmode.map(|m| (m, Source::Flag("--sslmode"))),
            conf("db_sslmode")
                .map(|m| {
                    parse_sslmode(&m, "odoo.conf db_sslmode")
                        .map(|m| (m, Source::OdooConf("db_sslmode")))
                })
                .transpose()?,
            env.var("PGSSLMODE")
                .map(|m| parse_sslmode(&m, "PGSSLMODE").map(|m| (m, Source::Env("PGSSLMODE"))))
                .transpose()?,
        )
        .unwrap_or_else(|| Sourced::new(SslMode::Prefer, Source::Default("libpq")));

        let passfile = env
            .var("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".pgpass")))
            .unwrap_or_else(|| PathBuf::from(".pgpass"));
        let root_cert = env
            .var("PGSSLROOTCERT")
            .map(|v| {
                let cert = if v == "system" { RootCert::System } else { RootCert::File(v.into()) };
                Sourced::new(cert, Source::Env("PGSSLROOTCERT"))
            })
            .or_else(|| {
                home.as_ref().map(|h| h.join(".postgresql/root.crt")).filter(|p| p.is_file()).map(
                    |p| Sourced::new(RootCert::File(p), Source::Default("~/.postgresql/root.crt")),
                )
            });
        let client_cert = env
            .var("PGSSLCERT")
            .map(|v| Sourced::new(PathBuf::from(v), Source::Env("PGSSLCERT")))
            .or_else(|| {
                home.as_ref()
                    .map(|h| h.join(".postgresql/postgresql.crt"))
                    .filter(|p| p.is_file())
                    .map(|p| Sourced::new(p, Source::Default("~/.postgresql/postgresql.crt")))
            });
        let client_key = env
            .var("PGSSLKEY")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".postgresql/postgresql.key")));
        // The environment names the wait for this run; the settings file, the usual one.
        let connect_timeout = env
            .var("PGCONNECT_TIMEOUT")
            .map(|v| {
                parse_timeout(&v, "PGCONNECT_TIMEOUT")
                    .map(|t| (t, Source::Env("PGCONNECT_TIMEOUT")))
            })
            .transpose()?
            .or_else(|| {
                settings.connection.connect_timeout.map(|s| {
                    (
                        crate::pg::connect_timeout_from_secs(s),
                        Source::Settings("connection.connect_timeout"),
                    )
                })
            })
            .map_or_else(
                || Sourced::new(crate::pg::DEFAULT_CONNECT_TIMEOUT, Source::Default("odoodb")),
                |(t, source)| Sourced::new(t, source),
            );

        let data_dir = pick(
            args.data_dir.clone().map(|d| (d, Source::Flag("--data-dir"))),
            conf("data_dir")
                .map(|d| (expand_home(&d, home.as_deref()), Source::OdooConf("data_dir"))),
            None,
        )
        .or_else(|| {
            home.as_ref().map(|h| {
                Sourced::new(h.join(".local/share/Odoo"), Source::Default("~/.local/share/Odoo"))
            })
        })
        .ok_or_else(|| {
            usage_error(
                "cannot tell where Odoo's data directory is",
                "pass --data-dir or set data_dir in odoo.conf",
            )
        })?;

        let addons_path = odoo_conf
            .as_ref()
            .map(|c| {
                c.list("addons_path").iter().map(|p| expand_home(p, home.as_deref())).collect()
            })
            .unwrap_or_default();
        let pg_path = conf("pg_path").map(|p| expand_home(&p, home.as_deref()));
        let served_databases = odoo_conf.as_ref().map(|c| c.list("db_name")).unwrap_or_default();

        Ok(Self {
            odoo_conf,
            settings,
            host,
            port,
            user,
            password,
            sslmode,
            passfile,
            root_cert,
            client_cert,
            client_key,
            connect_timeout,
            data_dir,
            addons_path,
            pg_path,
            served_databases,
        })
    }

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

    /// Each setting as (name, value, source), passwords masked: what `config` and `-v` show.
    pub fn describe(&self) -> Vec<(&'static str, String, String)> {
        let none = || "(none)".to_string();
        let mut lines = vec![
            (
                "odoo_conf",
                self.odoo_conf.as_ref().map_or_else(none, |c| c.path.display().to_string()),
                String::new(),
            ),
            (
                "settings",
                self.settings.path.as_ref().map_or_else(none, |p| p.display().to_string()),
                String::new(),
            ),
            ("host", self.host.value.clone(), self.host.source.to_string()),
            ("port", self.port.value.to_string(), self.port.source.to_string()),
            ("user", self.user.value.clone(), self.user.source.to_string()),
        ];
        let (password, source) = match &self.password {
            Some(p) => ("set (hidden)".to_string(), p.source.to_string()),
            None => (
                format!("from {} if it has a matching line", self.passfile.display()),
                "password file".to_string(),
            ),
        };
        lines.push(("password", password, source));
        lines.push((
            "sslmode",
            self.sslmode.value.as_str().to_string(),
            self.sslmode.source.to_string(),
        ));
        if let Some(root_cert) = &self.root_cert {
            let value = match &root_cert.value {
                RootCert::File(path) => path.display().to_string(),
                RootCert::System => "system".to_string(),
            };
            lines.push(("sslrootcert", value, root_cert.source.to_string()));
        }
        if let Some(client_cert) = &self.client_cert {
            lines.push((
                "sslcert",
                client_cert.value.display().to_string(),
                client_cert.source.to_string(),
            ));
            if let Some(key) = &self.client_key {
                lines.push(("sslkey", key.display().to_string(), client_cert.source.to_string()));
            }
        }
        lines.push((
            "connect_timeout",
            format!("{} s", self.connect_timeout.value.as_secs()),
            self.connect_timeout.source.to_string(),
        ));
        lines.push((
            "data_dir",
            self.data_dir.value.display().to_string(),
            self.data_dir.source.to_string(),
        ));
        lines.push((
            "filestores",
            self.data_dir.value.join("filestore").display().to_string(),
            "data_dir/filestore".to_string(),
        ));
        if !self.addons_path.is_empty() {
            let joined = self
                .addons_path
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(",");
            lines.push(("addons_path", joined, Source::OdooConf("addons_path").to_string()));
        }
        if let Some(pg_path) = &self.pg_path {
            lines.push((
                "pg_path",
                pg_path.display().to_string(),
                Source::OdooConf("pg_path").to_string(),
            ));
        }
        lines
    }
}

/// The first of flag, odoo.conf, environment that is set.
fn pick<T>(
    flag: Option<(T, Source)>,
    conf: Option<(T, Source)>,
    env: Option<(T, Source)>,
) -> Option<Sourced<T>> {
    flag.or(conf).or(env).map(|(value, source)| Sourced::new(value, source))
}

fn load_odoo_conf(
    explicit: Option<&Path>,
    env: &dyn Environment,
    home: Option<&Path>,
) -> Result<Option<OdooConf>> {
    if let Some(path) = explicit {
        return OdooConf::load(path).map(Some);
    }
    if let Some(path) = env.var("ODOO_RC") {
        return OdooConf::load(Path::new(&path)).map(Some);
    }
    let Some(home) = home else { return Ok(None) };
    for name in [".odoorc", ".openerp_serverrc"] {
        let path = home.join(name);
        if path.is_file() {
            return OdooConf::load(&path).map(Some);
        }
    }
    Ok(None)
}

fn default_socket_dir(port: u16) -> String {
    let has_socket = |dir: &&str| Path::new(dir).join(format!(".s.PGSQL.{port}")).exists();
    SOCKET_DIRS.into_iter().find(has_socket).unwrap_or(SOCKET_DIRS[0]).to_string()
}

fn parse_port(text: &str, origin: &str) -> Result<u16> {
    text.trim().parse().map_err(|_| {
        Failure::usage(format!("{origin} is {text:?}, which is not a port number"))
            .hint("use a number from 1 to 65535")
            .into()
    })
}

fn parse_sslmode(text: &str, origin: &str) -> Result<SslMode> {
    SslMode::parse(text.trim()).ok_or_else(|| {
        Failure::usage(format!("{origin} is {text:?}, which is not an sslmode"))
            .hint("use disable, allow, prefer, require, verify-ca or verify-full")
            .into()
    })
}

/// libpq's `connect_timeout`: whole seconds, 0 for the default.
fn parse_timeout(text: &str, origin: &str) -> Result<Duration> {
    text.trim().parse().map(crate::pg::connect_timeout_from_secs).map_err(|_| {
        Failure::usage(format!("{origin} is {text:?}, which is not a number of seconds"))
            .hint("use whole seconds, e.g. 10; 0 means the default (30)")
            .into()
    })
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct FakeEnv {
        vars: HashMap<&'static str, String>,
        home: PathBuf,
    }

    impl Environment for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.vars.get(name).cloned()
        }
        fn home(&self) -> Option<PathBuf> {
            Some(self.home.clone())
        }
        fn os_user(&self) -> Option<String> {
            Some("osuser".into())
        }
    }

    fn env_with(dir: &Path, vars: &[(&'static str, &str)]) -> FakeEnv {
        FakeEnv {
            vars: vars.iter().map(|(k, v)| (*k, (*v).to_string())).collect(),
            home: dir.to_path_buf(),
        }
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("odoodb-config-{tag}-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn flags_beat_odoo_conf_beat_environment_beat_defaults() -> Result<()> {
        let dir = temp_dir("precedence");
        let conf = dir.join("odoo.conf");
        std::fs::write(
            &conf,
            "[options]\ndb_host = conf-host\ndb_port = 5433\ndb_user = conf-user\ndata_dir = ~/odoo-data\n",
        )?;
        let env = env_with(
            &dir,
            &[
                ("ODOO_RC", conf.to_str().unwrap_or_default()),
                ("PGHOST", "env-host"),
                ("PGUSER", "env-user"),
                ("PGPORT", "5434"),
                ("PGSSLMODE", "require"),
            ],
        );
        let args = Flags { host: Some("flag-host".into()), ..Flags::default() };
        let resolved = Resolved::resolve(&args, &env)?;
        assert_eq!(resolved.host.value, "flag-host");
        assert_eq!(resolved.host.source, Source::Flag("--host"));
        assert_eq!(resolved.user.value, "conf-user");
        assert_eq!(resolved.port.value, 5433);
        assert_eq!(resolved.sslmode.value, SslMode::Require);
        assert_eq!(resolved.sslmode.source, Source::Env("PGSSLMODE"));
        assert_eq!(resolved.data_dir.value, dir.join("odoo-data"));
        Ok(())
    }

    #[test]
    fn defaults_are_the_os_user_and_home_data_dir() -> Result<()> {
        let dir = temp_dir("defaults");
        let resolved = Resolved::resolve(&Flags::default(), &env_with(&dir, &[]))?;
        assert_eq!(resolved.user.value, "osuser");
        assert_eq!(resolved.port.value, 5432);
        assert!(resolved.host.value.starts_with('/'));
        assert_eq!(resolved.data_dir.value, dir.join(".local/share/Odoo"));
        assert!(resolved.password.is_none());
        Ok(())
    }

    #[test]
    fn password_never_shows_in_the_description() -> Result<()> {
        let dir = temp_dir("password");
        let resolved = Resolved::resolve(
            &Flags::default(),
            &env_with(&dir, &[("PGPASSWORD", "s3cr3t-value")]),
        )?;
        let text = format!("{:?} {:?}", resolved.describe(), resolved);
        assert!(!text.contains("s3cr3t-value"));
        Ok(())
    }

    #[test]
    fn a_bad_port_names_its_origin() {
        let dir = temp_dir("badport");
        let error = Resolved::resolve(&Flags::default(), &env_with(&dir, &[("PGPORT", "fifty")]))
            .err()
            .map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("PGPORT is \"fifty\", which is not a port number"));
    }

    #[test]
    fn connect_timeout_from_environment_then_settings_then_default() -> Result<()> {
        let dir = temp_dir("timeout");
        let settings = dir.join("settings.toml");
        std::fs::write(&settings, "[connection]\nconnect_timeout = 7\n")?;
        let args = Flags { settings: Some(settings), ..Flags::default() };
        let resolved = Resolved::resolve(&args, &env_with(&dir, &[("PGCONNECT_TIMEOUT", "1")]))?;
        assert_eq!(resolved.connect_timeout.value, Duration::from_secs(2), "libpq's minimum");
        assert_eq!(resolved.connect_timeout.source, Source::Env("PGCONNECT_TIMEOUT"));
        let resolved = Resolved::resolve(&args, &env_with(&dir, &[]))?;
        assert_eq!(resolved.connect_timeout.value, Duration::from_secs(7));
        assert_eq!(resolved.connect_timeout.source, Source::Settings("connection.connect_timeout"));
        let resolved =
            Resolved::resolve(&Flags::default(), &env_with(&dir, &[("PGCONNECT_TIMEOUT", "0")]))?;
        assert_eq!(resolved.connect_timeout.value, crate::pg::DEFAULT_CONNECT_TIMEOUT);
        Ok(())
    }

    #[test]
    fn certificates_from_environment_or_home() -> Result<()> {
        let dir = temp_dir("certs");
        let resolved = Resolved::resolve(&Flags::default(), &env_with(&dir, &[]))?;
        assert!(resolved.root_cert.is_none() && resolved.client_cert.is_none());
        std::fs::create_dir_all(dir.join(".postgresql"))?;
        std::fs::write(dir.join(".postgresql/root.crt"), "")?;
        std::fs::write(dir.join(".postgresql/postgresql.crt"), "")?;
        let params = Resolved::resolve(&Flags::default(), &env_with(&dir, &[]))?.connect_params();
        assert_eq!(params.root_cert, Some(RootCert::File(dir.join(".postgresql/root.crt"))));
        assert_eq!(params.client_cert, Some(dir.join(".postgresql/postgresql.crt")));
        assert_eq!(params.client_key, Some(dir.join(".postgresql/postgresql.key")));
        let params = Resolved::resolve(
            &Flags::default(),
            &env_with(&dir, &[("PGSSLROOTCERT", "system"), ("PGSSLMODE", "allow")]),
        )?
        .connect_params();
        assert_eq!(params.root_cert, Some(RootCert::System));
        assert_eq!(params.sslmode, SslMode::Allow);
        Ok(())
    }

    #[test]
    fn a_missing_explicit_odoo_conf_is_an_error() {
        let dir = temp_dir("missing");
        let args = Flags { odoo_config: Some(dir.join("nope.conf")), ..Flags::default() };
        assert!(Resolved::resolve(&args, &env_with(&dir, &[])).is_err());
    }
}
