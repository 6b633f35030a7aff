//! The precedence, setting by setting: command-line flags > odoo.conf > PG* environment and
//! ~/.pgpass > libpq's defaults (odoodb's settings file where libpq has no say), and the checks
//! on each value read, naming where it came from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use super::{Environment, Flags, OdooConf, Resolved, Settings, Source, Sourced};
use crate::error::{Failure, usage_error};
use crate::pg::{RootCert, SslMode};
use crate::secret::Secret;

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
