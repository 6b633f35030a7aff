//! Where and how to connect: the server, the role, the password's sources, the sslmode and
//! certificates, the timeout. Built once from the settings; the database is chosen per
//! connection.

use std::path::PathBuf;
use std::time::Duration;

use super::pgpass::{self, Lookup};
use crate::error::Failure;
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    /// Plain first; TLS (unverified) only if the server refuses the plain connection.
    Allow,
    /// TLS when the server offers it, unverified; plain if the server refuses TLS.
    Prefer,
    /// TLS, unverified (verified against the root certificate if one is there, as libpq does).
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
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => return None,
        })
    }

    pub(super) fn verifies(self) -> bool {
        matches!(self, Self::VerifyCa | Self::VerifyFull)
    }
}

/// Which certificate authorities a verified TLS connection trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// Only the CA(s) in this PEM file (`sslrootcert`, `PGSSLROOTCERT`, `~/.postgresql/root.crt`).
    File(PathBuf),
    /// The operating system's store (`PGSSLROOTCERT=system`).
    System,
}

/// libpq waits forever by default; we do not.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// libpq's reading of `connect_timeout`: seconds, 0 means the default, and at least 2.
pub fn connect_timeout_from_secs(seconds: u64) -> Duration {
    if seconds == 0 { DEFAULT_CONNECT_TIMEOUT } else { Duration::from_secs(seconds.max(2)) }
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
    /// The CAs to trust; `None`: verify-ca/verify-full use the system's store.
    pub root_cert: Option<RootCert>,
    /// A client certificate and its key (`PGSSLCERT`/`PGSSLKEY`, `~/.postgresql/postgresql.*`).
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// For TCP, TLS, startup and authentication together.
    pub connect_timeout: Duration,
    /// Whether a missing password may be asked for on a terminal (never while completing a
    /// command line in the shell).
    pub may_prompt: bool,
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

    pub(super) fn password_for(&self, dbname: &str) -> (Option<Secret>, bool) {
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

    pub(super) fn failure(&self, dbname: &str, what: &str) -> Failure {
        Failure::failed(format!(
            "cannot connect to PostgreSQL at {} as role {:?} (database {dbname:?}): {what}",
            self.describe(),
            self.user
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_timeout_reads_as_libpq() {
        assert_eq!(connect_timeout_from_secs(0), DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(connect_timeout_from_secs(1), Duration::from_secs(2));
        assert_eq!(connect_timeout_from_secs(7), Duration::from_secs(7));
    }

    #[test]
    fn every_libpq_sslmode_parses_to_itself() {
        for text in ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] {
            assert_eq!(SslMode::parse(text).map(SslMode::as_str), Some(text));
        }
        assert_eq!(SslMode::parse("on"), None);
    }
}
