//! Opening a connection the way libpq would, since tokio-postgres reads no PG* variable,
//! no ~/.pgpass, no certificate file and knows no sslmode beyond prefer/require.
//!
//! What libpq does and this module copies: `allow` tries plain then TLS, `prefer` tries TLS then
//! plain (also when the TLS handshake or the role's pg_hba line refuses it); a root certificate
//! (`sslrootcert`) is the only CA trusted when given; a client certificate is sent when one is
//! there; one timeout covers TCP, TLS, startup and authentication; a missing password is asked
//! for on a terminal, once per run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_postgres::Client;
use tokio_postgres::config::SslMode as WireSslMode;

use super::pgpass::{self, Lookup};
use super::prompt;
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

    fn verifies(self) -> bool {
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

    fn failure(&self, dbname: &str, what: &str) -> Failure {
        Failure::failed(format!(
            "cannot connect to PostgreSQL at {} as role {:?} (database {dbname:?}): {what}",
            self.describe(),
            self.user
        ))
    }
}

/// A password typed at the prompt, for every later connection of this run to the same server.
struct Typed {
    host: String,
    port: u16,
    user: String,
    password: Secret,
}

static TYPED: tokio::sync::Mutex<Option<Typed>> = tokio::sync::Mutex::const_new(None);

async fn typed_password(params: &ConnectParams) -> Option<Secret> {
    let typed = TYPED.lock().await;
    typed
        .as_ref()
        .filter(|t| t.host == params.host && t.port == params.port && t.user == params.user)
        .map(|t| t.password.clone())
}

/// A server that did not answer in time, or is not PostgreSQL: later connections of this run
/// (another database, the `template1` fallback) fail at once with the same words.
struct Unusable {
    host: String,
    port: u16,
    message: String,
    hint: Option<String>,
}

static UNUSABLE: std::sync::Mutex<Option<Unusable>> = std::sync::Mutex::new(None);

fn known_unusable(params: &ConnectParams) -> Option<Failure> {
    let unusable = UNUSABLE.lock().ok()?;
    let known = unusable.as_ref().filter(|u| u.host == params.host && u.port == params.port)?;
    let failure = Failure::failed(known.message.clone());
    Some(match &known.hint {
        Some(hint) => failure.hint(hint.clone()),
        None => failure,
    })
}

fn remember_unusable(params: &ConnectParams, failure: &Failure) {
    if let Ok(mut unusable) = UNUSABLE.lock() {
        *unusable = Some(Unusable {
            host: params.host.clone(),
            port: params.port,
            message: failure.message.clone(),
            hint: failure.hint.clone(),
        });
    }
}

/// Opens a connection to `dbname`; the connection task runs on the current runtime.
pub async fn connect(params: &ConnectParams, dbname: &str) -> Result<Client> {
    if let Some(failure) = known_unusable(params) {
        return Err(failure.into());
    }
    let (given, passfile_ignored) = params.password_for(dbname);
    let password = match given {
        Some(password) => Some(password),
        None => typed_password(params).await,
    };
    let known = password.is_some();
    match open(params, dbname, password.as_ref()).await {
        Ok(client) => Ok(client),
        Err(Attempt::Pg(error)) if !known && is_password_missing(&error) => {
            ask_and_connect(params, dbname, passfile_ignored).await
        }
        Err(attempt) => Err(report(params, dbname, attempt, passfile_ignored).await),
    }
}

/// How many times a wrong password may be typed before odoodb gives up (as sudo).
const PASSWORD_TRIES: usize = 3;

