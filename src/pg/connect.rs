//! Opening a connection the way libpq would, since tokio-postgres reads no PG* variable,
//! no ~/.pgpass and no sslmode beyond prefer/require.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use tokio_postgres::Client;
use tokio_postgres::config::SslMode as WireSslMode;

use super::pgpass::{self, Lookup};
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    /// libpq's `allow` and `prefer`: TLS when the server offers it, unverified.
    Prefer,
    /// TLS, unverified (libpq's `require` without a root certificate).
    Require,
    /// TLS, certificate chain verified, host name not.
    VerifyCa,
    /// TLS, certificate and host name verified.
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "disable" => Self::Disable,
            "allow" | "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => return None,
        })
    }
}

/// Where and how to connect; the database name is chosen per connection.
#[derive(Debug, Clone)]
pub struct ConnectParams {
    /// A host name, an IP address, or (starting with `/`) a Unix socket directory.
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Option<Secret>,
    pub sslmode: SslMode,
    pub passfile: Option<PathBuf>,
    /// A root certificate for verify-ca/verify-full (`PGSSLROOTCERT`, `~/.postgresql/root.crt`).
    pub root_cert: Option<PathBuf>,
}

impl ConnectParams {
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// `host:port` or the socket file, for messages.
    pub fn describe(&self) -> String {
        if self.is_socket() {
            format!("{}/.s.PGSQL.{}", self.host.trim_end_matches('/'), self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    fn password_for(&self, dbname: &str) -> (Option<Secret>, bool) {
        if let Some(password) = &self.password {
            return (Some(password.clone()), false);
        }
        let Some(passfile) = &self.passfile else {
            return (None, false);
        };
        let target = pgpass::Target { host: &self.host, port: self.port, dbname, user: &self.user };
        match pgpass::lookup(passfile, &target) {
            Lookup::Found(secret) => (Some(secret), false),
            Lookup::NotFound => (None, false),
            Lookup::Insecure => (None, true),
        }
    }
}

/// Opens a connection to `dbname`; the connection task runs on the current runtime.
pub async fn connect(params: &ConnectParams, dbname: &str) -> Result<Client> {
    let (password, passfile_ignored) = params.password_for(dbname);
    let mut config = tokio_postgres::Config::new();
    if params.is_socket() {
        config.host_path(&params.host);
    } else {
        config.host(&params.host);
    }
    config
        .port(params.port)
        .user(&params.user)
        .dbname(dbname)
        .application_name("odoodb")
        .connect_timeout(Duration::from_secs(10));
    if let Some(password) = &password {
        config.password(password.expose());
    }
    let context = || {
        let mut text = format!(
            "cannot connect to PostgreSQL at {} as role {:?} (database {dbname:?})",
            params.describe(),
            params.user
        );
        if passfile_ignored {
            text.push_str(
                "; the password file was ignored because others can read it (chmod 600 it)",
            );
        }
        text
    };
    let client = if params.is_socket() || params.sslmode == SslMode::Disable {
        config.ssl_mode(WireSslMode::Disable);
        let (client, connection) =
            config.connect(tokio_postgres::NoTls).await.with_context(context)?;
        tokio::spawn(connection);
        client
    } else {
        config.ssl_mode(if params.sslmode == SslMode::Prefer {
            WireSslMode::Prefer
        } else {
            WireSslMode::Require
        });
        let tls = tls_connector(params)?;
        let (client, connection) = config.connect(tls).await.with_context(context)?;
        tokio::spawn(connection);
        client
    };
    Ok(client)
}

/// Asks the server to cancel the statement `client` is running (e.g. a long template copy
/// at Ctrl-C): PostgreSQL then rolls it back cleanly.
pub async fn cancel(params: &ConnectParams, client: &Client) -> Result<()> {
    let token = client.cancel_token();
    if params.is_socket() || params.sslmode == SslMode::Disable {
        token.cancel_query(tokio_postgres::NoTls).await?;
    } else {
        token.cancel_query(tls_connector(params)?).await?;
    }
    Ok(())
}

fn tls_connector(params: &ConnectParams) -> Result<postgres_native_tls::MakeTlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    match params.sslmode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => {
            builder.danger_accept_invalid_certs(true).danger_accept_invalid_hostnames(true);
        }
        SslMode::VerifyCa => {
            builder.danger_accept_invalid_hostnames(true);
        }
        SslMode::VerifyFull => {}
    }
    if let Some(path) = &params.root_cert
        && matches!(params.sslmode, SslMode::VerifyCa | SslMode::VerifyFull)
    {
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read root certificate {}", path.display()))?;
        let certificate = native_tls::Certificate::from_pem(&pem)
            .with_context(|| format!("{} is not a PEM certificate", path.display()))?;
        builder.add_root_certificate(certificate);
    }
    let connector = builder.build().context("cannot set up TLS")?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}