/// The server wants a password and none was given: ask on a terminal (once per run, even when
/// several connections need it at the same time), else say how to give one. A wrong one is
/// said to be wrong before it is asked again.
async fn ask_and_connect(
    params: &ConnectParams,
    dbname: &str,
    passfile_ignored: bool,
) -> Result<Client> {
    let mut typed = TYPED.lock().await;
    let already = typed
        .as_ref()
        .filter(|t| t.host == params.host && t.port == params.port && t.user == params.user)
        .map(|t| t.password.clone());
    let can_ask = already.is_none() && params.may_prompt && prompt::can_ask();
    if already.is_none() && !can_ask {
        return Err(no_password(params, dbname, passfile_ignored).into());
    }
    let mut tries = 0;
    loop {
        let password = match &already {
            Some(password) => password.clone(),
            None => prompt::ask(&format!("Password for user {}: ", params.user)).await?,
        };
        tries += 1;
        match open(params, dbname, Some(&password)).await {
            Ok(client) => {
                *typed = Some(Typed {
                    host: params.host.clone(),
                    port: params.port,
                    user: params.user.clone(),
                    password,
                });
                return Ok(client);
            }
            Err(Attempt::Pg(error))
                if can_ask && tries < PASSWORD_TRIES && is_wrong_password(&error) =>
            {
                prompt::say(&format!("password authentication failed for user {}", params.user));
            }
            Err(attempt) => return Err(report(params, dbname, attempt, false).await),
        }
    }
}

/// The server refused the password itself (SQLSTATE 28P01), not the role or the database.
fn is_wrong_password(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&tokio_postgres::error::SqlState::INVALID_PASSWORD)
}

/// Without a terminal: the ways to give a password, in one line and a hint.
fn no_password(params: &ConnectParams, dbname: &str, passfile_ignored: bool) -> Failure {
    let passfile = params
        .passfile
        .as_ref()
        .map_or_else(|| "~/.pgpass".to_string(), |p| p.display().to_string());
    let mut what = "the server wants a password and none was given".to_string();
    if passfile_ignored {
        what.push_str("; the password file was ignored because others can read it (chmod 600 it)");
    }
    params.failure(dbname, &what).hint(format!(
        "give it in odoo.conf (db_password), in PGPASSWORD, or in {passfile} (mode 0600); on a \
         terminal odoodb asks for it"
    ))
}

/// Why one connection attempt failed.
enum Attempt {
    Pg(tokio_postgres::Error),
    Timeout,
    /// Before any byte was sent: a certificate file that cannot be used, say.
    Setup(anyhow::Error),
}

/// Connects as the sslmode says, falling back as libpq does.
async fn open(
    params: &ConnectParams,
    dbname: &str,
    password: Option<&Secret>,
) -> Result<Client, Attempt> {
    if params.is_socket() || params.sslmode == SslMode::Disable {
        return attempt(params, dbname, password, None).await;
    }
    match params.sslmode {
        SslMode::Allow => match attempt(params, dbname, password, None).await {
            Err(Attempt::Pg(error)) if is_refused_at_startup(&error) => {
                attempt(params, dbname, password, Some(WireSslMode::Require)).await
            }
            other => other,
        },
        SslMode::Prefer => match attempt(params, dbname, password, Some(WireSslMode::Prefer)).await
        {
            Err(Attempt::Pg(error)) if is_tls_failure(&error) || is_refused_at_startup(&error) => {
                attempt(params, dbname, password, None).await
            }
            other => other,
        },
        _ => attempt(params, dbname, password, Some(WireSslMode::Require)).await,
    }
}

/// One connection, plain (`tls` = None) or over TLS, within the connect timeout.
async fn attempt(
    params: &ConnectParams,
    dbname: &str,
    password: Option<&Secret>,
    tls: Option<WireSslMode>,
) -> Result<Client, Attempt> {
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
        .connect_timeout(params.connect_timeout)
        // A run proves itself alive by the advisory lock its session holds: when its host
        // vanishes without closing the connection, the server must notice within a minute or
        // two (not the system's two hours) so that another run can recover its change; and this
        // side must notice a vanished server as soon.
        .options(
            "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=6",
        )
        .keepalives_idle(Duration::from_secs(30))
        .keepalives_interval(Duration::from_secs(10))
        .keepalives_retries(6);
    if let Some(password) = password {
        config.password(password.expose());
    }
    let connecting = async {
        if let Some(mode) = tls {
            config.ssl_mode(mode);
            let connector = tls_connector(params).map_err(Attempt::Setup)?;
            let (client, connection) = config.connect(connector).await.map_err(Attempt::Pg)?;
            tokio::spawn(connection);
            Ok(client)
        } else {
            config.ssl_mode(WireSslMode::Disable);
            let (client, connection) =
                config.connect(tokio_postgres::NoTls).await.map_err(Attempt::Pg)?;
            tokio::spawn(connection);
            Ok(client)
        }
    };
    tokio::time::timeout(params.connect_timeout, connecting).await.unwrap_or(Err(Attempt::Timeout))
}

/// tokio-postgres' own words when the server asked for a password it was not given.
fn is_password_missing(error: &tokio_postgres::Error) -> bool {
    error.code().is_none()
        && std::error::Error::source(error).is_some_and(|e| e.to_string() == "password missing")
}

/// The TLS handshake failed (tokio-postgres' Tls kind).
fn is_tls_failure(error: &tokio_postgres::Error) -> bool {
    error.code().is_none() && error.to_string().starts_with("error performing TLS handshake")
}

/// The server refused this role, database or encryption at startup (SQLSTATE class 28: a
/// pg_hba.conf line, a password): libpq then tries the other encryption, and so do we.
fn is_refused_at_startup(error: &tokio_postgres::Error) -> bool {
    error.code().is_some_and(|code| code.code().starts_with("28"))
}

/// Turns a failed attempt into one line and a hint.
async fn report(
    params: &ConnectParams,
    dbname: &str,
    attempt: Attempt,
    passfile_ignored: bool,
) -> anyhow::Error {
    let error = match attempt {
        Attempt::Setup(error) => return error,
        Attempt::Timeout => {
            let failure = match not_postgres(params).await {
                Some(answer) => not_postgres_failure(params, dbname, &answer),
                None => params
                    .failure(
                        dbname,
                        &format!("no answer within {} s", params.connect_timeout.as_secs()),
                    )
                    .hint(
                        "is PostgreSQL running there, and is this its port? A silent firewall, an \
                         overloaded server or a server that is not PostgreSQL look like this; wait \
                         longer with PGCONNECT_TIMEOUT or [connection] connect_timeout in the \
                         settings file",
                    ),
            };
            remember_unusable(params, &failure);
            return failure.into();
        }
        Attempt::Pg(error) => error,
    };
    if error.code().is_none() {
        // What answers there first: "server does not support TLS" may be a web server.
        if let Some(answer) = not_postgres(params).await {
            let failure = not_postgres_failure(params, dbname, &answer);
            remember_unusable(params, &failure);
            return failure.into();
        }
        if is_tls_failure(&error) {
            return tls_failure(params, dbname, &error).into();
        }
    }
    let mut text = format!(
        "cannot connect to PostgreSQL at {} as role {:?} (database {dbname:?})",
        params.describe(),
        params.user
    );
    if passfile_ignored {
        text.push_str("; the password file was ignored because others can read it (chmod 600 it)");
    }
    anyhow::Error::new(error).context(text)
}

/// What a server that is not PostgreSQL answered to an SSLRequest, if it answered that way.
/// PostgreSQL answers exactly `S` or `N` (or, very old, an error message starting with `E`).
async fn not_postgres(params: &ConnectParams) -> Option<Vec<u8>> {
    const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
    let probe = async {
        let mut buf = vec![0_u8; 64];
        let read = if params.is_socket() {
            let path = Path::new(&params.host).join(format!(".s.PGSQL.{}", params.port));
            let mut stream = tokio::net::UnixStream::connect(path).await.ok()?;
            stream.write_all(&SSL_REQUEST).await.ok()?;
            stream.read(&mut buf).await.ok()?
        } else {
            let mut stream =
                tokio::net::TcpStream::connect((params.host.as_str(), params.port)).await.ok()?;
            stream.write_all(&SSL_REQUEST).await.ok()?;
            stream.read(&mut buf).await.ok()?
        };
        buf.truncate(read);
        Some(buf)
    };
    let answer = tokio::time::timeout(Duration::from_secs(1), probe).await.ok().flatten()?;
    let postgres = matches!(answer.as_slice(), [b'S' | b'N']) || answer.first() == Some(&b'E');
    (!answer.is_empty() && !postgres).then_some(answer)
}

fn not_postgres_failure(params: &ConnectParams, dbname: &str, answer: &[u8]) -> Failure {
    let shown: String = String::from_utf8_lossy(&answer[..answer.len().min(24)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    params
        .failure(dbname, &format!("this is not a PostgreSQL server (it answered {shown:?})"))
        .hint(
            "check the host and port: --host/--port, db_host/db_port in odoo.conf, or \
             PGHOST/PGPORT (PostgreSQL's default port is 5432)",
        )
}

/// A certificate problem in one line, without OpenSSL's error stack.
fn tls_failure(params: &ConnectParams, dbname: &str, error: &tokio_postgres::Error) -> Failure {
    let detail = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
    let lower = detail.to_lowercase();
    let root = match &params.root_cert {
        Some(RootCert::File(path)) => Some(path.display().to_string()),
        _ => None,
    };
    let skip = "or use sslmode=require to encrypt without checking the certificate";
    if lower.contains("hostname mismatch") || lower.contains("ip address mismatch") {
        return params
            .failure(
                dbname,
                &format!("the server's certificate is not issued for host {:?}", params.host),
            )
            .hint(format!(
                "connect with the name in the certificate (--host, db_host), or use \
                 sslmode=verify-ca to check only the CA, {skip}"
            ));
    }
    if lower.contains("certificate has expired") || lower.contains("not yet valid") {
        return params
            .failure(dbname, "the server's certificate is expired or not yet valid")
            .hint("renew the server's certificate (ssl_cert_file in postgresql.conf)");
    }
    if lower.contains("alert unknown ca")
        || lower.contains("alert bad certificate")
        || lower.contains("alert certificate required")
        || lower.contains("alert certificate unknown")
    {
        let sent = params
            .client_cert
            .as_ref()
            .filter(|p| p.is_file())
            .map_or_else(|| "no client certificate".to_string(), |p| p.display().to_string());
        return params
            .failure(dbname, &format!("the server refused the client certificate ({sent})"))
            .hint(
                "check sslcert/sslkey (PGSSLCERT, PGSSLKEY, ~/.postgresql/postgresql.crt and \
                 .key): the server's ssl_ca_file must hold the CA that signed it",
            );
    }
    if lower.contains("certificate verify failed")
        || lower.contains("self-signed")
        || lower.contains("self signed")
        || lower.contains("issuer certificate")
        || lower.contains("unable to verify")
    {
        return match root {
            Some(file) => params
                .failure(
                    dbname,
                    &format!("the server's certificate is not signed by the CA in {file}"),
                )
                .hint(format!(
                    "check sslrootcert (PGSSLROOTCERT, ~/.postgresql/root.crt): it must hold the \
                     CA that signed the server's certificate, {skip}"
                )),
            None => params
                .failure(
                    dbname,
                    "the server's certificate is not signed by a CA this system trusts",
                )
                .hint(format!(
                    "give the CA that signed it in PGSSLROOTCERT or ~/.postgresql/root.crt, {skip}"
                )),
        };
    }
    if detail.contains("server does not support TLS") {
        return params
            .failure(
                dbname,
                &format!("the server does not accept TLS (sslmode={})", params.sslmode.as_str()),
            )
            .hint("turn ssl on in postgresql.conf, or use sslmode=prefer or disable");
    }
    // OpenSSL's text is "error:CODE:lib:function:reason:file:line:..."; keep the reason.
    let reason =
        detail.split(':').nth(4).filter(|_| detail.starts_with("error:")).unwrap_or(&detail);
    params.failure(dbname, &format!("the TLS handshake failed: {}", reason.trim())).hint(format!(
        "check the server's ssl settings and sslmode (now {})",
        params.sslmode.as_str()
    ))
}

/// Asks the server to cancel the statement running on the session of `token` (a lock wait, a
/// long template copy): PostgreSQL then rolls it back cleanly.
async fn cancel_statement(
    params: &ConnectParams,
    token: &tokio_postgres::CancelToken,
) -> Result<()> {
    if params.is_socket() || params.sslmode == SslMode::Disable {
        token.cancel_query(tokio_postgres::NoTls).await?;
    } else {
        token.cancel_query(tls_connector(params)?).await?;
    }
    Ok(())
}

/// Runs `work` (statements on the session `token` belongs to) until Ctrl-C: then asks the
/// server to cancel the statement in flight — a lock wait, a template copy — waits for `work`
/// to end, and fails with the interrupted kind (exit 130). An open transaction is then for the
/// caller to roll back; what an autocommit statement did, for the caller to read back from the
/// server (a cancel can arrive too late).
pub async fn interruptible<T>(
    cancel: &crate::cancel::Cancel,
    params: &ConnectParams,
    token: tokio_postgres::CancelToken,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    tokio::pin!(work);
    tokio::select! {
        result = &mut work => result,
        () = cancel.wait() => {
            // Sent again while the work goes on: a cancel that lands between two statements
            // stops nothing, and the work may start the next one. Each request is finished
            // before the work may end, so none lands on what the caller runs next.
            loop {
                let _ = cancel_statement(params, &token).await;
                let settled = tokio::time::timeout(Duration::from_millis(200), &mut work).await;
                if settled.is_ok() {
                    break;
                }
            }
            Err(Failure::interrupted().into())
        }
    }
}

fn tls_connector(params: &ConnectParams) -> Result<postgres_native_tls::MakeTlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    // libpq verifies the chain in every mode once a root certificate file is there.
    let root_file = match &params.root_cert {
        Some(RootCert::File(path)) if path.is_file() || params.sslmode.verifies() => Some(path),
        _ => None,
    };
    let verify_chain = params.sslmode.verifies() || root_file.is_some();
    if !verify_chain {
        builder.danger_accept_invalid_certs(true);
    }
    if params.sslmode != SslMode::VerifyFull {
        builder.danger_accept_invalid_hostnames(true);
    }
    if let Some(path) = root_file {
        if !path.is_file() {
            return Err(Failure::failed(format!(
                "root certificate file {} does not exist",
                path.display()
            ))
            .hint(format!(
                "give the CA that signed the server's certificate there (or in PGSSLROOTCERT), \
                 use PGSSLROOTCERT=system for the system's CAs, or sslmode=require to skip \
                 verification (sslmode is {})",
                params.sslmode.as_str()
            ))
            .into());
        }
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read root certificate {}", path.display()))?;
        let certificates = native_tls::Certificate::stack_from_pem(&pem)
            .ok()
            .filter(|certificates| !certificates.is_empty())
            .ok_or_else(|| {
                Failure::failed(format!("{} holds no PEM certificate", path.display()))
                    .hint("sslrootcert must be the CA certificate(s) in PEM form")
            })?;
        // Only the given CA: not the system's store as well, as libpq.
        builder.disable_built_in_roots(true);
        for certificate in certificates {
            builder.add_root_certificate(certificate);
        }
    }
    if let Some(cert) = params.client_cert.as_ref().filter(|p| p.is_file()) {
        builder.identity(client_identity(cert, params.client_key.as_deref())?);
    }
    let connector = builder.build().context("cannot set up TLS")?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}

/// The client certificate and its key, which (as libpq requires) others must not read.
fn client_identity(cert: &Path, key: Option<&Path>) -> Result<native_tls::Identity> {
    use std::os::unix::fs::MetadataExt as _;
    let key = key.ok_or_else(|| {
        Failure::failed(format!("client certificate {} has no key file", cert.display()))
            .hint("set PGSSLKEY to its private key")
    })?;
    let metadata = std::fs::metadata(key).map_err(|e| {
        Failure::failed(format!(
            "cannot read the key {} of client certificate {}: {e}",
            key.display(),
            cert.display()
        ))
        .hint("set PGSSLKEY to the certificate's private key")
    })?;
    let mode = metadata.mode();
    #[allow(clippy::verbose_bit_mask, reason = "the permission bits read as libpq's check")]
    let root_owned_group_readable = metadata.uid() == 0 && mode & 0o037 == 0;
    if mode & 0o077 != 0 && !root_owned_group_readable {
        return Err(Failure::failed(format!(
            "private key file {} has group or world access",
            key.display()
        ))
        .hint(format!("chmod 600 {}", key.display()))
        .into());
    }
    let cert_pem = std::fs::read(cert)
        .with_context(|| format!("cannot read client certificate {}", cert.display()))?;
    let key_pem =
        std::fs::read(key).with_context(|| format!("cannot read private key {}", key.display()))?;
    native_tls::Identity::from_pkcs8(&cert_pem, &key_pem).map_err(|e| {
        Failure::failed(format!(
            "cannot use client certificate {} with key {}: {e}",
            cert.display(),
            key.display()
        ))
        .hint(format!(
            "both must be PEM, the key unencrypted PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in {} \
             -out new.key)",
            key.display()
        ))
        .into()
    })
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
